package creatoraudit

import (
	"context"
	"encoding/json"
	"net/url"
	"strconv"
	"unicode/utf8"

	"github.com/creatorkit/creatorkit-go/internal/transport"
)

// SearchService finds accounts, creators and videos by substring.
type SearchService struct{ c *Client }

// SearchParams are the inputs of Query.
type SearchParams struct {
	// Q is a case-insensitive substring of account usernames, creator
	// names and video captions, at most 128 characters. An empty or blank
	// Q returns empty sections.
	Q string
	// Limit is the most matches per section, 1 to 25 (API default 10).
	Limit int
}

// MaxSearchQuery is the longest Q.
const MaxSearchQuery = 128

// SearchResults are the matches, one section per entity type.
//
// It has Raw (the body as received) and Response (the response's
// metadata).
type SearchResults struct {
	Data SearchSections `json:"data"`
	Meta SearchMeta     `json:"meta"`
	// Raw is the whole response body as received ({"data": ...}); empty
	// for a 304 Not Modified answer that the client did not have cached.
	Raw json.RawMessage `json:"-"`
	// Response is the metadata of the response: status, RequestID
	// (X-Request-ID), rate-limit headers, the ETag
	// (Response.GetHeader("ETag")), decode issues.
	Response *ResponseMeta `json:"-"`
}

// SearchSections hold the matches per entity type.
type SearchSections struct {
	Accounts []SearchAccount `json:"accounts"`
	Creators []SearchCreator `json:"creators"`
	Videos   []SearchVideo   `json:"videos"`
}

// SearchAccount is an account match. A match whose id cannot be read is
// skipped (a bad match costs only that match): its path is in the
// result's Response.DecodeIssues.
type SearchAccount struct {
	ID          string   `json:"id" creatorkit:"control"`
	Platform    Platform `json:"platform"`
	Username    string   `json:"username"`
	DisplayName string   `json:"display_name"`
}

// SearchCreator is a creator match; one whose id cannot be read is
// skipped (see SearchAccount).
type SearchCreator struct {
	ID   string `json:"id" creatorkit:"control"`
	Name string `json:"name"`
}

// SearchVideo is a video match; one whose id cannot be read is skipped
// (see SearchAccount).
type SearchVideo struct {
	ID              string   `json:"id" creatorkit:"control"`
	Platform        Platform `json:"platform"`
	Caption         string   `json:"caption"`
	AccountID       *string  `json:"account_id"`
	AccountUsername string   `json:"account_username"`
}

// SearchMeta describes the search that ran.
type SearchMeta struct {
	Query           string `json:"query"`
	LimitPerSection int    `json:"limit_per_section"`
	// EffectiveCaps are min(limit, the server's cap) per section: they may
	// be lower than the limit asked for.
	EffectiveCaps SectionCaps `json:"effective_caps"`
}

// SectionCaps are per-section match caps.
type SectionCaps struct {
	Accounts int `json:"accounts"`
	Creators int `json:"creators"`
	Videos   int `json:"videos"`
}

// Query searches accounts, creators and videos (GET /search).
func (s *SearchService) Query(ctx context.Context, p SearchParams) (*SearchResults, error) {
	const op = "Search.Query"
	if n := utf8.RuneCountInString(p.Q); n > MaxSearchQuery {
		return nil, invalidParams(op, "q", "q is at most %d characters, got %d", MaxSearchQuery, n)
	}
	if err := checkLimit(op, p.Limit, MaxSearchLimit); err != nil {
		return nil, err
	}
	q := url.Values{}
	q.Set("q", p.Q)
	if p.Limit > 0 {
		q.Set("limit", strconv.Itoa(p.Limit))
	}
	var raw rawSearch
	if _, err := s.c.do(ctx, transport.Request{Op: op, Method: "GET", Path: s.c.paths.Search, Route: s.c.paths.Search, Query: q}, callConfig{}, &raw); err != nil {
		return nil, err
	}
	// A bad match costs only that match (see rowReader).
	rr := rowReader{c: s.c, op: op}
	out := &SearchResults{Meta: raw.Meta, Raw: raw.Raw, Response: raw.Response, Data: SearchSections{
		Accounts: readRows[SearchAccount](&rr, "data.accounts", raw.Data.Accounts),
		Creators: readRows[SearchCreator](&rr, "data.creators", raw.Data.Creators),
		Videos:   readRows[SearchVideo](&rr, "data.videos", raw.Data.Videos),
	}}
	if err := rr.done(out.Response); err != nil {
		return nil, err
	}
	return out, nil
}

// rawSearch is a search answer with its matches kept as sent.
type rawSearch struct {
	Data struct {
		Accounts []json.RawMessage `json:"accounts"`
		Creators []json.RawMessage `json:"creators"`
		Videos   []json.RawMessage `json:"videos"`
	} `json:"data"`
	Meta     SearchMeta      `json:"meta"`
	Raw      json.RawMessage `json:"-"`
	Response *ResponseMeta   `json:"-"`
}
