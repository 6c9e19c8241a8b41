package hypeauditor_test

import (
	"errors"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/creatorkit/creatorkit-go/hypeauditor"
	"github.com/creatorkit/creatorkit-go/hypeauditor/hypeauditortest"
	"github.com/creatorkit/creatorkit-go/internal/vendortest"
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
	vendortest.Retries(t, "WithMaxRetries(%d)", []int{3, 0}, func(t *testing.T, retries int) {
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

// WithPollInterval shapes only the waits' own intervals: without a
// retryTtl (a report HypeAuditor is still calculating) the checks come
// after first, then half as long again each time up to the ceiling;
// a retryTtl is the wait, never shortened, whatever the intervals say.
func TestWaitIntervals(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv, c := newFake(t)
		var stamps []time.Duration
		start := time.Now()
		record := hypeauditor.WithProgress(func(p hypeauditor.Progress) { stamps = append(stamps, p.Elapsed) })
		r, err := c.Reports.TwitchAndWait(testCtx(t), hypeauditor.ChannelParams{Channel: "calculating_one"},
			hypeauditor.WithPollInterval(10*time.Second, 20*time.Second), record)
		require.NoError(t, err)
		assert.True(t, r.Ready())
		// 90 s of calculation: checks at 0, 10, 25 (10 x 1.5), then every
		// 20 s (the ceiling); the first after 90 s is at 105 s.
		assert.Equal(t, []time.Duration{0, 10 * time.Second, 25 * time.Second, 45 * time.Second, 65 * time.Second, 85 * time.Second}, stamps)
		assert.Equal(t, 105*time.Second, time.Since(start))

		stamps = nil
		start = time.Now()
		_, err = c.Reports.SnapchatAndWait(testCtx(t), hypeauditor.ChannelParams{Channel: "ttl_one"},
			hypeauditor.WithPollInterval(time.Second, 2*time.Second), record)
		require.NoError(t, err)
		assert.Equal(t, []time.Duration{0, 30 * time.Second, 60 * time.Second}, stamps, "retryTtl (30 s) is the wait")
		assert.Equal(t, 90*time.Second, time.Since(start))
		assert.Equal(t, 4, srv.Snapshot().Requests[hypeauditortest.RouteSnapchat])
	})
}

// The wait options are checked before anything is sent, with the same
// defaults for every wait: WithPollInterval(first, 0) keeps the default
// ceiling; a bad value, or WithMaxRetryTTL where HypeAuditor sends no
// retryTtl (the market analysis waits), is refused naming the option.
func TestWaitOptionsRefusedBeforeSending(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	market := hypeauditor.CompetitorAnalysisParams{Username: "gucci", DateFrom: "2022-08-14", DateTo: "2022-09-13"}
	for name, call := range map[string]func() error{
		"WithPollInterval(0, 0)": func() error {
			_, err := c.Reports.TwitchAndWait(ctx, hypeauditor.ChannelParams{Channel: "nasa"}, hypeauditor.WithPollInterval(0, 0))
			return err
		},
		"WithPollInterval(2s, 1s)": func() error {
			_, err := c.Reports.TwitchAndWait(ctx, hypeauditor.ChannelParams{Channel: "nasa"}, hypeauditor.WithPollInterval(2*time.Second, time.Second))
			return err
		},
		"WithMaxRetryTTL(0)": func() error {
			_, err := c.Reports.PDFAndWait(ctx, hypeauditor.PDFParams{Platform: hypeauditor.Twitch, Account: "nasa"}, hypeauditor.WithMaxRetryTTL(0))
			return err
		},
		"WithMaxRetryTTL": func() error {
			_, err := c.MarketAnalysis.CreateAndWait(ctx, market, hypeauditor.WithMaxRetryTTL(time.Hour))
			return err
		},
	} {
		err := call()
		require.ErrorIs(t, err, hypeauditor.ErrInvalidParams, name)
		assert.Contains(t, err.Error(), name[:strings.Index(name+"(", "(")], "the error names the option")
	}
	assert.Zero(t, mt.GetTotalCallCount(), "nothing sent")
}
