package infludata

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"strings"

	"github.com/creatorkit/creatorkit-go/internal/poll"
	"github.com/creatorkit/creatorkit-go/internal/transport"
)

// Error is the SDK's error type: HTTP status, influData's message and code
// (from {"error":"message"} or {"error":{"code","message","details"}}),
// Details (e.g. {"required":20,"available":5}), ResetAt for a spent
// monthly volume, request method and URL, attempts and the raw body. Test
// its kind with errors.Is.
type Error = transport.Error

// Sentinel kinds; see the transport documentation of each.
var (
	ErrInvalidParams = transport.ErrInvalidParams // bad input, nothing sent; or 400
	ErrUnauthorized  = transport.ErrUnauthorized  // 401: key missing, invalid or expired
	ErrForbidden     = transport.ErrForbidden     // 403: feature not enabled for the key (also set on INSUFFICIENT_TOKENS)
	ErrNotFound      = transport.ErrNotFound      // 404: creator not on the platform
	ErrConflict      = transport.ErrConflict      // 409: a trial key was already issued for the email
	ErrRateLimited   = transport.ErrRateLimited   // burst 429 after retries, or no slot before the deadline
	// ErrQuotaExceeded: the key's request budget is spent: a 429 with
	// resetDate (organization keys; Error.ResetAt says when it renews) or a
	// 403 for an insufficient balance / INSUFFICIENT_TOKENS (Error.Details
	// holds required and available). Never retried.
	ErrQuotaExceeded = transport.ErrQuotaExceeded
	ErrServer        = transport.ErrServer  // 5xx after retries
	ErrNetwork       = transport.ErrNetwork // connection failed or lost
	// ErrOutcomeUnknown: a paid call (getUserData, discovery, getContent)
	// may have been answered and charged, but the answer was lost or
	// garbled; the SDK did not resend it, so no token is spent twice.
	ErrOutcomeUnknown     = transport.ErrOutcomeUnknown
	ErrUnexpectedResponse = transport.ErrUnexpectedResponse // success status, undecodable body
)

// ErrNotReady is the kind of the error GetWithAudience and AudienceAll
// return when the one paid getUserData call still found the creator queued
// (201) or its audience processing (202). The profile is returned with it.
var ErrNotReady = errors.New("not ready")

// WaitTimeoutError is returned by GetWithAudience when the context ends
// before the audience report is ready; it names the last data status seen.
type WaitTimeoutError = poll.TimeoutError

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

// CodeInsufficientTokens is the error code of a 403 for a balance that
// cannot cover the call (GitHub README).
const CodeInsufficientTokens = "INSUFFICIENT_TOKENS"

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
		transport.AddKind(e, ErrForbidden)
	}
}

// insufficient reports whether a 403 is about the balance rather than a
// feature the key lacks.
func insufficient(code, msg string) bool {
	if strings.EqualFold(code, CodeInsufficientTokens) {
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
	opGetProfile   = "Profiles.Get"
	opSearch       = "Discovery.Search"
	opContent      = "Content.Get"
	opCreateTrial  = "Trial.Create"
	opVerifyTrial  = "Trial.Verify"
	opDataStatus   = "Profiles.CheckStatus"
	opEnrich       = "Enrichment.Add"
	opAccount      = "Account.Get"
	opCities       = "Discovery.Cities"
	opWithAudience = "Profiles.GetWithAudience"
	opAudienceAll  = "Profiles.AudienceAll"
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
