package redislimit_test

import (
	"context"
	"math"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/creatorkit/creatorkit-go/contrib/redislimit"
	"github.com/creatorkit/creatorkit-go/contrib/redislimit/redistest"
	"github.com/creatorkit/creatorkit-go/engagecheck"
	"github.com/creatorkit/creatorkit-go/engagecheck/engagechecktest"
	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A *Limiter is the SDK's Limiter: every vendor's WithLimiter takes it.
var _ engagecheck.Limiter = (*redislimit.Limiter)(nil)

// deadClient points at a loopback port nothing listens on.
func deadClient(t *testing.T) *redis.Client {
	t.Helper()
	ln, err := (&netListen{}).free()
	require.NoError(t, err)
	c := redis.NewClient(&redis.Options{Addr: ln, DialTimeout: 200 * time.Millisecond, MaxRetries: -1})
	t.Cleanup(func() { c.Close() })
	return c
}

func ctxTimeout(t *testing.T, d time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	return ctx
}

func TestWindowLimit(t *testing.T) {
	for _, tc := range []struct {
		w    redislimit.Window
		want redislimit.Limit
	}{
		{redislimit.EngageCheckWindow, redislimit.Limit{Rate: 57, Period: time.Minute, Burst: 3}},
		{redislimit.InfluDataTrialWindows[0], redislimit.Limit{Rate: 19, Period: 10 * time.Second, Burst: 1}},
		{redislimit.InfluDataTrialWindows[1], redislimit.Limit{Rate: 57, Period: time.Minute, Burst: 3}},
		{redislimit.InfluDataProductionWindows[0], redislimit.Limit{Rate: 95, Period: 4 * time.Second, Burst: 1}},
		{redislimit.InfluDataProductionWindows[1], redislimit.Limit{Rate: 950, Period: time.Minute, Burst: 50}},
		{redislimit.HypeAuditorWindow, redislimit.Limit{Rate: 1881, Period: 20 * time.Minute, Burst: 4}},
	} {
		assert.Equal(t, tc.want, redislimit.WindowLimit(tc.w), "%+v", tc.w)
	}
}

// TestWindowLimitKeepsEveryWindow checks the promise of WindowLimit for
// every N up to 2,000: a GCRA limit lets at most Burst requests at once and
// then one per emission interval T, so a window of length Per holds at most
// Burst + ceil(Per/T) - 1 requests. That must not exceed N, and the
// sustained rate must stay within 5% (+1 request) of N.
func TestWindowLimitKeepsEveryWindow(t *testing.T) {
	for n := 1; n <= 2000; n++ {
		w := redislimit.Window{N: n, Per: time.Minute}
		l := redislimit.WindowLimit(w)
		T := float64(l.Period) / float64(l.Rate)
		most := l.Burst + int(math.Ceil(float64(w.Per)/T-1e-9)) - 1
		require.LessOrEqual(t, most, n, "N=%d: %v lets %d requests into one window", n, l, most)
		sustained := float64(w.Per) / T
		require.GreaterOrEqual(t, sustained, float64(n)*(1-redislimit.SafetyMargin)-1e-9, "N=%d: %v", n, l)
	}
}

func TestNewValidates(t *testing.T) {
	rdb := redis.NewClient(&redis.Options{Addr: "127.0.0.1:1"})
	defer rdb.Close()
	ok := redislimit.Limit{Rate: 1, Period: time.Second, Burst: 1}
	for name, fn := range map[string]func() (*redislimit.Limiter, error){
		"nil client":      func() (*redislimit.Limiter, error) { return redislimit.New(nil, "a", ok) },
		"empty name":      func() (*redislimit.Limiter, error) { return redislimit.New(rdb, "", ok) },
		"space in name":   func() (*redislimit.Limiter, error) { return redislimit.New(rdb, "agency main", ok) },
		"newline in name": func() (*redislimit.Limiter, error) { return redislimit.EngageCheck(rdb, "a\nb") },
		"long name":       func() (*redislimit.Limiter, error) { return redislimit.New(rdb, strings.Repeat("a", 129), ok) },
		"zero rate": func() (*redislimit.Limiter, error) {
			return redislimit.New(rdb, "a", redislimit.Limit{Period: time.Second, Burst: 1})
		},
		"zero burst": func() (*redislimit.Limiter, error) {
			return redislimit.New(rdb, "a", redislimit.Limit{Rate: 1, Period: time.Second})
		},
		"zero period": func() (*redislimit.Limiter, error) {
			return redislimit.New(rdb, "a", redislimit.Limit{Rate: 1, Burst: 1})
		},
		"same period": func() (*redislimit.Limiter, error) {
			return redislimit.New(rdb, "a", ok, redislimit.WithLimit(redislimit.Limit{Rate: 5, Period: time.Second, Burst: 1}))
		},
		"fallback workers": func() (*redislimit.Limiter, error) {
			return redislimit.New(rdb, "a", ok, redislimit.WithLocalFallback(0))
		},
		"recheck": func() (*redislimit.Limiter, error) { return redislimit.New(rdb, "a", ok, redislimit.WithRecheck(0)) },
		"call timeout": func() (*redislimit.Limiter, error) {
			return redislimit.New(rdb, "a", ok, redislimit.WithCallTimeout(-1))
		},
		"nil logger": func() (*redislimit.Limiter, error) { return redislimit.New(rdb, "a", ok, redislimit.WithLogger(nil)) },
	} {
		l, err := fn()
		assert.Error(t, err, name)
		assert.Nil(t, l, name)
	}
	l, err := redislimit.New(rdb, "agency-main_1.eu:prod/x@y", ok)
	require.NoError(t, err)
	assert.Equal(t, "agency-main_1.eu:prod/x@y", l.Name())
}

func TestVendorConstructors(t *testing.T) {
	rdb := redis.NewClient(&redis.Options{Addr: "127.0.0.1:1"})
	defer rdb.Close()
	for _, tc := range []struct {
		fn     func(redis.UniversalClient, string, ...redislimit.Option) (*redislimit.Limiter, error)
		keys   []string
		limits []redislimit.Limit
	}{
		{redislimit.EngageCheck, []string{"rate:creatorkit:engagecheck:agency:1m0s"},
			[]redislimit.Limit{{Rate: 57, Period: time.Minute, Burst: 3}}},
		{redislimit.InfluDataTrial, []string{"rate:creatorkit:infludata:agency:1m0s", "rate:creatorkit:infludata:agency:1s"},
			[]redislimit.Limit{{Rate: 57, Period: time.Minute, Burst: 3}, {Rate: 19, Period: 10 * time.Second, Burst: 1}}},
		{redislimit.InfluDataProduction, []string{"rate:creatorkit:infludata:agency:1m0s", "rate:creatorkit:infludata:agency:1s"},
			[]redislimit.Limit{{Rate: 950, Period: time.Minute, Burst: 50}, {Rate: 95, Period: 4 * time.Second, Burst: 1}}},
		{redislimit.HypeAuditor, []string{"rate:creatorkit:hypeauditor:agency:1m0s"},
			[]redislimit.Limit{{Rate: 1881, Period: 20 * time.Minute, Burst: 4}}},
	} {
		l, err := tc.fn(rdb, "agency")
		require.NoError(t, err)
		assert.Equal(t, tc.keys, l.Keys(), l.String())
		assert.Equal(t, tc.limits, l.Limits(), l.String())
		assert.Contains(t, l.String(), "fail closed")
	}
	l, err := redislimit.EngageCheck(rdb, "agency", redislimit.WithPrefix("myapp:"), redislimit.WithLocalFallback(4))
	require.NoError(t, err)
	assert.Equal(t, []string{"rate:myapp:engagecheck:agency:1m0s"}, l.Keys())
	assert.Contains(t, l.String(), "local fallback at 1/4")
}

// TestNoSecretInRedis runs a limiter named after the key's hash and checks
// that nothing in Redis contains the key.
func TestNoSecretInRedis(t *testing.T) {
	rs := redistest.New(t)
	rdb := rs.Client()
	const apiKey = "ec_live_s3cr3t0123456789"
	name := redislimit.HashedName(apiKey)
	assert.Equal(t, name, redislimit.HashedName(" "+apiKey+"\n"), "HashedName trims like the clients do")
	assert.NotContains(t, name, "s3cr3t")
	assert.Regexp(t, `^key-[0-9a-f]{16}$`, name)

	l, err := redislimit.EngageCheck(rdb, name)
	require.NoError(t, err)
	require.NoError(t, l.Wait(ctxTimeout(t, 5*time.Second)))
	keys, err := rdb.Keys(context.Background(), "*").Result()
	require.NoError(t, err)
	assert.Equal(t, l.Keys(), keys)
	for _, k := range keys {
		v, err := rdb.Get(context.Background(), k).Result()
		require.NoError(t, err)
		assert.NotContains(t, k+v, "s3cr3t")
		_, err = strconv.ParseFloat(v, 64) // redis_rate stores only a time
		assert.NoError(t, err)
	}
}

// TestLimitIsShared: two limiters with separate connections and the same
// name share one budget; a third with another name has its own.
func TestLimitIsShared(t *testing.T) {
	rs := redistest.New(t)
	lim := redislimit.Limit{Rate: 1, Period: 10 * time.Second, Burst: 2}
	a, err := redislimit.New(rs.Client(), "shared", lim)
	require.NoError(t, err)
	b, err := redislimit.New(rs.Client(), "shared", lim)
	require.NoError(t, err)
	other, err := redislimit.New(rs.Client(), "other", lim)
	require.NoError(t, err)

	require.NoError(t, a.Wait(ctxTimeout(t, time.Second)))
	require.NoError(t, b.Wait(ctxTimeout(t, time.Second)))
	err = a.Wait(ctxTimeout(t, 200*time.Millisecond))
	var de *redislimit.DelayError
	require.ErrorAs(t, err, &de, "the burst of 2 is spent between a and b")
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	assert.Greater(t, de.Delay, 8*time.Second, "the next slot is about 10 s away")
	assert.LessOrEqual(t, de.Delay, 10*time.Second)
	assert.False(t, de.Local)
	assert.Contains(t, err.Error(), `shared limit "shared"`)
	assert.NoError(t, other.Wait(ctxTimeout(t, time.Second)), "another name has its own budget")
	assert.Equal(t, redislimit.Stats{Granted: 1}, a.Stats())
}

// TestWaitSleepsForSlot: past the burst, Wait sleeps for Redis's
// retry-after and then gets the slot.
func TestWaitSleepsForSlot(t *testing.T) {
	rs := redistest.New(t)
	l, err := redislimit.New(rs.Client(), "sleep", redislimit.Limit{Rate: 10, Period: time.Second, Burst: 1})
	require.NoError(t, err)
	ctx := ctxTimeout(t, 5*time.Second)
	for range 4 {
		require.NoError(t, l.Wait(ctx))
	}
	st := l.Stats()
	assert.Equal(t, int64(4), st.Granted)
	assert.GreaterOrEqual(t, st.Retries, int64(3), "each request after the first waited for its slot")
}

func TestWaitEndsWithContext(t *testing.T) {
	rs := redistest.New(t)
	l, err := redislimit.New(rs.Client(), "cancel", redislimit.Limit{Rate: 1, Period: 10 * time.Second, Burst: 1})
	require.NoError(t, err)
	require.NoError(t, l.Wait(ctxTimeout(t, time.Second)))

	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(50*time.Millisecond, cancel)
	assert.ErrorIs(t, l.Wait(ctx), context.Canceled, "no deadline: it sleeps until the context is cancelled")
	assert.ErrorIs(t, l.Wait(ctx), context.Canceled, "an ended context fails at once")
}

// TestSecondLimitRefundsFirst: when the faster limit says no, the slot
// already taken from the slower one is given back.
func TestSecondLimitRefundsFirst(t *testing.T) {
	rs := redistest.New(t)
	rdb := rs.Client()
	l, err := redislimit.New(rdb, "two", redislimit.Limit{Rate: 1, Period: 10 * time.Second, Burst: 3},
		redislimit.WithLimit(redislimit.Limit{Rate: 1, Period: time.Second, Burst: 1}))
	require.NoError(t, err)
	slow := l.Keys()[0]
	require.Equal(t, "rate:creatorkit:two:10s", slow, "the slower limit is consulted first")

	require.NoError(t, l.Wait(ctxTimeout(t, time.Second)))
	before, err := rdb.Get(context.Background(), slow).Float64()
	require.NoError(t, err)

	err = l.Wait(ctxTimeout(t, 100*time.Millisecond))
	var de *redislimit.DelayError
	require.ErrorAs(t, err, &de, "the 1-a-second limit refuses the second request")
	after, err := rdb.Get(context.Background(), slow).Float64()
	require.NoError(t, err)
	assert.InDelta(t, before, after, 1e-6, "the 10-second limit's slot was given back")
	assert.Equal(t, int64(1), l.Stats().Refunds)
}

// TestKeysExpire: redis_rate sets a TTL on each key; a key left alone
// disappears once its limit is back to its initial state.
func TestKeysExpire(t *testing.T) {
	rs := redistest.New(t)
	rdb := rs.Client()
	ctx := context.Background()

	ec, err := redislimit.EngageCheck(rdb, "ttl")
	require.NoError(t, err)
	require.NoError(t, ec.Wait(ctxTimeout(t, time.Second)))
	ttl, err := rdb.PTTL(ctx, ec.Keys()[0]).Result()
	require.NoError(t, err)
	assert.Greater(t, ttl, time.Duration(0), "EngageCheck key has a TTL")
	assert.LessOrEqual(t, ttl, 2*time.Second, "one request at 57/min holds the key ~1.05 s, rounded up to whole seconds")

	short, err := redislimit.New(rdb, "ttl", redislimit.Limit{Rate: 10, Period: time.Second, Burst: 1})
	require.NoError(t, err)
	require.NoError(t, short.Wait(ctxTimeout(t, time.Second)))
	key := short.Keys()[0]
	ttl, err = rdb.PTTL(ctx, key).Result()
	require.NoError(t, err)
	assert.Greater(t, ttl, time.Duration(0))
	assert.LessOrEqual(t, ttl, time.Second)
	require.Eventually(t, func() bool { return rdb.Exists(ctx, key).Val() == 0 }, 3*time.Second, 20*time.Millisecond, "key never expired")
}

func TestFailClosed(t *testing.T) {
	logs := &logBuffer{}
	l, err := redislimit.EngageCheck(deadClient(t), "closed", redislimit.WithLogger(logs.logger()))
	require.NoError(t, err)
	for range 3 {
		err = l.Wait(ctxTimeout(t, 5*time.Second))
		require.ErrorIs(t, err, redislimit.ErrRedisUnavailable)
		var ue *redislimit.UnavailableError
		require.ErrorAs(t, err, &ue)
		assert.Equal(t, "closed", ue.Name)
		assert.Contains(t, err.Error(), "Redis unreachable")
		assert.Contains(t, err.Error(), "failing closed")
		assert.Contains(t, err.Error(), "connection refused")
	}
	assert.True(t, l.Degraded())
	assert.Equal(t, redislimit.Stats{Failures: 3}, l.Stats(), "each Wait tried Redis again")
	assert.Equal(t, 1, strings.Count(logs.String(), "failing closed"), "logged once per outage: %s", logs.String())
}

// TestFailClosedThroughClient: the client asks a failing limiter again
// within its retries, sends nothing, and the error says Redis is
// unreachable.
func TestFailClosedThroughClient(t *testing.T) {
	l, err := redislimit.EngageCheck(deadClient(t), "closed", redislimit.WithLogger(discard()))
	require.NoError(t, err)
	c, err := engagecheck.NewClient(engagecheck.WithAPIKey("ec_test_x"), engagecheck.WithBaseURL("http://127.0.0.1:1/api/v1"),
		engagecheck.WithLimiter(l), engagecheck.WithMaxRetries(1), engagecheck.WithRetryWait(time.Millisecond, time.Millisecond))
	require.NoError(t, err)
	_, err = c.Credits.Get(ctxTimeout(t, 5*time.Second))
	require.ErrorIs(t, err, redislimit.ErrRedisUnavailable)
	assert.NotErrorIs(t, err, engagecheck.ErrNetwork, "the vendor's network was never involved")
	assert.NotContains(t, err.Error(), "ec_test_x")
	assert.Equal(t, int64(2), l.Stats().Failures, "one try and one retry")
}

// TestDelayThroughClient: when the next shared slot lies past the call's
// deadline, the client fails at once, without retrying, and the error
// carries the *DelayError.
func TestDelayThroughClient(t *testing.T) {
	rs := redistest.New(t)
	srv := engagechecktest.NewServer()
	defer srv.Close()
	l, err := redislimit.New(rs.Client(), "delay", redislimit.Limit{Rate: 1, Period: time.Minute, Burst: 1})
	require.NoError(t, err)
	c, err := srv.NewClient(engagecheck.WithLimiter(l))
	require.NoError(t, err)
	_, err = c.Credits.Get(ctxTimeout(t, 5*time.Second))
	require.NoError(t, err)
	_, err = c.Credits.Get(ctxTimeout(t, 5*time.Second))
	var de *redislimit.DelayError
	require.ErrorAs(t, err, &de)
	assert.Greater(t, de.Delay, 50*time.Second)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	var e *engagecheck.Error
	require.ErrorAs(t, err, &e)
	assert.ErrorIs(t, err, engagecheck.ErrRateLimited)
	assert.Equal(t, de.Delay, e.RetryAfter)
	assert.Equal(t, 1, srv.Snapshot().TotalRequests(), "the second call sent nothing")
	assert.Equal(t, int64(1), l.Stats().Granted)
	t.Logf("error seen by the caller: %v", err)
}

func TestLocalFallback(t *testing.T) {
	logs := &logBuffer{}
	l, err := redislimit.New(deadClient(t), "fallback", redislimit.Limit{Rate: 10, Period: time.Second, Burst: 4},
		redislimit.WithLocalFallback(2), redislimit.WithLogger(logs.logger()))
	require.NoError(t, err)
	ctx := ctxTimeout(t, 5*time.Second)
	// 1/2 of 10/s with burst 4 is 5/s with burst 2, emptied when Redis
	// was lost: the first request waits ~200 ms, the next ~200 ms more.
	require.NoError(t, l.Wait(ctx))
	require.NoError(t, l.Wait(ctx))
	err = l.Wait(ctxTimeout(t, 20*time.Millisecond))
	var de *redislimit.DelayError
	require.ErrorAs(t, err, &de)
	assert.True(t, de.Local)
	assert.Contains(t, err.Error(), "local fallback bucket (Redis unreachable)")
	assert.True(t, l.Degraded())
	assert.Equal(t, redislimit.Stats{Fallback: 2, Failures: 1}, l.Stats(), "Redis is not retried before WithRecheck")
	assert.Equal(t, 1, strings.Count(logs.String(), "falling back to the local token bucket"), logs.String())
	assert.Contains(t, logs.String(), "share=\"1/2 of the shared limit\"")
}

// TestFallbackRecovers: after WithRecheck the limiter tries Redis again,
// and uses it once it is back.
func TestFallbackRecovers(t *testing.T) {
	rs := redistest.New(t)
	rs.Stop()
	logs := &logBuffer{}
	l, err := redislimit.New(rs.ClientWith(redis.Options{MaxRetries: -1}), "recover", redislimit.Limit{Rate: 100, Period: time.Second, Burst: 10},
		redislimit.WithLocalFallback(1), redislimit.WithRecheck(50*time.Millisecond), redislimit.WithLogger(logs.logger()))
	require.NoError(t, err)
	ctx := ctxTimeout(t, 5*time.Second)
	require.NoError(t, l.Wait(ctx))
	assert.Equal(t, int64(1), l.Stats().Fallback)

	require.NoError(t, rs.Restart())
	time.Sleep(60 * time.Millisecond)
	require.NoError(t, l.Wait(ctx))
	assert.False(t, l.Degraded())
	assert.Equal(t, int64(1), l.Stats().Granted)
	assert.Contains(t, logs.String(), "Redis reachable again")
}

// TestFrozenRedisDoesNotHang: a Redis that accepts connections but never
// answers (SIGSTOP) costs at most WithCallTimeout per Wait.
func TestFrozenRedisDoesNotHang(t *testing.T) {
	rs := redistest.New(t)
	rdb := rs.ClientWith(redis.Options{ContextTimeoutEnabled: true, MaxRetries: -1})
	l, err := redislimit.EngageCheck(rdb, "frozen", redislimit.WithCallTimeout(200*time.Millisecond), redislimit.WithLogger(discard()))
	require.NoError(t, err)
	require.NoError(t, l.Wait(ctxTimeout(t, time.Second)))
	require.NoError(t, rs.Freeze())
	defer func() { _ = rs.Thaw() }()

	ctx := ctxTimeout(t, 10*time.Second)
	err = l.Wait(ctx)
	require.ErrorIs(t, err, redislimit.ErrRedisUnavailable, "the call timeout, not the caller's 10 s, ended the wait")
	assert.NoError(t, ctx.Err())
}
