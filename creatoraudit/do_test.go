package creatoraudit_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/creatorkit/creatorkit-go/creatoraudit"
	"github.com/creatorkit/creatorkit-go/creatoraudit/creatoraudittest"
	"github.com/creatorkit/creatorkit-go/internal/vendortest"
	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A raw call is paced with the typed calls on the client's one limiter: in
// a window of 2 requests a minute, a raw call after a typed one is spaced
// behind it, and the third request, raw or typed, waits for the window's
// first slot to come free (a minute after the first answer).
func TestDoSharesTheLimiterWithTypedCalls(t *testing.T) {
	vendortest.Thirds(t, func(t *testing.T, third string) {
		srv, _ := fastFake(t)
		c, err := srv.NewClient(creatoraudit.WithWindow(2, time.Minute))
		require.NoError(t, err)
		ctx := testCtx(t)
		vendortest.Pacing{
			Typed: func() {
				_, err := c.Meta.WhoAmI(ctx)
				require.NoError(t, err)
			},
			TypedOp: "Meta.WhoAmI",
			Raw: func() {
				var out rawWhoAmI
				meta, err := c.Do(ctx, http.MethodGet, "whoami", nil, nil, &out, creatoraudit.Route("whoami"))
				require.NoError(t, err)
				assert.Equal(t, "creatoraudittest-full", out.Data.APIKeyName)
				assert.NotEmpty(t, out.Raw)
				assert.Same(t, meta, out.Response)
				assert.Equal(t, http.StatusOK, meta.StatusCode)
				assert.NotEmpty(t, meta.RequestID)
			},
			Usage: c.Usage,
		}.Run(t, third)
		assert.Equal(t, 3, srv.Snapshot().Requests[creatoraudittest.RouteWhoAmI])
		assert.Zero(t, srv.Snapshot().Count(http.StatusTooManyRequests))
	})
}

// A raw call that tracks an account counts what its options say it costs
// (SpendUnit), in Usage and against the Budget, which refuses it before
// sending when it cannot hold it; bad input is refused before sending too.
func TestDoCostsAndRefusals(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv, _ := fastFake(t)
		budget := creatoraudit.NewBudget(1)
		c, err := srv.NewClient(creatoraudit.WithBudget(budget))
		require.NoError(t, err)
		ctx := testCtx(t)
		body := map[string]any{"platform": "instagram", "username": "natgeo"}
		var a struct {
			Data creatoraudit.Account `json:"data"`
		}
		meta, err := c.Do(ctx, http.MethodPost, "accounts", nil, body, &a, creatoraudit.Costs(1), creatoraudit.Route("accounts"))
		require.NoError(t, err)
		assert.Equal(t, http.StatusCreated, meta.StatusCode)
		assert.Equal(t, "natgeo", a.Data.Username)
		assert.EqualValues(t, 1, c.Usage().Spent)
		assert.Zero(t, budget.Remaining())

		_, err = c.Do(ctx, http.MethodPost, "accounts", nil, map[string]any{"platform": "tiktok", "username": "nasa"}, nil, creatoraudit.Costs(1))
		assert.ErrorIs(t, err, creatoraudit.ErrBudgetExceeded)
		for _, bad := range []struct{ method, path string }{{"FETCH", "accounts"}, {"GET", "https://evil.example/v2/accounts"}, {"GET", ""}, {"GET", "//evil.example/x"}} {
			_, err := c.Do(ctx, bad.method, bad.path, nil, nil, nil)
			assert.ErrorIs(t, err, creatoraudit.ErrInvalidParams, "%s %q", bad.method, bad.path)
		}
		_, err = c.Do(ctx, http.MethodGet, "accounts", nil, nil, nil, creatoraudit.Costs(-1))
		assert.ErrorIs(t, err, creatoraudit.ErrInvalidParams)
		assert.Equal(t, 1, srv.Snapshot().Requests[creatoraudittest.RouteAccountsCreate], "nothing sent for the refused calls")
		assert.EqualValues(t, 1, srv.Snapshot().TotalCredits())

		// A read with a query the typed calls build, decoded as it comes.
		var page struct {
			Data []struct {
				Username string `json:"username"`
			} `json:"data"`
			Pagination struct {
				HasNext bool `json:"has_next"`
			} `json:"pagination"`
		}
		_, err = c.Do(ctx, http.MethodGet, "accounts", url.Values{"platform": {"instagram"}, "limit": {"1"}}, nil, &page)
		require.NoError(t, err)
		require.Len(t, page.Data, 1)
		assert.Equal(t, "natgeo", page.Data[0].Username)
	})
}

// An answer CreatorAudit's problem+json describes is the same *Error from
// a raw call as from a typed one, and a value that does not fit is listed
// in the metadata, not fatal.
func TestDoErrorsAndDecodingAreTypedCallsOnes(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t, creatoraudit.WithMaxRetries(0))
	mt.RegisterResponder("GET", base+"/accounts/"+accID, expect(t, want{method: "GET", path: "/v2/accounts/" + accID}, reply(t, 404, "error_404_not_found.json")))
	_, err := c.Do(ctx, http.MethodGet, "accounts/"+accID, nil, nil, nil)
	assert.ErrorIs(t, err, creatoraudit.ErrNotFound)
	assert.Equal(t, creatoraudit.CodeNotFound, creatoraudit.CodeOf(err))
	assert.Contains(t, err.Error(), "creatoraudit: Do: GET ")

	mt.RegisterResponder("GET", base+"/whoami", func(*http.Request) (*http.Response, error) {
		resp := httpmock.NewStringResponse(200, `{"data":{"organization_id":17,"api_key_name":"k"}}`)
		resp.Header.Set("Content-Type", "application/json")
		return resp, nil
	})
	var out rawWhoAmI
	meta, err := c.Do(ctx, http.MethodGet, "whoami", nil, nil, &out)
	require.NoError(t, err)
	assert.Equal(t, "k", out.Data.APIKeyName)
	require.Len(t, meta.DecodeIssues, 1)
	assert.Equal(t, "data.organization_id", meta.DecodeIssues[0].Path)
	assert.JSONEq(t, `{"data":{"organization_id":17,"api_key_name":"k"}}`, string(out.Raw))
}

// A raw call is observed like the typed ones: under "Do", named by the
// route its options give, no id or query value in any event.
func TestDoIsObserved(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		rec := &vendortest.Recorder{}
		srv, _ := fastFake(t)
		c, err := srv.NewClient(creatoraudit.WithObserver(rec))
		require.NoError(t, err)
		ctx := testCtx(t)
		id := srv.AddAccounts(creatoraudit.Instagram, "raw_observed")[0]
		var out json.RawMessage
		_, err = c.Do(ctx, http.MethodGet, "accounts/"+id+"/analytics", url.Values{"period": {"7d"}, "q": {"secret_q"}}, nil, &out, creatoraudit.Route("accounts/{id}/analytics"))
		require.NoError(t, err)
		_, err = c.Do(ctx, http.MethodGet, "accounts/"+id, nil, nil, nil) // no route: named by its method
		require.NoError(t, err)
		calls := rec.Calls("Do")
		require.Len(t, calls, 2)
		assert.Equal(t, "accounts/{id}/analytics", calls[0].Route)
		assert.Empty(t, calls[1].Route)
		for _, a := range rec.Attempts() {
			for _, s := range []string{id, "secret_q", "raw_observed", srv.APIKey} {
				assert.NotContains(t, strings.Join([]string{a.Route, a.Operation, a.Method}, " "), s)
			}
		}
	})
}
