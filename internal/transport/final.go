package transport

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// newError builds the *Error of a failed response with the vendor decoder.
func (cl *call) newError(status int, h http.Header) *Error {
	c := cl.c
	e := cl.baseError()
	e.StatusCode = status
	e.RequestID = RequestID(h)
	e.Body = truncate(cl.red.Bytes(cl.lastBody), maxErrorBody)
	if kind := KindForStatus(status); kind != nil {
		AddKind(e, kind)
	}
	if d, ok := ParseRetryAfter(h.Get("Retry-After"), time.Now()); ok {
		e.RetryAfter = d
	}
	decode := c.s.DecodeError
	if decode == nil {
		decode = DecodeSimpleError
	}
	decode(e, status, h, cl.lastBody)
	cl.red.Value(e) // everything that came from the response, whatever the decoder set
	return e
}

func (cl *call) baseError() *Error {
	return &Error{
		Vendor: cl.c.s.Vendor,
		Op:     cl.req.Op,
		Method: cl.req.Method,
		URL:    cl.red.URL(cl.url),
	}
}

// finalError turns the end of the call into one *Error: err is why the
// last attempt (or its admission) failed, nil when it got an error
// response.
func (cl *call) finalError(err error) *Error {
	ctx, red := cl.ctx, cl.red
	var e *Error
	var le *limiterError
	switch {
	case cl.failed != nil && (err == nil || errors.As(err, new(*decodeError)) || errors.As(err, new(*unusableError))):
		e = cl.failed
	case ctx.Err() != nil:
		e = cl.baseError()
		AddKind(e, ctx.Err())
		e.Cause = context.Cause(ctx)
		if cl.lastStatus != 0 {
			e.StatusCode = cl.lastStatus
			e.Body = truncate(red.Bytes(cl.lastBody), maxErrorBody)
			e.Message = fmt.Sprintf("%v (last response: %d %s)", ctx.Err(), cl.lastStatus, http.StatusText(cl.lastStatus))
			if kind := KindForStatus(cl.lastStatus); kind != nil {
				AddKind(e, kind)
			}
		}
	case errors.As(err, &le):
		// The client-side limiter or the server's hold refused before
		// anything was sent.
		e = cl.baseError()
		if d, ok := le.retryAfter(); ok {
			AddKind(e, ErrRateLimited)
			e.RetryAfter = d
		}
		e.Cause = le.err
		e.Message = red.String(le.err.Error())
	default:
		e = cl.baseError()
		AddKind(e, ErrNetwork)
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		e.Cause = err
		e.Message = red.String(err.Error())
	}
	e.Attempts = cl.attempts
	red.Value(e)
	if cerr := ctx.Err(); cerr != nil && !e.Is(cerr) {
		// The context ended while waiting to retry: say so next to the
		// last response.
		AddKind(e, cerr)
		if e.Cause == nil {
			e.Cause = context.Cause(ctx)
		}
		e.Message = strings.TrimSpace(e.Message + " (" + cerr.Error() + " while waiting to retry)")
	}
	if !cl.idempotent && cl.maybeApplied && !e.Is(ErrQuotaExceeded) {
		AddKind(e, ErrOutcomeUnknown)
		e.Message = strings.TrimSpace(e.Message + " (the request may have reached the server and was not resent)")
	}
	return e
}

const maxErrorBody = 64 << 10

func truncate(b []byte, n int) []byte {
	if len(b) > n {
		return b[:n]
	}
	return b
}
