package creatoraudit_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	creatorkit "github.com/creatorkit/creatorkit-go"
	"github.com/creatorkit/creatorkit-go/creatoraudit"
	"github.com/creatorkit/creatorkit-go/creatoraudit/creatoraudittest"
	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Every kind of package creatorkit is exported under its own name, with
// the root's value, so errors.Is matches across vendor packages.
func TestKindsAreTheRoots(t *testing.T) {
	t.Parallel()
	ours := []error{
		creatoraudit.ErrInvalidParams, creatoraudit.ErrUnauthorized, creatoraudit.ErrForbidden, creatoraudit.ErrNotFound,
		creatoraudit.ErrConflict, creatoraudit.ErrRateLimited, creatoraudit.ErrQuotaExceeded, creatoraudit.ErrServer,
		creatoraudit.ErrNetwork, creatoraudit.ErrOutcomeUnknown, creatoraudit.ErrUnexpectedResponse, creatoraudit.ErrBudgetExceeded,
	}
	roots := creatorkit.Kinds()
	if assert.Len(t, ours, len(roots), "one export per root kind") {
		for i, k := range roots {
			assert.Same(t, k, ours[i], "kind %d (%v)", i, k)
		}
	}
}

// ParsePlatform takes both platforms' names in any case; anything else
// is an ErrInvalidParams *Error. String gives the name back.
func TestParsePlatform(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]creatoraudit.Platform{
		"instagram": creatoraudit.Instagram, "Instagram": creatoraudit.Instagram, " INSTAGRAM ": creatoraudit.Instagram,
		"tiktok": creatoraudit.TikTok, "TikTok": creatoraudit.TikTok,
	} {
		got, err := creatoraudit.ParsePlatform(in)
		require.NoError(t, err, in)
		assert.Equal(t, want, got, in)
		assert.Equal(t, strings.ToLower(strings.TrimSpace(in)), got.String())
	}
	for _, in := range []string{"", "youtube", "twitter", "insta gram", "instagram\x00", "ig"} {
		got, err := creatoraudit.ParsePlatform(in)
		assert.Empty(t, got, "%q", in)
		assert.ErrorIs(t, err, creatoraudit.ErrInvalidParams, "%q", in)
		var e *creatoraudit.Error
		assert.True(t, errors.As(err, &e), "%q: an *Error", in)
	}
	for _, p := range creatoraudit.Platforms() {
		back, err := creatoraudit.ParsePlatform(p.String())
		require.NoError(t, err)
		assert.Equal(t, p, back)
	}
}

// The lists are functions returning fresh copies: a caller changing one
// changes nothing for the next caller.
func TestListsAreFreshCopies(t *testing.T) {
	t.Parallel()
	cs := creatoraudit.Codes()
	require.Len(t, cs, 14)
	cs[0] = "NOPE"
	assert.Equal(t, creatoraudit.CodeBadRequest, creatoraudit.Codes()[0])
	ps := creatoraudit.Platforms()
	ps[0] = "myspace"
	assert.Equal(t, []creatoraudit.Platform{creatoraudit.Instagram, creatoraudit.TikTok}, creatoraudit.Platforms())
}

// CodeOf finds the code of an *Error anywhere in a chain, an ItemError's
// cause included; Code is a string type.
func TestCodeOf(t *testing.T) {
	t.Parallel()
	assert.Equal(t, creatoraudit.Code(""), creatoraudit.CodeOf(nil))
	assert.Equal(t, creatoraudit.Code(""), creatoraudit.CodeOf(errors.New("plain")))
	e := &creatoraudit.Error{Code: "QUOTA_EXCEEDED", Kinds: []error{creatoraudit.ErrQuotaExceeded}}
	wrapped := &creatoraudit.ItemError{Vendor: "creatoraudit", Input: "x", Reason: "spent", Err: fmt.Errorf("create: %w", e)}
	assert.Equal(t, creatoraudit.CodeQuotaExceeded, creatoraudit.CodeOf(wrapped))
	assert.Equal(t, "QUOTA_EXCEEDED", string(creatoraudit.CodeOf(wrapped)))
}

