package infludata_test

import (
	"context"
	"fmt"
	"testing"
	"testing/synctest"
	"time"

	"github.com/creatorkit/creatorkit-go/infludata"
	"github.com/creatorkit/creatorkit-go/infludata/infludatatest"
	"github.com/creatorkit/creatorkit-go/internal/vendortest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// answerKind is what a roster element of answerUnit must be answered with.
type answerKind int

const (
	wantReport   answerKind = iota // the profile with its audience report
	wantInvalid                    // ErrInvalidParams, before anything is sent
	wantNotFound                   // ErrNotFound
	wantTimeout                    // a *TimeoutError: still pending at the deadline
)

// answerUnit is one copy (k) of a roster mixing every case an element can
// be: ready, slow and new creators, a blank, a bad handle, a platform
// without audience reports, a creator influData does not know, one that
// never gets ready, and duplicates of four of them (another case and '@',
// the very same element, an _id with and without a platform). same[i] is
// the element whose creator element i names (i itself when it is the
// first); creators are the fake's, paid the creators the roster pays for.
func answerUnit(k int) (ps []infludata.GetProfileParams, want []answerKind, same []int, creators []infludatatest.Creator, paid int) {
	ig := infludata.Instagram
	name := func(s string) string { return fmt.Sprintf("ans%03d_%s", k, s) }
	id := fmt.Sprintf("%024x", 0xa11000+k)
	creators = []infludatatest.Creator{
		{Platform: ig, Username: name("ready")},
		{Platform: ig, Username: name("slow"), AudienceIn: 2 * time.Minute},
		{Platform: ig, Username: name("byid"), ID: id},
		{Platform: ig, Username: name("stuck"), AudienceIn: -1},
	}
	add := func(p infludata.GetProfileParams, w answerKind, first int) {
		if first < 0 {
			first = len(ps)
		}
		ps, want, same = append(ps, p), append(want, w), append(same, first)
	}
	add(audienceOf(ig, name("ready")), wantReport, -1)                                   // 0
	add(audienceOf(ig, name("slow")), wantReport, -1)                                    // 1
	add(infludata.GetProfileParams{Platform: ig}, wantInvalid, -1)                       // 2: blank
	add(audienceOf(ig, "@"+fmt.Sprintf("ANS%03d_READY", k)), wantReport, 0)              // 3: 0 again
	add(audienceOf(ig, name("bad handle")), wantInvalid, -1)                             // 4
	add(audienceOf(infludata.Twitch, name("tw")), wantInvalid, -1)                       // 5: no audience reports
	add(audienceOf(ig, name("notfound")), wantNotFound, -1)                              // 6
	add(audienceOf(ig, name("slow")), wantReport, 1)                                     // 7: 1 again
	add(audienceOf(infludata.TikTok, name("new")), wantReport, -1)                       // 8: queued, then enriched
	add(infludata.GetProfileParams{ID: id}, wantReport, -1)                              // 9
	add(infludata.GetProfileParams{Platform: ig, ID: id}, wantReport, 9)                 // 10: 9 again
	add(audienceOf(ig, name("stuck")), wantTimeout, -1)                                  // 11
	add(audienceOf(ig, "@"+name("stuck")), wantTimeout, 11)                              // 12: 11 again
	add(infludata.GetProfileParams{Platform: ig, Username: "  "}, wantInvalid, -1)       // 13: blank too
	add(infludata.GetProfileParams{Platform: ig, UserID: "12", ID: id}, wantInvalid, -1) // 14: two identifiers
	return ps, want, same, creators, 4                                                   // ready, slow, new, byid
}

// asGiven is the identifier of p as given: an Answer's Input.
func asGiven(p infludata.GetProfileParams) string {
	switch {
	case p.Username != "":
		return p.Username
	case p.UserID != "":
		return p.UserID
	}
	return p.ID
}

// GetAndWaitAll answers every element exactly once, tied to it (Index,
// Input as given), at 1×, 10× and (in CI: CREATORKIT_FULL_TESTS) 100× a roster of blanks, invalid
// elements, duplicates, unknown and never-ready creators: the refused ones
// at once, before anything is sent; duplicates with the one result (the
// same *Profile), paid once; the rest as their reports come, or at the
// deadline.
func TestGetAndWaitAllAnswersEveryElement(t *testing.T) {
	t.Parallel()
	scales := []int{1, 10}
	if vendortest.Full() {
		scales = append(scales, 100) // CI; a user's go test ./... stops at 10x
	}
	for _, scale := range scales {
		t.Run(fmt.Sprintf("%dx", scale), func(t *testing.T) {
			t.Parallel()
			synctest.Test(t, func(t *testing.T) {
				var ps []infludata.GetProfileParams
				var want []answerKind
				var same []int
				var creators []infludatatest.Creator
				paid := 0
				for k := range scale {
					p, w, s, cr, n := answerUnit(k)
					for i := range s {
						s[i] += len(ps)
					}
					ps, want, same, creators, paid = append(ps, p...), append(want, w...), append(same, s...), append(creators, cr...), paid+n
				}
				invalid := 0
				for _, w := range want {
					if w == wantInvalid {
						invalid++
					}
				}
				srv, c := fast(t, infludatatest.WithCreators(creators...), infludatatest.WithTokens(1_000_000))
				got := make([]*infludata.Answer[*infludata.Profile], len(ps))
				errs := make([]error, len(ps))
				n := 0
				for a, err := range c.Profiles.GetAndWaitAll(tctx(t, 30*time.Minute), ps, srv.PollOptions()...) {
					require.True(t, a.Index >= 0 && a.Index < len(ps), "index %d", a.Index)
					require.Nil(t, got[a.Index], "element %d answered twice", a.Index)
					if n < invalid {
						assert.Equal(t, wantInvalid, want[a.Index], "the refused elements come first, before anything is sent (answer %d)", n)
					}
					n++
					got[a.Index], errs[a.Index] = &a, err
				}
				require.Equal(t, len(ps), n, "one answer per element")

				for i, a := range got {
					require.NotNil(t, a, "element %d answered", i)
					assert.Equal(t, asGiven(ps[i]), a.Input, "element %d: its input as given", i)
					err := errs[i]
					var ie *infludata.ItemError
					if err != nil {
						require.ErrorAs(t, err, &ie, "element %d", i)
						assert.Equal(t, i, ie.Index, "the ItemError is tied to the element too")
						assert.Equal(t, a.Input, ie.Input)
						assert.NotEmpty(t, ie.Reason)
					}
					switch want[i] {
					case wantReport:
						require.NoError(t, err, "element %d", i)
						require.True(t, a.Value.HasAudienceReport(), "element %d", i)
						assert.Same(t, got[same[i]].Value, a.Value, "element %d gets the one result of element %d", i, same[i])
					case wantInvalid:
						assert.ErrorIs(t, err, infludata.ErrInvalidParams, "element %d", i)
						assert.Empty(t, ie.Item, "element %d is not read as a creator", i)
						assert.Nil(t, a.Value)
					case wantNotFound:
						assert.ErrorIs(t, err, infludata.ErrNotFound, "element %d", i)
						assert.Equal(t, "not in database", ie.State)
					case wantTimeout:
						var te *infludata.TimeoutError
						assert.ErrorAs(t, err, &te, "element %d", i)
						assert.ErrorIs(t, err, context.DeadlineExceeded)
						assert.Equal(t, "processing", ie.State)
						assert.Equal(t, errs[same[i]].(*infludata.ItemError).Item, ie.Item, "the duplicate names the same creator")
					}
				}

				snap := srv.Snapshot()
				assert.Equal(t, paid, snap.Requests[infludatatest.RouteUserData], "one paid call per creator, none per duplicate")
				assert.EqualValues(t, 20*paid, snap.TotalCredits())
				u := c.Usage()
				t.Logf("%d elements (%d distinct creators paid for, %d refused at once): %d answers; %d requests (%d status checks, %d paid), %.2f per element; %d tokens",
					len(ps), paid, invalid, n, u.Requests, snap.Requests[infludatatest.RouteDataStatus], snap.Requests[infludatatest.RouteUserData],
					float64(u.Requests)/float64(len(ps)), snap.TotalCredits())
			})
		})
	}
}

// A bad option answers every element with it, and nothing is sent.
func TestGetAndWaitAllBadOptionAnswersEveryElement(t *testing.T) {
	t.Parallel()
	c, mt, _ := mock(t)
	ps := []infludata.GetProfileParams{audienceOf(infludata.Instagram, "adidas"), {}, audienceOf(infludata.Instagram, "adidas")}
	seen := map[int]bool{}
	for a, err := range c.Profiles.GetAndWaitAll(context.Background(), ps, infludata.WithPollInterval(0, 0)) {
		assert.False(t, seen[a.Index])
		seen[a.Index] = true
		assert.ErrorIs(t, err, infludata.ErrInvalidParams)
		assert.Contains(t, err.Error(), "WithPollInterval")
		var ie *infludata.ItemError
		require.ErrorAs(t, err, &ie)
		assert.Equal(t, a.Index, ie.Index)
	}
	assert.Len(t, seen, len(ps))
	assert.Zero(t, mt.GetTotalCallCount())
	for range c.Profiles.GetAndWaitAll(context.Background(), nil) {
		t.Fatal("an empty roster yields nothing")
	}
}

// A budget is sized to the distinct creators: a duplicate costs nothing
// more, so a budget of two reports holds three elements naming two
// creators, and the fourth element's creator is refused before anything
// is sent for it.
func TestGetAndWaitAllBudgetCountsCreatorsOnce(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		ig := infludata.Instagram
		srv := infludatatest.NewServer(infludatatest.WithVirtualTime())
		t.Cleanup(srv.Close)
		c, err := srv.NewClient(infludata.WithBudget(infludata.NewBudget(40)))
		require.NoError(t, err)
		ps := []infludata.GetProfileParams{audienceOf(ig, "adidas"), audienceOf(ig, "@ADIDAS"), audienceOf(ig, "cristiano"), audienceOf(ig, "leomessi")}
		got := map[int]error{}
		for a, err := range c.Profiles.GetAndWaitAll(tctx(t, time.Hour), ps, srv.PollOptions()...) {
			got[a.Index] = err
		}
		require.Len(t, got, 4)
		assert.NoError(t, got[0])
		assert.NoError(t, got[1])
		assert.NoError(t, got[2])
		assert.ErrorIs(t, got[3], infludata.ErrBudgetExceeded)
		snap := srv.Snapshot()
		assert.Equal(t, 2, snap.Requests[infludatatest.RouteUserData])
		assert.Equal(t, 2, snap.Requests[infludatatest.RouteDataStatus], "nothing sent for the refused creator")
		assert.EqualValues(t, 40, snap.TotalCredits())
	})
}

