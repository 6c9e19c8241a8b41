package engagecheck_test

import (
	"context"
	"testing"
	"testing/synctest"
	"time"

	"github.com/creatorkit/creatorkit-go/engagecheck"
	"github.com/creatorkit/creatorkit-go/engagecheck/engagechecktest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A roster that dies halfway (EngageCheck goes down, the process is
// killed) and is run again WithReuseRecent pays for no handle twice: the
// second run adopts the audits the first one submitted, complete or still
// running, and answers every input.
func TestCreateAndWaitAllRerunReusesRecentAudits(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv, _ := fastFake(t, engagechecktest.WithCredits(1000))
		roster := append(handles(100), "someprivate")
		c, err := srv.NewClient()
		require.NoError(t, err)

		ctx, die := context.WithCancel(testCtx(t))
		defer die()
		answered := 0
		for range c.Audits.CreateAndWaitAll(ctx, roster, srv.PollOptions()...) {
			if answered++; answered == 50 {
				srv.Pause() // the outage that kills the first run
				die()
			}
		}
		assert.Equal(t, len(roster), answered, "the dead run still answered every input (the rest timed out)")
		srv.Resume()
		require.Equal(t, 101, srv.AuditCount(), "everything was submitted before it died")

		c2, ct := countedClient(t, srv)
		var last engagecheck.Progress
		opts := append(srv.PollOptions(), engagecheck.WithReuseRecent(time.Hour), engagecheck.WithProgress(func(p engagecheck.Progress) { last = p }))
		ok, failed := collect(t, c2.Audits.CreateAndWaitAll(testCtx(t), roster, opts...))
		assert.Len(t, ok, 100)
		require.Len(t, failed, 1)
		assert.ErrorIs(t, failed["someprivate"], engagecheck.ErrAuditFailed, "a failed audit is submitted again, and fails again")
		assert.Equal(t, 102, srv.AuditCount(), "only the failed handle was submitted again")
		snap := srv.Snapshot()
		assert.EqualValues(t, 102, snap.Credits[engagechecktest.RouteBatch], "100 handles paid once, the private one twice")
		assert.EqualValues(t, 100, snap.TotalCredits(), "net of the private one's two refunds")
		assert.Equal(t, int64(0), c2.Usage().Spent, "the rerun kept nothing it paid for")
		t.Logf("rerun of 101 handles: %d requests (%d list reads, %d probes)", ct.Requests.Load(), last.Polls, last.Probes)
	})
}

// Without WithReuseRecent a rerun pays again for every handle; with it,
// only audits newer than maxAge are adopted.
func TestCreateAndWaitAllReuseRecentAge(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv, c := fastFake(t, engagechecktest.WithFreshFor(0))
		srv.AddAudits("old_one")
		time.Sleep(2 * time.Hour)
		srv.AddAudits("new_one")
		time.Sleep(time.Minute)
		ok, failed := collect(t, c.Audits.CreateAndWaitAll(testCtx(t), []string{"old_one", "new_one"}, append(srv.PollOptions(), engagecheck.WithReuseRecent(time.Hour))...))
		require.Empty(t, failed)
		assert.Len(t, ok, 2)
		assert.Equal(t, 3, srv.AuditCount(), "old_one was older than an hour: audited again")
		assert.EqualValues(t, 1, srv.Snapshot().TotalCredits())

		ok, failed = collect(t, c.Audits.CreateAndWaitAll(testCtx(t), []string{"old_one", "new_one"}, srv.PollOptions()...))
		require.Empty(t, failed)
		assert.Len(t, ok, 2)
		assert.EqualValues(t, 3, srv.Snapshot().TotalCredits(), "without reuse both are paid again")

		_, err := c.Audits.CreateAndWait(testCtx(t), engagecheck.CreateAuditParams{Username: "x"}, engagecheck.WithReuseRecent(time.Hour))
		require.ErrorIs(t, err, engagecheck.ErrInvalidParams)
		assert.Contains(t, err.Error(), "WithReuseRecent applies to Audits.CreateAndWaitAll only")
	})
}
