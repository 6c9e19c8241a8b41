package firstparty_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/creatorkit/creatorkit-go/firstparty"
	"github.com/creatorkit/creatorkit-go/firstparty/firstpartytest"
	"github.com/creatorkit/creatorkit-go/internal/fixture"
	"github.com/creatorkit/creatorkit-go/internal/vendortest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Every model round-trips its documented example without losing a field.
func TestModelsRoundTripFixtures(t *testing.T) {
	t.Parallel()
	cases := map[string]func() any{
		"create_verification_url_request.json":     func() any { return &firstparty.CreateVerificationURLParams{} },
		"create_verification_url.json":             func() any { return &firstparty.VerificationURL{} },
		"verify_creator_request.json":              func() any { return &firstparty.VerifyCreatorParams{} },
		"verify_creator.json":                      func() any { return &firstparty.Verification{} },
		"verify_creator_failed.json":               func() any { return &firstparty.Verification{} },
		"insights_instagram.json":                  func() any { return &firstparty.Insights{} },
		"webhook_creator_insights_1p_success.json": func() any { return &firstparty.WebhookEvent{} },
		"webhook_creator_insights_1p_failed.json":  func() any { return &firstparty.WebhookEvent{} },
	}
	for name, newV := range cases {
		t.Run(name, func(t *testing.T) { fixture.RoundTrip(t, fixture.Load(t, name), newV()) })
	}
}

// The round trip must catch a lost field: a model that keeps only
// profile_overview fails it on every other section.
func TestRoundTripDetectsLoss(t *testing.T) {
	t.Parallel()
	var partial struct {
		ProfileOverview json.RawMessage `json:"profile_overview"`
	}
	require.NoError(t, json.Unmarshal(load(t, "insights_instagram.json"), &partial))
	out, err := json.Marshal(partial)
	require.NoError(t, err)
	diffs := fixture.Diff(load(t, "insights_instagram.json"), out)
	require.Len(t, diffs, 5)
	assert.True(t, strings.HasPrefix(diffs[1], "$.get_posts: lost"), diffs[1])
}

func mustJSON(t *testing.T, v any) []byte { return vendortest.MustJSON(t, v) }

