package firstparty

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/creatorkit/creatorkit-go/internal/check"
	"github.com/creatorkit/creatorkit-go/internal/jsonx"
	"github.com/creatorkit/creatorkit-go/internal/webhook"
)

// EventType names a webhook event.
type EventType string

// Webhook events Ylytic documents. Its webhook page also names a
// campaign webhook whose payload (its type included) was not read into
// the notes this package is built from: a campaign event, like any event
// of a type not listed here, is delivered as it came (see WebhookEvent).
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
//
// An event of a type the SDK does not model (Ylytic's campaign webhook,
// whose payload is not known here, or a type Ylytic adds) is delivered,
// not refused or dropped: Type as sent, the whole body in Raw, and the
// fields below filled where the body has members of those names. Switch
// on Type and read Raw in the default case.
//
// Type is a control field: a delivery without a type, or whose type is not
// a string, is refused (ErrWebhook). So are Status and State for the
// documented types (EventCreatorInsights1P, EventCreatorInsights); for
// other types a value there that does not fit is left empty and listed in
// DecodeIssues, like a value of the wrong type anywhere else.
//
// Like every creatorkit-go webhook event it has Raw (the body as received)
// and DecodeIssues, and no Response: it is a request Ylytic sent to you,
// not the answer to a call, so there is no response metadata (request id,
// rate limit, attempts) to carry.
type WebhookEvent struct {
	// Type names the event (EventCreatorInsights1P), as every
	// creatorkit-go webhook event does.
	Type EventType `json:"type" creatorkit:"control"`
	// Status is "success" or "failed"; Succeeded tests it.
	Status WebhookStatus `json:"status" creatorkit:"control"`
	// StatusReason explains a failed status ("Private Account", ...), as
	// sent (Ylytic's name for it).
	StatusReason string `json:"status_reason"`
	// Reason says why the event did not succeed, like the Reason of every
	// creatorkit-go webhook event: StatusReason, or the status itself when
	// Ylytic gave no status_reason; empty when Succeeded. The parsers set
	// it (it is not part of the body).
	Reason string `json:"-"`
	// Identifier names the creator's account (a handle in the
	// documentation's example).
	Identifier string `json:"identifier"`
	// Platform is the creator's network, Ylytic's "connector".
	Platform Platform `json:"connector"`
	// State is the state of the verification (creator_insights_1p only):
	// match it to the IssuedState you saved.
	State string `json:"state,omitempty" creatorkit:"control"`

	// Raw is the body as received.
	Raw json.RawMessage `json:"-"`
	// DecodeIssues lists the values of the body that did not fit their Go
	// types; each was left at its zero value.
	DecodeIssues []DecodeIssue `json:"-"`
}

// Succeeded reports a status of "success".
func (e *WebhookEvent) Succeeded() bool {
	return e != nil && strings.EqualFold(string(e.Status), string(WebhookSuccess))
}

// documented reports whether t is a type Ylytic documents the payload of.
func (t EventType) documented() bool {
	return t == EventCreatorInsights1P || t == EventCreatorInsights
}

// reason is why a delivery did not succeed; "" when it did.
func (e *WebhookEvent) reason() string {
	switch {
	case e.Succeeded():
		return ""
	case strings.TrimSpace(e.StatusReason) != "":
		return strings.TrimSpace(e.StatusReason)
	case e.Status == "" && !e.Type.documented():
		return fmt.Sprintf("event type %q is not one the SDK models (no status given; the body is in Raw)", check.Clip(string(e.Type), 64))
	case e.Status == "":
		return "no status given"
	}
	return fmt.Sprintf("status %q (Ylytic gave no status_reason)", check.Clip(string(e.Status), 64))
}

// MaxWebhookBytes is the default cap on a webhook body (the documented
// body is a few hundred bytes).
const MaxWebhookBytes = 1 << 20

// ErrWebhook is the kind of every error ParseWebhook returns.
var ErrWebhook = errors.New("firstparty: invalid webhook")

// ParseWebhook reads and decodes a webhook request body (at most
// MaxWebhookBytes). It does not verify the sender: Ylytic documents no
// signature scheme. See WithWebhookVerifier. Client.ParseWebhook does the
// same and also removes the client's token from the event and the error.
func ParseWebhook(r *http.Request) (*WebhookEvent, error) {
	return webhook.ParseRequest(r, ErrWebhook, ParseWebhookBody)
}

