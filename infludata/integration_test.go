package infludata_test

import (
	"context"
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
	"golang.org/x/time/rate"
)

// fast is a fake on virtual time (call it inside a synctest bubble) whose
// enrichment takes a minute and audience analysis 30 seconds.
func fast(t *testing.T, opts ...infludatatest.Option) (*infludatatest.Server, *infludata.Client) {
	t.Helper()
	opts = append([]infludatatest.Option{infludatatest.WithVirtualTime(),
		infludatatest.WithDelays(infludatatest.Delays{Enrich: time.Minute, Audience: 30 * time.Second})}, opts...)
	srv := infludatatest.NewServer(opts...)
	t.Cleanup(srv.Close)
	c, err := srv.NewClient()
	require.NoError(t, err)
	return srv, c
}

// tctx is a context with a budget of d; inside a bubble, on the virtual
// clock (a wait that never ends fails at the deadline, in no real time).
func tctx(t *testing.T, d time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	return ctx
}

func TestFakeProfileStates(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		// Enrichment takes a minute; the audience analysis of a new creator a
		// day.
		srv, c := fast(t, infludatatest.WithDelays(infludatatest.Delays{Enrich: time.Minute, Audience: 24 * time.Hour}))
		ctx := tctx(t, time.Hour)
		ig := infludata.Instagram

		p, err := c.Profiles.Get(ctx, infludata.GetProfileParams{Platform: ig, Username: "brand_new_creator", IncludeAudienceReport: true})
		require.NoError(t, err)
		assert.Equal(t, infludata.ProfileQueued, p.State, "not in the database: 201")
		assert.EqualValues(t, 0, srv.Snapshot().TotalCredits(), "a 201 is free")

		time.Sleep(time.Minute - time.Nanosecond) // not enriched yet
		p, err = c.Profiles.Get(ctx, infludata.GetProfileParams{Platform: ig, Username: "brand_new_creator", IncludeAudienceReport: true})
		require.NoError(t, err)
		assert.Equal(t, infludata.ProfileQueued, p.State, "a nanosecond before the minute: still 201")
		time.Sleep(time.Nanosecond) // enriched, audience still running
		p, err = c.Profiles.Get(ctx, infludata.GetProfileParams{Platform: ig, Username: "brand_new_creator", IncludeAudienceReport: true})
		require.NoError(t, err)
		assert.Equal(t, infludata.ProfileProcessing, p.State, "audience processing: 202")
		assert.EqualValues(t, 1, srv.Snapshot().TotalCredits(), "a 202 costs 1")

		p, err = c.Profiles.Get(ctx, infludata.GetProfileParams{Platform: ig, Username: "brand_new_creator"})
		require.NoError(t, err)
		assert.Equal(t, infludata.ProfileReady, p.State, "the profile without the report is there")
		assert.False(t, p.HasAudienceReport())

		// A creator whose audience data is ready.
		p, err = c.Profiles.Get(ctx, infludata.GetProfileParams{Platform: ig, Username: "cristiano", IncludeAudienceReport: true, ShowDatalogAndScore: true})
		require.NoError(t, err)
		assert.True(t, p.Ready())
		assert.True(t, p.HasAudienceReport())
		assert.NotEmpty(t, p.Scores)
		assert.NotEmpty(t, p.Timeline)
		assert.Contains(t, p.Extra, "datalog")
		assert.EqualValues(t, 22, srv.Snapshot().TotalCredits(), "1 + 1 + 20")
		assert.EqualValues(t, 22, c.Usage().Spent, "the client's count matches the fake's")
		assert.Equal(t, 10000-22, srv.Tokens())

		_, err = c.Profiles.Get(ctx, infludata.GetProfileParams{Platform: ig, Username: "user_notfound_1"})
		assert.ErrorIs(t, err, infludata.ErrNotFound)
		p, err = c.Profiles.Get(ctx, infludata.GetProfileParams{ID: "507f1f77bcf86cd799439011"})
		require.NoError(t, err)
		assert.Equal(t, "adidas", p.Username, "_id works without a platform")
		p, err = c.Profiles.Get(ctx, infludata.GetProfileParams{Platform: infludata.YouTube, Username: "@MrBeast"})
		require.NoError(t, err)
		assert.Equal(t, "MrBeast", p.DisplayName)
	})
}

func TestGetAndWaitNeverPollsThePaidCall(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv, c := fast(t, infludatatest.WithCreators(infludatatest.Creator{Platform: infludata.TikTok, Username: "slow_audience", AudienceIn: 2 * time.Minute}))
		ctx := tctx(t, time.Hour)

		for _, ref := range []infludata.GetProfileParams{
			audienceOf(infludata.TikTok, "slow_audience"),     // in the database, audience processing
			audienceOf(infludata.Instagram, "never_seen_yet"), // queued for enrichment by the first check
			audienceOf(infludata.Instagram, "cristiano"),      // ready now
		} {
			before := srv.Snapshot()
			p, err := c.Profiles.GetAndWait(ctx, ref, srv.PollOptions()...)
			require.NoError(t, err, ref.Username)
			assert.True(t, p.HasAudienceReport())
			after := srv.Snapshot()
			assert.Equal(t, 1, after.Requests[infludatatest.RouteUserData]-before.Requests[infludatatest.RouteUserData], "%s: one paid call", ref.Username)
			assert.EqualValues(t, 20, after.TotalCredits()-before.TotalCredits(), "%s: exactly 20 tokens", ref.Username)
			assert.GreaterOrEqual(t, after.Requests[infludatatest.RouteDataStatus]-before.Requests[infludatatest.RouteDataStatus], 1)
		}
		assert.Zero(t, srv.Snapshot().Statuses[infludatatest.RouteUserData][202], "never met a 202")
	})
}

