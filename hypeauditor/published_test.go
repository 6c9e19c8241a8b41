package hypeauditor

import (
	"encoding/json"
	"testing"

	"github.com/creatorkit/creatorkit-go/internal/fixture"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// minTypedCoverage is the share of a full published report's non-null
// leaves that must reach typed fields.
const minTypedCoverage = 0.99

// HypeAuditor's published sample responses (../shared/fixtures/hypeauditor/,
// verbatim; skipped where that folder is absent) decode, re-encode with no leaf lost, and (the two full
// reports) hold at least 99% of their non-null leaves in typed fields. The
// figures are logged for every sample: go test -run PublishedSamples -v.
func TestPublishedSamplesLoseNothing(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		file     string
		newV     func() any
		coverage float64 // minimum typed coverage; 0 only logs it
	}{
		{"shared:youtube_report.json", func() any { return &envelope[YouTubeReport]{} }, minTypedCoverage},
		{"shared:tiktok_report.json", func() any { return &envelope[TikTokReport]{} }, minTypedCoverage},
		{"shared:discovery_youtube.json", func() any { return &envelope[SearchPage]{} }, minTypedCoverage},
		{"shared:discovery_tiktok.json", func() any { return &envelope[SearchPage]{} }, minTypedCoverage},
		{"shared:discovery_instagram.json", func() any { return &envelope[SearchPage]{} }, minTypedCoverage},
	} {
		t.Run(tc.file, func(t *testing.T) { checkSample(t, tc.file, tc.newV(), tc.coverage) })
	}
}

// checkSample decodes a fixture strictly (json.Unmarshal must succeed),
// re-encodes it, requires that no leaf was lost or changed, and logs (and
// with minCoverage > 0 requires) the share of non-null leaves held in
// typed fields.
func checkSample(t *testing.T, file string, v any, minCoverage float64) {
	t.Helper()
	orig := fixture.Named(t, "hypeauditor", file)
	require.NoError(t, json.Unmarshal(orig, v), "strict decode")
	again, err := json.Marshal(v)
	require.NoError(t, err)
	assert.Empty(t, fixture.LostLeaves(orig, again), "leaves lost or changed by decode + encode")

	covered, total, missing := fixture.TypedCoverage(orig, v)
	ratio := fixture.Ratio(covered, total)
	t.Logf("coverage %s: %.2f%% (%d/%d non-null leaves typed)", file, 100*ratio, covered, total)
	if len(missing) > 0 {
		t.Logf("not typed: %v", missing)
	}
	require.Positive(t, total)
	assert.GreaterOrEqual(t, ratio, minCoverage, "typed coverage; not typed: %v", missing)
}

func loadPublished[T any](t *testing.T, file string) *T {
	t.Helper()
	var env envelope[T]
	require.NoError(t, json.Unmarshal(fixture.Named(t, "hypeauditor", file), &env))
	return &env.Result
}

func TestPublishedYouTubeTypedValues(t *testing.T) {
	t.Parallel()
	r := loadPublished[YouTubeReport](t, "shared:youtube_report.json")
	assert.Equal(t, StateReady, r.State)
	assert.Equal(t, "FULL", r.QualityString())
	assert.Equal(t, Int(833), *r.RestTokens)
	b := r.Report
	require.NotNil(t, b)
	assert.Equal(t, "NASA", b.Basic.Title)
	assert.Equal(t, ID("UCLA_DiR1FfKNvjuUpBHmylQ"), b.Basic.ID)
	assert.Equal(t, Float(11454597), *b.Metrics.SubscribersCount.Value)
	assert.Equal(t, "good", b.Metrics.ER.Period("7d").Mark)
	assert.Nil(t, b.Metrics.VideosV30.Period("all"), "a null period")
	assert.Equal(t, Float(5000), *b.IntegrationPrice().PriceTo, "video_integration_price beside basic/metrics/features")
	assert.Nil(t, b.Features.VideoIntegrationPrice, "not inside features in the sample")

	f := b.Features
	assert.Equal(t, Float(46), *f.CQS.Data.Value)
	assert.Equal(t, "average", f.CQS.Data.Mark)
	assert.Equal(t, "Average", f.CQS.Data.DisplayMark)
	assert.Equal(t, Float(4), *f.CQS.Data.ValueDescription["credibility"].Value)
	assert.Equal(t, "us", f.AudienceGeo.Data.Countries[0].Key())
	assert.False(t, f.AudienceGeo.Data.IsObject())
	assert.Equal(t, 55.14, f.AudienceRaces.Data.Shares["caucasian"])

	rk := f.BloggerRankings
	assert.Equal(t, "OK", rk.Status.Code)
	assert.Equal(t, "2022-02-08", rk.Confidence.ModelVersion)
	assert.Equal(t, Float(100), *rk.Confidence.Value)
	assert.False(t, *rk.Confidence.IsLowConfidence)
	assert.Equal(t, Float(128219), *rk.Data.Worldwide.Rank)
	require.Len(t, rk.Data.Countries, 1)
	assert.Equal(t, "us", rk.Data.Countries[0].Country.Code)
	require.Len(t, rk.Data.Categories, 2)
	assert.Equal(t, "News & Politics", rk.Data.Categories[1].Category.Title)
	assert.Equal(t, Float(1779), *rk.Data.Categories[1].Countries[0].Rank)

	last := f.MostMedia.Data["last_media"]
	assert.True(t, last.IsMediaID())
	assert.Equal(t, ID("5wjsVp3kDO8"), last.MediaID)
	assert.Equal(t, ID("Kdwyqctp908"), f.MostMedia.Data["views_count_desc"].Performance["30d"].MediaIDs[0])

	require.Len(t, r.Media, 44)
	v := r.Media[0]
	assert.Equal(t, ID("y4VlhFP_-zc"), v.ID)
	assert.Equal(t, "poor", v.Metrics.CPM.Mark("7d"))
	assert.False(t, v.Metrics.CPM.Performance["7d"].IsBare(), "the sample's {mark} object")
	assert.Equal(t, Float(0.15), *v.Metrics.ViewsPerformance.Value)
	assert.Len(t, r.MetricsHistory["subscribers_count"].History, 1608)
	assert.NotNil(t, r.Features.Names, "the empty features list is kept")
	assert.Empty(t, r.Features.Names)

	// Its Summary: TestSummaryPublishedYouTube.
}