// ParseWebhookBody decodes a webhook body tolerantly: a value that does
// not fit its field is left empty and listed in DecodeIssues; a body that
// is not a JSON object with a type, or whose type, status or state does
// not fit, is an error wrapping ErrWebhook.
func ParseWebhookBody(body []byte) (*WebhookEvent, error) {
	return parseWebhook(body, false, nil, nil)
}

// ParseWebhook is ParseWebhook with the client's token removed from the
// event and from the error, and the client's decoding mode
// (WithStrictDecoding).
func (c *Client) ParseWebhook(r *http.Request) (*WebhookEvent, error) {
	return webhook.ParseRequest(r, ErrWebhook, c.ParseWebhookBody)
}

// ParseWebhookBody is ParseWebhookBody with the client's token removed
// from every field of the event and from the error (a sender or a proxy
// that echoes credentials cannot put the token in your logs), and the
// client's decoding mode: under WithStrictDecoding any value that does not
// fit is an error.
func (c *Client) ParseWebhookBody(body []byte) (*WebhookEvent, error) {
	return parseWebhook(body, c.strict, c.t.Redact, c.t.RedactValue)
}

// parseWebhook decodes body; redact (when set) cleans error texts,
// redactValue (when set) the event.
func parseWebhook(body []byte, strict bool, redact func(string) string, redactValue func(any)) (*WebhookEvent, error) {
	fail := func(format string, args ...any) error {
		msg := fmt.Sprintf(format, args...)
		if redact != nil {
			msg = redact(msg)
		}
		return fmt.Errorf("%w: %s", ErrWebhook, msg)
	}
	var ev WebhookEvent
	issues, err := jsonx.Decode(body, &ev)
	if err != nil {
		return nil, fail("malformed JSON: %v", err)
	}
	if ev.Type == "" {
		for _, is := range issues {
			if is.Control { // the type itself did not fit
				return nil, fail("%s", is)
			}
		}
		return nil, fail("no type field")
	}
	for i, is := range issues {
		if is.Control && !ev.Type.documented() {
			// Only the type controls an event the SDK does not model: its
			// status and state are whatever its payload makes them.
			is.Control = false
			issues[i] = is
		}
		if is.Control || strict {
			return nil, fail("%s", is)
		}
	}
	ev.Raw = append(json.RawMessage(nil), body...)
	ev.DecodeIssues = issues
	ev.Reason = ev.reason()
	if redactValue != nil {
		redactValue(&ev)
	}
	return &ev, nil
}

// WebhookOption tunes WebhookHandler.
type WebhookOption func(*webhookConfig)

type webhookConfig struct {
	webhook.Config
	client *Client
}

// WithWebhookVerifier runs verify on every delivery before it is decoded; a
// non-nil error answers 401 and drops the event. Ylytic documents no
// signature scheme, so this is where to check a shared secret you put in
// the webhook URL or an allow-listed source address.
func WithWebhookVerifier(verify func(r *http.Request, body []byte) error) WebhookOption {
	return func(c *webhookConfig) { webhook.WithVerifier(verify)(&c.Config) }
}

// WithMaxWebhookBytes changes the body cap (default MaxWebhookBytes).
func WithMaxWebhookBytes(n int64) WebhookOption {
	return func(c *webhookConfig) { webhook.WithMaxBytes(n)(&c.Config) }
}

// WithWebhookClient parses deliveries with c.ParseWebhookBody: c's token is
// removed from every event and from the 400 answers, and c's decoding mode
// applies.
func WithWebhookClient(c *Client) WebhookOption {
	return func(cfg *webhookConfig) { cfg.client = c }
}

// WebhookHandler returns an http.Handler that receives Ylytic webhooks and
// calls fn with each event. It answers:
//
//	405 for anything but POST
//	413 for a body over the cap
//	401 when the verifier refuses the delivery
//	400 for malformed JSON, a body without a type, or a type, status or
//	    state that does not fit
//	500 when fn returns an error, so the sender may try again
//	204 when fn succeeds
//
// fn gets the request's context.
func WebhookHandler(fn func(ctx context.Context, ev *WebhookEvent) error, opts ...WebhookOption) http.Handler {
	var cfg webhookConfig
	for _, o := range opts {
		if o != nil {
			o(&cfg)
		}
	}
	parse := ParseWebhookBody
	if cfg.client != nil {
		parse = cfg.client.ParseWebhookBody
	}
	return webhook.Handler(cfg.Config, parse, fn)
}
