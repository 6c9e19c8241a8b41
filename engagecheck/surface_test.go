package engagecheck_test

import (
	"context"
	"iter"
	"net/http"
	"strconv"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/creatorkit/creatorkit-go"
	"github.com/creatorkit/creatorkit-go/engagecheck"
	"github.com/creatorkit/creatorkit-go/engagecheck/engagechecktest"
	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Issue 12 defect: CreateAndWaitAll (RunAll) yielded (nil, err) for bad
// options although its documentation says the audit is never nil. Every
// path that yields must hold a non-nil audit.
func TestCreateAndWaitAllNeverYieldsANilAudit(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv, c := fastFake(t, engagechecktest.WithCredits(3))
		canceled, cancel := context.WithCancel(context.Background())
		cancel()
		cases := []struct {
			name  string
			seq   iter.Seq2[engagecheck.Answer[*engagecheck.Audit], error]
			yield int
			kind  error
		}{
			{"bad poll interval", c.Audits.CreateAndWaitAll(ctx, []string{"natgeo"}, engagecheck.WithPollInterval(0, 0)), 1, engagecheck.ErrInvalidParams},
			{"bad webhook URL", c.Audits.CreateAndWaitAll(ctx, []string{"natgeo"}, engagecheck.WithWebhookURL("mailto:x")), 1, engagecheck.ErrInvalidParams},
			{"invalid handles", c.Audits.CreateAndWaitAll(ctx, []string{"not a handle", "@", "https://example.com/natgeo"}, srv.PollOptions()...), 3, engagecheck.ErrInvalidParams},
			{"quota refusal", c.Audits.CreateAndWaitAll(ctx, []string{"a1", "a2", "a3", "a4"}, srv.PollOptions()...), 4, engagecheck.ErrQuotaExceeded},
			{"context ended", c.Audits.CreateAndWaitAll(canceled, []string{"a1", "a2"}, srv.PollOptions()...), 2, context.Canceled},
			{"failed audit", c.Audits.CreateAndWaitAll(ctx, []string{"someprivate"}, srv.PollOptions()...), 1, engagecheck.ErrAuditFailed},
		}
		for _, tc := range cases { // one bubble, so no subtests (T.Run cannot be called in a bubble)
			n := 0
			for ans, err := range tc.seq {
				n++
				require.NotNil(t, ans.Value, "%s: yield %d", tc.name, n)
				assert.ErrorIs(t, err, tc.kind, tc.name)
			}
			assert.Equal(t, tc.yield, n, tc.name)
		}
		assert.Equal(t, 1, srv.AuditCount(), "only the failed audit was submitted")
	})
}

