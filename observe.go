package creatorkit

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"time"
)

// Observer sees every call a client makes: give it to a client with the
// vendor package's WithObserver option. contrib/otel turns these events
// into OpenTelemetry spans and metrics; a test or a log line can use them
// as they are.
//
// Events never carry a secret, an id, a handle or a query value: only the
// vendor, the SDK operation, the HTTP method, the path template (ids
// replaced by placeholders), statuses, counts, durations, error kinds and
// spend. Methods run on the calling goroutine, before the call goes on:
// keep them fast, and safe for concurrent use. With no observer set, the
// pipeline does no observer work at all.
type Observer interface {
	// StartCall runs before a call's first request, or when a wait or a
	// roster starts. The context it returns is the call's: a tracing
	// observer puts its span there, and EndAttempt and EndCall get it.
	StartCall(ctx context.Context, call CallInfo) context.Context
	// EndAttempt runs once per request sent, when its answer was read or
	// it failed.
	EndAttempt(ctx context.Context, attempt AttemptEvent)
	// EndCall runs once per call, wait or roster, when it ends.
	EndCall(ctx context.Context, call CallEvent)
}

// HeaderInjector is an Observer that also adds headers to every request
// (a tracing observer propagates the trace context). It gets the call's
// context and the request's headers; it must only add headers.
type HeaderInjector interface {
	InjectHeaders(ctx context.Context, h http.Header)
}

// CallInfo names a call.
type CallInfo struct {
	// Vendor is the vendor package ("engagecheck").
	Vendor string
	// Operation is the SDK call ("Audits.Create", "Audits.GetAndWait",
	// "Audits.CreateAndWaitAll").
	Operation string
	// Method is the HTTP method; empty for a wait or a roster, which make
	// calls of their own.
	Method string
	// Route is the path template relative to the base URL, ids replaced
	// by placeholders ("audits/{id}"); empty when the vendor package gave
	// none (then only Operation names the call).
	Route string
	// Start is when the call started.
	Start time.Time
}

// AttemptEvent is one request sent.
type AttemptEvent struct {
	CallInfo
	// Attempt numbers the requests of a call from 1.
	Attempt int
	// StatusCode of the answer; 0 when none came.
	StatusCode int
	// Wait is how long the request waited before it was sent: the backoff
	// after the previous attempt and the rate-limit admission.
	Wait time.Duration
	// RateLimitWait is the part of Wait spent in rate-limit admission (the
	// limiter, the vendor's reported budget and holds, the concurrency cap).
	RateLimitWait time.Duration
	// Duration is from sending to the answer read (or the failure).
	Duration time.Duration
	// ErrorKind names the failure ("rate_limited", "server_error",
	// "network_error", ...; see KindName); empty on success.
	ErrorKind string
	// Retried is true when another attempt of the call follows.
	Retried bool
}

// CallEvent is one call, wait or roster, ended.
type CallEvent struct {
	CallInfo
	// Duration of the whole call.
	Duration time.Duration
	// Attempts is how many requests the call sent (its own, for a plain
	// call; 0 for a wait or roster, whose requests are calls of their own).
	Attempts int
	// RateLimitWait is the time the call's requests waited for admission.
	RateLimitWait time.Duration
	// StatusCode of the final answer; 0 when none came, or for a wait or
	// roster.
	StatusCode int
	// ErrorKind names the failure; empty on success.
	ErrorKind string
	// Unit, Spent and SpentUnknown are the call's spend (see Usage).
	Unit         string
	Spent        int64
	SpentUnknown int64
	// Polls counts the status checks a wait or roster made; 0 for a plain
	// call.
	Polls int
	// Items counts the inputs a roster answered; 0 otherwise.
	Items int
}

// KindName returns a stable, low-cardinality name for the first kind of
// err ("invalid_params", "rate_limited", "canceled", "deadline_exceeded",
// ...), "error" for an error of no known kind, and "" for nil.
func KindName(err error) string {
	if err == nil {
		return ""
	}
	var te *TimeoutError
	if errors.As(err, &te) && te.Err != nil {
		// A wait that ran out of time: what ended it is its budget, not
		// the transient failure it last saw.
		err = te.Err
	}
	for _, k := range Kinds() {
		if errors.Is(err, k) {
			return strings.ReplaceAll(k.Error(), " ", "_")
		}
	}
	switch {
	case errors.Is(err, context.Canceled):
		return "canceled"
	case errors.Is(err, context.DeadlineExceeded):
		return "deadline_exceeded"
	}
	return "error"
}
