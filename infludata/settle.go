package infludata

import (
	"context"
	"time"

	"github.com/creatorkit/creatorkit-go/internal/poll"
	"github.com/creatorkit/creatorkit-go/internal/transport"
)

// settle runs call until it succeeds, fails for good, or ctx ends. A
// transient failure (poll.IsTransient: a 429 or 5xx that outlasted the
// transport's own retries, a connection that failed before sending) is
// tried again after a backoff that grows within the client's retry waits
// (WithRetryWait): influData charges no failed request, so trying a paid
// call again after such an answer cannot pay twice. An answer that may
// have been charged and was lost (ErrOutcomeUnknown) is not transient and
// comes back at once.
//
// When ctx ends while a transient failure is being waited out, settle
// returns a *TimeoutError (op, what, the count of transient failures
// and the last of them, and ctx's error).
func (c *Client) settle(ctx context.Context, op, what string, call func() error) error {
	start := time.Now()
	var last error
	for n := 0; ; n++ {
		err := call()
		if err == nil || !poll.IsTransient(err) {
			return err
		}
		last = err
		if ctx.Err() != nil || poll.Sleep(ctx, c.backoff(n)) != nil {
			return &TimeoutError{Vendor: vendor, Op: op, Last: what, Checks: n + 1, Elapsed: time.Since(start),
				TransientErrors: n + 1, LastError: last, Err: ctxErr(ctx)}
		}
	}
}

// backoff is the pause after n+1 consecutive transient failures: the
// client's retry waits, growing.
func (c *Client) backoff(n int) time.Duration {
	return max(transport.Backoff(c.retryMin, c.retryMax, n), time.Millisecond)
}

// ctxErr is ctx's error, or DeadlineExceeded when the deadline is too near
// for another request although the context has not ended yet.
func ctxErr(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return context.DeadlineExceeded
}
