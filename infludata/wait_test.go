package infludata_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/creatorkit/creatorkit-go/infludata"
	"github.com/creatorkit/creatorkit-go/infludata/infludatatest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// requireNotFound checks the typed outcome for a creator influData
// neither holds nor is enriching.
func requireNotFound(t *testing.T, err error, input, state string) *infludata.ItemError {
	t.Helper()
	var ie *infludata.ItemError
	require.True(t, errors.As(err, &ie), "want an *ItemError, got %T: %v", err, err)
	assert.ErrorIs(t, err, infludata.ErrNotFound)
	var te *infludata.TimeoutError
	assert.False(t, errors.As(err, &te), "not a timeout")
	assert.Equal(t, "infludata", ie.Vendor)
	assert.Equal(t, input, ie.Input)
	assert.Equal(t, state, ie.State)
	assert.Contains(t, ie.Reason, "Enrichment.Add")
	return ie
}

// TestGetAndWaitEndsForACreatorNotInTheDatabase: checkDataStatus says
// influData neither holds the creator nor is enriching it; GetAndWait
// returns ErrNotFound at once (one free check, nothing paid). It used to
// poll until the context ended (forever with context.Background()): the
// hour's context here would end such a wait with a *TimeoutError after
// many checks.
func TestGetAndWaitEndsForACreatorNotInTheDatabase(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv, c := fast(t)
		start := time.Now()
		for _, tc := range []struct {
			name  string
			p     infludata.GetProfileParams
			input string
		}{
			{"missing on the platform", audienceOf(infludata.Instagram, "ghost_notfound"), "ghost_notfound"},
			{"unknown userId", infludata.GetProfileParams{Platform: infludata.TikTok, UserID: "MS4wLjABAAAAunknown"}, "MS4wLjABAAAAunknown"},
			{"unknown _id, no report asked", infludata.GetProfileParams{Platform: infludata.YouTube, ID: "ffffffffffffffffffffffff"}, "ffffffffffffffffffffffff"},
		} {
			before := srv.Snapshot()
			p, err := c.Profiles.GetAndWait(tctx(t, time.Hour), tc.p, srv.PollOptions()...)
			assert.Nil(t, p, tc.name)
			ie := requireNotFound(t, err, tc.input, "not in database")
			assert.Contains(t, ie.Item, string(tc.p.Platform)+"/", tc.name)
			after := srv.Snapshot()
			assert.Equal(t, 1, after.Requests[infludatatest.RouteDataStatus]-before.Requests[infludatatest.RouteDataStatus], "%s: one check, at once", tc.name)
			assert.Zero(t, after.Requests[infludatatest.RouteUserData]-before.Requests[infludatatest.RouteUserData], "%s: no paid call", tc.name)
			assert.Zero(t, after.TotalCredits(), tc.name)
		}
		assert.Less(t, time.Since(start), time.Second, "no poll interval waited (only the pacing of 25 requests a second)")
	})
}

func TestGetAndWaitLegacyNotFound(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv, c := fast(t, infludatatest.WithLegacyDataStatus())
		_, err := c.Profiles.GetAndWait(tctx(t, time.Hour), audienceOf(infludata.Instagram, "legacy_ghost_notfound"), srv.PollOptions()...)
		requireNotFound(t, err, "legacy_ghost_notfound", "NOT FOUND")
		assert.Equal(t, 1, srv.Snapshot().Requests[infludatatest.RouteDataStatus])
	})
}

