package creatoraudit_test

import (
	"encoding/json"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/creatorkit/creatorkit-go/creatoraudit"
	"github.com/creatorkit/creatorkit-go/internal/fixture"
	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fixtureModels maps every fixture in testdata to the model the SDK
// decodes it into. Batch answers are read through the exported Metrics
// (the SDK's own batch body is unexported; it keeps data and meta as
// received besides).
func fixtureModels() map[string]func() any {
	type metricsBody struct {
		Data map[string]creatoraudit.Metrics `json:"data"`
		Meta json.RawMessage                 `json:"meta"`
	}
	type deltasBody struct {
		Data map[string]map[string]creatoraudit.Metrics `json:"data"`
		Meta json.RawMessage                            `json:"meta"`
	}
	m := map[string]func() any{
		"accounts_list.json":        func() any { return &creatoraudit.AccountList{} },
		"account_created.json":      func() any { return &env[creatoraudit.Account]{} },
		"video_created.json":        func() any { return &env[creatoraudit.Video]{} },
		"videos_list.json":          func() any { return &creatoraudit.VideoList{} },
		"creator.json":              func() any { return &env[creatoraudit.Creator]{} },
		"creators_list.json":        func() any { return &creatoraudit.CreatorList{} },
		"creator_link.json":         func() any { return &env[creatoraudit.AccountLink]{} },
		"meta.json":                 func() any { return &env[creatoraudit.APIMeta]{} },
		"whoami.json":               func() any { return &env[creatoraudit.WhoAmI]{} },
		"health.json":               func() any { return &env[creatoraudit.Health]{} },
		"overview.json":             func() any { return &env[creatoraudit.Overview]{} },
		"search.json":               func() any { return &creatoraudit.SearchResults{} },
		"videos_metrics_empty.json": func() any { return &metricsBody{} },
		"videos_metrics.json":       func() any { return &metricsBody{} },
		"videos_deltas.json":        func() any { return &deltasBody{} },
		"creators_top.json":         func() any { return &creatoraudit.TopCreators{} },
		"creator_analytics.json":    func() any { return &env[creatoraudit.Analytics]{} },
		"account_analytics.json":    func() any { return &env[creatoraudit.Analytics]{} },
		"openapi.json":              func() any { return &creatoraudit.OpenAPIDocument{} },
		"account_timeseries.json":   func() any { return &env[creatoraudit.Timeseries]{} },
		"error_doc_example.json":    func() any { return &creatoraudit.Problem{} },
	}
	for _, code := range creatoraudit.Codes() {
		name := "error_" + strconv.Itoa(code.Status()) + "_" + strings.ToLower(string(code)) + ".json"
		m[name] = func() any { return &creatoraudit.Problem{} }
	}
	return m
}

// Every fixture decodes strictly (plain json.Unmarshal into its model),
// re-encodes with no leaf lost, and has its typed coverage logged: the
// share of its non-null leaves that reach a typed Go field (raw JSON kept
// on the side and free-form metadata count for nothing). A fixture
// without a model fails the test, so none is forgotten.
func TestFixturesRoundTripStrictly(t *testing.T) {
	t.Parallel()
	models := fixtureModels()
	files, err := filepath.Glob(filepath.Join("testdata", "*.json"))
	require.NoError(t, err)
	require.NotEmpty(t, files)
	for _, path := range files {
		name := filepath.Base(path)
		t.Run(name, func(t *testing.T) {
			newV, ok := models[name]
			require.True(t, ok, "no model for fixture %s", name)
			body := fixture.Load(t, name)
			v := newV()
			require.NoError(t, json.Unmarshal(body, v), "strict decoding")
			out, err := json.Marshal(v)
			require.NoError(t, err)
			assert.Empty(t, fixture.LostLeaves(body, out), "leaves lost in the round trip")
			covered, total, missing := fixture.TypedCoverage(body, v)
			t.Logf("coverage %s: %.1f%% (%d/%d)", name, 100*fixture.Ratio(covered, total), covered, total)
			if len(missing) > 0 {
				t.Logf("  not typed: %s", strings.Join(missing, ", "))
			}
		})
	}
}

// The union types give back what they got: the member names and forms
// they read (view_count stays view_count, points stays points, a numeric
// string stays a string), so nothing is renamed on the way through.
func TestUnionTypesRoundTripExactly(t *testing.T) {
	t.Parallel()
	docs := map[string]func() any{
		`{"view_count":"1,200","likes":3,"er":2.5,"follower_count":10}`:                                          func() any { return &creatoraudit.Metrics{} },
		`{"creator_id":"c-1","creator_name":"Ada","total_views":9,"rank":0}`:                                     func() any { return &creatoraudit.TopCreator{} },
		`{"type":"a","period":"7d","views":"12","points":[{"date":"2026-01-01","play_count":4}]}`:                func() any { return &creatoraudit.Analytics{} },
		`{"period":"custom","start_date":"2026-01-01","end_date":"2026-01-02","series":[{"date":"2026-01-01"}]}`: func() any { return &creatoraudit.Timeseries{} },
		`{"points":[{"date":"2026-01-01","views":1}],"series":[{"date":"2026-01-02","views":2}]}`:                func() any { return &creatoraudit.Timeseries{} },
		`{"likes":1,"series":[{"date":"2026-01-01","views":1}],"points":[{"date":"2026-01-02","views":2}]}`:      func() any { return &creatoraudit.Analytics{} },
	}
	for doc, newV := range docs {
		v := newV()
		require.NoError(t, json.Unmarshal([]byte(doc), v), doc)
		out, err := json.Marshal(v)
		require.NoError(t, err)
		assert.JSONEq(t, doc, string(out))
	}
	// A Metrics built in code is written with the canonical names.
	views := int64(5)
	out, err := json.Marshal(creatoraudit.Metrics{Views: &views})
	require.NoError(t, err)
	assert.JSONEq(t, `{"views":5}`, string(out))
	// A value changed after decoding is written as changed.
	var m creatoraudit.Metrics
	require.NoError(t, json.Unmarshal([]byte(`{"views":"7"}`), &m))
	*m.Views = 8
	out, err = json.Marshal(m)
	require.NoError(t, err)
	assert.JSONEq(t, `{"views":8}`, string(out))
}

// One published whoami example has an organization_id that is not a UUID
// ("org_..."): it is a plain string, read as is.
func TestWhoAmIOrganizationIDIsNotAUUID(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t, creatoraudit.WithStrictDecoding())
	mt.RegisterResponder("GET", base+"/whoami", httpmock.NewStringResponder(200, `{"data":{"type":"whoami","organization_id":"org_2aB3cD4eF5gH6iJ7","api_key_name":"Production key"}}`))
	w, err := c.Meta.WhoAmI(ctx)
	require.NoError(t, err)
	assert.Equal(t, "org_2aB3cD4eF5gH6iJ7", w.OrganizationID)
}

