package engagecheck_test

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/creatorkit/creatorkit-go/engagecheck"
	"github.com/creatorkit/creatorkit-go/engagecheck/engagechecktest"
	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Issue 19: one surface, the same rules as every package.

// When the context ends, a roster answers every unfinished input with an
// *ItemError whose Err is a *TimeoutError: submitted ones with their id
// and last state, queued ones as not submitted.
func TestCreateAndWaitAllDeadlineAnswersEveryInputWithATimeout(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv, _ := fastFake(t, engagechecktest.WithCredits(100))
		c, err := srv.NewClient()
		require.NoError(t, err)
		srv.SetFaults(engagechecktest.Faults{Routes: []string{engagechecktest.RouteGet, engagechecktest.RouteList}, ErrorRate: map[int]float64{503: 0.3}})
		// 60 handles at 60 requests a minute: the second batch goes out
		// after the first, and a 42 s audit needs more than 30 s.
		ctx, cancel := context.WithTimeout(testCtx(t), 30*time.Second)
		defer cancel()
		submitted, queued := 0, 0
		for ans, err := range c.Audits.CreateAndWaitAll(ctx, append(handles(55), "@Creator_055"), srv.PollOptions()...) {
			a := ans.Value
			var ie *engagecheck.ItemError
			require.ErrorAs(t, err, &ie)
			te, ok := ie.Err.(*engagecheck.TimeoutError)
			require.True(t, ok, "Err is a *TimeoutError: %T", ie.Err)
			var te2 *engagecheck.TimeoutError
			assert.ErrorAs(t, err, &te2)
			assert.ErrorIs(t, err, context.DeadlineExceeded)
			assert.Equal(t, "Audits.CreateAndWaitAll", te.Op)
			assert.Equal(t, "instagram/@"+a.Username, ie.Item)
			if ie.Input == "@Creator_055" {
				assert.Equal(t, "instagram/@creator_055", ie.Item, "Input as given, Item as EngageCheck knows it")
			}
			if id, ok := ie.IDInt64(); ok {
				submitted++
				assert.Equal(t, a.ID, id)
				assert.NotEmpty(t, ie.State, "the last state seen")
				assert.Equal(t, fmt.Sprintf("stopped before the audit settled; fetch it later with Audits.Get(ctx, %d)", id), ie.Reason)
				assert.Equal(t, fmt.Sprintf("audit %d of @%s is %s", id, a.Username, ie.State), te.Last)
			} else {
				queued++
				assert.Equal(t, "not submitted before the context ended; nothing was spent for it", ie.Reason)
				assert.Equal(t, "not submitted", te.Last)
			}
			assert.NotContains(t, strings.TrimPrefix(err.Error(), "engagecheck: "), "engagecheck: engagecheck", "said once")
		}
		assert.Positive(t, submitted)
		assert.Equal(t, 56, submitted+queued)
	})
}

