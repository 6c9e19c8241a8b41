package creatoraudit

import (
	"context"
	"encoding/json"
	"errors"
	"iter"
	"net/url"
	"strings"

	"github.com/creatorkit/creatorkit-go/internal/transport"
)

// AccountsService tracks Instagram and TikTok profiles and reads their
// metrics.
type AccountsService struct{ c *Client }

// Account is a tracked Instagram or TikTok profile. Counts and nullable
// times are pointers: nil until the first scrape, or when the platform does
// not expose them (SavedCount is nil on TikTok).
//
// ID is a control field: every later call on the account needs it, so an
// answer whose id cannot be read as a string fails with
// ErrUnexpectedResponse (a list row's is skipped instead, see Page). Any other value that does not fit is left zero
// and listed in Response.DecodeIssues (GetAndWait also fails on an
// unreadable last_scrape_time or is_unavailable, the state it waits on).
//
// Like every top-level result it has Raw (the body as received) and
// Response (the response's metadata); an Account yielded by a ListAll
// iterator or in a Page has neither (the page has them).
type Account struct {
	ID                    string   `json:"id" creatorkit:"control"`
	Type                  string   `json:"type"`
	Platform              Platform `json:"platform"`
	Username              string   `json:"username"`
	Name                  string   `json:"name"`
	Description           string   `json:"description"`
	ProfilePicURL         string   `json:"profile_pic_url"`
	ProfilePicURLOriginal string   `json:"profile_pic_url_original"`
	IsVerified            bool     `json:"is_verified"`
	IsActive              bool     `json:"is_active"`
	IsUnavailable         bool     `json:"is_unavailable"`
	LinkInBio             string   `json:"link_in_bio"`
	CreatorID             *string  `json:"creator_id"`
	CreatorName           *string  `json:"creator_name"`
	Category              string   `json:"category"`
	Metadata              Metadata `json:"metadata"`
	AddedAt               *Time    `json:"added_at"`
	FirstScrapeTime       *Time    `json:"first_scrape_time"`
	LastScrapeTime        *Time    `json:"last_scrape_time"`
	ScrapeIntervalHours   *int     `json:"scrape_interval_hours"`
	FollowerCount         *int64   `json:"follower_count"`
	FollowingCount        *int64   `json:"following_count"`
	ProfilePostCount      *int64   `json:"profile_post_count"`
	TotalPostCount        *int64   `json:"total_post_count"`
	ViewCount             *int64   `json:"view_count"`
	LikeCount             *int64   `json:"like_count"`
	CommentCount          *int64   `json:"comment_count"`
	ShareCount            *int64   `json:"share_count"`
	PlayCount             *int64   `json:"play_count"`
	SavedCount            *int64   `json:"saved_count"`
	FBPlayCount           *int64   `json:"fb_play_count"`
	IGPlayCount           *int64   `json:"ig_play_count"`
	FBLikeCount           *int64   `json:"fb_like_count"`
	// MaxRecentPostsPerAccount and PostLookbackDays are the account's own
	// overrides (nil: the organization's setting applies).
	MaxRecentPostsPerAccount *int `json:"max_recent_posts_per_account"`
	PostLookbackDays         *int `json:"post_lookback_days"`
	// EffectiveMaxRecentPostsPerAccount and EffectivePostLookbackDays are
	// the values in force.
	EffectiveMaxRecentPostsPerAccount *int `json:"effective_max_recent_posts_per_account"`
	EffectivePostLookbackDays         *int `json:"effective_post_lookback_days"`

	// Raw is the whole response body as received ({"data": ...}); empty
	// for a 304 Not Modified answer that the client did not have cached.
	Raw json.RawMessage `json:"-"`
	// Response is the metadata of the response: status, RequestID
	// (X-Request-ID), rate-limit headers, the ETag
	// (Response.GetHeader("ETag")), decode issues.
	Response *ResponseMeta `json:"-"`
}

// Scraped reports whether CreatorAudit has refreshed the account at least
// once (last_scrape_time is set).
func (a *Account) Scraped() bool {
	return a != nil && a.LastScrapeTime != nil && !a.LastScrapeTime.IsZero()
}

