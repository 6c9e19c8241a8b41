package infludata_test

import (
	"errors"
	"fmt"
	"testing"
	"testing/synctest"
	"time"

	"github.com/creatorkit/creatorkit-go/infludata"
	"github.com/creatorkit/creatorkit-go/infludata/infludatatest"
	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fairFake is a fake on virtual time (call it inside a synctest bubble)
// that enforces the fair-usage limits (100 discovery searches an hour, and
// profiles as given): the hours pass on the bubble's clock, in no real
// time.
func fairFake(t *testing.T, profilesPerHour int, opts ...infludatatest.Option) *infludatatest.Server {
	srv := infludatatest.NewServer(append([]infludatatest.Option{infludatatest.WithVirtualTime(), infludatatest.WithTokens(1_000_000),
		infludatatest.WithFairUsage(infludata.FairUsageDiscoveryPerHour, profilesPerHour)}, opts...)...)
	t.Cleanup(srv.Close)
	return srv
}

// A long job waits for the fair-usage windows instead of being refused:
// 120 discovery searches (100 an hour) and the paid calls of a roster of
// 40 creators (30 profile requests an hour here) go through on the
// client's pacing, and the fake, which enforces the same limits, refuses
// none of them.
func TestFairUsageLongJobWaits(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv := fairFake(t, 30)
		c, err := srv.NewClient()
		require.NoError(t, err)
		ctx := tctx(t, 24*time.Hour)
		start := time.Now()
		for i := range 120 {
			_, err := c.Discovery.Search(ctx, infludata.SearchParams{Platform: creatorOf(i % 3 * 95), FollowerMin: int64(1000 + i)})
			require.NoError(t, err, "search %d", i)
		}
		refs := make([]infludata.GetProfileParams, 40)
		for i := range refs {
			refs[i] = infludata.GetProfileParams{Platform: creatorOf(i), Username: creatorName(i)}
		}
		n := 0
		for _, err := range c.Profiles.GetAndWaitAll(ctx, refs, srv.PollOptions()...) {
			require.NoError(t, err)
			n++
		}
		assert.Equal(t, 40, n)
		assert.Empty(t, srv.FairUsageRefused(), "the fake's fair-usage limits were never tripped")
		snap := srv.Snapshot()
		assert.Zero(t, snap.Count(429))
		assert.Equal(t, 120, snap.Requests[infludatatest.RouteDiscovery])
		assert.Equal(t, 40, snap.Requests[infludatatest.RouteUserData])
		u := c.Usage()
		assert.Positive(t, u.Operations["Discovery.Search"].RateLimitWait, "the searches past the first hundred waited")
		assert.Positive(t, u.Operations["Profiles.Get"].RateLimitWait, "and so did the profile requests past 30")
		assert.EqualValues(t, 120+40*20, u.Spent, "120 searches, 40 audience reports (the waits always ask for the report)")
		assert.Greater(t, time.Since(start), time.Hour, "the job took over an hour, on the bubble's clock")
	})
}

// Without the client's pacing the same job is refused by the fake once it
// goes over: what the pacing saves.
func TestFairUsageEnforcedByTheFake(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv := infludatatest.NewServer(infludatatest.WithVirtualTime(), infludatatest.WithFairUsage(infludata.FairUsageDiscoveryPerHour, 0))
		t.Cleanup(srv.Close)
		c, err := srv.NewClient(infludata.WithFairUsage(0, 0), infludata.WithMaxRetries(0))
		require.NoError(t, err)
		ctx := tctx(t, time.Hour)
		ok, refused := 0, 0
		for i := range 120 {
			_, err := c.Discovery.Search(ctx, infludata.SearchParams{Platform: infludata.YouTube, FollowerMin: int64(1000 + i)})
			switch {
			case err == nil:
				ok++
			case errors.Is(err, infludata.ErrRateLimited):
				assert.NotErrorIs(t, err, infludata.ErrQuotaExceeded, "a fair-usage 429 is not a spent budget")
				refused++
			default:
				t.Fatal(err)
			}
		}
		assert.Equal(t, 100, ok)
		assert.Equal(t, 20, refused)
		assert.Equal(t, map[string]int{infludatatest.RouteDiscovery: 20}, srv.FairUsageRefused())
		assert.EqualValues(t, 100, srv.Snapshot().TotalCredits(), "refused searches are not charged")
		assert.EqualValues(t, 100, c.Usage().Spent)
	})
}

