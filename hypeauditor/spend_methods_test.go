package hypeauditor_test

import (
	"fmt"
	"net/http"
	"testing"
	"testing/synctest"
	"time"

	"github.com/creatorkit/creatorkit-go/hypeauditor"
	"github.com/creatorkit/creatorkit-go/hypeauditor/hypeauditortest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The spend of the methods beside the reports: metrics histories and PDF
// exports (report credits, like a report request of the same account),
// keyword post search (discovery queries), the free reads, and market
// analysis (sent once, no unit). The report-like calls are also in
// paidCalls, so TestPaidReportRequestIsNeverResent and TestLedgerMatrix
// cover them.

// A keyword post search whose answer is lost after HypeAuditor charged it
// is never sent again, on a reused and on a fresh connection: charged
// once, one request, ErrOutcomeUnknown, one unknown discovery query held
// in the discovery budget; with the budget full the next search is
// refused and nothing is sent.
func TestKeywordPostSearchIsNeverResent(t *testing.T) {
	t.Parallel()
	for _, reused := range []bool{true, false} {
		t.Run(map[bool]string{true: "reused connection", false: "fresh connection"}[reused], func(t *testing.T) {
			t.Parallel()
			synctest.Test(t, func(t *testing.T) {
				srv := hypeauditortest.NewServer(hypeauditortest.WithVirtualTime())
				t.Cleanup(srv.Close)
				qb := hypeauditor.NewBudget(1)
				c, rec := connClient(t, srv, reused, hypeauditortest.RouteKeywordsPosts, hypeauditor.WithDiscoveryBudget(qb))
				ctx := testCtx(t)
				if reused { // warm a keep-alive connection with a free call
					_, err := c.Account.PlanInfo(ctx)
					require.NoError(t, err)
				}
				p := hypeauditor.KeywordPostsParams{Platform: hypeauditor.Instagram, ContentIDs: []string{"7001"}}
				srv.SetFaults(hypeauditortest.Faults{Routes: []string{hypeauditortest.RouteKeywordsPosts}, DropAfterRate: 1})
				_, err := c.Discovery.SearchKeywordsPosts(ctx, p)
				require.ErrorIs(t, err, hypeauditor.ErrOutcomeUnknown)
				assert.Equal(t, []bool{reused}, rec.reused, "one request, on the connection the case is about")
				snap := srv.Snapshot()
				assert.EqualValues(t, 1, snap.Credits[hypeauditortest.RouteKeywordsPosts], "charged once")
				assert.Equal(t, 1, snap.Requests[hypeauditortest.RouteKeywordsPosts], "arrived once")
				assert.Equal(t, 999, srv.DiscoveryRequests())
				u := c.Usage()
				op := u.Operations["Discovery.SearchKeywordsPosts"]
				assert.Equal(t, hypeauditor.UnitDiscoveryQueries, op.Unit)
				assert.Equal(t, [3]int64{1, 0, 1}, [3]int64{op.Requests, op.Spent, op.SpentUnknown})
				assert.Zero(t, u.Spent+u.SpentUnknown, "no report credit")
				assert.NoError(t, brackets(op.Spent, op.SpentUnknown, snap.Credits[hypeauditortest.RouteKeywordsPosts]))
				assert.Equal(t, int64(1), qb.Used())

				srv.SetFaults(hypeauditortest.Faults{})
				_, err = c.Discovery.SearchKeywordsPosts(ctx, p)
				require.ErrorIs(t, err, hypeauditor.ErrBudgetExceeded)
				assert.Equal(t, 1, srv.Snapshot().Requests[hypeauditortest.RouteKeywordsPosts], "nothing sent")
				assert.Len(t, rec.reused, 1)
			})
		})
	}
}

// A keyword post search answered spends one discovery query, in its own
// operation and against WithDiscoveryBudget, never a report credit; one
// answered with a success status whose body the SDK cannot use was
// served, and is spent too.
func TestKeywordPostSearchSpendsADiscoveryQuery(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv, _ := newFake(t)
		qb := hypeauditor.NewBudget(2)
		c, err := srv.NewClient(hypeauditor.WithDiscoveryBudget(qb), hypeauditor.WithBudget(hypeauditor.NewBudget(0)))
		require.NoError(t, err)
		ctx := testCtx(t)
		kp, err := c.Discovery.SearchKeywordsPosts(ctx, hypeauditor.KeywordPostsParams{Platform: hypeauditor.TikTok, ContentIDs: []string{"7001", "7002"}})
		require.NoError(t, err)
		assert.Equal(t, hypeauditor.Int(999), *kp.QueriesLeft)
		u := c.Usage()
		spent, unknown := u.SpentIn(hypeauditor.UnitDiscoveryQueries)
		assert.Equal(t, [2]int64{1, 0}, [2]int64{spent, unknown})
		assert.Equal(t, int64(1), u.Operations["Discovery.SearchKeywordsPosts"].Spent)
		assert.Zero(t, u.Spent+u.SpentUnknown)
		assert.Equal(t, int64(1), qb.Used())
		assert.EqualValues(t, 1, srv.Snapshot().Credits[hypeauditortest.RouteKeywordsPosts])

		mc, mt := newMockClient(t, hypeauditor.WithDiscoveryBudget(qb))
		respond(mt, "GET", "auditor.searchKeywordsPosts", 200, `{"result":{"posts":["not","an","object"],"queries_left":998}}`)
		_, err = mc.Discovery.SearchKeywordsPosts(ctx, hypeauditor.KeywordPostsParams{Platform: hypeauditor.TikTok, ContentIDs: []string{"7003"}})
		require.ErrorIs(t, err, hypeauditor.ErrUnexpectedResponse)
		spent, unknown = mc.Usage().SpentIn(hypeauditor.UnitDiscoveryQueries)
		assert.Equal(t, [2]int64{1, 0}, [2]int64{spent, unknown}, "served, so charged")
		assert.Equal(t, int64(2), qb.Used())
		_, err = mc.Discovery.SearchKeywordsPosts(ctx, hypeauditor.KeywordPostsParams{Platform: hypeauditor.TikTok, ContentIDs: []string{"7004"}})
		require.ErrorIs(t, err, hypeauditor.ErrBudgetExceeded)
		assert.Equal(t, 1, mt.GetTotalCallCount(), "the refused search was not sent")
	})
}

