package redisstore_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/creatorkit/creatorkit-go/contrib/redislimit/redistest"
	"github.com/creatorkit/creatorkit-go/contrib/redisstore"
	"github.com/creatorkit/creatorkit-go/firstparty"
	"github.com/creatorkit/creatorkit-go/firstparty/firstpartytest"
	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fast are consumer options for tests: short reads, quick reclaims.
func fast(opts ...redisstore.Option) []redisstore.Option {
	return append([]redisstore.Option{redisstore.WithBlock(50 * time.Millisecond), redisstore.WithMinIdle(300 * time.Millisecond), redisstore.WithLogger(discard())}, opts...)
}

func newConsumer(t *testing.T, s *redisstore.Stream, group, name string, opts ...redisstore.Option) *redisstore.Consumer {
	t.Helper()
	c, err := s.NewConsumer(ctx, group, name, fast(opts...)...)
	require.NoError(t, err)
	return c
}

// run runs c until the returned func (also called at cleanup) stops it
// and waits for Run to return.
func run(t *testing.T, c *redisstore.Consumer, h redisstore.Handler) (stop func()) {
	t.Helper()
	rctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- c.Run(rctx, h) }()
	var once sync.Once
	stop = func() {
		once.Do(func() {
			cancel()
			select {
			case err := <-done:
				assert.NoError(t, err)
			case <-time.After(10 * time.Second):
				t.Error("Run did not return after its context ended")
			}
		})
	}
	t.Cleanup(stop)
	return stop
}

// seen records what handlers were handed, safely across goroutines.
type seen struct {
	mu  sync.Mutex
	ids map[string]int // body -> times handed
	re  int            // how many were marked Redelivered
}

func (s *seen) add(body string, redelivered bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ids == nil {
		s.ids = map[string]int{}
	}
	s.ids[body]++
	if redelivered {
		s.re++
	}
}

func (s *seen) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.ids)
}

// once reports whether every body in want was handed exactly once and
// nothing else was.
func (s *seen) exactlyOnce(t *testing.T, want []string) {
	t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, w := range want {
		assert.Equal(t, 1, s.ids[w], "event %s", w)
	}
	assert.Len(t, s.ids, len(want))
}

func pendingCount(t *testing.T, rdb *redis.Client, s *redisstore.Stream, group string) int64 {
	t.Helper()
	p, err := rdb.XPending(ctx, s.Key(), group).Result()
	require.NoError(t, err)
	return p.Count
}

// Ylytic's webhooks land on replica B (its intake); the First Party
// handler registered on replica A's worker gets every one, once.
func TestFirstPartyWebhooksOnReplicaBReachReplicaA(t *testing.T) {
	srv := redistest.New(t)
	fake := firstpartytest.NewServer(firstpartytest.WithInsightsDelay(0))
	t.Cleanup(fake.Close)
	c, err := fake.NewClient()
	require.NoError(t, err)
	a := newReplica(t, "A", srv, c, firstparty.ConnectConfig{})
	b := newReplica(t, "B", srv, c, firstparty.ConnectConfig{})

	// Replica B serves the webhook URL.
	streamB := newStream(t, srv.Client())
	hooksB := httptest.NewServer(streamB.WebhookHandler(redisstore.FirstPartyEvents(c)))
	t.Cleanup(hooksB.Close)
	fake.SetWebhookURL(hooksB.URL)

	// Replica A's worker waits for the events.
	streamA := newStream(t, srv.Client())
	worker := newConsumer(t, streamA, "webapp", "replica-a")
	var got seen
	var statesMu sync.Mutex
	var states []string
	run(t, worker, redisstore.FirstPartyHandler(func(ctx context.Context, ev *firstparty.WebhookEvent) error {
		m, ok := redisstore.MessageFromContext(ctx)
		require.True(t, ok)
		got.add(ev.State, m.Redelivered)
		statesMu.Lock()
		states = append(states, ev.State)
		statesMu.Unlock()
		return nil
	}))

	const creators = 12
	var want []string
	for i := range creators {
		v, err := a.flow.Start(ctx, firstparty.StartParams{Platform: firstparty.Instagram, Data: fmt.Sprint("user-", i)})
		require.NoError(t, err)
		state, token := creatorConnects(t, v)
		out, _ := b.callback(state, token)
		require.NoError(t, out.err)
		want = append(want, state)
	}
	require.Eventually(t, func() bool { return got.count() == creators }, 10*time.Second, 10*time.Millisecond)
	got.exactlyOnce(t, want)
	assert.Zero(t, got.re)
	for _, d := range fake.Deliveries() {
		assert.Equal(t, http.StatusNoContent, d.Status)
	}
	assert.Equal(t, redisstore.ConsumerStats{Handled: creators}, worker.Stats())
}