func TestGetAndWaitTimesOutFree(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv, c := fast(t, infludatatest.WithCreators(infludatatest.Creator{Platform: infludata.Instagram, Username: "never_ready", AudienceIn: -1}))
		ctx := tctx(t, 10*time.Minute)
		start := time.Now()
		p, err := c.Profiles.GetAndWait(ctx, audienceOf(infludata.Instagram, "never_ready"), srv.PollOptions()...)
		assert.GreaterOrEqual(t, time.Since(start), 9*time.Minute, "it waits the budget, and checks a last time before the deadline")
		assert.LessOrEqual(t, time.Since(start), 10*time.Minute)
		assert.Nil(t, p)
		var te *infludata.TimeoutError
		require.True(t, errors.As(err, &te), "%v", err)
		assert.Contains(t, te.Last, "audience data not ready yet")
		assert.ErrorIs(t, err, context.DeadlineExceeded)
		var ie *infludata.ItemError
		require.True(t, errors.As(err, &ie), "a wait's timeout is an ItemError: %T", err)
		assert.Equal(t, "instagram/@never_ready", ie.Item)
		assert.Equal(t, "never_ready", ie.Input)
		assert.Equal(t, "processing", ie.State, "the last status seen, also on a timeout")
		assert.Equal(t, 1, strings.Count(err.Error(), "never_ready"), "said once: %s", err)
		assert.Zero(t, srv.Snapshot().Requests[infludatatest.RouteUserData])
		assert.Zero(t, srv.Snapshot().TotalCredits())
	})
}

func TestGetAndWaitAllOnFake(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		var creators []infludatatest.Creator
		var refs []infludata.GetProfileParams
		for i := 0; i < 12; i++ {
			cr := infludatatest.Creator{Platform: infludata.Instagram, Username: fmt.Sprintf("roster_%02d", i)}
			if i%3 == 0 {
				cr.AudienceIn = time.Duration(20+i) * time.Second
			}
			creators = append(creators, cr)
			refs = append(refs, audienceOf(cr.Platform, cr.Username))
		}
		refs = append(refs, audienceOf(infludata.Twitch, "bad_ref"), audienceOf(infludata.Instagram, "roster_new"))
		srv, c := fast(t, infludatatest.WithCreators(creators...))
		ctx := tctx(t, time.Hour)
		got := map[string]bool{}
		var errs []error
		for a, err := range c.Profiles.GetAndWaitAll(ctx, refs, srv.PollOptions()...) {
			assert.Equal(t, refs[a.Index].Username, a.Input, "tied to its element")
			if err != nil {
				errs = append(errs, err)
				continue
			}
			p := a.Value
			assert.True(t, p.HasAudienceReport())
			assert.False(t, got[p.Username], "yielded once")
			got[p.Username] = true
		}
		assert.Len(t, got, 13)
		require.Len(t, errs, 1)
		var ce *infludata.ItemError
		require.True(t, errors.As(errs[0], &ce))
		assert.Equal(t, "bad_ref", ce.Input)
		assert.Empty(t, ce.Item, "a bad element is not read as a creator")
		assert.NotEmpty(t, ce.Reason)
		assert.ErrorIs(t, errs[0], infludata.ErrInvalidParams)
		snap := srv.Snapshot()
		assert.Equal(t, 13, snap.Requests[infludatatest.RouteUserData])
		assert.EqualValues(t, 13*20, snap.TotalCredits())
		assert.Zero(t, snap.Statuses[infludatatest.RouteUserData][202])
	})
}

func TestGetAndWaitAllStopsOnQuotaAndTimeout(t *testing.T) {
	t.Parallel()
	t.Run("quota", func(t *testing.T) {
		t.Parallel()
		synctest.Test(t, func(t *testing.T) {
			srv, c := fast(t, infludatatest.WithTokens(45))
			refs := []infludata.GetProfileParams{audienceOf(infludata.Instagram, "adidas"), audienceOf(infludata.Instagram, "cristiano"),
				audienceOf(infludata.Instagram, "leomessi"), audienceOf(infludata.Instagram, "example_user")}
			var ok, quota int
			for _, err := range c.Profiles.GetAndWaitAll(tctx(t, time.Hour), refs, srv.PollOptions()...) {
				switch {
				case err == nil:
					ok++
				case errors.Is(err, infludata.ErrQuotaExceeded):
					quota++
					var e *infludata.Error
					require.True(t, errors.As(err, &e))
					assert.False(t, e.ResetAt.IsZero(), "production keys get a resetDate")
					var ie *infludata.ItemError
					require.True(t, errors.As(err, &ie), "%T", err)
					assert.NotEmpty(t, ie.Input)
					assert.Contains(t, ie.Reason, "token budget")
				default:
					t.Fatalf("unexpected %v", err)
				}
			}
			assert.Equal(t, 2, ok)
			assert.Equal(t, 2, quota)
			assert.Equal(t, 3, srv.Snapshot().Requests[infludatatest.RouteUserData], "nothing after the quota error")
		})
	})
	t.Run("timeout names each pending creator", func(t *testing.T) {
		t.Parallel()
		synctest.Test(t, func(t *testing.T) {
			srv, c := fast(t, infludatatest.WithCreators(infludatatest.Creator{Platform: infludata.YouTube, Username: "stuck", AudienceIn: -1}))
			ctx := tctx(t, 15*time.Minute)
			var ok int
			var timeouts []*infludata.TimeoutError
			var items []*infludata.ItemError
			for _, err := range c.Profiles.GetAndWaitAll(ctx, []infludata.GetProfileParams{audienceOf(infludata.YouTube, "stuck"), audienceOf(infludata.YouTube, "@MrBeast")}, srv.PollOptions()...) {
				var te *infludata.TimeoutError
				var ie *infludata.ItemError
				switch {
				case err == nil:
					ok++
				case errors.As(err, &te) && errors.As(err, &ie):
					timeouts, items = append(timeouts, te), append(items, ie)
					assert.ErrorIs(t, err, context.DeadlineExceeded)
				default:
					t.Fatalf("unexpected %v", err)
				}
			}
			assert.Equal(t, 1, ok)
			require.Len(t, timeouts, 1)
			assert.Equal(t, "youtube/@stuck", items[0].Item)
			assert.Equal(t, "stuck", items[0].Input)
			assert.Equal(t, "processing", items[0].State, "the last status seen")
			assert.NotEmpty(t, items[0].ID)
			assert.Contains(t, timeouts[0].Last, "audience data not ready yet")
			assert.Greater(t, timeouts[0].Checks, 1)
			assert.Equal(t, 1, strings.Count(items[0].Error(), "audience data not ready yet"), "said once: %s", items[0])
		})
	})
}

