package firstparty_test

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"testing/synctest"
	"time"

	"github.com/creatorkit/creatorkit-go/firstparty"
	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestGetInsightsRequest(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	mt.RegisterResponder("GET", insightBase+"/insights/creators/4d94b100-750c-4d24-8380-861aaaa2c3a4", expect(t, "GET", "", "", 200, load(t, "insights_instagram.json")))
	in, err := c.Insights.Get(ctx, firstparty.GetInsightsParams{CreatorID: "4d94b100-750c-4d24-8380-861aaaa2c3a4"})
	require.NoError(t, err)
	assert.True(t, in.Ready())
	assert.Equal(t, "a_poetic_storyteller", in.ProfileOverview.Handle)
	assert.JSONEq(t, string(load(t, "insights_instagram.json")), string(in.Raw))

	mt.RegisterResponder("GET", insightBase+"/insights/creators/c2", expect(t, "GET", "key=8f1e2d", "", 200, load(t, "insights_instagram.json")))
	_, err = c.Insights.Get(ctx, firstparty.GetInsightsParams{CreatorID: "c2", Key: "8f1e2d"})
	require.NoError(t, err)
}

func TestGetInsightsNotReadyAndFailed(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	mt.RegisterResponder("GET", insightBase+"/insights/creators/c1", respond(202, []byte(`{"creator_id":"c1","status":"processing"}`)))
	in, err := c.Insights.Get(ctx, firstparty.GetInsightsParams{CreatorID: "c1"})
	require.NoError(t, err)
	assert.False(t, in.Ready())
	assert.False(t, in.Failed())
	assert.Equal(t, firstparty.InsightsProcessing, in.Status)
	assert.Equal(t, 202, in.Response.StatusCode)

	mt.RegisterResponder("GET", insightBase+"/insights/creators/c1", respond(200, []byte(`{"creator_id":"c1","status":"failed","status_reason":"Private Account"}`)))
	in, err = c.Insights.Get(ctx, firstparty.GetInsightsParams{CreatorID: "c1"})
	require.ErrorIs(t, err, firstparty.ErrInsightsFailed)
	var ie *firstparty.ItemError
	require.True(t, errors.As(err, &ie))
	assert.Equal(t, firstparty.ItemError{Vendor: "firstparty", Input: "c1", Item: "instagram/id:c1", State: "failed", Reason: firstparty.ReasonPrivateAccount, Err: firstparty.ErrInsightsFailed}, *ie)
	assert.Equal(t, "firstparty: instagram/id:c1: Private Account: creator insights failed", err.Error())
	require.NotNil(t, in)
	assert.True(t, in.Failed())

	// A failure without a status_reason still says why: Reason is never
	// empty.
	for _, body := range []string{`{"status":"failed"}`, `{"status":"FAILED","status_reason":"  "}`} {
		mt.RegisterResponder("GET", insightBase+"/insights/creators/c2", respond(200, []byte(body)))
		in, err = c.Insights.Get(ctx, firstparty.GetInsightsParams{CreatorID: "c2"})
		require.True(t, errors.As(err, &ie), body)
		assert.ErrorIs(t, err, firstparty.ErrInsightsFailed)
		assert.Equal(t, "insights failed (Ylytic gave no status_reason)", ie.Reason, body)
		assert.Equal(t, string(in.Status), ie.State, body)
		assert.Equal(t, "instagram/id:c2", ie.Item)
	}
}

func TestGetAndWaitPollsUntilReadyAndHonoursRetryAfter(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		c, mt := newMockClient(t)
		calls := 0
		mt.RegisterResponder("GET", insightBase+"/insights/creators/c1", func(r *http.Request) (*http.Response, error) {
			calls++
			if calls < 3 {
				resp := httpmock.NewStringResponse(202, `{"creator_id":"c1","status":"processing"}`)
				resp.Header.Set("Retry-After", "0.001")
				return resp, nil
			}
			return respond(200, load(t, "insights_instagram.json"))(r)
		})
		// The poll interval is an hour: only the server's Retry-After can make
		// this finish within a second.
		start := time.Now()
		in, err := c.Insights.GetAndWait(testCtx(t), firstparty.GetInsightsParams{CreatorID: "c1"}, firstparty.WithPollInterval(time.Hour, time.Hour))
		require.NoError(t, err)
		assert.True(t, in.Ready())
		assert.Equal(t, 3, calls)
		assert.Less(t, time.Since(start), time.Second)
	})
}

