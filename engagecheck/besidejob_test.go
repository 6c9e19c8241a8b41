package engagecheck_test

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/creatorkit/creatorkit-go/engagecheck"
	"github.com/creatorkit/creatorkit-go/engagecheck/engagechecktest"
	"github.com/creatorkit/creatorkit-go/internal/vendortest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/time/rate"
)

// hammer is another job on the same key: goroutines reading the list and
// the balance as fast as their clients let them. Paced, each pair of
// goroutines has its own client paced at 25 of the key's 60 requests a
// minute (two processes of the other job, 50 a minute together): the key
// stays full, every client holds on its X-RateLimit-* reports, and the
// 429s met where requests cross are what the transport's retries and the
// waits' tolerance absorb. (Under the one wait policy a job that takes
// the whole key for longer than the client's retries would end the waits
// with ErrRateLimited, as it should: two such processes at the key's full
// limit did in a third of the runs.) Unpaced, one client ignores the limit
// and only honours Retry-After. Stop it with the returned function.
func hammer(t *testing.T, srv *engagechecktest.Server, goroutines int, paced bool) (stop func()) {
	t.Helper()
	var opts []engagecheck.Option
	if paced {
		opts = append(opts, engagecheck.WithWindow(25, srv.Scale(time.Minute)))
	} else {
		// Blind to the key's X-RateLimit-* reports too, or the client's
		// budget would pace it by them.
		opts = append(opts, engagecheck.WithRateLimit(rate.Inf, 0),
			engagecheck.WithHTTPClient(&http.Client{Transport: blindToReports{srv.HTTPClient().Transport}}))
	}
	var other *engagecheck.Client
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	for i := 0; i < goroutines; i++ {
		if other == nil || (paced && i%2 == 0) {
			var err error
			other, err = srv.NewClient(opts...)
			require.NoError(t, err)
		}
		other := other
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			for ctx.Err() == nil {
				if i%2 == 0 {
					_, _ = other.Audits.List(ctx, engagecheck.ListAuditsParams{Limit: 10})
				} else {
					_, _ = other.Credits.Get(ctx)
				}
			}
		}(i)
	}
	return func() { cancel(); wg.Wait() }
}

// blindToReports hides the vendor's X-RateLimit-* headers from a client,
// which then honours only Retry-After: a job that ignores the limit.
type blindToReports struct{ base http.RoundTripper }

func (b blindToReports) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := b.base.RoundTrip(r)
	if resp != nil {
		for _, h := range []string{"X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset"} {
			resp.Header.Del(h)
		}
	}
	return resp, err
}

// failureRuns watches one client's answers: for each request path, the
// length of the current run of transient failures (429, 5xx, a lost
// connection) and their total, and calls onRun when a run reaches n, i.e.
// when the transport gave up on a call and returned the failure to the
// helper, and onFail after every failure.
type failureRuns struct {
	base   http.RoundTripper
	n      int
	onRun  func(path string)
	onFail func(path string, total int, err error)

	mu     sync.Mutex
	runs   map[string]int
	totals map[string]int
	hits   int // runs that reached n
}

func (f *failureRuns) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := f.base.RoundTrip(r)
	failed := err != nil || resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500
	key := r.Method + " " + r.URL.Path
	f.mu.Lock()
	if f.runs == nil {
		f.runs, f.totals = map[string]int{}, map[string]int{}
	}
	reached, total := false, 0
	if failed {
		f.runs[key]++
		f.totals[key]++
		total = f.totals[key]
		if f.runs[key] == f.n {
			f.hits++
			reached = true
		}
	} else {
		f.runs[key] = 0
	}
	f.mu.Unlock()
	if reached && f.onRun != nil {
		f.onRun(key)
	}
	if failed && f.onFail != nil {
		f.onFail(key, total, err)
	}
	return resp, err
}

func (f *failureRuns) reached() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.hits
}

