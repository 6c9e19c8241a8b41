package creatoraudit_test

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/creatorkit/creatorkit-go/creatoraudit"
	"github.com/creatorkit/creatorkit-go/creatoraudit/creatoraudittest"
	"github.com/creatorkit/creatorkit-go/internal/vendortest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// routeShape is a route: path segments of letters, digits, '-' and '_',
// or a {placeholder}.
var routeShape = regexp.MustCompile(`^([a-z0-9_-]+|\{[a-z_]+\})(/([a-z0-9_-]+|\{[a-z_]+\}))*$`)

// A recording observer on the fake, with faults that make the transport
// retry: every attempt the fake saw is an EndAttempt, every call and wait
// starts and ends once, each request names its route (the path template,
// never an id), a wait's EndCall counts its status checks, and no event
// holds the key, an id, a handle or a query value.
func TestObserverSeesEveryCallAndNoSecret(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		rec := &vendortest.Recorder{}
		srv := creatoraudittest.NewServer(creatoraudittest.WithVirtualTime(), creatoraudittest.WithSeed(4))
		t.Cleanup(srv.Close)
		c, err := srv.NewClient(creatoraudit.WithObserver(rec))
		require.NoError(t, err)
		ctx := testCtx(t)
		srv.SetFaults(creatoraudittest.Faults{ErrorRate: map[int]float64{503: 0.2}})

		var secrets []string // what no event may hold
		secrets = append(secrets, srv.APIKey, "natgeo_watch", "bbc_earth_q")
		a, err := c.Accounts.Create(ctx, creatoraudit.CreateAccountParams{Platform: creatoraudit.Instagram, Username: "natgeo_watch"})
		require.NoError(t, err)
		secrets = append(secrets, a.ID)
		gets := len(rec.Calls("Accounts.Get"))
		a, err = c.Accounts.GetAndWait(ctx, a.ID, srv.PollOptions()...)
		require.NoError(t, err)
		waits := rec.Calls("Accounts.GetAndWait")
		require.Len(t, waits, 1)
		assert.Equal(t, len(rec.Calls("Accounts.Get"))-gets, waits[0].Polls, "a wait's polls are its status checks")
		assert.GreaterOrEqual(t, waits[0].Polls, 2, "the first scrape comes after 30 s")
		assert.Empty(t, waits[0].Method)
		assert.Empty(t, waits[0].ErrorKind)

		v, err := c.Videos.Create(ctx, creatoraudit.CreateVideoParams{Platform: creatoraudit.TikTok, Identifier: "7379281736459100001"})
		require.NoError(t, err)
		secrets = append(secrets, string(v.ID), "7379281736459100001")
		_, err = c.Videos.GetAndWait(ctx, string(v.ID), srv.PollOptions()...)
		require.NoError(t, err)
		cr, err := c.Creators.Create(ctx, creatoraudit.CreateCreatorParams{Name: "Ada Observed"})
		require.NoError(t, err)
		secrets = append(secrets, cr.ID, "Ada Observed")
		_, err = c.Creators.LinkAccount(ctx, cr.ID, a.ID)
		require.NoError(t, err)
		for _, err := range c.Creators.AccountsAll(ctx, cr.ID, creatoraudit.ListAccountsParams{Limit: 1}) {
			require.NoError(t, err)
		}
		_, err = c.Accounts.Metrics(ctx, creatoraudit.MetricsParams{IDs: []string{a.ID}})
		require.NoError(t, err)
		_, err = c.Videos.Deltas(ctx, creatoraudit.DeltasParams{VideoIDs: []string{string(v.ID)}, Windows: []int{1}})
		require.NoError(t, err)
		_, err = c.Search.Query(ctx, creatoraudit.SearchParams{Q: "bbc_earth_q"})
		require.NoError(t, err)
		_, err = c.Accounts.Analytics(ctx, a.ID, creatoraudit.AnalyticsParams{})
		require.NoError(t, err)
		_, err = c.Accounts.Get(ctx, a.ID, creatoraudit.IfNoneMatch(a.Response.GetHeader("ETag")))
		require.NoError(t, err)
		_, err = c.Creators.UnlinkAccount(ctx, cr.ID, a.ID)
		require.NoError(t, err)
		_, err = c.Accounts.Delete(ctx, a.ID)
		require.NoError(t, err)
		// A wait that times out ends its call with the context's kind.
		slow, cancel := context.WithTimeout(ctx, time.Second)
		defer cancel()
		w2, err := c.Accounts.Create(ctx, creatoraudit.CreateAccountParams{Platform: creatoraudit.TikTok, Username: "natgeo_watch"})
		require.NoError(t, err)
		secrets = append(secrets, w2.ID)
		_, err = c.Accounts.GetAndWait(slow, w2.ID, srv.PollOptions()...)
		require.Error(t, err)

		last := rec.Calls("Accounts.GetAndWait")
		assert.Equal(t, "deadline_exceeded", last[len(last)-1].ErrorKind)
		starts, tries, ends := rec.Starts(), rec.Attempts(), rec.Ends()
		snap := srv.Snapshot()
		assert.Equal(t, snap.TotalRequests(), len(tries), "one EndAttempt per request the fake saw")
		assert.Positive(t, snap.Count(503), "the transport retried")
		assert.Equal(t, len(starts), len(ends), "every call that started ended")
		routes := map[string]bool{}
		attempts := map[string]int{} // by call operation
		for _, a := range tries {
			attempts[a.Operation]++
			routes[a.Route] = true
		}
		calls := 0
		for _, e := range ends {
			assert.Equal(t, "creatoraudit", e.Vendor)
			if e.Method == "" { // a wait
				assert.Empty(t, e.Route, e.Operation)
				assert.Zero(t, e.Attempts, e.Operation)
				continue
			}
			calls++
			assert.NotEmpty(t, e.Route, "%s has a route", e.Operation)
			assert.Positive(t, e.Attempts, e.Operation)
		}
		sum := 0
		for _, n := range attempts {
			sum += n
		}
		assert.Equal(t, len(tries), sum)
		for r := range routes {
			assert.Regexp(t, routeShape, r, "a route is a path template")
		}
		for _, want := range []string{"accounts", "accounts/{id}", "accounts/metrics", "accounts/{id}/analytics", "videos", "videos/{id}",
			"videos/deltas", "creators", "creators/{id}/accounts/{account_id}", "search"} {
			assert.True(t, routes[want], "route %s seen: %v", want, routes)
		}

		// No event holds a secret, an id, a handle or a query value.
		all := strings.Join(rec.Texts(), "\n")
		for _, s := range secrets {
			assert.False(t, vendortest.Holds(all, s), "an event holds %q", s)
		}
		t.Logf("%d calls (%d waits), %d attempts over %d routes; %d values checked absent", calls, len(ends)-calls, len(tries), len(routes), len(secrets))
	})
}
