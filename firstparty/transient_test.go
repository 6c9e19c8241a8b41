package firstparty_test

import (
	"context"
	"errors"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/creatorkit/creatorkit-go/firstparty"
	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// failing answers the first n calls with status (Retry-After 0 on 429),
// then with ok.
func failing(n int, status int, ok httpmock.Responder) (httpmock.Responder, *atomic.Int64) {
	var calls atomic.Int64
	return func(r *http.Request) (*http.Response, error) {
		if calls.Add(1) <= int64(n) {
			resp := httpmock.NewStringResponse(status, `{"error":"try later"}`)
			if status == http.StatusTooManyRequests {
				resp.Header.Set("Retry-After", "0")
			}
			return resp, nil
		}
		return ok(r)
	}, &calls
}

// A wait whose status checks keep failing transiently for longer than the
// transport's retries (here one retry per check) waits them out: 429s,
// 5xx and lost connections are reasons to wait longer, and the insights
// come back once.
func TestWaitOutlastsTransientFailures(t *testing.T) {
	for _, tc := range []struct {
		name   string
		status int
	}{{"429", http.StatusTooManyRequests}, {"503", http.StatusServiceUnavailable}, {"502", http.StatusBadGateway}} {
		t.Run(tc.name, func(t *testing.T) {
			c, mt := newMockClient(t, firstparty.WithMaxRetries(1))
			r, calls := failing(9, tc.status, respond(200, load(t, "insights_instagram.json")))
			mt.RegisterResponder("GET", insightBase+"/insights/creators/c1", r)
			cx, cancel := context.WithTimeout(ctx, 30*time.Second)
			defer cancel()
			in, err := c.Insights.GetAndWait(cx, firstparty.GetInsightsParams{CreatorID: "c1"}, firstparty.WithPollInterval(time.Millisecond, 2*time.Millisecond))
			require.NoError(t, err)
			assert.True(t, in.Ready())
			assert.Equal(t, int64(10), calls.Load(), "9 transient answers (5 checks of 2 attempts), then the insights")
		})
	}
	t.Run("lost connections", func(t *testing.T) {
		c, mt := newMockClient(t, firstparty.WithMaxRetries(1))
		var calls atomic.Int64
		mt.RegisterResponder("GET", insightBase+"/insights/creators/c1", func(r *http.Request) (*http.Response, error) {
			if calls.Add(1) <= 6 {
				return nil, errors.New("connection reset by peer")
			}
			return respond(200, load(t, "insights_instagram.json"))(r)
		})
		in, err := c.Insights.GetAndWait(ctx, firstparty.GetInsightsParams{CreatorID: "c1"}, firstparty.WithPollInterval(time.Millisecond, 2*time.Millisecond))
		require.NoError(t, err)
		assert.True(t, in.Ready())
	})
	t.Run("a 4xx still ends it", func(t *testing.T) {
		c, mt := newMockClient(t, firstparty.WithMaxRetries(1))
		r, calls := failing(100, http.StatusNotFound, nil)
		mt.RegisterResponder("GET", insightBase+"/insights/creators/c1", r)
		_, err := c.Insights.GetAndWait(ctx, firstparty.GetInsightsParams{CreatorID: "c1"}, firstparty.WithPollInterval(time.Millisecond, 2*time.Millisecond))
		require.ErrorIs(t, err, firstparty.ErrNotFound)
		assert.Equal(t, int64(1), calls.Load())
	})
}

// verifyOK answers Verify Creator with the published success.
func verifyOK(t *testing.T) httpmock.Responder {
	return respond(200, load(t, "verify_creator.json"))
}

// Complete asks Verify Creator until it answers: transient failures that
// outlast the transport's retries do not lose the creator, and the
// callback succeeds once.
func TestCompleteOutlastsTransientFailures(t *testing.T) {
	store := firstparty.NewMemoryStateStore(0)
	c, mt := newMockClient(t, firstparty.WithMaxRetries(1))
	r, calls := failing(7, http.StatusServiceUnavailable, verifyOK(t))
	mt.RegisterResponder("POST", verifyBase+"/first_party/verify", r)
	flow, err := firstparty.NewConnectFlow(c, firstparty.ConnectConfig{RedirectURL: "https://app.example.com/cb", Store: store})
	require.NoError(t, err)
	require.NoError(t, store.Save(ctx, firstparty.IssuedState{State: "unique-string", Expires: time.Now().Add(time.Hour)}))
	res, err := flow.Complete(ctx, firstparty.CallbackParams{State: "unique-string", Token: "t"})
	require.NoError(t, err)
	assert.Equal(t, "4d94b100-750c-4d24-8380-861aaaa2c3a4", res.Creator.CreatorID)
	assert.Equal(t, int64(8), calls.Load())
	_, err = flow.Complete(ctx, firstparty.CallbackParams{State: "unique-string", Token: "t"})
	require.ErrorIs(t, err, firstparty.ErrInvalidState, "the state is used once")
}

// When the callback's context ends before Verify Creator answered, the
// state is put back: the same callback completes later, once.
func TestCompleteGivesTheStateBackWhenTheContextEnds(t *testing.T) {
	store := firstparty.NewMemoryStateStore(0)
	c, mt := newMockClient(t, firstparty.WithMaxRetries(1))
	cx, cancel := context.WithCancel(ctx)
	defer cancel()
	var calls atomic.Int64
	var down atomic.Bool // read by responders httpmock may still run after a cancel
	down.Store(true)
	mt.RegisterResponder("POST", verifyBase+"/first_party/verify", func(r *http.Request) (*http.Response, error) {
		if calls.Add(1) == 5 {
			cancel() // the creator's browser gives up
		}
		if down.Load() {
			return httpmock.NewStringResponse(http.StatusBadGateway, `<html>bad gateway</html>`), nil
		}
		return verifyOK(t)(r)
	})
	flow, err := firstparty.NewConnectFlow(c, firstparty.ConnectConfig{RedirectURL: "https://app.example.com/cb", Store: store})
	require.NoError(t, err)
	require.NoError(t, store.Save(ctx, firstparty.IssuedState{State: "unique-string", Data: "user-42", Expires: time.Now().Add(time.Hour)}))

	res, err := flow.Complete(cx, firstparty.CallbackParams{State: "unique-string", Token: "t"})
	require.ErrorIs(t, err, context.Canceled)
	require.ErrorIs(t, err, firstparty.ErrServer, "the last answer is in the error")
	var te *firstparty.TimeoutError
	require.ErrorAs(t, err, &te)
	assert.Nil(t, res.Creator)
	assert.Equal(t, 1, store.Len(), "the state is back")

	down.Store(false)
	res, err = flow.Complete(ctx, firstparty.CallbackParams{State: "unique-string", Token: "t"})
	require.NoError(t, err)
	assert.Equal(t, "user-42", res.Issued.Data)
	assert.NotEmpty(t, res.Creator.CreatorID)
	_, err = flow.Complete(ctx, firstparty.CallbackParams{State: "unique-string", Token: "t"})
	require.ErrorIs(t, err, firstparty.ErrInvalidState)
	assert.Zero(t, store.Len())
}

// Start asks for the verification URL until Ylytic answers.
func TestStartOutlastsTransientFailures(t *testing.T) {
	c, mt := newMockClient(t, firstparty.WithMaxRetries(0))
	r, calls := failing(4, http.StatusTooManyRequests, func(r *http.Request) (*http.Response, error) {
		return httpmock.NewStringResponse(200, `{"redirectUrl":"https://connect.ylytic.com/c/1","state":""}`), nil
	})
	mt.RegisterResponder("POST", verifyBase+"/first_party/verification_url", r)
	flow, err := firstparty.NewConnectFlow(c, firstparty.ConnectConfig{RedirectURL: "https://app.example.com/cb"})
	require.NoError(t, err)
	v, err := flow.Start(ctx, firstparty.StartParams{Connector: firstparty.Instagram})
	require.NoError(t, err)
	assert.Equal(t, "https://connect.ylytic.com/c/1", v.RedirectURL)
	assert.Equal(t, int64(5), calls.Load())
}
