package engagecheck

import (
	"context"
	"net/http"
	"sync"
	"time"
)

// WebhookReceiver receives EngageCheck's webhooks for the rosters that
// submit with it (CreateAndWaitAll with WithWebhooks). It is an
// http.Handler: mount it at the public URL you give WithWebhooks. Each
// delivery is read with the body cap (MaxWebhookBytes, or
// WithMaxWebhookBytes), checked by the verifier (WithWebhookVerifier) and
// decoded like ParseWebhook; it is then handed to the roster that
// submitted its audit, and answered 204 at once (the status codes are
// WebhookHandler's). Deliver hands over an event received elsewhere (by
// another replica, from a queue).
//
// Several rosters may share one receiver: events go to the roster whose
// audit they report, by audit id. An event for an audit no roster of the
// receiver submitted is ignored (Deliver returns nil for it, so a queue
// consumer acknowledges it instead of retrying it forever). A second event
// for the same audit is dropped. An event that arrives before the batch
// answer that names its audit (EngageCheck may settle an audit before its
// submit's answer reaches the roster) is kept until the roster reads that
// answer: at most 1,024 such events, each for at most 10 minutes, and
// only while one of the receiver's rosters has a submit whose audits it
// does not know yet.
//
// A receiver is safe for concurrent use. Create it with
// NewWebhookReceiver.
type WebhookReceiver struct {
	handler http.Handler

	mu       sync.Mutex
	routes   map[int64]*route // audit id -> the roster awaiting it
	early    []arrival        // events for ids no roster named yet, oldest first
	inflight int              // submits whose audits are not known yet
}

// route is where the event of one audit goes.
type route struct {
	in        *inbox
	delivered bool
}

// arrival is an event and when it reached the receiver.
type arrival struct {
	ev *WebhookEvent
	at time.Time
}

// Bounds on the events kept for audits no roster has named yet.
const (
	maxEarlyEvents = 1024
	earlyEventTTL  = 10 * time.Minute
)

// NewWebhookReceiver returns a receiver for WithWebhooks. The options are
// WebhookHandler's: WithWebhookVerifier (EngageCheck signs nothing, so
// check a secret of your own in the URL) and WithMaxWebhookBytes.
func NewWebhookReceiver(opts ...WebhookOption) *WebhookReceiver {
	r := &WebhookReceiver{routes: map[int64]*route{}}
	r.handler = WebhookHandler(r.Deliver, opts...)
	return r
}

// ServeHTTP receives one delivery.
func (r *WebhookReceiver) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	r.handler.ServeHTTP(w, req)
}

// Deliver hands an event to the roster that submitted its audit, without
// blocking. It returns nil for every event, also for one no roster
// awaits (ignored) and for a duplicate (dropped); only a nil event is an
// error. ctx is not used: Deliver never waits.
func (r *WebhookReceiver) Deliver(ctx context.Context, ev *WebhookEvent) error {
	if ev == nil {
		return &webhookError{detail: "no event"}
	}
	if ev.ID <= 0 || (ev.Type != EventAuditCompleted && ev.Type != EventAuditFailed) {
		return nil // nothing a roster waits for
	}
	now := time.Now()
	r.mu.Lock()
	defer r.mu.Unlock()
	if rt := r.routes[ev.ID]; rt != nil {
		if !rt.delivered {
			rt.delivered = true
			rt.in.push(arrival{ev, now})
		}
		return nil
	}
	if r.inflight > 0 {
		r.prune(now)
		for _, a := range r.early {
			if a.ev.ID == ev.ID {
				return nil // a duplicate
			}
		}
		if len(r.early) == maxEarlyEvents {
			r.early = r.early[1:]
		}
		r.early = append(r.early, arrival{ev, now})
	}
	return nil
}

// prune drops the kept events older than earlyEventTTL. Callers hold r.mu.
func (r *WebhookReceiver) prune(now time.Time) {
	i := 0
	for i < len(r.early) && now.Sub(r.early[i].at) > earlyEventTTL {
		i++
	}
	r.early = r.early[i:]
}

// expect says a roster sent (+1) or settled (-1) a submit whose audits it
// does not know yet: while any such submit is out, events for unknown
// audits are kept for it. When none is, the kept events belong to no
// roster and are dropped.
func (r *WebhookReceiver) expect(n int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.inflight += n; r.inflight <= 0 {
		r.inflight, r.early = 0, nil
	}
}

// register routes the events of ids to in, handing over those that came
// early.
func (r *WebhookReceiver) register(in *inbox, ids ...int64) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, id := range ids {
		if r.routes[id] != nil {
			continue
		}
		rt := &route{in: in}
		r.routes[id] = rt
		for i, a := range r.early {
			if a.ev.ID == id {
				rt.delivered = true
				in.push(a)
				r.early = append(r.early[:i:i], r.early[i+1:]...)
				break
			}
		}
	}
}

// unregister forgets the routes of ids (the roster ended).
func (r *WebhookReceiver) unregister(in *inbox, ids []int64) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, id := range ids {
		if rt := r.routes[id]; rt != nil && rt.in == in {
			delete(r.routes, id)
		}
	}
}

// inbox is one roster's queue of events; wake tells its loop.
type inbox struct {
	mu     sync.Mutex
	events []arrival
	wake   chan struct{}
}

func newInbox() *inbox { return &inbox{wake: make(chan struct{}, 1)} }

func (in *inbox) push(a arrival) {
	in.mu.Lock()
	in.events = append(in.events, a)
	in.mu.Unlock()
	select {
	case in.wake <- struct{}{}:
	default:
	}
}

func (in *inbox) take() []arrival {
	in.mu.Lock()
	defer in.mu.Unlock()
	out := in.events
	in.events = nil
	return out
}
