package infludata

import (
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
