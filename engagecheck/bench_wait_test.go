package engagecheck_test

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/creatorkit/creatorkit-go/engagecheck"
	"github.com/creatorkit/creatorkit-go/engagecheck/engagechecktest"
	"github.com/creatorkit/creatorkit-go/internal/vendortest"
	"golang.org/x/time/rate"
)

// waitBenchFake is the benchmarks' EngageCheck: a minute lasts 600 ms,
// the key's limit is 60 a minute, single audits run side by side and take
// one virtual second, so the rate limit (not processing) bounds a run.
func waitBenchFake() *engagechecktest.Server {
	return engagechecktest.NewServer(engagechecktest.WithTimeScale(0.01), engagechecktest.WithCredits(100000), engagechecktest.WithSequentialBatches(false),
		engagechecktest.WithDurations(engagechecktest.Durations{Pending: 100 * time.Millisecond, Scraping: 400 * time.Millisecond, Analyzing: 500 * time.Millisecond}))
}

// benchModes are the conditions each size runs in: alone on the key,
// beside another job reading the list and the balance at the key's full
// rate on its own client, and against a misbehaving fake (5xx before the
// handler, answers lost after it, on submits and status reads).
var benchModes = []string{"alone", "beside-job", "faults"}

func startMode(b *testing.B, srv *engagechecktest.Server, mode string) (stop func()) {
	switch mode {
	case "beside-job":
		other, err := srv.NewClient()
		if err != nil {
			b.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		var wg sync.WaitGroup
		for i := 0; i < 4; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for ctx.Err() == nil {
					if i%2 == 0 {
						_, _ = other.Audits.List(ctx, engagecheck.ListAuditsParams{Limit: 10})
					} else {
						_, _ = other.Credits.Get(ctx)
					}
				}
			}()
		}
		return func() { cancel(); wg.Wait() }
	case "faults":
		srv.SetFaults(engagechecktest.Faults{Routes: []string{engagechecktest.RouteCreate, engagechecktest.RouteGet},
			ErrorRate: map[int]float64{503: 0.1, 502: 0.05}, DropAfterRate: 0.05})
	}
	return func() {}
}

// reportWaits reports the client's requests per audit, the credits spent
// per audit, the 429s it received and the key received, and wall time
// over the time its own requests need at the key's limit.
func reportWaits(b *testing.B, srv *engagechecktest.Server, own *vendortest.Counting, n int, elapsed time.Duration) {
	req := own.Requests.Load()
	atLimit := time.Duration(float64(req) / 60 * float64(srv.Scale(time.Minute)))
	snap := srv.Snapshot()
	b.ReportMetric(float64(req)/float64(n), "requests/audit")
	b.ReportMetric(float64(snap.TotalCredits())/float64(n), "credits/audit")
	b.ReportMetric(float64(own.TooMany.Load()), "429s-own")
	b.ReportMetric(float64(snap.Count(http.StatusTooManyRequests)), "429s-key")
	b.ReportMetric(float64(elapsed)/float64(atLimit), "wall/at-limit")
}

// BenchmarkCreateAndWaitScale runs 10, 100 and 1,000 concurrent
// Audits.CreateAndWait on one client (1x, 10x and 100x the 10 runs of
// TestCreateAndWaitBesideAnotherJob), alone, beside another job on the
// same key, and with faults on. Every run must come back complete with its
// own handle, each handle paid once. Run:
//
//	go test -run '^$' -bench CreateAndWaitScale -benchtime 1x -timeout 20m ./engagecheck/
func BenchmarkCreateAndWaitScale(b *testing.B) {
	for _, n := range []int{10, 100, 1000} {
		for _, mode := range benchModes {
			b.Run(fmt.Sprintf("runs=%d/%s", n, mode), func(b *testing.B) {
				for b.Loop() {
					srv := waitBenchFake()
					own := &vendortest.Counting{Base: http.DefaultTransport}
					c, err := srv.NewClient(engagecheck.WithHTTPClient(&http.Client{Transport: own}))
					if err != nil {
						b.Fatal(err)
					}
					stop := startMode(b, srv, mode)
					ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
					start := time.Now()
					var wg sync.WaitGroup
					var failed atomic.Int64
					for i := 0; i < n; i++ {
						wg.Add(1)
						go func() {
							defer wg.Done()
							h := fmt.Sprintf("run_%04d", i)
							a, err := c.Audits.CreateAndWait(ctx, engagecheck.CreateAuditParams{Username: h}, srv.PollOptions()...)
							if err != nil || a.Username != h || a.Status != engagecheck.StatusComplete {
								failed.Add(1)
								b.Errorf("%s: %v", h, err)
							}
						}()
					}
					wg.Wait()
					elapsed := time.Since(start)
					cancel()
					stop()
					if failed.Load() > 0 || srv.AuditCount() != n {
						b.Fatalf("%d runs failed; %d audits for %d handles", failed.Load(), srv.AuditCount(), n)
					}
					reportWaits(b, srv, own, n, elapsed)
					srv.Close()
				}
			})
		}
	}
}

// BenchmarkGetAndWaitScale submits 10, 100 and 1,000 audits in batches,
// then waits for all of them at once with Audits.GetAndWait on one client,
// alone, beside another job on the same key, and with faults on (status
// reads only; the batches go out before). Run:
//
//	go test -run '^$' -bench GetAndWaitScale -benchtime 1x -timeout 20m ./engagecheck/
func BenchmarkGetAndWaitScale(b *testing.B) {
	for _, n := range []int{10, 100, 1000} {
		for _, mode := range benchModes {
			b.Run(fmt.Sprintf("waits=%d/%s", n, mode), func(b *testing.B) {
				for b.Loop() {
					srv := waitBenchFake()
					submitter, err := srv.NewClient(engagecheck.WithRateLimit(rate.Inf, 0))
					if err != nil {
						b.Fatal(err)
					}
					var ids []int64
					for i := 0; i < n; i += engagecheck.MaxBatch {
						hs := make([]string, 0, engagecheck.MaxBatch)
						for j := i; j < min(i+engagecheck.MaxBatch, n); j++ {
							hs = append(hs, fmt.Sprintf("wait_%04d", j))
						}
						bt, err := submitter.Audits.CreateBatch(context.Background(), engagecheck.CreateBatchParams{Usernames: hs})
						if err != nil {
							b.Fatal(err)
						}
						for _, r := range bt.Results {
							ids = append(ids, r.ID)
						}
					}
					time.Sleep(srv.Scale(61 * time.Second)) // the submits leave the key's window
					own := &vendortest.Counting{Base: http.DefaultTransport}
					c, err := srv.NewClient(engagecheck.WithHTTPClient(&http.Client{Transport: own}))
					if err != nil {
						b.Fatal(err)
					}
					stop := startMode(b, srv, mode)
					ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
					start := time.Now()
					var wg sync.WaitGroup
					var failed atomic.Int64
					for _, id := range ids {
						wg.Add(1)
						go func() {
							defer wg.Done()
							a, err := c.Audits.GetAndWait(ctx, id, srv.PollOptions()...)
							if err != nil || a.ID != id || a.Status != engagecheck.StatusComplete {
								failed.Add(1)
								b.Errorf("audit %d: %v", id, err)
							}
						}()
					}
					wg.Wait()
					elapsed := time.Since(start)
					cancel()
					stop()
					if failed.Load() > 0 {
						b.Fatalf("%d waits failed", failed.Load())
					}
					reportWaits(b, srv, own, n, elapsed)
					srv.Close()
				}
			})
		}
	}
}
