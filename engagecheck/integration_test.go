package engagecheck_test

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"strconv"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/creatorkit/creatorkit-go/engagecheck"
	"github.com/creatorkit/creatorkit-go/engagecheck/engagechecktest"
	"github.com/creatorkit/creatorkit-go/internal/vendortest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The tests that talk to the fake run inside testing/synctest bubbles on
// a fake started WithVirtualTime: EngageCheck's documented durations (a
// 42 s audit, 60 requests a minute, 3 s to 30 s between polls) pass on
// the bubble's clock, which moves only when every goroutine waits, so no
// test depends on how fast the machine is.

// fastFake starts a fake on the bubble's clock (call it inside
// synctest.Test) and a client for it; Close runs when the test ends.
func fastFake(t *testing.T, opts ...engagechecktest.Option) (*engagechecktest.Server, *engagecheck.Client) {
	t.Helper()
	srv := engagechecktest.NewServer(append([]engagechecktest.Option{engagechecktest.WithVirtualTime()}, opts...)...)
	t.Cleanup(srv.Close)
	c, err := srv.NewClient()
	require.NoError(t, err)
	return srv, c
}

// testCtx bounds a test on the bubble's clock: virtual hours cost no real
// time, and a wait that never ends fails at the deadline instead of
// hanging.
func testCtx(t *testing.T) context.Context { return vendortest.Ctx(t) }

func TestCreateAndWaitPollsUntilComplete(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv, c := fastFake(t)
		a, err := c.Audits.CreateAndWait(testCtx(t), engagecheck.CreateAuditParams{Username: "natgeo"}, srv.PollOptions()...)
		require.NoError(t, err)
		assert.Equal(t, engagecheck.StatusComplete, a.Status)
		assert.Equal(t, 76.0, *a.AQS)
		assert.Equal(t, "National Geographic", a.Report.Profile.FullName)
		snap := srv.Snapshot()
		assert.EqualValues(t, 1, snap.Credits[engagechecktest.RouteCreate])
		assert.GreaterOrEqual(t, snap.Requests[engagechecktest.RouteGet], 1)
	})
}

func TestCreateAndWaitReturnsInlineReportWithoutPolling(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv, c := fastFake(t)
		ctx := testCtx(t)
		_, err := c.Audits.CreateAndWait(ctx, engagecheck.CreateAuditParams{Username: "natgeo"}, srv.PollOptions()...)
		require.NoError(t, err)
		gets := srv.Snapshot().Requests[engagechecktest.RouteGet]

		a, err := c.Audits.CreateAndWait(ctx, engagecheck.CreateAuditParams{Username: "@NATGEO"}, srv.PollOptions()...)
		require.NoError(t, err)
		assert.Equal(t, engagecheck.StatusComplete, a.Status)
		assert.NotNil(t, a.Report)
		assert.Equal(t, gets, srv.Snapshot().Requests[engagechecktest.RouteGet], "no GET for an inline fresh report")
	})
}

func TestCreateAndWaitFailedAuditIsTypedAndRefunded(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv, c := fastFake(t)
		ctx := testCtx(t)
		before := srv.Credits()
		a, err := c.Audits.CreateAndWait(ctx, engagecheck.CreateAuditParams{Username: "thisuserdoesnotexist"}, srv.PollOptions()...)
		require.ErrorIs(t, err, engagecheck.ErrAuditFailed)
		var ie *engagecheck.ItemError
		require.ErrorAs(t, err, &ie)
		assert.Equal(t, engagecheck.ItemError{Vendor: "engagecheck", Input: "thisuserdoesnotexist", Item: "instagram/@thisuserdoesnotexist",
			ID: strconv.FormatInt(a.ID, 10), State: "error", Reason: "Account was not found or has been deleted (EngageCheck refunded the credit)", Err: engagecheck.ErrAuditFailed}, *ie)
		assert.Equal(t, engagecheck.StatusError, a.Status)
		assert.Equal(t, before, srv.Credits(), "the failed audit's credit came back")
		assert.Equal(t, fmt.Sprintf("engagecheck: instagram/@thisuserdoesnotexist (id %d): Account was not found or has been deleted (EngageCheck refunded the credit): audit failed", a.ID), err.Error())
	})
}

