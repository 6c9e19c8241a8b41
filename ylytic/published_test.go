package ylytic_test

import (
	"encoding/json"
	"testing"

	"github.com/creatorkit/creatorkit-go/internal/fixture"
	"github.com/creatorkit/creatorkit-go/ylytic"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// answers are the fixtures that are whole answers, with their models and
// what a model may keep untyped (testdata/README.md names each source).
var answers = []struct {
	file    string
	newV    func() any
	untyped string
}{
	{"creators_add.json", func() any { return &ylytic.Ack{} }, ""},
	{"creators_status.json", func() any { return &ylytic.CreatorsStatus{} }, ""},
	{"rt_tracking.json", func() any { return &ylytic.Tracking{} }, ""},
	{"rt_tracking_spaced_key.json", func() any { return &ylytic.Tracking{} }, ""},
	{"data_refresh_pending.json", func() any { return &ylytic.RefreshRequest{} }, ""},
	{"data_refresh_completed.json", func() any { return &ylytic.RefreshRequest{} }, "response (RefreshRequest.Data): documented only in part, kept as sent"},
	{"data_refresh_failed.json", func() any { return &ylytic.RefreshRequest{} }, "response (RefreshRequest.Data): undocumented, kept as sent"},
	{"shortlink_create.json", func() any { return &ylytic.ShortLink{} }, ""},
	{"shortlink_insights.json", func() any { return &ylytic.ShortLinkInsights{} }, ""},
	{"shopify_connect.json", func() any { return &ylytic.Ack{} }, ""},
	{"campaign_shortlinks.json", func() any { return &ylytic.Ack{} }, ""},
}

// Every answer decodes strictly (encoding/json into the model must
// succeed), re-encodes with no leaf lost and no value added, and has
// every non-null leaf in a typed field. The figures are logged: go test
// -run Answers -v.
func TestAnswersLoseNothing(t *testing.T) {
	t.Parallel()
	for _, tc := range answers {
		t.Run(tc.file, func(t *testing.T) {
			t.Parallel()
			orig := load(t, tc.file)
			v := tc.newV()
			fixture.RoundTrip(t, orig, v)
			again, err := json.Marshal(v)
			require.NoError(t, err)
			assert.Empty(t, fixture.LostLeaves(orig, again), "leaves lost or changed by decode + encode")

			covered, total, missing := fixture.TypedCoverage(orig, v)
			t.Logf("coverage %s: %.1f%% (%d/%d non-null leaves)", tc.file, 100*fixture.Ratio(covered, total), covered, total)
			require.Positive(t, total)
			if tc.untyped != "" {
				t.Logf("not typed: %v: %s", missing, tc.untyped)
				return
			}
			assert.Empty(t, missing, "documented values that reach no typed field")
		})
	}
}

// The request fixtures round-trip through the params the SDK sends.
func TestRequestFixturesRoundTrip(t *testing.T) {
	t.Parallel()
	for name, newV := range map[string]func() any{
		"creators_add_request.json":        func() any { return &ylytic.AddCreatorsParams{} },
		"creators_status_request.json":     func() any { return &ylytic.CreatorsStatusParams{} },
		"data_refresh_request.json":        func() any { return &ylytic.RefreshParams{} },
		"shortlink_create_request.json":    func() any { return &ylytic.CreateShortLinkParams{} },
		"shopify_connect_request.json":     func() any { return &ylytic.ConnectShopParams{} },
		"campaign_shortlinks_request.json": func() any { return &ylytic.UpdateShortLinksParams{} },
	} {
		fixture.RoundTrip(t, load(t, name), newV())
	}
}

// The fixtures through the real client, strictly: no value is a
// DecodeIssue.
func TestAnswersThroughTheStrictClient(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t, ylytic.WithStrictDecoding())
	mt.RegisterResponder("POST", dashBase+"/ylytic/api/v1/rt_tracking/creators", respond(200, load(t, "rt_tracking.json")))
	mt.RegisterResponder("GET", dashBase+"/ylytic/api/v1/data_refresh/requests/r1", respond(200, load(t, "data_refresh_completed.json")))
	mt.RegisterResponder("GET", insBase+"/ylytic/admin/api/v1/shortlinks/l1/insights", respond(200, load(t, "shortlink_insights.json")))
	tr, err := c.Tracking.Create(ctx, ylytic.TrackingParams{Platform: ylytic.Instagram, Handle: "kavya.cooks"})
	require.NoError(t, err)
	assert.Empty(t, tr.Response.DecodeIssues)
	r, err := c.Refresh.Get(ctx, "r1")
	require.NoError(t, err)
	assert.Empty(t, r.Response.DecodeIssues)
	in, err := c.ShortLinks.Insights(ctx, "l1")
	require.NoError(t, err)
	assert.Empty(t, in.Response.DecodeIssues)
}