// besideFake is a fake on the bubble's clock (call it inside
// synctest.Test) where audits run side by side in 10 s.
func besideFake(t *testing.T, opts ...engagechecktest.Option) *engagechecktest.Server {
	srv := engagechecktest.NewServer(append([]engagechecktest.Option{engagechecktest.WithVirtualTime(), engagechecktest.WithSequentialBatches(false),
		engagechecktest.WithDurations(engagechecktest.Durations{Pending: time.Second, Scraping: 4 * time.Second, Analyzing: 5 * time.Second})}, opts...)...)
	t.Cleanup(srv.Close)
	return srv
}

// Waits beside another job on the same key, with GETs answered by a 429
// storm and then 5xx: every wait returns its own audit, complete, even
// after status checks whose every attempt failed.
func TestGetAndWaitBesideAnotherJob(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv := besideFake(t)
		ctx := testCtx(t)
		runs := &failureRuns{base: srv.HTTPClient().Transport, n: 4} // 1 attempt + 3 retries: the check failed
		c, err := srv.NewClient(engagecheck.WithHTTPClient(&http.Client{Transport: runs}))
		require.NoError(t, err)
		b, err := c.Audits.CreateBatch(ctx, engagecheck.CreateBatchParams{Usernames: handles(10)})
		require.NoError(t, err)

		healed := make(chan struct{})
		var once sync.Once
		runs.onRun = func(string) {
			// A check failed after all its retries: keep the key busy, but
			// let the status reads through again (with some 5xx).
			once.Do(func() {
				srv.SetFaults(engagechecktest.Faults{Routes: []string{engagechecktest.RouteGet}, ErrorRate: map[int]float64{503: 0.2, 502: 0.1}})
				close(healed)
			})
		}
		srv.SetFaults(engagechecktest.Faults{Routes: []string{engagechecktest.RouteGet}, ErrorRate: map[int]float64{503: 1}})
		stop := hammer(t, srv, 4, true)
		defer stop()

		var wg sync.WaitGroup
		got := make([]*engagecheck.Audit, len(b.Results))
		errs := make([]error, len(b.Results))
		for i, row := range b.Results {
			wg.Add(1)
			go func() {
				defer wg.Done()
				got[i], errs[i] = c.Audits.GetAndWait(ctx, row.ID, srv.PollOptions()...)
			}()
		}
		wg.Wait()
		stop()
		<-healed
		for i, row := range b.Results {
			require.NoError(t, errs[i], row.Username)
			assert.Equal(t, row.ID, got[i].ID)
			assert.Equal(t, row.Username, got[i].Username)
			assert.Equal(t, engagecheck.StatusComplete, got[i].Status)
			assert.NotNil(t, got[i].Report)
		}
		snap := srv.Snapshot()
		assert.GreaterOrEqual(t, runs.reached(), 1, "a status check failed after its retries and the wait went on")
		assert.Positive(t, snap.Statuses[engagechecktest.RouteGet][503])
		assert.EqualValues(t, 10, snap.Credits[engagechecktest.RouteBatch], "nothing spent twice")
		t.Logf("10 waits beside another job: %d checks failed after retries, %d 429s on the key, %d 5xx on GET",
			runs.reached(), snap.Count(429), snap.Statuses[engagechecktest.RouteGet][503]+snap.Statuses[engagechecktest.RouteGet][502])
	})
}

