package redisstore_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/creatorkit/creatorkit-go/contrib/redislimit/redistest"
	"github.com/creatorkit/creatorkit-go/contrib/redisstore"
	"github.com/creatorkit/creatorkit-go/engagecheck"
	"github.com/creatorkit/creatorkit-go/engagecheck/engagechecktest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// hookSecret is the shared secret in the webhook URL the intake checks.
const hookSecret = "s3cret-in-the-url"

func checkHookSecret(r *http.Request, _ []byte) error {
	if r.URL.Query().Get("s") != hookSecret {
		return errors.New("wrong secret")
	}
	return nil
}

// withSecret returns the intake's public URL with the secret.
func withSecret(base string) string {
	return base + "?s=" + url.QueryEscape(hookSecret)
}

// counted counts a client's requests, its reads of an audit by id, and
// the 429s it got.
type counted struct {
	base                  http.RoundTripper
	requests, reads, r429 atomic.Int64
}

func (c *counted) RoundTrip(r *http.Request) (*http.Response, error) {
	c.requests.Add(1)
	if r.Method == http.MethodGet && strings.Contains(r.URL.Path, "/audits/") {
		c.reads.Add(1)
	}
	resp, err := c.base.RoundTrip(r)
	if err == nil && resp.StatusCode == http.StatusTooManyRequests {
		c.r429.Add(1)
	}
	return resp, err
}

// The handler decodes EngageCheck messages for the receiver, skips other
// sources, drops a body that does not decode, and accepts events no
// roster waits for (so they are acknowledged, not retried).
func TestEngageCheckHandler(t *testing.T) {
	recv := engagecheck.NewWebhookReceiver()
	h := redisstore.EngageCheckHandler(recv)
	assert.NoError(t, h(ctx, redisstore.Message{Source: redisstore.SourceFirstParty, Body: []byte("{")}), "another vendor's event: skipped")
	assert.NoError(t, h(ctx, redisstore.Message{Source: redisstore.SourceEngageCheck, Body: []byte(`{"event":"audit.completed","id":142,"username":"natgeo"}`)}),
		"an audit no roster on the receiver waits for: accepted, so acknowledged")
	assert.NoError(t, h(ctx, redisstore.Message{Source: redisstore.SourceEngageCheck, Body: []byte(`{"event":"something.new","id":7}`)}))
	err := h(ctx, redisstore.Message{Source: redisstore.SourceEngageCheck, Body: []byte(`{"event":"audit.completed","id":"x"}`)})
	require.ErrorContains(t, err, "permanent: ")
	assert.ErrorIs(t, err, engagecheck.ErrWebhook)
	assert.Panics(t, func() { redisstore.EngageCheckHandler(nil) })

	// Route serves both vendors from one consumer.
	both := redisstore.Route(map[string]redisstore.Handler{redisstore.SourceEngageCheck: h})
	assert.NoError(t, both(ctx, redisstore.Message{Source: redisstore.SourceEngageCheck, Body: []byte(`{"event":"audit.failed","id":143,"error":"Account is private."}`)}))
}

// EngageCheck's webhooks land on replica B's intake; the roster runs on
// replica A, whose worker's consumer (a group of its own) feeds its
// receiver. Every handle is answered once, from its webhook: one balance
// check and one submit per 50 handles, no audit read, each paid once.
// Redis is a real socket, so this runs on the real clock with the fake on
// a small time scale (a synctest bubble cannot wait on Redis).
func TestEngageCheckWebhooksOnReplicaBReachRosterOnReplicaA(t *testing.T) {
	rs := redistest.New(t)
	const n = 150
	fake := engagechecktest.NewServer(engagechecktest.WithTimeScale(0.01), engagechecktest.WithCredits(n),
		engagechecktest.WithDurations(engagechecktest.Durations{Pending: time.Second, Scraping: 2 * time.Second, Analyzing: 2 * time.Second}))
	t.Cleanup(fake.Close)

	// Replica B serves the webhook URL: its intake appends to the stream.
	streamB := newStream(t, rs.Client())
	hookURL := withSecret(fake.ServeWebhooks(streamB.WebhookHandler(redisstore.EngageCheckEvents, redisstore.WithVerifier(checkHookSecret))))

	// Replica A's worker: its consumer exists before the roster submits.
	streamA := newStream(t, rs.Client())
	recvA := engagecheck.NewWebhookReceiver()
	worker := newConsumer(t, streamA, "rosters-a", "replica-a")
	run(t, worker, redisstore.EngageCheckHandler(recvA))
	// Another worker's group gets the same events and ignores them: its
	// receiver waits for no audit of this roster.
	other := newConsumer(t, streamA, "rosters-b", "replica-b")
	run(t, other, redisstore.EngageCheckHandler(engagecheck.NewWebhookReceiver()))

	own := &counted{base: fake.HTTPClient().Transport}
	c, err := fake.NewClient(engagecheck.WithHTTPClient(&http.Client{Transport: own}))
	require.NoError(t, err)
	roster := make([]string, n)
	for i := range roster {
		roster[i] = fmt.Sprintf("creator_%03d", i)
	}
	rctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	var last engagecheck.Progress
	answers := make([]int, n)
	start := time.Now()
	for a, err := range c.Audits.CreateAndWaitAll(rctx, roster, append(fake.PollOptions(), engagecheck.WithWebhooks(recvA, hookURL),
		engagecheck.WithProgress(func(p engagecheck.Progress) { last = p }))...) {
		require.NoError(t, err, a.Input)
		require.Equal(t, roster[a.Index], a.Input)
		require.Equal(t, engagecheck.StatusComplete, a.Value.Status)
		require.NotNil(t, a.Value.Report)
		answers[a.Index]++
	}
	elapsed := time.Since(start)
	for i, k := range answers {
		require.Equal(t, 1, k, "handle %d answered %d times", i, k)
	}

	snap := fake.Snapshot()
	perHandle := float64(own.requests.Load()) / n
	t.Logf("%d handles in %s, webhooks through replica B and Redis: %d requests (%.3f a handle: %d list reads, %d reads by id), %d credits, %d × 429",
		n, elapsed.Round(time.Millisecond), own.requests.Load(), perHandle, last.Polls, own.reads.Load(), snap.TotalCredits(), own.r429.Load())
	assert.EqualValues(t, n, snap.TotalCredits(), "each handle paid once")
	assert.EqualValues(t, n, fake.AuditCount())
	assert.Zero(t, own.r429.Load())
	assert.Zero(t, snap.Count(http.StatusTooManyRequests))
	// One balance check and three submits: 0.027 a handle. On the real
	// clock a busy machine may hand an event over after the roster judged
	// it overdue and looked it up (a list read, then a GET if the list
	// shows it settled), so the bounds leave room for that; poll mode
	// reads every audit (150 GETs, over 1 request a handle).
	assert.LessOrEqual(t, own.reads.Load(), int64(n/5), "audits read by id instead of taken from their event")
	assert.LessOrEqual(t, perHandle, 0.3)
	for _, d := range fake.Deliveries() {
		assert.Equal(t, http.StatusNoContent, d.Status)
	}
	require.Eventually(t, func() bool {
		return worker.Stats().Handled == n && other.Stats().Handled == n
	}, 10*time.Second, 10*time.Millisecond, "each group got every event")
	assert.Zero(t, worker.Stats().Failed)
	assert.Zero(t, worker.Stats().Dropped)
}
