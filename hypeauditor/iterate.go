package hypeauditor

import (
	"context"
	"errors"
	"iter"

	"github.com/creatorkit/creatorkit-go/internal/transport"
)

// sdkErrors makes every error an iterator yields an *Error that callers
// can test with errors.Is: a page position that did not move (an answer
// that gave the same cursor twice) is ErrUnexpectedResponse, and the end
// of the context is an *Error of the context's kind (errors.Is(err,
// context.Canceled) holds). An *Error passes unchanged.
func sdkErrors[T any](op string, seq iter.Seq2[T, error]) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		for v, err := range seq {
			if err != nil {
				err = asSDKError(op, err)
			}
			if !yield(v, err) {
				return
			}
		}
	}
}

func asSDKError(op string, err error) error {
	var e *Error
	if errors.As(err, &e) {
		return err
	}
	for _, kind := range []error{context.Canceled, context.DeadlineExceeded} {
		if errors.Is(err, kind) {
			return transport.NewError(vendor, op, kind, "%v", err).WithCause(err)
		}
	}
	return transport.NewError(vendor, op, ErrUnexpectedResponse, "%v", err).WithCause(err)
}
