package redisstore_test

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/creatorkit/creatorkit-go/contrib/redislimit/redistest"
	"github.com/creatorkit/creatorkit-go/contrib/redisstore"
	"github.com/creatorkit/creatorkit-go/firstparty"
	"github.com/creatorkit/creatorkit-go/firstparty/firstpartytest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const redirectURL = "https://app.example.com/callback"

// replica is one replica of a web app: its own Redis client, StateStore,
// ConnectFlow and callback handler, sharing only the Redis server.
type replica struct {
	name string
	flow *firstparty.ConnectFlow
}

// outcome is what a replica's callback handler was given.
type outcome struct {
	res *firstparty.CallbackResult
	err error
}

func newReplica(t *testing.T, name string, srv *redistest.Server, c *firstparty.Client, cfg firstparty.ConnectConfig) *replica {
	t.Helper()
	store, err := redisstore.NewStateStore(srv.ClientWith(fastFail()), "app", redisstore.WithCallTimeout(300*time.Millisecond))
	require.NoError(t, err)
	cfg.RedirectURL, cfg.Store = redirectURL, store
	flow, err := firstparty.NewConnectFlow(c, cfg)
	require.NoError(t, err)
	return &replica{name: name, flow: flow}
}

// callback serves one callback request on the replica and returns what
// its CallbackFunc was given and the status it answered.
func (r *replica) callback(state, token string) (outcome, int) {
	var got outcome
	h := r.flow.CallbackHandler(func(w http.ResponseWriter, _ *http.Request, res *firstparty.CallbackResult, err error) {
		got = outcome{res, err}
		switch {
		case errors.Is(err, firstparty.ErrInvalidState):
			http.Error(w, "start again", http.StatusForbidden)
		case err != nil:
			http.Error(w, "try again later", http.StatusServiceUnavailable)
		default:
			w.WriteHeader(http.StatusOK)
		}
	})
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/callback?"+url.Values{"state": {state}, "token": {token}}.Encode(), nil))
	return got, rec.Code
}

// creatorConnects plays the creator at the fake's connect page: it returns
// the state and token the page sends back to the redirect URL.
func creatorConnects(t *testing.T, v *firstparty.VerificationURL) (state, token string) {
	t.Helper()
	browser := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	defer browser.CloseIdleConnections()
	resp, err := browser.Get(v.RedirectURL)
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusFound, resp.StatusCode)
	back, err := url.Parse(resp.Header.Get("Location"))
	require.NoError(t, err)
	return back.Query().Get("state"), back.Query().Get("token")
}

func fakeYlytic(t *testing.T) (*firstpartytest.Server, *firstparty.Client) {
	t.Helper()
	fake := firstpartytest.NewServer()
	t.Cleanup(fake.Close)
	c, err := fake.NewClient()
	require.NoError(t, err)
	return fake, c
}

func verifyCalls(fake *firstpartytest.Server) int {
	return fake.Snapshot().Requests[firstpartytest.RouteVerify]
}

// /connect on replica A, the callback on replica B: accepted; the same
// callback replayed on A: refused, and Ylytic is not asked again.
func TestTwoReplicasShareConsentStates(t *testing.T) {
	srv := redistest.New(t)
	fake, c := fakeYlytic(t)
	a := newReplica(t, "A", srv, c, firstparty.ConnectConfig{})
	b := newReplica(t, "B", srv, c, firstparty.ConnectConfig{})

	v, err := a.flow.Start(ctx, firstparty.StartParams{Platform: firstparty.Instagram, Data: "user-42"})
	require.NoError(t, err)
	state, token := creatorConnects(t, v)
	require.Equal(t, v.State, state)

	got, code := b.callback(state, token)
	require.NoError(t, got.err)
	assert.Equal(t, http.StatusOK, code)
	assert.Equal(t, "user-42", got.res.Issued.Data, "replica B hands back what replica A bound to the state")
	assert.NotEmpty(t, got.res.Creator.CreatorID)

	got, code = a.callback(state, token)
	require.ErrorIs(t, got.err, firstparty.ErrInvalidState)
	assert.Equal(t, http.StatusForbidden, code)
	assert.Nil(t, got.res)
	assert.Equal(t, 1, verifyCalls(fake))
}

