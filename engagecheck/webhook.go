package engagecheck

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/creatorkit/creatorkit-go/internal/jsonx"
	"github.com/creatorkit/creatorkit-go/internal/redact"
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
// settles. Unknown event types are passed through with Type set as sent.
// Like every creatorkit-go webhook event it has Raw (the body as
// received) and DecodeIssues, and no Response: a delivery is a request
// EngageCheck made, not an answer to one.
//
// Type and ID are control fields: a delivery where either does not fit
// its type is refused (ErrWebhook). Any other value that does not fit is
// left zero and listed in DecodeIssues.
type WebhookEvent struct {
	// Type is the event type (control field; EngageCheck's "event"), as
	// every creatorkit-go webhook event names it.
	Type EventType `json:"event" creatorkit:"control"`
	// ID is the audit's id (control field).
	ID       int64  `json:"id" creatorkit:"control"`
	Username string `json:"username"`
	// AQS, Verdict, Report and CreditsRemaining come with audit.completed.
	AQS              *float64 `json:"aqs,omitempty"`
	Verdict          Verdict  `json:"verdict,omitempty"`
	Report           *Report  `json:"report,omitempty"`
	CreditsRemaining *int64   `json:"credits_remaining,omitempty"`
	// Error is EngageCheck's error message, sent with audit.failed
	// ("Account is private.").
	Error string `json:"error,omitempty"`
	// Reason says why the event did not succeed, like the Reason of every
	// creatorkit-go webhook event: for audit.failed, Error and that
	// EngageCheck refunded the credit ("Account is private (EngageCheck
	// refunded the credit)"); for a type the SDK does not know, Error or
	// an explanation; empty when Succeeded. The parsers set it (it is not part of the body).
	Reason string `json:"-"`

	// Raw is the body as received.
	Raw json.RawMessage `json:"-"`
	// DecodeIssues lists the values of the body that did not fit their
	// Go types (left zero).
	DecodeIssues []DecodeIssue `json:"-"`
}

// Succeeded reports whether the event is audit.completed: the audit is
// complete and Report holds it.
func (e *WebhookEvent) Succeeded() bool { return e != nil && e.Type == EventAuditCompleted }

// reason is why the event did not succeed; "" when it did.
func (e *WebhookEvent) reason() string {
	switch {
	case e.Succeeded():
		return ""
	case e.Type == EventAuditFailed:
		return failedReason(&e.Error)
	case strings.TrimSpace(e.Error) != "":
		return strings.TrimSpace(e.Error)
	}
	t := string(e.Type)
	if len(t) > 64 {
		t = t[:64] + "…"
	}
	return fmt.Sprintf("event %q is not one the SDK knows (audit.completed, audit.failed)", t)
}

// MaxWebhookBytes is the default cap on a webhook body (a full report is a
// few kilobytes).
const MaxWebhookBytes = 1 << 20

// ErrWebhook is the kind of every error ParseWebhook returns.
var ErrWebhook = errors.New("engagecheck: invalid webhook")

// webhookError is a delivery ParseWebhook refused: ErrWebhook and why.
type webhookError struct{ detail string }

func (e *webhookError) Error() string { return ErrWebhook.Error() + ": " + e.detail }
func (e *webhookError) Unwrap() error { return ErrWebhook }

// ParseWebhook reads and decodes a webhook request body (at most
// MaxWebhookBytes). It does not verify the sender: EngageCheck documents no
// signature scheme. See WithWebhookVerifier.
//
// Its errors never repeat a secret of the request: every query value and
// path segment of its URL and the values of its credential headers
// (Authorization, Cookie, and any header named like a secret, token,
// signature or key) are removed from them, in every encoding the client's
// redactor knows, so a shared secret in the webhook URL cannot reach a
// log through an error.
func ParseWebhook(r *http.Request) (*WebhookEvent, error) {
	red := requestRedactor(r)
	body, err := webhook.ReadCapped(r.Body, MaxWebhookBytes)
	if err != nil {
		return nil, &webhookError{detail: red.String(err.Error())}
	}
	return parseWebhook(body, red)
}

// ParseWebhookBody decodes a webhook body. Decoding is tolerant like the
// client's: only a body that is not a JSON object, an event without a type,
// or an unreadable control field (event, id) is an error.
func ParseWebhookBody(body []byte) (*WebhookEvent, error) {
	return parseWebhook(body, redact.Redactor{})
}

