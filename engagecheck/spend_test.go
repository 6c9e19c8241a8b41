package engagecheck_test

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"math/rand/v2"
	"net/http"
	"net/http/httptrace"
	"os"
	"strconv"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/creatorkit/creatorkit-go/engagecheck"
	"github.com/creatorkit/creatorkit-go/engagecheck/engagechecktest"
	"github.com/creatorkit/creatorkit-go/internal/vendortest"
	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/time/rate"
)

// spendFake is a fake on the bubble's clock (call it inside synctest.Test)
// where an audit takes 12 s and the key has no rate window (the clients
// pace nothing either).
func spendFake(t *testing.T, opts ...engagechecktest.Option) *engagechecktest.Server {
	t.Helper()
	srv := engagechecktest.NewServer(append([]engagechecktest.Option{
		engagechecktest.WithVirtualTime(), engagechecktest.WithRateLimit(0, 0),
		engagechecktest.WithDurations(engagechecktest.Durations{Pending: 2 * time.Second, Scraping: 5 * time.Second, Analyzing: 5 * time.Second}),
	}, opts...)...)
	t.Cleanup(srv.Close)
	return srv
}

// spendPoll checks statuses 2 s apart, growing to 10 s.
var spendPoll = engagecheck.WithPollInterval(2*time.Second, 10*time.Second)

// spendClient is a client of srv on its own connection pool (a clone of
// the fake's in-memory transport): keep-alive connections are reused (one
// idle connection kept) unless fresh asks for a new connection per
// request.
func spendClient(t *testing.T, srv *engagechecktest.Server, fresh bool, opts ...engagecheck.Option) *engagecheck.Client {
	t.Helper()
	tr := vendortest.ConnTransport(t, srv.HTTPClient(), 1, !fresh)
	c, err := srv.NewClient(append([]engagecheck.Option{engagecheck.WithHTTPClient(&http.Client{Transport: tr}), engagecheck.WithRateLimit(rate.Inf, 0)}, opts...)...)
	require.NoError(t, err)
	return c
}

// firstConn records whether the first request of a call went out on a
// reused connection.
func firstConn(ctx context.Context) (context.Context, func() (reused, seen bool)) {
	var mu sync.Mutex
	var got, reused bool
	ctx = httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{GotConn: func(info httptrace.GotConnInfo) {
		mu.Lock()
		defer mu.Unlock()
		if !got {
			got, reused = true, info.Reused
		}
	}})
	return ctx, func() (bool, bool) {
		mu.Lock()
		defer mu.Unlock()
		return reused, got
	}
}

// quiesce waits (on the bubble's clock) until the fake has answered (or
// dropped) every request it received: a handler held by the fake's
// latency still spends when it runs.
func quiesce(t *testing.T, srv *engagechecktest.Server) {
	t.Helper()
	deadline := time.Now().Add(time.Hour)
	for {
		snap := srv.Snapshot()
		answered := 0
		for _, byStatus := range snap.Statuses {
			for _, n := range byStatus {
				answered += n
			}
		}
		if answered >= snap.TotalRequests() {
			return
		}
		require.True(t, time.Now().Before(deadline), "the fake still has requests in flight")
		time.Sleep(time.Second)
	}
}

// settleAll turns the faults off, waits until every audit on the fake has
// settled, and reads the whole list through c (free), so that c sees how
// each of its audits ended. It returns the audits per handle.
func settleAll(t *testing.T, srv *engagechecktest.Server, c *engagecheck.Client) map[string]int {
	t.Helper()
	quiesce(t, srv)
	srv.SetFaults(engagechecktest.Faults{})
	deadline := time.Now().Add(time.Hour)
	for {
		perHandle, pending := map[string]int{}, 0
		for row, err := range c.Audits.ListAll(testCtx(t), engagecheck.ListAuditsParams{}) {
			require.NoError(t, err)
			perHandle[row.Username]++
			if !row.Status.Terminal() {
				pending++
			}
		}
		if pending == 0 {
			return perHandle
		}
		require.True(t, time.Now().Before(deadline), "%d audits still running", pending)
		time.Sleep(5 * time.Second)
	}
}

