package firstparty

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/creatorkit/creatorkit-go"
	"github.com/creatorkit/creatorkit-go/internal/transport"
)

// Sentinel kinds, the same values as package creatorkit's (and every
// other creatorkit-go package's): test an error with errors.Is.
var (
	// ErrInvalidParams: the SDK refused the input before sending anything,
	// or Ylytic answered 400 or 422.
	ErrInvalidParams = creatorkit.ErrInvalidParams
	// ErrUnauthorized: the token is missing, invalid or revoked (401).
	ErrUnauthorized = creatorkit.ErrUnauthorized
	// ErrForbidden: the token may not do this (403).
	ErrForbidden = creatorkit.ErrForbidden
	// ErrNotFound: no such resource (404), e.g. no creator with that id.
	ErrNotFound = creatorkit.ErrNotFound
	// ErrConflict: the request conflicts with the resource's state (409).
	ErrConflict = creatorkit.ErrConflict
	// ErrRateLimited: 429 after the SDK's retries, or the client-side
	// limiter could not grant a slot before the context's deadline.
	ErrRateLimited = creatorkit.ErrRateLimited
	// ErrQuotaExceeded: the account's quota is spent (402). Never retried.
	ErrQuotaExceeded = creatorkit.ErrQuotaExceeded
	// ErrServer: Ylytic failed (5xx) after the SDK's retries.
	ErrServer = creatorkit.ErrServer
	// ErrNetwork: the connection failed or was lost.
	ErrNetwork = creatorkit.ErrNetwork
	// ErrOutcomeUnknown: a request that is not safe to repeat may have
	// reached Ylytic, but no usable answer came back. No call of this
	// package is unsafe to repeat, so it does not return it today.
	ErrOutcomeUnknown = creatorkit.ErrOutcomeUnknown
	// ErrUnexpectedResponse: a success status with a body the SDK cannot
	// use (not JSON, or a control field that does not fit).
	ErrUnexpectedResponse = creatorkit.ErrUnexpectedResponse
	// ErrBudgetExceeded: the client's Budget (WithBudget) cannot hold
	// what the call may cost; nothing was sent. Never retried.
	ErrBudgetExceeded = creatorkit.ErrBudgetExceeded
)

// ErrVerificationFailed is the kind of a *VerificationError: Verify
// Creator answered, but with a status other than "success" or a non-null
// error_info.
var ErrVerificationFailed = errors.New("creator verification failed")

// VerificationError reports a verification Ylytic refused. It carries the
// status and error_info as sent (with the client's token removed, like
// every error built from an answer); Verify returns the decoded response
// next to it.
//
// It is not an ItemError: it answers one call of the consent flow, about
// a state and a token, before Ylytic has given any creator id, and its
// detail (error_info) has no place in the shared per-item shape.
type VerificationError struct {
	// State is the state the verification was for.
	State string
	// Status is Ylytic's status ("success" is the only documented value).
	Status VerificationStatus
	// ErrorInfo is error_info as sent (null when absent). Its shape is not
	// documented; Message extracts a text from it.
	ErrorInfo json.RawMessage
}

// Error names the state, the status and the message of error_info.
func (e *VerificationError) Error() string {
	msg := e.Message()
	if msg == "" {
		msg = "no error_info"
	}
	return fmt.Sprintf("firstparty: verification of state %q failed: status %q: %s", shorten(e.State), e.Status, msg)
}

// Message returns a readable text from ErrorInfo: the string itself, or an
// object's "message", "error", "description", "reason" or "detail" field,
// or the raw JSON.
func (e *VerificationError) Message() string { return infoText(e.ErrorInfo) }

// Unwrap returns ErrVerificationFailed.
func (e *VerificationError) Unwrap() error { return ErrVerificationFailed }

// ErrInsightsFailed is the cause (ItemError.Err) of insights Ylytic could
// not produce (a private, restricted or invalid profile), as its insights
// response or webhook says with status "failed" and a status_reason.
var ErrInsightsFailed = errors.New("creator insights failed")

// decodeError understands the shapes Ylytic may use for an error body; none
// is documented. It takes {"error":"msg"}, {"message":"msg"},
// {"detail":"msg"} and the in-body {"status":"failed","error_info":...} of
// Verify Creator.
func decodeError(e *Error, status int, h http.Header, body []byte) {
	transport.DecodeSimpleError(e, status, h, body)
	var v struct {
		Detail    json.RawMessage `json:"detail"`
		ErrorInfo json.RawMessage `json:"error_info"`
		Reason    string          `json:"status_reason"`
	}
	if json.Unmarshal(body, &v) != nil || e.Message != transport.PlainMessage(body, status) {
		return // the simple decoder found a message
	}
	for _, raw := range []json.RawMessage{v.Detail, v.ErrorInfo} {
		if t := infoText(raw); t != "" {
			e.Message = t
			return
		}
	}
	if v.Reason != "" {
		e.Message = v.Reason
	}
}

// infoText extracts a readable message from an undocumented error value.
func infoText(raw json.RawMessage) string {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || bytes.Equal(raw, []byte("null")) {
		return ""
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var m map[string]json.RawMessage
	if json.Unmarshal(raw, &m) == nil {
		for _, k := range []string{"message", "error", "description", "reason", "detail", "error_message"} {
			if json.Unmarshal(m[k], &s) == nil && s != "" {
				return s
			}
		}
	}
	return string(raw)
}

// shorten keeps a secret-ish value recognisable without printing it all.
func shorten(s string) string {
	if len(s) <= 12 {
		return s
	}
	return s[:8] + "…"
}

// trimLower normalises an enum-like input.
func trimLower(s string) string { return strings.ToLower(strings.TrimSpace(s)) }
