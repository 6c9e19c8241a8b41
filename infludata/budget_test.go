package infludata_test

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/creatorkit/creatorkit-go/infludata"
	"github.com/creatorkit/creatorkit-go/infludata/infludatatest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A paid call the budget cannot hold is refused before anything is sent.
func TestBudgetRefusesBeforeSending(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv, _ := fast(t)
		b := infludata.NewBudget(19)
		c, err := srv.NewClient(infludata.WithBudget(b))
		require.NoError(t, err)
		ctx := tctx(t, time.Hour)

		_, err = c.Profiles.Get(ctx, audienceOf(ig, "ig_creator_001"))
		require.ErrorIs(t, err, infludata.ErrBudgetExceeded, "20 tokens do not fit in 19")
		_, err = c.Profiles.GetAndWait(ctx, audienceOf(ig, "ig_creator_001"), srv.PollOptions()...)
		require.ErrorIs(t, err, infludata.ErrBudgetExceeded, "nor after waiting: refused before the first status check")
		_, err = c.Content.Get(ctx, infludata.ContentParams{Limit: 20})
		require.ErrorIs(t, err, infludata.ErrBudgetExceeded, "a page of 20 may cost 20")
		assert.Zero(t, srv.Snapshot().TotalRequests(), "nothing sent")

		_, err = c.Profiles.Get(ctx, infludata.GetProfileParams{Platform: ig, Username: "ig_creator_001"})
		require.NoError(t, err, "1 token fits")
		pg, err := c.Content.Get(ctx, infludata.ContentParams{Limit: 18})
		require.NoError(t, err)
		require.Len(t, pg.Items, 18)
		assert.EqualValues(t, 19, b.Used())
		assert.Zero(t, b.Remaining())
		_, err = c.Discovery.Search(ctx, infludata.SearchParams{Platform: ig})
		require.ErrorIs(t, err, infludata.ErrBudgetExceeded)
		var e *infludata.Error
		require.True(t, errors.As(err, &e))
		assert.Contains(t, e.Message, "nothing was sent")
		assert.Zero(t, srv.Snapshot().Requests[infludatatest.RouteDiscovery])
		assert.EqualValues(t, 19, c.Usage().Spent)
		assert.EqualValues(t, 19, srv.Snapshot().TotalCredits())
	})
}

// One budget shared by two clients (and many goroutines) caps their sum.
func TestBudgetSharedByTwoClients(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv, _ := fast(t)
		b := infludata.NewBudget(50)
		c1, err := srv.NewClient(infludata.WithBudget(b))
		require.NoError(t, err)
		c2, err := srv.NewClient(infludata.WithBudget(b))
		require.NoError(t, err)
		ctx := tctx(t, time.Hour)
		var ok, refused atomic.Int32
		var wg sync.WaitGroup
		for i := range 80 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				c := []*infludata.Client{c1, c2}[i%2]
				_, err := c.Profiles.Get(ctx, infludata.GetProfileParams{Platform: creatorOf(i), Username: creatorName(i)})
				switch {
				case err == nil:
					ok.Add(1)
				case errors.Is(err, infludata.ErrBudgetExceeded):
					refused.Add(1)
				default:
					t.Error(err)
				}
			}()
		}
		wg.Wait()
		assert.EqualValues(t, 50, ok.Load())
		assert.EqualValues(t, 30, refused.Load())
		assert.EqualValues(t, 50, srv.Snapshot().TotalCredits())
		snap := srv.Snapshot() // two clients at 25 a second each share the key's 25: 429s, retried
		assert.Equal(t, 50, snap.Requests[infludatatest.RouteUserData]-snap.Statuses[infludatatest.RouteUserData][429], "refused calls sent nothing")
		assert.EqualValues(t, 50, c1.Usage().Spent+c2.Usage().Spent)
		assert.EqualValues(t, 50, b.Used())
	})
}

