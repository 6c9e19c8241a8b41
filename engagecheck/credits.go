package engagecheck

import (
	"context"
	"encoding/json"

	"github.com/creatorkit/creatorkit-go/internal/transport"
)

// CreditsService reads the key's balance.
type CreditsService struct{ c *Client }

// Credits is the key's balance and limits, with Raw and Response.
// CreditsRemaining is a control field (CreateAndWaitAll sizes a roster on
// it): an answer where it does not fit is ErrUnexpectedResponse.
type Credits struct {
	CreditsRemaining int64 `json:"credits_remaining" creatorkit:"control"`
	// RateLimitPerMin is the key's per-minute request limit.
	RateLimitPerMin int `json:"rate_limit_per_min"`
	// KeyPrefix identifies the key without exposing it ("ec_live_8Fq2Zx").
	KeyPrefix string `json:"key_prefix"`

	// Raw is the response body as received.
	Raw json.RawMessage `json:"-"`
	// Response is the metadata of the response.
	Response *ResponseMeta `json:"-"`
}

// Get returns the credits left on the key, its rate limit and its prefix.
// Free; also a cheap way to check a key works.
func (s *CreditsService) Get(ctx context.Context) (*Credits, error) {
	var c Credits
	const op = "Credits.Get"
	if err := s.c.do(ctx, transport.Request{Op: op, Method: "GET", Path: "credits", Route: routeCredits}, &c); err != nil {
		return nil, err
	}
	// The balance is the answer: one that does not say it (null, absent)
	// must not read as 0 credits.
	var present struct {
		CreditsRemaining json.RawMessage `json:"credits_remaining"`
	}
	if json.Unmarshal(c.Raw, &present) != nil || present.CreditsRemaining == nil || string(present.CreditsRemaining) == "null" {
		e := transport.NewError(vendor, op, ErrUnexpectedResponse, "the answer does not say credits_remaining")
		e.Method, e.StatusCode = "GET", c.Response.StatusCode
		return nil, e
	}
	return &c, nil
}
