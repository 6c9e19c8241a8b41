package creatoraudittest_test

import (
	"testing"
	"testing/synctest"
	"time"

	"github.com/creatorkit/creatorkit-go/creatoraudit"
	"github.com/creatorkit/creatorkit-go/creatoraudit/creatoraudittest"
	"github.com/creatorkit/creatorkit-go/internal/fake/universe"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Nothing is reported before it could exist: an account CreatorAudit has
// not scraped yet has no counts and no metric windows; once scraped, its
// figures are the creator universe's as of that scrape; and a window
// reaching back before the account existed has nothing there.
func TestNothingBeforeItCouldExist(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv := creatoraudittest.NewServer(creatoraudittest.WithVirtualTime())
		defer srv.Close()
		c, err := srv.NewClient()
		require.NoError(t, err)
		ctx := t.Context()
		a, err := c.Accounts.Create(ctx, creatoraudit.CreateAccountParams{Platform: creatoraudit.Instagram, Username: "natgeo"})
		require.NoError(t, err)
		assert.False(t, a.Scraped())
		assert.Nil(t, a.FollowerCount)

		m, err := c.Accounts.Metrics(ctx, creatoraudit.MetricsParams{IDs: []string{a.ID}, Period: creatoraudit.Period30d})
		require.NoError(t, err)
		require.Contains(t, m.ByID, a.ID)
		assert.Nil(t, m.ByID[a.ID].Views, "no 30-day views before the first scrape")
		assert.Nil(t, m.ByID[a.ID].EngagementRate)
		an, err := c.Accounts.Analytics(ctx, a.ID, creatoraudit.AnalyticsParams{Period: creatoraudit.Period30d})
		require.NoError(t, err)
		assert.Nil(t, an.Metrics.Views)
		assert.Empty(t, an.Series)

		a, err = c.Accounts.GetAndWait(ctx, a.ID, srv.PollOptions()...)
		require.NoError(t, err)
		u := universe.Get(universe.Instagram, "natgeo")
		assert.Equal(t, u.Followers(universe.Epoch), *a.FollowerCount, "the universe's natgeo, as of the first scrape")
		m, err = c.Accounts.Metrics(ctx, creatoraudit.MetricsParams{IDs: []string{a.ID}, Period: creatoraudit.Period30d})
		require.NoError(t, err)
		require.NotNil(t, m.ByID[a.ID].Views)
		assert.Positive(t, *m.ByID[a.ID].Views)

		// The bubble's fake started at the universe's epoch: its dates are
		// the universe's.
		from := u.Created.AddDate(0, 0, -10)
		an, err = c.Accounts.Analytics(ctx, a.ID, creatoraudit.AnalyticsParams{Period: creatoraudit.PeriodCustom,
			StartDate: from.Format(time.DateOnly), EndDate: from.AddDate(0, 0, 19).Format(time.DateOnly)})
		require.NoError(t, err)
		require.Len(t, an.Series, 20)
		for i, p := range an.Series {
			require.NotNil(t, p.Views, p.Date)
			if i < 10 {
				assert.Zero(t, *p.Views, "%s: before natgeo's account existed", p.Date)
			} else {
				assert.Positive(t, *p.Views, p.Date)
			}
		}
	})
}
