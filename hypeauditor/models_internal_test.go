package hypeauditor

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/creatorkit/creatorkit-go/internal/fixture"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// envelope is the {"result": ...} wrapper every success body has.
type envelope[T any] struct {
	Result T `json:"result"`
}

// Every model round-trips every documented sample (and every file built
// from a documented field list) without losing a field, and the typed
// coverage of each is logged (go test -run RoundTripFixtures -v). These
// files are not HypeAuditor's own full samples (those are checked leaf
// by leaf in TestPublishedSamplesLoseNothing): an id written as a number
// in a constructed file may come back as a string, as jsonx.ID keeps ids.
func TestModelsRoundTripFixtures(t *testing.T) {
	t.Parallel()
	cases := map[string]func() any{
		"connections.json":             func() any { return &envelope[connectionList]{} },
		"connections_data.json":        func() any { return &envelope[connectionList]{} },
		"plan_info.json":               func() any { return &envelope[PlanInfo]{} },
		"reports_unlocked.json":        func() any { return &envelope[UnlockedList]{} },
		"suggester.json":               func() any { return &envelope[Suggestions]{} },
		"instagram_report.json":        func() any { return &envelope[InstagramReport]{} },
		"instagram_not_ready.json":     func() any { return &envelope[InstagramReport]{} },
		"instagram_report_full.json":   func() any { return &envelope[InstagramReport]{} },
		"instagram_report_client.json": func() any { return &envelope[InstagramReport]{} },
		"instagram_report_alt.json":    func() any { return &envelope[InstagramReport]{} },
		"tiktok_report.json":           func() any { return &envelope[TikTokReport]{} },
		"tiktok_report_full.json":      func() any { return &envelope[TikTokReport]{} },
		"youtube_report.json":          func() any { return &envelope[YouTubeReport]{} },
		"youtube_report_full.json":     func() any { return &envelope[YouTubeReport]{} },
		"twitch_report.json":           func() any { return &envelope[NetworkReport]{} },
		"snapchat_report.json":         func() any { return &envelope[NetworkReport]{} },
		"twitch_history.json":          func() any { return &envelope[TwitchHistory]{} },
		"creators.json":                func() any { return &envelope[CreatorList]{} },
		"account_media.json":           func() any { return &envelope[AccountMedia]{} },
		"search.json":                  func() any { return &envelope[SearchPage]{} },
	}
	for name, newV := range cases {
		t.Run(name, func(t *testing.T) {
			data := fixture.Load(t, name)
			v := newV()
			fixture.RoundTrip(t, data, v)
			covered, total, missing := fixture.TypedCoverage(data, v)
			t.Logf("coverage %s: %.2f%% (%d/%d non-null leaves typed); not typed: %v", name, 100*fixture.Ratio(covered, total), covered, total, missing)
		})
	}
}

// The round trip above proves nothing is lost; these prove the values land
// in the right typed fields.
func TestInstagramFullDecodesTypedFields(t *testing.T) {
	t.Parallel()
	var env envelope[InstagramReport]
	require.NoError(t, json.Unmarshal(fixture.Load(t, "instagram_report_full.json"), &env))
	r := env.Result
	u := r.User
	require.NotNil(t, u)
	assert.Equal(t, StateReady, r.State)
	assert.Equal(t, Int(1208), *r.RestTokens)
	assert.Equal(t, int64(57657398400), r.ValidUntil.Unix())
	assert.Equal(t, Int(96809672), *u.FollowersCount)
	assert.Equal(t, Float(88), *u.AQS)
	assert.Equal(t, []Int{1018, 1032}, u.BloggerCategories)
	assert.Equal(t, "dc", *u.BloggerGeo.State)
	assert.Equal(t, Float(1.8), *u.BloggerEMV.EMVPerDollar)
	assert.Equal(t, Float(8.5), *u.BloggerPrices.CPM)
	assert.Equal(t, "United States", u.BloggerRankings.Country.Country.Title)
	assert.Equal(t, "233", string(u.BloggerRankings.Country.Country.ID))
	assert.Equal(t, "Science", u.BloggerRankings.Category.Category.Title)
	assert.Equal(t, "Excellent", u.AudienceAuthenticity.Title)
	assert.Equal(t, Float(0.9), *u.ER.Avg)
	assert.Equal(t, Float(0.4), *u.ER.Period("7d").Value)
	assert.Nil(t, u.ER.Period("365d"))
	assert.Len(t, u.ER.Hist, 1)
	assert.Equal(t, Float(24.6), *u.AudienceType.Mass)
	assert.Equal(t, Float(70), *u.AudienceSentiments.Sentiments["POSITIVE"].Prc)
	assert.Equal(t, time.Date(2024, 7, 1, 0, 0, 0, 0, time.UTC), u.FollowersChart[1].Date.UTC())
	assert.Equal(t, YouTube, u.SocialNetworks[0].Type.Platform())
	assert.Equal(t, InterestWeight{Name: "Science", Weight: 0.52}, u.AudienceInterests[0])
	assert.Equal(t, "2643743", string(u.AudienceGeography.Cities[0].ID))
	assert.Equal(t, "age18-24", u.DemographyByAge[0].ByAgeGroup[1].Group)
	assert.Equal(t, Float(5.2), u.AudienceIncome["200k+"])
	assert.Equal(t, "SpaceX", u.AdvertisingData.BrandMentions[0].Name)
	assert.Equal(t, `"Washington, DC"`, string(u.Location.Value))
	assert.Equal(t, Float(60000), *u.EstPostPrice.Max)
	assert.Contains(t, r.Features.Blocks, "report")
	var ranking struct {
		Rank Float `json:"rank"`
	}
	assert.True(t, r.Features.Block("ranking", &ranking), "a {data} block")
	assert.Equal(t, Float(57), ranking.Rank)
	assert.False(t, r.Features.Block("mentions", &ranking), "an absent block")
	assert.False(t, *u.BrandSafety.Items["alcohol"].Value)
	assert.Equal(t, []string{"US", "IN", "GB"}, codes(r.Summary().AudienceCountries), "summary sorts countries by share, ISO codes")
}

