package firstparty_test

import (
	"net/http"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/creatorkit/creatorkit-go/firstparty"
	"github.com/creatorkit/creatorkit-go/firstparty/firstpartytest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// One client shared by 1,000 goroutines, half reading insights, half
// creating verification URLs (both hosts, one limiter), against the fake
// with an account limit of 100 requests a minute (on the bubble's clock):
// the client's window guard keeps it under the limit by construction, so
// the fake answers no 429, whatever the scheduler does.
func TestPacingHoldsAt1000Goroutines(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv := fastFake(t, firstpartytest.WithRateLimit(100, time.Minute),
			firstpartytest.WithInsightsDelay(0), firstpartytest.WithTokenTTL(time.Hour))
		c, err := srv.NewClient()
		require.NoError(t, err)
		st := firstparty.NewState()
		v, err := c.Verification.CreateURL(ctx, firstparty.CreateVerificationURLParams{Platform: firstparty.Instagram, RedirectURL: "https://app.example.com/cb", State: st})
		require.NoError(t, err)
		loc, err := srv.Connect(v.RedirectURL)
		require.NoError(t, err)
		ver, err := c.Verification.Verify(ctx, firstparty.VerifyCreatorParams{State: st, Token: mustQuery(t, loc).Get("token")})
		require.NoError(t, err)

		const g = 1000
		var wg sync.WaitGroup
		errs := make([]error, g)
		for i := range g {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if i%2 == 0 {
					in, err := c.Insights.Get(ctx, firstparty.GetInsightsParams{CreatorID: ver.CreatorID})
					if err == nil && !in.Ready() {
						t.Errorf("goroutine %d: insights not ready", i)
					}
					errs[i] = err
					return
				}
				_, errs[i] = c.Verification.CreateURL(ctx, firstparty.CreateVerificationURLParams{Platform: firstparty.YouTube, RedirectURL: "https://app.example.com/cb", State: firstparty.NewState()})
			}()
		}
		wg.Wait()
		for i, err := range errs {
			require.NoError(t, err, "goroutine %d", i)
		}
		snap := srv.Snapshot()
		assert.Zero(t, snap.Count(http.StatusTooManyRequests), "429s answered")
		assert.Zero(t, snap.RateLimited)
		assert.GreaterOrEqual(t, snap.TotalRequests()-snap.Requests[firstpartytest.RouteConnect], g+2)
		t.Logf("%d goroutines on one client: %d requests, %d 429s", g, snap.TotalRequests(), snap.Count(http.StatusTooManyRequests))
	})
}