// bracket reports whether Usage brackets the credits the fake kept (net
// of its refunds): Spent <= kept <= Spent + SpentUnknown, equal when
// SpentUnknown is 0.
func bracket(u engagecheck.Usage, kept int64) bool {
	k := int64(kept)
	if u.SpentUnknown == 0 {
		return u.Spent == k
	}
	return u.Spent <= k && k <= u.Spent+u.SpentUnknown
}

// Every paid call whose answer is lost after EngageCheck charged it, on a
// reused keep-alive connection (where net/http would resend a request it
// thinks replayable, such as one with an Idempotency-Key) and on a fresh
// one: the request is sent once, the SDK finds the audits in the list
// instead of resending, the fake charges once per handle, and Usage counts
// the credits as SpentUnknown.
func TestPaidCallWithLostAnswerIsChargedOnce(t *testing.T) {
	t.Parallel()
	calls := []struct {
		name, op, route string
		handles         int
		call            func(ctx context.Context, c *engagecheck.Client) error
	}{
		{"Create", "Audits.Create", engagechecktest.RouteCreate, 1, func(ctx context.Context, c *engagecheck.Client) error {
			a, err := c.Audits.Create(ctx, engagecheck.CreateAuditParams{Username: "natgeo"})
			if err == nil && a.Username != "natgeo" {
				err = fmt.Errorf("recovered %q", a.Username)
			}
			return err
		}},
		{"Create with an idempotency key", "Audits.Create", engagechecktest.RouteCreate, 1, func(ctx context.Context, c *engagecheck.Client) error {
			_, err := c.Audits.Create(ctx, engagecheck.CreateAuditParams{Username: "natgeo", IdempotencyKey: "natgeo-1"})
			return err
		}},
		{"CreateBatch", "Audits.CreateBatch", engagechecktest.RouteBatch, 3, func(ctx context.Context, c *engagecheck.Client) error {
			b, err := c.Audits.CreateBatch(ctx, engagecheck.CreateBatchParams{Usernames: []string{"natgeo", "nasa", "someprivate"}})
			if err == nil && (!b.Reconciled || len(b.Results) != 3) {
				err = fmt.Errorf("reconciled %v, %d rows", b.Reconciled, len(b.Results))
			}
			return err
		}},
		{"CreateBatch with an idempotency key", "Audits.CreateBatch", engagechecktest.RouteBatch, 3, func(ctx context.Context, c *engagecheck.Client) error {
			_, err := c.Audits.CreateBatch(ctx, engagecheck.CreateBatchParams{Usernames: []string{"natgeo", "nasa", "someprivate"}, IdempotencyKey: "b-1"})
			return err
		}},
		{"CreateAndWaitAll", "Audits.CreateBatch", engagechecktest.RouteBatch, 3, func(ctx context.Context, c *engagecheck.Client) error {
			for ans, err := range c.Audits.CreateAndWaitAll(ctx, []string{"natgeo", "nasa", "someprivate"}, spendPoll) {
				a := ans.Value
				if err != nil && !(a.Username == "someprivate" && errors.Is(err, engagecheck.ErrAuditFailed)) {
					return err
				}
			}
			return nil
		}},
	}
	for _, tc := range calls {
		for _, fresh := range []bool{false, true} {
			name := tc.name + map[bool]string{false: ", reused connection", true: ", fresh connection"}[fresh]
			t.Run(name, func(t *testing.T) {
				t.Parallel()
				synctest.Test(t, func(t *testing.T) {
					srv := spendFake(t)
					c := spendClient(t, srv, fresh)
					ctx := testCtx(t)
					if !fresh {
						_, err := c.Credits.Get(ctx) // a free call leaves a keep-alive connection to reuse
						require.NoError(t, err)
					}
					srv.SetFaults(engagechecktest.Faults{DropAfterRate: 1, Routes: []string{tc.route}})
					traced, conn := firstConn(ctx)
					if tc.name == "CreateAndWaitAll" {
						traced = ctx // its first request is the free balance check
					}
					require.NoError(t, tc.call(traced, c), "the audits created before the answer was lost are found in the list")
					if reused, seen := conn(); seen {
						assert.Equal(t, !fresh, reused, "the paid request went out on a reused connection: %v", reused)
					}

					snap := srv.Snapshot()
					assert.Equal(t, 1, snap.Requests[tc.route], "sent once: neither net/http nor the SDK resent it")
					assert.EqualValues(t, tc.handles, snap.Credits[tc.route], "charged once per handle")
					assert.Equal(t, tc.handles, srv.AuditCount())
					op := c.Usage().Operations[tc.op]
					spent := int64(tc.handles)
					if tc.name == "CreateAndWaitAll" {
						spent-- // the roster saw someprivate fail: refunded
					}
					assert.Equal(t, spent, op.Spent, "the reconcile found the audits: their credits were charged")
					assert.Zero(t, op.SpentUnknown, "resolved by the reconcile")
					assert.Equal(t, int64(1), op.Requests)

					perHandle := settleAll(t, srv, c)
					for h, n := range perHandle {
						assert.Equal(t, 1, n, "one audit of %s", h)
					}
					assert.True(t, bracket(c.Usage(), srv.Snapshot().TotalCredits()), "usage %v brackets the %d credits kept", c.Usage(), srv.Snapshot().TotalCredits())
				})
			})
		}
	}
}

