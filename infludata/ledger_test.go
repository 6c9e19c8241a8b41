package infludata_test

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/creatorkit/creatorkit-go/infludata"
	"github.com/creatorkit/creatorkit-go/infludata/infludatatest"
	"github.com/creatorkit/creatorkit-go/internal/vendortest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// faultMix is one mix of the ledger matrix.
type faultMix struct {
	name   string
	faults func(route string) infludatatest.Faults
	// timeouts gives every call a deadline drawn between 0.25 and 2
	// times the fake's latency, so that many calls time out while the
	// fake is still serving them (and some before their paid request is
	// sent: GetAndWait's status check is delayed too).
	timeouts bool
	// conns runs every seed on reused and on fresh connections (the
	// other mixes alternate between the two from seed to seed).
	conns bool
}

// ledgerSeeds is how many seeds each run of the matrix takes: go test
// ./infludata -run TestLedgerMatrix -args -ledger.seeds=20 for a bigger
// sweep.
var ledgerSeeds = flag.Int("ledger.seeds", 3, "seeds per job and fault mix of TestLedgerMatrix")

// ledgerSeedsOf is the seeds cell number cell of the matrix (a job under a
// fault mix) runs on: one of 1 to 3 in turn by default, all of them with
// CREATORKIT_FULL_TESTS=1 (CI), 1 to n with -ledger.seeds=n. Cell -1
// names them for the log.
func ledgerSeedsOf(cell int) []uint64 {
	var seeds []uint64
	for s := range uint64(*ledgerSeeds) {
		seeds = append(seeds, s+1)
	}
	if *ledgerSeeds != 3 || cell < 0 {
		return seeds
	}
	return vendortest.Seeds(cell, seeds...)
}

const ledgerLatency = 20 * time.Second // on the bubble's clock

var faultMixes = []faultMix{
	{name: "answers dropped after the charge", conns: true, faults: func(r string) infludatatest.Faults {
		return infludatatest.Faults{Routes: []string{r}, DropAfterRate: 0.3}
	}},
	{name: "5xx", faults: func(r string) infludatatest.Faults {
		return infludatatest.Faults{Routes: []string{r}, ErrorRate: map[int]float64{500: 0.1, 502: 0.1, 503: 0.1}}
	}},
	{name: "429", faults: func(r string) infludatatest.Faults {
		return infludatatest.Faults{Routes: []string{r}, ErrorRate: map[int]float64{429: 0.3}}
	}},
	{name: "timeouts", timeouts: true, faults: func(r string) infludatatest.Faults {
		return infludatatest.Faults{Routes: []string{r}, Latency: ledgerLatency}
	}},
	{name: "all at once", conns: true, faults: func(r string) infludatatest.Faults {
		return infludatatest.Faults{Routes: []string{r}, DropAfterRate: 0.3, ErrorRate: map[int]float64{500: 0.1, 503: 0.1, 429: 0.1}}
	}},
}

// ledgerCalls is how many logical calls each run of the matrix makes: 30
// in CI (CREATORKIT_FULL_TESTS), 15 in a user's go test ./....
var ledgerCalls = func() int {
	if vendortest.Full() {
		return 30
	}
	return 15
}()

