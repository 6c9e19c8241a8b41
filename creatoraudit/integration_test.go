package creatoraudit_test

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"testing"
	"testing/synctest"
	"time"

	"github.com/creatorkit/creatorkit-go/creatoraudit"
	"github.com/creatorkit/creatorkit-go/creatoraudit/creatoraudittest"
	"github.com/creatorkit/creatorkit-go/internal/vendortest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The tests that talk to the fake run inside testing/synctest bubbles on
// a fake started WithVirtualTime: CreatorAudit's durations (a first scrape
// 30 s after tracking, the key's window, the client's backoff) pass on the
// bubble's clock, which moves only when every goroutine waits, so no test
// depends on how fast the machine is.

// fastFake starts a fake on the bubble's clock (call it inside
// synctest.Test) and a client for it; Close runs when the test ends.
func fastFake(t *testing.T, opts ...creatoraudittest.Option) (*creatoraudittest.Server, *creatoraudit.Client) {
	t.Helper()
	srv := creatoraudittest.NewServer(append([]creatoraudittest.Option{creatoraudittest.WithVirtualTime()}, opts...)...)
	t.Cleanup(srv.Close)
	c, err := srv.NewClient()
	require.NoError(t, err)
	return srv, c
}

// testCtx bounds a test on the bubble's clock: virtual hours cost no real
// time, and a wait that never ends fails at the deadline instead of
// hanging.
func testCtx(t *testing.T) context.Context { return vendortest.Ctx(t) }

func TestTrackAccountsWaitAndReadMetrics(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv, c := fastFake(t)
		ctx := testCtx(t)
		ig, err := c.Accounts.Create(ctx, creatoraudit.CreateAccountParams{Platform: creatoraudit.Instagram, Username: "@natgeo", Category: "media"})
		require.NoError(t, err)
		assert.False(t, ig.Scraped(), "last_scrape_time is null right after tracking")
		assert.Nil(t, ig.FollowerCount)
		assert.Equal(t, 201, ig.Response.StatusCode)
		assert.NotEmpty(t, ig.Response.RequestID, "X-Request-ID")
		tt, err := c.Accounts.Create(ctx, creatoraudit.CreateAccountParams{Platform: creatoraudit.TikTok, Username: "natgeo"})
		require.NoError(t, err)

		ig, err = c.Accounts.GetAndWait(ctx, ig.ID, srv.PollOptions()...)
		require.NoError(t, err)
		assert.True(t, ig.Scraped())
		require.NotNil(t, ig.FollowerCount)
		require.NotNil(t, ig.SavedCount)
		tt, err = c.Accounts.GetAndWait(ctx, tt.ID, srv.PollOptions()...)
		require.NoError(t, err)
		assert.Nil(t, tt.SavedCount, "TikTok exposes no saves")
		assert.NotNil(t, tt.ViewCount)

		m, err := c.Accounts.Metrics(ctx, creatoraudit.MetricsParams{IDs: []string{ig.ID, tt.ID}, Period: creatoraudit.Period30d})
		require.NoError(t, err)
		require.Len(t, m.ByID, 2)
		assert.Positive(t, *m.ByID[ig.ID].Views)
		assert.NotNil(t, m.ByID[ig.ID].SavedCount)
		assert.Nil(t, m.ByID[tt.ID].SavedCount)

		an, err := c.Accounts.Analytics(ctx, ig.ID, creatoraudit.AnalyticsParams{Period: creatoraudit.Period7d})
		require.NoError(t, err)
		assert.Len(t, an.Series, 7)
		assert.Equal(t, *ig.FollowerCount, *an.Metrics.Followers)
		ts, err := c.Accounts.Timeseries(ctx, tt.ID, creatoraudit.AnalyticsParams{Period: creatoraudit.PeriodCustom, StartDate: "2026-06-01", EndDate: "2026-06-10"})
		require.NoError(t, err)
		require.Len(t, ts.Points, 10)
		assert.Equal(t, "2026-06-10", ts.Points[9].Date)

		upd, err := c.Accounts.Update(ctx, ig.ID, creatoraudit.UpdateAccountParams{IsActive: creatoraudit.Bool(false), Category: creatoraudit.String("science")})
		require.NoError(t, err)
		assert.False(t, upd.IsActive)
		assert.Equal(t, "science", upd.Category)

		_, err = c.Accounts.Create(ctx, creatoraudit.CreateAccountParams{Platform: creatoraudit.Instagram, Username: "NatGeo"})
		require.ErrorIs(t, err, creatoraudit.ErrConflict, "tracked twice")

		_, err = c.Accounts.Delete(ctx, tt.ID)
		require.NoError(t, err)
		_, err = c.Accounts.Get(ctx, tt.ID)
		require.ErrorIs(t, err, creatoraudit.ErrNotFound)
		assert.Equal(t, creatoraudit.CodeNotFound, creatoraudit.CodeOf(err))
		assert.Equal(t, 1, srv.AccountCount())
	})
}

