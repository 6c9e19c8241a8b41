package engagecheck_test

import (
	"context"
	"errors"
	"math"
	"net/http"
	"strings"
	"testing"

	"github.com/creatorkit/creatorkit-go/engagecheck"
	"github.com/creatorkit/creatorkit-go/internal/check"
	"github.com/creatorkit/creatorkit-go/internal/vendortest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// extraBadHandles are handles that only normalization can expose: profile
// URLs naming "." or "..", escaped or not, and handles of periods only.
var extraBadHandles = []string{
	"instagram.com/%2e%2e", "https://www.instagram.com/../", "https://instagram.com/./", "@..", "@.", "...",
	"https://www.instagram.com/natgeo/\u202e", "nat\u200bgeo", "@nat geo",
}

// Every public method that takes a handle, a key or an id refuses each bad
// value with ErrInvalidParams and sends nothing.
func TestBadIdentifiersAreRefusedBeforeSending(t *testing.T) {
	rt := &vendortest.RefuseAll{T: t}
	c, err := engagecheck.NewClient(engagecheck.WithAPIKey(testKey), engagecheck.WithBaseURL(base),
		engagecheck.WithHTTPClient(&http.Client{Transport: rt}))
	require.NoError(t, err)
	ctx := context.Background()

	type call struct {
		name string
		run  func(v string) error
		// skip names the values the method documents as valid for a
		// reason other than the identifier policy, with the reason.
		skip map[string]string
	}
	// NormalizeUsername trims surrounding spaces (the documented
	// normalization): " padded " names the handle "padded".
	trimmed := map[string]string{" padded ": "surrounding spaces are trimmed by the documented normalization"}
	blanks := map[string]string{"": "a blank handle is documented as dropped", " ": "blank", "\t": "blank", " padded ": trimmed[" padded "]}
	handleCalls := []call{
		{name: "Audits.Create(Username)", skip: trimmed, run: func(v string) error {
			_, err := c.Audits.Create(ctx, engagecheck.CreateAuditParams{Username: v})
			return err
		}},
		{name: "Audits.CreateBatch(Usernames)", skip: trimmed, run: func(v string) error {
			_, err := c.Audits.CreateBatch(ctx, engagecheck.CreateBatchParams{Usernames: []string{v}})
			return err
		}},
		{name: "Audits.CreateBatch(Usernames, beside a good one)", skip: blanks, run: func(v string) error {
			_, err := c.Audits.CreateBatch(ctx, engagecheck.CreateBatchParams{Usernames: []string{"natgeo", v}})
			return err
		}},
		{name: "Audits.CreateAndWait", skip: trimmed, run: func(v string) error {
			_, err := c.Audits.CreateAndWait(ctx, engagecheck.CreateAuditParams{Username: v})
			return err
		}},
		{name: "Audits.CreateAndWaitAll", skip: blanks, run: func(v string) error {
			var errs []error
			for ans, err := range c.Audits.CreateAndWaitAll(ctx, []string{v}) {
				a := ans.Value
				require.NotNil(t, a)
				errs = append(errs, err)
			}
			if len(errs) != 1 {
				return errors.New("CreateAndWaitAll did not yield the handle exactly once")
			}
			return errs[0]
		}},
		{name: "NormalizeUsername", skip: blanks, run: func(v string) error {
			_, err := engagecheck.NormalizeUsername(v)
			return err
		}},
	}
	// An empty key means "none" (idempotency) or "missing" (API key: the
	// missing-key error, ErrInvalidParams too).
	keyCalls := []call{
		{name: "CreateAuditParams.IdempotencyKey", skip: map[string]string{"": "no idempotency key"}, run: func(v string) error {
			_, err := c.Audits.Create(ctx, engagecheck.CreateAuditParams{Username: "natgeo", IdempotencyKey: v})
			return err
		}},
		{name: "CreateBatchParams.IdempotencyKey", skip: map[string]string{"": "no idempotency key"}, run: func(v string) error {
			_, err := c.Audits.CreateBatch(ctx, engagecheck.CreateBatchParams{Usernames: []string{"natgeo"}, IdempotencyKey: v})
			return err
		}},
		{name: "WithAPIKey", skip: trimmed, run: func(v string) error {
			t.Setenv("ENGAGECHECK_API_KEY", "")
			_, err := engagecheck.NewClient(engagecheck.WithAPIKey(v), engagecheck.WithHTTPClient(&http.Client{Transport: rt}))
			return err
		}},
		{name: "WithAPIKeyHeader", skip: trimmed, run: func(v string) error {
			t.Setenv("ENGAGECHECK_API_KEY", "")
			_, err := engagecheck.NewClient(engagecheck.WithAPIKeyHeader(v), engagecheck.WithHTTPClient(&http.Client{Transport: rt}))
			return err
		}},
		{name: "$ENGAGECHECK_API_KEY", skip: map[string]string{"": "unset", " ": "unset", "\t": "unset", " padded ": trimmed[" padded "], "a\x00b": "an environment variable cannot hold NUL"}, run: func(v string) error {
			t.Setenv("ENGAGECHECK_API_KEY", v)
			_, err := engagecheck.NewClient(engagecheck.WithHTTPClient(&http.Client{Transport: rt}))
			return err
		}},
	}
	pairs, skipped := 0, 0
	try := func(cl call, v string) {
		if why, ok := cl.skip[v]; ok {
			require.NotEmpty(t, why)
			skipped++
			return
		}
		pairs++
		err := cl.run(v)
		require.Error(t, err, "%s(%q)", cl.name, v)
		assert.ErrorIs(t, err, engagecheck.ErrInvalidParams, "%s(%q)", cl.name, v)
		if strings.Contains(cl.name, "APIKey") || strings.Contains(cl.name, "API_KEY") {
			if len(strings.TrimSpace(v)) >= 4 {
				assert.NotContains(t, err.Error(), strings.TrimSpace(v), "a refused key is never repeated")
			}
		}
	}
	for _, cl := range handleCalls {
		for _, v := range append(check.BadPathParams(), extraBadHandles...) {
			try(cl, v)
		}
	}
	for _, cl := range keyCalls {
		for _, v := range check.BadIDs() {
			try(cl, v)
		}
	}
	for _, id := range []int64{0, -1, math.MinInt64} {
		for _, cl := range []call{
			{name: "Audits.Get", run: func(string) error { _, err := c.Audits.Get(ctx, id); return err }},
			{name: "Audits.GetAndWait", run: func(string) error { _, err := c.Audits.GetAndWait(ctx, id); return err }},
		} {
			try(cl, "")
		}
	}
	assert.Zero(t, rt.Sent(), "nothing was sent")
	t.Logf("%d (method, bad value) pairs refused with ErrInvalidParams and 0 requests; %d pairs left out as documented valid input", pairs, skipped)
}

// The handles normalization used to let through are refused now, and the
// good forms still normalize.
func TestNormalizeUsernameAppliesTheInstagramShape(t *testing.T) {
	t.Parallel()
	for _, in := range []string{".", "..", "...", "@..", "instagram.com/%2e%2e", "https://www.instagram.com/../"} {
		_, err := engagecheck.NormalizeUsername(in)
		assert.ErrorIs(t, err, engagecheck.ErrInvalidParams, in)
	}
	for in, want := range map[string]string{"nat.geo": "nat.geo", "_": "_", ".natgeo.": ".natgeo.", "@NatGeo": "natgeo"} {
		got, err := engagecheck.NormalizeUsername(in)
		require.NoError(t, err, in)
		assert.Equal(t, want, got)
	}
}
