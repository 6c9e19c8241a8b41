package creatorkitotel

import (
	"testing"
	"testing/synctest"

	"github.com/creatorkit/creatorkit-go/engagecheck"
	"github.com/creatorkit/creatorkit-go/engagecheck/engagechecktest"
	"github.com/stretchr/testify/require"
)

// EngageCheck on its fake: a balance read through a 429 storm, a
// CreateAndWait whose status checks meet 503s, and a list page with query
// values. Spans, metrics and the traceparent the fake received match the
// fake's count and Usage; no key, handle, audit id or query value is
// recorded.
func TestEngageCheckOnFake(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv := engagechecktest.NewServer(engagechecktest.WithVirtualTime(), engagechecktest.WithSeed(7))
		t.Cleanup(srv.Close)
		h := newHarness(t, tracing)
		hc, headers := logged(srv.HTTPClient())
		c, err := srv.NewClient(engagecheck.WithObserver(h.obs), engagecheck.WithHTTPClient(hc))
		require.NoError(t, err)
		ctx := testCtx(t)

		srv.SetFaults(engagechecktest.Faults{Routes: []string{engagechecktest.RouteCredits}, Storm429: 2})
		_, err = c.Credits.Get(ctx)
		require.NoError(t, err)
		srv.SetFaults(engagechecktest.Faults{Routes: []string{engagechecktest.RouteGet}, ErrorRate: map[int]float64{503: 0.3}})
		a, err := c.Audits.CreateAndWait(ctx, engagecheck.CreateAuditParams{Username: "otel_probe_handle"}, srv.PollOptions()...)
		require.NoError(t, err)
		srv.SetFaults(engagechecktest.Faults{})
		_, err = c.Audits.List(ctx, engagecheck.ListAuditsParams{Limit: 37, Offset: 1009})
		require.NoError(t, err)

		h.verify(t, vendorRun{
			vendor: "engagecheck", requests: srv.Snapshot().TotalRequests(), usage: c.Usage(),
			wait: "Audits.CreateAndWait", check: "Audits.Get", headers: headers,
			values: append([]string{srv.APIKey, "otel_probe_handle", "1009"}, ids(a.ID)...),
		})

		// Without WithPropagators, the fake sees no trace header.
		plain := newHarness(t)
		hc, headers = logged(srv.HTTPClient())
		c, err = srv.NewClient(engagecheck.WithObserver(plain.obs), engagecheck.WithHTTPClient(hc))
		require.NoError(t, err)
		_, err = c.Audits.Get(ctx, a.ID)
		require.NoError(t, err)
		noTraceHeaders(t, headers)
		require.Len(t, plain.spans.Ended(), 1)
	})
}
