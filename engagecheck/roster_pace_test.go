package engagecheck_test

import (
	"testing"
	"testing/synctest"
	"time"

	"github.com/creatorkit/creatorkit-go/engagecheck"
	"github.com/creatorkit/creatorkit-go/engagecheck/engagechecktest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// stampResolution is how much completed_at (to the second) understates
// when an audit settled.
const stampResolution = time.Second

// paceRun runs one batch of n audits of d each (one after another) with
// the given first poll interval, and returns how late each audit was
// collected after it settled (in batch order) and the checks that found
// an audit still running.
func paceRun(t *testing.T, n int, d, first time.Duration) (late []time.Duration, misses int) {
	_, c := fastFake(t, engagechecktest.WithDurations(engagechecktest.Durations{Scraping: d}))
	var last engagecheck.Progress
	opts := []engagecheck.WaitOption{engagecheck.WithPollInterval(first, max(first, 30*time.Second)), engagecheck.WithProgress(func(p engagecheck.Progress) { last = p })}
	for ans, err := range c.Audits.CreateAndWaitAll(testCtx(t), handles(n), opts...) {
		require.NoError(t, err)
		late = append(late, time.Since(ans.Value.CompletedAt.Time))
	}
	return late, last.Probes - n
}

// The batch's pace comes from the audits' own completion times, so it
// corrects both ways. Too slow a start (a first check a minute in, when
// audits take 10 s): the audits that settled meanwhile are collected at
// once, then each within its spacing. Too fast a start (checks from 1 s,
// audits of 30 s): a few checks find the first audit running, then every
// check lands when its audit is done.
func TestCreateAndWaitAllPaceCorrectsBothWays(t *testing.T) {
	t.Parallel()
	t.Run("from too slow", func(t *testing.T) {
		t.Parallel()
		synctest.Test(t, func(t *testing.T) {
			const d, first = 10 * time.Second, time.Minute
			late, misses := paceRun(t, 30, d, first)
			require.Len(t, late, 30)
			assert.Zero(t, misses)
			for i, l := range late {
				assert.LessOrEqual(t, l, 2*d+first+stampResolution, "audit %d", i)
			}
			for i, l := range late[10:] {
				// Caught up: each within a quarter of the spacing and a
				// second (when it is checked), the estimate's second and
				// the stamps' second.
				assert.LessOrEqual(t, l, d/4+3*stampResolution, "audit %d", 10+i)
			}
		})
	})
	t.Run("from too fast", func(t *testing.T) {
		t.Parallel()
		synctest.Test(t, func(t *testing.T) {
			const d, first = 30 * time.Second, time.Second
			late, misses := paceRun(t, 30, d, first)
			require.Len(t, late, 30)
			assert.LessOrEqual(t, misses, 10, "the single wait's schedule until the first audit settles, then on time")
			for i, l := range late {
				assert.LessOrEqual(t, l, 2*d+first+stampResolution, "audit %d", i)
			}
			for i, l := range late[1:] {
				assert.LessOrEqual(t, l, d/4+3*stampResolution, "audit %d", 1+i)
			}
			t.Logf("misses %d, lateness %v", misses, late)
		})
	})
}