func TestPublishedTikTokTypedValues(t *testing.T) {
	t.Parallel()
	r := loadPublished[TikTokReport](t, "shared:tiktok_report.json")
	assert.Equal(t, "NO_POSTS_7D", r.QualityString())
	b := r.Report
	require.NotNil(t, b)
	assert.Equal(t, "littlebig", b.Basic.Username)
	assert.Equal(t, Float(4600000), *b.Metrics.SubscribersCount.Value)
	assert.Equal(t, "PER_WEEK", b.Metrics.MediaPerWeek.Period("7d").Period)

	f := b.Features
	geo := f.AudienceGeo.Data
	require.NotNil(t, geo)
	assert.True(t, geo.IsObject(), "the sample's object form")
	assert.Equal(t, Float(76.5), geo.Groups["semea"])
	require.Len(t, geo.Countries, 5)
	assert.Equal(t, ID("ru"), geo.Countries[0].ID)
	assert.Equal(t, "ru", geo.Countries[0].Code)
	assert.Equal(t, 62.34, geo.Countries[0].Percent())

	assert.Equal(t, Float(93), *f.AudienceSentiments.Data.Score)
	assert.Equal(t, Float(750), *f.BloggerEMV.Data.EMV)
	assert.Equal(t, "poor", f.BloggerPrices.Data.CPMMark)
	assert.Equal(t, Float(5.454545), *f.BloggerPrices.Data.CPMTo)
	assert.NotNil(t, f.BloggerEmails.Data)
	assert.Empty(t, f.BloggerEmails.Data)
	assert.NotNil(t, f.BloggerThematics.Data)
	ch := f.BloggerChallengesPerformance.Data
	assert.False(t, *ch.HasLaunchedAdvertising)
	all := ch.ChallengesStats.Performance["all"]
	require.Len(t, all.BasicStats, 3)
	assert.Equal(t, "moustachepower", all.BasicStats[0].Challenge)
	assert.Equal(t, Float(2), *all.BasicStats[0].PostsCount)

	// Its Summary: TestSummaryPublishedTikTok.
}

func TestPublishedDiscoveryTypedValues(t *testing.T) {
	t.Parallel()
	for file, want := range map[string]struct {
		network  NetworkType
		username string
		pages    Int
		left     Int
	}{
		"shared:discovery_youtube.json":   {"youtube", "jawed", 649776, 99957},
		"shared:discovery_tiktok.json":    {"tiktok", "fygh.bbk", 4669812, 99958},
		"shared:discovery_instagram.json": {"instagram", "songkang_b", 80572, 99959},
	} {
		p := loadPublished[SearchPage](t, file)
		require.Len(t, p.Items(), 1, file)
		res := p.Items()[0]
		assert.Equal(t, want.username, res.Basic.Username, file)
		assert.Equal(t, want.pages, p.TotalPages, file)
		assert.Equal(t, want.left, *p.QueriesLeft, file)
		assert.Positive(t, float64(*res.Metric("subscribers_count").Value), file)
		sn := res.SocialNetworks()
		require.Len(t, sn, 1, file)
		assert.Equal(t, want.network, sn[0].Type, file)
		assert.Equal(t, StateReady, sn[0].State, file)
	}
}