// ListAccountsParams filter, sort and page GET /accounts.
type ListAccountsParams struct {
	// Limit is the page size, 1 to 200; 0 means the API default (50) for
	// List and 200 for ListAll.
	Limit int
	// Cursor is the next_cursor of an earlier page, "" for the first. It is
	// bound to the filters and sort it was issued with: reusing it with
	// others fails with ErrInvalidParams before sending.
	Cursor string
	// IncludeTotal asks for pagination.total_count (an extra COUNT on the
	// server).
	IncludeTotal bool

	Platform Platform
	// Q is a case-insensitive substring of the username.
	Q        string
	IsActive *bool
	Category string
	// CreatorID lists the accounts linked to one creator.
	CreatorID string

	// OrderBy is a field such as "added_at" or "follower_count" (the full
	// set is not published, so any field name is passed on).
	OrderBy        string
	OrderDirection OrderDirection
	// Sort is the legacy signed form ("-added_at"); OrderBy overrides it.
	Sort string
}

func (p ListAccountsParams) filters(op string) (url.Values, error) {
	if err := checkLimit(op, p.Limit, MaxListLimit); err != nil {
		return nil, err
	}
	q := url.Values{}
	pl, err := normPlatform(op, p.Platform, false)
	if err != nil {
		return nil, err
	}
	if pl != "" {
		q.Set("platform", string(pl))
	}
	if s := strings.TrimSpace(p.Q); s != "" {
		q.Set("q", s)
	}
	setBool(q, "is_active", p.IsActive)
	if s := strings.TrimSpace(p.Category); s != "" {
		q.Set("category", s)
	}
	if p.CreatorID != "" {
		id, err := checkValueID(op, "creator_id", p.CreatorID)
		if err != nil {
			return nil, err
		}
		q.Set("creator_id", id)
	}
	return q, sortQuery(op, q, p.OrderBy, p.OrderDirection, p.Sort)
}

// List returns one page of tracked accounts.
func (s *AccountsService) List(ctx context.Context, p ListAccountsParams) (*AccountList, error) {
	const op = "Accounts.List"
	q, err := p.filters(op)
	if err != nil {
		return nil, err
	}
	return listPage[Account](ctx, s.c, op, s.c.paths.Accounts, q, pageParams{limit: p.Limit, cursor: p.Cursor, includeTotal: p.IncludeTotal})
}

// ListAll iterates over every tracked account matching p, yielding the
// elements of List's pages: 200 a page unless p.Limit says otherwise,
// fetching a page only when the loop reaches it. The pages cost nothing,
// so there is no cap unless opts set one (WithMaxPages, WithMaxItems).
// Bad params are yielded as the first and only error. Each page is one
// call, which the transport retries (a 429, a 5xx, a lost connection, up
// to WithMaxRetries times); a page that still fails is yielded as the
// error that ends the walk (resume from the last page's cursor).
func (s *AccountsService) ListAll(ctx context.Context, p ListAccountsParams, opts ...ListOption) iter.Seq2[Account, error] {
	const op = "Accounts.ListAll"
	q, err := p.filters(op)
	if err != nil {
		return errSeq[Account](err)
	}
	return listAll[Account](ctx, s.c, op, s.c.paths.Accounts, q, pageParams{limit: p.Limit, cursor: p.Cursor, includeTotal: p.IncludeTotal}, opts)
}

