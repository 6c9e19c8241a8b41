package engagecheck_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/creatorkit/creatorkit-go/engagecheck"
	"github.com/creatorkit/creatorkit-go/internal/fixture"
	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func ptr[T any](v T) *T { return &v }

// getBody serves body as GET /audits/142 and returns the client's audit.
func getBody(t *testing.T, body string, opts ...engagecheck.Option) *engagecheck.Audit {
	t.Helper()
	c, mt := newMockClient(t, opts...)
	mt.RegisterResponder("GET", base+"/audits/142", func(*http.Request) (*http.Response, error) {
		return httpmock.NewStringResponse(200, body), nil
	})
	a, err := c.Audits.Get(ctx, 142)
	require.NoError(t, err)
	return a
}

// Summary of the documented complete audit: every figure EngageCheck gives.
func TestAuditSummaryOnTheDocumentedAudit(t *testing.T) {
	t.Parallel()
	a := getBody(t, string(fixture.Load(t, "audit_complete.json")), engagecheck.WithStrictDecoding())
	assert.Equal(t, engagecheck.Summary{
		Source:         "engagecheck",
		Platform:       "instagram",
		Username:       "natgeo",
		DisplayName:    "National Geographic",
		Followers:      ptr(int64(280000000)),
		EngagementRate: ptr(3.1),
		Quality:        &engagecheck.Quality{Name: "AQS", Score: 88, Verdict: "green"},
	}, a.Summary())
	assert.Equal(t, engagecheck.QualityName, a.Summary().Quality.Name)
	s := a.Summary()
	assert.Nil(t, s.AvgLikes, "EngageCheck's report gives no averages")
	assert.Nil(t, s.AvgComments)
	assert.Empty(t, s.AudienceCountries, "EngageCheck gives no audience countries")
	assert.Empty(t, s.AudienceGenders)
	assert.Empty(t, s.AudienceAges)

	// The same audit decoded with encoding/json (no Raw) and the inline
	// submit answer give the same summary.
	var plain engagecheck.Audit
	require.NoError(t, json.Unmarshal(fixture.Load(t, "audit_complete.json"), &plain))
	assert.Equal(t, a.Summary(), plain.Summary())
	var inline engagecheck.Audit
	require.NoError(t, json.Unmarshal(fixture.Load(t, "audit_complete_inline.json"), &inline))
	assert.Equal(t, "natgeo", inline.Summary().Username)
	assert.Equal(t, ptr(3.1), inline.Summary().EngagementRate)
}

// A figure the audit does not carry is nil, never 0; a missing verdict
// falls back to the documented band; an AQS outside 0-100 is left out.
func TestAuditSummaryMissingValues(t *testing.T) {
	t.Parallel()
	doc := string(fixture.Load(t, "audit_complete.json"))
	mutate := func(old, new string) string {
		require.Contains(t, doc, old)
		return strings.Replace(doc, old, new, 1)
	}
	cases := []struct {
		name string
		body string
		want func(s engagecheck.Summary)
	}{
		{"followers null", mutate(`"followersCount": 280000000`, `"followersCount": null`), func(s engagecheck.Summary) {
			assert.Nil(t, s.Followers)
			assert.Equal(t, "National Geographic", s.DisplayName)
		}},
		{"followers absent", mutate(`"followersCount": 280000000,`, ``), func(s engagecheck.Summary) { assert.Nil(t, s.Followers) }},
		{"followers unreadable", mutate(`"followersCount": 280000000`, `"followersCount": "many"`), func(s engagecheck.Summary) { assert.Nil(t, s.Followers) }},
		{"followers zero", mutate(`"followersCount": 280000000`, `"followersCount": 0`), func(s engagecheck.Summary) { assert.Equal(t, ptr(int64(0)), s.Followers) }},
		{"engagement text without number", mutate(`"3.10% ER"`, `"n/a"`), func(s engagecheck.Summary) { assert.Nil(t, s.EngagementRate) }},
		{"engagement text with comma", mutate(`"3.10% ER"`, `"ER 3,25 %"`), func(s engagecheck.Summary) { assert.Equal(t, ptr(3.25), s.EngagementRate) }},
		{"no engagement signal", mutate(`"key": "engagement_rate"`, `"key": "growth_pattern"`), func(s engagecheck.Summary) { assert.Nil(t, s.EngagementRate) }},
		{"no verdict: the band", strings.ReplaceAll(doc, `"verdict": "green",`, ``), func(s engagecheck.Summary) {
			assert.Equal(t, &engagecheck.Quality{Name: "AQS", Score: 88, Verdict: "high quality"}, s.Quality)
		}},
		{"amber verdict", mutate(`"aqs": 88,
  "verdict": "green"`, `"aqs": 71,
  "verdict": "amber"`), func(s engagecheck.Summary) {
			assert.Equal(t, &engagecheck.Quality{Name: "AQS", Score: 71, Verdict: "amber"}, s.Quality)
		}},
		{"top aqs null: the report's", mutate(`"aqs": 88,
  "verdict": "green"`, `"aqs": null,
  "verdict": "green"`), func(s engagecheck.Summary) {
			assert.Equal(t, &engagecheck.Quality{Name: "AQS", Score: 88, Verdict: "green"}, s.Quality)
		}},
		{"aqs out of range", strings.ReplaceAll(doc, `"aqs": 88`, `"aqs": 880`), func(s engagecheck.Summary) { assert.Nil(t, s.Quality) }},
		{"no aqs anywhere", strings.ReplaceAll(doc, `"aqs": 88,`, ``), func(s engagecheck.Summary) { assert.Nil(t, s.Quality) }},
		{"no report", `{"id":142,"username":"natgeo","status":"analyzing"}`, func(s engagecheck.Summary) {
			assert.Equal(t, engagecheck.Summary{Source: "engagecheck", Platform: "instagram", Username: "natgeo"}, s)
		}},
		{"failed audit", `{"id":142,"username":"someprivate","status":"error","error_message":"Account is private."}`, func(s engagecheck.Summary) {
			assert.Equal(t, engagecheck.Summary{Source: "engagecheck", Platform: "instagram", Username: "someprivate"}, s)
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := getBody(t, tc.body).Summary()
			assert.Equal(t, "engagecheck", s.Source)
			assert.Equal(t, "instagram", s.Platform)
			tc.want(s)
		})
	}

	var none *engagecheck.Audit
	assert.Equal(t, engagecheck.Summary{Source: "engagecheck", Platform: "instagram"}, none.Summary())
	hand := &engagecheck.Audit{Username: "x", AQS: ptr(40.0), Report: &engagecheck.Report{Signals: []engagecheck.Signal{{Key: "engagement_rate", Value: "1.5% ER"}}}}
	assert.Equal(t, ptr(1.5), hand.Summary().EngagementRate, "a report built by hand: the signal is parsed on the fly")
	assert.Equal(t, &engagecheck.Quality{Name: "AQS", Score: 40, Verdict: "high risk"}, hand.Summary().Quality)
}