// The results merged from several requests carry Raw and Response like
// every other result: Raw the one body or a JSON array of every body, in
// order; Response the last response's metadata with every request's
// decode issues.
func TestBatchResultsCarryRawAndResponse(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	ids := make([]string, 401)
	for i := range ids {
		ids[i] = fmt.Sprintf("00000000-0000-4000-8000-%012d", i)
	}
	n := 0
	mt.RegisterResponder("POST", base+"/accounts/metrics", func(r *http.Request) (*http.Response, error) {
		n++
		var body struct {
			AccountIDs []string `json:"account_ids"`
		}
		require.NoError(t, decodeJSON(r, &body))
		data := map[string]any{}
		for _, id := range body.AccountIDs {
			data[id] = map[string]any{"views": 10}
		}
		if n == 2 {
			data[body.AccountIDs[0]] = map[string]any{"views": "many"} // a decode issue on the second request
		}
		resp, err := httpmock.NewJsonResponse(200, map[string]any{"data": data, "meta": map[string]any{"request": n}})
		resp.Header.Set("X-Request-ID", fmt.Sprintf("req-%d", n))
		return resp, err
	})
	m, err := c.Accounts.Metrics(ctx, creatoraudit.MetricsParams{IDs: ids})
	require.NoError(t, err)
	require.Len(t, m.Pages, 3)
	var bodies []map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(m.Raw, &bodies), "Raw is a JSON array of the bodies")
	require.Len(t, bodies, 3)
	for i, b := range bodies {
		assert.JSONEq(t, fmt.Sprintf(`{"request":%d}`, i+1), string(b["meta"]))
		assert.JSONEq(t, string(m.Pages[i].Raw), mustJSON(t, b))
		require.NotNil(t, m.Pages[i].Response)
		assert.Equal(t, fmt.Sprintf("req-%d", i+1), m.Pages[i].Response.RequestID)
	}
	require.NotNil(t, m.Response)
	assert.Equal(t, "req-3", m.Response.RequestID, "the last response's metadata")
	require.Len(t, m.Response.DecodeIssues, 1, "with the issues of every request")
	assert.Equal(t, "data."+ids[200]+".views", m.Response.DecodeIssues[0].Path)

	mt.RegisterResponder("POST", base+"/videos/deltas", reply(t, 200, "videos_deltas.json"))
	d, err := c.Videos.Deltas(ctx, creatoraudit.DeltasParams{VideoIDs: []string{vidID}, Windows: []int{1, 7}})
	require.NoError(t, err)
	assert.JSONEq(t, readFixture(t, "videos_deltas.json"), string(d.Raw), "one request: Raw is its body")
	require.NotNil(t, d.Response)
	assert.Equal(t, 200, d.Response.StatusCode)
	assert.Equal(t, "req-videos_deltas.json", d.Response.RequestID)
}

func mustJSON(t *testing.T, v any) string {
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return string(b)
}

