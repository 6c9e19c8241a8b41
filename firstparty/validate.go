package firstparty

import (
	"strings"

	"github.com/creatorkit/creatorkit-go/internal/check"
	"github.com/creatorkit/creatorkit-go/internal/transport"
)

func invalidParams(op, field, format string, args ...any) *Error {
	return transport.InvalidParams(vendor, op, field, format, args...)
}

// maxParamLen caps a state, token or creator id: far above any real value,
// low enough that a forged callback cannot make the SDK carry megabytes.
const maxParamLen = 2048

// normalizeConnector lower-cases and checks a connector Create
// Verification URL accepts.
func normalizeConnector(op string, c Connector) (Connector, error) {
	n := Connector(trimLower(string(c)))
	if n == "" {
		return "", invalidParams(op, "connector", "connector is required (instagram or youtube)")
	}
	if msg := check.OneOf(n, Instagram, YouTube); msg != "" {
		return "", invalidParams(op, "connector", "%s", msg)
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

// checkValue refuses an empty, over-long or multi-line value.
func checkValue(op, field, v string) error {
	switch {
	case strings.TrimSpace(v) == "":
		return invalidParams(op, field, "%s is required", field)
	case len(v) > maxParamLen:
		return invalidParams(op, field, "%s is %d bytes, more than %d", field, len(v), maxParamLen)
	case strings.ContainsAny(v, "\r\n\x00"):
		return invalidParams(op, field, "%s contains a line break or NUL", field)
	}
	return nil
}
