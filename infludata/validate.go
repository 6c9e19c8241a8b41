package infludata

import (
	"context"
	"errors"
	"strings"

	"github.com/creatorkit/creatorkit-go/internal/transport"
)

func invalidParams(op, field, format string, args ...any) *Error {
	return transport.InvalidParams(vendor, op, field, format, args...)
}

// checkPlatform checks that p is given, documented, and covered by the
// endpoint (has, named by what).
func checkPlatform(op string, p Platform, has func(Platform) bool, what string) error {
	switch {
	case p == "":
		return invalidParams(op, "platform", "platform is required")
	case !p.Known():
		return invalidParams(op, "platform", "unknown platform %q (one of %v)", p, Platforms)
	case has != nil && !has(p):
		return invalidParams(op, "platform", "%s is not available on %s", what, p)
	}
	return nil
}

// checkIdentifier checks that exactly one of username, userId and _id is
// set and that none holds whitespace.
func checkIdentifier(op, username, userID, id string) error {
	n := 0
	for _, f := range []struct{ name, v string }{{"username", username}, {"userId", userID}, {"_id", id}} {
		if f.v == "" {
			continue
		}
		n++
		if strings.TrimSpace(f.v) == "" || strings.ContainsAny(f.v, " \t\r\n/?&#") {
			return invalidParams(op, f.name, "%s %q is not a valid identifier", f.name, f.v)
		}
	}
	if n != 1 {
		return invalidParams(op, "username", "exactly one of Username, UserID and ID is required, got %d", n)
	}
	return nil
}

// definite makes a paid call's error honest about charging: a final error
// that is an influData error response (4xx/5xx, which influData does not
// charge) proves no attempt was charged and lost, so ErrOutcomeUnknown,
// which the transport adds to any non-resendable request that met a 5xx,
// is dropped. Lost or garbled answers keep it.
func definite(err error) error {
	var e *Error
	if !errors.As(err, &e) || !e.Is(ErrOutcomeUnknown) || e.StatusCode < 400 ||
		e.Is(ErrUnexpectedResponse) || e.Is(context.Canceled) || e.Is(context.DeadlineExceeded) {
		return err
	}
	kinds := e.Kinds()
	first := true
	for _, k := range kinds {
		if k == ErrOutcomeUnknown {
			continue
		}
		if first {
			e.SetKind(k)
			first = false
		} else {
			e.AddKind(k)
		}
	}
	e.Message = strings.TrimSpace(strings.TrimSuffix(" "+e.Message, " (the request may have reached the server and was not resent)"))
	return e
}