// break stops the roster: nothing more is yielded or sent.
func TestGetAndWaitAllBreak(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		ig := infludata.Instagram
		srv, c := fast(t)
		ps := []infludata.GetProfileParams{audienceOf(ig, "adidas"), audienceOf(ig, "adidas"), audienceOf(ig, "cristiano")}
		n := 0
		for _, err := range c.Profiles.GetAndWaitAll(tctx(t, time.Hour), ps, srv.PollOptions()...) {
			require.NoError(t, err)
			n++
			break
		}
		assert.Equal(t, 1, n)
		assert.Equal(t, 1, srv.Snapshot().Requests[infludatatest.RouteUserData], "nothing after the break")
	})
}

// When the client's pacing puts the next request past the deadline, the
// creators still pending end with a *TimeoutError (the budget ran out, as
// in GetAndWait), not with the limiter's ErrRateLimited.
func TestGetAndWaitAllPacedPastTheDeadline(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		ig := infludata.Instagram
		srv, _ := fast(t, infludatatest.WithCreators(infludatatest.Creator{Platform: ig, Username: "stuck_a", AudienceIn: -1},
			infludatatest.Creator{Platform: ig, Username: "stuck_b", AudienceIn: -1}))
		c, err := srv.NewClient(infludata.WithWindow(1, time.Hour))
		require.NoError(t, err)
		ps := []infludata.GetProfileParams{audienceOf(ig, "stuck_a"), audienceOf(ig, "stuck_b"), audienceOf(ig, "@Stuck_B")}
		n := 0
		for a, err := range c.Profiles.GetAndWaitAll(tctx(t, 30*time.Minute), ps, srv.PollOptions()...) {
			n++
			var te *infludata.TimeoutError
			require.ErrorAs(t, err, &te, "element %d", a.Index)
			assert.ErrorIs(t, err, context.DeadlineExceeded)
			assert.NotErrorIs(t, err, infludata.ErrRateLimited)
		}
		assert.Equal(t, len(ps), n)
		assert.Equal(t, 1, srv.Snapshot().Requests[infludatatest.RouteDataStatus], "the one request the window held")
	})
}
