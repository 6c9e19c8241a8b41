// Package paging turns one-page calls into lazy iter.Seq2 iterators, for the
// four paging schemes the vendors use: limit/offset, skip-count, page number
// and cursor.
//
// Every pager here:
//   - fetches a page only when the consumer reaches it (nothing is
//     prefetched, which matters where every page costs money);
//   - stops on break, yields an error once and then stops;
//   - checks the context between pages;
//   - never mutates the caller's params (fetch functions get the position
//     as an argument, not through a shared struct);
//   - honours spend caps (MaxPages, MaxItems);
//   - refuses to loop: a cursor or offset that does not move ends the walk
//     with an error.
package paging

import (
	"context"
	"errors"
	"fmt"
	"iter"
)

// Limits caps a walk. Zero means no cap.
type Limits struct {
	// MaxPages is the most pages fetched.
	MaxPages int
	// MaxItems is the most items yielded.
	MaxItems int
}

// ErrStuck is yielded when the server hands back a position that does not
// move forward (the same cursor twice, an offset that does not grow).
var ErrStuck = errors.New("paging: the next page position did not move; stopping to avoid an endless loop")

// Step is one page: its items, the position of the next page, and whether
// there is one.
type Step[T any, P comparable] struct {
	Items []T
	Next  P
	More  bool
}

// Fetch loads the page at position pos.
type Fetch[T any, P comparable] func(ctx context.Context, pos P) (Step[T, P], error)

// Walk is the one pager: it starts at start and follows Step.Next while
// Step.More is true.
func Walk[T any, P comparable](ctx context.Context, start P, fetch Fetch[T, P], lim Limits) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		pos := start
		seen := map[P]bool{pos: true}
		yielded := 0
		for pages := 0; lim.MaxPages <= 0 || pages < lim.MaxPages; pages++ {
			if err := ctx.Err(); err != nil {
				yield(zero, err)
				return
			}
			step, err := fetch(ctx, pos)
			if err != nil {
				yield(zero, err)
				return
			}
			for _, it := range step.Items {
				if lim.MaxItems > 0 && yielded >= lim.MaxItems {
					return
				}
				if !yield(it, nil) {
					return
				}
				yielded++
			}
			if !step.More || (lim.MaxItems > 0 && yielded >= lim.MaxItems) {
				return
			}
			if seen[step.Next] {
				yield(zero, fmt.Errorf("%w (position %v)", ErrStuck, step.Next))
				return
			}
			seen[step.Next] = true
			pos = step.Next
		}
	}
}

// OffsetPage is one limit/offset page.
type OffsetPage[T any] struct {
	Items []T
	// Total is the total count when the API reports it, else -1.
	Total int
}

// Offset walks a limit/offset API. fetch gets the offset; the walk ends on
// a short page, an empty page, or when the offset reaches Total.
func Offset[T any](ctx context.Context, start, limit int, fetch func(ctx context.Context, offset int) (OffsetPage[T], error), lim Limits) iter.Seq2[T, error] {
	return Walk(ctx, start, func(ctx context.Context, off int) (Step[T, int], error) {
		p, err := fetch(ctx, off)
		if err != nil {
			return Step[T, int]{}, err
		}
		next := off + len(p.Items)
		more := len(p.Items) > 0 && len(p.Items) >= limit && (p.Total < 0 || next < p.Total)
		return Step[T, int]{Items: p.Items, Next: next, More: more}, nil
	}, lim)
}

// SkipCount walks an API that skips a fixed number of results per page
// (influData discovery: steps of 20). The walk ends on a short or empty
// page, or when the skip reaches total (when known, else pass -1).
func SkipCount[T any](ctx context.Context, start, step int, fetch func(ctx context.Context, skip int) (items []T, total int, err error), lim Limits) iter.Seq2[T, error] {
	return Walk(ctx, start, func(ctx context.Context, skip int) (Step[T, int], error) {
		items, total, err := fetch(ctx, skip)
		if err != nil {
			return Step[T, int]{}, err
		}
		next := skip + step
		more := len(items) >= step && (total < 0 || next < total)
		return Step[T, int]{Items: items, Next: next, More: more}, nil
	}, lim)
}

// PageNumber walks a page-number API from page start (usually 1). The walk
// ends on a short or empty page, or after the last page when totalPages is
// known (else -1).
func PageNumber[T any](ctx context.Context, start, perPage int, fetch func(ctx context.Context, page int) (items []T, totalPages int, err error), lim Limits) iter.Seq2[T, error] {
	return Walk(ctx, start, func(ctx context.Context, page int) (Step[T, int], error) {
		items, totalPages, err := fetch(ctx, page)
		if err != nil {
			return Step[T, int]{}, err
		}
		more := len(items) > 0 && len(items) >= perPage && (totalPages < 0 || page < totalPages)
		return Step[T, int]{Items: items, Next: page + 1, More: more}, nil
	}, lim)
}

// CursorPage is one cursor page.
type CursorPage[T any] struct {
	Items []T
	// Next is the cursor of the following page; "" when there is none.
	Next string
	// HasNext, when the API reports it, must also be true to continue;
	// leave nil when the API only signals the end with an empty cursor.
	HasNext *bool
}

// Cursor walks a cursor API from start ("" for the first page).
func Cursor[T any](ctx context.Context, start string, fetch func(ctx context.Context, cursor string) (CursorPage[T], error), lim Limits) iter.Seq2[T, error] {
	return Walk(ctx, start, func(ctx context.Context, cur string) (Step[T, string], error) {
		p, err := fetch(ctx, cur)
		if err != nil {
			return Step[T, string]{}, err
		}
		more := p.Next != "" && (p.HasNext == nil || *p.HasNext)
		return Step[T, string]{Items: p.Items, Next: p.Next, More: more}, nil
	}, lim)
}

// Fail returns an iterator that yields err once: how an iterator reports
// bad params without fetching anything.
func Fail[T any](err error) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		yield(zero, err)
	}
}