func TestGetAndWaitTimeoutNamesLastState(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv, c := fastFake(t) // a 42 s audit
		a, err := c.Audits.Create(testCtx(t), engagecheck.CreateAuditParams{Username: "nasa"})
		require.NoError(t, err)
		// The budget ends once the fake has answered two status checks (on
		// the fake's count, not a clock: a loaded machine cannot make the
		// wait end before it saw a state).
		ctx, cancel := context.WithCancel(testCtx(t))
		defer cancel()
		go func() {
			for ctx.Err() == nil && srv.Snapshot().Statuses[engagechecktest.RouteGet][200] < 2 {
				time.Sleep(5 * time.Millisecond)
			}
			cancel()
		}()
		last, err := c.Audits.GetAndWait(ctx, a.ID, engagecheck.WithPollInterval(10*time.Millisecond, 20*time.Millisecond))
		var ie *engagecheck.ItemError
		require.ErrorAs(t, err, &ie, "the wait's input is answered with an *ItemError")
		te, ok := ie.Err.(*engagecheck.TimeoutError)
		require.True(t, ok, "whose Err is the *TimeoutError: %T", ie.Err)
		assert.ErrorIs(t, err, context.Canceled)
		require.NotNil(t, last)
		assert.Equal(t, engagecheck.StatusPending, last.Status, "a 42 s audit is still pending")
		assert.Contains(t, te.Last, "is pending")
		assert.GreaterOrEqual(t, te.Checks, 2)
		id := strconv.FormatInt(a.ID, 10)
		assert.Equal(t, engagecheck.ItemError{Vendor: "engagecheck", Input: id, Item: "instagram/id:" + id, ID: id, State: "pending",
			Reason: "stopped before the audit settled; fetch it later with Audits.Get(ctx, " + id + ")", Err: te}, *ie)
		n, ok := ie.IDInt64()
		assert.True(t, ok)
		assert.Equal(t, a.ID, n)
	})
}

func TestCreateAfterLostAnswerReconcilesInsteadOfResending(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv, c := fastFake(t)
		srv.SetFaults(engagechecktest.Faults{Routes: []string{engagechecktest.RouteCreate}, DropAfterRate: 1})
		a, err := c.Audits.Create(testCtx(t), engagecheck.CreateAuditParams{Username: "nasa"})
		require.NoError(t, err, "the audit created before the connection dropped is found in the list")
		assert.Equal(t, "nasa", a.Username)
		assert.Equal(t, 1, srv.AuditCount(), "exactly one audit: nothing was resent")
		assert.EqualValues(t, 1, srv.Snapshot().Credits[engagechecktest.RouteCreate], "one credit spent")
	})
}

func TestCreateAfterRefusedConnectionResendsOnce(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv, c := fastFake(t)
		srv.SetFaults(engagechecktest.Faults{Routes: []string{engagechecktest.RouteCreate}, ErrorRate: map[int]float64{502: 1}})
		_, err := c.Audits.Create(testCtx(t), engagecheck.CreateAuditParams{Username: "nasa"})
		// The 502 came before the handler ran: the list shows no audit, so the
		// SDK resent once, met another 502, and gives up saying so.
		require.ErrorIs(t, err, engagecheck.ErrOutcomeUnknown)
		assert.Equal(t, 0, srv.AuditCount())
		assert.Equal(t, 2, srv.Snapshot().Requests[engagechecktest.RouteCreate], "one resend, after the list proved nothing was created")
	})
}

func TestBatchAfterLostAnswerIsReconciled(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv, c := fastFake(t)
		srv.SetFaults(engagechecktest.Faults{Routes: []string{engagechecktest.RouteBatch}, DropAfterRate: 1})
		b, err := c.Audits.CreateBatch(testCtx(t), engagecheck.CreateBatchParams{Usernames: []string{"natgeo", "nasa", "esa"}})
		require.NoError(t, err)
		assert.True(t, b.Reconciled)
		assert.Len(t, b.Results, 3)
		assert.Equal(t, 3, srv.AuditCount())
		assert.EqualValues(t, 3, srv.Snapshot().Credits[engagechecktest.RouteBatch])
	})
}

