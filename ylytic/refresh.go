package ylytic

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"

	"github.com/creatorkit/creatorkit-go/internal/check"
	"github.com/creatorkit/creatorkit-go/internal/transport"
)

// RefreshService requests fresh public data of a creator or a post and
// reads the request: Ylytic's Data Refresh API (dashboard host).
type RefreshService struct{ c *Client }

// RefreshType is what a data refresh request refreshes: Ylytic's
// "request_type". Each takes one identifier.
type RefreshType string

// The documented request types and the RefreshParams field each needs.
const (
	// RefreshInstagram refreshes an Instagram creator by Handle.
	RefreshInstagram RefreshType = "instagram"
	// RefreshInstagramID refreshes an Instagram creator by IGUserID.
	RefreshInstagramID RefreshType = "instagram_id"
	// RefreshInstagramPost refreshes an Instagram post by Shortcode.
	RefreshInstagramPost RefreshType = "instagram_post"
	// RefreshYouTube refreshes a YouTube channel by ChannelID.
	RefreshYouTube RefreshType = "youtube"
	// RefreshYouTubePost refreshes a YouTube video by VideoID.
	RefreshYouTubePost RefreshType = "youtube_post"
)

// RefreshTypes returns the documented request types, in a new slice.
func RefreshTypes() []RefreshType {
	return []RefreshType{RefreshInstagram, RefreshInstagramID, RefreshInstagramPost, RefreshYouTube, RefreshYouTubePost}
}

// Platform returns the network a request type is about.
func (t RefreshType) Platform() Platform {
	if strings.HasPrefix(string(t), "youtube") {
		return YouTube
	}
	return Instagram
}

// RefreshParams are the inputs of Refresh.Create (and the request Ylytic
// echoes in a RefreshRequest). Set Type and the one identifier it takes;
// the others must be empty.
type RefreshParams struct {
	// Type is the request type (wire name "request_type"). Required.
	Type RefreshType `json:"request_type"`
	// Handle is the Instagram username, for RefreshInstagram ("@" and
	// surrounding spaces are dropped, the rest lower-cased; Instagram's
	// shape: 1-30 letters, digits, periods, underscores).
	Handle string `json:"handle,omitempty"`
	// IGUserID is the numeric Instagram user id, for RefreshInstagramID.
	IGUserID string `json:"ig_user_id,omitempty"`
	// Shortcode is the post's shortcode (the part after /p/ or /reel/ in
	// its URL), for RefreshInstagramPost: letters, digits, _ and -.
	Shortcode string `json:"shortcode,omitempty"`
	// ChannelID is the YouTube channel id ("UC..."), for RefreshYouTube:
	// letters, digits, _ and -.
	ChannelID string `json:"channel_id,omitempty"`
	// VideoID is the YouTube video id, for RefreshYouTubePost: letters,
	// digits, _ and -.
	VideoID string `json:"video_id,omitempty"`
}

// identifier returns the field Type takes, its wire name and value.
func (p RefreshParams) identifier() (name, value string) {
	switch p.Type {
	case RefreshInstagram:
		return "handle", p.Handle
	case RefreshInstagramID:
		return "ig_user_id", p.IGUserID
	case RefreshInstagramPost:
		return "shortcode", p.Shortcode
	case RefreshYouTube:
		return "channel_id", p.ChannelID
	case RefreshYouTubePost:
		return "video_id", p.VideoID
	}
	return "", ""
}

// Input returns the identifier the request is for, as given ("@NatGeo").
func (p RefreshParams) Input() string {
	_, v := p.identifier()
	return v
}

// Item returns the item as Ylytic knows it: "instagram/@natgeo" for a
// handle, "<platform>/id:<id>" for a user id, shortcode, channel or video
// id; "" when the params name no identifier.
func (p RefreshParams) Item() string {
	name, v := p.identifier()
	if v == "" {
		return ""
	}
	if name == "handle" {
		return string(p.Type.Platform()) + "/@" + strings.ToLower(strings.TrimPrefix(strings.TrimSpace(v), "@"))
	}
	return string(p.Type.Platform()) + "/id:" + strings.TrimSpace(v)
}