// TestGetAndWaitStatusShapes drives GetAndWait with the answers a check
// can give: a queued creator (the published not-in-database sample) is
// waited for; not in the database and not being processed ends at once;
// an answer without either shape's state is ErrUnexpectedResponse, never
// an endless wait.
func TestGetAndWaitStatusShapes(t *testing.T) {
	t.Parallel()
	p := audienceOf(infludata.Instagram, "new_creator")
	fast := infludata.WithPollInterval(time.Millisecond, time.Millisecond)
	t.Run("queued, then in the database with audience data", func(t *testing.T) {
		t.Parallel()
		synctest.Test(t, func(t *testing.T) {
			ctx := t.Context()
			c, mt, rec := mock(t)
			mt.RegisterResponder("GET", base+"/checkDataStatus", sequence(
				reply(t, rec, 200, "shared:data_status_not_in_database.json"),
				reply(t, rec, 200, "shared:data_status_not_in_database.json"),
				reply(t, rec, 200, "shared:data_status.json")))
			mt.RegisterResponder("GET", base+"/getUserData", reply(t, rec, 200, "user_data.json"))
			var seen []infludata.Progress
			pr, err := c.Profiles.GetAndWait(ctx, p, fast, infludata.WithProgress(func(pg infludata.Progress) { seen = append(seen, pg) }))
			require.NoError(t, err)
			assert.True(t, pr.HasAudienceReport())
			assert.Equal(t, 3, mt.GetCallCountInfo()["GET "+base+"/checkDataStatus"])
			require.Len(t, seen, 2, "progress after each check that found it not ready")
			for i, pg := range seen {
				assert.Equal(t, "Profiles.GetAndWait", pg.Op)
				assert.Equal(t, "instagram/@new_creator", pg.Creator)
				assert.Equal(t, "not in database yet, being processed", pg.State)
				assert.Equal(t, i+1, pg.Checks)
				assert.Zero(t, pg.Total)
			}
		})
	})
	t.Run("not in the database, not being processed", func(t *testing.T) {
		t.Parallel()
		synctest.Test(t, func(t *testing.T) {
			ctx := t.Context()
			c, mt, rec := mock(t)
			mt.RegisterResponder("GET", base+"/checkDataStatus", reply(t, rec, 200,
				`{"isInDatabase":false,"isBeingProcessed":false,"username":"new_creator","platform":"instagram","isAddedToRefresh":false,"isAddedToWeeklyRefresh":false}`))
			pr, err := c.Profiles.GetAndWait(ctx, p, fast)
			assert.Nil(t, pr)
			requireNotFound(t, err, "new_creator", "not in database")
			assert.Equal(t, 1, mt.GetTotalCallCount())
		})
	})
	t.Run("an answer with neither shape", func(t *testing.T) {
		t.Parallel()
		synctest.Test(t, func(t *testing.T) {
			ctx := t.Context()
			c, mt, rec := mock(t)
			mt.RegisterResponder("GET", base+"/checkDataStatus", reply(t, rec, 200, `{"username":"new_creator"}`))
			_, err := c.Profiles.GetAndWait(ctx, p, fast)
			assert.ErrorIs(t, err, infludata.ErrUnexpectedResponse)
			assert.Equal(t, 1, mt.GetTotalCallCount())
		})
	})
	t.Run("the audience report is always asked for", func(t *testing.T) {
		t.Parallel()
		synctest.Test(t, func(t *testing.T) {
			ctx := t.Context()
			c, mt, rec := mock(t)
			mt.RegisterResponder("GET", base+"/checkDataStatus", sequence(
				reply(t, rec, 200, "data_status_no_audience.json"), // in the database is not enough
				reply(t, rec, 200, "shared:data_status.json")))
			mt.RegisterResponder("GET", base+"/getUserData", reply(t, rec, 200, "user_data.json"))
			_, err := c.Profiles.GetAndWait(ctx, infludata.GetProfileParams{Platform: infludata.Instagram, Username: "new_creator"}, fast)
			require.NoError(t, err)
			all := rec.all()
			require.Len(t, all, 3)
			assert.Equal(t, "true", all[2].Query.Get("includeAudienceReport"), "IncludeAudienceReport is implied")
		})
	})
	t.Run("the paid call answers 202: the profile and ErrNotReady, no second call", func(t *testing.T) {
		t.Parallel()
		synctest.Test(t, func(t *testing.T) {
			ctx := t.Context()
			c, mt, rec := mock(t)
			mt.RegisterResponder("GET", base+"/checkDataStatus", reply(t, rec, 200, "shared:data_status.json"))
			mt.RegisterResponder("GET", base+"/getUserData", reply(t, rec, http.StatusAccepted, "user_data_processing.json"))
			pr, err := c.Profiles.GetAndWait(ctx, p, fast)
			require.NotNil(t, pr)
			assert.Equal(t, infludata.ProfileProcessing, pr.State)
			var ie *infludata.ItemError
			require.True(t, errors.As(err, &ie))
			assert.ErrorIs(t, err, infludata.ErrNotReady)
			assert.Equal(t, "processing", ie.State)
			assert.Equal(t, "507f1f77bcf86cd799439011", ie.ID, "the creator's _id from the status")
			assert.NotEmpty(t, ie.Reason)
			assert.Equal(t, 1, mt.GetCallCountInfo()["GET "+base+"/getUserData"])
		})
	})
}

