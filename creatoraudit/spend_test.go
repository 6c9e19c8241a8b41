package creatoraudit_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/creatorkit/creatorkit-go/creatoraudit"
	"github.com/creatorkit/creatorkit-go/creatoraudit/creatoraudittest"
	"github.com/creatorkit/creatorkit-go/internal/vendortest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// connClient returns an http.Client to the fake on a transport of its own
// (a clone of the fake's, closed when the test ends): one that keeps a
// connection alive between requests (reused) or one that opens a fresh
// connection for every request.
func connClient(t testing.TB, srv *creatoraudittest.Server, reused bool) (*http.Client, *vendortest.ConnLog) {
	return vendortest.ConnClient(t, srv.HTTPClient(), reused)
}

var connModes = []struct {
	name   string
	reused bool
}{{"reused connection", true}, {"fresh connection", false}}

// bracket asserts the ledger invariant: what the client counted brackets
// what the fake charged, exactly when nothing is unknown.
func bracket(t testing.TB, u creatoraudit.Usage, charged int64) bool {
	t.Helper()
	ok := assert.LessOrEqual(t, u.Spent, int64(charged), "Spent <= charged") &&
		assert.LessOrEqual(t, int64(charged), u.Spent+u.SpentUnknown, "charged <= Spent + SpentUnknown")
	if u.SpentUnknown == 0 {
		ok = assert.Equal(t, u.Spent, int64(charged), "Spent == charged when nothing is unknown") && ok
	}
	return ok
}

const createPath = "/v2/accounts"

