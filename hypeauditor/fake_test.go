package hypeauditor_test

import (
	"context"
	"errors"
	"math"
	"net/http"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/creatorkit/creatorkit-go/hypeauditor"
	"github.com/creatorkit/creatorkit-go/hypeauditor/hypeauditortest"
	"github.com/creatorkit/creatorkit-go/internal/vendortest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestFakeReportLifecycle(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		// 1,000 seconds of generation: both first requests come long
		// before it ends.
		srv, c := newFake(t, hypeauditortest.WithGeneration(1000*time.Second))
		ctx := testCtx(t)

		r, err := c.Reports.Instagram(ctx, hypeauditor.InstagramParams{Username: "natgeo"})
		require.NoError(t, err)
		assert.True(t, r.NotReady())
		assert.Equal(t, http.StatusAccepted, r.Response.StatusCode)
		assert.InDelta(t, 30, float64(*r.RetryTTL), 0.001, "retryTtl 30 s")
		assert.Equal(t, 999, srv.Credits(), "the first request unlocks the report")

		r, err = c.Reports.Instagram(ctx, hypeauditor.InstagramParams{Username: "natgeo"})
		require.NoError(t, err)
		assert.True(t, r.NotReady())
		assert.Equal(t, 999, srv.Credits(), "asking again does not charge again")

		var progress []hypeauditor.Progress
		start := time.Now()
		r, err = c.Reports.InstagramAndWait(ctx, hypeauditor.InstagramParams{Username: "natgeo"},
			append(srv.PollOptions(), hypeauditor.WithProgress(func(p hypeauditor.Progress) { progress = append(progress, p) }))...)
		require.NoError(t, err)
		// A check every retryTtl (30 s) from the start: the first after
		// the 1,000 s generation is at 1,020 s.
		assert.Equal(t, 1020*time.Second, time.Since(start))
		assert.Equal(t, hypeauditor.StateReady, r.State)
		assert.Equal(t, http.StatusOK, r.Response.StatusCode)
		s := r.Summary()
		assert.Equal(t, "natgeo", s.Username)
		require.NotNil(t, s.Quality)
		assert.GreaterOrEqual(t, s.Quality.Score, 30.0)
		at := r.User.AudienceType
		require.NotNil(t, at)
		assert.InDelta(t, 100, float64(*at.Real+*at.Susp+*at.Infs+*at.Mass), 0.05)
		assert.Len(t, s.AudienceCountries, 10)
		assert.Equal(t, hypeauditor.Int(999), *r.RestTokens)
		assert.True(t, r.ValidUntil.After(time.Now()))
		require.NotEmpty(t, progress)
		assert.Equal(t, hypeauditor.StateNotReady, progress[0].State)
		assert.Equal(t, "natgeo", progress[0].Account)
		assert.Zero(t, progress[0].Elapsed, "the first check comes at once")
		assert.Equal(t, 30*time.Second, progress[0].Next, "the retryTtl")
		require.Len(t, progress, 34, "checks at 0, 30, ..., 990 s found it generating")
		assert.Equal(t, 990*time.Second, progress[33].Elapsed)

		before := srv.Snapshot().Requests[hypeauditortest.RouteReport]
		_, err = c.Reports.InstagramAndWait(ctx, hypeauditor.InstagramParams{Username: "natgeo"}, srv.PollOptions()...)
		require.NoError(t, err)
		assert.Equal(t, before+1, srv.Snapshot().Requests[hypeauditortest.RouteReport], "a ready report is one request")

		p, err := c.Account.PlanInfo(ctx)
		require.NoError(t, err)
		assert.Equal(t, hypeauditor.Int(999), p.Reports.Credits)
		assert.EqualValues(t, 1, srv.Snapshot().TotalCredits())
	})
}

