package ylytic

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"

	"github.com/creatorkit/creatorkit-go"
	"github.com/creatorkit/creatorkit-go/internal/check"
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
	// ErrNotFound: no such resource (404), e.g. no data refresh request
	// with that id.
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
	// ErrOutcomeUnknown: a request that is not safe to repeat
	// (Refresh.Create, ShortLinks.Create: each makes a new request or
	// link) may have reached Ylytic, but no usable answer came back; the
	// SDK did not send it again.
	ErrOutcomeUnknown = creatorkit.ErrOutcomeUnknown
	// ErrUnexpectedResponse: a success status with a body the SDK cannot
	// use (not JSON, or a control field that does not fit).
	ErrUnexpectedResponse = creatorkit.ErrUnexpectedResponse
	// ErrBudgetExceeded: the client's Budget cannot hold what the call may
	// cost. No Ylytic call is priced, so this package never returns it
	// (WithBudget is refused).
	ErrBudgetExceeded = creatorkit.ErrBudgetExceeded
)

// ErrRefused is the kind of the *Error a call returns, next to its
// result, when Ylytic answered 2xx with a "status" other than "success"
// (Creators.Add, Shopify.Connect, Campaigns.UpdateShortLinks): the call
// reached Ylytic, which did not do what was asked.
var ErrRefused = errors.New("ylytic refused the request")

// ErrRefreshFailed is the cause (ItemError.Err) of a data refresh request
// that ended without data: its status message is "failed" or "error", or
// its status code is 400 or more.
var ErrRefreshFailed = errors.New("data refresh failed")

func invalidParams(op, field, format string, args ...any) *Error {
	return transport.InvalidParams(vendor, op, field, format, args...)
}

// refused is the ErrRefused error of an answer whose status is not
// "success".
func refused(t *transport.Client, op, status string, meta *ResponseMeta) *Error {
	e := transport.NewError(vendor, op, ErrRefused, "Ylytic answered status %q", check.Clip(status, 200))
	if meta != nil {
		e.StatusCode, e.RequestID = meta.StatusCode, meta.RequestID
	}
	t.RedactValue(e)
	return e
}

// decodeError understands the shapes Ylytic may use for an error body;
// none is documented. It takes {"error":"msg"}, {"message":"msg"} and
// {"detail":"msg"}.
func decodeError(e *Error, status int, h http.Header, body []byte) {
	transport.DecodeSimpleError(e, status, h, body)
	if e.Message != transport.PlainMessage(body, status) {
		return // the simple decoder found a message
	}
	var v struct {
		Detail string `json:"detail"`
	}
	if json.Unmarshal(body, &v) == nil && v.Detail != "" {
		e.Message = v.Detail
	}
}

// trimLower normalises an enum-like input.
func trimLower(s string) string { return strings.ToLower(strings.TrimSpace(s)) }