func parseWebhook(body []byte, red redact.Redactor) (*WebhookEvent, error) {
	fail := func(detail string) (*WebhookEvent, error) {
		return nil, &webhookError{detail: red.String(detail)}
	}
	if !isObject(body) {
		if !json.Valid(body) {
			return fail("malformed JSON")
		}
		return fail("the body is not a JSON object")
	}
	var ev WebhookEvent
	issues, err := jsonx.Decode(body, &ev)
	if err != nil {
		return fail("malformed JSON")
	}
	for _, is := range issues {
		if is.Control {
			return fail("unreadable " + is.Path + ": got " + is.Got + ", want " + is.Want)
		}
	}
	if ev.Type == "" {
		return fail("no event field")
	}
	ev.Reason = ev.reason()
	ev.Raw = append(json.RawMessage(nil), body...)
	ev.DecodeIssues = issues
	red.Value(&ev.DecodeIssues)
	return &ev, nil
}

// requestRedactor removes the secrets a webhook request may carry: every
// query value and path segment of its URL, and its credential headers
// (also the parts of a Basic or Bearer Authorization).
func requestRedactor(r *http.Request) redact.Redactor {
	if r == nil {
		return redact.Redactor{}
	}
	var secrets []string
	if r.URL != nil {
		for _, vs := range r.URL.Query() {
			secrets = append(secrets, vs...)
		}
		secrets = append(secrets, strings.Split(r.URL.Path, "/")...)
		if r.URL.User != nil {
			secrets = append(secrets, r.URL.User.String())
		}
	}
	for name, vs := range r.Header {
		if !secretHeader(name) {
			continue
		}
		for _, v := range vs {
			secrets = append(secrets, v)
			scheme, cred, ok := strings.Cut(v, " ")
			if !ok {
				continue
			}
			cred = strings.TrimSpace(cred)
			secrets = append(secrets, cred)
			if strings.EqualFold(scheme, "Basic") {
				if dec, err := base64.StdEncoding.DecodeString(cred); err == nil {
					user, pass, _ := strings.Cut(string(dec), ":")
					secrets = append(secrets, string(dec), user, pass)
				}
			}
		}
	}
	return redact.New(secrets...)
}

// secretHeader reports whether a request header may carry a credential.
func secretHeader(name string) bool {
	n := strings.ToLower(name)
	switch n {
	case "authorization", "proxy-authorization", "cookie":
		return true
	}
	for _, w := range []string{"secret", "token", "signature", "key", "auth", "password"} {
		if strings.Contains(n, w) {
			return true
		}
	}
	return false
}

// WebhookOption tunes WebhookHandler and NewWebhookReceiver.
type WebhookOption func(*webhookConfig)

// webhookConfig is what the webhook options set.
type webhookConfig struct {
	webhook.Config
}

// WithWebhookVerifier runs verify on every delivery before it is decoded; a
// non-nil error answers 401 and drops the event. EngageCheck documents no
// signature scheme, so this is where to check a shared secret you put in
// the webhook URL, an allow-listed source address, or a signature header
// should EngageCheck add one.
func WithWebhookVerifier(verify func(r *http.Request, body []byte) error) WebhookOption {
	set := webhook.WithVerifier(verify)
	return func(c *webhookConfig) { set(&c.Config) }
}

// WithMaxWebhookBytes changes the body cap (default MaxWebhookBytes).
func WithMaxWebhookBytes(n int64) WebhookOption {
	set := webhook.WithMaxBytes(n)
	return func(c *webhookConfig) { set(&c.Config) }
}

// WebhookHandler returns an http.Handler that receives EngageCheck
// webhooks and calls fn with each event. It answers:
//
//	405 for anything but POST
//	413 for a body over the cap
//	401 when the verifier refuses the delivery
//	400 for a body ParseWebhook refuses (the message never repeats a
//	    secret of the request, as with ParseWebhook)
//	500 when fn returns an error, so the sender may try again
//	204 when fn succeeds
//
// fn gets the request's context. To feed CreateAndWaitAll, mount a
// WebhookReceiver instead (see WithWebhooks).
func WebhookHandler(fn func(ctx context.Context, ev *WebhookEvent) error, opts ...WebhookOption) http.Handler {
	var cfg webhookConfig
	for _, o := range opts {
		if o != nil {
			o(&cfg)
		}
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		red := requestRedactor(r)
		parse := func(body []byte) (*WebhookEvent, error) { return parseWebhook(body, red) }
		webhook.Handler(cfg.Config, parse, fn).ServeHTTP(w, r)
	})
}