// By default the client paces itself by influData's guidance: 100
// discovery searches and 500 profile requests an hour, all of them at
// once if need be, none past that in the hour. A call that would wait past its
// context's deadline fails at once with ErrRateLimited, nothing sent;
// checkDataStatus is not paced by them.
func TestFairUsageDefaults(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		mt, rec := httpmock.NewMockTransport(), &recorder{}
		c, err := infludata.NewClient(infludata.WithAPIKey(testKey), infludata.WithBaseURL(base), infludata.WithHTTPClient(newHTTPClient(mt)),
			infludata.WithRateLimit(1e9, 1000))
		require.NoError(t, err)
		mt.RegisterResponder("GET", base+"/discovery", reply(t, rec, 200, `{"users":[],"count":0,"dataSuccess":true}`))
		mt.RegisterResponder("GET", base+"/getUserData", reply(t, rec, 200, "user_data.json"))
		mt.RegisterResponder("GET", base+"/checkDataStatus", reply(t, rec, 200, "data_status.json"))
		ctx := tctx(t, 5*time.Second)
		searches := 0
		for i := range 101 {
			_, err := c.Discovery.Search(ctx, infludata.SearchParams{Platform: ig})
			if err != nil {
				assert.ErrorIs(t, err, infludata.ErrRateLimited, "search %d", i)
				break
			}
			searches++
		}
		assert.Equal(t, 100, searches, "100 in the hour, the next when the first's hour is over")
		profiles := 0
		for i := range 501 {
			_, err := c.Profiles.Get(ctx, infludata.GetProfileParams{Platform: ig, Username: fmt.Sprintf("u%d", i)})
			if err != nil {
				assert.ErrorIs(t, err, infludata.ErrRateLimited, "profile %d", i)
				break
			}
			profiles++
		}
		assert.Equal(t, 500, profiles, "500 in the hour")
		for range 30 {
			_, err := c.Profiles.CheckStatus(ctx, infludata.DataStatusParams{Platform: ig, Username: "adidas"})
			require.NoError(t, err, "status checks are not profile requests")
		}
		assert.Len(t, rec.all(), 100+500+30, "the refused calls sent nothing")
	})
}

func TestFairUsageOptions(t *testing.T) {
	t.Parallel()
	for _, o := range []infludata.Option{
		infludata.WithFairUsage(-1, 500),
		infludata.WithFairUsage(100, -1),
		infludata.WithFairUsageWindows(infludata.FairUsage{Discovery: infludata.Window{N: 5}}),
		infludata.WithFairUsageWindows(infludata.FairUsage{Profiles: infludata.Window{N: -1, Per: time.Hour}}),
	} {
		_, err := infludata.NewClient(infludata.WithAPIKey(testKey), o)
		assert.ErrorIs(t, err, infludata.ErrInvalidParams)
	}
	for _, o := range []infludata.Option{
		infludata.WithFairUsage(0, 0),
		infludata.WithFairUsage(1000, 5000),
		infludata.WithFairUsageWindows(infludata.DefaultFairUsage()),
		infludata.WithFairUsageWindows(infludata.FairUsage{}),
	} {
		_, err := infludata.NewClient(infludata.WithAPIKey(testKey), o)
		assert.NoError(t, err)
	}
	assert.Equal(t, infludata.FairUsage{Discovery: infludata.Window{N: 100, Per: time.Hour}, Profiles: infludata.Window{N: 500, Per: time.Hour}}, infludata.DefaultFairUsage())
}
