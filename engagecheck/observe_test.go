package engagecheck_test

import (
	"context"
	"strconv"
	"strings"
	"sync"
	"testing"
	"testing/synctest"

	"github.com/creatorkit/creatorkit-go"
	"github.com/creatorkit/creatorkit-go/engagecheck"
	"github.com/creatorkit/creatorkit-go/engagecheck/engagechecktest"
	"github.com/creatorkit/creatorkit-go/internal/leakcheck"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type spanKey struct{}

// started is a call the recorder saw start, and the call it started in.
type started struct {
	op, parent string
}

// recorder is an Observer that keeps every event, and which call each
// call started in (the operation its context carries).
type recorder struct {
	mu     sync.Mutex
	starts []started
	events []any // every CallInfo, AttemptEvent and CallEvent, in order
	polls  map[string][]int
	items  map[string][]int
	kinds  map[string][]string
}

func (r *recorder) StartCall(ctx context.Context, c creatorkit.CallInfo) context.Context {
	r.mu.Lock()
	defer r.mu.Unlock()
	outer, _ := ctx.Value(spanKey{}).(span)
	r.starts = append(r.starts, started{op: c.Operation, parent: outer.op})
	r.events = append(r.events, c)
	return context.WithValue(ctx, spanKey{}, span{op: c.Operation, parent: outer.op})
}

func (r *recorder) EndAttempt(ctx context.Context, a creatorkit.AttemptEvent) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.events = append(r.events, a)
}

// EndCall records the call's polls, items and error kind under the call
// it ran in and its own operation ("Audits.GetAndWait > Audits.Get"; " > op"
// at the top).
func (r *recorder) EndCall(ctx context.Context, c creatorkit.CallEvent) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.polls == nil {
		r.polls, r.items, r.kinds = map[string][]int{}, map[string][]int{}, map[string][]string{}
	}
	sp, _ := ctx.Value(spanKey{}).(span)
	key := sp.parent + " > " + c.Operation
	r.polls[key] = append(r.polls[key], c.Polls)
	r.items[key] = append(r.items[key], c.Items)
	r.kinds[key] = append(r.kinds[key], c.ErrorKind)
	r.events = append(r.events, c)
}

// span is what a call's context carries: its operation and the operation
// of the call it runs in.
type span struct{ op, parent string }

// attemptsOf returns the attempts of op, and the routes they named.
func (r *recorder) attemptsOf(op string) (n int, routes map[string]int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	routes = map[string]int{}
	for _, e := range r.events {
		if a, ok := e.(creatorkit.AttemptEvent); ok && a.Operation == op {
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
		rec := &recorder{}
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
		n, _ := rec.attemptsOf("Credits.Get")
		assert.Equal(t, 2+3, n, "the roster's balance read, and the retried call's three attempts")

		// Every request the fake saw is an attempt, with its route.
		rec.mu.Lock()
		attempts := 0
		routes := map[string]bool{}
		for _, e := range rec.events {
			if at, ok := e.(creatorkit.AttemptEvent); ok {
				attempts++
				routes[at.Method+" "+at.Route] = true
				assert.NotEmpty(t, at.Route, "%s has a route", at.Operation)
			}
		}
		rec.mu.Unlock()
		assert.Equal(t, srv.Snapshot().TotalRequests(), attempts, "every request is seen")
		assert.Equal(t, map[string]bool{"GET credits": true, "POST audits": true, "GET audits/{id}": true, "POST audits/batch": true, "GET audits": true}, routes)

		// Every call ends once, the waits with their status checks, the
		// roster with its answers.
		for _, op := range []string{"Credits.Get", "Audits.Create", "Audits.GetAndWait", "Audits.CreateBatch", "Audits.List",
			"Audits.CreateAndWait", "Audits.CreateAndWaitAll"} {
			want := 1
			if op == "Credits.Get" {
				want = 2
			}
			assert.Len(t, rec.polls[" > "+op], want, "%s: each call at the top ended once", op)
		}
		assert.Equal(t, []int{waitGets}, rec.polls[" > Audits.GetAndWait"], "a wait's polls are its status checks")
		assert.Len(t, rec.polls["Audits.GetAndWait > Audits.Get"], waitGets, "each check a call of its own, in the wait")
		assert.Equal(t, []int{len(rec.polls["Audits.CreateAndWait > Audits.Get"])}, rec.polls[" > Audits.CreateAndWait"])
		assert.Positive(t, rec.polls[" > Audits.CreateAndWait"][0])
		assert.Equal(t, []int{last.Polls + last.Probes}, rec.polls[" > Audits.CreateAndWaitAll"])
		assert.Positive(t, last.Polls+last.Probes)
		assert.Equal(t, []int{3}, rec.items[" > Audits.CreateAndWaitAll"], "three inputs answered")
		assert.Equal(t, 3, answered)
		assert.Equal(t, []string{""}, rec.kinds[" > Audits.CreateAndWaitAll"], "the roster itself did not fail")
		n, _ = rec.attemptsOf("Audits.Get")
		assert.Positive(t, n)

		// The calls a wait or a roster makes carry its context.
		for _, s := range rec.starts {
			switch s.op {
			case "Audits.GetAndWait", "Audits.CreateAndWait", "Audits.CreateAndWaitAll":
				assert.Empty(t, s.parent, "%s starts at the top", s.op)
			}
		}
		parents := map[string]int{}
		for _, s := range rec.starts {
			if s.parent != "" {
				parents[s.parent+" > "+s.op]++
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
		rec.mu.Lock()
		defer rec.mu.Unlock()
		checked := 0
		for _, e := range rec.events {
			for _, s := range leakcheck.Strings(e) {
				checked++
				for _, secret := range secrets {
					if strings.Contains(s, secret) || leakcheck.Holds(s, srv.APIKey) {
						t.Errorf("an event holds %q: %q in %+v", secret, s, e)
					}
				}
			}
		}
		assert.Positive(t, checked)
		t.Logf("%d events, %d strings checked against %d identifiers", len(rec.events), checked, len(secrets))
	})
}
