package hypeauditor

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"

	"github.com/creatorkit/creatorkit-go/internal/transport"
)

// SuggestParams look accounts up by name or handle.
type SuggestParams struct {
	// Search is a name or handle. Required.
	Search string
	// Platform limits the suggestions to one network ("" for all).
	Platform Platform
	// Exclude leaves networks out.
	Exclude []Platform
}

// Suggestions are the accounts matching a name.
//
// It has Raw (the body as received) and Response (the response's metadata:
// status, request id, headers, DecodeIssues).
type Suggestions struct {
	List []Suggestion `json:"list"`

	// Raw is the response body as received.
	Raw json.RawMessage `json:"-"`
	// Response is the metadata of the response.
	Response *ResponseMeta `json:"-"`
}

// Suggestion is one matching account. AvatarURL and SocialID are
// [INFERRED] from clients.
type Suggestion struct {
	Title            string          `json:"title,omitempty"`
	Username         string          `json:"username,omitempty"`
	Type             Platform        `json:"type,omitempty"`
	SubscribersCount *Float          `json:"subscribers_count,omitempty"`
	IsVerified       *bool           `json:"is_verified,omitempty"`
	AvatarURL        string          `json:"avatar_url,omitempty"`
	SocialID         ID              `json:"social_id,omitempty"`
	SocialNetworks   []SocialNetwork `json:"social_networks,omitzero"`
}

// Suggest returns accounts whose name or handle matches
// (auditor.suggester). Free. No official page could be read: the method,
// its parameters (search, st, exclSt) and the answer come from clients
// [CLIENT].
func (s *DiscoveryService) Suggest(ctx context.Context, p SuggestParams) (*Suggestions, error) {
	const op = "Discovery.Suggest"
	term := p.Search
	if strings.TrimSpace(term) == "" {
		return nil, invalidParams(op, "search", "search is required")
	}
	if err := text(op, "search", term); err != nil {
		return nil, err
	}
	q := url.Values{"search": {term}}
	if p.Platform != "" {
		if err := checkPlatform(op, "st", p.Platform); err != nil {
			return nil, err
		}
		q.Set("st", string(p.Platform))
	}
	if len(p.Exclude) > 0 {
		ex := make([]string, len(p.Exclude))
		for i, n := range p.Exclude {
			if err := checkPlatform(op, "exclSt", n); err != nil {
				return nil, err
			}
			ex[i] = string(n)
		}
		q.Set("exclSt", strings.Join(ex, ","))
	}
	return doResult[Suggestions](ctx, s.c, transport.Request{Op: op, Method: http.MethodGet, Path: "auditor.suggester", Query: q}, "result.list")
}