// CreateAccountParams are the inputs of Create (POST /accounts).
type CreateAccountParams struct {
	// Platform is instagram or tiktok. Required.
	Platform Platform `json:"platform"`
	// Username is the handle; a leading "@" is dropped. Required: on
	// Instagram 1 to 30 letters, digits, periods and underscores (not only
	// periods); on TikTok a handle without spaces, "/", "\\", "%", "?",
	// "#", control or invisible characters, and not only periods.
	Username string `json:"username"`
	Category string `json:"category,omitempty"`
	// ScrapeIntervalHours is how often the account is refreshed (API
	// default 24).
	ScrapeIntervalHours int `json:"scrape_interval_hours,omitempty"`

	// [inferred] The fields below are not in the documented request body;
	// they mirror the account's response fields and the dashboard.
	CreatorID                *string  `json:"creator_id,omitempty"`
	Metadata                 Metadata `json:"metadata,omitempty"`
	IsActive                 *bool    `json:"is_active,omitempty"`
	MaxRecentPostsPerAccount *int     `json:"max_recent_posts_per_account,omitempty"`
	PostLookbackDays         *int     `json:"post_lookback_days,omitempty"`

	// IdempotencyKey is sent as the Idempotency-Key header; when empty the
	// SDK generates a random one. CreatorAudit replays the original answer
	// to a repeated key for 10 minutes, which is what makes Create's
	// reconciliation after a lost answer safe. Reuse a key of your own to
	// make retries across processes safe too; Usage then counts an
	// answer that does not say whether it is a replay as SpentUnknown
	// (see SpendUnit).
	IdempotencyKey string `json:"-"`
}

// Create starts tracking an account. It returns at once with
// last_scrape_time null; the profile and recent posts are fetched in the
// background (GetAndWait waits for that). A duplicate is
// ErrConflict; the organization's tracking cap is ErrQuotaExceeded
// (QUOTA_EXCEEDED).
//
// Create is the one call that spends: 1 tracked account (SpendUnit),
// held from the client's Budget before anything is sent (ErrBudgetExceeded
// when it cannot hold it) and counted in Usage when the answer says the
// account was tracked.
//
// The request is sent once: once it may have reached CreatorAudit, neither
// the transport nor net/http sends it again by itself. 429s and
// connections that fail before the request is written are retried as
// usual. When the answer is lost (a dropped connection, a 5xx, a garbled
// body), Create reconciles: it asks again with the same Idempotency-Key,
// to which CreatorAudit answers with the original account for 10 minutes,
// and which cannot track a second account since a duplicate is a 409. It
// does so up to the client's MaxRetries times, backing off, within ctx;
// the first answer decides (an error status comes back also marked
// ErrOutcomeUnknown, since the lost request may have tracked the account)
// and, if none comes, the error is ErrOutcomeUnknown. Usage counts such a
// create as 1 SpentUnknown: the vendor tracked the account at most once.
// Response.IdempotencyKey holds the key sent.
func (s *AccountsService) Create(ctx context.Context, p CreateAccountParams) (*Account, error) {
	const op = "Accounts.Create"
	pl, err := normPlatform(op, p.Platform, true)
	if err != nil {
		return nil, err
	}
	p.Platform = pl
	if p.Username, err = checkHandle(op, pl, p.Username); err != nil {
		return nil, err
	}
	if p.ScrapeIntervalHours < 0 {
		return nil, invalidParams(op, "scrape_interval_hours", "must be positive, got %d", p.ScrapeIntervalHours)
	}
	if err := checkOptionalID(op, "creator_id", p.CreatorID); err != nil {
		return nil, err
	}
	if err := checkMetadata(op, p.Metadata); err != nil {
		return nil, err
	}
	key, err := idempotencyKey(op, p.IdempotencyKey)
	if err != nil {
		return nil, err
	}
	req := transport.Request{Op: op, Method: "POST", Path: s.c.paths.Accounts, Route: s.c.paths.Accounts, Body: p,
		IdempotencyKey: key, Spend: createSpend(p.IdempotencyKey != "")}
	a, err := doData[Account](ctx, s.c, req, callConfig{})
	if err != nil && errors.Is(err, ErrOutcomeUnknown) {
		return s.reconcileCreate(ctx, req, err)
	}
	return a, err
}

// Get fetches one account. Pass IfNoneMatch(a.Response.GetHeader("ETag"))
// to get a cheap 304 when it has not changed.
func (s *AccountsService) Get(ctx context.Context, id string, opts ...CallOption) (*Account, error) {
	return getByID[Account](ctx, s.c, "Accounts.Get", "account_id", s.c.paths.Account, id, checkID, opts)
}

