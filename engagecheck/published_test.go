package engagecheck_test

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/creatorkit/creatorkit-go/engagecheck"
	"github.com/creatorkit/creatorkit-go/internal/fixture"
	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fullSamples are the fixtures that are whole documented answers (see
// testdata/README.md), with the model each decodes into. The error_*.json
// files are left out: the documentation gives the error shape and a table
// of messages, not literal bodies.
var fullSamples = []struct {
	file  string
	model func() any
}{
	{"audit_created.json", func() any { return &engagecheck.Audit{} }},
	{"audit_complete_inline.json", func() any { return &engagecheck.Audit{} }},
	{"audit_analyzing.json", func() any { return &engagecheck.Audit{} }},
	{"audit_complete.json", func() any { return &engagecheck.Audit{} }},
	{"batch_accepted.json", func() any { return &engagecheck.Batch{} }},
	{"audits_list.json", func() any { return &engagecheck.AuditList{} }},
	{"credits.json", func() any { return &engagecheck.Credits{} }},
	{"webhook_audit_completed.json", func() any { return &engagecheck.WebhookEvent{} }},
	{"webhook_audit_failed.json", func() any { return &engagecheck.WebhookEvent{} }},
}

// Every documented sample decodes strictly, comes back whole when
// re-encoded, and reaches typed fields.
func TestPublishedSamplesDecodeStrictlyLoseNothing(t *testing.T) {
	t.Parallel()
	for _, s := range fullSamples {
		t.Run(s.file, func(t *testing.T) {
			body := fixture.Load(t, s.file)
			v := s.model()
			require.NoError(t, json.Unmarshal(body, v), "strict decode")
			out, err := json.Marshal(v)
			require.NoError(t, err)
			assert.Empty(t, fixture.LostLeaves(body, out), "nothing lost")
			covered, total, missing := fixture.TypedCoverage(body, v)
			t.Logf("coverage %s: %.1f%% (%d/%d)", s.file, 100*fixture.Ratio(covered, total), covered, total)
			assert.Empty(t, missing, "every non-null documented value reaches a typed field")
		})
	}
}

// The same samples through the client, strict: no decode issue, Raw is
// the body as received, one request each.
func TestPublishedSamplesThroughTheStrictClient(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t, engagecheck.WithStrictDecoding())
	mt.RegisterResponder("POST", base+"/audits", fixtureResponder(t, 202, "audit_created.json"))
	mt.RegisterResponder("POST", base+"/audits/batch", fixtureResponder(t, 202, "batch_accepted.json"))
	mt.RegisterResponder("GET", base+"/audits/142", fixtureResponder(t, 200, "audit_complete.json"))
	mt.RegisterResponder("GET", base+"/audits/143", fixtureResponder(t, 200, "audit_analyzing.json"))
	mt.RegisterResponder("GET", base+"/audits", fixtureResponder(t, 200, "audits_list.json"))
	mt.RegisterResponder("GET", base+"/credits", fixtureResponder(t, 200, "credits.json"))
	inline := httpmock.NewMockTransport()
	inline.RegisterResponder("POST", base+"/audits", fixtureResponder(t, 200, "audit_complete_inline.json"))

	check := func(file string, raw json.RawMessage, meta *engagecheck.ResponseMeta) {
		t.Helper()
		assert.Equal(t, fixture.Load(t, file), []byte(raw), "%s: Raw is the body", file)
		require.NotNil(t, meta, file)
		assert.Empty(t, meta.DecodeIssues, file)
		assert.Equal(t, 1, meta.Attempts, file)
	}
	a, err := c.Audits.Create(ctx, engagecheck.CreateAuditParams{Username: "natgeo"})
	require.NoError(t, err)
	check("audit_created.json", a.Raw, a.Response)
	b, err := c.Audits.CreateBatch(ctx, engagecheck.CreateBatchParams{Usernames: []string{"natgeo", "nasa"}})
	require.NoError(t, err)
	check("batch_accepted.json", b.Raw, b.Response)
	a, err = c.Audits.Get(ctx, 142)
	require.NoError(t, err)
	check("audit_complete.json", a.Raw, a.Response)
	a, err = c.Audits.Get(ctx, 143)
	require.NoError(t, err)
	check("audit_analyzing.json", a.Raw, a.Response)
	l, err := c.Audits.List(ctx, engagecheck.ListAuditsParams{})
	require.NoError(t, err)
	check("audits_list.json", l.Raw, l.Response)
	cr, err := c.Credits.Get(ctx)
	require.NoError(t, err)
	check("credits.json", cr.Raw, cr.Response)

	ci, err := engagecheck.NewClient(engagecheck.WithAPIKey(testKey), engagecheck.WithHTTPClient(&http.Client{Transport: inline}), engagecheck.WithStrictDecoding())
	require.NoError(t, err)
	a, err = ci.Audits.Create(ctx, engagecheck.CreateAuditParams{Username: "natgeo"})
	require.NoError(t, err)
	check("audit_complete_inline.json", a.Raw, a.Response)
	assert.Equal(t, 88.0, a.Report.AQS)

	for _, f := range []string{"webhook_audit_completed.json", "webhook_audit_failed.json"} {
		ev, err := engagecheck.ParseWebhookBody(fixture.Load(t, f))
		require.NoError(t, err, f)
		assert.Equal(t, fixture.Load(t, f), []byte(ev.Raw), f)
		assert.Empty(t, ev.DecodeIssues, f)
	}
	assert.Equal(t, 6, mt.GetTotalCallCount())
}
