package creatorkitotel

import (
	"testing"
	"testing/synctest"

	"github.com/creatorkit/creatorkit-go/hypeauditor"
	"github.com/creatorkit/creatorkit-go/hypeauditor/hypeauditortest"
	"github.com/stretchr/testify/require"
)

// HypeAuditor on its fake: the plan read through 503s, and an Instagram
// report waited for. Spans, metrics and the traceparent the fake received
// match the fake's count and Usage; no client id, token or account is
// recorded.
func TestHypeAuditorOnFake(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv := hypeauditortest.NewServer(hypeauditortest.WithVirtualTime(), hypeauditortest.WithSeed(3))
		t.Cleanup(srv.Close)
		h := newHarness(t, tracing)
		hc, headers := logged(srv.HTTPClient())
		c, err := srv.NewClient(hypeauditor.WithObserver(h.obs), hypeauditor.WithHTTPClient(hc), hypeauditor.WithMaxRetries(8))
		require.NoError(t, err)
		ctx := testCtx(t)

		srv.SetFaults(hypeauditortest.Faults{Routes: []string{hypeauditortest.RoutePlanInfo}, ErrorRate: map[int]float64{503: 0.5}})
		for range 3 {
			_, err = c.Account.PlanInfo(ctx)
			require.NoError(t, err)
		}
		srv.SetFaults(hypeauditortest.Faults{Routes: []string{hypeauditortest.RouteReport}, Storm429: 1})
		r, err := c.Reports.InstagramAndWait(ctx, hypeauditor.InstagramParams{Username: "otel_probe_creator"}, srv.PollOptions()...)
		require.NoError(t, err)
		require.True(t, r.Ready())

		h.verify(t, vendorRun{
			vendor: "hypeauditor", requests: srv.Snapshot().TotalRequests(), usage: c.Usage(),
			wait: "Reports.InstagramAndWait", check: "Reports.InstagramAndWait", headers: headers,
			values:            []string{srv.ClientID, srv.Token, "otel_probe_creator"},
			spendSettledLater: true,
		})

		plain := newHarness(t)
		hc, headers = logged(srv.HTTPClient())
		srv.SetFaults(hypeauditortest.Faults{})
		c, err = srv.NewClient(hypeauditor.WithObserver(plain.obs), hypeauditor.WithHTTPClient(hc))
		require.NoError(t, err)
		_, err = c.Account.PlanInfo(ctx)
		require.NoError(t, err)
		noTraceHeaders(t, headers)
	})
}
