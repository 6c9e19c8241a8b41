package creatoraudit

import (
	"context"
	"encoding/json"
	"iter"
	"net/url"
	"strconv"
	"strings"

	"github.com/creatorkit/creatorkit-go/internal/check"
	"github.com/creatorkit/creatorkit-go/internal/transport"
)

// VideosService tracks individual videos: posts you add yourself by URL,
// shortcode or platform id, even when you do not track the account.
type VideosService struct{ c *Client }

// Video is an individual video or an account video (the same shape).
// Counts and nullable times are pointers; SavedCount is nil on TikTok.
// ID is its control field (see Account).
//
// Like every top-level result it has Raw (the body as received) and
// Response (the response's metadata); a Video yielded by a ListAll
// iterator or in a Page has neither (the page has them).
type Video struct {
	// ID is a UUID for individual videos. Account videos are also
	// addressed by internal integer ids (see InternalID). A control field.
	ID                  ID       `json:"id" creatorkit:"control"`
	Type                string   `json:"type"`
	Platform            Platform `json:"platform"`
	ExternalID          string   `json:"external_id"`
	Shortcode           string   `json:"shortcode"`
	IsActive            bool     `json:"is_active"`
	ScrapeIntervalHours *int     `json:"scrape_interval_hours"`
	Metadata            Metadata `json:"metadata"`
	AddedAt             *Time    `json:"added_at"`
	UpdatedAt           *Time    `json:"updated_at"`
	FirstScrapeTime     *Time    `json:"first_scrape_time"`
	LastScrapeTime      *Time    `json:"last_scrape_time"`
	Description         string   `json:"description"`
	// CreateTime is when the post was published on the platform.
	CreateTime *Time  `json:"create_time"`
	MediaType  string `json:"media_type"`
	// Duration is in seconds.
	Duration              *float64 `json:"duration"`
	IsUnavailable         bool     `json:"is_unavailable"`
	CoverImageURL         string   `json:"cover_image_url"`
	CoverImageURLOriginal string   `json:"cover_image_url_original"`
	VideoURL              string   `json:"video_url"`
	VideoURLOriginal      string   `json:"video_url_original"`
	ViewCount             *int64   `json:"view_count"`
	LikeCount             *int64   `json:"like_count"`
	CommentCount          *int64   `json:"comment_count"`
	ShareCount            *int64   `json:"share_count"`
	PlayCount             *int64   `json:"play_count"`
	SavedCount            *int64   `json:"saved_count"`
	TotalViews            *int64   `json:"total_views"`
	TotalPlays            *int64   `json:"total_plays"`
	AccountID             *string  `json:"account_id"`
	AccountUsername       string   `json:"account_username"`
	PlatformAccountID     string   `json:"platform_account_id"`
	// PlatformData is the platform's own payload, kept as received.
	PlatformData json.RawMessage `json:"platform_data"`

	// Raw is the whole response body as received ({"data": ...}); empty
	// for a 304 Not Modified answer that the client did not have cached.
	Raw json.RawMessage `json:"-"`
	// Response is the metadata of the response: status, RequestID
	// (X-Request-ID), rate-limit headers, the ETag
	// (Response.GetHeader("ETag")), decode issues.
	Response *ResponseMeta `json:"-"`
}

// Scraped reports whether CreatorAudit has refreshed the video at least
// once (last_scrape_time is set).
func (v *Video) Scraped() bool {
	return v != nil && v.LastScrapeTime != nil && !v.LastScrapeTime.IsZero()
}

// InternalID returns the video's id as an integer when it is one: the
// internal id POST /account-videos/metrics takes. [inferred] Where account
// videos expose these ids is not confirmed by the documentation; ok is
// false for a UUID.
func (v *Video) InternalID() (id int64, ok bool) {
	n, err := strconv.ParseInt(string(v.ID), 10, 64)
	return n, err == nil && n > 0
}

// ListVideosParams filter, sort and page GET /videos and GET
// /account-videos.
type ListVideosParams struct {
	// Limit is the page size, 1 to 200; 0 means the API default (50) for
	// List and 200 for ListAll.
	Limit int
	// Cursor is the next_cursor of an earlier page; see
	// ListAccountsParams.Cursor.
	Cursor       string
	IncludeTotal bool

	// AccountID lists the videos of one account.
	AccountID string
	// [inferred] Platform, IsActive and Q are documented as common filters
	// but not confirmed on the video lists.
	Platform Platform
	IsActive *bool
	Q        string

	// OrderBy is added_at (individual videos only), create_time,
	// view_count, like_count or play_count.
	OrderBy        string
	OrderDirection OrderDirection
	// Sort is the legacy signed form ("-added_at").
	Sort string
}