// TestGetAndWaitAllNotFound: a roster with creators influData does not
// hold yields each of them once with ErrNotFound after its first check
// (never a timeout), and still delivers the others.
func TestGetAndWaitAllNotFound(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv, c := fast(t, infludatatest.WithCreators(infludatatest.Creator{Platform: infludata.TikTok, Username: "slowish", AudienceIn: 20 * time.Second}))
		ps := []infludata.GetProfileParams{
			audienceOf(infludata.Instagram, "adidas"),
			audienceOf(infludata.Instagram, "ghost_one_notfound"),
			audienceOf(infludata.TikTok, "slowish"),
			{Platform: infludata.YouTube, UserID: "UCnobodyknows", IncludeAudienceReport: true},
			audienceOf(infludata.Instagram, "brand_new_roster_creator"), // queued: waited for
		}
		var delivered, notFound []string
		var rounds []infludata.Progress
		for a, err := range c.Profiles.GetAndWaitAll(tctx(t, time.Hour), ps, append(srv.PollOptions(),
			infludata.WithProgress(func(pg infludata.Progress) { rounds = append(rounds, pg) }))...) {
			if err != nil {
				var ie *infludata.ItemError
				require.True(t, errors.As(err, &ie), "%T: %v", err, err)
				requireNotFound(t, err, ie.Input, "not in database")
				assert.Nil(t, a.Value)
				notFound = append(notFound, ie.Input)
				continue
			}
			delivered = append(delivered, a.Value.Username)
		}
		assert.ElementsMatch(t, []string{"adidas", "slowish", "brand_new_roster_creator"}, delivered)
		assert.ElementsMatch(t, []string{"ghost_one_notfound", "UCnobodyknows"}, notFound)
		require.NotEmpty(t, rounds)
		last := rounds[len(rounds)-1]
		assert.Equal(t, infludata.Progress{Op: "Profiles.GetAndWaitAll", Total: 5, Pending: 0, Succeeded: 3, Failed: 2},
			infludata.Progress{Op: last.Op, Total: last.Total, Pending: last.Pending, Succeeded: last.Succeeded, Failed: last.Failed})
		first := rounds[0]
		assert.Equal(t, 2, first.Failed, "both not-found creators end in the first round")
		assert.Positive(t, first.Checks)
		assert.EqualValues(t, 3*20, srv.Snapshot().TotalCredits(), "paid only for the three reports")
	})
}

