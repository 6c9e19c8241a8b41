package hypeauditortest_test

import (
	"fmt"
	"math/rand/v2"
	"net/url"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/creatorkit/creatorkit-go/hypeauditor"
	"github.com/creatorkit/creatorkit-go/hypeauditor/hypeauditortest"
	"github.com/creatorkit/creatorkit-go/internal/fake"
	"github.com/creatorkit/creatorkit-go/internal/fake/faketest"
	"github.com/stretchr/testify/require"
)

// The reportsUnlocked answers the fake keeps are the answers a fresh scan
// gives while reports are unlocked and failed ones are refunded between
// reads (fake.CheckViews panics on the first difference), and every
// failed report is refunded once.
func TestUnlockedAnswersStayFresh(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		fake.CheckViews(true)
		defer fake.CheckViews(false)
		rng := rand.New(rand.NewPCG(6, 1))
		outcome := func(n hypeauditor.Platform, account string) hypeauditortest.Outcome {
			o := hypeauditortest.DefaultOutcome(n, account)
			o.Generation = time.Duration(1+strings.Count(account, "x")) * time.Millisecond
			return o
		}
		srv := hypeauditortest.NewServer(hypeauditortest.WithVirtualTime(), hypeauditortest.WithRateLimit(0, 0), hypeauditortest.WithCredits(1000), hypeauditortest.WithOutcome(outcome))
		defer srv.Close()
		get := func(route string, q url.Values) int {
			q.Set("v", "2")
			return faketest.Serve(srv.Handler(), "GET", "/api/method/"+route+"?"+q.Encode(), nil, "X-Auth-Id", srv.ClientID, "X-Auth-Token", srv.Token).Code
		}
		failed := 0
		for step := 0; step < 300; step++ {
			switch rng.IntN(4) {
			case 0, 1:
				name := fmt.Sprintf("user_%d%s", step, strings.Repeat("x", rng.IntN(3)))
				if rng.IntN(3) == 0 {
					name += "_private"
					failed++
				}
				get(hypeauditortest.RouteReport, url.Values{"username": {name}})
			case 2:
				time.Sleep(time.Millisecond)
			default:
				q := []url.Values{{}, {"limit": {"5"}, "offset": {"3"}}, {"date_from": {"2000-01-01"}}}[rng.IntN(3)]
				require.Equal(t, 200, get(hypeauditortest.RouteUnlocked, q))
			}
		}
		time.Sleep(10 * time.Millisecond)
		get(hypeauditortest.RoutePlanInfo, url.Values{})
		require.Equal(t, 1000-srv.Unlocks()+failed, srv.Credits(), "every failed report refunded once")
	})
}
