package firstparty_test

import (
	"encoding/json"
	"testing"

	"github.com/creatorkit/creatorkit-go/firstparty"
	"github.com/creatorkit/creatorkit-go/internal/fixture"
	"github.com/creatorkit/creatorkit-go/internal/jsonx"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// issuePaths lists the paths of the issues.
func issuePaths(issues []firstparty.DecodeIssue) []string {
	out := make([]string, len(issues))
	for i, is := range issues {
		out[i] = is.Path
	}
	return out
}

// An unknown member inside a map keyed by data (the growth trends are keyed
// by date) used to fail the whole Insights.Get. Now the call succeeds, every
// point of the series is kept, the member is reported with its path, and
// the series re-encodes as it was sent.
func TestTrendUnknownMemberInsideMapKeyedByDate(t *testing.T) {
	t.Parallel()
	var doc map[string]any
	require.NoError(t, json.Unmarshal(load(t, "insights_instagram.json"), &doc))
	g := doc["get_growth_trends"].(map[string]any)
	followers := g["cumulative_followers_trends"].([]any)
	followers[0].(map[string]any)["source"] = map[string]any{"provider": "ylytic", "v": []any{2}}
	followers[0].(map[string]any)["count"] = 3
	engagement := g["engagement_trends"].([]any)
	require.NotEmpty(t, engagement)
	for _, day := range engagement[0].(map[string]any) {
		day.(map[string]any)["meta"] = map[string]any{"window": "7d"}
	}
	body := mustJSON(t, doc)

	var strict firstparty.Insights
	require.Error(t, json.Unmarshal(body, &strict), "encoding/json alone still refuses it (the fixture tests run strict)")

	c, mt := newMockClient(t)
	mt.RegisterResponder("GET", insightBase+"/insights/creators/c1", respond(200, body))
	in, err := c.Insights.Get(ctx, firstparty.GetInsightsParams{CreatorID: "c1"})
	require.NoError(t, err)
	var want firstparty.Insights
	require.NoError(t, json.Unmarshal(load(t, "insights_instagram.json"), &want))
	assert.Equal(t, want.GrowthTrends.CumulativeFollowersTrends.Points, in.GrowthTrends.CumulativeFollowersTrends.Points, "every point kept")
	assert.Equal(t, want.GrowthTrends.EngagementTrends.Points, in.GrowthTrends.EngagementTrends.Points)
	assert.Equal(t, want.GrowthTrends.MonthlyFollowers, in.GrowthTrends.MonthlyFollowers)
	paths := issuePaths(in.Response.DecodeIssues)
	assert.ElementsMatch(t, []string{
		"get_growth_trends.cumulative_followers_trends[0].source", // a member beside the dates
		"get_growth_trends.cumulative_followers_trends[0].count",  // even with a number value: not a point
		"get_growth_trends.engagement_trends[0].2024-01-26.meta",  // a member beside the metrics of a day
	}, paths)
	t.Logf("reported: %v", in.Response.DecodeIssues)

	out, err := json.Marshal(in.GrowthTrends)
	require.NoError(t, err)
	assert.Empty(t, fixture.LostLeaves(mustJSON(t, g), out), "the series re-encodes as sent")
}

func TestTrendLenientShapes(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		body   string
		points int
		issues []string
	}{
		{`[{"2024-01-26":{"followers":1257,"engagement":"x"}}]`, 1, []string{"t[0].2024-01-26.engagement"}},
		{`[{"2024-01-26":[1]},{"2024-01-27":5}]`, 1, []string{"t[0].2024-01-26"}},
		{`[{"2024-01-26":5,"note":5,"":1}]`, 1, []string{"t[0].note", `t[0][""]`}},
		{`[{"2024-01-26":null},{"2024-01-27":{"followers":null}}]`, 0, nil},
		{`["2024-01-26",{"2024-01-27":5}]`, 1, []string{"t[0]"}},
		{`"2024-01-26"`, 0, []string{"t"}},
		{`{"2024-01-26":{"followers":1},"2024-01-27":{"followers":true}}`, 1, []string{"t.2024-01-27.followers"}},
	} {
		var v struct {
			T firstparty.Trend `json:"t"`
		}
		doc := []byte(`{"t":` + tc.body + `}`)
		issues, err := jsonx.Decode(doc, &v)
		require.NoError(t, err, tc.body)
		assert.Len(t, v.T.Points, tc.points, tc.body)
		assert.ElementsMatch(t, tc.issues, issuePaths(issues), tc.body)
		out, err := json.Marshal(v.T)
		require.NoError(t, err)
		assert.JSONEq(t, tc.body, string(out), "re-encodes what it got")
		if len(tc.issues) > 0 {
			assert.Error(t, json.Unmarshal(doc, &v), "UnmarshalJSON is strict: %s", tc.body)
		}
	}
}

