package infludata_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/creatorkit/creatorkit-go/infludata"
	"github.com/creatorkit/creatorkit-go/infludata/infludatatest"
	"github.com/creatorkit/creatorkit-go/internal/vendortest"
)

// The main-job benchmarks run each job at 1x, 10x and 100x the size the
// package's tests and earlier benchmarks use (GetAndWaitAll 50 creators,
// Enrichment.Add 230 usernames, SearchAll 100 creators, a content pull of
// 130 items), in three conditions:
//
//   - alone: the job's client alone on the key;
//   - beside: another job on the same key (a second client, paced like
//     any SDK client, whose 4 workers call checkDataStatus as fast as their
//     pacing lets them), so the key's windows are asked for about twice
//     what they hold;
//   - faults: the fake answers 5% of requests with 429, 5% with 500 and 5%
//     with 503 (enrichment, a free call, also loses 5% of connections
//     before and 5% after the server acted).
//
// The fake runs a production key (25 a second, 1,000 a minute) on a 1:50
// time scale (a minute lasts 1.2 s), so the limit, not the machine, is
// what a run waits for. Each run fails unless every item comes back
// exactly once and no paid answer was bought twice or lost. Reported:
//
//   - requests/item: the job client's own requests per item delivered;
//   - tokens/item: tokens the client spent per item (GetAndWaitAll 20, a
//     discovery page 1 per 20 creators, content 1 per item; enrichment is
//     free);
//   - 429s: 429 answers the job's client received;
//   - wall/at-limit: wall time over the time the client's requests need at
//     the key's long-run limit (1,000 a minute, scaled);
//   - other-requests: what the other job sent meanwhile (beside only).
//
// Run one job at all sizes and conditions (each 100x run stays under two
// minutes):
//
//	go test -run '^$' -bench 'BenchmarkJob/audience' -benchtime 1x -timeout 30m ./infludata/
//	go test -run '^$' -bench 'BenchmarkJob' -benchtime 1x -timeout 60m ./infludata/
func BenchmarkJob(b *testing.B) {
	jobs := []struct {
		name string
		base int
		run  func(b *testing.B, n int, mode string)
	}{
		{"audience", 50, benchAudience},
		{"enrich", 230, benchEnrich},
		{"search", 100, benchSearch},
		{"content", 130, benchContent},
	}
	for _, job := range jobs {
		for _, x := range []int{1, 10, 100} {
			for _, mode := range []string{"alone", "beside", "faults"} {
				n := job.base * x
				b.Run(fmt.Sprintf("%s/n=%d/%s", job.name, n, mode), func(b *testing.B) {
					for b.Loop() {
						job.run(b, n, mode)
					}
				})
			}
		}
	}
}

const benchScale = 0.02

// benchFault is the misbehaving fake's fault set.
var benchFault = infludatatest.Faults{ErrorRate: map[int]float64{429: 0.05, 500: 0.05, 503: 0.05}}

// jobRun is one benchmark run: a fake, the job's counted client and, in
// the beside mode, the other job.
type jobRun struct {
	b     *testing.B
	srv   *infludatatest.Server
	c     *infludata.Client
	ct    *vendortest.Counting
	stop  func() int64
	start time.Time
	mode  string
}

func newJobRun(b *testing.B, mode string, opts ...infludatatest.Option) *jobRun {
	opts = append([]infludatatest.Option{infludatatest.WithTimeScale(benchScale), infludatatest.WithTokens(1 << 30),
		infludatatest.WithSeed(5), infludatatest.WithDelays(infludatatest.Delays{Enrich: time.Minute, Audience: time.Minute})}, opts...)
	srv := infludatatest.NewServer(opts...)
	b.Cleanup(srv.Close)
	r := &jobRun{b: b, srv: srv, mode: mode}
	r.c, r.ct = countedClient(b, srv)
	switch mode {
	case "beside":
		r.stop = otherJob(b, srv, 4)
	case "faults":
		srv.SetFaults(benchFault)
	}
	r.start = time.Now()
	return r
}

// dropFree adds dropped connections (before and after the server acted)
// to the faults of the free enrichment route, the only one its job uses.
func (r *jobRun) dropFree() {
	if r.mode == "faults" {
		r.srv.SetFaults(infludatatest.Faults{ErrorRate: benchFault.ErrorRate, DropRate: 0.05, DropAfterRate: 0.05,
			Routes: []string{infludatatest.RouteBulkEnrich}})
	}
}

func (r *jobRun) report(items int) {
	b := r.b
	elapsed := time.Since(r.start)
	if r.stop != nil {
		b.ReportMetric(float64(r.stop()), "other-requests")
	}
	reqs := r.ct.Requests.Load()
	atLimit := time.Duration(float64(reqs) / 1000 * float64(r.srv.Scale(time.Minute)))
	b.ReportMetric(float64(reqs)/float64(items), "requests/item")
	b.ReportMetric(float64(r.c.Usage().Spent)/float64(items), "tokens/item")
	b.ReportMetric(float64(r.ct.TooMany.Load()), "429s")
	b.ReportMetric(float64(elapsed)/float64(atLimit), "wall/at-limit")
}

func benchCtx(b *testing.B) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	b.Cleanup(cancel)
	return ctx
}

