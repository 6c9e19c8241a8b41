package creatoraudit_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/creatorkit/creatorkit-go/creatoraudit"
	"github.com/creatorkit/creatorkit-go/creatoraudit/creatoraudittest"
)

// seeded seeds n Instagram accounts on a fake without a window, where a
// virtual minute lasts 60 ms (benchmarks run on the real clock).
func seeded(b *testing.B, n int, opts ...creatoraudittest.Option) (*creatoraudittest.Server, *creatoraudit.Client, []string) {
	srv := creatoraudittest.NewServer(append([]creatoraudittest.Option{creatoraudittest.WithTimeScale(0.001), creatoraudittest.WithRateLimit(0, 0)}, opts...)...)
	b.Cleanup(srv.Close)
	c, err := srv.NewClient()
	if err != nil {
		b.Fatal(err)
	}
	names := make([]string, n)
	for i := range names {
		names[i] = fmt.Sprintf("creator%04d", i)
	}
	return srv, c, srv.AddAccounts(creatoraudit.Instagram, names...)
}

// benchLimit is the benchmarks' key window: 300 requests a virtual minute,
// which at a scale of 1/100 is 300 per 600 ms, 2 ms a request.
const benchLimit = 300

// jobFake seeds n Instagram accounts (no account videos) on a fake with
// the benchmarks' window.
func jobFake(b *testing.B, n int) (*creatoraudittest.Server, []string) {
	srv := creatoraudittest.NewServer(creatoraudittest.WithTimeScale(0.01), creatoraudittest.WithRateLimit(benchLimit, time.Minute),
		creatoraudittest.WithAccountVideos(0), creatoraudittest.WithSeed(9))
	b.Cleanup(srv.Close)
	return srv, seedAccounts(srv, n)
}

// jobConditions are what a main job runs beside: nothing, another job
// filling the key's window (8 goroutines on a second client), or faults
// on the job's own route (10% 503, 5% 502, 5% dropped connections, 2%
// truncated and 2% malformed bodies).
var jobConditions = []string{"alone", "beside-job", "faults"}

func startCondition(b *testing.B, srv *creatoraudittest.Server, cond string, routes ...string) (stop func()) {
	switch cond {
	case "beside-job":
		return anotherJob(b, srv, 8, 500*time.Millisecond) // 960 a minute against the window's 300
	case "faults":
		srv.SetFaults(creatoraudittest.Faults{Routes: routes, ErrorRate: map[int]float64{503: 0.10, 502: 0.05},
			DropRate: 0.05, TruncateRate: 0.02, MalformRate: 0.02})
		return func() { srv.SetFaults(creatoraudittest.Faults{}) }
	}
	return func() {}
}

// reportJob reports the client's requests per item, the 429s it got, the
// wall time over the time its requests need at the key's limit, and the
// time per request.
func reportJob(b *testing.B, srv *creatoraudittest.Server, ct *countingTransport, items int, unit string, elapsed time.Duration) {
	req := ct.Requests.Load()
	atLimit := time.Duration(float64(req) / benchLimit * float64(srv.Scale(time.Minute)))
	b.ReportMetric(float64(req)/float64(items), "requests/"+unit)
	b.ReportMetric(float64(ct.TooMany.Load()), "429s")
	b.ReportMetric(float64(ct.failed.Load()), "5xx")
	b.ReportMetric(float64(elapsed)/float64(atLimit), "wall/at-limit")
	b.ReportMetric(float64(elapsed.Microseconds())/1000/float64(req), "ms/request")
}

// benchSizes are 1x, 10x and 100x the 1,000 ids and accounts the
// package's benchmarks used so far.
var benchSizes = []int{1000, 10000, 100000}