func TestAccountFieldsAndNullables(t *testing.T) {
	t.Parallel()
	var l creatoraudit.AccountList
	require.NoError(t, json.Unmarshal(fixture.Load(t, "accounts_list.json"), &l))
	require.Len(t, l.Data, 2)
	ig, tt := l.Data[0], l.Data[1]
	assert.Equal(t, creatoraudit.Instagram, ig.Platform)
	assert.Equal(t, int64(283000000), *ig.FollowerCount)
	assert.Equal(t, int64(310000), *ig.SavedCount)
	assert.True(t, ig.IsVerified)
	assert.Equal(t, "brand-partnerships", ig.Metadata["team"])
	assert.Equal(t, "9b2e4d10-7a3c-4f8e-b1d2-0c5a6e7f8091", *ig.CreatorID)
	assert.Nil(t, ig.MaxRecentPostsPerAccount)
	assert.Equal(t, 50, *ig.EffectiveMaxRecentPostsPerAccount)
	assert.True(t, ig.Scraped())
	assert.Equal(t, 2026, ig.LastScrapeTime.Year())
	assert.Equal(t, creatoraudit.TikTok, tt.Platform)
	assert.Nil(t, tt.SavedCount, "saved_count is null on TikTok")
	assert.Nil(t, tt.CreatorID)
	assert.Equal(t, "eyJhIjoiYiJ9", l.NextCursor())
	assert.Equal(t, int64(123), *l.Pagination.TotalCount)

	var created env[creatoraudit.Account]
	require.NoError(t, json.Unmarshal(fixture.Load(t, "account_created.json"), &created))
	assert.False(t, created.Data.Scraped())
	assert.Nil(t, created.Data.LastScrapeTime)
	assert.Nil(t, created.Data.FollowerCount)
}