func codes(s []Share) []string {
	out := make([]string, len(s))
	for i, x := range s {
		out[i] = x.Code
	}
	return out
}

func TestInstagramClientShapes(t *testing.T) {
	t.Parallel()
	var client envelope[InstagramReport]
	require.NoError(t, json.Unmarshal(fixture.Load(t, "instagram_report_client.json"), &client))
	assert.Equal(t, ID("2278169415"), client.Result.User.ID)
	assert.JSONEq(t, `[]`, string(client.Result.User.BloggerHashtags.Data))
	assert.Equal(t, InstagramMissingBlocks(), client.Result.MissingBlocks())
	assert.Empty(t, client.Result.Summary().AudienceCountries, "a low-confidence report has no audience breakdown")

	var alt envelope[InstagramReport]
	require.NoError(t, json.Unmarshal(fixture.Load(t, "instagram_report_alt.json"), &alt))
	s := alt.Result.Summary()
	assert.Equal(t, "nasa", s.Username)
	assert.Equal(t, 88.0, s.GetQuality().Score)
	assert.Equal(t, QualityAQS, s.GetQuality().Name)
	assert.Equal(t, 0.73, s.GetEngagementRate())
	assert.Equal(t, []string{"US", "IN"}, codes(s.AudienceCountries))
}

func TestNotReadyBody(t *testing.T) {
	t.Parallel()
	var env envelope[InstagramReport]
	require.NoError(t, json.Unmarshal(fixture.Load(t, "instagram_not_ready.json"), &env))
	assert.True(t, env.Result.NotReady())
	assert.False(t, env.Result.Ready())
	assert.Equal(t, 30*time.Second, env.Result.RetryAfter())
	assert.Nil(t, env.Result.User)
	var none ReportStatus
	assert.Equal(t, DefaultRetryTTL, none.RetryAfter(), "fallback when retryTtl is missing")
}

func TestTikTokFullDecodesTypedFields(t *testing.T) {
	t.Parallel()
	var env envelope[TikTokReport]
	require.NoError(t, json.Unmarshal(fixture.Load(t, "tiktok_report_full.json"), &env))
	r := env.Result
	assert.Equal(t, "NO_POSTS_7D", r.QualityString())
	b := r.Report
	assert.Equal(t, ID("6557821753438371845"), b.Basic.ID)
	assert.Equal(t, "PER_WEEK", b.Metrics.MediaPerWeek.Period("30d").Period)
	assert.Equal(t, Float(3), *b.Metrics.MediaCount.Period("7d").SimilarMax)
	assert.Equal(t, "BELOW_AVERAGE", b.Metrics.ER.MarkTitle)
	f := b.Features
	assert.Equal(t, Float(9.2), *f.AudienceAgeGender.Data["13-17"].Female)
	assert.Equal(t, Float(8.1), *f.AudienceByType.Data.Bots)
	assert.Equal(t, 80.2, f.AudienceRaces.Data.Shares["caucasian"])
	assert.Equal(t, "Slow growth", f.AQS.Data.Description["account_growth"].Description.Title.Text)
	assert.True(t, *f.BloggerViewsLikesChart.Data[0].IsRecommended)
	assert.Equal(t, Float(10), f.LikesDistribution.Data["30d"].Value["10K+"])
	assert.Equal(t, []ID{"7123456789012345679"}, f.MostMedia.Data["er_desc"].Performance["30d"].MediaIDs)
	assert.Equal(t, YouTube, f.SocialNetworks.Data[0].Type.Platform())
	s := r.Summary()
	assert.Equal(t, 57.0, s.GetQuality().Score)
	assert.Equal(t, 7.05, s.GetEngagementRate())
	assert.Equal(t, int64(4600000), s.GetFollowers())
	assert.Equal(t, []string{"RU", "US", "GB"}, codes(s.AudienceCountries))
	assert.Nil(t, r.MissingBlocks())
}

