package ylytictest_test

import (
	"net/http"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/creatorkit/creatorkit-go/ylytic"
	"github.com/creatorkit/creatorkit-go/ylytic/ylytictest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// start runs the fake on the bubble's clock and a strict client for it:
// every answer of the fake must fit the SDK's models exactly.
func start(t *testing.T, opts ...ylytictest.Option) (*ylytictest.Server, *ylytic.Client) {
	t.Helper()
	srv := ylytictest.NewServer(append([]ylytictest.Option{ylytictest.WithVirtualTime()}, opts...)...)
	t.Cleanup(srv.Close)
	c, err := srv.NewClient(ylytic.WithStrictDecoding())
	require.NoError(t, err)
	return srv, c
}

func TestCreatorsMoveToCompleted(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv, c := start(t, ylytictest.WithCreatorDelay(10*time.Minute))
		ctx := t.Context()
		added := []string{ylytic.ProfileURL(ylytic.Instagram, "kavya.cooks"), ylytic.ProfileURL(ylytic.YouTube, "trek")}
		a, err := c.Creators.Add(ctx, ylytic.AddCreatorsParams{Handles: added})
		require.NoError(t, err)
		assert.True(t, a.Succeeded())
		ask := append(added, ylytic.ProfileURL(ylytic.TikTok, "never.added"))
		st, err := c.Creators.Status(ctx, ylytic.CreatorsStatusParams{Handles: ask})
		require.NoError(t, err)
		require.Len(t, st.Data, 3)
		assert.Equal(t, ylytic.CreatorStatus{HandleURL: added[0], Handle: "kavya.cooks", Platform: ylytic.Instagram, Status: ylytictest.CreatorInProgress}, st.Data[0])
		assert.Equal(t, "@trek", st.Data[1].Handle)
		assert.Equal(t, ylytic.CreatorState(ylytictest.CreatorNotAdded), st.Data[2].Status)

		time.Sleep(10*time.Minute - time.Nanosecond)
		st, err = c.Creators.Status(ctx, ylytic.CreatorsStatusParams{Handles: added[:1]})
		require.NoError(t, err)
		assert.Equal(t, ylytic.CreatorState(ylytictest.CreatorInProgress), st.Data[0].Status, "not a nanosecond early")
		time.Sleep(time.Nanosecond)
		srv.SetCreatorStatus(added[1], string(ylytic.CreatorExpired))
		st, err = c.Creators.Status(ctx, ylytic.CreatorsStatusParams{Handles: added})
		require.NoError(t, err)
		assert.Equal(t, ylytic.CreatorState(ylytictest.CreatorCompleted), st.Data[0].Status)
		assert.Equal(t, ylytic.CreatorExpired, st.Data[1].Status)

		snap := srv.Snapshot()
		assert.Equal(t, 1, snap.Requests[ylytictest.RouteCreatorsAdd])
		assert.Equal(t, 3, snap.Requests[ylytictest.RouteCreatorsStatus])
	})
}

func TestRefreshRequestsSettleOnTheFakesClock(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv, c := start(t, ylytictest.WithRefreshDelay(90*time.Second),
			ylytictest.WithRefreshFailure(func(p ylytic.RefreshParams) string {
				if p.Shortcode == "gone" {
					return "Post not found"
				}
				return ""
			}))
		ctx := t.Context()
		r, err := c.Refresh.Create(ctx, ylytic.RefreshParams{Type: ylytic.RefreshInstagram, Handle: "kavya.cooks"})
		require.NoError(t, err)
		assert.True(t, r.Pending())
		assert.Equal(t, 201, r.Response.StatusCode)
		assert.Len(t, r.RequestID, 24)
		assert.Equal(t, ylytic.RefreshParams{Type: ylytic.RefreshInstagram, Handle: "kavya.cooks"}, r.Request)

		time.Sleep(90*time.Second - time.Nanosecond)
		got, err := c.Refresh.Get(ctx, r.RequestID)
		require.NoError(t, err)
		assert.True(t, got.Pending())
		time.Sleep(time.Nanosecond)
		got, err = c.Refresh.Get(ctx, r.RequestID)
		require.NoError(t, err)
		assert.True(t, got.Succeeded())
		assert.Equal(t, ylytic.Int(200), got.Status.Code)
		assert.Equal(t, 90*time.Second, got.Status.ResponseAt.Sub(got.Status.RequestAt.Time).Round(time.Second))
		assert.Contains(t, string(got.Data), `"followers_trends"`)

		f, err := c.Refresh.Create(ctx, ylytic.RefreshParams{Type: ylytic.RefreshInstagramPost, Shortcode: "gone"})
		require.NoError(t, err)
		time.Sleep(90 * time.Second)
		_, err = c.Refresh.Get(ctx, f.RequestID)
		require.ErrorIs(t, err, ylytic.ErrRefreshFailed)
		assert.Contains(t, err.Error(), "Post not found")

		_, err = c.Refresh.Get(ctx, "000000000000000000000000")
		require.ErrorIs(t, err, ylytic.ErrNotFound)
		assert.Equal(t, 2, srv.RequestCount())
	})
}

