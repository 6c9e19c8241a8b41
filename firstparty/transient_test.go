package firstparty_test

import (
	"context"
	"errors"
	"net/http"
	"sync/atomic"
	"testing"
	"testing/synctest"
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

// lostConnections answers the first n calls with a lost connection, then
// with ok.
func lostConnections(n int, ok httpmock.Responder) (httpmock.Responder, *atomic.Int64) {
	var calls atomic.Int64
	return func(r *http.Request) (*http.Response, error) {
		if calls.Add(1) <= int64(n) {
			return nil, errors.New("connection reset by peer")
		}
		return ok(r)
	}, &calls
}

// transientCases are the answers a wait outlasts: 429s, 5xx and lost
// connections.
var transientCases = []struct {
	name    string
	respond func(n int, ok httpmock.Responder) (httpmock.Responder, *atomic.Int64)
	kind    error
}{
	{"429", func(n int, ok httpmock.Responder) (httpmock.Responder, *atomic.Int64) {
		return failing(n, http.StatusTooManyRequests, ok)
	}, firstparty.ErrRateLimited},
	{"503", func(n int, ok httpmock.Responder) (httpmock.Responder, *atomic.Int64) {
		return failing(n, http.StatusServiceUnavailable, ok)
	}, firstparty.ErrServer},
	{"502", func(n int, ok httpmock.Responder) (httpmock.Responder, *atomic.Int64) {
		return failing(n, http.StatusBadGateway, ok)
	}, firstparty.ErrServer},
	{"lost connections", lostConnections, firstparty.ErrNetwork},
}

// The one wait policy: a status check that fails transiently (every
// attempt of it failed: a 429, a 5xx, a lost connection) is made again at
// the next interval, up to as many failed checks in a row as the client's
// retries (WithMaxRetries); one more ends the wait with that check's
// error, not a *TimeoutError. Here one retry per check: a check is 2
// attempts, and the wait outlasts 1 failed check.
func TestWaitOutlastsTransientFailuresUpToTheClientsRetries(t *testing.T) {
	t.Parallel()
	ready := func(t *testing.T) httpmock.Responder { return respond(200, load(t, "insights_instagram.json")) }
	opts := []firstparty.WaitOption{firstparty.WithPollInterval(time.Second, 2*time.Second)}
	for _, tc := range transientCases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			synctest.Test(t, func(t *testing.T) {
				// 3 failed attempts: a failed check, then a check whose
				// retry is answered.
				c, mt := newMockClient(t, firstparty.WithMaxRetries(1))
				r, calls := tc.respond(3, ready(t))
				mt.RegisterResponder("GET", insightBase+"/insights/creators/c1", r)
				in, err := c.Insights.GetAndWait(testCtx(t), firstparty.GetInsightsParams{CreatorID: "c1"}, opts...)
				require.NoError(t, err)
				assert.True(t, in.Ready())
				assert.Equal(t, int64(4), calls.Load(), "3 transient answers (a failed check, a retried one), then the insights")

				// 4 failed attempts: 2 failed checks in a row end the wait
				// with the last check's error.
				c, mt = newMockClient(t, firstparty.WithMaxRetries(1))
				r, calls = tc.respond(4, ready(t))
				mt.RegisterResponder("GET", insightBase+"/insights/creators/c1", r)
				_, err = c.Insights.GetAndWait(testCtx(t), firstparty.GetInsightsParams{CreatorID: "c1"}, opts...)
				require.ErrorIs(t, err, tc.kind)
				var te *firstparty.TimeoutError
				assert.False(t, errors.As(err, &te), "the transport's error, not a timeout: %v", err)
				assert.Equal(t, int64(4), calls.Load(), "2 checks of 2 attempts")

				// WithMaxRetries(0): the first failed attempt ends it.
				c, mt = newMockClient(t, firstparty.WithMaxRetries(0))
				r, calls = tc.respond(1, ready(t))
				mt.RegisterResponder("GET", insightBase+"/insights/creators/c1", r)
				_, err = c.Insights.GetAndWait(testCtx(t), firstparty.GetInsightsParams{CreatorID: "c1"}, opts...)
				require.ErrorIs(t, err, tc.kind)
				assert.Equal(t, int64(1), calls.Load())
			})
		})
	}
	t.Run("a 4xx still ends it", func(t *testing.T) {
		t.Parallel()
		synctest.Test(t, func(t *testing.T) {
			c, mt := newMockClient(t, firstparty.WithMaxRetries(1))
			r, calls := failing(100, http.StatusNotFound, nil)
			mt.RegisterResponder("GET", insightBase+"/insights/creators/c1", r)
			_, err := c.Insights.GetAndWait(testCtx(t), firstparty.GetInsightsParams{CreatorID: "c1"}, opts...)
			require.ErrorIs(t, err, firstparty.ErrNotFound)
			assert.Equal(t, int64(1), calls.Load())
		})
	})
}

// verifyOK answers Verify Creator with the published success.
func verifyOK(t *testing.T) httpmock.Responder {
	return respond(200, load(t, "verify_creator.json"))
}

