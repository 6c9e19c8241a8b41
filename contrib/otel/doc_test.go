package creatorkitotel

import (
	"context"
	"os"
	"regexp"
	"testing"
	"time"

	"github.com/creatorkit/creatorkit-go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
)

// recorded are every attribute key, event name and metric name the
// observer writes; a new one is a review point: it must come from the
// events' fields (never an id or a secret) and be in the package doc.
var recorded = []string{
	// attributes
	"creatorkit.attempt", "creatorkit.attempts", "creatorkit.duration", "creatorkit.items",
	"creatorkit.operation", "creatorkit.polls", "creatorkit.rate_limit_wait", "creatorkit.retried",
	"creatorkit.spend.spent", "creatorkit.spend.spent_unknown", "creatorkit.spend.unit", "creatorkit.vendor",
	"creatorkit.wait", "error.type", "http.request.method", "http.request.resend_count",
	"http.response.status_code", "url.template",
	// the span event
	"attempt",
	// metrics
	"creatorkit.call.duration", "creatorkit.rate_limit.wait.duration", "creatorkit.rate_limited.count",
	"creatorkit.request.count", "creatorkit.request.duration", "creatorkit.retry.count",
	// and creatorkit.spend.spent and creatorkit.spend.spent_unknown, named
	// like the span attributes above
}

// Every event of every kind, then everything written is compared with
// recorded and looked up in doc.go.
func TestEverythingRecordedIsDocumented(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	waitInfo := creatorkit.CallInfo{Vendor: "engagecheck", Operation: "Audits.CreateAndWaitAll", Start: t0}
	ctx := h.obs.StartCall(context.Background(), waitInfo)
	call(ctx, h.obs, rerunInfo, []creatorkit.AttemptEvent{
		{StatusCode: 429, ErrorKind: "rate_limited", Retried: true, Duration: time.Millisecond},
		{Duration: time.Second, ErrorKind: "outcome_unknown"},
	}, creatorkit.CallEvent{ErrorKind: "outcome_unknown", Unit: "credits", Spent: 1, SpentUnknown: 1, RateLimitWait: time.Second})
	h.obs.EndCall(ctx, creatorkit.CallEvent{CallInfo: waitInfo, Polls: 2, Items: 3, ErrorKind: "canceled"})

	seen := map[string]bool{}
	for _, s := range h.spans.Ended() {
		for _, k := range keys(s.Attributes()) {
			seen[k] = true
		}
		for _, e := range s.Events() {
			seen[e.Name] = true
			for _, k := range keys(e.Attributes) {
				seen[k] = true
			}
		}
	}
	var rm metricdata.ResourceMetrics
	require.NoError(t, h.reader.Collect(context.Background(), &rm))
	for _, m := range rm.ScopeMetrics[0].Metrics {
		seen[m.Name] = true
		switch d := m.Data.(type) {
		case metricdata.Sum[int64]:
			for _, p := range d.DataPoints {
				for _, kv := range p.Attributes.ToSlice() {
					seen[string(kv.Key)] = true
				}
			}
		case metricdata.Histogram[float64]:
			for _, p := range d.DataPoints {
				for _, kv := range p.Attributes.ToSlice() {
					seen[string(kv.Key)] = true
				}
			}
		}
	}
	var got []string
	for k := range seen {
		got = append(got, k)
	}
	assert.ElementsMatch(t, recorded, got)

	doc, err := os.ReadFile("doc.go")
	require.NoError(t, err)
	for _, k := range recorded {
		re := regexp.MustCompile(`(^|[\s"(])` + regexp.QuoteMeta(k) + `($|[\s")])`)
		assert.True(t, re.Match(doc), "%s is not in the package doc", k)
	}
}