// Runs beside another job on the same key, with submits first refused
// (429 storms, 503 before the handler ran) and then answered but lost
// after the audit was created, and status reads failing: every handle
// comes back complete, exactly once, and is paid for once.
func TestCreateAndWaitBesideAnotherJob(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv := besideFake(t)
		ctx := testCtx(t)
		runs := &failureRuns{base: srv.HTTPClient().Transport}
		c, err := srv.NewClient(engagecheck.WithHTTPClient(&http.Client{Transport: runs}))
		require.NoError(t, err)

		healed := make(chan struct{})
		const refusals = 8 + 8 // the storm's 429s, then 503s before the handler ran
		var refusedAll, lostSome sync.Once
		var lost atomic.Int32
		runs.onFail = func(path string, total int, err error) {
			if path != "POST /api/v1/audits" {
				return
			}
			if total >= refusals {
				// Submits were refused by 429s (waited out) and 503s (the
				// list showed nothing: sent again): now every one reaches
				// the server and its answer is lost.
				refusedAll.Do(func() {
					srv.SetFaults(engagechecktest.Faults{Routes: []string{engagechecktest.RouteCreate}, DropAfterRate: 1})
					close(healed)
				})
			}
			if err != nil && lost.Add(1) == 3 {
				// Three answers were lost after their audits were created:
				// from now on a third of them are, and status reads fail
				// now and then.
				lostSome.Do(func() {
					srv.SetFaults(engagechecktest.Faults{Routes: []string{engagechecktest.RouteCreate, engagechecktest.RouteGet},
						ErrorRate: map[int]float64{503: 0.15}, DropAfterRate: 0.3})
				})
			}
		}
		srv.SetFaults(engagechecktest.Faults{Routes: []string{engagechecktest.RouteCreate}, Storm429: 8, ErrorRate: map[int]float64{503: 1}})
		stop := hammer(t, srv, 4, true)
		defer stop()

		names := handles(10)
		got := make([]*engagecheck.Audit, len(names))
		errs := make([]error, len(names))
		var wg sync.WaitGroup
		for i, name := range names {
			wg.Add(1)
			go func() {
				defer wg.Done()
				got[i], errs[i] = c.Audits.CreateAndWait(ctx, engagecheck.CreateAuditParams{Username: name}, srv.PollOptions()...)
			}()
		}
		wg.Wait()
		stop()
		for i, name := range names {
			require.NoError(t, errs[i], name)
			assert.Equal(t, name, got[i].Username)
			assert.Equal(t, engagecheck.StatusComplete, got[i].Status)
			assert.NotNil(t, got[i].Report)
		}
		snap := srv.Snapshot()
		assert.Equal(t, len(names), srv.AuditCount(), "each handle submitted once")
		assert.EqualValues(t, len(names), snap.Credits[engagechecktest.RouteCreate], "each handle paid once")
		assert.GreaterOrEqual(t, snap.Dropped[engagechecktest.RouteCreate], 3, "answers were lost after the audit was created")
		select {
		case <-healed:
		default:
			t.Errorf("fewer than %d submits were refused: the refusals were not exercised", refusals)
		}
		t.Logf("10 runs beside another job: %d requests to create, %d answers lost after creation, %d 429s on the key",
			snap.Requests[engagechecktest.RouteCreate], snap.Dropped[engagechecktest.RouteCreate], snap.Count(429))
	})
}

