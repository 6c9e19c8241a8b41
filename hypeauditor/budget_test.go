package hypeauditor_test

import (
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/creatorkit/creatorkit-go/hypeauditor"
	"github.com/creatorkit/creatorkit-go/hypeauditor/hypeauditortest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A report request that may unlock a report reserves one credit; when the
// budget cannot hold it the call fails with ErrBudgetExceeded and nothing
// is sent. Requests for accounts the client saw unlocked (the later
// checks of a wait, re-polls) need no room; SpentUnknown holds its credit
// until an answer settles it.
func TestReportBudget(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		// 600 seconds of generation: the wait below finds the report still
		// generating.
		srv, _ := newFake(t, hypeauditortest.WithGeneration(600*time.Second))
		b := hypeauditor.NewBudget(2)
		c, err := srv.NewClient(hypeauditor.WithBudget(b))
		require.NoError(t, err)
		ctx := testCtx(t)

		for _, a := range []string{"one", "two"} {
			r, err := c.Reports.TikTok(ctx, hypeauditor.TikTokParams{Channel: a})
			require.NoError(t, err)
			assert.True(t, r.NotReady())
		}
		u := c.Usage()
		assert.Equal(t, hypeauditor.UnitReportCredits, u.Unit)
		assert.Equal(t, int64(2), u.SpentUnknown, "a NOT_READY answer does not say who unlocked the report")
		assert.Equal(t, int64(2), b.Used())
		assert.Zero(t, b.Remaining())

		requests := srv.Snapshot().Requests[hypeauditortest.RouteTikTok]
		_, err = c.Reports.TikTok(ctx, hypeauditor.TikTokParams{Channel: "three"})
		require.ErrorIs(t, err, hypeauditor.ErrBudgetExceeded)
		_, err = c.Reports.TikTokAndWait(ctx, hypeauditor.TikTokParams{Channel: "three"}, srv.PollOptions()...)
		require.ErrorIs(t, err, hypeauditor.ErrBudgetExceeded)
		assert.Equal(t, requests, srv.Snapshot().Requests[hypeauditortest.RouteTikTok], "nothing sent")
		assert.Zero(t, srv.Arrivals(hypeauditortest.RouteTikTok)["tiktok/three"])

		// The accounts already asked for are re-polls: free, with the budget
		// spent. The wait's answers settle the unknown credit: spent.
		r, err := c.Reports.TikTokAndWait(ctx, hypeauditor.TikTokParams{Channel: "one"}, srv.PollOptions()...)
		require.NoError(t, err)
		assert.True(t, r.Ready())
		u = c.Usage()
		assert.Equal(t, int64(1), u.Spent)
		assert.Equal(t, int64(1), u.SpentUnknown)
		w := u.Operations["Reports.TikTokAndWait"]
		assert.GreaterOrEqual(t, w.Requests, int64(2), "the wait checked more than once")
		assert.Zero(t, w.Spent+w.SpentUnknown, "and spent nothing")
		assert.Equal(t, int64(2), b.Used())
		assert.EqualValues(t, 2, srv.Snapshot().Credits[hypeauditortest.RouteTikTok])
	})
}

// A report whose generation fails is refunded: the client settles its
// unknown credit to nothing and gives it back to the budget.
func TestReportBudgetRefundedOnFailure(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv, _ := newFake(t)
		b := hypeauditor.NewBudget(1)
		c, err := srv.NewClient(hypeauditor.WithBudget(b))
		require.NoError(t, err)
		ctx := testCtx(t)

		_, err = c.Reports.InstagramAndWait(ctx, hypeauditor.InstagramParams{Username: "private_one"}, srv.PollOptions()...)
		require.ErrorIs(t, err, hypeauditor.ErrReportUnavailable)
		snap := srv.Snapshot()
		assert.Zero(t, snap.Credits[hypeauditortest.RouteReport], "charged, then refunded")
		assert.Equal(t, 1, snap.Refunds)
		u := c.Usage()
		assert.Zero(t, u.Spent)
		assert.Zero(t, u.SpentUnknown)
		assert.Zero(t, b.Used(), "the credit is back in the budget")

		r, err := c.Reports.InstagramAndWait(ctx, hypeauditor.InstagramParams{Username: "public_one"}, srv.PollOptions()...)
		require.NoError(t, err)
		assert.True(t, r.Ready())
		assert.Equal(t, int64(1), b.Used())
		assert.Equal(t, int64(1), c.Usage().Spent)
	})
}