// The engagement rate is a number on every decoded report: strict,
// tolerant (beside a value that did not fit) and in webhook events.
func TestReportEngagementRateIsDecoded(t *testing.T) {
	t.Parallel()
	doc := string(fixture.Load(t, "audit_complete.json"))
	a := getBody(t, doc, engagecheck.WithStrictDecoding())
	require.NotNil(t, a.Report.EngagementRate)
	assert.Equal(t, 3.1, *a.Report.EngagementRate)
	assert.Equal(t, "3.10% ER", a.Report.Signal(engagecheck.SignalEngagementRate).Value, "the display text stays")

	drifted := getBody(t, strings.Replace(doc, `"postsCount": 29000`, `"postsCount": "lots"`, 1))
	require.Len(t, drifted.Response.DecodeIssues, 1)
	assert.Equal(t, "report.profile.postsCount", drifted.Response.DecodeIssues[0].Path)
	assert.Equal(t, ptr(3.1), drifted.Report.EngagementRate, "tolerant decoding sets it too")

	ev, err := engagecheck.ParseWebhookBody(fixture.Load(t, "webhook_audit_completed.json"))
	require.NoError(t, err)
	assert.Equal(t, ptr(3.1), ev.Report.EngagementRate)

	out, err := json.Marshal(a.Report)
	require.NoError(t, err)
	assert.NotContains(t, string(out), "EngagementRate", "not part of the body")
}

func TestParseEngagementRate(t *testing.T) {
	t.Parallel()
	cases := []struct {
		text string
		want float64
		ok   bool
	}{
		{"3.10% ER", 3.1, true},
		{"3.1%", 3.1, true},
		{"ER 3.10 %", 3.1, true},
		{"ER: 12%", 12, true},
		{"3,10% ER", 3.1, true},
		{"0.45% ER", 0.45, true},
		{"3.10", 3.1, true},
		{" 7 ", 7, true},
		{"", 0, false},
		{"n/a", 0, false},
		{"—", 0, false},
		{"-2% ER", 0, false},
	}
	for _, tc := range cases {
		got, ok := engagecheck.ParseEngagementRate(tc.text)
		assert.Equal(t, tc.ok, ok, tc.text)
		assert.InDelta(t, tc.want, got, 1e-9, tc.text)
	}
}

// A completed event summarizes like its audit; a failed one carries only
// the handle.
func TestWebhookEventSummary(t *testing.T) {
	t.Parallel()
	ev, err := engagecheck.ParseWebhookBody(fixture.Load(t, "webhook_audit_completed.json"))
	require.NoError(t, err)
	a := getBody(t, string(fixture.Load(t, "audit_complete.json")))
	assert.Equal(t, a.Summary(), ev.Summary())

	ev, err = engagecheck.ParseWebhookBody(fixture.Load(t, "webhook_audit_failed.json"))
	require.NoError(t, err)
	assert.Equal(t, engagecheck.Summary{Source: "engagecheck", Platform: "instagram", Username: ev.Username}, ev.Summary())
	var none *engagecheck.WebhookEvent
	assert.Equal(t, "engagecheck", none.Summary().Source)
}
