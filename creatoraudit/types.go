package creatoraudit

import (
	"encoding/json"
	"net/http"
	"strings"

	creatorkit "github.com/creatorkit/creatorkit-go"
	"github.com/creatorkit/creatorkit-go/internal/paging"
)

// Shared SDK types: aliases of package creatorkit, so one import is
// enough and values mix with those of the other vendor packages.
type (
	// Time decodes ISO 8601 timestamps (and the other layouts vendors use)
	// and re-encodes them unchanged.
	Time = creatorkit.Time
	// ID is an identifier sent as a string or a number, kept as a string.
	// Videos use it because account videos are addressed by internal
	// integer ids in POST /account-videos/metrics.
	ID = creatorkit.ID
	// ResponseMeta is the status, request id (X-Request-ID), rate-limit
	// headers, attempt count, idempotency key, headers (the ETag among
	// them: Response.GetHeader("ETag")) and decode issues of the response
	// a result came from. Every top-level result carries it as its
	// Response field.
	ResponseMeta = creatorkit.ResponseMeta
	// RateLimit is the X-RateLimit-* state a response reported.
	RateLimit = creatorkit.RateLimit
	// DecodeIssue is one value of a response that did not fit its Go type
	// (see ResponseMeta.DecodeIssues).
	DecodeIssue = creatorkit.DecodeIssue
	// Limiter paces requests; see WithLimiter.
	Limiter = creatorkit.Limiter
	// Observer sees every call, attempt and wait of a client; see
	// WithObserver.
	Observer = creatorkit.Observer
	// Window is a request budget: N requests per Per.
	Window = creatorkit.Window
	// DelayError is the cause of an ErrRateLimited *Error when the next
	// request could not be sent before the context's deadline.
	DelayError = creatorkit.DelayError
	// TimeoutError is the Err of the *ItemError Accounts.GetAndWait and
	// Videos.GetAndWait return when the context ends before the first
	// scrape; it
	// names the last state seen, and the last account or video seen is
	// returned next to it.
	TimeoutError = creatorkit.TimeoutError
	// ItemError reports why an account or a video has no result where the
	// SDK waited for one: GetAndWait on an account or video CreatorAudit
	// marked unavailable before it was ever scraped (Err ErrUnavailable).
	// Input is the id as given, Item the account ("instagram/@natgeo") or
	// video (its shortcode or external id) as CreatorAudit knows it, ID its
	// CreatorAudit id, State "unavailable", Reason why (never empty).
	ItemError = creatorkit.ItemError
	// Summary is the common creator summary (see Account.Summary), the
	// same shape from every vendor package.
	Summary = creatorkit.Summary
	// Quality is a vendor's audience-quality score on 0-100, under its own
	// name. CreatorAudit has none: Account.Summary leaves it nil.
	Quality = creatorkit.Quality
	// Share is one bucket of an audience breakdown, in percent.
	// CreatorAudit reports no audience breakdown.
	Share = creatorkit.Share
)

// Platform is a social network CreatorAudit covers.
type Platform string

// The two platforms CreatorAudit covers, and only these two. The names
// are the same in every creatorkit-go package.
const (
	Instagram Platform = "instagram"
	TikTok    Platform = "tiktok"
)

// Platforms returns the platforms CreatorAudit covers (a fresh slice on
// each call).
func Platforms() []Platform { return []Platform{Instagram, TikTok} }

// Valid reports whether p is instagram or tiktok.
func (p Platform) Valid() bool { return p == Instagram || p == TikTok }

// String returns the platform as the API spells it ("instagram").
func (p Platform) String() string { return string(p) }

// ParsePlatform returns the platform named s, in any case and without
// surrounding spaces ("Instagram", "TIKTOK"). An unknown name is an
// *Error of kind ErrInvalidParams.
func ParsePlatform(s string) (Platform, error) {
	p := Platform(strings.ToLower(strings.TrimSpace(s)))
	if !p.Valid() {
		return "", invalidParams("ParsePlatform", "platform", "unknown platform %q (instagram or tiktok)", s)
	}
	return p, nil
}