// The flow of examples/hypeauditor-report: connections, then a report per
// network, by the ids the connections give.
func TestFakeConnectionsThenReports(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv, c := newFake(t)
		ctx := testCtx(t)
		conns, err := c.Connections.Get(ctx, hypeauditor.ConnectionsParams{Username: "nasa", Type: hypeauditor.Instagram})
		require.NoError(t, err)
		require.Len(t, conns.Accounts, 5, "the documented sample")
		assert.Equal(t, hypeauditor.StateReadyLowConfidence, conns.Accounts[4].State)
		assert.Equal(t, 1000, srv.Credits(), "connections are free")

		byID, err := c.Connections.Get(ctx, hypeauditor.ConnectionsParams{ID: "UCLA_DiR1FfKNvjuUpBHmylQ", Type: hypeauditor.YouTube})
		require.NoError(t, err)
		assert.Equal(t, conns.Accounts, byID.Accounts)

		var wg sync.WaitGroup
		summaries := make([]hypeauditor.Summary, len(conns.Accounts))
		errs := make([]error, len(conns.Accounts))
		for i, a := range conns.Accounts {
			wg.Add(1)
			go func() {
				defer wg.Done()
				switch a.Type {
				case hypeauditor.Instagram:
					r, err := c.Reports.InstagramAndWait(ctx, hypeauditor.InstagramParams{UserID: string(a.SocialID)}, srv.PollOptions()...)
					if errs[i] = err; err == nil {
						summaries[i] = r.Summary()
					}
				case hypeauditor.YouTube:
					r, err := c.Reports.YouTubeAndWait(ctx, hypeauditor.YouTubeParams{Channel: string(a.SocialID)}, srv.PollOptions()...)
					if errs[i] = err; err == nil {
						summaries[i] = r.Summary()
					}
				case hypeauditor.Twitter:
					r, err := c.Reports.TwitterAndWait(ctx, hypeauditor.ChannelParams{Channel: a.Username}, srv.PollOptions()...)
					if errs[i] = err; err == nil {
						summaries[i] = r.Summary()
					}
				}
			}()
		}
		wg.Wait()
		for i, a := range conns.Accounts {
			require.NoError(t, errs[i], a.Username)
			assert.Equal(t, a.Username, summaries[i].Username)
			assert.Equal(t, a.Type.String(), summaries[i].Platform)
			assert.NotNil(t, summaries[i].EngagementRate, a.Username)
		}
		assert.Equal(t, hypeauditor.QualityCQS, summaries[2].GetQuality().Name)
		assert.Empty(t, summaries[4].AudienceCountries, "nasagovvideo is READY_LOW_CONFIDENCE")
		assert.Equal(t, 995, srv.Credits())

		_, err = c.Connections.Get(ctx, hypeauditor.ConnectionsParams{ID: "999", Type: hypeauditor.TikTok})
		assert.ErrorIs(t, err, hypeauditor.ErrNotFound)
		assert.Equal(t, hypeauditor.CodeObjectNotFound, hypeauditor.CodeOf(err))
	})
}

