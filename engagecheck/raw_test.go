package engagecheck_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"testing"
	"testing/synctest"
	"time"

	"github.com/creatorkit/creatorkit-go/engagecheck"
	"github.com/creatorkit/creatorkit-go/engagecheck/engagechecktest"
	"github.com/creatorkit/creatorkit-go/internal/vendortest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A raw call shares the typed calls' limiter: with a window of 2 a
// minute (which the client spreads, just under the limit), a raw call
// after a typed one waits its turn like a second typed call would, and the
// third call, raw or typed, waits for the window.
func TestDoIsPacedWithTheTypedCalls(t *testing.T) {
	vendortest.Thirds(t, func(t *testing.T, third string) {
		srv := engagechecktest.NewServer(engagechecktest.WithVirtualTime(), engagechecktest.WithRateLimit(0, 0))
		t.Cleanup(srv.Close)
		c, err := srv.NewClient(engagecheck.WithWindow(2, time.Minute))
		require.NoError(t, err)
		ctx := testCtx(t)
		start := time.Now()
		_, err = c.Credits.Get(ctx)
		require.NoError(t, err)
		var credits struct {
			CreditsRemaining int64 `json:"credits_remaining"`
		}
		meta, err := c.Do(ctx, http.MethodGet, "credits", nil, nil, &credits, engagecheck.Route("credits"))
		require.NoError(t, err)
		assert.Equal(t, 200, meta.StatusCode)
		assert.EqualValues(t, 1000, credits.CreditsRemaining)
		second := time.Since(start)
		assert.Positive(t, second, "the raw call was paced after the typed one")
		assert.Less(t, second, time.Minute)
		if third == "raw" {
			_, err = c.Do(ctx, http.MethodGet, "audits", url.Values{"limit": {"1"}}, nil, nil)
		} else {
			_, err = c.Audits.List(ctx, engagecheck.ListAuditsParams{Limit: 1})
		}
		require.NoError(t, err)
		assert.GreaterOrEqual(t, time.Since(start), time.Minute, "the third waited for the window")
		u := c.Usage()
		assert.Equal(t, 3, int(u.Requests))
	})
}

// A raw submit is a paid call: its cost is counted and held against the
// budget, and a budget that cannot hold it refuses it before sending.
func TestDoCostsCountAndBudget(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv := engagechecktest.NewServer(engagechecktest.WithVirtualTime())
		t.Cleanup(srv.Close)
		budget := engagecheck.NewBudget(1)
		c, err := srv.NewClient(engagecheck.WithBudget(budget))
		require.NoError(t, err)
		var a engagecheck.Audit
		_, err = c.Do(testCtx(t), http.MethodPost, "audits", nil, json.RawMessage(`{"username":"natgeo"}`), &a, engagecheck.Costs(1), engagecheck.Route("audits"))
		require.NoError(t, err)
		assert.Equal(t, engagecheck.StatusPending, a.Status)
		assert.NotEmpty(t, a.Raw)
		assert.Equal(t, int64(1), c.Usage().Spent)
		_, err = c.Do(testCtx(t), http.MethodPost, "audits", nil, json.RawMessage(`{"username":"nasa"}`), nil, engagecheck.Costs(1))
		require.ErrorIs(t, err, engagecheck.ErrBudgetExceeded)
		assert.Equal(t, 1, srv.AuditCount(), "nothing sent for the refused call")
		_, err = c.Do(testCtx(t), "FETCH", "audits", nil, nil, nil)
		require.ErrorIs(t, err, engagecheck.ErrInvalidParams)
	})
}
