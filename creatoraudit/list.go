package creatoraudit

import (
	"context"
	"iter"
	"net/url"
	"strconv"
	"sync"

	"github.com/creatorkit/creatorkit-go/internal/check"
	"github.com/creatorkit/creatorkit-go/internal/paging"
	"github.com/creatorkit/creatorkit-go/internal/transport"
)

// List page sizes.
const (
	// DefaultListLimit is the API's page size when Limit is 0 (List).
	DefaultListLimit = 50
	// MaxListLimit is the largest page of a list endpoint; ListAll uses it.
	MaxListLimit = 200
	// MaxSearchLimit caps GET /search and GET /creators/top.
	MaxSearchLimit = 25
)

type pageParams struct {
	limit        int
	cursor       string
	includeTotal bool
	// serverCursor marks a cursor the API issued during a walk: it is
	// sent as received (a caller's cursor is checked first).
	serverCursor bool
}

// cursorBook remembers which filters and sort each cursor was issued for,
// so a cursor reused with other filters is refused before sending (the API
// would answer 422). Unknown cursors (from another process) are sent as is.
type cursorBook struct {
	mu    sync.Mutex
	max   int
	order []string
	m     map[string]string
}

const cursorBookSize = 4096

func newCursorBook(n int) *cursorBook { return &cursorBook{max: n, m: map[string]string{}} }

func (b *cursorBook) get(cursor string) (string, bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	fp, ok := b.m[cursor]
	return fp, ok
}

func (b *cursorBook) put(cursor, fp string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if _, ok := b.m[cursor]; !ok {
		b.order = append(b.order, cursor)
		for len(b.order) > b.max {
			delete(b.m, b.order[0])
			b.order = b.order[1:]
		}
	}
	b.m[cursor] = fp
}

// fingerprint identifies the filters and sort a cursor is bound to.
func fingerprint(path string, filters url.Values) string {
	return path + "?" + filters.Encode()
}

// listPage fetches one page of a collection.
func listPage[T row](ctx context.Context, c *Client, op, path string, filters url.Values, pp pageParams) (*Page[T], error) {
	fp := fingerprint(path, filters)
	if pp.cursor != "" {
		if !pp.serverCursor {
			if err := transport.Refuse(vendor, op, "cursor", check.ID(pp.cursor)); err != nil {
				return nil, err
			}
		}
		if want, ok := c.cursors.get(pp.cursor); ok && want != fp {
			return nil, invalidParams(op, "cursor", "the cursor was issued for other filters or sort (%s), not %s; CreatorAudit rejects such reuse with 422: start over without a cursor", want, fp)
		}
	}
	q := url.Values{}
	for k, vs := range filters {
		q[k] = append([]string(nil), vs...)
	}
	if pp.limit > 0 {
		q.Set("limit", strconv.Itoa(pp.limit))
	}
	if pp.cursor != "" {
		q.Set("cursor", pp.cursor)
	}
	if pp.includeTotal {
		q.Set("include_total", "true")
	}
	var raw rawPage
	meta, err := c.do(ctx, transport.Request{Op: op, Method: "GET", Path: path, Route: path, Query: q}, callConfig{}, &raw)
	if err != nil {
		return nil, err
	}
	rr := rowReader{c: c, op: op}
	page := Page[T]{Data: readRows[T](&rr, "data", raw.Data), Pagination: raw.Pagination, Filters: raw.Filters, Raw: raw.Raw, Response: raw.Response}
	if err := rr.done(page.Response); err != nil {
		return nil, err
	}
	page.Links = parseLinks(meta.Header)
	if next := page.NextCursor(); next != "" {
		c.cursors.put(next, fp)
	}
	return &page, nil
}

// ListOption caps an iterator (the ListAll calls and
// Creators.AccountsAll): WithMaxPages, WithMaxItems.
type ListOption func(*listConfig) error

// listConfig is what the list options set.
type listConfig struct{ maxPages, maxItems int }

// WithMaxPages caps the pages an iterator fetches. CreatorAudit's pages
// cost nothing, so zero, the default, means no cap, as does a negative n.
func WithMaxPages(n int) ListOption { return func(l *listConfig) error { l.maxPages = n; return nil } }

// WithMaxItems caps the items an iterator yields. CreatorAudit's pages
// cost nothing, so zero, the default, means no cap, as does a negative n.
// A cap below the page size also shrinks the page asked for (when the
// params leave Limit at 0), so no more rows are sent than are yielded.
func WithMaxItems(n int) ListOption { return func(l *listConfig) error { l.maxItems = n; return nil } }

// listLimits resolves opts for a free iterator: no default cap (0 for the
// pager), a negative cap none either.
func listLimits(op string, opts []ListOption) (paging.Limits, error) {
	var cfg listConfig
	if err := transport.ApplyOptions(vendor, op, &cfg, opts); err != nil {
		return paging.Limits{}, err
	}
	return paging.Limits{MaxPages: max(cfg.maxPages, 0), MaxItems: max(cfg.maxItems, 0)}, nil
}

// listAll walks a collection lazily from cursor start, limit items a page.
// Each page is one call, retried by the transport; a page that still
// fails ends the walk with its error.
func listAll[T row](ctx context.Context, c *Client, op, path string, filters url.Values, pp pageParams, opts []ListOption) iter.Seq2[T, error] {
	lim, err := listLimits(op, opts)
	if err != nil {
		return errSeq[T](err)
	}
	if pp.limit == 0 {
		pp.limit = MaxListLimit
		if lim.MaxItems > 0 && lim.MaxItems < pp.limit {
			pp.limit = lim.MaxItems
		}
	}
	return paging.Cursor(ctx, pp.cursor, func(ctx context.Context, cur string) (paging.CursorPage[T], error) {
		p, err := listPage[T](ctx, c, op, path, filters, pageParams{limit: pp.limit, cursor: cur, includeTotal: pp.includeTotal, serverCursor: cur != pp.cursor})
		if err != nil {
			return paging.CursorPage[T]{}, err
		}
		more := p.Pagination.HasNext || p.Links.Next != ""
		return paging.CursorPage[T]{Items: p.Data, Next: p.NextCursor(), HasNext: &more}, nil
	}, lim)
}

// errSeq yields err once.
func errSeq[T any](err error) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		yield(zero, err)
	}
}