func TestFakeOutcomesAndRefunds(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv, c := newFake(t)
		ctx := testCtx(t)
		cases := map[string]hypeauditor.ReportState{
			"someprivate": hypeauditor.StatePrivate, "noposts_jane": hypeauditor.StateNoPosts, "wasdeleted": hypeauditor.StateDeleted,
			"restricted1": hypeauditor.StateRestricted, "notfound1": hypeauditor.StateChannelNotFound, "novideos1": hypeauditor.StateNoVideos,
			"noviews1": hypeauditor.StateNoViews, "lowviews1": hypeauditor.StateLowViews,
		}
		for name, state := range cases {
			r, err := c.Reports.TikTokAndWait(ctx, hypeauditor.TikTokParams{Channel: "@" + name}, srv.PollOptions()...)
			assert.Nil(t, r)
			var ie *hypeauditor.ItemError
			require.True(t, errors.As(err, &ie), "%s: %v", name, err)
			assert.ErrorIs(t, err, hypeauditor.ErrReportUnavailable, name)
			assert.Equal(t, string(state), ie.State, name)
			assert.Equal(t, "@"+name, ie.Input, "as given")
			assert.Equal(t, "tiktok/@"+name, ie.Item, "as HypeAuditor knows it")
			assert.Equal(t, "hypeauditor", ie.Vendor)
			assert.NotEmpty(t, ie.Reason, name)
		}
		assert.Equal(t, 1000, srv.Credits(), "every failed report was refunded")
		snap := srv.Snapshot()
		assert.Equal(t, len(cases), snap.Refunds)
		assert.EqualValues(t, 0, snap.TotalCredits())
		assert.Equal(t, len(cases), srv.Unlocks())

		// REPORT_CALCULATING: "come back later"; the waiter keeps asking at
		// the fallback interval.
		r, err := c.Reports.Twitch(ctx, hypeauditor.ChannelParams{Channel: "calculating_now"})
		var ie *hypeauditor.ItemError
		require.True(t, errors.As(err, &ie))
		assert.Equal(t, string(hypeauditor.StateReportCalculating), ie.State)
		assert.ErrorIs(t, err, hypeauditor.ErrReportUnavailable)
		assert.Nil(t, r)
		tw, err := c.Reports.TwitchAndWait(ctx, hypeauditor.ChannelParams{Channel: "calculating_now"}, srv.PollOptions()...)
		require.NoError(t, err)
		assert.Equal(t, hypeauditor.StateReady, tw.State)
		assert.Equal(t, hypeauditor.Twitch, tw.Platform)

		low, err := c.Reports.InstagramAndWait(ctx, hypeauditor.InstagramParams{Username: "lowconf_bob"}, srv.PollOptions()...)
		require.NoError(t, err)
		assert.True(t, low.LowConfidence())
		assert.Equal(t, hypeauditor.InstagramMissingBlocks(), low.MissingBlocks())
		assert.Nil(t, low.User.AudienceType)
		assert.Nil(t, low.User.AudienceGeography)
		assert.Equal(t, 998, srv.Credits())
	})
}

// The waiter never asks sooner than retryTtl, and a report that takes T
// with retryTtl R costs at most ceil(T/R)+1 requests.
func TestFakeWaitHonoursRetryTTL(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		const gen, ttl = 100 * time.Second, 30 * time.Second
		srv, _ := newFake(t, hypeauditortest.WithGeneration(gen), hypeauditortest.WithRetryTTL(ttl))
		rec := &stampTransport{base: srv.HTTPClient().Transport}
		c, err := srv.NewClient(hypeauditor.WithHTTPClient(&http.Client{Transport: rec}))
		require.NoError(t, err)
		r, err := c.Reports.YouTubeAndWait(testCtx(t), hypeauditor.YouTubeParams{Channel: "veritasium"}, srv.PollOptions()...)
		require.NoError(t, err)
		assert.True(t, r.Ready())
		stamps := rec.times()
		limit := int(math.Ceil(float64(gen)/float64(ttl))) + 1
		assert.Len(t, stamps, limit, "ceil(T/R)+1 = %d", limit)
		for i := 1; i < len(stamps); i++ {
			assert.Equal(t, ttl, stamps[i].Sub(stamps[i-1]), "check %d came exactly retryTtl after the one before", i)
		}
	})
}

type stampTransport struct {
	base  http.RoundTripper
	mu    sync.Mutex
	stamp []time.Time
}

func (s *stampTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	s.mu.Lock()
	s.stamp = append(s.stamp, time.Now())
	s.mu.Unlock()
	return s.base.RoundTrip(r)
}

func (s *stampTransport) times() []time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]time.Time(nil), s.stamp...)
}