// completeOnce saves a state and completes its callback on a mock client
// whose Verify Creator answers with r.
func completeOnce(t *testing.T, retries int, r httpmock.Responder) (*firstparty.MemoryStateStore, *firstparty.ConnectFlow, *firstparty.CallbackResult, error) {
	store := firstparty.NewMemoryStateStore(0)
	c, mt := newMockClient(t, firstparty.WithMaxRetries(retries))
	mt.RegisterResponder("POST", verifyBase+"/first_party/verify", r)
	flow, err := firstparty.NewConnectFlow(c, firstparty.ConnectConfig{RedirectURL: "https://app.example.com/cb", Store: store})
	require.NoError(t, err)
	require.NoError(t, store.Save(ctx, firstparty.IssuedState{State: "unique-string", Expires: time.Now().Add(time.Hour)}))
	res, err := flow.Complete(testCtx(t), firstparty.CallbackParams{State: "unique-string", Token: "t"})
	return store, flow, res, err
}

// Complete reconciles a Verify Creator whose answer was lost (a 5xx or a
// lost connection after the request may have reached Ylytic: Verify sends
// it once) by asking again with the same state and token, at most as many
// times in a row as the client's retries; a 429, which the transport
// retries itself, is not asked again. When no answer came, the state is
// back in the store.
func TestCompleteReconcilesLostAnswersUpToTheClientsRetries(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		// One lost answer, one retry: asked again once, verified once.
		r, calls := failing(1, http.StatusServiceUnavailable, verifyOK(t))
		store, flow, res, err := completeOnce(t, 1, r)
		require.NoError(t, err)
		assert.Equal(t, "4d94b100-750c-4d24-8380-861aaaa2c3a4", res.Creator.CreatorID)
		assert.Equal(t, int64(2), calls.Load())
		_, err = flow.Complete(ctx, firstparty.CallbackParams{State: "unique-string", Token: "t"})
		require.ErrorIs(t, err, firstparty.ErrInvalidState, "the state is used once")
		assert.Zero(t, store.Len())

		// Two lost answers in a row, one retry: the outcome is unknown,
		// and the state is back for the callback to be completed again.
		r, calls = failing(2, http.StatusBadGateway, verifyOK(t))
		store, _, res, err = completeOnce(t, 1, r)
		require.ErrorIs(t, err, firstparty.ErrOutcomeUnknown)
		require.ErrorIs(t, err, firstparty.ErrServer)
		var te *firstparty.TimeoutError
		assert.False(t, errors.As(err, &te), "the transport's error, not a timeout: %v", err)
		assert.Nil(t, res.Creator)
		assert.Equal(t, int64(2), calls.Load())
		assert.Equal(t, 1, store.Len(), "the state is back")

		// WithMaxRetries(0): the first lost answer ends it.
		r, calls = failing(1, http.StatusInternalServerError, verifyOK(t))
		store, _, _, err = completeOnce(t, 0, r)
		require.ErrorIs(t, err, firstparty.ErrOutcomeUnknown)
		assert.Equal(t, int64(1), calls.Load())
		assert.Equal(t, 1, store.Len(), "the state is back")

		// 429s are the transport's to retry: 1 retry absorbs one...
		r, calls = failing(1, http.StatusTooManyRequests, verifyOK(t))
		_, _, _, err = completeOnce(t, 1, r)
		require.NoError(t, err)
		assert.Equal(t, int64(2), calls.Load())
		// ...and Complete does not ask again after the transport gave up.
		r, calls = failing(2, http.StatusTooManyRequests, verifyOK(t))
		store, _, _, err = completeOnce(t, 1, r)
		require.ErrorIs(t, err, firstparty.ErrRateLimited)
		assert.NotErrorIs(t, err, firstparty.ErrOutcomeUnknown, "the request never reached Ylytic")
		assert.Equal(t, int64(2), calls.Load())
		assert.Equal(t, 1, store.Len(), "the state is back")
	})
}

// When the callback's context ends before Verify Creator answered, the
// state is put back: the same callback completes later, once.
func TestCompleteGivesTheStateBackWhenTheContextEnds(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		store := firstparty.NewMemoryStateStore(0)
		c, mt := newMockClient(t, firstparty.WithMaxRetries(8))
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
	})
}

// Start makes one Create Verification URL call, which the transport
// retries (WithMaxRetries): no retry layer above it. When the call fails,
// the state is dropped.
func TestStartIsOneCallTheTransportRetries(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		ok := func(r *http.Request) (*http.Response, error) {
			return httpmock.NewStringResponse(200, `{"redirectUrl":"https://connect.ylytic.com/c/1","state":""}`), nil
		}
		for _, tc := range []struct {
			fail  int
			calls int64
			err   error
		}{{3, 4, nil}, {4, 4, firstparty.ErrRateLimited}} {
			store := firstparty.NewMemoryStateStore(0)
			c, mt := newMockClient(t) // 3 retries
			r, calls := failing(tc.fail, http.StatusTooManyRequests, ok)
			mt.RegisterResponder("POST", verifyBase+"/first_party/verification_url", r)
			flow, err := firstparty.NewConnectFlow(c, firstparty.ConnectConfig{RedirectURL: "https://app.example.com/cb", Store: store})
			require.NoError(t, err)
			v, err := flow.Start(testCtx(t), firstparty.StartParams{Platform: firstparty.Instagram})
			assert.Equal(t, tc.calls, calls.Load(), "%d 429s", tc.fail)
			if tc.err != nil {
				require.ErrorIs(t, err, tc.err)
				assert.Zero(t, store.Len(), "the state is dropped")
				continue
			}
			require.NoError(t, err)
			assert.Equal(t, "https://connect.ylytic.com/c/1", v.RedirectURL)
			assert.Equal(t, 1, store.Len())
		}
	})
}
