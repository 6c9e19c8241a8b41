package infludata

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"strings"

	creatorkit "github.com/creatorkit/creatorkit-go"
	"github.com/creatorkit/creatorkit-go/internal/transport"
)

// Error is the SDK's error type (creatorkit.Error): HTTP status,
// influData's message and code (from {"error":"message"} or
// {"error":{"code","message","details"}}), Details (e.g.
// {"required":20,"available":5}), ResetAt for a spent monthly volume,
// request method and URL, attempts and the raw body. Test its kind with
// errors.Is and read its code with CodeOf.
type Error = creatorkit.Error

// Sentinel kinds: the values of package creatorkit, so errors.Is works
// across vendor packages. What each means for influData:
var (
	// ErrInvalidParams: bad input, nothing sent; or a 400.
	ErrInvalidParams = creatorkit.ErrInvalidParams
	// ErrUnauthorized: 401, the key is missing, invalid or expired.
	ErrUnauthorized = creatorkit.ErrUnauthorized
	// ErrForbidden: 403, a feature the key may not use (audience reports
	// not enabled). A 403 for a spent balance is ErrQuotaExceeded instead.
	ErrForbidden = creatorkit.ErrForbidden
	// ErrNotFound: 404, the creator is not on the platform; and the
	// outcome of GetAndWait and GetAndWaitAll for a creator influData
	// neither holds nor is processing.
	ErrNotFound = creatorkit.ErrNotFound
	// ErrConflict: 409, a trial key was already issued for the email.
	ErrConflict = creatorkit.ErrConflict
	// ErrRateLimited: a burst 429 after retries, or no slot before the
	// context's deadline.
	ErrRateLimited = creatorkit.ErrRateLimited
	// ErrQuotaExceeded: the key's request budget is spent: a 429 with
	// resetDate (organization keys; Error.ResetAt says when it renews) or
	// a 403 for an insufficient balance / INSUFFICIENT_TOKENS
	// (Error.Details holds required and available). Only this kind, never
	// also ErrForbidden. Never retried.
	ErrQuotaExceeded = creatorkit.ErrQuotaExceeded
	// ErrServer: 5xx after retries.
	ErrServer = creatorkit.ErrServer
	// ErrNetwork: the connection failed or was lost.
	ErrNetwork = creatorkit.ErrNetwork
	// ErrOutcomeUnknown: a paid call (getUserData, discovery, getContent)
	// may have been answered and charged, but the answer was lost or
	// garbled; the SDK did not resend it, so no token is spent twice.
	ErrOutcomeUnknown = creatorkit.ErrOutcomeUnknown
	// ErrUnexpectedResponse: a success status with a body the SDK cannot
	// use (not JSON, or a control field of the wrong type).
	ErrUnexpectedResponse = creatorkit.ErrUnexpectedResponse
	// ErrBudgetExceeded: the client's Budget (WithBudget) cannot hold
	// what the call may cost; nothing was sent. Never retried.
	ErrBudgetExceeded = creatorkit.ErrBudgetExceeded
)

// ErrNotReady is the cause (ItemError.Err) when GetAndWait or
// GetAndWaitAll made its one paid getUserData call and still found the
// creator queued (201) or its audience processing (202): influData's
// status moved between the free check and the paid call. The profile is
// returned with it; the SDK does not pay for a second call.
var ErrNotReady = errors.New("not ready")

// Code is an influData error code, from the structured error body
// ({"error":{"code":"INSUFFICIENT_TOKENS",...}}).
type Code string

// CodeInsufficientTokens is the code of a 403 for a balance that cannot
// cover the call (GitHub README). Its *Error is ErrQuotaExceeded.
const CodeInsufficientTokens Code = "INSUFFICIENT_TOKENS"

// CodeOf returns the influData error code of err (an *Error anywhere in
// its chain), or "" when there is none: the plain {"error":"message"}
// body carries no code.
func CodeOf(err error) Code {
	var e *Error
	if errors.As(err, &e) {
		return Code(e.Code)
	}
	return ""
}

// errorBody is influData's error body: "error" is a string or an object
// with code, message and details. 429s for a spent monthly volume carry
// resetDate; verifyTrialKey's 401 carries attemptsRemaining.
type errorBody struct {
	Error             json.RawMessage `json:"error"`
	Message           string          `json:"message"`
	Code              json.RawMessage `json:"code"`
	ResetDate         json.RawMessage `json:"resetDate"`
	AttemptsRemaining *int            `json:"attemptsRemaining"`
}

