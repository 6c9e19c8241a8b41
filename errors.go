package creatorkit

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Sentinel kinds. Every *Error carries one or more of them; test with
// errors.Is. Every vendor package re-exports all of them under the same
// names, with the same values.
var (
	// ErrInvalidParams: the SDK refused the input before sending anything
	// (StatusCode is 0), or the server rejected it with 400 or 422.
	ErrInvalidParams = errors.New("invalid params")
	// ErrUnauthorized: the credentials are missing, invalid or revoked (401,
	// or the vendor's own code for it).
	ErrUnauthorized = errors.New("unauthorized")
	// ErrForbidden: the credentials are valid but may not do this (403).
	// A spent quota is ErrQuotaExceeded, never ErrForbidden.
	ErrForbidden = errors.New("forbidden")
	// ErrNotFound: the resource does not exist (404).
	ErrNotFound = errors.New("not found")
	// ErrConflict: the request conflicts with the resource's state (409).
	ErrConflict = errors.New("conflict")
	// ErrRateLimited: too many requests (429), or the client-side limiter
	// could not grant a slot before the context deadline. Error.RetryAfter
	// says how long to wait when it is known. Retried automatically.
	ErrRateLimited = errors.New("rate limited")
	// ErrQuotaExceeded: the paid balance (credits, tokens, requests) is
	// spent. Never retried. Error.ResetAt is set when the vendor says when
	// the quota renews.
	ErrQuotaExceeded = errors.New("quota exceeded")
	// ErrServer: the server failed (5xx).
	ErrServer = errors.New("server error")
	// ErrNetwork: the connection failed or was lost.
	ErrNetwork = errors.New("network error")
	// ErrOutcomeUnknown: a request that is not safe to repeat (one that
	// spends credits) may have reached the server, but no usable answer
	// came back. The SDK did not resend it. Vendor packages reconcile where
	// the API allows it; otherwise check before trying again.
	ErrOutcomeUnknown = errors.New("outcome unknown")
	// ErrUnexpectedResponse: a success status with a body the SDK cannot
	// use: not JSON at all, or a value it needs to go on (a state, an id, a
	// cursor) that does not fit its type, or any mismatch under strict
	// decoding. Values that merely do not fit are not errors: see
	// ResponseMeta.DecodeIssues.
	ErrUnexpectedResponse = errors.New("unexpected response")
	// ErrBudgetExceeded: the client's Budget (WithBudget) cannot hold
	// what the call may cost, so the SDK refused it before sending
	// anything. Never retried. Rosters and bulk helpers answer every input
	// they did not start with it.
	ErrBudgetExceeded = errors.New("budget exceeded")
)

// Kinds lists every sentinel kind, in the order above.
func Kinds() []error {
	return []error{ErrInvalidParams, ErrUnauthorized, ErrForbidden, ErrNotFound, ErrConflict, ErrRateLimited,
		ErrQuotaExceeded, ErrServer, ErrNetwork, ErrOutcomeUnknown, ErrUnexpectedResponse, ErrBudgetExceeded}
}

// Error is the one error type of the SDK; each vendor package exposes it as
// its own Error (engagecheck.Error, hypeauditor.Error, ...).
//
// Secrets (API keys, tokens) never appear in it: every field that came
// from a response is redacted when the error is built.
type Error struct {
	// Vendor is the vendor package name, e.g. "engagecheck".
	Vendor string
	// Op names the SDK call, e.g. "Audits.Create".
	Op string
	// Method and URL of the request (URL redacted). Empty for errors found
	// before sending.
	Method string
	URL    string
	// StatusCode is the HTTP status of the last response; 0 when no
	// response arrived or nothing was sent.
	StatusCode int
	// Code is the vendor's error code, when it sends one (numeric codes
	// are formatted as decimal strings).
	Code string
	// Message is the vendor's error message, or the SDK's own explanation.
	Message string
	// Field names the offending parameter for invalid-params errors found
	// by the SDK.
	Field string
	// RequestID is the vendor's request id, from the response headers or
	// the error body.
	RequestID string
	// RetryAfter is how long the server (or the client-side limiter) asked
	// to wait; 0 when unknown.
	RetryAfter time.Duration
	// ResetAt is when a spent quota renews, when the vendor says so.
	ResetAt time.Time
	// Attempts is how many times the request was sent.
	Attempts int
	// Body is the raw body of the last response (redacted, at most 64 KiB).
	Body []byte
	// Details holds vendor-specific structured detail (per-field validation
	// errors, required/available token counts, ...), as raw JSON.
	Details []byte
	// Kinds are the sentinel kinds of the error (ErrNotFound, ...); test
	// them with errors.Is rather than reading the slice.
	Kinds []error
	// Cause is the underlying error, when there is one (a network error, a
	// context error, a limiter's error); errors.Is and errors.As see it.
	Cause error
}

