// Package poll waits for asynchronous work: it calls a check function at a
// growing, jittered interval until the work is done, lets a server hint
// (Retry-After, retryTtl) set the interval, uses the context as the budget,
// and reports the last state seen when the budget runs out.
package poll

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/creatorkit/creatorkit-go"
)

// Config shapes the interval between checks.
type Config struct {
	// Initial is the first interval (default 1 s).
	Initial time.Duration
	// Max caps the interval the poller grows to (default 30 s).
	Max time.Duration
	// Multiplier grows the interval after each check (default 1.5).
	Multiplier float64
	// Jitter spreads each interval by up to ±Jitter of itself (default 0.2),
	// so many waiters do not poll in step.
	Jitter float64
	// MaxHint caps a server hint (default 10 min). A hint longer than the
	// cap is cut to it (or, with StrictHint, ends the wait).
	MaxHint time.Duration
	// Tolerate is how many failed checks in a row a wait outlasts when
	// each failed transiently (IsTransient: a 429, a 5xx, a lost
	// connection that outlasted the transport's own retries): the
	// client's retry count (WithMaxRetries), so that option means the same
	// for a wait as for one call. The next failure in a row ends the wait
	// with that failure; 0 ends it at the first.
	Tolerate int
	// StrictHint makes a server hint a minimum (HypeAuditor's retryTtl): the
	// poller never checks sooner than hinted, not even to fit a last check
	// into the budget. When the hinted wait would end after the context's
	// deadline, Until stops at once with a *TimeoutError wrapping
	// context.DeadlineExceeded; when it is longer than MaxHint, with one
	// wrapping ErrHintTooLong.
	StrictHint bool
}

// ErrHintTooLong is the cause of a *TimeoutError when, with StrictHint,
// the server asked for a longer wait than Config.MaxHint allows.
var ErrHintTooLong = errors.New("the server asked for a longer wait than allowed")

func (c Config) withDefaults() Config {
	if c.Initial <= 0 {
		c.Initial = time.Second
	}
	if c.Max < c.Initial {
		c.Max = max(30*time.Second, c.Initial)
	}
	if c.Multiplier < 1 {
		c.Multiplier = 1.5
	}
	if c.Jitter < 0 || c.Jitter >= 1 {
		c.Jitter = 0
	} else if c.Jitter == 0 {
		c.Jitter = 0.2
	}
	if c.MaxHint <= 0 {
		c.MaxHint = 10 * time.Minute
	}
	return c
}

// Status is what a check reports besides its value.
type Status struct {
	// Done ends the wait (success or a terminal failure, which the caller
	// reads from the value).
	Done bool
	// Hint is the server's requested wait before the next check; 0 for
	// none. It replaces the poller's own interval.
	Hint time.Duration
	// Describe is a short description of the state, for the timeout error
	// ("audit 142 is analyzing").
	Describe string
}

// TimeoutError is returned when the context ends before the work is done
// (creatorkit.TimeoutError).
type TimeoutError = creatorkit.TimeoutError

// Temporary is implemented by errors that say whether the same request may
// succeed if made again later (the SDK's *Error: a 429, a 5xx, a lost
// connection).
type Temporary interface{ Temporary() bool }

// IsTransient reports whether err is a transient answer to a status check:
// an error in its chain says it is Temporary. A transient answer is a
// reason to wait longer, never to end a wait.
func IsTransient(err error) bool {
	var t Temporary
	return errors.As(err, &t) && t.Temporary()
}

// Check looks at the work once.
type Check[T any] func(ctx context.Context) (T, Status, error)