// A lost answer's credit counts against the budget until an answer
// settles it; the request is never resent.
func TestSpentUnknownCountsAgainstBudget(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv, _ := newFake(t)
		b := hypeauditor.NewBudget(1)
		c, err := srv.NewClient(hypeauditor.WithBudget(b))
		require.NoError(t, err)
		ctx := testCtx(t)

		srv.SetFaults(hypeauditortest.Faults{Routes: []string{hypeauditortest.RouteYouTube}, DropAfterRate: 1})
		_, err = c.Reports.YouTube(ctx, hypeauditor.YouTubeParams{Channel: "lostanswer"})
		require.ErrorIs(t, err, hypeauditor.ErrOutcomeUnknown)
		assert.Equal(t, int64(1), b.Used())
		assert.Equal(t, int64(1), c.Usage().SpentUnknown)
		_, err = c.Reports.YouTube(ctx, hypeauditor.YouTubeParams{Channel: "another"})
		require.ErrorIs(t, err, hypeauditor.ErrBudgetExceeded)

		srv.SetFaults(hypeauditortest.Faults{})
		_, err = c.Reports.YouTubeAndWait(ctx, hypeauditor.YouTubeParams{Channel: "lostanswer"}, srv.PollOptions()...)
		require.NoError(t, err)
		assert.Equal(t, int64(1), b.Used())
		u := c.Usage()
		assert.Equal(t, int64(1), u.Spent)
		assert.Zero(t, u.SpentUnknown)
		assert.EqualValues(t, 1, srv.Snapshot().Credits[hypeauditortest.RouteYouTube])
	})
}

// One budget shared by two clients (and many goroutines) caps their sum.
func TestBudgetSharedByTwoClients(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv, _ := newFake(t)
		b := hypeauditor.NewBudget(5)
		c1, err := srv.NewClient(hypeauditor.WithBudget(b))
		require.NoError(t, err)
		c2, err := srv.NewClient(hypeauditor.WithBudget(b))
		require.NoError(t, err)
		ctx := testCtx(t)
		var wg sync.WaitGroup
		var ok, refused atomic.Int32
		for i := range 12 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				c := []*hypeauditor.Client{c1, c2}[i%2]
				_, err := c.Reports.Twitch(ctx, hypeauditor.ChannelParams{Channel: fmt.Sprintf("shared_%02d", i)})
				switch {
				case err == nil:
					ok.Add(1)
				case assert.ErrorIs(t, err, hypeauditor.ErrBudgetExceeded):
					refused.Add(1)
				}
			}()
		}
		wg.Wait()
		assert.Equal(t, int32(5), ok.Load())
		assert.Equal(t, int32(7), refused.Load())
		assert.Equal(t, 5, srv.Unlocks())
		assert.Len(t, srv.Arrivals(hypeauditortest.RouteTwitch), 5, "refused calls sent nothing")
		assert.Equal(t, int64(5), c1.Usage().SpentUnknown+c2.Usage().SpentUnknown)
		assert.Equal(t, int64(5), b.Used())
	})
}

