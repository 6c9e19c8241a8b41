package infludata

import (
	"context"
	"time"

	"github.com/creatorkit/creatorkit-go/internal/poll"
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
// and the last of them, and ctx's error): see poll.Persist.
func (c *Client) settle(ctx context.Context, op, what string, call func() error) error {
	_, err := poll.Persist(ctx, vendor, op, what, max(c.retryMin, time.Millisecond), max(c.retryMax, c.retryMin, time.Millisecond),
		func(context.Context) (struct{}, error) { return struct{}{}, call() })
	return err
}

// ctxErr is ctx's error, or DeadlineExceeded when the deadline is too near
// for another request although the context has not ended yet.
func ctxErr(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return context.DeadlineExceeded
}