func TestGetAndWaitStopsOnFailureAndOnTheBudget(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		c, mt := newMockClient(t)
		mt.RegisterResponder("GET", insightBase+"/insights/creators/bad", respond(200, []byte(`{"status":"failed","status_reason":"Invalid Handle"}`)))
		in, err := c.Insights.GetAndWait(ctx, firstparty.GetInsightsParams{CreatorID: "bad"}, firstparty.WithPollInterval(time.Millisecond, time.Millisecond))
		require.ErrorIs(t, err, firstparty.ErrInsightsFailed)
		assert.True(t, in.Failed())
		assert.Equal(t, 1, mt.GetTotalCallCount())

		// The budget ends after the third check (the caller cancels): the
		// creator's *ItemError, with the last state, wraps the timeout.
		cx, cancel := context.WithCancel(ctx)
		defer cancel()
		checks := 0
		mt.RegisterResponder("GET", insightBase+"/insights/creators/slow", func(r *http.Request) (*http.Response, error) {
			if checks++; checks == 3 {
				cancel()
			}
			return respond(202, []byte(`{"status":"processing"}`))(r)
		})
		in, err = c.Insights.GetAndWait(cx, firstparty.GetInsightsParams{CreatorID: "slow"}, firstparty.WithPollInterval(time.Millisecond, 2*time.Millisecond))
		var te *firstparty.TimeoutError
		require.True(t, errors.As(err, &te), "%v", err)
		require.ErrorIs(t, err, context.Canceled)
		assert.Equal(t, 3, te.Checks)
		assert.Contains(t, te.Last, "processing (HTTP 202)")
		require.NotNil(t, in, "the last body seen comes with the timeout")
		assert.False(t, in.Ready())
		var ie *firstparty.ItemError
		require.ErrorAs(t, err, &ie)
		assert.Equal(t, firstparty.ItemError{Vendor: "firstparty", Input: "slow", Item: "instagram/id:slow", State: "processing",
			Reason: "the wait ended before the insights were ready", Err: te}, *ie)
		assert.Regexp(t, `^firstparty: instagram/id:slow: the wait ended before the insights were ready: firstparty: Insights.GetAndWait: gave up after 3 checks in \dms; last state: processing \(HTTP 202\): context canceled$`, err.Error())

		// A deadline: errors.Is sees context.DeadlineExceeded through both.
		dl, cancel2 := context.WithTimeout(ctx, time.Minute)
		defer cancel2()
		_, err = c.Insights.GetAndWait(dl, firstparty.GetInsightsParams{CreatorID: "slow"})
		require.ErrorAs(t, err, &ie)
		require.ErrorAs(t, err, &te)
		assert.ErrorIs(t, err, context.DeadlineExceeded)
		assert.Equal(t, "processing", ie.State)
	})
}

