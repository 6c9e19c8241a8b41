package creatoraudit_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/creatorkit/creatorkit-go/creatoraudit"
	"github.com/creatorkit/creatorkit-go/creatoraudit/creatoraudittest"
)

func seeded(b *testing.B, n int, opts ...creatoraudittest.Option) (*creatoraudittest.Server, *creatoraudit.Client, []string) {
	srv, c := fastFake(b, append([]creatoraudittest.Option{creatoraudittest.WithRateLimit(0, 0)}, opts...)...)
	names := make([]string, n)
	for i := range names {
		names[i] = fmt.Sprintf("creator%04d", i)
	}
	return srv, c, srv.AddAccounts(creatoraudit.Instagram, names...)
}

// Batch metrics for 1,000 ids take ceil(1000/200) = 5 requests.
func BenchmarkBatchMetrics1000(b *testing.B) {
	srv, c, ids := seeded(b, 1000)
	ctx := context.Background()
	before := srv.Snapshot().Requests[creatoraudittest.RouteAccountsMetrics]
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		m, err := c.Accounts.Metrics(ctx, creatoraudit.MetricsParams{IDs: ids, Period: creatoraudit.Period30d})
		if err != nil || len(m.ByID) != 1000 {
			b.Fatalf("metrics: %v (%d ids)", err, len(m.ByID))
		}
	}
	b.StopTimer()
	reqs := srv.Snapshot().Requests[creatoraudittest.RouteAccountsMetrics] - before
	b.ReportMetric(float64(reqs)/float64(b.N), "requests/op")
	b.ReportMetric(1000, "ids/op")
}

// ListAll over 1,000 accounts at limit 200 takes 5 requests.
func BenchmarkListAll1000(b *testing.B) {
	srv, c, _ := seeded(b, 1000)
	ctx := context.Background()
	before := srv.Snapshot().Requests[creatoraudittest.RouteAccountsList]
	b.ResetTimer()
	items := 0
	for i := 0; i < b.N; i++ {
		for _, err := range c.Accounts.ListAll(ctx, creatoraudit.ListAccountsParams{Limit: 200}) {
			if err != nil {
				b.Fatal(err)
			}
			items++
		}
	}
	b.StopTimer()
	reqs := srv.Snapshot().Requests[creatoraudittest.RouteAccountsList] - before
	b.ReportMetric(float64(reqs)/float64(b.N), "requests/op")
	b.ReportMetric(float64(items)/float64(b.N), "accounts/op")
}

// A create retried after a dropped connection (the server acted, the
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
	// Requests are counted by the server: the SDK's retries plus the ones
	// net/http itself makes for requests carrying an Idempotency-Key.
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