// WithStrictDecoding turns what the tolerant decoder lists into an error
// that costs one request.
func TestStrictDecodingRefusesDrift(t *testing.T) {
	t.Parallel()
	var doc map[string]any
	require.NoError(t, json.Unmarshal(load(t, "shortlink_insights.json"), &doc))
	doc["analytics"].(map[string]any)["clicks"] = "many"
	body := mustJSON(t, doc)

	lenient, mt := newMockClient(t)
	mt.RegisterResponder("GET", insBase+"/ylytic/admin/api/v1/shortlinks/l1/insights", respond(200, body))
	in, err := lenient.ShortLinks.Insights(ctx, "l1")
	require.NoError(t, err)
	require.Len(t, in.Response.DecodeIssues, 1)
	assert.Equal(t, "analytics.clicks", in.Response.DecodeIssues[0].Path)
	assert.Equal(t, ylytic.Int(3), in.Analytics.Users, "the rest is kept")

	strict, mt := newMockClient(t, ylytic.WithStrictDecoding())
	mt.RegisterResponder("GET", insBase+"/ylytic/admin/api/v1/shortlinks/l1/insights", respond(200, body))
	_, err = strict.ShortLinks.Insights(ctx, "l1")
	require.ErrorIs(t, err, ylytic.ErrUnexpectedResponse)
	assert.Contains(t, err.Error(), "analytics.clicks")
	assert.Equal(t, 1, mt.GetTotalCallCount())
}

// Realtime tracking's cron expression is read under both spellings and
// re-encoded under the one it came with; cron_expression wins when both
// are sent.
func TestTrackingCronKeySpellings(t *testing.T) {
	t.Parallel()
	var tr ylytic.Tracking
	require.NoError(t, json.Unmarshal([]byte(`{"connector":"instagram","handle":"a","cron expression":"0 1 * * *"}`), &tr))
	assert.Equal(t, "0 1 * * *", tr.CronExpression)
	out := mustJSON(t, tr)
	assert.Contains(t, string(out), `"cron expression":"0 1 * * *"`)
	assert.NotContains(t, string(out), `"cron_expression"`)

	tr.CronExpression = "0 2 * * *"
	assert.Contains(t, string(mustJSON(t, tr)), `"cron expression":"0 2 * * *"`, "an edited value keeps the name it came with")

	var both ylytic.Tracking
	require.NoError(t, json.Unmarshal([]byte(`{"cron_expression":"0 3 * * *","cron expression":"0 4 * * *"}`), &both))
	assert.Equal(t, "0 3 * * *", both.CronExpression)

	var bad ylytic.Tracking
	assert.Error(t, json.Unmarshal([]byte(`{"cron expression":7}`), &bad), "strict decoding refuses a number")
	issues := 0
	c, mt := newMockClient(t)
	mt.RegisterResponder("POST", dashBase+"/ylytic/api/v1/rt_tracking/creators", respond(200, []byte(`{"connector":"instagram","handle":"a","tracking":true,"cron expression":7}`)))
	got, err := c.Tracking.Create(ctx, ylytic.TrackingParams{Platform: ylytic.Instagram, Handle: "a"})
	require.NoError(t, err)
	for _, is := range got.Response.DecodeIssues {
		if is.Path == "cron expression" {
			issues++
		}
	}
	assert.Equal(t, 1, issues, "%v", got.Response.DecodeIssues)
	assert.True(t, got.Tracking)
}

// The refresh states and their readers.
func TestRefreshStates(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		msg                          string
		code                         int64
		pending, done, failed, succe bool
	}{
		{"pending", 201, true, false, false, false},
		{"PENDING", 201, true, false, false, false},
		{"completed", 200, false, true, false, true},
		{"success", 200, false, true, false, true},
		{"failed", 404, false, true, true, false},
		{"error", 200, false, true, true, false},
		{"completed", 500, false, true, true, false},
		{"", 0, false, false, false, false},
	} {
		r := &ylytic.RefreshRequest{Status: ylytic.RefreshStatus{Message: ylytic.RefreshState(tc.msg), Code: ylytic.Int(tc.code)}}
		assert.Equal(t, tc.pending, r.Pending(), tc.msg)
		assert.Equal(t, tc.done, r.Done(), tc.msg)
		assert.Equal(t, tc.failed, r.Failed(), tc.msg)
		assert.Equal(t, tc.succe, r.Succeeded(), tc.msg)
	}
	var none *ylytic.RefreshRequest
	assert.False(t, none.Done())
	assert.False(t, none.Pending())
}