// Create and CreateBatch while another job fills the key's window: a call
// that gets a 429 after the transport's retries spent nothing and created
// nothing; a call that succeeds created each handle's audit once.
func TestCreateBesideAnotherJobNeverLosesOrDoubleSpends(t *testing.T) {
	vendortest.Retries(t, "retries=%d", []int{0, 3}, func(t *testing.T, retries int) {
		srv := besideFake(t, engagechecktest.WithCredits(10000))
		ctx := testCtx(t)
		c, err := srv.NewClient(engagecheck.WithMaxRetries(retries))
		require.NoError(t, err)
		stop := hammer(t, srv, 8, false)
		defer stop()
		// Start once the other job has filled the key's window.
		for srv.Snapshot().RateLimited == 0 {
			require.NoError(t, ctx.Err(), "the other job never filled the window")
			time.Sleep(time.Millisecond)
		}

		type outcome struct {
			handles []string
			err     error
		}
		var mu sync.Mutex
		var outcomes []outcome
		var wg sync.WaitGroup
		for i := 0; i < 20; i++ {
			wg.Add(2)
			go func() {
				defer wg.Done()
				h := fmt.Sprintf("single_%02d", i)
				_, err := c.Audits.Create(ctx, engagecheck.CreateAuditParams{Username: h})
				mu.Lock()
				outcomes = append(outcomes, outcome{[]string{h}, err})
				mu.Unlock()
			}()
			go func() {
				defer wg.Done()
				hs := make([]string, 5)
				for j := range hs {
					hs[j] = fmt.Sprintf("batch_%02d_%d", i, j)
				}
				b, err := c.Audits.CreateBatch(ctx, engagecheck.CreateBatchParams{Usernames: hs})
				if err == nil {
					assert.Len(t, b.Results, 5)
				}
				mu.Lock()
				outcomes = append(outcomes, outcome{hs, err})
				mu.Unlock()
			}()
		}
		wg.Wait()
		stop()

		// Read back with a client that waits out the window the other
		// job left full (c may have no retries).
		reader, err := srv.NewClient()
		require.NoError(t, err)
		onServer := map[string]int{}
		for a, err := range reader.Audits.ListAll(ctx, engagecheck.ListAuditsParams{}) {
			require.NoError(t, err)
			onServer[a.Username]++
		}
		created, refused := 0, 0
		for _, o := range outcomes {
			for _, h := range o.handles {
				switch {
				case o.err == nil:
					created++
					assert.Equal(t, 1, onServer[h], "%s: created once", h)
				default:
					refused++
					require.ErrorIs(t, o.err, engagecheck.ErrRateLimited, h)
					assert.NotErrorIs(t, o.err, engagecheck.ErrOutcomeUnknown, h)
					assert.True(t, o.err.(interface{ Temporary() bool }).Temporary(), "a 429 may be tried again: nothing was spent")
					assert.Zero(t, onServer[h], "%s: refused, so nothing was created or spent", h)
				}
			}
		}
		snap := srv.Snapshot()
		assert.Equal(t, created, srv.AuditCount(), "every audit on the server belongs to a successful call")
		assert.EqualValues(t, created, snap.TotalCredits(), "credits spent = audits created")
		if retries == 0 {
			assert.Positive(t, refused, "the other job's traffic refused some submits")
		}
		t.Logf("retries=%d: %d handles created once each, %d refused with 429 and not spent; %d 429s on the key", retries, created, refused, snap.Count(429))
	})
}

// One client shared by 1,000 goroutines waiting for 1,000 audits, with the
// fake's documented limit (60 a minute, on the bubble's clock): its own
// traffic never meets a 429.
func TestPacingThousandGoroutinesNever429(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv := engagechecktest.NewServer(engagechecktest.WithVirtualTime(), engagechecktest.WithCredits(1000), engagechecktest.WithSequentialBatches(false),
			engagechecktest.WithDurations(engagechecktest.Durations{Pending: time.Millisecond, Scraping: time.Millisecond, Analyzing: time.Millisecond}))
		defer srv.Close()
		c, err := srv.NewClient()
		require.NoError(t, err)
		ctx := testCtx(t)
		const n = 1000
		ids := make(chan int64, n)
		var wg sync.WaitGroup
		for i := 0; i < n; i += engagecheck.MaxBatch {
			wg.Add(1)
			go func() {
				defer wg.Done()
				hs := make([]string, engagecheck.MaxBatch)
				for j := range hs {
					hs[j] = fmt.Sprintf("pace_%04d", i+j)
				}
				b, err := c.Audits.CreateBatch(ctx, engagecheck.CreateBatchParams{Usernames: hs})
				if !assert.NoError(t, err) {
					return
				}
				for _, r := range b.Results {
					ids <- r.ID
				}
			}()
		}
		wg.Wait()
		close(ids)
		var failed sync.Map
		for id := range ids {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if _, err := c.Audits.GetAndWait(ctx, id, srv.PollOptions()...); err != nil {
					failed.Store(id, err)
				}
			}()
		}
		wg.Wait()
		failed.Range(func(k, v any) bool { t.Errorf("audit %v: %v", k, v); return true })
		snap := srv.Snapshot()
		require.GreaterOrEqual(t, snap.TotalRequests(), n+n/engagecheck.MaxBatch)
		assert.Zero(t, snap.Count(http.StatusTooManyRequests), "no 429 from the client's own traffic")
		assert.Zero(t, snap.RateLimited)
		t.Logf("1,000 goroutines on one client: %d requests, %d 429s", snap.TotalRequests(), snap.Count(http.StatusTooManyRequests))
	})
}