// BenchmarkBatchMetrics runs Accounts.Metrics over every tracked account
// (200 ids a request) at 1,000, 10,000 and 100,000 ids, alone, beside
// another job on the key, and with faults on its route, and checks every
// id comes back exactly once. Run (about a minute per 100,000-id case
// while the fake finds each id by scanning every account; a fake with
// O(1) lookups makes it seconds):
//
//	go test -run '^$' -bench BatchMetrics -benchtime 1x -timeout 30m ./creatoraudit/
func BenchmarkBatchMetrics(b *testing.B) {
	for _, n := range benchSizes {
		for _, cond := range jobConditions {
			b.Run(fmt.Sprintf("ids=%d/%s", n, cond), func(b *testing.B) {
				srv, ids := jobFake(b, n)
				// Beside a job that fills the key's window, a request may
				// lose the race for a freed slot several times in a row:
				// the retries (the one policy) are sized to it.
				c, ct := ourClient(b, srv, creatoraudit.WithMaxRetries(10))
				stop := startCondition(b, srv, cond, creatoraudittest.RouteAccountsMetrics)
				defer stop()
				for b.Loop() {
					ct.Requests.Store(0)
					ct.TooMany.Store(0)
					ct.failed.Store(0)
					start := time.Now()
					m, err := c.Accounts.Metrics(context.Background(), creatoraudit.MetricsParams{IDs: ids, Period: creatoraudit.Period30d})
					elapsed := time.Since(start)
					if err != nil {
						b.Fatal(err)
					}
					if len(m.ByID) != n || len(m.Pages) != (n+creatoraudit.MaxBatchIDs-1)/creatoraudit.MaxBatchIDs {
						b.Fatalf("%d ids in %d pages for %d", len(m.ByID), len(m.Pages), n)
					}
					reportJob(b, srv, ct, n, "id", elapsed)
				}
			})
		}
	}
}

// BenchmarkListAll walks every tracked account with Accounts.ListAll (200
// a page) at 1,000, 10,000 and 100,000 accounts, in the same three
// conditions, and checks every account comes back exactly once. Run:
//
//	go test -run '^$' -bench 'ListAll$' -benchtime 1x -timeout 30m ./creatoraudit/
func BenchmarkListAll(b *testing.B) {
	for _, n := range benchSizes {
		for _, cond := range jobConditions {
			b.Run(fmt.Sprintf("accounts=%d/%s", n, cond), func(b *testing.B) {
				srv, _ := jobFake(b, n)
				// Beside a job that fills the key's window, a request may
				// lose the race for a freed slot several times in a row:
				// the retries (the one policy) are sized to it.
				c, ct := ourClient(b, srv, creatoraudit.WithMaxRetries(10))
				stop := startCondition(b, srv, cond, creatoraudittest.RouteAccountsList)
				defer stop()
				for b.Loop() {
					ct.Requests.Store(0)
					ct.TooMany.Store(0)
					ct.failed.Store(0)
					start := time.Now()
					seen := make(map[string]bool, n)
					for a, err := range c.Accounts.ListAll(context.Background(), creatoraudit.ListAccountsParams{}) {
						if err != nil {
							b.Fatal(err)
						}
						if seen[a.ID] {
							b.Fatalf("%s yielded twice", a.ID)
						}
						seen[a.ID] = true
					}
					elapsed := time.Since(start)
					if len(seen) != n {
						b.Fatalf("yielded %d of %d", len(seen), n)
					}
					reportJob(b, srv, ct, n, "account", elapsed)
				}
			})
		}
	}
}

// searchJob is a search job's query: a single call, so unlike the bulk
// helpers it ends on a transient error (another job on the key may take
// every slot for longer than the transport's retries); the job asks again,
// as a caller's loop would, for up to a minute.
func searchJob(c *creatoraudit.Client, q string) (*creatoraudit.SearchResults, error) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	for {
		r, err := c.Search.Query(ctx, creatoraudit.SearchParams{Q: q, Limit: creatoraudit.MaxSearchLimit})
		transient := errors.Is(err, creatoraudit.ErrRateLimited) || errors.Is(err, creatoraudit.ErrServer) || errors.Is(err, creatoraudit.ErrNetwork)
		if err == nil || !transient || ctx.Err() != nil {
			return r, err
		}
	}
}

