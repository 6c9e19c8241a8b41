package infludata_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/creatorkit/creatorkit-go/infludata"
	"github.com/creatorkit/creatorkit-go/infludata/infludatatest"
	"github.com/creatorkit/creatorkit-go/internal/vendortest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// countedClient is a client of srv whose requests are counted.
func countedClient(t testing.TB, srv *infludatatest.Server, opts ...infludata.Option) (*infludata.Client, *vendortest.Counting) {
	t.Helper()
	ct := &vendortest.Counting{Base: srv.HTTPClient().Transport}
	c, err := srv.NewClient(append([]infludata.Option{infludata.WithHTTPClient(&http.Client{Transport: ct})}, opts...)...)
	require.NoError(t, err)
	return c, ct
}

// busyFake is a fake on the trial plan (2 requests a second, 60 a minute)
// on virtual time (call it inside a synctest bubble), so two clients on
// its key easily ask for more than its windows: enrichment takes a
// minute, an audience analysis 30 seconds.
func busyFake(t testing.TB, opts ...infludatatest.Option) *infludatatest.Server {
	t.Helper()
	opts = append([]infludatatest.Option{infludatatest.WithVirtualTime(), infludatatest.WithPlan(infludata.Trial), infludatatest.WithTokens(100_000),
		infludatatest.WithDelays(infludatatest.Delays{Enrich: time.Minute, Audience: 30 * time.Second})}, opts...)
	srv := infludatatest.NewServer(opts...)
	t.Cleanup(srv.Close)
	return srv
}

// otherJob is another job on the same key: a second client, paced by its
// own limiter like any SDK client, whose workers call checkDataStatus
// (free) as fast as that pacing lets them, so the two clients together
// ask for about twice what the key's windows allow and the fake answers
// 429s. stop ends the job and returns how many requests it sent.
func otherJob(t testing.TB, srv *infludatatest.Server, workers int) (stop func() int64) {
	t.Helper()
	c, ct := countedClient(t, srv)
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				_, _ = c.Profiles.CheckStatus(ctx, infludata.DataStatusParams{Platform: infludata.Instagram, Username: "adidas"})
			}
		}()
	}
	var once sync.Once
	return func() int64 {
		once.Do(func() { cancel(); wg.Wait() })
		return ct.Requests.Load()
	}
}

// audienceRoster is n Instagram creators, every third still analysing its
// audience (20 to 40 virtual seconds), plus two influData does not hold
// yet (enrichment, then the audience analysis).
func audienceRoster(prefix string, n int) ([]infludatatest.Creator, []infludata.GetProfileParams) {
	var creators []infludatatest.Creator
	var refs []infludata.GetProfileParams
	for i := 0; i < n; i++ {
		cr := infludatatest.Creator{Platform: infludata.Instagram, Username: fmt.Sprintf("%s_%04d", prefix, i)}
		if i%3 == 0 {
			cr.AudienceIn = time.Duration(20+i%20) * time.Second
		}
		creators = append(creators, cr)
		refs = append(refs, audienceOf(cr.Platform, cr.Username))
	}
	refs = append(refs, audienceOf(infludata.Instagram, prefix+"_new_a"), audienceOf(infludata.TikTok, prefix+"_new_b"))
	return creators, refs
}

// requireAudienceOnce drains GetAndWaitAll: every creator comes back once,
// with its report, and no error.
func requireAudienceOnce(t *testing.T, seq func(func(infludata.Answer[*infludata.Profile], error) bool), refs []infludata.GetProfileParams) {
	t.Helper()
	got := map[string]int{}
	for a, err := range seq {
		require.NoError(t, err)
		p := a.Value
		require.Equal(t, refs[a.Index].Username, a.Input)
		require.True(t, p.HasAudienceReport(), p.String())
		got[string(p.Platform)+"/"+p.Username]++
	}
	for _, r := range refs {
		assert.Equal(t, 1, got[string(r.Platform)+"/"+r.Username], "%s yielded once", r.Username)
	}
	assert.Len(t, got, len(refs))
}

