package firstparty

import (
	"strings"

	"github.com/creatorkit/creatorkit-go/internal/check"
	"github.com/creatorkit/creatorkit-go/internal/transport"
)

func invalidParams(op, field, format string, args ...any) *Error {
	return transport.InvalidParams(vendor, op, field, format, args...)
}

// normalizePlatform lower-cases and checks a platform (Ylytic's
// connector) Create Verification URL accepts.
func normalizePlatform(op string, c Platform) (Platform, error) {
	n := Platform(trimLower(string(c)))
	if n == "" {
		return "", invalidParams(op, "Platform", "Platform is required (instagram or youtube)")
	}
	if msg := check.OneOf(n, Instagram, YouTube); msg != "" {
		return "", invalidParams(op, "Platform", "%s", msg)
	}
	return n, nil
}

// checkRedirectURL accepts an absolute http(s) URL.
func checkRedirectURL(op, raw string) error {
	if strings.TrimSpace(raw) == "" {
		return invalidParams(op, "redirectUrl", "redirect URL is required")
	}
	if msg := check.HTTPURL(raw); msg != "" {
		return invalidParams(op, "redirectUrl", "%s", msg)
	}
	return nil
}

// checkID applies the identifier policy to a value sent in a body or a
// query (a state, a key): not blank, no control or invisible format
// characters, not "." or "..", at most 256 bytes.
func checkID(op, field, v string) error {
	if msg := check.ID(v); msg != "" {
		return invalidParams(op, field, "%s", msg)
	}
	return nil
}

// checkPathParam applies the policy to a value that becomes a URL path
// segment (a creator id): checkID's rules and none of %, /, \, ?, #.
func checkPathParam(op, field, v string) error {
	if msg := check.PathParam(v); msg != "" {
		return invalidParams(op, field, "%s", msg)
	}
	return nil
}

// checkToken applies the policy to the verification token the creator
// came back with: checkID's rules, up to 4096 bytes (Ylytic does not say
// how long its tokens are).
func checkToken(op, field, v string) error {
	if msg := check.Token(v); msg != "" {
		return invalidParams(op, field, "%s", msg)
	}
	return nil
}
