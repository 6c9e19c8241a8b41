package ylytic_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/creatorkit/creatorkit-go/internal/vendortest"
	"github.com/creatorkit/creatorkit-go/ylytic"
	"github.com/creatorkit/creatorkit-go/ylytic/ylytictest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// onFake starts the fake on the bubble's clock (call it inside
// synctest.Test) and a client for it.
func onFake(t *testing.T, fakeOpts []ylytictest.Option, opts ...ylytic.Option) (*ylytictest.Server, *ylytic.Client) {
	t.Helper()
	srv := ylytictest.NewServer(append([]ylytictest.Option{ylytictest.WithVirtualTime()}, fakeOpts...)...)
	t.Cleanup(srv.Close)
	c, err := srv.NewClient(opts...)
	require.NoError(t, err)
	return srv, c
}

// testCtx is a day of virtual time: a wait that never ends fails at the
// deadline after milliseconds of real time instead of hanging.
func testCtx(t *testing.T) context.Context { return vendortest.Ctx(t) }

// CreateAndWait creates the request and polls it until it completes: the
// fake's two minutes pass on the bubble's clock, at the default 10 s to
// 1 min interval, with a progress report per pending check.
func TestCreateAndWaitOnVirtualTime(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv, c := onFake(t, nil)
		var reports []ylytic.Progress
		start := time.Now()
		r, err := c.Refresh.CreateAndWait(testCtx(t), ylytic.RefreshParams{Type: ylytic.RefreshInstagram, Handle: "@Kavya.Cooks"},
			ylytic.WithProgress(func(p ylytic.Progress) { reports = append(reports, p) }))
		require.NoError(t, err)
		took := time.Since(start)
		assert.True(t, r.Succeeded())
		assert.GreaterOrEqual(t, took, 2*time.Minute)
		assert.Less(t, took, 2*time.Minute+time.Minute+13*time.Second, "at most one (jittered) interval late")
		require.NotEmpty(t, reports)
		for i, p := range reports {
			assert.Equal(t, "Refresh.CreateAndWait", p.Op)
			assert.Equal(t, r.RequestID, p.RequestID)
			assert.Equal(t, ylytic.RefreshPending, p.State)
			assert.Equal(t, i+1, p.Checks)
		}
		snap := srv.Snapshot()
		assert.Equal(t, 1, snap.Requests[ylytictest.RouteRefreshCreate])
		assert.Equal(t, len(reports)+1, snap.Requests[ylytictest.RouteRefreshGet], "one GET per check")
		assert.LessOrEqual(t, snap.Requests[ylytictest.RouteRefreshGet], 7, "10 s growing by 1.5: a handful of checks in two minutes")

		// GetAndWait on a request that already finished: one check.
		again, err := c.Refresh.GetAndWait(testCtx(t), r.RequestID)
		require.NoError(t, err)
		assert.Equal(t, r.RequestID, again.RequestID)
		assert.Equal(t, snap.Requests[ylytictest.RouteRefreshGet]+1, srv.Snapshot().Requests[ylytictest.RouteRefreshGet])
	})
}

// A refresh that fails ends the wait with an *ItemError (ErrRefreshFailed)
// that says which input and item, next to the request.
func TestWaitForAFailedRefresh(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		_, c := onFake(t, []ylytictest.Option{ylytictest.WithRefreshFailure(func(ylytic.RefreshParams) string { return "Post not found" })})
		r, err := c.Refresh.CreateAndWait(testCtx(t), ylytic.RefreshParams{Type: ylytic.RefreshInstagramPost, Shortcode: "DGx7Qp2tA1b"}, ylytic.WithPollInterval(5*time.Second, 0))
		require.ErrorIs(t, err, ylytic.ErrRefreshFailed)
		var ie *ylytic.ItemError
		require.ErrorAs(t, err, &ie)
		assert.Equal(t, "DGx7Qp2tA1b", ie.Input)
		assert.Equal(t, "instagram/id:DGx7Qp2tA1b", ie.Item)
		assert.Equal(t, r.RequestID, ie.ID)
		assert.Equal(t, "failed", ie.State)
		assert.Equal(t, "data refresh failed (status code 404): Post not found", ie.Reason)
		assert.True(t, r.Failed())
	})
}

