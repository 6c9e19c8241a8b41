package main

import (
	"context"
	"testing"
	"testing/synctest"
	"time"

	"github.com/creatorkit/creatorkit-go/firstparty/firstpartytest"
	"github.com/creatorkit/creatorkit-go/internal/fake"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// browserRoutes are the fakes' routes a creator's browser calls, not the
// client: the consent page of the First Party flow.
var browserRoutes = map[string]bool{firstpartytest.RouteConnect: true}

// The quickstart on the fakes (in memory, on a synctest bubble's clock, at
// the vendors' real durations): every step runs; every vendor's Usage
// equals its fake's own ledger (the same spend, nothing unknown, the same
// requests); and every vendor tells one story about the quickstart's
// creator: the same handle and display name, follower counts within 2% of
// each other (each vendor with its own refresh lag and rounding).
func TestQuickstartOnTheFakes(t *testing.T) {
	for _, v := range []string{"ENGAGECHECK_API_KEY", "CREATORAUDIT_API_KEY", "INFLUDATA_API_KEY",
		"HYPEAUDITOR_CLIENT_ID", "HYPEAUDITOR_API_TOKEN", "FIRSTPARTY_TOKEN"} {
		t.Setenv(v, "")
	}
	virtualTime = true
	defer func() { virtualTime = false }()
	synctest.Test(t, func(t *testing.T) {
		sayings, ledgers = nil, nil
		// The bubble's clock starts in 2000; the in-memory fakes move it on
		// to their epoch when they start. Move it first, so the deadline
		// below is measured from the run's own start. The fakes run at the
		// vendors' real durations (an audit takes 42 s, 60 requests a
		// minute), so the run takes virtual minutes: give it a day.
		time.Sleep(time.Until(fake.VirtualEpoch))
		start := time.Now()
		ctx, cancel := context.WithTimeout(context.Background(), 24*time.Hour)
		defer cancel()
		require.Zero(t, runSteps(ctx), "every step ran")
		t.Logf("the quickstart took %s of the vendors' time", time.Since(start))

		require.Len(t, ledgers, len(steps), "every vendor settled its ledger")
		for _, l := range ledgers {
			var spent, unknown int64
			for _, op := range l.usage.Operations {
				spent += op.Spent
				unknown += op.SpentUnknown
			}
			requests := 0
			for route, n := range l.fake.Requests {
				if !browserRoutes[route] {
					requests += n
				}
			}
			assert.Zero(t, unknown, "%s: nothing unknown without faults", l.vendor)
			assert.EqualValues(t, l.fake.TotalCredits(), spent, "%s: spent by the client's count and by the fake's", l.vendor)
			assert.EqualValues(t, requests, l.usage.Requests, "%s: requests", l.vendor)
			t.Logf("%s: %d spent, %d requests, both ledgers", l.vendor, spent, requests)
		}

		require.Len(t, sayings, len(steps), "every vendor said something about @%s", creator)
		var lo, hi int64 = 1 << 62, 0
		for _, x := range sayings {
			assert.Equal(t, creator, x.s.Username, x.vendor)
			assert.Equal(t, "National Geographic", x.s.DisplayName, x.vendor)
			require.NotNil(t, x.s.Followers, x.vendor)
			lo, hi = min(lo, *x.s.Followers), max(hi, *x.s.Followers)
		}
		assert.LessOrEqual(t, float64(hi-lo), 0.02*float64(hi), "followers from %d to %d", lo, hi)
	})
}
