package engagecheck_test

import (
	"context"
	"fmt"
	"iter"
	"net/http"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/creatorkit/creatorkit-go/engagecheck"
	"github.com/creatorkit/creatorkit-go/engagecheck/engagechecktest"
	"github.com/creatorkit/creatorkit-go/internal/vendortest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func countedClient(t *testing.T, srv *engagechecktest.Server, opts ...engagecheck.Option) (*engagecheck.Client, *vendortest.Counting) {
	t.Helper()
	ct := &vendortest.Counting{Base: srv.HTTPClient().Transport}
	c, err := srv.NewClient(append([]engagecheck.Option{engagecheck.WithHTTPClient(&http.Client{Transport: ct})}, opts...)...)
	require.NoError(t, err)
	return c, ct
}

// otherJob submits n audits on the same key in batches of 50, one batch
// every gap, as another team's job would, until done or ctx ends.
func otherJob(ctx context.Context, t *testing.T, srv *engagechecktest.Server, n int, gap time.Duration) *sync.WaitGroup {
	c, err := srv.NewClient()
	require.NoError(t, err)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; i < n; i += engagecheck.MaxBatch {
			var names []string
			for j := i; j < min(i+engagecheck.MaxBatch, n); j++ {
				names = append(names, fmt.Sprintf("other_%05d", j))
			}
			if _, err := c.Audits.CreateBatch(ctx, engagecheck.CreateBatchParams{Usernames: names}); err != nil {
				if ctx.Err() != nil {
					return
				}
				t.Errorf("other job: %v", err)
				return
			}
			select {
			case <-ctx.Done():
				return
			case <-time.After(gap):
			}
		}
	}()
	return &wg
}

func requireAllComplete(t *testing.T, seq iter.Seq2[engagecheck.Answer[*engagecheck.Audit], error], n int) {
	t.Helper()
	ok, failed := collect(t, seq)
	require.Empty(t, failed)
	require.Len(t, ok, n, "every handle yielded exactly once")
}

// TestCreateAndWaitAllSequentialReachesEveryAudit is the livelock of a large roster
// alone on a key: batches run one audit after another, the roster's own
// settled audits fill the top of the list, and the last pending audits of
// the first batches sit deeper than a poll reads. Every handle must still
// settle, once.
func TestCreateAndWaitAllSequentialReachesEveryAudit(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv, _ := fastFake(t, engagechecktest.WithCredits(2000))
		c, ct := countedClient(t, srv)
		var last engagecheck.Progress
		requireAllComplete(t, c.Audits.CreateAndWaitAll(testCtx(t), handles(750), append(srv.PollOptions(), engagecheck.WithProgress(func(p engagecheck.Progress) { last = p }))...), 750)
		assert.Equal(t, 750, srv.AuditCount(), "no handle submitted twice")
		perHandle := float64(ct.Requests.Load()) / 750
		t.Logf("750 handles alone: %.3f requests per handle (%d polls, %d probes)", perHandle, last.Polls, last.Probes)
		// Audits run 42x slower than the key's rate (completion bound); the
		// benchmarks measure the documented cost. Here: bounded, not
		// livelocked. On the bubble's clock the machine's speed plays no
		// part; goroutines acting at the same virtual instant still
		// interleave in any order (1.14-1.25 seen).
		assert.LessOrEqual(t, perHandle, 1.5)
	})
}

// TestCreateAndWaitAllBesideAnotherJob: another job on the same key keeps submitting
// batches while the roster runs, so the roster's audits sink below the
// pages a poll reads. Every handle settles once and nothing is paid twice.
func TestCreateAndWaitAllBesideAnotherJob(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv, _ := fastFake(t, engagechecktest.WithCredits(5000))
		ctx := testCtx(t)
		c, ct := countedClient(t, srv)
		jobCtx, stop := context.WithCancel(ctx)
		defer stop()
		var ours sync.Once
		var wg *sync.WaitGroup
		var last engagecheck.Progress
		progress := engagecheck.WithProgress(func(p engagecheck.Progress) {
			last = p
			if p.Queued == 0 { // all our batches are in: now the other job piles on top
				ours.Do(func() { wg = otherJob(jobCtx, t, srv, 1000, srv.Scale(5*time.Second)) })
			}
		})
		requireAllComplete(t, c.Audits.CreateAndWaitAll(ctx, handles(200), append(srv.PollOptions(), progress)...), 200)
		stop()
		wg.Wait()
		assert.Equal(t, 200, auditsOf(t, c, "creator_"), "each handle paid once")
		perHandle := float64(ct.Requests.Load()) / 200
		t.Logf("200 handles beside another job: %.3f requests per handle (%d polls, %d probes)", perHandle, last.Polls, last.Probes)
		// A bound against runaway polling, not the cost target (that is
		// BenchmarkRosterBesideJob's). On the bubble's clock the machine's
		// speed plays no part (1.7 was seen on a millisecond scale with
		// two busy loops per core); goroutines acting at the same virtual
		// instant still interleave in any order (1.35-1.42 seen).
		assert.LessOrEqual(t, perHandle, 2.5)
	})
}