// The report: Audits.Create with a caller's Idempotency-Key was
// charged 39 times for 30 handles, as net/http resent requests whose
// reused connection failed under them. Charged then dropped on reused
// connections, each handle is charged once.
func TestCreateWithIdempotencyKeyOnReusedConnectionsIsChargedOncePerHandle(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv := spendFake(t)
		c := spendClient(t, srv, false)
		ctx := testCtx(t)
		_, err := c.Credits.Get(ctx)
		require.NoError(t, err)
		srv.SetFaults(engagechecktest.Faults{DropAfterRate: 1, Routes: []string{engagechecktest.RouteCreate}})
		reusedN := 0
		for i := range 30 {
			traced, conn := firstConn(ctx)
			name := fmt.Sprintf("creator_%03d", i)
			a, err := c.Audits.Create(traced, engagecheck.CreateAuditParams{Username: name, IdempotencyKey: "roster-7-" + name})
			require.NoError(t, err)
			assert.Equal(t, name, a.Username)
			if reused, _ := conn(); reused {
				reusedN++
			}
		}
		assert.Equal(t, 30, reusedN, "every create went out on a reused connection (the reconcile's list left one idle)")
		snap := srv.Snapshot()
		assert.Equal(t, 30, snap.Requests[engagechecktest.RouteCreate])
		assert.EqualValues(t, 30, snap.Credits[engagechecktest.RouteCreate], "charged once per handle, not 39 times")
		assert.Equal(t, 30, srv.AuditCount())
		u := c.Usage()
		assert.Equal(t, int64(30), u.Spent, "each lost answer's audit was found in the list: charged")
		assert.Zero(t, u.SpentUnknown)
		assert.True(t, bracket(u, snap.TotalCredits()))
	})
}

// Usage counts what was spent, net of the refunds of failed audits the
// client saw, once each and only for audits it paid for; a 402 costs
// nothing.
func TestUsageFollowsRefunds(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv := spendFake(t, engagechecktest.WithCredits(12))
		b := engagecheck.NewBudget(100)
		c := spendClient(t, srv, false, engagecheck.WithBudget(b))
		other := spendClient(t, srv, false)
		ctx := testCtx(t)
		poll := spendPoll

		roster := []string{"natgeo", "someprivate", "nasa", "goneaccount_notfound", "esa"}
		for range c.Audits.CreateAndWaitAll(ctx, roster, poll) {
		}
		assert.EqualValues(t, 3, srv.Snapshot().TotalCredits(), "two failed audits refunded")
		u := c.Usage()
		assert.Equal(t, int64(3), u.Spent, "the roster saw both failures: %v", u)
		assert.Zero(t, u.SpentUnknown)
		assert.Equal(t, int64(1), u.Operations["Audits.CreateBatch"].Calls, "one batch")
		assert.Equal(t, int64(3), b.Used(), "refunds go back to the budget")

		a, err := c.Audits.CreateAndWait(ctx, engagecheck.CreateAuditParams{Username: "another_private"}, poll)
		require.ErrorIs(t, err, engagecheck.ErrAuditFailed)
		assert.Equal(t, int64(3), c.Usage().Spent, "refunded when GetAndWait saw it fail")
		_, err = c.Audits.Get(ctx, a.ID)
		require.NoError(t, err)
		_, err = c.Audits.List(ctx, engagecheck.ListAuditsParams{Limit: 100})
		require.NoError(t, err)
		assert.Equal(t, int64(3), c.Usage().Spent, "a refund is counted once")
		assert.Equal(t, int64(1), c.Usage().Operations["Audits.Create"].Calls)
		assert.Zero(t, c.Usage().Operations["Audits.Create"].Spent)

		_, err = other.Audits.List(ctx, engagecheck.ListAuditsParams{Limit: 100})
		require.NoError(t, err)
		assert.Zero(t, other.Usage().Spent, "another client's failed audits are not its refunds")

		// 12 credits, 3 kept: a batch of 10 gets a 402 and costs nothing.
		_, err = c.Audits.CreateBatch(ctx, engagecheck.CreateBatchParams{Usernames: handles(10)})
		require.ErrorIs(t, err, engagecheck.ErrQuotaExceeded)
		assert.Equal(t, int64(3), c.Usage().Spent)
		assert.Zero(t, c.Usage().SpentUnknown)
		assert.Equal(t, int64(3), b.Used())
		assert.True(t, bracket(c.Usage(), srv.Snapshot().TotalCredits()))
	})
}