func handles(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("creator_%03d", i)
	}
	return out
}

// collect runs a roster and checks it answers each input at most once,
// tied to it (its index, the input as given, an *ItemError saying the
// same), with a non-nil audit; it returns the answers by input.
func collect(t *testing.T, seq iter.Seq2[engagecheck.Answer[*engagecheck.Audit], error]) (ok map[string]*engagecheck.Audit, failed map[string]error) {
	t.Helper()
	ok, failed = map[string]*engagecheck.Audit{}, map[string]error{}
	seen := map[int]bool{}
	for ans, err := range seq {
		a := ans.Value
		require.NotNil(t, a, "the audit is never nil")
		require.False(t, seen[ans.Index], "input %d answered twice", ans.Index)
		seen[ans.Index] = true
		key := ans.Input
		_, dupOK := ok[key]
		_, dupFail := failed[key]
		require.False(t, dupOK || dupFail, "input %q given twice in a test roster", key)
		if err != nil {
			var ie *engagecheck.ItemError
			if errors.As(err, &ie) {
				require.Equal(t, ans.Index, ie.Index, "the ItemError names the answer's input")
				require.Equal(t, ans.Input, ie.Input)
			}
			failed[key] = err
			continue
		}
		require.Equal(t, engagecheck.StatusComplete, a.Status)
		require.NotNil(t, a.Report, "complete audits carry their report")
		ok[key] = a
	}
	return ok, failed
}

func TestCreateAndWaitAllYieldsEveryHandleOnce(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv, c := fastFake(t, engagechecktest.WithSequentialBatches(false))
		roster := append(handles(120), "@Creator_000", "", "  ", "someprivate", "bad handle!")
		var last engagecheck.Progress
		ok, failed := collect(t, c.Audits.CreateAndWaitAll(testCtx(t), roster, append(srv.PollOptions(), engagecheck.WithProgress(func(p engagecheck.Progress) { last = p }))...))
		assert.Len(t, ok, 121, "120 handles and a duplicate, which gets the one result")
		assert.Same(t, ok["creator_000"], ok["@Creator_000"])
		require.Len(t, failed, 4, "a private account, two blanks and an invalid handle")
		assert.ErrorIs(t, failed["someprivate"], engagecheck.ErrAuditFailed)
		assert.ErrorIs(t, failed["bad handle!"], engagecheck.ErrInvalidParams)
		assert.ErrorIs(t, failed[""], engagecheck.ErrInvalidParams)
		assert.ErrorIs(t, failed["  "], engagecheck.ErrInvalidParams)
		assert.Equal(t, engagecheck.Progress{Op: "Audits.CreateAndWaitAll", Total: 125, Succeeded: 121, Failed: 4,
			CreditsRemaining: last.CreditsRemaining, Probes: last.Probes, Checks: last.Probes, Elapsed: last.Elapsed}, last)
		assert.Positive(t, last.Elapsed)

		snap := srv.Snapshot()
		assert.Equal(t, 3, snap.Requests[engagechecktest.RouteBatch], "121 handles in batches of 50")
		// Each audit is fetched once: the GET that finds it settled. The
		// first batch's head is checked on the single wait's schedule
		// until an audit settles (the other heads wait for what it shows);
		// then every check lands when the audit is done.
		assert.Equal(t, last.Probes, snap.Requests[engagechecktest.RouteGet], "every GET is a check")
		assert.LessOrEqual(t, snap.Requests[engagechecktest.RouteGet], 121+6, "each settled audit fetched once, a few checks before the first settled")
		assert.Equal(t, 1, snap.Requests[engagechecktest.RouteCredits])
		assert.Zero(t, snap.Requests[engagechecktest.RouteCreate])
		assert.Equal(t, 1000-120, srv.Credits(), "the private audit was refunded")
		assert.Zero(t, snap.Count(429))
	})
}