func TestFakeWaitBudgetAndCap(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv, c := newFake(t, hypeauditortest.WithGeneration(time.Hour))
		// The budget ends long before the report: the waiter returns the last
		// NOT_READY report and a timeout naming it, without a check it knows
		// would come after the deadline.
		ctx := timeout(t, 500*time.Second)
		start := time.Now()
		r, err := c.Reports.SnapchatAndWait(ctx, hypeauditor.ChannelParams{Channel: "slowreport"}, srv.PollOptions()...)
		var te *hypeauditor.TimeoutError
		require.True(t, errors.As(err, &te), "%v", err)
		assert.ErrorIs(t, err, context.DeadlineExceeded)
		require.NotNil(t, r)
		assert.True(t, r.NotReady())
		assert.Equal(t, "NOT_READY (next check in 30s)", te.Last)
		var ie *hypeauditor.ItemError
		require.ErrorAs(t, err, &ie, "the wait's answer is an ItemError whose Err is the TimeoutError")
		assert.Same(t, te, ie.Err)
		assert.Equal(t, "snapchat/@slowreport", ie.Item)
		assert.Equal(t, "slowreport", ie.Input)
		assert.Equal(t, "NOT_READY", ie.State)
		assert.Contains(t, ie.Reason, "ask again later with Reports.Snapchat")
		assert.Equal(t, te.Checks, srv.Snapshot().Requests[hypeauditortest.RouteSnapchat])
		// Checks every 30 s retryTtl, never sooner: at 0, 30, ..., 480 s;
		// the next would come after the 500 s deadline, so the wait stops
		// at once.
		assert.Equal(t, 17, te.Checks)
		assert.Equal(t, 480*time.Second, time.Since(start), "stopped at the last check, not at the deadline")

		// A retryTtl over the cap ends the wait at once.
		r2, err := c.Reports.TwitchHistoryAndWait(timeout(t, 5*time.Second), hypeauditor.ChannelParams{Channel: "slowhistory"},
			hypeauditor.WithMaxRetryTTL(10*time.Second))
		assert.ErrorIs(t, err, hypeauditor.ErrRetryTTLTooLong)
		require.NotNil(t, r2)
		assert.True(t, r2.NotReady())
		assert.Equal(t, 1, srv.Snapshot().Requests[hypeauditortest.RouteTwitchHistory])
	})
}

func TestFakeTwitchHistoryUnlocksReport(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv, c := newFake(t)
		ctx := testCtx(t)
		h, err := c.Reports.TwitchHistoryAndWait(ctx, hypeauditor.ChannelParams{Channel: "shroud"}, srv.PollOptions()...)
		require.NoError(t, err)
		assert.Len(t, h.MetricsHistory["monthly_views_avg"].History, 3)
		assert.Equal(t, 999, srv.Credits())
		tw, err := c.Reports.Twitch(ctx, hypeauditor.ChannelParams{Channel: "shroud"})
		require.NoError(t, err)
		assert.True(t, tw.Ready(), "the history unlocked the report")
		assert.Nil(t, tw.Summary().EngagementRate, "Twitch has no er")
		assert.Equal(t, 999, srv.Credits())
	})
}

func TestFakeAccountMedia(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv, c := newFake(t)
		ctx := testCtx(t)
		_, err := c.Reports.Media(ctx, hypeauditor.MediaParams{Username: "cristiano"})
		assert.ErrorIs(t, err, hypeauditor.ErrForbidden)
		assert.Equal(t, hypeauditor.CodeAccessDenied, hypeauditor.CodeOf(err))
		_, err = c.Reports.InstagramAndWait(ctx, hypeauditor.InstagramParams{Username: "cristiano"}, srv.PollOptions()...)
		require.NoError(t, err)
		m, err := c.Reports.Media(ctx, hypeauditor.MediaParams{Username: "cristiano"})
		require.NoError(t, err)
		assert.Len(t, m.Media, 3)
		assert.Equal(t, 999, srv.Credits(), "media is free once unlocked")
	})
}

