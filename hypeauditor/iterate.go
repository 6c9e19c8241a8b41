package hypeauditor

import (
	"context"
	"errors"
	"iter"

	"github.com/creatorkit/creatorkit-go/internal/paging"
	"github.com/creatorkit/creatorkit-go/internal/transport"
)

// sdkErrors makes every error an iterator yields an *Error that callers
// can test with errors.Is: a page position that did not move (an answer
// that gave the same cursor twice) is ErrUnexpectedResponse, and the end
// of the context is an *Error of the context's kind (errors.Is(err,
// context.Canceled) holds). An *Error passes unchanged. The errors built
// here quote the answer (a cursor), so they are redacted.
func sdkErrors[T any](c *Client, op string, seq iter.Seq2[T, error]) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		for v, err := range seq {
			if err != nil {
				err = asSDKError(c, op, err)
			}
			if !yield(v, err) {
				return
			}
		}
	}
}

func asSDKError(c *Client, op string, err error) error {
	var e *Error
	if errors.As(err, &e) {
		return err
	}
	e = transport.NewError(vendor, op, ErrUnexpectedResponse, "%v", err)
	for _, kind := range []error{context.Canceled, context.DeadlineExceeded} {
		if errors.Is(err, kind) {
			e = transport.NewError(vendor, op, kind, "%v", err)
			break
		}
	}
	c.t.RedactValue(e)
	e.Cause = err
	return e
}

// walkUntilStale walks an API whose page size and end are not documented:
// from position start, each page's position after it is next(pos,
// items), and the walk ends on an empty page or on a page that brings no
// item whose key was not seen yet (an API that ignored the position would
// otherwise loop; items without a key never count as new). An item is
// yielded once. A page's error (the transport's, after its retries) is
// yielded and ends the walk.
func walkUntilStale[T any](ctx context.Context, c *Client, op string, start int, next func(pos, n int) int,
	fetch func(ctx context.Context, pos int) ([]T, error), key func(T) string, lim paging.Limits) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		seen := map[string]bool{} // per walk: a second range starts afresh
		walk := paging.Walk(ctx, start, func(ctx context.Context, pos int) (paging.Step[T, int], error) {
			items, err := fetch(ctx, pos)
			if err != nil {
				return paging.Step[T, int]{}, err
			}
			fresh := false
			for _, it := range items {
				if k := key(it); k != "" && !seen[k] {
					fresh, seen[k] = true, true
				}
			}
			return paging.Step[T, int]{Items: items, Next: next(pos, len(items)), More: fresh}, nil
		}, lim, paging.UniqueBy(key))
		for v, err := range sdkErrors(c, op, walk) {
			if !yield(v, err) {
				return
			}
		}
	}
}