// Spend whose answer was lost stays charged against the budget.
func TestBudgetCountsSpentUnknown(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv, _ := fast(t, infludatatest.WithFaults(infludatatest.Faults{Routes: []string{infludatatest.RouteUserData}, DropAfterRate: 1}))
		b := infludata.NewBudget(25)
		c, err := srv.NewClient(infludata.WithBudget(b))
		require.NoError(t, err)
		ctx := tctx(t, time.Hour)
		_, err = c.Profiles.Get(ctx, audienceOf(ig, "ig_creator_001"))
		require.ErrorIs(t, err, infludata.ErrOutcomeUnknown)
		assert.EqualValues(t, 20, b.Used(), "influData may have charged it")
		assert.EqualValues(t, 20, c.Usage().SpentUnknown)
		_, err = c.Profiles.Get(ctx, audienceOf(ig, "ig_creator_002"))
		require.ErrorIs(t, err, infludata.ErrBudgetExceeded)
		assert.Equal(t, 1, srv.Snapshot().Requests[infludatatest.RouteUserData])
	})
}

// GetAndWaitAll starts only the creators the budget can hold, in the
// order given, and answers the others at once with ErrBudgetExceeded:
// nothing is sent for them, not even a status check.
func TestGetAndWaitAllSizedToTheBudget(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv, _ := fast(t)
		b := infludata.NewBudget(101)
		c, err := srv.NewClient(infludata.WithBudget(b))
		require.NoError(t, err)
		var refs []infludata.GetProfileParams
		for i := range 7 { // 7 reports of 20: 5 fit in 101
			refs = append(refs, audienceOf(ig, creatorName(i)))
		}
		refs = append(refs, infludata.GetProfileParams{Platform: ig, Username: creatorName(7)}) // a report too (implied): does not fit in the 1 left
		got := map[string]error{}
		order := []string{}
		for a, err := range c.Profiles.GetAndWaitAll(tctx(t, time.Hour), refs, srv.PollOptions()...) {
			var ie *infludata.ItemError
			switch {
			case err == nil:
				got[a.Value.Username] = nil
				order = append(order, a.Value.Username)
			case errors.As(err, &ie):
				got[ie.Input] = err
				order = append(order, ie.Input)
				if errors.Is(err, infludata.ErrBudgetExceeded) {
					assert.Contains(t, ie.Reason, "not started")
					assert.Equal(t, 1, strings.Count(err.Error(), "nothing was sent"), "said once: %s", err)
				}
			default:
				t.Fatal(err)
			}
		}
		require.Len(t, got, len(refs), "every input answered once")
		for i, r := range refs {
			if i < 5 {
				assert.NoError(t, got[r.Username], r.Username)
			} else {
				assert.ErrorIs(t, got[r.Username], infludata.ErrBudgetExceeded, r.Username)
			}
		}
		assert.Equal(t, []string{creatorName(5), creatorName(6), creatorName(7)}, order[:3], "refused inputs are answered first, before any wait")
		snap := srv.Snapshot()
		assert.Equal(t, 5, snap.Requests[infludatatest.RouteDataStatus], "status checks only for the started creators")
		assert.Equal(t, 5, snap.Requests[infludatatest.RouteUserData])
		assert.EqualValues(t, 100, snap.TotalCredits())
		assert.EqualValues(t, 100, b.Used())
		assert.EqualValues(t, 1, b.Remaining())
	})
}

