package creatorkitotel

import (
	"fmt"
	"testing"
	"testing/synctest"
	"time"

	"github.com/creatorkit/creatorkit-go/engagecheck"
	"github.com/creatorkit/creatorkit-go/engagecheck/engagechecktest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/trace"
)

// Issue 22's target: the span of a 500-handle EngageCheck roster shows
// every request and every rate-limit wait, and its metrics' request count
// equals the fake's. On the fake's real pace (60 requests a minute) on
// the bubble's clock: every request the fake saw is an attempt event on a
// call span that is the roster's child, the attempts' rate-limit waits
// add up to Usage.RateLimitWait, and the counters equal the fake's and
// Usage's counts.
func TestRosterOf500ShowsEveryRequestAndWait(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		const n = 500
		srv := engagechecktest.NewServer(engagechecktest.WithVirtualTime(), engagechecktest.WithCredits(2*n))
		t.Cleanup(srv.Close)
		h := newHarness(t)
		c, err := srv.NewClient(engagecheck.WithObserver(h.obs))
		require.NoError(t, err)
		handles := make([]string, n)
		for i := range handles {
			handles[i] = fmt.Sprintf("roster_%03d", i)
		}
		answered := 0
		for a, err := range c.Audits.CreateAndWaitAll(testCtx(t), handles, srv.PollOptions()...) {
			require.NoError(t, err)
			require.Equal(t, engagecheck.StatusComplete, a.Value.Status)
			answered++
		}
		require.Equal(t, n, answered)
		snap, u := srv.Snapshot(), c.Usage()

		ended := h.spans.Ended()
		require.Len(t, h.spans.Started(), len(ended), "every span ended")
		var roster trace.SpanContext
		var took time.Duration
		for _, s := range ended {
			if s.Name() == "Audits.CreateAndWaitAll" {
				require.False(t, roster.IsValid(), "one roster span")
				roster = s.SpanContext()
				took = s.EndTime().Sub(s.StartTime())
				a := attrs(s.Attributes())
				assert.Equal(t, int64(n), a["creatorkit.items"])
				assert.NotContains(t, a, "error.type")
			}
		}
		require.True(t, roster.IsValid())

		events, waited, polls := 0, 0, 0
		calls := map[string]int{}
		var wait float64
		for _, s := range ended {
			if s.SpanContext().Equal(roster) {
				polls = int(attrs(s.Attributes())["creatorkit.polls"].(int64))
				continue
			}
			require.Equal(t, roster.SpanID(), s.Parent().SpanID(), "%s is the roster's child", s.Name())
			require.Equal(t, roster.TraceID(), s.SpanContext().TraceID())
			calls[s.Name()]++
			for _, e := range s.Events() {
				events++
				w, ok := attrs(e.Attributes)["creatorkit.rate_limit_wait"].(float64)
				require.True(t, ok, "every attempt records its rate-limit wait")
				wait += w
				if w > 0 {
					waited++
				}
			}
		}
		assert.Equal(t, snap.TotalRequests(), events, "an attempt event under the roster per request the fake saw")
		assert.Positive(t, u.RateLimitWait)
		assert.Positive(t, waited, "the waits at 60 a minute are on the attempts")
		assert.InDelta(t, u.RateLimitWait.Seconds(), wait, 1e-6*float64(events), "the attempts' rate-limit waits add up to Usage's")
		// Its polls are its list reads and its probes of audits the list
		// did not reach; the other reads by id fetch settled audits.
		assert.GreaterOrEqual(t, polls, calls["GET audits"])
		assert.LessOrEqual(t, polls, calls["GET audits"]+calls["GET audits/{id}"])

		m := h.metrics(t)
		assert.Equal(t, int64(snap.TotalRequests()), total(m, "creatorkit.request.count"), "the request count equals the fake's")
		assert.Equal(t, u.Requests, total(m, "creatorkit.request.count"))
		assert.Equal(t, int64(snap.Count(429)), total(m, "creatorkit.rate_limited.count"))
		k, sum := hist(m, "creatorkit.rate_limit.wait.duration")
		assert.Equal(t, uint64(events), k)
		assert.InDelta(t, u.RateLimitWait.Seconds(), sum, 1e-6*float64(events))
		assert.Equal(t, u.Spent, total(m, "creatorkit.spend.spent"))
		assert.Equal(t, snap.TotalCredits(), u.Spent)
		t.Logf("%d handles in %v (virtual): %d spans under the roster %v, %d attempt events = %d requests at the fake (%d 429s); "+
			"%d attempts waited for the limit, %v in all (Usage: %v); %d polls; spent %d credits",
			n, took, len(ended)-1, calls, events, snap.TotalRequests(), snap.Count(429), waited, wait, u.RateLimitWait, polls, u.Spent)
	})
}
