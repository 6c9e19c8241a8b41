package infludata_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/creatorkit/creatorkit-go/infludata"
	"github.com/creatorkit/creatorkit-go/infludata/infludatatest"
	"github.com/creatorkit/creatorkit-go/internal/vendortest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestObserverSeesEveryCall: a recording observer on the fake sees every
// attempt the fake received (with 503s retried), every call started is
// ended, every request names its route (influData's method name), the
// polls of a wait and a roster are counted and their calls are made
// inside them, and no key, handle, id, query value or email reaches an
// event.
func TestObserverSeesEveryCall(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv, _ := fast(t, infludatatest.WithSeed(5), infludatatest.WithFaults(infludatatest.Faults{
			Routes: []string{infludatatest.RouteDataStatus, infludatatest.RouteDiscovery}, ErrorRate: map[int]float64{503: 0.2}}))
		rec := &vendortest.Recorder{}
		c, err := srv.NewClient(infludata.WithObserver(rec), infludata.WithMaxRetries(8))
		require.NoError(t, err)
		ctx := tctx(t, 6*time.Hour)

		// A wait for a creator influData does not hold yet: enrichment,
		// then the audience analysis, polled.
		before := srv.Snapshot()
		p, err := c.Profiles.GetAndWait(ctx, infludata.GetProfileParams{Platform: infludata.Instagram, Username: "observed_newcomer"}, srv.PollOptions()...)
		require.NoError(t, err)
		require.True(t, p.HasAudienceReport())
		after := srv.Snapshot()
		waitStatus := after.Statuses[infludatatest.RouteDataStatus]
		beforeStatus := before.Statuses[infludatatest.RouteDataStatus]
		statusAnswered := waitStatus[200] - beforeStatus[200]

		roster := []infludata.GetProfileParams{audienceOf(infludata.Instagram, "adidas"), audienceOf(infludata.Instagram, "cristiano"),
			{ID: "507f1f77bcf86cd799439011"}, audienceOf(infludata.Instagram, "bad handle")}
		answered := 0
		for range c.Profiles.GetAndWaitAll(ctx, roster, srv.PollOptions()...) {
			answered++
		}
		require.Equal(t, len(roster), answered)

		_, err = c.Profiles.CheckStatus(ctx, infludata.DataStatusParams{Platform: infludata.TikTok, Username: "tt_creator_001"})
		require.NoError(t, err)
		for _, err := range c.Discovery.SearchAll(ctx, infludata.SearchParams{Platform: infludata.Instagram, Country: "Germany"}, infludata.WithMaxPages(2)) {
			require.NoError(t, err)
		}
		_, err = c.Discovery.Cities(ctx, infludata.CitiesParams{Country: "Germany"})
		require.NoError(t, err)
		pull := c.Content.Pull(infludata.ContentParams{Tags: []string{"fashion"}, Limit: 20}, infludata.WithMaxItems(30))
		for _, err := range pull.All(ctx) {
			require.NoError(t, err)
		}
		_, err = c.Content.Get(ctx, infludata.ContentParams{Tags: []string{"fashion"}, Limit: 5, Since: pull.Watermark()})
		require.NoError(t, err)
		_, err = c.Enrichment.Add(ctx, infludata.EnrichParams{Platform: infludata.Instagram, Usernames: []string{"enrich_me_please"}})
		require.NoError(t, err)
		_, err = c.Account.Get(ctx, infludata.ClientInfoParams{ClientID: infludatatest.DefaultClientID})
		require.NoError(t, err)
		// The raw call: observed like the typed ones, under "Do" and its
		// route, its query values nowhere in the events.
		_, err = c.Do(ctx, http.MethodGet, "checkDataStatus", url.Values{"platform": {"instagram"}, "username": {"raw_observed"}}, nil, nil, infludata.Route("checkDataStatus"))
		require.NoError(t, err)
		signup, err := infludata.NewSignup(append(srv.SignupOptions(), infludata.WithObserver(rec))...)
		require.NoError(t, err)
		_, err = signup.Create(ctx, infludata.CreateTrialKeyParams{Email: "observer@acme.io"})
		require.NoError(t, err)
		code, _ := srv.VerificationCode("observer@acme.io")
		key, err := signup.Verify(ctx, infludata.VerifyTrialKeyParams{Email: "observer@acme.io", Code: code})
		require.NoError(t, err)

		snap := srv.Snapshot()
		starts, tries, ends := rec.Started(), rec.Attempts(), rec.EndsByID()
		assert.Len(t, tries, snap.TotalRequests(), "every attempt the fake received was seen")
		assert.Greater(t, snap.Count(503), 0, "faults were injected, and retried")
		assert.Len(t, ends, len(starts), "every call started was ended")
		routes := map[string]bool{}
		for _, r := range []string{infludatatest.RouteUserData, infludatatest.RouteDataStatus, infludatatest.RouteBulkEnrich, infludatatest.RouteDiscovery,
			infludatatest.RouteContent, infludatatest.RouteClientInfo, infludatatest.RouteCities, infludatatest.RouteCreateTrial, infludatatest.RouteVerifyTrial} {
			routes[r] = true
		}
		seenRoutes := map[string]bool{}
		for _, a := range tries {
			assert.True(t, routes[a.Route], "attempt of %s has route %q", a.Operation, a.Route)
			assert.NotEmpty(t, a.Method)
			seenRoutes[a.Route] = true
		}
		assert.Len(t, seenRoutes, len(routes), "every route was used")
		raw := 0
		for _, a := range tries {
			if a.Operation == "Do" {
				raw++
				assert.Equal(t, infludatatest.RouteDataStatus, a.Route)
			}
		}
		assert.Equal(t, 1, raw, "the raw call's attempt was seen")
		attempts := 0
		for id, e := range ends {
			if e.Method != "" { // a plain call: its own requests
				assert.Positive(t, e.Attempts, "call %d (%s)", id, e.Operation)
				attempts += e.Attempts
			}
		}
		assert.Equal(t, len(tries), attempts, "the calls' attempts add up")

		// The wait: one call, its polls counted, its requests inside it.
		waits, rosters := rec.StartsOf("Profiles.GetAndWait"), rec.StartsOf("Profiles.GetAndWaitAll")
		require.Len(t, waits, 1)
		require.Len(t, rosters, 1)
		wait := ends[waits[0].ID]
		assert.Equal(t, "", wait.Method, "a wait makes calls of its own")
		assert.Empty(t, wait.ErrorKind)
		assert.GreaterOrEqual(t, wait.Polls, statusAnswered, "every status check of the wait counted")
		assert.GreaterOrEqual(t, wait.Polls, 3, "enrichment and analysis took several checks")
		assert.Zero(t, wait.Items)
		inside := map[string]int{}
		for _, s := range starts {
			if s.Parent == waits[0].ID {
				inside[s.Info.Operation]++
			}
		}
		assert.Equal(t, map[string]int{"Profiles.CheckStatus": wait.Polls, "Profiles.Get": 1}, inside, "the wait's calls are made inside it")

		r := ends[rosters[0].ID]
		assert.Equal(t, len(roster), r.Items, "every input answered")
		assert.GreaterOrEqual(t, r.Polls, 3, "a status check per started creator at least")
		inside = map[string]int{}
		for _, s := range starts {
			if s.Parent == rosters[0].ID {
				inside[s.Info.Operation]++
			}
		}
		assert.Equal(t, map[string]int{"Profiles.CheckStatus": r.Polls, "Profiles.Get": 3}, inside, "the roster's calls are made inside it")

		// Nothing identifying in any event.
		secrets := []string{srv.APIKey, key.APIKey, key.ClientID, infludatatest.DefaultClientID, "observed_newcomer", "adidas", "cristiano",
			"bad handle", "507f1f77bcf86cd799439011", "raw_observed", "tt_creator_001", "Germany", "fashion", "enrich_me_please", "observer@acme.io", code,
			pull.Watermark().LastID}
		if p.ID != "" {
			secrets = append(secrets, p.ID)
		}
		events := []any{rec.Starts(), tries, ends}
		checked := 0
		for _, ev := range events {
			vendortest.Walk(ev, func(where, text string) {
				checked++
				for _, s := range secrets {
					assert.False(t, vendortest.Holds(text, s) || strings.Contains(strings.ToLower(text), strings.ToLower(s)), "%s holds %q: %q", where, s, text)
				}
			})
		}
		assert.Positive(t, checked)
		t.Logf("%d calls, %d attempts (%d 503s retried), wait: %d polls, roster: %d polls and %d items; %d event strings checked against %d values",
			len(starts), len(tries), snap.Count(503), wait.Polls, r.Polls, r.Items, checked, len(secrets))
	})
}
