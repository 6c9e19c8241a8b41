package hypeauditor

import (
	"encoding/json"
	"testing"

	"github.com/creatorkit/creatorkit-go/internal/fixture"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestTaxonomyKeywordModelsRoundTripFixtures(t *testing.T) {
	t.Parallel()
	roundTripFixtures(t, map[string]func() any{
		"taxonomy.json":       func() any { return &envelope[Taxonomy]{} },
		"keywords_posts.json": func() any { return &envelope[KeywordPosts]{} },
	})
}

// The wrapped form of a post metric ({"value": n}, the attribute table's)
// and the bare one (the sample's) both decode and re-encode as received.
func TestMetricValueShapes(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]float64{`812000`: 812000, `{"value": 0.84}`: 0.84, `"12"`: 12} {
		var v MetricValue
		require.NoError(t, json.Unmarshal([]byte(in), &v), in)
		assert.Equal(t, want, v.Float64(), in)
		out, err := json.Marshal(v)
		require.NoError(t, err)
		assert.Empty(t, fixture.Diff([]byte(in), out), in)
	}
	var v MetricValue
	assert.Error(t, json.Unmarshal([]byte(`{"count": 3}`), &v), "an object without value")
	assert.Error(t, json.Unmarshal([]byte(`[1]`), &v))
	b, err := json.Marshal(MetricValue{Value: new(Float)})
	require.NoError(t, err)
	assert.JSONEq(t, `{"value": 0}`, string(b), "one built in code is wrapped")
	assert.Zero(t, (*MetricValue)(nil).Float64())
}
