package engagecheck

import (
	"github.com/creatorkit/creatorkit-go/internal/check"
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
	if msg := check.HTTPURL(raw); msg != "" {
		return invalidParams(op, "webhook_url", "%s", msg)
	}
	return nil
}