func TestEnrichmentOnFake(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		// Enrichment takes a day: the creator below is still queued.
		srv, c := fast(t, infludatatest.WithDelays(infludatatest.Delays{Enrich: 24 * time.Hour, Audience: time.Minute}))
		ctx := tctx(t, time.Hour) // after the fake, which moves a fresh bubble's clock on
		res, err := c.Enrichment.Add(ctx, infludata.EnrichParams{Platform: infludata.Instagram, Usernames: append(names("enrich_", 230), "adidas", "x_notfound"), UserIDs: []string{"173560420"}})
		require.NoError(t, err)
		assert.Equal(t, 3, res.Calls)
		assert.Equal(t, 3, srv.Snapshot().Requests[infludatatest.RouteBulkEnrich])
		assert.Len(t, res.Processed, 232)
		require.Len(t, res.Failed, 1)
		assert.Equal(t, "x_notfound", res.Failed[0].Identifier)
		assert.Equal(t, infludata.EnrichSummary{Total: 233, ExistingInDatabase: 2, NewlyAdded: 230, AddedToInstant: 232, Failed: 1}, res.Summary)
		d, err := c.Profiles.CheckStatus(ctx, infludata.DataStatusParams{Platform: infludata.Instagram, Username: "enrich_007"})
		require.NoError(t, err)
		assert.False(t, d.InDatabase())
		require.NotNil(t, d.IsBeingProcessed)
		assert.True(t, *d.IsBeingProcessed, "queued by the bulk call")

		trial, tc := fast(t, infludatatest.WithPlan(infludata.Trial))
		require.Equal(t, infludata.Trial, tc.Plan())
		res, err = tc.Enrichment.Add(ctx, infludata.EnrichParams{Platform: infludata.TikTok, Usernames: names("t_", 25)})
		require.NoError(t, err)
		assert.Equal(t, 3, res.Calls, "10 per call on a trial key")
		assert.Len(t, res.Processed, 25)
		assert.Zero(t, trial.Snapshot().Count(400))
		_, err = tc.Profiles.CheckStatus(ctx, infludata.DataStatusParams{Platform: infludata.TikTok, Username: "t_001"})
		require.NoError(t, err)
		assert.Zero(t, trial.Snapshot().TotalCredits(), "free")
	})
}

func TestDiscoveryOnFake(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv, c := fast(t)
		ctx := tctx(t, time.Hour)
		var last int64 = 1 << 62
		n := 0
		for cr, err := range c.Discovery.SearchAll(ctx, infludata.SearchParams{Platform: infludata.Instagram, Country: "Germany",
			Sorting: infludata.Sort{Field: infludata.SortFollowers, Direction: infludata.Desc}}, infludata.WithMaxPages(-1)) {
			require.NoError(t, err)
			assert.Equal(t, "Germany", cr.Country)
			assert.LessOrEqual(t, cr.Followers, last, "sorted by followers, descending")
			last = cr.Followers
			n++
		}
		pages := srv.Snapshot().Requests[infludatatest.RouteDiscovery]
		assert.Equal(t, (n+19)/20, pages, "one page per 20 results, no extra page")
		assert.EqualValues(t, pages, srv.Snapshot().TotalCredits())

		pg, err := c.Discovery.Search(ctx, infludata.SearchParams{Platform: infludata.TikTok, Keywords: []string{"fitness"}})
		require.NoError(t, err)
		for _, u := range pg.Users {
			require.NotNil(t, u.Score, "keyword searches carry a relevance score")
		}
		l, err := c.Discovery.Cities(ctx, infludata.CitiesParams{Country: "Germany"})
		require.NoError(t, err)
		assert.Contains(t, l.Cities, "Berlin")
		_, err = c.Discovery.Cities(ctx, infludata.CitiesParams{Country: "Atlantis"})
		assert.ErrorIs(t, err, infludata.ErrInvalidParams)
	})
}

func collect(t *testing.T, seq func(func(infludata.ContentItem, error) bool)) []infludata.ContentItem {
	t.Helper()
	var out []infludata.ContentItem
	for it, err := range seq {
		require.NoError(t, err)
		out = append(out, it)
	}
	return out
}

