package creatoraudit_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/creatorkit/creatorkit-go/creatoraudit"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Bad input fails with ErrInvalidParams before anything is sent: the mock
// transport has no responders, and it must see zero calls.
func TestBadInputIsRefusedBeforeSending(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	many := func(n int) []int {
		out := make([]int, n)
		for i := range out {
			out[i] = i + 1
		}
		return out
	}
	longMeta := creatoraudit.Metadata{}
	for i := 0; i < 21; i++ {
		longMeta[strings.Repeat("k", i+1)] = "v"
	}
	cases := map[string]func() error{
		"unknown platform on create": func() error {
			_, err := c.Accounts.Create(ctx, creatoraudit.CreateAccountParams{Platform: "youtube", Username: "x"})
			return err
		},
		"missing platform": func() error {
			_, err := c.Accounts.Create(ctx, creatoraudit.CreateAccountParams{Username: "x"})
			return err
		},
		"blank username": func() error {
			_, err := c.Accounts.Create(ctx, creatoraudit.CreateAccountParams{Platform: creatoraudit.TikTok, Username: " @ "})
			return err
		},
		"bad idempotency key": func() error {
			_, err := c.Accounts.Create(ctx, creatoraudit.CreateAccountParams{Platform: creatoraudit.TikTok, Username: "x", IdempotencyKey: "has space"})
			return err
		},
		"unknown platform filter": func() error {
			_, err := c.Accounts.List(ctx, creatoraudit.ListAccountsParams{Platform: "facebook"})
			return err
		},
		"limit 0 is default but 201 is out of range": func() error {
			_, err := c.Accounts.List(ctx, creatoraudit.ListAccountsParams{Limit: 201})
			return err
		},
		"negative limit": func() error {
			_, err := c.Videos.List(ctx, creatoraudit.ListVideosParams{Limit: -1})
			return err
		},
		"search limit over 25": func() error {
			_, err := c.Search.Query(ctx, creatoraudit.SearchParams{Q: "x", Limit: 26})
			return err
		},
		"search query over 128": func() error {
			_, err := c.Search.Query(ctx, creatoraudit.SearchParams{Q: strings.Repeat("q", 129)})
			return err
		},
		"top limit over 25": func() error {
			_, err := c.Creators.Top(ctx, creatoraudit.TopCreatorsParams{Limit: 26})
			return err
		},
		"top with custom period": func() error {
			_, err := c.Creators.Top(ctx, creatoraudit.TopCreatorsParams{Period: creatoraudit.PeriodCustom})
			return err
		},
		"order direction": func() error {
			_, err := c.Accounts.List(ctx, creatoraudit.ListAccountsParams{OrderDirection: "up"})
			return err
		},
		"creators order_by other than name": func() error {
			_, err := c.Creators.List(ctx, creatoraudit.ListCreatorsParams{OrderBy: "followers"})
			return err
		},
		"video order_by outside the enum": func() error {
			_, err := c.Videos.List(ctx, creatoraudit.ListVideosParams{OrderBy: "comment_count"})
			return err
		},
		"account videos cannot order by added_at": func() error {
			_, err := c.AccountVideos.List(ctx, creatoraudit.ListVideosParams{OrderBy: "added_at"})
			return err
		},
		"more than 10 delta windows": func() error {
			_, err := c.Videos.Deltas(ctx, creatoraudit.DeltasParams{VideoIDs: []string{"v"}, Windows: many(11)})
			return err
		},
		"delta window over 365": func() error {
			_, err := c.Videos.Deltas(ctx, creatoraudit.DeltasParams{VideoIDs: []string{"v"}, Windows: []int{366}})
			return err
		},
		"no delta windows": func() error {
			_, err := c.Videos.Deltas(ctx, creatoraudit.DeltasParams{VideoIDs: []string{"v"}})
			return err
		},
		"empty id list": func() error {
			_, err := c.Accounts.Metrics(ctx, creatoraudit.MetricsParams{})
			return err
		},
		"blank id in list": func() error {
			_, err := c.Videos.Metrics(ctx, creatoraudit.MetricsParams{IDs: []string{"a", " "}})
			return err
		},
		"empty account-video id lists": func() error {
			_, err := c.AccountVideos.Metrics(ctx, creatoraudit.AccountVideoMetricsParams{})
			return err
		},
		"non-positive internal id": func() error {
			_, err := c.AccountVideos.Metrics(ctx, creatoraudit.AccountVideoMetricsParams{TiktokVideoIDs: []int64{0}})
			return err
		},
		"custom period without dates": func() error {
			_, err := c.Accounts.Metrics(ctx, creatoraudit.MetricsParams{IDs: []string{"a"}, Period: creatoraudit.PeriodCustom})
			return err
		},
		"custom period with one date": func() error {
			_, err := c.Accounts.Analytics(ctx, "a", creatoraudit.AnalyticsParams{Period: creatoraudit.PeriodCustom, StartDate: "2026-01-01"})
			return err
		},
		"start after end": func() error {
			_, err := c.Creators.Analytics(ctx, "c", creatoraudit.AnalyticsParams{StartDate: "2026-02-01", EndDate: "2026-01-01"})
			return err
		},
		"date not YYYY-MM-DD": func() error {
			_, err := c.Accounts.Timeseries(ctx, "a", creatoraudit.AnalyticsParams{Period: creatoraudit.PeriodCustom, StartDate: "01/02/2026", EndDate: "2026-02-01"})
			return err
		},
		"dates with a fixed period": func() error {
			_, err := c.Videos.Analytics(ctx, "v", creatoraudit.AnalyticsParams{Period: creatoraudit.Period7d, StartDate: "2026-01-01", EndDate: "2026-01-07"})
			return err
		},
		"unknown period": func() error {
			_, err := c.Overview.Get(ctx, creatoraudit.OverviewParams{Period: "1y"})
			return err
		},
		"blank id": func() error {
			_, err := c.Accounts.Get(ctx, "  ")
			return err
		},
		"id that climbs the path": func() error {
			_, err := c.Videos.Get(ctx, "../accounts")
			return err
		},
		"empty update": func() error {
			_, err := c.Accounts.Update(ctx, "a", creatoraudit.UpdateAccountParams{})
			return err
		},
		"empty video update": func() error {
			_, err := c.Videos.Update(ctx, "v", creatoraudit.UpdateVideoParams{})
			return err
		},
		"creator name too long": func() error {
			_, err := c.Creators.Create(ctx, creatoraudit.CreateCreatorParams{Name: strings.Repeat("n", 256)})
			return err
		},
		"creator without name": func() error {
			_, err := c.Creators.Create(ctx, creatoraudit.CreateCreatorParams{})
			return err
		},
		"metadata over 20 keys": func() error {
			_, err := c.Creators.Create(ctx, creatoraudit.CreateCreatorParams{Name: "n", Metadata: longMeta})
			return err
		},
		"metadata value over 255": func() error {
			_, err := c.Creators.Update(ctx, "c", creatoraudit.UpdateCreatorParams{Metadata: creatoraudit.Metadata{"k": strings.Repeat("v", 256)}})
			return err
		},
		"link without account": func() error {
			_, err := c.Creators.LinkAccount(ctx, "c", "")
			return err
		},
		"video without identifier": func() error {
			_, err := c.Videos.Create(ctx, creatoraudit.CreateVideoParams{Platform: creatoraudit.Instagram})
			return err
		},
		"bad poll interval": func() error {
			_, err := c.Accounts.GetAndWait(ctx, "a", creatoraudit.WithPollInterval(0, 0))
			return err
		},
	}
	for name, call := range cases {
		t.Run(name, func(t *testing.T) {
			err := call()
			require.ErrorIs(t, err, creatoraudit.ErrInvalidParams)
			var e *creatoraudit.Error
			require.True(t, errors.As(err, &e))
			assert.Equal(t, 0, e.StatusCode)
			assert.NotEmpty(t, e.Field)
		})
	}
	assert.Equal(t, 0, mt.GetTotalCallCount(), "nothing was sent")

	// ListAll yields bad params as its only error.
	n := 0
	for _, err := range c.Accounts.ListAll(ctx, creatoraudit.ListAccountsParams{Platform: "myspace"}) {
		require.ErrorIs(t, err, creatoraudit.ErrInvalidParams)
		n++
	}
	assert.Equal(t, 1, n)
	assert.Equal(t, 0, mt.GetTotalCallCount())
}