// requirePaidOnce: every paid getUserData answer was a delivered report,
// none bought twice, none lost.
func requirePaidOnce(t *testing.T, srv *infludatatest.Server, reports int) {
	t.Helper()
	snap := srv.Snapshot()
	assert.Equal(t, reports, snap.Statuses[infludatatest.RouteUserData][http.StatusOK], "one paid answer per report")
	assert.EqualValues(t, 20*reports, snap.Credits[infludatatest.RouteUserData], "20 tokens per report, nothing else")
	assert.Zero(t, snap.Statuses[infludatatest.RouteUserData][http.StatusAccepted], "never paid for a 202")
}

func TestGetAndWaitAllBesideAnotherJob(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		creators, refs := audienceRoster("beside", 30)
		srv := busyFake(t, infludatatest.WithCreators(creators...))
		stop := otherJob(t, srv, 4)
		defer stop()
		c, ct := countedClient(t, srv)
		requireAudienceOnce(t, c.Profiles.GetAndWaitAll(tctx(t, 6*time.Hour), refs, srv.PollOptions()...), refs)
		other := stop()
		requirePaidOnce(t, srv, len(refs))
		assert.Positive(t, other, "the other job ran on the key")
		t.Logf("GetAndWaitAll of %d beside another job (%d requests): %d requests, %d 429s received by this client, %d by the key; %.1f tokens per report",
			len(refs), other, ct.Requests.Load(), ct.TooMany.Load(), srv.Snapshot().Count(http.StatusTooManyRequests), float64(c.Usage().Spent)/float64(len(refs)))
	})
}

func TestGetAndWaitBesideAnotherJob(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		creators, refs := audienceRoster("wait", 8)
		srv := busyFake(t, infludatatest.WithCreators(creators...))
		stop := otherJob(t, srv, 4)
		defer stop()
		c, ct := countedClient(t, srv)
		ctx := tctx(t, 6*time.Hour)
		var wg sync.WaitGroup
		errs := make([]error, len(refs))
		for i, r := range refs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				p, err := c.Profiles.GetAndWait(ctx, r, srv.PollOptions()...)
				if err == nil && !p.HasAudienceReport() {
					err = errors.New("no report")
				}
				errs[i] = err
			}()
		}
		wg.Wait()
		stop()
		for i, err := range errs {
			assert.NoError(t, err, refs[i].Username)
		}
		requirePaidOnce(t, srv, len(refs))
		t.Logf("%d concurrent GetAndWait beside another job: %d requests, %d 429s received", len(refs), ct.Requests.Load(), ct.TooMany.Load())
	})
}

// requireEnrichedOnce: every identifier was processed once.
func requireEnrichedOnce(t *testing.T, res *infludata.EnrichResult, usernames []string) {
	t.Helper()
	seen := map[string]int{}
	for _, p := range res.Processed {
		seen[p.Identifier]++
	}
	for _, u := range usernames {
		assert.Equal(t, 1, seen[u], "%s processed once", u)
	}
	assert.Len(t, res.Processed, len(usernames))
	assert.Empty(t, res.Failed)
	assert.Empty(t, res.UnsentUsernames)
}

func TestEnrichmentBesideAnotherJob(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv := busyFake(t)
		stop := otherJob(t, srv, 4)
		defer stop()
		c, ct := countedClient(t, srv)
		usernames := names("bulk_", 95)
		res, err := c.Enrichment.Add(tctx(t, 6*time.Hour), infludata.EnrichParams{Platform: infludata.Instagram, Usernames: usernames})
		stop()
		require.NoError(t, err)
		requireEnrichedOnce(t, res, usernames)
		assert.Equal(t, 10, res.Calls, "batches of 10 on a trial key")
		assert.Equal(t, 10, srv.Snapshot().Statuses[infludatatest.RouteBulkEnrich][http.StatusOK], "each batch accepted once")
		t.Logf("Enrichment.Add of %d beside another job: %d requests, %d 429s received", len(usernames), ct.Requests.Load(), ct.TooMany.Load())
	})
}

