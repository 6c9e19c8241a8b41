package main

import (
	"context"
	"testing"
	"time"

	"github.com/creatorkit/creatorkit-go/firstparty/firstpartytest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// browserRoutes are the fakes' routes a creator's browser calls, not the
// client: the consent page of the First Party flow.
var browserRoutes = map[string]bool{firstpartytest.RouteConnect: true}

// After the quickstart, every vendor's Usage equals its fake's own ledger:
// the same spend, nothing unknown, the same requests.
func TestUsageEqualsEachFakesLedger(t *testing.T) {
	for _, v := range []string{"ENGAGECHECK_API_KEY", "CREATORAUDIT_API_KEY", "INFLUDATA_API_KEY",
		"HYPEAUDITOR_CLIENT_ID", "HYPEAUDITOR_API_TOKEN", "FIRSTPARTY_TOKEN"} {
		t.Setenv(v, "")
	}
	ledgers = nil
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	require.Zero(t, runSteps(ctx), "every step ran")
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
}
