package infludata_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"testing"
	"testing/synctest"
	"time"

	"github.com/creatorkit/creatorkit-go/infludata"
	"github.com/creatorkit/creatorkit-go/infludata/infludatatest"
	"github.com/creatorkit/creatorkit-go/internal/vendortest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// rawStatus is what a raw checkDataStatus call decodes into: any struct,
// with the Raw and Response fields the typed results have.
type rawStatus struct {
	IsInDatabase bool                    `json:"isInDatabase"`
	Username     string                  `json:"username"`
	Raw          json.RawMessage         `json:"-"`
	Response     *infludata.ResponseMeta `json:"-"`
}

// A raw call is paced with the typed calls on the client's one limiter: in
// a window of 2 requests a minute, a raw call after a typed one is spaced
// behind it, and the third request, raw or typed, waits for the window's
// first slot to come free (a minute after the first answer).
func TestDoSharesTheLimiterWithTypedCalls(t *testing.T) {
	vendortest.Thirds(t, func(t *testing.T, third string) {
		srv := infludatatest.NewServer(infludatatest.WithVirtualTime())
		t.Cleanup(srv.Close)
		c, err := srv.NewClient(infludata.WithWindow(2, time.Minute))
		require.NoError(t, err)
		ctx := tctx(t, time.Hour)
		// The window's pacing is a bucket of 2*0.95 a minute.
		vendortest.Pacing{
			Typed: func() {
				_, err := c.Profiles.CheckStatus(ctx, infludata.DataStatusParams{Platform: infludata.Instagram, Username: "adidas"})
				require.NoError(t, err)
			},
			TypedOp: "Profiles.CheckStatus",
			Raw: func() {
				var out rawStatus
				meta, err := c.Do(ctx, http.MethodGet, "checkDataStatus", url.Values{"platform": {"instagram"}, "username": {"cristiano"}}, nil, &out,
					infludata.Route("checkDataStatus"))
				require.NoError(t, err)
				assert.True(t, out.IsInDatabase)
				assert.Equal(t, "cristiano", out.Username)
				assert.NotEmpty(t, out.Raw)
				assert.Same(t, meta, out.Response)
				assert.Equal(t, http.StatusOK, meta.StatusCode)
			},
			Usage: c.Usage,
		}.Run(t, third)
		assert.Equal(t, 3, srv.Snapshot().Requests[infludatatest.RouteDataStatus])
		assert.Zero(t, srv.Snapshot().Count(http.StatusTooManyRequests))
	})
}

// A raw paid call counts what its options say it costs, in Usage and
// against the Budget, which refuses it before sending when it cannot hold
// it; bad input is refused before sending too.
func TestDoCostsAndRefusals(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv := infludatatest.NewServer(infludatatest.WithVirtualTime())
		t.Cleanup(srv.Close)
		budget := infludata.NewBudget(30)
		c, err := srv.NewClient(infludata.WithBudget(budget))
		require.NoError(t, err)
		ctx := tctx(t, time.Hour)
		q := url.Values{"platform": {"instagram"}, "username": {"adidas"}, "includeAudienceReport": {"true"}}
		var p infludata.Profile
		meta, err := c.Do(ctx, http.MethodGet, "getUserData", q, nil, &p, infludata.Costs(20), infludata.Route("getUserData"))
		require.NoError(t, err)
		assert.Equal(t, http.StatusOK, meta.StatusCode)
		assert.Equal(t, "adidas", p.Username)
		assert.True(t, p.HasAudienceReport())
		assert.EqualValues(t, 20, c.Usage().Spent)
		assert.EqualValues(t, 10, budget.Remaining())

		_, err = c.Do(ctx, http.MethodGet, "getUserData", q, nil, nil, infludata.Costs(20))
		assert.ErrorIs(t, err, infludata.ErrBudgetExceeded)
		for _, bad := range []struct{ method, path string }{{"FETCH", "getUserData"}, {"GET", "https://evil.example/getUserData"}, {"GET", ""}, {"GET", "//evil.example/x"}} {
			_, err := c.Do(ctx, bad.method, bad.path, nil, nil, nil)
			assert.ErrorIs(t, err, infludata.ErrInvalidParams, "%s %q", bad.method, bad.path)
		}
		_, err = c.Do(ctx, http.MethodGet, "getUserData", q, nil, nil, infludata.Costs(-1))
		assert.ErrorIs(t, err, infludata.ErrInvalidParams)
		assert.Equal(t, 1, srv.Snapshot().Requests[infludatatest.RouteUserData], "nothing sent for the refused calls")
		assert.EqualValues(t, 20, srv.Snapshot().TotalCredits())
	})
}

// An answer influData's error shapes describe is the same *Error from a
// raw call as from a typed one.
func TestDoErrorsAreTypedCallErrors(t *testing.T) {
	t.Parallel()
	c, mt, rec := mock(t)
	mt.RegisterResponder("GET", base+"/getUserData", reply(t, rec, 403, "error_403_insufficient_tokens.json"))
	_, err := c.Do(context.Background(), http.MethodGet, "getUserData", url.Values{"platform": {"instagram"}, "username": {"adidas"}}, nil, nil)
	assert.ErrorIs(t, err, infludata.ErrQuotaExceeded)
	assert.Equal(t, infludata.CodeInsufficientTokens, infludata.CodeOf(err))
	reqs := rec.all()
	require.Len(t, reqs, 1, "a spent budget is not retried")
	assert.Equal(t, "Bearer "+testKey, reqs[0].Header.Get("Authorization"))
	assert.Equal(t, "adidas", reqs[0].Query.Get("username"))
}