// Discovery spends its own unit: each live page reserves one discovery
// query from WithDiscoveryBudget; SearchAll stops with ErrBudgetExceeded,
// yielded once, when the budget cannot hold the next page, and never
// sends it. The report budget and the discovery budget do not mix, and
// the sandbox is free.
func TestDiscoveryBudget(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv, _ := newFake(t)
		qb := hypeauditor.NewBudget(3)
		c, err := srv.NewClient(hypeauditor.WithDiscoveryBudget(qb), hypeauditor.WithBudget(hypeauditor.NewBudget(0)))
		require.NoError(t, err)
		ctx := testCtx(t)

		items, errs := 0, 0
		for _, err := range c.Discovery.SearchAll(ctx, hypeauditor.SearchParams{Platform: hypeauditor.Instagram}, hypeauditor.WithMaxPages(5)) {
			if err != nil {
				errs++
				assert.ErrorIs(t, err, hypeauditor.ErrBudgetExceeded)
				continue
			}
			items++
		}
		assert.Equal(t, 3*hypeauditor.SearchPageSize, items, "the pages the budget held")
		assert.Equal(t, 1, errs, "ErrBudgetExceeded yielded once")
		assert.Equal(t, 3, srv.Snapshot().Requests[hypeauditortest.RouteSearch], "the fourth page was never sent")
		assert.Equal(t, 997, srv.DiscoveryRequests())

		_, err = c.Discovery.Search(ctx, hypeauditor.SearchParams{Platform: hypeauditor.Instagram})
		require.ErrorIs(t, err, hypeauditor.ErrBudgetExceeded)
		_, err = c.Discovery.SearchSandbox(ctx, hypeauditor.SearchParams{Platform: hypeauditor.Instagram})
		require.NoError(t, err, "the sandbox is free")
		assert.Equal(t, 3, srv.Snapshot().Requests[hypeauditortest.RouteSearch])

		_, err = c.Reports.Twitch(ctx, hypeauditor.ChannelParams{Channel: "nobudget"})
		require.ErrorIs(t, err, hypeauditor.ErrBudgetExceeded, "reports spend report credits")

		u := c.Usage()
		assert.Zero(t, u.Spent+u.SpentUnknown, "discovery is not in the report credits")
		spent, unknown := u.SpentIn(hypeauditor.UnitDiscoveryQueries)
		assert.Equal(t, int64(3), spent)
		assert.Zero(t, unknown)
		all := u.Operations["Discovery.SearchAll"]
		assert.Equal(t, hypeauditor.UnitDiscoveryQueries, all.Unit)
		assert.Equal(t, int64(3), all.Spent)
		assert.Equal(t, int64(3), qb.Used())
		assert.Zero(t, u.Operations["Discovery.Search"].Spent)

		_, err = hypeauditor.NewClient(hypeauditor.WithCredentials(testID, testToken), hypeauditor.WithDiscoveryBudget(nil))
		assert.ErrorIs(t, err, hypeauditor.ErrInvalidParams)
	})
}

// What validUntil tells, on answers served by httpmock: an unlock inside
// the request's round trip is Spent, one before it was sent is nothing,
// and the documented far-future value tells nothing (SpentUnknown, and
// later requests for the account are free re-polls).
func TestValidUntilSettlesTheCharge(t *testing.T) {
	t.Parallel()
	ready := func(validUntil func() int64) func(*http.Request) (*http.Response, error) {
		return func(*http.Request) (*http.Response, error) {
			return str(200, fmt.Sprintf(`{"result":{"report_state":"READY","restTokens":10,"validUntil":%d,"report":{"basic":{"id":"42","username":"nasa"}}}}`, validUntil())), nil
		}
	}
	year := 365 * 24 * time.Hour
	for _, tc := range []struct {
		name           string
		validUntil     func() int64
		spent, unknown int64
	}{
		{"unlocked by this request", func() int64 { return time.Now().Add(year).Unix() }, 1, 0},
		{"unlocked ten days before", func() int64 { return time.Now().Add(year - 10*24*time.Hour).Unix() }, 0, 0},
		{"the documented sentinel", func() int64 { return 57657398400 }, 0, 1},
		{"expired", func() int64 { return time.Now().Add(-time.Hour).Unix() }, 0, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			b := hypeauditor.NewBudget(1)
			c, mt := newMockClient(t, hypeauditor.WithBudget(b))
			mt.RegisterResponder("GET", base+"auditor.twitch", ready(tc.validUntil))
			_, err := c.Reports.Twitch(ctx, hypeauditor.ChannelParams{Channel: "nasa"})
			require.NoError(t, err)
			u := c.Usage()
			assert.Equal(t, tc.spent, u.Spent)
			assert.Equal(t, tc.unknown, u.SpentUnknown)
			assert.Equal(t, tc.spent+tc.unknown, b.Used())
			// Asking again is free whatever the first answer said: the
			// account is unlocked (or its credit still unsettled).
			_, err = c.Reports.Twitch(ctx, hypeauditor.ChannelParams{Channel: "nasa"})
			require.NoError(t, err)
			assert.Equal(t, tc.spent+tc.unknown, c.Usage().Spent+c.Usage().SpentUnknown)
			assert.Equal(t, tc.spent+tc.unknown, b.Used())
		})
	}

	// A failure in a success body was refunded: nothing spent.
	c, mt := newMockClient(t)
	respond(mt, "GET", "auditor.snapchat", 200, `{"result":{"report_state":"PRIVATE"}}`)
	_, err := c.Reports.Snapchat(ctx, hypeauditor.ChannelParams{Channel: "nasa"})
	require.ErrorIs(t, err, hypeauditor.ErrReportUnavailable)
	assert.Zero(t, c.Usage().Spent+c.Usage().SpentUnknown)
}