// A paid call the budget cannot hold is refused before anything is sent,
// and the credits of a lost answer count against the budget.
func TestBudgetRefusesBeforeSending(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv := spendFake(t)
		b := engagecheck.NewBudget(4)
		c := spendClient(t, srv, false, engagecheck.WithBudget(b))
		ctx := testCtx(t)

		_, err := c.Audits.CreateBatch(ctx, engagecheck.CreateBatchParams{Usernames: handles(5)})
		require.ErrorIs(t, err, engagecheck.ErrBudgetExceeded, "the whole batch or nothing")
		assert.Zero(t, srv.Snapshot().Requests[engagechecktest.RouteBatch], "nothing sent")

		_, err = c.Audits.CreateBatch(ctx, engagecheck.CreateBatchParams{Usernames: handles(2)})
		require.NoError(t, err)
		srv.SetFaults(engagechecktest.Faults{DropAfterRate: 1, Routes: []string{engagechecktest.RouteCreate}})
		_, err = c.Audits.Create(ctx, engagecheck.CreateAuditParams{Username: "natgeo"})
		require.NoError(t, err, "recovered from the list")
		assert.Equal(t, int64(3), c.Usage().Spent, "the reconcile found it: charged")
		assert.Equal(t, int64(3), b.Used(), "the lost answer's credit counts against the budget")

		_, err = c.Audits.Create(ctx, engagecheck.CreateAuditParams{Username: "nasa"})
		require.NoError(t, err)
		_, err = c.Audits.Create(ctx, engagecheck.CreateAuditParams{Username: "esa"})
		require.ErrorIs(t, err, engagecheck.ErrBudgetExceeded)
		_, err = c.Audits.CreateAndWait(ctx, engagecheck.CreateAuditParams{Username: "esa"})
		require.ErrorIs(t, err, engagecheck.ErrBudgetExceeded, "not a transient refusal: CreateAndWait does not wait it out")
		assert.Equal(t, 2, srv.Snapshot().Requests[engagechecktest.RouteCreate], "no request for a refused call")
		assert.Zero(t, b.Remaining())
	})
}

// collectBudget runs a roster and sorts its answers: complete audits, and
// handles answered with ErrBudgetExceeded (an *ItemError whose Err is an
// *Error of that kind, with no audit id).
func collectBudget(t *testing.T, seq iter.Seq2[engagecheck.Answer[*engagecheck.Audit], error]) (done, refused int) {
	t.Helper()
	for ans, err := range seq {
		a := ans.Value
		switch {
		case err == nil:
			require.Equal(t, engagecheck.StatusComplete, a.Status)
			done++
		case errors.Is(err, engagecheck.ErrBudgetExceeded):
			var ie *engagecheck.ItemError
			require.ErrorAs(t, err, &ie)
			var e *engagecheck.Error
			require.ErrorAs(t, ie.Err, &e)
			assert.Empty(t, ie.ID, "never submitted")
			assert.Contains(t, ie.Reason, "not submitted")
			refused++
		default:
			t.Errorf("%s: %v", a.Username, err)
		}
	}
	return done, refused
}