func TestInsightsDecodesEveryField(t *testing.T) {
	t.Parallel()
	var in firstparty.Insights
	fixture.RoundTrip(t, load(t, "insights_instagram.json"), &in)
	require.True(t, in.Ready())
	assert.False(t, in.Failed())

	o := in.ProfileOverview
	assert.Equal(t, "a_poetic_storyteller", o.Handle)
	assert.Equal(t, firstparty.Int(1257), o.FollowersCount)
	assert.Equal(t, firstparty.Int(89), o.PostCount)
	assert.Equal(t, firstparty.Int(1233), o.FollowingCount)
	assert.Equal(t, firstparty.ID("44746813468"), o.IGUserID)
	assert.Equal(t, firstparty.Float(0.94), o.ContentPerWeek)
	assert.Equal(t, firstparty.Float(43.64), o.Engagement)
	assert.Equal(t, firstparty.TierNano, o.InfluencerTier)
	assert.Equal(t, time.Date(2024, 1, 26, 0, 0, 0, 0, time.UTC), o.LastProcessedAt.Time, "26/01/2024 is day/month/year")

	d := in.ProfileDetails
	assert.Equal(t, "कलाकार\nI am approachable not accessible !", d.Biography)
	assert.Nil(t, d.Mobile)
	assert.Nil(t, d.Email)
	assert.Equal(t, "male", d.Gender)
	assert.Equal(t, "25-34", d.AgeGroup)
	assert.Equal(t, "Religion & Spirituality", d.Category)
	assert.Equal(t, "Mumbai", d.Location)
	assert.Equal(t, "India", d.Country)
	assert.Empty(t, d.Interests)
	assert.NotNil(t, d.Interests, "[] stays [] so it re-encodes as []")
	assert.Len(t, d.Mentions, 5)
	assert.Equal(t, []string{"a_poetic_storyteller"}, d.BrandMentions)
	assert.Len(t, d.Hashtags, 10)
	require.Len(t, d.MentionsDetails, 5)
	assert.Equal(t, firstparty.Account{Name: "Virat Kohli", Username: "virat.kohli"}, d.MentionsDetails[0])
	require.Len(t, d.BrandMentionsDetails, 1)
	require.Len(t, d.LookAlikeCreators, 10)
	assert.Equal(t, "oliandre_organic_beauty", d.LookAlikeCreators[3].Username)
	assert.Equal(t, "𝗈•𝗅𝗂•𝖺𝗇𝖽•𝗋𝖾 - ORGANIC BEAUTY by Sara 💚", d.LookAlikeCreators[3].Name)
	assert.Equal(t, "Writer", d.IGCategory)
	require.NotNil(t, d.Quality)
	assert.Equal(t, firstparty.ProfileQuality{ProfileQualityScore: 92, ProfileQualityRating: 4, EngagementRate: 4, EffectiveFollowers: 4, Consistency: 3, AuthenticAudience: 0}, *d.Quality)
	assert.Equal(t, "Ratnadeep Mahadev Shinde", d.FullName)
	assert.Equal(t, 2024, d.LastProcessedAt.Year())

	re := in.ReachAndEngagement
	assert.Equal(t, firstparty.Float(18.68), re.NonVideoEngagement)
	assert.Equal(t, firstparty.Float(324), re.EffectiveFollowerRate)
	assert.Equal(t, "Reels", re.PopularPostType)
	assert.Equal(t, firstparty.Float(47), re.EstimatedStoryViews, "estimted_story_views (sic)")
	assert.Nil(t, re.PaidPostAverageViews)
	assert.Nil(t, re.PaidPostEngagement)
	assert.Equal(t, firstparty.Float(17167), re.AverageViews)
	assert.Equal(t, firstparty.Float(54.04), re.VideoEngagement)

	require.Len(t, in.Posts.VideoPosts, 12)
	require.Len(t, in.Posts.NonVideoPosts, 5)
	p := in.Posts.VideoPosts[0]
	assert.Equal(t, "C2i51IIITd4", p.Shortcode)
	assert.Equal(t, firstparty.Int(21), p.CommentsCount)
	assert.Equal(t, firstparty.Int(2141), p.LikesCount)
	assert.Equal(t, firstparty.Float(172), p.ER)
	assert.Equal(t, firstparty.Float(35761), p.Views)
	assert.Equal(t, time.Date(2024, 1, 26, 1, 44, 55, 0, time.UTC), p.PostedAt.UTC(), "unix seconds")
	assert.True(t, p.PostedAt.Equal(p.PostedDate.Time), "posted_at (unix) and posted_date (RFC 1123) name the same instant")
	assert.Equal(t, firstparty.PostReel, p.PostType)
	assert.True(t, p.Video)
	assert.False(t, p.Sponsored)
	assert.Equal(t, "Pune, Maharashtra", p.LocationName)
	assert.Contains(t, p.Hashtags, "republicday")
	assert.Contains(t, p.Mentions, "bhaktigoswamii")
	assert.Equal(t, "https://www.instagram.com/p/C2i51IIITd4/", p.URL())

	np := in.Posts.NonVideoPosts[0]
	assert.Equal(t, firstparty.Float(2139.4139999999998), np.Views, "views arrive as floats for non-video posts")
	assert.Equal(t, firstparty.PostImage, np.PostType)
	assert.Empty(t, np.Hashtags)

	g := in.GrowthTrends
	assert.Equal(t, firstparty.Float(0), g.QuarterlyFollowers)
	require.Len(t, g.CumulativeFollowersTrends.Points, 1)
	assert.Equal(t, firstparty.TrendPoint{Day: "2024-01-26", Date: time.Date(2024, 1, 26, 0, 0, 0, 0, time.UTC), Metric: "followers", Value: 1257}, g.CumulativeFollowersTrends.Points[0])
	last, ok := g.EngagementTrends.Last()
	require.True(t, ok)
	assert.Equal(t, 50.64, last.Value)
	assert.Equal(t, "engagement", last.Metric)

	assert.False(t, in.AudienceAvailable())
	require.NotNil(t, in.UnrelatedData)
	assert.True(t, in.UnrelatedData.Locked())
}

func TestTopPostsAndAll(t *testing.T) {
	t.Parallel()
	var in firstparty.Insights
	require.NoError(t, json.Unmarshal(load(t, "insights_instagram.json"), &in))
	all := in.Posts.All()
	require.Len(t, all, 17)
	for i := 1; i < len(all); i++ {
		assert.False(t, all[i].PostedAt.After(all[i-1].PostedAt.Time), "newest first")
	}
	top := in.Posts.Top(3)
	require.Len(t, top, 3)
	assert.Equal(t, []string{"C2GyN6aIGbs", "C2i51IIITd4", "CxiMJ6EIcKL"}, []string{top[0].Shortcode, top[1].Shortcode, top[2].Shortcode})
	assert.Len(t, in.Posts.Top(100), 17)
	var none *firstparty.Posts
	assert.Empty(t, none.Top(3))
}