// When the context ends first, the wait answers with an *ItemError whose
// Err is a *TimeoutError: the last state, the request's id, and both
// errors.As and errors.Is hold.
func TestWaitTimeoutIsAnItemError(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		_, c := onFake(t, []ylytictest.Option{ylytictest.WithRefreshDelay(time.Hour)})
		ctx, cancel := context.WithTimeout(t.Context(), 3*time.Minute)
		defer cancel()
		r, err := c.Refresh.CreateAndWait(ctx, ylytic.RefreshParams{Type: ylytic.RefreshInstagram, Handle: "@NatGeo"})
		require.Error(t, err)
		var ie *ylytic.ItemError
		require.ErrorAs(t, err, &ie)
		var te *ylytic.TimeoutError
		require.ErrorAs(t, err, &te)
		assert.ErrorIs(t, err, context.DeadlineExceeded)
		assert.Equal(t, "@NatGeo", ie.Input, "the input exactly as given")
		assert.Equal(t, "instagram/@natgeo", ie.Item)
		assert.Equal(t, r.RequestID, ie.ID)
		assert.Equal(t, "pending", ie.State)
		assert.Contains(t, ie.Reason, `Refresh.Get(ctx, "`+r.RequestID+`")`)
		assert.Positive(t, te.Checks)
		assert.True(t, r.Pending(), "the last request seen comes back")
		assert.Regexp(t, `^ylytic: instagram/@natgeo \(id [0-9a-f]{24}\): not finished in time; read it later with Refresh.Get\(ctx, "[0-9a-f]{24}"\): ylytic: Refresh.CreateAndWait: gave up after \d+ checks in [0-9.ms]+; last state: status pending: context deadline exceeded$`, err.Error())

		// GetAndWait by id: Input and ID are the id.
		ctx2, cancel2 := context.WithTimeout(t.Context(), time.Minute)
		defer cancel2()
		_, err = c.Refresh.GetAndWait(ctx2, r.RequestID)
		require.ErrorAs(t, err, &ie)
		assert.Equal(t, r.RequestID, ie.Input)
		assert.Equal(t, "instagram/@natgeo", ie.Item, "from the request Ylytic echoes")
	})
}

// One wait policy: faults the transport's retries absorb (30% 503s with 3
// retries: a check fails only if 4 attempts fail) never end a wait.
func TestWaitOutlastsFaultsTheRetriesAbsorb(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv, c := onFake(t, []ylytictest.Option{ylytictest.WithSeed(7), ylytictest.WithFaults(ylytictest.Faults{
			Routes: []string{ylytictest.RouteRefreshGet}, ErrorRate: map[int]float64{503: 0.3},
		})})
		for i := range 5 {
			r, err := c.Refresh.CreateAndWait(testCtx(t), ylytic.RefreshParams{Type: ylytic.RefreshYouTube, ChannelID: "UC" + strings.Repeat("x", i+1)})
			require.NoError(t, err)
			assert.True(t, r.Succeeded())
		}
		assert.Positive(t, srv.Snapshot().Count(503), "faults were injected")
	})
}

// Tolerate+1 transient failures in a row end a wait with the transport's
// error; with WithMaxRetries(0) the first one does.
func TestWaitEndsAfterTolerateFailuresInARow(t *testing.T) {
	t.Parallel()
	for _, retries := range []int{0, 1, 3} {
		synctest.Test(t, func(t *testing.T) {
			srv, c := onFake(t, nil, ylytic.WithMaxRetries(retries))
			r, err := c.Refresh.Create(testCtx(t), ylytic.RefreshParams{Type: ylytic.RefreshInstagram, Handle: "a"})
			require.NoError(t, err)
			srv.SetFaults(ylytictest.Faults{Routes: []string{ylytictest.RouteRefreshGet}, ErrorRate: map[int]float64{503: 1}})
			var transient int
			_, err = c.Refresh.GetAndWait(testCtx(t), r.RequestID, ylytic.WithProgress(func(p ylytic.Progress) { transient = p.TransientErrors }))
			require.ErrorIs(t, err, ylytic.ErrServer, "retries %d", retries)
			var ie *ylytic.ItemError
			assert.False(t, errors.As(err, &ie), "the transport's error, not a timeout")
			// Each check is a call of retries+1 attempts; the wait makes
			// retries+1 checks.
			assert.Equal(t, (retries+1)*(retries+1), srv.Snapshot().Requests[ylytictest.RouteRefreshGet], "retries %d", retries)
			assert.Equal(t, retries+1, transient)
		})
	}
}

// A 404 ends a wait at once: it is not transient.
func TestWaitForAnUnknownRequest(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv, c := onFake(t, nil)
		_, err := c.Refresh.GetAndWait(testCtx(t), "000000000000000000000000")
		require.ErrorIs(t, err, ylytic.ErrNotFound)
		assert.Equal(t, 1, srv.Snapshot().Requests[ylytictest.RouteRefreshGet])
	})
}