// A CreateAndWait whose context ends before its submit is settled answers
// with an *ItemError whose Err is a *TimeoutError; when the submit's
// answer was lost, ErrOutcomeUnknown is in its chain too.
func TestCreateAndWaitDeadlineBeforeTheSubmitSettles(t *testing.T) {
	t.Parallel()
	t.Run("refused", func(t *testing.T) {
		t.Parallel()
		synctest.Test(t, func(t *testing.T) {
			srv, c := fastFake(t)
			srv.SetFaults(engagechecktest.Faults{Routes: []string{engagechecktest.RouteCreate}, ErrorRate: map[int]float64{429: 1}})
			ctx, cancel := context.WithTimeout(testCtx(t), 2*time.Second)
			defer cancel()
			_, err := c.Audits.CreateAndWait(ctx, engagecheck.CreateAuditParams{Username: "@NatGeo"}, srv.PollOptions()...)
			var ie *engagecheck.ItemError
			require.ErrorAs(t, err, &ie)
			_, ok := ie.Err.(*engagecheck.TimeoutError)
			require.True(t, ok, "%T", ie.Err)
			assert.ErrorIs(t, err, context.DeadlineExceeded)
			assert.NotErrorIs(t, err, engagecheck.ErrOutcomeUnknown)
			assert.Equal(t, "@NatGeo", ie.Input)
			assert.Equal(t, "instagram/@natgeo", ie.Item)
			assert.Equal(t, "stopped before the audit was submitted; nothing was spent", ie.Reason)
		})
	})
	t.Run("lost", func(t *testing.T) {
		t.Parallel()
		synctest.Test(t, func(t *testing.T) {
			srv, c := fastFake(t)
			srv.SetFaults(engagechecktest.Faults{Routes: []string{engagechecktest.RouteCreate, engagechecktest.RouteList}, DropAfterRate: 1})
			ctx, cancel := context.WithTimeout(testCtx(t), 2*time.Second)
			defer cancel()
			_, err := c.Audits.CreateAndWait(ctx, engagecheck.CreateAuditParams{Username: "natgeo"}, srv.PollOptions()...)
			var ie *engagecheck.ItemError
			require.ErrorAs(t, err, &ie)
			te, ok := ie.Err.(*engagecheck.TimeoutError)
			require.True(t, ok, "%T", ie.Err)
			assert.ErrorIs(t, err, context.DeadlineExceeded)
			assert.ErrorIs(t, err, engagecheck.ErrOutcomeUnknown, "an audit may exist")
			assert.Equal(t, "submitted, its answer lost", te.Last)
			assert.Equal(t, 1, srv.AuditCount())
			assert.Equal(t, 1, srv.Snapshot().Requests[engagechecktest.RouteCreate], "never resent")
		})
	})
}

// One WaitOption type serves every wait, but an option a call cannot use
// is refused before anything is sent, naming the option and the calls it
// applies to.
func TestWaitOptionsACallCannotUseAreRefused(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	_, err := c.Audits.GetAndWait(ctx, 142, engagecheck.WithAllowPartial())
	require.ErrorIs(t, err, engagecheck.ErrInvalidParams)
	assert.Contains(t, err.Error(), "WithAllowPartial applies to Audits.CreateAndWaitAll only, not to Audits.GetAndWait")
	_, err = c.Audits.CreateAndWait(ctx, engagecheck.CreateAuditParams{Username: "natgeo"}, engagecheck.WithAllowPartial())
	require.ErrorIs(t, err, engagecheck.ErrInvalidParams)
	assert.Contains(t, err.Error(), "WithAllowPartial applies to Audits.CreateAndWaitAll only, not to Audits.CreateAndWait")
	_, err = c.Audits.GetAndWait(ctx, 142, engagecheck.WithWebhookURL("https://hooks.example.com/ec"))
	require.ErrorIs(t, err, engagecheck.ErrInvalidParams)
	assert.Contains(t, err.Error(), "WithWebhookURL applies to Audits.CreateAndWait and Audits.CreateAndWaitAll only, not to Audits.GetAndWait")
	assert.Zero(t, mt.GetTotalCallCount(), "nothing sent")
}

