package transport

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/creatorkit/creatorkit-go/internal/poll"
)

// Attempt describes one finished attempt, for the retry rules.
type Attempt struct {
	// Method of the request.
	Method string
	// Idempotent is true when the request may be sent again after it may
	// have reached the server (GET, PUT, DELETE, free POSTs, POSTs with an
	// idempotency key the vendor honours).
	Idempotent bool
	// ErrorsHaveNoEffect is Request.ErrorsHaveNoEffect: an error status
	// proves the request did nothing, so a 5xx may be retried.
	ErrorsHaveNoEffect bool
	// N is the attempt number, from 0.
	N int
	// StatusCode of the response; 0 when none arrived.
	StatusCode int
	// Header of the response (nil when none arrived).
	Header http.Header
	// Err is the transport error when no usable response arrived.
	Err error
	// Written is true when the request was fully written to the connection
	// before Err happened: it may have reached the server.
	Written bool
	// Error is the decoded vendor error for a failed response (status >= 400
	// or an undecodable success body); nil otherwise.
	Error *Error
}

// Verdict is a retry rule's answer.
type Verdict int

const (
	// Pass leaves the decision to the next rule.
	Pass Verdict = iota
	// Retry sends the request again (within MaxRetries).
	Retry
	// Stop returns the outcome to the caller.
	Stop
)

// RetryRule is one link of the retry classifier. Vendor rules run before
// the default ones, so a vendor can pin a case (a quota 429 is never
// retried) without rewriting the policy.
type RetryRule func(a *Attempt) Verdict

// DefaultRules is the retry policy of DESIGN.md, as a rule chain:
//
//	connection failed before the request was written  -> retry, any method
//	429 (ErrRateLimited)                              -> retry, any method
//	5xx or connection lost after sending              -> retry only when idempotent
//	                                                     (a 5xx also when errors have no effect)
//	quota spent (ErrQuotaExceeded)                    -> never
//	any other 4xx                                     -> never
var DefaultRules = []RetryRule{ruleTransport, ruleQuota, ruleRateLimited, ruleServer}

func ruleTransport(a *Attempt) Verdict {
	if a.Err == nil {
		return Pass
	}
	if errors.Is(a.Err, context.Canceled) || errors.Is(a.Err, context.DeadlineExceeded) {
		return Stop // the caller's budget ended (or the next slot lies past it)
	}
	var le *limiterError
	if errors.As(a.Err, &le) {
		if _, known := le.retryAfter(); known {
			return Stop // the limiter already said how long: no point asking again now
		}
		return Retry // the limiter failed (say, its Redis blinked): nothing was sent
	}
	if !a.Written || a.Idempotent {
		return Retry
	}
	return Stop
}

func ruleQuota(a *Attempt) Verdict {
	if a.Error != nil && a.Error.Is(ErrQuotaExceeded) {
		return Stop
	}
	return Pass
}

func ruleRateLimited(a *Attempt) Verdict {
	if a.Error != nil && a.Error.Is(ErrRateLimited) {
		return Retry
	}
	return Pass
}

func ruleServer(a *Attempt) Verdict {
	if a.Error == nil {
		return Pass
	}
	retryable := a.Error.Is(ErrServer) && a.StatusCode != http.StatusNotImplemented && a.StatusCode != http.StatusHTTPVersionNotSupported
	switch {
	case retryable && (a.Idempotent || a.ErrorsHaveNoEffect):
		return Retry
	case a.Error.Is(ErrUnexpectedResponse) && a.Idempotent:
		return Retry
	}
	return Stop
}

// classify runs the vendor rules, then the defaults; Stop when none decides.
func classify(rules []RetryRule, a *Attempt) Verdict {
	for _, set := range [2][]RetryRule{rules, DefaultRules} {
		for _, r := range set {
			if v := r(a); v != Pass {
				return v
			}
		}
	}
	return Stop
}

// Backoff returns the wait before retry n (from 0): exponential from minWait,
// capped at maxWait, with jitter over [minWait, cap] (poll.Backoff).
func Backoff(minWait, maxWait time.Duration, n int) time.Duration {
	return poll.Backoff(minWait, maxWait, n)
}

// serverWait returns the wait the server asked for on a retryable response:
// Retry-After, else (on 429) the X-RateLimit-Reset of an empty window.
func serverWait(a *Attempt, now time.Time) (time.Duration, bool) {
	if a.Header == nil {
		return 0, false
	}
	if d, ok := ParseRetryAfter(a.Header.Get("Retry-After"), now); ok {
		return d, true
	}
	if a.StatusCode == http.StatusTooManyRequests {
		if rl := ParseRateLimit(a.Header, now); rl.Remaining == 0 && !rl.Reset.IsZero() {
			return max(rl.Reset.Sub(now), 0), true
		}
	}
	return 0, false
}
