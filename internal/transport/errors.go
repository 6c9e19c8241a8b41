package transport

import (
	"fmt"

	"github.com/creatorkit/creatorkit-go"
)

// The shared public types live in the root package; the transport builds
// them.
type (
	Error        = creatorkit.Error
	ResponseMeta = creatorkit.ResponseMeta
	RateLimit    = creatorkit.RateLimit
	Limiter      = creatorkit.Limiter
	Window       = creatorkit.Window
	DelayError   = creatorkit.DelayError
)

// Sentinel kinds (creatorkit's).
var (
	ErrInvalidParams      = creatorkit.ErrInvalidParams
	ErrUnauthorized       = creatorkit.ErrUnauthorized
	ErrForbidden          = creatorkit.ErrForbidden
	ErrNotFound           = creatorkit.ErrNotFound
	ErrConflict           = creatorkit.ErrConflict
	ErrRateLimited        = creatorkit.ErrRateLimited
	ErrQuotaExceeded      = creatorkit.ErrQuotaExceeded
	ErrServer             = creatorkit.ErrServer
	ErrNetwork            = creatorkit.ErrNetwork
	ErrOutcomeUnknown     = creatorkit.ErrOutcomeUnknown
	ErrUnexpectedResponse = creatorkit.ErrUnexpectedResponse
	ErrBudgetExceeded     = creatorkit.ErrBudgetExceeded
)

// KindForStatus maps an HTTP status to its default sentinel kind.
func KindForStatus(status int) error { return creatorkit.KindForStatus(status) }

// AddKind adds a sentinel kind to e (once).
func AddKind(e *Error, kind error) {
	if kind != nil && !e.Is(kind) {
		e.Kinds = append(e.Kinds, kind)
	}
}

// SetKind replaces e's kinds with one kind: a vendor decoder that knows
// better than the status (a 429 that means "quota spent").
func SetKind(e *Error, kind error) {
	e.Kinds = e.Kinds[:0]
	AddKind(e, kind)
}

// InvalidParams returns an ErrInvalidParams error for a bad parameter,
// found before anything was sent.
func InvalidParams(vendor, op, field, format string, args ...any) *Error {
	return &Error{
		Vendor:  vendor,
		Op:      op,
		Field:   field,
		Message: fmt.Sprintf(format, args...),
		Kinds:   []error{ErrInvalidParams},
	}
}

// Refuse returns the ErrInvalidParams error of a parameter that failed
// one of internal/check's checks, msg being the check's message, or nil
// when msg is "" (the parameter passed): Refuse(vendor, op, "id",
// check.PathParam(id)).
func Refuse(vendor, op, field, msg string) error {
	if msg == "" {
		return nil
	}
	return InvalidParams(vendor, op, field, "%s", msg)
}

// NewError returns an *Error of the given kind with a message. Vendor
// packages use it for outcomes the SDK detects itself.
func NewError(vendor, op string, kind error, format string, args ...any) *Error {
	e := &Error{Vendor: vendor, Op: op, Message: fmt.Sprintf(format, args...)}
	AddKind(e, kind)
	return e
}

// Unexpected is an ErrUnexpectedResponse error of the client's vendor
// about an answer to op, redacted like every error built from an answer.
func (c *Client) Unexpected(op, format string, args ...any) *Error {
	e := NewError(c.s.Vendor, op, ErrUnexpectedResponse, format, args...)
	c.RedactValue(e)
	return e
}

// garbled is the Cause of an ErrUnexpectedResponse for a success body that
// was not JSON at all (a proxy's page, a body cut short): asking again may
// get a good one.
type garbled struct{ err error }

func (g garbled) Error() string   { return g.err.Error() }
func (g garbled) Unwrap() error   { return g.err }
func (g garbled) Temporary() bool { return true }
