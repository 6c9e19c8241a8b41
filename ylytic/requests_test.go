package ylytic_test

import (
	"testing"
	"time"

	"github.com/creatorkit/creatorkit-go/ylytic"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Each call sends exactly the documented method, host, path and body
// (the request fixtures), with the bearer token, and decodes the
// documented answer.
func TestRequestsAreExact(t *testing.T) {
	t.Parallel()

	t.Run("Creators.Add", func(t *testing.T) {
		t.Parallel()
		c, mt := newMockClient(t)
		mt.RegisterResponder("POST", thirdBase+"/ylytic/admin/api/v1/creators", expect(t, "POST", "", string(load(t, "creators_add_request.json")), 200, load(t, "creators_add.json")))
		a, err := c.Creators.Add(ctx, ylytic.AddCreatorsParams{Handles: []string{
			ylytic.ProfileURL(ylytic.Instagram, "kavya.cooks"), ylytic.ProfileURL(ylytic.YouTube, "@trekwithanand"), ylytic.ProfileURL(ylytic.TikTok, "mira.dances"),
		}})
		require.NoError(t, err)
		assert.True(t, a.Succeeded())
		assert.Equal(t, "success", a.Status)
		assert.Equal(t, 200, a.Response.StatusCode)
		assert.JSONEq(t, string(load(t, "creators_add.json")), string(a.Raw))
		assert.Equal(t, 1, mt.GetTotalCallCount())
	})

	t.Run("Creators.Status", func(t *testing.T) {
		t.Parallel()
		c, mt := newMockClient(t)
		mt.RegisterResponder("POST", thirdBase+"/ylytic/admin/api/v1/creators/status", expect(t, "POST", "", string(load(t, "creators_status_request.json")), 200, load(t, "creators_status.json")))
		st, err := c.Creators.Status(ctx, ylytic.CreatorsStatusParams{Handles: []string{
			"https://www.youtube.com/@trekwithanand", "https://www.instagram.com/kavya.cooks", "https://www.instagram.com/rohit__runs/",
		}})
		require.NoError(t, err)
		require.Len(t, st.Data, 3)
		assert.Equal(t, ylytic.CreatorStatus{HandleURL: "https://www.youtube.com/@trekwithanand", Handle: "@trekwithanand", Platform: ylytic.YouTube, Status: ylytic.CreatorExpired}, st.Data[0])
		assert.Equal(t, "rohit__runs", st.Find("HTTPS://www.instagram.com/rohit__runs").Handle, "found without case and trailing slash")
		assert.Nil(t, st.Find("https://www.instagram.com/nobody/"))
	})

	t.Run("Tracking.Create", func(t *testing.T) {
		t.Parallel()
		c, mt := newMockClient(t)
		mt.RegisterResponder("POST", dashBase+"/ylytic/api/v1/rt_tracking/creators", expect(t, "POST", "", string(load(t, "rt_tracking_request.json")), 200, load(t, "rt_tracking.json")))
		ist := time.FixedZone("IST", 5*3600+1800)
		tr, err := c.Tracking.Create(ctx, ylytic.TrackingParams{
			Platform: "Instagram", Handle: "@Kavya.Cooks", CronExpression: " 30  2 * * * ", StoriesCronExpression: "0 18 * * *",
			StoriesTrackingExpiryAt: time.Date(2026, 7, 1, 14, 30, 0, 0, ist), // sent in UTC
			TrackingExpiryAt:        time.Date(2026, 8, 1, 9, 0, 0, 0, time.UTC),
		})
		require.NoError(t, err)
		assert.Equal(t, ylytic.Instagram, tr.Platform)
		assert.Equal(t, "kavya.cooks", tr.Handle)
		assert.True(t, tr.Tracking)
		assert.True(t, tr.StoriesTracking)
		assert.Equal(t, "30 2 * * *", tr.CronExpression)
		assert.Equal(t, time.Date(2026, 6, 2, 2, 30, 0, 0, time.UTC), tr.NextTrackingAt.Time)
		assert.Equal(t, time.Date(2026, 6, 1, 11, 42, 17, 305000000, time.UTC), tr.CreatedAt.Time)
		assert.Equal(t, time.Date(2026, 7, 1, 9, 0, 0, 0, time.UTC), tr.StoriesTrackingExpiryAt.Time)
	})

	t.Run("Tracking.Create with only the required fields", func(t *testing.T) {
		t.Parallel()
		c, mt := newMockClient(t)
		mt.RegisterResponder("POST", dashBase+"/ylytic/api/v1/rt_tracking/creators", expect(t, "POST", "", `{"connector":"youtube","handle":"TrekWithAnand"}`, 200, load(t, "rt_tracking_spaced_key.json")))
		tr, err := c.Tracking.Create(ctx, ylytic.TrackingParams{Platform: ylytic.YouTube, Handle: "@TrekWithAnand"})
		require.NoError(t, err)
		assert.Equal(t, "0 5 * * *", tr.CronExpression, `read from "cron expression"`)
		assert.True(t, tr.TrackingExpiryAt.IsZero())
	})

	t.Run("Refresh.Create and Get", func(t *testing.T) {
		t.Parallel()
		c, mt := newMockClient(t)
		mt.RegisterResponder("POST", dashBase+"/ylytic/api/v1/data_refresh/requests", expect(t, "POST", "", string(load(t, "data_refresh_request.json")), 201, load(t, "data_refresh_pending.json")))
		mt.RegisterResponder("GET", dashBase+"/ylytic/api/v1/data_refresh/requests/6659a1f2c3d4e5f60718293a", expect(t, "GET", "", "", 200, load(t, "data_refresh_completed.json")))
		r, err := c.Refresh.Create(ctx, ylytic.RefreshParams{Type: "Instagram", Handle: "@Kavya.Cooks"})
		require.NoError(t, err)
		assert.Equal(t, "6659a1f2c3d4e5f60718293a", r.RequestID)
		assert.True(t, r.Pending())
		assert.False(t, r.Done())
		assert.Equal(t, ylytic.Int(201), r.Status.Code)
		assert.Equal(t, time.Date(2026, 6, 1, 11, 42, 17, 0, time.UTC), r.Status.RequestAt.UTC())
		assert.True(t, r.Status.ResponseAt.IsZero())
		assert.Equal(t, "null", string(r.Data))
		assert.Equal(t, ylytic.RefreshParams{Type: ylytic.RefreshInstagram, Handle: "kavya.cooks"}, r.Request)

		got, err := c.Refresh.Get(ctx, r.RequestID)
		require.NoError(t, err)
		assert.True(t, got.Succeeded())
		assert.Equal(t, ylytic.RefreshCompleted, got.Status.Message)
		assert.Contains(t, string(got.Data), "followers_trends")
	})

	t.Run("each refresh type sends its one identifier", func(t *testing.T) {
		t.Parallel()
		for _, tc := range []struct {
			p    ylytic.RefreshParams
			body string
			item string
		}{
			{ylytic.RefreshParams{Type: ylytic.RefreshInstagramID, IGUserID: "2121125346"}, `{"request_type":"instagram_id","ig_user_id":"2121125346"}`, "instagram/id:2121125346"},
			{ylytic.RefreshParams{Type: ylytic.RefreshInstagramPost, Shortcode: "DGx7Qp2tA1b"}, `{"request_type":"instagram_post","shortcode":"DGx7Qp2tA1b"}`, "instagram/id:DGx7Qp2tA1b"},
			{ylytic.RefreshParams{Type: ylytic.RefreshYouTube, ChannelID: "UC_x5XG1OV2P6uZZ5FSM9Ttw"}, `{"request_type":"youtube","channel_id":"UC_x5XG1OV2P6uZZ5FSM9Ttw"}`, "youtube/id:UC_x5XG1OV2P6uZZ5FSM9Ttw"},
			{ylytic.RefreshParams{Type: ylytic.RefreshYouTubePost, VideoID: "dQw4w9WgXcQ"}, `{"request_type":"youtube_post","video_id":"dQw4w9WgXcQ"}`, "youtube/id:dQw4w9WgXcQ"},
			{ylytic.RefreshParams{Type: ylytic.RefreshInstagram, Handle: "@NatGeo"}, `{"request_type":"instagram","handle":"natgeo"}`, "instagram/@natgeo"},
		} {
			c, mt := newMockClient(t)
			mt.RegisterResponder("POST", dashBase+"/ylytic/api/v1/data_refresh/requests", expect(t, "POST", "", tc.body, 201, load(t, "data_refresh_pending.json")))
			_, err := c.Refresh.Create(ctx, tc.p)
			require.NoError(t, err, tc.body)
			assert.Equal(t, tc.item, tc.p.Item())
		}
	})

	t.Run("ShortLinks", func(t *testing.T) {
		t.Parallel()
		c, mt := newMockClient(t)
		mt.RegisterResponder("POST", dashBase+"/ylytic/admin/api/v1/shortlinks", expect(t, "POST", "", string(load(t, "shortlink_create_request.json")), 200, load(t, "shortlink_create.json")))
		mt.RegisterResponder("GET", insBase+"/ylytic/admin/api/v1/shortlinks/1780314137.305512/insights", expect(t, "GET", "", "", 200, load(t, "shortlink_insights.json")))
		l, err := c.ShortLinks.Create(ctx, ylytic.CreateShortLinkParams{TargetURL: "https://store.example.com/products/masala-kit", Name: "kavya-june", ShopifyStoreName: "spicebox.myshopify.com", UTMSource: "kavya"})
		require.NoError(t, err)
		assert.Equal(t, "https://app.ylytic.com/sl/1780314137.305512", l.ShortLink)
		assert.Equal(t, "1780314137.305512", l.ID())

		in, err := c.ShortLinks.Insights(ctx, l.ID())
		require.NoError(t, err)
		assert.Equal(t, "1780314137.305512", in.ID)
		assert.Equal(t, "spiceboxagency", in.Client.ShortName)
		assert.Equal(t, ylytic.Int(5), in.Analytics.Clicks)
		assert.Equal(t, ylytic.Int(3), in.Analytics.Users)
		require.Len(t, in.Analytics.DeviceDistribution, 2)
		assert.Nil(t, in.Analytics.DeviceDistribution[0].Device)
		assert.Equal(t, "mobile", *in.Analytics.DeviceDistribution[1].Device)
		assert.Equal(t, "Pune", in.Analytics.CityDistribution[0].City)
		assert.Equal(t, time.Date(2026, 6, 2, 8, 15, 42, 118000000, time.UTC), in.AnalyticsAt.Time)
		assert.Equal(t, "01-06-2026", in.CreatedDate)
	})

	t.Run("Shopify.Connect", func(t *testing.T) {
		t.Parallel()
		c, mt := newMockClient(t)
		mt.RegisterResponder("POST", dashBase+"/ylytic/admin/api/v1/shopify_shop", expect(t, "POST", "", string(load(t, "shopify_connect_request.json")), 200, load(t, "shopify_connect.json")))
		a, err := c.Shopify.Connect(ctx, ylytic.ConnectShopParams{Shop: " SpiceBox.myshopify.com ", AccessToken: "shpat_fixture_not_a_real_token_0000"})
		require.NoError(t, err)
		assert.True(t, a.Succeeded())
	})

	t.Run("Campaigns.UpdateShortLinks", func(t *testing.T) {
		t.Parallel()
		c, mt := newMockClient(t)
		mt.RegisterResponder("PATCH", dashBase+"/ylytic/admin/api/v1/campaigns/65c0aa11bb22cc33dd44ee55", expect(t, "PATCH", "", string(load(t, "campaign_shortlinks_request.json")), 200, load(t, "campaign_shortlinks.json")))
		a, err := c.Campaigns.UpdateShortLinks(ctx, "65c0aa11bb22cc33dd44ee55", ylytic.UpdateShortLinksParams{Add: []ylytic.PostShortLinks{{
			PostURL:    "https://www.instagram.com/reels/DGx7Qp2tA1b/",
			ShortLinks: []string{"https://app.ylytic.com/sl/1780314137.305512", "https://app.ylytic.com/sl/1780314199.000114"},
		}}})
		require.NoError(t, err)
		assert.True(t, a.Succeeded())
	})

	t.Run("a status other than success is ErrRefused next to the answer", func(t *testing.T) {
		t.Parallel()
		c, mt := newMockClient(t)
		mt.RegisterResponder("POST", thirdBase+"/ylytic/admin/api/v1/creators", respond(200, []byte(`{"status":"limit_reached"}`)))
		a, err := c.Creators.Add(ctx, ylytic.AddCreatorsParams{Handles: []string{"https://www.instagram.com/kavya.cooks/"}})
		require.ErrorIs(t, err, ylytic.ErrRefused)
		assert.Contains(t, err.Error(), `Ylytic answered status "limit_reached"`)
		assert.Equal(t, "limit_reached", a.Status)
		assert.False(t, a.Succeeded())
	})
}

// WithBaseURL puts every host on one root, under the documented paths;
// WithHosts moves one host.
func TestHosts(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t, ylytic.WithBaseURL("https://proxy.example.com/ylytic-gw"))
	mt.RegisterResponder("POST", "https://proxy.example.com/ylytic-gw/ylytic/admin/api/v1/creators", respond(200, load(t, "creators_add.json")))
	mt.RegisterResponder("GET", "https://proxy.example.com/ylytic-gw/ylytic/admin/api/v1/shortlinks/1.2/insights", respond(200, load(t, "shortlink_insights.json")))
	_, err := c.Creators.Add(ctx, ylytic.AddCreatorsParams{Handles: []string{"https://www.instagram.com/kavya.cooks/"}})
	require.NoError(t, err)
	_, err = c.ShortLinks.Insights(ctx, "1.2")
	require.NoError(t, err)
	assert.Equal(t, "https://proxy.example.com/ylytic-gw/", c.Hosts().Dashboard)

	c, mt = newMockClient(t, ylytic.WithHosts(ylytic.Hosts{Insights: "https://insights.eu.example.com"}))
	mt.RegisterResponder("GET", "https://insights.eu.example.com/ylytic/admin/api/v1/shortlinks/1.2/insights", respond(200, load(t, "shortlink_insights.json")))
	_, err = c.ShortLinks.Insights(ctx, "1.2")
	require.NoError(t, err)
	h := c.Hosts()
	assert.Equal(t, "https://dashboard.ylytic.com/", h.Dashboard)
	assert.Equal(t, "https://app.ylytic.com/", h.ThirdParty)

	_, err = ylytic.NewClient(ylytic.WithToken("t"), ylytic.WithHosts(ylytic.Hosts{Dashboard: "ftp://x"}))
	require.ErrorIs(t, err, ylytic.ErrInvalidParams)
}