// The one wait policy: a wait outlasts as many transient failures in a
// row as the client's retries (WithMaxRetries), each a call that failed
// after its own retries, and ends with the next one: with the transport's
// *Error, not a timeout, even without a deadline.
func TestWaitsEndAfterTolerateTransientFailures(t *testing.T) {
	t.Parallel()
	p := audienceOf(infludata.Instagram, "adidas")
	every := infludata.WithPollInterval(time.Second, time.Second)
	requireTransient := func(t *testing.T, err error) {
		t.Helper()
		assert.ErrorIs(t, err, infludata.ErrServer)
		var te *infludata.TimeoutError
		assert.False(t, errors.As(err, &te), "the transport's error, not a timeout: %v", err)
	}
	for _, retries := range []int{0, 1, 2, 3} {
		t.Run(fmt.Sprintf("status checks, WithMaxRetries(%d)", retries), func(t *testing.T) {
			t.Parallel()
			synctest.Test(t, func(t *testing.T) {
				c, mt, rec := mock(t, infludata.WithMaxRetries(retries))
				mt.RegisterResponder("GET", base+"/checkDataStatus", reply(t, rec, 503, "error_500.json"))
				start := time.Now()
				pr, err := c.Profiles.GetAndWait(context.Background(), p, every)
				assert.Nil(t, pr)
				requireTransient(t, err)
				// retries+1 checks failed in a row, each after retries+1 attempts.
				assert.Len(t, rec.all(), (retries+1)*(retries+1))
				assert.Less(t, time.Since(start), time.Duration(retries+1)*(time.Second+10*time.Millisecond), "it ended by itself, without a deadline")
			})
		})
	}
	t.Run("an answer starts the count again", func(t *testing.T) {
		t.Parallel()
		synctest.Test(t, func(t *testing.T) {
			c, mt, rec := mock(t, infludata.WithMaxRetries(1))
			fail := reply(t, rec, 503, "error_500.json")
			mt.RegisterResponder("GET", base+"/checkDataStatus", sequence(fail, fail, // check 1 fails (1 in a row: outlasted)
				reply(t, rec, 200, "data_status_no_audience.json"), // check 2 answers: not ready
				fail, fail, // check 3 fails (1 in a row)
				reply(t, rec, 200, "shared:data_status.json"))) // check 4: ready
			mt.RegisterResponder("GET", base+"/getUserData", reply(t, rec, 200, "user_data.json"))
			pr, err := c.Profiles.GetAndWait(context.Background(), p, every)
			require.NoError(t, err)
			assert.True(t, pr.HasAudienceReport())
			assert.Len(t, rec.all(), 7)
		})
	})
	t.Run("the paid call, WithMaxRetries(1)", func(t *testing.T) {
		t.Parallel()
		synctest.Test(t, func(t *testing.T) {
			c, mt, rec := mock(t, infludata.WithMaxRetries(1))
			mt.RegisterResponder("GET", base+"/checkDataStatus", reply(t, rec, 200, "shared:data_status.json"))
			mt.RegisterResponder("GET", base+"/getUserData", reply(t, rec, 503, "error_500.json"))
			pr, err := c.Profiles.GetAndWait(context.Background(), p, every)
			assert.Nil(t, pr)
			requireTransient(t, err)
			calls := mt.GetCallCountInfo()
			assert.Equal(t, 1, calls["GET "+base+"/checkDataStatus"], "ready at the first check, not asked again")
			assert.Equal(t, 4, calls["GET "+base+"/getUserData"], "2 paid calls of 2 attempts, none charged")
		})
	})
	for _, retries := range []int{0, 2} {
		t.Run(fmt.Sprintf("a roster, WithMaxRetries(%d)", retries), func(t *testing.T) {
			t.Parallel()
			synctest.Test(t, func(t *testing.T) {
				c, mt, rec := mock(t, infludata.WithMaxRetries(retries))
				ok := reply(t, rec, 200, "shared:data_status.json")
				fail := reply(t, rec, 503, "error_500.json")
				var failed atomic.Int32
				mt.RegisterResponder("GET", base+"/checkDataStatus", func(r *http.Request) (*http.Response, error) {
					if r.URL.Query().Get("username") == "broken" {
						failed.Add(1)
						return fail(r)
					}
					return ok(r)
				})
				mt.RegisterResponder("GET", base+"/getUserData", reply(t, rec, 200, "user_data.json"))
				var delivered int
				var errs []error
				for a, err := range c.Profiles.GetAndWaitAll(context.Background(), []infludata.GetProfileParams{p, audienceOf(infludata.Instagram, "broken")}, every) {
					if err != nil {
						errs = append(errs, err)
						continue
					}
					assert.True(t, a.Value.HasAudienceReport())
					delivered++
				}
				assert.Equal(t, 1, delivered)
				require.Len(t, errs, 1)
				requireTransient(t, errs[0])
				var ie *infludata.ItemError
				require.ErrorAs(t, errs[0], &ie)
				assert.Equal(t, "broken", ie.Input)
				assert.Equal(t, "instagram/@broken", ie.Item)
				assert.EqualValues(t, (retries+1)*(retries+1), failed.Load(), "retries+1 checks in a row, each of retries+1 attempts")
			})
		})
	}
}