func TestGetAndWaitUnavailableAndTimeout(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv, c := fastFake(t)
		ctx := testCtx(t)
		a, err := c.Accounts.Create(ctx, creatoraudit.CreateAccountParams{Platform: creatoraudit.Instagram, Username: "someprivateaccount"})
		require.NoError(t, err)
		got, err := c.Accounts.GetAndWait(ctx, a.ID, srv.PollOptions()...)
		require.ErrorIs(t, err, creatoraudit.ErrUnavailable)
		assert.True(t, got.IsUnavailable)
		// The per-item outcome is the root's ItemError, not a bare sentinel.
		var ie *creatoraudit.ItemError
		require.ErrorAs(t, err, &ie)
		assert.Equal(t, creatoraudit.ItemError{Vendor: "creatoraudit", Input: a.ID, Item: "instagram/@someprivateaccount", ID: a.ID,
			State: "unavailable", Reason: ie.Reason, Err: creatoraudit.ErrUnavailable}, *ie)
		assert.NotEmpty(t, ie.Reason)
		assert.Contains(t, err.Error(), "instagram/@someprivateaccount (id "+a.ID+")")

		// A video too: Item is platform/identifier.
		pv, err := c.Videos.Create(ctx, creatoraudit.CreateVideoParams{Platform: creatoraudit.TikTok, Identifier: "unavailable-clip"})
		require.NoError(t, err)
		gotv, err := c.Videos.GetAndWait(ctx, string(pv.ID), srv.PollOptions()...)
		require.ErrorAs(t, err, &ie)
		assert.True(t, gotv.IsUnavailable)
		assert.Equal(t, string(pv.ID), ie.ID)
		assert.Equal(t, string(pv.ID), ie.Input)
		assert.Equal(t, "unavailable", ie.State)
		assert.NotEmpty(t, ie.Reason)
		assert.Equal(t, "tiktok/id:"+gotv.ExternalID, ie.Item)
		assert.ErrorIs(t, err, creatoraudit.ErrUnavailable)

		// The first scrape is 100 hours away, the budget 3 minutes: the wait
		// times out after more than one check (the interval starts at 5 s).
		slow, sc := fastFake(t, creatoraudittest.WithScrapeDelay(100*time.Hour))
		v, err := sc.Videos.Create(ctx, creatoraudit.CreateVideoParams{Platform: creatoraudit.TikTok, Identifier: "7379281736459123456"})
		require.NoError(t, err)
		short, cancel := context.WithTimeout(ctx, 3*time.Minute)
		defer cancel()
		last, err := sc.Videos.GetAndWait(short, string(v.ID), slow.PollOptions()...)
		var te *creatoraudit.TimeoutError
		require.ErrorAs(t, err, &te)
		assert.ErrorIs(t, err, context.DeadlineExceeded)
		assert.Contains(t, te.Last, "not scraped yet")
		require.NotNil(t, last, "the last state seen comes back with the timeout")
		assert.False(t, last.Scraped())
		assert.GreaterOrEqual(t, te.Checks, 2, "it polled more than once")
		// The video's *ItemError carries the timeout and the last state.
		require.ErrorAs(t, err, &ie)
		assert.Equal(t, creatoraudit.ItemError{Vendor: "creatoraudit", Input: string(v.ID), Item: "tiktok/id:" + last.ExternalID, ID: string(v.ID),
			State: "not scraped yet", Reason: "the wait ended before the first scrape", Err: te}, *ie)
	})
}