func TestContentSyncOnFake(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv, c := fast(t)
		ctx := tctx(t, time.Hour)
		p := infludata.ContentParams{Tags: []string{"fashion"}, Limit: 25}

		full := c.Content.Pull(p, infludata.WithMaxItems(-1))
		items := collect(t, full.All(ctx))
		require.Greater(t, len(items), 50)
		assert.True(t, full.Complete())
		st := full.Stats()
		assert.Equal(t, len(items), st.Items)
		assert.Equal(t, (len(items)+24)/25, st.Pages)
		assert.EqualValues(t, len(items), srv.Snapshot().Credits[infludatatest.RouteContent], "1 token per item, nothing else")
		seen := map[string]bool{}
		for _, it := range items {
			assert.False(t, seen[it.ID], "cursor pages do not repeat")
			seen[it.ID] = true
		}
		wm := full.Watermark()
		require.NotNil(t, wm)
		assert.Equal(t, "65abc123def456789", wm.LastID, "the documented example is the newest piece")
		assert.Equal(t, []string{"65abc123def456789"}, wm.SeenIDs, "the one piece of the newest second")

		// Legacy offset paging sees the same set.
		legacy := collect(t, c.Content.ContentAll(ctx, infludata.ContentParams{Tags: []string{"fashion"}, Limit: 40, LegacyOffset: true}, infludata.WithMaxItems(-1)))
		assert.Len(t, legacy, len(items))

		// New posts, then an incremental sync from the watermark.
		ids := srv.Publish(infludata.Instagram, "fashioninfluencer", 3)
		before := srv.Snapshot().Credits[infludatatest.RouteContent]
		inc := c.Content.Pull(infludata.ContentParams{Tags: []string{"fashion"}, Limit: 25, Since: wm})
		newItems := collect(t, inc.All(ctx))
		var got []string
		for _, it := range newItems {
			got = append(got, it.ID)
		}
		assert.ElementsMatch(t, ids, got, "only the new posts, without the watermark item")
		assert.True(t, inc.Complete())
		assert.Equal(t, ids[2], inc.Watermark().LastID)
		assert.EqualValues(t, 3+1, srv.Snapshot().Credits[infludatatest.RouteContent]-before, "the 3 new items and the watermark's, read again")
		assert.Equal(t, 1, inc.Stats().Reread)

		// Nothing new: an empty sync ends quietly and keeps the watermark;
		// it pays for the watermark's item only.
		before = srv.Snapshot().Credits[infludatatest.RouteContent]
		again := c.Content.Pull(infludata.ContentParams{Tags: []string{"fashion"}, Limit: 25, Since: inc.Watermark()})
		assert.Empty(t, collect(t, again.All(ctx)))
		assert.Equal(t, ids[2], again.Watermark().LastID)
		assert.Equal(t, []string{ids[2]}, again.Watermark().SeenIDs)
		assert.EqualValues(t, 1, srv.Snapshot().Credits[infludatatest.RouteContent]-before)

		// Nothing matches: 404, an empty page, free.
		pg, err := c.Content.Get(ctx, infludata.ContentParams{Tags: []string{"no_such_tag"}, Limit: 10})
		require.NoError(t, err)
		assert.True(t, pg.Empty)
	})
}

// TestIncrementalSyncCosts: an incremental pull asks from the watermark,
// so 5 new items cost 6 tokens (the watermark's item is read again and
// dropped), and a sync with nothing new costs the watermark's item; in
// both paging modes, counted on the fake and by the client.
func TestIncrementalSyncCosts(t *testing.T) {
	t.Parallel()
	for _, legacy := range []bool{false, true} {
		t.Run(fmt.Sprintf("legacy=%v", legacy), func(t *testing.T) {
			t.Parallel()
			synctest.Test(t, func(t *testing.T) {
				srv, c := fast(t)
				ctx := tctx(t, time.Hour)
				full := c.Content.Pull(infludata.ContentParams{Tags: []string{"fashion"}, Limit: 20}, infludata.WithMaxItems(-1))
				collect(t, full.All(ctx))
				require.True(t, full.Complete())
				wm := full.Watermark()
				require.NotNil(t, wm)
				p := infludata.ContentParams{Tags: []string{"fashion"}, Limit: 20, LegacyOffset: legacy}

				ids := srv.Publish(infludata.Instagram, "fashioninfluencer", 5)
				fakeBefore, clientBefore := srv.Snapshot().Credits[infludatatest.RouteContent], c.Usage().Spent
				p.Since = wm
				inc := c.Content.Pull(p)
				var got []string
				for _, it := range collect(t, inc.All(ctx)) {
					assert.NotEqual(t, wm.LastID, it.ID, "the watermark item is not yielded again")
					got = append(got, it.ID)
				}
				assert.ElementsMatch(t, ids, got)
				assert.True(t, inc.Complete())
				assert.EqualValues(t, 5+1, srv.Snapshot().Credits[infludatatest.RouteContent]-fakeBefore, "5 new items and the watermark's: 6 tokens on the fake")
				assert.EqualValues(t, 5+1, c.Usage().Spent-clientBefore, "and 6 by the client's count")
				assert.Equal(t, infludata.PullStats{Pages: 1, Items: 6, Tokens: 6, Reread: 1}, inc.Stats())

				// Nothing new since: the watermark's item, read again (1
				// token), and the watermark is kept.
				next := inc.Watermark()
				require.NotNil(t, next)
				assert.True(t, next.CreatedAtMax.After(wm.CreatedAtMax.Time))
				fakeBefore = srv.Snapshot().Credits[infludatatest.RouteContent]
				p.Since = next
				again := c.Content.Pull(p)
				assert.Empty(t, collect(t, again.All(ctx)))
				assert.True(t, again.Complete())
				assert.Equal(t, next.CreatedAtMax, again.Watermark().CreatedAtMax)
				assert.Equal(t, next.SeenIDs, again.Watermark().SeenIDs)
				assert.EqualValues(t, 1, srv.Snapshot().Credits[infludatatest.RouteContent]-fakeBefore, "an empty sync costs the re-read item")
			})
		})
	}
}

