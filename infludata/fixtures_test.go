package infludata_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/creatorkit/creatorkit-go/infludata"
	"github.com/creatorkit/creatorkit-go/internal/fixture"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestFixturesRoundTrip decodes every response fixture into its model and
// re-encodes it: a documented member that is lost or changed fails.
func TestFixturesRoundTrip(t *testing.T) {
	t.Parallel()
	models := map[string]func() any{
		"create_trial_key.json":               func() any { return new(infludata.TrialCode) },
		"verify_trial_key.json":               func() any { return new(infludata.TrialKey) },
		"data_status.json":                    func() any { return new(infludata.DataStatus) },
		"data_status_full.json":               func() any { return new(infludata.DataStatus) },
		"data_status_not_in_database.json":    func() any { return new(infludata.DataStatus) },
		"data_status_no_audience.json":        func() any { return new(infludata.DataStatus) },
		"data_status_legacy_ready.json":       func() any { return new(infludata.DataStatus) },
		"data_status_legacy_not_ready.json":   func() any { return new(infludata.DataStatus) },
		"data_status_legacy_not_found.json":   func() any { return new(infludata.DataStatus) },
		"data_status_legacy_bad_request.json": func() any { return new(infludata.DataStatus) },
		"bulk_add_to_enrich.json":             func() any { return new(infludata.EnrichResult) },
		"bulk_add_to_enrich_partial.json":     func() any { return new(infludata.EnrichResult) },
		"discovery.json":                      func() any { return new(infludata.SearchPage) },
		"content_cursor.json":                 func() any { return new(infludata.ContentPage) },
		"content_legacy.json":                 func() any { return new(infludata.ContentPage) },
		"client_info.json":                    func() any { return new(infludata.ClientInfo) },
		"client_info_packages.json":           func() any { return new(infludata.ClientInfo) },
		"cities.json":                         func() any { return new(infludata.CityList) },
		"user_data.json":                      func() any { return new(infludata.Profile) },
		"user_data_queued.json":               func() any { return new(infludata.Profile) },
		"user_data_processing.json":           func() any { return new(infludata.Profile) },
		"error_403_insufficient_tokens.json":  nil, // error bodies: see errors_test.go
		"error_403_insufficient_balance.json": nil,
		"error_403_not_enabled.json":          nil,
		"error_400.json":                      nil,
		"error_401.json":                      nil,
		"error_404.json":                      nil,
		"error_429_quota.json":                nil,
		"error_429_burst.json":                nil,
		"error_500.json":                      nil,
		"error_409_trial_issued.json":         nil,
		"error_401_wrong_code.json":           nil,
		"error_410_code_expired.json":         nil,
		"error_404_no_pending.json":           nil,
		"error_503_signup_caps.json":          nil,
	}
	files, err := filepath.Glob("testdata/*.json")
	require.NoError(t, err)
	for _, f := range files {
		name := filepath.Base(f)
		mk, ok := models[name]
		require.True(t, ok, "fixture %s has no model in this test", name)
		roundTrip(t, name, mk)
	}
	readme, err := os.ReadFile("testdata/README.md")
	require.NoError(t, err)
	for _, f := range files {
		base := strings.TrimSuffix(filepath.Base(f), ".json")
		named := strings.Contains(string(readme), "`"+base+".json`")
		for _, prefix := range []string{"data_status_legacy_"} {
			named = named || (strings.HasPrefix(base, prefix) && strings.Contains(string(readme), prefix+"*"))
		}
		assert.True(t, named, "testdata/README.md does not name %s", base)
	}
}