func (p ListVideosParams) filters(op string, orderBy ...string) (url.Values, error) {
	if err := checkLimit(op, p.Limit, MaxListLimit); err != nil {
		return nil, err
	}
	q := url.Values{}
	if p.AccountID != "" {
		id, err := checkValueID(op, "account_id", p.AccountID)
		if err != nil {
			return nil, err
		}
		q.Set("account_id", id)
	}
	pl, err := normPlatform(op, p.Platform, false)
	if err != nil {
		return nil, err
	}
	if pl != "" {
		q.Set("platform", string(pl))
	}
	setBool(q, "is_active", p.IsActive)
	if s := strings.TrimSpace(p.Q); s != "" {
		q.Set("q", s)
	}
	return q, sortQuery(op, q, p.OrderBy, p.OrderDirection, p.Sort, orderBy...)
}

var videoOrder = []string{"added_at", "create_time", "view_count", "like_count", "play_count"}

// List returns one page of tracked individual videos.
func (s *VideosService) List(ctx context.Context, p ListVideosParams) (*VideoList, error) {
	const op = "Videos.List"
	q, err := p.filters(op, videoOrder...)
	if err != nil {
		return nil, err
	}
	return listPage[Video](ctx, s.c, op, s.c.paths.Videos, q, pageParams{limit: p.Limit, cursor: p.Cursor, includeTotal: p.IncludeTotal})
}

// ListAll iterates over every tracked individual video matching p,
// lazily, as AccountsService.ListAll does (opts cap it).
func (s *VideosService) ListAll(ctx context.Context, p ListVideosParams, opts ...ListOption) iter.Seq2[Video, error] {
	const op = "Videos.ListAll"
	q, err := p.filters(op, videoOrder...)
	if err != nil {
		return errSeq[Video](err)
	}
	return listAll[Video](ctx, s.c, op, s.c.paths.Videos, q, pageParams{limit: p.Limit, cursor: p.Cursor, includeTotal: p.IncludeTotal}, opts)
}

// CreateVideoParams are the inputs of Create (POST /videos).
type CreateVideoParams struct {
	// Platform is instagram or tiktok. Required.
	Platform Platform `json:"platform"`
	// Identifier is a full post URL (instagram.com/p/{shortcode}, a TikTok
	// video URL), a shortcode, or a platform id. Required; no surrounding
	// spaces, control or invisible characters.
	Identifier string   `json:"identifier"`
	Metadata   Metadata `json:"metadata,omitempty"`
	// IsActive: nil means the API default (true: metrics are fetched).
	IsActive *bool `json:"is_active,omitempty"`
	// ScrapeIntervalHours is how often the video is re-fetched (API
	// default 24).
	ScrapeIntervalHours int `json:"scrape_interval_hours,omitempty"`
	// IdempotencyKey: see CreateAccountParams.IdempotencyKey.
	IdempotencyKey string `json:"-"`
}

// Create starts tracking an individual video; its metrics are fetched in
// the background (GetAndWait waits for that). Like Accounts.Create it
// carries an Idempotency-Key on every attempt and is retried safely.
func (s *VideosService) Create(ctx context.Context, p CreateVideoParams) (*Video, error) {
	const op = "Videos.Create"
	pl, err := normPlatform(op, p.Platform, true)
	if err != nil {
		return nil, err
	}
	p.Platform = pl
	if p.Identifier == "" {
		return nil, invalidParams(op, "identifier", "identifier (a URL, shortcode or id) is required")
	}
	if err := transport.Refuse(vendor, op, "identifier", check.ID(p.Identifier)); err != nil {
		return nil, err
	}
	if p.ScrapeIntervalHours < 0 {
		return nil, invalidParams(op, "scrape_interval_hours", "must be positive, got %d", p.ScrapeIntervalHours)
	}
	if err := checkMetadata(op, p.Metadata); err != nil {
		return nil, err
	}
	key, err := idempotencyKey(op, p.IdempotencyKey)
	if err != nil {
		return nil, err
	}
	return doData[Video](ctx, s.c, transport.Request{Op: op, Method: "POST", Path: s.c.paths.Videos, Route: s.c.paths.Videos, Body: p,
		IdempotencyKey: key, Retry: transport.RetryIdempotent}, callConfig{})
}

