package firstparty

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"

	"github.com/creatorkit/creatorkit-go/internal/check"
	"github.com/creatorkit/creatorkit-go/internal/jsonx"
	"github.com/creatorkit/creatorkit-go/internal/transport"
)

// VerificationService creates verification URLs and verifies creators:
// the two calls of Ylytic's consent flow. ConnectFlow strings them
// together with state handling for a web app.
type VerificationService struct{ c *Client }

// CreateVerificationURLParams are the inputs of CreateURL.
type CreateVerificationURLParams struct {
	// Platform is the network to connect: Instagram or YouTube.
	// Required; case is ignored. Sent as Ylytic's "connector".
	Platform Platform `json:"connector"`
	// RedirectURL is where Ylytic sends the creator back (with a token and
	// the state) when the connect flow ends. Required; an absolute http(s)
	// URL.
	RedirectURL string `json:"redirectUrl"`
	// State is your anti-forgery value, unique to the creator being
	// connected; NewState makes one. Required: at most 256 bytes, no
	// control or invisible characters, no leading or trailing spaces. Keep
	// it: Verify needs it, and the callback must carry it back.
	State string `json:"state"`
}

// VerificationURL is what Create Verification URL returns.
//
// RedirectURL and State are control fields: a value of the wrong type
// there fails the call with ErrUnexpectedResponse (the SDK hands
// RedirectURL to a browser and checks State against the one it sent).
//
// It has Raw (the body as received) and Response (the response's
// metadata).
type VerificationURL struct {
	// RedirectURL is Ylytic's connect page: send the creator's browser
	// there.
	RedirectURL string `json:"redirectUrl" creatorkit:"control"`
	// State echoes the state sent.
	State string `json:"state" creatorkit:"control"`

	// Raw is the response body as received.
	Raw json.RawMessage `json:"-"`
	// Response is the metadata of the response.
	Response *ResponseMeta `json:"-"`
}

// CreateURL asks Ylytic for the URL that takes a creator through the
// connect flow of the given network. A response whose redirectUrl is not
// an absolute http(s) URL is returned with ErrUnexpectedResponse. It spends
// nothing and is safe to repeat, so it is retried like a read: everything
// it sets up is keyed by your state, and a repeat with the same state
// gets the same connect page (ASSUMPTION: the documentation says the
// state identifies the creator being connected, not how a repeat is
// answered). A second copy can at worst leave an unused connect page.
func (s *VerificationService) CreateURL(ctx context.Context, p CreateVerificationURLParams) (*VerificationURL, error) {
	const op = "Verification.CreateURL"
	conn, err := normalizePlatform(op, p.Platform)
	if err != nil {
		return nil, err
	}
	if err := checkRedirectURL(op, p.RedirectURL); err != nil {
		return nil, err
	}
	if err := transport.Refuse(vendor, op, "state", check.ID(p.State)); err != nil {
		return nil, err
	}
	body := CreateVerificationURLParams{Platform: conn, RedirectURL: strings.TrimSpace(p.RedirectURL), State: p.State}
	var v VerificationURL
	if _, err := s.c.t.Do(ctx, transport.Request{Op: op, Method: "POST", Path: s.c.paths.CreateVerificationURL, Route: route(s.c.paths.CreateVerificationURL), Body: body, Retry: transport.RetryIdempotent}, &v); err != nil {
		return nil, err
	}
	if msg := check.HTTPURL(v.RedirectURL); msg != "" {
		// Never hand a browser redirect anything but an http(s) URL.
		return &v, s.c.t.Unexpected(op, "the response's redirectUrl: %s", msg)
	}
	return &v, nil
}

// VerifyCreatorParams are the inputs of Verify.
type VerifyCreatorParams struct {
	// State is the value passed to CreateURL. Required (the same rules as
	// CreateVerificationURLParams.State).
	State string `json:"state"`
	// Token is what the creator came back with on the redirect URL.
	// Required: at most 4096 bytes, no control or invisible characters,
	// no leading or trailing spaces.
	Token string `json:"token"`
}

// VerificationStatus is Verify Creator's status.
type VerificationStatus string