// ListAll takes its caps as ListOptions: none by default (the pages are
// free), WithMaxItems and WithMaxPages stop the walk, a negative value is
// no cap, and a MaxItems below the page size shrinks the page asked for.
func TestListOptions(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv, c := fastFake(t, creatoraudittest.WithRateLimit(0, 0))
		ctx := testCtx(t)
		names := make([]string, 450)
		for i := range names {
			names[i] = fmt.Sprintf("creator%03d", i)
		}
		srv.AddAccounts(creatoraudit.Instagram, names...)
		walk := func(p creatoraudit.ListAccountsParams, opts ...creatoraudit.ListOption) (n, requests int) {
			before := srv.Snapshot().Requests[creatoraudittest.RouteAccountsList]
			for _, err := range c.Accounts.ListAll(ctx, p, opts...) {
				require.NoError(t, err)
				n++
			}
			return n, srv.Snapshot().Requests[creatoraudittest.RouteAccountsList] - before
		}
		n, reqs := walk(creatoraudit.ListAccountsParams{})
		assert.Equal(t, [2]int{450, 3}, [2]int{n, reqs}, "no cap by default, 200 a page")
		n, reqs = walk(creatoraudit.ListAccountsParams{}, creatoraudit.WithMaxItems(5))
		assert.Equal(t, [2]int{5, 1}, [2]int{n, reqs}, "MaxItems")
		n, reqs = walk(creatoraudit.ListAccountsParams{Limit: 10}, creatoraudit.WithMaxPages(2))
		assert.Equal(t, [2]int{20, 2}, [2]int{n, reqs}, "MaxPages")
		n, reqs = walk(creatoraudit.ListAccountsParams{Limit: 100}, creatoraudit.WithMaxPages(-1), creatoraudit.WithMaxItems(-1))
		assert.Equal(t, [2]int{450, 5}, [2]int{n, reqs}, "negative: no cap")
		n, reqs = walk(creatoraudit.ListAccountsParams{Limit: 100}, creatoraudit.WithMaxItems(150))
		assert.Equal(t, [2]int{150, 2}, [2]int{n, reqs}, "an explicit Limit is kept")

		// The page asked for shrinks to MaxItems.
		mc, mt := newMockClient(t)
		var limits []string
		mt.RegisterResponder("GET", base+"/accounts", func(r *http.Request) (*http.Response, error) {
			limits = append(limits, r.URL.Query().Get("limit"))
			return httpmock.NewStringResponse(200, `{"data":[],"pagination":{"next_cursor":null,"has_next":false}}`), nil
		})
		for _, err := range mc.Accounts.ListAll(ctx, creatoraudit.ListAccountsParams{}, creatoraudit.WithMaxItems(7)) {
			require.NoError(t, err)
		}
		for _, err := range mc.Accounts.ListAll(ctx, creatoraudit.ListAccountsParams{}, creatoraudit.WithMaxItems(500)) {
			require.NoError(t, err)
		}
		assert.Equal(t, []string{"7", "200"}, limits)
	})
}

// Creators.Accounts is the one-page call, Creators.AccountsAll its
// iterator (it was the iterator Creators.Accounts): both list through
// GET /accounts?creator_id= and yield the same element type.
func TestCreatorAccountsPageAndAll(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv, c := fastFake(t, creatoraudittest.WithRateLimit(0, 0))
		ctx := testCtx(t)
		ids := srv.AddAccounts(creatoraudit.TikTok, "a1", "a2", "a3", "a4", "a5")
		other := srv.AddAccounts(creatoraudit.TikTok, "b1")
		cr, err := c.Creators.Create(ctx, creatoraudit.CreateCreatorParams{Name: "Group"})
		require.NoError(t, err)
		for _, id := range ids {
			_, err := c.Creators.LinkAccount(ctx, cr.ID, id)
			require.NoError(t, err)
		}
		page, err := c.Creators.Accounts(ctx, cr.ID, creatoraudit.ListAccountsParams{Limit: 2})
		require.NoError(t, err)
		require.Len(t, page.Data, 2)
		assert.True(t, page.Pagination.HasNext)
		var all []creatoraudit.Account
		for a, err := range c.Creators.AccountsAll(ctx, cr.ID, creatoraudit.ListAccountsParams{Limit: 2}) {
			require.NoError(t, err)
			all = append(all, a)
		}
		require.Len(t, all, 5)
		for _, a := range all {
			assert.NotEqual(t, other[0], a.ID)
			assert.Equal(t, cr.ID, a.GetCreatorID())
		}
		var capped int
		for _, err := range c.Creators.AccountsAll(ctx, cr.ID, creatoraudit.ListAccountsParams{}, creatoraudit.WithMaxItems(3)) {
			require.NoError(t, err)
			capped++
		}
		assert.Equal(t, 3, capped)

		_, err = c.Creators.Accounts(ctx, "not-a-uuid", creatoraudit.ListAccountsParams{})
		assert.ErrorIs(t, err, creatoraudit.ErrInvalidParams)
	})
}

