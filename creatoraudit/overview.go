package creatoraudit

import (
	"context"
	"encoding/json"
	"net/url"

	"github.com/creatorkit/creatorkit-go/internal/transport"
)

// OverviewService reads organization-wide statistics.
type OverviewService struct{ c *Client }

// OverviewParams choose the overview's window.
type OverviewParams struct {
	// Period is 7d (the API default), 30d or 90d.
	Period Period
}

// Overview compares the current window with the one before it.
//
// It has Raw (the body as received) and Response (the response's
// metadata).
type Overview struct {
	Type     string         `json:"type"`
	Current  OverviewStats  `json:"current"`
	Previous OverviewStats  `json:"previous"`
	Changes  OverviewChange `json:"changes"`
	// Raw is the whole response body as received ({"data": ...}); empty
	// for a 304 Not Modified answer that the client did not have cached.
	Raw json.RawMessage `json:"-"`
	// Response is the metadata of the response: status, RequestID
	// (X-Request-ID), rate-limit headers, the ETag
	// (Response.GetHeader("ETag")), decode issues.
	Response *ResponseMeta `json:"-"`
}

// OverviewStats are an organization's totals over one window.
type OverviewStats struct {
	TotalViews     int64   `json:"total_views"`
	EngagementRate float64 `json:"engagement_rate"`
	ActiveAccounts int64   `json:"active_accounts"`
	AccountVideos  int64   `json:"account_videos"`
	TrackedVideos  int64   `json:"tracked_videos"`
}

// OverviewChange is the change from the previous window to the current
// one, in percent; nil when there is nothing to compare with.
type OverviewChange struct {
	TotalViewsPct     *float64 `json:"total_views_pct"`
	EngagementRatePct *float64 `json:"engagement_rate_pct"`
	ActiveAccountsPct *float64 `json:"active_accounts_pct"`
	AccountVideosPct  *float64 `json:"account_videos_pct"`
	TrackedVideosPct  *float64 `json:"tracked_videos_pct"`
}

// Get returns the organization overview (GET /overview).
func (s *OverviewService) Get(ctx context.Context, p OverviewParams) (*Overview, error) {
	const op = "Overview.Get"
	period, _, _, err := windowQuery(op, p.Period, "", "", false)
	if err != nil {
		return nil, err
	}
	q := url.Values{}
	if period != "" {
		q.Set("period", string(period))
	}
	return doData[Overview](ctx, s.c, transport.Request{Op: op, Method: "GET", Path: s.c.paths.Overview, Route: s.c.paths.Overview, Query: q}, callConfig{})
}

// Timeseries returns the organization's daily performance series
// ([inferred] path overview/timeseries).
func (s *OverviewService) Timeseries(ctx context.Context, p AnalyticsParams) (*Timeseries, error) {
	return s.c.timeseries(ctx, "Overview.Timeseries", s.c.paths.OverviewTimeseries, "", "", nil, p)
}