func TestContentAllPaysOnlyForConsumedItems(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv, c := fast(t)
		ctx := tctx(t, time.Hour)
		for _, tc := range []struct {
			name           string
			limit, cap, br int
			opts           []infludata.ListOption
			items, pages   int
		}{
			{"cap shrinks the last page", 100, 130, 0, nil, 130, 2},
			{"break mid page", 20, 0, 30, nil, 30, 2},
			{"default cap", 100, 0, 0, nil, infludata.DefaultContentItems, 5},
			// Limits, field by field: a zero field keeps the default for paid
			// pages (500 items), a negative one lifts it.
			{"a page cap alone keeps the item default", 100, 0, 0, lo(infludata.WithMaxPages(7)), infludata.DefaultContentItems, 5},
			{"a page cap without an item cap", 100, -1, 0, lo(infludata.WithMaxPages(7)), 700, 7},
			{"a page cap below the item default", 100, 0, 0, lo(infludata.WithMaxPages(2)), 200, 2},
		} {
			before := srv.Snapshot()
			pull := c.Content.Pull(infludata.ContentParams{Platforms: []infludata.Platform{infludata.Instagram, infludata.TikTok, infludata.YouTube}, Limit: tc.limit, FollowerMin: 1},
				append(tc.opts, infludata.WithMaxItems(tc.cap))...)
			n := 0
			for _, err := range pull.All(ctx) {
				require.NoError(t, err)
				n++
				if n == tc.br {
					break
				}
			}
			after := srv.Snapshot()
			assert.Equal(t, tc.items, n, tc.name)
			assert.Equal(t, tc.pages, after.Requests[infludatatest.RouteContent]-before.Requests[infludatatest.RouteContent], tc.name)
			paid := after.Credits[infludatatest.RouteContent] - before.Credits[infludatatest.RouteContent]
			if tc.br == 0 {
				assert.EqualValues(t, n, paid, "%s: tokens = items consumed", tc.name)
			} else {
				assert.EqualValues(t, 2*tc.limit, paid, "%s: a break mid-page has paid for the page", tc.name)
			}
			assert.False(t, pull.Complete(), tc.name)
		}
	})
}

func TestFaultsOnFake(t *testing.T) {
	t.Parallel()
	t.Run("5xx and 429 storms are ridden out; tokens match what was delivered", func(t *testing.T) {
		t.Parallel()
		synctest.Test(t, func(t *testing.T) {
			srv, _ := fast(t, infludatatest.WithSeed(7), infludatatest.WithFaults(infludatatest.Faults{
				ErrorRate: map[int]float64{500: 0.2, 503: 0.1}, Storm429: 4, StormRetryAfter: 50 * time.Millisecond}))
			ctx := tctx(t, time.Hour)
			c, err := srv.NewClient(infludata.WithMaxRetries(8))
			require.NoError(t, err)
			n := 0
			for _, err := range c.Discovery.SearchAll(ctx, infludata.SearchParams{Platform: infludata.YouTube}, infludata.WithMaxPages(4)) {
				require.NoError(t, err)
				n++
			}
			assert.Equal(t, 80, n)
			items := collect(t, c.Content.ContentAll(ctx, infludata.ContentParams{Tags: []string{"fashion"}, Limit: 20}, infludata.WithMaxItems(50)))
			assert.Len(t, items, 50)
			res, err := c.Enrichment.Add(ctx, infludata.EnrichParams{Platform: infludata.Instagram, Usernames: names("f_", 120)})
			require.NoError(t, err)
			assert.Len(t, res.Processed, 120)
			snap := srv.Snapshot()
			assert.Greater(t, snap.Count(500)+snap.Count(503)+snap.Count(429), 0, "faults were injected")
			assert.EqualValues(t, 4, snap.Credits[infludatatest.RouteDiscovery])
			assert.EqualValues(t, 50, snap.Credits[infludatatest.RouteContent])
			assert.Equal(t, 3, snap.Statuses[infludatatest.RouteContent][200], "pages of 20, 20 and 10")
			assert.EqualValues(t, 54, c.Usage().Spent)
		})
	})
	t.Run("a paid answer lost after charging is not bought twice", func(t *testing.T) {
		t.Parallel()
		synctest.Test(t, func(t *testing.T) {
			srv, c := fast(t, infludatatest.WithFaults(infludatatest.Faults{Routes: []string{infludatatest.RouteUserData}, DropAfterRate: 1}))
			ctx := tctx(t, time.Hour)
			err := getAdidas(ctx, c)
			assert.ErrorIs(t, err, infludata.ErrOutcomeUnknown)
			assert.Equal(t, 1, srv.Snapshot().Requests[infludatatest.RouteUserData])
			assert.EqualValues(t, 20, srv.Snapshot().TotalCredits(), "charged once, by the server")
			u := c.Usage()
			assert.EqualValues(t, 0, u.Spent, "the client never saw an answer")
			assert.EqualValues(t, 20, u.SpentUnknown, "but counts what it may have cost")
		})
	})
	t.Run("truncated and malformed paid answers are not resent either", func(t *testing.T) {
		t.Parallel()
		synctest.Test(t, func(t *testing.T) {
			for _, f := range []infludatatest.Faults{{Routes: []string{infludatatest.RouteContent}, TruncateRate: 1}, {Routes: []string{infludatatest.RouteContent}, MalformRate: 1}} {
				srv, c := fast(t, infludatatest.WithFaults(f))
				_, err := c.Content.Get(tctx(t, time.Hour), infludata.ContentParams{Limit: 10})
				assert.ErrorIs(t, err, infludata.ErrOutcomeUnknown)
				assert.Equal(t, 1, srv.Snapshot().Requests[infludatatest.RouteContent])
			}
		})
	})
	t.Run("free calls are retried through drops, truncation and garbage", func(t *testing.T) {
		t.Parallel()
		synctest.Test(t, func(t *testing.T) {
			srv, c := fast(t, infludatatest.WithSeed(3), infludatatest.WithFaults(infludatatest.Faults{
				Routes: []string{infludatatest.RouteDataStatus, infludatatest.RouteClientInfo}, DropRate: 0.15, DropAfterRate: 0.15, TruncateRate: 0.15, MalformRate: 0.15}))
			ctx := tctx(t, time.Hour)
			for i := 0; i < 15; i++ {
				d, err := c.Profiles.CheckStatus(ctx, infludata.DataStatusParams{Platform: infludata.Instagram, Username: "cristiano"})
				require.NoError(t, err)
				assert.True(t, d.AudienceReady())
			}
			ci, err := c.Account.Get(ctx, infludata.ClientInfoParams{ClientID: infludatatest.DefaultClientID})
			require.NoError(t, err)
			assert.Equal(t, 10000, ci.ReportsLeft)
			snap := srv.Snapshot()
			assert.Greater(t, len(snap.Dropped)+len(snap.Faulted), 0, "faults were injected")
		})
	})
	t.Run("at most 10 requests in flight", func(t *testing.T) {
		t.Parallel()
		synctest.Test(t, func(t *testing.T) {
			srv, c := fast(t, infludatatest.WithServeTime(200*time.Second)) // they overlap
			ctx := tctx(t, time.Hour)
			var wg sync.WaitGroup
			for i := 0; i < 30; i++ {
				wg.Add(1)
				go func() {
					defer wg.Done()
					_, err := c.Profiles.CheckStatus(ctx, infludata.DataStatusParams{Platform: infludata.Instagram, Username: "adidas"})
					assert.NoError(t, err)
				}()
			}
			wg.Wait()
			assert.Greater(t, srv.MaxInFlight(), 1)
			assert.LessOrEqual(t, srv.MaxInFlight(), infludata.MaxConcurrency)
		})
	})
}

