package engagecheck

import (
	"context"
	"encoding/json"

	"github.com/creatorkit/creatorkit-go/internal/transport"
)

// CreditsService reads the key's balance.
type CreditsService struct{ c *Client }

// Credits is the key's balance and limits.
type Credits struct {
	CreditsRemaining int `json:"credits_remaining"`
	// RateLimitPerMin is the key's per-minute request limit.
	RateLimitPerMin int `json:"rate_limit_per_min"`
	// KeyPrefix identifies the key without exposing it ("ec_live_8Fq2Zx").
	KeyPrefix string `json:"key_prefix"`

	Raw      json.RawMessage `json:"-"`
	Response *ResponseMeta   `json:"-"`
}

// Get returns the credits left on the key, its rate limit and its prefix.
// Free; also a cheap way to check a key works.
func (s *CreditsService) Get(ctx context.Context) (*Credits, error) {
	var c Credits
	if _, err := s.c.t.Do(ctx, transport.Request{Op: "Credits.Get", Method: "GET", Path: "credits"}, &c); err != nil {
		return nil, err
	}
	return &c, nil
}
