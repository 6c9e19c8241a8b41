package hypeauditor

import (
	"encoding/json"
	"testing"

	"github.com/creatorkit/creatorkit-go/internal/jsonx"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// roundTrip decodes in into a new T, checks it re-encodes as in, and
// returns it.
func roundTrip[T any](t *testing.T, in string) T {
	t.Helper()
	var v T
	require.NoError(t, json.Unmarshal([]byte(in), &v), in)
	out, err := json.Marshal(v)
	require.NoError(t, err)
	assert.JSONEq(t, in, string(out), "re-encodes the shape received")
	return v
}

func TestAudienceGeoBothShapes(t *testing.T) {
	t.Parallel()
	list := roundTrip[AudienceGeo](t, `[{"code":"ru","prc":45.2},{"title":"us","prc":12}]`)
	assert.False(t, list.IsObject())
	assert.Nil(t, list.Groups)
	require.Len(t, list.Countries, 2)
	assert.Equal(t, "ru", list.Countries[0].Key())
	assert.Equal(t, "us", list.Countries[1].Key())

	obj := roundTrip[AudienceGeo](t, `{"groups":{"dach":1.5,"nordics":0},"countries":[{"id":"ru","code":"RU","prc":61.3}]}`)
	assert.True(t, obj.IsObject())
	assert.Equal(t, Float(1.5), obj.Groups["dach"])
	require.Len(t, obj.Countries, 1)
	assert.Equal(t, ID("ru"), obj.Countries[0].ID)
	assert.Equal(t, 61.3, obj.Countries[0].Percent())

	empty := roundTrip[AudienceGeo](t, `{}`)
	assert.True(t, empty.IsObject(), "an empty object stays an object")
	roundTrip[AudienceGeo](t, `[]`)
	roundTrip[*AudienceGeo](t, `null`)

	var g AudienceGeo
	var me *jsonx.MismatchError
	assert.ErrorAs(t, json.Unmarshal([]byte(`"ru"`), &g), &me, "a third shape is a mismatch")

	built, err := json.Marshal(AudienceGeo{Countries: []AudienceShare{{Code: "us"}}})
	require.NoError(t, err)
	assert.JSONEq(t, `[{"code":"us"}]`, string(built))
	built, err = json.Marshal(AudienceGeo{Groups: map[string]Float{"asia": 2}})
	require.NoError(t, err)
	assert.JSONEq(t, `{"groups":{"asia":2}}`, string(built))
}

func TestPeriodMarkBothShapes(t *testing.T) {
	t.Parallel()
	perf := roundTrip[map[string]*PeriodMark](t, `{"7d":{"mark":"poor"},"30d":"good","90d":{"mark":"fair","value":3.5},"all":null}`)
	assert.Equal(t, "poor", perf["7d"].Mark)
	assert.False(t, perf["7d"].IsBare())
	assert.Equal(t, "good", perf["30d"].Mark)
	assert.True(t, perf["30d"].IsBare())
	assert.Equal(t, Float(3.5), *perf["90d"].Value)
	assert.Nil(t, perf["all"])
	c := CPM{Performance: perf}
	assert.Equal(t, "good", c.Mark("30d"))
	assert.Equal(t, "", c.Mark("all"))
	assert.Equal(t, "", (*CPM)(nil).Mark("7d"))

	var m PeriodMark
	assert.Error(t, json.Unmarshal([]byte(`3`), &m))
	assert.Error(t, json.Unmarshal([]byte(`[]`), &m))
}

func TestMostMediaBothShapes(t *testing.T) {
	t.Parallel()
	mm := roundTrip[map[string]MostMedia](t, `{"views_count_desc":{"performance":{"30d":{"media_ids":["a","b"]}}},"last_media":"5wjsVp3kDO8","n":123}`)
	assert.Equal(t, []ID{"a", "b"}, mm["views_count_desc"].Performance["30d"].MediaIDs)
	last := mm["last_media"]
	assert.True(t, last.IsMediaID())
	assert.Equal(t, ID("5wjsVp3kDO8"), last.MediaID)
	n := mm["n"]
	assert.Equal(t, ID("123"), n.MediaID)
	assert.False(t, (&MostMedia{}).IsMediaID())

	built, err := json.Marshal(MostMedia{MediaID: "x"})
	require.NoError(t, err)
	assert.Equal(t, `"x"`, string(built), "a media id built in code encodes as the bare id")
	var m MostMedia
	assert.Error(t, json.Unmarshal([]byte(`[1]`), &m))
}

func TestReportQualityAndFeatures(t *testing.T) {
	t.Parallel()
	var st ReportStatus
	require.NoError(t, json.Unmarshal([]byte(`{"report_quality":"FULL"}`), &st))
	assert.Equal(t, "FULL", st.QualityString())
	q := roundTrip[ReportQuality](t, `{"level":"partial","missing":["audience_geo"]}`)
	assert.Equal(t, "", q.Code)
	assert.JSONEq(t, `{"level":"partial","missing":["audience_geo"]}`, string(q.Other))
	out, err := json.Marshal(ReportStatus{State: StateReady})
	require.NoError(t, err)
	assert.JSONEq(t, `{"report_state":"READY"}`, string(out), "no quality, no member")

	empty := roundTrip[ReportFeatures](t, `[]`)
	assert.False(t, empty.IsZero())
	assert.Empty(t, empty.Names)
	names := roundTrip[ReportFeatures](t, `["blogger_emv","cqs"]`)
	assert.Equal(t, []string{"blogger_emv", "cqs"}, names.Names)
	items := roundTrip[ReportFeatures](t, `["a",{"b":1}]`)
	assert.Len(t, items.Items, 2)
	blocks := roundTrip[ReportFeatures](t, `{"ranking":{"data":{"rank":3}}}`)
	assert.JSONEq(t, `{"data":{"rank":3}}`, string(blocks.Blocks["ranking"]))
	var f ReportFeatures
	assert.Error(t, json.Unmarshal([]byte(`"x"`), &f))

	out, err = json.Marshal(YouTubeReport{})
	require.NoError(t, err)
	assert.JSONEq(t, `{}`, string(out), "absent features stay absent")
}

// Summary reads both audience_geo shapes, on every network.
func TestSummaryReadsBothGeoShapes(t *testing.T) {
	t.Parallel()
	for name, geo := range map[string]string{
		"list":   `[{"code":"us","prc":10},{"code":"ru","prc":60}]`,
		"object": `{"groups":{"semea":70},"countries":[{"id":"ru","code":"ru","prc":60},{"id":"us","code":"us","prc":10}]}`,
	} {
		var nr NetworkReport
		require.NoError(t, json.Unmarshal([]byte(`{"report_state":"READY","report":{"features":{"audience_geo":{"data":`+geo+`}}}}`), &nr), name)
		assert.Equal(t, []string{"RU", "US"}, codes(nr.Summary().AudienceCountries), name)

		var tt TikTokReport
		require.NoError(t, json.Unmarshal([]byte(`{"report_state":"READY","report":{"features":{"audience_geo":{"data":`+geo+`}}}}`), &tt), name)
		assert.Equal(t, []string{"RU", "US"}, codes(tt.Summary().AudienceCountries), name)

		var yt YouTubeReport
		require.NoError(t, json.Unmarshal([]byte(`{"report_state":"READY","report":{"features":{"audience_geo":{"data":`+geo+`}}}}`), &yt), name)
		assert.Equal(t, []string{"RU", "US"}, codes(yt.Summary().AudienceCountries), name)
	}
	var tt TikTokReport
	require.NoError(t, json.Unmarshal([]byte(`{"report_state":"READY_LOW_CONFIDENCE","report":{"features":{"audience_geo":{"data":null}}}}`), &tt))
	assert.Empty(t, tt.Summary().AudienceCountries, "null geo: no countries, no panic")
}
