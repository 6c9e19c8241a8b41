package creatoraudit

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"strings"

	"github.com/creatorkit/creatorkit-go/internal/jsonx"
	"github.com/creatorkit/creatorkit-go/internal/poll"
	"github.com/creatorkit/creatorkit-go/internal/transport"
)

// Error is the SDK's error type: HTTP status, the problem's code (Code),
// detail (Message) and request_id (RequestID, also read from the
// X-Request-ID header), the per-field errors of a VALIDATION_ERROR as
// JSON (Details; FieldErrors decodes them), Retry-After, attempts and the
// body. Test its kind with errors.Is and its code with CodeOf. Every field
// that came from the response (detail, the errors array, the body, the
// request id) has been through the client's redactor: a key echoed back
// by a server or a proxy is replaced by [REDACTED].
type Error = transport.Error

// Sentinel kinds; see the transport documentation of each.
var (
	ErrInvalidParams      = transport.ErrInvalidParams      // bad input, nothing sent; or BAD_REQUEST, VALIDATION_ERROR, NOT_ACCEPTABLE, UNSUPPORTED_MEDIA_TYPE
	ErrUnauthorized       = transport.ErrUnauthorized       // UNAUTHORIZED: key missing or invalid
	ErrForbidden          = transport.ErrForbidden          // FORBIDDEN (inactive key or subscription), INSUFFICIENT_SCOPE, and QUOTA_EXCEEDED
	ErrNotFound           = transport.ErrNotFound           // NOT_FOUND: not in your organization
	ErrConflict           = transport.ErrConflict           // CONFLICT: duplicate, or an account linked to another creator
	ErrRateLimited        = transport.ErrRateLimited        // RATE_LIMITED after retries, or no slot before the deadline
	ErrQuotaExceeded      = transport.ErrQuotaExceeded      // QUOTA_EXCEEDED: the organization's tracking cap; never retried
	ErrServer             = transport.ErrServer             // INTERNAL_ERROR, UPSTREAM_ERROR, SERVICE_UNAVAILABLE after retries
	ErrNetwork            = transport.ErrNetwork            // connection failed or lost
	ErrOutcomeUnknown     = transport.ErrOutcomeUnknown     // a non-idempotent request may have reached the server
	ErrUnexpectedResponse = transport.ErrUnexpectedResponse // success status, undecodable body
)

// ErrUnavailable is the kind of the error WaitForFirstScrape returns when
// CreatorAudit marks the account or video unavailable (is_unavailable)
// before it was ever scraped: it will not be, so waiting longer is futile.
var ErrUnavailable = errors.New("unavailable on the platform")

// WaitTimeoutError is returned by the WaitForFirstScrape helpers when the
// context ends first; it names the last state seen.
type WaitTimeoutError = poll.TimeoutError

// ErrorCode is the code of a CreatorAudit problem response.
type ErrorCode string

// The 14 documented error codes.
const (
	CodeBadRequest           ErrorCode = "BAD_REQUEST"            // 400 malformed request
	CodeUnauthorized         ErrorCode = "UNAUTHORIZED"           // 401 missing or invalid key
	CodeForbidden            ErrorCode = "FORBIDDEN"              // 403 inactive key or subscription
	CodeInsufficientScope    ErrorCode = "INSUFFICIENT_SCOPE"     // 403 the key lacks the write or admin scope
	CodeQuotaExceeded        ErrorCode = "QUOTA_EXCEEDED"         // 403 tracking quota reached
	CodeNotFound             ErrorCode = "NOT_FOUND"              // 404 not in your organization
	CodeNotAcceptable        ErrorCode = "NOT_ACCEPTABLE"         // 406 Accept not satisfiable as JSON
	CodeConflict             ErrorCode = "CONFLICT"               // 409 state conflict or duplicate
	CodeUnsupportedMediaType ErrorCode = "UNSUPPORTED_MEDIA_TYPE" // 415 write body not JSON
	CodeValidationError      ErrorCode = "VALIDATION_ERROR"       // 422 validation failed (also a cursor reused with other filters)
	CodeRateLimited          ErrorCode = "RATE_LIMITED"           // 429 rate limit
	CodeInternalError        ErrorCode = "INTERNAL_ERROR"         // 500 server error
	CodeUpstreamError        ErrorCode = "UPSTREAM_ERROR"         // 502 upstream provider error
	CodeServiceUnavailable   ErrorCode = "SERVICE_UNAVAILABLE"    // 503 temporary; retried
)

// Codes lists the documented codes.
var Codes = []ErrorCode{CodeBadRequest, CodeUnauthorized, CodeForbidden, CodeInsufficientScope, CodeQuotaExceeded,
	CodeNotFound, CodeNotAcceptable, CodeConflict, CodeUnsupportedMediaType, CodeValidationError, CodeRateLimited,
	CodeInternalError, CodeUpstreamError, CodeServiceUnavailable}

// Status returns the HTTP status the code is documented with (0 for an
// unknown code).
func (c ErrorCode) Status() int {
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
func (c ErrorCode) kind() error {
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
// (application/problem+json).
type Problem struct {
	// Type is a URN such as "urn:creatoraudit:error:not-found".
	Type   string    `json:"type,omitempty"`
	Title  string    `json:"title,omitempty"`
	Status int       `json:"status,omitempty"`
	Detail string    `json:"detail,omitempty"`
	Code   ErrorCode `json:"code,omitempty"`
	// Instance is the request path, e.g. "/v2/accounts/{id}".
	Instance  string `json:"instance,omitempty"`
	RequestID string `json:"request_id,omitempty"`
	// Errors are the per-field failures of a VALIDATION_ERROR (422 only).
	Errors []FieldError `json:"errors,omitempty"`
}

// FieldError is one failed field of a VALIDATION_ERROR.
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
	code := ErrorCode(e.Code)
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
		// The tracking cap is a quota, never retried; it is still a 403.
		transport.SetKind(e, ErrQuotaExceeded)
		transport.AddKind(e, ErrForbidden)
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

// CodeOf returns the CreatorAudit error code of err ("" when err carries
// none).
func CodeOf(err error) ErrorCode {
	var e *Error
	if errors.As(err, &e) {
		return ErrorCode(e.Code)
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
