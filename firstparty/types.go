package firstparty

import (
	"bytes"
	"encoding/json"

	"github.com/creatorkit/creatorkit-go"
	"github.com/creatorkit/creatorkit-go/internal/check"
	"github.com/creatorkit/creatorkit-go/internal/jsonx"
)

// Shared SDK types, re-exported from package creatorkit (the module
// root): the same types as in every creatorkit-go package.
type (
	// Error is the SDK's one error type: HTTP status, the vendor's
	// message, request method and URL, Retry-After, attempts and the raw
	// body (redacted). Test its kind with errors.Is.
	Error = creatorkit.Error
	// ItemError reports why one item (here: one creator's insights) has
	// no result.
	ItemError = creatorkit.ItemError
	// TimeoutError is returned by Insights.GetAndWait (and by
	// ConnectFlow.Start and Complete) when the context ends before the
	// work is done; it names the last state seen.
	TimeoutError = creatorkit.TimeoutError
	// Time decodes every date layout Ylytic sends: "26/01/2024"
	// (last_processed_at), RFC 1123 "Fri, 26 Jan 2024 01:44:55 GMT"
	// (posted_date), unix seconds (posted_at), and re-encodes them
	// unchanged.
	Time = creatorkit.Time
	// Float is a number sent as an integer, a float, a numeric string or
	// null.
	Float = creatorkit.Float
	// Int is a count that may arrive as a float (1257.0); fractions are
	// rounded.
	Int = creatorkit.Int
	// ID is an identifier sent as a string or a number.
	ID = creatorkit.ID
	// ResponseMeta is the status, request id, rate-limit headers and
	// attempt count of the response a result came from.
	ResponseMeta = creatorkit.ResponseMeta
	// RateLimit is the X-RateLimit-* state a response reported.
	RateLimit = creatorkit.RateLimit
	// Limiter paces requests; see WithLimiter.
	Limiter = creatorkit.Limiter
	// Observer sees every call, attempt and wait of a client; see
	// WithObserver.
	Observer = creatorkit.Observer
	// Window is a request budget: N requests per Per.
	Window = creatorkit.Window
	// DelayError reports that a request could not be sent in time (the
	// limiter's next slot or the server's hold ends after the context's
	// deadline); it is the Cause of an ErrRateLimited *Error.
	DelayError = creatorkit.DelayError
	// DecodeIssue is one value of an answer that did not fit its Go type:
	// its JSON path, the JSON kind received and the Go type expected. The
	// value was left at its zero value and everything else was decoded;
	// ResponseMeta.DecodeIssues (and WebhookEvent.DecodeIssues) list them.
	DecodeIssue = creatorkit.DecodeIssue
	// Summary is the common creator summary (see Insights.Summary).
	Summary = creatorkit.Summary
	// Quality is a vendor's quality score on 0-100 in a Summary; Ylytic's
	// own quality assessment is ProfileQuality.
	Quality = creatorkit.Quality
	// Share is one bucket of an audience breakdown in a Summary.
	Share = creatorkit.Share
)

// Platform is the social network a creator connects: Ylytic's
// "connector". The fields that carry it are named Platform, like every
// creatorkit-go package's; on the wire they stay "connector".
type Platform string

// Platforms Create Verification URL accepts ("Currently supported values
// are YouTube and Instagram"). They are sent in lower case, as in the
// documented examples. Insights (Get Instagram Creator Insights) are
// Instagram only.
const (
	Instagram Platform = "instagram"
	YouTube   Platform = "youtube"
)

// Platforms the webhook documentation also lists ("instagram|youtube|
// tiktok|facebook"); Create Verification URL does not accept them.
// Facebook is First Party's own: no other creatorkit-go package has it.
const (
	TikTok   Platform = "tiktok"
	Facebook Platform = "facebook"
)

// String returns the platform's name as Ylytic sends it ("instagram").
func (p Platform) String() string { return string(p) }

// ParsePlatform returns the platform named s, in any case and with
// surrounding spaces ignored: "instagram", "youtube", "tiktok" or
// "facebook". Any other name is an ErrInvalidParams *Error.
func ParsePlatform(s string) (Platform, error) {
	p := Platform(trimLower(s))
	switch p {
	case Instagram, YouTube, TikTok, Facebook:
		return p, nil
	}
	return "", invalidParams("ParsePlatform", "platform", "unknown platform %q (instagram, youtube, tiktok or facebook)", check.Clip(s, 64))
}

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

// decodeItem is the tolerant decoding of a Item (registered with
// jsonx.Register). Every JSON value fits an
// Item (that is its purpose), so it never reports an issue.
func decodeItem(_ *jsonx.Decoder, b []byte, i *Item) {
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
func (i *Item) UnmarshalJSON(b []byte) error { return jsonx.StrictFor(b, i) }

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

func init() { jsonx.Register(decodeItem) }