// The benchmark's claim as a test: a create whose answer is lost after the
// server acted is asked again with the same Idempotency-Key (by the
// transport for creators, by Accounts.Create's reconciliation for
// accounts) and creates one resource. Without the fake's replay the same faults create duplicates,
// so the test can fail.
func TestCreateAfterDroppedConnectionCreatesOnce(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		// Keys are replayed for a day: every retry falls in the window.
		srv, c := fastFake(t, creatoraudittest.WithSeed(7), creatoraudittest.WithIdempotencyWindow(24*time.Hour))
		ctx := testCtx(t)
		srv.SetFaults(creatoraudittest.Faults{Routes: []string{creatoraudittest.RouteCreatorsCreate, creatoraudittest.RouteAccountsCreate}, DropAfterRate: 1})
		_, err := c.Creators.Create(ctx, creatoraudit.CreateCreatorParams{Name: "Ada"})
		require.ErrorIs(t, err, creatoraudit.ErrNetwork, "every answer was dropped")
		assert.NotErrorIs(t, err, creatoraudit.ErrOutcomeUnknown, "a keyed create is safe to repeat")
		assert.Equal(t, 1, srv.CreatorCount(), "four attempts, one creator: the key was replayed")
		assert.Equal(t, 4, srv.Snapshot().Requests[creatoraudittest.RouteCreatorsCreate])

		srv.SetFaults(creatoraudittest.Faults{Routes: []string{creatoraudittest.RouteAccountsCreate}, DropAfterRate: 0.5})
		for i := 0; i < 10; i++ {
			a, err := c.Accounts.Create(ctx, creatoraudit.CreateAccountParams{Platform: creatoraudit.TikTok, Username: fmt.Sprintf("handle%d", i)})
			require.NoError(t, err)
			assert.Equal(t, fmt.Sprintf("handle%d", i), a.Username)
		}
		assert.Equal(t, 10, srv.AccountCount())
		assert.Positive(t, srv.Snapshot().Dropped[creatoraudittest.RouteAccountsCreate], "some answers were dropped")

		noReplay, c2 := fastFake(t, creatoraudittest.WithIdempotencyWindow(0))
		noReplay.SetFaults(creatoraudittest.Faults{Routes: []string{creatoraudittest.RouteCreatorsCreate}, DropAfterRate: 1})
		_, err = c2.Creators.Create(ctx, creatoraudit.CreateCreatorParams{Name: "Ada"})
		require.Error(t, err)
		assert.Equal(t, 4, noReplay.CreatorCount(), "without replay every retry creates another")
	})
}

// Within the window a repeated key replays; after it, it creates anew: a
// day's window for the replay, a minute's and a sleep of two for the
// expiry.
func TestIdempotencyKeyReplayWindow(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv, c := fastFake(t, creatoraudittest.WithIdempotencyWindow(24*time.Hour))
		ctx := testCtx(t)
		p := creatoraudit.CreateCreatorParams{Name: "Grace", IdempotencyKey: "grace-1"}
		first, err := c.Creators.Create(ctx, p)
		require.NoError(t, err)
		again, err := c.Creators.Create(ctx, p)
		require.NoError(t, err)
		assert.Equal(t, first.ID, again.ID, "a repeated key returns the original resource")
		assert.Equal(t, "true", again.Response.Header.Get("Idempotent-Replayed"))
		assert.Equal(t, 1, srv.CreatorCount())

		short, sc := fastFake(t, creatoraudittest.WithIdempotencyWindow(time.Minute))
		first, err = sc.Creators.Create(ctx, p)
		require.NoError(t, err)
		time.Sleep(2 * time.Minute) // past the window
		later, err := sc.Creators.Create(ctx, p)
		require.NoError(t, err)
		assert.NotEqual(t, first.ID, later.ID)
		assert.Equal(t, 2, short.CreatorCount())
	})
}

func TestListAllOverTheFake(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv, c := fastFake(t)
		ctx := testCtx(t)
		names := make([]string, 450)
		for i := range names {
			names[i] = fmt.Sprintf("user%03d", i)
		}
		srv.AddAccounts(creatoraudit.Instagram, names[:300]...)
		srv.AddAccounts(creatoraudit.TikTok, names[300:]...)

		before := srv.Snapshot().Requests[creatoraudittest.RouteAccountsList]
		var got []string
		for a, err := range c.Accounts.ListAll(ctx, creatoraudit.ListAccountsParams{OrderBy: "username", OrderDirection: creatoraudit.Asc}) {
			require.NoError(t, err)
			got = append(got, a.Username+"/"+string(a.Platform))
		}
		assert.Len(t, got, 450)
		assert.Equal(t, "user000/instagram", got[0])
		assert.Equal(t, 3, srv.Snapshot().Requests[creatoraudittest.RouteAccountsList]-before, "450 rows at 200 a page")

		p, err := c.Accounts.List(ctx, creatoraudit.ListAccountsParams{Limit: 100, Platform: creatoraudit.TikTok, IncludeTotal: true})
		require.NoError(t, err)
		assert.Equal(t, int64(150), *p.Pagination.TotalCount)
		assert.True(t, p.Pagination.HasNext)
		assert.Contains(t, p.Links.Next, "cursor=")
		assert.Contains(t, p.Links.First, "platform=tiktok")
		assert.JSONEq(t, `{"platform":"tiktok","q":null,"is_active":null,"category":null,"creator_id":null,"order_by":"added_at","order_direction":"desc"}`, string(p.Filters))
		p2, err := c.Accounts.List(ctx, creatoraudit.ListAccountsParams{Limit: 100, Platform: creatoraudit.TikTok, Cursor: p.NextCursor()})
		require.NoError(t, err)
		assert.Len(t, p2.Data, 50)
		assert.False(t, p2.Pagination.HasNext)
		assert.Empty(t, p2.Links.Next)

		// Another client (no memory of the cursor) reusing it with other
		// filters earns the server's 422.
		other, err := srv.NewClient()
		require.NoError(t, err)
		_, err = other.Accounts.List(ctx, creatoraudit.ListAccountsParams{Platform: creatoraudit.Instagram, Cursor: p.NextCursor()})
		require.ErrorIs(t, err, creatoraudit.ErrInvalidParams)
		assert.Equal(t, creatoraudit.CodeValidationError, creatoraudit.CodeOf(err))
		require.Len(t, creatoraudit.FieldErrors(err), 1)
		assert.Equal(t, "cursor", creatoraudit.FieldErrors(err)[0].Field)
	})
}

