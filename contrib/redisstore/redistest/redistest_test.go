package redistest_test

import (
	"context"
	"testing"
	"time"

	"github.com/creatorkit/creatorkit-go/contrib/redisstore/redistest"
	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func ping(c *redis.Client) error {
	ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
	defer cancel()
	return c.Ping(ctx).Err()
}

func TestLifecycle(t *testing.T) {
	s := redistest.New(t)
	assert.Regexp(t, `^127\.0\.0\.1:\d+$`, s.Addr)
	assert.True(t, s.Running())
	c := s.ClientWith(redis.Options{MaxRetries: -1, ContextTimeoutEnabled: true})
	require.NoError(t, ping(c))
	require.NoError(t, c.Set(context.Background(), "k", "v", 0).Err())

	require.NoError(t, s.Freeze())
	assert.Error(t, ping(c), "a frozen server does not answer")
	require.NoError(t, s.Thaw())
	require.NoError(t, ping(c))

	s.Stop()
	assert.False(t, s.Running())
	assert.Error(t, ping(c), "a stopped server refuses connections")
	assert.Error(t, s.Freeze())

	require.NoError(t, s.Restart())
	require.NoError(t, ping(c))
	assert.Equal(t, int64(0), c.Exists(context.Background(), "k").Val(), "persistence is off: a restart starts empty")
	assert.Error(t, s.Restart(), "already running")
}

func TestServersAreSeparate(t *testing.T) {
	a, b := redistest.New(t), redistest.New(t)
	assert.NotEqual(t, a.Addr, b.Addr)
	require.NoError(t, a.Client().Set(context.Background(), "k", "a", 0).Err())
	assert.Equal(t, int64(0), b.Client().Exists(context.Background(), "k").Val())
}