// Until calls check until it reports Done, a terminal error, or the context
// ends. This is the one policy of every wait in the SDK:
//
//   - a check that fails transiently (IsTransient: a 429, a 5xx or a lost
//     connection that outlasted the transport's own retries) is tried again
//     after the next interval, up to Config.Tolerate failures in a row (the
//     client's WithMaxRetries); one more ends the wait with that failure;
//   - any other check error is returned as is;
//   - when the context ends, or its deadline leaves no room for another
//     check, Until returns the last value and a *TimeoutError. When the
//     last wait is shrunk to fit the deadline, the check after it is the
//     last one.
//
// A wait therefore ends by itself even without a deadline: a terminal
// state, a terminal error, or Tolerate+1 transient failures in a row.
func Until[T any](ctx context.Context, vendor, op string, cfg Config, check Check[T]) (T, error) {
	cfg = cfg.withDefaults()
	start := time.Now()
	var last T
	var lastDesc string
	var transient, inARow int
	var lastErr error
	interval := cfg.Initial
	stop := func(checks int, err error) (T, error) {
		return last, &TimeoutError{Vendor: vendor, Op: op, Last: lastDesc, Checks: checks, Elapsed: time.Since(start), TransientErrors: transient, LastError: lastErr, Err: err}
	}
	timeout := func(checks int) (T, error) {
		err := ctx.Err()
		if err == nil { // the deadline is here (or too near) but the context has not ended yet
			err = context.DeadlineExceeded
		}
		return stop(checks, err)
	}
	lastChance := false
	for checks := 1; ; checks++ {
		if ctx.Err() != nil {
			return timeout(checks - 1)
		}
		v, st, err := check(ctx)
		switch {
		case err == nil:
			last, lastDesc, inARow = v, st.Describe, 0
			if st.Done {
				return v, nil
			}
		case errors.Is(err, context.DeadlineExceeded) || (ctx.Err() != nil && errors.Is(err, context.Canceled)):
			// A check that failed because the budget ran out (the context
			// ended, or the next request slot lies past the deadline) is a
			// timeout, not a failure of the work.
			return timeout(checks)
		case IsTransient(err):
			// A transient answer says nothing about the work: wait the
			// next interval and ask again, a bounded number of times.
			transient++
			lastErr = err
			if inARow++; inARow > cfg.Tolerate {
				return v, err
			}
			st = Status{}
		default:
			return v, err
		}
		if lastChance {
			return timeout(checks)
		}
		wait := Jitter(interval, cfg.Jitter)
		strict := cfg.StrictHint && st.Hint > 0
		if st.Hint > 0 {
			if strict && st.Hint > cfg.MaxHint {
				return stop(checks, fmt.Errorf("%w: asked %s, cap %s", ErrHintTooLong, st.Hint, cfg.MaxHint))
			}
			wait = min(st.Hint, cfg.MaxHint)
		}
		interval = min(time.Duration(float64(interval)*cfg.Multiplier), cfg.Max)
		if dl, ok := ctx.Deadline(); ok {
			remaining := time.Until(dl)
			switch {
			case remaining <= 0:
				return timeout(checks)
			case strict && wait+wait/20 >= remaining:
				// The next check may not come sooner than asked, and it
				// would not fit the budget: stop now, not at the deadline.
				return timeout(checks)
			case wait >= remaining:
				// Shrink the last wait so one more check fits the budget;
				// that check is the last (a check may take no time at all
				// on a virtual clock, and the budget must still end).
				wait, lastChance = remaining*9/10, true
			}
		}
		if err := Sleep(ctx, wait); err != nil {
			return timeout(checks)
		}
	}
}

// Backoff returns the wait before retry n (from 0): exponential from
// minWait, capped at maxWait, with jitter over [minWait, cap].
func Backoff(minWait, maxWait time.Duration, n int) time.Duration {
	ceiling := minWait
	for i := 0; i < n && ceiling < maxWait; i++ {
		ceiling *= 2
	}
	ceiling = min(ceiling, maxWait)
	if ceiling <= minWait {
		return minWait
	}
	return minWait + rand.N(ceiling-minWait+1)
}

// Jitter spreads d by up to ±frac of itself.
func Jitter(d time.Duration, frac float64) time.Duration {
	if frac <= 0 || d <= 0 {
		return d
	}
	delta := time.Duration(float64(d) * frac)
	if delta <= 0 {
		return d
	}
	return d - delta + rand.N(2*delta+1)
}

// Sleep waits for d or until the context ends.
func Sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Intervals yields the poller's own intervals (no jitter, no hints), for
// callers that schedule checks themselves, such as a roster poller.
type Intervals struct {
	cfg  Config
	next time.Duration
}

// NewIntervals starts a growing interval sequence.
func NewIntervals(cfg Config) *Intervals {
	cfg = cfg.withDefaults()
	return &Intervals{cfg: cfg, next: cfg.Initial}
}

// Next returns the next interval, jittered, and grows the sequence.
func (s *Intervals) Next() time.Duration {
	d := Jitter(s.next, s.cfg.Jitter)
	s.next = min(time.Duration(float64(s.next)*s.cfg.Multiplier), s.cfg.Max)
	return d
}

// Reset starts the sequence over (progress was made).
func (s *Intervals) Reset() { s.next = s.cfg.Initial }

// Interval returns an option body that sets the first and the longest
// interval, checking 0 < initial <= max; every vendor's WithPollInterval
// is it. maxInterval 0 keeps the vendor's default ceiling defaultMax, or
// initial when that is longer.
func Interval(initial, maxInterval, defaultMax time.Duration) func(*Config) error {
	return func(c *Config) error {
		if maxInterval == 0 {
			maxInterval = max(defaultMax, initial)
		}
		if initial <= 0 || maxInterval < initial {
			return fmt.Errorf("WithPollInterval needs first > 0 and max 0 or at least first, got %s and %s", initial, maxInterval)
		}
		c.Initial, c.Max = initial, maxInterval
		return nil
	}
}
