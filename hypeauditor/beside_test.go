package hypeauditor_test

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/creatorkit/creatorkit-go/hypeauditor"
	"github.com/creatorkit/creatorkit-go/hypeauditor/hypeauditortest"
	"github.com/creatorkit/creatorkit-go/internal/vendortest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// countedFakeClient returns a client for srv that counts its own requests
// and 429s.
func countedFakeClient(t testing.TB, srv *hypeauditortest.Server, opts ...hypeauditor.Option) (*hypeauditor.Client, *vendortest.Counting) {
	t.Helper()
	sc := &vendortest.Counting{Base: srv.HTTPClient().Transport}
	c, err := srv.NewClient(append([]hypeauditor.Option{hypeauditor.WithHTTPClient(&http.Client{Transport: sc})}, opts...)...)
	require.NoError(t, err)
	return c, sc
}

// otherJob runs another team's job on the same key until stop is called:
// it requests its own reports and reads the plan as fast as its own
// client's pacing lets it, so together with the job under test the key's
// window is asked for about twice what it holds and the fake answers 429
// to whoever comes second. opts may change the other job's client, e.g.
// to pace it to more than the key allows, so that it alone keeps the
// window full. Call it inside the test's bubble.
func otherJob(t testing.TB, srv *hypeauditortest.Server, workers int, opts ...hypeauditor.Option) (stop func() int64) {
	t.Helper()
	c, sc := countedFakeClient(t, srv, opts...)
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ctx.Err() == nil; i++ {
				if i%2 == 0 {
					_, _ = c.Reports.TikTok(ctx, hypeauditor.TikTokParams{Channel: fmt.Sprintf("other_%d_%d", w, i)})
				} else {
					_, _ = c.Account.PlanInfo(ctx)
				}
			}
		}()
	}
	return func() int64 {
		cancel()
		wg.Wait()
		return sc.Requests.Load()
	}
}

// besideFake is the fake the tests beside another job share the key of,
// on the bubble's clock (call it inside synctest.Test): the documented
// window of 99 requests a minute, a 90 s report with a retryTtl of 30 s
// (4 requests a wait).
func besideFake(t *testing.T, opts ...hypeauditortest.Option) *hypeauditortest.Server {
	srv, _ := newFake(t, append([]hypeauditortest.Option{hypeauditortest.WithCredits(100000)}, opts...)...)
	return srv
}

// waitHelpers are the AndWait helpers, each asking for the report of one
// account.
var waitHelpers = map[string]func(ctx context.Context, c *hypeauditor.Client, account string, opts []hypeauditor.WaitOption) (hypeauditor.ReportState, error){
	"InstagramAndWait": func(ctx context.Context, c *hypeauditor.Client, a string, opts []hypeauditor.WaitOption) (hypeauditor.ReportState, error) {
		r, err := c.Reports.InstagramAndWait(ctx, hypeauditor.InstagramParams{Username: a}, opts...)
		return state(r, err)
	},
	"TikTokAndWait": func(ctx context.Context, c *hypeauditor.Client, a string, opts []hypeauditor.WaitOption) (hypeauditor.ReportState, error) {
		r, err := c.Reports.TikTokAndWait(ctx, hypeauditor.TikTokParams{Channel: a}, opts...)
		return state(r, err)
	},
	"YouTubeAndWait": func(ctx context.Context, c *hypeauditor.Client, a string, opts []hypeauditor.WaitOption) (hypeauditor.ReportState, error) {
		r, err := c.Reports.YouTubeAndWait(ctx, hypeauditor.YouTubeParams{Channel: a}, opts...)
		return state(r, err)
	},
	"TwitchAndWait": func(ctx context.Context, c *hypeauditor.Client, a string, opts []hypeauditor.WaitOption) (hypeauditor.ReportState, error) {
		r, err := c.Reports.TwitchAndWait(ctx, hypeauditor.ChannelParams{Channel: a}, opts...)
		return state(r, err)
	},
	"TwitterAndWait": func(ctx context.Context, c *hypeauditor.Client, a string, opts []hypeauditor.WaitOption) (hypeauditor.ReportState, error) {
		r, err := c.Reports.TwitterAndWait(ctx, hypeauditor.ChannelParams{Channel: a}, opts...)
		return state(r, err)
	},
	"SnapchatAndWait": func(ctx context.Context, c *hypeauditor.Client, a string, opts []hypeauditor.WaitOption) (hypeauditor.ReportState, error) {
		r, err := c.Reports.SnapchatAndWait(ctx, hypeauditor.ChannelParams{Channel: a}, opts...)
		return state(r, err)
	},
	"TwitchHistoryAndWait": func(ctx context.Context, c *hypeauditor.Client, a string, opts []hypeauditor.WaitOption) (hypeauditor.ReportState, error) {
		r, err := c.Reports.TwitchHistoryAndWait(ctx, hypeauditor.ChannelParams{Channel: "hist" + a}, opts...)
		return state(r, err)
	},
}

