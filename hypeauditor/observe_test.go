package hypeauditor_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/creatorkit/creatorkit-go"
	"github.com/creatorkit/creatorkit-go/hypeauditor"
	"github.com/creatorkit/creatorkit-go/hypeauditor/hypeauditortest"
	"github.com/creatorkit/creatorkit-go/internal/vendortest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// An observer on the fake sees every call and every attempt, on both
// roots: each request the fake received is one attempt, each call and
// wait ends once, a wait counts its checks as polls (and its checks are
// calls of their own), and every route is a method name or a path
// template. No event carries an account, an id, a query value or a
// credential.
func TestObserverSeesEveryCallAndNoValue(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		rec := &vendortest.Recorder{}
		srv, _ := newFake(t)
		// A few faults, so that some calls take more than one attempt.
		srv.SetFaults(hypeauditortest.Faults{Routes: []string{hypeauditortest.RoutePlanInfo}, ErrorRate: map[int]float64{503: 0.5}})
		c, err := srv.NewClient(hypeauditor.WithObserver(rec))
		require.NoError(t, err)
		ctx := testCtx(t)

		var values []string // what the calls send: none may reach an event
		use := func(v ...string) { values = append(values, v...) }

		use("natgeo_wild")
		r, err := c.Reports.InstagramAndWait(ctx, hypeauditor.InstagramParams{Username: "natgeo_wild"}, srv.PollOptions()...)
		require.NoError(t, err)
		require.True(t, r.Ready())
		igChecks := srv.Snapshot().Requests[hypeauditortest.RouteReport]

		conns, err := c.Connections.Get(ctx, hypeauditor.ConnectionsParams{Username: "nasa", Type: hypeauditor.Instagram})
		require.NoError(t, err)
		use("nasa")
		for _, a := range conns.Accounts {
			use(string(a.SocialID))
		}
		tt, err := c.Reports.TikTokAndWait(ctx, hypeauditor.TikTokParams{UserID: "6557821753438371845"}, srv.PollOptions()...)
		require.NoError(t, err)
		use("6557821753438371845", tt.Report.Basic.Username)
		_, err = c.Reports.PDFAndWait(ctx, hypeauditor.PDFParams{Platform: hypeauditor.YouTube, Account: "UCLA_DiR1FfKNvjuUpBHmylQ"}, srv.PollOptions()...)
		require.NoError(t, err)
		use("UCLA_DiR1FfKNvjuUpBHmylQ")
		for range 3 {
			_, err = c.Account.PlanInfo(ctx)
			require.NoError(t, err)
		}
		pages := 0
		for _, err := range c.Discovery.SearchAll(ctx, hypeauditor.SearchParams{Platform: hypeauditor.TikTok, Search: []string{"cooking tips"}}, hypeauditor.WithMaxPages(2),
			hypeauditor.WithPageFunc(func(*hypeauditor.SearchPage) { pages++ })) {
			require.NoError(t, err)
		}
		use("cooking tips", "cooking")
		a, err := c.MarketAnalysis.CreateAndWait(ctx, hypeauditor.CompetitorAnalysisParams{Username: "gucci_brand", DateFrom: "2022-08-14", DateTo: "2022-09-13"}, srv.PollOptions()...)
		require.NoError(t, err)
		use("gucci_brand", "2022-08-14", "2022-09-13", a.ReportID())
		_, err = c.MarketAnalysis.Get(ctx, hypeauditor.CompetitorAnalysisIDParams{ReportID: a.ReportID()})
		require.NoError(t, err)
		// A wait that ends first is observed too, with its error's kind.
		use("slow_one")
		_, err = c.Reports.SnapchatAndWait(timeout(t, 45*time.Second), hypeauditor.ChannelParams{Channel: "slow_one"}, srv.PollOptions()...)
		require.ErrorIs(t, err, context.DeadlineExceeded)

		starts, attempts, calls := len(rec.Starts()), len(rec.Attempts()), len(rec.Ends())
		snap := srv.Snapshot()
		assert.Equal(t, snap.TotalRequests(), attempts, "one attempt event per request the fake received")
		assert.Equal(t, starts, calls, "every call that started ended")
		assert.Positive(t, snap.Count(503), "some attempts failed and were retried")

		// The waits: one call each, its checks counted as polls, the
		// checks' own calls made inside it.
		ig := rec.Calls("Reports.InstagramAndWait")
		require.Len(t, ig, igChecks+1, "the wait, and each of its checks as a call named after it")
		var wait, checks []creatorkit.CallEvent
		for _, e := range ig {
			if e.Method == "" {
				wait = append(wait, e)
			} else {
				checks = append(checks, e)
			}
		}
		require.Len(t, wait, 1)
		require.Len(t, checks, igChecks)
		assert.Equal(t, "auditor.report", checks[0].Route)
		assert.Equal(t, int64(1), checks[0].SpentUnknown, "the first check may unlock the report")
		assert.Equal(t, igChecks, wait[0].Polls, "polls are the wait's checks")
		assert.Empty(t, wait[0].ErrorKind)
		for _, op := range []string{"Reports.TikTokAndWait", "Reports.PDFAndWait", "MarketAnalysis.CreateAndWait"} {
			var waits int
			for _, e := range rec.Calls(op) {
				if e.Method == "" {
					waits++
					assert.Positive(t, e.Polls, op)
				}
			}
			assert.Equal(t, 1, waits, op)
		}
		slow := rec.Calls("Reports.SnapchatAndWait")
		require.NotEmpty(t, slow)
		assert.Equal(t, "deadline_exceeded", slow[len(slow)-1].ErrorKind, "the wait that ended first")
		assert.Equal(t, 2, slow[len(slow)-1].Polls, "checks at 0 and 30 s; the next would pass the 45 s deadline")

		// Routes: method names and templates only.
		routes := map[string]bool{}
		for _, s := range rec.Starts() {
			routes[s.Route] = true
		}
		for r := range routes {
			switch {
			case r == "":
				// a wait: named by its operation
			case strings.HasPrefix(r, "auditor."):
			case slices.Contains([]string{"instagramCompetitorAnalysis", "instagramCompetitorAnalysis/{report_id}"}, r):
			default:
				t.Errorf("unexpected route %q", r)
			}
		}
		for _, want := range []string{"auditor.report", "auditor.tiktokByUserId", "auditor.youtubePdf", "auditor.planInfo", "auditor.search",
			"auditor.reportConnections", "instagramCompetitorAnalysis", "instagramCompetitorAnalysis/{report_id}"} {
			assert.True(t, routes[want], "route %s observed", want)
		}

		// No value the calls sent, no id that came back, no credential.
		values = append(values, srv.ClientID, srv.Token)
		texts := map[string]string{}
		vendortest.Walk(rec.Starts(), func(p, s string) { texts["starts"+p] = s })
		vendortest.Walk(rec.Attempts(), func(p, s string) { texts["attempts"+p] = s })
		vendortest.Walk(rec.Ends(), func(p, s string) { texts["calls"+p] = s })
		require.NotEmpty(t, texts)
		for where, text := range texts {
			for _, v := range values {
				if v != "" && strings.Contains(text, v) {
					t.Errorf("%s holds %q: %q", where, v, text)
				}
			}
			for _, secret := range []string{srv.ClientID, srv.Token} {
				assert.False(t, vendortest.Holds(text, secret), "%s holds a credential", where)
			}
		}
		t.Logf("%d calls (%d routes), %d attempts, %d strings checked against %d values", calls, len(routes), attempts, len(texts), len(values))
	})
}
