package creatorkit

import (
	"fmt"
	"time"
)

// TimeoutError is returned by the waiting helpers (the AndWait calls) when
// the context ends before the work is done. It names the last state seen;
// the helper also returns that last value next to the error. It wraps the
// context's error, so errors.Is(err, context.DeadlineExceeded) holds, and
// the last transient failure, if any.
type TimeoutError struct {
	// Vendor and Op name the waiting call.
	Vendor, Op string
	// Last describes the last state seen.
	Last string
	// Checks is how many checks ran; Elapsed is the time spent.
	Checks  int
	Elapsed time.Duration
	// TransientErrors counts checks that failed with a transient error
	// (429, 5xx, a lost connection) and were tried again.
	TransientErrors int
	// LastError is the latest transient check error, if any: why the last
	// checks did not see the state.
	LastError error
	// Err is the context's error (context.DeadlineExceeded or Canceled), or
	// why the wait could not go on (a server hint longer than allowed).
	Err error
}

// Error describes the timeout.
func (e *TimeoutError) Error() string {
	last := e.Last
	if last == "" {
		last = "no state seen"
	}
	msg := fmt.Sprintf("%s: %s: gave up after %d checks in %s; last state: %s: %v", e.Vendor, e.Op, e.Checks, e.Elapsed.Round(time.Millisecond), last, e.Err)
	if e.LastError != nil {
		msg += fmt.Sprintf(" (%d checks failed transiently; last: %v)", e.TransientErrors, e.LastError)
	}
	return msg
}

// Unwrap returns the context's error and the last transient failure, so
// errors.Is(err, context.DeadlineExceeded) holds and errors.Is / errors.As
// also see what kept the work from finishing (ErrRateLimited, an *Error).
func (e *TimeoutError) Unwrap() []error {
	if e.LastError == nil {
		return []error{e.Err}
	}
	return []error{e.Err, e.LastError}
}