// BenchmarkSearch runs 200 searches (25 matches a section) over 1,000,
// 10,000 and 100,000 tracked accounts, in the same three conditions; each
// query must find its account. ms/request shows how the fake's time per
// search grows with its dataset (it scans every account). Run:
//
//	go test -run '^$' -bench 'Search$' -benchtime 1x -timeout 30m ./creatoraudit/
func BenchmarkSearch(b *testing.B) {
	const queries = 200
	for _, n := range benchSizes {
		for _, cond := range jobConditions {
			b.Run(fmt.Sprintf("accounts=%d/%s", n, cond), func(b *testing.B) {
				srv, _ := jobFake(b, n)
				c, ct := ourClient(b, srv, creatoraudit.WithMaxRetries(10))
				stop := startCondition(b, srv, cond, creatoraudittest.RouteSearch)
				defer stop()
				for b.Loop() {
					ct.Requests.Store(0)
					ct.TooMany.Store(0)
					ct.failed.Store(0)
					start := time.Now()
					for i := 0; i < queries; i++ {
						q := fmt.Sprintf("acct_%05d", (i*7919)%n)
						r, err := searchJob(c, q)
						if err != nil {
							b.Fatal(err)
						}
						if len(r.Data.Accounts) != 1 || r.Data.Accounts[0].Username != q {
							b.Fatalf("%q found %d accounts", q, len(r.Data.Accounts))
						}
					}
					reportJob(b, srv, ct, queries, "query", time.Since(start))
				}
			})
		}
	}
}

// A create reconciled after a dropped connection (the server acted, the
// answer was lost) creates exactly one account: accounts/op stays 1.00
// while attempts/op and drops/op show the retries it took.
func BenchmarkCreateAfterDroppedConnection(b *testing.B) {
	srv, _, _ := seeded(b, 0, creatoraudittest.WithSeed(11))
	c, err := srv.NewClient(creatoraudit.WithMaxRetries(8))
	if err != nil {
		b.Fatal(err)
	}
	srv.SetFaults(creatoraudittest.Faults{Routes: []string{creatoraudittest.RouteAccountsCreate}, DropAfterRate: 0.5})
	ctx := context.Background()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		a, err := c.Accounts.Create(ctx, creatoraudit.CreateAccountParams{Platform: creatoraudit.TikTok, Username: fmt.Sprintf("bench%d", i)})
		if err != nil || a.Username != fmt.Sprintf("bench%d", i) {
			b.Fatalf("create %d: %v", i, err)
		}
	}
	b.StopTimer()
	// Requests are counted by the server: the first request of each create
	// and the SDK's reconciliation requests (net/http never resends one).
	snap := srv.Snapshot()
	b.ReportMetric(float64(srv.AccountCount())/float64(b.N), "accounts/op")
	b.ReportMetric(float64(snap.Requests[creatoraudittest.RouteAccountsCreate])/float64(b.N), "requests/op")
	b.ReportMetric(float64(snap.Dropped[creatoraudittest.RouteAccountsCreate])/float64(b.N), "drops/op")
}

// Batch metrics for every tracked account, through the client and HTTP
// (200 ids a request), at 1,000, 10,000 and 100,000 accounts: the time
// per id must stay flat (the fake looks each id up, it does not scan).
func BenchmarkMetricsAllAccounts(b *testing.B) {
	for _, n := range []int{1000, 10000, 100000} {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			_, c, ids := seeded(b, n)
			ctx := context.Background()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				m, err := c.Accounts.Metrics(ctx, creatoraudit.MetricsParams{IDs: ids, Period: creatoraudit.Period30d})
				if err != nil || len(m.ByID) != n {
					b.Fatalf("metrics: %v (%d ids)", err, len(m.ByID))
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/id")
		})
	}
}
