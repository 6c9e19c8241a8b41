package hypeauditor

import (
	"encoding/json"
	"testing"

	"github.com/creatorkit/creatorkit-go/internal/fixture"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The documentation's and a live taxonomy answer and the documentation's
// keyword post search answer decode strictly, re-encode with no leaf lost
// or changed, and hold every non-null leaf in a typed field.
func TestSharedSamplesFullyTyped(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		file string
		newV func() any
	}{
		{"live_taxonomy_2025-08.json", func() any { return &envelope[Taxonomy]{} }},
		{"doc_taxonomy.json", func() any { return &envelope[Taxonomy]{} }},
		{"doc_search_keywords_posts.json", func() any { return &envelope[KeywordPosts]{} }},
	} {
		t.Run(tc.file, func(t *testing.T) {
			orig := fixture.Shared(t, "hypeauditor", tc.file)
			v := tc.newV()
			require.NoError(t, json.Unmarshal(orig, v), "strict decode")
			again, err := json.Marshal(v)
			require.NoError(t, err)
			assert.Empty(t, fixture.LostLeaves(orig, again), "leaves lost or changed by decode + encode")
			covered, total, missing := fixture.TypedCoverage(orig, v)
			t.Logf("coverage %s: %.2f%% (%d/%d non-null leaves typed)", tc.file, 100*fixture.Ratio(covered, total), covered, total)
			require.Positive(t, total)
			assert.Equal(t, total, covered, "every non-null leaf typed; not typed: %v", missing)
		})
	}
}

// The values land where they belong, and the helpers find entries by
// title and id.
func TestSharedTaxonomyValues(t *testing.T) {
	t.Parallel()
	var live, doc envelope[Taxonomy]
	require.NoError(t, json.Unmarshal(fixture.Shared(t, "hypeauditor", "live_taxonomy_2025-08.json"), &live))
	require.NoError(t, json.Unmarshal(fixture.Shared(t, "hypeauditor", "doc_taxonomy.json"), &doc))
	for name, tx := range map[string]*Taxonomy{"live": &live.Result, "doc": &doc.Result} {
		ig := tx.Platform(Instagram)
		require.NotNil(t, ig, name)
		assert.NotEmpty(t, ig.Categories, name)
		assert.NotEmpty(t, ig.Interests, name)
		assert.NotEmpty(t, ig.Labels, name)
		assert.NotEmpty(t, tx.YouTube.Thematics, name)
		assert.NotEmpty(t, tx.TikTok.Categories, name)
		for _, l := range []TaxonomyList{ig.Categories, ig.Interests, tx.YouTube.Thematics, tx.TikTok.Categories} {
			for _, e := range l {
				assert.Positive(t, int(e.ID), name)
				assert.NotEmpty(t, e.Title, name)
			}
		}
		first := ig.Categories[0]
		found, ok := ig.Categories.Find("  " + first.Title + " ")
		assert.True(t, ok, name)
		assert.Equal(t, first, found, name)
		byID, ok := ig.Categories.ByID(int(first.ID))
		assert.True(t, ok, name)
		assert.Equal(t, first, byID, name)
		assert.Equal(t, []string{first.Title, ""}, ig.Categories.Titles(int(first.ID), -1), name)
		assert.Len(t, ig.Categories.IDs(), len(ig.Categories), name)
		assert.Nil(t, tx.Platform(Twitch), name)
	}
	assert.NotEmpty(t, live.Result.YouTube.Labels, "the live answer has YouTube labels")
	assert.NotEmpty(t, live.Result.TikTok.Labels, "and TikTok labels")
	assert.Empty(t, doc.Result.YouTube.Labels, "the documented sample has none")
}

func TestSharedKeywordPostsValues(t *testing.T) {
	t.Parallel()
	var env envelope[KeywordPosts]
	require.NoError(t, json.Unmarshal(fixture.Shared(t, "hypeauditor", "doc_search_keywords_posts.json"), &env))
	kp := env.Result
	require.Len(t, kp.Posts, 2)
	assert.Positive(t, int(*kp.QueriesLeft))
	for id, p := range kp.Posts {
		assert.Equal(t, ID(id), p.Basic.ID)
		assert.NotEmpty(t, p.Basic.Code)
		assert.NotNil(t, p.Basic.TimePosted)
		assert.Positive(t, p.Metrics.LikesCount.Float64())
		assert.Positive(t, p.Metrics.ER.Float64())
		assert.NotEmpty(t, p.Metrics.ERMark)
		b, err := json.Marshal(p.Metrics.LikesCount)
		require.NoError(t, err)
		assert.NotContains(t, string(b), "value", "a bare number re-encodes bare")
	}
}