func TestUserInfoLenient(t *testing.T) {
	t.Parallel()
	body := []byte(`{"state":"s","status":"success","connector":"instagram","creator_id":"c1","user_info":{"name":7,"email":"","ig_user_id":12384878793390,"ig_username":"x","channel_id":"UC1"},"error_info":null}`)
	c, mt := newMockClient(t)
	mt.RegisterResponder("POST", verifyBase+"/first_party/verify", respond(200, body))
	v, err := c.Verification.Verify(ctx, firstparty.VerifyCreatorParams{State: "s", Token: "t"})
	require.NoError(t, err)
	assert.Equal(t, []string{"user_info.name"}, issuePaths(v.Response.DecodeIssues))
	assert.Empty(t, v.UserInfo.Name)
	assert.Equal(t, "x", v.UserInfo.IGUsername)
	assert.Equal(t, firstparty.ID("12384878793390"), v.UserInfo.IGUserID)
	assert.Equal(t, "UC1", v.UserInfo.Get("channel_id"))
	out, err := json.Marshal(v)
	require.NoError(t, err)
	assert.Empty(t, fixture.LostLeaves(body, out), "the value that did not fit re-encodes as sent")

	mt.RegisterResponder("POST", verifyBase+"/first_party/verify", respond(200, []byte(`{"state":"s","status":"success","creator_id":"c1","user_info":"creator","error_info":null}`)))
	v, err = c.Verification.Verify(ctx, firstparty.VerifyCreatorParams{State: "s", Token: "t"})
	require.NoError(t, err)
	assert.Equal(t, []string{"user_info"}, issuePaths(v.Response.DecodeIssues))
	assert.Equal(t, "c1", v.CreatorID)
}

func TestSectionLenient(t *testing.T) {
	t.Parallel()
	var v struct {
		S *firstparty.Section `json:"s"`
	}
	issues, err := jsonx.Decode([]byte(`{"s":{"status":5,"data":[1]}}`), &v)
	require.NoError(t, err)
	assert.Equal(t, []string{"s.status"}, issuePaths(issues))
	require.NotNil(t, v.S)
	assert.JSONEq(t, `{"status":5,"data":[1]}`, string(v.S.Raw), "kept as sent")
	issues, err = jsonx.Decode([]byte(`{"s":"locked"}`), &v)
	require.NoError(t, err)
	assert.Empty(t, issues, "any shape is kept in Raw")
	assert.Equal(t, `"locked"`, string(v.S.Raw))
}

func TestItemTakesAnything(t *testing.T) {
	t.Parallel()
	var v struct {
		I []firstparty.Item `json:"i"`
	}
	issues, err := jsonx.Decode([]byte(`{"i":["a",{"name":"b"},3,null,[1]]}`), &v)
	require.NoError(t, err)
	assert.Empty(t, issues)
	assert.Equal(t, []string{"a", "b", "3", "", "[1]"}, firstparty.Texts(v.I))
}

// Float and Int take numbers sent as strings (with thousands separators),
// so drift of that kind keeps the value.
func TestNumbersSentAsStrings(t *testing.T) {
	t.Parallel()
	var doc map[string]any
	require.NoError(t, json.Unmarshal(load(t, "insights_instagram.json"), &doc))
	o := doc["profile_overview"].(map[string]any)
	o["followers_count"], o["engagement"], o["post_count"] = "1,257", "43.64", "0"
	c, mt := newMockClient(t)
	mt.RegisterResponder("GET", insightBase+"/insights/creators/c1", respond(200, mustJSON(t, doc)))
	in, err := c.Insights.Get(ctx, firstparty.GetInsightsParams{CreatorID: "c1"})
	require.NoError(t, err)
	assert.Empty(t, in.Response.DecodeIssues)
	assert.Equal(t, firstparty.Int(1257), in.ProfileOverview.FollowersCount)
	assert.Equal(t, firstparty.Float(43.64), in.ProfileOverview.Engagement)
	assert.Zero(t, in.ProfileOverview.PostCount)
}
