// Package redisstore lets several replicas of a web app, and the workers
// beside them, share through Redis what creatorkit-go otherwise keeps in
// one process's memory:
//
//   - StateStore is a firstparty.StateStore: the state a ConnectFlow issues
//     on the replica that served /connect is found, once, by whichever
//     replica the creator's callback lands on.
//   - Stream is a webhook fan-in: every replica's webhook URL appends the
//     verified events it receives to a Redis stream (WebhookHandler), and
//     a Consumer hands them to the worker that waits for them: to the
//     First Party handler you registered (FirstPartyHandler), to the
//     engagecheck.WebhookReceiver an EngageCheck roster waits on
//     (EngageCheckHandler), or to a Handler of your own.
//
// It is a module of its own so that the SDK's core never depends on a
// Redis client:
//
//	go get github.com/creatorkit/creatorkit-go/contrib/redisstore
//
// # Setup
//
//	rdb := redis.NewClient(&redis.Options{Addr: "redis:6379", DialerRetries: 1, ContextTimeoutEnabled: true})
//	store, err := redisstore.NewStateStore(rdb, "myapp")
//	flow, err := firstparty.NewConnectFlow(c, firstparty.ConnectConfig{RedirectURL: ..., Store: store})
//
//	stream, err := redisstore.NewStream(rdb, "myapp")
//	mux.Handle("POST /hooks/ylytic", stream.WebhookHandler(redisstore.FirstPartyEvents(c), redisstore.WithVerifier(checkSecret)))
//	mux.Handle("POST /hooks/engagecheck", stream.WebhookHandler(redisstore.EngageCheckEvents, redisstore.WithVerifier(checkSecret)))
//
//	// in the worker (or in every replica, one group for all of them):
//	consumer, err := stream.NewConsumer(ctx, "webapp", podName)
//	go consumer.Run(ctx, redisstore.FirstPartyHandler(onInsightsReady))
//
//	// in each worker that runs EngageCheck rosters: a group of its own,
//	// created before it submits, feeding the receiver its rosters wait on
//	recv := engagecheck.NewWebhookReceiver()
//	rosters, err := stream.NewConsumer(ctx, "rosters-"+workerName, workerName)
//	go rosters.Run(ctx, redisstore.EngageCheckHandler(recv))
//	for a, err := range ec.Audits.CreateAndWaitAll(ctx, handles, engagecheck.WithWebhooks(recv, publicHookURL)) { ... }
//
// publicHookURL is the intake's URL as EngageCheck reaches it, on any
// replica. Why a group per worker, and how a worker that died resumes its
// roster without paying twice: see EngageCheckHandler.
//
// Give every replica and worker the same prefix. The client options above
// make a stopped or hung Redis fail fast instead of after go-redis's
// default five dials; each call is bounded by WithCallTimeout (1 s) too.
//
// # Keys
//
// Everything lives under the caller's prefix; nothing in Redis is a
// secret in clear:
//
//	<prefix>:fpstate:<sha256(state), hex>  string, a consent state, sealed; TTL its expiry
//	<prefix>:events                        stream of webhook events: fields src, key, body; MAXLEN ~ WithMaxLen
//	<prefix>:seen:<sha256(src, key)[:16]>  string, the entry id of an appended vendor event; TTL WithDedupeWindow
//
// Consumer groups and their consumers live on <prefix>:events. A state's
// value holds its connector, your Data, the browser Session and its
// times, sealed with AES-256-GCM under a key derived from the state (see
// StateStore); the state itself is stored nowhere. On Redis Cluster, put
// a hash tag in the prefix ("{myapp}") so that a Stream's keys share a
// slot: intake updates the stream and a seen key in one script.
//
// Redis 7.0 or later is needed (GETDEL, and XAUTOCLAIM reporting the
// entries the cap trimmed).
//
// # Delivery guarantees of the fan-in
//
//   - An event is appended when intake answered 2xx, and only then: 413,
//     401, 400 and 503 append nothing. A repeat of a vendor event (same
//     Event.Key) within the dedupe window is answered 204 and not appended
//     again; events without a Key are appended every time.
//   - Every consumer group receives every appended event; within a group
//     each event goes to one consumer at a time.
//   - At least once: an event is acknowledged only after its handler
//     returned nil (or Permanent). The events of a consumer that crashed,
//     and of a handler that failed, are handed again after MinIdle, marked
//     Redelivered, to any consumer of the group; a restarted consumer
//     takes up its own first. While a batch is being handled its consumer
//     keeps it claimed, so slow handlers are not handed to a second
//     consumer. The one window for a duplicate is a crash (or a Redis
//     failure) between a handler's success and its XACK: handlers must be
//     idempotent (use Message.ID, Key and Redelivered).
//   - Bounded: a body over WithMaxEventBytes is refused with 413; the
//     stream keeps about WithMaxLen events, so an event that waits longer
//     than WithMaxLen newer ones (consumers down for long) is trimmed and
//     lost; a consumer counts (ConsumerStats.Lost) and logs the pending
//     ones it finds trimmed. A Redis that restarts empty loses what it
//     held; consumers recreate their group and go on.
//
// # When Redis is down
//
//   - Consent: Start fails, and the callback is refused with an
//     *UnavailableError (errors.Is(err, ErrRedisUnavailable)) that says the
//     state could not be checked. Never is a state accepted that could not
//     be verified, and Ylytic is not called.
//   - Webhooks: intake answers 503 with Retry-After and appends nothing,
//     so a vendor that retries delivers again, and a roster falls back on
//     its list reconciliation.
//   - Consumers log the outage once, retry with a backoff, and go on when
//     Redis is back. Nothing panics, also when a handler does.
//
// Package redistest starts a throwaway redis-server for tests and
// examples.
package redisstore