// benchAudience: GetAndWaitAll over n Instagram creators, a fifth of them
// still analysing their audience for 1 to 3 virtual minutes.
func benchAudience(b *testing.B, n int, mode string) {
	var creators []infludatatest.Creator
	refs := make([]infludata.GetProfileParams, n)
	for i := range refs {
		cr := infludatatest.Creator{Platform: infludata.Instagram, Username: fmt.Sprintf("aud_%05d", i), Posts: -1}
		if i%5 == 0 {
			cr.AudienceIn = time.Minute + time.Duration(i%120)*time.Second
		}
		creators = append(creators, cr)
		refs[i] = audienceOf(cr.Platform, cr.Username)
	}
	r := newJobRun(b, mode, infludatatest.WithCreators(creators...))
	seen := map[string]bool{}
	for a, err := range r.c.Profiles.GetAndWaitAll(benchCtx(b), refs, r.srv.PollOptions()...) {
		if err != nil {
			b.Fatal(err)
		}
		if seen[a.Value.Username] {
			b.Fatalf("%s yielded twice", a.Value.Username)
		}
		seen[a.Value.Username] = true
	}
	snap := r.srv.Snapshot()
	if len(seen) != n || snap.Statuses[infludatatest.RouteUserData][http.StatusOK] != n || snap.Credits[infludatatest.RouteUserData] != int64(20*n) {
		b.Fatalf("%d of %d reports, %d paid answers, %d tokens", len(seen), n, snap.Statuses[infludatatest.RouteUserData][http.StatusOK], snap.Credits[infludatatest.RouteUserData])
	}
	r.report(n)
}

// benchEnrich: Enrichment.Add of n new usernames, in calls of 100.
func benchEnrich(b *testing.B, n int, mode string) {
	r := newJobRun(b, mode)
	r.dropFree()
	usernames := names("bulk_", n)
	res, err := r.c.Enrichment.Add(benchCtx(b), infludata.EnrichParams{Platform: infludata.Instagram, Usernames: usernames})
	if err != nil {
		b.Fatal(err)
	}
	seen := map[string]bool{}
	for _, p := range res.Processed {
		if seen[p.Identifier] {
			b.Fatalf("%s processed twice", p.Identifier)
		}
		seen[p.Identifier] = true
	}
	if len(seen) != n || len(res.Failed) != 0 {
		b.Fatalf("%d of %d processed, %d failed", len(seen), n, len(res.Failed))
	}
	r.report(n)
}

// benchSearch: SearchAll over about n Instagram creators (n added to the
// fake's own), every page to the end.
func benchSearch(b *testing.B, n int, mode string) {
	extra := max(n-100, 0)
	creators := make([]infludatatest.Creator, extra)
	for i := range creators {
		creators[i] = infludatatest.Creator{Platform: infludata.Instagram, Username: fmt.Sprintf("disc_%05d", i), Posts: -1}
	}
	r := newJobRun(b, mode, infludatatest.WithCreators(creators...))
	seen := map[string]bool{}
	for cr, err := range r.c.Discovery.SearchAll(benchCtx(b), infludata.SearchParams{Platform: infludata.Instagram}, infludata.WithMaxPages(-1)) {
		if err != nil {
			b.Fatal(err)
		}
		if seen[cr.ID] {
			b.Fatalf("%s yielded twice", cr.ID)
		}
		seen[cr.ID] = true
	}
	snap := r.srv.Snapshot()
	pages := (len(seen) + infludata.SearchPageSize - 1) / infludata.SearchPageSize
	if len(seen) < n || snap.Statuses[infludatatest.RouteDiscovery][http.StatusOK] != pages || snap.Credits[infludatatest.RouteDiscovery] != int64(pages) {
		b.Fatalf("%d creators (want at least %d), %d pages answered, %d tokens, want %d", len(seen), n, snap.Statuses[infludatatest.RouteDiscovery][http.StatusOK], snap.Credits[infludatatest.RouteDiscovery], pages)
	}
	r.report(len(seen))
}

// benchContent: a content pull of exactly n items in pages of 100.
func benchContent(b *testing.B, n int, mode string) {
	var creators []infludatatest.Creator
	for i := 0; i < n/40+1; i++ {
		creators = append(creators, infludatatest.Creator{Platform: infludata.Instagram, Username: fmt.Sprintf("cont_%05d", i), Posts: 40})
	}
	r := newJobRun(b, mode, infludatatest.WithCreators(creators...))
	pull := r.c.Content.Pull(infludata.ContentParams{Platforms: []infludata.Platform{infludata.Instagram, infludata.TikTok, infludata.YouTube}, FollowerMin: 1, Limit: 100},
		infludata.WithMaxItems(n))
	seen := map[string]bool{}
	for it, err := range pull.All(benchCtx(b)) {
		if err != nil {
			b.Fatal(err)
		}
		if seen[it.ID] {
			b.Fatalf("%s yielded twice", it.ID)
		}
		seen[it.ID] = true
	}
	snap := r.srv.Snapshot()
	if len(seen) != n || snap.Credits[infludatatest.RouteContent] != int64(n) || snap.Statuses[infludatatest.RouteContent][http.StatusOK] != pull.Stats().Pages {
		b.Fatalf("%d of %d items, %d tokens, %d pages answered for %d fetched", len(seen), n, snap.Credits[infludatatest.RouteContent],
			snap.Statuses[infludatatest.RouteContent][http.StatusOK], pull.Stats().Pages)
	}
	r.report(n)
}
