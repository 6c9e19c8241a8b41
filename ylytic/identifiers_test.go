package ylytic_test

import (
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/creatorkit/creatorkit-go/internal/check"
	"github.com/creatorkit/creatorkit-go/internal/vendortest"
	"github.com/creatorkit/creatorkit-go/ylytic"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Every public method refuses each bad value of each parameter with
// ErrInvalidParams, and sends nothing: the identifier policy's tables
// (check.BadIDs, check.BadPathParams for path segments), then each field's
// documented shape.
func TestBadInputIsRefusedBeforeSending(t *testing.T) {
	t.Parallel()
	rt := &vendortest.RefuseAll{T: t}
	c, err := ylytic.NewClient(ylytic.WithHosts(ylytic.DefaultHosts()), ylytic.WithToken(testToken), ylytic.WithHTTPClient(&http.Client{Transport: rt}), ylytic.WithMaxRetries(0))
	require.NoError(t, err)
	urls := func(extra ...string) []string {
		return append(append(check.BadIDs(), "instagram.com/a", "ftp://x.example/a", "https://", "https://x.example/a b", "/relative", "https://x.example/"+strings.Repeat("a", 2100)), extra...)
	}
	handles := append(check.BadPathParams(), "a b", "toolong_toolong_toolong_toolong", "....", "a!b", "@")
	ids := func(extra ...string) []string { return append(check.BadIDs(), extra...) }
	absent := func(v string) bool { return v == "" }
	// Surrounding spaces are dropped from handles and blank crons are
	// unset: normalization, documented, not a refusal.
	padded := func(v string) bool { return v == " padded " }
	blank := func(v string) bool { return strings.TrimSpace(v) == "" }
	wait := ylytic.WithPollInterval(time.Millisecond, time.Millisecond)

	methods := []struct {
		name   string
		values []string
		skip   func(string) bool // values that mean "absent" for an optional parameter
		call   func(v string) error
	}{
		{"Creators.Add handles", urls(), nil, func(v string) error {
			_, err := c.Creators.Add(ctx, ylytic.AddCreatorsParams{Handles: []string{"https://www.instagram.com/ok/", v}})
			return err
		}},
		{"Creators.Status handles", urls(), nil, func(v string) error {
			_, err := c.Creators.Status(ctx, ylytic.CreatorsStatusParams{Handles: []string{v}})
			return err
		}},
		{"Tracking.Create handle", handles, padded, func(v string) error {
			_, err := c.Tracking.Create(ctx, ylytic.TrackingParams{Platform: ylytic.Instagram, Handle: v})
			return err
		}},
		{"Tracking.Create YouTube handle", check.BadPathParams(), padded, func(v string) error {
			_, err := c.Tracking.Create(ctx, ylytic.TrackingParams{Platform: ylytic.YouTube, Handle: v})
			return err
		}},
		{"Tracking.Create connector", []string{"", "tiktok", "facebook", "insta gram", "instagram\x00"}, nil, func(v string) error {
			_, err := c.Tracking.Create(ctx, ylytic.TrackingParams{Platform: ylytic.Platform(v), Handle: "a"})
			return err
		}},
		{"Tracking.Create cron_expression", ids("0 1 * *", "0 1 * * * * *", "0 1 * * ;rm", "0\u202e1 * * *", "0\t1 * * *"), blank, func(v string) error {
			_, err := c.Tracking.Create(ctx, ylytic.TrackingParams{Platform: ylytic.Instagram, Handle: "a", CronExpression: v})
			return err
		}},
		{"Tracking.Create stories_cron_expression", ids("daily"), blank, func(v string) error {
			_, err := c.Tracking.Create(ctx, ylytic.TrackingParams{Platform: ylytic.Instagram, Handle: "a", StoriesCronExpression: v})
			return err
		}},
		{"Refresh.Create request_type", []string{"", "tiktok", "instagram_story", "youtube post"}, nil, func(v string) error {
			_, err := c.Refresh.Create(ctx, ylytic.RefreshParams{Type: ylytic.RefreshType(v), Handle: "a"})
			return err
		}},
		{"Refresh.Create handle", handles, padded, func(v string) error {
			_, err := c.Refresh.Create(ctx, ylytic.RefreshParams{Type: ylytic.RefreshInstagram, Handle: v})
			return err
		}},
		{"Refresh.Create ig_user_id", ids("12a", "-1", "1.5", strings.Repeat("9", 21)), nil, func(v string) error {
			_, err := c.Refresh.Create(ctx, ylytic.RefreshParams{Type: ylytic.RefreshInstagramID, IGUserID: v})
			return err
		}},
		{"Refresh.Create shortcode", append(check.BadPathParams(), "a.b", "a b", strings.Repeat("a", 65)), nil, func(v string) error {
			_, err := c.Refresh.Create(ctx, ylytic.RefreshParams{Type: ylytic.RefreshInstagramPost, Shortcode: v})
			return err
		}},
		{"Refresh.Create channel_id", append(check.BadPathParams(), "UC x"), nil, func(v string) error {
			_, err := c.Refresh.Create(ctx, ylytic.RefreshParams{Type: ylytic.RefreshYouTube, ChannelID: v})
			return err
		}},
		{"Refresh.Create video_id", append(check.BadPathParams(), "v=abc"), nil, func(v string) error {
			_, err := c.Refresh.Create(ctx, ylytic.RefreshParams{Type: ylytic.RefreshYouTubePost, VideoID: v})
			return err
		}},
		{"Refresh.Create an identifier the type does not take", []string{"x"}, nil, func(v string) error {
			_, err := c.Refresh.Create(ctx, ylytic.RefreshParams{Type: ylytic.RefreshInstagram, Handle: "a", VideoID: v})
			return err
		}},
		{"Refresh.CreateAndWait handle", handles, padded, func(v string) error {
			_, err := c.Refresh.CreateAndWait(ctx, ylytic.RefreshParams{Type: ylytic.RefreshInstagram, Handle: v}, wait)
			return err
		}},
		{"Refresh.Get request_id", check.BadPathParams(), nil, func(v string) error {
			_, err := c.Refresh.Get(ctx, v)
			return err
		}},
		{"Refresh.GetAndWait request_id", check.BadPathParams(), nil, func(v string) error {
			_, err := c.Refresh.GetAndWait(ctx, v, wait)
			return err
		}},
		{"ShortLinks.Create target_url", urls(), nil, func(v string) error {
			_, err := c.ShortLinks.Create(ctx, ylytic.CreateShortLinkParams{TargetURL: v})
			return err
		}},
		{"ShortLinks.Create name", check.BadIDs(), absent, func(v string) error {
			_, err := c.ShortLinks.Create(ctx, ylytic.CreateShortLinkParams{TargetURL: "https://example.com/", Name: v})
			return err
		}},
		{"ShortLinks.Create utm_source", check.BadIDs(), absent, func(v string) error {
			_, err := c.ShortLinks.Create(ctx, ylytic.CreateShortLinkParams{TargetURL: "https://example.com/", UTMSource: v})
			return err
		}},
		{"ShortLinks.Create shopify_store_name", append(check.BadPathParams(), "https://a.myshopify.com", "a b.myshopify.com", "a_b.myshopify.com"), absent, func(v string) error {
			_, err := c.ShortLinks.Create(ctx, ylytic.CreateShortLinkParams{TargetURL: "https://example.com/", ShopifyStoreName: v})
			return err
		}},
		{"ShortLinks.Insights id", check.BadPathParams(), nil, func(v string) error {
			_, err := c.ShortLinks.Insights(ctx, v)
			return err
		}},
		{"Shopify.Connect shop", append(check.BadPathParams(), "https://a.myshopify.com", "a b"), func(v string) bool { return strings.TrimSpace(v) != v && strings.TrimSpace(v) != "" }, func(v string) error {
			_, err := c.Shopify.Connect(ctx, ylytic.ConnectShopParams{Shop: v, AccessToken: "shpat_x"})
			return err
		}},
		{"Shopify.Connect access_token", append(check.BadIDs(), strings.Repeat("t", 4097)), nil, func(v string) error {
			_, err := c.Shopify.Connect(ctx, ylytic.ConnectShopParams{Shop: "a.myshopify.com", AccessToken: v})
			if err != nil && len(v) > 3 && strings.Contains(err.Error(), v) {
				t.Errorf("the refusal echoes the access token: %v", err)
			}
			return err
		}},
		{"Campaigns.UpdateShortLinks campaign_id", check.BadPathParams(), nil, func(v string) error {
			_, err := c.Campaigns.UpdateShortLinks(ctx, v, ylytic.UpdateShortLinksParams{Add: []ylytic.PostShortLinks{{PostURL: "https://www.instagram.com/p/x/", ShortLinks: []string{"l"}}}})
			return err
		}},
		{"Campaigns.UpdateShortLinks post_url", urls(), nil, func(v string) error {
			_, err := c.Campaigns.UpdateShortLinks(ctx, "c1", ylytic.UpdateShortLinksParams{Add: []ylytic.PostShortLinks{{PostURL: v, ShortLinks: []string{"l"}}}})
			return err
		}},
		{"Campaigns.UpdateShortLinks shortlink", check.BadIDs(), nil, func(v string) error {
			_, err := c.Campaigns.UpdateShortLinks(ctx, "c1", ylytic.UpdateShortLinksParams{Remove: []ylytic.PostShortLinks{{PostURL: "https://www.instagram.com/p/x/", ShortLinks: []string{v}}}})
			return err
		}},
	}
	refused := 0
	for _, m := range methods {
		for _, v := range m.values {
			if m.skip != nil && m.skip(v) {
				continue
			}
			err := m.call(v)
			if !errors.Is(err, ylytic.ErrInvalidParams) {
				t.Errorf("%s(%q): want ErrInvalidParams, got %v", m.name, v, err)
				continue
			}
			var e *ylytic.Error
			if errors.As(err, &e) && e.StatusCode != 0 {
				t.Errorf("%s(%q): a refusal before sending has no status, got %d", m.name, v, e.StatusCode)
			}
			refused++
		}
	}

	// Missing or empty inputs, and wait options a wait cannot use.
	for name, call := range map[string]func() error{
		"Creators.Add no handles": func() error { _, err := c.Creators.Add(ctx, ylytic.AddCreatorsParams{}); return err },
		"Creators.Add too many": func() error {
			_, err := c.Creators.Add(ctx, ylytic.AddCreatorsParams{Handles: make([]string, 1001)})
			return err
		},
		"Creators.Status no handles": func() error { _, err := c.Creators.Status(ctx, ylytic.CreatorsStatusParams{}); return err },
		"Refresh.Create no identifier": func() error {
			_, err := c.Refresh.Create(ctx, ylytic.RefreshParams{Type: ylytic.RefreshYouTube})
			return err
		},
		"Campaigns.UpdateShortLinks nothing": func() error {
			_, err := c.Campaigns.UpdateShortLinks(ctx, "c1", ylytic.UpdateShortLinksParams{})
			return err
		},
		"Campaigns.UpdateShortLinks a post without links": func() error {
			_, err := c.Campaigns.UpdateShortLinks(ctx, "c1", ylytic.UpdateShortLinksParams{Add: []ylytic.PostShortLinks{{PostURL: "https://www.instagram.com/p/x/"}}})
			return err
		},
		"GetAndWait poll interval 0": func() error {
			_, err := c.Refresh.GetAndWait(ctx, "r1", ylytic.WithPollInterval(0, time.Second))
			return err
		},
		"GetAndWait poll interval max < first": func() error {
			_, err := c.Refresh.GetAndWait(ctx, "r1", ylytic.WithPollInterval(time.Minute, time.Second))
			return err
		},
		"CreateAndWait poll interval negative": func() error {
			_, err := c.Refresh.CreateAndWait(ctx, ylytic.RefreshParams{Type: ylytic.RefreshInstagram, Handle: "a"}, ylytic.WithPollInterval(-time.Second, 0))
			return err
		},
	} {
		err := call()
		assert.ErrorIs(t, err, ylytic.ErrInvalidParams, name)
		refused++
	}
	assert.Zero(t, rt.Sent(), "no request was sent")
	t.Logf("%d bad inputs refused before sending", refused)
}

// Good inputs at the edges of each shape pass the checks (they reach the
// transport, which refuses to send here).
func TestEdgeInputsAreAccepted(t *testing.T) {
	t.Parallel()
	c, err := ylytic.NewClient(ylytic.WithToken(testToken), ylytic.WithHTTPClient(&http.Client{Transport: failAll{}}), ylytic.WithMaxRetries(0))
	require.NoError(t, err)
	for name, call := range map[string]func() error{
		"30-character handle": func() error {
			_, err := c.Refresh.Create(ctx, ylytic.RefreshParams{Type: ylytic.RefreshInstagram, Handle: "@" + strings.Repeat("a", 30)})
			return err
		},
		"6-field cron": func() error {
			_, err := c.Tracking.Create(ctx, ylytic.TrackingParams{Platform: ylytic.Instagram, Handle: "a.b_c", CronExpression: "0 */15 9-17 ? * MON-FRI"})
			return err
		},
		"long shortcode": func() error {
			_, err := c.Refresh.Create(ctx, ylytic.RefreshParams{Type: ylytic.RefreshInstagramPost, Shortcode: "CynorF3MJkcSbnIS20Sn8sJL1Gs67JwdTVttIQ0"})
			return err
		},
		"a short link id with a period": func() error { _, err := c.ShortLinks.Insights(ctx, "1703838910.587752"); return err },
		"a 2,000-byte target URL": func() error {
			_, err := c.ShortLinks.Create(ctx, ylytic.CreateShortLinkParams{TargetURL: "https://example.com/?q=" + strings.Repeat("a", 1970)})
			return err
		},
		"an upper-case shop": func() error {
			_, err := c.Shopify.Connect(ctx, ylytic.ConnectShopParams{Shop: "My-Store.myshopify.com", AccessToken: "shpat_x"})
			return err
		},
	} {
		err := call()
		require.Error(t, err, name)
		assert.ErrorIs(t, err, ylytic.ErrNetwork, "%s: the checks let it through", name)
		assert.NotErrorIs(t, err, ylytic.ErrInvalidParams, name)
	}
}

// failAll fails every request before it is written.
type failAll struct{}

func (failAll) RoundTrip(*http.Request) (*http.Response, error) { return nil, errors.New("offline") }