// Period is a metrics window: the last 7, 30 or 90 days, or a custom
// inclusive range of dates (StartDate and EndDate, YYYY-MM-DD, required).
type Period string

// Documented periods.
const (
	Period7d     Period = "7d"
	Period30d    Period = "30d"
	Period90d    Period = "90d"
	PeriodCustom Period = "custom"
)

// OrderDirection is the sort direction of a list.
type OrderDirection string

// Sort directions (the API defaults to desc, and to asc when ordering
// creators by name).
const (
	Asc  OrderDirection = "asc"
	Desc OrderDirection = "desc"
)

// Metadata holds key/value tags on an account, video or creator (at most
// 20 keys of at most 255 characters each, documented for creators).
type Metadata map[string]any

// NotModified reports whether resp (a result's Response) is a 304 Not
// Modified answer to an If-None-Match request. With WithETagCache the
// result then holds the cached body; with IfNoneMatch alone it holds no
// data.
func NotModified(resp *ResponseMeta) bool {
	return resp != nil && resp.StatusCode == http.StatusNotModified
}

// Pagination is the paging block of a collection. NextCursor and HasNext
// are control fields: ListAll needs them to go on, so a page whose cursor
// or has_next cannot be read fails with ErrUnexpectedResponse rather than
// ending a walk early.
type Pagination struct {
	// NextCursor is the cursor of the next page; nil on the last page.
	NextCursor *string `json:"next_cursor" creatorkit:"control"`
	// HasNext is false on the last page.
	HasNext bool `json:"has_next" creatorkit:"control"`
	// Limit is the page size the server applied.
	Limit int `json:"limit,omitempty"`
	// TotalCount is sent only when include_total was requested.
	TotalCount *int64 `json:"total_count,omitempty"`
}

// Links are the RFC 8288 Link header targets of a list response.
type Links struct {
	// First is the absolute URL of the first page (rel="first").
	First string
	// Next is the absolute URL of the next page (rel="next"); empty on the
	// last page.
	Next string
}

// Page is one page of a collection: {data, pagination, filters}. A bad
// row costs only that row: a row that is not an object (null, an array)
// or whose id is missing or cannot be read is left out of Data, with a
// DecodeIssue at its path ("data[3]", "data[3].id") in
// Response.DecodeIssues; NextCursor and HasNext stay control fields (a
// walk cannot go on without them).
//
// It has Raw (the body as received) and Response (the response's
// metadata); its rows have neither.
type Page[T any] struct {
	Data       []T        `json:"data"`
	Pagination Pagination `json:"pagination"`
	// Filters echoes the filters and sort the server applied, as sent.
	Filters json.RawMessage `json:"filters,omitempty"`
	// Links is parsed from the Link header.
	Links Links `json:"-"`

	// Raw is the body as received.
	Raw json.RawMessage `json:"-"`
	// Response is the metadata of the response.
	Response *ResponseMeta `json:"-"`
}

// NextCursor returns the cursor of the next page: pagination.next_cursor,
// else the cursor of the Link header's rel="next" URL; "" on the last page.
func (p *Page[T]) NextCursor() string {
	if p == nil || !p.Pagination.HasNext && p.Pagination.NextCursor == nil && p.Links.Next == "" {
		return ""
	}
	if p.Pagination.NextCursor != nil && *p.Pagination.NextCursor != "" {
		return *p.Pagination.NextCursor
	}
	return paging.QueryParam(p.Links.Next, "cursor")
}

// Collections.
type (
	// AccountList is one page of GET /accounts.
	AccountList = Page[Account]
	// VideoList is one page of GET /videos or GET /account-videos.
	VideoList = Page[Video]
	// CreatorList is one page of GET /creators.
	CreatorList = Page[Creator]
)

// Bool returns a pointer to b, for optional params fields.
func Bool(b bool) *bool { return &b }

// Int returns a pointer to n, for optional params fields.
func Int(n int) *int { return &n }

// String returns a pointer to s, for optional params fields.
func String(s string) *string { return &s }
