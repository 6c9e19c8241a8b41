package hypeauditor_test

import (
	"errors"
	"fmt"
	"testing"
	"testing/synctest"
	"time"

	"github.com/creatorkit/creatorkit-go/hypeauditor"
	"github.com/creatorkit/creatorkit-go/hypeauditor/hypeauditortest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// One retry policy: a wait outlasts as many failed checks in a row as
// the client's WithMaxRetries (each after the transport's own retries),
// and the next one ends it with the transport's error, never a timeout.
// Here every check after the first meets a 503: with 3 retries the wait
// ends at the fourth failed check (16 attempts after the first answer),
// with WithMaxRetries(0) at the first (one attempt).
func TestWaitEndsAfterMaxRetriesFailedChecksInARow(t *testing.T) {
	t.Parallel()
	for _, retries := range []int{3, 0} {
		t.Run(fmt.Sprintf("WithMaxRetries(%d)", retries), func(t *testing.T) {
			t.Parallel()
			synctest.Test(t, func(t *testing.T) {
				srv, _ := newFake(t)
				c, err := srv.NewClient(hypeauditor.WithMaxRetries(retries))
				require.NoError(t, err)
				failing := hypeauditor.WithProgress(func(p hypeauditor.Progress) {
					if p.Checks == 1 { // the report is paid and generating: the key turns bad
						srv.SetFaults(hypeauditortest.Faults{Routes: []string{hypeauditortest.RouteTikTok}, ErrorRate: map[int]float64{503: 1}})
					}
				})
				r, err := c.Reports.TikTokAndWait(testCtx(t), hypeauditor.TikTokParams{Channel: "khaby.lame"}, append(srv.PollOptions(), failing)...)
				assert.Nil(t, r)
				require.ErrorIs(t, err, hypeauditor.ErrServer)
				var e *hypeauditor.Error
				require.ErrorAs(t, err, &e)
				assert.Equal(t, 503, e.StatusCode, "the transport's last answer")
				assert.Equal(t, retries+1, e.Attempts)
				var te *hypeauditor.TimeoutError
				assert.False(t, errors.As(err, &te), "not a timeout: %v", err)
				failedChecks := retries + 1
				assert.Equal(t, 1+failedChecks*(retries+1), srv.Snapshot().Requests[hypeauditortest.RouteTikTok],
					"the first answer, then %d failed checks of %d attempts each", failedChecks, retries+1)
			})
		})
	}
}

// The reconcile path of a wait (asking again after the answer to the
// request that may have unlocked the report was lost) is bounded the same
// way: every answer lost, the wait ends after WithMaxRetries+1 checks in a
// row failed, with the transport's error, and the report was paid once.
func TestWaitReaskOfALostAnswerIsBounded(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv, c := newFake(t, hypeauditortest.WithFaults(hypeauditortest.Faults{Routes: []string{hypeauditortest.RouteTwitch}, DropAfterRate: 1}))
		start := time.Now()
		r, err := c.Reports.TwitchAndWait(testCtx(t), hypeauditor.ChannelParams{Channel: "lostforever"}, srv.PollOptions()...)
		assert.Nil(t, r)
		require.ErrorIs(t, err, hypeauditor.ErrNetwork, "the last free check's, after its four attempts")
		var te *hypeauditor.TimeoutError
		assert.False(t, errors.As(err, &te), "not a timeout: %v", err)
		// The paid first request is sent once; each of the three re-asks
		// is a free check the transport tries four times.
		assert.Equal(t, 1+3*4, srv.Snapshot().Requests[hypeauditortest.RouteTwitch])
		assert.EqualValues(t, 1, srv.Snapshot().Credits[hypeauditortest.RouteTwitch], "paid once")
		assert.Less(t, time.Since(start), 5*time.Minute, "ended by itself, long before the context")
		u := c.Usage()
		assert.Equal(t, [2]int64{0, 1}, [2]int64{u.Spent, u.SpentUnknown}, "the lost answer's credit stays unknown")
	})
}
