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

// checkIdempotencyKey accepts "" (no key) or a value check.ID accepts.
func checkIdempotencyKey(op, key string) error {
	if key == "" {
		return nil
	}
	if msg := check.ID(key); msg != "" {
		return invalidParams(op, "idempotency_key", "idempotency key %s", msg)
	}
	return nil
}

// checkAuditID refuses ids EngageCheck never issues (0 and below).
func checkAuditID(op string, id int64) error {
	if id <= 0 {
		return invalidParams(op, "id", "audit id must be positive, got %d", id)
	}
	return nil
}
