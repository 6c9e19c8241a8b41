package hypeauditor

import (
	"encoding/json"
	"testing"

	"github.com/creatorkit/creatorkit-go/internal/fixture"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// roundTripFixtures checks that each model round-trips its fixture
// without losing a field, and logs the typed coverage of each.
func roundTripFixtures(t *testing.T, cases map[string]func() any) {
	for name, newV := range cases {
		t.Run(name, func(t *testing.T) {
			data := fixture.Load(t, name)
			v := newV()
			fixture.RoundTrip(t, data, v)
			covered, total, missing := fixture.TypedCoverage(data, v)
			t.Logf("coverage %s: %.2f%% (%d/%d non-null leaves typed); not typed: %v", name, 100*fixture.Ratio(covered, total), covered, total, missing)
		})
	}
}

func TestExportModelsRoundTripFixtures(t *testing.T) {
	t.Parallel()
	roundTripFixtures(t, map[string]func() any{
		"pdf_ready.json":         func() any { return &envelope[ReportPDF]{} },
		"pdf_not_ready.json":     func() any { return &envelope[ReportPDF]{} },
		"instagram_history.json": func() any { return &envelope[MetricsHistory]{} },
		"brand_mentions.json":    func() any { return &envelope[BrandMentions]{} },
		"youtube_media.json":     func() any { return &envelope[YouTubeMediaPage]{} },
	})
}

// The PDF state: a made PDF is ready; a retryTtl, a 202 or a READY
// report_state without pdfUrl is not ready; an unavailable state stays.
func TestReportPDFStates(t *testing.T) {
	t.Parallel()
	cases := []struct {
		body   string
		status int
		want   ReportState
	}{
		{`{"pdfUrl": "https://x/y.pdf"}`, 200, StateReady},
		{`{"retryTtl": 30}`, 200, StateNotReady},
		{`{}`, 202, StateNotReady},
		{`{"report_state": "READY"}`, 200, StateNotReady},
		{`{"report_state": "PRIVATE"}`, 403, StatePrivate},
	}
	for _, tc := range cases {
		var p ReportPDF
		require.NoError(t, json.Unmarshal([]byte(tc.body), &p))
		p.setMeta(nil, &ResponseMeta{StatusCode: tc.status})
		assert.Equal(t, tc.want, p.status().State, tc.body)
		assert.Equal(t, tc.want == StateReady, p.Ready(), tc.body)
		assert.Equal(t, tc.want == StateNotReady, p.NotReady(), tc.body)
	}
}
