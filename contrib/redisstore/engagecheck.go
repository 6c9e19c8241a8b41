package redisstore

import (
	"context"
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

// EngageCheckHandler feeds EngageCheck's webhooks from the stream to recv,
// the receiver the rosters of this process were given with
// engagecheck.WithWebhooks: it decodes each SourceEngageCheck message
// (engagecheck.ParseWebhookBody) and hands it to recv.Deliver, in the
// worker running the Consumer. Messages of other sources are skipped
// (acknowledged for this group); use Route to serve several. A body that
// does not decode is dropped (Permanent): the intake parsed it, so it
// cannot get better.
//
// The roster's webhook URL is the intake's, on any replica, and the
// receiver is not mounted anywhere; the consumer hands it the events:
//
//	// every replica (or only some: any of them serves the URL)
//	mux.Handle("POST /hooks/engagecheck", stream.WebhookHandler(redisstore.EngageCheckEvents, redisstore.WithVerifier(checkSecret)))
//
//	// the worker that runs rosters: a group of its own, created before it submits
//	recv := engagecheck.NewWebhookReceiver()
//	consumer, err := stream.NewConsumer(ctx, "rosters-"+workerName, workerName)
//	go consumer.Run(ctx, redisstore.EngageCheckHandler(recv))
//	for a, err := range c.Audits.CreateAndWaitAll(ctx, handles, engagecheck.WithWebhooks(recv, "https://app.example.com/hooks/engagecheck?s="+secret)) { ... }
//
// Give every process whose rosters wait for their own audits a consumer
// group of its own. Deliver accepts every event: one for an audit no
// roster on recv waits for is ignored, and the handler returns nil for
// it, so it is acknowledged. In a group shared by two workers, each event
// goes to one of them: the other worker's share of its own audits' events
// would be acknowledged by a receiver that ignores them, and that roster
// would fall back on looking them up (a list read and a GET each: correct,
// but the webhooks' saving lost). With a group each, every worker sees
// every event and keeps its own. The cost is that each group reads every
// EngageCheck event of the stream, a few kilobytes each; a group left
// behind by a worker that is gone for good costs only its entry on the
// stream (XGROUP DESTROY removes it).
//
// Create the consumer, and so its group, before the roster submits:
// a new group reads from "$" (WithGroupStart), so an event appended
// before it exists never reaches it. Run may start later; events wait in
// the group. An event that reaches the receiver before the roster knows
// its audit (the batch's answer is still on its way) is kept for it, as
// engagecheck.WebhookReceiver documents. A worker restarted under the
// same group and name takes up the events its group received meanwhile;
// a roster it runs again with engagecheck.WithReuseRecent adopts its
// audits (a complete one is fetched, a pending one awaited), so nothing
// is paid twice.
//
// Delivery is at least once; the receiver drops a second event for an
// audit, so a redelivered event changes nothing. The handler never
// fails for a valid event, so an EngageCheck event is never retried. It
// panics if recv is nil.
func EngageCheckHandler(recv *engagecheck.WebhookReceiver) Handler {
	if recv == nil {
		panic("redisstore: EngageCheckHandler needs a receiver (engagecheck.NewWebhookReceiver)")
	}
	return func(ctx context.Context, m Message) error {
		if m.Source != SourceEngageCheck {
			return nil
		}
		ev, err := engagecheck.ParseWebhookBody(m.Body)
		if err != nil {
			return Permanent(err)
		}
		return recv.Deliver(ctx, ev)
	}
}
