package redisstore_test

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/creatorkit/creatorkit-go/contrib/redislimit/redistest"
	"github.com/creatorkit/creatorkit-go/contrib/redisstore"
	"github.com/creatorkit/creatorkit-go/firstparty"
	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var ctx = context.Background()

func newStore(t *testing.T, rdb redis.UniversalClient, opts ...redisstore.Option) *redisstore.StateStore {
	t.Helper()
	s, err := redisstore.NewStateStore(rdb, "app", opts...)
	require.NoError(t, err)
	return s
}

func TestStateStoreRoundTripSingleUse(t *testing.T) {
	srv := redistest.New(t)
	rdb := srv.Client()
	s := newStore(t, rdb)
	now := time.Now().Truncate(time.Millisecond)
	st := firstparty.IssuedState{State: firstparty.NewState(), Platform: firstparty.YouTube, Data: "user-42 /return?x=1", Session: "sess-secret-9f8e",
		Issued: now, Expires: now.Add(10 * time.Minute)}
	require.NoError(t, s.Save(ctx, st))

	_, found, err := s.Consume(ctx, firstparty.NewState())
	require.NoError(t, err)
	assert.False(t, found, "a state never issued")

	got, found, err := s.Consume(ctx, st.State)
	require.NoError(t, err)
	require.True(t, found)
	assert.Equal(t, st.State, got.State)
	assert.Equal(t, st.Platform, got.Platform)
	assert.Equal(t, st.Data, got.Data)
	assert.Equal(t, st.Session, got.Session)
	assert.True(t, st.Issued.Equal(got.Issued))
	assert.True(t, st.Expires.Equal(got.Expires))

	_, found, err = s.Consume(ctx, st.State)
	require.NoError(t, err)
	assert.False(t, found, "a state is used once")
	assert.Zero(t, rdb.DBSize(ctx).Val(), "nothing left behind")
}

// The key is the prefix and the state's SHA-256; neither the state nor
// anything bound to it is readable in Redis.
func TestStateStoreKeepsNothingInClear(t *testing.T) {
	srv := redistest.New(t)
	rdb := srv.Client()
	s := newStore(t, rdb)
	st := firstparty.IssuedState{State: firstparty.NewState(), Platform: firstparty.Instagram, Data: "user-7@example.com", Session: "sess-cookie-0123456789",
		Issued: time.Now(), Expires: time.Now().Add(time.Minute)}
	require.NoError(t, s.Save(ctx, st))

	keys := rdb.Keys(ctx, "*").Val()
	require.Equal(t, []string{s.Key(st.State)}, keys)
	assert.Regexp(t, `^app:fpstate:[0-9a-f]{64}$`, keys[0])
	val, err := rdb.Get(ctx, keys[0]).Bytes()
	require.NoError(t, err)
	for _, secret := range []string{st.State, st.Data, st.Session, "user-7", "sess-cookie", "instagram"} {
		assert.False(t, bytes.Contains(val, []byte(secret)), "the value holds %q in clear", secret)
		assert.NotContains(t, keys[0], secret)
	}

	// A value moved under another state's key does not open there.
	other := firstparty.NewState()
	require.NoError(t, rdb.Set(ctx, s.Key(other), val, time.Minute).Err())
	_, found, err := s.Consume(ctx, other)
	require.ErrorIs(t, err, redisstore.ErrCorruptState)
	assert.False(t, found)
	// An altered value does not open either; both are refused and gone.
	val[len(val)-1] ^= 1
	require.NoError(t, rdb.Set(ctx, s.Key(st.State), val, time.Minute).Err())
	_, found, err = s.Consume(ctx, st.State)
	require.ErrorIs(t, err, redisstore.ErrCorruptState)
	assert.False(t, found)
	assert.Zero(t, rdb.DBSize(ctx).Val())
}

