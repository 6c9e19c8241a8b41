package limit

import (
	"context"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestBudgetArithmetic(t *testing.T) {
	t.Parallel()
	b := NewPacer(time.Minute)
	ctx := context.Background()
	n0, err := b.Take(ctx)
	require.NoError(t, err)
	short, cancel := context.WithTimeout(ctx, 20*time.Millisecond)
	defer cancel()
	_, err = b.Take(short)
	assert.ErrorIs(t, err, context.DeadlineExceeded, "nothing known yet: one request at a time")
	b.Done(n0, 200, RateLimit{Known: true, Remaining: 3, Reset: time.Now().Add(time.Hour)})
	var got []int64
	for range 3 {
		n, err := b.Take(ctx)
		require.NoError(t, err)
		got = append(got, n)
	}
	assert.Equal(t, []int64{1, 2, 3}, got, "the report allows three more")
	_, err = b.Take(short)
	var de *DelayError
	require.ErrorAs(t, err, &de, "spent until the reset, an hour away: past the deadline, fail at once")
	// An answer to request 2 reports 5 more; request 1 was unanswered when
	// 2 was sent: it may reach the vendor after 2 and take one of them.
	b.Done(2, 200, RateLimit{Known: true, Remaining: 5, Reset: time.Now().Add(time.Hour)})
	assert.Equal(t, int64(2+5-1), b.bound)
	b.Done(1, 200, RateLimit{Known: true, Remaining: 0, Reset: time.Now().Add(time.Hour)})
	assert.Equal(t, int64(6), b.bound, "an older report does not override a newer one")
}

// TestBudgetSpendsEachResetOnce: a passed reset frees one slot past the
// bound of the answer that reported it, so it sends one request, not one
// per waiting goroutine, and a late answer to an older request (it knows
// less) neither moves the bound nor frees another.
func TestBudgetSpendsEachResetOnce(t *testing.T) {
	t.Parallel()
	b := NewPacer(time.Minute)
	ctx := context.Background()
	n0, err := b.Take(ctx)
	require.NoError(t, err)
	b.Done(n0, 200, RateLimit{Known: true, Remaining: 2, Reset: time.Now().Add(time.Hour)})
	n1, _ := b.Take(ctx)
	n2, _ := b.Take(ctx)
	// Request 2's answer: the window is full and its oldest hit leaves it now.
	b.Done(n2, 200, RateLimit{Known: true, Remaining: 0, Reset: time.Now().Add(-time.Millisecond)})
	assert.Equal(t, int64(1), b.bound, "2 + 0 - 1 (request 1 was unanswered when 2 went)")
	short := func() error {
		c, cancel := context.WithTimeout(ctx, 20*time.Millisecond)
		defer cancel()
		_, err := b.Take(c)
		return err
	}
	assert.ErrorIs(t, short(), context.DeadlineExceeded, "request 3 is two past the bound: the reset's one slot is not its")
	b.Done(n1, 200, RateLimit{Known: true, Remaining: 5, Reset: time.Now().Add(-time.Millisecond)})
	assert.Equal(t, int64(1), b.bound, "a late answer to an older request knows less")
	// Nothing in flight now: one request goes at the reset so the client
	// cannot stall, and only one.
	bounded, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	n3, err := b.Take(bounded)
	require.NoError(t, err)
	assert.Equal(t, int64(3), n3)
	assert.ErrorIs(t, short(), context.DeadlineExceeded, "one request per passed reset")
	b.Done(n3, 200, RateLimit{Known: true, Remaining: 4, Reset: time.Now().Add(time.Hour)})
	assert.Equal(t, int64(7), b.bound)
}

func TestWindowGuardFreesSlotsPerAfterTheAnswer(t *testing.T) {
	t.Parallel()
	synctest.Test(t, testWindowGuardFreesSlots)
}

func testWindowGuardFreesSlots(t *testing.T) {
	g := newWindowGuard(Window{N: 2, Per: time.Hour})
	ctx := context.Background()
	r1, err := g.acquire(ctx)
	require.NoError(t, err)
	r2, err := g.acquire(ctx)
	require.NoError(t, err)
	short, cancel := context.WithTimeout(ctx, 20*time.Millisecond)
	defer cancel()
	_, err = g.acquire(short)
	assert.ErrorIs(t, err, context.DeadlineExceeded, "both slots are in flight: wait for an answer")
	r1()
	r1() // releasing twice frees one slot once
	_, err = g.acquire(short)
	var de *DelayError
	require.ErrorAs(t, err, &de, "the answered slot comes free an hour later: past the deadline, fail at once")
	assert.Greater(t, de.Delay, 59*time.Minute)
	r2()
	g.mu.Lock()
	busy, freed := g.busy, len(g.freed)
	g.mu.Unlock()
	assert.Equal(t, 0, busy)
	assert.Equal(t, 2, freed)

	one := newWindowGuard(Window{N: 1, Per: time.Hour})
	_, err = one.acquire(ctx)
	require.NoError(t, err)
	one.cancel() // the request was never sent: its slot is free at once
	_, err = one.acquire(short)
	assert.NoError(t, err)
}

// A vendor that answers without X-RateLimit-* is not paced: after the
// first answer every request goes at once.
func TestPacerStandsAsideForSilentVendors(t *testing.T) {
	t.Parallel()
	b := NewPacer(time.Minute)
	ctx := context.Background()
	n0, err := b.Take(ctx)
	require.NoError(t, err)
	b.Done(n0, 200, RateLimit{})
	for range 50 {
		_, err := b.Take(ctx)
		require.NoError(t, err)
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	assert.Equal(t, modeSilent, b.mode)
}