// WithProgress reports every check that did not end the wait, with the
// account as CreatorAudit names it and the state; the checks count up.
func TestGetAndWaitProgress(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv, c := fastFake(t, creatoraudittest.WithScrapeDelay(10*time.Minute))
		ctx := testCtx(t)
		a, err := c.Accounts.Create(ctx, creatoraudit.CreateAccountParams{Platform: creatoraudit.TikTok, Username: "natgeo"})
		require.NoError(t, err)
		var mu sync.Mutex
		var seen []creatoraudit.Progress
		opts := append(srv.PollOptions(), creatoraudit.WithProgress(func(p creatoraudit.Progress) {
			mu.Lock()
			defer mu.Unlock()
			seen = append(seen, p)
		}))
		got, err := c.Accounts.GetAndWait(ctx, a.ID, opts...)
		require.NoError(t, err)
		assert.True(t, got.Scraped())
		mu.Lock()
		defer mu.Unlock()
		require.NotEmpty(t, seen, "the first checks found it not scraped")
		for i, p := range seen {
			assert.Equal(t, "Accounts.GetAndWait", p.Op)
			assert.Equal(t, a.ID, p.ID)
			assert.Equal(t, "tiktok/@natgeo", p.Item)
			assert.Equal(t, "not scraped yet", p.State)
			assert.Equal(t, i+1, p.Checks)
			assert.Zero(t, p.TransientErrors)
			if i > 0 {
				assert.GreaterOrEqual(t, p.Elapsed, seen[i-1].Elapsed)
			}
		}

		// Transient failures are reported too, and counted; with the default
		// 3 retries, the fourth failed check in a row (each of 4 attempts)
		// ends the wait with its error, unreported.
		srv.SetFaults(creatoraudittest.Faults{Routes: []string{creatoraudittest.RouteVideoGet}, ErrorRate: map[int]float64{503: 1}})
		v, err := c.Videos.Create(ctx, creatoraudit.CreateVideoParams{Platform: creatoraudit.Instagram, Identifier: "C7xYz12AbCd"})
		require.NoError(t, err)
		var last creatoraudit.Progress
		_, err = c.Videos.GetAndWait(ctx, string(v.ID), append(srv.PollOptions(), creatoraudit.WithProgress(func(p creatoraudit.Progress) { last = p }))...)
		require.ErrorIs(t, err, creatoraudit.ErrServer)
		var te *creatoraudit.TimeoutError
		assert.False(t, errors.As(err, &te), "the transport's error, not a timeout")
		assert.Equal(t, "Videos.GetAndWait", last.Op)
		assert.Equal(t, 3, last.Checks)
		assert.Equal(t, 3, last.TransientErrors)
		assert.Empty(t, last.State, "no check was answered")
		assert.Equal(t, 16, srv.Snapshot().Requests[creatoraudittest.RouteVideoGet], "4 checks of 4 attempts")
	})
}

// WithPollInterval(first, 0) keeps the default ceiling (a minute); a first
// interval that is not positive, or a ceiling below it, is refused before
// anything is sent.
func TestWithPollInterval(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv, c := fastFake(t, creatoraudittest.WithScrapeDelay(time.Hour))
		ctx := testCtx(t)
		for _, bad := range [][2]time.Duration{{0, 0}, {-time.Second, time.Minute}, {time.Minute, time.Second}, {time.Second, -1}} {
			_, err := c.Accounts.GetAndWait(ctx, "a", creatoraudit.WithPollInterval(bad[0], bad[1]))
			require.ErrorIs(t, err, creatoraudit.ErrInvalidParams, "%v", bad)
		}
		assert.Zero(t, srv.Snapshot().TotalRequests(), "nothing sent")

		a, err := c.Accounts.Create(ctx, creatoraudit.CreateAccountParams{Platform: creatoraudit.TikTok, Username: "natgeo"})
		require.NoError(t, err)
		var gaps []time.Duration
		var prev time.Duration
		_, err = c.Accounts.GetAndWait(ctx, a.ID, creatoraudit.WithPollInterval(time.Second, 0),
			creatoraudit.WithProgress(func(p creatoraudit.Progress) { gaps = append(gaps, p.Elapsed-prev); prev = p.Elapsed }))
		require.NoError(t, err)
		longest := slices.Max(gaps)
		assert.Greater(t, longest, 45*time.Second, "the interval grew toward a minute")
		assert.LessOrEqual(t, longest, time.Minute+time.Minute/5, "and stopped at a minute (give or take the jitter)")
	})
}
