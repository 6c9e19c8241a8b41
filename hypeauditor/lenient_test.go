package hypeauditor

import (
	"encoding/json"
	"testing"

	"github.com/creatorkit/creatorkit-go/internal/jsonx"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// decodeTolerant runs the client's tolerant decoder and indexes the issues
// by path.
func decodeTolerant(t *testing.T, body string, out any) map[string]jsonx.Issue {
	t.Helper()
	issues, err := jsonx.Decode([]byte(body), out)
	require.NoError(t, err)
	byPath := map[string]jsonx.Issue{}
	for _, is := range issues {
		byPath[is.Path] = is
	}
	return byPath
}

// Every type with its own shape is a jsonx.Lenient: a value deep inside it
// that does not fit is reported with its own path, and the rest of the
// value is kept (a custom UnmarshalJSON that failed would wipe it whole).
func TestUnionsReportDeepIssuesAndKeepTheRest(t *testing.T) {
	t.Parallel()
	t.Run("AudienceGeo", func(t *testing.T) {
		var v struct {
			G AudienceGeo `json:"g"`
		}
		issues := decodeTolerant(t, `{"g":{"groups":{"dach":"lots","asia":2},"countries":[{"code":"ru","prc":"x"},{"code":"us","prc":12}]}}`, &v)
		assert.Contains(t, issues, "g.groups.dach")
		assert.Contains(t, issues, "g.countries[0].prc")
		assert.Len(t, issues, 2)
		assert.True(t, v.G.IsObject())
		assert.Equal(t, Float(2), v.G.Groups["asia"])
		assert.Equal(t, "ru", v.G.Countries[0].Code)
		assert.Equal(t, 12.0, v.G.Countries[1].Percent())

		issues = decodeTolerant(t, `{"g":[{"title":"us","prc":[1]},{"title":"in","prc":9}]}`, &v)
		assert.Contains(t, issues, "g[0].prc")
		assert.Equal(t, "in", v.G.Countries[1].Key())

		issues = decodeTolerant(t, `{"g":"ru"}`, &v)
		assert.Equal(t, "string", issues["g"].Got)
		assert.Equal(t, "hypeauditor.AudienceGeo", issues["g"].Want)
	})
	t.Run("PeriodMark", func(t *testing.T) {
		var v map[string]*PeriodMark
		issues := decodeTolerant(t, `{"7d":{"mark":"poor","value":"high"},"30d":"good","90d":7}`, &v)
		assert.Contains(t, issues, "7d.value")
		assert.Contains(t, issues, "90d")
		assert.Equal(t, "poor", v["7d"].Mark)
		assert.True(t, v["30d"].IsBare())
	})
	t.Run("MostMedia", func(t *testing.T) {
		var v map[string]MostMedia
		issues := decodeTolerant(t, `{"views":{"performance":{"30d":{"media_ids":["a",{"x":1}]}}},"last_media":"5wjs","bad":[1]}`, &v)
		assert.Contains(t, issues, "views.performance.30d.media_ids[1]")
		assert.Contains(t, issues, "bad")
		assert.Equal(t, ID("a"), v["views"].Performance["30d"].MediaIDs[0])
		assert.Equal(t, ID("5wjs"), v["last_media"].MediaID)
		issues = decodeTolerant(t, `{"last_media":{"value":"5wjs"},"empty":{}}`, &v)
		assert.Contains(t, issues, "last_media", "an object without performance is reported")
		assert.NotContains(t, issues, "empty")
	})
	t.Run("Ref", func(t *testing.T) {
		var v Rankings
		issues := decodeTolerant(t, `{"country":{"rank":3,"country":{"id":1,"code":["us"],"title":"United States"}},"category":{"rank":1,"category":"music"}}`, &v)
		assert.Contains(t, issues, "country.country.code")
		assert.Equal(t, "United States", v.Country.Country.Title)
		assert.Equal(t, "music", v.Category.Category.Code)
		issues = decodeTolerant(t, `{"country":{"country":[1]}}`, &v)
		assert.Contains(t, issues, "country.country")
		issues = decodeTolerant(t, `{"country":{"country":{"value":"us"}},"category":{"category":{}}}`, &v)
		assert.Contains(t, issues, "country.country", "an object with none of id, code, title is reported")
		assert.NotContains(t, issues, "category.category", "an empty object is just empty")
	})
	t.Run("Races", func(t *testing.T) {
		var v Races
		issues := decodeTolerant(t, `{"asian":"x","caucasian":55.1}`, &v)
		assert.Contains(t, issues, "asian")
		assert.Equal(t, 55.1, v.Shares["caucasian"])
		issues = decodeTolerant(t, `[{"group":"asian","prc":{}},{"group":"african","prc":3}]`, &v)
		assert.Contains(t, issues, "[0].prc")
		assert.Equal(t, 3.0, v.Shares["african"])
		issues = decodeTolerant(t, `true`, &v)
		assert.Contains(t, issues, "$")
	})
	t.Run("NetworkType", func(t *testing.T) {
		var v []SocialNetwork
		issues := decodeTolerant(t, `[{"type":{"id":1},"username":"a"},{"type":7,"username":"b"}]`, &v)
		assert.Contains(t, issues, "[0].type")
		assert.Equal(t, "a", v[0].Username)
		assert.Equal(t, Snapchat, v[1].Type.Platform())
	})
	t.Run("InterestWeight", func(t *testing.T) {
		var v []InterestWeight
		issues := decodeTolerant(t, `[["Travel","0.3"],["Music",{"w":1}],[1,0.2],["only"]]`, &v)
		assert.Len(t, issues, 3)
		assert.Contains(t, issues, "[1]")
		assert.Contains(t, issues, "[3]")
		assert.Equal(t, InterestWeight{"Travel", 0.3}, v[0])
		assert.Equal(t, "Music", v[1].Name, "the name is kept when the weight does not fit")
		assert.Equal(t, 0.2, v[2].Weight, "the weight is kept when the name does not fit")
	})
	t.Run("ReportFeatures", func(t *testing.T) {
		var v ReportFeatures
		assert.Contains(t, decodeTolerant(t, `12`, &v), "$")
		assert.Empty(t, decodeTolerant(t, `[]`, &v))
		assert.NotNil(t, v.Names)
	})
	t.Run("connectionList", func(t *testing.T) {
		var v connectionList
		issues := decodeTolerant(t, `{"data":[{"username":"a","er":"high"},{"username":"b","er":1}]}`, &v)
		assert.Contains(t, issues, "data[0].er")
		assert.True(t, v.wrapped)
		assert.Equal(t, "a", v.items[0].Username)
		issues = decodeTolerant(t, `[{"username":"a","state":5}]`, &v)
		assert.True(t, issues["[0].state"].Control, "a connection's state is a control field")
		assert.Contains(t, decodeTolerant(t, `"nope"`, &v), "$")
	})
	t.Run("SearchFeatures", func(t *testing.T) {
		var v SearchResult
		issues := decodeTolerant(t, `{"basic":{"id":"x"},"features":{"aqs":{"data":{"mark":3}},"social_networks":{"data":[{"type":"tiktok"}]},"blogger_thematics":[1,"a"],"brand_new":{"data":1}}}`, &v)
		assert.Contains(t, issues, "features.aqs.data.mark")
		assert.Contains(t, issues, "features.social_networks", "a known feature in another shape is reported")
		assert.Contains(t, issues, "features.blogger_thematics[1]")
		assert.Len(t, issues, 3)
		assert.Equal(t, []Int{1, 0}, v.Features.BloggerThematics)
		assert.JSONEq(t, `{"data":[{"type":"tiktok"}]}`, string(v.Features.Other["social_networks"]), "and kept whole")
		assert.Equal(t, TikTok, v.SocialNetworks()[0].Type.Platform(), "SocialNetworks reads it from there")
		assert.JSONEq(t, `{"data":1}`, string(v.Features.Other["brand_new"]))
		var n int
		assert.True(t, v.Feature("brand_new", &n))
		assert.Equal(t, 1, n)
		assert.NotEmpty(t, v.Raw, "the result as received")
	})
}

// Unions re-encode exactly the shape they received; a value built in code
// encodes in the documented shape.
func TestUnionsRoundTripWhatTheyGot(t *testing.T) {
	t.Parallel()
	for _, in := range []string{
		`{"id":1,"code":"us","title":"United States"}`, `"us"`, `7`,
	} {
		roundTrip[Ref](t, in)
	}
	roundTrip[Races](t, `{"asian":1.5,"caucasian":98.5}`)
	roundTrip[Races](t, `[{"group":"asian","prc":1.5}]`)
	roundTrip[Races](t, `[]`)
	roundTrip[Ref](t, `{"id":"us","code":"us"}`)
	roundTrip[NetworkType](t, `7`)
	roundTrip[NetworkType](t, `"tiktok"`)
	roundTrip[InterestWeight](t, `["Travel",0.25]`)
	roundTrip[connectionList](t, `[{"social_id":"1","username":"a","type":"instagram","title":"","avatar_url":"","subscribers_count":1,"er":2,"state":"READY"}]`)
	roundTrip[connectionList](t, `{"data":[]}`)
	roundTrip[SearchFeatures](t, `{"aqs":{"data":{"mark":"poor"}},"social_networks":[],"search_content":[],"blogger_thematics":[3],"other":{"x":[1,{"y":null}]}}`)
	built, err := json.Marshal(Ref{Code: "us"})
	require.NoError(t, err)
	assert.JSONEq(t, `{"code":"us"}`, string(built))
	built, err = json.Marshal(SearchFeatures{CQS: &Feature[*CQS]{Data: &CQS{Mark: "good"}}})
	require.NoError(t, err)
	assert.JSONEq(t, `{"cqs":{"data":{"mark":"good"}}}`, string(built))
	assert.True(t, SearchFeatures{}.IsZero())
}

// HypeAuditor's published YouTube sample sends features as [] (what PHP
// makes of an empty map); the Instagram report accepts it as well as the
// object keyed by block.
func TestInstagramFeaturesBothShapes(t *testing.T) {
	t.Parallel()
	var r InstagramReport
	require.NoError(t, json.Unmarshal([]byte(`{"report_state":"READY","features":[]}`), &r))
	assert.False(t, r.Features.IsZero())
	assert.Empty(t, r.Features.Blocks)
	out, err := json.Marshal(r)
	require.NoError(t, err)
	assert.JSONEq(t, `{"report_state":"READY","features":[]}`, string(out))
	require.NoError(t, json.Unmarshal([]byte(`{"features":{"ranking":{"data":{"rank":2}}}}`), &r))
	var rk struct {
		Rank int `json:"rank"`
	}
	assert.True(t, r.Features.Block("ranking", &rk))
	assert.Equal(t, 2, rk.Rank)
}

// The SDK's control fields are tagged: a mismatch there makes the answer
// unusable rather than a result with the value left zero.
func TestControlFields(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		body string
		out  any
		path string
	}{
		{`{"report_state":7}`, &TikTokReport{}, "report_state"},
		{`{"report_state":"NOT_READY","retryTtl":{"s":30}}`, &YouTubeReport{}, "retryTtl"},
		{`{"report_state":["READY"]}`, &InstagramReport{}, "report_state"},
		{`{"report_state":true}`, &NetworkReport{}, "report_state"},
		{`{"report_state":1}`, &TwitchHistory{}, "report_state"},
		{`{"search_results":[],"total_pages":"many"}`, &SearchPage{}, "total_pages"},
		{`{"creators":[],"next_cursor":{"c":1}}`, &CreatorList{}, "next_cursor"},
		{`[{"social_id":{"id":1}}]`, &connectionList{}, "[0].social_id"},
	} {
		issues := decodeTolerant(t, c.body, c.out)
		require.Contains(t, issues, c.path, c.body)
		assert.True(t, issues[c.path].Control, c.body)
	}
	issues := decodeTolerant(t, `{"report_state":"READY","restTokens":"lots","report":{"basic":{"title":5}}}`, &TikTokReport{})
	assert.False(t, issues["restTokens"].Control, "credits left are not needed to go on")
	assert.False(t, issues["report.basic.title"].Control)
}
