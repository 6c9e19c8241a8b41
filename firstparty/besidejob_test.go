package firstparty_test

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/creatorkit/creatorkit-go/firstparty"
	"github.com/creatorkit/creatorkit-go/firstparty/firstpartytest"
	"github.com/creatorkit/creatorkit-go/internal/vendortest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// countingTransport counts the requests one client sends (and its
// insights reads among them) and the 429s it receives.
type countingTransport struct {
	vendortest.Counting
	insights atomic.Int64
}

func (c *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if strings.Contains(r.URL.Path, "/insights/") {
		c.insights.Add(1)
	}
	return c.Counting.RoundTrip(r)
}

// busyFake is the options of a fake with an account limit (Ylytic
// documents none; the fake's is one Ylytic could give an account): 40
// requests per minute; insights ready 20 s after verification.
func busyFake(opts ...firstpartytest.Option) []firstpartytest.Option {
	return append([]firstpartytest.Option{
		firstpartytest.WithRateLimit(40, time.Minute),
		firstpartytest.WithInsightsDelay(20 * time.Second), firstpartytest.WithTokenTTL(time.Hour),
	}, opts...)
}

// anotherJob runs a second client with the same token against the fake
// until stop is called: g goroutines reading insights as fast as the
// client's own pacing lets them. Each client paces itself as if it were
// alone on the token, so together they overrun the account's window and
// both get 429s. stop returns how many calls the job made.
func anotherJob(t testing.TB, srv *firstpartytest.Server, g int) (stop func() int) {
	c, err := srv.NewClient()
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	var calls atomic.Int64
	for range g {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				_, _ = c.Insights.Get(ctx, firstparty.GetInsightsParams{CreatorID: "another-jobs-creator"})
				calls.Add(1)
			}
		}()
	}
	return func() int {
		cancel()
		wg.Wait()
		return int(calls.Load())
	}
}

// connectAndWait runs one creator through the consent flow in a browser
// (start, connect page, callback, verify) and waits for the insights.
func connectAndWait(ctx context.Context, a *app, data string) (creatorID string, in *firstparty.Insights, err error) {
	v, err := a.flow.Start(ctx, firstparty.StartParams{Platform: firstparty.Instagram, Data: data})
	if err != nil {
		return "", nil, err
	}
	req, _ := http.NewRequestWithContext(ctx, "GET", v.RedirectURL, nil)
	resp, err := a.srv.HTTPClient().Do(req)
	if err != nil {
		return "", nil, err
	}
	defer resp.Body.Close()
	var page strings.Builder
	buf := make([]byte, 512)
	for {
		n, rerr := resp.Body.Read(buf)
		page.Write(buf[:n])
		if rerr != nil {
			break
		}
	}
	if resp.StatusCode != http.StatusOK {
		return "", nil, &pageError{code: resp.StatusCode, page: page.String()}
	}
	parts := strings.Split(page.String(), "|")
	if len(parts) != 3 || parts[2] != data {
		return "", nil, &pageError{code: resp.StatusCode, page: page.String()}
	}
	in, err = a.client.Insights.GetAndWait(ctx, firstparty.GetInsightsParams{CreatorID: parts[0]}, a.srv.PollOptions()...)
	return parts[0], in, err
}

type pageError struct {
	code int
	page string
}

func (e *pageError) Error() string { return http.StatusText(e.code) + ": " + e.page }

