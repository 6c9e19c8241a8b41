package redisstore_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"time"

	"github.com/creatorkit/creatorkit-go/contrib/redislimit/redistest"
	"github.com/creatorkit/creatorkit-go/contrib/redisstore"
	"github.com/creatorkit/creatorkit-go/engagecheck"
	"github.com/creatorkit/creatorkit-go/engagecheck/engagechecktest"
	"github.com/creatorkit/creatorkit-go/firstparty"
	"github.com/redis/go-redis/v9"
)

// Two replicas share consent states: the state issued on one is found,
// once, on the other.
func ExampleStateStore() {
	srv, err := redistest.Start() // a throwaway redis-server; use your own address
	if err != nil {
		fmt.Println(err)
		return
	}
	defer srv.Close()
	replicaA := redis.NewClient(&redis.Options{Addr: srv.Addr, DialerRetries: 1, ContextTimeoutEnabled: true})
	defer replicaA.Close()
	replicaB := redis.NewClient(&redis.Options{Addr: srv.Addr, DialerRetries: 1, ContextTimeoutEnabled: true})
	defer replicaB.Close()
	storeA, _ := redisstore.NewStateStore(replicaA, "myapp")
	storeB, _ := redisstore.NewStateStore(replicaB, "myapp")
	// In an app: firstparty.NewConnectFlow(c, firstparty.ConnectConfig{..., Store: storeA}).

	ctx := context.Background()
	st := firstparty.IssuedState{State: firstparty.NewState(), Platform: firstparty.Instagram, Data: "user-42", Expires: time.Now().Add(15 * time.Minute)}
	_ = storeA.Save(ctx, st)
	got, found, err := storeB.Consume(ctx, st.State)
	fmt.Println(found, got.Data, err)
	_, found, err = storeA.Consume(ctx, st.State)
	fmt.Println(found, err)
	// Output:
	// true user-42 <nil>
	// false <nil>
}

// A webhook delivered to replica B reaches the First Party handler
// running in a worker beside replica A.
func ExampleStream() {
	srv, err := redistest.Start()
	if err != nil {
		fmt.Println(err)
		return
	}
	defer srv.Close()
	rdb := redis.NewClient(&redis.Options{Addr: srv.Addr, DialerRetries: 1, ContextTimeoutEnabled: true})
	defer rdb.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()

	stream, _ := redisstore.NewStream(rdb, "myapp")
	// The worker: create its consumer (and group) before the work whose
	// events it waits for.
	worker, _ := stream.NewConsumer(ctx, "webapp", "replica-a", redisstore.WithBlock(100*time.Millisecond))
	got := make(chan *firstparty.WebhookEvent, 1)
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = worker.Run(ctx, redisstore.FirstPartyHandler(func(_ context.Context, ev *firstparty.WebhookEvent) error {
			got <- ev
			return nil
		}))
	}()

	// Replica B serves the webhook URL.
	intake := stream.WebhookHandler(redisstore.FirstPartyEvents(nil))
	rec := httptest.NewRecorder()
	intake.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/hooks/ylytic", strings.NewReader(
		`{"type":"creator_insights_1p","status":"success","status_reason":"","identifier":"minimuffin8888","connector":"instagram","state":"unique-string"}`)))
	fmt.Println("intake answered", rec.Code)

	ev := <-got
	fmt.Println(ev.Type, ev.Identifier, ev.Succeeded())
	cancel()
	<-done
	// Output:
	// intake answered 204
	// creator_insights_1p minimuffin8888 true
}

// EngageCheck's webhooks reach the web replica's intake; the worker that
// runs the roster takes its audits' results from the stream.
func ExampleEngageCheckHandler() {
	srv, err := redistest.Start()
	if err != nil {
		fmt.Println(err)
		return
	}
	defer srv.Close()
	rdb := redis.NewClient(&redis.Options{Addr: srv.Addr, DialerRetries: 1, ContextTimeoutEnabled: true})
	defer rdb.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	fake := engagechecktest.NewServer(engagechecktest.WithDurations(engagechecktest.Durations{Pending: time.Second, Scraping: 2 * time.Second, Analyzing: 2 * time.Second}))
	defer fake.Close()
	c, _ := fake.NewClient()

	stream, _ := redisstore.NewStream(rdb, "myapp")
	// The web replica serves the webhook URL (here on the fake's side:
	// its public URL is what the roster gives EngageCheck).
	publicURL := fake.ServeWebhooks(stream.WebhookHandler(redisstore.EngageCheckEvents))

	// The worker: a consumer group of its own, created before it submits,
	// feeding the receiver its rosters wait on.
	recv := engagecheck.NewWebhookReceiver()
	worker, _ := stream.NewConsumer(ctx, "rosters-worker-1", "worker-1", redisstore.WithBlock(100*time.Millisecond))
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = worker.Run(ctx, redisstore.EngageCheckHandler(recv))
	}()

	var got []string
	for a, err := range c.Audits.CreateAndWaitAll(ctx, []string{"natgeo", "nasa", "someprivate"},
		append(fake.PollOptions(), engagecheck.WithWebhooks(recv, publicURL))...) {
		if err != nil {
			got = append(got, fmt.Sprintf("%s: %s", a.Input, a.Value.Status))
			continue
		}
		got = append(got, fmt.Sprintf("%s: %s, with its report: %t", a.Input, a.Value.Status, a.Value.Report != nil))
	}
	slices.Sort(got)
	fmt.Println(strings.Join(got, "\n"))
	fmt.Println("credits charged:", fake.Snapshot().TotalCredits())
	cancel()
	<-done
	// Output:
	// nasa: complete, with its report: true
	// natgeo: complete, with its report: true
	// someprivate: error
	// credits charged: 2
}
