package firstparty_test

import (
	"encoding/json"
	"testing"

	"github.com/creatorkit/creatorkit-go/firstparty"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func f64(v float64) *float64 { return &v }
func i64(v int64) *int64     { return &v }

// sampleSummary is the summary of Ylytic's published sample, by hand from
// insights_instagram.json.
var sampleSummary = firstparty.Summary{
	Source:         "firstparty",
	Platform:       "instagram",
	Username:       "a_poetic_storyteller",
	DisplayName:    "Ratnadeep Mahadev Shinde",
	Followers:      i64(1257),
	EngagementRate: f64(43.64),
	AvgLikes:       f64(534),
	AvgComments:    f64(14),
	Quality:        &firstparty.Quality{Name: "Profile Quality Score", Score: 92},
}

// getSummary serves body through a client's Insights.Get and returns the
// insights' Summary.
func getSummary(t *testing.T, body []byte) (*firstparty.Insights, firstparty.Summary) {
	t.Helper()
	c, mt := newMockClient(t)
	mt.RegisterResponder("GET", insightBase+"/insights/creators/c1", respond(200, body))
	in, err := c.Insights.Get(ctx, firstparty.GetInsightsParams{CreatorID: "c1"})
	require.NoError(t, err)
	return in, in.Summary()
}

// mutate returns the sample with edit applied to its decoded form.
func mutate(t *testing.T, edit func(m map[string]any)) []byte {
	t.Helper()
	var m map[string]any
	require.NoError(t, json.Unmarshal(load(t, "insights_instagram.json"), &m))
	edit(m)
	b, err := json.Marshal(m)
	require.NoError(t, err)
	return b
}

func section(m map[string]any, name string) map[string]any { return m[name].(map[string]any) }

func TestSummaryOfTheSample(t *testing.T) {
	t.Parallel()
	_, got := getSummary(t, load(t, "insights_instagram.json"))
	assert.Equal(t, sampleSummary, got)
	assert.Empty(t, got.AudienceCountries, "get_audience is null in the sample")
	assert.Empty(t, got.AudienceGenders)
	assert.Empty(t, got.AudienceAges)

	// The same from insights decoded with encoding/json (no Raw).
	var in firstparty.Insights
	require.NoError(t, json.Unmarshal(load(t, "insights_instagram.json"), &in))
	assert.Equal(t, sampleSummary, in.Summary())
}

// Without Ylytic's averages, AvgLikes and AvgComments are the means over
// the posts (12 video and 5 other posts in the sample: 9,083 likes and 242
// comments); without profile_overview's engagement, the engagement rate
// is overall_engagement.
func TestSummaryFallbacks(t *testing.T) {
	t.Parallel()
	_, got := getSummary(t, mutate(t, func(m map[string]any) {
		delete(m, "get_reach_and_engagement_details")
	}))
	want := sampleSummary
	want.AvgLikes, want.AvgComments = f64(9083.0/17), f64(242.0/17)
	assert.Equal(t, want, got)

	_, got = getSummary(t, mutate(t, func(m map[string]any) {
		delete(section(m, "profile_overview"), "engagement")
		section(m, "get_reach_and_engagement_details")["overall_engagement"] = 40.5
		section(m, "get_reach_and_engagement_details")["average_likes"] = nil
	}))
	want = sampleSummary
	want.EngagementRate, want.AvgLikes = f64(40.5), f64(9083.0/17)
	assert.Equal(t, want, got)

	// A post whose likes did not fit is left out of the mean, not
	// counted as 0.
	_, got = getSummary(t, mutate(t, func(m map[string]any) {
		delete(m, "get_reach_and_engagement_details")
		posts := section(m, "get_posts")["video_posts"].([]any)
		first := posts[0].(map[string]any)
		first["likes_count"] = "many"
	}))
	var in firstparty.Insights
	require.NoError(t, json.Unmarshal(load(t, "insights_instagram.json"), &in))
	firstLikes := float64(in.Posts.VideoPosts[0].LikesCount)
	assert.InDelta(t, (9083-firstLikes)/16, *got.AvgLikes, 1e-9)
	assert.InDelta(t, 242.0/17, *got.AvgComments, 1e-9)
}

// A figure the body does not carry, or that did not fit, is nil, never 0;
// a 0 that was sent is 0.
func TestSummaryMissingIsNil(t *testing.T) {
	t.Parallel()
	in, got := getSummary(t, mutate(t, func(m map[string]any) {
		section(m, "profile_overview")["followers_count"] = "lots"
		delete(section(m, "profile_overview"), "engagement")
		delete(section(m, "get_reach_and_engagement_details"), "overall_engagement")
		section(m, "profile_details")["quality"] = nil
	}))
	require.NotEmpty(t, in.Response.DecodeIssues, "the followers did not fit")
	assert.Nil(t, got.Followers)
	assert.Nil(t, got.EngagementRate)
	assert.Nil(t, got.Quality)
	assert.Equal(t, f64(534), got.AvgLikes, "the rest is kept")

	_, got = getSummary(t, mutate(t, func(m map[string]any) {
		section(m, "profile_overview")["followers_count"] = 0
		section(m, "profile_overview")["engagement"] = 0
		section(section(m, "profile_details"), "quality")["profile_quality_score"] = 0
	}))
	assert.Equal(t, i64(0), got.Followers)
	assert.Equal(t, f64(0), got.EngagementRate)
	assert.Equal(t, &firstparty.Quality{Name: firstparty.QualityName, Score: 0}, got.Quality)

	// A score outside 0-100 is not a score on Summary's scale.
	_, got = getSummary(t, mutate(t, func(m map[string]any) {
		section(section(m, "profile_details"), "quality")["profile_quality_score"] = 920
	}))
	assert.Nil(t, got.Quality)

	// No sections at all: nothing but the source; no posts, no averages.
	_, got = getSummary(t, mutate(t, func(m map[string]any) {
		for k := range m {
			if k != "profile_overview" {
				delete(m, k)
			}
		}
		m["profile_overview"] = map[string]any{"handle": "@x"}
	}))
	assert.Equal(t, firstparty.Summary{Source: "firstparty", Platform: "instagram", Username: "x"}, got)
}

// Insights that are not ready, failed ones, and a nil *Insights have a
// summary with only the source and the platform.
func TestSummaryNotReady(t *testing.T) {
	t.Parallel()
	only := firstparty.Summary{Source: "firstparty", Platform: "instagram"}
	_, got := getSummary(t, []byte(`{"creator_id":"c1","status":"processing"}`))
	assert.Equal(t, only, got)
	assert.Equal(t, only, (*firstparty.Insights)(nil).Summary())
	assert.Equal(t, only, (&firstparty.Insights{}).Summary())
}
