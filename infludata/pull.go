package infludata

import (
	"context"
	"iter"
	"maps"
	"slices"
	"sync"
	"time"

	"github.com/creatorkit/creatorkit-go/internal/paging"
)

// ContentPull is a lazy walk over getContent pages that keeps track of
// the watermark and what it spent. Create it with ContentService.Pull,
// range over All, then read Watermark: when Complete, save it and pass it
// as ContentParams.Since next time for an incremental sync.
type ContentPull struct {
	s   *ContentService
	p   ContentParams
	lim paging.Limits
	err error

	mu        sync.Mutex
	watermark *Watermark // the newest influData reported, or Since
	complete  bool
	pages     int
	items     int
	reread    int
	tokens    int
	// newest is the second of the newest upload received, and atNewest
	// the ids received in it (yielded, or dropped as yielded before).
	newest   time.Time
	atNewest map[string]bool
}

// Pull prepares a content pull; nothing is sent until All is ranged over.
// Caps: at most DefaultContentItems items unless WithMaxItems says
// otherwise (a negative value: no item cap), and WithMaxPages pages when
// given; the two are independent. Pages are p.Limit items (default
// DefaultContentLimit, 100),
// and the last page asks only for what the item cap leaves, so no item is
// paid for that the loop will not see. Bad params or options are yielded
// by All as the first and only error.
//
// With a Budget (WithBudget), each page asks for no more items than the
// budget has left (a page reserves its limit, the most it can cost); when
// not one token is left, All yields ErrBudgetExceeded once, nothing sent,
// and ends (Complete is then false).
func (s *ContentService) Pull(p ContentParams, opts ...ListOption) *ContentPull {
	cp := &ContentPull{s: s, p: p}
	if p.Since != nil {
		w := *p.Since
		cp.watermark = &w
	}
	cp.lim, cp.err = listLimits(opContentAll, paging.Limits{MaxItems: DefaultContentItems}, opts)
	if cp.err == nil {
		cp.err = p.check(opContentAll, false)
	}
	return cp
}

// ContentAll iterates over the content matching p, fetching a page only
// when the loop reaches it (each item costs a token): cursor paging with
// next_cursor sent back as X-Cursor, or offset paging with LegacyOffset.
// It yields the elements of ContentPage.Items, so it is Get walked page by
// page. A 404 (nothing matched) ends it without an error. Caps and the
// budget as in Pull (DefaultContentItems items unless WithMaxItems says
// otherwise; pages no larger than what the Budget has left, and
// ErrBudgetExceeded yielded once when nothing is); use Pull
// to keep the watermark. Bad params are yielded as the first and only
// error. Transient answers are waited out as ContentPull.All describes.
func (s *ContentService) ContentAll(ctx context.Context, p ContentParams, opts ...ListOption) iter.Seq2[ContentItem, error] {
	return s.Pull(p, opts...).All(ctx)
}

// Watermark returns the newest watermark seen: the one influData reported
// (or, when it reports none or an older one, the newest item received),
// never older than ContentParams.Since, with SeenIDs: every id received
// in its second (yielded now, or dropped as yielded by an earlier sync),
// which the next sync drops. nil when nothing was seen.
func (cp *ContentPull) Watermark() *Watermark {
	cp.mu.Lock()
	defer cp.mu.Unlock()
	w := cp.watermark
	if !cp.newest.IsZero() && (w == nil || cp.newest.After(w.CreatedAtMax.Time)) {
		w = &Watermark{CreatedAtMax: NewTime(cp.newest)}
		for id := range cp.atNewest {
			w.LastID = max(w.LastID, id) // any of them; the SDK reads SeenIDs
		}
	}
	if w == nil {
		return nil
	}
	out := *w
	sec := out.CreatedAtMax.Time.Truncate(time.Second)
	seen := map[string]bool{}
	if since := cp.p.Since; since != nil && since.CreatedAtMax.Time.Truncate(time.Second).Equal(sec) {
		for id := range since.seen() {
			seen[id] = true
		}
	}
	if cp.newest.Equal(sec) {
		for id := range cp.atNewest {
			seen[id] = true
		}
	}
	out.SeenIDs = slices.Sorted(maps.Keys(seen))
	if len(out.SeenIDs) == 0 {
		out.SeenIDs = nil
	}
	return &out
}

// Complete reports whether the last All reached the end of the results:
// not stopped by a cap, an error or a break. Only a complete pull's
// watermark is safe to keep.
func (cp *ContentPull) Complete() bool {
	cp.mu.Lock()
	defer cp.mu.Unlock()
	return cp.complete
}

// PullStats counts what a pull fetched.
type PullStats struct {
	// Pages fetched, Items received (Reread included), Tokens spent
	// (tokensDeducted, or 1 per item).
	Pages, Items, Tokens int
	// Reread counts the items an incremental pull received again at the
	// watermark's instant and dropped, having paid for them (see
	// ContentParams.Since).
	Reread int
}