// TestSharedSamplesRoundTrip does the same for every JSON file of
// ../shared/fixtures/infludata/ (influData's README samples, never copied
// into the project; skipped where that folder is absent).
func TestSharedSamplesRoundTrip(t *testing.T) {
	t.Parallel()
	models := map[string]func() any{
		"content_legacy_audience.json":                               func() any { return new(infludata.ContentPage) },
		"content_cursor.json":                                        func() any { return new(infludata.ContentPage) },
		"content_legacy_elided.json":                                 func() any { return new(infludata.ContentPage) },
		"readme_0d7ffba_content_legacy_v0.json":                      func() any { return new(infludata.ContentPage) },
		"data_status.json":                                           func() any { return new(infludata.DataStatus) },
		"data_status_not_in_database.json":                           func() any { return new(infludata.DataStatus) },
		"readme_3fd73da_data_status_profile_picture.json":            func() any { return new(infludata.DataStatus) },
		"bulk_add_to_enrich.json":                                    func() any { return new(infludata.EnrichResult) },
		"client_info.json":                                           func() any { return new(infludata.ClientInfo) },
		"cities_germany.json":                                        func() any { return new(infludata.CityList) },
		"error_insufficient_tokens.json":                             nil, // error body: TestPublishedInsufficientTokens
		"readme_3fd73da_bulk_add_request_addAlsoToWeeklyEnrich.json": nil, // request bodies: enrich_examples_test.go
		"readme_c5ccc0d_bulk_add_request.json":                       nil,
	}
	files, err := filepath.Glob(filepath.Join(fixture.SharedDir(t, "infludata"), "*.json"))
	require.NoError(t, err)
	require.NotEmpty(t, files)
	for _, f := range files {
		name := filepath.Base(f)
		mk, ok := models[name]
		require.True(t, ok, "shared fixture %s has no model in this test", name)
		roundTrip(t, fixture.SharedPrefix+name, mk)
	}
}

// roundTrip decodes the fixture name (see fixture.Named) into mk's model
// and re-encodes it: nothing may be lost or changed, and nothing added
// unless addsMembers says why. A nil mk only checks that it is JSON.
func roundTrip(t *testing.T, name string, mk func() any) {
	t.Helper()
	if mk == nil {
		require.True(t, json.Valid(fixture.Named(t, "infludata", name)), name)
		return
	}
	t.Run(strings.TrimSuffix(name, ".json"), func(t *testing.T) {
		orig := fixture.Named(t, "infludata", name)
		if why, ok := addsMembers[name]; ok {
			// Nothing may be lost; the re-encoding adds members
			// the sample leaves out.
			v := mk()
			require.NoError(t, json.Unmarshal(orig, v))
			again, err := json.Marshal(v)
			require.NoError(t, err)
			assert.Empty(t, fixture.LostLeaves(orig, again), why)
			return
		}
		fixture.RoundTrip(t, orig, mk())
	})
}

// addsMembers are samples whose re-encoding adds members they leave out:
// the models' non-pointer fields are written even when absent.
var addsMembers = map[string]string{
	"shared:bulk_add_to_enrich.json":    "a userId row has no isNewUser (documented for usernames only); EnrichedCreator writes false",
	"shared:content_legacy_elided.json": "the item keeps only _id; ContentItem writes its metrics as 0",
}

func decode[T any](t *testing.T, name string) *T {
	t.Helper()
	v := new(T)
	require.NoError(t, json.Unmarshal(fixture.Named(t, "infludata", name), v))
	return v
}

func TestDataStatusShapes(t *testing.T) {
	t.Parallel()
	cases := []struct {
		file                   string
		legacy, inDB, audience bool
		describe               string
	}{
		{"data_status.json", false, true, true, "in database, audience data ready"},
		{"data_status_full.json", false, true, true, "in database, audience data ready"},
		{"data_status_no_audience.json", false, true, false, "in database, audience data not ready yet"},
		{"data_status_not_in_database.json", false, false, false, "not in database yet, being processed"},
		{"data_status_legacy_ready.json", true, true, true, "status READY"},
		{"data_status_legacy_not_ready.json", true, true, false, "status NOT READY"},
		{"data_status_legacy_not_found.json", true, false, false, "status NOT FOUND"},
	}
	for _, c := range cases {
		d := decode[infludata.DataStatus](t, c.file)
		assert.Equal(t, c.legacy, d.Legacy(), c.file)
		assert.Equal(t, c.inDB, d.InDatabase(), c.file)
		assert.Equal(t, c.audience, d.AudienceReady(), c.file)
		assert.Equal(t, c.describe, d.Describe(), c.file)
	}
	d := decode[infludata.DataStatus](t, "data_status.json")
	assert.Equal(t, time.Date(2026, 6, 10, 10, 30, 0, 0, time.UTC), d.LastRefreshDate.UTC())
	assert.EqualValues(t, 125000000, *d.Followers)
	n := decode[infludata.DataStatus](t, "data_status_no_audience.json")
	assert.Nil(t, n.LastAudienceDataRefresh, "null lastAudienceDataRefresh")
}