// Accounts.Create whose answer is lost after CreatorAudit tracked the
// account (charge, then drop) is never sent again by net/http, on a
// reused or a fresh connection: without reconciliation (MaxRetries 0) it
// fails with ErrOutcomeUnknown after one request; with it, the requests
// that ask again carry the same Idempotency-Key and track nothing more.
// Either way the fake charged one account and Usage brackets it.
func TestCreateLostAnswerChargedOnce(t *testing.T) {
	t.Parallel()
	for _, mode := range connModes {
		for _, tc := range []struct {
			name      string
			retries   int
			clearedBy int // the request after which the faults stop (0: never)
		}{
			{"not reconciled", 0, 0},
			{"reconciled", 3, 1},
			{"every answer lost", 3, 0},
		} {
			t.Run(mode.name+", "+tc.name, func(t *testing.T) {
				t.Parallel()
				synctest.Test(t, func(t *testing.T) {
					srv := creatoraudittest.NewServer(creatoraudittest.WithVirtualTime(), creatoraudittest.WithIdempotencyWindow(24*time.Hour))
					t.Cleanup(srv.Close)
					hc, log := connClient(t, srv, mode.reused)
					var sent atomic.Int32
					if tc.clearedBy > 0 {
						hc.Transport = roundTripFunc(func(r *http.Request) (*http.Response, error) {
							resp, err := log.RoundTrip(r)
							if r.Method == http.MethodPost && sent.Add(1) == int32(tc.clearedBy) {
								srv.SetFaults(creatoraudittest.Faults{})
							}
							return resp, err
						})
					}
					c, err := srv.NewClient(creatoraudit.WithHTTPClient(hc), creatoraudit.WithMaxRetries(tc.retries))
					require.NoError(t, err)
					ctx := testCtx(t)
					if mode.reused {
						_, err := c.Meta.WhoAmI(ctx) // warms the keep-alive connection
						require.NoError(t, err)
					}
					srv.SetFaults(creatoraudittest.Faults{Routes: []string{creatoraudittest.RouteAccountsCreate}, DropAfterRate: 1})
					a, err := c.Accounts.Create(ctx, creatoraudit.CreateAccountParams{Platform: creatoraudit.Instagram, Username: "natgeo"})

					snap := srv.Snapshot()
					charged := snap.Credits[creatoraudittest.RouteAccountsCreate]
					assert.EqualValues(t, 1, charged, "one account tracked, charged once")
					assert.Equal(t, 1, srv.AccountCount())
					wantRequests := 1 + tc.retries
					if tc.clearedBy > 0 {
						wantRequests = tc.clearedBy + 1
						require.NoError(t, err)
						assert.Equal(t, "natgeo", a.Username)
					} else {
						require.ErrorIs(t, err, creatoraudit.ErrOutcomeUnknown)
					}
					assert.Equal(t, wantRequests, snap.Requests[creatoraudittest.RouteAccountsCreate], "each request was the SDK's own decision")
					uses := log.Uses(http.MethodPost, createPath)
					require.Len(t, uses, wantRequests)
					for _, u := range uses {
						assert.Len(t, u.Reused, 1, "net/http never tried a create on a second connection")
					}
					if mode.reused {
						assert.Equal(t, []bool{true}, uses[0].Reused, "the create went out on the warmed connection")
					}
					u := c.Usage()
					assert.Equal(t, creatoraudit.SpendUnit, u.Unit)
					assert.Zero(t, u.Spent)
					assert.Equal(t, int64(1), u.SpentUnknown, "the lost answer stays unknown, reconciled or not")
					bracket(t, u, charged)
					assert.Equal(t, int64(snap.TotalRequests()), u.Requests)
				})
			})
		}
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// The ledger matrix for CreatorAudit's one paid call: runs of 30 creates
// of distinct accounts under fault mixes (answers dropped after the
// charge, 5xx, 429s, timeouts, and all of them at once, each at 30%), on
// reused and on fresh connections, over several seeds. After every run the
// fake tracked each account at most once (one credit per account tracked,
// at most one account per logical call), every create that succeeded
// returned its own account, and Usage brackets the fake's ledger. Each
// cell (a mix on a connection mode) runs on one of seeds 1 to 4 in turn,
// on all four with CREATORKIT_FULL_TESTS=1 (CI).
func TestCreateLedgerMatrix(t *testing.T) {
	t.Parallel()
	const calls = 30
	timeoutLatency := 4 * time.Second
	mixes := []struct {
		name     string
		faults   creatoraudittest.Faults
		timeouts bool
	}{
		{"dropped after the charge", creatoraudittest.Faults{DropAfterRate: 0.3}, false},
		{"5xx", creatoraudittest.Faults{ErrorRate: map[int]float64{500: 0.3, 503: 0.3}}, false},
		{"429", creatoraudittest.Faults{ErrorRate: map[int]float64{429: 0.3}, Storm429: 5}, false},
		{"timeouts", creatoraudittest.Faults{Latency: timeoutLatency}, true},
		{"all at 30%", creatoraudittest.Faults{DropAfterRate: 0.3, ErrorRate: map[int]float64{500: 0.3, 429: 0.3}, Latency: timeoutLatency}, true},
	}
	var runs, held, logical, maxPerCall, unknownRuns, planned atomic.Int64
	var outcomes sync.Map // outcome -> *atomic.Int64
	count := func(k string) {
		v, _ := outcomes.LoadOrStore(k, new(atomic.Int64))
		v.(*atomic.Int64).Add(1)
	}
	t.Run("runs", func(t *testing.T) {
		cell := 0
		for _, mix := range mixes {
			for _, mode := range connModes {
				cell++
				for _, seed := range vendortest.Seeds(cell, 1, 2, 3, 4) {
					planned.Add(1)
					t.Run(fmt.Sprintf("%s/%s/seed %d", mix.name, mode.name, seed), func(t *testing.T) {
						t.Parallel()
						synctest.Test(t, func(t *testing.T) {
							srv := creatoraudittest.NewServer(creatoraudittest.WithVirtualTime(), creatoraudittest.WithSeed(seed),
								creatoraudittest.WithIdempotencyWindow(24*time.Hour))
							defer srv.Close()
							hc, _ := connClient(t, srv, mode.reused)
							c, err := srv.NewClient(creatoraudit.WithHTTPClient(hc))
							require.NoError(t, err)
							ctx := testCtx(t)
							if mode.reused {
								_, err := c.Meta.WhoAmI(ctx)
								require.NoError(t, err)
							}
							f := mix.faults
							f.Routes = []string{creatoraudittest.RouteAccountsCreate}
							srv.SetFaults(f)
							rng := rand.New(rand.NewPCG(seed, 99))
							names := map[string]bool{}
							for i := range calls {
								cctx, cancel := ctx, context.CancelFunc(func() {})
								if mix.timeouts {
									// Between half and twice the fake's latency:
									// some calls end before the fake answers.
									d := timeoutLatency
									cctx, cancel = context.WithTimeout(ctx, d/2+time.Duration(rng.Int64N(int64(d)*3/2)))
								}
								name := fmt.Sprintf("acct%02d", i)
								a, err := c.Accounts.Create(cctx, creatoraudit.CreateAccountParams{Platform: creatoraudit.TikTok, Username: name})
								cancel()
								switch {
								case err == nil:
									count("tracked")
									assert.Equal(t, name, a.Username, "a create returns its own account")
									names[name] = true
								case errors.Is(err, creatoraudit.ErrOutcomeUnknown):
									count("outcome unknown")
								case errors.Is(err, creatoraudit.ErrRateLimited) && !errors.Is(err, context.DeadlineExceeded):
									count("429 past the retries") // the fake refused it before its handler
								case mix.timeouts && errors.Is(err, context.DeadlineExceeded):
									count("timed out before it was sent")
								default:
									t.Errorf("create %s: %v", name, err)
								}
							}
							// Close waits for the requests the fake is still
							// handling (a timed-out create it has not finished).
							srv.Close()
							snap := srv.Snapshot()
							charged := snap.Credits[creatoraudittest.RouteAccountsCreate]
							u := c.Usage()
							ok := assert.LessOrEqual(t, charged, int64(calls), "at most one charge per logical call")
							ok = assert.EqualValues(t, srv.AccountCount(), charged, "one charge per account tracked") && ok
							ok = assert.LessOrEqual(t, int64(len(names)), charged) && ok
							ok = bracket(t, u, charged) && ok
							if !mix.timeouts {
								// A timed-out call may count a request its
								// context ended before it reached the fake.
								ok = assert.Equal(t, int64(snap.TotalRequests()), u.Requests, "Usage counts every request the fake saw") && ok
							}
							runs.Add(1)
							logical.Add(calls)
							if ok {
								held.Add(1)
							}
							if u.SpentUnknown > 0 {
								unknownRuns.Add(1)
							}
							// Each charge is an account of its own (credits ==
							// accounts tracked), and the fake tracks a username
							// once: no logical call was charged twice.
							if charged > 0 && charged == int64(srv.AccountCount()) {
								maxPerCall.CompareAndSwap(0, 1)
							} else if charged > 0 {
								maxPerCall.Store(int64(charged)) // fails the test above
							}
						})
					})
				}
			}
		}
	})
	var summary []string
	outcomes.Range(func(k, v any) bool {
		summary = append(summary, fmt.Sprintf("%s %d", k, v.(*atomic.Int64).Load()))
		return true
	})
	slices.Sort(summary)
	t.Logf("ledger matrix: %d calls x %d mixes x %d connection modes x their seeds = %d runs of %d planned, %d logical creates (%v); invariant held in %d/%d runs (%d with SpentUnknown > 0); max charges per logical call %d",
		calls, len(mixes), len(connModes), runs.Load(), planned.Load(), logical.Load(), summary, held.Load(), runs.Load(), unknownRuns.Load(), maxPerCall.Load())
	assert.Equal(t, planned.Load(), runs.Load())
	assert.Equal(t, runs.Load(), held.Load())
}

// A budget refuses a create it cannot hold before anything is sent; a
// duplicate and the organization's quota give the unit back; a lost
// answer keeps it.
func TestBudgetCapsTrackedAccounts(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv := creatoraudittest.NewServer(creatoraudittest.WithVirtualTime(), creatoraudittest.WithTrackingQuota(3))
		t.Cleanup(srv.Close)
		b := creatoraudit.NewBudget(3)
		c, err := srv.NewClient(creatoraudit.WithBudget(b), creatoraudit.WithMaxRetries(0))
		require.NoError(t, err)
		ctx := testCtx(t)
		create := func(name string) (*creatoraudit.Account, error) {
			return c.Accounts.Create(ctx, creatoraudit.CreateAccountParams{Platform: creatoraudit.Instagram, Username: name})
		}
		one, err := create("one")
		require.NoError(t, err)
		assert.Equal(t, int64(1), b.Used())
		_, err = create("one")
		require.ErrorIs(t, err, creatoraudit.ErrConflict)
		assert.Equal(t, int64(1), b.Used(), "a duplicate costs nothing")

		srv.SetFaults(creatoraudittest.Faults{Routes: []string{creatoraudittest.RouteAccountsCreate}, DropAfterRate: 1})
		_, err = create("two")
		require.ErrorIs(t, err, creatoraudit.ErrOutcomeUnknown)
		assert.Equal(t, int64(2), b.Used(), "a lost answer counts against the budget")
		srv.SetFaults(creatoraudittest.Faults{})

		srv.AddAccounts(creatoraudit.Instagram, "seeded") // fills the organization's quota of 3
		_, err = create("three")
		require.ErrorIs(t, err, creatoraudit.ErrQuotaExceeded)
		assert.Equal(t, int64(2), b.Used(), "the quota refusal costs nothing")

		_, err = c.Accounts.Delete(ctx, one.ID)
		require.NoError(t, err)
		_, err = create("four")
		require.NoError(t, err)
		assert.Equal(t, int64(3), b.Used(), "untracking gave nothing back")
		assert.Zero(t, b.Remaining())
		before := srv.Snapshot().Requests[creatoraudittest.RouteAccountsCreate]
		_, err = create("five")
		require.ErrorIs(t, err, creatoraudit.ErrBudgetExceeded)
		assert.Contains(t, err.Error(), "tracked accounts")
		assert.Equal(t, before, srv.Snapshot().Requests[creatoraudittest.RouteAccountsCreate], "nothing sent")

		u := c.Usage()
		assert.Equal(t, int64(2), u.Spent, "one and four")
		assert.Equal(t, int64(1), u.SpentUnknown, "two")
		assert.Equal(t, u.Spent, u.Operations["Accounts.Create"].Spent)
		assert.Zero(t, u.Operations["Accounts.Delete"].Spent, "untracking is no refund")
		bracket(t, u, srv.Snapshot().Credits[creatoraudittest.RouteAccountsCreate])
	})
}