// normalize checks p and returns it as it is sent.
func (p RefreshParams) normalize(op string) (RefreshParams, error) {
	p.Type = RefreshType(trimLower(string(p.Type)))
	if p.Type == "" {
		return p, invalidParams(op, "request_type", "request_type is required (%s)", list(RefreshTypes()))
	}
	if msg := check.OneOf(p.Type, RefreshTypes()...); msg != "" {
		return p, invalidParams(op, "request_type", "%q is not one of %s", check.Clip(string(p.Type), 64), list(RefreshTypes()))
	}
	name, _ := p.identifier()
	for _, f := range []struct {
		name string
		v    *string
	}{{"handle", &p.Handle}, {"ig_user_id", &p.IGUserID}, {"shortcode", &p.Shortcode}, {"channel_id", &p.ChannelID}, {"video_id", &p.VideoID}} {
		if f.name == name {
			continue
		}
		if *f.v != "" {
			return p, invalidParams(op, f.name, "request_type %s takes %s, not %s", p.Type, name, f.name)
		}
	}
	var err error
	switch p.Type {
	case RefreshInstagram:
		p.Handle, err = normalizeHandle(op, "handle", Instagram, p.Handle)
	case RefreshInstagramID:
		if msg := check.Digits(p.IGUserID); msg != "" {
			err = invalidParams(op, "ig_user_id", "%s", msg)
		}
	case RefreshInstagramPost:
		err = checkCharset(op, "shortcode", p.Shortcode, "_-", 64)
	case RefreshYouTube:
		err = checkCharset(op, "channel_id", p.ChannelID, "_-", 64)
	case RefreshYouTubePost:
		err = checkCharset(op, "video_id", p.VideoID, "_-", 64)
	}
	return p, err
}

// RefreshState is a data refresh request's status message. Ylytic
// documents "pending"; RefreshCompleted and RefreshFailed are ASSUMED
// (Ylytic shows no finished request's status): the SDK takes any message
// other than pending as the end of the request, and a failure when the
// message is "failed" or "error" or the status code is 400 or more.
type RefreshState string

// Data refresh states.
const (
	RefreshPending   RefreshState = "pending"
	RefreshCompleted RefreshState = "completed"
	RefreshFailed    RefreshState = "failed"
)

// RefreshStatus is a data refresh request's "status" object.
type RefreshStatus struct {
	// Code is Ylytic's status code for the request: 201 while pending.
	Code Int `json:"code"`
	// Message is the state ("pending"). It is a control field: a value
	// of the wrong type fails the call with ErrUnexpectedResponse, since
	// the SDK cannot tell whether the request is done.
	Message RefreshState `json:"message" creatorkit:"control"`
	// RequestAt is when the request was made ("Tue, 30 Jan 2024 04:35:17
	// GMT"); ResponseAt when Ylytic answered it (null while pending).
	RequestAt  Time `json:"request_at"`
	ResponseAt Time `json:"response_at"`
}

// RefreshRequest is a data refresh request, as Create and Get return it.
// It has Raw and Response like every top-level result.
type RefreshRequest struct {
	// RequestID is Ylytic's id of the request: pass it to Get. A control
	// field.
	RequestID string `json:"request_id" creatorkit:"control"`
	// Request echoes what was asked.
	Request RefreshParams `json:"request"`
	// Data is Ylytic's "response" member: the refreshed data, null while
	// pending. Its shape is documented only in part (a growth_trends
	// object of engagement and follower trends) and is kept as sent.
	Data json.RawMessage `json:"response"`
	// Status is the request's state.
	Status RefreshStatus `json:"status"`

	// Raw is the response body as received.
	Raw json.RawMessage `json:"-"`
	// Response is the metadata of the response.
	Response *ResponseMeta `json:"-"`
}

// Pending reports a request Ylytic is still working on (status message
// "pending", in any case).
func (r *RefreshRequest) Pending() bool {
	return r != nil && strings.EqualFold(string(r.Status.Message), string(RefreshPending))
}

// Done reports a request that ended: a status message other than
// pending.
func (r *RefreshRequest) Done() bool { return r != nil && r.Status.Message != "" && !r.Pending() }

// Failed reports a request that ended without data: a status message of
// "failed" or "error", or a status code of 400 or more.
func (r *RefreshRequest) Failed() bool {
	if !r.Done() {
		return false
	}
	m := string(r.Status.Message)
	return strings.EqualFold(m, string(RefreshFailed)) || strings.EqualFold(m, "error") || r.Status.Code >= 400
}

// Succeeded reports a request that ended with data.
func (r *RefreshRequest) Succeeded() bool { return r.Done() && !r.Failed() }

