package transport

import (
	"context"
	"errors"
	"time"

	"github.com/creatorkit/creatorkit-go/internal/limit"
)

// ticket is one attempt's admission: what it holds until its answer is
// in. Every attempt of every call is admitted by the one step admit, run
// before the attempt (by Do for the first, by the retry loop's
// PrepareRetry for the others), and released by finish once its answer
// was read or it failed.
type ticket struct {
	slots  []func() // window-guard slots, freed one window after the answer
	sem    bool     // holds a concurrency slot
	seq    int64    // the attempt's number in the reported budget
	waited time.Duration
}

// admit waits, in order, for the server's hold (Retry-After, an empty
// X-RateLimit window), the client's limiter, the pace group's windows, a
// concurrency slot and the vendor's reported budget. Nothing has been sent
// when it fails; what it took is given back.
func (c *Client) admit(ctx context.Context, pace string, t *ticket) error {
	start := time.Now()
	*t = ticket{slots: t.slots[:0]}
	fail := func(err error) error {
		for _, release := range t.slots {
			release() // nothing was sent; freeing a window later errs on the safe side
		}
		if t.sem {
			<-c.sem
		}
		t.slots = t.slots[:0]
		t.waited = time.Since(start)
		return &limiterError{err}
	}
	if err := c.gate.Wait(ctx); err != nil {
		return fail(err)
	}
	for _, l := range []Limiter{c.limiter, c.pace[pace]} {
		switch l := l.(type) {
		case nil:
		case limit.Slots:
			release, err := l.Acquire(ctx)
			if err != nil {
				return fail(err)
			}
			t.slots = append(t.slots, release)
		default:
			if err := l.Wait(ctx); err != nil {
				return fail(err)
			}
		}
	}
	if c.sem != nil {
		select {
		case c.sem <- struct{}{}:
			t.sem = true
		case <-ctx.Done():
			return fail(ctx.Err())
		}
	}
	seq, err := c.pacer.Take(ctx)
	if err != nil {
		return fail(err)
	}
	if err := expired(ctx); err != nil {
		// A wait that ended on the deadline's instant (its timer and the
		// context's fire together, and select picks either) sends nothing:
		// an attempt written as the context ends would be an answer lost,
		// a paid call's outcome unknown, for nothing.
		c.pacer.Done(seq, 0, RateLimit{}) // not sent
		return fail(err)
	}
	t.seq = seq
	t.waited = time.Since(start)
	return nil
}

// finish releases an attempt's admission: status is its answer's HTTP
// status (0 when none came) and rl what the answer reported.
func (c *Client) finish(t *ticket, status int, rl RateLimit) {
	for _, release := range t.slots {
		release()
	}
	t.slots = t.slots[:0]
	if t.sem {
		<-c.sem
		t.sem = false
	}
	c.pacer.Done(t.seq, status, rl)
}

// limiterError is an error from admission: nothing was sent. When it says
// how long the wait would have been it is final and ErrRateLimited;
// otherwise (the limiter itself failed) it is retried like a connection
// that failed before anything was written.
type limiterError struct{ err error }

func (e *limiterError) Error() string { return e.err.Error() }
func (e *limiterError) Unwrap() error { return e.err }

// retryAfter returns the wait a limiter error reports: a *DelayError, or
// any error with a RetryAfter() time.Duration method (a shared limiter such
// as contrib/redislimit).
func (e *limiterError) retryAfter() (time.Duration, bool) {
	var de *DelayError
	if errors.As(e.err, &de) {
		return de.Delay, true
	}
	var ra interface{ RetryAfter() time.Duration }
	if errors.As(e.err, &ra) {
		return ra.RetryAfter(), true
	}
	return 0, false
}

// expired is ctx's error, or context.DeadlineExceeded once its deadline
// has passed even if the context's own timer has not fired yet.
func expired(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if d, ok := ctx.Deadline(); ok && !time.Now().Before(d) {
		return context.DeadlineExceeded
	}
	return nil
}