func TestCreateAndWaitAllRefusesARosterTheCreditsCannotCover(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv, c := fastFake(t, engagechecktest.WithCredits(30))
		ok, failed := collect(t, c.Audits.CreateAndWaitAll(testCtx(t), handles(40), srv.PollOptions()...))
		assert.Empty(t, ok)
		require.Len(t, failed, 40)
		for _, err := range failed {
			require.ErrorIs(t, err, engagecheck.ErrQuotaExceeded)
			assert.Contains(t, err.Error(), "the roster needs 40 credits and the key has 30 (nothing was spent")
		}
		assert.Zero(t, srv.AuditCount())
		assert.Equal(t, 30, srv.Credits())
	})
}

func TestCreateAndWaitAllPartialAuditsWhatTheCreditsCover(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv, c := fastFake(t, engagechecktest.WithCredits(30))
		ok, failed := collect(t, c.Audits.CreateAndWaitAll(testCtx(t), handles(40), append(srv.PollOptions(), engagecheck.WithAllowPartial())...))
		assert.Len(t, ok, 30)
		require.Len(t, failed, 10)
		for _, err := range failed {
			assert.ErrorIs(t, err, engagecheck.ErrQuotaExceeded)
		}
		assert.Zero(t, srv.Snapshot().Count(402), "batches were sized to the balance: no 402")
	})
}

func TestCreateAndWaitAllRecoversFromA402MidRun(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv, c := fastFake(t, engagechecktest.WithCredits(100))
		ctx := testCtx(t)
		var once bool
		progress := engagecheck.WithProgress(func(p engagecheck.Progress) {
			if p.Queued == 50 && !once {
				once = true
				srv.SetCredits(5) // someone else spent credits after our first batch
			}
		})
		ok, failed := collect(t, c.Audits.CreateAndWaitAll(ctx, handles(100), append(srv.PollOptions(), progress, engagecheck.WithAllowPartial())...))
		assert.Len(t, ok, 55)
		assert.Len(t, failed, 45)
		for _, err := range failed {
			assert.ErrorIs(t, err, engagecheck.ErrQuotaExceeded)
		}
		assert.Equal(t, 1, srv.Snapshot().Count(402), "one 402, then the batch was resized to the balance")
	})
}

func TestCreateAndWaitAllSurvivesFaults(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv, c := fastFake(t, engagechecktest.WithSeed(7), engagechecktest.WithSequentialBatches(false))
		srv.SetFaults(engagechecktest.Faults{
			Routes:       []string{engagechecktest.RouteGet, engagechecktest.RouteList},
			ErrorRate:    map[int]float64{502: 0.2},
			MalformRate:  0.05,
			TruncateRate: 0.05,
		})
		ok, failed := collect(t, c.Audits.CreateAndWaitAll(testCtx(t), handles(80), srv.PollOptions()...))
		assert.Len(t, ok, 80)
		assert.Empty(t, failed)
		snap := srv.Snapshot()
		assert.Greater(t, snap.Statuses[engagechecktest.RouteGet][502], 0, "faults were injected")
		assert.EqualValues(t, 80, srv.Snapshot().Credits[engagechecktest.RouteBatch], "no credit spent twice")
	})
}

func TestCreateAndWaitAllRidesOutA429Storm(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv, c := fastFake(t, engagechecktest.WithSequentialBatches(false))
		srv.SetFaults(engagechecktest.Faults{Storm429: 3, StormRetryAfter: time.Second})
		ok, failed := collect(t, c.Audits.CreateAndWaitAll(testCtx(t), handles(60), srv.PollOptions()...))
		assert.Len(t, ok, 60)
		assert.Empty(t, failed)
		assert.Equal(t, 3, srv.Snapshot().Count(429))
	})
}