// requireSearchOnce drains SearchAll: every creator once, and the tokens
// charged are the pages answered.
func requireSearchOnce(t *testing.T, srv *infludatatest.Server, c *infludata.Client, p infludata.SearchParams) int {
	t.Helper()
	ids := map[string]int{}
	for cr, err := range c.Discovery.SearchAll(tctx(t, 6*time.Hour), p, infludata.WithMaxPages(-1)) {
		require.NoError(t, err)
		ids[cr.ID]++
	}
	// The total, asked once more (through any faults on the route).
	first, err := c.Discovery.Search(tctx(t, 6*time.Hour), p)
	require.NoError(t, err)
	assert.Len(t, ids, first.Count, "every match")
	for id, n := range ids {
		require.Equal(t, 1, n, "%s yielded once", id)
	}
	snap := srv.Snapshot()
	assert.EqualValues(t, snap.Statuses[infludatatest.RouteDiscovery][http.StatusOK], snap.Credits[infludatatest.RouteDiscovery], "1 token per page answered")
	assert.Equal(t, (first.Count+19)/20+1, snap.Statuses[infludatatest.RouteDiscovery][http.StatusOK], "each page bought once (plus the count check)")
	return len(ids)
}

func TestSearchAllBesideAnotherJob(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv := busyFake(t)
		stop := otherJob(t, srv, 4)
		defer stop()
		c, ct := countedClient(t, srv)
		n := requireSearchOnce(t, srv, c, infludata.SearchParams{Platform: infludata.Instagram})
		stop()
		t.Logf("SearchAll of %d creators beside another job: %d requests, %d 429s received", n, ct.Requests.Load(), ct.TooMany.Load())
	})
}

// requireContentOnce drains a pull: every item once, a token per item.
func requireContentOnce(t *testing.T, srv *infludatatest.Server, pull *infludata.ContentPull) int {
	t.Helper()
	ids := map[string]int{}
	for it, err := range pull.All(tctx(t, 6*time.Hour)) {
		require.NoError(t, err)
		ids[it.ID]++
	}
	for id, n := range ids {
		require.Equal(t, 1, n, "%s yielded once", id)
	}
	assert.True(t, pull.Complete())
	st := pull.Stats()
	assert.Equal(t, len(ids), st.Items)
	assert.Equal(t, st.Pages, srv.Snapshot().Statuses[infludatatest.RouteContent][http.StatusOK], "each page bought once")
	assert.EqualValues(t, len(ids), srv.Snapshot().Credits[infludatatest.RouteContent], "1 token per item delivered")
	return len(ids)
}

func TestContentAllBesideAnotherJob(t *testing.T) {
	t.Parallel()
	for _, legacy := range []bool{false, true} {
		t.Run(fmt.Sprintf("legacy=%v", legacy), func(t *testing.T) {
			t.Parallel()
			synctest.Test(t, func(t *testing.T) {
				srv := busyFake(t)
				stop := otherJob(t, srv, 4)
				defer stop()
				c, ct := countedClient(t, srv)
				n := requireContentOnce(t, srv, c.Content.Pull(infludata.ContentParams{Tags: []string{"fashion"}, Limit: 25, LegacyOffset: legacy}, infludata.WithMaxItems(-1)))
				stop()
				t.Logf("content pull of %d items beside another job: %d requests, %d 429s received", n, ct.Requests.Load(), ct.TooMany.Load())
			})
		})
	}
}

