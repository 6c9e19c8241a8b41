package creatoraudit

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"strings"

	creatorkit "github.com/creatorkit/creatorkit-go"
	"github.com/creatorkit/creatorkit-go/internal/jsonx"
	"github.com/creatorkit/creatorkit-go/internal/transport"
)

// Error is the SDK's error type (creatorkit.Error): HTTP status, the
// problem's code (Code), detail (Message) and request_id (RequestID, also
// read from the X-Request-ID header), the per-field errors of a
// VALIDATION_ERROR as JSON (Details; FieldErrors decodes them),
// Retry-After, attempts and the body. Test its kind with errors.Is and its
// code with CodeOf. Every field that came from the response (detail, the
// errors array, the body, the request id) has been through the client's
// redactor: a key echoed back by a server or a proxy is replaced by
// [REDACTED].
type Error = creatorkit.Error

// Sentinel kinds: the values of package creatorkit, so errors.Is works
// across vendor packages. What each means for CreatorAudit:
var (
	// ErrInvalidParams: bad input, nothing sent; or BAD_REQUEST,
	// VALIDATION_ERROR (a cursor reused with other filters too),
	// NOT_ACCEPTABLE, UNSUPPORTED_MEDIA_TYPE.
	ErrInvalidParams = creatorkit.ErrInvalidParams
	// ErrUnauthorized: UNAUTHORIZED, the key is missing or invalid.
	ErrUnauthorized = creatorkit.ErrUnauthorized
	// ErrForbidden: FORBIDDEN (an inactive key or subscription) and
	// INSUFFICIENT_SCOPE (the key lacks the write or admin scope). A
	// QUOTA_EXCEEDED 403 is ErrQuotaExceeded instead, never this kind.
	ErrForbidden = creatorkit.ErrForbidden
	// ErrNotFound: NOT_FOUND, not in your organization.
	ErrNotFound = creatorkit.ErrNotFound
	// ErrConflict: CONFLICT, a duplicate account, or an account linked to
	// another creator.
	ErrConflict = creatorkit.ErrConflict
	// ErrRateLimited: RATE_LIMITED after retries, or no slot before the
	// context's deadline.
	ErrRateLimited = creatorkit.ErrRateLimited
	// ErrQuotaExceeded: QUOTA_EXCEEDED, the organization's tracking cap
	// (a 403). Only this kind, never also ErrForbidden; never retried.
	ErrQuotaExceeded = creatorkit.ErrQuotaExceeded
	// ErrServer: INTERNAL_ERROR, UPSTREAM_ERROR, SERVICE_UNAVAILABLE after
	// retries.
	ErrServer = creatorkit.ErrServer
	// ErrNetwork: the connection failed or was lost.
	ErrNetwork = creatorkit.ErrNetwork
	// ErrOutcomeUnknown: a request that is not safe to repeat may have
	// reached the server (creates carry an Idempotency-Key and are safe).
	ErrOutcomeUnknown = creatorkit.ErrOutcomeUnknown
	// ErrUnexpectedResponse: a success status with a body the SDK cannot
	// use (not JSON, or an unreadable control field).
	ErrUnexpectedResponse = creatorkit.ErrUnexpectedResponse
	// ErrBudgetExceeded: the client's Budget (WithBudget) cannot hold
	// what the call may cost; nothing was sent. Never retried.
	ErrBudgetExceeded = creatorkit.ErrBudgetExceeded
)

// ErrUnavailable is the cause (ItemError.Err) when Accounts.GetAndWait or
// Videos.GetAndWait finds the account or video marked unavailable
// (is_unavailable) before it was ever scraped: it will not be, so waiting
// longer is futile.
var ErrUnavailable = errors.New("unavailable on the platform")

// Code is the code of a CreatorAudit problem response.
type Code string