func TestFakeUnlockedListAll(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv, c := newFake(t, hypeauditortest.WithGeneration(time.Second))
		ctx := testCtx(t)
		names := []string{"a1", "a2", "a3", "a4", "a5", "someprivate", "a6", "a7"}
		for _, n := range names {
			_, err := c.Reports.InstagramAndWait(ctx, hypeauditor.InstagramParams{Username: n}, srv.PollOptions()...)
			if n == "someprivate" {
				require.ErrorIs(t, err, hypeauditor.ErrReportUnavailable)
				continue
			}
			require.NoError(t, err)
		}
		before := srv.Snapshot().Requests[hypeauditortest.RouteUnlocked]
		var got []string
		for r, err := range c.Unlocked.ListAll(ctx, hypeauditor.UnlockedParams{Limit: 3}) {
			require.NoError(t, err)
			assert.True(t, r.IsCompleted())
			got = append(got, r.Username)
		}
		assert.Equal(t, []string{"a1", "a2", "a3", "a4", "a5", "a6", "a7"}, got, "the refunded report is not unlocked")
		assert.Equal(t, 3, srv.Snapshot().Requests[hypeauditortest.RouteUnlocked]-before, "pages of 3, 3, 1")

		n := 0
		for range c.Unlocked.ListAll(ctx, hypeauditor.UnlockedParams{Limit: 2}) {
			n++
			if n == 3 {
				break
			}
		}
		assert.Equal(t, 5, srv.Snapshot().Requests[hypeauditortest.RouteUnlocked]-before, "break stops before the next page")

		l, err := c.Unlocked.List(ctx, hypeauditor.UnlockedParams{DateFrom: time.Now().UTC().Add(time.Hour).Format(time.DateTime)})
		require.NoError(t, err)
		assert.Empty(t, l.Data, "date_from in the future")
	})
}

func TestFakeCreatorsListAll(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv, c := newFake(t)
		ctx := testCtx(t)
		n := 0
		for cr, err := range c.Creators.ListAll(ctx, hypeauditor.CreatorsParams{Limit: 20}) {
			require.NoError(t, err)
			n++
			assert.NotEmpty(t, cr.Accounts)
		}
		assert.Equal(t, 45, n)
		assert.Equal(t, 3, srv.Snapshot().Requests[hypeauditortest.RouteCreators])
		l, err := c.Creators.List(ctx, hypeauditor.CreatorsParams{Cursor: "40"})
		require.NoError(t, err)
		assert.Len(t, l.Creators, 5)
		assert.Nil(t, l.NextCursor)
	})
}

func TestFakeSearchAll(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv, c := newFake(t)
		ctx := testCtx(t)
		p := hypeauditor.SearchParams{Platform: hypeauditor.TikTok, Sort: &hypeauditor.Sort{Field: "subscribers_count", Order: "desc"}}

		var left []int
		n, last := 0, math.Inf(1)
		counted := hypeauditor.WithPageFunc(func(sp *hypeauditor.SearchPage) { left = append(left, int(*sp.QueriesLeft)) })
		for res, err := range c.Discovery.SearchAll(ctx, p, counted) {
			require.NoError(t, err)
			subs := float64(*res.Metric("subscribers_count").Value)
			assert.LessOrEqual(t, subs, last, "sorted")
			last = subs
			n++
		}
		assert.Equal(t, 5*hypeauditor.SearchPageSize, n, "capped at DefaultSearchMaxPages")
		assert.Equal(t, []int{999, 998, 997, 996, 995}, left)
		assert.Equal(t, 995, srv.DiscoveryRequests())

		n = 0
		for _, err := range c.Discovery.SearchAll(ctx, p, hypeauditor.WithMaxPages(50)) {
			require.NoError(t, err)
			n++
		}
		assert.Equal(t, 137, n, "every result, stopping after the last page")
		assert.Equal(t, 988, srv.DiscoveryRequests(), "7 pages")

		n = 0
		for range c.Discovery.SearchAll(ctx, p, hypeauditor.WithMaxItems(30)) {
			n++
		}
		assert.Equal(t, 30, n)
		assert.Equal(t, 986, srv.DiscoveryRequests(), "2 pages")

		for range c.Discovery.SearchAll(ctx, p) {
			break
		}
		assert.Equal(t, 985, srv.DiscoveryRequests(), "nothing is prefetched")

		page, err := c.Discovery.Search(ctx, hypeauditor.SearchParams{Platform: hypeauditor.Instagram, SubscribersCount: hypeauditor.AtLeast(1e6), Page: 1})
		require.NoError(t, err)
		for _, r := range page.Items() {
			assert.GreaterOrEqual(t, float64(*r.Metric("subscribers_count").Value), 1e6)
			assert.Equal(t, hypeauditor.Instagram, r.SocialNetworks()[0].Type.Platform())
		}

		n = 0
		for _, err := range c.Discovery.SearchSandboxAll(ctx, p, hypeauditor.WithMaxPages(10)) {
			require.NoError(t, err)
			n++
		}
		assert.Equal(t, 45, n)
		assert.Equal(t, 984, srv.DiscoveryRequests(), "the sandbox is free")
		assert.Equal(t, 3, srv.Snapshot().Requests[hypeauditortest.RouteSearchSandbox])
	})
}