// A metrics history or PDF export request for an account the client has
// not seen unlocked reserves one report credit: refused with
// ErrBudgetExceeded, nothing sent, when the budget cannot hold it. Once
// the client saw the report unlocked (by a report, a history or an
// export), a PDF export and a history of it are free and need no room;
// so are the reads beside a report, the taxonomy, the lists and
// planInfo, which never unlock anything.
func TestHistoryAndPDFBudget(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv, _ := newFake(t)
		b := hypeauditor.NewBudget(1)
		c, err := srv.NewClient(hypeauditor.WithBudget(b))
		require.NoError(t, err)
		ctx := testCtx(t)

		h, err := c.Reports.TikTokHistoryAndWait(ctx, hypeauditor.ChannelParams{Channel: "littlebig"}, srv.PollOptions()...)
		require.NoError(t, err)
		assert.True(t, h.Ready())
		u := c.Usage()
		assert.Equal(t, [2]int64{1, 0}, [2]int64{u.Spent, u.SpentUnknown}, "the history's validUntil places its unlock")
		assert.Equal(t, int64(1), u.Operations["Reports.TikTokHistoryAndWait"].Spent)
		assert.Equal(t, int64(1), b.Used())

		// New accounts: refused, nothing sent.
		_, err = c.Reports.PDF(ctx, hypeauditor.PDFParams{Platform: hypeauditor.Instagram, Account: "natgeo"})
		require.ErrorIs(t, err, hypeauditor.ErrBudgetExceeded)
		_, err = c.Reports.PDFAndWait(ctx, hypeauditor.PDFParams{Platform: hypeauditor.YouTube, Account: "UCLA_DiR1FfKNvjuUpBHmylQ"}, srv.PollOptions()...)
		require.ErrorIs(t, err, hypeauditor.ErrBudgetExceeded)
		_, err = c.Reports.InstagramHistory(ctx, hypeauditor.InstagramHistoryParams{Username: "natgeo"})
		require.ErrorIs(t, err, hypeauditor.ErrBudgetExceeded)
		_, err = c.Reports.TwitterHistoryAndWait(ctx, hypeauditor.ChannelParams{Channel: "nasa"}, srv.PollOptions()...)
		require.ErrorIs(t, err, hypeauditor.ErrBudgetExceeded)
		snap := srv.Snapshot()
		for _, route := range []string{hypeauditortest.RouteInstagramPDF, hypeauditortest.RouteYouTubePDF, hypeauditortest.RouteInstagramHistory, hypeauditortest.RouteTwitterHistory} {
			assert.Zero(t, snap.Requests[route], "%s: nothing sent", route)
		}

		// The account the client saw unlocked: its export and its history
		// are free, and the budget is not asked.
		pdf, err := c.Reports.PDFAndWait(ctx, hypeauditor.PDFParams{Platform: hypeauditor.TikTok, Account: "littlebig"}, srv.PollOptions()...)
		require.NoError(t, err)
		assert.True(t, pdf.Ready())
		_, err = c.Reports.TikTokHistory(ctx, hypeauditor.ChannelParams{Channel: "littlebig"})
		require.NoError(t, err)
		mentions, err := c.Reports.BrandMentions(ctx, hypeauditor.BrandMentionsParams{Platform: hypeauditor.TikTok, Channel: "littlebig"})
		require.NoError(t, err)
		assert.NotNil(t, mentions)

		// Free reads, whatever the budget: an account not unlocked is refused
		// (code 15), never unlocked.
		_, err = c.Reports.BrandMentions(ctx, hypeauditor.BrandMentionsParams{Platform: hypeauditor.YouTube, Channel: "veritasium"})
		require.ErrorIs(t, err, hypeauditor.ErrForbidden)
		assert.Equal(t, hypeauditor.CodeAccessDenied, hypeauditor.CodeOf(err))
		_, err = c.Reports.YouTubeMedia(ctx, hypeauditor.YouTubeMediaParams{Channel: "veritasium"})
		require.ErrorIs(t, err, hypeauditor.ErrForbidden)
		_, err = c.Discovery.Taxonomy(ctx)
		require.NoError(t, err)
		_, err = c.Lists.List(ctx)
		require.NoError(t, err)
		_, err = c.Account.PlanInfo(ctx)
		require.NoError(t, err)

		assert.Equal(t, 1, srv.Unlocks(), "one report unlocked in all")
		assert.Equal(t, 999, srv.Credits())
		u = c.Usage()
		assert.Equal(t, [2]int64{1, 0}, [2]int64{u.Spent, u.SpentUnknown})
		for _, op := range []string{"Reports.PDFAndWait", "Reports.TikTokHistory", "Reports.BrandMentions", "Reports.YouTubeMedia", "Discovery.Taxonomy", "Lists.List", "Account.PlanInfo"} {
			o := u.Operations[op]
			assert.Positive(t, o.Requests, op)
			assert.Zero(t, o.Spent+o.SpentUnknown, op)
		}
		assert.Equal(t, int64(1), b.Used())
	})
}

