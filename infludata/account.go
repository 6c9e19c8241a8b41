package infludata

import (
	"context"
	"encoding/json"
	"net/url"

	"github.com/creatorkit/creatorkit-go/internal/check"
	"github.com/creatorkit/creatorkit-go/internal/transport"
)

// AccountService reads the key's account and balance.
type AccountService struct{ c *Client }

// ClientInfoParams are the inputs of Get.
type ClientInfoParams struct {
	// ClientID is the client id returned when the key was issued (trial
	// keys: "trial-..." from verifyTrialKey). The web docs mark it
	// required; the README makes it optional (default "default"), so an
	// empty ClientID is not sent. Any other value must pass the identifier
	// policy (not blank or padded, no spaces, control or invisible
	// characters, none of '%', '/', '\', '?', '#').
	ClientID string
}

// ClientInfo is the account and its remaining request balance.
//
// It has Raw (the response body as received) and Response (the
// response's metadata: status, request id, headers, decode issues).
type ClientInfo struct {
	ClientID string `json:"clientId"`
	// ReportsLeft is the remaining request balance (tokens).
	ReportsLeft int `json:"reportsLeft"`
	// Reports are the token packages on the account.
	Reports     []TokenPackage `json:"reports"`
	CreatedDate *Time          `json:"createdDate,omitempty"`
	LastUsed    *Time          `json:"lastUsed,omitempty"`

	Raw      json.RawMessage `json:"-"`
	Response *ResponseMeta   `json:"-"`
}

// TokenPackage is one package of tokens (README).
type TokenPackage struct {
	Package         string `json:"package"`
	TokensRemaining int    `json:"tokensRemaining"`
	// ExpirationDate is a plain date ("2025-04-21").
	ExpirationDate *Time `json:"expirationDate,omitempty"`
}

// Get returns the account and its remaining balance (getClientInfo). Free;
// also a cheap way to check that a key works. The balance is remembered:
// Client.TokensRemaining.
func (s *AccountService) Get(ctx context.Context, p ClientInfoParams) (*ClientInfo, error) {
	q := url.Values{}
	if id := p.ClientID; id != "" {
		if msg := check.Handle(id); msg != "" {
			return nil, invalidParams(opAccount, "clientId", "client id %s", msg)
		}
		q.Set("clientId", id)
	}
	var ci ClientInfo
	if _, err := s.c.t.Do(ctx, transport.Request{Op: opAccount, Method: "GET", Path: "getClientInfo", Route: "getClientInfo", Query: q}, &ci); err != nil {
		return nil, err
	}
	s.c.balance.Store(int64(ci.ReportsLeft))
	return &ci, nil
}