// Create asks Ylytic to refresh a creator's or a post's data (POST
// /ylytic/api/v1/data_refresh/requests on the dashboard host) and returns
// the pending request; Get or GetAndWait read it later, CreateAndWait
// does both.
//
// Each Create makes a new request at Ylytic (a new request_id), so it is
// sent once: 429s and connections that fail before it is written are
// retried, but once it may have reached Ylytic (a 5xx, a dropped
// connection, a garbled answer) it is not sent again, and Create returns
// an error of kind ErrOutcomeUnknown. Ylytic offers no listing to look a
// lost request up; asking again makes a second request. Ylytic documents
// no price for a refresh, so nothing is counted as spent.
func (s *RefreshService) Create(ctx context.Context, p RefreshParams) (*RefreshRequest, error) {
	const op = "Refresh.Create"
	n, err := p.normalize(op)
	if err != nil {
		return nil, err
	}
	return s.create(ctx, op, n)
}

func (s *RefreshService) create(ctx context.Context, op string, n RefreshParams) (*RefreshRequest, error) {
	var r RefreshRequest
	if _, err := s.c.dash.Do(ctx, transport.Request{Op: op, Method: "POST", Path: pathRefresh, Route: pathRefresh, Body: n, Retry: transport.RetryOnce}, &r); err != nil {
		return nil, err
	}
	return s.c.checkRequest(op, &r)
}

// checkRequest refuses an answer without the fields the SDK goes on.
func (c *Client) checkRequest(op string, r *RefreshRequest) (*RefreshRequest, error) {
	switch {
	case strings.TrimSpace(r.RequestID) == "":
		return r, c.dash.Unexpected(op, "the answer carries no request_id")
	case r.Status.Message == "":
		return r, c.dash.Unexpected(op, "the answer carries no status message")
	}
	return r, nil
}

// Get reads a data refresh request by its id (GET
// /ylytic/api/v1/data_refresh/requests/{request_id} on the dashboard
// host). A request that ended without data comes back with an *ItemError
// next to it (errors.Is(err, ErrRefreshFailed); State is the status
// message). An unknown id is ErrNotFound (ASSUMPTION: Ylytic answers 404).
func (s *RefreshService) Get(ctx context.Context, requestID string) (*RefreshRequest, error) {
	const op = "Refresh.Get"
	if err := transport.Refuse(vendor, op, "request_id", check.PathParam(requestID)); err != nil {
		return nil, err
	}
	r, err := s.get(ctx, op, requestID)
	if err != nil {
		return r, err
	}
	if r.Failed() {
		return r, s.c.refreshFailed(requestID, r.Request, r)
	}
	return r, nil
}

func (s *RefreshService) get(ctx context.Context, op, requestID string) (*RefreshRequest, error) {
	var r RefreshRequest
	if _, err := s.c.dash.Do(ctx, transport.Request{Op: op, Method: "GET", Path: pathRefresh + "/" + requestID, Route: routeRefreshGet}, &r); err != nil {
		return nil, err
	}
	return s.c.checkRequest(op, &r)
}

// refreshFailed is the *ItemError of a request that ended without data,
// redacted like everything built from an answer. input is the request
// id or the identifier as the caller gave it.
func (c *Client) refreshFailed(input string, p RefreshParams, r *RefreshRequest) *ItemError {
	reason := "data refresh " + string(r.Status.Message)
	if r.Status.Code != 0 {
		reason += " (status code " + strconv.FormatInt(int64(r.Status.Code), 10) + ")"
	}
	if msg := dataMessage(r.Data); msg != "" {
		reason += ": " + msg
	}
	e := &ItemError{Vendor: vendor, Input: input, Item: p.Item(), ID: r.RequestID, State: string(r.Status.Message), Reason: reason, Err: ErrRefreshFailed}
	c.dash.RedactValue(e)
	return e
}

// dataMessage extracts a readable text from a failed request's
// "response" member: a string, or an object's message, error, reason or
// detail.
func dataMessage(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return check.Clip(s, 300)
	}
	var m map[string]json.RawMessage
	if json.Unmarshal(raw, &m) == nil {
		for _, k := range []string{"message", "error", "reason", "detail"} {
			if json.Unmarshal(m[k], &s) == nil && s != "" {
				return check.Clip(s, 300)
			}
		}
	}
	return ""
}