// A success answer the SDK cannot use (a control value that does not
// fit, or any value under WithStrictDecoding) was still answered, and may
// have been charged: the transport counts nothing for it, the client
// counts it. A report request's counts as unknown, a discovery page's as
// spent (every page served is charged).
func TestUnreadableAnswersStillCount(t *testing.T) {
	t.Parallel()
	b, qb := hypeauditor.NewBudget(1), hypeauditor.NewBudget(2)
	c, mt := newMockClient(t, hypeauditor.WithBudget(b), hypeauditor.WithDiscoveryBudget(qb))
	respond(mt, "GET", "auditor.twitch", 200, `{"result":{"report_state":5}}`)
	respond(mt, "POST", "auditor.search", 200, `{"result":{"search_results":[],"current_page":1,"total_pages":"many","queries_left":9}}`)
	_, err := c.Reports.Twitch(ctx, hypeauditor.ChannelParams{Channel: "nasa"})
	require.ErrorIs(t, err, hypeauditor.ErrUnexpectedResponse)
	_, err = c.Discovery.Search(ctx, hypeauditor.SearchParams{Platform: hypeauditor.Twitch})
	require.ErrorIs(t, err, hypeauditor.ErrUnexpectedResponse)
	u := c.Usage()
	assert.Zero(t, u.Spent)
	assert.Equal(t, int64(1), u.SpentUnknown)
	assert.Equal(t, int64(1), b.Used())
	spent, unknown := u.SpentIn(hypeauditor.UnitDiscoveryQueries)
	assert.Equal(t, [2]int64{1, 0}, [2]int64{spent, unknown})
	assert.Equal(t, hypeauditor.UnitDiscoveryQueries, u.Operations["Discovery.Search"].Unit)
	assert.Equal(t, int64(1), qb.Used())

	strict, mt := newMockClient(t, hypeauditor.WithStrictDecoding(), hypeauditor.WithDiscoveryBudget(qb))
	respond(mt, "POST", "auditor.search", 200, `{"result":{"search_results":[],"current_page":"first","total_pages":1,"queries_left":9}}`)
	_, err = strict.Discovery.Search(ctx, hypeauditor.SearchParams{Platform: hypeauditor.Twitch})
	require.ErrorIs(t, err, hypeauditor.ErrUnexpectedResponse)
	spent, _ = strict.Usage().SpentIn(hypeauditor.UnitDiscoveryQueries)
	assert.Equal(t, int64(1), spent)
	assert.Equal(t, int64(2), qb.Used())
	_, err = strict.Discovery.Search(ctx, hypeauditor.SearchParams{Platform: hypeauditor.Twitch})
	require.ErrorIs(t, err, hypeauditor.ErrBudgetExceeded)
	assert.Equal(t, 1, mt.GetTotalCallCount())
}
