package redisstore

import (
	"strconv"

	"github.com/creatorkit/creatorkit-go/engagecheck"
)

// SourceEngageCheck is the Event.Source of EngageCheck webhooks.
const SourceEngageCheck = "engagecheck"

// EngageCheckEvents is the ParseFunc of EngageCheck's webhooks for
// Stream.WebhookHandler: it parses each body with
// engagecheck.ParseWebhookBody. An audit settles once, so an event's Key
// is its type and audit id ("audit.completed:142"): a repeat delivery is
// appended once. An event without an id has no Key.
func EngageCheckEvents(body []byte) (Event, error) {
	ev, err := engagecheck.ParseWebhookBody(body)
	if err != nil {
		return Event{}, err
	}
	var key string
	if ev.ID != 0 {
		key = string(ev.Type) + ":" + strconv.FormatInt(ev.ID, 10)
	}
	return Event{Source: SourceEngageCheck, Key: key, Body: ev.Raw}, nil
}