func state[R interface{ comparable }](r R, err error) (hypeauditor.ReportState, error) {
	var zero R
	if err != nil || r == zero {
		return "", err
	}
	switch x := any(r).(type) {
	case *hypeauditor.InstagramReport:
		return x.State, nil
	case *hypeauditor.TikTokReport:
		return x.State, nil
	case *hypeauditor.YouTubeReport:
		return x.State, nil
	case *hypeauditor.NetworkReport:
		return x.State, nil
	case *hypeauditor.TwitchHistory:
		return x.State, nil
	}
	return "", fmt.Errorf("unexpected %T", r)
}

// Issue 13: 15 of 100 concurrent report waits failed on 429s caused by
// another job on the same key, for reports already paid for. Every wait
// helper, 5 concurrent waits each (35 in all), runs beside another job
// paced to the key's whole window, so that together they ask for more
// than it holds: every wait ends READY, each account is unlocked (paid)
// exactly once, and the 429s our client got (some two in five of its
// requests) were absorbed by the one retry policy: the transport's
// retries, and a wait's tolerance of as many failed checks in a row
// (WithMaxRetries, default 3).
func TestWaitsBesideAnotherJob(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv := besideFake(t)
		c, ours := countedFakeClient(t, srv)
		stop := otherJob(t, srv, 4) // paced to the key's whole window
		ctx := testCtx(t)

		const perHelper = 5
		var wg sync.WaitGroup
		var mu sync.Mutex
		results := map[string]hypeauditor.ReportState{}
		for name, wait := range waitHelpers {
			for i := range perHelper {
				wg.Add(1)
				go func() {
					defer wg.Done()
					account := fmt.Sprintf("wait_%d", i)
					st, err := wait(ctx, c, account, srv.PollOptions())
					mu.Lock()
					defer mu.Unlock()
					key := name + "/" + account
					if _, dup := results[key]; dup {
						t.Errorf("%s returned twice", key)
					}
					results[key] = st
					assert.NoError(t, err, key)
				}()
			}
		}
		wg.Wait()
		otherRequests := stop()
		require.Len(t, results, perHelper*len(waitHelpers))
		for key, st := range results {
			assert.Equal(t, hypeauditor.StateReady, st, key)
		}
		snap := srv.Snapshot()
		// One unlock per account: Instagram, TikTok, YouTube, Twitch (shared by
		// TwitchAndWait and the history's own "hist" accounts), Twitter,
		// Snapchat; the other job's TikTok reports on top.
		var ourCredits int64
		for _, route := range []string{hypeauditortest.RouteReport, hypeauditortest.RouteYouTube, hypeauditortest.RouteTwitch,
			hypeauditortest.RouteTwitter, hypeauditortest.RouteSnapchat, hypeauditortest.RouteTwitchHistory} {
			ourCredits += snap.Credits[route]
		}
		assert.EqualValues(t, perHelper*(len(waitHelpers)-1), ourCredits, "each account of ours unlocked once, apart from TikTok")
		t.Logf("%d waits beside another job: %d requests (%.2f a wait), %d x 429 waited out; the other job sent %d requests; the fake refused %d in all",
			len(results), ours.Requests.Load(), float64(ours.Requests.Load())/float64(len(results)), ours.TooMany.Load(), otherRequests, snap.RateLimited)
		assert.Positive(t, ours.TooMany.Load(), "the key's window was full: the test ran beside another job")
	})
}

