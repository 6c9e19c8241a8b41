package engagecheck

import (
	"errors"
	"fmt"

	"github.com/creatorkit/creatorkit-go/internal/poll"
	"github.com/creatorkit/creatorkit-go/internal/transport"
)

// Error is the SDK's error type: HTTP status, the vendor's message
// ({"error":"message"}), request method and URL, Retry-After, attempts and
// the raw body. Test its kind with errors.Is.
type Error = transport.Error

// Sentinel kinds; see the transport documentation of each.
var (
	ErrInvalidParams      = transport.ErrInvalidParams      // bad input, nothing sent; or 400
	ErrUnauthorized       = transport.ErrUnauthorized       // 401: key missing, invalid or revoked
	ErrForbidden          = transport.ErrForbidden          // 403
	ErrNotFound           = transport.ErrNotFound           // 404: no report with that id
	ErrRateLimited        = transport.ErrRateLimited        // 429 after retries, or no slot before the deadline
	ErrQuotaExceeded      = transport.ErrQuotaExceeded      // 402: not enough credits; never retried
	ErrServer             = transport.ErrServer             // 5xx after retries
	ErrNetwork            = transport.ErrNetwork            // connection failed or lost
	ErrOutcomeUnknown     = transport.ErrOutcomeUnknown     // a credit-spending POST may have reached the server
	ErrUnexpectedResponse = transport.ErrUnexpectedResponse // success status, undecodable body
)

// ErrAuditFailed is the kind of an *AuditError for an audit EngageCheck
// finished with status "error" (private, not found, failed scrape). Its
// credit is refunded automatically.
var ErrAuditFailed = errors.New("audit failed")

// AuditError reports why one handle has no report. RunAll yields one per
// handle that did not complete; Wait and Run return one for a failed audit.
type AuditError struct {
	// Username is the normalized handle ("natgeo").
	Username string
	// Input is the handle as the caller gave it ("@NatGeo").
	Input string
	// AuditID is the report id; 0 when the handle was never submitted.
	AuditID int64
	// Message is EngageCheck's error_message for a failed audit, or the
	// SDK's explanation.
	Message string
	// Err is the cause: ErrAuditFailed for a failed audit, else the
	// *Error, context error or *WaitTimeoutError that stopped the SDK.
	Err error
}

// Error describes the audit error.
func (e *AuditError) Error() string {
	who := "@" + e.Username
	if e.Username == "" {
		who = fmt.Sprintf("%q", e.Input)
	}
	if e.AuditID != 0 {
		who += fmt.Sprintf(" (audit %d)", e.AuditID)
	}
	if errors.Is(e.Err, ErrAuditFailed) {
		return fmt.Sprintf("engagecheck: audit of %s failed: %s", who, e.Message)
	}
	msg := e.Message
	if msg == "" && e.Err != nil {
		msg = e.Err.Error()
	} else if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	return fmt.Sprintf("engagecheck: %s: %s", who, msg)
}

// Unwrap returns the cause.
func (e *AuditError) Unwrap() error { return e.Err }

// WaitTimeoutError is returned by Wait and Run when the context ends before
// the audit settles; it names the last status seen. The last audit state
// is returned next to it.
type WaitTimeoutError = poll.TimeoutError
