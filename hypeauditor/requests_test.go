package hypeauditor_test

import (
	"context"
	"errors"
	"net/url"
	"testing"
	"time"

	"github.com/creatorkit/creatorkit-go/hypeauditor"
	"github.com/creatorkit/creatorkit-go/internal/fixture"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var ctx = context.Background()

func TestInstagramRequests(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	expect(t, mt, "GET", "auditor.report", want{query: url.Values{"username": {"nasa"}, "features": {"ranking,er_benchmarks"}}}, 200, "instagram_report.json")
	r, err := c.Reports.Instagram(ctx, hypeauditor.InstagramParams{Username: "@nasa", Features: []hypeauditor.InstagramFeature{hypeauditor.FeatureRanking, hypeauditor.FeatureERBenchmarks}})
	require.NoError(t, err)
	assert.Equal(t, hypeauditor.StateReady, r.State)
	assert.Equal(t, "nasa", r.User.Username)
	assert.Equal(t, hypeauditor.Int(1209), *r.RestTokens)
	assert.Equal(t, 200, r.Response.StatusCode)
	assert.JSONEq(t, string(fixture.Load(t, "instagram_report.json")), string(r.Raw))
	s := r.Summary()
	assert.Equal(t, 88.0, s.GetQuality().Score)
	assert.Equal(t, 0.52, s.GetEngagementRate())

	expect(t, mt, "GET", "auditor.reportByUserId", want{query: url.Values{"user_id": {"528817151"}}}, 202, "instagram_not_ready.json")
	r, err = c.Reports.Instagram(ctx, hypeauditor.InstagramParams{UserID: "528817151"})
	require.NoError(t, err, "NOT_READY is a state, not an error")
	assert.True(t, r.NotReady())
	assert.Equal(t, 202, r.Response.StatusCode)
	assert.Equal(t, 2, mt.GetTotalCallCount())
}

func TestNotReadyFrom202WithoutState(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	respond(mt, "GET", "auditor.tiktok", 202, `{"result":{"retryTtl":45}}`)
	r, err := c.Reports.TikTok(ctx, hypeauditor.TikTokParams{Channel: "littlebig"})
	require.NoError(t, err)
	assert.Equal(t, hypeauditor.StateNotReady, r.State, "a 202 without report_state is NOT_READY")
	assert.Equal(t, "45s", r.RetryAfter().String())
}

func TestNetworkRequests(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	expect(t, mt, "GET", "auditor.tiktok", want{query: url.Values{"channel": {"littlebig"}}}, 200, "tiktok_report.json")
	expect(t, mt, "GET", "auditor.tiktokByUserId", want{query: url.Values{"user_id": {"6557821753438371845"}}}, 200, "tiktok_report.json")
	expect(t, mt, "GET", "auditor.youtube", want{query: url.Values{"channel": {"UCLA_DiR1FfKNvjuUpBHmylQ"}, "features": {"blogger_emv"}}}, 200, "youtube_report.json")
	expect(t, mt, "GET", "auditor.twitch", want{query: url.Values{"channel": {"nasa"}}}, 200, "twitch_report.json")
	expect(t, mt, "GET", "auditor.twitter", want{query: url.Values{"channel": {"nasa"}}}, 200, "twitch_report.json")
	expect(t, mt, "GET", "auditor.snapchat", want{query: url.Values{"channel": {"nasa"}}}, 200, "snapchat_report.json")
	expect(t, mt, "GET", "auditor.twitchHistory", want{query: url.Values{"channel": {"nasa"}}}, 200, "twitch_history.json")
	expect(t, mt, "GET", "auditor.reportMedia", want{query: url.Values{"username": {"nasa"}}}, 200, "account_media.json")

	tt, err := c.Reports.TikTok(ctx, hypeauditor.TikTokParams{Channel: "@littlebig"})
	require.NoError(t, err)
	assert.Equal(t, "littlebig", tt.Report.Basic.Username)
	_, err = c.Reports.TikTok(ctx, hypeauditor.TikTokParams{UserID: "6557821753438371845"})
	require.NoError(t, err)
	yt, err := c.Reports.YouTube(ctx, hypeauditor.YouTubeParams{Channel: "UCLA_DiR1FfKNvjuUpBHmylQ", Features: []string{"blogger_emv"}})
	require.NoError(t, err)
	ys := yt.Summary()
	assert.Equal(t, 78.0, ys.GetQuality().Score)
	tw, err := c.Reports.Twitch(ctx, hypeauditor.ChannelParams{Channel: "nasa"})
	require.NoError(t, err)
	assert.Equal(t, hypeauditor.Twitch, tw.Platform)
	x, err := c.Reports.Twitter(ctx, hypeauditor.ChannelParams{Channel: "nasa"})
	require.NoError(t, err)
	assert.Equal(t, "twitter", x.Summary().Platform)
	sc, err := c.Reports.Snapchat(ctx, hypeauditor.ChannelParams{Channel: "nasa"})
	require.NoError(t, err)
	assert.True(t, sc.LowConfidence())
	h, err := c.Reports.TwitchHistory(ctx, hypeauditor.ChannelParams{Channel: "nasa"})
	require.NoError(t, err)
	assert.Len(t, h.MetricsHistory["monthly_views_avg"].History, 2)
	m, err := c.Reports.Media(ctx, hypeauditor.MediaParams{Username: "nasa"})
	require.NoError(t, err)
	assert.Len(t, m.Media, 2)
	assert.Equal(t, 8, mt.GetTotalCallCount())
}

func TestListRequests(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	expect(t, mt, "GET", "auditor.reportConnections", want{query: url.Values{"username": {"nasa"}, "type": {"instagram"}}}, 200, "connections.json")
	conns, err := c.Connections.Get(ctx, hypeauditor.ConnectionsParams{Username: "nasa", Type: hypeauditor.Instagram})
	require.NoError(t, err)
	require.Len(t, conns.Accounts, 5)
	assert.Equal(t, hypeauditor.ID("UCLA_DiR1FfKNvjuUpBHmylQ"), conns.ByPlatform(hypeauditor.YouTube)[0].SocialID)

	mt.Reset()
	expect(t, mt, "GET", "auditor.reportConnections", want{query: url.Values{"id": {"UCLA_DiR1FfKNvjuUpBHmylQ"}, "type": {"youtube"}}}, 200, "connections_data.json")
	conns, err = c.Connections.Get(ctx, hypeauditor.ConnectionsParams{ID: "UCLA_DiR1FfKNvjuUpBHmylQ", Type: hypeauditor.YouTube})
	require.NoError(t, err)
	assert.Len(t, conns.Accounts, 1, "the {data: [...]} wrapper decodes too")

	expect(t, mt, "GET", "auditor.reportsUnlocked", want{query: url.Values{"limit": {"50"}, "offset": {"10"}, "date_from": {"2024-09-01"}, "date_to": {"2024-09-30 23:59:59"}}}, 200, "reports_unlocked.json")
	ul, err := c.Unlocked.List(ctx, hypeauditor.UnlockedParams{Limit: 50, Offset: 10, DateFrom: "2024-09-01", DateTo: "2024-09-30 23:59:59"})
	require.NoError(t, err)
	assert.Equal(t, "nasa", ul.Data[0].Username)

	expect(t, mt, "GET", "auditor.planInfo", want{}, 200, "plan_info.json")
	p, err := c.Account.PlanInfo(ctx)
	require.NoError(t, err)
	assert.Equal(t, hypeauditor.Int(10123), p.Reports.Credits)
	assert.Equal(t, hypeauditor.Int(89936), p.Discovery.Requests)

	expect(t, mt, "GET", "auditor.suggester", want{query: url.Values{"search": {"nasa"}, "st": {"instagram"}, "exclSt": {"twitch,snapchat"}}}, 200, "suggester.json")
	sg, err := c.Discovery.Suggest(ctx, hypeauditor.SuggestParams{Search: "nasa", Platform: hypeauditor.Instagram,
		Exclude: []hypeauditor.Platform{hypeauditor.Twitch, hypeauditor.Snapchat}})
	require.NoError(t, err)
	assert.Equal(t, hypeauditor.YouTube, sg.List[0].SocialNetworks[0].Type.Platform())

	expect(t, mt, "GET", "auditor.creators", want{query: url.Values{"limit": {"20"}, "cursor": {"1183"}, "report_unlocked_from": {"2024-01-01"}, "report_unlocked_to": {"2024-12-31T23:59:59+00:00"}}}, 200, "creators.json")
	cr, err := c.Creators.List(ctx, hypeauditor.CreatorsParams{Limit: 20, Cursor: "1183", ReportUnlockedFrom: "2024-01-01", ReportUnlockedTo: "2024-12-31T23:59:59+00:00"})
	require.NoError(t, err)
	assert.Equal(t, "Jane", cr.Creators[0].FirstName)
}

// The SDK sends the official Twitch example body byte for byte (ignoring
// key order) from typed params.
func TestSearchRequestMatchesOfficialExample(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	body := string(fixture.Load(t, "search_request_twitch.json"))
	expect(t, mt, "POST", "auditor.search", want{body: body}, 200, "search.json")
	yes := true
	p := hypeauditor.SearchParams{
		Platform:                hypeauditor.Twitch,
		SubscribersCount:        hypeauditor.Between(1000, 10000000),
		AccountLanguages:        []string{"en"},
		AccountHasContacts:      &yes,
		Search:                  []string{"twitch"},
		AccountGeo:              &hypeauditor.AccountGeo{Country: []string{"us", "gb"}},
		AudienceGeo:             &hypeauditor.AudienceGeoFilter{Countries: []hypeauditor.CountryShareFilter{{ID: "us", Prc: 3}}},
		AudienceGender:          &hypeauditor.AudienceGenderFilter{Gender: "male", Prc: 50},
		Growth:                  &hypeauditor.GrowthFilter{Period: "365d", From: ptr(0.0), To: ptr(100.0)},
		TwitchLiveViewersAvg:    hypeauditor.Between(0, 50),
		TwitchActiveDaysPerWeek: hypeauditor.Between(0, 50),
		TwitchGames:             &hypeauditor.TwitchGamesFilter{Games: []int{19156}, Period: 30},
		TwitchHoursStreamed:     hypeauditor.Between(10, 1000),
		Sort:                    &hypeauditor.Sort{Field: "subscribers_count", Order: "desc"},
	}
	page, err := c.Discovery.Search(ctx, p)
	require.NoError(t, err)
	assert.Equal(t, hypeauditor.Int(37), page.TotalPages)
	assert.Equal(t, hypeauditor.Int(999), *page.QueriesLeft)
	assert.False(t, page.Sandbox)
	assert.Equal(t, "fitjane", page.Items()[0].Basic.Username)
	assert.Equal(t, 0, p.Page, "the caller's params are not changed")

	mt.Reset()
	expect(t, mt, "POST", "auditor.searchSandbox", want{body: body}, 200, "search.json")
	page, err = c.Discovery.SearchSandbox(ctx, p)
	require.NoError(t, err)
	assert.True(t, page.Sandbox)
	assert.Equal(t, 1, mt.GetTotalCallCount())
}

func ptr[T any](v T) *T { return &v }

func TestSearchExtraAndVerified(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	expect(t, mt, "POST", "auditor.search", want{body: `{"social_network":"instagram","page":3,"verified":1,"aqs":{"from":70},"income":{"id":"25k_50k","prc":10},"audience_lang":{"code":"en","prc":40}}`}, 200, "search.json")
	_, err := c.Discovery.Search(ctx, hypeauditor.SearchParams{Platform: hypeauditor.Instagram, Page: 3, Verified: true, AQS: hypeauditor.AtLeast(70),
		Income: &hypeauditor.IncomeFilter{ID: "25k_50k", Prc: 10}, Extra: map[string]any{"audience_lang": map[string]any{"code": "en", "prc": 40}}})
	require.NoError(t, err)
}

// Bad input fails with ErrInvalidParams before anything is sent.
func TestValidationSendsNothing(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	yes := true
	cases := map[string]func() error{
		"no username and no id": func() error { _, err := c.Reports.Instagram(ctx, hypeauditor.InstagramParams{}); return err },
		"username and id": func() error {
			_, err := c.Reports.Instagram(ctx, hypeauditor.InstagramParams{Username: "a", UserID: "1"})
			return err
		},
		"non-numeric user id": func() error {
			_, err := c.Reports.Instagram(ctx, hypeauditor.InstagramParams{UserID: "abc"})
			return err
		},
		"bad feature": func() error {
			_, err := c.Reports.Instagram(ctx, hypeauditor.InstagramParams{Username: "a", Features: []hypeauditor.InstagramFeature{"Bad Feature"}})
			return err
		},
		"url as username": func() error {
			_, err := c.Reports.Instagram(ctx, hypeauditor.InstagramParams{Username: "https://instagram.com/nasa"})
			return err
		},
		"space in channel": func() error {
			_, err := c.Reports.TikTok(ctx, hypeauditor.TikTokParams{Channel: "little big"})
			return err
		},
		"no tiktok account": func() error { _, err := c.Reports.TikTok(ctx, hypeauditor.TikTokParams{}); return err },
		"bad tiktok feature": func() error {
			_, err := c.Reports.TikTok(ctx, hypeauditor.TikTokParams{Channel: "littlebig", Features: []string{"blogger-emv"}})
			return err
		},
		"bad tiktok feature by id": func() error {
			_, err := c.Reports.TikTokAndWait(ctx, hypeauditor.TikTokParams{UserID: "6557821753438371845", Features: []string{""}})
			return err
		},
		"no youtube channel": func() error { _, err := c.Reports.YouTube(ctx, hypeauditor.YouTubeParams{Channel: "  "}); return err },
		"empty yt feature": func() error {
			_, err := c.Reports.YouTube(ctx, hypeauditor.YouTubeParams{Channel: "x", Features: []string{""}})
			return err
		},
		"no twitch channel":   func() error { _, err := c.Reports.Twitch(ctx, hypeauditor.ChannelParams{}); return err },
		"no twitter channel":  func() error { _, err := c.Reports.Twitter(ctx, hypeauditor.ChannelParams{}); return err },
		"no snapchat channel": func() error { _, err := c.Reports.Snapchat(ctx, hypeauditor.ChannelParams{}); return err },
		"no history channel":  func() error { _, err := c.Reports.TwitchHistory(ctx, hypeauditor.ChannelParams{}); return err },
		"wait: no account":    func() error { _, err := c.Reports.InstagramAndWait(ctx, hypeauditor.InstagramParams{}); return err },
		"wait: zero interval": func() error {
			_, err := c.Reports.TikTokAndWait(ctx, hypeauditor.TikTokParams{Channel: "a"}, hypeauditor.WithPollInterval(0, time.Second))
			return err
		},
		"wait: max below initial": func() error {
			_, err := c.Reports.YouTubeAndWait(ctx, hypeauditor.YouTubeParams{Channel: "a"}, hypeauditor.WithPollInterval(time.Second, time.Millisecond))
			return err
		},
		"media: no username": func() error { _, err := c.Reports.Media(ctx, hypeauditor.MediaParams{}); return err },
		"connections: no account": func() error {
			_, err := c.Connections.Get(ctx, hypeauditor.ConnectionsParams{Type: hypeauditor.Instagram})
			return err
		},
		"connections: no network": func() error {
			_, err := c.Connections.Get(ctx, hypeauditor.ConnectionsParams{Username: "nasa"})
			return err
		},
		"connections: bad network": func() error {
			_, err := c.Connections.Get(ctx, hypeauditor.ConnectionsParams{Username: "nasa", Type: "myspace"})
			return err
		},
		"unlocked: limit over 100": func() error { _, err := c.Unlocked.List(ctx, hypeauditor.UnlockedParams{Limit: 101}); return err },
		"unlocked: negative offset": func() error {
			_, err := c.Unlocked.List(ctx, hypeauditor.UnlockedParams{Offset: -1})
			return err
		},
		"unlocked: malformed date": func() error {
			_, err := c.Unlocked.List(ctx, hypeauditor.UnlockedParams{DateFrom: "2024/09/01"})
			return err
		},
		"unlocked: malformed time": func() error {
			_, err := c.Unlocked.List(ctx, hypeauditor.UnlockedParams{DateTo: "2024-09-01 25:00:00"})
			return err
		},
		"creators: limit 0 < 1": func() error { _, err := c.Creators.List(ctx, hypeauditor.CreatorsParams{Limit: 500}); return err },
		"creators: bad date": func() error {
			_, err := c.Creators.List(ctx, hypeauditor.CreatorsParams{ReportUnlockedFrom: "yesterday"})
			return err
		},
		"creators: bad cursor": func() error { _, err := c.Creators.List(ctx, hypeauditor.CreatorsParams{Cursor: "abc"}); return err },
		"suggest: empty":       func() error { _, err := c.Discovery.Suggest(ctx, hypeauditor.SuggestParams{}); return err },
		"suggest: bad network": func() error {
			_, err := c.Discovery.Suggest(ctx, hypeauditor.SuggestParams{Search: "x", Exclude: []hypeauditor.Platform{"vine"}})
			return err
		},
		"search: no network": func() error { _, err := c.Discovery.Search(ctx, hypeauditor.SearchParams{}); return err },
		"search: unknown network": func() error {
			_, err := c.Discovery.Search(ctx, hypeauditor.SearchParams{Platform: "myspace"})
			return err
		},
		"search: snapchat": func() error {
			_, err := c.Discovery.Search(ctx, hypeauditor.SearchParams{Platform: hypeauditor.Snapchat})
			return err
		},
		"search: negative page": func() error {
			_, err := c.Discovery.Search(ctx, hypeauditor.SearchParams{Platform: hypeauditor.TikTok, Page: -1})
			return err
		},
		"search: inverted range": func() error {
			_, err := c.Discovery.Search(ctx, hypeauditor.SearchParams{Platform: hypeauditor.TikTok, ER: hypeauditor.Between(5, 1)})
			return err
		},
		"search: empty range": func() error {
			_, err := c.Discovery.Search(ctx, hypeauditor.SearchParams{Platform: hypeauditor.TikTok, ViewsAvg: &hypeauditor.Range{}})
			return err
		},
		"search: growth period": func() error {
			_, err := c.Discovery.Search(ctx, hypeauditor.SearchParams{Platform: hypeauditor.TikTok, Growth: &hypeauditor.GrowthFilter{Period: "8d", From: ptr(1.0)}})
			return err
		},
		"search: growth without period": func() error {
			_, err := c.Discovery.Search(ctx, hypeauditor.SearchParams{Platform: hypeauditor.TikTok, Growth: &hypeauditor.GrowthFilter{From: ptr(1.0)}})
			return err
		},
		"search: likes growth period": func() error {
			_, err := c.Discovery.Search(ctx, hypeauditor.SearchParams{Platform: hypeauditor.TikTok, LikesGrowthPrc: &hypeauditor.GrowthFilter{Period: "1y", From: ptr(1.0)}})
			return err
		},
		"search: likes growth empty range": func() error {
			_, err := c.Discovery.Search(ctx, hypeauditor.SearchParams{Platform: hypeauditor.TikTok, LikesGrowthPrc: &hypeauditor.GrowthFilter{Period: "7d"}})
			return err
		},
		"search: likes avg range": func() error {
			_, err := c.Discovery.Search(ctx, hypeauditor.SearchParams{Platform: hypeauditor.TikTok, LikesAvg: hypeauditor.Between(100, 10)})
			return err
		},
		"search: reactions rate mark": func() error {
			_, err := c.Discovery.Search(ctx, hypeauditor.SearchParams{Platform: hypeauditor.YouTube, ReactionsRate: &hypeauditor.MarksFilter{Marks: []string{"good", "great"}}})
			return err
		},
		"search: comments rate no marks": func() error {
			_, err := c.Discovery.Search(ctx, hypeauditor.SearchParams{Platform: hypeauditor.YouTube, CommentsRate: &hypeauditor.MarksFilter{}})
			return err
		},
		"search: thematics id": func() error {
			_, err := c.Discovery.Search(ctx, hypeauditor.SearchParams{Platform: hypeauditor.YouTube, Thematics: &hypeauditor.CategoryFilter{Include: []int{25, 0}}})
			return err
		},
		"search: empty thematics": func() error {
			_, err := c.Discovery.Search(ctx, hypeauditor.SearchParams{Platform: hypeauditor.YouTube, Thematics: &hypeauditor.CategoryFilter{}})
			return err
		},
		"search: category id": func() error {
			_, err := c.Discovery.Search(ctx, hypeauditor.SearchParams{Platform: hypeauditor.TikTok, Category: &hypeauditor.CategoryFilter{Exclude: []int{-3}}})
			return err
		},
		"search: country code": func() error {
			_, err := c.Discovery.Search(ctx, hypeauditor.SearchParams{Platform: hypeauditor.TikTok, AccountGeo: &hypeauditor.AccountGeo{Country: []string{"USA"}}})
			return err
		},
		"search: percent": func() error {
			_, err := c.Discovery.Search(ctx, hypeauditor.SearchParams{Platform: hypeauditor.TikTok, AudienceGender: &hypeauditor.AudienceGenderFilter{Gender: "male", Prc: 120}})
			return err
		},
		"search: gender": func() error {
			_, err := c.Discovery.Search(ctx, hypeauditor.SearchParams{Platform: hypeauditor.TikTok, AccountGender: "other"})
			return err
		},
		"search: age group": func() error {
			_, err := c.Discovery.Search(ctx, hypeauditor.SearchParams{Platform: hypeauditor.TikTok, AudienceAge: &hypeauditor.AudienceAgeFilter{Groups: []string{"18-24"}}})
			return err
		},
		"search: sort order": func() error {
			_, err := c.Discovery.Search(ctx, hypeauditor.SearchParams{Platform: hypeauditor.TikTok, Sort: &hypeauditor.Sort{Field: "er", Order: "up"}})
			return err
		},
		"search: extra collides": func() error {
			_, err := c.Discovery.Search(ctx, hypeauditor.SearchParams{Platform: hypeauditor.TikTok, AccountHasContacts: &yes, Extra: map[string]any{"account_has_contacts": false}})
			return err
		},
	}
	for name, call := range cases {
		err := call()
		assert.ErrorIs(t, err, hypeauditor.ErrInvalidParams, name)
		var e *hypeauditor.Error
		if assert.True(t, errors.As(err, &e), name) {
			assert.Equal(t, 0, e.StatusCode, name)
			assert.NotEmpty(t, e.Field, name)
		}
	}
	for name, seq := range map[string]func() error{
		"unlocked ListAll": func() error {
			for _, err := range c.Unlocked.ListAll(ctx, hypeauditor.UnlockedParams{Limit: 1000}) {
				return err
			}
			return nil
		},
		"creators ListAll": func() error {
			for _, err := range c.Creators.ListAll(ctx, hypeauditor.CreatorsParams{Limit: -5}) {
				return err
			}
			return nil
		},
		"SearchAll": func() error {
			for _, err := range c.Discovery.SearchAll(ctx, hypeauditor.SearchParams{}) {
				return err
			}
			return nil
		},
		"SearchAll bad option": func() error {
			for _, err := range c.Discovery.SearchAll(ctx, hypeauditor.SearchParams{Platform: hypeauditor.TikTok}, hypeauditor.WithPageFunc(nil)) {
				return err
			}
			return nil
		},
		"unlocked ListAll: an option it cannot use": func() error {
			for _, err := range c.Unlocked.ListAll(ctx, hypeauditor.UnlockedParams{}, hypeauditor.WithPageFunc(func(*hypeauditor.SearchPage) {})) {
				return err
			}
			return nil
		},
	} {
		assert.ErrorIs(t, seq(), hypeauditor.ErrInvalidParams, name)
	}
	assert.Equal(t, 0, mt.GetTotalCallCount(), "nothing was sent")
}

// The documented error bodies map to their kinds and codes.
func TestDocumentedErrors(t *testing.T) {
	t.Parallel()
	cases := []struct {
		file   string
		status int
		kind   error
		code   hypeauditor.Code
		msg    string
	}{
		{"error_400_invalid_request.json", 400, hypeauditor.ErrInvalidParams, hypeauditor.CodeInvalidRequest, "Invalid request"},
		{"error_400_unknown_method.json", 400, hypeauditor.ErrInvalidParams, hypeauditor.CodeUnknownMethod, "Unknown method"},
		{"error_402_no_api_access.json", 402, hypeauditor.ErrQuotaExceeded, hypeauditor.CodeNoAPIAccess, "No API access"},
		{"error_403_invalid_token.json", 403, hypeauditor.ErrUnauthorized, hypeauditor.CodeInvalidToken, "Invalid token"},
		{"error_403_access_denied.json", 403, hypeauditor.ErrForbidden, hypeauditor.CodeAccessDenied, "Access denied"},
		{"error_404_object_not_found.json", 404, hypeauditor.ErrNotFound, hypeauditor.CodeObjectNotFound, "Object not found"},
	}
	for _, tc := range cases {
		c, mt := newMockClient(t)
		expect(t, mt, "GET", "auditor.reportConnections", want{query: url.Values{"username": {"nasa"}, "type": {"tiktok"}}}, tc.status, tc.file)
		_, err := c.Connections.Get(ctx, hypeauditor.ConnectionsParams{Username: "nasa", Type: hypeauditor.TikTok})
		require.Error(t, err, tc.file)
		assert.ErrorIs(t, err, tc.kind, tc.file)
		assert.Equal(t, tc.code, hypeauditor.CodeOf(err), tc.file)
		var e *hypeauditor.Error
		require.True(t, errors.As(err, &e))
		assert.Equal(t, tc.msg, e.Message, tc.file)
		assert.Equal(t, tc.status, e.StatusCode)
		assert.NotContains(t, err.Error(), testToken)
		if tc.code == hypeauditor.CodeInvalidToken {
			assert.NotErrorIs(t, err, hypeauditor.ErrForbidden, "code 4 is an auth failure, not a permission one")
		}
		assert.Equal(t, 1, mt.GetTotalCallCount(), "%s: 4xx errors are not retried", tc.file)
	}
	assert.Equal(t, hypeauditor.Code(""), hypeauditor.CodeOf(errors.New("plain")))
}