// TestMainJobsOutlastFaults: 429s, 500s and 503s on a fifth of the
// requests of every route (and dropped connections on the free ones),
// which the transport's retries absorb (6 here: a request fails only when
// 7 attempts in a row fail, about once in 80,000): the helpers
// (GetAndWaitAll, GetAndWait, SearchAll, a content pull, Enrichment.Add)
// yield every item once and pay for nothing twice.
func TestMainJobsOutlastFaults(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		creators, refs := audienceRoster("faulty", 20)
		srv, _ := fast(t, infludatatest.WithSeed(11), infludatatest.WithRateLimit(false), infludatatest.WithCreators(creators...))
		errorsOnly := infludatatest.Faults{ErrorRate: map[int]float64{429: 0.1, 500: 0.05, 503: 0.05}}
		srv.SetFaults(errorsOnly)
		c, ct := countedClient(t, srv, infludata.WithMaxRetries(6))
		ctx := tctx(t, 6*time.Hour)

		requireAudienceOnce(t, c.Profiles.GetAndWaitAll(ctx, refs, srv.PollOptions()...), refs)
		requirePaidOnce(t, srv, len(refs))
		for _, r := range []infludata.GetProfileParams{audienceOf(infludata.Instagram, "adidas"), audienceOf(infludata.TikTok, "faulty_wait_new"), audienceOf(infludata.YouTube, "@MrBeast")} {
			p, err := c.Profiles.GetAndWait(ctx, r, srv.PollOptions()...)
			require.NoError(t, err, r.Username)
			require.True(t, p.HasAudienceReport(), r.Username)
		}
		requirePaidOnce(t, srv, len(refs)+3)

		requireSearchOnce(t, srv, c, infludata.SearchParams{Platform: infludata.TikTok})
		requireContentOnce(t, srv, c.Content.Pull(infludata.ContentParams{Tags: []string{"fashion"}, Limit: 20}, infludata.WithMaxItems(-1)))

		// The free calls also lose connections, before and after the server
		// acted: they are resent.
		srv.SetFaults(infludatatest.Faults{ErrorRate: errorsOnly.ErrorRate, DropRate: 0.1, DropAfterRate: 0.1,
			Routes: []string{infludatatest.RouteBulkEnrich, infludatatest.RouteDataStatus}})
		usernames := names("faulty_bulk_", 230)
		res, err := c.Enrichment.Add(ctx, infludata.EnrichParams{Platform: infludata.Instagram, Usernames: usernames})
		require.NoError(t, err)
		requireEnrichedOnce(t, res, usernames)
		assert.Equal(t, 3, res.Calls)

		snap := srv.Snapshot()
		faults := snap.Count(429) + snap.Count(500) + snap.Count(503) + len(snap.Dropped)
		assert.Positive(t, faults, "faults were injected")
		t.Logf("main jobs through faults: %d requests, %d faults injected (%d 429s)", ct.Requests.Load(), faults, snap.Count(429))
	})
}

// TestPacingHoldsAt1000Goroutines: one client shared by 1,000 goroutines
// never receives a 429 from the fake's burst limits, on both plans. The
// limiter's window guard makes this hold by construction (a slot frees a
// window's length after its answer, so any N+1 requests of the client
// arrive more than a window apart on the fake's clock), whatever the
// scheduler does.
func TestPacingHoldsAt1000Goroutines(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		plan infludata.Plan
		each int // requests per goroutine
	}{
		{infludata.Trial, 1},      // 2/s and 60/min: 1,000 requests span 17 minutes
		{infludata.Production, 2}, // 25/s and 1,000/min: 2,000 requests span both windows
	} {
		t.Run(string(tc.plan), func(t *testing.T) {
			t.Parallel()
			synctest.Test(t, func(t *testing.T) {
				srv := infludatatest.NewServer(infludatatest.WithVirtualTime(), infludatatest.WithPlan(tc.plan))
				defer srv.Close()
				c, ct := countedClient(t, srv)
				require.Equal(t, tc.plan, c.Plan())
				ctx := tctx(t, 24*time.Hour)
				var wg sync.WaitGroup
				var failed atomic.Int64
				for g := 0; g < 1000; g++ {
					wg.Add(1)
					go func() {
						defer wg.Done()
						for i := 0; i < tc.each; i++ {
							if _, err := c.Profiles.CheckStatus(ctx, infludata.DataStatusParams{Platform: infludata.Instagram, Username: "adidas"}); err != nil {
								failed.Add(1)
							}
						}
					}()
				}
				wg.Wait()
				snap := srv.Snapshot()
				assert.Zero(t, failed.Load())
				assert.Zero(t, snap.Count(http.StatusTooManyRequests), "0 × 429 from the client's own traffic")
				assert.EqualValues(t, 1000*tc.each, ct.Requests.Load(), "no request sent twice")
				assert.Equal(t, 1000*tc.each, snap.Requests[infludatatest.RouteDataStatus])
				assert.LessOrEqual(t, srv.MaxInFlight(), infludata.MaxConcurrency)
				t.Logf("%s plan: 1,000 goroutines, %d requests, %d 429s, at most %d in flight", tc.plan, ct.Requests.Load(), snap.Count(http.StatusTooManyRequests), srv.MaxInFlight())
			})
		})
	}
}

