package infludata_test

import (
	"context"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/creatorkit/creatorkit-go/infludata"
	"github.com/creatorkit/creatorkit-go/internal/fixture"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fullSamples are the fixtures that are complete response bodies influData
// published: the "shared:" ones from the vendor's GitHub README, read from
// ../shared/fixtures/infludata/ (its README names each source; skipped
// where that folder is absent), and the seed's examples in testdata. Each decodes
// strictly into its model, re-encodes with no leaf lost, and has its typed
// coverage logged (go test -run FullSamples -v ./infludata/).
var fullSamples = []struct {
	file string
	newV func() any
	min  float64 // minimum typed coverage of non-null leaves
}{
	{"shared:content_legacy_audience.json", func() any { return new(infludata.ContentPage) }, 1},
	{"shared:content_cursor.json", func() any { return new(infludata.ContentPage) }, 1},
	{"shared:content_legacy_elided.json", func() any { return new(infludata.ContentPage) }, 1},
	{"shared:data_status.json", func() any { return new(infludata.DataStatus) }, 1},
	{"shared:data_status_not_in_database.json", func() any { return new(infludata.DataStatus) }, 1},
	{"shared:bulk_add_to_enrich.json", func() any { return new(infludata.EnrichResult) }, 1},
	{"shared:client_info.json", func() any { return new(infludata.ClientInfo) }, 1},
	{"shared:cities_germany.json", func() any { return new(infludata.CityList) }, 1},
	{"discovery.json", func() any { return new(infludata.SearchPage) }, 1},
	{"content_cursor.json", func() any { return new(infludata.ContentPage) }, 1},
	{"data_status.json", func() any { return new(infludata.DataStatus) }, 1},
	{"bulk_add_to_enrich.json", func() any { return new(infludata.EnrichResult) }, 1},
	{"client_info.json", func() any { return new(infludata.ClientInfo) }, 1},
	{"cities.json", func() any { return new(infludata.CityList) }, 1},
	{"create_trial_key.json", func() any { return new(infludata.TrialCode) }, 1},
	{"verify_trial_key.json", func() any { return new(infludata.TrialKey) }, 1},
}

func TestFullSamplesLoseNothing(t *testing.T) {
	t.Parallel()
	for _, tc := range fullSamples {
		t.Run(tc.file, func(t *testing.T) {
			orig := fixture.Named(t, "infludata", tc.file)
			v := tc.newV()
			require.NoError(t, json.Unmarshal(orig, v), "strict decoding")
			again, err := json.Marshal(v)
			require.NoError(t, err)
			assert.Empty(t, fixture.LostLeaves(orig, again), "leaves lost or changed by decode + encode")
			covered, total, missing := fixture.TypedCoverage(orig, v)
			ratio := fixture.Ratio(covered, total)
			t.Logf("coverage %s: %.1f%% (%d/%d)", tc.file, 100*ratio, covered, total)
			require.Positive(t, total)
			assert.GreaterOrEqual(t, ratio, tc.min, "typed coverage; not typed: %v", missing)
		})
	}
}

// The published samples' values reach the typed fields.
func TestPublishedValues(t *testing.T) {
	t.Parallel()
	lg := decode[infludata.ContentPage](t, "shared:content_legacy_audience.json")
	assert.True(t, lg.Legacy)
	require.Len(t, lg.Items, 1)
	it := lg.Items[0]
	assert.Equal(t, "65abc123def456789", it.ID)
	assert.Equal(t, "contentdata_v0.2", it.Index)
	assert.Equal(t, 95.5, *it.Score)
	assert.Equal(t, infludata.ContentReel, it.ContentType)
	assert.Equal(t, time.Date(2024, 1, 15, 10, 30, 0, 0, time.UTC), it.Uploaded.UTC())
	assert.EqualValues(t, 156, *it.Shares)
	assert.EqualValues(t, 890, *it.Following)
	assert.Equal(t, []string{"brandname"}, it.BrandMentions)
	assert.Equal(t, map[string]float64{"male": 23.5, "female": 76.5}, it.AudienceGender)
	assert.Equal(t, 5.5, it.AudienceAge["45+"])
	assert.Equal(t, map[string]float64{"DE": 45.2, "AT": 12.3, "CH": 8.7, "US": 5.4, "Other": 28.4}, it.AudienceCountries)
	assert.Equal(t, 15842, *lg.Count)
	assert.Equal(t, 4990, *lg.TokensRemaining)

	cur := decode[infludata.ContentPage](t, "shared:content_cursor.json")
	assert.False(t, cur.Legacy)
	assert.Equal(t, "eyJwaXRJZCI6IkZHbHVZ...", cur.NextCursor)
	assert.Equal(t, "65abc123def456789", cur.Watermark.LastID)
	assert.Equal(t, time.Date(2025, 1, 15, 10, 30, 0, 0, time.UTC), cur.Watermark.CreatedAtMax.UTC())
	assert.Equal(t, 1000, *cur.TokensDeducted)
	assert.Equal(t, "<b>fashion</b> <b>style</b> outfit berlin streetstyle", cur.Items[0].Keywords)

	el := decode[infludata.ContentPage](t, "shared:content_legacy_elided.json")
	require.Len(t, el.Items, 1)
	assert.Equal(t, "65abc123def456789", el.Items[0].ID)

	ds := decode[infludata.DataStatus](t, "shared:data_status.json")
	assert.True(t, ds.AudienceReady())
	assert.Equal(t, "507f1f77bcf86cd799439011", ds.CreatorID)
	assert.EqualValues(t, 180, *ds.TimelineDatapoints)
	assert.Equal(t, time.Date(2024, 1, 19, 8, 0, 0, 0, time.UTC), ds.LastAudienceDataRefresh.UTC())
	nd := decode[infludata.DataStatus](t, "shared:data_status_not_in_database.json")
	assert.False(t, nd.InDatabase())
	assert.Equal(t, "not in database yet, being processed", nd.Describe())

	bulk := decode[infludata.EnrichResult](t, "shared:bulk_add_to_enrich.json")
	require.Len(t, bulk.Processed, 2)
	assert.Equal(t, infludata.TypeUserID, bulk.Processed[1].Type)
	assert.Equal(t, "leomessi", bulk.Processed[1].Username)
	require.Len(t, bulk.Failed, 1)
	assert.Equal(t, "Invalid username format", bulk.Failed[0].Error)
	assert.Equal(t, infludata.EnrichSummary{Total: 10, ExistingInDatabase: 8, NewlyAdded: 1, AddedToInstant: 9, AddedToWeekly: 8, Failed: 1}, bulk.Summary)

	ci := decode[infludata.ClientInfo](t, "shared:client_info.json")
	assert.Equal(t, "your_client_id", ci.ClientID)
	assert.Equal(t, 1250, ci.ReportsLeft)
	require.Len(t, ci.Reports, 1)
	assert.Equal(t, "starter", ci.Reports[0].Package)
	assert.Equal(t, time.Date(2025, 3, 21, 0, 0, 0, 0, time.UTC), ci.LastUsed.UTC())

	cl := decode[infludata.CityList](t, "shared:cities_germany.json")
	assert.Len(t, cl.Cities, 10)
	assert.Equal(t, "Düsseldorf", cl.Cities[6])
	assert.Equal(t, "Leipzig", cl.Cities[9])
}

// The published INSUFFICIENT_TOKENS body, served as influData's 403.
func TestPublishedInsufficientTokens(t *testing.T) {
	t.Parallel()
	c, mt, rec := mock(t)
	mt.RegisterResponder("GET", base+"/getUserData", reply(t, rec, 403, "shared:error_insufficient_tokens.json"))
	err := getAdidas(context.Background(), c)
	var e *infludata.Error
	require.True(t, errors.As(err, &e))
	assert.ErrorIs(t, err, infludata.ErrQuotaExceeded)
	assert.NotErrorIs(t, err, infludata.ErrForbidden, "a spent quota is ErrQuotaExceeded only")
	assert.Equal(t, infludata.CodeInsufficientTokens, infludata.CodeOf(err))
	assert.Equal(t, "Not enough tokens to complete request", e.Message)
	assert.JSONEq(t, `{"required":20,"available":5}`, string(e.Details))
	assert.Len(t, rec.all(), 1, "never retried")
}
