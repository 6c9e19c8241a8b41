package infludata_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/creatorkit/creatorkit-go/infludata"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestInvalidParamsSendNothing: every bad input fails with
// ErrInvalidParams on a transport with no responders, which would fail
// any request; the call count proves nothing was sent.
func TestInvalidParamsSendNothing(t *testing.T) {
	t.Parallel()
	type call func(ctx context.Context, c *infludata.Client) error
	first := func(seqErr error) error { return seqErr }
	searchAll := func(p infludata.SearchParams) call {
		return func(ctx context.Context, c *infludata.Client) error {
			for _, err := range c.Discovery.SearchAll(ctx, p) {
				return first(err)
			}
			return nil
		}
	}
	contentAll := func(p infludata.ContentParams) call {
		return func(ctx context.Context, c *infludata.Client) error {
			for _, err := range c.Content.ContentAll(ctx, p) {
				return first(err)
			}
			return nil
		}
	}
	get := func(p infludata.GetProfileParams) call {
		return func(ctx context.Context, c *infludata.Client) error { _, err := c.Profiles.Get(ctx, p); return err }
	}
	status := func(p infludata.DataStatusParams) call {
		return func(ctx context.Context, c *infludata.Client) error {
			_, err := c.Profiles.CheckStatus(ctx, p)
			return err
		}
	}
	search := func(p infludata.SearchParams) call {
		return func(ctx context.Context, c *infludata.Client) error { _, err := c.Discovery.Search(ctx, p); return err }
	}
	content := func(p infludata.ContentParams) call {
		return func(ctx context.Context, c *infludata.Client) error { _, err := c.Content.Get(ctx, p); return err }
	}
	enrich := func(p infludata.EnrichParams) call {
		return func(ctx context.Context, c *infludata.Client) error { _, err := c.Enrichment.Add(ctx, p); return err }
	}
	audience := func(r infludata.GetProfileParams, opts ...infludata.WaitOption) call {
		return func(ctx context.Context, c *infludata.Client) error {
			_, err := c.Profiles.GetAndWait(ctx, r, opts...)
			return err
		}
	}
	ig, tt, yt, tw, fb := infludata.Instagram, infludata.TikTok, infludata.YouTube, infludata.Twitch, infludata.Facebook
	past := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	wm := &infludata.Watermark{CreatedAtMax: infludata.NewTime(past), LastID: "x"}

	cases := map[string]call{
		"get: no identifier":               get(infludata.GetProfileParams{Platform: ig}),
		"get: two identifiers":             get(infludata.GetProfileParams{Platform: ig, Username: "a", UserID: "1"}),
		"get: no platform":                 get(infludata.GetProfileParams{Username: "adidas"}),
		"get: unknown platform":            get(infludata.GetProfileParams{Platform: "myspace", Username: "tom"}),
		"get: audience on twitch":          get(infludata.GetProfileParams{Platform: tw, Username: "a", IncludeAudienceReport: true}),
		"get: audience on facebook":        get(infludata.GetProfileParams{Platform: fb, Username: "a", IncludeAudienceReport: true}),
		"get: space in username":           get(infludata.GetProfileParams{Platform: ig, Username: "ad idas"}),
		"get: blank username":              get(infludata.GetProfileParams{Platform: ig, Username: "   "}),
		"status: facebook":                 status(infludata.DataStatusParams{Platform: fb, Username: "a"}),
		"status: snapchat":                 status(infludata.DataStatusParams{Platform: infludata.Snapchat, Username: "a"}),
		"status: no platform":              status(infludata.DataStatusParams{Username: "adidas"}),
		"status: _id on facebook":          status(infludata.DataStatusParams{Platform: fb, ID: "507f1f77bcf86cd799439011"}),
		"status: no identifier":            status(infludata.DataStatusParams{Platform: ig}),
		"enrich: facebook":                 enrich(infludata.EnrichParams{Platform: fb, Usernames: []string{"a"}}),
		"enrich: nothing":                  enrich(infludata.EnrichParams{Platform: ig, Usernames: []string{" ", ""}}),
		"enrich: batch size":               enrich(infludata.EnrichParams{Platform: ig, Usernames: []string{"a"}, BatchSize: 101}),
		"enrich: whitespace":               enrich(infludata.EnrichParams{Platform: ig, Usernames: []string{"a b"}}),
		"search: no platform":              search(infludata.SearchParams{}),
		"search: skipCount 10":             search(infludata.SearchParams{Platform: ig, SkipCount: 10}),
		"search: negative skip":            search(infludata.SearchParams{Platform: ig, SkipCount: -20}),
		"search: unknown category":         search(infludata.SearchParams{Platform: ig, Categories: []infludata.Category{"cooking"}}),
		"search: city on youtube":          search(infludata.SearchParams{Platform: yt, Country: "Germany", City: "Berlin"}),
		"search: city without country":     search(infludata.SearchParams{Platform: ig, City: "Berlin"}),
		"search: gender on twitch":         search(infludata.SearchParams{Platform: tw, Gender: infludata.Female}),
		"search: bad gender":               search(infludata.SearchParams{Platform: ig, Gender: "x"}),
		"search: age on youtube":           search(infludata.SearchParams{Platform: yt, AgeMin: 18}),
		"search: age 90":                   search(infludata.SearchParams{Platform: ig, AgeMax: 90}),
		"search: age reversed":             search(infludata.SearchParams{Platform: tt, AgeMin: 40, AgeMax: 20}),
		"search: followers reversed":       search(infludata.SearchParams{Platform: ig, FollowerMin: 1000, FollowerMax: 10}),
		"search: followers over cap":       search(infludata.SearchParams{Platform: tw, FollowerMax: 30_000_000}),
		"search: engagement 25":            search(infludata.SearchParams{Platform: ig, EngagementRate: 25}),
		"search: business on tiktok":       search(infludata.SearchParams{Platform: tt, BusinessSearch: true}),
		"search: website on twitch":        search(infludata.SearchParams{Platform: tw, Keywords: []string{"x"}, KeywordFields: []infludata.KeywordField{infludata.FieldWebsite}}),
		"search: fields without keywords":  search(infludata.SearchParams{Platform: ig, KeywordFields: []infludata.KeywordField{infludata.FieldBio}}),
		"search: keyword with comma":       search(infludata.SearchParams{Platform: ig, Keywords: []string{"a,b"}}),
		"search: bad language":             search(infludata.SearchParams{Platform: ig, Language: "German"}),
		"search: totalViews on instagram":  search(infludata.SearchParams{Platform: ig, Sorting: infludata.Sort{Field: infludata.SortTotalViews}}),
		"search: averageViewers on tiktok": search(infludata.SearchParams{Platform: tt, Sorting: infludata.Sort{Field: infludata.SortAverageViewers, Direction: infludata.Desc}}),
		"search: bad direction":            search(infludata.SearchParams{Platform: ig, Sorting: infludata.Sort{Field: infludata.SortFollowers, Direction: "down"}}),
		"search: unknown sort":             search(infludata.SearchParams{Platform: ig, Sorting: infludata.Sort{Field: "likes"}}),
		"search: reel plays on tiktok":     search(infludata.SearchParams{Platform: tt, ReelPlaysMin: 10}),
		"search: avg viewers on youtube":   search(infludata.SearchParams{Platform: yt, AverageViewersMin: 10}),
		"search: views reversed":           search(infludata.SearchParams{Platform: ig, ViewsMin: 10, ViewsMax: 5}),
		"searchAll: skipCount 5":           searchAll(infludata.SearchParams{Platform: ig, SkipCount: 5}),
		"content: no limit":                content(infludata.ContentParams{Tags: []string{"fashion"}}),
		"content: limit 1001":              content(infludata.ContentParams{Limit: 1001}),
		"content: twitch":                  content(infludata.ContentParams{Limit: 10, Platforms: []infludata.Platform{tw}}),
		"content: facebook":                content(infludata.ContentParams{Limit: 10, Platforms: []infludata.Platform{fb}}),
		"content: short on instagram":      content(infludata.ContentParams{Limit: 10, Platforms: []infludata.Platform{ig}, ContentTypes: []infludata.ContentType{infludata.ContentShort}}),
		"content: reel by default on yt":   content(infludata.ContentParams{Limit: 10, Platforms: []infludata.Platform{yt}, ContentTypes: []infludata.ContentType{infludata.ContentReel}}),
		"content: unknown type":            content(infludata.ContentParams{Limit: 10, ContentTypes: []infludata.ContentType{"tweet"}}),
		"content: city on youtube":         content(infludata.ContentParams{Limit: 10, Platforms: []infludata.Platform{yt}, City: "Berlin"}),
		"content: cursor and offset":       content(infludata.ContentParams{Limit: 10, Cursor: "abc", LegacyOffset: true}),
		"content: offset without legacy":   content(infludata.ContentParams{Limit: 10, Offset: 100}),
		"content: dates reversed":          content(infludata.ContentParams{Limit: 10, UploadedFrom: past.Add(time.Hour), UploadedTo: past}),
		"content: since and from":          content(infludata.ContentParams{Limit: 10, Since: wm, UploadedFrom: past}),
		"content: since sorted by reach":   content(infludata.ContentParams{Limit: 10, Since: wm, Sorting: infludata.ContentByReach}),
		"content: empty watermark":         content(infludata.ContentParams{Limit: 10, Since: &infludata.Watermark{}}),
		"content: bad sorting":             content(infludata.ContentParams{Limit: 10, Sorting: "likes"}),
		"content: cursor with newline":     content(infludata.ContentParams{Limit: 10, Cursor: "a\r\nX-Evil: 1"}),
		"contentAll: limit 1001":           contentAll(infludata.ContentParams{Limit: 1001}),
		"audience: twitch":                 audience(audienceOf(tw, "a")),
		"audience: no platform, a handle":  audience(infludata.GetProfileParams{Username: "adidas"}),
		"audience: twitch, report implied": audience(infludata.GetProfileParams{Platform: tw, Username: "a"}),
		"audience: poll interval of 0":     audience(audienceOf(ig, "a"), infludata.WithPollInterval(0, time.Minute)),
		"wait: facebook (no data status)":  audience(infludata.GetProfileParams{Platform: fb, Username: "a"}),
		"audience: bad poll interval":      audience(audienceOf(ig, "a"), infludata.WithPollInterval(time.Second, time.Millisecond)),
		"cities: no country": func(ctx context.Context, c *infludata.Client) error {
			_, err := c.Discovery.Cities(ctx, infludata.CitiesParams{Country: " "})
			return err
		},
		"account: bad client id": func(ctx context.Context, c *infludata.Client) error {
			_, err := c.Account.Get(ctx, infludata.ClientInfoParams{ClientID: "a b"})
			return err
		},
		"trial create: bad email": func(ctx context.Context, c *infludata.Client) error {
			_, err := c.Trial.Create(ctx, infludata.CreateTrialKeyParams{Email: "not-an-email"})
			return err
		},
		"trial create: company too long": func(ctx context.Context, c *infludata.Client) error {
			_, err := c.Trial.Create(ctx, infludata.CreateTrialKeyParams{Email: "you@company.com", Company: strings.Repeat("x", 121)})
			return err
		},
		"trial verify: 5-digit code": func(ctx context.Context, c *infludata.Client) error {
			_, err := c.Trial.Verify(ctx, infludata.VerifyTrialKeyParams{Email: "you@company.com", Code: "12345"})
			return err
		},
		"trial verify: letters": func(ctx context.Context, c *infludata.Client) error {
			_, err := c.Trial.Verify(ctx, infludata.VerifyTrialKeyParams{Email: "you@company.com", Code: "12a456"})
			return err
		},
		"getAndWaitAll: bad ref": func(ctx context.Context, c *infludata.Client) error {
			for _, err := range c.Profiles.GetAndWaitAll(ctx, []infludata.GetProfileParams{audienceOf(tw, "x")}) {
				var ce *infludata.ItemError
				if !errors.As(err, &ce) {
					return errors.New("not an ItemError")
				}
				return err
			}
			return nil
		},
	}
	for name, fn := range cases {
		t.Run(name, func(t *testing.T) {
			c, mt, _ := mock(t)
			err := fn(context.Background(), c)
			require.Error(t, err)
			assert.ErrorIs(t, err, infludata.ErrInvalidParams)
			assert.Zero(t, mt.GetTotalCallCount(), "nothing may be sent")
		})
	}

	t.Run("trial plan refuses weekly enrichment", func(t *testing.T) {
		c, mt, _ := mock(t, infludata.WithPlan(infludata.Trial))
		require.Equal(t, infludata.Trial, c.Plan())
		_, err := c.Enrichment.Add(context.Background(), infludata.EnrichParams{Platform: ig, Usernames: []string{"a"}, AddToWeeklyEnrichment: true})
		assert.ErrorIs(t, err, infludata.ErrInvalidParams)
		_, err = c.Profiles.CheckStatus(context.Background(), infludata.DataStatusParams{Platform: ig, Username: "a", AddToWeeklyEnrichment: true})
		assert.ErrorIs(t, err, infludata.ErrInvalidParams)
		_, err = c.Profiles.GetAndWait(context.Background(), audienceOf(ig, "a"), infludata.WithWeeklyEnrichment())
		assert.ErrorIs(t, err, infludata.ErrInvalidParams)
		assert.Zero(t, mt.GetTotalCallCount())
	})
}

