package redisstore

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"strings"

	"github.com/creatorkit/creatorkit-go/firstparty"
)

// SourceFirstParty is the Event.Source of Ylytic First Party webhooks.
const SourceFirstParty = "firstparty"

// FirstPartyEvents returns the ParseFunc of Ylytic's webhooks for
// Stream.WebhookHandler. It parses each body with c.ParseWebhookBody (c's
// token removed from the event and from the body the stream keeps, c's
// decoding mode), or with firstparty.ParseWebhookBody when c is nil.
//
// Ylytic gives its events no id. A creator_insights_1p event carries the
// state of the verification it reports on, which is unique to that
// verification, so its Key is its type and a hash of its state, connector,
// identifier and status: a repeat delivery of it (Ylytic retrying, or the
// same POST reaching two replicas) is appended once, while a later event
// that says something else about the same verification (failed, then
// success) is appended too. An event without a state (the third-party
// creator_insights) has no Key: nothing in it tells a repeat from a new
// report on the same creator, so every delivery is appended. The state is
// hashed in the Key; the body keeps it as Ylytic sent it (by then the
// state is used up: the webhook follows Verify Creator).
func FirstPartyEvents(c *firstparty.Client) ParseFunc {
	parse := firstparty.ParseWebhookBody
	if c != nil {
		parse = c.ParseWebhookBody
	}
	return func(body []byte) (Event, error) {
		ev, err := parse(body)
		if err != nil {
			return Event{}, err
		}
		return Event{Source: SourceFirstParty, Key: firstPartyKey(ev), Body: ev.Raw}, nil
	}
}

// firstPartyKey identifies a First Party event that carries a state.
func firstPartyKey(ev *firstparty.WebhookEvent) string {
	if ev.State == "" {
		return ""
	}
	sum := sha256.Sum256([]byte(strings.Join([]string{string(ev.Type), ev.State, strings.ToLower(string(ev.Platform)), ev.Identifier, strings.ToLower(string(ev.Status))}, "\x00")))
	return string(ev.Type) + ":" + hex.EncodeToString(sum[:16])
}

// FirstPartyHandler adapts the First Party event handler you would give
// firstparty.WebhookHandler to a consumer's Handler: it decodes each
// SourceFirstParty message (firstparty.ParseWebhookBody) and calls fn with
// it in the worker running the Consumer. Messages of other sources are
// skipped (acknowledged for this group); use Route to serve several. An
// error from fn leaves the event pending, to be retried after the
// consumer's MinIdle; wrap it with Permanent to drop the event instead.
// MessageFromContext(ctx) gives fn the message (Redelivered, ID, Key) to
// make its handling idempotent. It panics if fn is nil.
func FirstPartyHandler(fn func(ctx context.Context, ev *firstparty.WebhookEvent) error) Handler {
	if fn == nil {
		panic("redisstore: FirstPartyHandler needs a function")
	}
	return func(ctx context.Context, m Message) error {
		if m.Source != SourceFirstParty {
			return nil
		}
		ev, err := firstparty.ParseWebhookBody(m.Body)
		if err != nil {
			return Permanent(err) // the intake parsed it: it cannot get better
		}
		return fn(ctx, ev)
	}
}