func TestCreatorsLinksAndLeaderboard(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv, c := fastFake(t)
		ctx := testCtx(t)
		ids := srv.AddAccounts(creatoraudit.Instagram, "natgeo", "nasa", "bbcearth")
		tt := srv.AddAccounts(creatoraudit.TikTok, "natgeo")
		ng, err := c.Creators.Create(ctx, creatoraudit.CreateCreatorParams{Name: "National Geographic", Metadata: creatoraudit.Metadata{"tier": "gold"}})
		require.NoError(t, err)
		nasa, err := c.Creators.Create(ctx, creatoraudit.CreateCreatorParams{Name: "NASA"})
		require.NoError(t, err)

		l, err := c.Creators.LinkAccount(ctx, ng.ID, ids[0])
		require.NoError(t, err)
		assert.True(t, l.Created)
		assert.Contains(t, l.Location, "/v2/creators/"+ng.ID+"/accounts/"+ids[0])
		l, err = c.Creators.LinkAccount(ctx, ng.ID, ids[0])
		require.NoError(t, err)
		assert.False(t, l.Created, "linking again is idempotent")
		_, err = c.Creators.LinkAccount(ctx, ng.ID, tt[0])
		require.NoError(t, err)
		_, err = c.Creators.LinkAccount(ctx, nasa.ID, ids[0])
		require.ErrorIs(t, err, creatoraudit.ErrConflict, "owned by another creator")
		_, err = c.Creators.LinkAccount(ctx, nasa.ID, "00000000-0000-4000-8000-000000000000")
		require.ErrorIs(t, err, creatoraudit.ErrNotFound)
		_, err = c.Creators.LinkAccount(ctx, nasa.ID, ids[1])
		require.NoError(t, err)

		got, err := c.Creators.Get(ctx, ng.ID)
		require.NoError(t, err)
		assert.Equal(t, int64(2), got.AccountsSummary.Total)
		counts, ok := got.AccountsSummary.PlatformCounts()
		require.True(t, ok)
		assert.Equal(t, map[creatoraudit.Platform]int64{"instagram": 1, "tiktok": 1}, counts)
		var linked []string
		for a, err := range c.Creators.AccountsAll(ctx, ng.ID, creatoraudit.ListAccountsParams{}) {
			require.NoError(t, err)
			linked = append(linked, string(a.Platform))
			assert.Equal(t, "National Geographic", *a.CreatorName)
		}
		assert.ElementsMatch(t, []string{"instagram", "tiktok"}, linked)

		top, err := c.Creators.Top(ctx, creatoraudit.TopCreatorsParams{Period: creatoraudit.Period30d, Limit: 5})
		require.NoError(t, err)
		require.Len(t, top.Data, 2)
		assert.Equal(t, 1, top.Data[0].Rank)
		assert.GreaterOrEqual(t, *top.Data[0].Metrics.Views, *top.Data[1].Metrics.Views)

		an, err := c.Creators.Analytics(ctx, ng.ID, creatoraudit.AnalyticsParams{StartDate: "2026-06-01", EndDate: "2026-06-07"})
		require.NoError(t, err)
		assert.Equal(t, creatoraudit.PeriodCustom, an.Period)
		assert.Len(t, an.Series, 7)
		ts, err := c.Creators.Timeseries(ctx, ng.ID, creatoraudit.AnalyticsParams{Period: creatoraudit.Period7d})
		require.NoError(t, err)
		assert.Len(t, ts.Points, 7)

		_, err = c.Creators.UnlinkAccount(ctx, ng.ID, tt[0])
		require.NoError(t, err)
		_, err = c.Creators.UnlinkAccount(ctx, ng.ID, tt[0])
		require.ErrorIs(t, err, creatoraudit.ErrNotFound)
		archived, err := c.Creators.Update(ctx, nasa.ID, creatoraudit.UpdateCreatorParams{IsActive: creatoraudit.Bool(false)})
		require.NoError(t, err)
		assert.False(t, archived.IsActive)
		paused, err := c.Accounts.Get(ctx, ids[1])
		require.NoError(t, err)
		assert.False(t, paused.IsActive, "pausing a creator pauses its accounts")
		var active []string
		for cr, err := range c.Creators.ListAll(ctx, creatoraudit.ListCreatorsParams{IsActive: creatoraudit.Bool(true)}) {
			require.NoError(t, err)
			active = append(active, cr.Name)
		}
		assert.Equal(t, []string{"National Geographic"}, active)
		_, err = c.Creators.Delete(ctx, nasa.ID)
		require.NoError(t, err)
		assert.Equal(t, 1, srv.CreatorCount())
	})
}

