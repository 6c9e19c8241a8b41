package universe_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/url"
	"testing"
	"testing/synctest"

	"github.com/creatorkit/creatorkit-go"
	"github.com/creatorkit/creatorkit-go/creatoraudit"
	"github.com/creatorkit/creatorkit-go/creatoraudit/creatoraudittest"
	"github.com/creatorkit/creatorkit-go/engagecheck"
	"github.com/creatorkit/creatorkit-go/engagecheck/engagechecktest"
	"github.com/creatorkit/creatorkit-go/firstparty"
	"github.com/creatorkit/creatorkit-go/firstparty/firstpartytest"
	"github.com/creatorkit/creatorkit-go/hypeauditor"
	"github.com/creatorkit/creatorkit-go/hypeauditor/hypeauditortest"
	"github.com/creatorkit/creatorkit-go/infludata"
	"github.com/creatorkit/creatorkit-go/infludata/infludatatest"
	"github.com/creatorkit/creatorkit-go/internal/fake"
	"github.com/creatorkit/creatorkit-go/internal/fake/universe"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The five fakes tell one story about a creator: each vendor's SDK reads
// its Instagram account off its fake, and the follower counts agree within
// universe.Tolerance (each vendor with its own lag and rounding), the
// audiences spread over many countries the same way, and each figure is
// the universe's.
func TestFakesAgree(t *testing.T) {
	t.Parallel()
	random := fmt.Sprintf("h%08x", rand.Uint32()) // any handle is a creator
	t.Logf("random handle: %s", random)
	for _, handle := range []string{"natgeo", "cristiano", random} {
		t.Run(handle, func(t *testing.T) {
			t.Parallel()
			synctest.Test(t, func(t *testing.T) {
				got := readEverywhere(t, handle)
				u := universe.Get(universe.Instagram, handle)
				want := u.Followers(universe.Epoch)
				for _, vendor := range []string{"engagecheck", "creatoraudit", "infludata", "hypeauditor", "firstparty"} {
					s := got[vendor]
					require.NotNil(t, s.Followers, vendor)
					f := *s.Followers
					t.Logf("%-12s @%s (%s): %d followers, ER %.2f%%, %s %.0f, countries %v", vendor, handle, s.DisplayName, f,
						s.GetEngagementRate(), s.Quality.GetName(), s.Quality.GetScore(), s.AudienceCountries[:min(3, len(s.AudienceCountries))])
					assert.InDelta(t, want, f, universe.Tolerance*float64(want), "%s: the universe's @%s, its way", vendor, handle)
					assert.Equal(t, u.Name, s.DisplayName, vendor)
					if s.Quality != nil {
						assert.True(t, s.Quality.Score > 0 && s.Quality.Score <= 100, "%s: its own score, 0-100", vendor)
					}
				}
				assert.Equal(t, u.View(universe.EngageCheck, universe.Epoch).Followers, *got["engagecheck"].Followers, "EngageCheck: Instagram's display")
				assert.Equal(t, want, *got["hypeauditor"].Followers, "HypeAuditor: exact, of the day")
				assert.Equal(t, want, *got["creatoraudit"].Followers, "CreatorAudit: exact, as of its first scrape")
				assert.Equal(t, want, *got["firstparty"].Followers, "First Party: the platform's own")
				assert.Equal(t, u.View(universe.InfluData, universe.Epoch).Followers, *got["infludata"].Followers, "influData: its last weekly refresh")

				for _, vendor := range []string{"infludata", "hypeauditor"} {
					s := got[vendor]
					require.GreaterOrEqual(t, len(s.AudienceCountries), 5, "%s: a long tail of countries, not two", vendor)
					assert.Equal(t, u.Audience.Countries[0].Code, s.AudienceCountries[0].Code, "%s: the same top country", vendor)
					sum := 0.0
					for _, c := range s.AudienceCountries {
						sum += c.Percent
					}
					assert.True(t, sum > 50 && sum <= 100.05, "%s: the listed countries hold %.2f%%", vendor, sum)
					assert.InDelta(t, 100, total(s.AudienceGenders), 0.2, vendor)
					assert.InDelta(t, 100, total(s.AudienceAges), 0.5, vendor)
				}
			})
		})
	}
}