// A budget of 12 credits on a roster of 30: exactly 12 charged, 18
// yielded with ErrBudgetExceeded, and no request sent for them.
func TestRosterSizesItsBatchesToTheBudget(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv := spendFake(t)
		b := engagecheck.NewBudget(12)
		c := spendClient(t, srv, false, engagecheck.WithBudget(b))
		done, refused := collectBudget(t, c.Audits.CreateAndWaitAll(testCtx(t), handles(30), spendPoll))
		assert.Equal(t, 12, done)
		assert.Equal(t, 18, refused)
		snap := srv.Snapshot()
		assert.EqualValues(t, 12, snap.Credits[engagechecktest.RouteBatch])
		assert.Equal(t, 1, snap.Requests[engagechecktest.RouteBatch], "one batch of 12; none for the 18")
		assert.Equal(t, 12, srv.AuditCount())
		assert.Equal(t, int64(12), c.Usage().Spent)
		assert.Equal(t, int64(12), b.Used())
	})
}

// One budget shared by two clients caps their sum, with their rosters
// running at once.
func TestSharedBudgetCapsTwoClients(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv := spendFake(t)
		b := engagecheck.NewBudget(20)
		clients := []*engagecheck.Client{spendClient(t, srv, false, engagecheck.WithBudget(b)), spendClient(t, srv, false, engagecheck.WithBudget(b))}
		var wg sync.WaitGroup
		var mu sync.Mutex
		done, refused := 0, 0
		for i, c := range clients {
			wg.Add(1)
			go func() {
				defer wg.Done()
				roster := make([]string, 15)
				for j := range roster {
					roster[j] = fmt.Sprintf("client%d_%02d", i, j)
				}
				d, r := collectBudget(t, c.Audits.CreateAndWaitAll(testCtx(t), roster, spendPoll))
				mu.Lock()
				done, refused = done+d, refused+r
				mu.Unlock()
			}()
		}
		wg.Wait()
		assert.Equal(t, 20, done)
		assert.Equal(t, 10, refused)
		assert.EqualValues(t, 20, srv.Snapshot().TotalCredits())
		assert.Equal(t, 20, srv.AuditCount(), "no request for a refused handle")
		assert.Equal(t, int64(20), clients[0].Usage().Spent+clients[1].Usage().Spent)
		assert.Zero(t, b.Remaining())
	})
}

// ledgerMix is one mix of faults for the ledger matrix.
type ledgerMix struct {
	name   string
	faults engagechecktest.Faults
	fresh  bool    // a new connection per request
	tight  float64 // share of calls whose context ends before the fake answers
}

// ledgerMixes: each fault at 30%, alone and all at once. Timeouts come
// from the fake's latency (4 s) and a context of 2 s on 30% of calls; the
// fake still runs those requests after the client gave up.
var ledgerMixes = []ledgerMix{
	{name: "answer dropped after the charge, reused connections", faults: engagechecktest.Faults{DropAfterRate: 0.3}},
	{name: "answer dropped after the charge, fresh connections", faults: engagechecktest.Faults{DropAfterRate: 0.3}, fresh: true},
	{name: "502", faults: engagechecktest.Faults{ErrorRate: map[int]float64{502: 0.3}}},
	{name: "429", faults: engagechecktest.Faults{ErrorRate: map[int]float64{429: 0.3}}},
	{name: "timeouts", faults: engagechecktest.Faults{Latency: 4 * time.Second}, tight: 0.3},
	{name: "all at once", faults: engagechecktest.Faults{DropAfterRate: 0.3, ErrorRate: map[int]float64{503: 0.3}, Latency: 4 * time.Second}, tight: 0.3},
}

// ledgerCalls are the paid calls of the matrix: each makes 30 logical
// calls (Create: one handle each; CreateBatch: 10 calls of 3 handles)
// over handles of which one in four fails and is refunded.
var ledgerCalls = []struct {
	name  string
	calls int
	call  func(ctx context.Context, c *engagecheck.Client, i int) []string
}{
	{"Audits.Create", 30, func(ctx context.Context, c *engagecheck.Client, i int) []string {
		h := ledgerHandle(i)
		_, _ = c.Audits.Create(ctx, engagecheck.CreateAuditParams{Username: h})
		return []string{h}
	}},
	{"Audits.CreateBatch", 10, func(ctx context.Context, c *engagecheck.Client, i int) []string {
		hs := []string{ledgerHandle(3 * i), ledgerHandle(3*i + 1), ledgerHandle(3*i + 2)}
		_, _ = c.Audits.CreateBatch(ctx, engagecheck.CreateBatchParams{Usernames: hs})
		return hs
	}},
}

