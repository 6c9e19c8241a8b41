package main

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// On the fakes, every vendor tells one story about the quickstart's
// creator: the same handle and display name, follower counts within 2% of
// each other (each vendor with its own refresh lag and rounding).
func TestVendorsAgreeOnTheCreator(t *testing.T) {
	for _, v := range []string{"ENGAGECHECK_API_KEY", "CREATORAUDIT_API_KEY", "INFLUDATA_API_KEY",
		"HYPEAUDITOR_CLIENT_ID", "HYPEAUDITOR_API_TOKEN", "FIRSTPARTY_TOKEN"} {
		t.Setenv(v, "")
	}
	sayings, ledgers = nil, nil
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	require.Zero(t, runSteps(ctx), "every step ran")
	require.Len(t, sayings, len(steps), "every vendor said something about @%s", creator)
	var lo, hi int64 = 1 << 62, 0
	for _, x := range sayings {
		assert.Equal(t, creator, x.s.Username, x.vendor)
		assert.Equal(t, "National Geographic", x.s.DisplayName, x.vendor)
		require.NotNil(t, x.s.Followers, x.vendor)
		lo, hi = min(lo, *x.s.Followers), max(hi, *x.s.Followers)
	}
	assert.LessOrEqual(t, float64(hi-lo), 0.02*float64(hi), "followers from %d to %d", lo, hi)
}