// A creator whose paid call no longer fits when it is ready (another
// client spent the shared budget meanwhile) is answered with
// ErrBudgetExceeded, and its getUserData is not sent.
func TestGetAndWaitAllBudgetSpentByAnotherClient(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		// Audience analyses that finish a minute from now.
		var cs []infludatatest.Creator
		for i := range 3 {
			cs = append(cs, infludatatest.Creator{Platform: ig, Username: fmt.Sprintf("slow_%d", i), NotInDatabase: true, AudienceIn: time.Minute})
		}
		srv, _ := fast(t, infludatatest.WithCreators(cs...), infludatatest.WithDelays(infludatatest.Delays{Enrich: time.Second, Audience: time.Minute}))
		b := infludata.NewBudget(60)
		c, err := srv.NewClient(infludata.WithBudget(b))
		require.NoError(t, err)
		other, err := srv.NewClient(infludata.WithBudget(b))
		require.NoError(t, err)
		ctx := tctx(t, time.Hour)
		refs := []infludata.GetProfileParams{audienceOf(ig, "slow_0"), audienceOf(ig, "slow_1"), audienceOf(ig, "slow_2")}
		spent := false
		results := map[string]error{}
		for a, err := range c.Profiles.GetAndWaitAll(ctx, refs, infludata.WithPollInterval(5*time.Second, 10*time.Second), infludata.WithProgress(func(infludata.Progress) {
			if !spent { // while the roster waits, another job takes 40 tokens of the budget
				spent = true
				for i := range 2 {
					_, err := other.Profiles.Get(ctx, audienceOf(ig, creatorName(i)))
					require.NoError(t, err)
				}
			}
		})) {
			var ie *infludata.ItemError
			if err == nil {
				results[a.Value.Username] = nil
			} else {
				require.ErrorAs(t, err, &ie)
				results[ie.Input] = err
			}
		}
		require.Len(t, results, 3)
		delivered, refused := 0, 0
		for _, err := range results {
			switch {
			case err == nil:
				delivered++
			case errors.Is(err, infludata.ErrBudgetExceeded):
				refused++
			default:
				t.Error(err)
			}
		}
		assert.Equal(t, 1, delivered, "20 tokens were left for one report")
		assert.Equal(t, 2, refused)
		assert.Equal(t, 3, srv.Snapshot().Requests[infludatatest.RouteUserData], "2 by the other client, 1 by the roster")
		assert.EqualValues(t, 60, srv.Snapshot().TotalCredits())
	})
}

// ContentAll asks for pages no larger than what the budget has left, and
// ends with ErrBudgetExceeded, yielded once, when nothing is left.
func TestContentAllSizedToTheBudget(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv, _ := fast(t)
		b := infludata.NewBudget(250)
		log := newConnLog(t, srv, true)
		c, err := srv.NewClient(infludata.WithBudget(b), infludata.WithHTTPClient(newHTTPClient(log)))
		require.NoError(t, err)
		n, errs := 0, 0
		for _, err := range c.Content.ContentAll(tctx(t, time.Hour), infludata.ContentParams{Limit: 100, FollowerMin: 1}, infludata.WithMaxItems(-1)) {
			if err != nil {
				errs++
				assert.ErrorIs(t, err, infludata.ErrBudgetExceeded)
				continue
			}
			n++
		}
		assert.Equal(t, 250, n)
		assert.Equal(t, 1, errs, "yielded once")
		assert.Equal(t, []string{"100", "100", "50"}, log.limits(), "the last page asks for what the budget has left")
		assert.EqualValues(t, 250, srv.Snapshot().TotalCredits())
		assert.Zero(t, b.Remaining())
	})
}

// SearchAll stops at the budget with ErrBudgetExceeded, yielded once.
func TestSearchAllStopsAtTheBudget(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv, _ := fast(t)
		c, err := srv.NewClient(infludata.WithBudget(infludata.NewBudget(2)))
		require.NoError(t, err)
		n, errs := 0, 0
		for _, err := range c.Discovery.SearchAll(tctx(t, time.Hour), infludata.SearchParams{Platform: ig}, infludata.WithMaxPages(5)) {
			if err != nil {
				errs++
				assert.ErrorIs(t, err, infludata.ErrBudgetExceeded)
				continue
			}
			n++
		}
		assert.Equal(t, 40, n, "2 pages of 20")
		assert.Equal(t, 1, errs)
		assert.Equal(t, 2, srv.Snapshot().Requests[infludatatest.RouteDiscovery])
	})
}

func TestWithBudgetNeedsABudget(t *testing.T) {
	t.Parallel()
	_, err := infludata.NewClient(infludata.WithAPIKey(testKey), infludata.WithBudget(nil))
	assert.ErrorIs(t, err, infludata.ErrInvalidParams)
}