// The 14 documented error codes.
const (
	CodeBadRequest           Code = "BAD_REQUEST"            // 400 malformed request
	CodeUnauthorized         Code = "UNAUTHORIZED"           // 401 missing or invalid key
	CodeForbidden            Code = "FORBIDDEN"              // 403 inactive key or subscription
	CodeInsufficientScope    Code = "INSUFFICIENT_SCOPE"     // 403 the key lacks the write or admin scope
	CodeQuotaExceeded        Code = "QUOTA_EXCEEDED"         // 403 tracking quota reached
	CodeNotFound             Code = "NOT_FOUND"              // 404 not in your organization
	CodeNotAcceptable        Code = "NOT_ACCEPTABLE"         // 406 Accept not satisfiable as JSON
	CodeConflict             Code = "CONFLICT"               // 409 state conflict or duplicate
	CodeUnsupportedMediaType Code = "UNSUPPORTED_MEDIA_TYPE" // 415 write body not JSON
	CodeValidationError      Code = "VALIDATION_ERROR"       // 422 validation failed (also a cursor reused with other filters)
	CodeRateLimited          Code = "RATE_LIMITED"           // 429 rate limit
	CodeInternalError        Code = "INTERNAL_ERROR"         // 500 server error
	CodeUpstreamError        Code = "UPSTREAM_ERROR"         // 502 upstream provider error
	CodeServiceUnavailable   Code = "SERVICE_UNAVAILABLE"    // 503 temporary; retried
)

// Codes returns the documented codes, in the documentation's order (a
// fresh slice on each call).
func Codes() []Code {
	return []Code{CodeBadRequest, CodeUnauthorized, CodeForbidden, CodeInsufficientScope, CodeQuotaExceeded,
		CodeNotFound, CodeNotAcceptable, CodeConflict, CodeUnsupportedMediaType, CodeValidationError, CodeRateLimited,
		CodeInternalError, CodeUpstreamError, CodeServiceUnavailable}
}

// Status returns the HTTP status the code is documented with (0 for an
// unknown code).
func (c Code) Status() int {
	switch c {
	case CodeBadRequest:
		return http.StatusBadRequest
	case CodeUnauthorized:
		return http.StatusUnauthorized
	case CodeForbidden, CodeInsufficientScope, CodeQuotaExceeded:
		return http.StatusForbidden
	case CodeNotFound:
		return http.StatusNotFound
	case CodeNotAcceptable:
		return http.StatusNotAcceptable
	case CodeConflict:
		return http.StatusConflict
	case CodeUnsupportedMediaType:
		return http.StatusUnsupportedMediaType
	case CodeValidationError:
		return http.StatusUnprocessableEntity
	case CodeRateLimited:
		return http.StatusTooManyRequests
	case CodeInternalError:
		return http.StatusInternalServerError
	case CodeUpstreamError:
		return http.StatusBadGateway
	case CodeServiceUnavailable:
		return http.StatusServiceUnavailable
	}
	return 0
}

// kind is the sentinel kind of a code.
func (c Code) kind() error {
	switch c {
	case CodeBadRequest, CodeValidationError, CodeNotAcceptable, CodeUnsupportedMediaType:
		return ErrInvalidParams
	case CodeUnauthorized:
		return ErrUnauthorized
	case CodeForbidden, CodeInsufficientScope:
		return ErrForbidden
	case CodeQuotaExceeded:
		return ErrQuotaExceeded
	case CodeNotFound:
		return ErrNotFound
	case CodeConflict:
		return ErrConflict
	case CodeRateLimited:
		return ErrRateLimited
	case CodeInternalError, CodeUpstreamError, CodeServiceUnavailable:
		return ErrServer
	}
	return nil
}

// Problem is an RFC 9457 problem document as CreatorAudit sends it
// (application/problem+json): the whole error body, for what *Error does
// not carry in its own fields (Type, Title, Instance). It is not a
// per-item error: an *Error is always the error value, and ProblemOf
// reads its Problem out of Error.Body, which the client has redacted (a
// key echoed back is [REDACTED] here too).
type Problem struct {
	// Type is a URN such as "urn:creatoraudit:error:not-found".
	Type   string `json:"type,omitempty"`
	Title  string `json:"title,omitempty"`
	Status int    `json:"status,omitempty"`
	Detail string `json:"detail,omitempty"`
	Code   Code   `json:"code,omitempty"`
	// Instance is the request path, e.g. "/v2/accounts/{id}".
	Instance  string `json:"instance,omitempty"`
	RequestID string `json:"request_id,omitempty"`
	// Errors are the per-field failures of a VALIDATION_ERROR (422 only).
	Errors []FieldError `json:"errors,omitempty"`
}

