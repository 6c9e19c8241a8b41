package redisstore

import (
	"errors"
	"fmt"
)

// ErrRedisUnavailable is the kind of every error that comes from Redis
// failing (unreachable, timed out, or answering with an error): test it
// with errors.Is.
var ErrRedisUnavailable = errors.New("redisstore: Redis unreachable")

// UnavailableError reports that an operation could not be done because
// Redis failed. What it means for the caller is in its text: a consent
// callback is refused (fail closed), a webhook delivery is answered 503.
type UnavailableError struct {
	// Op is what was being done ("consuming a consent state").
	Op string
	// Consequence says what the failure means ("the callback is refused").
	Consequence string
	// Err is the Redis client's error.
	Err error
}

// Error describes the failure and its consequence.
func (e *UnavailableError) Error() string {
	s := fmt.Sprintf("redisstore: %s: Redis unreachable (%v)", e.Op, e.Err)
	if e.Consequence != "" {
		s += ": " + e.Consequence
	}
	return s
}

// Is makes errors.Is(err, ErrRedisUnavailable) true.
func (e *UnavailableError) Is(target error) bool { return target == ErrRedisUnavailable }

// Unwrap returns the Redis client's error.
func (e *UnavailableError) Unwrap() error { return e.Err }

// ErrCorruptState is returned by StateStore.Consume when the value stored
// for a state does not decrypt with that state (it was altered, or written
// by something else under the store's prefix). The state is refused.
var ErrCorruptState = errors.New("redisstore: stored consent state does not decrypt with the presented state")