// One budget shared by two clients caps their sum, under concurrency.
func TestBudgetSharedByClients(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv := creatoraudittest.NewServer(creatoraudittest.WithVirtualTime())
		t.Cleanup(srv.Close)
		b := creatoraudit.NewBudget(5)
		var clients [2]*creatoraudit.Client
		for i := range clients {
			var err error
			clients[i], err = srv.NewClient(creatoraudit.WithBudget(b))
			require.NoError(t, err)
		}
		ctx := testCtx(t)
		var wg sync.WaitGroup
		var ok, refused atomic.Int32
		for i := range 20 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, err := clients[i%2].Accounts.Create(ctx, creatoraudit.CreateAccountParams{Platform: creatoraudit.TikTok, Username: fmt.Sprintf("shared%02d", i)})
				switch {
				case err == nil:
					ok.Add(1)
				case assert.ErrorIs(t, err, creatoraudit.ErrBudgetExceeded):
					refused.Add(1)
				}
			}()
		}
		wg.Wait()
		assert.Equal(t, int32(5), ok.Load())
		assert.Equal(t, int32(15), refused.Load())
		snap := srv.Snapshot()
		assert.Equal(t, 5, snap.Requests[creatoraudittest.RouteAccountsCreate], "refused creates sent nothing")
		assert.EqualValues(t, 5, snap.Credits[creatoraudittest.RouteAccountsCreate])
		assert.Equal(t, int64(5), b.Used())
		assert.Equal(t, int64(5), clients[0].Usage().Spent+clients[1].Usage().Spent)
	})
}

