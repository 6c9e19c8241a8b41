package firstparty

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"

	"github.com/creatorkit/creatorkit-go/internal/webhook"
)

// EventType names a webhook event.
type EventType string

// Webhook events Ylytic documents.
const (
	// EventCreatorInsights1P fires when a first-party creator's insights
	// are ready (or could not be made). It carries the state of the
	// verification.
	EventCreatorInsights1P EventType = "creator_insights_1p"
	// EventCreatorInsights is the third-party variant (no state).
	EventCreatorInsights EventType = "creator_insights"
)

// WebhookStatus is the outcome a webhook reports.
type WebhookStatus string

// Documented webhook statuses.
const (
	WebhookSuccess WebhookStatus = "success"
	WebhookFailed  WebhookStatus = "failed"
)

// Documented status_reason values of a failed webhook; others are passed
// through as sent.
const (
	ReasonRestrictedOrInvalid = "Restricted/Invalid Profile"
	ReasonPrivateAccount      = "Private Account"
	ReasonInvalidHandle       = "Invalid Handle"
)

// WebhookEvent is what Ylytic POSTs to the webhook URL you registered
// with it (Ylytic configures the URL; there is no API call for it).
// Unknown types are passed through with Type set as sent.
type WebhookEvent struct {
	Type   EventType     `json:"type"`
	Status WebhookStatus `json:"status"`
	// StatusReason explains a failed status ("Private Account", ...).
	StatusReason string `json:"status_reason"`
	// Identifier names the creator's account (a handle in the
	// documentation's example).
	Identifier string    `json:"identifier"`
	Connector  Connector `json:"connector"`
	// State is the state of the verification (creator_insights_1p only):
	// match it to the IssuedState you saved.
	State string `json:"state,omitempty"`

	// Raw is the body as received.
	Raw json.RawMessage `json:"-"`
}

// Succeeded reports a status of "success".
func (e *WebhookEvent) Succeeded() bool {
	return e != nil && strings.EqualFold(string(e.Status), string(WebhookSuccess))
}

// MaxWebhookBytes is the default cap on a webhook body (the documented
// body is a few hundred bytes).
const MaxWebhookBytes = webhook.DefaultMaxBytes

// ErrWebhook is the kind of every error ParseWebhook returns.
var ErrWebhook = errors.New("firstparty: invalid webhook")

// ParseWebhook reads and decodes a webhook request body (at most
// MaxWebhookBytes). It does not verify the sender: Ylytic documents no
// signature scheme. See WithWebhookVerifier.
func ParseWebhook(r *http.Request) (*WebhookEvent, error) {
	return webhook.ParseRequest(r, ErrWebhook, ParseWebhookBody)
}

// ParseWebhookBody decodes a webhook body.
func ParseWebhookBody(body []byte) (*WebhookEvent, error) {
	return webhook.Decode(body, ErrWebhook, "type", func(ev *WebhookEvent) bool { return ev.Type != "" })
}

// WebhookOption tunes WebhookHandler.
type WebhookOption func(*webhook.Config)

// WithWebhookVerifier runs verify on every delivery before it is decoded; a
// non-nil error answers 401 and drops the event. Ylytic documents no
// signature scheme, so this is where to check a shared secret you put in
// the webhook URL or an allow-listed source address.
func WithWebhookVerifier(verify func(r *http.Request, body []byte) error) WebhookOption {
	return WebhookOption(webhook.WithVerifier(verify))
}

// WithMaxWebhookBytes changes the body cap (default MaxWebhookBytes).
func WithMaxWebhookBytes(n int64) WebhookOption {
	return WebhookOption(webhook.WithMaxBytes(n))
}

// WebhookHandler returns an http.Handler that receives Ylytic webhooks and
// calls fn with each event. It answers:
//
//	405 for anything but POST
//	413 for a body over the cap
//	401 when the verifier refuses the delivery
//	400 for malformed JSON or a body without a type
//	500 when fn returns an error, so the sender may try again
//	204 when fn succeeds
//
// fn gets the request's context.
func WebhookHandler(fn func(ctx context.Context, ev *WebhookEvent) error, opts ...WebhookOption) http.Handler {
	return webhook.Handler(webhook.Configure(opts), ParseWebhookBody, fn)
}
