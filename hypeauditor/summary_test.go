package hypeauditor

import (
	"encoding/json"
	"testing"

	"github.com/creatorkit/creatorkit-go/internal/fixture"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func pf(v float64) *float64 { return &v }
func pi(v int64) *int64     { return &v }

func loadResult[T any](t *testing.T, file string) *T {
	t.Helper()
	var env envelope[*T]
	require.NoError(t, json.Unmarshal(fixture.Named(t, "hypeauditor", file), &env), file)
	require.NotNil(t, env.Result, file)
	return env.Result
}

// HypeAuditor's published YouTube sample (NASA): CQS with its display
// mark, the metrics YouTube sends by period only (er, alikes_avg,
// comments_avg) from their 30-day performance, countries in ISO codes
// ("gb" stays GB), genders and ages summed from audience_age_gender.
func TestSummaryPublishedYouTube(t *testing.T) {
	t.Parallel()
	r := loadResult[YouTubeReport](t, "shared:youtube_report.json")
	assert.Equal(t, Summary{
		Source: "hypeauditor", Platform: "youtube", Username: "NASA", DisplayName: "NASA",
		Followers:      pi(11454597),
		EngagementRate: pf(3.01), // er.performance.30d: the metric has no value
		AvgLikes:       pf(0),    // alikes_avg.performance.30d, as the sample sends it
		AvgComments:    pf(0),    // comments_avg.performance.30d (comments are off)
		Quality:        &Quality{Name: "CQS", Score: 46, Verdict: "Average"},
		AudienceCountries: []Share{
			{Code: "US", Percent: 39.22}, {Code: "IN", Percent: 10.22}, {Code: "GB", Percent: 6.56},
			{Code: "CA", Percent: 5.08}, {Code: "BR", Percent: 4.25},
		},
		AudienceGenders: []Share{{Code: "male", Percent: 70.57}, {Code: "female", Percent: 29.43}},
		AudienceAges: []Share{
			{Code: "25-34", Percent: 35.06}, {Code: "18-24", Percent: 19.88}, {Code: "35-44", Percent: 19.68},
			{Code: "45-54", Percent: 11.4}, {Code: "13-17", Percent: 8.68}, {Code: "55-64", Percent: 4.5},
			{Code: "65+", Percent: 0.8},
		},
	}, r.Summary())
}

// HypeAuditor's published TikTok sample (littlebig): AQS with its mark,
// the metrics' own values, and audience_geo in the sample's object form.
func TestSummaryPublishedTikTok(t *testing.T) {
	t.Parallel()
	r := loadResult[TikTokReport](t, "shared:tiktok_report.json")
	assert.Equal(t, Summary{
		Source: "hypeauditor", Platform: "tiktok", Username: "littlebig", DisplayName: "littlebig",
		Followers:      pi(4600000),
		EngagementRate: pf(7.05),
		AvgLikes:       pf(43950),
		AvgComments:    pf(252.5),
		Quality:        &Quality{Name: "AQS", Score: 57, Verdict: "average"},
		AudienceCountries: []Share{
			{Code: "RU", Percent: 62.34}, {Code: "UA", Percent: 4.19}, {Code: "KZ", Percent: 3.85},
			{Code: "PL", Percent: 3.26}, {Code: "DE", Percent: 2.32},
		},
		AudienceGenders: []Share{{Code: "female", Percent: 57.44}, {Code: "male", Percent: 42.53}},
		AudienceAges: []Share{
			{Code: "18-24", Percent: 38.67}, {Code: "13-17", Percent: 26.51}, {Code: "25-34", Percent: 24.86},
			{Code: "35-44", Percent: 6.07}, {Code: "45-54", Percent: 2.76}, {Code: "55-64", Percent: 0.55},
			{Code: "65+", Percent: 0.55},
		},
	}, r.Summary())
}

// The Instagram fixture (every documented user field): HypeAuditor's "uk"
// becomes GB and the countries are sorted (the body lists India after
// the UK), demography's "M"/"F" become male/female, and the age groups
// ("age18-24") are summed over the genders of demography_by_age.
func TestSummaryInstagram(t *testing.T) {
	t.Parallel()
	r := loadResult[InstagramReport](t, "instagram_report_full.json")
	assert.Equal(t, Summary{
		Source: "hypeauditor", Platform: "instagram", Username: "nasa", DisplayName: "NASA",
		Followers:         pi(96809672),
		EngagementRate:    pf(0.52),
		AvgLikes:          pf(450000),
		AvgComments:       pf(2100),
		Quality:           &Quality{Name: "AQS", Score: 88, Verdict: "Excellent"},
		AudienceCountries: []Share{{Code: "US", Percent: 24.1}, {Code: "IN", Percent: 9.9}, {Code: "GB", Percent: 6.2}},
		AudienceGenders:   []Share{{Code: "male", Percent: 58.3}, {Code: "female", Percent: 41.7}},
		AudienceAges:      []Share{{Code: "18-24", Percent: 35.5}, {Code: "13-17", Percent: 2.1}},
	}, r.Summary())

	// Without demography, the genders come from demography_by_age.
	r.User.Demography = nil
	s := r.Summary()
	assert.Equal(t, []Share{{Code: "male", Percent: 58.3}, {Code: "female", Percent: 41.7}}, s.AudienceGenders)
}

// A figure the report does not give stays nil: never a zero that looks
// like data.
func TestSummaryMissingFigures(t *testing.T) {
	t.Parallel()
	notReady := loadResult[InstagramReport](t, "instagram_not_ready.json")
	assert.Equal(t, Summary{Source: "hypeauditor", Platform: "instagram"}, notReady.Summary())

	low := loadResult[InstagramReport](t, "instagram_report_client.json")
	require.True(t, low.LowConfidence())
	s := low.Summary()
	assert.Nil(t, s.AudienceCountries)
	assert.Nil(t, s.AudienceGenders)
	assert.Nil(t, s.AudienceAges)

	var none *YouTubeReport
	assert.Equal(t, Summary{Source: "hypeauditor", Platform: "youtube"}, none.Summary())
	var nilTT *TikTokReport
	assert.Equal(t, Summary{Source: "hypeauditor", Platform: "tiktok"}, nilTT.Summary())
	var nilIG *InstagramReport
	assert.Equal(t, Summary{Source: "hypeauditor", Platform: "instagram"}, nilIG.Summary())
	var nilNR *NetworkReport
	assert.Equal(t, Summary{Source: "hypeauditor"}, nilNR.Summary())

	var tt TikTokReport
	require.NoError(t, json.Unmarshal([]byte(`{"report_state":"READY","report":{"basic":{"id":"42"},
		"metrics":{"er":{"performance":{"7d":{"value":9}}}},
		"features":{"aqs":{"data":{"value":130,"mark":"excellent"}}}}}`), &tt))
	s = tt.Summary()
	assert.Equal(t, "42", s.Username, "the id when there is no username")
	assert.Nil(t, s.EngagementRate, "a 7-day figure alone is not used")
	assert.Nil(t, s.Quality, "a score off the 0-100 scale is left out")
	assert.Nil(t, s.Followers)
}

// Twitch, Twitter and Snapchat reports summarise what their body carries.
func TestSummaryNetworkReport(t *testing.T) {
	t.Parallel()
	var nr NetworkReport
	require.NoError(t, json.Unmarshal([]byte(`{"report_state":"READY","report":{"basic":{"username":"nasa","title":"NASA"},
		"metrics":{"subscribers_count":{"value":1234.6},"er":{"performance":{"30d":{"value":1.5}}}},
		"features":{"cqs":{"data":{"value":61,"mark":"good"}},
		"audience_geo":{"data":[{"title":"uk","prc":30},{"title":"us","prc":50},{"title":"zz","prc":5}]},
		"audience_age_gender":{"data":{"18-24":{"male":40,"female":20},"25-34":{"male":30}}}}}}`), &nr))
	nr.Platform = Twitter
	assert.Equal(t, Summary{
		Source: "hypeauditor", Platform: "twitter", Username: "nasa", DisplayName: "NASA",
		Followers:         pi(1235),
		EngagementRate:    pf(1.5),
		Quality:           &Quality{Name: "CQS", Score: 61, Verdict: "good"},
		AudienceCountries: []Share{{Code: "US", Percent: 50}, {Code: "GB", Percent: 30}},
		AudienceGenders:   []Share{{Code: "male", Percent: 70}, {Code: "female", Percent: 20}},
		AudienceAges:      []Share{{Code: "18-24", Percent: 60}, {Code: "25-34", Percent: 30}},
	}, nr.Summary())
}
