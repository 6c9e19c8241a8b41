package redislimit

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// ErrRedisUnavailable is the kind of the error Wait returns when Redis
// cannot be reached and the limiter fails closed: test it with errors.Is.
var ErrRedisUnavailable = errors.New("redislimit: Redis unreachable")

// UnavailableError reports that the shared limit could not be consulted
// because Redis failed (unreachable, timed out, or answered with an
// error). Nothing was sent.
type UnavailableError struct {
	// Name is the limiter's caller-given name.
	Name string
	// Err is the Redis client's error.
	Err error
}

// Error describes the unavailable error.
func (e *UnavailableError) Error() string {
	return fmt.Sprintf("redislimit: shared limit %q: Redis unreachable (%v); failing closed, no request sent (WithLocalFallback falls back to a local token bucket instead)", e.Name, e.Err)
}

// Is makes errors.Is(err, ErrRedisUnavailable) true.
func (e *UnavailableError) Is(target error) bool { return target == ErrRedisUnavailable }

// Unwrap returns the Redis client's error.
func (e *UnavailableError) Unwrap() error { return e.Err }

// DelayError reports that the next slot the shared limit can grant lies
// past the context's deadline, so Wait gave up at once instead of sleeping
// into a timeout. It matches context.DeadlineExceeded with errors.Is, which
// also tells the SDK's retry loop not to try again.
type DelayError struct {
	// Name is the limiter's caller-given name.
	Name string
	// Delay is how long the wait would have been.
	Delay time.Duration
	// Local is true when the delay came from the local fallback bucket
	// (Redis was unreachable), not from Redis.
	Local bool
}

// Error describes the delay error.
func (e *DelayError) Error() string {
	src := "shared limit"
	if e.Local {
		src = "local fallback bucket (Redis unreachable)"
	}
	return fmt.Sprintf("redislimit: %s %q: next request allowed in %s, after the context deadline", src, e.Name, e.Delay.Round(time.Millisecond))
}

// Is makes errors.Is(err, context.DeadlineExceeded) true.
func (e *DelayError) Is(target error) bool { return target == context.DeadlineExceeded }

// RetryAfter is how long the wait would have been; the SDK's clients read
// it to report ErrRateLimited with Error.RetryAfter set.
func (e *DelayError) RetryAfter() time.Duration { return e.Delay }
