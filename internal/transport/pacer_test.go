package transport

import (
	"context"
	"net/http"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/creatorkit/creatorkit-go/internal/fake"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// reportingFake is a vendor that documents no limit but reports its
// sliding window in X-RateLimit-* headers and answers 429 past it.
func reportingFake(t *testing.T, w fake.Window, quiet bool) *fake.Server {
	t.Helper()
	s := fake.New(fake.Config{RateLimit: w, QuietLimits: quiet, InMemory: true, Name: "reporting"})
	s.Handle("GET /x", "x", func(w http.ResponseWriter, r *http.Request) { fake.JSON(w, http.StatusOK, map[string]int{"ok": 1}) })
	s.Start()
	t.Cleanup(s.Close)
	return s
}

func unpacedClient(t *testing.T, srv *fake.Server) *Client {
	t.Helper()
	s := Defaults("testvendor", srv.URL)
	s.Auth = Bearer(secret)
	s.Limiter = Unlimited() // no documented limit to pace by
	s.HTTPClient = srv.HTTPClient()
	c, err := New(s)
	require.NoError(t, err)
	return c
}

func hammerClient(t *testing.T, c *Client, goroutines int) {
	t.Helper()
	var wg sync.WaitGroup
	for range goroutines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := c.Do(context.Background(), Request{Op: "Get", Method: "GET", Path: "x"}, nil)
			assert.NoError(t, err)
		}()
	}
	wg.Wait()
}

// TestBudgetFromHeadersKeepsAnUnpacedClientUnderTheWindow: no client-side
// limit at all, 1,000 goroutines, and the vendor's own X-RateLimit
// reports are enough: not one 429.
func TestBudgetFromHeadersKeepsAnUnpacedClientUnderTheWindow(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv := reportingFake(t, fake.Window{N: 100, Per: time.Minute}, false)
		c := unpacedClient(t, srv)
		start := time.Now()
		hammerClient(t, c, 1000)
		snap := srv.Stats().Snapshot()
		assert.Equal(t, 1000, snap.Requests["x"])
		assert.Zero(t, snap.Count(http.StatusTooManyRequests), "429s earned by the client's own traffic")
		assert.GreaterOrEqual(t, time.Since(start), 9*time.Minute, "100 a minute: 1,000 take at least nine windows")
	})
}

// TestBudgetStandsAsideForSilentVendors: a vendor that reports nothing is
// not slowed down: after the first answer requests go out together.
func TestBudgetStandsAsideForSilentVendors(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv := reportingFake(t, fake.Window{}, true)
		c := unpacedClient(t, srv)
		hammerClient(t, c, 50)
		c.pacer.mu.Lock()
		defer c.pacer.mu.Unlock()
		assert.Equal(t, modeSilent, c.pacer.mode)
	})
}

func TestBudgetArithmetic(t *testing.T) {
	t.Parallel()
	b := newPacer(time.Minute)
	ctx := context.Background()
	n0, err := b.take(ctx)
	require.NoError(t, err)
	short, cancel := context.WithTimeout(ctx, 20*time.Millisecond)
	defer cancel()
	_, err = b.take(short)
	assert.ErrorIs(t, err, context.DeadlineExceeded, "nothing known yet: one request at a time")
	b.done(n0, 200, RateLimit{Known: true, Remaining: 3, Reset: time.Now().Add(time.Hour)})
	var got []int64
	for range 3 {
		n, err := b.take(ctx)
		require.NoError(t, err)
		got = append(got, n)
	}
	assert.Equal(t, []int64{1, 2, 3}, got, "the report allows three more")
	_, err = b.take(short)
	var de *DelayError
	require.ErrorAs(t, err, &de, "spent until the reset, an hour away: past the deadline, fail at once")
	// An answer to request 2 reports 5 more; request 1 was unanswered when
	// 2 was sent: it may reach the vendor after 2 and take one of them.
	b.done(2, 200, RateLimit{Known: true, Remaining: 5, Reset: time.Now().Add(time.Hour)})
	assert.Equal(t, int64(2+5-1), b.bound)
	b.done(1, 200, RateLimit{Known: true, Remaining: 0, Reset: time.Now().Add(time.Hour)})
	assert.Equal(t, int64(6), b.bound, "an older report does not override a newer one")
}

// TestBudgetSpendsEachResetOnce: a passed reset frees one slot past the
// bound of the answer that reported it, so it sends one request, not one
// per waiting goroutine, and a late answer to an older request (it knows
// less) neither moves the bound nor frees another.
func TestBudgetSpendsEachResetOnce(t *testing.T) {
	t.Parallel()
	b := newPacer(time.Minute)
	ctx := context.Background()
	n0, err := b.take(ctx)
	require.NoError(t, err)
	b.done(n0, 200, RateLimit{Known: true, Remaining: 2, Reset: time.Now().Add(time.Hour)})
	n1, _ := b.take(ctx)
	n2, _ := b.take(ctx)
	// Request 2's answer: the window is full and its oldest hit leaves it now.
	b.done(n2, 200, RateLimit{Known: true, Remaining: 0, Reset: time.Now().Add(-time.Millisecond)})
	assert.Equal(t, int64(1), b.bound, "2 + 0 - 1 (request 1 was unanswered when 2 went)")
	short := func() error {
		c, cancel := context.WithTimeout(ctx, 20*time.Millisecond)
		defer cancel()
		_, err := b.take(c)
		return err
	}
	assert.ErrorIs(t, short(), context.DeadlineExceeded, "request 3 is two past the bound: the reset's one slot is not its")
	b.done(n1, 200, RateLimit{Known: true, Remaining: 5, Reset: time.Now().Add(-time.Millisecond)})
	assert.Equal(t, int64(1), b.bound, "a late answer to an older request knows less")
	// Nothing in flight now: one request goes at the reset so the client
	// cannot stall, and only one.
	bounded, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	n3, err := b.take(bounded)
	require.NoError(t, err)
	assert.Equal(t, int64(3), n3)
	assert.ErrorIs(t, short(), context.DeadlineExceeded, "one request per passed reset")
	b.done(n3, 200, RateLimit{Known: true, Remaining: 4, Reset: time.Now().Add(time.Hour)})
	assert.Equal(t, int64(7), b.bound)
}