// GetAndWait by _id alone: checkDataStatus and getUserData look an _id up
// on every platform, so no platform is needed; a creator whose platform
// has no audience reports ends the wait with ErrInvalidParams after the
// first (free) check.
func TestGetAndWaitByIDAlone(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv, c := fast(t)
		ctx := tctx(t, time.Hour)
		p, err := c.Profiles.GetAndWait(ctx, infludata.GetProfileParams{ID: "507f1f77bcf86cd799439011"}, srv.PollOptions()...)
		require.NoError(t, err)
		assert.Equal(t, "adidas", p.Username)
		assert.True(t, p.HasAudienceReport())

		for a, err := range c.Profiles.GetAndWaitAll(ctx, []infludata.GetProfileParams{{ID: "507f1f77bcf86cd799439011"}}, srv.PollOptions()...) {
			require.NoError(t, err)
			assert.Equal(t, "adidas", a.Value.Username)
		}

		d, err := c.Profiles.CheckStatus(ctx, infludata.DataStatusParams{Platform: infludata.Twitch, Username: "tw_creator_001"})
		require.NoError(t, err)
		require.NotEmpty(t, d.CreatorID)
		before := srv.Snapshot()
		_, err = c.Profiles.GetAndWait(ctx, infludata.GetProfileParams{ID: d.CreatorID}, srv.PollOptions()...)
		assert.ErrorIs(t, err, infludata.ErrInvalidParams)
		assert.Contains(t, err.Error(), "twitch")
		after := srv.Snapshot()
		assert.Equal(t, 1, after.Requests[infludatatest.RouteDataStatus]-before.Requests[infludatatest.RouteDataStatus], "one check")
		assert.Zero(t, after.Requests[infludatatest.RouteUserData]-before.Requests[infludatatest.RouteUserData])

		ghost := "ffffffffffffffffffffffff"
		_, err = c.Profiles.GetAndWait(ctx, infludata.GetProfileParams{ID: ghost}, srv.PollOptions()...)
		ie := requireNotFound(t, err, ghost, "not in database")
		assert.Equal(t, ghost, ie.ID)
		assert.Contains(t, ie.Item, "id:"+ghost)
	})
}

// An error never says the same thing twice: the ItemError of a refused
// roster input reads its reason once.
func TestRosterErrorsSayItOnce(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv, c := fast(t)
		b := infludata.NewBudget(20)
		c2, err := srv.NewClient(infludata.WithBudget(b))
		require.NoError(t, err)
		var msgs []string
		for _, err := range c.Profiles.GetAndWaitAll(tctx(t, time.Hour), []infludata.GetProfileParams{audienceOf(infludata.Instagram, "bad handle")}, srv.PollOptions()...) {
			require.ErrorIs(t, err, infludata.ErrInvalidParams)
			msgs = append(msgs, err.Error())
		}
		for _, err := range c2.Profiles.GetAndWaitAll(tctx(t, time.Hour), []infludata.GetProfileParams{audienceOf(infludata.Instagram, "adidas"), audienceOf(infludata.Instagram, "cristiano")}, srv.PollOptions()...) {
			if err != nil {
				require.ErrorIs(t, err, infludata.ErrBudgetExceeded)
				msgs = append(msgs, err.Error())
			}
		}
		require.Len(t, msgs, 2)
		assert.Equal(t, `infludata: "bad handle": username "bad handle" contains a space`, msgs[0])
		assert.Equal(t, `infludata: instagram/@cristiano: not started: the getUserData call may cost 20 tokens; the 20 tokens the budget (of 20) had left when the roster started go to the creators before it; nothing was sent`, msgs[1])
	})
}

// WithPollInterval(first, 0) keeps the default ceiling; the first check
// comes at once, the next after first (±20% jitter).
func TestPollIntervalKeepsTheDefaultCeiling(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		c, mt, rec := mock(t)
		mt.RegisterResponder("GET", base+"/checkDataStatus", sequence(
			reply(t, rec, 200, "data_status_no_audience.json"),
			reply(t, rec, 200, "shared:data_status.json")))
		mt.RegisterResponder("GET", base+"/getUserData", reply(t, rec, 200, "user_data.json"))
		start := time.Now()
		_, err := c.Profiles.GetAndWait(t.Context(), audienceOf(infludata.Instagram, "adidas"), infludata.WithPollInterval(time.Hour, 0))
		require.NoError(t, err)
		assert.InDelta(t, float64(time.Hour), float64(time.Since(start)), float64(12*time.Minute))
		_, err = c.Profiles.GetAndWait(t.Context(), audienceOf(infludata.Instagram, "adidas"), infludata.WithPollInterval(time.Hour, time.Minute))
		assert.ErrorIs(t, err, infludata.ErrInvalidParams, "a ceiling below the first interval")
		assert.Contains(t, err.Error(), "WithPollInterval")
	})
}
