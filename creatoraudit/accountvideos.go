package creatoraudit

import (
	"context"
	"iter"
)

// AccountVideosService reads account videos: posts CreatorAudit discovers
// in a tracked account's feed as it refreshes the account. You do not add
// them; they are read-only.
type AccountVideosService struct{ c *Client }

var accountVideoOrder = []string{"create_time", "view_count", "like_count", "play_count"}

// List returns one page of account videos (GET /account-videos).
// [inferred] The query parameters of this list are not documented; the
// SDK sends the common ones (account_id, platform, order_by among
// create_time, view_count, like_count, play_count).
func (s *AccountVideosService) List(ctx context.Context, p ListVideosParams) (*VideoList, error) {
	const op = "AccountVideos.List"
	q, err := p.filters(op, accountVideoOrder...)
	if err != nil {
		return nil, err
	}
	return listPage[Video](ctx, s.c, op, s.c.paths.AccountVideos, q, pageParams{limit: p.Limit, cursor: p.Cursor, includeTotal: p.IncludeTotal})
}

// ListAll iterates over every account video matching p, lazily, as
// AccountsService.ListAll does (opts cap it).
func (s *AccountVideosService) ListAll(ctx context.Context, p ListVideosParams, opts ...ListOption) iter.Seq2[Video, error] {
	const op = "AccountVideos.ListAll"
	q, err := p.filters(op, accountVideoOrder...)
	if err != nil {
		return errSeq[Video](err)
	}
	return listAll[Video](ctx, s.c, op, s.c.paths.AccountVideos, q, pageParams{limit: p.Limit, cursor: p.Cursor, includeTotal: p.IncludeTotal}, opts)
}

// Get fetches one account video ([inferred] path account-videos/{id}). The
// id is a UUID or an internal integer id (Video.ID as received).
func (s *AccountVideosService) Get(ctx context.Context, id string, opts ...CallOption) (*Video, error) {
	return getByID[Video](ctx, s.c, "AccountVideos.Get", "id", s.c.paths.AccountVideo, id, checkAccountVideoID, opts)
}

// Metrics returns windowed metrics for account videos by their internal
// integer ids (POST /account-videos/metrics), 200 ids a request. ByID is
// keyed by the decimal id. Transient answers are waited out as in
// AccountsService.Metrics.
func (s *AccountVideosService) Metrics(ctx context.Context, p AccountVideoMetricsParams) (*BatchMetrics, error) {
	const op = "AccountVideos.Metrics"
	bodies, ids, err := p.bodies(op)
	if err != nil {
		return nil, err
	}
	return s.c.batchMetrics(ctx, op, s.c.paths.AccountVideosMetrics, bodies, ids)
}

// Analytics returns one account video's metrics over a window ([inferred]
// path account-videos/{id}/analytics).
func (s *AccountVideosService) Analytics(ctx context.Context, id string, p AnalyticsParams) (*Analytics, error) {
	return s.c.analytics(ctx, "AccountVideos.Analytics", s.c.paths.AccountVideoAnalytics, "id", id, checkAccountVideoID, p)
}

// Timeseries returns one account video's daily series ([inferred] path
// account-videos/{id}/timeseries).
func (s *AccountVideosService) Timeseries(ctx context.Context, id string, p AnalyticsParams) (*Timeseries, error) {
	return s.c.timeseries(ctx, "AccountVideos.Timeseries", s.c.paths.AccountVideoTimeseries, "id", id, checkAccountVideoID, p)
}
