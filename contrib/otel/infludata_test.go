package creatorkitotel

import (
	"testing"
	"testing/synctest"
	"time"

	"github.com/creatorkit/creatorkit-go/infludata"
	"github.com/creatorkit/creatorkit-go/infludata/infludatatest"
	"github.com/stretchr/testify/require"
)

// influData on its fake, with 503s on the status checks: a wait for a
// creator influData does not hold yet (enrichment, then the audience
// analysis). Spans, metrics and the traceparent the fake received match
// the fake's count and Usage; no key, handle or profile id is recorded.
func TestInfluDataOnFake(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv := infludatatest.NewServer(infludatatest.WithVirtualTime(), infludatatest.WithSeed(5),
			infludatatest.WithDelays(infludatatest.Delays{Enrich: time.Minute, Audience: 30 * time.Second}))
		t.Cleanup(srv.Close)
		h := newHarness(t, tracing)
		hc, headers := logged(srv.HTTPClient())
		c, err := srv.NewClient(infludata.WithObserver(h.obs), infludata.WithHTTPClient(hc), infludata.WithMaxRetries(8))
		require.NoError(t, err)
		ctx := testCtx(t)
		srv.SetFaults(infludatatest.Faults{Routes: []string{infludatatest.RouteDataStatus}, ErrorRate: map[int]float64{503: 0.3}})

		p, err := c.Profiles.GetAndWait(ctx, infludata.GetProfileParams{Platform: infludata.Instagram, Username: "otel_probe_newcomer"}, srv.PollOptions()...)
		require.NoError(t, err)

		h.verify(t, vendorRun{
			vendor: "infludata", requests: srv.Snapshot().TotalRequests(), usage: c.Usage(),
			wait: "Profiles.GetAndWait", check: "Profiles.CheckStatus", headers: headers,
			values: []string{srv.APIKey, "otel_probe_newcomer", p.ID},
		})

		plain := newHarness(t)
		hc, headers = logged(srv.HTTPClient())
		c, err = srv.NewClient(infludata.WithObserver(plain.obs), infludata.WithHTTPClient(hc))
		require.NoError(t, err)
		_, err = c.Profiles.CheckStatus(ctx, infludata.DataStatusParams{Platform: infludata.Instagram, Username: "otel_probe_newcomer"})
		require.NoError(t, err)
		noTraceHeaders(t, headers)
	})
}
