package firstparty_test

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/creatorkit/creatorkit-go/firstparty"
	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestGetInsightsRequest(t *testing.T) {
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
	var ie *firstparty.InsightsError
	require.True(t, errors.As(err, &ie))
	assert.Equal(t, firstparty.ReasonPrivateAccount, ie.Reason)
	assert.Equal(t, "c1", ie.CreatorID)
	require.NotNil(t, in)
	assert.True(t, in.Failed())
}

func TestWaitPollsUntilReadyAndHonoursRetryAfter(t *testing.T) {
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
	// this finish within the test's deadline.
	cx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	in, err := c.Insights.Wait(cx, firstparty.GetInsightsParams{CreatorID: "c1"}, firstparty.WithPollInterval(time.Hour, time.Hour))
	require.NoError(t, err)
	assert.True(t, in.Ready())
	assert.Equal(t, 3, calls)
}

func TestWaitStopsOnFailureAndOnTheBudget(t *testing.T) {
	c, mt := newMockClient(t)
	mt.RegisterResponder("GET", insightBase+"/insights/creators/bad", respond(200, []byte(`{"status":"failed","status_reason":"Invalid Handle"}`)))
	in, err := c.Insights.Wait(ctx, firstparty.GetInsightsParams{CreatorID: "bad"}, firstparty.WithPollInterval(time.Millisecond, time.Millisecond))
	require.ErrorIs(t, err, firstparty.ErrInsightsFailed)
	assert.True(t, in.Failed())
	assert.Equal(t, 1, mt.GetTotalCallCount())

	// The budget ends after the third check (the caller cancels), not on
	// a wall-clock deadline a busy machine could miss.
	cx, cancel := context.WithCancel(ctx)
	defer cancel()
	checks := 0
	mt.RegisterResponder("GET", insightBase+"/insights/creators/slow", func(r *http.Request) (*http.Response, error) {
		if checks++; checks == 3 {
			cancel()
		}
		return respond(202, []byte(`{"status":"processing"}`))(r)
	})
	in, err = c.Insights.Wait(cx, firstparty.GetInsightsParams{CreatorID: "slow"}, firstparty.WithPollInterval(time.Millisecond, 2*time.Millisecond))
	var te *firstparty.TimeoutError
	require.True(t, errors.As(err, &te), "%v", err)
	require.ErrorIs(t, err, context.Canceled)
	assert.Equal(t, 3, te.Checks)
	assert.Contains(t, te.Last, "processing (HTTP 202)")
	require.NotNil(t, in, "the last body seen comes with the timeout")
	assert.False(t, in.Ready())
}