// auditsOf counts the audits on the key whose handle starts with prefix.
func auditsOf(t *testing.T, c *engagecheck.Client, prefix string) int {
	n := 0
	for a, err := range c.Audits.ListAll(testCtx(t), engagecheck.ListAuditsParams{}) {
		require.NoError(t, err)
		if strings.HasPrefix(a.Username, prefix) {
			n++
		}
	}
	return n
}

// TestCreateAndWaitAllOutlastsTransientRefusals: GETs and list reads meet
// a 429 storm and then 30% 5xx. The transport's retries absorb most of
// them (a read fails only when its 4 attempts all fail); the roster
// outlasts the reads that failed even so (up to the client's retries in a
// row, the one wait policy) and loses nothing.
func TestCreateAndWaitAllOutlastsTransientRefusals(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv, c := fastFake(t, engagechecktest.WithSequentialBatches(false), engagechecktest.WithSeed(3))
		srv.SetFaults(engagechecktest.Faults{
			Routes:    []string{engagechecktest.RouteGet, engagechecktest.RouteList},
			ErrorRate: map[int]float64{503: 0.2, 502: 0.1},
			Storm429:  8,
		})
		requireAllComplete(t, c.Audits.CreateAndWaitAll(testCtx(t), handles(60), srv.PollOptions()...), 60)
		snap := srv.Snapshot()
		assert.Greater(t, snap.Count(503), 10, "faults were injected")
		assert.Equal(t, 8, snap.Count(429))
		assert.EqualValues(t, 60, snap.Credits[engagechecktest.RouteBatch])
	})
}

// TestCreateAndWaitAllListDownProbesByID: the list endpoint fails for the whole run;
// the roster settles every audit by probing batch heads by id.
func TestCreateAndWaitAllListDownProbesByID(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv, c := fastFake(t)
		srv.SetFaults(engagechecktest.Faults{Routes: []string{engagechecktest.RouteList}, ErrorRate: map[int]float64{500: 1}})
		var last engagecheck.Progress
		requireAllComplete(t, c.Audits.CreateAndWaitAll(testCtx(t), handles(60), append(srv.PollOptions(), engagecheck.WithProgress(func(p engagecheck.Progress) { last = p }))...), 60)
		assert.Positive(t, last.Probes)
	})
}

// TestCreateAndWaitAllLostBatchIsReconciledLater: a batch's answer is lost and the
// list is down too, so the first reconciliation cannot tell; CreateAndWaitAll keeps
// the handles as unknown, asks the list again once it is back, adopts the
// audits it finds and never resubmits them.
func TestCreateAndWaitAllLostBatchIsReconciledLater(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv, c := fastFake(t, engagechecktest.WithSequentialBatches(false))
		srv.SetFaults(engagechecktest.Faults{Routes: []string{engagechecktest.RouteBatch, engagechecktest.RouteList}, DropAfterRate: 1})
		var healed sync.Once
		progress := engagecheck.WithProgress(func(p engagecheck.Progress) {
			if p.Queued == 0 {
				healed.Do(func() { srv.SetFaults(engagechecktest.Faults{}) })
			}
		})
		requireAllComplete(t, c.Audits.CreateAndWaitAll(testCtx(t), handles(40), append(srv.PollOptions(), progress)...), 40)
		assert.Equal(t, 40, srv.AuditCount(), "no handle submitted twice")
		assert.EqualValues(t, 40, srv.Snapshot().Credits[engagechecktest.RouteBatch])
	})
}