func TestVideosAndAccountVideos(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv, c := fastFake(t, creatoraudittest.WithScrapeDelay(5*time.Minute))
		ctx := testCtx(t)
		v, err := c.Videos.Create(ctx, creatoraudit.CreateVideoParams{Platform: creatoraudit.Instagram, Identifier: "https://www.instagram.com/p/C7xYz12AbCd/"})
		require.NoError(t, err)
		assert.Equal(t, "C7xYz12AbCd", v.Shortcode)
		_, err = c.Videos.Create(ctx, creatoraudit.CreateVideoParams{Platform: creatoraudit.Instagram, Identifier: "https://www.instagram.com/p/C7xYz12AbCd/"})
		require.ErrorIs(t, err, creatoraudit.ErrConflict)
		v, err = c.Videos.GetAndWait(ctx, string(v.ID), srv.PollOptions()...)
		require.NoError(t, err)
		assert.NotNil(t, v.ViewCount)
		m, err := c.Videos.Metrics(ctx, creatoraudit.MetricsParams{IDs: []string{string(v.ID)}})
		require.NoError(t, err)
		assert.Positive(t, *m.ByID[string(v.ID)].Likes)
		d, err := c.Videos.Deltas(ctx, creatoraudit.DeltasParams{VideoIDs: []string{string(v.ID)}, Windows: []int{1, 7, 7, 30}})
		require.NoError(t, err)
		require.Len(t, d.ByVideo[string(v.ID)], 3)
		assert.Greater(t, *d.ByVideo[string(v.ID)][30].Views, *d.ByVideo[string(v.ID)][1].Views)
		_, err = c.Videos.Analytics(ctx, string(v.ID), creatoraudit.AnalyticsParams{})
		require.NoError(t, err)
		upd, err := c.Videos.Update(ctx, string(v.ID), creatoraudit.UpdateVideoParams{ScrapeIntervalHours: creatoraudit.Int(6)})
		require.NoError(t, err)
		assert.Equal(t, 6, *upd.ScrapeIntervalHours)
		n := 0
		for _, err := range c.Videos.ListAll(ctx, creatoraudit.ListVideosParams{OrderBy: "view_count"}) {
			require.NoError(t, err)
			n++
		}
		assert.Equal(t, 1, n)

		// Account videos appear once the account is scraped (5 minutes after
		// the create).
		a, err := c.Accounts.Create(ctx, creatoraudit.CreateAccountParams{Platform: creatoraudit.TikTok, Username: "bbcearth"})
		require.NoError(t, err)
		early, err := c.AccountVideos.List(ctx, creatoraudit.ListVideosParams{AccountID: a.ID})
		require.NoError(t, err)
		assert.Empty(t, early.Data, "nothing discovered before the first scrape")
		_, err = c.Accounts.GetAndWait(ctx, a.ID, srv.PollOptions()...)
		require.NoError(t, err)
		var internal []int64
		for av, err := range c.AccountVideos.ListAll(ctx, creatoraudit.ListVideosParams{AccountID: a.ID}) {
			require.NoError(t, err)
			id, ok := av.InternalID()
			require.True(t, ok)
			internal = append(internal, id)
		}
		require.Len(t, internal, 3)
		one, err := c.AccountVideos.Get(ctx, fmt.Sprint(internal[0]))
		require.NoError(t, err)
		assert.Equal(t, a.ID, *one.AccountID)
		am, err := c.AccountVideos.Metrics(ctx, creatoraudit.AccountVideoMetricsParams{TiktokVideoIDs: internal, Period: creatoraudit.Period7d})
		require.NoError(t, err)
		assert.Len(t, am.ByID, 3)
		_, err = c.AccountVideos.Timeseries(ctx, fmt.Sprint(internal[0]), creatoraudit.AnalyticsParams{Period: creatoraudit.Period7d})
		require.NoError(t, err)

		_, err = c.Videos.Delete(ctx, string(v.ID))
		require.NoError(t, err)
		assert.Equal(t, 0, srv.VideoCount())
	})
}