func TestShortLinksCountClicks(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv, c := start(t)
		ctx := t.Context()
		l, err := c.ShortLinks.Create(ctx, ylytic.CreateShortLinkParams{TargetURL: "https://store.example.com/kit?ref=x", Name: "june", ShopifyStoreName: "spicebox.myshopify.com", UTMSource: "kavya"})
		require.NoError(t, err)
		assert.True(t, strings.HasPrefix(l.ShortLink, srv.URL+"/sl/"), l.ShortLink)

		in, err := c.ShortLinks.Insights(ctx, l.ID())
		require.NoError(t, err)
		assert.Zero(t, in.Analytics.Clicks)
		assert.Empty(t, in.Analytics.CityDistribution)

		for _, v := range []string{"10.0.0.1", "10.0.0.2", "10.0.0.1"} {
			to, err := srv.Click(l.ShortLink, v)
			require.NoError(t, err)
			assert.Equal(t, "https://store.example.com/kit?ref=x&utm_source=kavya", to)
		}
		in, err = c.ShortLinks.Insights(ctx, l.ID())
		require.NoError(t, err)
		assert.Equal(t, ylytic.Int(3), in.Analytics.Clicks)
		assert.Equal(t, ylytic.Int(2), in.Analytics.Users)
		require.Len(t, in.Analytics.DateDistribution, 1)
		assert.Nil(t, in.Analytics.DeviceDistribution[0].Device)
		assert.Equal(t, "june", in.Name)
		assert.Equal(t, l.ShortLink, in.ShortLink)

		_, err = c.ShortLinks.Insights(ctx, "0.1")
		require.ErrorIs(t, err, ylytic.ErrNotFound)
		_, err = srv.Click(srv.URL+"/sl/0.1", "")
		require.Error(t, err)
	})
}

func TestTrackingShopsAndCampaigns(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv, c := start(t)
		ctx := t.Context()
		now := time.Now().UTC()
		tr, err := c.Tracking.Create(ctx, ylytic.TrackingParams{Platform: ylytic.Instagram, Handle: "kavya.cooks", CronExpression: "30 2 * * *",
			StoriesCronExpression: "0 18 * * *", TrackingExpiryAt: now.Add(30 * 24 * time.Hour)})
		require.NoError(t, err)
		assert.True(t, tr.Tracking)
		assert.True(t, tr.StoriesTracking)
		assert.Equal(t, 2, tr.NextTrackingAt.Hour())
		assert.Equal(t, 30, tr.NextTrackingAt.Minute())
		assert.True(t, tr.NextTrackingAt.After(now))
		assert.Equal(t, now.Add(30*24*time.Hour).Truncate(time.Second), tr.TrackingExpiryAt.Time)
		assert.Equal(t, 1, srv.TrackedCount())

		_, err = c.Shopify.Connect(ctx, ylytic.ConnectShopParams{Shop: "SpiceBox.myshopify.com", AccessToken: "shpat_abc"})
		require.NoError(t, err)
		assert.Equal(t, []string{"spicebox.myshopify.com"}, srv.Shops())

		post := "https://www.instagram.com/reels/DGx7Qp2tA1b/"
		_, err = c.Campaigns.UpdateShortLinks(ctx, "65c0aa11bb22cc33dd44ee55", ylytic.UpdateShortLinksParams{Add: []ylytic.PostShortLinks{{PostURL: post, ShortLinks: []string{"l1", "l2"}}}})
		require.NoError(t, err)
		_, err = c.Campaigns.UpdateShortLinks(ctx, "65c0aa11bb22cc33dd44ee55", ylytic.UpdateShortLinksParams{
			Add: []ylytic.PostShortLinks{{PostURL: post, ShortLinks: []string{"l2", "l3"}}}, Remove: []ylytic.PostShortLinks{{PostURL: post, ShortLinks: []string{"l1"}}}})
		require.NoError(t, err)
		assert.Equal(t, map[string][]string{post: {"l2", "l3"}}, srv.CampaignShortLinks("65c0aa11bb22cc33dd44ee55"))
	})
}

// The fake checks the bearer token.
func TestFakeChecksTheToken(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv := ylytictest.NewServer(ylytictest.WithVirtualTime(), ylytictest.WithToken("right_token"))
		defer srv.Close()
		c, err := srv.NewClient(ylytic.WithToken("wrong_token"))
		require.NoError(t, err)
		_, err = c.ShortLinks.Insights(t.Context(), "1.2")
		require.ErrorIs(t, err, ylytic.ErrUnauthorized)
		assert.Equal(t, 1, srv.Snapshot().Count(http.StatusUnauthorized))
	})
}