func ledgerHandle(i int) string {
	if i%4 == 3 {
		return fmt.Sprintf("private_%03d", i)
	}
	return fmt.Sprintf("creator_%03d", i)
}

// The ledger matrix: every paid call under every fault mix, on several
// seeds. After each run, once every audit has settled and been seen by the
// client: no handle was charged twice (one audit per handle at most, and
// the fake's gross charge at most one credit per handle), and Usage
// brackets the credits the fake kept, net of refunds.
//
// Each cell (a call under a mix) runs on one of seeds 1 to 3 in turn by
// default, on all three with CREATORKIT_FULL_TESTS=1 (CI), and on seeds 1
// to n with CREATORKIT_LEDGER_SEEDS=n.
func TestLedgerMatrix(t *testing.T) {
	t.Parallel()
	seedsOf := func(cell int) []uint64 { return vendortest.Seeds(cell, 1, 2, 3) }
	if n, err := strconv.Atoi(os.Getenv("CREATORKIT_LEDGER_SEEDS")); err == nil && n > 0 {
		seedsOf = func(int) []uint64 {
			var seeds []uint64
			for i := range n {
				seeds = append(seeds, uint64(i+1))
			}
			return seeds
		}
	}
	var mu sync.Mutex
	runs, held, maxPerHandle, unknownRuns, planned := 0, 0, 0, 0, 0
	t.Run("runs", func(t *testing.T) {
		cell := 0
		for _, call := range ledgerCalls {
			for _, mix := range ledgerMixes {
				cell++
				for _, seed := range seedsOf(cell) {
					planned++
					t.Run(fmt.Sprintf("%s/%s/seed %d", call.name, mix.name, seed), func(t *testing.T) {
						t.Parallel()
						synctest.Test(t, func(t *testing.T) {
							srv := spendFake(t, engagechecktest.WithSeed(seed))
							c := spendClient(t, srv, mix.fresh, engagecheck.WithMaxRetries(2))
							srv.SetFaults(mix.faults)
							pick := rand.New(rand.NewPCG(seed, 7))
							submitted := 0
							for i := range call.calls {
								ctx, cancel := context.WithTimeout(context.Background(), time.Hour)
								if pick.Float64() < mix.tight {
									cancel()
									ctx, cancel = context.WithTimeout(context.Background(), 2*time.Second)
								}
								submitted += len(call.call(ctx, c, i))
								cancel()
							}
							perHandle := settleAll(t, srv, c)
							snap := srv.Snapshot()
							u := c.Usage()
							most := 0
							for _, n := range perHandle {
								most = max(most, n)
							}
							gross := snap.Credits[engagechecktest.RouteCreate] + snap.Credits[engagechecktest.RouteBatch]
							t.Logf("%v; the fake kept %d (charged %d, refunded %d; %d answers dropped)", u, snap.TotalCredits(), gross, snap.Refunds, snap.Dropped[engagechecktest.RouteCreate]+snap.Dropped[engagechecktest.RouteBatch])
							ok := assert.LessOrEqual(t, most, 1, "a handle was charged twice") &&
								assert.LessOrEqual(t, gross, int64(submitted), "charged more than once per handle") &&
								assert.True(t, bracket(u, snap.TotalCredits()), "usage %v does not bracket the %d credits kept", u, snap.TotalCredits())
							mu.Lock()
							defer mu.Unlock()
							runs++
							if ok {
								held++
							}
							if u.SpentUnknown > 0 {
								unknownRuns++
							}
							maxPerHandle = max(maxPerHandle, most)
						})
					})
				}
			}
		}
	})
	t.Logf("ledger matrix: %d runs of %d planned (%d paid calls x %d fault mixes x their seeds; 30 handles a run: 30 Creates, or 10 CreateBatch of 3); "+
		"invariant held in %d/%d; at most %d charge per handle; %d runs ended with SpentUnknown > 0 (bracketed), %d exact",
		runs, planned, len(ledgerCalls), len(ledgerMixes), held, runs, maxPerHandle, unknownRuns, runs-unknownRuns)
	assert.Equal(t, planned, runs)
	assert.GreaterOrEqual(t, runs, len(ledgerCalls)*len(ledgerMixes), "every call under every mix")
}