// validUntil and restTokens may come beside result rather than in it
// (i16's 03cd3ab reads them there after the call): the charge reads them
// there too, for reports and exports. An export answer without one
// leaves its credit unknown.
func TestValidUntilBesideResultSettlesTheCharge(t *testing.T) {
	t.Parallel()
	year := 365 * 24 * time.Hour
	for _, tc := range []struct {
		name, path, result string
		beside             bool
		call               func(c *hypeauditor.Client) error
		spent, unknown     int64
	}{
		{"report, validUntil beside result", "auditor.twitch", `{"report_state":"READY","report":{"basic":{"id":"42","username":"nasa"}}}`, true,
			func(c *hypeauditor.Client) error {
				_, err := c.Reports.Twitch(ctx, hypeauditor.ChannelParams{Channel: "nasa"})
				return err
			}, 1, 0},
		{"export, validUntil beside result", "auditor.twitchPdf", `{"pdfUrl":"https://cdn.hypeauditor.com/pdf/x.pdf"}`, true,
			func(c *hypeauditor.Client) error {
				_, err := c.Reports.PDF(ctx, hypeauditor.PDFParams{Platform: hypeauditor.Twitch, Account: "nasa"})
				return err
			}, 1, 0},
		{"export without validUntil", "auditor.twitchPdf", `{"pdfUrl":"https://cdn.hypeauditor.com/pdf/x.pdf","restTokens":5}`, false,
			func(c *hypeauditor.Client) error {
				_, err := c.Reports.PDF(ctx, hypeauditor.PDFParams{Platform: hypeauditor.Twitch, Account: "nasa"})
				return err
			}, 0, 1},
		{"history, validUntil beside result", "auditor.instagramHistory", `{"report_state":"READY","metrics_history":{}}`, true,
			func(c *hypeauditor.Client) error {
				_, err := c.Reports.InstagramHistory(ctx, hypeauditor.InstagramHistoryParams{Username: "nasa"})
				return err
			}, 1, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			b := hypeauditor.NewBudget(1)
			c, mt := newMockClient(t, hypeauditor.WithBudget(b))
			mt.RegisterResponder("GET", base+tc.path, func(*http.Request) (*http.Response, error) {
				body := fmt.Sprintf(`{"result":%s}`, tc.result)
				if tc.beside {
					body = fmt.Sprintf(`{"result":%s,"restTokens":10,"validUntil":%d}`, tc.result, time.Now().Add(year).Unix())
				}
				return str(200, body), nil
			})
			require.NoError(t, tc.call(c))
			u := c.Usage()
			assert.Equal(t, [2]int64{tc.spent, tc.unknown}, [2]int64{u.Spent, u.SpentUnknown})
			assert.Equal(t, int64(1), b.Used())
			require.NoError(t, tc.call(c), "asking again is free")
			assert.Equal(t, 2, mt.GetTotalCallCount())
			assert.Equal(t, int64(1), b.Used())
		})
	}
}

