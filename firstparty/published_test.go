package firstparty_test

import (
	"encoding/json"
	"testing"

	"github.com/creatorkit/creatorkit-go/firstparty"
	"github.com/creatorkit/creatorkit-go/internal/fixture"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fullSamples are the fixtures that are whole answers or deliveries (not
// request bodies), with where each came from (testdata/README.md says
// more). Ylytic publishes only seed 004's page; the insights sample is its
// restored copy.
// untyped names what a sample may keep untyped, and why.
var fullSamples = []struct {
	file    string
	source  string
	newV    func() any
	untyped string
}{
	{"insights_instagram.json", "published (seed 004), brackets restored", func() any { return &firstparty.Insights{} }, ""},
	{"verify_creator.json", "published (seed 004)", func() any { return &firstparty.Verification{} }, ""},
	{"create_verification_url.json", "published (seed 004)", func() any { return &firstparty.VerificationURL{} }, ""},
	{"webhook_creator_insights_1p_success.json", "documented payload (webhook page)", func() any { return &firstparty.WebhookEvent{} }, ""},
	{"webhook_creator_insights_1p_failed.json", "documented payload (webhook page)", func() any { return &firstparty.WebhookEvent{} }, ""},
	{"verify_creator_failed.json", "INFERRED, not published", func() any { return &firstparty.Verification{} },
		"error_info, whose shape Ylytic does not document, stays raw (VerificationError.Message reads it)"},
}

// Every full sample decodes strictly (encoding/json into the model must
// succeed), re-encodes with no leaf lost, and has every non-null leaf in a
// typed field. The figures are logged: go test -run FullSamples -v.
func TestFullSamplesLoseNothing(t *testing.T) {
	t.Parallel()
	for _, tc := range fullSamples {
		t.Run(tc.file, func(t *testing.T) {
			orig := load(t, tc.file)
			v := tc.newV()
			require.NoError(t, json.Unmarshal(orig, v), "strict decoding")
			again, err := json.Marshal(v)
			require.NoError(t, err)
			assert.Empty(t, fixture.LostLeaves(orig, again), "leaves lost or changed by decode + encode")

			covered, total, missing := fixture.TypedCoverage(orig, v)
			ratio := fixture.Ratio(covered, total)
			t.Logf("coverage %s (%s): %.1f%% (%d/%d non-null leaves)", tc.file, tc.source, 100*ratio, covered, total)
			require.Positive(t, total)
			if tc.untyped != "" {
				t.Logf("not typed: %v: %s", missing, tc.untyped)
				return
			}
			assert.Empty(t, missing, "documented values that reach no typed field")
		})
	}
}

// The published answers through the real client, strictly: no value of
// them is a DecodeIssue.
func TestFullSamplesThroughTheStrictClient(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t, firstparty.WithStrictDecoding())
	mt.RegisterResponder("GET", insightBase+"/insights/creators/c1", respond(200, load(t, "insights_instagram.json")))
	mt.RegisterResponder("POST", verifyBase+"/first_party/verify", respond(200, load(t, "verify_creator.json")))
	in, err := c.Insights.Get(ctx, firstparty.GetInsightsParams{CreatorID: "c1"})
	require.NoError(t, err)
	assert.Empty(t, in.Response.DecodeIssues)
	assert.True(t, in.Ready())
	v, err := c.Verification.Verify(ctx, firstparty.VerifyCreatorParams{State: "unique-string", Token: "t"})
	require.NoError(t, err)
	assert.Empty(t, v.Response.DecodeIssues)
	for _, f := range []string{"webhook_creator_insights_1p_success.json", "webhook_creator_insights_1p_failed.json"} {
		ev, err := c.ParseWebhookBody(load(t, f))
		require.NoError(t, err, f)
		assert.Empty(t, ev.DecodeIssues, f)
	}
}

// WithStrictDecoding turns what the tolerant decoder would list into an
// error that is not retried.
func TestStrictDecodingRefusesDrift(t *testing.T) {
	t.Parallel()
	var doc map[string]any
	require.NoError(t, json.Unmarshal(load(t, "insights_instagram.json"), &doc))
	doc["profile_overview"].(map[string]any)["handle"] = 42
	body := mustJSON(t, doc)

	lenient, mt := newMockClient(t)
	mt.RegisterResponder("GET", insightBase+"/insights/creators/c1", respond(200, body))
	in, err := lenient.Insights.Get(ctx, firstparty.GetInsightsParams{CreatorID: "c1"})
	require.NoError(t, err)
	require.Len(t, in.Response.DecodeIssues, 1)
	assert.Equal(t, "profile_overview.handle", in.Response.DecodeIssues[0].Path)
	assert.Equal(t, firstparty.Int(1257), in.ProfileOverview.FollowersCount, "the rest of the section is kept")

	strict, mt := newMockClient(t, firstparty.WithStrictDecoding())
	mt.RegisterResponder("GET", insightBase+"/insights/creators/c1", respond(200, body))
	_, err = strict.Insights.Get(ctx, firstparty.GetInsightsParams{CreatorID: "c1"})
	require.ErrorIs(t, err, firstparty.ErrUnexpectedResponse)
	assert.Contains(t, err.Error(), "profile_overview.handle")
	assert.Equal(t, 1, mt.GetTotalCallCount(), "a body with one bad field costs exactly one request")

	_, err = strict.ParseWebhookBody([]byte(`{"type":"creator_insights_1p","status":"success","identifier":7}`))
	require.ErrorIs(t, err, firstparty.ErrWebhook)
	ev, err := lenient.ParseWebhookBody([]byte(`{"type":"creator_insights_1p","status":"success","identifier":7}`))
	require.NoError(t, err)
	require.Len(t, ev.DecodeIssues, 1)
	assert.Equal(t, "identifier", ev.DecodeIssues[0].Path)
}
