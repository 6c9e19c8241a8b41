package hypeauditor_test

import (
	"context"
	"fmt"
	"log"
	"net/http"
	"net/url"
	"testing"
	"testing/synctest"

	"github.com/creatorkit/creatorkit-go/hypeauditor"
	"github.com/creatorkit/creatorkit-go/hypeauditor/hypeauditortest"
	"github.com/creatorkit/creatorkit-go/internal/fixture"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The taxonomy and the keyword post search: exact requests, validation,
// identifiers, drift (also of the documented and live answers read from
// ../shared/fixtures), and the fake.

func TestTaxonomyKeywordsRequests(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	expect(t, mt, "GET", "auditor.taxonomy", want{}, 200, "taxonomy.json")
	expect(t, mt, "GET", "auditor.searchKeywordsPosts", want{query: url.Values{"socialNetwork": {"instagram"}, "contentIds": {"2967308681525079321,2952174452835476751"}}}, 200, "keywords_posts.json")

	tx, err := c.Discovery.Taxonomy(ctx)
	require.NoError(t, err)
	a, ok := tx.Instagram.Categories.Find("placeholder category a")
	require.True(t, ok)
	assert.Equal(t, hypeauditor.TaxonomyID(1001), a.ID)
	assert.Equal(t, []string{"Placeholder thematic"}, tx.YouTube.Thematics.Titles(1032))
	f := hypeauditor.IncludeTaxonomy(tx.Instagram.Categories...)
	assert.Equal(t, []int{1001, 1002}, f.Include)
	assert.Equal(t, []int{1001}, hypeauditor.ExcludeTaxonomy(a).Exclude)

	kp, err := c.Discovery.SearchKeywordsPosts(ctx, hypeauditor.KeywordPostsParams{Platform: hypeauditor.Instagram,
		ContentIDs: []string{"2967308681525079321", "2952174452835476751"}})
	require.NoError(t, err)
	post := kp.Posts["3391234567890123456"]
	assert.Equal(t, 812000.0, post.Metrics.LikesCount.Float64(), "the attribute table's {value} form")
	assert.Equal(t, hypeauditor.Int(998), *kp.QueriesLeft)
	assert.Equal(t, 2, mt.GetTotalCallCount())
}

// A keyword post search may spend a discovery request, so the SDK never
// sends it again once it may have reached HypeAuditor.
func TestKeywordPostsNotResent(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	respond(mt, "GET", "auditor.searchKeywordsPosts", 502, `{"error":{"description":"Bad gateway"}}`)
	_, err := c.Discovery.SearchKeywordsPosts(ctx, hypeauditor.KeywordPostsParams{Platform: hypeauditor.TikTok, ContentIDs: []string{"1"}})
	assert.ErrorIs(t, err, hypeauditor.ErrOutcomeUnknown)
	assert.Equal(t, 1, mt.GetTotalCallCount())
}

func TestKeywordPostsValidation(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	refusedBeforeSending(t, map[string]func() error{
		"keywords: snapchat": func() error {
			_, err := c.Discovery.SearchKeywordsPosts(ctx, hypeauditor.KeywordPostsParams{Platform: hypeauditor.Snapchat, ContentIDs: []string{"1"}})
			return err
		},
		"keywords: no ids": func() error {
			_, err := c.Discovery.SearchKeywordsPosts(ctx, hypeauditor.KeywordPostsParams{Platform: hypeauditor.Instagram})
			return err
		},
		"keywords: comma": func() error {
			_, err := c.Discovery.SearchKeywordsPosts(ctx, hypeauditor.KeywordPostsParams{Platform: hypeauditor.Instagram, ContentIDs: []string{"1,2"}})
			return err
		},
	})
	assert.Equal(t, 0, mt.GetTotalCallCount())

	c, err := hypeauditor.NewClient(hypeauditor.WithCredentials(testID, testToken), hypeauditor.WithHTTPClient(&http.Client{Transport: refuseTransport{t}}))
	require.NoError(t, err)
	badIdentifiersRefused(t, map[string]func(v string) error{
		"Discovery.SearchKeywordsPosts": func(v string) error {
			_, err := c.Discovery.SearchKeywordsPosts(ctx, hypeauditor.KeywordPostsParams{Platform: hypeauditor.Instagram, ContentIDs: []string{"1", v}})
			return err
		},
	})
}

func TestDriftTaxonomyKeywords(t *testing.T) {
	t.Parallel()
	shared := func(file string) func(t *testing.T) []byte {
		// Every list cut to two entries: each member path is still mutated.
		return func(t *testing.T) []byte { return trimLists(t, fixture.Shared(t, "hypeauditor", file), 2) }
	}
	taxonomy := func(c *hypeauditor.Client) (any, *hypeauditor.ResponseMeta, error) {
		r, err := c.Discovery.Taxonomy(ctx)
		if err != nil {
			return nil, nil, err
		}
		return r, r.Response, nil
	}
	keywords := func(c *hypeauditor.Client) (any, *hypeauditor.ResponseMeta, error) {
		r, err := c.Discovery.SearchKeywordsPosts(ctx, hypeauditor.KeywordPostsParams{Platform: hypeauditor.Instagram, ContentIDs: []string{"1"}})
		if err != nil {
			return nil, nil, err
		}
		return r, r.Response, nil
	}
	runDrift(t, []driftSpec{
		{"Discovery.Taxonomy", "result", `result`, local("taxonomy.json"), taxonomy},
		{"Discovery.Taxonomy live", "result", `result`, shared("live_taxonomy_2025-08.json"), taxonomy},
		{"Discovery.Taxonomy doc", "result", `result`, shared("doc_taxonomy.json"), taxonomy},
		{"Discovery.SearchKeywordsPosts", "result", `result|result\.posts`, local("keywords_posts.json"), keywords},
		{"Discovery.SearchKeywordsPosts doc", "result", `result|result\.posts`, shared("doc_search_keywords_posts.json"), keywords},
	})
}

// The taxonomy's entries drive the discovery filters; a keyword post
// search spends a discovery request.
func TestFakeTaxonomyAndKeywordPosts(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv, c := newFake(t)
		ctx := testCtx(t)
		tx, err := c.Discovery.Taxonomy(ctx)
		require.NoError(t, err)
		gaming, ok := tx.Instagram.Categories.Find("gaming")
		require.True(t, ok)
		music, ok := tx.Instagram.Categories.Find("Music")
		require.True(t, ok)
		cooking, ok := tx.Instagram.Interests.Find("Cooking")
		require.True(t, ok)
		page, err := c.Discovery.SearchSandbox(ctx, hypeauditor.SearchParams{Platform: hypeauditor.Instagram,
			Category: hypeauditor.IncludeTaxonomy(gaming, music), Interests: []hypeauditor.InterestFilter{cooking.Interest(10)}})
		require.NoError(t, err)
		assert.NotEmpty(t, page.Items())
		assert.Equal(t, []string{"Science & Technology"}, tx.YouTube.Thematics.Titles(1032), "the fake's YouTube reports carry 1032")
		assert.Equal(t, 1000, srv.DiscoveryRequests(), "the taxonomy and the sandbox are free")

		kp, err := c.Discovery.SearchKeywordsPosts(ctx, hypeauditor.KeywordPostsParams{Platform: hypeauditor.TikTok, ContentIDs: []string{"7001", "7002"}})
		require.NoError(t, err)
		assert.Len(t, kp.Posts, 2)
		assert.Equal(t, hypeauditor.Int(999), *kp.QueriesLeft)
		assert.Equal(t, 999, srv.DiscoveryRequests())

		// A 5xx may come after it ran: the SDK does not send it again.
		srv.SetFaults(hypeauditortest.Faults{Routes: []string{hypeauditortest.RouteKeywordsPosts}, ErrorRate: map[int]float64{502: 1}})
		_, err = c.Discovery.SearchKeywordsPosts(ctx, hypeauditor.KeywordPostsParams{Platform: hypeauditor.TikTok, ContentIDs: []string{"7003"}})
		assert.ErrorIs(t, err, hypeauditor.ErrOutcomeUnknown)
		assert.Equal(t, 2, srv.Snapshot().Requests[hypeauditortest.RouteKeywordsPosts])
		srv.SetFaults(hypeauditortest.Faults{})
	})
}

// Read the taxonomy once and build discovery filters from its entries
// instead of writing ids by hand. (The fake's taxonomy is made up; the
// real one has HypeAuditor's ids.)
func ExampleDiscoveryService_Taxonomy() {
	srv := hypeauditortest.NewServer(hypeauditortest.WithTimeScale(0.001))
	defer srv.Close()
	c, err := srv.NewClient()
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	tx, err := c.Discovery.Taxonomy(ctx)
	if err != nil {
		log.Fatal(err)
	}
	gaming, _ := tx.Instagram.Categories.Find("Gaming")
	cooking, _ := tx.Instagram.Interests.Find("Cooking")
	p := hypeauditor.SearchParams{
		Platform:  hypeauditor.Instagram,
		Category:  hypeauditor.IncludeTaxonomy(gaming),
		Interests: []hypeauditor.InterestFilter{cooking.Interest(15)},
	}
	fmt.Println("category", p.Category.Include, "interest", p.Interests[0].ID)
	page, err := c.Discovery.SearchSandbox(ctx, p) // free: try the filters

	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(len(page.Items()), "results on the first sandbox page")
	// Output:
	// category [1002] interest 1
	// 20 results on the first sandbox page
}