// Every call and attempt is observed with its route template, the waits
// as calls of their own with their checks counted, and no token, id,
// handle, URL or query value appears in any event.
func TestObserverSeesEveryCallWithoutIDs(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		obs := &vendortest.Recorder{}
		srv, c := onFake(t, nil, ylytic.WithObserver(obs))
		ctx := testCtx(t)
		const (
			handle   = "secretive.creator"
			campaign = "65c0aa11bb22cc33dd44ee55"
			shop     = "hidden-shop.myshopify.com"
			shopTok  = "shpat_observer_secret_token"
		)
		profile := ylytic.ProfileURL(ylytic.Instagram, handle)
		_, err := c.Creators.Add(ctx, ylytic.AddCreatorsParams{Handles: []string{profile}})
		require.NoError(t, err)
		_, err = c.Creators.Status(ctx, ylytic.CreatorsStatusParams{Handles: []string{profile}})
		require.NoError(t, err)
		_, err = c.Tracking.Create(ctx, ylytic.TrackingParams{Platform: ylytic.Instagram, Handle: handle})
		require.NoError(t, err)
		r, err := c.Refresh.CreateAndWait(ctx, ylytic.RefreshParams{Type: ylytic.RefreshInstagram, Handle: handle})
		require.NoError(t, err)
		_, err = c.Refresh.GetAndWait(ctx, r.RequestID)
		require.NoError(t, err)
		l, err := c.ShortLinks.Create(ctx, ylytic.CreateShortLinkParams{TargetURL: "https://hidden.example.com/p"})
		require.NoError(t, err)
		_, err = c.ShortLinks.Insights(ctx, l.ID())
		require.NoError(t, err)
		_, err = c.Shopify.Connect(ctx, ylytic.ConnectShopParams{Shop: shop, AccessToken: shopTok})
		require.NoError(t, err)
		_, err = c.Campaigns.UpdateShortLinks(ctx, campaign, ylytic.UpdateShortLinksParams{Add: []ylytic.PostShortLinks{{PostURL: "https://www.instagram.com/p/x/", ShortLinks: []string{l.ShortLink}}}})
		require.NoError(t, err)

		starts, attempts, calls := obs.Starts(), obs.Attempts(), obs.Ends()
		routes := map[string]string{}
		polls := map[string]int{}
		for _, e := range calls {
			assert.Equal(t, "ylytic", e.Vendor)
			if e.Method == "" {
				polls[e.Operation] = e.Polls
				assert.Zero(t, e.Attempts, "a wait's requests are calls of their own")
				continue
			}
			routes[e.Operation] = e.Route
			assert.Equal(t, 1, e.Attempts, e.Operation)
			assert.Less(t, e.StatusCode, 300, e.Operation)
		}
		assert.Equal(t, map[string]string{
			"Creators.Add":               "ylytic/admin/api/v1/creators",
			"Creators.Status":            "ylytic/admin/api/v1/creators/status",
			"Tracking.Create":            "ylytic/api/v1/rt_tracking/creators",
			"Refresh.Create":             "ylytic/api/v1/data_refresh/requests", // the waits' requests are calls of their own
			"Refresh.Get":                "ylytic/api/v1/data_refresh/requests/{request_id}",
			"ShortLinks.Create":          "ylytic/admin/api/v1/shortlinks",
			"ShortLinks.Insights":        "ylytic/admin/api/v1/shortlinks/{id}/insights",
			"Shopify.Connect":            "ylytic/admin/api/v1/shopify_shop",
			"Campaigns.UpdateShortLinks": "ylytic/admin/api/v1/campaigns/{campaign_id}",
		}, routes)
		gets := srv.Snapshot().Requests[ylytictest.RouteRefreshGet]
		assert.Equal(t, gets, polls["Refresh.CreateAndWait"]+polls["Refresh.GetAndWait"], "every check is counted as a poll")
		assert.Equal(t, 1, polls["Refresh.GetAndWait"])
		assert.Len(t, attempts, srv.Snapshot().TotalRequests(), "one attempt event per request")
		assert.Len(t, starts, len(calls))

		var texts []string
		for _, v := range []any{starts, attempts, calls} {
			texts = append(texts, vendortest.Strings(v)...)
		}
		secrets := []string{srv.Token, handle, r.RequestID, l.ID(), l.ShortLink, campaign, shop, shopTok, "hidden.example.com", "fake.invalid"}
		for _, s := range texts {
			for _, secret := range secrets {
				assert.False(t, vendortest.Holds(s, secret), "an event holds %q: %q", secret, s)
			}
		}
	})
}
