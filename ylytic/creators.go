package ylytic

import (
	"context"
	"encoding/json"
	"net/url"
	"strings"

	"github.com/creatorkit/creatorkit-go/internal/transport"
)

// CreatorsService adds creators to the dashboard and reads their status:
// Ylytic's Third Party API (public data and insights of creators by
// profile URL, on the third-party host).
type CreatorsService struct{ c *Client }

// maxHandles caps one Add or Status call. Ylytic documents no limit; the
// cap keeps a body to a reasonable size (split larger rosters).
const maxHandles = 1000

// AddCreatorsParams are the inputs of Creators.Add.
type AddCreatorsParams struct {
	// Handles are the creators' profile URLs, as Ylytic's examples send
	// them ("https://www.instagram.com/<handle>/",
	// "https://www.youtube.com/@<handle>", "https://www.tiktok.com/@<handle>";
	// ProfileURL builds one). Required: 1 to 1,000 absolute http(s) URLs
	// without control or invisible characters or spaces.
	Handles []string `json:"handles"`
}

// CreatorsStatusParams are the inputs of Creators.Status.
type CreatorsStatusParams struct {
	// Handles are the profile URLs to look up, as given to Add (the same
	// rules).
	Handles []string `json:"handles"`
}

func checkHandles(op string, handles []string) error {
	switch {
	case len(handles) == 0:
		return invalidParams(op, "handles", "at least one profile URL is required")
	case len(handles) > maxHandles:
		return invalidParams(op, "handles", "%d profile URLs; at most %d a call", len(handles), maxHandles)
	}
	for _, h := range handles {
		if err := checkURL(op, "handles", h); err != nil {
			return err
		}
	}
	return nil
}

// ProfileURL returns the profile URL Ylytic's examples use for a handle
// ("@" and surrounding spaces dropped): https://www.instagram.com/<h>/,
// https://www.youtube.com/@<h>, https://www.tiktok.com/@<h>. The handle
// is path-escaped; an unknown platform gives "".
func ProfileURL(p Platform, handle string) string {
	h := url.PathEscape(strings.TrimPrefix(strings.TrimSpace(handle), "@"))
	switch Platform(trimLower(string(p))) {
	case Instagram:
		return "https://www.instagram.com/" + h + "/"
	case YouTube:
		return "https://www.youtube.com/@" + h
	case TikTok:
		return "https://www.tiktok.com/@" + h
	}
	return ""
}

// Ack is the answer of a call that only says whether Ylytic did it:
// {"status":"success"} (Creators.Add and Shopify.Connect document it;
// Campaigns.UpdateShortLinks is assumed to answer the same). It has Raw
// and Response like every top-level result.
type Ack struct {
	// Status is "success" when Ylytic did what was asked; empty when the
	// answer carries none (then the 2xx status is taken as success). A
	// control field: a value of the wrong type fails the call with
	// ErrUnexpectedResponse, since the SDK cannot tell whether Ylytic did
	// it.
	Status string `json:"status,omitempty" creatorkit:"control"`

	// Raw is the response body as received.
	Raw json.RawMessage `json:"-"`
	// Response is the metadata of the response.
	Response *ResponseMeta `json:"-"`
}

// Succeeded reports a status of "success" (in any case), or none.
func (a *Ack) Succeeded() bool {
	return a != nil && (a.Status == "" || strings.EqualFold(a.Status, "success"))
}

// ack sends a call whose answer is an Ack and turns a status other than
// "success" into an ErrRefused error next to it.
func (c *Client) ack(ctx context.Context, t *transport.Client, req transport.Request) (*Ack, error) {
	var a Ack
	if _, err := t.Do(ctx, req, &a); err != nil {
		return nil, err
	}
	if !a.Succeeded() {
		return &a, refused(t, req.Op, a.Status, a.Response)
	}
	return &a, nil
}

// Add adds creators to the dashboard by profile URL (POST
// /ylytic/admin/api/v1/creators on the third-party host); Ylytic then
// collects their public data. It answers {"status":"success"}; any other
// status comes back with an ErrRefused error next to the Ack.
//
// Add is retried like a read after a 5xx or a lost connection: adding a
// creator the dashboard already holds is taken to change nothing
// (ASSUMPTION: Ylytic keys the dashboard's creators by profile, and says
// nothing about duplicates), and Ylytic documents no price per creator.
func (s *CreatorsService) Add(ctx context.Context, p AddCreatorsParams) (*Ack, error) {
	const op = "Creators.Add"
	if err := checkHandles(op, p.Handles); err != nil {
		return nil, err
	}
	return s.c.ack(ctx, s.c.third, transport.Request{Op: op, Method: "POST", Path: pathCreators, Route: pathCreators, Body: p, Retry: transport.RetryIdempotent})
}

// CreatorState is a creator's status on the dashboard. Ylytic documents
// one value, "expired"; others are passed on as sent.
type CreatorState string

// CreatorExpired is the documented status ("expired"): the creator's
// data is no longer being kept current.
const CreatorExpired CreatorState = "expired"

// CreatorStatus is one creator in a Status answer.
type CreatorStatus struct {
	// HandleURL is the profile URL as given.
	HandleURL string `json:"handle_url"`
	// Handle is the handle Ylytic read from it ("@taniyaghosh" for
	// YouTube, as sent).
	Handle string `json:"handle"`
	// Platform is the network (wire name "connector").
	Platform Platform `json:"connector"`
	// Status is the creator's status ("expired", ...).
	Status CreatorState `json:"status"`
}

// CreatorsStatus is the answer of Creators.Status. It has Raw and
// Response like every top-level result.
type CreatorsStatus struct {
	// Data holds one entry per creator Ylytic answered for.
	Data []CreatorStatus `json:"data"`

	// Raw is the response body as received.
	Raw json.RawMessage `json:"-"`
	// Response is the metadata of the response.
	Response *ResponseMeta `json:"-"`
}

// Find returns the entry for a profile URL as given (compared without
// case and a trailing slash), or nil.
func (s *CreatorsStatus) Find(handleURL string) *CreatorStatus {
	if s == nil {
		return nil
	}
	want := strings.TrimSuffix(strings.ToLower(strings.TrimSpace(handleURL)), "/")
	for i := range s.Data {
		if strings.TrimSuffix(strings.ToLower(s.Data[i].HandleURL), "/") == want {
			return &s.Data[i]
		}
	}
	return nil
}

// Status reads the status of creators on the dashboard by profile URL
// (POST /ylytic/admin/api/v1/creators/status on the third-party host). It
// reads only, so it is retried like a GET.
func (s *CreatorsService) Status(ctx context.Context, p CreatorsStatusParams) (*CreatorsStatus, error) {
	const op = "Creators.Status"
	if err := checkHandles(op, p.Handles); err != nil {
		return nil, err
	}
	var out CreatorsStatus
	if _, err := s.c.third.Do(ctx, transport.Request{Op: op, Method: "POST", Path: pathCreatorsStatus, Route: pathCreatorsStatus, Body: p, Retry: transport.RetryIdempotent}, &out); err != nil {
		return nil, err
	}
	return &out, nil
}
