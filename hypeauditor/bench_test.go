package hypeauditor_test

import (
	"context"
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/creatorkit/creatorkit-go/hypeauditor"
	"github.com/creatorkit/creatorkit-go/hypeauditor/hypeauditortest"
	"golang.org/x/time/rate"
)

// BenchmarkReportWait measures what waiting for a report costs: for a
// report that takes T to generate while HypeAuditor answers retryTtl R,
// the requests made must be at most ceil(T/R)+1 (one that starts the
// generation, then one per retryTtl). It reports requests/op, the bound,
// and the worst case seen over all ops (max-requests).
//
//	go test -run '^$' -bench ReportWait ./hypeauditor/
func BenchmarkReportWait(b *testing.B) {
	for _, tc := range []struct{ gen, ttl time.Duration }{
		{100 * time.Second, 30 * time.Second},
		{90 * time.Second, 30 * time.Second},
		{60 * time.Second, 7 * time.Second},
		{300 * time.Second, 60 * time.Second},
	} {
		b.Run(fmt.Sprintf("T=%s/R=%s", tc.gen, tc.ttl), func(b *testing.B) {
			srv := hypeauditortest.NewServer(hypeauditortest.WithTimeScale(0.001),
				hypeauditortest.WithGeneration(tc.gen), hypeauditortest.WithRetryTTL(tc.ttl), hypeauditortest.WithCredits(1<<20))
			defer srv.Close()
			c, err := srv.NewClient()
			if err != nil {
				b.Fatal(err)
			}
			bound := math.Ceil(float64(tc.gen)/float64(tc.ttl)) + 1
			worst := 0
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				before := srv.Snapshot().Requests[hypeauditortest.RouteTikTok]
				ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
				r, err := c.Reports.TikTokAndWait(ctx, hypeauditor.TikTokParams{Channel: fmt.Sprintf("bench_%d", i)}, srv.PollOptions()...)
				cancel()
				if err != nil || !r.Ready() {
					b.Fatalf("wait: %v", err)
				}
				worst = max(worst, srv.Snapshot().Requests[hypeauditortest.RouteTikTok]-before)
			}
			b.StopTimer()
			total := srv.Snapshot().Requests[hypeauditortest.RouteTikTok]
			b.ReportMetric(float64(total)/float64(b.N), "requests/op")
			b.ReportMetric(bound, "bound")
			b.ReportMetric(float64(worst), "max-requests")
			if float64(worst) > bound {
				b.Errorf("a wait made %d requests, over the bound ceil(T/R)+1 = %.0f", worst, bound)
			}
		})
	}
}

// SearchAll over every page of a search (20 results a page), through the
// client and HTTP, at 137, 1,370 and 13,700 results: the time per page
// must stay flat (the fake makes its results once, not per page).
func BenchmarkSearchAllPages(b *testing.B) {
	for _, n := range []int{137, 1370, 13700} {
		b.Run(fmt.Sprintf("results=%d", n), func(b *testing.B) {
			srv := hypeauditortest.NewServer(hypeauditortest.WithRateLimit(0, 0), hypeauditortest.WithDiscoveryRequests(1<<40), hypeauditortest.WithSearchResults(n))
			defer srv.Close()
			c, err := srv.NewClient(hypeauditor.WithRateLimit(rate.Inf, 0))
			if err != nil {
				b.Fatal(err)
			}
			pages := (n + hypeauditor.SearchPageSize - 1) / hypeauditor.SearchPageSize
			ctx := context.Background()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				got := 0
				for _, err := range c.Discovery.SearchAll(ctx, hypeauditor.SearchParams{SocialNetwork: hypeauditor.NetworkInstagram}, hypeauditor.WithMaxPages(pages)) {
					if err != nil {
						b.Fatal(err)
					}
					got++
				}
				if got != n {
					b.Fatalf("%d results, want %d", got, n)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(pages), "ns/page")
		})
	}
}
