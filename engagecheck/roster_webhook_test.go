package engagecheck_test

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/creatorkit/creatorkit-go/engagecheck"
	"github.com/creatorkit/creatorkit-go/engagecheck/engagechecktest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// hookFake is a fake on the bubble's clock whose webhooks reach a
// receiver; it returns the receiver and its public URL.
func hookFake(t *testing.T, opts ...engagechecktest.Option) (*engagechecktest.Server, *engagecheck.WebhookReceiver, string) {
	t.Helper()
	srv := engagechecktest.NewServer(append([]engagechecktest.Option{engagechecktest.WithVirtualTime(), engagechecktest.WithCredits(10000)}, opts...)...)
	t.Cleanup(srv.Close)
	recv := engagecheck.NewWebhookReceiver()
	return srv, recv, srv.ServeWebhooks(recv)
}

// With every webhook delivered, the roster reads no audit: one balance
// check and one submit per 50 handles, and each report from its event.
func TestCreateAndWaitAllWebhooksReadNothing(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv, recv, url := hookFake(t)
		c, ct := countedClient(t, srv)
		roster := append(handles(120), "@Creator_001", "someprivate", "not a handle!")
		ok, failed := collect(t, c.Audits.CreateAndWaitAll(testCtx(t), roster, append(srv.PollOptions(), engagecheck.WithWebhooks(recv, url))...))
		assert.Len(t, ok, 121)
		assert.Same(t, ok["creator_001"], ok["@Creator_001"], "the duplicate gets the one result")
		require.Len(t, failed, 2)
		assert.ErrorIs(t, failed["someprivate"], engagecheck.ErrAuditFailed)
		assert.Contains(t, failed["someprivate"].Error(), "Account is private (EngageCheck refunded the credit)")
		a := ok["creator_000"]
		assert.NotEmpty(t, a.Raw, "the event's body")
		assert.Nil(t, a.Response, "no response: it came by webhook")
		assert.Positive(t, a.Report.Profile.FollowersCount)
		assert.EqualValues(t, 1+3, ct.Requests.Load(), "one balance check and three batches")
		assert.Zero(t, srv.Snapshot().Requests[engagechecktest.RouteGet])
		assert.Equal(t, int64(120), c.Usage().Spent, "the refund the event reported is taken off")
	})
}

// Lost webhooks: an audit whose event is overdue is looked up in the
// list, then fetched; every handle is answered once, paid once.
func TestCreateAndWaitAllWebhooksLost(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv, recv, url := hookFake(t, engagechecktest.WithWebhookLoss(0.3), engagechecktest.WithSeed(11))
		c, ct := countedClient(t, srv)
		var last engagecheck.Progress
		opts := append(srv.PollOptions(), engagecheck.WithWebhooks(recv, url), engagecheck.WithProgress(func(p engagecheck.Progress) { last = p }))
		requireAllComplete(t, c.Audits.CreateAndWaitAll(testCtx(t), handles(100), opts...), 100)
		lost := srv.LostWebhooks()
		require.Positive(t, lost)
		snap := srv.Snapshot()
		assert.EqualValues(t, 100, snap.Credits[engagechecktest.RouteBatch])
		assert.Equal(t, lost, snap.Requests[engagechecktest.RouteGet], "one GET per lost event")
		assert.LessOrEqual(t, float64(ct.Requests.Load()), 3+float64(lost)*1.5, "a lost event costs at most a share of a list read and one GET")
		t.Logf("100 handles, %d events lost: %d requests (%d list reads, %d reads by id)", lost, ct.Requests.Load(), last.Polls, snap.Requests[engagechecktest.RouteGet])
	})
}

// delayedBatches holds the answer of every batch submit for d, so the
// audits' webhooks arrive before the roster knows their ids.
type delayedBatches struct {
	base http.RoundTripper
	d    time.Duration
}

func (t delayedBatches) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := t.base.RoundTrip(r)
	if r.Method == http.MethodPost {
		time.Sleep(t.d)
	}
	return resp, err
}

// Events that arrive before the batch answer names their audits are kept
// until it does; events for audits the roster did not submit are ignored;
// a second event for an audit is dropped. Two rosters share one receiver.
func TestCreateAndWaitAllWebhooksEarlyForeignAndDuplicate(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv, recv, url := hookFake(t, engagechecktest.WithSequentialBatches(false),
			engagechecktest.WithDurations(engagechecktest.Durations{Scraping: time.Second}))
		c, err := srv.NewClient(engagecheck.WithHTTPClient(&http.Client{Transport: delayedBatches{srv.HTTPClient().Transport, 30 * time.Second}}))
		require.NoError(t, err)
		// Another job on the key sends its audits' webhooks to the same URL.
		other, err := srv.NewClient()
		require.NoError(t, err)
		_, err = other.Audits.CreateBatch(testCtx(t), engagecheck.CreateBatchParams{Usernames: []string{"other_a", "other_b"}, WebhookURL: url})
		require.NoError(t, err)

		var wg sync.WaitGroup
		results := make([]map[string]*engagecheck.Audit, 2)
		for i := range 2 {
			wg.Go(func() {
				names := []string{fmt.Sprintf("roster%d_a", i), fmt.Sprintf("roster%d_b", i)}
				ok, failed := collect(t, c.Audits.CreateAndWaitAll(testCtx(t), names, append(srv.PollOptions(), engagecheck.WithWebhooks(recv, url))...))
				assert.Empty(t, failed)
				results[i] = ok
			})
		}
		wg.Wait()
		for i, ok := range results {
			assert.Len(t, ok, 2, "roster %d", i)
			for name, a := range ok {
				assert.Equal(t, name, a.Username, "each roster got its own audits")
			}
		}
		assert.Zero(t, srv.Snapshot().Requests[engagechecktest.RouteGet], "the early events were kept, not lost")
		assert.Zero(t, srv.Snapshot().Requests[engagechecktest.RouteList])

		// A duplicate and a stranger's event: accepted (nil), nothing else.
		ev, err := engagecheck.ParseWebhookBody([]byte(`{"event":"audit.completed","id":142,"username":"roster0_a"}`))
		require.NoError(t, err)
		assert.NoError(t, recv.Deliver(context.Background(), ev))
		ev.ID = 99999
		assert.NoError(t, recv.Deliver(context.Background(), ev))
		assert.Error(t, recv.Deliver(context.Background(), nil))
	})
}