// Every group gets every event; the consumers of one group share them,
// each event going to one.
func TestGroupsAndConsumers(t *testing.T) {
	srv := redistest.New(t)
	s := newStream(t, srv.Client())
	var web, roster seen
	var perConsumer [3]atomic.Int32
	for i := range 3 {
		c := newConsumer(t, s, "webapp", fmt.Sprint("web-", i))
		run(t, c, func(_ context.Context, m redisstore.Message) error {
			perConsumer[i].Add(1)
			web.add(string(m.Body), m.Redelivered)
			return nil
		})
	}
	run(t, newConsumer(t, s, "roster-worker-1", "w1"), func(_ context.Context, m redisstore.Message) error {
		roster.add(string(m.Body), m.Redelivered)
		return nil
	})
	var want []string
	for i := range 300 {
		body := fmt.Sprintf("e%03d", i)
		want = append(want, body)
		_, _, err := s.Append(ctx, redisstore.Event{Source: "custom", Body: []byte(body)})
		require.NoError(t, err)
	}
	require.Eventually(t, func() bool { return web.count() == 300 && roster.count() == 300 }, 10*time.Second, 10*time.Millisecond)
	web.exactlyOnce(t, want)
	roster.exactlyOnce(t, want)
	t.Logf("the webapp group's three consumers took %d, %d and %d of 300", perConsumer[0].Load(), perConsumer[1].Load(), perConsumer[2].Load())
}

// A failed handler's event stays pending and is handed again (marked
// Redelivered) after MinIdle; a panic is a failure; Permanent drops.
func TestHandlerFailuresAreRetriedOrDropped(t *testing.T) {
	srv := redistest.New(t)
	rdb := srv.Client()
	s := newStream(t, rdb)
	c := newConsumer(t, s, "g", "w1")
	var got seen
	var tries sync.Map
	run(t, c, func(_ context.Context, m redisstore.Message) error {
		n, _ := tries.LoadOrStore(string(m.Body), new(atomic.Int32))
		try := n.(*atomic.Int32).Add(1)
		switch {
		case string(m.Body) == "fails-once" && try == 1:
			return errors.New("db down")
		case string(m.Body) == "panics-once" && try == 1:
			panic("boom")
		case string(m.Body) == "poison":
			return redisstore.Permanent(errors.New("cannot ever handle this"))
		}
		got.add(string(m.Body), m.Redelivered)
		return nil
	})
	for _, b := range []string{"ok-1", "fails-once", "panics-once", "poison", "ok-2"} {
		_, _, err := s.Append(ctx, redisstore.Event{Source: "custom", Body: []byte(b)})
		require.NoError(t, err)
	}
	require.Eventually(t, func() bool { return got.count() == 4 && pendingCount(t, rdb, s, "g") == 0 }, 10*time.Second, 10*time.Millisecond)
	got.exactlyOnce(t, []string{"ok-1", "fails-once", "panics-once", "ok-2"})
	assert.Equal(t, 2, got.re, "the two retried events are marked Redelivered")
	assert.Equal(t, redisstore.ConsumerStats{Handled: 4, Redelivered: 2, Failed: 2, Dropped: 1}, c.Stats())
}

// A handler slower than MinIdle keeps its event (and the rest of its
// batch) claimed: another consumer of the group does not take it over.
func TestSlowHandlerIsNotReclaimed(t *testing.T) {
	srv := redistest.New(t)
	rdb := srv.Client()
	s := newStream(t, rdb)
	var got seen
	h := func(_ context.Context, m redisstore.Message) error {
		if string(m.Body) == "slow" {
			time.Sleep(time.Second) // more than three times MinIdle
		}
		got.add(string(m.Body), m.Redelivered)
		return nil
	}
	w1 := newConsumer(t, s, "g", "w1", redisstore.WithBatch(10))
	run(t, w1, h)
	var want []string
	for i := range 5 {
		b := fmt.Sprint("e", i)
		if i == 0 {
			b = "slow"
		}
		want = append(want, b)
		_, _, err := s.Append(ctx, redisstore.Event{Source: "custom", Body: []byte(b)})
		require.NoError(t, err)
	}
	time.Sleep(100 * time.Millisecond) // w1 has read the batch
	w2 := newConsumer(t, s, "g", "w2")
	run(t, w2, h)
	require.Eventually(t, func() bool { return got.count() == 5 && pendingCount(t, rdb, s, "g") == 0 }, 10*time.Second, 10*time.Millisecond)
	time.Sleep(700 * time.Millisecond) // two more MinIdle: nothing is handed again
	got.exactlyOnce(t, want)
	assert.Zero(t, got.re)
	assert.Equal(t, int64(5), w1.Stats().Handled+w2.Stats().Handled)
}

// Pending events the stream's cap trimmed before they were handled are
// counted and logged as lost, not retried forever.
func TestTrimmedPendingEventsAreCountedLost(t *testing.T) {
	srv := redistest.New(t)
	rdb := srv.Client()
	s := newStream(t, rdb)
	c := newConsumer(t, s, "g", "w1")
	for i := range 5 {
		_, _, err := s.Append(ctx, redisstore.Event{Source: "custom", Body: fmt.Appendf(nil, "e%d", i)})
		require.NoError(t, err)
	}
	// A consumer that read them and died.
	require.NoError(t, rdb.XReadGroup(ctx, &redis.XReadGroupArgs{Group: "g", Consumer: "dead", Streams: []string{s.Key(), ">"}}).Err())
	require.NoError(t, rdb.XTrimMaxLen(ctx, s.Key(), 0).Err())
	var got seen
	run(t, c, func(_ context.Context, m redisstore.Message) error {
		got.add(string(m.Body), m.Redelivered)
		return nil
	})
	require.Eventually(t, func() bool { return c.Stats().Lost == 5 }, 10*time.Second, 10*time.Millisecond)
	assert.Zero(t, got.count())
	assert.Zero(t, pendingCount(t, rdb, s, "g"))
}