func TestYouTubeFullDecodesTypedFields(t *testing.T) {
	t.Parallel()
	var env envelope[YouTubeReport]
	require.NoError(t, json.Unmarshal(fixture.Load(t, "youtube_report_full.json"), &env))
	r := env.Result
	assert.Equal(t, "FULL", r.QualityString())
	b := r.Report
	assert.True(t, *b.Basic.IsVerified)
	assert.Equal(t, int64(1719792000), b.Basic.LastVideoTime.Unix())
	assert.True(t, *b.Metrics.CommentsRate.Period("30d").IsCommentsEnabled)
	assert.True(t, *b.Metrics.LikesCommentsRatio.Period("30d").IsRatingAllowed)
	f := b.Features
	assert.Equal(t, 18.1, f.AudienceRaces.Data.Shares["asian"], "the YouTube list shape decodes too")
	assert.Equal(t, Float(86), *f.AudienceSentiments.Data.Score)
	assert.Equal(t, Float(30000), *f.VideoIntegrationPrice.Data.PriceTo)
	assert.Equal(t, "us", f.BloggerRankings.Data.Country.Country.Code, "a bare string country decodes into Code")
	assert.Equal(t, []Int{1032}, f.BloggerThematics.Data)
	assert.Equal(t, "2023-07-22 04:26:40", r.MetricsHistory["subscribers_count"].History[0].Datetime)
	v := r.Media[0]
	assert.False(t, *v.IsSctricted)
	assert.Equal(t, "good", v.Metrics.CPM.Mark("30d"), "the table's bare-string mark")
	assert.True(t, v.Metrics.CPM.Performance["30d"].IsBare())
	assert.Equal(t, Float(1.35), *v.Metrics.ViewsPerformance.Value)
	assert.Equal(t, Float(312), *v.Metrics.LengthSec.Value)
	s := r.Summary()
	assert.Equal(t, &Quality{Name: QualityCQS, Score: 78, Verdict: "good"}, s.Quality)
	assert.Equal(t, []string{"US", "IN", "GB"}, codes(s.AudienceCountries))
}

func TestConnectionsBothShapes(t *testing.T) {
	t.Parallel()
	var arr, wrapped envelope[connectionList]
	require.NoError(t, json.Unmarshal(fixture.Load(t, "connections.json"), &arr))
	require.NoError(t, json.Unmarshal(fixture.Load(t, "connections_data.json"), &wrapped))
	require.Len(t, arr.Result.items, 5)
	c := arr.Result.items[0]
	assert.Equal(t, Connection{SocialID: "528817151", Username: "nasa", Type: Instagram, Title: "NASA",
		AvatarURL: c.AvatarURL, SubscribersCount: 96809672, ER: 0.734377, State: StateReady}, c)
	assert.Equal(t, StateReadyLowConfidence, arr.Result.items[4].State)
	require.Len(t, wrapped.Result.items, 1)
	assert.Equal(t, Float(1), wrapped.Result.items[0].ER)
	conns := &Connections{Accounts: arr.Result.items}
	assert.Len(t, conns.ByPlatform(YouTube), 2)
	assert.Empty(t, conns.ByPlatform(Snapchat))
}

