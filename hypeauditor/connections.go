package hypeauditor

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"

	"github.com/creatorkit/creatorkit-go/internal/jsonx"
	"github.com/creatorkit/creatorkit-go/internal/transport"
)

// ConnectionsService finds a creator's accounts on every network
// (auditor.reportConnections). Free: no credits are taken [DOC]. Available
// to API subscriptions only.
type ConnectionsService struct{ c *Client }

// ConnectionsParams select the account to start from: Username (without
// "@") or ID (its report id, the social_id), and its network Type. If both
// Username and ID are set both are sent, and HypeAuditor uses the id. The
// id goes in the "id" parameter, as the documentation's text and curl
// sample say (its PHP sample shows user_id).
type ConnectionsParams struct {
	Username string
	ID       string
	Type     Platform
}

// Connections is the list of the creator's accounts.
//
// It has Raw (the body as received) and Response (the response's metadata:
// status, request id, headers, DecodeIssues).
type Connections struct {
	Accounts []Connection

	// Raw is the response body as received.
	Raw json.RawMessage `json:"-"`
	// Response is the metadata of the response.
	Response *ResponseMeta `json:"-"`
}

// Connection is one account of the creator, with the state of its report.
// SocialID and State are control fields (the id is what a caller passes
// to the report call, the state says whether there is a report): an
// answer where either does not fit its type is ErrUnexpectedResponse.
type Connection struct {
	// SocialID is the report id: pass it as a report's UserID (Instagram,
	// TikTok) or Channel (YouTube). Control field.
	SocialID  ID       `json:"social_id" creatorkit:"control"`
	Username  string   `json:"username"`
	Type      Platform `json:"type"`
	Title     string   `json:"title"`
	AvatarURL string   `json:"avatar_url"`
	// SubscribersCount is documented as an integer.
	SubscribersCount Float `json:"subscribers_count"`
	// ER is the engagement rate in percent: documented as an integer but
	// sent as a float (0.734377); always 0 for Twitch and Snapchat.
	ER Float `json:"er"`
	// State is the state of the account's report. Control field.
	State ReportState `json:"state" creatorkit:"control"`
}

// Ref returns the account as a report reference: by its user id on
// Instagram and TikTok, its channel id on YouTube, its username
// elsewhere. ref.String() is an input of Reports.GetAndWaitAll.
func (a Connection) Ref() ReportRef {
	switch a.Type {
	case Instagram, TikTok:
		if a.SocialID != "" {
			return ReportRef{Platform: a.Type, UserID: string(a.SocialID)}
		}
	case YouTube:
		if a.SocialID != "" {
			return ReportRef{Platform: a.Type, Account: string(a.SocialID)}
		}
	}
	return ReportRef{Platform: a.Type, Account: a.Username}
}

// ByPlatform returns the accounts on one network.
func (c *Connections) ByPlatform(n Platform) []Connection {
	if c == nil {
		return nil
	}
	var out []Connection
	for _, a := range c.Accounts {
		if a.Type == n {
			out = append(out, a)
		}
	}
	return out
}

// Get returns the creator's accounts on every network, the one asked for
// included. An account HypeAuditor does not know is ErrNotFound (404, code
// 16 Object not found).
func (s *ConnectionsService) Get(ctx context.Context, p ConnectionsParams) (*Connections, error) {
	const op = "Connections.Get"
	if strings.TrimSpace(p.Username) == "" && strings.TrimSpace(p.ID) == "" {
		return nil, invalidParams(op, "username", "set username or id")
	}
	if err := checkPlatform(op, "type", p.Type); err != nil {
		return nil, err
	}
	q := url.Values{}
	if p.Username != "" {
		checkName := handle
		switch p.Type {
		case Instagram:
			checkName = instagramHandle
		case YouTube:
			checkName = youTubeChannel
		}
		name, err := checkName(op, "username", p.Username)
		if err != nil {
			return nil, err
		}
		q.Set("username", name)
	}
	if p.ID != "" {
		checkID := handle
		switch p.Type {
		case Instagram, TikTok:
			checkID = numericID // the social_id of these networks is numeric
		case YouTube:
			checkID = youTubeChannel
		}
		id, err := checkID(op, "id", p.ID)
		if err != nil {
			return nil, err
		}
		q.Set("id", id)
	}
	q.Set("type", string(p.Type))
	var env struct {
		Result *connectionList `json:"result"`
		Raw    json.RawMessage `json:"-"`
	}
	meta, err := s.c.do(ctx, transport.Request{Op: op, Method: http.MethodGet, Path: "auditor.reportConnections", Query: q}, &env)
	if err != nil {
		return nil, err
	}
	if err := s.c.checkShapes(op, meta, env.Result != nil, "result.data"); err != nil {
		return nil, err
	}
	conns := &Connections{Accounts: env.Result.items, Raw: env.Raw, Response: meta}
	return conns, nil
}

// connectionList decodes result as the array the documentation shows, or
// as {"data": [...]} [INFERRED], and re-encodes the shape it read.
type connectionList struct {
	items   []Connection
	wrapped bool
}

// connectionData is the {"data": [...]} form of connectionList.
type connectionData struct {
	Data []Connection `json:"data"`
}

// UnmarshalLenient accepts a list and {"data": [...]} (jsonx.Lenient).
func (l *connectionList) UnmarshalLenient(d *jsonx.Decoder, b []byte) {
	*l = connectionList{}
	switch firstByte(b) {
	case '[':
		decodeLenient(d, b, &l.items)
	case '{':
		var w connectionData
		decodeLenient(d, b, &w)
		l.items, l.wrapped = w.Data, true
	case 'n':
	default:
		d.Report(b, "hypeauditor.connectionList", "a list of accounts or {data: [...]}")
	}
}

// UnmarshalJSON accepts a list and {"data": [...]}.
func (l *connectionList) UnmarshalJSON(b []byte) error { return jsonx.Strict(b, l) }

// MarshalJSON writes the shape read.
func (l connectionList) MarshalJSON() ([]byte, error) {
	if l.wrapped {
		return json.Marshal(connectionData{l.items})
	}
	return json.Marshal(l.items)
}