func TestTrendShapes(t *testing.T) {
	t.Parallel()
	var tr firstparty.Trend
	// Unsorted days, a day with two metrics, a bare number, the object form.
	require.NoError(t, json.Unmarshal([]byte(`[{"2024-01-27":{"followers":1300}},{"2024-01-25":{"followers":1200,"engagement":4.5}},{"2024-01-26":1250}]`), &tr))
	var days []string
	for _, p := range tr.Points {
		days = append(days, p.Day+"/"+p.Metric)
	}
	assert.Equal(t, []string{"2024-01-25/engagement", "2024-01-25/followers", "2024-01-26/", "2024-01-27/followers"}, days)
	out, err := json.Marshal(tr)
	require.NoError(t, err)
	assert.Equal(t, `[{"2024-01-27":{"followers":1300}},{"2024-01-25":{"followers":1200,"engagement":4.5}},{"2024-01-26":1250}]`, string(out), "unchanged points re-encode as received")

	tr.Points = append(tr.Points, firstparty.TrendPoint{Date: time.Date(2024, 1, 28, 0, 0, 0, 0, time.UTC), Metric: "followers", Value: 1310})
	out, err = json.Marshal(tr)
	require.NoError(t, err)
	assert.JSONEq(t, `[{"2024-01-25":{"engagement":4.5,"followers":1200}},{"2024-01-26":1250},{"2024-01-27":{"followers":1300}},{"2024-01-28":{"followers":1310}}]`, string(out))

	var obj firstparty.Trend
	require.NoError(t, json.Unmarshal([]byte(`{"2024-01-26":{"followers":"1,257"},"2024-01-20":{"followers":1200.0}}`), &obj))
	require.Len(t, obj.Points, 2)
	assert.Equal(t, "2024-01-20", obj.Points[0].Day)
	assert.Equal(t, 1257.0, obj.Points[1].Value)

	var null firstparty.Trend
	require.NoError(t, json.Unmarshal([]byte(`null`), &null))
	assert.Empty(t, null.Points)
	_, ok := null.Last()
	assert.False(t, ok)
	assert.Error(t, json.Unmarshal([]byte(`"nope"`), &null))
	assert.Error(t, json.Unmarshal([]byte(`[{"2024-01-26":{"followers":"many"}}]`), &null))
}

func TestItemAcceptsStringsAndObjects(t *testing.T) {
	t.Parallel()
	var items []firstparty.Item
	in := `["hindi",{"name":"Marathi","code":"mr"},{"url":"https://example.com"},42,{"x":1}]`
	require.NoError(t, json.Unmarshal([]byte(in), &items))
	assert.Equal(t, []string{"hindi", "Marathi", "https://example.com", "42", ""}, firstparty.Texts(items))
	out, err := json.Marshal(items)
	require.NoError(t, err)
	assert.JSONEq(t, in, string(out))
	assert.Equal(t, "hindi", items[0].String())
}

func TestUserInfoKeepsUntypedKeys(t *testing.T) {
	t.Parallel()
	in := `{"state":"s","status":"success","connector":"youtube","creator_id":"c1","user_info":{"name":"Chan","email":"","channel_id":"UC123","subscribers":5400,"ig_user_id":null},"error_info":null}`
	var v firstparty.Verification
	fixture.RoundTrip(t, []byte(in), &v)
	assert.True(t, v.Succeeded())
	assert.Equal(t, "Chan", v.UserInfo.Get("name"))
	assert.Equal(t, "UC123", v.UserInfo.Get("channel_id"))
	assert.Equal(t, "5400", v.UserInfo.Get("subscribers"))
	assert.Equal(t, "", v.UserInfo.Get("missing"))
	var nilInfo *firstparty.UserInfo
	assert.Equal(t, "", nilInfo.Get("name"))
}

func TestSectionAndAudience(t *testing.T) {
	t.Parallel()
	var doc map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(load(t, "insights_instagram.json"), &doc))
	doc["get_audience"] = json.RawMessage(`{"age":{"18-24":40}}`)
	doc["unrelated_data"] = json.RawMessage(`{"status":"unlocked","data":[1,2]}`)
	var v firstparty.Insights
	fixture.RoundTrip(t, mustJSON(t, doc), &v)
	assert.True(t, v.AudienceAvailable())
	assert.False(t, v.UnrelatedData.Locked())
	assert.Equal(t, "unlocked", v.UnrelatedData.Status)
}

// The fake serves the fixture itself.
func TestFakeServesTheFixture(t *testing.T) {
	t.Parallel()
	assert.Equal(t, string(load(t, "insights_instagram.json")), string(firstpartytest.SampleInsights()))
}