func TestVideoFields(t *testing.T) {
	t.Parallel()
	var l creatoraudit.VideoList
	require.NoError(t, json.Unmarshal(fixture.Load(t, "videos_list.json"), &l))
	v := l.Data[0]
	assert.Equal(t, 42.5, *v.Duration)
	assert.Equal(t, int64(8800), *v.SavedCount)
	assert.Nil(t, l.Data[1].SavedCount)
	assert.JSONEq(t, `{"product_type":"clips"}`, string(v.PlatformData))
	assert.Equal(t, "", l.NextCursor(), "last page")
	_, ok := v.InternalID()
	assert.False(t, ok, "a UUID is not an internal id")
	var av creatoraudit.Video
	require.NoError(t, json.Unmarshal([]byte(`{"id": 48213, "type": "video"}`), &av))
	id, ok := av.InternalID()
	assert.True(t, ok)
	assert.Equal(t, int64(48213), id)
}

func TestCreatorSummaryAndLeaderboard(t *testing.T) {
	t.Parallel()
	var c env[creatoraudit.Creator]
	require.NoError(t, json.Unmarshal(fixture.Load(t, "creator.json"), &c))
	counts, ok := c.Data.AccountsSummary.PlatformCounts()
	require.True(t, ok)
	assert.Equal(t, map[creatoraudit.Platform]int64{"instagram": 1, "tiktok": 1}, counts)
	assert.Equal(t, int64(292100000), *c.Data.AccountsSummary.TotalFollowers)

	var top creatoraudit.TopCreators
	require.NoError(t, json.Unmarshal(fixture.Load(t, "creators_top.json"), &top))
	require.Len(t, top.Data, 2)
	assert.Equal(t, 1, top.Data[0].Rank)
	assert.Equal(t, "National Geographic", top.Data[0].Name)
	assert.Equal(t, int64(128400000), *top.Data[0].Metrics.Views)
	assert.NotEmpty(t, top.Data[0].Raw)

	// Inferred shapes are read leniently: other names, numbers as strings.
	var row creatoraudit.TopCreator
	require.NoError(t, json.Unmarshal([]byte(`{"creator_id":"c-1","creator_name":"Ada","view_count":"1,200","engagement_rate":"3.5","saved_count":null}`), &row))
	assert.Equal(t, "c-1", row.ID)
	assert.Equal(t, "Ada", row.Name)
	assert.Equal(t, int64(1200), *row.Metrics.Views)
	assert.Equal(t, 3.5, *row.Metrics.EngagementRate)
	assert.Nil(t, row.Metrics.SavedCount)
}