// Get fetches one individual video ([inferred] path videos/{id}).
func (s *VideosService) Get(ctx context.Context, id string, opts ...CallOption) (*Video, error) {
	return getByID[Video](ctx, s.c, "Videos.Get", "video_id", s.c.paths.Video, id, checkID, opts)
}

// UpdateVideoParams are the inputs of Update; nil fields are unchanged.
type UpdateVideoParams struct {
	IsActive            *bool    `json:"is_active,omitempty"`
	ScrapeIntervalHours *int     `json:"scrape_interval_hours,omitempty"`
	Metadata            Metadata `json:"metadata,omitempty"`
}

// Update changes an individual video ([inferred] PATCH videos/{id}).
func (s *VideosService) Update(ctx context.Context, id string, p UpdateVideoParams) (*Video, error) {
	const op = "Videos.Update"
	id, err := checkID(op, "video_id", id)
	if err != nil {
		return nil, err
	}
	if p.IsActive == nil && p.ScrapeIntervalHours == nil && p.Metadata == nil {
		return nil, invalidParams(op, "params", "nothing to update")
	}
	if p.ScrapeIntervalHours != nil && *p.ScrapeIntervalHours <= 0 {
		return nil, invalidParams(op, "scrape_interval_hours", "must be positive, got %d", *p.ScrapeIntervalHours)
	}
	if err := checkMetadata(op, p.Metadata); err != nil {
		return nil, err
	}
	return doData[Video](ctx, s.c, transport.Request{Op: op, Method: "PATCH", Path: expand(s.c.paths.Video, id), Route: s.c.paths.Video, Body: p, Retry: transport.RetryIdempotent}, callConfig{})
}

// Delete stops tracking an individual video ([inferred] DELETE
// videos/{id}, 204 expected).
func (s *VideosService) Delete(ctx context.Context, id string) (*ResponseMeta, error) {
	return deleteByID(ctx, s.c, "Videos.Delete", "video_id", s.c.paths.Video, id)
}

// Metrics returns windowed metrics for any number of videos (POST
// /videos/metrics, 1 to 200 ids a request: the SDK splits longer lists).
// Transient answers are waited out as in AccountsService.Metrics.
func (s *VideosService) Metrics(ctx context.Context, p MetricsParams) (*BatchMetrics, error) {
	const op = "Videos.Metrics"
	bodies, ids, err := p.bodies(op, "video_ids")
	if err != nil {
		return nil, err
	}
	return s.c.batchMetrics(ctx, op, s.c.paths.VideosMetrics, bodies, ids)
}

// Deltas returns each video's engagement change over 1 to 10 look-back
// windows (POST /videos/deltas; any number of videos, 200 a request).
// Each request is retried by the transport (up to WithMaxRetries times);
// when one still fails, the requests that succeeded are returned with its
// error.
func (s *VideosService) Deltas(ctx context.Context, p DeltasParams) (*VideoDeltas, error) {
	const op = "Videos.Deltas"
	bodies, ids, err := p.bodies(op)
	if err != nil {
		return nil, err
	}
	out := &VideoDeltas{ByVideo: map[string]map[int]Metrics{}}
	for i, body := range bodies {
		var a deltasAnswer
		_, err := s.c.do(ctx, transport.Request{Op: op, Method: "POST", Path: s.c.paths.VideosDeltas, Route: s.c.paths.VideosDeltas, Body: body, Retry: transport.RetryIdempotent}, callConfig{}, &a)
		if err != nil {
			out.Raw, out.Response = merged(out.Pages)
			return out, err
		}
		for id, per := range a.Data.byVideo {
			out.ByVideo[id] = per
		}
		out.Pages = append(out.Pages, MetricsPage{IDs: ids[i], Data: a.Data.raw, Meta: a.Meta, Raw: a.Raw, Response: a.Response})
	}
	out.Raw, out.Response = merged(out.Pages)
	return out, nil
}

// Analytics returns one video's metrics over a window ([inferred] path
// videos/{id}/analytics).
func (s *VideosService) Analytics(ctx context.Context, id string, p AnalyticsParams) (*Analytics, error) {
	return s.c.analytics(ctx, "Videos.Analytics", s.c.paths.VideoAnalytics, "video_id", id, checkID, p)
}

// Timeseries returns one video's daily series ([inferred] path
// videos/{id}/timeseries).
func (s *VideosService) Timeseries(ctx context.Context, id string, p AnalyticsParams) (*Timeseries, error) {
	return s.c.timeseries(ctx, "Videos.Timeseries", s.c.paths.VideoTimeseries, "video_id", id, checkID, p)
}