// Redis stops mid-run and comes back empty. While it is down intake
// answers 503 and the consumer waits; afterwards the consumer recreates
// its group and every event intake accepted is handled once.
func TestConsumerSurvivesRedisRestart(t *testing.T) {
	srv := redistest.New(t)
	rdb := srv.ClientWith(fastFail())
	s := newStream(t, rdb, redisstore.WithCallTimeout(300*time.Millisecond))
	intake := s.WebhookHandler(redisstore.EngageCheckEvents)
	var logs syncBuffer
	logger := slog.New(slog.NewTextHandler(&logs, nil))
	worker := newConsumer(t, newStream(t, srv.ClientWith(fastFail())), "roster", "w1", redisstore.WithLogger(logger))
	var got seen
	run(t, worker, func(_ context.Context, m redisstore.Message) error { got.add(m.Key, m.Redelivered); return nil })

	var accepted []string
	deliver := func(id int) int {
		code := post(intake, "/hooks/engagecheck", fmt.Sprintf(`{"event":"audit.completed","id":%d,"username":"u%d"}`, id, id)).Code
		if code == http.StatusNoContent {
			accepted = append(accepted, fmt.Sprintf("audit.completed:%d", id))
		}
		return code
	}
	for id := 1; id <= 20; id++ {
		require.Equal(t, http.StatusNoContent, deliver(id))
	}
	require.Eventually(t, func() bool { return got.count() == 20 }, 10*time.Second, 10*time.Millisecond)

	srv.Stop()
	for id := 21; id <= 25; id++ {
		require.Equal(t, http.StatusServiceUnavailable, deliver(id), "refused while Redis is down: the vendor retries")
	}
	time.Sleep(200 * time.Millisecond) // the consumer meets the outage
	require.NoError(t, srv.Restart())
	for id := 21; id <= 40; id++ { // the vendor's retries, then new events
		require.Equal(t, http.StatusNoContent, deliver(id))
	}
	require.Eventually(t, func() bool { return got.count() == 40 }, 10*time.Second, 10*time.Millisecond)
	got.exactlyOnce(t, accepted)
	out := logs.String()
	assert.Equal(t, 1, strings.Count(out, "Redis failing"), "the outage is logged once: %s", out)
	assert.Contains(t, out, "Redis is back")
	assert.Contains(t, out, "consumer group was missing (Redis restarted empty?): recreated")
}

type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

func TestRunChecksItsUse(t *testing.T) {
	srv := redistest.New(t)
	s := newStream(t, srv.Client())
	c := newConsumer(t, s, "g", "w1")
	assert.Error(t, c.Run(ctx, nil))
	running := make(chan struct{}, 1)
	stop := run(t, c, func(context.Context, redisstore.Message) error { running <- struct{}{}; return nil })
	_, _, err := s.Append(ctx, redisstore.Event{Source: "custom", Body: []byte("x")})
	require.NoError(t, err)
	<-running
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	assert.ErrorContains(t, c.Run(cancelled, func(context.Context, redisstore.Message) error { return nil }), "already running")
	stop()
	assert.NoError(t, c.Run(cancelled, func(context.Context, redisstore.Message) error { return nil }), "runs again once stopped")
	assert.Panics(t, func() { redisstore.FirstPartyHandler(nil) })

	// Route hands each source to its handler and skips the rest.
	var fp, other atomic.Int32
	h := redisstore.Route(map[string]redisstore.Handler{
		redisstore.SourceFirstParty: redisstore.FirstPartyHandler(func(context.Context, *firstparty.WebhookEvent) error { fp.Add(1); return nil }),
		"custom":                    func(context.Context, redisstore.Message) error { other.Add(1); return nil },
	})
	require.NoError(t, h(ctx, redisstore.Message{Source: redisstore.SourceFirstParty, Body: []byte(fpBody("s", "success"))}))
	require.NoError(t, h(ctx, redisstore.Message{Source: "custom"}))
	require.NoError(t, h(ctx, redisstore.Message{Source: redisstore.SourceEngageCheck}))
	assert.Equal(t, int32(1), fp.Load())
	assert.Equal(t, int32(1), other.Load())
	// A body that does not parse cannot get better: Permanent.
	err = redisstore.FirstPartyHandler(func(context.Context, *firstparty.WebhookEvent) error { return nil })(ctx, redisstore.Message{Source: redisstore.SourceFirstParty, Body: []byte("{")})
	require.ErrorContains(t, err, "permanent: ")
}