// Ten creators connect and their insights are waited for while another
// job on the same token keeps the account's window full. Every creator is
// verified exactly once (one creator at Ylytic, one successful callback),
// every wait returns the insights once, and nothing is lost to the 429s.
// Both jobs' clients pace themselves to the account's window and wake
// when a slot frees, often at the same instant: a request that loses the
// race waits for the next slot. Beside such a job the client's retries
// (WithMaxRetries, the one policy of calls and waits) are sized to the
// contention: 8 rather than the default 3.
func TestConsentFlowsAndWaitsBesideAnotherJob(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		const n = 10
		ct := &countingTransport{}
		a := newApp(t, busyFake(), firstparty.ConnectConfig{}, firstparty.WithHTTPClient(&http.Client{Transport: ct}), firstparty.WithMaxRetries(8))
		ct.Base = a.srv.HTTPClient().Transport
		stop := anotherJob(t, a.srv, 4)
		defer stop()
		ctx := testCtx(t)
		start := time.Now()

		var wg sync.WaitGroup
		ids := make([]string, n)
		errs := make([]error, n)
		ready := make([]bool, n)
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				id, in, err := connectAndWait(ctx, a, "user-"+string(rune('a'+i)))
				ids[i], errs[i], ready[i] = id, err, in.Ready()
			}()
		}
		wg.Wait()
		other := stop()
		for i := range n {
			require.NoError(t, errs[i], "creator %d", i)
			assert.True(t, ready[i], "creator %d", i)
		}
		seen := map[string]bool{}
		for _, id := range ids {
			assert.False(t, seen[id], "creator %s verified twice", id)
			seen[id] = true
		}
		assert.Equal(t, n, a.srv.CreatorCount(), "one creator at Ylytic per flow: nothing verified twice")
		// How many 429s the two jobs caused depends on how goroutines that act
		// at the same instant interleave; the figures are logged, the outcome
		// above is what must hold. (The transient paths themselves are tested
		// deterministically in transient_test.go.)
		snap := a.srv.Snapshot()
		t.Logf("%d creators beside another job (%d calls of its own) in %s: %d requests of ours, %.1f per creator, %d 429s to us; %d 429s on the token",
			n, other, time.Since(start), ct.Requests.Load(), float64(ct.Requests.Load())/n, ct.TooMany.Load(), snap.Count(http.StatusTooManyRequests))
	})
}

// Waits on creators whose insights are ready, beside another job and with
// a misbehaving fake (5xx, a 429 storm, dropped connections, garbled
// bodies on the insights route; a third of the attempts fail, which the
// transport's 3 retries absorb: a check fails only when 4 attempts in a
// row fail, and a wait only after 4 such checks in a row): every wait
// returns the insights once.
func TestWaitsBesideAnotherJobWithFaults(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		const n = 10
		a := newApp(t, busyFake(firstpartytest.WithSeed(11)), firstparty.ConnectConfig{})
		ctx := testCtx(t)
		ids := make([]string, n)
		for i := range n {
			v, err := a.flow.Start(ctx, firstparty.StartParams{Platform: firstparty.Instagram})
			require.NoError(t, err)
			code, page := a.browse(t, nil, v.RedirectURL)
			require.Equal(t, http.StatusOK, code, page)
			ids[i] = page[:36]
		}
		a.srv.SetFaults(firstpartytest.Faults{
			Routes:    []string{firstpartytest.RouteInsights},
			ErrorRate: map[int]float64{500: 0.1, 503: 0.1},
			Storm429:  20, DropRate: 0.05, MalformRate: 0.05, TruncateRate: 0.03,
		})
		stop := anotherJob(t, a.srv, 4)
		defer stop()
		var wg sync.WaitGroup
		var got atomic.Int64
		errs := make([]error, n)
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				in, err := a.client.Insights.GetAndWait(ctx, firstparty.GetInsightsParams{CreatorID: ids[i]}, a.srv.PollOptions()...)
				errs[i] = err
				if err == nil && in.Ready() {
					got.Add(1)
				}
			}()
		}
		wg.Wait()
		stop()
		for i := range n {
			require.NoError(t, errs[i], "creator %d", i)
		}
		assert.Equal(t, int64(n), got.Load())
		snap := a.srv.Snapshot()
		injected := snap.Count(500) + snap.Count(503) + snap.Dropped[firstpartytest.RouteInsights] + snap.Faulted[firstpartytest.RouteInsights]
		// No wait can end before the storm of 20 429s on the insights route is
		// over, whoever's requests met it.
		assert.GreaterOrEqual(t, snap.Count(http.StatusTooManyRequests), 20)
		t.Logf("%d waits beside another job with faults: %d faults injected, %d 429s", n, injected, snap.Count(http.StatusTooManyRequests))
	})
}
