package firstparty_test

import (
	"encoding/json"
	"net/url"
	"testing"
	"time"

	"github.com/creatorkit/creatorkit-go/firstparty"
	"github.com/creatorkit/creatorkit-go/firstparty/firstpartytest"
)

// BenchmarkConsentFlow runs the whole flow (start, connect page, callback,
// verify, one insights read) on the fake and reports the API requests it
// costs: 3 (create URL, verify, insights), plus the connect page the
// creator's browser loads.
func BenchmarkConsentFlow(b *testing.B) {
	srv := firstpartytest.NewServer(firstpartytest.WithInsightsDelay(0))
	defer srv.Close()
	c, err := srv.NewClient()
	if err != nil {
		b.Fatal(err)
	}
	flow, err := firstparty.NewConnectFlow(c, firstparty.ConnectConfig{RedirectURL: "https://app.example.com/callback"})
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		v, err := flow.Start(ctx, firstparty.StartParams{Platform: firstparty.Instagram})
		if err != nil {
			b.Fatal(err)
		}
		loc, err := srv.Connect(v.RedirectURL)
		if err != nil {
			b.Fatal(err)
		}
		u, _ := url.Parse(loc)
		res, err := flow.Complete(ctx, firstparty.CallbackParams{State: u.Query().Get("state"), Token: u.Query().Get("token")})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := c.Insights.Get(ctx, firstparty.GetInsightsParams{CreatorID: res.Creator.CreatorID}); err != nil {
			b.Fatal(err)
		}
	}
	snap := srv.Snapshot()
	api := snap.TotalRequests() - snap.Requests[firstpartytest.RouteConnect]
	b.ReportMetric(float64(api)/float64(b.N), "api-requests/op")
	b.ReportMetric(float64(snap.Requests[firstpartytest.RouteConnect])/float64(b.N), "connect-pages/op")
}

// BenchmarkWaitPolls reports how many insights reads GetAndWait spends on a
// creator whose insights take one (virtual) minute, with the fake's
// Retry-After hint; the creator_insights_1p webhook costs none.
func BenchmarkWaitPolls(b *testing.B) {
	srv := firstpartytest.NewServer(firstpartytest.WithTimeScale(0.001))
	defer srv.Close()
	c, err := srv.NewClient()
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		st := firstparty.NewState()
		v, err := c.Verification.CreateURL(ctx, firstparty.CreateVerificationURLParams{Platform: firstparty.Instagram, RedirectURL: "https://app.example.com/cb", State: st})
		if err != nil {
			b.Fatal(err)
		}
		loc, err := srv.Connect(v.RedirectURL)
		if err != nil {
			b.Fatal(err)
		}
		u, _ := url.Parse(loc)
		ver, err := c.Verification.Verify(ctx, firstparty.VerifyCreatorParams{State: st, Token: u.Query().Get("token")})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := c.Insights.GetAndWait(ctx, firstparty.GetInsightsParams{CreatorID: ver.CreatorID}, firstparty.WithPollInterval(srv.Scale(5*time.Second), srv.Scale(time.Minute))); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(srv.Snapshot().Requests[firstpartytest.RouteInsights])/float64(b.N), "polls/op")
}

// BenchmarkDecodeInsights decodes the documentation's full sample body.
func BenchmarkDecodeInsights(b *testing.B) {
	body := firstpartytest.SampleInsights()
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		var in firstparty.Insights
		if err := json.Unmarshal(body, &in); err != nil {
			b.Fatal(err)
		}
	}
}
