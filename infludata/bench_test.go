package infludata_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/creatorkit/creatorkit-go/infludata"
	"github.com/creatorkit/creatorkit-go/infludata/infludatatest"
)

// audienceFake is a fake holding 50 creators whose audience data is ready
// for 30 and still being analysed for 20 (2 to 4 virtual minutes; the
// real analysis takes hours, which only widens the gap measured here).
func audienceFake(b *testing.B) (*infludatatest.Server, []infludata.GetProfileParams) {
	var creators []infludatatest.Creator
	var refs []infludata.GetProfileParams
	for i := 0; i < 50; i++ {
		c := infludatatest.Creator{Platform: infludata.Instagram, Username: fmt.Sprintf("bench_%02d", i)}
		if i%5 < 2 { // 20 of 50
			c.AudienceIn = 2*time.Minute + time.Duration(i%20)*25*time.Second
		}
		creators = append(creators, c)
		refs = append(refs, audienceOf(c.Platform, c.Username))
	}
	srv := infludatatest.NewServer(infludatatest.WithTimeScale(0.001), infludatatest.WithTokens(1_000_000), infludatatest.WithCreators(creators...))
	return srv, refs
}

// naiveAudience is what a client without checkDataStatus does: it polls
// getUserData with the audience report on the same schedule until each
// creator answers 200, paying a token for every 202.
func naiveAudience(ctx context.Context, c *infludata.Client, refs []infludata.GetProfileParams, initial, maxWait time.Duration) error {
	pending := refs
	wait := initial
	for len(pending) > 0 {
		var still []infludata.GetProfileParams
		for _, r := range pending {
			p, err := c.Profiles.Get(ctx, infludata.GetProfileParams{Platform: r.Platform, Username: r.Username, IncludeAudienceReport: true})
			if err != nil {
				return err
			}
			if !p.Ready() {
				still = append(still, r)
			}
		}
		pending = still
		if len(pending) > 0 {
			time.Sleep(wait)
			wait = min(wait*3/2, maxWait)
		}
	}
	return nil
}

// BenchmarkAudienceReports50 gets audience reports for 50 creators, 20
// of them still processing, with GetAndWaitAll (free status polls, one paid
// call each) and with the naive loop (polling the paid call), on two
// identical fakes in the same run. The helper must spend exactly 1,000
// tokens, the minimum.
func BenchmarkAudienceReports50(b *testing.B) {
	var helperTokens, naiveTokens int64
	var helperPaid, naivePaid, helperFree int
	for i := 0; i < b.N; i++ {
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		srv, refs := audienceFake(b)
		c, err := srv.NewClient()
		if err != nil {
			b.Fatal(err)
		}
		n := 0
		for _, err := range c.Profiles.GetAndWaitAll(ctx, refs, srv.PollOptions()...) {
			if err != nil {
				b.Fatal(err)
			}
			n++
		}
		snap := srv.Snapshot()
		srv.Close()
		if n != 50 || snap.TotalCredits() != 1000 {
			b.Fatalf("helper: %d reports for %d tokens, want 50 for exactly 1000", n, snap.TotalCredits())
		}
		helperTokens += snap.TotalCredits()
		helperPaid += snap.Requests[infludatatest.RouteUserData]
		helperFree += snap.Requests[infludatatest.RouteDataStatus]

		srv, refs = audienceFake(b)
		c, _ = srv.NewClient()
		if err := naiveAudience(ctx, c, refs, srv.Scale(10*time.Second)+time.Millisecond, srv.Scale(2*time.Minute)+time.Millisecond); err != nil {
			b.Fatal(err)
		}
		snap = srv.Snapshot()
		srv.Close()
		cancel()
		naiveTokens += snap.TotalCredits()
		naivePaid += snap.Requests[infludatatest.RouteUserData]
	}
	n := float64(b.N)
	b.ReportMetric(float64(helperTokens)/n, "helper-tokens/op")
	b.ReportMetric(float64(naiveTokens)/n, "naive-tokens/op")
	b.ReportMetric(float64(helperPaid)/n, "helper-paid-calls/op")
	b.ReportMetric(float64(naivePaid)/n, "naive-paid-calls/op")
	b.ReportMetric(float64(helperFree)/n, "helper-free-calls/op")
	b.ReportMetric(float64(naiveTokens)/float64(helperTokens), "naive/helper-tokens")
}

// BenchmarkSearchAllPages consumes 45 creators: discovery pages fetched
// (1 token each) must equal the pages the loop reached, 3.
func BenchmarkSearchAllPages(b *testing.B) {
	srv := infludatatest.NewServer(infludatatest.WithRateLimit(false))
	defer srv.Close()
	c, _ := srv.NewClient()
	const consume = 45
	for i := 0; i < b.N; i++ {
		before := srv.Snapshot().Requests[infludatatest.RouteDiscovery]
		n := 0
		for _, err := range c.Discovery.SearchAll(context.Background(), infludata.SearchParams{Platform: infludata.Instagram}, infludata.WithMaxPages(-1)) {
			if err != nil {
				b.Fatal(err)
			}
			if n++; n == consume {
				break
			}
		}
		fetched := srv.Snapshot().Requests[infludatatest.RouteDiscovery] - before
		if want := (consume + 19) / 20; fetched != want {
			b.Fatalf("fetched %d pages for %d creators, want %d", fetched, consume, want)
		}
	}
	snap := srv.Snapshot()
	b.ReportMetric(float64(snap.Requests[infludatatest.RouteDiscovery])/float64(b.N), "pages-fetched/op")
	b.ReportMetric(float64((consume+19)/20), "pages-consumed/op")
	b.ReportMetric(float64(snap.Credits[infludatatest.RouteDiscovery])/float64(b.N), "tokens/op")
}

// BenchmarkContentAllTokens pulls 130 items with an item cap in pages of
// 100: tokens charged must equal items consumed (the last page asks for
// 30, not 100).
func BenchmarkContentAllTokens(b *testing.B) {
	srv := infludatatest.NewServer(infludatatest.WithRateLimit(false), infludatatest.WithTokens(1<<30))
	defer srv.Close()
	c, _ := srv.NewClient()
	const itemCap = 130
	p := infludata.ContentParams{Platforms: []infludata.Platform{infludata.Instagram, infludata.TikTok, infludata.YouTube}, FollowerMin: 1, Limit: 100}
	for i := 0; i < b.N; i++ {
		before := srv.Snapshot().Credits[infludatatest.RouteContent]
		n := 0
		for _, err := range c.Content.ContentAll(context.Background(), p, infludata.WithMaxItems(itemCap)) {
			if err != nil {
				b.Fatal(err)
			}
			n++
		}
		if paid := srv.Snapshot().Credits[infludatatest.RouteContent] - before; paid != int64(n) || n != itemCap {
			b.Fatalf("consumed %d items, paid %d tokens, want %d and %d", n, paid, itemCap, itemCap)
		}
	}
	snap := srv.Snapshot()
	b.ReportMetric(float64(snap.Credits[infludatatest.RouteContent])/float64(b.N), "tokens/op")
	b.ReportMetric(itemCap, "items-consumed/op")
	b.ReportMetric(float64(snap.Requests[infludatatest.RouteContent])/float64(b.N), "pages/op")
}
