package firstparty_test

import (
	"regexp"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/creatorkit/creatorkit-go/firstparty"
	"github.com/creatorkit/creatorkit-go/firstparty/firstpartytest"
	"github.com/creatorkit/creatorkit-go/internal/vendortest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A recording observer on the fake, over both hosts, with faults that make
// the transport retry and Complete reconcile: every attempt the fake saw is
// an EndAttempt, every call, wait and flow step starts and ends once, each
// request names its route (the path template of Paths), a wait's EndCall
// counts its checks and Complete's its Verify Creator tries, and no event
// holds the token, a creator id, a state, a callback token or a query
// value.
func TestObserverSeesEveryCallAndNoSecret(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		rec := &vendortest.Recorder{}
		srv := fastFake(t, firstpartytest.WithSeed(3), firstpartytest.WithTokenTTL(time.Hour), firstpartytest.WithInsightsDelay(20*time.Second))
		insights := srv.ServeWebhooks(srv.Handler()) + firstpartytest.APIPrefix // the same fake as a second host
		c, err := srv.NewClient(firstparty.WithObserver(rec), firstparty.WithInsightsBaseURL(insights))
		require.NoError(t, err)
		require.Contains(t, c.String(), "insights base", "two hosts")
		flow, err := firstparty.NewConnectFlow(c, firstparty.ConnectConfig{RedirectURL: "https://app.example/callback"})
		require.NoError(t, err)
		ctx := testCtx(t)
		srv.SetFaults(firstpartytest.Faults{Routes: []string{firstpartytest.RouteCreateURL, firstpartytest.RouteVerify, firstpartytest.RouteInsights},
			ErrorRate: map[int]float64{503: 0.25}})

		secrets := []string{srv.Token, "k-query-secret-9"}
		var creators []string
		for range 3 {
			state, token := startAndConnect(t, srv, flow)
			res, err := flow.Complete(ctx, firstparty.CallbackParams{State: state, Token: token})
			require.NoError(t, err)
			secrets = append(secrets, state, token, res.Creator.CreatorID)
			creators = append(creators, res.Creator.CreatorID)
		}
		gets := len(rec.Calls("Insights.Get"))
		in, err := c.Insights.GetAndWait(ctx, firstparty.GetInsightsParams{CreatorID: creators[0], Key: "k-query-secret-9"}, srv.PollOptions()...)
		require.NoError(t, err)
		require.True(t, in.Ready())
		waits := rec.Calls("Insights.GetAndWait")
		require.Len(t, waits, 1)
		assert.Equal(t, len(rec.Calls("Insights.Get"))-gets, waits[0].Polls, "a wait's polls are its checks")
		assert.GreaterOrEqual(t, waits[0].Polls, 2, "insights take 20 s")

		snap := srv.Snapshot()
		completes := rec.Calls("ConnectFlow.Complete")
		require.Len(t, completes, 3)
		tries := 0
		for _, e := range completes {
			tries += e.Polls
			assert.Empty(t, e.ErrorKind)
		}
		assert.Equal(t, snap.Requests[firstpartytest.RouteVerify], tries, "Complete's polls are its Verify Creator tries, one request each")
		assert.Len(t, rec.Calls("ConnectFlow.Start"), 3)

		starts, attempts, ends := rec.Starts(), rec.Attempts(), rec.Ends()
		assert.Equal(t, clientRequests(snap), len(attempts), "one EndAttempt per request the fake saw from the client")
		assert.Positive(t, snap.Count(503), "the transport retried")
		assert.Equal(t, len(starts), len(ends), "every call that started ended")
		routes := map[string]bool{}
		for _, a := range attempts {
			routes[a.Route] = true
			assert.Equal(t, "firstparty", a.Vendor)
		}
		assert.Equal(t, map[string]bool{"first_party/verification_url": true, "first_party/verify": true, "insights/creators/{creator_id}": true}, routes)
		for _, e := range ends {
			if e.Method == "" {
				assert.Empty(t, e.Route, e.Operation)
				continue
			}
			assert.True(t, routes[e.Route], "%s: route %q", e.Operation, e.Route)
		}

		all := strings.Join(rec.Texts(), "\n")
		for _, s := range secrets {
			assert.False(t, vendortest.Holds(all, s), "an event holds %q", s)
		}
		assert.Regexp(t, regexp.MustCompile(`ConnectFlow\.Start`), all)
		t.Logf("%d calls, %d attempts over %d routes; %d values checked absent", len(ends), len(attempts), len(routes), len(secrets))
	})
}
