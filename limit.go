package creatorkit

import (
	"context"
	"fmt"
	"time"
)

// Limiter paces outgoing requests. Wait blocks until one request may be
// sent, or returns an error when the context ends first (or, for limiters
// that know it in advance, when the slot would come after the context's
// deadline). Implementations must be safe for concurrent use.
//
// Nothing is sent when Wait fails. An error with a RetryAfter()
// time.Duration method (or a *DelayError) is final for the call and
// reported as ErrRateLimited with Error.RetryAfter set; any other error
// (the limiter's own store failed) is retried with backoff like a
// connection that failed before sending.
//
// Each client's default is built from the vendor's documented windows; a
// limiter shared by many processes (contrib/redislimit) replaces it through
// the vendor's WithLimiter option.
type Limiter interface {
	Wait(ctx context.Context) error
}

// Window is a documented request budget: N requests per Per.
type Window struct {
	N   int
	Per time.Duration
}

// String formats the window as "60/1m0s".
func (w Window) String() string { return fmt.Sprintf("%d/%s", w.N, w.Per) }

// DelayError reports that a request could not be sent in time: the
// client-side limiter's next slot, or the server's hold, ends after the
// context deadline (or is longer than the SDK will sleep). Delay is how long
// the wait would have been. It is the Cause of the ErrRateLimited *Error.
type DelayError struct {
	Delay  time.Duration
	Reason string
	// PastDeadline is true when the wait would end after the context's
	// deadline (rather than exceed the longest wait allowed).
	PastDeadline bool
}

// Is makes a DelayError caused by the deadline match
// context.DeadlineExceeded: the caller's budget is what ran out.
func (e *DelayError) Is(target error) bool {
	return e.PastDeadline && target == context.DeadlineExceeded
}

// Error describes the delay.
func (e *DelayError) Error() string {
	return fmt.Sprintf("%s: next request allowed in %s, after the context deadline or the longest wait allowed", e.Reason, e.Delay.Round(time.Millisecond))
}

// RetryAfter returns Delay, so any code that asks an error how long to
// wait understands it.
func (e *DelayError) RetryAfter() time.Duration { return e.Delay }