// Market analysis: the creation has no documented cost or unit, so it
// spends nothing the client counts; it is sent once on a reused and on a
// fresh connection (CreateAndWait does not create again after a lost
// answer), and the market analysis root's calls are in Client.Usage,
// per operation and in the totals, beside the method calls'.
func TestMarketAnalysisSentOnceAndInUsage(t *testing.T) {
	t.Parallel()
	p := hypeauditor.CompetitorAnalysisParams{Username: "gucci", DateFrom: "2022-08-14", DateTo: "2022-09-13"}
	for _, reused := range []bool{true, false} {
		t.Run(map[bool]string{true: "reused connection", false: "fresh connection"}[reused], func(t *testing.T) {
			t.Parallel()
			synctest.Test(t, func(t *testing.T) {
				srv := hypeauditortest.NewServer(hypeauditortest.WithVirtualTime())
				t.Cleanup(srv.Close)
				b := hypeauditor.NewBudget(0)
				c, rec := connClient(t, srv, reused, hypeauditortest.RouteMarketCreate, hypeauditor.WithBudget(b), hypeauditor.WithDiscoveryBudget(hypeauditor.NewBudget(0)))
				ctx := testCtx(t)
				if reused {
					_, err := c.Account.PlanInfo(ctx)
					require.NoError(t, err)
				}
				srv.SetFaults(hypeauditortest.Faults{Routes: []string{hypeauditortest.RouteMarketCreate}, DropAfterRate: 1})
				_, err := c.MarketAnalysis.CreateAndWait(ctx, p, srv.PollOptions()...)
				require.ErrorIs(t, err, hypeauditor.ErrOutcomeUnknown)
				assert.Equal(t, []bool{reused}, rec.reused, "one request, on the connection the case is about")
				assert.Equal(t, 1, srv.Snapshot().Requests[hypeauditortest.RouteMarketCreate], "created once")

				srv.SetFaults(hypeauditortest.Faults{})
				a, err := c.MarketAnalysis.Create(ctx, p)
				require.NoError(t, err, "no budget applies to it")
				_, err = c.MarketAnalysis.Get(ctx, hypeauditor.CompetitorAnalysisIDParams{ReportID: a.ReportID()})
				require.NoError(t, err)

				u := c.Usage()
				for op, calls := range map[string]int64{"MarketAnalysis.CreateAndWait": 1, "MarketAnalysis.Create": 1, "MarketAnalysis.Get": 1} {
					o := u.Operations[op]
					assert.Equal(t, [2]int64{calls, calls}, [2]int64{o.Calls, o.Requests}, op)
					assert.Empty(t, o.Unit, op)
					assert.Zero(t, o.Spent+o.SpentUnknown, op)
				}
				var calls, requests int64
				for _, o := range u.Operations {
					calls, requests = calls+o.Calls, requests+o.Requests
				}
				assert.Equal(t, [2]int64{calls, requests}, [2]int64{u.Calls, u.Requests}, "the totals hold both roots")
				assert.Equal(t, int64(3+map[bool]int64{true: 1, false: 0}[reused]), u.Calls)
				assert.Equal(t, hypeauditor.UnitReportCredits, u.Unit)
				assert.Zero(t, u.Spent+u.SpentUnknown)
				assert.Zero(t, b.Used())
			})
		})
	}
}
