package transport

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptrace"
	"time"
)

// maxBody caps a response body the SDK will hold in memory.
const maxBody = 64 << 20

// attemptTransport runs once per attempt, inside the retry loop: pacing,
// credentials, the "was it written" probe, body buffering and rate-limit
// bookkeeping all live here, so every retry goes through them too.
type attemptTransport struct {
	c    *Client
	base http.RoundTripper
}

func (t *attemptTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	st, _ := ctx.Value(stateKey{}).(*callState)
	c := t.c
	if err := c.gate.wait(ctx); err != nil {
		return nil, &limiterError{err}
	}
	if sl, ok := c.limiter.(slotLimiter); ok {
		// The default limiter's window guard frees this request's slot
		// only once its answer is in: see NewWindowLimiter.
		release, err := sl.acquire(ctx)
		if err != nil {
			return nil, &limiterError{err}
		}
		defer release()
		// net/http resends an idempotent request by itself when a reused
		// connection fails under it, and the vendor may have counted the
		// first copy: every connection the request goes out on takes a slot.
		var resent []func()
		defer func() {
			for _, r := range resent {
				r()
			}
		}()
		conns := 0
		req = req.WithContext(httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{GotConn: func(httptrace.GotConnInfo) {
			if conns++; conns > 1 {
				if r, err := sl.acquire(ctx); err == nil {
					resent = append(resent, r)
				}
			}
		}}))
	} else if err := c.limiter.Wait(ctx); err != nil {
		return nil, &limiterError{err}
	}
	if c.sem != nil {
		select {
		case c.sem <- struct{}{}:
			defer func() { <-c.sem }()
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}

	seq, err := c.budget.take(ctx)
	if err != nil {
		return nil, &limiterError{err}
	}
	status, reported := 0, RateLimit{}
	defer func() { c.budget.done(seq, status, reported) }()

	if st != nil {
		st.attempts++
		st.written.Store(false) // the WroteRequest hook set up in Do sets it
	}
	start := time.Now()
	resp, err := t.base.RoundTrip(req)
	if err != nil {
		if st != nil && c.s.Logger != nil {
			st.log(ctx, slog.LevelDebug, "attempt failed", "attempt", st.attempts, "written", st.written.Load(), "error", c.red.String(err.Error()), "elapsed", time.Since(start))
		}
		return nil, err
	}
	body, err := readBody(resp)
	resp.Body.Close()
	if err == nil && len(body) > maxBody {
		err = fmt.Errorf("response body larger than %d bytes", maxBody)
	}
	if err != nil {
		if st != nil {
			st.written.Store(true) // a response started: the server saw the request
			if c.s.Logger != nil {
				st.log(ctx, slog.LevelDebug, "reading body failed", "attempt", st.attempts, "status", resp.StatusCode, "error", err.Error())
			}
		}
		return nil, fmt.Errorf("reading response body: %w", err)
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	resp.ContentLength = int64(len(body))
	resp.Request = req // some RoundTrippers (mocks) leave it unset; the retry loop reads the call state from it

	now := time.Now()
	rl := c.observe(resp, now)
	status, reported = resp.StatusCode, rl
	if st != nil {
		st.lastStatus, st.lastHeader, st.lastBody, st.lastRate = resp.StatusCode, resp.Header, body, rl
		if c.s.Logger != nil {
			st.log(ctx, slog.LevelDebug, "attempt", "attempt", st.attempts, "status", resp.StatusCode, "elapsed", now.Sub(start))
		}
	}
	return resp, nil
}

// limiterError is an error from the gate or the Limiter: nothing was sent.
// When it says how long the wait would have been it is final and
// ErrRateLimited; otherwise (the limiter itself failed) it is retried like
// a connection that failed before anything was written.
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

// observe records the rate-limit headers and holds the gate when the
// server says the window is empty or asks to wait.
func (c *Client) observe(resp *http.Response, now time.Time) RateLimit {
	rl := ParseRateLimit(resp.Header, now)
	if rl.Known {
		c.rl.Store(&rl)
		if rl.Remaining == 0 && rl.Reset.After(now) {
			c.gate.holdUntil(rl.Reset)
		}
	}
	if resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable {
		if d, ok := ParseRetryAfter(resp.Header.Get("Retry-After"), now); ok {
			c.gate.holdUntil(now.Add(d))
		}
	}
	return rl
}

// readBody reads at most maxBody+1 bytes of the answer, into a buffer
// sized once from Content-Length when the server sent one (io.ReadAll
// would grow and copy it a dozen times for a 580 KB report).
func readBody(resp *http.Response) ([]byte, error) {
	r := io.LimitReader(resp.Body, maxBody+1)
	if n := resp.ContentLength; n > 0 && n <= maxBody {
		buf := bytes.NewBuffer(make([]byte, 0, n+bytes.MinRead))
		_, err := buf.ReadFrom(r)
		return buf.Bytes(), err
	}
	return io.ReadAll(r)
}