// resolveCall is one call of the resolver hook.
type resolveCall struct {
	op                  string
	charged, notCharged int64
}

type resolveRecorder struct {
	mu    sync.Mutex
	calls []resolveCall
}

func (r *resolveRecorder) Resolve(op, unit string, charged, notCharged int64) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.calls = append(r.calls, resolveCall{op, charged, notCharged})
}

// When the transport offers a hook to settle a lost submit's credits, a
// reconcile tells it what the list showed: the audits it found were
// charged (and are then followed for refunds), the handles it proves were
// not created were not.
func TestReconcileResolvesLostCredits(t *testing.T) {
	t.Parallel()
	t.Run("found", func(t *testing.T) {
		t.Parallel()
		synctest.Test(t, func(t *testing.T) {
			srv := spendFake(t)
			c := spendClient(t, srv, false)
			rec := &resolveRecorder{}
			engagecheck.SetResolver(c, rec)
			srv.SetFaults(engagechecktest.Faults{DropAfterRate: 1, Routes: []string{engagechecktest.RouteBatch}})
			_, err := c.Audits.CreateBatch(testCtx(t), engagecheck.CreateBatchParams{Usernames: []string{"natgeo", "someprivate"}})
			require.NoError(t, err)
			assert.Equal(t, []resolveCall{{"Audits.CreateBatch", 2, 0}}, rec.calls)
			settleAll(t, srv, c)
			// This recorder leaves the counts where they are; the real hook
			// would have moved the 2 credits to Spent before the refund.
			op := c.Usage().Operations["Audits.CreateBatch"]
			assert.Equal(t, int64(-1), op.Spent, "the failed audit's refund was followed")
		})
	})
	t.Run("not created", func(t *testing.T) {
		t.Parallel()
		synctest.Test(t, func(t *testing.T) {
			srv := spendFake(t)
			c := spendClient(t, srv, false)
			rec := &resolveRecorder{}
			engagecheck.SetResolver(c, rec)
			srv.SetFaults(engagechecktest.Faults{ErrorRate: map[int]float64{502: 1}, Routes: []string{engagechecktest.RouteCreate}})
			_, err := c.Audits.Create(testCtx(t), engagecheck.CreateAuditParams{Username: "natgeo"})
			require.ErrorIs(t, err, engagecheck.ErrOutcomeUnknown)
			assert.Equal(t, []resolveCall{{"Audits.Create", 0, 1}}, rec.calls, "the list proved the first submit created nothing; the resend's 502 stays unknown")
		})
	})
}

// Known transport defect (internal/transport, not fixed here): a paid call
// answered 2xx whose body has a control field that does not fit (an audit
// id sent as a string) is counted as nothing at all, although EngageCheck
// charged it, so Spent + SpentUnknown falls below the charge. Suggested
// fix in (*call).finishAttempt: when decoding a success body fails with an
// unusableError and the request spends (Spend.Cost > 0), set
// cl.maybeApplied = true, as it already does for a body that is not JSON;
// close then counts Cost as SpentUnknown and finalError adds
// ErrOutcomeUnknown. Run with CREATORKIT_KNOWN_BUGS=1 to see it fail.
func TestUnreadablePaidAnswerIsCounted(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	mt.RegisterResponder("POST", base+"/audits", httpmock.NewStringResponder(202, `{"id":"143","username":"natgeo","status":"pending","credits_remaining":9}`))
	mt.RegisterResponder("GET", base+"/audits", httpmock.NewStringResponder(200, `{"data":[{"id":143,"username":"natgeo","status":"pending","created_at":"`+nowUTC()+`"}],"count":1,"limit":100,"offset":0}`))
	mt.RegisterResponder("GET", base+"/audits/143", httpmock.NewStringResponder(200, `{"id":143,"username":"natgeo","status":"pending"}`))
	a, err := c.Audits.Create(ctx, engagecheck.CreateAuditParams{Username: "natgeo"})
	require.NoError(t, err, "recovered from the list")
	assert.Equal(t, int64(143), a.ID)
	assert.True(t, bracket(c.Usage(), 1), "EngageCheck charged the credit its 202 stands for: %v", c.Usage())
}