// Issue 12 defect: for an invalid handle or a quota refusal the per-item
// error said only "not submitted" and had no handle, so the README's
// print showed "@: not submitted". The ItemError names the handle and
// says why.
func TestCreateAndWaitAllItemErrorsSayWhy(t *testing.T) {
	t.Parallel()
	t.Run("invalid handle", func(t *testing.T) {
		t.Parallel()
		synctest.Test(t, func(t *testing.T) {
			srv, c := fastFake(t)
			var got []*engagecheck.ItemError
			for ans, err := range c.Audits.CreateAndWaitAll(ctx, []string{"bad handle!", "https://example.com/natgeo", "natgeo"}, srv.PollOptions()...) {
				a := ans.Value
				if err == nil {
					continue
				}
				var ie *engagecheck.ItemError
				require.ErrorAs(t, err, &ie)
				assert.Equal(t, ie.Input, a.Username)
				got = append(got, ie)
			}
			require.Len(t, got, 2)
			e := got[0]
			assert.ErrorIs(t, e, engagecheck.ErrInvalidParams)
			assert.Equal(t, "engagecheck", e.Vendor)
			assert.Equal(t, "bad handle!", e.Input)
			assert.Empty(t, e.Item, "not a handle: nothing to normalize")
			assert.Empty(t, e.ID)
			assert.Empty(t, e.State)
			assert.Equal(t, "not submitted: not an Instagram handle: only letters, digits, periods and underscores are allowed", e.Reason)
			assert.Equal(t, `engagecheck: "bad handle!": not submitted: not an Instagram handle: only letters, digits, periods and underscores are allowed`, e.Error(),
				"the handle and why it is not one, once")
			assert.Equal(t, "not submitted: not an Instagram handle: a URL that is not an Instagram profile", got[1].Reason)
		})
	})
	t.Run("quota refusal", func(t *testing.T) {
		t.Parallel()
		synctest.Test(t, func(t *testing.T) {
			srv, c := fastFake(t, engagechecktest.WithCredits(30))
			n := 0
			for ans, err := range c.Audits.CreateAndWaitAll(ctx, append([]string{"@Creator_000"}, handles(40)[1:]...), srv.PollOptions()...) {
				a := ans.Value
				var ie *engagecheck.ItemError
				require.ErrorAs(t, err, &ie)
				assert.ErrorIs(t, err, engagecheck.ErrQuotaExceeded)
				assert.Equal(t, "instagram/@"+a.Username, ie.Item)
				if n == 0 {
					assert.Equal(t, "@Creator_000", ie.Input)
					assert.Equal(t, "instagram/@creator_000", ie.Item)
				}
				assert.NotEmpty(t, ie.Item)
				assert.Empty(t, ie.ID)
				assert.Equal(t, "not submitted: the roster needs 40 credits and the key has 30 (nothing was spent; WithAllowPartial audits as many handles as the balance covers)", ie.Reason)
				n++
			}
			assert.Equal(t, 40, n)
			assert.Zero(t, srv.AuditCount())
		})
	})
	t.Run("failed audit", func(t *testing.T) {
		t.Parallel()
		synctest.Test(t, func(t *testing.T) {
			srv, c := fastFake(t)
			for ans, err := range c.Audits.CreateAndWaitAll(ctx, []string{"@SomePrivate"}, srv.PollOptions()...) {
				a := ans.Value
				var ie *engagecheck.ItemError
				require.ErrorAs(t, err, &ie)
				assert.Equal(t, engagecheck.ItemError{Vendor: "engagecheck", Input: "@SomePrivate", Item: "instagram/@someprivate", ID: strconv.FormatInt(a.ID, 10),
					State: "error", Reason: "Account is private (EngageCheck refunded the credit)", Err: engagecheck.ErrAuditFailed}, *ie)
			}
		})
	})
}

// The package exports every kind of package creatorkit, with its value.
func TestKindsAreTheRootKinds(t *testing.T) {
	t.Parallel()
	mine := []error{engagecheck.ErrInvalidParams, engagecheck.ErrUnauthorized, engagecheck.ErrForbidden, engagecheck.ErrNotFound,
		engagecheck.ErrConflict, engagecheck.ErrRateLimited, engagecheck.ErrQuotaExceeded, engagecheck.ErrServer, engagecheck.ErrNetwork,
		engagecheck.ErrOutcomeUnknown, engagecheck.ErrUnexpectedResponse, engagecheck.ErrBudgetExceeded}
	assert.Equal(t, creatorkit.Kinds(), mine)
}

// DefaultRateLimit is a value, not a package variable anyone can change.
func TestDefaultRateLimit(t *testing.T) {
	t.Parallel()
	w := engagecheck.DefaultRateLimit()
	assert.Equal(t, engagecheck.Window{N: 60, Per: time.Minute}, w)
	w.N = 1
	assert.Equal(t, 60, engagecheck.DefaultRateLimit().N)
}