func TestFakeDiscoveryExhausted(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv, c := newFake(t, hypeauditortest.WithDiscoveryRequests(2))
		ctx := testCtx(t)
		var err error
		n := 0
		for _, e := range c.Discovery.SearchAll(ctx, hypeauditor.SearchParams{Platform: hypeauditor.YouTube}) {
			if e != nil {
				err = e
				break
			}
			n++
		}
		assert.Equal(t, 40, n)
		assert.ErrorIs(t, err, hypeauditor.ErrQuotaExceeded)
		assert.Equal(t, 3, srv.Snapshot().Requests[hypeauditortest.RouteSearch], "a 402 is not retried")
	})
}

func TestFakeCredentialsAndAccess(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv, _ := newFake(t)
		bad, err := hypeauditor.NewClient(append(srv.ClientOptions(), hypeauditor.WithCredentials(srv.ClientID, "wrong-token"))...)
		require.NoError(t, err)
		_, err = bad.Account.PlanInfo(testCtx(t))
		assert.ErrorIs(t, err, hypeauditor.ErrUnauthorized)
		assert.Equal(t, hypeauditor.CodeInvalidToken, hypeauditor.CodeOf(err))
		assert.NotContains(t, err.Error(), "wrong-token")

		noAccess, c := newFake(t, hypeauditortest.WithNoAPIAccess())
		_, err = c.Reports.Instagram(testCtx(t), hypeauditor.InstagramParams{Username: "nasa"})
		assert.ErrorIs(t, err, hypeauditor.ErrQuotaExceeded)
		assert.Equal(t, hypeauditor.CodeNoAPIAccess, hypeauditor.CodeOf(err))
		assert.Equal(t, 1, noAccess.Snapshot().TotalRequests())

		poor, c := newFake(t, hypeauditortest.WithCredits(1))
		ctx := testCtx(t)
		_, err = c.Reports.TikTok(ctx, hypeauditor.TikTokParams{Channel: "first"})
		require.NoError(t, err)
		_, err = c.Reports.TikTok(ctx, hypeauditor.TikTokParams{Channel: "second"})
		assert.ErrorIs(t, err, hypeauditor.ErrQuotaExceeded)
		assert.NotErrorIs(t, err, hypeauditor.ErrReportUnavailable)
		assert.Equal(t, 0, poor.Credits())

		req, _ := http.NewRequest("GET", srv.BaseURL()+"auditor.noSuchMethod?v=2", nil)
		req.Header.Set("X-Auth-Id", srv.ClientID)
		req.Header.Set("X-Auth-Token", srv.Token)
		resp, err := srv.HTTPClient().Do(req)
		require.NoError(t, err)
		resp.Body.Close()
		assert.Equal(t, 400, resp.StatusCode, "unknown method: 400 code 3")
	})
}

