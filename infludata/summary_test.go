package infludata_test

import (
	"encoding/json"
	"testing"

	"github.com/creatorkit/creatorkit-go/infludata"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func f64(v float64) *float64 { return &v }
func i64(v int64) *int64     { return &v }

// TestProfileSummary maps the (inferred) getUserData fixture onto the
// common summary: every field influData gives, countries as ISO codes
// without "Other", shares largest first.
func TestProfileSummary(t *testing.T) {
	t.Parallel()
	p := decode[infludata.Profile](t, "user_data.json")
	require.NotNil(t, p.AudienceReport)
	assert.Equal(t, map[string]float64{"male": 61.2, "female": 38.8}, p.AudienceReport.AudienceGender)
	assert.Equal(t, map[string]float64{"DE": 21.4, "US": 11.9, "Other": 66.7}, p.AudienceReport.AudienceCountries)
	assert.Contains(t, p.AudienceReport.Extra, "interests", "members not typed are kept")
	assert.Contains(t, p.AudienceReport.Extra, "audienceQuality")
	assert.JSONEq(t, `{"audienceGender":{"male":61.2,"female":38.8},"audienceAge":{"18-24":34.1,"25-34":40.2,"45+":6.1},
		"audienceCountries":{"DE":21.4,"US":11.9,"Other":66.7},"interests":["sports","fashion"],"audienceQuality":{"real":88.1}}`, string(p.AudienceReport.Raw))

	got := p.Summary()
	assert.Equal(t, infludata.Summary{
		Source:         "infludata",
		Platform:       "instagram",
		Username:       "adidas",
		DisplayName:    "adidas",
		Followers:      i64(29000000),
		EngagementRate: f64(0.4),
		Quality:        &infludata.Quality{Name: "profile score", Score: 91.5},
		AudienceCountries: []infludata.Share{
			{Code: "DE", Percent: 21.4},
			{Code: "US", Percent: 11.9},
		},
		AudienceGenders: []infludata.Share{{Code: "male", Percent: 61.2}, {Code: "female", Percent: 38.8}},
		AudienceAges:    []infludata.Share{{Code: "25-34", Percent: 40.2}, {Code: "18-24", Percent: 34.1}, {Code: "45+", Percent: 6.1}},
	}, got)
}

func TestProfileSummaryEdges(t *testing.T) {
	t.Parallel()
	var nilProfile *infludata.Profile
	assert.Equal(t, infludata.Summary{Source: "infludata"}, nilProfile.Summary())

	var p infludata.Profile
	require.NoError(t, json.Unmarshal([]byte(`{"username":"@MrBeast","platform":"youtube","score":87,
		"audienceReport":{"audienceCountries":{"uk":10,"GB":5,"United States":20,"Other":65,"DE":10},"audienceGender":{"Female":50,"Male":50}}}`), &p))
	s := p.Summary()
	assert.Equal(t, "MrBeast", s.Username, "without @")
	assert.Nil(t, s.Followers)
	assert.Nil(t, s.EngagementRate)
	assert.Nil(t, s.AvgLikes, "getUserData is not known to carry averages")
	assert.Equal(t, &infludata.Quality{Name: "profile score", Score: 87}, s.Quality, "score when profileScore is absent")
	assert.Equal(t, []infludata.Share{{Code: "US", Percent: 20}, {Code: "GB", Percent: 15}, {Code: "DE", Percent: 10}}, s.AudienceCountries,
		"codes and names to ISO alpha-2, the same country added up, Other left out, ties by code")
	assert.Equal(t, []infludata.Share{{Code: "female", Percent: 50}, {Code: "male", Percent: 50}}, s.AudienceGenders)
	assert.Empty(t, s.AudienceAges)

	require.NoError(t, json.Unmarshal([]byte(`{"profileScore":130,"score":40}`), &p))
	assert.Nil(t, p.Summary().Quality, "a score off the 0-100 scale is left out, never rescaled")
	require.NoError(t, json.Unmarshal([]byte(`{"username":"x"}`), &p))
	assert.Nil(t, p.Summary().Quality)
	assert.Empty(t, p.Summary().AudienceCountries, "no report, no audience")
}

// TestDiscoveredCreatorSummary maps a discovery result (seed 002's
// example): discovery's score is keyword relevance, never the quality.
func TestDiscoveredCreatorSummary(t *testing.T) {
	t.Parallel()
	pg := decode[infludata.SearchPage](t, "discovery.json")
	require.NotEmpty(t, pg.Users)
	cr := pg.Users[0]
	require.NotNil(t, cr.Score, "the fixture has a relevance score")
	s := cr.Summary()
	assert.Equal(t, infludata.Summary{Source: "infludata", Platform: "instagram", Username: "example_user", DisplayName: "Example User",
		Followers: i64(125000), EngagementRate: f64(4.2)}, s, "engagementMean is a percentage already; no Quality from a relevance score")
	t.Logf("discovery.json users[0]: %+v", s)
}