func TestOverviewSearchAndMeta(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv, c := fastFake(t, creatoraudittest.WithSearchCap(2))
		ctx := testCtx(t)
		srv.AddAccounts(creatoraudit.Instagram, "natgeo", "natgeotravel", "natgeowild", "nasa")
		_, err := c.Creators.Create(ctx, creatoraudit.CreateCreatorParams{Name: "National Geographic"})
		require.NoError(t, err)
		o, err := c.Overview.Get(ctx, creatoraudit.OverviewParams{Period: creatoraudit.Period30d})
		require.NoError(t, err)
		assert.Equal(t, int64(4), o.Current.ActiveAccounts)
		assert.Greater(t, o.Current.TotalViews, o.Previous.TotalViews)
		require.NotNil(t, o.Changes.TotalViewsPct)
		assert.InDelta(t, 11.11, *o.Changes.TotalViewsPct, 0.1)
		ts, err := c.Overview.Timeseries(ctx, creatoraudit.AnalyticsParams{Period: creatoraudit.Period7d})
		require.NoError(t, err)
		assert.Len(t, ts.Points, 7)

		s, err := c.Search.Query(ctx, creatoraudit.SearchParams{Q: "NatGeo", Limit: 10})
		require.NoError(t, err)
		assert.Len(t, s.Data.Accounts, 2, "capped by the server")
		assert.Equal(t, 2, s.Meta.EffectiveCaps.Accounts, "effective cap below the limit asked for")
		assert.Equal(t, 10, s.Meta.LimitPerSection)
		assert.Len(t, s.Data.Videos, 2)
		empty, err := c.Search.Query(ctx, creatoraudit.SearchParams{Q: "  "})
		require.NoError(t, err)
		assert.Empty(t, empty.Data.Accounts)

		h, err := c.Meta.Health(ctx)
		require.NoError(t, err)
		assert.Equal(t, "ok", h.Status)
		m, err := c.Meta.Get(ctx)
		require.NoError(t, err)
		assert.Equal(t, "v2", m.APIVersion)
		assert.False(t, m.Deprecated())
		w, err := c.Meta.WhoAmI(ctx)
		require.NoError(t, err)
		assert.NotEmpty(t, w.OrganizationID)
		assert.Equal(t, 1, srv.Snapshot().Requests[creatoraudittest.RouteHealth])
	})
}

func TestScopesQuotaAndAuth(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv, c := fastFake(t, creatoraudittest.WithReadOnlyKey("ca_test_readonly"), creatoraudittest.WithTrackingQuota(1))
		ctx := testCtx(t)
		ro, err := srv.NewClient(creatoraudit.WithAPIKey("ca_test_readonly"))
		require.NoError(t, err)
		_, err = ro.Meta.WhoAmI(ctx)
		require.NoError(t, err, "reads need no scope")
		_, err = ro.Creators.Create(ctx, creatoraudit.CreateCreatorParams{Name: "x"})
		require.ErrorIs(t, err, creatoraudit.ErrForbidden)
		assert.Equal(t, creatoraudit.CodeInsufficientScope, creatoraudit.CodeOf(err))

		_, err = c.Accounts.Create(ctx, creatoraudit.CreateAccountParams{Platform: creatoraudit.Instagram, Username: "one"})
		require.NoError(t, err)
		_, err = c.Accounts.Create(ctx, creatoraudit.CreateAccountParams{Platform: creatoraudit.Instagram, Username: "two"})
		require.ErrorIs(t, err, creatoraudit.ErrQuotaExceeded)
		assert.NotErrorIs(t, err, creatoraudit.ErrForbidden, "the quota is its own kind")
		assert.Equal(t, creatoraudit.CodeQuotaExceeded, creatoraudit.CodeOf(err))
		assert.Equal(t, 1, srv.Snapshot().Statuses[creatoraudittest.RouteAccountsCreate][403], "not retried")

		bad, err := srv.NewClient(creatoraudit.WithAPIKey("ca_test_wrong"))
		require.NoError(t, err)
		_, err = bad.Meta.WhoAmI(ctx)
		require.ErrorIs(t, err, creatoraudit.ErrUnauthorized)
		assert.Equal(t, creatoraudit.CodeUnauthorized, creatoraudit.CodeOf(err))
		assert.NotEmpty(t, err.(*creatoraudit.Error).RequestID, "request_id from the problem body")
	})
}

// The client adapts to the headers: when X-RateLimit-Remaining reaches 0 it
// holds requests until X-RateLimit-Reset, so a sequential caller does not
// run into the window although the client has no pace of its own. (A
// burst of 17 sent within 50 ms without the hold would earn 12 429s. The
// fake rounds a scaled reset up to the millisecond, so a client that waits
// for it never arrives early.)
func TestAdaptsToRateLimitHeaders(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv, c := fastFake(t, creatoraudittest.WithRateLimit(5, 50*time.Second))
		ctx := testCtx(t)
		for i := 0; i < 17; i++ {
			_, err := c.Meta.WhoAmI(ctx)
			require.NoError(t, err)
		}
		assert.Zero(t, srv.Snapshot().RateLimited, "held until reset instead of earning 429s")
		assert.Equal(t, 17, srv.Snapshot().Statuses[creatoraudittest.RouteWhoAmI][200])
		rl := c.RateLimit()
		assert.True(t, rl.Known)
		assert.Equal(t, 5, rl.Limit)
	})
}