func TestPlanLimitsOnFake(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		// The paced client: 4 goroutines, 80 requests against the trial
		// plan's 2 a second and 60 a minute. The limiter's window guard keeps
		// every window on the fake's clock at or under its N by construction
		// (a slot frees a window's length after its answer), so it never
		// earns a 429; 80 requests at 60 a minute take over a minute.
		paced, c := fast(t, infludatatest.WithPlan(infludata.Trial))
		ctx := tctx(t, time.Hour)
		start := time.Now()
		var wg sync.WaitGroup
		for g := 0; g < 4; g++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := 0; i < 20; i++ {
					_, err := c.Profiles.CheckStatus(ctx, infludata.DataStatusParams{Platform: infludata.Instagram, Username: "adidas"})
					assert.NoError(t, err)
				}
			}()
		}
		wg.Wait()
		assert.Zero(t, paced.Snapshot().Count(429), "the paced client")
		assert.Equal(t, 80, paced.Snapshot().Requests[infludatatest.RouteDataStatus], "nothing retried")
		assert.Greater(t, time.Since(start), time.Minute, "60 a minute")

		// Without pacing: 10 requests released together arrive at the same
		// instant, and the fake admits 2 of them.
		unpaced, _ := fast(t, infludatatest.WithPlan(infludata.Trial))
		c2, err := unpaced.NewClient(infludata.WithRateLimit(rate.Inf, 1), infludata.WithMaxRetries(0))
		require.NoError(t, err)
		release := make(chan struct{})
		var limited atomic.Int64
		for g := 0; g < 10; g++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-release
				_, err := c2.Profiles.CheckStatus(ctx, infludata.DataStatusParams{Platform: infludata.Instagram, Username: "adidas"})
				if errors.Is(err, infludata.ErrRateLimited) {
					limited.Add(1)
				}
			}()
		}
		close(release)
		wg.Wait()
		assert.Equal(t, 8, unpaced.Snapshot().Count(429), "without pacing the burst limit answers 429s")
		assert.Equal(t, int64(unpaced.Snapshot().Count(429)), limited.Load(), "each one an ErrRateLimited")
	})
}

func TestQuotaOnFake(t *testing.T) {
	t.Parallel()
	t.Run("production: 429 with resetDate", func(t *testing.T) {
		t.Parallel()
		synctest.Test(t, func(t *testing.T) {
			srv, c := fast(t, infludatatest.WithTokens(19))
			ctx := tctx(t, time.Hour)
			err := getAdidas(ctx, c)
			var e *infludata.Error
			require.True(t, errors.As(err, &e))
			assert.ErrorIs(t, err, infludata.ErrQuotaExceeded)
			assert.Equal(t, 429, e.StatusCode)
			now := time.Now().UTC()
			assert.Equal(t, time.Date(now.Year(), now.Month()+1, 1, 0, 0, 0, 0, time.UTC), e.ResetAt.UTC())
			assert.Equal(t, 1, srv.Snapshot().Requests[infludatatest.RouteUserData], "never retried")
		})
	})
	t.Run("trial: 403 INSUFFICIENT_TOKENS", func(t *testing.T) {
		t.Parallel()
		synctest.Test(t, func(t *testing.T) {
			srv, c := fast(t, infludatatest.WithPlan(infludata.Trial), infludatatest.WithTokens(5))
			ctx := tctx(t, time.Hour)
			_, err := c.Content.Get(ctx, infludata.ContentParams{Limit: 10})
			var e *infludata.Error
			require.True(t, errors.As(err, &e))
			assert.ErrorIs(t, err, infludata.ErrQuotaExceeded)
			assert.NotErrorIs(t, err, infludata.ErrForbidden)
			assert.Equal(t, infludata.CodeInsufficientTokens, infludata.CodeOf(err))
			assert.JSONEq(t, `{"required":10,"available":5}`, string(e.Details))
			assert.Equal(t, 1, srv.Snapshot().Requests[infludatatest.RouteContent])
		})
	})
}

