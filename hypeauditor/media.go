package hypeauditor

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"

	"github.com/creatorkit/creatorkit-go/internal/transport"
)

// MediaParams select the Instagram account whose media to list.
type MediaParams struct {
	// Username without "@".
	Username string
	// Type is sent as the type parameter when set, as real clients do
	// [CLIENT]; its values are not documented, so any well-formed value is
	// sent (lowercase letters, digits and underscores).
	Type string
}

// AccountMedia is the answer of Account Media (auditor.reportMedia): the
// account's recent media keyed by media id.
//
// The documentation names the endpoint "Account Media" but its page could
// not be read: the method name, the username parameter and this shape
// come from open-source clients [CLIENT] (a third-party summary calls it
// auditor.instagramAccountMedia instead). The raw body is kept.
//
// It has Raw (the body as received) and Response (the response's metadata:
// status, request id, headers, DecodeIssues).
type AccountMedia struct {
	Media map[string]MediaItem `json:"media,omitzero"`

	// Raw is the response body as received.
	Raw json.RawMessage `json:"-"`
	// Response is the metadata of the response.
	Response *ResponseMeta `json:"-"`
}

// MediaItem is one post, reel, IGTV video or carousel.
type MediaItem struct {
	Basic   MediaBasic   `json:"basic,omitzero"`
	Metrics MediaMetrics `json:"metrics,omitzero"`
}

// MediaBasic identifies a media item; Type is post, reel, igtv or
// carousel.
type MediaBasic struct {
	ID         ID     `json:"id,omitempty"`
	Code       string `json:"code,omitempty"`
	Type       string `json:"type,omitempty"`
	TimePosted *Time  `json:"time_posted,omitempty"`
	Caption    string `json:"caption,omitempty"`
}

// MediaMetrics are a media item's counts and engagement rate.
type MediaMetrics struct {
	LikesCount      *Float  `json:"likes_count,omitempty"`
	CommentsCount   *Float  `json:"comments_count,omitempty"`
	VideoViewsCount *Float  `json:"video_views_count,omitempty"`
	ER              *Metric `json:"er,omitempty"`
	ERMark          string  `json:"er_mark,omitempty"`
}

// Media returns an Instagram account's recent media. Free once the
// report is unlocked; before that HypeAuditor answers 403 with code 15
// Access denied (ErrForbidden; CodeOf(err) == CodeAccessDenied).
func (s *ReportsService) Media(ctx context.Context, p MediaParams) (*AccountMedia, error) {
	const op = "Reports.Media"
	name, err := instagramHandle(op, "username", p.Username)
	if err != nil {
		return nil, err
	}
	q := url.Values{"username": {name}}
	if err := setType(op, q, p.Type); err != nil {
		return nil, err
	}
	return doResult[AccountMedia](ctx, s.c, transport.Request{Op: op, Method: http.MethodGet, Path: "auditor.reportMedia", Query: q}, "result.media")
}