// The bulk helpers beside another job: SearchAll (each page paid),
// Unlocked.ListAll and Creators.ListAll yield every item exactly once
// while the other job keeps the key's window full (it paces itself to
// twice what the key allows), and no discovery page is paid twice. The
// iterators add no retries of their own: a page is asked for as often as
// the transport retries, so the job beside a full window gives its
// client more retries than the default (a page meets three 429s here).
func TestBulkHelpersBesideAnotherJob(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv := besideFake(t, hypeauditortest.WithSearchResults(57), hypeauditortest.WithCreators(95))
		c, ours := countedFakeClient(t, srv, hypeauditor.WithMaxRetries(6))
		ctx := testCtx(t)
		// Reports unlocked before the walk, to list.
		for i := range 12 {
			_, err := c.Reports.TikTok(ctx, hypeauditor.TikTokParams{Channel: fmt.Sprintf("listed_%d", i)})
			require.NoError(t, err)
		}
		stop := otherJob(t, srv, 4, hypeauditor.WithWindow(2*99, time.Minute))
		time.Sleep(2 * time.Minute) // the other job fills the key's window
		before := srv.DiscoveryRequests()

		seen := map[string]int{}
		pages := 0
		p := hypeauditor.SearchParams{Platform: hypeauditor.TikTok}
		for r, err := range c.Discovery.SearchAll(ctx, p, hypeauditor.WithMaxPages(10), hypeauditor.WithPageFunc(func(*hypeauditor.SearchPage) { pages++ })) {
			require.NoError(t, err)
			seen["search/"+string(r.Basic.ID)]++
		}
		assert.Equal(t, 57, len(seen), "every creator found")
		assert.Equal(t, pages, before-srv.DiscoveryRequests(), "one discovery request per page: none paid twice")

		listed := 0
		for r, err := range c.Unlocked.ListAll(ctx, hypeauditor.UnlockedParams{Limit: 5}) {
			require.NoError(t, err)
			seen["unlocked/"+string(r.Type)+"/"+r.Username]++
			if len(r.Username) > 7 && r.Username[:7] == "listed_" {
				listed++
			}
		}
		assert.Equal(t, 12, listed, "every report unlocked before the walk is listed")

		creators := 0
		for r, err := range c.Creators.ListAll(ctx, hypeauditor.CreatorsParams{Limit: 20}) {
			require.NoError(t, err)
			seen["creator/"+string(r.ID)]++
			creators++
		}
		assert.Equal(t, 95, creators)
		otherRequests := stop()
		for k, n := range seen {
			assert.Equal(t, 1, n, "%s yielded %d times", k, n)
		}
		assert.Positive(t, ours.TooMany.Load(), "the key's window was full")
		t.Logf("%d pages, %d unlocked reports, %d creators beside another job: %d requests, %d x 429 waited out; the other job sent %d requests",
			pages, listed, creators, ours.Requests.Load(), ours.TooMany.Load(), otherRequests)
	})
}

// Issue 13: one client running 1,000 concurrent report waits received 62
// 429s from its own traffic. With the fake's documented limit on (99 a
// minute per key, no rate-limit headers, as HypeAuditor), on the
// bubble's clock, 1,000 goroutines share one client: the fake refuses none
// of its requests, every wait ends READY, and none needs more requests
// than ceil(T/R)+1 (a report of T = 90 s polled every R = 30 s: 4). The
// window guard makes this hold by construction (a slot frees a window
// after its answer, and the fake counts a request when it arrives).
func TestThousandWaitsOneClientNo429(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv, _ := newFake(t, hypeauditortest.WithCredits(100000))
		c, ours := countedFakeClient(t, srv)
		ctx := testCtx(t)
		const waits = 1000
		var wg sync.WaitGroup
		var ready atomic.Int64
		for i := range waits {
			wg.Add(1)
			go func() {
				defer wg.Done()
				r, err := c.Reports.TikTokAndWait(ctx, hypeauditor.TikTokParams{Channel: fmt.Sprintf("crowd_%04d", i)}, srv.PollOptions()...)
				if assert.NoError(t, err) && r.Ready() {
					ready.Add(1)
				}
			}()
		}
		wg.Wait()
		snap := srv.Snapshot()
		assert.Equal(t, int64(waits), ready.Load())
		assert.Zero(t, snap.RateLimited, "the fake refused none of the client's requests")
		assert.Zero(t, snap.Count(http.StatusTooManyRequests))
		assert.Zero(t, ours.TooMany.Load())
		assert.EqualValues(t, waits, snap.Credits[hypeauditortest.RouteTikTok], "each report paid once")
		perWait := float64(ours.Requests.Load()) / waits
		assert.LessOrEqual(t, perWait, 4.0, "at most ceil(T/R)+1 requests a wait")
		t.Logf("%d concurrent waits on one client: %d requests (%.2f a wait, bound 4), %d x 429", waits, ours.Requests.Load(), perWait, snap.Count(http.StatusTooManyRequests))
	})
}