func TestOtherModels(t *testing.T) {
	t.Parallel()
	var ul envelope[UnlockedList]
	require.NoError(t, json.Unmarshal(fixture.Load(t, "reports_unlocked.json"), &ul))
	assert.True(t, ul.Result.Data[0].IsCompleted())
	assert.Equal(t, int64(1726650005), ul.Result.Data[0].TimePay.Unix())
	assert.Equal(t, Int(57), ul.Result.Total)

	var cr envelope[CreatorList]
	require.NoError(t, json.Unmarshal(fixture.Load(t, "creators.json"), &cr))
	assert.Equal(t, ID("1183"), *cr.Result.NextCursor)
	acc := cr.Result.Creators[0].Accounts["instagram_1234567"]
	assert.Equal(t, Instagram, acc.Platform)
	assert.Equal(t, 2024, acc.ReportUnlockDate.Year())

	var m envelope[AccountMedia]
	require.NoError(t, json.Unmarshal(fixture.Load(t, "account_media.json"), &m))
	item := m.Result.Media["3391234567890123456"]
	assert.Equal(t, "reel", item.Basic.Type)
	assert.Equal(t, Float(0.84), *item.Metrics.ER.Value)

	var sp envelope[SearchPage]
	require.NoError(t, json.Unmarshal(fixture.Load(t, "search.json"), &sp))
	res := sp.Result.Items()[0]
	assert.Equal(t, Float(98000), *res.Metric("real_subscribers_count").Value)
	var aqs AQS
	assert.True(t, res.Feature("aqs", &aqs))
	assert.Equal(t, "good", aqs.Mark)
	sn := res.SocialNetworks()
	require.Len(t, sn, 1)
	assert.Equal(t, Instagram, sn[0].Type.Platform())
	assert.Equal(t, StateReady, sn[0].State)
	assert.Equal(t, Int(999), *sp.Result.QueriesLeft)
	assert.Nil(t, res.Metric("nope"))

	var tw envelope[NetworkReport]
	require.NoError(t, json.Unmarshal(fixture.Load(t, "twitch_report.json"), &tw))
	tw.Result.Platform = Twitch
	s := tw.Result.Summary()
	assert.Equal(t, "twitch", s.Platform)
	assert.Equal(t, int64(390000), s.GetFollowers())
	assert.Nil(t, s.EngagementRate, "Twitch reports have no er")
	var geo BloggerGeo
	assert.True(t, tw.Result.Report.Feature("blogger_geo", &geo))
	assert.Equal(t, "us", geo.Country)

	var sc envelope[NetworkReport]
	require.NoError(t, json.Unmarshal(fixture.Load(t, "snapchat_report.json"), &sc))
	assert.True(t, sc.Result.LowConfidence())
	assert.JSONEq(t, `{"value":4100000}`, string(sc.Result.Report.Metric("views_count").Similars))
}

func TestLenientDecoding(t *testing.T) {
	t.Parallel()
	var c Connection
	require.NoError(t, json.Unmarshal([]byte(`{"social_id":528817151,"er":"2","subscribers_count":1.5e3,"type":"instagram"}`), &c))
	assert.Equal(t, ID("528817151"), c.SocialID, "a numeric id decodes")
	assert.Equal(t, Float(2), c.ER, "a numeric string decodes")
	assert.Equal(t, Float(1500), c.SubscribersCount)

	var sn SocialNetwork
	require.NoError(t, json.Unmarshal([]byte(`{"type":7}`), &sn))
	assert.Equal(t, Snapchat, sn.Type.Platform())
	b, _ := json.Marshal(sn)
	assert.JSONEq(t, `{"type":7}`, string(b), "integer codes re-encode as numbers")
	require.NoError(t, json.Unmarshal([]byte(`{"type":"tiktok"}`), &sn))
	assert.Equal(t, TikTok, sn.Type.Platform())

	var r Ref
	assert.Error(t, json.Unmarshal([]byte(`[1]`), &r))
	var w InterestWeight
	assert.Error(t, json.Unmarshal([]byte(`["only"]`), &w))
	built, _ := json.Marshal(Races{Shares: map[string]float64{"asian": 1}})
	assert.JSONEq(t, `{"asian":1}`, string(built))
}

func TestStateIn(t *testing.T) {
	t.Parallel()
	cases := map[string]ReportState{
		"CHANNEL_NOT_FOUND":                   StateChannelNotFound,
		"error: NO_VIDEOS":                    StateNoVideos,
		"REPORT_CALCULATING, come back later": StateReportCalculating,
		"Object not found":                    "",
		"MY_PRIVATE_THING":                    "",
		"Account is PRIVATE":                  StatePrivate,
		"LOW_VIEWS":                           StateLowViews,
		"Invalid request":                     "",
	}
	for in, want := range cases {
		assert.Equal(t, want, stateIn(in), in)
	}
}