func TestTrialSignupOnFake(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv := infludatatest.NewServer(infludatatest.WithVirtualTime()) // a code lasts 15 minutes
		defer srv.Close()
		ctx := tctx(t, time.Hour)
		tr, err := infludata.NewSignup(srv.SignupOptions()...)
		require.NoError(t, err)

		code, err := tr.Create(ctx, infludata.CreateTrialKeyParams{Email: "dev+test@acme.io", Company: "Acme"})
		require.NoError(t, err)
		assert.True(t, code.Success)
		sentCode, ok := srv.VerificationCode("dev@acme.io")
		require.True(t, ok, "one inbox: the +alias is the same address")

		wrong := "000000"
		if sentCode == wrong {
			wrong = "111111"
		}
		_, err = tr.Verify(ctx, infludata.VerifyTrialKeyParams{Email: "dev+test@acme.io", Code: wrong})
		var te *infludata.TrialError
		require.True(t, errors.As(err, &te))
		assert.Equal(t, infludata.TrialWrongCode, te.Outcome)
		assert.Equal(t, 4, *te.AttemptsRemaining)

		key, err := tr.Verify(ctx, infludata.VerifyTrialKeyParams{Email: "dev+test@acme.io", Code: sentCode})
		require.NoError(t, err)
		assert.Equal(t, 250, key.RequestsIncluded)
		assert.NotContains(t, fmt.Sprint(key), key.APIKey)

		c, err := infludata.NewClient(append(key.Options(), infludata.WithHTTPClient(srv.HTTPClient()))...)
		require.NoError(t, err)
		assert.Equal(t, infludata.Trial, c.Plan())
		ci, err := c.Account.Get(ctx, infludata.ClientInfoParams{ClientID: key.ClientID})
		require.NoError(t, err)
		assert.Equal(t, 250, ci.ReportsLeft)

		_, err = tr.Create(ctx, infludata.CreateTrialKeyParams{Email: "DEV@acme.io"})
		require.True(t, errors.As(err, &te))
		assert.Equal(t, infludata.TrialAlreadyIssued, te.Outcome)
		_, err = tr.Create(ctx, infludata.CreateTrialKeyParams{Email: "someone@mailinator.com"})
		require.True(t, errors.As(err, &te))
		assert.Equal(t, infludata.TrialInvalidEmail, te.Outcome)
		_, err = tr.Verify(ctx, infludata.VerifyTrialKeyParams{Email: "nobody@acme.io", Code: "123456"})
		require.True(t, errors.As(err, &te))
		assert.Equal(t, infludata.TrialNoPendingCode, te.Outcome)

		_, err = tr.Create(ctx, infludata.CreateTrialKeyParams{Email: "tries@acme.io"})
		require.NoError(t, err)
		triesCode, _ := srv.VerificationCode("tries@acme.io")
		bad := "999999"
		if triesCode == bad {
			bad = "888888"
		}
		for i := 0; i < 5; i++ {
			_, err = tr.Verify(ctx, infludata.VerifyTrialKeyParams{Email: "tries@acme.io", Code: bad})
			require.True(t, errors.As(err, &te))
			assert.Equal(t, infludata.TrialWrongCode, te.Outcome)
		}
		_, err = tr.Verify(ctx, infludata.VerifyTrialKeyParams{Email: "tries@acme.io", Code: triesCode})
		require.True(t, errors.As(err, &te))
		assert.Equal(t, infludata.TrialTooManyAttempts, te.Outcome)

		// Per-IP signup limit: 5 in ten minutes; two were used above.
		const signupsPerWindow = 5
		for i := 0; i < signupsPerWindow-2; i++ {
			_, err = tr.Create(ctx, infludata.CreateTrialKeyParams{Email: fmt.Sprintf("burst%d@acme.io", i)})
			require.NoError(t, err, i)
		}
		_, err = tr.Create(ctx, infludata.CreateTrialKeyParams{Email: "one-too-many@acme.io"})
		require.True(t, errors.As(err, &te))
		assert.Equal(t, infludata.TrialSignupRateLimited, te.Outcome)

		quick := infludatatest.NewServer(infludatatest.WithVirtualTime())
		defer quick.Close()
		tr3, err := infludata.NewSignup(quick.SignupOptions()...)
		require.NoError(t, err)
		_, err = tr3.Create(ctx, infludata.CreateTrialKeyParams{Email: "late@acme.io"})
		require.NoError(t, err)
		time.Sleep(15*time.Minute + time.Second)
		lateCode, _ := quick.VerificationCode("late@acme.io")
		_, err = tr3.Verify(ctx, infludata.VerifyTrialKeyParams{Email: "late@acme.io", Code: lateCode})
		require.True(t, errors.As(err, &te))
		assert.Equal(t, infludata.TrialCodeExpired, te.Outcome)

		capped := infludatatest.NewServer(infludatatest.WithVirtualTime(), infludatatest.WithSignupCap(0))
		defer capped.Close()
		tr2, err := infludata.NewSignup(capped.SignupOptions()...)
		require.NoError(t, err)
		_, err = tr2.Create(ctx, infludata.CreateTrialKeyParams{Email: "dev@acme.io"})
		require.True(t, errors.As(err, &te))
		assert.Equal(t, infludata.TrialSignupClosed, te.Outcome)
		assert.Equal(t, 1, capped.Snapshot().Requests[infludatatest.RouteCreateTrial], "not retried")
	})
}

