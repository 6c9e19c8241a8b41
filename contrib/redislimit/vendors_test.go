package redislimit_test

import (
	"context"
	"testing"
	"time"

	"github.com/creatorkit/creatorkit-go/contrib/redislimit"
	"github.com/creatorkit/creatorkit-go/contrib/redislimit/redistest"
	"github.com/creatorkit/creatorkit-go/creatoraudit"
	"github.com/creatorkit/creatorkit-go/engagecheck"
	"github.com/creatorkit/creatorkit-go/firstparty"
	"github.com/creatorkit/creatorkit-go/hypeauditor"
	"github.com/creatorkit/creatorkit-go/infludata"
	"github.com/creatorkit/creatorkit-go/infludata/infludatatest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Every vendor client takes a *Limiter through its WithLimiter option.
// (CreatorAudit and HypeAuditor join this list when their packages land.)
var (
	_ = engagecheck.WithLimiter((*redislimit.Limiter)(nil))
	_ = infludata.WithLimiter((*redislimit.Limiter)(nil))
	_ = firstparty.WithLimiter((*redislimit.Limiter)(nil))
	_ = creatoraudit.WithLimiter((*redislimit.Limiter)(nil))
	_ = hypeauditor.WithLimiter((*redislimit.Limiter)(nil))
)

// TestInfluDataThroughRedis: an influData client paced by the two-window
// trial limiter in Redis gets its answer, and both windows' keys are
// written.
func TestInfluDataThroughRedis(t *testing.T) {
	rs := redistest.New(t)
	rdb := rs.Client()
	srv := infludatatest.NewServer()
	defer srv.Close()
	lim, err := redislimit.InfluDataTrial(rdb, "agency-trial")
	require.NoError(t, err)
	c, err := srv.NewClient(infludata.WithLimiter(lim))
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_, err = c.Account.Get(ctx, infludata.ClientInfoParams{})
	require.NoError(t, err)
	assert.Equal(t, int64(1), lim.Stats().Granted)
	for _, k := range lim.Keys() {
		assert.Equal(t, int64(1), rdb.Exists(ctx, k).Val(), k)
	}
}