func TestCreateAndWaitAllBatchLostAfterSendIsReconciled(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv, c := fastFake(t, engagechecktest.WithSequentialBatches(false))
		srv.SetFaults(engagechecktest.Faults{Routes: []string{engagechecktest.RouteBatch}, DropAfterRate: 1})
		ok, failed := collect(t, c.Audits.CreateAndWaitAll(testCtx(t), handles(70), srv.PollOptions()...))
		assert.Len(t, ok, 70)
		assert.Empty(t, failed)
		assert.Equal(t, 70, srv.AuditCount(), "no handle submitted twice")
		assert.EqualValues(t, 70, srv.Snapshot().Credits[engagechecktest.RouteBatch])
	})
}

func TestCreateAndWaitAllContextEndReportsEveryHandleWithItsID(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv, c := fastFake(t) // audits take 42 s: none will finish
		// The context ends once every batch is in (on the roster's own
		// progress, not a clock, so a loaded machine cannot end it earlier).
		ctx, cancel := context.WithCancel(testCtx(t))
		defer cancel()
		c2, err := srv.NewClient(engagecheck.WithWindow(1000, time.Minute))
		require.NoError(t, err)
		_ = c
		submitted := engagecheck.WithProgress(func(p engagecheck.Progress) {
			if p.Queued == 0 && p.Pending == 60 {
				cancel()
			}
		})
		ok, failed := collect(t, c2.Audits.CreateAndWaitAll(ctx, handles(60), engagecheck.WithPollInterval(50*time.Millisecond, 100*time.Millisecond), submitted))
		assert.Empty(t, ok)
		require.Len(t, failed, 60)
		for _, err := range failed {
			var ie *engagecheck.ItemError
			require.ErrorAs(t, err, &ie)
			assert.ErrorIs(t, err, context.Canceled)
			te, isTimeout := ie.Err.(*engagecheck.TimeoutError)
			require.True(t, isTimeout, "Err is a *TimeoutError: %T", ie.Err)
			assert.Contains(t, te.Last, " is ")
			id, ok := ie.IDInt64()
			require.True(t, ok, "submitted handles keep their id so the result can be fetched later")
			assert.Equal(t, fmt.Sprintf("stopped before the audit settled; fetch it later with Audits.Get(ctx, %d)", id), ie.Reason)
			assert.NotEmpty(t, ie.State, "the last state seen")
			assert.Equal(t, "instagram/@"+strings.TrimPrefix(ie.Input, "@"), ie.Item)
		}
	})
}

func TestCreateAndWaitAllBreakStops(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv, c := fastFake(t)
		n := 0
		for range c.Audits.CreateAndWaitAll(testCtx(t), handles(10), srv.PollOptions()...) {
			n++
			break
		}
		assert.Equal(t, 1, n)
	})
}

func TestCreateAndWaitAllUnauthorizedFailsEveryHandle(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv, _ := fastFake(t)
		c, err := srv.NewClient(engagecheck.WithAPIKey("ec_live_wrong"))
		require.NoError(t, err)
		_, failed := collect(t, c.Audits.CreateAndWaitAll(testCtx(t), handles(3)))
		require.Len(t, failed, 3)
		for _, err := range failed {
			assert.ErrorIs(t, err, engagecheck.ErrUnauthorized)
			assert.Contains(t, err.Error(), "The API key is missing, invalid, or revoked.")
			assert.NotContains(t, err.Error(), "ec_live_wrong")
		}
		assert.True(t, errors.Is(failed["creator_000"], engagecheck.ErrUnauthorized))
	})
}

func TestListAllAgainstFake(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv, c := fastFake(t)
		_, err := c.Audits.CreateBatch(testCtx(t), engagecheck.CreateBatchParams{Usernames: handles(50)})
		require.NoError(t, err)
		_, err = c.Audits.CreateBatch(testCtx(t), engagecheck.CreateBatchParams{Usernames: handles(50)[:30]})
		require.NoError(t, err)
		seen := 0
		var prev int64 = 1 << 62
		for s, err := range c.Audits.ListAll(testCtx(t), engagecheck.ListAuditsParams{Limit: 30}) {
			require.NoError(t, err)
			require.Less(t, s.ID, prev, "newest first")
			prev = s.ID
			seen++
		}
		assert.Equal(t, 80, seen)
		assert.Equal(t, 3, srv.Snapshot().Requests[engagechecktest.RouteList])
	})
}