// VerificationSuccess is the only documented status; anything else is a
// failure.
const VerificationSuccess VerificationStatus = "success"

// Verification is what Verify Creator returns.
//
// State, Status and CreatorID are control fields: a value of the wrong
// type there fails the call with ErrUnexpectedResponse, since the SDK
// cannot tell whether (and whom) Ylytic verified. A value of the wrong
// type anywhere else is left empty and listed in
// Response.DecodeIssues.
//
// It has Raw (the body as received) and Response (the response's
// metadata).
type Verification struct {
	// State echoes the state sent; it must match it.
	State string `json:"state" creatorkit:"control"`
	// Status is "success" for a verified creator.
	Status VerificationStatus `json:"status" creatorkit:"control"`
	// Platform is the connected network, Ylytic's "connector"; empty when
	// a failed verification sends null.
	Platform Platform `json:"connector,omitempty"`
	// CreatorID is Ylytic's id of the creator: pass it to Insights.Get.
	// Empty when a failed verification sends null.
	CreatorID string `json:"creator_id,omitempty" creatorkit:"control"`
	// UserInfo is the connected account; nil when the response carries
	// none (a failed verification).
	UserInfo *UserInfo `json:"user_info"`
	// ErrorInfo is null on success. Its shape on failure is not documented
	// and is kept as sent.
	ErrorInfo json.RawMessage `json:"error_info"`

	// Raw is the response body as received.
	Raw json.RawMessage `json:"-"`
	// Response is the metadata of the response.
	Response *ResponseMeta `json:"-"`
}

// Succeeded reports a status of "success" with no error_info.
func (v *Verification) Succeeded() bool {
	return v != nil && v.Status == VerificationSuccess && isNull(v.ErrorInfo)
}

// UserInfo is the connected account. The typed fields are the documented
// Instagram ones; Extra keeps every other key (YouTube's fields are not
// documented) so nothing is lost, and a typed key sent as null or left
// out is re-encoded the same way.
type UserInfo struct {
	Name       string `json:"name"`
	Email      string `json:"email"`
	IGUserID   ID     `json:"ig_user_id"`
	IGUsername string `json:"ig_username"`
	// Extra holds the keys the SDK does not type, as sent.
	Extra map[string]json.RawMessage `json:"-"`

	sent map[string]json.RawMessage // the typed keys as sent
	orig userInfoFields             // the typed fields as decoded
}

type userInfoFields struct {
	Name       string `json:"name"`
	Email      string `json:"email"`
	IGUserID   ID     `json:"ig_user_id"`
	IGUsername string `json:"ig_username"`
}

func (u *UserInfo) fields() userInfoFields {
	return userInfoFields{Name: u.Name, Email: u.Email, IGUserID: u.IGUserID, IGUsername: u.IGUsername}
}

// decodeUserInfo is the tolerant decoding of a UserInfo (registered with
// jsonx.Register). a typed key whose value does
// not fit (a name sent as a number) is reported and left empty, and is
// re-encoded as it was sent; every other key is kept in Extra.
func decodeUserInfo(d *jsonx.Decoder, b []byte, u *UserInfo) {
	*u = UserInfo{}
	var all map[string]json.RawMessage
	if b = bytes.TrimSpace(b); len(b) == 0 || b[0] != '{' || json.Unmarshal(b, &all) != nil {
		d.Report(b, "firstparty.UserInfo", "")
		return
	}
	u.sent = make(map[string]json.RawMessage, 4)
	for k, v := range all {
		var dst any
		switch k {
		case "name":
			dst = &u.Name
		case "email":
			dst = &u.Email
		case "ig_user_id":
			dst = &u.IGUserID
		case "ig_username":
			dst = &u.IGUsername
		default:
			if u.Extra == nil {
				u.Extra = map[string]json.RawMessage{}
			}
			u.Extra[k] = v
			continue
		}
		u.sent[k] = v
		d.Field(k, v, dst)
	}
	u.orig = u.fields()
}

// UnmarshalJSON implements json.Unmarshaler.
func (u *UserInfo) UnmarshalJSON(b []byte) error { return jsonx.StrictFor(b, u) }