// WithPollInterval(first, 0) keeps the default ceiling; a first interval
// that is not positive, or a ceiling below it, is refused before anything
// is sent.
func TestWithPollInterval(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		c, mt := newMockClient(t)
		mt.RegisterResponder("GET", insightBase+"/insights/creators/c1", respond(200, load(t, "insights_instagram.json")))
		for _, ok := range [][2]time.Duration{{time.Second, 0}, {2 * time.Minute, 0}, {time.Second, time.Second}, {time.Second, time.Hour}} {
			_, err := c.Insights.GetAndWait(ctx, firstparty.GetInsightsParams{CreatorID: "c1"}, firstparty.WithPollInterval(ok[0], ok[1]))
			require.NoError(t, err, "%v", ok)
		}
		calls := mt.GetTotalCallCount()
		for _, bad := range [][2]time.Duration{{0, 0}, {-time.Second, time.Minute}, {time.Minute, time.Second}, {time.Second, -1}} {
			_, err := c.Insights.GetAndWait(ctx, firstparty.GetInsightsParams{CreatorID: "c1"}, firstparty.WithPollInterval(bad[0], bad[1]))
			require.ErrorIs(t, err, firstparty.ErrInvalidParams, "%v", bad)
		}
		assert.Equal(t, calls, mt.GetTotalCallCount(), "nothing sent")

		// The ceiling: with (1 s, 0) the intervals grow to the default
		// minute, not past it.
		mt.RegisterResponder("GET", insightBase+"/insights/creators/slow", respond(202, []byte(`{"status":"processing"}`)))
		var last []time.Duration
		var prev time.Duration
		dl, cancel := context.WithTimeout(ctx, time.Hour)
		defer cancel()
		_, _ = c.Insights.GetAndWait(dl, firstparty.GetInsightsParams{CreatorID: "slow"}, firstparty.WithPollInterval(time.Second, 0),
			firstparty.WithProgress(func(p firstparty.Progress) { last = append(last, p.Elapsed-prev); prev = p.Elapsed }))
		var longest time.Duration
		for _, d := range last {
			longest = max(longest, d)
		}
		assert.Greater(t, longest, 45*time.Second, "the interval grew toward a minute")
		assert.LessOrEqual(t, longest, time.Minute+time.Minute/5, "and stopped at a minute (give or take the jitter)")
	})
}

// WithProgress reports every check that did not end the wait: the state
// seen (kept across a transient failure), the checks and transient
// failures so far, and the time since the wait began. The check that
// ends the wait is not reported.
func TestGetAndWaitProgress(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		c, mt := newMockClient(t, firstparty.WithMaxRetries(1))
		answers := []httpmock.Responder{
			respond(202, []byte(`{"creator_id":"c1"}`)),
			respond(503, []byte(`{"error":"busy"}`)), // a check whose 2 attempts fail
			respond(503, []byte(`{"error":"busy"}`)),
			respond(202, []byte(`{"creator_id":"c1","status":"queued"}`)),
			respond(200, load(t, "insights_instagram.json")),
		}
		calls := 0
		mt.RegisterResponder("GET", insightBase+"/insights/creators/c1", func(r *http.Request) (*http.Response, error) {
			calls++
			return answers[min(calls, len(answers))-1](r)
		})
		var got []firstparty.Progress
		in, err := c.Insights.GetAndWait(ctx, firstparty.GetInsightsParams{CreatorID: "c1"},
			firstparty.WithPollInterval(time.Millisecond, 2*time.Millisecond),
			firstparty.WithProgress(func(p firstparty.Progress) { got = append(got, p) }))
		require.NoError(t, err)
		assert.True(t, in.Ready())
		require.Len(t, got, 3, "one report per check that did not end the wait")
		want := []firstparty.Progress{
			{Op: "Insights.GetAndWait", CreatorID: "c1", State: firstparty.InsightsProcessing, Checks: 1},
			{Op: "Insights.GetAndWait", CreatorID: "c1", State: firstparty.InsightsProcessing, Checks: 2, TransientErrors: 1},
			{Op: "Insights.GetAndWait", CreatorID: "c1", State: "queued", Checks: 3, TransientErrors: 1},
		}
		for i := range got {
			if i > 0 { // on the bubble's clock, only the waits take time
				assert.Greater(t, got[i].Elapsed, got[i-1].Elapsed, "report %d", i)
			}
			got[i].Elapsed = 0
		}
		assert.Equal(t, want, got)
		assert.Equal(t, 5, calls)

		// A bad option is refused before anything is sent.
		_, err = c.Insights.GetAndWait(ctx, firstparty.GetInsightsParams{CreatorID: "c1"}, firstparty.WithPollInterval(time.Second, time.Millisecond))
		require.ErrorIs(t, err, firstparty.ErrInvalidParams)
		assert.Equal(t, 5, calls)
	})
}