// Concurrent callers can overrun the window before any of them sees
// Remaining reach 0; the 429s they earn are retried after Retry-After.
func TestConcurrentCallersRideOut429s(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv, _ := fastFake(t, creatoraudittest.WithRateLimit(4, 50*time.Second))
		// 12 callers need three windows; a caller may lose the race for a slot
		// in each (goroutines acting at the same instant run in any order), so
		// allow more than the default 3 retries.
		c, err := srv.NewClient(creatoraudit.WithMaxRetries(10))
		require.NoError(t, err)
		ctx := testCtx(t)
		errs := make(chan error, 12)
		for i := 0; i < 12; i++ {
			go func() {
				_, err := c.Meta.WhoAmI(ctx)
				errs <- err
			}()
		}
		for i := 0; i < 12; i++ {
			require.NoError(t, <-errs)
		}
		assert.Equal(t, 12, srv.Snapshot().Statuses[creatoraudittest.RouteWhoAmI][200])
	})
}

func TestFaultsAreRiddenOut(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv, c := fastFake(t, creatoraudittest.WithSeed(3))
		ctx := testCtx(t)
		srv.AddAccounts(creatoraudit.Instagram, "a", "b", "c")
		srv.SetFaults(creatoraudittest.Faults{Storm429: 2, StormRetryAfter: time.Second})
		w, err := c.Meta.WhoAmI(ctx)
		require.NoError(t, err)
		assert.Equal(t, 3, w.Response.Attempts, "two 429s with Retry-After, then success")

		srv.SetFaults(creatoraudittest.Faults{Routes: []string{creatoraudittest.RouteAccountsList}, ErrorRate: map[int]float64{503: 0.3, 502: 0.2}, TruncateRate: 0.1, MalformRate: 0.1, DropRate: 0.1})
		c2, err := srv.NewClient(creatoraudit.WithMaxRetries(10))
		require.NoError(t, err)
		for i := 0; i < 10; i++ {
			n := 0
			for _, err := range c2.Accounts.ListAll(ctx, creatoraudit.ListAccountsParams{Limit: 1}) {
				require.NoError(t, err)
				n++
			}
			assert.Equal(t, 3, n)
		}
		snap := srv.Snapshot()
		assert.Positive(t, snap.Statuses[creatoraudittest.RouteAccountsList][503]+snap.Statuses[creatoraudittest.RouteAccountsList][502])
		assert.Positive(t, snap.Faulted[creatoraudittest.RouteAccountsList]+snap.Dropped[creatoraudittest.RouteAccountsList])

		srv.SetFaults(creatoraudittest.Faults{Routes: []string{creatoraudittest.RouteAccountUpdate}, ErrorRate: map[int]float64{500: 1}})
		_, err = c.Accounts.Update(ctx, "00000000-0000-4000-8000-000000000000", creatoraudit.UpdateAccountParams{IsActive: creatoraudit.Bool(true)})
		var e *creatoraudit.Error
		require.True(t, errors.As(err, &e))
		assert.ErrorIs(t, err, creatoraudit.ErrServer)
		assert.Equal(t, creatoraudit.CodeInternalError, creatoraudit.CodeOf(err))
		assert.Equal(t, 4, e.Attempts, "PATCH with absolute values is retried")
	})
}

func TestETagsAgainstTheFake(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv, c := fastFake(t)
		ctx := testCtx(t)
		ids := srv.AddAccounts(creatoraudit.Instagram, "natgeo")
		a, err := c.Accounts.Get(ctx, ids[0])
		require.NoError(t, err)
		require.NotEmpty(t, a.Response.GetHeader("ETag"))
		same, err := c.Accounts.Get(ctx, ids[0], creatoraudit.IfNoneMatch(a.Response.GetHeader("ETag")))
		require.NoError(t, err)
		assert.True(t, creatoraudit.NotModified(same.Response))
		_, err = c.Accounts.Update(ctx, ids[0], creatoraudit.UpdateAccountParams{Category: creatoraudit.String("media")})
		require.NoError(t, err)
		changed, err := c.Accounts.Get(ctx, ids[0], creatoraudit.IfNoneMatch(a.Response.GetHeader("ETag")))
		require.NoError(t, err)
		assert.False(t, creatoraudit.NotModified(changed.Response))
		assert.Equal(t, "media", changed.Category)

		cached, err := srv.NewClient(creatoraudit.WithETagCache(16))
		require.NoError(t, err)
		first, err := cached.Accounts.Get(ctx, ids[0])
		require.NoError(t, err)
		second, err := cached.Accounts.Get(ctx, ids[0])
		require.NoError(t, err)
		assert.True(t, creatoraudit.NotModified(second.Response))
		assert.Equal(t, first.Username, second.Username)
		assert.JSONEq(t, string(first.Raw), string(second.Raw))
		assert.Equal(t, 2, srv.Snapshot().Statuses[creatoraudittest.RouteAccountGet][304], "one IfNoneMatch, one cache revalidation")
	})
}

