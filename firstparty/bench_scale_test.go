package firstparty_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/creatorkit/creatorkit-go/firstparty"
	"github.com/creatorkit/creatorkit-go/firstparty/firstpartytest"
	"github.com/creatorkit/creatorkit-go/internal/vendortest"
)

// The scale benchmarks run the package's main jobs at 1x, 10x and 100x the
// size its integration tests use (10 creators): 10, 100 and 1,000
// creators, 50 at a time, each
//
//   - alone on the token,
//   - beside another job on the same token (a second client, paced as if
//     it were alone, keeping the account's window full), and
//   - against a misbehaving fake (5xx, 429 storms, dropped connections
//     before and after the handler, truncated and garbled bodies).
//
// The fake has an account limit of 120 requests per virtual minute, a
// virtual minute lasting 300 ms, and insights ready 20 virtual seconds
// (100 ms) after verification. Each run reports our client's requests per
// creator, the 429s it received, and its wall time over the time its
// requests need at the limit (requests / 120 per 300 ms). Every run fails
// unless every creator was verified exactly once (and, for the waits, every
// wait returned the insights). Run them one at a time (the 100x runs take
// tens of seconds each):
//
//	go test -run '^$' -bench 'ConsentScale|InsightsWaitScale' -benchtime 1x ./firstparty/

const (
	benchLimit   = 120
	benchPer     = time.Minute
	benchScale   = 0.005
	benchWorkers = 50
)

var benchModes = []string{"alone", "beside-job", "faults"}

// benchFaults is the misbehaving fake of the "faults" runs.
var benchFaults = firstpartytest.Faults{
	Routes:        []string{firstpartytest.RouteCreateURL, firstpartytest.RouteVerify, firstpartytest.RouteInsights},
	ErrorRate:     map[int]float64{500: 0.05, 503: 0.05},
	Storm429:      10,
	DropRate:      0.02,
	DropAfterRate: 0.02,
	TruncateRate:  0.02,
	MalformRate:   0.02,
}

// scaleRun is one benchmark run's fake, app and client.
type scaleRun struct {
	srv  *firstpartytest.Server
	c    *firstparty.Client
	ct   *countingTransport
	flow *firstparty.ConnectFlow
	web  *httptest.Server
	stop func() int
}

func newScaleRun(b *testing.B, mode string) *scaleRun {
	opts := []firstpartytest.Option{firstpartytest.WithRateLimit(benchLimit, benchPer), firstpartytest.WithTimeScale(benchScale),
		firstpartytest.WithInsightsDelay(20 * time.Second), firstpartytest.WithTokenTTL(time.Hour), firstpartytest.WithSeed(5)}
	if mode == "faults" {
		opts = append(opts, firstpartytest.WithFaults(benchFaults))
	}
	r := &scaleRun{srv: firstpartytest.NewServer(opts...), ct: &countingTransport{Counting: vendortest.Counting{Base: http.DefaultTransport}}, stop: func() int { return 0 }}
	var err error
	r.c, err = r.srv.NewClient(firstparty.WithHTTPClient(&http.Client{Transport: r.ct}), firstparty.WithMaxRetries(8))
	if err != nil {
		b.Fatal(err)
	}
	mux := http.NewServeMux()
	r.web = httptest.NewServer(mux)
	r.flow, err = firstparty.NewConnectFlow(r.c, firstparty.ConnectConfig{RedirectURL: r.web.URL + "/callback"})
	if err != nil {
		b.Fatal(err)
	}
	mux.Handle("/callback", r.flow.CallbackHandler(func(w http.ResponseWriter, _ *http.Request, res *firstparty.CallbackResult, err error) {
		if err != nil {
			http.Error(w, err.Error(), http.StatusForbidden)
			return
		}
		_, _ = io.WriteString(w, res.Creator.CreatorID)
	}))
	if mode == "beside-job" {
		r.stop = anotherJob(b, r.srv, 4)
	}
	return r
}

func (r *scaleRun) close() {
	r.stop()
	r.web.Close()
	r.srv.Close()
}

// connect runs one creator through the flow in a browser and returns the
// creator id.
func (r *scaleRun) connect(ctx context.Context, browser *http.Client) (string, error) {
	v, err := r.flow.Start(ctx, firstparty.StartParams{Platform: firstparty.Instagram})
	if err != nil {
		return "", err
	}
	req, _ := http.NewRequestWithContext(ctx, "GET", v.RedirectURL, nil)
	resp, err := browser.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	page, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("callback answered %d: %s", resp.StatusCode, page)
	}
	return strings.TrimSpace(string(page)), nil
}

