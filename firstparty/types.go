package firstparty

import (
	"bytes"
	"encoding/json"

	"github.com/creatorkit/creatorkit-go/internal/jsonx"
	"github.com/creatorkit/creatorkit-go/internal/transport"
)

// Shared SDK types, re-exported.
type (
	// Time decodes every date layout Ylytic sends: "26/01/2024"
	// (last_processed_at), RFC 1123 "Fri, 26 Jan 2024 01:44:55 GMT"
	// (posted_date), unix seconds (posted_at), and re-encodes them
	// unchanged.
	Time = jsonx.Time
	// Float is a number sent as an integer, a float, a numeric string or
	// null.
	Float = jsonx.Float
	// Int is a count that may arrive as a float (1257.0); fractions are
	// rounded.
	Int = jsonx.Int
	// ID is an identifier sent as a string or a number.
	ID = jsonx.ID
	// ResponseMeta is the status, request id, rate-limit headers and
	// attempt count of the response a result came from.
	ResponseMeta = transport.ResponseMeta
	// RateLimit is the X-RateLimit-* state a response reported.
	RateLimit = transport.RateLimit
	// Limiter paces requests; see WithLimiter.
	Limiter = transport.Limiter
	// Window is a request budget: N requests per Per.
	Window = transport.Window
	// DecodeIssue is one value of an answer that did not fit its Go type:
	// its JSON path, the JSON kind received and the Go type expected. The
	// value was left at its zero value and everything else was decoded;
	// ResponseMeta.DecodeIssues (and WebhookEvent.DecodeIssues) list them.
	DecodeIssue = jsonx.Issue
)

// Connector is the social network a creator connects.
type Connector string

// Connectors Create Verification URL accepts ("Currently supported values
// are YouTube and Instagram"). They are sent in lower case, as in the
// documented examples.
const (
	Instagram Connector = "instagram"
	YouTube   Connector = "youtube"
)

// Connectors the webhook documentation also lists ("instagram|youtube|
// tiktok|facebook"); Create Verification URL does not accept them.
const (
	TikTok   Connector = "tiktok"
	Facebook Connector = "facebook"
)

// Item is one element of a list whose element type Ylytic does not show:
// the sample has interests, languages, external_link and external_links
// empty. ASSUMPTION: the elements are strings. Text holds a string element
// as is; for any other element (an object, a number) Text holds an
// object's "name", "username", "url", "link", "title" or "text" field when
// there is one, and Raw keeps the element so it re-encodes unchanged.
type Item struct {
	Text string
	// Raw is the element as sent when it was not a JSON string; nil
	// otherwise.
	Raw json.RawMessage
}

// String returns Text.
func (i Item) String() string { return i.Text }

// UnmarshalLenient implements jsonx.Lenient. Every JSON value fits an
// Item (that is its purpose), so it never reports an issue.
func (i *Item) UnmarshalLenient(_ *jsonx.Decoder, b []byte) {
	*i = Item{}
	b = bytes.TrimSpace(b)
	if json.Unmarshal(b, &i.Text) == nil {
		return
	}
	i.Raw = append(json.RawMessage(nil), b...)
	var m map[string]json.RawMessage
	if json.Unmarshal(b, &m) == nil {
		for _, k := range []string{"name", "username", "url", "link", "title", "text"} {
			var s string
			if json.Unmarshal(m[k], &s) == nil && s != "" {
				i.Text = s
				return
			}
		}
		return
	}
	i.Text = string(b)
}

// UnmarshalJSON implements json.Unmarshaler.
func (i *Item) UnmarshalJSON(b []byte) error { return jsonx.Strict(b, i) }

// MarshalJSON implements json.Marshaler.
func (i Item) MarshalJSON() ([]byte, error) {
	if i.Raw != nil {
		return i.Raw, nil
	}
	return json.Marshal(i.Text)
}

// Texts returns the Text of each item.
func Texts(items []Item) []string {
	out := make([]string, len(items))
	for k, it := range items {
		out[k] = it.Text
	}
	return out
}