// MarshalJSON implements json.Marshaler. Typed fields that were not
// changed are written as they were sent (including null or absent).
func (u UserInfo) MarshalJSON() ([]byte, error) {
	out := make(map[string]json.RawMessage, 4+len(u.Extra))
	for k, v := range u.Extra {
		out[k] = v
	}
	cur := u.fields()
	for _, f := range []struct {
		key          string
		now          any
		zero, edited bool
	}{
		{"name", cur.Name, cur.Name == "", cur.Name != u.orig.Name},
		{"email", cur.Email, cur.Email == "", cur.Email != u.orig.Email},
		{"ig_user_id", cur.IGUserID, cur.IGUserID == "", cur.IGUserID != u.orig.IGUserID},
		{"ig_username", cur.IGUsername, cur.IGUsername == "", cur.IGUsername != u.orig.IGUsername},
	} {
		raw, sent := u.sent[f.key]
		switch {
		case sent && !f.edited:
			out[f.key] = raw
		case f.edited || !f.zero || u.sent == nil:
			b, err := json.Marshal(f.now)
			if err != nil {
				return nil, err
			}
			out[f.key] = b
		}
	}
	return json.Marshal(out)
}

// Get returns a user_info value as a string (a number's digits, "" when
// absent, also on a nil UserInfo), typed or not: Get("ig_username"), or
// a YouTube key.
func (u *UserInfo) Get(key string) string {
	if u == nil {
		return ""
	}
	switch key {
	case "name":
		return u.Name
	case "email":
		return u.Email
	case "ig_user_id":
		return string(u.IGUserID)
	case "ig_username":
		return u.IGUsername
	}
	raw, ok := u.Extra[key]
	if !ok || isNull(raw) {
		return ""
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	return string(bytes.TrimSpace(raw))
}

// Verify exchanges the state and the token the creator came back with for
// the creator's id and account. A status other than "success" or a
// non-null error_info returns the decoded response together with a
// *VerificationError (errors.Is(err, ErrVerificationFailed)).
//
// Verify spends nothing, but it is not safe to resend blindly: it
// exchanges a token the creator brought back from Ylytic's connect page,
// and such tokens are commonly single-use (Ylytic does not say), so a
// second copy of a request that verified the creator could be answered
// with a failure, or undo the first. So the request is sent once: 429s
// and connections that fail before it is written are retried, but once it
// may have reached Ylytic (a dropped connection, a 5xx, a garbled answer)
// neither the transport nor net/http sends it again, and Verify returns
// an error of kind ErrOutcomeUnknown. Asking again with the same state and
// token is then the caller's decision; ConnectFlow.Complete makes it (see
// there).
//
// Verify does not check that the state is one you issued: the callback
// handler of ConnectFlow does that before calling it.
func (s *VerificationService) Verify(ctx context.Context, p VerifyCreatorParams) (*Verification, error) {
	const op = "Verification.Verify"
	if err := transport.Refuse(vendor, op, "state", check.ID(p.State)); err != nil {
		return nil, err
	}
	if err := transport.Refuse(vendor, op, "token", check.Token(p.Token)); err != nil {
		return nil, err
	}
	var v Verification
	if _, err := s.c.t.Do(ctx, transport.Request{Op: op, Method: "POST", Path: s.c.paths.VerifyCreator, Route: route(s.c.paths.VerifyCreator), Body: p, Retry: transport.RetryOnce}, &v); err != nil {
		return nil, err
	}
	if !v.Succeeded() {
		ve := &VerificationError{State: p.State, Status: v.Status, ErrorInfo: v.ErrorInfo}
		s.c.t.RedactValue(ve)
		return &v, ve
	}
	if v.State != "" && v.State != p.State {
		return &v, s.c.t.Unexpected(op, "the response is for another state")
	}
	if v.CreatorID == "" {
		return &v, s.c.t.Unexpected(op, "a successful verification carries no creator_id")
	}
	return &v, nil
}

func isNull(b []byte) bool {
	b = bytes.TrimSpace(b)
	return len(b) == 0 || bytes.Equal(b, []byte("null"))
}

func init() { jsonx.Register(decodeUserInfo) }
