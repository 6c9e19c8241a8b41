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
// the receiver the rosters of this worker were given with
// engagecheck.WithWebhooks: it decodes each SourceEngageCheck message
// (engagecheck.ParseWebhookBody) and hands it to recv.Deliver, in the
// worker running the Consumer. Messages of other sources are skipped
// (acknowledged for this group); use Route to serve several. A body that
// does not decode is dropped (Permanent): the intake parsed it, so it
// cannot get better.
//
// The roster's webhook URL is the intake's, served by any replica; recv
// is mounted nowhere, the consumer hands it the events:
//
//	// every web replica: the URL EngageCheck posts to
//	mux.Handle("POST /hooks/engagecheck", stream.WebhookHandler(redisstore.EngageCheckEvents, redisstore.WithVerifier(checkSecret)))
//
//	// the worker that runs rosters: a group of its own, created before it submits
//	recv := engagecheck.NewWebhookReceiver()
//	consumer, err := stream.NewConsumer(ctx, "rosters-"+workerName, workerName)
//	go consumer.Run(ctx, redisstore.EngageCheckHandler(recv))
//	for a, err := range c.Audits.CreateAndWaitAll(ctx, handles, engagecheck.WithWebhooks(recv, "https://app.example.com/hooks/engagecheck?s="+secret)) { ... }
//
// # A consumer group per worker
//
// Give every worker process whose rosters wait for their own audits a
// consumer group of its own (and a stable name: a StatefulSet ordinal, a
// job id). recv.Deliver accepts every event, and returns nil also for one
// no roster on recv waits for, so the consumer acknowledges it. In a group shared
// by two workers each event goes to one of them, so a worker would
// acknowledge, and drop, events the other's roster waits for; that roster
// would look those audits up instead (a list read, then a GET each):
// still correct, but what the webhooks save is lost. With a group each,
// every worker sees every event and keeps its own; the cost is that each
// group reads every EngageCheck event of the stream. A group left behind
// by a worker gone for good holds little (its position, and the ids of the
// events it had taken and not acknowledged); XGROUP DESTROY <prefix>:events <group> removes
// it.
//
// Create the consumer, and so its group, before the roster submits: a new
// group reads from "$" (WithGroupStart), so an event appended before it
// exists never reaches it. Run may start later: events wait in the group.
// An event that reaches recv before the roster knows its audit (the
// batch's answer is still on its way) is kept for it, as
// engagecheck.WebhookReceiver documents.
//
// # A worker that died
//
// Restart it under the same group and consumer name, and run its roster
// again with engagecheck.WithReuseRecent: it adopts the audits the dead
// run submitted (a complete one is fetched, a pending one awaited), so
// nothing is paid twice, and its group has kept the events that arrived
// meanwhile. Start Run once the roster has adopted its audits, and so
// routes them to recv (its first Progress with Pending > 0, see
// engagecheck.WithProgress): those events then answer the audits that settled while it was down. Started
// before, the consumer would hand them to recv before the roster routes
// them, and the roster would read those audits by id instead.
//
// Delivery is at least once; recv drops a second event for an audit, so
// a redelivered event changes nothing. The handler does not fail on a
// valid event, so an EngageCheck event is never retried. It panics if
// recv is nil.
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
