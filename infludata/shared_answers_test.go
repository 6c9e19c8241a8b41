package infludata_test

import (
	"context"
	"encoding/json"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"github.com/creatorkit/creatorkit-go/infludata"
	"github.com/creatorkit/creatorkit-go/internal/fixture"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Every answer of ../shared/fixtures/infludata/ (skipped where that folder
// is absent) that answers a call the SDK has is served through a real
// client by that call: no error, no decode issue, no leaf of the answer
// lost when the result is encoded again, and every non-null leaf in a
// typed field (go test -run SharedAnswers -v ./infludata/ logs the
// figures). Among them, two older README versions: the checkDataStatus
// answer of 2025-07-15 with profilePictureUrl, and the first getContent
// draft with _index, score, keywords and limit 100.
func TestSharedAnswersThroughClient(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	type result struct {
		v    any
		meta *infludata.ResponseMeta
	}
	status := func(c *infludata.Client) (result, error) {
		d, err := c.Profiles.CheckStatus(ctx, infludata.DataStatusParams{Platform: infludata.Instagram, Username: "example_user"})
		if err != nil {
			return result{}, err
		}
		return result{d, d.Response}, nil
	}
	content := func(c *infludata.Client) (result, error) {
		p, err := c.Content.Get(ctx, infludata.ContentParams{Limit: 100})
		if err != nil {
			return result{}, err
		}
		return result{p, p.Response}, nil
	}
	calls := map[string]struct {
		path string
		call func(c *infludata.Client) (result, error)
	}{
		"data_status.json":                                {"checkDataStatus", status},
		"data_status_not_in_database.json":                {"checkDataStatus", status},
		"readme_3fd73da_data_status_profile_picture.json": {"checkDataStatus", status},
		"content_cursor.json":                             {"getContent", content},
		"content_legacy_audience.json":                    {"getContent", content},
		"content_legacy_elided.json":                      {"getContent", content},
		"readme_0d7ffba_content_legacy_v0.json":           {"getContent", content},
		"bulk_add_to_enrich.json": {"bulkAddToEnrich", func(c *infludata.Client) (result, error) {
			r, err := c.Enrichment.Add(ctx, infludata.EnrichParams{Platform: infludata.Instagram, Usernames: []string{"cristiano", "invaliduser"}, UserIDs: []string{"123456789"}})
			if err != nil {
				return result{}, err
			}
			return result{r, r.Response}, nil
		}},
		"client_info.json": {"getClientInfo", func(c *infludata.Client) (result, error) {
			ci, err := c.Account.Get(ctx, infludata.ClientInfoParams{})
			if err != nil {
				return result{}, err
			}
			return result{ci, ci.Response}, nil
		}},
		"cities_germany.json": {"getCitiesForCountry", func(c *infludata.Client) (result, error) {
			l, err := c.Discovery.Cities(ctx, infludata.CitiesParams{Country: "Germany"})
			if err != nil {
				return result{}, err
			}
			return result{l, l.Response}, nil
		}},
	}
	// Not answers of a successful call: an error body (served as a 403 in
	// TestPublishedInsufficientTokens) and request bodies
	// (TestREADMEEnrichRequestBodies).
	notAnswers := map[string]bool{"error_insufficient_tokens.json": true,
		"readme_3fd73da_bulk_add_request_addAlsoToWeeklyEnrich.json": true, "readme_c5ccc0d_bulk_add_request.json": true}

	files, err := filepath.Glob(filepath.Join(fixture.SharedDir(t, "infludata"), "*.json"))
	require.NoError(t, err)
	require.NotEmpty(t, files)
	for _, f := range files {
		name := filepath.Base(f)
		if notAnswers[name] {
			continue
		}
		tc, ok := calls[name]
		require.True(t, ok, "the shared answer %s has no call in this test", name)
		t.Run(strings.TrimSuffix(name, ".json"), func(t *testing.T) {
			body := fixture.Shared(t, "infludata", name)
			c, mt, rec := mock(t)
			method := http.MethodGet
			if tc.path == "bulkAddToEnrich" {
				method = http.MethodPost
			}
			mt.RegisterResponder(method, base+"/"+tc.path, reply(t, rec, 200, fixture.SharedPrefix+name))
			r, err := tc.call(c)
			require.NoError(t, err)
			assert.Len(t, rec.all(), 1)
			assert.Empty(t, r.meta.DecodeIssues)
			again, err := json.Marshal(r.v)
			require.NoError(t, err)
			assert.Empty(t, fixture.LostLeaves(body, again), "leaves lost")
			covered, total, missing := fixture.TypedCoverage(body, r.v)
			t.Logf("typed coverage %s: %d/%d non-null leaves", name, covered, total)
			assert.Equal(t, total, covered, "not typed: %v", missing)
		})
	}
}

// The README of 2025-07-15 sends the creator's profile picture with the
// data status; later versions do not.
func TestDataStatusProfilePicture(t *testing.T) {
	t.Parallel()
	c, mt, rec := mock(t)
	mt.RegisterResponder(http.MethodGet, base+"/checkDataStatus", reply(t, rec, 200, "shared:readme_3fd73da_data_status_profile_picture.json"))
	d, err := c.Profiles.CheckStatus(context.Background(), infludata.DataStatusParams{Platform: infludata.Instagram, Username: "example_user"})
	require.NoError(t, err)
	assert.Equal(t, "https://...", d.ProfilePictureURL)
	assert.True(t, d.AudienceReady())
	assert.Equal(t, "507f1f77bcf86cd799439011", d.CreatorID)
	out, err := json.Marshal(d)
	require.NoError(t, err)
	assert.Contains(t, string(out), `"profilePictureUrl":"https://..."`)
}
