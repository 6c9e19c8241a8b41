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
//     with an error;
//   - given UniqueBy, never yields the same item twice.
//
// Offset, skip-count and page-number APIs number their rows at the moment
// each page is read. When rows are added or removed during a walk (another
// job enriching creators, audits submitted on the same key), the rows after
// the change shift: an insertion ahead of the walk moves rows already
// yielded onto the next page (UniqueBy drops those repeats), and a removal
// moves rows not yet yielded onto a page already read (those are missed; no
// client can see them without starting over). Cursor APIs that bind the
// cursor to a row do not shift.
package paging

import (
	"context"
	"errors"
	"fmt"
	"iter"

	"github.com/creatorkit/creatorkit-go"
)

// Limits caps a walk (creatorkit.Limits). Zero means no cap here; vendor
// iterators apply their documented defaults before walking.
type Limits = creatorkit.Limits

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

// Option tunes a walk.
type Option[T any] func(*walkConfig[T])

type walkConfig[T any] struct {
	key func(T) string
}

// UniqueBy drops an item whose key (the vendor's id) was already yielded
// in this walk, so a dataset that shifts between pages never yields the
// same item twice. Items with an empty key are always yielded. Dropped
// repeats do not count toward MaxItems.
func UniqueBy[T any](key func(T) string) Option[T] {
	return func(c *walkConfig[T]) { c.key = key }
}

// Walk is the one pager: it starts at start and follows Step.Next while
// Step.More is true.
func Walk[T any, P comparable](ctx context.Context, start P, fetch Fetch[T, P], lim Limits, opts ...Option[T]) iter.Seq2[T, error] {
	var cfg walkConfig[T]
	for _, o := range opts {
		o(&cfg)
	}
	return func(yield func(T, error) bool) {
		var zero T
		pos := start
		seen := map[P]bool{pos: true}
		var yieldedKeys map[string]bool
		if cfg.key != nil {
			yieldedKeys = map[string]bool{}
		}
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
				if yieldedKeys != nil {
					if k := cfg.key(it); k != "" {
						if yieldedKeys[k] {
							continue
						}
						yieldedKeys[k] = true
					}
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
func Offset[T any](ctx context.Context, start, limit int, fetch func(ctx context.Context, offset int) (OffsetPage[T], error), lim Limits, opts ...Option[T]) iter.Seq2[T, error] {
	return Walk(ctx, start, func(ctx context.Context, off int) (Step[T, int], error) {
		p, err := fetch(ctx, off)
		if err != nil {
			return Step[T, int]{}, err
		}
		next := off + len(p.Items)
		more := len(p.Items) > 0 && len(p.Items) >= limit && (p.Total < 0 || next < p.Total)
		return Step[T, int]{Items: p.Items, Next: next, More: more}, nil
	}, lim, opts...)
}

// SkipCount walks an API that skips a fixed number of results per page
// (influData discovery: steps of 20). The walk ends on a short or empty
// page, or when the skip reaches total (when known, else pass -1).
func SkipCount[T any](ctx context.Context, start, step int, fetch func(ctx context.Context, skip int) (items []T, total int, err error), lim Limits, opts ...Option[T]) iter.Seq2[T, error] {
	return Walk(ctx, start, func(ctx context.Context, skip int) (Step[T, int], error) {
		items, total, err := fetch(ctx, skip)
		if err != nil {
			return Step[T, int]{}, err
		}
		next := skip + step
		more := len(items) >= step && (total < 0 || next < total)
		return Step[T, int]{Items: items, Next: next, More: more}, nil
	}, lim, opts...)
}

// PageNumber walks a page-number API from page start (usually 1). The walk
// ends on a short or empty page, or after the last page when totalPages is
// known (else -1).
func PageNumber[T any](ctx context.Context, start, perPage int, fetch func(ctx context.Context, page int) (items []T, totalPages int, err error), lim Limits, opts ...Option[T]) iter.Seq2[T, error] {
	return Walk(ctx, start, func(ctx context.Context, page int) (Step[T, int], error) {
		items, totalPages, err := fetch(ctx, page)
		if err != nil {
			return Step[T, int]{}, err
		}
		more := len(items) > 0 && len(items) >= perPage && (totalPages < 0 || page < totalPages)
		return Step[T, int]{Items: items, Next: page + 1, More: more}, nil
	}, lim, opts...)
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
func Cursor[T any](ctx context.Context, start string, fetch func(ctx context.Context, cursor string) (CursorPage[T], error), lim Limits, opts ...Option[T]) iter.Seq2[T, error] {
	return Walk(ctx, start, func(ctx context.Context, cur string) (Step[T, string], error) {
		p, err := fetch(ctx, cur)
		if err != nil {
			return Step[T, string]{}, err
		}
		more := p.Next != "" && (p.HasNext == nil || *p.HasNext)
		return Step[T, string]{Items: p.Items, Next: p.Next, More: more}, nil
	}, lim, opts...)
}

// Fail returns an iterator that yields err once: how an iterator reports
// bad params without fetching anything.
func Fail[T any](err error) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		yield(zero, err)
	}
}

// ResolveLimits applies a vendor's list options (each func(*Limits) error)
// over a zero Limits, then the iterator's defaults, field by field, as
// every vendor's ListOption documents: a zero field takes def's value (the
// default cap for paid pages; a zero in def is no cap), and a negative
// field means no cap (0 for the pager). A bad option is an ErrInvalidParams
// error for op, before anything is sent.
func ResolveLimits[O ~func(*Limits) error](vendor, op string, def Limits, opts []O) (Limits, error) {
	var lim Limits
	for _, o := range opts {
		if o == nil {
			continue
		}
		if err := o(&lim); err != nil {
			return Limits{}, &creatorkit.Error{Vendor: vendor, Op: op, Field: "options", Message: err.Error(), Kinds: []error{creatorkit.ErrInvalidParams}}
		}
	}
	resolve := func(v, d int) int {
		switch {
		case v == 0:
			return d
		case v < 0:
			return 0
		}
		return v
	}
	return Limits{MaxPages: resolve(lim.MaxPages, def.MaxPages), MaxItems: resolve(lim.MaxItems, def.MaxItems)}, nil
}