// Every call the SDK makes carries v=2, and names its route for
// observers: the method's name, never the account.
func TestFakeVersionOnEveryCall(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv, _ := newFake(t, hypeauditortest.WithGeneration(time.Millisecond))
		rec := &vendortest.Recorder{}
		c, err := srv.NewClient(hypeauditor.WithObserver(rec))
		require.NoError(t, err)
		ctx := testCtx(t)
		_, _ = c.Reports.InstagramAndWait(ctx, hypeauditor.InstagramParams{Username: "nasa"}, srv.PollOptions()...)
		_, _ = c.Reports.InstagramAndWait(ctx, hypeauditor.InstagramParams{UserID: "528817151"}, srv.PollOptions()...)
		_, _ = c.Reports.TikTokAndWait(ctx, hypeauditor.TikTokParams{UserID: "6557821753438371845"}, srv.PollOptions()...)
		_, _ = c.Reports.YouTube(ctx, hypeauditor.YouTubeParams{Channel: "NASA"})
		_, _ = c.Reports.Twitch(ctx, hypeauditor.ChannelParams{Channel: "nasa"})
		_, _ = c.Reports.Twitter(ctx, hypeauditor.ChannelParams{Channel: "nasa"})
		_, _ = c.Reports.Snapchat(ctx, hypeauditor.ChannelParams{Channel: "nasa"})
		_, _ = c.Reports.TwitchHistory(ctx, hypeauditor.ChannelParams{Channel: "nasa"})
		_, _ = c.Reports.Media(ctx, hypeauditor.MediaParams{Username: "nasa"})
		_, _ = c.Connections.Get(ctx, hypeauditor.ConnectionsParams{Username: "nasa", Type: hypeauditor.Instagram})
		_, _ = c.Unlocked.List(ctx, hypeauditor.UnlockedParams{})
		_, _ = c.Account.PlanInfo(ctx)
		_, _ = c.Creators.List(ctx, hypeauditor.CreatorsParams{})
		sg, err := c.Discovery.Suggest(ctx, hypeauditor.SuggestParams{Search: "nasa"})
		require.NoError(t, err)
		assert.NotEmpty(t, sg.List)
		_, _ = c.Discovery.Search(ctx, hypeauditor.SearchParams{Platform: hypeauditor.Twitch})
		_, _ = c.Discovery.SearchSandbox(ctx, hypeauditor.SearchParams{Platform: hypeauditor.Twitch})
		snap := srv.Snapshot()
		assert.GreaterOrEqual(t, len(snap.Requests), 16)
		assert.Equal(t, 0, srv.MissingVersion())
		assert.Zero(t, snap.Count(500))
		routes := map[string]bool{}
		for _, s := range rec.Starts() {
			if s.Method != "" {
				assert.True(t, strings.HasPrefix(s.Route, "auditor."), "%s: route %q", s.Operation, s.Route)
				routes[s.Route] = true
			}
		}
		for route := range snap.Requests {
			assert.True(t, routes[route], "the fake's route %s is the observed route", route)
		}
	})
}

// A client paced by the documented limit never earns a 429.
func TestFakeRateLimit(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv, c := newFake(t)
		ctx := testCtx(t)
		for i := 0; i < 150; i++ {
			_, err := c.Account.PlanInfo(ctx)
			require.NoError(t, err)
		}
		assert.Equal(t, 0, srv.Snapshot().RateLimited, "paced under 99 a minute")

		// The fake enforces the window with a bare 429, as HypeAuditor
		// documents it: no X-RateLimit-* headers, no Retry-After. The 12
		// requests all fall in one (virtual) minute.
		tight, _ := newFake(t, hypeauditortest.WithRateLimit(10, time.Minute))
		statuses := map[int]int{}
		for i := 0; i < 12; i++ {
			req, _ := http.NewRequest("GET", tight.BaseURL()+"auditor.planInfo?v=2", nil)
			req.Header.Set("X-Auth-Id", tight.ClientID)
			req.Header.Set("X-Auth-Token", tight.Token)
			resp, err := tight.HTTPClient().Do(req)
			require.NoError(t, err)
			resp.Body.Close()
			statuses[resp.StatusCode]++
			assert.Empty(t, resp.Header.Get("X-RateLimit-Remaining"))
			if resp.StatusCode == 429 {
				assert.Empty(t, resp.Header.Get("Retry-After"))
			}
		}
		assert.Equal(t, map[int]int{200: 10, 429: 2}, statuses)
		assert.Equal(t, 2, tight.Snapshot().RateLimited)
	})
}

