package creatorkitotel

import (
	"testing"
	"testing/synctest"

	"github.com/creatorkit/creatorkit-go/ylytic"
	"github.com/creatorkit/creatorkit-go/ylytic/ylytictest"
	"github.com/stretchr/testify/require"
)

// Ylytic's account APIs on their fake, with 503s on the refresh reads: a
// creator added, and a data refresh created and waited for. Spans,
// metrics and the traceparent the fake received match the fake's count
// and Usage; no token, handle or request id is recorded.
func TestYlyticOnFake(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv := ylytictest.NewServer(ylytictest.WithVirtualTime(), ylytictest.WithSeed(2))
		t.Cleanup(srv.Close)
		h := newHarness(t, tracing)
		hc, headers := logged(srv.HTTPClient())
		c, err := srv.NewClient(ylytic.WithObserver(h.obs), ylytic.WithHTTPClient(hc), ylytic.WithMaxRetries(8))
		require.NoError(t, err)
		ctx := testCtx(t)
		srv.SetFaults(ylytictest.Faults{Routes: []string{ylytictest.RouteRefreshGet}, ErrorRate: map[int]float64{503: 0.3}})

		profile := ylytic.ProfileURL(ylytic.Instagram, "otel.probe.creator")
		_, err = c.Creators.Add(ctx, ylytic.AddCreatorsParams{Handles: []string{profile}})
		require.NoError(t, err)
		r, err := c.Refresh.CreateAndWait(ctx, ylytic.RefreshParams{Type: ylytic.RefreshInstagram, Handle: "otel.probe.creator"}, srv.PollOptions()...)
		require.NoError(t, err)

		h.verify(t, vendorRun{
			vendor: "ylytic", requests: srv.Snapshot().TotalRequests(), usage: c.Usage(),
			wait: "Refresh.CreateAndWait", check: "Refresh.Get", headers: headers,
			values: []string{srv.Token, "otel.probe.creator", profile, r.RequestID},
		})

		plain := newHarness(t)
		hc, headers = logged(srv.HTTPClient())
		srv.SetFaults(ylytictest.Faults{})
		c, err = srv.NewClient(ylytic.WithObserver(plain.obs), ylytic.WithHTTPClient(hc))
		require.NoError(t, err)
		_, err = c.Refresh.Get(ctx, r.RequestID)
		require.NoError(t, err)
		noTraceHeaders(t, headers)
	})
}