// FieldError is one failed field of a VALIDATION_ERROR (see FieldErrors;
// read from the redacted Error.Details).
type FieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// maxProblemBody caps the canonical re-encoding decodeProblem may store in
// Error.Body (the transport keeps at most 64 KiB of a body).
const maxProblemBody = 64 << 10

// decodeProblem is the transport's ErrorDecoder for problem+json bodies.
// It decodes tolerantly (a status sent as a string does not cost the
// code), and everything it stores is response data: the transport runs the
// client's redactor over every field of the error after it. So that the
// redactor sees each string as the API meant it, whatever JSON escapes the
// body used (a "\u0061" hides an "a" from a textual search), Details holds
// the errors array re-encoded canonically, and a body that uses \u escapes
// is stored re-encoded the same way.
func decodeProblem(e *Error, status int, _ http.Header, body []byte) {
	var p Problem
	if _, err := jsonx.Decode(body, &p); err != nil || (p.Code == "" && p.Title == "" && p.Detail == "") {
		transport.DecodeSimpleError(e, status, nil, body)
	} else {
		e.Code = string(p.Code)
		e.Message = p.Detail
		if e.Message == "" {
			e.Message = p.Title
		}
		if len(p.Errors) > 0 {
			parts := make([]string, len(p.Errors))
			for i, fe := range p.Errors {
				parts[i] = fe.Field + ": " + fe.Message
			}
			e.Message += " [" + strings.Join(parts, "; ") + "]"
			var raw struct {
				Errors json.RawMessage `json:"errors"`
			}
			if json.Unmarshal(body, &raw) == nil {
				if canon, ok := canonical(raw.Errors); ok {
					e.Details = canon
				}
			}
		}
		if e.RequestID == "" {
			e.RequestID = p.RequestID
		}
		if bytes.Contains(body, []byte(`\u`)) {
			if canon, ok := canonical(body); ok && len(canon) <= maxProblemBody {
				e.Body = canon
			}
		}
	}
	code := Code(e.Code)
	if code == "" {
		// No problem body (a proxy page): the status decides.
		switch status {
		case http.StatusNotAcceptable, http.StatusUnsupportedMediaType:
			transport.AddKind(e, ErrInvalidParams)
		}
		return
	}
	switch kind := code.kind(); kind {
	case nil:
	case ErrQuotaExceeded:
		// The tracking cap is a quota, never retried. It comes as a 403,
		// but it is ErrQuotaExceeded only: a caller's switch that tests
		// ErrForbidden first must not hide it.
		transport.SetKind(e, ErrQuotaExceeded)
	default:
		transport.AddKind(e, kind)
	}
}

// canonical re-encodes a JSON value the way encoding/json writes it:
// strings with only the escapes it needs, numbers as received.
func canonical(raw []byte) ([]byte, bool) {
	d := json.NewDecoder(bytes.NewReader(raw))
	d.UseNumber()
	var v any
	if d.Decode(&v) != nil || v == nil {
		return nil, false
	}
	out, err := json.Marshal(v)
	return out, err == nil
}

// CodeOf returns the CreatorAudit error code of err (an *Error anywhere in
// its chain, an ItemError's cause included), or "" when it carries none.
func CodeOf(err error) Code {
	var e *Error
	if errors.As(err, &e) {
		return Code(e.Code)
	}
	return ""
}

// ProblemOf decodes the problem document of an API error; ok is false when
// err is not an *Error with a problem body.
func ProblemOf(err error) (p *Problem, ok bool) {
	var e *Error
	if !errors.As(err, &e) || len(e.Body) == 0 {
		return nil, false
	}
	p = &Problem{}
	if _, err := jsonx.Decode(e.Body, p); err != nil || (p.Code == "" && p.Title == "") {
		return nil, false
	}
	return p, true
}

// FieldErrors returns the per-field errors of a VALIDATION_ERROR, nil for
// any other error.
func FieldErrors(err error) []FieldError {
	var e *Error
	if !errors.As(err, &e) || len(e.Details) == 0 {
		return nil
	}
	var out []FieldError
	if _, err := jsonx.Decode(e.Details, &out); err != nil {
		return nil
	}
	return out
}