type errorObject struct {
	Code      json.RawMessage `json:"code"`
	Message   string          `json:"message"`
	Details   json.RawMessage `json:"details"`
	ResetDate json.RawMessage `json:"resetDate"`
}

// decodeError reads influData's error body into e and marks a spent budget
// as ErrQuotaExceeded: 429 with resetDate (web docs) and 403 with
// INSUFFICIENT_TOKENS or an "insufficient ... balance" message (README).
// A 429 without resetDate stays ErrRateLimited and is retried.
func decodeError(e *Error, status int, _ http.Header, body []byte) {
	var v errorBody
	if json.Unmarshal(body, &v) != nil {
		e.Message = transport.PlainMessage(body, status)
		return
	}
	reset := v.ResetDate
	var s string
	var obj errorObject
	switch {
	case json.Unmarshal(v.Error, &s) == nil && s != "":
		e.Message = s
	case len(bytes.TrimSpace(v.Error)) > 0 && bytes.TrimSpace(v.Error)[0] == '{' && json.Unmarshal(v.Error, &obj) == nil:
		e.Message = obj.Message
		e.Code = transport.RawCode(obj.Code)
		if len(obj.Details) > 0 && !bytes.Equal(obj.Details, []byte("null")) {
			e.Details = obj.Details
			if len(reset) == 0 {
				var d struct {
					ResetDate json.RawMessage `json:"resetDate"`
				}
				if json.Unmarshal(obj.Details, &d) == nil {
					reset = d.ResetDate
				}
			}
		}
		if len(reset) == 0 {
			reset = obj.ResetDate
		}
	case v.Message != "":
		e.Message = v.Message
	default:
		e.Message = transport.PlainMessage(body, status)
	}
	if e.Code == "" && len(v.Code) > 0 {
		e.Code = transport.RawCode(v.Code)
	}
	var at Time
	hasReset := len(reset) > 0 && !bytes.Equal(reset, []byte("null")) && json.Unmarshal(reset, &at) == nil && !at.IsZero()
	if hasReset {
		e.ResetAt = at.Time
	}
	switch {
	case status == http.StatusTooManyRequests && hasReset:
		transport.SetKind(e, ErrQuotaExceeded)
	case status == http.StatusForbidden && insufficient(e.Code, e.Message):
		transport.SetKind(e, ErrQuotaExceeded)
	}
}

// insufficient reports whether a 403 is about the balance rather than a
// feature the key lacks.
func insufficient(code, msg string) bool {
	if strings.EqualFold(code, string(CodeInsufficientTokens)) {
		return true
	}
	m := strings.ToLower(msg)
	return strings.Contains(m, "insufficient") && (strings.Contains(m, "balance") || strings.Contains(m, "token") || strings.Contains(m, "request"))
}

// Operation names. The paid ones (getUserData, discovery, getContent) are
// sent with transport.RetryOnce (never resent after an answer that may have
// been charged was lost) and ErrorsHaveNoEffect (influData: "Failed
// requests are not charged"), so a 5xx is retried and is never an unknown
// outcome.
const (
	opGetProfile    = "Profiles.Get"
	opSearch        = "Discovery.Search"
	opContent       = "Content.Get"
	opCreateTrial   = "Trial.Create"
	opVerifyTrial   = "Trial.Verify"
	opDataStatus    = "Profiles.CheckStatus"
	opEnrich        = "Enrichment.Add"
	opAccount       = "Account.Get"
	opCities        = "Discovery.Cities"
	opGetAndWait    = "Profiles.GetAndWait"
	opGetAndWaitAll = "Profiles.GetAndWaitAll"
	opSearchAll     = "Discovery.SearchAll"
	opContentAll    = "Content.ContentAll"
)

var retryRules = []transport.RetryRule{stopTrialLimits}

// stopTrialLimits: the signup endpoints' 429 (too many attempts, per-IP
// signup limit) and 503 (global signup caps) are outcomes to report, not
// to hammer.
func stopTrialLimits(a *transport.Attempt) transport.Verdict {
	if a.Error != nil && (a.Error.Op == opCreateTrial || a.Error.Op == opVerifyTrial) &&
		(a.StatusCode == http.StatusTooManyRequests || a.StatusCode == http.StatusServiceUnavailable) {
		return transport.Stop
	}
	return transport.Pass
}