// Save sets the state's expiry as the key's TTL: Redis drops it then.
func TestStateStoreTTLIsTheExpiry(t *testing.T) {
	srv := redistest.New(t)
	rdb := srv.Client()
	s := newStore(t, rdb)

	st := firstparty.IssuedState{State: firstparty.NewState(), Expires: time.Now().Add(15 * time.Minute)}
	require.NoError(t, s.Save(ctx, st))
	ttl := rdb.PTTL(ctx, s.Key(st.State)).Val()
	assert.InDelta(t, 15*time.Minute, ttl, float64(5*time.Second))

	// No expiry: kept MaxStateTTL, not forever.
	st2 := firstparty.IssuedState{State: firstparty.NewState()}
	require.NoError(t, s.Save(ctx, st2))
	assert.InDelta(t, redisstore.MaxStateTTL, rdb.PTTL(ctx, s.Key(st2.State)).Val(), float64(5*time.Second))

	// Already expired: not written at all.
	st3 := firstparty.IssuedState{State: firstparty.NewState(), Expires: time.Now().Add(-time.Second)}
	require.NoError(t, s.Save(ctx, st3))
	assert.Zero(t, rdb.Exists(ctx, s.Key(st3.State)).Val())

	// A short expiry passes in Redis: the state is gone.
	st4 := firstparty.IssuedState{State: firstparty.NewState(), Expires: time.Now().Add(50 * time.Millisecond)}
	require.NoError(t, s.Save(ctx, st4))
	require.Eventually(t, func() bool { return rdb.Exists(ctx, s.Key(st4.State)).Val() == 0 }, 5*time.Second, 10*time.Millisecond)
	_, found, err := s.Consume(ctx, st4.State)
	require.NoError(t, err)
	assert.False(t, found)
}

// Of many concurrent Consume calls for one state, from separate clients
// (separate replicas), exactly one finds it.
func TestStateStoreConcurrentConsume(t *testing.T) {
	srv := redistest.New(t)
	const replicas, rounds = 8, 50
	stores := make([]*redisstore.StateStore, replicas)
	for i := range stores {
		stores[i] = newStore(t, srv.Client())
	}
	for range rounds {
		st := firstparty.IssuedState{State: firstparty.NewState(), Expires: time.Now().Add(time.Minute)}
		require.NoError(t, stores[0].Save(ctx, st))
		var wins atomic.Int32
		var wg sync.WaitGroup
		for _, s := range stores {
			wg.Go(func() {
				if _, ok, err := s.Consume(ctx, st.State); err == nil && ok {
					wins.Add(1)
				}
			})
		}
		wg.Wait()
		require.Equal(t, int32(1), wins.Load())
	}
}

// A stopped or hung Redis is an *UnavailableError, never "not found", and
// within the call timeout.
func TestStateStoreRedisDown(t *testing.T) {
	srv := redistest.New(t)
	s := newStore(t, srv.ClientWith(fastFail()), redisstore.WithCallTimeout(200*time.Millisecond))
	st := firstparty.IssuedState{State: firstparty.NewState(), Expires: time.Now().Add(time.Minute)}
	require.NoError(t, s.Save(ctx, st))

	require.NoError(t, srv.Freeze())
	start := time.Now()
	_, found, err := s.Consume(ctx, st.State)
	assert.Less(t, time.Since(start), 2*time.Second)
	require.ErrorIs(t, err, redisstore.ErrRedisUnavailable)
	assert.False(t, found)
	var ue *redisstore.UnavailableError
	require.True(t, errors.As(err, &ue))
	assert.Contains(t, err.Error(), "refused")
	require.NoError(t, srv.Thaw())

	srv.Stop()
	_, found, err = s.Consume(ctx, st.State)
	require.ErrorIs(t, err, redisstore.ErrRedisUnavailable)
	assert.False(t, found)
	require.ErrorIs(t, s.Save(ctx, st), redisstore.ErrRedisUnavailable)
	assert.NotContains(t, err.Error(), st.State, "the error names no state")
}

func TestNewStateStoreChecksItsArguments(t *testing.T) {
	rdb := redis.NewClient(&redis.Options{Addr: "127.0.0.1:1"})
	defer rdb.Close()
	for _, p := range []string{"", " ", "my app", "app\n"} {
		_, err := redisstore.NewStateStore(rdb, p)
		assert.Error(t, err, "%q", p)
	}
	_, err := redisstore.NewStateStore(nil, "app")
	assert.Error(t, err)
	_, err = redisstore.NewStateStore(rdb, "app", redisstore.WithMaxLen(10))
	assert.ErrorContains(t, err, "WithMaxLen applies to NewStream only")
	_, err = redisstore.NewStateStore(rdb, "app", redisstore.WithCallTimeout(0))
	assert.ErrorContains(t, err, "WithCallTimeout")
	_, err = redisstore.NewStateStore(rdb, "{app}:consent", redisstore.WithCallTimeout(time.Second))
	assert.NoError(t, err)
	assert.True(t, strings.HasPrefix(mustStore(t, rdb, "{app}:consent").Key("s"), "{app}:consent:fpstate:"))
}

func mustStore(t *testing.T, rdb redis.UniversalClient, prefix string) *redisstore.StateStore {
	s, err := redisstore.NewStateStore(rdb, prefix)
	require.NoError(t, err)
	return s
}