// The one wait policy: a check that fails transiently (every attempt of
// it failed) is made again, up to WithMaxRetries failed checks in a row;
// one more ends the wait with the transport's error, not a timeout. With
// WithMaxRetries(r), a check is r+1 attempts and the wait r+1 checks.
func TestWaitEndsAfterTheClientsRetries(t *testing.T) {
	vendortest.Retries(t, "%d retries", []int{0, 1, 3}, func(t *testing.T, retries int) {
		srv, _ := fastFake(t)
		c, err := srv.NewClient(creatoraudit.WithMaxRetries(retries))
		require.NoError(t, err)
		ids := srv.AddAccounts(creatoraudit.TikTok, "natgeo")
		srv.SetFaults(creatoraudittest.Faults{Routes: []string{creatoraudittest.RouteAccountGet}, ErrorRate: map[int]float64{503: 1}})
		_, err = c.Accounts.GetAndWait(testCtx(t), ids[0], srv.PollOptions()...)
		require.ErrorIs(t, err, creatoraudit.ErrServer)
		var te *creatoraudit.TimeoutError
		assert.False(t, errors.As(err, &te), "the transport's error, not a timeout: %v", err)
		assert.Equal(t, (retries+1)*(retries+1), srv.Snapshot().Requests[creatoraudittest.RouteAccountGet])
	})
}

// Every analytics scope of the fake compares its window with the one
// before it, as the overview does: Current is the window's totals,
// Previous has fewer views (the fake's assumption), Changes the percent
// change; an account not scraped yet has null figures and no changes.
func TestAnalyticsComparisonAgainstTheFake(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv, c := fastFake(t)
		ctx := testCtx(t)
		ids := srv.AddAccounts(creatoraudit.Instagram, "natgeo", "nasa")
		cr := srv.AddCreator("National Geographic", ids...)
		vids := srv.AddVideos(creatoraudit.TikTok, "https://www.tiktok.com/@natgeo/video/7300000000000000001")
		week := creatoraudit.AnalyticsParams{Period: creatoraudit.Period7d}
		scopes := map[string]func() (*creatoraudit.Analytics, error){
			"Accounts.Analytics": func() (*creatoraudit.Analytics, error) { return c.Accounts.Analytics(ctx, ids[0], week) },
			"Videos.Analytics":   func() (*creatoraudit.Analytics, error) { return c.Videos.Analytics(ctx, vids[0], week) },
			"Creators.Analytics": func() (*creatoraudit.Analytics, error) { return c.Creators.Analytics(ctx, cr, week) },
		}
		for name, get := range scopes {
			a, err := get()
			require.NoError(t, err, name)
			require.NotNil(t, a.Current, name)
			require.NotNil(t, a.Previous, name)
			require.NotNil(t, a.Changes, name)
			assert.Equal(t, a.Metrics.GetViews(), a.Current.GetViews(), name)
			assert.Less(t, a.Previous.GetViews(), a.Current.GetViews(), name)
			require.NotNil(t, a.Changes.Views, name)
			want := float64(a.Current.GetViews()-a.Previous.GetViews()) / float64(a.Previous.GetViews()) * 100
			assert.InDelta(t, want, *a.Changes.Views, 0.01, name)
			assert.Empty(t, a.Response.DecodeIssues, name)
		}
		fresh, err := c.Accounts.Create(ctx, creatoraudit.CreateAccountParams{Platform: creatoraudit.TikTok, Username: "newcomer"})
		require.NoError(t, err)
		a, err := c.Accounts.Analytics(ctx, fresh.ID, week)
		require.NoError(t, err)
		require.NotNil(t, a.Current)
		assert.Nil(t, a.Current.Views, "not scraped: null")
		assert.Equal(t, creatoraudit.MetricChanges{}, *a.Changes, "nothing to compare")
	})
}

// The fake serves an OpenAPI document of its own routes: every path the
// SDK uses by default is in it, so Operations can check Paths.
func TestOpenAPIAgainstTheFake(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv, c := fastFake(t)
		d, err := c.Meta.OpenAPI(testCtx(t))
		require.NoError(t, err)
		assert.Equal(t, "3.1.0", d.OpenAPI)
		assert.Contains(t, d.Info.Title, "CreatorAudit API v2")
		assert.Contains(t, d.Operations(), "GET /openapi.json")
		p := reflect.ValueOf(creatoraudit.DefaultPaths())
		for i := range p.NumField() {
			path := "/" + p.Field(i).String()
			assert.Contains(t, d.Paths, path, "Paths.%s is in the document", p.Type().Field(i).Name)
		}
		assert.Len(t, d.Paths, p.NumField(), "one path for each of Paths, no other")
		assert.Equal(t, 1, srv.Snapshot().Requests[creatoraudittest.RouteOpenAPI])
	})
}
