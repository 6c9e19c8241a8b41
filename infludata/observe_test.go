package infludata_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	creatorkit "github.com/creatorkit/creatorkit-go"
	"github.com/creatorkit/creatorkit-go/infludata"
	"github.com/creatorkit/creatorkit-go/infludata/infludatatest"
	"github.com/creatorkit/creatorkit-go/internal/leakcheck"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// callKey carries the id of the observed call a context belongs to.
type callKey struct{}

// started is one StartCall, with the call it started inside (0: none).
type started struct {
	id, parent int
	info       creatorkit.CallInfo
}

// eventLog is an Observer that keeps every event, and puts each call's
// id in its context so that a call made inside a wait names the wait.
type eventLog struct {
	mu       sync.Mutex
	starts   []started
	attempts []creatorkit.AttemptEvent
	ends     map[int]creatorkit.CallEvent
	parentOf map[int]int // attempt index -> call id
}

func newEventLog() *eventLog {
	return &eventLog{ends: map[int]creatorkit.CallEvent{}, parentOf: map[int]int{}}
}

func (r *eventLog) StartCall(ctx context.Context, c creatorkit.CallInfo) context.Context {
	r.mu.Lock()
	defer r.mu.Unlock()
	parent, _ := ctx.Value(callKey{}).(int)
	id := len(r.starts) + 1
	r.starts = append(r.starts, started{id: id, parent: parent, info: c})
	return context.WithValue(ctx, callKey{}, id)
}

func (r *eventLog) EndAttempt(ctx context.Context, a creatorkit.AttemptEvent) {
	r.mu.Lock()
	defer r.mu.Unlock()
	id, _ := ctx.Value(callKey{}).(int)
	r.parentOf[len(r.attempts)] = id
	r.attempts = append(r.attempts, a)
}

func (r *eventLog) EndCall(ctx context.Context, c creatorkit.CallEvent) {
	r.mu.Lock()
	defer r.mu.Unlock()
	id, _ := ctx.Value(callKey{}).(int)
	r.ends[id] = c
}

// calls returns the ended calls of op, with their start.
func (r *eventLog) calls(op string) []started {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []started
	for _, s := range r.starts {
		if s.info.Operation == op {
			out = append(out, s)
		}
	}
	return out
}

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
		rec := newEventLog()
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
		rec.mu.Lock()
		defer rec.mu.Unlock()
		assert.Len(t, rec.attempts, snap.TotalRequests(), "every attempt the fake received was seen")
		assert.Greater(t, snap.Count(503), 0, "faults were injected, and retried")
		assert.Len(t, rec.ends, len(rec.starts), "every call started was ended")
		routes := map[string]bool{}
		for _, r := range []string{infludatatest.RouteUserData, infludatatest.RouteDataStatus, infludatatest.RouteBulkEnrich, infludatatest.RouteDiscovery,
			infludatatest.RouteContent, infludatatest.RouteClientInfo, infludatatest.RouteCities, infludatatest.RouteCreateTrial, infludatatest.RouteVerifyTrial} {
			routes[r] = true
		}
		seenRoutes := map[string]bool{}
		for _, a := range rec.attempts {
			assert.True(t, routes[a.Route], "attempt of %s has route %q", a.Operation, a.Route)
			assert.NotEmpty(t, a.Method)
			seenRoutes[a.Route] = true
		}
		assert.Len(t, seenRoutes, len(routes), "every route was used")
		raw := 0
		for _, a := range rec.attempts {
			if a.Operation == "Do" {
				raw++
				assert.Equal(t, infludatatest.RouteDataStatus, a.Route)
			}
		}
		assert.Equal(t, 1, raw, "the raw call's attempt was seen")
		attempts := 0
		for id, e := range rec.ends {
			if e.Method != "" { // a plain call: its own requests
				assert.Positive(t, e.Attempts, "call %d (%s)", id, e.Operation)
				attempts += e.Attempts
			}
		}
		assert.Equal(t, len(rec.attempts), attempts, "the calls' attempts add up")

		// The wait: one call, its polls counted, its requests inside it.
		rec.mu.Unlock()
		waits, rosters := rec.calls("Profiles.GetAndWait"), rec.calls("Profiles.GetAndWaitAll")
		rec.mu.Lock()
		require.Len(t, waits, 1)
		require.Len(t, rosters, 1)
		wait := rec.ends[waits[0].id]
		assert.Equal(t, "", wait.Method, "a wait makes calls of its own")
		assert.Empty(t, wait.ErrorKind)
		assert.GreaterOrEqual(t, wait.Polls, statusAnswered, "every status check of the wait counted")
		assert.GreaterOrEqual(t, wait.Polls, 3, "enrichment and analysis took several checks")
		assert.Zero(t, wait.Items)
		inside := map[string]int{}
		for _, s := range rec.starts {
			if s.parent == waits[0].id {
				inside[s.info.Operation]++
			}
		}
		assert.Equal(t, map[string]int{"Profiles.CheckStatus": wait.Polls, "Profiles.Get": 1}, inside, "the wait's calls are made inside it")

		r := rec.ends[rosters[0].id]
		assert.Equal(t, len(roster), r.Items, "every input answered")
		assert.GreaterOrEqual(t, r.Polls, 3, "a status check per started creator at least")
		inside = map[string]int{}
		for _, s := range rec.starts {
			if s.parent == rosters[0].id {
				inside[s.info.Operation]++
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
		events := []any{rec.starts, rec.attempts, rec.ends}
		checked := 0
		for _, ev := range events {
			leakcheck.Walk(ev, func(where, text string) {
				checked++
				for _, s := range secrets {
					assert.False(t, leakcheck.Holds(text, s) || strings.Contains(strings.ToLower(text), strings.ToLower(s)), "%s holds %q: %q", where, s, text)
				}
			})
		}
		assert.Positive(t, checked)
		t.Logf("%d calls, %d attempts (%d 503s retried), wait: %d polls, roster: %d polls and %d items; %d event strings checked against %d values",
			len(rec.starts), len(rec.attempts), snap.Count(503), wait.Polls, r.Polls, r.Items, checked, len(secrets))
	})
}
