package engagecheck

import (
	"net/url"
	"strings"

	"github.com/creatorkit/creatorkit-go/internal/transport"
)

func invalidParams(op, field, format string, args ...any) *Error {
	return transport.InvalidParams(vendor, op, field, format, args...)
}

// checkWebhookURL accepts "" (no webhook) or an absolute http(s) URL:
// EngageCheck takes https, and http for local testing.
func checkWebhookURL(op, raw string) error {
	if raw == "" {
		return nil
	}
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return invalidParams(op, "webhook_url", "%q is not an absolute http(s) URL", raw)
	}
	return nil
}