// UpdateAccountParams are the inputs of Update; nil fields are left
// unchanged.
type UpdateAccountParams struct {
	// IsActive pauses (false) or resumes (true) tracking.
	IsActive            *bool    `json:"is_active,omitempty"`
	Category            *string  `json:"category,omitempty"`
	Metadata            Metadata `json:"metadata,omitempty"`
	ScrapeIntervalHours *int     `json:"scrape_interval_hours,omitempty"`
	// CreatorID links the account to a creator (see also
	// Creators.LinkAccount).
	CreatorID                *string `json:"creator_id,omitempty"`
	MaxRecentPostsPerAccount *int    `json:"max_recent_posts_per_account,omitempty"`
	PostLookbackDays         *int    `json:"post_lookback_days,omitempty"`
}

// Update changes an account (PATCH /accounts/{id}). [inferred] The path
// and body are inferred from the v1 to v2 migration guide (activate and
// deactivate became a PATCH of is_active). PATCH sets absolute values, so
// it is retried like a GET.
func (s *AccountsService) Update(ctx context.Context, id string, p UpdateAccountParams) (*Account, error) {
	const op = "Accounts.Update"
	id, err := checkID(op, "account_id", id)
	if err != nil {
		return nil, err
	}
	if p.IsActive == nil && p.Category == nil && p.Metadata == nil && p.ScrapeIntervalHours == nil && p.CreatorID == nil &&
		p.MaxRecentPostsPerAccount == nil && p.PostLookbackDays == nil {
		return nil, invalidParams(op, "params", "nothing to update")
	}
	if p.ScrapeIntervalHours != nil && *p.ScrapeIntervalHours <= 0 {
		return nil, invalidParams(op, "scrape_interval_hours", "must be positive, got %d", *p.ScrapeIntervalHours)
	}
	if err := checkOptionalID(op, "creator_id", p.CreatorID); err != nil {
		return nil, err
	}
	if err := checkMetadata(op, p.Metadata); err != nil {
		return nil, err
	}
	return doData[Account](ctx, s.c, transport.Request{Op: op, Method: "PATCH", Path: expand(s.c.paths.Account, id), Route: s.c.paths.Account, Body: p, Retry: transport.RetryIdempotent}, callConfig{})
}

// Delete stops tracking an account (DELETE /accounts/{id}; [inferred]
// path, 204 expected).
func (s *AccountsService) Delete(ctx context.Context, id string) (*ResponseMeta, error) {
	return deleteByID(ctx, s.c, "Accounts.Delete", "account_id", s.c.paths.Account, id)
}

// Metrics returns windowed metrics for any number of accounts (POST
// /accounts/metrics): the SDK drops duplicate ids and sends 200 per
// request, one after another. [inferred] The body (account_ids, period,
// start_date, end_date) mirrors the documented /videos/metrics. Each
// request is retried by the transport (a 429, a 5xx, a lost connection, up
// to WithMaxRetries times); when one still fails, the requests that
// succeeded are returned with its error.
func (s *AccountsService) Metrics(ctx context.Context, p MetricsParams) (*BatchMetrics, error) {
	const op = "Accounts.Metrics"
	bodies, ids, err := p.bodies(op, "account_ids")
	if err != nil {
		return nil, err
	}
	return s.c.batchMetrics(ctx, op, s.c.paths.AccountsMetrics, bodies, ids)
}

// Analytics returns one account's metrics over a window ([inferred] path
// accounts/{id}/analytics).
func (s *AccountsService) Analytics(ctx context.Context, id string, p AnalyticsParams) (*Analytics, error) {
	return s.c.analytics(ctx, "Accounts.Analytics", s.c.paths.AccountAnalytics, "account_id", id, checkID, p)
}

// Timeseries returns one account's daily series ([inferred] path
// accounts/{id}/timeseries).
func (s *AccountsService) Timeseries(ctx context.Context, id string, p AnalyticsParams) (*Timeseries, error) {
	return s.c.timeseries(ctx, "Accounts.Timeseries", s.c.paths.AccountTimeseries, "account_id", id, checkID, p)
}
