package hypeauditor_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"testing"
	"testing/synctest"
	"time"

	"github.com/creatorkit/creatorkit-go"
	"github.com/creatorkit/creatorkit-go/hypeauditor"
	"github.com/creatorkit/creatorkit-go/hypeauditor/hypeauditortest"
	"github.com/creatorkit/creatorkit-go/internal/vendortest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/time/rate"
)

// The raw Do goes through the client's one limiter with the typed calls:
// with a budget of 2 requests refilled one a minute, a typed call and a
// raw call go at once, and the third (either kind) waits a minute.
func TestDoIsPacedWithTheTypedCalls(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv, _ := newFake(t)
		c, err := srv.NewClient(hypeauditor.WithRateLimit(rate.Every(time.Minute), 2))
		require.NoError(t, err)
		ctx := testCtx(t)
		v2 := url.Values{"v": {hypeauditor.APIVersion}}
		start := time.Now()
		_, err = c.Account.PlanInfo(ctx)
		require.NoError(t, err)
		var out struct {
			Result   hypeauditor.PlanInfo `json:"result"`
			Raw      json.RawMessage      `json:"-"`
			Response *hypeauditor.ResponseMeta
		}
		meta, err := c.Do(ctx, http.MethodGet, "auditor.planInfo", v2, nil, &out)
		require.NoError(t, err)
		assert.Zero(t, time.Since(start), "the second goes at once")
		assert.Equal(t, http.StatusOK, meta.StatusCode)
		assert.Equal(t, int64(1000), int64(out.Result.Reports.Credits))
		assert.NotEmpty(t, out.Raw, "Raw is set like a result's")
		assert.Same(t, meta, out.Response)

		_, err = c.Do(ctx, http.MethodGet, "auditor.planInfo", v2, nil, nil)
		require.NoError(t, err)
		assert.Equal(t, time.Minute, time.Since(start), "the third (raw) waits for the token the typed call took")
		_, err = c.Account.PlanInfo(ctx)
		require.NoError(t, err)
		assert.Equal(t, 2*time.Minute, time.Since(start), "and a typed call after it for the one the raw calls took")
		assert.Equal(t, 4, srv.Snapshot().Requests[hypeauditortest.RoutePlanInfo])
		assert.Zero(t, tooMany(srv))
		u := c.Usage()
		assert.Equal(t, int64(2), u.Operations["Do"].Calls)
		assert.Equal(t, int64(2), u.Operations["Account.PlanInfo"].Calls)
	})
}

// Do sends the query as given (no v=2 added: it is raw), names its call by
// the method for observers, counts what Costs says against the budget,
// and refuses a path that is not a method name before sending.
func TestDoIsRaw(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		rec := &vendortest.Recorder{}
		srv, _ := newFake(t)
		b := hypeauditor.NewBudget(1)
		c, err := srv.NewClient(hypeauditor.WithObserver(rec), hypeauditor.WithBudget(b))
		require.NoError(t, err)
		ctx := testCtx(t)
		_, err = c.Do(ctx, http.MethodGet, "auditor.planInfo", nil, nil, nil)
		require.NoError(t, err)
		assert.Equal(t, 1, srv.MissingVersion(), "no v=2 added")
		var out json.RawMessage
		_, err = c.Do(ctx, http.MethodGet, "auditor.tiktok", url.Values{"v": {"2"}, "channel": {"raw_one"}}, nil, &out, creatorkit.Costs(1))
		require.NoError(t, err)
		assert.Equal(t, 1, srv.MissingVersion())
		assert.Contains(t, string(out), "NOT_READY")
		assert.Equal(t, int64(1), b.Used(), "Costs(1) counted against the budget")
		_, err = c.Do(ctx, http.MethodGet, "auditor.tiktok", url.Values{"v": {"2"}, "channel": {"raw_two"}}, nil, nil, creatorkit.Costs(1))
		assert.ErrorIs(t, err, hypeauditor.ErrBudgetExceeded, "refused before sending")
		assert.Equal(t, 1, srv.Unlocks())

		calls := rec.Calls("Do")
		require.Len(t, calls, 3)
		assert.Equal(t, "auditor.planInfo", calls[0].Route, "the method names the call")
		assert.Equal(t, "auditor.tiktok", calls[1].Route)
		assert.Equal(t, "budget_exceeded", calls[2].ErrorKind)
		for _, a := range rec.Attempts() {
			assert.NotContains(t, a.Route, "raw_one")
		}
		for _, p := range []string{"https://evil.example/x", "../auditor.report", "auditor.report?username=x", ""} {
			_, err := c.Do(ctx, http.MethodGet, p, nil, nil, nil)
			assert.ErrorIs(t, err, hypeauditor.ErrInvalidParams, p)
		}
		assert.Equal(t, 2, srv.Snapshot().Requests[hypeauditortest.RoutePlanInfo]+srv.Snapshot().Requests[hypeauditortest.RouteTikTok], "nothing sent for the refused ones")
	})
}
