package creatoraudit

import (
	"encoding/json"
	"net/http"

	"github.com/creatorkit/creatorkit-go/internal/jsonx"
	"github.com/creatorkit/creatorkit-go/internal/transport"
)

// Shared SDK types, re-exported.
type (
	// Time decodes ISO 8601 timestamps (and the other layouts vendors use)
	// and re-encodes them unchanged.
	Time = jsonx.Time
	// ID is an identifier sent as a string or a number, kept as a string.
	// Videos use it because account videos are addressed by internal
	// integer ids in POST /account-videos/metrics.
	ID = jsonx.ID
	// ResponseMeta is the status, request id (X-Request-ID), rate-limit
	// headers, attempt count, idempotency key and headers of the response a
	// result came from.
	ResponseMeta = transport.ResponseMeta
	// RateLimit is the X-RateLimit-* state a response reported.
	RateLimit = transport.RateLimit
	// Limiter paces requests; see WithLimiter.
	Limiter = transport.Limiter
	// Window is a request budget: N requests per Per.
	Window = transport.Window
)

// Platform is a social network CreatorAudit covers.
type Platform string

// The two platforms CreatorAudit covers, and only these two.
const (
	Instagram Platform = "instagram"
	TikTok    Platform = "tiktok"
)

// Valid reports whether p is instagram or tiktok.
func (p Platform) Valid() bool { return p == Instagram || p == TikTok }

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

// Result is embedded in every top-level result. The transport fills Raw
// with the response body as received and Response with its metadata.
type Result struct {
	// Raw is the whole response body as received ({"data": ...}); empty
	// for a 304 Not Modified answer that the client did not have cached.
	Raw json.RawMessage `json:"-"`
	// Response is the metadata of the response.
	Response *ResponseMeta `json:"-"`
}

func (r *Result) setResult(x Result) { *r = x }

// RequestID returns the X-Request-ID of the response ("" when unknown).
func (r Result) RequestID() string {
	if r.Response == nil {
		return ""
	}
	return r.Response.RequestID
}

// ETag returns the strong ETag CreatorAudit sent with a GET response; pass
// it to IfNoneMatch on a later call to get 304 Not Modified when nothing
// changed.
func (r Result) ETag() string {
	if r.Response == nil || r.Response.Header == nil {
		return ""
	}
	return r.Response.Header.Get("ETag")
}

// NotModified reports whether the server answered 304 Not Modified to an
// If-None-Match request. With WithETagCache the result then holds the
// cached body; with IfNoneMatch alone it holds no data.
func (r Result) NotModified() bool {
	return r.Response != nil && r.Response.StatusCode == http.StatusNotModified
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

// Page is one page of a collection: {data, pagination, filters}.
type Page[T any] struct {
	Data       []T        `json:"data"`
	Pagination Pagination `json:"pagination"`
	// Filters echoes the filters and sort the server applied, as sent.
	Filters json.RawMessage `json:"filters,omitempty"`
	// Links is parsed from the Link header.
	Links Links `json:"-"`
	Result
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
	return cursorFromURL(p.Links.Next)
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
