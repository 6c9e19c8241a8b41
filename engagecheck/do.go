package engagecheck

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"

	"github.com/creatorkit/creatorkit-go/internal/transport"
)

// answer is a top-level result: it keeps the body it was decoded from.
type answer interface{ rawBody() json.RawMessage }

func (a *Audit) rawBody() json.RawMessage     { return a.Raw }
func (b *Batch) rawBody() json.RawMessage     { return b.Raw }
func (l *AuditList) rawBody() json.RawMessage { return l.Raw }
func (c *Credits) rawBody() json.RawMessage   { return c.Raw }

// do sends req and decodes the answer into out. Every answer of the API is
// a JSON object: a success body that is not one (null, an array, a
// scalar, nothing) leaves the SDK nothing to go on and is
// ErrUnexpectedResponse, final. The result is passed through the client's
// redactor, so a key a server or proxy echoed into a body never reaches
// the caller.
func (c *Client) do(ctx context.Context, req transport.Request, out answer) error {
	meta, err := c.t.Do(ctx, req, out)
	if err != nil {
		return err
	}
	return notObject(req, meta, out)
}

// notObject is the error of a success answer that is not a JSON object.
func notObject(req transport.Request, meta *ResponseMeta, out answer) error {
	if isObject(out.rawBody()) {
		return nil
	}
	e := transport.NewError(vendor, req.Op, ErrUnexpectedResponse, "the answer is not a JSON object")
	e.Method, e.StatusCode, e.Attempts = req.Method, meta.StatusCode, meta.Attempts
	return e
}

// submit is do for a paid submit: it also says where the transport
// counted the submit's credits, and marks an unreadable success answer as
// lost (lostSubmit).
func (c *Client) submit(ctx context.Context, req transport.Request, out answer) (counted, error) {
	meta, err := c.t.Do(ctx, req, out)
	switch {
	case err == nil:
		return countedSpent, lostSubmit(notObject(req, meta, out))
	case errors.Is(err, ErrOutcomeUnknown):
		return countedUnknown, err
	}
	// An error answer, a refusal before sending, or a success answer
	// the transport could not decode (it counts nothing for it).
	return countedNone, lostSubmit(err)
}

// unreadableSubmit reports whether err is a success answer to a submit
// that the SDK could not read (a control field did not fit, or the answer
// had no usable rows): the credits were spent and the audits exist, but
// which ones is not known.
func unreadableSubmit(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.Is(ErrUnexpectedResponse) && e.StatusCode >= 200 && e.StatusCode < 300
}

// lostSubmit marks an unreadable answer to a submit as ErrOutcomeUnknown
// too, so it is reconciled against the recent-audits list like an answer
// that never came: the audits exist, only their ids are not known.
func lostSubmit(err error) error {
	var e *Error
	if unreadableSubmit(err) && errors.As(err, &e) {
		transport.AddKind(e, ErrOutcomeUnknown)
	}
	return err
}

// unusable builds the error of a submit answer without what the SDK needs.
func unusable(op string, status int, format string, args ...any) error {
	e := transport.NewError(vendor, op, ErrUnexpectedResponse, format, args...)
	e.Method, e.StatusCode = http.MethodPost, status
	transport.AddKind(e, ErrOutcomeUnknown)
	return e
}