func TestModelsDecode(t *testing.T) {
	t.Parallel()
	p := decode[infludata.Profile](t, "user_data.json")
	assert.Equal(t, "adidas", p.Username)
	assert.True(t, p.HasAudienceReport())
	assert.JSONEq(t, `{"profileScore":91.5,"engagementScore":62.3}`, string(p.Scores))
	assert.Contains(t, p.Extra, "bio", "undocumented members land in Extra")
	assert.Contains(t, p.Extra, "datalog")
	assert.NotContains(t, p.Extra, "username")
	assert.EqualValues(t, 0.4, *p.EngagementMean)

	q := decode[infludata.Profile](t, "user_data_queued.json")
	assert.False(t, q.HasAudienceReport())
	assert.Contains(t, q.Message, "queued")
	var s infludata.Profile
	require.NoError(t, json.Unmarshal([]byte(`"queued for enrichment"`), &s))
	assert.Equal(t, "queued for enrichment", s.Message, "a bare string body is kept as the message")

	pg := decode[infludata.ContentPage](t, "content_cursor.json")
	assert.False(t, pg.Legacy)
	require.Len(t, pg.Items, 1)
	assert.Equal(t, "eyJwaXRJZCI6...", pg.NextCursor)
	assert.Equal(t, "65abc123def456789", pg.Watermark.LastID)
	assert.Equal(t, 100, *pg.TokensDeducted)
	assert.InDelta(t, 7.45, pg.Items[0].EngagementPercent(), 1e-9, "engagementRate is a fraction")

	lg := decode[infludata.ContentPage](t, "content_legacy.json")
	assert.True(t, lg.Legacy)
	require.Len(t, lg.Items, 1)
	assert.Equal(t, 15842, *lg.Count)
	assert.InDelta(t, 76.5, lg.Items[0].AudienceGender["female"], 1e-9)

	sp := decode[infludata.SearchPage](t, "discovery.json")
	assert.Equal(t, 1842, sp.Count)
	assert.InDelta(t, 4.2, *sp.Users[0].EngagementMean, 1e-9, "engagementMean is a percentage")
	next, more := sp.Next()
	assert.Equal(t, 20, next)
	assert.False(t, more, "a short page is the last")

	ci := decode[infludata.ClientInfo](t, "client_info_packages.json")
	assert.Equal(t, time.Date(2025, 4, 21, 0, 0, 0, 0, time.UTC), ci.Reports[0].ExpirationDate.UTC(), "date-only strings")

	cl := decode[infludata.CityList](t, "cities.json")
	assert.Equal(t, []string{"Berlin", "Munich", "Hamburg", "Cologne", "Frankfurt am Main"}, cl.Cities)
	var obj infludata.CityList
	require.NoError(t, json.Unmarshal([]byte(`{"cities":["Paris"]}`), &obj))
	assert.Equal(t, []string{"Paris"}, obj.Cities)

	k := decode[infludata.TrialKey](t, "verify_trial_key.json")
	assert.Equal(t, "your-trial-api-key", k.APIKey)
	assert.Equal(t, 2, k.RateLimit.PerSecond)
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q"} {
		assert.NotContains(t, fmt.Sprintf(verb, k), "your-trial-api-key", verb)
		assert.NotContains(t, fmt.Sprintf(verb, *k), "your-trial-api-key", verb)
		assert.Contains(t, fmt.Sprintf(verb, k), "trial-aB3xK9pQz1", verb)
	}
}
