package creatorkitotel

import (
	"net/url"
	"testing"
	"testing/synctest"
	"time"

	"github.com/creatorkit/creatorkit-go/firstparty"
	"github.com/creatorkit/creatorkit-go/firstparty/firstpartytest"
	"github.com/stretchr/testify/require"
)

// First Party on its fake, with 503s: a creator connected through
// ConnectFlow (Start, the creator's visit, Complete) and their insights
// waited for. Spans, metrics and the traceparent the fake received match
// the fake's count of the client's requests and Usage; no token, state,
// callback token, creator id or query value is recorded.
func TestFirstPartyOnFake(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv := firstpartytest.NewServer(firstpartytest.WithVirtualTime(), firstpartytest.WithSeed(3),
			firstpartytest.WithInsightsDelay(20*time.Second))
		t.Cleanup(srv.Close)
		h := newHarness(t, tracing)
		hc, headers := logged(srv.HTTPClient())
		c, err := srv.NewClient(firstparty.WithObserver(h.obs), firstparty.WithHTTPClient(hc), firstparty.WithMaxRetries(8))
		require.NoError(t, err)
		flow, err := firstparty.NewConnectFlow(c, firstparty.ConnectConfig{RedirectURL: "https://app.example/callback"})
		require.NoError(t, err)
		ctx := testCtx(t)
		srv.SetFaults(firstpartytest.Faults{Routes: []string{firstpartytest.RouteCreateURL, firstpartytest.RouteVerify, firstpartytest.RouteInsights},
			ErrorRate: map[int]float64{503: 0.25}})

		v, err := flow.Start(ctx, firstparty.StartParams{Platform: firstparty.Instagram})
		require.NoError(t, err)
		loc, err := srv.Connect(v.RedirectURL) // the creator's visit: the fake's own client
		require.NoError(t, err)
		cb, err := url.Parse(loc)
		require.NoError(t, err)
		state, token := cb.Query().Get("state"), cb.Query().Get("token")
		res, err := flow.Complete(ctx, firstparty.CallbackParams{State: state, Token: token})
		require.NoError(t, err)
		in, err := c.Insights.GetAndWait(ctx, firstparty.GetInsightsParams{CreatorID: res.Creator.CreatorID, Key: "otel-probe-key"}, srv.PollOptions()...)
		require.NoError(t, err)
		require.True(t, in.Ready())

		snap := srv.Snapshot()
		h.verify(t, vendorRun{
			vendor: "firstparty", requests: snap.TotalRequests() - snap.Requests[firstpartytest.RouteConnect], usage: c.Usage(),
			wait: "Insights.GetAndWait", check: "Insights.Get", headers: headers,
			values: []string{srv.Token, state, token, res.Creator.CreatorID, "otel-probe-key"},
		})

		plain := newHarness(t)
		hc, headers = logged(srv.HTTPClient())
		srv.SetFaults(firstpartytest.Faults{})
		c, err = srv.NewClient(firstparty.WithObserver(plain.obs), firstparty.WithHTTPClient(hc))
		require.NoError(t, err)
		_, err = c.Insights.Get(ctx, firstparty.GetInsightsParams{CreatorID: res.Creator.CreatorID})
		require.NoError(t, err)
		noTraceHeaders(t, headers)
	})
}
