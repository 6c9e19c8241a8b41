package engagecheck

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"

	"github.com/creatorkit/creatorkit-go/internal/webhook"
)

// EventType names a webhook event.
type EventType string

// Webhook events. A batch fires one per handle.
const (
	// EventAuditCompleted carries the full report.
	EventAuditCompleted EventType = "audit.completed"
	// EventAuditFailed carries the error message; the credit is refunded.
	EventAuditFailed EventType = "audit.failed"
)

// WebhookEvent is what EngageCheck POSTs to a webhook_url when an audit
// settles. Unknown event types are passed through with Event set as sent.
type WebhookEvent struct {
	Event    EventType `json:"event"`
	ID       int64     `json:"id"`
	Username string    `json:"username"`
	// AQS, Verdict, Report and CreditsRemaining come with audit.completed.
	AQS              *int    `json:"aqs,omitempty"`
	Verdict          Verdict `json:"verdict,omitempty"`
	Report           *Report `json:"report,omitempty"`
	CreditsRemaining *int    `json:"credits_remaining,omitempty"`
	// Error comes with audit.failed.
	Error string `json:"error,omitempty"`

	// Raw is the body as received.
	Raw json.RawMessage `json:"-"`
}

// MaxWebhookBytes is the default cap on a webhook body (a full report is a
// few kilobytes).
const MaxWebhookBytes = webhook.DefaultMaxBytes

// ErrWebhook is the kind of every error ParseWebhook returns.
var ErrWebhook = errors.New("engagecheck: invalid webhook")

// ParseWebhook reads and decodes a webhook request body (at most
// MaxWebhookBytes). It does not verify the sender: EngageCheck documents no
// signature scheme. See WithWebhookVerifier.
func ParseWebhook(r *http.Request) (*WebhookEvent, error) {
	return webhook.ParseRequest(r, ErrWebhook, ParseWebhookBody)
}

// ParseWebhookBody decodes a webhook body.
func ParseWebhookBody(body []byte) (*WebhookEvent, error) {
	return webhook.Decode(body, ErrWebhook, "event", func(ev *WebhookEvent) bool { return ev.Event != "" })
}

// WebhookOption tunes WebhookHandler.
type WebhookOption func(*webhook.Config)

// WithWebhookVerifier runs verify on every delivery before it is decoded; a
// non-nil error answers 401 and drops the event. EngageCheck documents no
// signature scheme, so this is where to check a shared secret you put in
// the webhook URL, an allow-listed source address, or a signature header
// should EngageCheck add one.
func WithWebhookVerifier(verify func(r *http.Request, body []byte) error) WebhookOption {
	return WebhookOption(webhook.WithVerifier(verify))
}

// WithMaxWebhookBytes changes the body cap (default MaxWebhookBytes).
func WithMaxWebhookBytes(n int64) WebhookOption {
	return WebhookOption(webhook.WithMaxBytes(n))
}

// WebhookHandler returns an http.Handler that receives EngageCheck
// webhooks and calls fn with each event. It answers:
//
//	405 for anything but POST
//	413 for a body over the cap
//	401 when the verifier refuses the delivery
//	400 for malformed JSON
//	500 when fn returns an error, so the sender may try again
//	204 when fn succeeds
//
// fn gets the request's context.
func WebhookHandler(fn func(ctx context.Context, ev *WebhookEvent) error, opts ...WebhookOption) http.Handler {
	return webhook.Handler(webhook.Configure(opts), ParseWebhookBody, fn)
}