func TestLegacyDataStatusOnFake(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		// The audience is ready 5 minutes after the fake starts.
		srv, c := fast(t, infludatatest.WithLegacyDataStatus(), infludatatest.WithCreators(infludatatest.Creator{Platform: infludata.Instagram, Username: "legacy_slow", AudienceIn: 5 * time.Minute}))
		ctx := tctx(t, time.Hour)
		d, err := c.Profiles.CheckStatus(ctx, infludata.DataStatusParams{Platform: infludata.Instagram, Username: "legacy_slow"})
		require.NoError(t, err)
		assert.True(t, d.Legacy())
		assert.Equal(t, infludata.StatusNotReady, d.Status)
		p, err := c.Profiles.GetAndWait(ctx, audienceOf(infludata.Instagram, "legacy_slow"), srv.PollOptions()...)
		require.NoError(t, err)
		assert.True(t, p.HasAudienceReport())
		assert.EqualValues(t, 20, srv.Snapshot().TotalCredits())
	})
}

// TestIncrementalSyncNeverSkipsLateContent: content uploaded within the
// watermark's second but indexed after the last pull read that second is
// seen by the next sync (which asks from the watermark itself), and every
// piece already yielded at that second (not only the last) is dropped, in
// both paging modes and over several syncs. Each sync costs its new items
// plus the items read again at the watermark's second.
func TestIncrementalSyncNeverSkipsLateContent(t *testing.T) {
	t.Parallel()
	for _, legacy := range []bool{false, true} {
		t.Run(fmt.Sprintf("legacy=%v", legacy), func(t *testing.T) {
			t.Parallel()
			synctest.Test(t, func(t *testing.T) {
				srv, c := fast(t)
				ctx := tctx(t, time.Hour)
				p := infludata.ContentParams{Tags: []string{"fashion"}, Limit: 20, LegacyOffset: legacy}
				yielded := map[string]int{}
				sync := func(since *infludata.Watermark) (*infludata.ContentPull, []string) {
					t.Helper()
					p.Since = since
					pull := c.Content.Pull(p, infludata.WithMaxItems(-1))
					var got []string
					for _, it := range collect(t, pull.All(ctx)) {
						yielded[it.ID]++
						got = append(got, it.ID)
					}
					require.True(t, pull.Complete())
					return pull, got
				}
				full, _ := sync(nil)
				wm := full.Watermark()
				require.NotNil(t, wm)
				T := wm.CreatedAtMax.Time
				require.Equal(t, []string{"65abc123def456789"}, wm.SeenIDs)

				// Two pieces uploaded within the watermark's second, one at
				// its start and one half a second in, indexed after the pull.
				late := append(srv.PublishAt(infludata.Instagram, "fashioninfluencer", T, 1),
					srv.PublishAt(infludata.Instagram, "fashioninfluencer", T.Add(500*time.Millisecond), 1)...)
				before := srv.Snapshot().Credits[infludatatest.RouteContent]
				inc, got := sync(wm)
				assert.ElementsMatch(t, late, got, "the late pieces, and nothing yielded before")
				assert.EqualValues(t, 2+1, srv.Snapshot().Credits[infludatatest.RouteContent]-before, "2 new, 1 read again")
				assert.Equal(t, 1, inc.Stats().Reread)
				wm2 := inc.Watermark()
				assert.True(t, wm2.CreatedAtMax.Time.Truncate(time.Second).Equal(T), "still the same second")
				assert.ElementsMatch(t, append([]string{"65abc123def456789"}, late...), wm2.SeenIDs, "every id of the second, not only the last")

				// Once more late at that second, and a new piece a minute on.
				late2 := srv.PublishAt(infludata.Instagram, "fashioninfluencer", T, 1)
				newer := srv.PublishAt(infludata.Instagram, "fashioninfluencer", T.Add(time.Minute), 1)
				before = srv.Snapshot().Credits[infludatatest.RouteContent]
				inc, got = sync(wm2)
				assert.ElementsMatch(t, append(late2, newer...), got)
				assert.EqualValues(t, 2+3, srv.Snapshot().Credits[infludatatest.RouteContent]-before, "2 new, the 3 of the old second read again")
				assert.Equal(t, 3, inc.Stats().Reread)
				wm3 := inc.Watermark()
				assert.True(t, wm3.CreatedAtMax.Time.Equal(T.Add(time.Minute)))
				assert.Equal(t, newer, wm3.SeenIDs, "the new second's ids only")

				// Nothing new: one re-read item, nothing yielded.
				before = srv.Snapshot().Credits[infludatatest.RouteContent]
				_, got = sync(wm3)
				assert.Empty(t, got)
				assert.EqualValues(t, 1, srv.Snapshot().Credits[infludatatest.RouteContent]-before)

				for id, n := range yielded {
					assert.Equal(t, 1, n, "%s yielded once over all syncs", id)
				}
				for _, id := range append(append(late, late2...), newer...) {
					assert.Equal(t, 1, yielded[id], "%s was not missed", id)
				}
			})
		})
	}
}

// A watermark taken from a ContentPage (no SeenIDs) follows influData's
// recipe: the sync asks from created_at_max and drops LastID.
func TestIncrementalSyncFromAPageWatermark(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv, c := fast(t)
		ctx := tctx(t, time.Hour)
		pg, err := c.Content.Get(ctx, infludata.ContentParams{Tags: []string{"fashion"}, Limit: 5})
		require.NoError(t, err)
		require.NotNil(t, pg.Watermark)
		require.Empty(t, pg.Watermark.SeenIDs)
		ids := srv.Publish(infludata.Instagram, "fashioninfluencer", 2)
		got := collect(t, c.Content.ContentAll(ctx, infludata.ContentParams{Tags: []string{"fashion"}, Limit: 5, Since: pg.Watermark}))
		var gotIDs []string
		for _, it := range got {
			gotIDs = append(gotIDs, it.ID)
		}
		assert.ElementsMatch(t, ids, gotIDs)
	})
}