// The same callback replayed on both replicas at once: exactly one is
// accepted, every round.
func TestCallbackReplayedOnBothReplicasAtOnce(t *testing.T) {
	srv := redistest.New(t)
	fake, c := fakeYlytic(t)
	reps := []*replica{newReplica(t, "A", srv, c, firstparty.ConnectConfig{}), newReplica(t, "B", srv, c, firstparty.ConnectConfig{})}
	const rounds = 25
	for i := range rounds {
		v, err := reps[i%2].flow.Start(ctx, firstparty.StartParams{Platform: firstparty.Instagram})
		require.NoError(t, err)
		state, token := creatorConnects(t, v)
		var accepted, refused atomic.Int32
		var wg sync.WaitGroup
		start := make(chan struct{})
		for _, r := range reps {
			wg.Go(func() {
				<-start
				got, _ := r.callback(state, token)
				switch {
				case got.err == nil:
					accepted.Add(1)
				case errors.Is(got.err, firstparty.ErrInvalidState):
					refused.Add(1)
				default:
					t.Errorf("replica %s: %v", r.name, got.err)
				}
			})
		}
		close(start)
		wg.Wait()
		require.Equal(t, int32(1), accepted.Load(), "round %d", i)
		require.Equal(t, int32(1), refused.Load(), "round %d", i)
	}
	assert.Equal(t, rounds, verifyCalls(fake), "Ylytic verified each callback once")
}

// A state whose TTL passed is gone from Redis: its callback is refused on
// any replica. One still in Redis but past its expiry on the flow's clock
// is refused too.
func TestExpiredStateIsRefused(t *testing.T) {
	srv := redistest.New(t)
	fake, c := fakeYlytic(t)
	rdb := srv.Client()
	a := newReplica(t, "A", srv, c, firstparty.ConnectConfig{TTL: 100 * time.Millisecond})
	b := newReplica(t, "B", srv, c, firstparty.ConnectConfig{TTL: 100 * time.Millisecond})
	v, err := a.flow.Start(ctx, firstparty.StartParams{Platform: firstparty.Instagram})
	require.NoError(t, err)
	state, token := creatorConnects(t, v)
	require.Eventually(t, func() bool { return rdb.DBSize(ctx).Val() == 0 }, 5*time.Second, 10*time.Millisecond, "Redis drops the state at its expiry")
	got, code := b.callback(state, token)
	var se *firstparty.StateError
	require.ErrorAs(t, got.err, &se)
	assert.Equal(t, "unknown or already used", se.Reason)
	assert.Equal(t, http.StatusForbidden, code)

	// The flow's clock passes the expiry before Redis's TTL does.
	var skew atomic.Int64
	now := func() time.Time { return time.Now().Add(time.Duration(skew.Load())) }
	a = newReplica(t, "A", srv, c, firstparty.ConnectConfig{TTL: time.Minute, Now: now})
	b = newReplica(t, "B", srv, c, firstparty.ConnectConfig{TTL: time.Minute, Now: now})
	v, err = a.flow.Start(ctx, firstparty.StartParams{Platform: firstparty.Instagram})
	require.NoError(t, err)
	state, token = creatorConnects(t, v)
	skew.Store(int64(2 * time.Minute))
	got, _ = b.callback(state, token)
	require.ErrorAs(t, got.err, &se)
	assert.Equal(t, "expired", se.Reason)
	assert.Zero(t, verifyCalls(fake))
}

// Redis stops mid-run and comes back (empty: the test server keeps
// nothing on disk). While it is down, Start fails and every callback is
// refused with an error that says why, never accepted and never sent to
// Ylytic; once it is back, new flows work across replicas again.
func TestRedisRestartMidRun(t *testing.T) {
	srv := redistest.New(t)
	fake, c := fakeYlytic(t)
	a := newReplica(t, "A", srv, c, firstparty.ConnectConfig{})
	b := newReplica(t, "B", srv, c, firstparty.ConnectConfig{})

	v, err := a.flow.Start(ctx, firstparty.StartParams{Platform: firstparty.Instagram})
	require.NoError(t, err)
	state, token := creatorConnects(t, v)

	srv.Stop()
	got, code := b.callback(state, token)
	require.ErrorIs(t, got.err, redisstore.ErrRedisUnavailable, "fail closed")
	assert.NotErrorIs(t, got.err, firstparty.ErrInvalidState, "Redis down is not a forged state: the error says which")
	assert.Contains(t, got.err.Error(), "the callback cannot be checked and is refused")
	assert.Nil(t, got.res)
	assert.Equal(t, http.StatusServiceUnavailable, code)
	_, err = a.flow.Start(ctx, firstparty.StartParams{Platform: firstparty.Instagram})
	require.ErrorIs(t, err, redisstore.ErrRedisUnavailable)
	assert.Zero(t, verifyCalls(fake))

	require.NoError(t, srv.Restart())
	got, _ = b.callback(state, token)
	require.ErrorIs(t, got.err, firstparty.ErrInvalidState, "the restarted Redis lost the state: still refused")

	v, err = a.flow.Start(ctx, firstparty.StartParams{Platform: firstparty.YouTube, Data: "after-restart"})
	require.NoError(t, err)
	state, token = creatorConnects(t, v)
	got, _ = b.callback(state, token)
	require.NoError(t, got.err)
	assert.Equal(t, "after-restart", got.res.Issued.Data)
	assert.Equal(t, 1, verifyCalls(fake))
}