// A fake started in a synctest bubble starts at the universe's epoch, so
// its dates are the universe's.
func TestEpochIsTheBubblesStart(t *testing.T) {
	assert.Equal(t, fake.VirtualEpoch, universe.Epoch)
}

func total(s []creatorkit.Share) float64 {
	sum := 0.0
	for _, x := range s {
		sum += x.Percent
	}
	return sum
}

// readEverywhere reads handle's Instagram account through each vendor's
// client off its fake (in the bubble, on virtual time) and returns each
// vendor's common summary.
func readEverywhere(t *testing.T, handle string) map[string]creatorkit.Summary {
	t.Helper()
	ctx := t.Context()
	out := map[string]creatorkit.Summary{}

	ec := engagechecktest.NewServer(engagechecktest.WithVirtualTime())
	defer ec.Close()
	ecc, err := ec.NewClient()
	require.NoError(t, err)
	a, err := ecc.Audits.CreateAndWait(ctx, engagecheck.CreateAuditParams{Username: handle}, ec.PollOptions()...)
	require.NoError(t, err)
	out["engagecheck"] = a.Summary()

	ca := creatoraudittest.NewServer(creatoraudittest.WithVirtualTime())
	defer ca.Close()
	cac, err := ca.NewClient()
	require.NoError(t, err)
	acct, err := cac.Accounts.Create(ctx, creatoraudit.CreateAccountParams{Platform: creatoraudit.Instagram, Username: handle})
	require.NoError(t, err)
	acct, err = cac.Accounts.GetAndWait(ctx, acct.ID, ca.PollOptions()...)
	require.NoError(t, err)
	out["creatoraudit"] = acct.Summary()

	id := infludatatest.NewServer(infludatatest.WithVirtualTime())
	defer id.Close()
	idc, err := id.NewClient()
	require.NoError(t, err)
	p, err := idc.Profiles.GetAndWait(ctx, infludata.GetProfileParams{Platform: infludata.Instagram, Username: handle, IncludeAudienceReport: true}, id.PollOptions()...)
	require.NoError(t, err)
	out["infludata"] = p.Summary()
	require.NotNil(t, p.AudienceReport)
	sum := 0.0
	for _, v := range p.AudienceReport.AudienceCountries {
		sum += v
	}
	assert.InDelta(t, 100, sum, 0.6, "influData's countries and Other sum to 100")

	ha := hypeauditortest.NewServer(hypeauditortest.WithVirtualTime())
	defer ha.Close()
	hac, err := ha.NewClient()
	require.NoError(t, err)
	r, err := hac.Reports.InstagramAndWait(ctx, hypeauditor.InstagramParams{Username: handle}, ha.PollOptions()...)
	require.NoError(t, err)
	out["hypeauditor"] = r.Summary()

	fp := firstpartytest.NewServer(firstpartytest.WithVirtualTime(),
		firstpartytest.WithOutcome(func(firstparty.Platform, string) firstpartytest.Outcome {
			return firstpartytest.Outcome{Handle: handle}
		}))
	defer fp.Close()
	out["firstparty"] = firstPartyInsights(ctx, t, fp)
	return out
}

// firstPartyInsights runs the consent flow of a creator on the First
// Party fake and returns their insights' summary.
func firstPartyInsights(ctx context.Context, t *testing.T, fp *firstpartytest.Server) creatorkit.Summary {
	t.Helper()
	c, err := fp.NewClient()
	require.NoError(t, err)
	flow, err := firstparty.NewConnectFlow(c, firstparty.ConnectConfig{RedirectURL: "https://app.example.com/callback"})
	require.NoError(t, err)
	v, err := flow.Start(ctx, firstparty.StartParams{Platform: firstparty.Instagram})
	require.NoError(t, err)
	back, err := fp.Connect(v.RedirectURL)
	require.NoError(t, err)
	u, err := url.Parse(back)
	require.NoError(t, err)
	res, err := flow.Complete(ctx, firstparty.CallbackParams{State: u.Query().Get("state"), Token: u.Query().Get("token")})
	require.NoError(t, err)
	in, err := c.Insights.GetAndWait(ctx, firstparty.GetInsightsParams{CreatorID: res.Creator.CreatorID}, fp.PollOptions()...)
	require.NoError(t, err)
	return in.Summary()
}
