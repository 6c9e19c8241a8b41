package redisstore_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"time"

	"github.com/creatorkit/creatorkit-go/contrib/redislimit/redistest"
	"github.com/creatorkit/creatorkit-go/contrib/redisstore"
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