func TestAnalyticsAndTimeseries(t *testing.T) {
	t.Parallel()
	var a env[creatoraudit.Analytics]
	require.NoError(t, json.Unmarshal(fixture.Load(t, "creator_analytics.json"), &a))
	assert.Equal(t, creatoraudit.Period30d, a.Data.Period)
	assert.Equal(t, int64(7500000), *a.Data.Metrics.Likes)
	require.Len(t, a.Data.Series, 1)
	assert.Equal(t, "2026-05-16", a.Data.Series[0].Date)
	assert.Equal(t, int64(4100000), *a.Data.Series[0].Views)

	var ts env[creatoraudit.Timeseries]
	require.NoError(t, json.Unmarshal(fixture.Load(t, "account_timeseries.json"), &ts))
	require.Len(t, ts.Data.Points, 1)
	assert.Nil(t, ts.Data.Points[0].SavedCount)
	assert.Equal(t, 0.0, *ts.Data.Points[0].EngagementRate)

	// "series" and "points" are both accepted for either type.
	require.NoError(t, json.Unmarshal([]byte(`{"data":{"series":[{"date":"2026-01-01","views":3}]}}`), &ts))
	require.Len(t, ts.Data.Points, 1)
	require.NoError(t, json.Unmarshal([]byte(`{"data":{"views":9,"points":[{"date":"2026-01-01","likes":3}]}}`), &a))
	require.Len(t, a.Data.Series, 1)
	assert.Equal(t, int64(9), *a.Data.Metrics.Views)
}

func TestSearchAndOverview(t *testing.T) {
	t.Parallel()
	var s creatoraudit.SearchResults
	require.NoError(t, json.Unmarshal(fixture.Load(t, "search.json"), &s))
	assert.Equal(t, "natgeo", s.Data.Accounts[0].Username)
	assert.Equal(t, 10, s.Meta.EffectiveCaps.Videos)
	var o env[creatoraudit.Overview]
	require.NoError(t, json.Unmarshal(fixture.Load(t, "overview.json"), &o))
	assert.Equal(t, int64(128400000), o.Data.Current.TotalViews)
	assert.Equal(t, 14.64, *o.Data.Changes.TotalViewsPct)
	var m env[creatoraudit.APIMeta]
	require.NoError(t, json.Unmarshal(fixture.Load(t, "meta.json"), &m))
	assert.False(t, m.Data.Deprecated())
	require.NoError(t, json.Unmarshal([]byte(`{"data":{"api_version":"v2","deprecation":"2027-01-01","sunset":null}}`), &m))
	assert.True(t, m.Data.Deprecated())
}

// Metrics stays comparable, as it was before it remembered where its
// values came from.
var _ = creatoraudit.Metrics{} == creatoraudit.Metrics{}

