package transport

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/creatorkit/creatorkit-go/internal/limit"
)

// checkRetry is go-retryablehttp's CheckRetry, run once per attempt (the
// pipeline sets no response handler): it finishes the attempt (reads the
// body, releases its admission, records the rate-limit headers, decodes a
// success body), classifies the outcome with the vendor rules and the
// default policy, and plans the wait Backoff returns.
func (cl *call) checkRetry(ctx context.Context, resp *http.Response, err error) (bool, error) {
	a := cl.finishAttempt(resp, err)
	if errors.As(cl.err, new(*unusableError)) {
		if cl.c.s.Observer != nil {
			cl.observeAttempt(a, false)
		}
		return false, nil // the answer arrived and says the request succeeded; a retry gets the same body
	}
	if ctx.Err() != nil || (a.Err == nil && a.Error == nil) {
		if cl.c.s.Observer != nil {
			cl.observeAttempt(a, false)
		}
		return false, nil
	}
	retry := classify(cl.c.s.Rules, a) == Retry && cl.retries() < cl.c.s.MaxRetries && cl.planWait(a)
	if cl.c.s.Observer != nil {
		cl.observeAttempt(a, retry)
	}
	return retry, nil
}

// finishAttempt reads what the attempt got and returns it for the rules.
func (cl *call) finishAttempt(resp *http.Response, err error) *Attempt {
	c := cl.c
	status, rl := 0, RateLimit{}
	if err == nil && resp != nil {
		var body []byte
		body, err = readBody(resp)
		resp.Body.Close()
		if err == nil && len(body) > maxBody {
			err = fmt.Errorf("response body larger than %d bytes", maxBody)
		}
		if err != nil {
			cl.written.Store(true) // a response started: the server saw the request
			err = fmt.Errorf("reading response body: %w", err)
		} else {
			resp.Body = http.NoBody // read into body; only closed from here on
			cl.received = time.Now()
			rl = c.observe(resp, cl.received)
			status = resp.StatusCode
			cl.lastStatus, cl.lastHeader, cl.lastBody, cl.lastRate = status, resp.Header, body, rl
			if status == http.StatusTooManyRequests {
				cl.tally.rateLimited++
			}
		}
	}
	if cl.admitted {
		c.finish(&cl.ticket, status, rl)
		cl.admitted = false
	}
	// The call's one Attempt, refilled each time: the rules and the
	// observer read it and keep nothing of it.
	a := &cl.attempt
	*a = Attempt{Method: cl.req.Method, Idempotent: cl.idempotent, ErrorsHaveNoEffect: cl.req.ErrorsHaveNoEffect,
		N: cl.attempts - 1, Err: err, Written: cl.written.Load()}
	if status != 0 || a.Written {
		// The request reached the vendor, as far as the client can tell:
		// an attempt that failed before it was written is not counted.
		if cl.tally.requests > 0 {
			cl.tally.retries++
		}
		cl.tally.requests++
	}
	cl.err, cl.failed, cl.issues = err, nil, nil
	if err != nil {
		if a.Written {
			cl.maybeApplied = true
		}
		cl.log(slog.LevelDebug, "attempt failed", "attempt", cl.attempts, "written", a.Written, "error", cl.red.String(err.Error()))
		return a
	}
	if cl.logs(slog.LevelDebug) {
		cl.log(slog.LevelDebug, "attempt", "attempt", cl.attempts, "status", status, "elapsed", cl.received.Sub(cl.sent))
	}
	a.StatusCode, a.Header = status, resp.Header
	if status >= 400 {
		a.Error = cl.newError(status, resp.Header)
		cl.failed = a.Error
		if status >= 500 && !cl.req.ErrorsHaveNoEffect {
			cl.maybeApplied = true
		}
		return a
	}
	cl.echo = nil
	if len(cl.lastBody) >= scanBeside && !cl.c.red.Empty() {
		// A large body: look for echoed credentials on another core while
		// this one decodes (result reads the answer).
		echo := make(chan bool, 1)
		go func(body []byte) { echo <- cl.c.red.Holds(body) }(cl.lastBody)
		cl.echo = echo
	}
	if err := cl.decode(); err != nil {
		a.Error = cl.newError(status, resp.Header)
		SetKind(a.Error, ErrUnexpectedResponse)
		a.Error.Message = err.Error()
		var de *decodeError
		if errors.As(err, &de) {
			a.Error.Cause = garbled{de.err}
			cl.maybeApplied = true // no usable answer came back
		} else if cl.req.Spend.Cost > 0 {
			// The vendor acted on the request, but the SDK cannot read
			// what it made (an id that does not fit): as good as lost.
			cl.maybeApplied = true
		}
		cl.failed, cl.err = a.Error, err
	}
	return a
}

// decode decodes a success body into the call's result.
func (cl *call) decode() error {
	if cl.out == nil || len(bytes.TrimSpace(cl.lastBody)) == 0 {
		return nil
	}
	issues, err := decodeInto(cl.out, cl.lastBody)
	if err != nil {
		return &decodeError{err: err}
	}
	cl.issues = issues
	for _, is := range issues {
		if is.Control || cl.c.s.StrictDecoding {
			return &unusableError{issues: issues, strict: !is.Control}
		}
	}
	return nil
}

// planWait sets the wait before the next attempt: the server's
// Retry-After (or the reset of an empty window on a 429), else backoff.
// It returns false, and the call ends now with RetryAfter on its error,
// when the server's wait is longer than the client sleeps through or the
// wait would end after the context's deadline.
func (cl *call) planWait(a *Attempt) bool {
	s := cl.c.s
	now := time.Now()
	wait, fromServer := serverWait(a, now)
	if !fromServer {
		wait = Backoff(s.RetryWaitMin, s.RetryWaitMax, a.N)
	}
	stop := ""
	if fromServer && wait > s.MaxRetryAfter {
		stop = "server wait longer than allowed"
	} else if dl, ok := cl.ctx.Deadline(); ok && now.Add(wait).After(dl) {
		stop = "wait ends after the context deadline"
	}
	if stop != "" {
		if a.Error != nil {
			a.Error.RetryAfter = wait
		}
		cl.log(slog.LevelInfo, "not retrying: "+stop, "wait", wait, "max", s.MaxRetryAfter)
		return false
	}
	cl.log(slog.LevelInfo, "retrying", "status", a.StatusCode, "error", errString(a.Err), "wait", wait, "attempt", cl.attempts)
	cl.wait = wait
	return true
}

// observe records the rate-limit headers and holds the gate when the
// server says the window is empty or asks to wait.
func (c *Client) observe(resp *http.Response, now time.Time) RateLimit {
	rl := ParseRateLimit(resp.Header, now)
	if rl.Known {
		kept := rl // only a known window goes to the heap
		c.rl.Store(&kept)
		if rl.Remaining == 0 && rl.Reset.After(now) {
			c.gate.HoldUntil(rl.Reset)
		}
	}
	if resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable {
		if d, ok := ParseRetryAfter(resp.Header.Get("Retry-After"), now); ok {
			c.gate.HoldUntil(now.Add(d))
		}
	}
	return rl
}

// resent runs when net/http resent an idempotent request by itself on a
// new connection: the copy takes a window slot and counts as a request.
func (c *Client) resent(cl *call) {
	cl.tally.requests++
	if sl, ok := c.limiter.(limit.Slots); ok && cl.admitted {
		if release, err := sl.Acquire(cl.ctx); err == nil {
			cl.ticket.slots = append(cl.ticket.slots, release)
		}
	}
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
