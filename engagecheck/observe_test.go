package engagecheck_test

import (
	"strconv"
	"strings"
	"testing"
	"testing/synctest"

	"github.com/creatorkit/creatorkit-go"
	"github.com/creatorkit/creatorkit-go/engagecheck"
	"github.com/creatorkit/creatorkit-go/engagecheck/engagechecktest"
	"github.com/creatorkit/creatorkit-go/internal/vendortest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// byParent returns the polls, items and error kinds of every ended call,
// under the call it ran in and its own operation ("Audits.GetAndWait >
// Audits.Get"; " > op" at the top).
func byParent(rec *vendortest.Recorder) (polls, items map[string][]int, kinds map[string][]string) {
	polls, items, kinds = map[string][]int{}, map[string][]int{}, map[string][]string{}
	for _, e := range rec.EndsIn() {
		key := e.ParentOp + " > " + e.Event.Operation
		polls[key] = append(polls[key], e.Event.Polls)
		items[key] = append(items[key], e.Event.Items)
		kinds[key] = append(kinds[key], e.Event.ErrorKind)
	}
	return polls, items, kinds
}

// attemptsOf returns the attempts of op, and the routes they named.
func attemptsOf(rec *vendortest.Recorder, op string) (n int, routes map[string]int) {
	routes = map[string]int{}
	for _, a := range rec.Attempts() {
		if a.Operation == op {
			n++
			routes[a.Method+" "+a.Route]++
		}
	}
	return n, routes
}

// Issue 22: with WithObserver, every request is an attempt of a call named
// by its operation and route, every call, wait and roster ends once, the
// waits count their status checks and the roster its answers, requests
// made inside a wait or a roster carry its context, and no event holds a
// key, an audit id, a handle or a query value.
func TestObserverSeesEveryCallAndNoIdentifier(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv, _ := fastFake(t)
		rec := &vendortest.Recorder{}
		c, err := srv.NewClient(engagecheck.WithObserver(rec))
		require.NoError(t, err)
		ctx := testCtx(t)
		var ids []int64

		_, err = c.Credits.Get(ctx)
		require.NoError(t, err)
		a, err := c.Audits.Create(ctx, engagecheck.CreateAuditParams{Username: "natgeo"})
		require.NoError(t, err)
		ids = append(ids, a.ID)
		before := srv.Snapshot().Requests[engagechecktest.RouteGet]
		_, err = c.Audits.GetAndWait(ctx, a.ID, srv.PollOptions()...)
		require.NoError(t, err)
		waitGets := srv.Snapshot().Requests[engagechecktest.RouteGet] - before
		b, err := c.Audits.CreateBatch(ctx, engagecheck.CreateBatchParams{Usernames: []string{"esa", "spacex"}})
		require.NoError(t, err)
		for _, row := range b.Results {
			ids = append(ids, row.ID)
		}
		_, err = c.Audits.List(ctx, engagecheck.ListAuditsParams{Limit: 7, Offset: 3})
		require.NoError(t, err)
		a, err = c.Audits.CreateAndWait(ctx, engagecheck.CreateAuditParams{Username: "@NASA"}, srv.PollOptions()...)
		require.NoError(t, err)
		ids = append(ids, a.ID)
		var last engagecheck.Progress
		answered := 0
		for ans, _ := range c.Audits.CreateAndWaitAll(ctx, []string{"bbc", "someprivate", "not a handle!"}, append(srv.PollOptions(), engagecheck.WithProgress(func(p engagecheck.Progress) { last = p }))...) {
			a := ans.Value
			answered++
			ids = append(ids, a.ID)
		}

		// A call retried after two 429s: three attempts, one call.
		srv.SetFaults(engagechecktest.Faults{Routes: []string{engagechecktest.RouteCredits}, Storm429: 2})
		_, err = c.Credits.Get(ctx)
		require.NoError(t, err)
		n, _ := attemptsOf(rec, "Credits.Get")
		assert.Equal(t, 2+3, n, "the roster's balance read, and the retried call's three attempts")

		// Every request the fake saw is an attempt, with its route.
		attempts := 0
		routes := map[string]bool{}
		for _, e := range rec.Events() {
			if at, ok := e.(creatorkit.AttemptEvent); ok {
				attempts++
				routes[at.Method+" "+at.Route] = true
				assert.NotEmpty(t, at.Route, "%s has a route", at.Operation)
			}
		}
		assert.Equal(t, srv.Snapshot().TotalRequests(), attempts, "every request is seen")
		assert.Equal(t, map[string]bool{"GET credits": true, "POST audits": true, "GET audits/{id}": true, "POST audits/batch": true, "GET audits": true}, routes)

		// Every call ends once, the waits with their status checks, the
		// roster with its answers.
		polls, items, kinds := byParent(rec)
		for _, op := range []string{"Credits.Get", "Audits.Create", "Audits.GetAndWait", "Audits.CreateBatch", "Audits.List",
			"Audits.CreateAndWait", "Audits.CreateAndWaitAll"} {
			want := 1
			if op == "Credits.Get" {
				want = 2
			}
			assert.Len(t, polls[" > "+op], want, "%s: each call at the top ended once", op)
		}
		assert.Equal(t, []int{waitGets}, polls[" > Audits.GetAndWait"], "a wait's polls are its status checks")
		assert.Len(t, polls["Audits.GetAndWait > Audits.Get"], waitGets, "each check a call of its own, in the wait")
		assert.Equal(t, []int{len(polls["Audits.CreateAndWait > Audits.Get"])}, polls[" > Audits.CreateAndWait"])
		assert.Positive(t, polls[" > Audits.CreateAndWait"][0])
		assert.Equal(t, []int{last.Polls + last.Probes}, polls[" > Audits.CreateAndWaitAll"])
		assert.Positive(t, last.Polls+last.Probes)
		assert.Equal(t, []int{3}, items[" > Audits.CreateAndWaitAll"], "three inputs answered")
		assert.Equal(t, 3, answered)
		assert.Equal(t, []string{""}, kinds[" > Audits.CreateAndWaitAll"], "the roster itself did not fail")
		n, _ = attemptsOf(rec, "Audits.Get")
		assert.Positive(t, n)

		// The calls a wait or a roster makes carry its context.
		for _, s := range rec.Started() {
			switch s.Info.Operation {
			case "Audits.GetAndWait", "Audits.CreateAndWait", "Audits.CreateAndWaitAll":
				assert.Empty(t, s.ParentOp, "%s starts at the top", s.Info.Operation)
			}
		}
		parents := map[string]int{}
		for _, s := range rec.Started() {
			if s.ParentOp != "" {
				parents[s.ParentOp+" > "+s.Info.Operation]++
			}
		}
		assert.Positive(t, parents["Audits.GetAndWait > Audits.Get"])
		assert.Positive(t, parents["Audits.CreateAndWait > Audits.Create"])
		assert.Positive(t, parents["Audits.CreateAndWait > Audits.Get"])
		assert.Positive(t, parents["Audits.CreateAndWaitAll > Credits.Get"])
		assert.Positive(t, parents["Audits.CreateAndWaitAll > Audits.CreateBatch"])

		// No identifier in any event.
		secrets := []string{srv.APIKey, "natgeo", "esa", "spacex", "nasa", "NASA", "bbc", "someprivate", "not a handle"}
		for _, id := range ids {
			if id > 0 {
				secrets = append(secrets, strconv.FormatInt(id, 10))
			}
		}
		secrets = append(secrets, "7", "3") // the list's query values
		events := rec.Events()
		checked := 0
		for _, e := range events {
			for _, s := range vendortest.Strings(e) {
				checked++
				for _, secret := range secrets {
					if strings.Contains(s, secret) || vendortest.Holds(s, srv.APIKey) {
						t.Errorf("an event holds %q: %q in %+v", secret, s, e)
					}
				}
			}
		}
		assert.Positive(t, checked)
		t.Logf("%d events, %d strings checked against %d identifiers", len(events), checked, len(secrets))
	})
}