// discoveryRecorder decodes every discovery page the client receives and
// counts each creator served, so a test can tell repeats the server sent
// from repeats the iterator yielded.
type discoveryRecorder struct {
	base   http.RoundTripper
	mu     sync.Mutex
	served map[string]int
}

func (d *discoveryRecorder) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := d.base.RoundTrip(r)
	if err != nil || resp.StatusCode != http.StatusOK || !strings.HasSuffix(r.URL.Path, "/discovery") {
		return resp, err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	var pg struct {
		Users []struct {
			ID string `json:"_id"`
		} `json:"users"`
	}
	if json.Unmarshal(body, &pg) == nil {
		d.mu.Lock()
		for _, u := range pg.Users {
			d.served[u.ID]++
		}
		d.mu.Unlock()
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	return resp, nil
}

// TestSearchAllCreatorsEnteringDuringTheWalk: while SearchAll walks the
// creators by followers, another job's enrichment brings 15 new creators
// into the database after every page. Pages move by skip count, so each
// insertion ahead of the walk's position pushes rows already seen onto the
// next page. Every creator present before the walk comes back, and every
// creator comes back once.
func TestSearchAllCreatorsEnteringDuringTheWalk(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv, _ := fast(t, infludatatest.WithRateLimit(false), infludatatest.WithDelays(infludatatest.Delays{Enrich: time.Second, Audience: time.Second}))
		ctx := tctx(t, time.Hour)
		params := infludata.SearchParams{Platform: infludata.Instagram, Sorting: infludata.Sort{Field: infludata.SortFollowers, Direction: infludata.Desc}}
		c, err := srv.NewClient()
		require.NoError(t, err)
		before := map[string]bool{}
		for cr, err := range c.Discovery.SearchAll(ctx, params, infludata.WithMaxPages(-1)) {
			require.NoError(t, err)
			before[cr.ID] = true
		}
		require.Greater(t, len(before), 60)

		rec := &discoveryRecorder{base: srv.HTTPClient().Transport, served: map[string]int{}}
		walker, err := srv.NewClient(infludata.WithHTTPClient(&http.Client{Transport: rec}))
		require.NoError(t, err)
		enricher, err := srv.NewClient()
		require.NoError(t, err)
		yielded := map[string]int{}
		batch := 0
		for cr, err := range walker.Discovery.SearchAll(ctx, params, infludata.WithMaxPages(-1)) {
			require.NoError(t, err)
			yielded[cr.ID]++
			if len(yielded)%infludata.SearchPageSize != 0 {
				continue
			}
			// The walk is at a page boundary: 15 creators enter the database
			// before the next page is fetched.
			batch++
			newcomers := names(fmt.Sprintf("newcomer_%02d_", batch), 15)
			_, err = enricher.Enrichment.Add(ctx, infludata.EnrichParams{Platform: infludata.Instagram, Usernames: newcomers})
			require.NoError(t, err)
			time.Sleep(time.Second) // the enrichment
			d, err := enricher.Profiles.CheckStatus(ctx, infludata.DataStatusParams{Platform: infludata.Instagram, Username: newcomers[14]})
			require.NoError(t, err)
			require.True(t, d.InDatabase())
		}
		repeatsServed := 0
		for _, n := range rec.served {
			repeatsServed += n - 1
		}
		for id, n := range yielded {
			assert.Equal(t, 1, n, "%s yielded once", id)
		}
		for id := range before {
			assert.Contains(t, yielded, id, "a creator present before the walk is not missed")
		}
		assert.Positive(t, repeatsServed, "the shifting pages did serve creators twice")
		t.Logf("%d creators before the walk, %d entered during it; served %d rows with %d repeats, yielded %d unique",
			len(before), 15*batch, repeatsServed+len(rec.served), repeatsServed, len(yielded))
	})
}
