package creatoraudit_test

import (
	"errors"
	"fmt"
	"iter"
	"net/http"
	"testing"

	"github.com/creatorkit/creatorkit-go/creatoraudit"
	"github.com/creatorkit/creatorkit-go/internal/check"
	"github.com/creatorkit/creatorkit-go/internal/vendortest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// firstErr returns the first error an iterator yields.
func firstErr[T any](seq iter.Seq2[T, error]) error {
	for _, err := range seq {
		if err != nil {
			return err
		}
	}
	return nil
}

const goodUUID = "3f6c2a9e-1b7d-4c52-9a0e-6d1f2b8c4e71"

// Every public method that takes an id, handle, key or other identifier
// refuses every value of the identifier policy's tables with
// ErrInvalidParams before anything is sent: values that become a path
// segment (ids in paths, and handles, which name profile URLs) against
// check.BadPathParams, values sent in a query, a body or a header against
// check.BadIDs ("" left out where it means "not set").
func TestEveryIdentifierIsCheckedBeforeSending(t *testing.T) {
	t.Parallel()
	rt := &vendortest.RefuseAll{T: t}
	c, err := creatoraudit.NewClient(creatoraudit.WithAPIKey(testKey), creatoraudit.WithBaseURL(base),
		creatoraudit.WithHTTPClient(&http.Client{Transport: rt}), creatoraudit.WithMaxRetries(0))
	require.NoError(t, err)
	period := creatoraudit.AnalyticsParams{Period: creatoraudit.Period7d}

	type call func(v string) error
	path := map[string]call{
		"Accounts.Get": func(v string) error { _, err := c.Accounts.Get(ctx, v); return err },
		"Accounts.Update": func(v string) error {
			_, err := c.Accounts.Update(ctx, v, creatoraudit.UpdateAccountParams{IsActive: creatoraudit.Bool(true)})
			return err
		},
		"Accounts.Delete": func(v string) error { _, err := c.Accounts.Delete(ctx, v); return err },
		"Accounts.Analytics": func(v string) error {
			_, err := c.Accounts.Analytics(ctx, v, period)
			return err
		},
		"Accounts.Timeseries": func(v string) error {
			_, err := c.Accounts.Timeseries(ctx, v, period)
			return err
		},
		"Accounts.GetAndWait": func(v string) error { _, err := c.Accounts.GetAndWait(ctx, v); return err },
		"Accounts.Create username (instagram)": func(v string) error {
			_, err := c.Accounts.Create(ctx, creatoraudit.CreateAccountParams{Platform: creatoraudit.Instagram, Username: v})
			return err
		},
		"Accounts.Create username (tiktok)": func(v string) error {
			_, err := c.Accounts.Create(ctx, creatoraudit.CreateAccountParams{Platform: creatoraudit.TikTok, Username: v})
			return err
		},
		"Accounts.Create username (@ prefixed)": func(v string) error {
			_, err := c.Accounts.Create(ctx, creatoraudit.CreateAccountParams{Platform: creatoraudit.TikTok, Username: "@" + v})
			return err
		},
		"Videos.Get": func(v string) error { _, err := c.Videos.Get(ctx, v); return err },
		"Videos.Update": func(v string) error {
			_, err := c.Videos.Update(ctx, v, creatoraudit.UpdateVideoParams{IsActive: creatoraudit.Bool(true)})
			return err
		},
		"Videos.Delete": func(v string) error { _, err := c.Videos.Delete(ctx, v); return err },
		"Videos.Analytics": func(v string) error {
			_, err := c.Videos.Analytics(ctx, v, period)
			return err
		},
		"Videos.Timeseries": func(v string) error {
			_, err := c.Videos.Timeseries(ctx, v, period)
			return err
		},
		"Videos.GetAndWait": func(v string) error { _, err := c.Videos.GetAndWait(ctx, v); return err },
		"AccountVideos.Get": func(v string) error { _, err := c.AccountVideos.Get(ctx, v); return err },
		"AccountVideos.Analytics": func(v string) error {
			_, err := c.AccountVideos.Analytics(ctx, v, period)
			return err
		},
		"AccountVideos.Timeseries": func(v string) error {
			_, err := c.AccountVideos.Timeseries(ctx, v, period)
			return err
		},
		"Creators.Get": func(v string) error { _, err := c.Creators.Get(ctx, v); return err },
		"Creators.Update": func(v string) error {
			_, err := c.Creators.Update(ctx, v, creatoraudit.UpdateCreatorParams{IsActive: creatoraudit.Bool(true)})
			return err
		},
		"Creators.Delete": func(v string) error { _, err := c.Creators.Delete(ctx, v); return err },
		"Creators.Analytics": func(v string) error {
			_, err := c.Creators.Analytics(ctx, v, period)
			return err
		},
		"Creators.Timeseries": func(v string) error {
			_, err := c.Creators.Timeseries(ctx, v, period)
			return err
		},
		"Creators.AccountsAll": func(v string) error {
			return firstErr(c.Creators.AccountsAll(ctx, v, creatoraudit.ListAccountsParams{}))
		},
		"Creators.Accounts": func(v string) error {
			_, err := c.Creators.Accounts(ctx, v, creatoraudit.ListAccountsParams{})
			return err
		},
		"Creators.LinkAccount creator_id":   func(v string) error { _, err := c.Creators.LinkAccount(ctx, v, goodUUID); return err },
		"Creators.LinkAccount account_id":   func(v string) error { _, err := c.Creators.LinkAccount(ctx, goodUUID, v); return err },
		"Creators.UnlinkAccount creator_id": func(v string) error { _, err := c.Creators.UnlinkAccount(ctx, v, goodUUID); return err },
		"Creators.UnlinkAccount account_id": func(v string) error { _, err := c.Creators.UnlinkAccount(ctx, goodUUID, v); return err },
	}
	// Values that go into a query, a body or a header. optional marks the
	// fields where "" means "not set" and is therefore fine.
	type valueCall struct {
		call     call
		optional bool
	}
	values := map[string]valueCall{
		"Accounts.List creator_id": {func(v string) error {
			_, err := c.Accounts.List(ctx, creatoraudit.ListAccountsParams{CreatorID: v})
			return err
		}, true},
		"Accounts.ListAll creator_id": {func(v string) error {
			return firstErr(c.Accounts.ListAll(ctx, creatoraudit.ListAccountsParams{CreatorID: v}))
		}, true},
		"Accounts.List cursor": {func(v string) error {
			_, err := c.Accounts.List(ctx, creatoraudit.ListAccountsParams{Cursor: v})
			return err
		}, true},
		"Accounts.ListAll cursor": {func(v string) error {
			return firstErr(c.Accounts.ListAll(ctx, creatoraudit.ListAccountsParams{Cursor: v}))
		}, true},
		"Accounts.List order_by": {func(v string) error {
			_, err := c.Accounts.List(ctx, creatoraudit.ListAccountsParams{OrderBy: v})
			return err
		}, true},
		"Accounts.List sort": {func(v string) error {
			_, err := c.Accounts.List(ctx, creatoraudit.ListAccountsParams{Sort: v})
			return err
		}, true},
		"Accounts.Create creator_id": {func(v string) error {
			_, err := c.Accounts.Create(ctx, creatoraudit.CreateAccountParams{Platform: creatoraudit.Instagram, Username: "natgeo", CreatorID: &v})
			return err
		}, false},
		"Accounts.Create idempotency key": {func(v string) error {
			_, err := c.Accounts.Create(ctx, creatoraudit.CreateAccountParams{Platform: creatoraudit.Instagram, Username: "natgeo", IdempotencyKey: v})
			return err
		}, true},
		"Accounts.Update creator_id": {func(v string) error {
			_, err := c.Accounts.Update(ctx, goodUUID, creatoraudit.UpdateAccountParams{CreatorID: &v})
			return err
		}, false},
		"Accounts.Metrics ids": {func(v string) error {
			_, err := c.Accounts.Metrics(ctx, creatoraudit.MetricsParams{IDs: []string{goodUUID, v}})
			return err
		}, false},
		"Accounts.Get If-None-Match": {func(v string) error {
			_, err := c.Accounts.Get(ctx, goodUUID, creatoraudit.IfNoneMatch(v))
			return err
		}, true},
		"Videos.List account_id": {func(v string) error {
			_, err := c.Videos.List(ctx, creatoraudit.ListVideosParams{AccountID: v})
			return err
		}, true},
		"Videos.ListAll account_id": {func(v string) error {
			return firstErr(c.Videos.ListAll(ctx, creatoraudit.ListVideosParams{AccountID: v}))
		}, true},
		"Videos.ListAll cursor": {func(v string) error {
			return firstErr(c.Videos.ListAll(ctx, creatoraudit.ListVideosParams{Cursor: v}))
		}, true},
		"Videos.Create identifier": {func(v string) error {
			_, err := c.Videos.Create(ctx, creatoraudit.CreateVideoParams{Platform: creatoraudit.Instagram, Identifier: v})
			return err
		}, false},
		"Videos.Create idempotency key": {func(v string) error {
			_, err := c.Videos.Create(ctx, creatoraudit.CreateVideoParams{Platform: creatoraudit.Instagram, Identifier: "C7xYz12AbCd", IdempotencyKey: v})
			return err
		}, true},
		"Videos.Metrics ids": {func(v string) error {
			_, err := c.Videos.Metrics(ctx, creatoraudit.MetricsParams{IDs: []string{v}})
			return err
		}, false},
		"Videos.Deltas ids": {func(v string) error {
			_, err := c.Videos.Deltas(ctx, creatoraudit.DeltasParams{VideoIDs: []string{v}, Windows: []int{7}})
			return err
		}, false},
		"AccountVideos.List account_id": {func(v string) error {
			_, err := c.AccountVideos.List(ctx, creatoraudit.ListVideosParams{AccountID: v})
			return err
		}, true},
		"AccountVideos.ListAll account_id": {func(v string) error {
			return firstErr(c.AccountVideos.ListAll(ctx, creatoraudit.ListVideosParams{AccountID: v}))
		}, true},
		"AccountVideos.List cursor": {func(v string) error {
			_, err := c.AccountVideos.List(ctx, creatoraudit.ListVideosParams{Cursor: v})
			return err
		}, true},
		"Creators.List cursor": {func(v string) error {
			_, err := c.Creators.List(ctx, creatoraudit.ListCreatorsParams{Cursor: v})
			return err
		}, true},
		"Creators.ListAll cursor": {func(v string) error {
			return firstErr(c.Creators.ListAll(ctx, creatoraudit.ListCreatorsParams{Cursor: v}))
		}, true},
		"Creators.AccountsAll cursor": {func(v string) error {
			return firstErr(c.Creators.AccountsAll(ctx, goodUUID, creatoraudit.ListAccountsParams{Cursor: v}))
		}, true},
		"Creators.Accounts cursor": {func(v string) error {
			_, err := c.Creators.Accounts(ctx, goodUUID, creatoraudit.ListAccountsParams{Cursor: v})
			return err
		}, true},
		"Creators.Create idempotency key": {func(v string) error {
			_, err := c.Creators.Create(ctx, creatoraudit.CreateCreatorParams{Name: "Ada", IdempotencyKey: v})
			return err
		}, true},
		"Creators.Top metric": {func(v string) error {
			_, err := c.Creators.Top(ctx, creatoraudit.TopCreatorsParams{Metric: v})
			return err
		}, true},
	}

	pairs := 0
	refused := func(name, v string, err error) {
		t.Helper()
		pairs++
		if !errors.Is(err, creatoraudit.ErrInvalidParams) {
			t.Errorf("%s(%q): want ErrInvalidParams, got %v", name, v, err)
			return
		}
		var e *creatoraudit.Error
		if assert.True(t, errors.As(err, &e), name) {
			assert.Zero(t, e.StatusCode, "%s(%q): refused before sending", name, v)
			assert.NotEmpty(t, e.Field, "%s(%q) names the field", name, v)
		}
	}
	for name, f := range path {
		for _, v := range check.BadPathParams() {
			refused(name, v, f(v))
		}
	}
	for name, vc := range values {
		for _, v := range check.BadIDs() {
			if v == "" && vc.optional {
				continue
			}
			refused(name, v, vc.call(v))
		}
	}
	assert.Zero(t, rt.Sent(), "no request was sent")
	t.Logf("%d (method, bad value) pairs refused before sending: %d path/handle calls x %d BadPathParams, %d query/body/header values x %d BadIDs (\"\" skipped where it means unset); %d requests sent",
		pairs, len(path), len(check.BadPathParams()), len(values), len(check.BadIDs()), rt.Sent())

	// The documented shapes on top of the policy.
	shapes := map[string]error{
		"not a UUID in a path": func() error { _, err := c.Accounts.Get(ctx, "natgeo"); return err }(),
		"not a UUID in a body": func() error {
			_, err := c.Videos.Metrics(ctx, creatoraudit.MetricsParams{IDs: []string{"12345"}})
			return err
		}(),
		"account video id neither UUID nor digits": func() error { _, err := c.AccountVideos.Get(ctx, "48213a"); return err }(),
		"instagram handle with a dash": func() error {
			_, err := c.Accounts.Create(ctx, creatoraudit.CreateAccountParams{Platform: creatoraudit.Instagram, Username: "nat-geo"})
			return err
		}(),
		"instagram handle of 31 characters": func() error {
			_, err := c.Accounts.Create(ctx, creatoraudit.CreateAccountParams{Platform: creatoraudit.Instagram, Username: fmt.Sprintf("%031d", 7)})
			return err
		}(),
		"tiktok handle of periods": func() error {
			_, err := c.Accounts.Create(ctx, creatoraudit.CreateAccountParams{Platform: creatoraudit.TikTok, Username: "..."})
			return err
		}(),
		"tiktok handle with a space": func() error {
			_, err := c.Accounts.Create(ctx, creatoraudit.CreateAccountParams{Platform: creatoraudit.TikTok, Username: "nat geo"})
			return err
		}(),
	}
	for name, err := range shapes {
		assert.ErrorIs(t, err, creatoraudit.ErrInvalidParams, name)
	}
	assert.Zero(t, rt.Sent())
}