// A create with the caller's own Idempotency-Key: the first answer may be
// a replay of an earlier create with that key (unless the answer says so,
// it counts as SpentUnknown); the marked replay counts nothing.
func TestCreateWithOwnKeyCountsReplaysOnce(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv, c := fastFake(t, creatoraudittest.WithIdempotencyWindow(24*time.Hour))
		ctx := testCtx(t)
		p := creatoraudit.CreateAccountParams{Platform: creatoraudit.TikTok, Username: "keyed", IdempotencyKey: "job-7-keyed"}
		first, err := c.Accounts.Create(ctx, p)
		require.NoError(t, err)
		again, err := c.Accounts.Create(ctx, p)
		require.NoError(t, err)
		assert.Equal(t, first.ID, again.ID)
		u := c.Usage()
		assert.Zero(t, u.Spent)
		assert.Equal(t, int64(1), u.SpentUnknown, "the unmarked first answer may have been a replay")
		bracket(t, u, srv.Snapshot().Credits[creatoraudittest.RouteAccountsCreate])
	})
}

// Usage counts every request the fake saw, retries and net/http's own
// resends of free requests included, under 429 storms, 5xx answers and
// answers dropped after the server acted; free calls spend nothing.
func TestUsageCountsEveryRequest(t *testing.T) {
	t.Parallel()
	for _, mode := range connModes {
		t.Run(mode.name, func(t *testing.T) {
			t.Parallel()
			synctest.Test(t, func(t *testing.T) {
				srv := creatoraudittest.NewServer(creatoraudittest.WithVirtualTime(), creatoraudittest.WithSeed(3))
				t.Cleanup(srv.Close)
				ids := srv.AddAccounts(creatoraudit.Instagram, "a1", "a2", "a3", "a4")
				hc, log := connClient(t, srv, mode.reused)
				c, err := srv.NewClient(creatoraudit.WithHTTPClient(hc), creatoraudit.WithMaxRetries(8))
				require.NoError(t, err)
				ctx := testCtx(t)
				_, err = c.Meta.WhoAmI(ctx)
				require.NoError(t, err)
				srv.SetFaults(creatoraudittest.Faults{Storm429: 4, ErrorRate: map[int]float64{500: 0.2, 503: 0.2}, DropAfterRate: 0.2})
				for range 10 {
					for _, id := range ids {
						_, err := c.Accounts.Get(ctx, id)
						require.NoError(t, err)
					}
					_, err := c.Accounts.Metrics(ctx, creatoraudit.MetricsParams{IDs: ids})
					require.NoError(t, err)
				}
				snap := srv.Snapshot()
				u := c.Usage()
				assert.Equal(t, int64(snap.TotalRequests()), u.Requests, "Usage.Requests is what the fake saw")
				assert.Positive(t, u.Retries)
				assert.Positive(t, u.RateLimited)
				assert.Equal(t, int64(snap.Count(429)), u.RateLimited)
				assert.Zero(t, u.Spent+u.SpentUnknown, "reads and batch metrics are free")
				assert.Zero(t, snap.TotalCredits())
				t.Logf("%s: %d requests (%d retries, %d rate-limited); net/http itself sent %d of them again on a second connection; %s",
					mode.name, u.Requests, u.Retries, u.RateLimited, log.Resent(), u)
			})
		})
	}
}