// An analytics answer's period-over-period comparison is typed like the
// overview's: Current and Previous as Metrics, Changes in percent, each
// read from any name of its metric, and written back as it came.
func TestAnalyticsComparison(t *testing.T) {
	t.Parallel()
	var a env[creatoraudit.Analytics]
	require.NoError(t, json.Unmarshal(fixture.Load(t, "account_analytics.json"), &a))
	require.NotNil(t, a.Data.Current)
	require.NotNil(t, a.Data.Previous)
	require.NotNil(t, a.Data.Changes)
	assert.Equal(t, a.Data.Metrics.GetViews(), a.Data.GetCurrent().GetViews(), "current is the window's totals")
	assert.Equal(t, int64(112000000), a.Data.GetPrevious().GetViews())
	assert.Equal(t, 6.35, a.Data.GetPrevious().GetEngagementRate())
	assert.Equal(t, 14.64, a.Data.GetChanges().GetViews())
	assert.Equal(t, -3.28, a.Data.GetChanges().GetComments())
	assert.Equal(t, -5.04, a.Data.GetChanges().GetEngagementRate())
	assert.Nil(t, a.Data.Changes.Plays, "no change given: nil")

	// Without a comparison the three are nil, and nothing is added when
	// written back.
	var plain env[creatoraudit.Analytics]
	require.NoError(t, json.Unmarshal(fixture.Load(t, "creator_analytics.json"), &plain))
	assert.Nil(t, plain.Data.Current)
	assert.Nil(t, plain.Data.Previous)
	assert.Nil(t, plain.Data.GetChanges())
	out, err := json.Marshal(plain.Data)
	require.NoError(t, err)
	assert.NotContains(t, string(out), "current")
	assert.NotContains(t, string(out), "changes")

	// Other metric names, numeric strings and nulls, as Metrics takes them;
	// each written back under its name and in its form.
	body := `{"data":{"current":{"view_count":"1,200"},"previous":{"total_views":1000},` +
		`"changes":{"view_count_pct":"20.0","engagement_rate_pct":null,"likes_pct":-1.5,"unknown_pct":3}}}`
	require.NoError(t, json.Unmarshal([]byte(body), &a))
	assert.Equal(t, int64(1200), a.Data.GetCurrent().GetViews())
	assert.Equal(t, int64(1000), a.Data.GetPrevious().GetViews())
	assert.Equal(t, 20.0, a.Data.GetChanges().GetViews())
	assert.Equal(t, -1.5, a.Data.GetChanges().GetLikes())
	assert.Nil(t, a.Data.Changes.EngagementRate)
	out, err = json.Marshal(a.Data.Changes)
	require.NoError(t, err)
	assert.JSONEq(t, `{"view_count_pct":"20.0","likes_pct":-1.5}`, string(out))
	built, err := json.Marshal(creatoraudit.MetricChanges{Views: ptr(12.5)})
	require.NoError(t, err)
	assert.JSONEq(t, `{"views_pct":12.5}`, string(built), "built in code: the first name")

	// A change that is not a number fails strict decoding; the client's
	// tolerant decoding reports it and keeps the rest.
	require.Error(t, json.Unmarshal([]byte(`{"data":{"changes":{"views_pct":{"x":1}}}}`), &a))
	c, mt := newMockClient(t)
	mt.RegisterResponder("GET", base+"/accounts/"+accID+"/analytics", httpmock.NewStringResponder(200,
		`{"data":{"views":10,"current":{"views":10},"previous":{"views":"many"},"changes":{"views_pct":{"x":1},"likes_pct":5}}}`))
	got, err := c.Accounts.Analytics(ctx, accID, creatoraudit.AnalyticsParams{})
	require.NoError(t, err)
	assert.Equal(t, int64(10), got.GetCurrent().GetViews())
	assert.Nil(t, got.GetPrevious().Views)
	assert.Nil(t, got.GetChanges().Views)
	assert.Equal(t, 5.0, got.GetChanges().GetLikes())
	var paths []string
	for _, is := range got.Response.DecodeIssues {
		paths = append(paths, is.Path)
	}
	assert.ElementsMatch(t, []string{"data.previous.views", "data.changes.views_pct"}, paths)

	// A time series ignores a comparison.
	var ts env[creatoraudit.Timeseries]
	require.NoError(t, json.Unmarshal([]byte(`{"data":{"points":[],"changes":{"views_pct":1}}}`), &ts))
	out, err = json.Marshal(ts.Data)
	require.NoError(t, err)
	assert.NotContains(t, string(out), "changes")
}

// The OpenAPI document: its version, title and paths typed, its
// operations listed, the whole document in Raw.
func TestOpenAPIDocument(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	mt.RegisterResponder("GET", base+"/openapi.json", expect(t, want{method: "GET", path: "/v2/openapi.json"}, reply(t, 200, "openapi.json")))
	d, err := c.Meta.OpenAPI(ctx)
	require.NoError(t, err)
	assert.Equal(t, "3.1.0", d.OpenAPI)
	assert.Equal(t, "CreatorAudit API v2", d.Info.Title)
	assert.Len(t, d.Paths, 12)
	ops := d.Operations()
	assert.Len(t, ops, 15)
	assert.Equal(t, "POST /accounts", ops[1])
	assert.Contains(t, ops, "PUT /creators/{creator_id}/accounts/{account_id}")
	assert.JSONEq(t, string(fixture.Load(t, "openapi.json")), string(d.Raw))
	assert.Equal(t, "req-openapi.json", d.Response.RequestID)
	assert.Nil(t, (*creatoraudit.OpenAPIDocument)(nil).Operations())
}

func ptr[T any](v T) *T { return &v }