// A nil Option is skipped; a bad one fails NewClient.
func TestOptions(t *testing.T) {
	t.Parallel()
	c, err := engagecheck.NewClient(nil, engagecheck.WithAPIKey(testKey), nil, engagecheck.WithMaxConcurrency(2), engagecheck.WithMaxRetryAfter(time.Second))
	require.NoError(t, err)
	assert.NotNil(t, c.Audits)
	for _, bad := range []engagecheck.Option{engagecheck.WithMaxConcurrency(-1), engagecheck.WithMaxRetryAfter(-time.Second), engagecheck.WithBaseURL("not a url")} {
		_, err := engagecheck.NewClient(engagecheck.WithAPIKey(testKey), bad)
		assert.ErrorIs(t, err, engagecheck.ErrInvalidParams)
	}
}

// CreateAndWait takes CreateAuditParams like Create: its webhook URL (or
// WithWebhookURL's) and idempotency key are sent.
func TestCreateAndWaitSendsParams(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		c, mt := newMockClient(t)
		var mu sync.Mutex
		var keys []string
		mt.RegisterResponder("POST", base+"/audits", func(r *http.Request) (*http.Response, error) {
			mu.Lock()
			keys = append(keys, r.Header.Get("Idempotency-Key"))
			mu.Unlock()
			return expect(t, "POST", "", `{"username":"natgeo","webhook_url":"https://hooks.example.com/ec"}`, 202, "audit_created.json")(r)
		})
		mt.RegisterResponder("GET", base+"/audits/142", fixtureResponder(t, 200, "audit_complete.json"))
		fast := engagecheck.WithPollInterval(time.Millisecond, time.Millisecond)

		a, err := c.Audits.CreateAndWait(ctx, engagecheck.CreateAuditParams{Username: "@NatGeo", WebhookURL: "https://hooks.example.com/ec", IdempotencyKey: "k-1"}, fast)
		require.NoError(t, err)
		assert.Equal(t, engagecheck.StatusComplete, a.Status)
		a, err = c.Audits.CreateAndWait(ctx, engagecheck.CreateAuditParams{Username: "natgeo"}, fast, engagecheck.WithWebhookURL("https://hooks.example.com/ec"))
		require.NoError(t, err)
		assert.Equal(t, engagecheck.StatusComplete, a.Status)
		assert.Equal(t, []string{"k-1", ""}, keys)

		calls := mt.GetTotalCallCount()
		for _, p := range []engagecheck.CreateAuditParams{
			{Username: "natgeo", WebhookURL: "https://other.example.com/ec"},
			{Username: "natgeo", WebhookURL: "ftp://hooks.example.com"},
			{Username: "natgeo", IdempotencyKey: "bad\nkey"},
			{Username: ""},
		} {
			_, err := c.Audits.CreateAndWait(ctx, p, fast, engagecheck.WithWebhookURL("https://hooks.example.com/ec"))
			assert.ErrorIs(t, err, engagecheck.ErrInvalidParams, "%+v", p)
		}
		assert.Equal(t, calls, mt.GetTotalCallCount(), "refused before anything was sent")
	})
}

// GetAndWait reports each check that did not end the wait.
func TestGetAndWaitReportsProgress(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		c, mt := newMockClient(t)
		n := 0
		mt.RegisterResponder("GET", base+"/audits/142", func(r *http.Request) (*http.Response, error) {
			n++
			if n < 3 {
				return fixtureResponder(t, 200, "audit_analyzing.json")(r)
			}
			return fixtureResponder(t, 200, "audit_complete.json")(r)
		})
		var seen []engagecheck.Progress
		a, err := c.Audits.GetAndWait(ctx, 142, engagecheck.WithPollInterval(time.Millisecond, time.Millisecond),
			engagecheck.WithProgress(func(p engagecheck.Progress) { seen = append(seen, p) }))
		require.NoError(t, err)
		assert.Equal(t, engagecheck.StatusComplete, a.Status)
		require.Len(t, seen, 2, "two checks found it running")
		for i, p := range seen {
			assert.Equal(t, "Audits.GetAndWait", p.Op)
			assert.Equal(t, i+1, p.Checks)
			assert.Equal(t, int64(142), p.ID)
			assert.Equal(t, "natgeo", p.Username)
			assert.Equal(t, engagecheck.StatusAnalyzing, p.State)
			assert.Equal(t, i > 0, p.Elapsed > 0, "the first check is at once; the next after a wait")
			assert.Zero(t, p.Total, "no roster counts in a wait")
		}
	})
}