// Unwrap returns the sentinel kinds and the underlying cause, so errors.Is
// and errors.As see all of them.
func (e *Error) Unwrap() []error {
	out := make([]error, 0, len(e.Kinds)+1)
	out = append(out, e.Kinds...)
	if e.Cause != nil {
		out = append(out, e.Cause)
	}
	return out
}

// Is reports whether e has the given kind; it lets errors.Is match kinds
// without walking Unwrap.
func (e *Error) Is(target error) bool {
	for _, k := range e.Kinds {
		if k == target {
			return true
		}
	}
	return false
}

// Temporary reports whether the same request may succeed if made again
// later, after the SDK's own retries ran out: the answer was a 429
// (ErrRateLimited), a 5xx (ErrServer), a lost connection (ErrNetwork) or a
// success status whose body was not JSON at all (a proxy's error page),
// and nothing was spent. A spent quota, an outcome that is unknown (a paid
// request may have reached the server), a context that ended and every
// other 4xx are not temporary. The SDK's waits and roster helpers use it
// to wait longer instead of dropping a result.
func (e *Error) Temporary() bool {
	if e.Is(ErrQuotaExceeded) || e.Is(ErrOutcomeUnknown) || e.Is(ErrBudgetExceeded) || errors.Is(e, context.Canceled) || errors.Is(e, context.DeadlineExceeded) {
		return false
	}
	if e.Is(ErrRateLimited) || e.Is(ErrServer) || e.Is(ErrNetwork) {
		return true
	}
	var t interface{ Temporary() bool }
	return e.Is(ErrUnexpectedResponse) && errors.As(e.Cause, &t) && t.Temporary()
}

// Error formats the error as
// "vendor: Op: METHOD URL: 402 Payment Required: message (code X, request id Y, retry after 3s, after 2 attempts)".
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.Vendor)
	if e.Op != "" {
		b.WriteString(": ")
		b.WriteString(e.Op)
	}
	if e.Method != "" {
		fmt.Fprintf(&b, ": %s %s", e.Method, e.URL)
	}
	switch {
	case e.StatusCode != 0:
		fmt.Fprintf(&b, ": %d %s", e.StatusCode, http.StatusText(e.StatusCode))
	case len(e.Kinds) > 0:
		b.WriteString(": ")
		b.WriteString(e.Kinds[0].Error())
	}
	if e.Field != "" {
		b.WriteString(": ")
		b.WriteString(e.Field)
	}
	msg := e.Message
	if msg == "" && e.Cause != nil {
		msg = e.Cause.Error()
	}
	if msg != "" {
		b.WriteString(": ")
		b.WriteString(msg)
	}
	var extra []string
	if e.Code != "" {
		extra = append(extra, "code "+e.Code)
	}
	if e.RequestID != "" {
		extra = append(extra, "request id "+e.RequestID)
	}
	if e.RetryAfter > 0 {
		extra = append(extra, "retry after "+e.RetryAfter.Round(time.Millisecond).String())
	}
	if !e.ResetAt.IsZero() {
		extra = append(extra, "quota resets "+e.ResetAt.UTC().Format(time.RFC3339))
	}
	if e.Attempts > 1 {
		extra = append(extra, "after "+strconv.Itoa(e.Attempts)+" attempts")
	}
	if len(extra) > 0 {
		b.WriteString(" (")
		b.WriteString(strings.Join(extra, ", "))
		b.WriteString(")")
	}
	return b.String()
}

// KindForStatus maps an HTTP status to its default sentinel kind; nil for
// statuses without one.
func KindForStatus(status int) error {
	switch {
	case status == http.StatusBadRequest || status == http.StatusUnprocessableEntity:
		return ErrInvalidParams
	case status == http.StatusUnauthorized:
		return ErrUnauthorized
	case status == http.StatusPaymentRequired:
		return ErrQuotaExceeded
	case status == http.StatusForbidden:
		return ErrForbidden
	case status == http.StatusNotFound:
		return ErrNotFound
	case status == http.StatusConflict:
		return ErrConflict
	case status == http.StatusTooManyRequests:
		return ErrRateLimited
	case status >= 500:
		return ErrServer
	}
	return nil
}