// WithPollInterval(first, 0) keeps the default ceiling (30 s) for every
// wait; a first interval of 0, or a ceiling below it, is refused.
func TestWithPollIntervalZeroCeilingKeepsTheDefault(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		c, mt := newMockClient(t)
		var at []time.Duration
		start := time.Now()
		mt.RegisterResponder("GET", base+"/audits/142", func(r *http.Request) (*http.Response, error) {
			at = append(at, time.Since(start))
			if len(at) < 8 {
				return fixtureResponder(t, 200, "audit_analyzing.json")(r)
			}
			return fixtureResponder(t, 200, "audit_complete.json")(r)
		})
		_, err := c.Audits.GetAndWait(ctx, 142, engagecheck.WithPollInterval(10*time.Second, 0))
		require.NoError(t, err)
		var longest time.Duration
		for i := 1; i < len(at); i++ {
			longest = max(longest, at[i]-at[i-1])
		}
		assert.Greater(t, longest, 20*time.Second, "grown past 15 s: the ceiling is 30 s")
		assert.LessOrEqual(t, longest, 36*time.Second, "within the default ceiling (and its jitter of 20%)")
	})
	c, mt := newMockClient(t)
	for _, bad := range []engagecheck.WaitOption{engagecheck.WithPollInterval(0, 0), engagecheck.WithPollInterval(2*time.Second, time.Second)} {
		_, err := c.Audits.GetAndWait(ctx, 142, bad)
		assert.ErrorIs(t, err, engagecheck.ErrInvalidParams)
		inputs := []string{"natgeo", "@NatGeo", ""}
		var answered []int
		for a, err := range c.Audits.CreateAndWaitAll(ctx, inputs, bad) {
			assert.ErrorIs(t, err, engagecheck.ErrInvalidParams)
			var ie *engagecheck.ItemError
			require.ErrorAs(t, err, &ie, "every input is answered, as in the other packages' rosters")
			assert.Equal(t, inputs[a.Index], a.Input)
			answered = append(answered, a.Index)
		}
		assert.Equal(t, []int{0, 1, 2}, answered, "one answer per input, none with index -1")
	}
	for _, err := range c.Audits.CreateAndWaitAll(ctx, []string{"bad handle!"}, engagecheck.WithPollInterval(time.Hour, 0)) {
		assert.ErrorIs(t, err, engagecheck.ErrInvalidParams, "a first interval above the ceiling is the ceiling")
		assert.NotContains(t, err.Error(), "options")
	}
	assert.Zero(t, mt.GetTotalCallCount())
}

// ListAll yields a row it cannot read in its place, with an *ItemError,
// and goes on; List leaves it out of Data and reports its path.
func TestListAllYieldsAnUnreadableRowAndGoesOn(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	row := func(id int, name string) string {
		return fmt.Sprintf(`{"id":%d,"username":%q,"status":"complete","created_at":"2026-06-25 17:00:00"}`, id, name)
	}
	mt.RegisterResponder("GET", base+"/audits", func(r *http.Request) (*http.Response, error) {
		switch r.URL.Query().Get("offset") {
		case "":
			return httpmock.NewStringResponse(200, `{"data":[`+row(9, "a")+`,{"id":8,"username":"b","status":null,"created_at":"2026-06-25 17:00:00"},null,`+row(6, "d")+`],"count":4,"limit":4,"offset":0}`), nil
		default:
			return httpmock.NewStringResponse(200, `{"data":[{"id":"5","username":"e","status":"complete","created_at":"2026-06-25 17:00:00"},`+row(4, "f")+`],"count":2,"limit":4,"offset":4}`), nil
		}
	})
	type got struct {
		id   int64
		item string
	}
	var seen []got
	for s, err := range c.Audits.ListAll(ctx, engagecheck.ListAuditsParams{Limit: 4}) {
		var ie *engagecheck.ItemError
		if err != nil {
			require.ErrorAs(t, err, &ie)
			require.ErrorIs(t, err, engagecheck.ErrUnexpectedResponse)
			seen = append(seen, got{s.ID, ie.Item + " | " + ie.Reason})
			continue
		}
		seen = append(seen, got{s.ID, s.Username})
	}
	assert.Equal(t, []got{
		{9, "a"},
		{8, "instagram/@b | row 1 of the page at offset 0 could not be read (status: got null, want engagecheck.AuditStatus); it was skipped"},
		{0, " | row 2 of the page at offset 0 could not be read (got null, want engagecheck.AuditSummary); it was skipped"},
		{6, "d"},
		{0, "instagram/@e | row 0 of the page at offset 4 could not be read (id: got string, want int64); it was skipped"},
		{4, "f"},
	}, seen, "every row in its place; the walk went on to the second page (4 rows on the first)")

	l, err := c.Audits.List(ctx, engagecheck.ListAuditsParams{Limit: 4})
	require.NoError(t, err)
	assert.Len(t, l.Data, 2)
	var paths []string
	for _, is := range l.Response.DecodeIssues {
		paths = append(paths, is.Path)
	}
	assert.Equal(t, []string{"data[1].status", "data[2]"}, paths)

	_, err = newStrict(t, mt).Audits.List(ctx, engagecheck.ListAuditsParams{Limit: 4})
	assert.ErrorIs(t, err, engagecheck.ErrUnexpectedResponse, "strict: a skipped row fails the call")
}