func TestNewClient(t *testing.T) {
	t.Setenv("INFLUDATA_API_KEY", "")
	t.Setenv("INFLUDATA_BASE_URL", "")
	t.Setenv("INFLUDATA_PLAN", "")
	_, err := infludata.NewClient()
	assert.ErrorIs(t, err, infludata.ErrInvalidParams, "no key")
	assert.Contains(t, err.Error(), "INFLUDATA_API_KEY")

	_, err = infludata.NewClient(infludata.WithAPIKey("k-123456"), infludata.WithPlan("enterprise"))
	assert.ErrorIs(t, err, infludata.ErrInvalidParams)
	_, err = infludata.NewClient(infludata.WithAPIKey("k-123456"), infludata.WithBaseURL("ftp://x"))
	assert.ErrorIs(t, err, infludata.ErrInvalidParams)

	c, err := infludata.NewClient(infludata.WithAPIKey("secret-key-abcdef"))
	require.NoError(t, err)
	assert.Equal(t, infludata.Production, c.Plan())
	for _, s := range []string{c.String(), c.GoString()} {
		assert.NotContains(t, s, "secret-key-abcdef")
		assert.Contains(t, s, "app.infludata.com/api/externalAPI")
	}
	assert.EqualValues(t, -1, c.TokensRemaining())

	t.Setenv("INFLUDATA_API_KEY", "env-key-123456")
	t.Setenv("INFLUDATA_PLAN", "trial")
	t.Setenv("INFLUDATA_BASE_URL", "https://example.test/api")
	c, err = infludata.NewClient()
	require.NoError(t, err)
	assert.Equal(t, infludata.Trial, c.Plan())
	assert.Contains(t, c.String(), "example.test/api")
	c, err = infludata.NewClient(infludata.WithPlan(infludata.Production))
	require.NoError(t, err)
	assert.Equal(t, infludata.Production, c.Plan(), "options win over the environment")

	assert.Equal(t, []infludata.Window{{N: 2, Per: time.Second}, {N: 60, Per: time.Minute}}, infludata.Trial.Windows())
	assert.Equal(t, []infludata.Window{{N: 25, Per: time.Second}, {N: 1000, Per: time.Minute}}, infludata.Production.Windows())

	s, err := infludata.NewSignup()
	require.NoError(t, err, "signup needs no key")
	require.NotNil(t, s)
}