func TestFakeFaults(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv, _ := newFake(t, hypeauditortest.WithSeed(7))
		c, err := srv.NewClient(hypeauditor.WithMaxRetries(6))
		require.NoError(t, err)
		ctx := testCtx(t)

		// About a third of report attempts fail one way or another.
		srv.SetFaults(hypeauditortest.Faults{Routes: hypeauditortest.ReportRoutes(), ErrorRate: map[int]float64{500: 0.15, 502: 0.05}, DropRate: 0.05, TruncateRate: 0.05, MalformRate: 0.05})
		for _, name := range []string{"f1", "f2", "f3"} {
			r, err := c.Reports.InstagramAndWait(ctx, hypeauditor.InstagramParams{Username: name}, srv.PollOptions()...)
			require.NoError(t, err, name)
			assert.True(t, r.Ready())
		}
		assert.Equal(t, 997, srv.Credits(), "retried report requests never charge twice")
		snap := srv.Snapshot()
		assert.Positive(t, snap.Count(500)+snap.Count(502)+snap.Dropped[hypeauditortest.RouteReport]+snap.Faulted[hypeauditortest.RouteReport])

		srv.SetFaults(hypeauditortest.Faults{Storm429: 3, StormRetryAfter: time.Second})
		_, err = c.Account.PlanInfo(ctx)
		require.NoError(t, err, "a 429 storm is ridden out")

		// A live search whose answer is lost after HypeAuditor ran it is not
		// resent: the discovery request was spent.
		srv.SetFaults(hypeauditortest.Faults{Routes: []string{hypeauditortest.RouteSearch}, DropAfterRate: 1})
		before := srv.DiscoveryRequests()
		_, err = c.Discovery.Search(ctx, hypeauditor.SearchParams{Platform: hypeauditor.Instagram})
		assert.ErrorIs(t, err, hypeauditor.ErrOutcomeUnknown)
		assert.Equal(t, before-1, srv.DiscoveryRequests())
		assert.Equal(t, 1, srv.Snapshot().Dropped[hypeauditortest.RouteSearch])

		srv.SetFaults(hypeauditortest.Faults{Routes: []string{hypeauditortest.RouteSearch}, MalformRate: 1})
		_, err = c.Discovery.Search(ctx, hypeauditor.SearchParams{Platform: hypeauditor.Instagram})
		assert.ErrorIs(t, err, hypeauditor.ErrUnexpectedResponse)
		assert.ErrorIs(t, err, hypeauditor.ErrOutcomeUnknown)

		// A connection dropped before the handler ran looks the same from the
		// client: not resent either, and the plan shows nothing was spent.
		srv.SetFaults(hypeauditortest.Faults{Routes: []string{hypeauditortest.RouteSearch}, DropRate: 1})
		before = srv.DiscoveryRequests()
		_, err = c.Discovery.Search(ctx, hypeauditor.SearchParams{Platform: hypeauditor.Instagram})
		assert.ErrorIs(t, err, hypeauditor.ErrOutcomeUnknown)
		assert.Equal(t, before, srv.DiscoveryRequests())

		// The sandbox spends nothing, so it is retried through drops.
		srv.SetFaults(hypeauditortest.Faults{Routes: []string{hypeauditortest.RouteSearchSandbox}, DropRate: 0.4, DropAfterRate: 0.2})
		for i := 0; i < 3; i++ {
			_, err = c.Discovery.SearchSandbox(ctx, hypeauditor.SearchParams{Platform: hypeauditor.Instagram})
			require.NoError(t, err)
		}
		assert.Positive(t, srv.Snapshot().Dropped[hypeauditortest.RouteSearchSandbox])
		srv.SetFaults(hypeauditortest.Faults{})
	})
}
