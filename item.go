package creatorkit

import (
	"strconv"
	"strings"
)

// ItemError reports why one item of a roster, bulk or wait call (a handle,
// a creator, an account, a report) has no result. Roster and bulk helpers
// yield one per item that did not succeed, next to the item; waits return
// one for work that ended without a result. It is the one per-item error
// shape of every vendor package.
type ItemError struct {
	// Vendor is the vendor package name, e.g. "engagecheck".
	Vendor string
	// Index is the input's position in the slice given to a roster or
	// bulk helper; 0 for a single call.
	Index int
	// Input is the item as the caller gave it ("@NatGeo").
	Input string
	// Item is the item as the vendor knows it ("natgeo"); empty when the
	// input could not be read as one.
	Item string
	// ID is the vendor's id for its work on the item (an audit id, a
	// report id), when there is one: use it to fetch the result later.
	ID string
	// State is the vendor's terminal state when it gave one ("error",
	// "PRIVATE", "failed").
	State string
	// Reason says why there is no result; never empty.
	Reason string
	// Err is the cause: a sentinel kind (ErrInvalidParams, ErrQuotaExceeded,
	// ...), the vendor's own outcome (engagecheck.ErrAuditFailed,
	// hypeauditor.ErrReportUnavailable), or the *Error or *TimeoutError
	// that stopped the SDK. errors.Is and errors.As see it.
	Err error
}

// Error formats the error as `vendor: item (id X): reason: cause`.
func (e *ItemError) Error() string {
	var b strings.Builder
	b.WriteString(e.Vendor)
	b.WriteString(": ")
	switch {
	case e.Item != "":
		b.WriteString(e.Item)
	case e.Input != "":
		b.WriteString(quote(e.Input))
	default:
		b.WriteString("(no input)")
	}
	if e.ID != "" {
		b.WriteString(" (id ")
		b.WriteString(e.ID)
		b.WriteString(")")
	}
	reason := e.Reason
	if reason == "" {
		reason = "no result"
	}
	b.WriteString(": ")
	b.WriteString(reason)
	if e.Err != nil && !e.reasonSaysIt(reason) {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

// reasonSaysIt reports whether the reason already says what Err would:
// the same text, or the message of an *Error the SDK raised before
// sending anything (a refused input: no status, request id or code to
// add). An answer's *Error is kept whole: its status, code and request id
// are what support asks for.
func (e *ItemError) reasonSaysIt(reason string) bool {
	msg := e.Err.Error()
	if ae, ok := e.Err.(*Error); ok && ae.StatusCode == 0 && ae.RequestID == "" && ae.Message != "" {
		msg = ae.Message
	}
	return strings.Contains(reason, msg)
}

// IDInt64 returns ID as a number, for vendors whose ids are numbers
// (EngageCheck's audit ids: c.Audits.Get(ctx, id)); ok is false when ID is
// empty or not a number.
func (e *ItemError) IDInt64() (id int64, ok bool) {
	if e == nil || e.ID == "" {
		return 0, false
	}
	n, err := strconv.ParseInt(e.ID, 10, 64)
	return n, err == nil
}

// Unwrap returns the cause.
func (e *ItemError) Unwrap() error { return e.Err }

func quote(s string) string {
	return "\"" + strings.ReplaceAll(s, "\"", "\\\"") + "\""
}

// Answer is a roster's answer to one input: which input it answers (its
// index in the slice given, and the input as given) and the result. A
// roster (...AndWaitAll) yields exactly one Answer per input, with a nil
// error for a result, or an *ItemError (whose Index and Input are the
// Answer's) when the input has none; Value then holds what is known.
// Inputs that stand for the same item (duplicates after normalization)
// each get their own Answer with the one result, paid once.
type Answer[T any] struct {
	// Index is the input's position in the slice given to the roster.
	Index int
	// Input is the input as given.
	Input string
	// Value is the result (for an input without one, what is known).
	Value T
}
