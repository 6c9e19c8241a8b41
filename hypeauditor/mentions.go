package hypeauditor

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"

	"github.com/creatorkit/creatorkit-go/internal/transport"
)

// BrandMentionsParams select the channel whose brand mentions to read:
// Platform is TikTok or YouTube (the two platforms with the method), and
// Channel the TikTok username or the YouTube channel id or handle (one
// leading "@" is dropped).
type BrandMentionsParams struct {
	Platform Platform
	Channel  string
}

// brandMentionPaths are the methods per network [CLIENT].
var brandMentionPaths = map[Platform]string{TikTok: "auditor.tiktokBrandMentions", YouTube: "auditor.youtubeBrandMentions"}

// BrandMentions is the answer of auditor.tiktokBrandMentions and
// auditor.youtubeBrandMentions: the brands a creator mentioned. The
// methods and their channel parameter come from real clients; one of
// them reads result.mentions (performance per period), result.users
// (the accounts the mentions name) and result.posts (the posts with
// their metrics) [CLIENT]. No answer is published, so the three stay as
// received: decode them into your own types with Decode.
//
// Cost: free once the report is unlocked [INFERRED, as Account Media];
// before that HypeAuditor may answer 403 code 15 Access denied
// (ErrForbidden). A request for an account whose report is not unlocked
// is refused rather than unlocking it (as Account Media is [CLIENT]), so
// the call spends nothing either way, whether or not this client has seen
// the report unlocked: it reserves nothing against WithBudget, counts no
// spend in Usage and is retried like any GET.
//
// It has Raw (the body as received) and Response (the response's metadata:
// status, request id, headers, DecodeIssues).
type BrandMentions struct {
	// Platform is the network asked for (set by the SDK, not sent by the
	// API).
	Platform Platform        `json:"-"`
	Mentions json.RawMessage `json:"mentions,omitzero"`
	Users    json.RawMessage `json:"users,omitzero"`
	Posts    json.RawMessage `json:"posts,omitzero"`

	// Raw is the response body as received.
	Raw json.RawMessage `json:"-"`
	// Response is the metadata of the response.
	Response *ResponseMeta `json:"-"`
}

// Decode unmarshals one part of the answer ("mentions", "users" or
// "posts") into out; it reports whether the part was there and fitted.
func (m *BrandMentions) Decode(part string, out any) bool {
	if m == nil {
		return false
	}
	raw := map[string]json.RawMessage{"mentions": m.Mentions, "users": m.Users, "posts": m.Posts}[part]
	if len(raw) == 0 || firstByte(raw) == 'n' {
		return false
	}
	return json.Unmarshal(raw, out) == nil
}

// BrandMentions returns the brands a TikTok or YouTube creator mentioned
// (see BrandMentions for the sources and the cost).
func (s *ReportsService) BrandMentions(ctx context.Context, p BrandMentionsParams) (*BrandMentions, error) {
	const op = "Reports.BrandMentions"
	path, ok := brandMentionPaths[p.Platform]
	if !ok {
		return nil, invalidParams(op, "platform", "brand mentions exist for tiktok and youtube, got %q", p.Platform)
	}
	var ch string
	var err error
	if p.Platform == YouTube {
		ch, err = youTubeChannel(op, "channel", p.Channel)
	} else {
		ch, err = handle(op, "channel", p.Channel)
	}
	if err != nil {
		return nil, err
	}
	m, err := doResult[BrandMentions](ctx, s.c, transport.Request{Op: op, Method: http.MethodGet, Path: path, Query: url.Values{"channel": {ch}}})
	if m != nil {
		m.Platform = p.Platform
	}
	return m, err
}