// The ledger matrix: every paid call and helper (GetAndWaitAll's creators
// are each a logical call; Profiles.Get without the audience report is
// the same request as with it and is left out) × every fault mix × 3
// seeds (one a cell in turn by default; see ledgerSeedsOf), on reused and on fresh connections
// where answers are dropped (the other mixes alternate between the two
// from seed to seed), 30 logical calls a run. After each run the fake's
// ledger is final (it is closed, which waits for the requests it still
// serves) and: no request was charged twice (each logical call sends a
// request of its own, so the fake can tell), and Spent <= what the fake
// charged <= Spent + SpentUnknown, equal when nothing is unknown.
func TestLedgerMatrix(t *testing.T) {
	t.Parallel()
	outcomes := &outcomeCount{m: map[string]map[string]int{}}
	type job struct {
		name  string
		route string
		run   func(ctx context.Context, t *testing.T, c *infludata.Client, srv *infludatatest.Server, mix faultMix, rng *rand.Rand)
	}
	// each makes ledgerCalls logical calls of one paid call, 10 at a time
	// (the client's cap on requests in flight: a call waiting for a slot
	// would spend its deadline before sending anything).
	each := func(pc paidCall) job {
		return job{name: pc.name, route: pc.route, run: func(ctx context.Context, t *testing.T, c *infludata.Client, _ *infludatatest.Server, mix faultMix, rng *rand.Rand) {
			var wg sync.WaitGroup
			sem := make(chan struct{}, infludata.MaxConcurrency)
			for i := range ledgerCalls {
				timeout := time.Hour
				if mix.timeouts {
					timeout = time.Duration((0.25 + 1.75*rng.Float64()) * float64(ledgerLatency))
				}
				wg.Add(1)
				sem <- struct{}{}
				go func() {
					defer wg.Done()
					defer func() { <-sem }()
					ctx, cancel := context.WithTimeout(ctx, timeout)
					defer cancel()
					outcomes.note(mix.name, pc.call(ctx, c, i)) // any outcome; the ledger is checked after the run
				}()
			}
			wg.Wait()
		}}
	}
	var jobs []job
	for _, pc := range paidCalls {
		if pc.name != "Profiles.Get" { // the same request as with the audience report, but cheaper
			jobs = append(jobs, each(pc))
		}
	}
	jobs = append(jobs, job{name: "Profiles.GetAndWaitAll", route: infludatatest.RouteUserData,
		run: func(ctx context.Context, t *testing.T, c *infludata.Client, srv *infludatatest.Server, mix faultMix, _ *rand.Rand) {
			refs := make([]infludata.GetProfileParams, ledgerCalls)
			for i := range refs {
				refs[i] = audienceOf(creatorOf(i), creatorName(i))
			}
			n := 0
			for _, err := range c.Profiles.GetAndWaitAll(ctx, refs, srv.PollOptions()...) {
				outcomes.note(mix.name, err)
				n++
			}
			assert.Equal(t, ledgerCalls, n, "every creator answered once")
		}})

	var runs, held, most atomic.Int32
	var unknownRuns atomic.Int32
	var mu sync.Mutex
	perJob := map[string]int{}
	var sub subtests
	cell := 0
	for _, j := range jobs {
		for _, mix := range faultMixes {
			if mix.timeouts && j.name == "Profiles.GetAndWaitAll" {
				continue // one context for the whole roster: a deadline ends the roster, not one call
			}
			cell++
			for _, seed := range ledgerSeedsOf(cell) {
				for _, reused := range []bool{true, false} {
					if !mix.conns && reused != (seed%2 == 1) {
						continue // connection reuse matters where answers are lost: other mixes alternate
					}
					sub.add(fmt.Sprintf("%s/%s/seed %d/%s", j.name, mix.name, seed, connName(reused)), func(t *testing.T) {
						srv := ledgerFake(infludatatest.WithSeed(seed), infludatatest.WithFaults(mix.faults(j.route)))
						defer srv.Close()
						c, err := srv.NewClient(conns(t, srv, reused))
						require.NoError(t, err)
						// A free call first: the client learns that influData
						// reports no rate-limit headers (until an answer says so
						// it sends one request at a time, and calls with short
						// deadlines would spend them waiting), and leaves a
						// keep-alive connection.
						_, err = c.Account.Get(tctx(t, time.Hour), infludata.ClientInfoParams{})
						require.NoError(t, err)
						j.run(tctx(t, 6*time.Hour), t, c, srv, mix, rand.New(rand.NewPCG(seed, 17)))
						srv.Close() // waits for what it still serves: its ledger is final
						u := c.Usage()
						m := assertBracketed(t, u, srv, j.name+" under "+mix.name)
						assert.LessOrEqual(t, srv.Snapshot().TotalCredits(), int64(ledgerCalls)*paidCost(j.name), "at most one charge per logical call")
						runs.Add(1)
						if u.SpentUnknown > 0 {
							unknownRuns.Add(1)
						}
						for {
							old := most.Load()
							if int32(m) <= old || most.CompareAndSwap(old, int32(m)) {
								break
							}
						}
						if !t.Failed() {
							held.Add(1)
						}
						mu.Lock()
						perJob[j.name]++
						mu.Unlock()
					})
				}
			}
		}
	}
	sub.run(t)
	t.Cleanup(func() { // after the parallel subtests
		t.Logf("ledger matrix: %d runs of %d logical calls (%d jobs × %d fault mixes × seeds %v, one a cell unless CREATORKIT_FULL_TESTS is set, on reused and fresh connections where answers are dropped, alternating otherwise; runs per job: %v); invariant held in %d/%d runs (%d with SpentUnknown > 0); most charges of one request: %d",
			runs.Load(), ledgerCalls, len(jobs), len(faultMixes), ledgerSeedsOf(-1), perJob, held.Load(), runs.Load(), unknownRuns.Load(), most.Load())
		for _, mix := range faultMixes {
			t.Logf("  outcomes under %s: %v", mix.name, outcomes.m[mix.name])
		}
	})
}

// outcomeCount counts the logical calls' outcomes per fault mix.
type outcomeCount struct {
	mu sync.Mutex
	m  map[string]map[string]int
}

func (o *outcomeCount) note(mix string, err error) {
	kind := "ok"
	switch {
	case err == nil:
	case errors.Is(err, infludata.ErrOutcomeUnknown):
		kind = "outcome unknown"
	case errors.Is(err, context.DeadlineExceeded):
		kind = "deadline"
	case errors.Is(err, infludata.ErrRateLimited):
		kind = "rate limited"
	case errors.Is(err, infludata.ErrServer):
		kind = "5xx"
	default:
		kind = "other"
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.m[mix] == nil {
		o.m[mix] = map[string]int{}
	}
	o.m[mix][kind]++
}

// subtests are parallel subtests, each in a synctest bubble of its own
// (the fake's waits pass on the bubble's clock, in no real time).
type subtests []struct {
	name string
	f    func(*testing.T)
}

func (s *subtests) add(name string, f func(*testing.T)) {
	*s = append(*s, struct {
		name string
		f    func(*testing.T)
	}{name, f})
}

func (s subtests) run(t *testing.T) {
	for _, st := range s {
		t.Run(st.name, func(t *testing.T) {
			t.Parallel()
			synctest.Test(t, st.f)
		})
	}
}

// paidCost is the most one logical call of a matrix job costs.
func paidCost(name string) int64 {
	for _, pc := range paidCalls {
		if pc.name == name {
			return pc.cost
		}
	}
	return 20 // GetAndWaitAll of audience reports
}
