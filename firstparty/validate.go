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