// Stats returns what the pull fetched so far.
func (cp *ContentPull) Stats() PullStats {
	cp.mu.Lock()
	defer cp.mu.Unlock()
	return PullStats{Pages: cp.pages, Items: cp.items, Tokens: cp.tokens, Reread: cp.reread}
}

func (cp *ContentPull) observe(pg *ContentPage) {
	cp.mu.Lock()
	defer cp.mu.Unlock()
	cp.pages++
	cp.items += pg.received
	cp.reread += len(pg.dropped)
	if pg.TokensDeducted != nil {
		cp.tokens += *pg.TokensDeducted
	} else {
		cp.tokens += pg.received
	}
	if pg.Watermark.newer(cp.watermark) {
		w := *pg.Watermark
		w.SeenIDs = nil
		cp.watermark = &w
	}
	for _, items := range [][]ContentItem{pg.Items, pg.dropped} {
		for _, it := range items {
			if it.Uploaded == nil || it.Uploaded.IsZero() || it.key() == "" {
				continue
			}
			sec := it.Uploaded.Time.Truncate(time.Second)
			switch {
			case sec.After(cp.newest):
				cp.newest, cp.atNewest = sec, map[string]bool{it.key(): true}
			case sec.Equal(cp.newest):
				cp.atNewest[it.key()] = true
			}
		}
	}
}

// All walks the pages. Each call starts the pull over.
//
// Each page is one call: the transport retries a 429 or a 5xx
// (WithMaxRetries; influData charges no failed request), and a failure
// that outlasts the retries ends the walk with that error, yielded once
// (Complete is then false). An answer lost after it may have been charged
// (ErrOutcomeUnknown) is never bought twice. Offset pages yield each item (by _id)
// at most once; cursor pages do not shift.
func (cp *ContentPull) All(ctx context.Context) iter.Seq2[ContentItem, error] {
	return func(yield func(ContentItem, error) bool) {
		if cp.err != nil {
			yield(ContentItem{}, cp.err)
			return
		}
		cp.mu.Lock()
		cp.complete, cp.newest, cp.atNewest = false, time.Time{}, nil
		cp.mu.Unlock()
		pageSize := cp.p.Limit
		if pageSize == 0 {
			pageSize = DefaultContentLimit
		}
		yielded := 0
		more := true
		// limit asks only for what the item cap and the budget leave.
		limit := func() int {
			n := pageSize
			if cp.lim.MaxItems > 0 {
				n = min(n, cp.lim.MaxItems-yielded)
			}
			if b := cp.s.c.budget(); b != nil {
				n = int(min(int64(n), b.Remaining()))
			}
			return max(1, n)
		}
		fetch := func(ctx context.Context, cursor string, offset int) (*ContentPage, int, error) {
			n := limit()
			pg, err := cp.s.get(ctx, cp.p, n, cursor, offset)
			if err != nil {
				return nil, n, err
			}
			cp.observe(pg)
			yielded += len(pg.Items)
			return pg, n, nil
		}
		var seq iter.Seq2[ContentItem, error]
		if cp.p.LegacyOffset {
			seq = paging.Walk(ctx, cp.p.Offset, func(ctx context.Context, off int) (paging.Step[ContentItem, int], error) {
				pg, n, err := fetch(ctx, "", off)
				if err != nil {
					return paging.Step[ContentItem, int]{}, err
				}
				// The offset moves by what the server returned, including a
				// watermark item the SDK dropped. A short page ends the walk
				// unless the count says more are left: a server that caps
				// pages below the limit asked for (the Social API documents
				// 100, the README 1,000) serves short pages throughout.
				got := pg.received
				next := off + got
				if pg.Count != nil {
					more = !pg.Empty && got > 0 && next < *pg.Count
				} else {
					more = !pg.Empty && got >= n
				}
				return paging.Step[ContentItem, int]{Items: pg.Items, Next: next, More: more}, nil
			}, cp.lim, paging.UniqueBy(func(it ContentItem) string { return it.ID }))
		} else {
			seq = paging.Walk(ctx, cp.p.Cursor, func(ctx context.Context, cur string) (paging.Step[ContentItem, string], error) {
				pg, _, err := fetch(ctx, cur, 0)
				if err != nil {
					return paging.Step[ContentItem, string]{}, err
				}
				more = !pg.Empty && pg.NextCursor != ""
				return paging.Step[ContentItem, string]{Items: pg.Items, Next: pg.NextCursor, More: more}, nil
			}, cp.lim)
		}
		for it, err := range seq {
			if !yield(it, err) || err != nil {
				return
			}
		}
		cp.mu.Lock()
		cp.complete = !more
		cp.mu.Unlock()
	}
}