func newStrict(t *testing.T, mt *httpmock.MockTransport) *engagecheck.Client {
	c, err := engagecheck.NewClient(engagecheck.WithAPIKey(testKey), engagecheck.WithHTTPClient(&http.Client{Transport: mt}), engagecheck.WithStrictDecoding())
	require.NoError(t, err)
	return c
}

// Reconciling a lost submit treats a row it cannot read as unknown, never
// as absent: a row with a readable id is asked for by id (and adopted when
// it is the submit's audit); one without is no proof that nothing was
// created, so nothing is resent.
func TestReconcileTreatsAnUnreadableRowAsUnknown(t *testing.T) {
	t.Parallel()
	lostCreate := func(mt *httpmock.MockTransport, posts *atomic.Int32) {
		mt.RegisterResponder("POST", base+"/audits", func(r *http.Request) (*http.Response, error) {
			posts.Add(1) // the audit was created; the answer is a proxy's 502
			return httpmock.NewStringResponse(502, `{"error":"Bad gateway"}`), nil
		})
	}
	t.Run("asked by id", func(t *testing.T) {
		t.Parallel()
		c, mt := newMockClient(t)
		var posts atomic.Int32
		lostCreate(mt, &posts)
		mt.RegisterResponder("GET", base+"/audits", httpmock.NewStringResponder(200, `{"data":[{"id":143,"username":null,"status":"pending","created_at":"`+nowUTC()+`"}],"count":1,"limit":100,"offset":0}`))
		mt.RegisterResponder("GET", base+"/audits/143", httpmock.NewStringResponder(200, `{"id":143,"username":"natgeo","status":"pending","created_at":"`+nowUTC()+`"}`))
		a, err := c.Audits.Create(ctx, engagecheck.CreateAuditParams{Username: "natgeo"})
		require.NoError(t, err)
		assert.Equal(t, int64(143), a.ID)
		assert.Equal(t, int32(1), posts.Load(), "found by id: never resent")
	})
	t.Run("no id", func(t *testing.T) {
		t.Parallel()
		c, mt := newMockClient(t)
		var posts atomic.Int32
		lostCreate(mt, &posts)
		mt.RegisterResponder("GET", base+"/audits", httpmock.NewStringResponder(200, `{"data":[{"id":null,"username":"natgeo","status":"pending","created_at":"`+nowUTC()+`"}],"count":1,"limit":100,"offset":0}`))
		_, err := c.Audits.Create(ctx, engagecheck.CreateAuditParams{Username: "natgeo"})
		require.ErrorIs(t, err, engagecheck.ErrOutcomeUnknown)
		assert.Equal(t, int32(1), posts.Load(), "an unreadable row may be the audit: never resent")
	})
}

// ItemError.ID is the audit id as text, IDInt64 reads it back for
// Audits.Get.
func TestItemErrorIDIsAnAuditID(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv, c := fastFake(t)
		for ans, err := range c.Audits.CreateAndWaitAll(testCtx(t), []string{"someprivate"}, srv.PollOptions()...) {
			a := ans.Value
			var ie *engagecheck.ItemError
			require.ErrorAs(t, err, &ie)
			id, ok := ie.IDInt64()
			require.True(t, ok)
			assert.Equal(t, a.ID, id)
			assert.Equal(t, strconv.FormatInt(a.ID, 10), ie.ID)
			got, err := c.Audits.Get(testCtx(t), id)
			require.NoError(t, err)
			assert.Equal(t, "someprivate", got.Username)
		}
	})
}