// ListAll takes caps like every iterator: none by default (the list is
// free), WithMaxItems and WithMaxPages set one, a negative value is none.
func TestListAllCaps(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	page := 0
	mt.RegisterResponder("GET", base+"/audits", func(r *http.Request) (*http.Response, error) {
		page++
		off, _ := strconv.Atoi(r.URL.Query().Get("offset"))
		limit, _ := strconv.Atoi(r.URL.Query().Get("limit"))
		rows := `[`
		for i := 0; i < limit && off+i < 25; i++ {
			if i > 0 {
				rows += ","
			}
			rows += `{"id":` + strconv.Itoa(1000-off-i) + `,"username":"u","status":"complete","created_at":"2026-06-25 17:00:00"}`
		}
		return httpmock.NewStringResponse(200, `{"data":`+rows+`],"count":0,"limit":`+strconv.Itoa(limit)+`,"offset":`+strconv.Itoa(off)+`}`), nil
	})
	count := func(opts ...engagecheck.ListOption) (int, int) {
		page = 0
		n := 0
		for _, err := range c.Audits.ListAll(ctx, engagecheck.ListAuditsParams{Limit: 10}, opts...) {
			require.NoError(t, err)
			n++
		}
		return n, page
	}
	items, pages := count()
	assert.Equal(t, [2]int{25, 3}, [2]int{items, pages}, "no cap")
	items, pages = count(engagecheck.WithMaxItems(12))
	assert.Equal(t, [2]int{12, 2}, [2]int{items, pages})
	items, pages = count(engagecheck.WithMaxPages(1))
	assert.Equal(t, [2]int{10, 1}, [2]int{items, pages})
	items, pages = count(engagecheck.WithMaxPages(-1), engagecheck.WithMaxItems(-1))
	assert.Equal(t, [2]int{25, 3}, [2]int{items, pages}, "negative: no cap")

	items, pages = count(nil, engagecheck.WithMaxItems(12), nil)
	assert.Equal(t, [2]int{12, 2}, [2]int{items, pages}, "a nil option is skipped")

	calls := mt.GetTotalCallCount()
	n := 0
	for a, err := range c.Audits.ListAll(ctx, engagecheck.ListAuditsParams{Limit: 101}, engagecheck.WithMaxItems(3)) {
		n++
		assert.Zero(t, a)
		assert.ErrorIs(t, err, engagecheck.ErrInvalidParams)
	}
	assert.Equal(t, 1, n)
	assert.Equal(t, calls, mt.GetTotalCallCount())
}

// Every wait option type works with every wait: a bad option is
// ErrInvalidParams before anything is sent.
func TestWaitOptionErrors(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	bad := engagecheck.WithPollInterval(time.Second, time.Millisecond)
	_, err := c.Audits.GetAndWait(ctx, 142, bad)
	assert.ErrorIs(t, err, engagecheck.ErrInvalidParams)
	_, err = c.Audits.CreateAndWait(ctx, engagecheck.CreateAuditParams{Username: "natgeo"}, bad)
	assert.ErrorIs(t, err, engagecheck.ErrInvalidParams)
	for ans, err := range c.Audits.CreateAndWaitAll(ctx, []string{"natgeo"}, bad) {
		a := ans.Value
		assert.NotNil(t, a)
		assert.ErrorIs(t, err, engagecheck.ErrInvalidParams)
	}
	assert.Zero(t, mt.GetTotalCallCount())
}
