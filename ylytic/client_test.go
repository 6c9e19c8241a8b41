package ylytic_test

import (
	"bytes"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/creatorkit/creatorkit-go/ylytic"
	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The token comes from WithToken, else $YLYTIC_TOKEN, else
// $FIRSTPARTY_TOKEN; without one NewClient refuses.
func TestNewClientCredentials(t *testing.T) {
	clearEnv(t)
	_, err := ylytic.NewClient()
	require.ErrorIs(t, err, ylytic.ErrInvalidParams)
	assert.Contains(t, err.Error(), "YLYTIC_TOKEN")

	seen := func(opts ...ylytic.Option) string {
		mt := httpmock.NewMockTransport()
		var auth string
		mt.RegisterResponder("GET", "=~.*", func(r *http.Request) (*http.Response, error) {
			auth = r.Header.Get("Authorization")
			return httpmock.NewStringResponse(200, `{}`), nil
		})
		c, err := ylytic.NewClient(append([]ylytic.Option{ylytic.WithHTTPClient(&http.Client{Transport: mt})}, opts...)...)
		require.NoError(t, err)
		_, err = c.ShortLinks.Insights(ctx, "1.2")
		require.NoError(t, err)
		return auth
	}
	t.Setenv("FIRSTPARTY_TOKEN", "fp_token_1234")
	assert.Equal(t, "Bearer fp_token_1234", seen(), "First Party's token serves: one token per Ylytic account")
	t.Setenv("YLYTIC_TOKEN", " yl_token_5678 ")
	assert.Equal(t, "Bearer yl_token_5678", seen(), "YLYTIC_TOKEN wins over FIRSTPARTY_TOKEN")
	assert.Equal(t, "Bearer given_9999", seen(ylytic.WithToken("given_9999")), "WithToken wins")

	t.Setenv("YLYTIC_BASE_URL", "https://proxy.example.com")
	c, err := ylytic.NewClient()
	require.NoError(t, err)
	assert.Equal(t, ylytic.Hosts{ThirdParty: "https://proxy.example.com/", Dashboard: "https://proxy.example.com/", Insights: "https://proxy.example.com/"}, c.Hosts())
	t.Setenv("YLYTIC_BASE_URL", "not a url")
	_, err = ylytic.NewClient()
	require.ErrorIs(t, err, ylytic.ErrInvalidParams)
}

// The token appears nowhere in the client's descriptions.
func TestClientHidesItsToken(t *testing.T) {
	t.Parallel()
	c, _ := newMockClient(t)
	var logs bytes.Buffer
	slog.New(slog.NewTextHandler(&logs, nil)).Info("client", "c", c)
	for _, s := range []string{c.String(), fmt.Sprintf("%v", c), fmt.Sprintf("%#v", c), fmt.Sprintf("%+v", c), logs.String()} {
		assert.NotContains(t, s, testToken)
		assert.NotContains(t, s, "TESTTOKEN")
	}
	assert.Contains(t, c.String(), "dashboard.ylytic.com")
	assert.Contains(t, c.String(), "insights.ylytic.com")
}

// Nothing is priced: WithBudget is refused, Usage spends nothing and sums
// the three hosts.
func TestUsageAndBudget(t *testing.T) {
	t.Parallel()
	_, err := ylytic.NewClient(ylytic.WithToken("t0k3n"), ylytic.WithBudget(ylytic.NewBudget(10)))
	require.ErrorIs(t, err, ylytic.ErrInvalidParams)
	assert.Contains(t, err.Error(), "charges nothing per call")

	c, mt := newMockClient(t)
	mt.RegisterResponder("POST", thirdBase+"/ylytic/admin/api/v1/creators", respond(200, load(t, "creators_add.json")))
	mt.RegisterResponder("POST", dashBase+"/ylytic/api/v1/data_refresh/requests", respond(201, load(t, "data_refresh_pending.json")))
	mt.RegisterResponder("GET", insBase+"/ylytic/admin/api/v1/shortlinks/l1/insights", respond(200, load(t, "shortlink_insights.json")))
	_, err = c.Creators.Add(ctx, ylytic.AddCreatorsParams{Handles: []string{"https://www.instagram.com/a/"}})
	require.NoError(t, err)
	_, err = c.Refresh.Create(ctx, ylytic.RefreshParams{Type: ylytic.RefreshInstagram, Handle: "a"})
	require.NoError(t, err)
	_, err = c.ShortLinks.Insights(ctx, "l1")
	require.NoError(t, err)
	u := c.Usage()
	assert.EqualValues(t, 3, u.Requests)
	assert.EqualValues(t, 3, u.Calls)
	assert.Zero(t, u.Spent)
	assert.Empty(t, u.Unit)
	for _, op := range []string{"Creators.Add", "Refresh.Create", "ShortLinks.Insights"} {
		assert.EqualValues(t, 1, u.Operations[op].Requests, op)
	}
}

// What is sent again after a 503: the calls a repeat cannot harm are
// retried; Refresh.Create and ShortLinks.Create, which make a new request
// or link each time, are sent once and end with ErrOutcomeUnknown.
func TestRetryDecisions(t *testing.T) {
	t.Parallel()
	cases := []struct {
		op, method, url string
		answer          []byte
		call            func(c *ylytic.Client) error
		resent          bool
	}{
		{"Creators.Add", "POST", thirdBase + "/ylytic/admin/api/v1/creators", load(t, "creators_add.json"), func(c *ylytic.Client) error {
			_, err := c.Creators.Add(ctx, ylytic.AddCreatorsParams{Handles: []string{"https://www.instagram.com/a/"}})
			return err
		}, true},
		{"Creators.Status", "POST", thirdBase + "/ylytic/admin/api/v1/creators/status", load(t, "creators_status.json"), func(c *ylytic.Client) error {
			_, err := c.Creators.Status(ctx, ylytic.CreatorsStatusParams{Handles: []string{"https://www.instagram.com/a/"}})
			return err
		}, true},
		{"Tracking.Create", "POST", dashBase + "/ylytic/api/v1/rt_tracking/creators", load(t, "rt_tracking.json"), func(c *ylytic.Client) error {
			_, err := c.Tracking.Create(ctx, ylytic.TrackingParams{Platform: ylytic.Instagram, Handle: "a"})
			return err
		}, true},
		{"Refresh.Create", "POST", dashBase + "/ylytic/api/v1/data_refresh/requests", load(t, "data_refresh_pending.json"), func(c *ylytic.Client) error {
			_, err := c.Refresh.Create(ctx, ylytic.RefreshParams{Type: ylytic.RefreshInstagram, Handle: "a"})
			return err
		}, false},
		{"Refresh.Get", "GET", dashBase + "/ylytic/api/v1/data_refresh/requests/r1", load(t, "data_refresh_pending.json"), func(c *ylytic.Client) error {
			_, err := c.Refresh.Get(ctx, "r1")
			return err
		}, true},
		{"ShortLinks.Create", "POST", dashBase + "/ylytic/admin/api/v1/shortlinks", load(t, "shortlink_create.json"), func(c *ylytic.Client) error {
			_, err := c.ShortLinks.Create(ctx, ylytic.CreateShortLinkParams{TargetURL: "https://example.com/"})
			return err
		}, false},
		{"ShortLinks.Insights", "GET", insBase + "/ylytic/admin/api/v1/shortlinks/l1/insights", load(t, "shortlink_insights.json"), func(c *ylytic.Client) error {
			_, err := c.ShortLinks.Insights(ctx, "l1")
			return err
		}, true},
		{"Shopify.Connect", "POST", dashBase + "/ylytic/admin/api/v1/shopify_shop", load(t, "shopify_connect.json"), func(c *ylytic.Client) error {
			_, err := c.Shopify.Connect(ctx, ylytic.ConnectShopParams{Shop: "a.myshopify.com", AccessToken: "shpat_x"})
			return err
		}, true},
		{"Campaigns.UpdateShortLinks", "PATCH", dashBase + "/ylytic/admin/api/v1/campaigns/c1", load(t, "campaign_shortlinks.json"), func(c *ylytic.Client) error {
			_, err := c.Campaigns.UpdateShortLinks(ctx, "c1", ylytic.UpdateShortLinksParams{Remove: []ylytic.PostShortLinks{{PostURL: "https://www.instagram.com/p/x/", ShortLinks: []string{"l1"}}}})
			return err
		}, true},
	}
	for _, tc := range cases {
		c, mt := newMockClient(t)
		var n atomic.Int32
		mt.RegisterResponder(tc.method, tc.url, func(r *http.Request) (*http.Response, error) {
			if n.Add(1) == 1 {
				return httpmock.NewStringResponse(503, `{"error":"busy"}`), nil
			}
			return respond(200, tc.answer)(r)
		})
		err := tc.call(c)
		if tc.resent {
			require.NoError(t, err, tc.op)
			assert.Equal(t, int32(2), n.Load(), tc.op)
			continue
		}
		require.ErrorIs(t, err, ylytic.ErrOutcomeUnknown, tc.op)
		require.ErrorIs(t, err, ylytic.ErrServer, tc.op)
		assert.Equal(t, int32(1), n.Load(), "%s is sent once", tc.op)
	}
}

// Error bodies: {"error"}, {"message"} and {"detail"} give the message.
func TestErrorBodies(t *testing.T) {
	t.Parallel()
	for body, want := range map[string]string{
		string(load(t, "error_400.json")):   "handles is required.",
		`{"message":"Invalid token"}`:       "Invalid token",
		`{"detail":"Not found."}`:           "Not found.",
		`<html>Bad Gateway</html>`:          "",
		`{"unrelated":{"nested":"object"}}`: "",
	} {
		c, mt := newMockClient(t, ylytic.WithMaxRetries(0))
		mt.RegisterResponder("GET", insBase+"/ylytic/admin/api/v1/shortlinks/l1/insights", respond(400, []byte(body)))
		_, err := c.ShortLinks.Insights(ctx, "l1")
		require.ErrorIs(t, err, ylytic.ErrInvalidParams)
		var e *ylytic.Error
		require.ErrorAs(t, err, &e)
		assert.Equal(t, 400, e.StatusCode)
		if want != "" {
			assert.Equal(t, want, e.Message, body)
		}
		assert.True(t, strings.HasPrefix(err.Error(), "ylytic: ShortLinks.Insights: GET https://insights.ylytic.com/ylytic/admin/api/v1/shortlinks/l1/insights: 400"), err.Error())
	}
}

func TestPlatforms(t *testing.T) {
	t.Parallel()
	for _, s := range []string{"instagram", " YouTube ", "TikTok"} {
		p, err := ylytic.ParsePlatform(s)
		require.NoError(t, err)
		assert.Contains(t, ylytic.Platforms(), p)
		assert.Equal(t, strings.ToLower(strings.TrimSpace(s)), p.String())
	}
	_, err := ylytic.ParsePlatform("myspace")
	require.ErrorIs(t, err, ylytic.ErrInvalidParams)

	assert.Equal(t, "https://www.instagram.com/kavya.cooks/", ylytic.ProfileURL(ylytic.Instagram, " @kavya.cooks "))
	assert.Equal(t, "https://www.youtube.com/@trek", ylytic.ProfileURL("YouTube", "trek"))
	assert.Equal(t, "https://www.tiktok.com/@a%2Fb", ylytic.ProfileURL(ylytic.TikTok, "a/b"), "escaped")
	assert.Empty(t, ylytic.ProfileURL("myspace", "x"))
	assert.Equal(t, "1.2", ylytic.ShortLinkID("https://app.ylytic.com/sl/1.2/"))
	assert.Empty(t, ylytic.ShortLinkID("%%"))
	assert.Equal(t, ylytic.YouTube, ylytic.RefreshYouTubePost.Platform())
	assert.Equal(t, ylytic.Instagram, ylytic.RefreshInstagramID.Platform())
}

// ConnectShopParams never prints its access token.
func TestShopParamsHideTheAccessToken(t *testing.T) {
	t.Parallel()
	p := ylytic.ConnectShopParams{Shop: "a.myshopify.com", AccessToken: "shpat_secret_value_123"}
	var logs bytes.Buffer
	slog.New(slog.NewTextHandler(&logs, nil)).Info("connect", "params", p)
	for _, s := range []string{p.String(), fmt.Sprintf("%v", p), fmt.Sprintf("%+v", p), fmt.Sprintf("%#v", p), fmt.Sprint(&p), logs.String()} {
		assert.NotContains(t, s, "shpat_secret_value_123")
		assert.Contains(t, s, "a.myshopify.com")
	}
	assert.Contains(t, fmt.Sprintf("%#v", p), "[REDACTED]")
	assert.Contains(t, ylytic.ConnectShopParams{}.String(), "AccessToken:empty")
}