// runCreators runs n creators through job, benchWorkers at a time, and
// fails the benchmark on any error.
func runCreators(b *testing.B, n int, job func(ctx context.Context, i int) error) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	var wg sync.WaitGroup
	var next atomic.Int64
	var failed atomic.Value
	for range benchWorkers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= n || failed.Load() != nil {
					return
				}
				if err := job(ctx, i); err != nil {
					failed.Store(fmt.Errorf("creator %d: %w", i, err))
					return
				}
			}
		}()
	}
	wg.Wait()
	if err, _ := failed.Load().(error); err != nil {
		b.Fatal(err)
	}
}

// report writes the run's figures.
func (r *scaleRun) report(b *testing.B, n int, elapsed time.Duration, other int) {
	req := r.ct.Requests.Load()
	atLimit := time.Duration(float64(req) / benchLimit * float64(r.srv.Scale(benchPer)))
	b.ReportMetric(float64(req)/float64(n), "requests/creator")
	b.ReportMetric(float64(r.ct.TooMany.Load()), "429s")
	b.ReportMetric(float64(elapsed)/float64(atLimit), "wall/at-limit")
	if other > 0 {
		b.ReportMetric(float64(other)/float64(n), "other-job-calls/creator")
	}
}

// BenchmarkConsentScale: n creators through the consent flow (Start, the
// connect page, the callback, Verify Creator). Each creator must end up
// verified exactly once at Ylytic and once in the app.
func BenchmarkConsentScale(b *testing.B) {
	for _, n := range []int{10, 100, 1000} {
		for _, mode := range benchModes {
			b.Run(fmt.Sprintf("creators=%d/%s", n, mode), func(b *testing.B) {
				for b.Loop() {
					r := newScaleRun(b, mode)
					browser := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: benchWorkers}}
					var mu sync.Mutex
					ids := map[string]bool{}
					start := time.Now()
					runCreators(b, n, func(ctx context.Context, _ int) error {
						id, err := r.connect(ctx, browser)
						if err != nil {
							return err
						}
						mu.Lock()
						defer mu.Unlock()
						if ids[id] {
							return fmt.Errorf("creator %s came back twice", id)
						}
						ids[id] = true
						return nil
					})
					elapsed := time.Since(start)
					other := r.stop()
					if got := r.srv.CreatorCount(); got != n || len(ids) != n {
						b.Fatalf("%d creators verified at the fake, %d in the app; want %d", got, len(ids), n)
					}
					r.report(b, n, elapsed, other)
					browser.CloseIdleConnections()
					r.close()
				}
			})
		}
	}
}

// BenchmarkInsightsWaitScale: n creators, each verified and then waited
// for with Insights.GetAndWait (the fake's poll intervals, scaled) until the
// insights are ready. It also reports the insights reads per creator. At
// 1x the insights delay, not the limit, bounds the wall time.
func BenchmarkInsightsWaitScale(b *testing.B) {
	for _, n := range []int{10, 100, 1000} {
		for _, mode := range benchModes {
			b.Run(fmt.Sprintf("creators=%d/%s", n, mode), func(b *testing.B) {
				for b.Loop() {
					r := newScaleRun(b, mode)
					browser := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: benchWorkers}}
					var ready atomic.Int64
					start := time.Now()
					runCreators(b, n, func(ctx context.Context, _ int) error {
						id, err := r.connect(ctx, browser)
						if err != nil {
							return err
						}
						in, err := r.c.Insights.GetAndWait(ctx, firstparty.GetInsightsParams{CreatorID: id}, r.srv.PollOptions()...)
						if err != nil {
							return err
						}
						if !in.Ready() {
							return fmt.Errorf("creator %s: not ready", id)
						}
						ready.Add(1)
						return nil
					})
					elapsed := time.Since(start)
					other := r.stop()
					if got := r.srv.CreatorCount(); got != n || ready.Load() != int64(n) {
						b.Fatalf("%d creators verified, %d waits answered; want %d", got, ready.Load(), n)
					}
					b.ReportMetric(float64(r.ct.insights.Load())/float64(n), "insights-reads/creator")
					r.report(b, n, elapsed, other)
					browser.CloseIdleConnections()
					r.close()
				}
			})
		}
	}
}
