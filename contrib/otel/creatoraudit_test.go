package creatorkitotel

import (
	"testing"
	"testing/synctest"

	"github.com/creatorkit/creatorkit-go/creatoraudit"
	"github.com/creatorkit/creatorkit-go/creatoraudit/creatoraudittest"
	"github.com/stretchr/testify/require"
)

// CreatorAudit on its fake, with 503s on every route: an account tracked
// and waited for, and a search. Spans, metrics and the traceparent the
// fake received match the fake's count and Usage; no key, handle, account
// id or query value is recorded.
func TestCreatorAuditOnFake(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv := creatoraudittest.NewServer(creatoraudittest.WithVirtualTime(), creatoraudittest.WithSeed(4))
		t.Cleanup(srv.Close)
		h := newHarness(t, tracing)
		hc, headers := logged(srv.HTTPClient())
		c, err := srv.NewClient(creatoraudit.WithObserver(h.obs), creatoraudit.WithHTTPClient(hc), creatoraudit.WithMaxRetries(8))
		require.NoError(t, err)
		ctx := testCtx(t)
		srv.SetFaults(creatoraudittest.Faults{ErrorRate: map[int]float64{503: 0.25}})

		a, err := c.Accounts.Create(ctx, creatoraudit.CreateAccountParams{Platform: creatoraudit.Instagram, Username: "otel_probe_account"})
		require.NoError(t, err)
		_, err = c.Accounts.GetAndWait(ctx, a.ID, srv.PollOptions()...)
		require.NoError(t, err)
		_, err = c.Search.Query(ctx, creatoraudit.SearchParams{Q: "otel_probe_query"})
		require.NoError(t, err)

		h.verify(t, vendorRun{
			vendor: "creatoraudit", requests: srv.Snapshot().TotalRequests(), usage: c.Usage(),
			wait: "Accounts.GetAndWait", check: "Accounts.Get", headers: headers,
			values: []string{srv.APIKey, "otel_probe_account", "otel_probe_query", a.ID},
		})

		plain := newHarness(t)
		hc, headers = logged(srv.HTTPClient())
		srv.SetFaults(creatoraudittest.Faults{})
		c, err = srv.NewClient(creatoraudit.WithObserver(plain.obs), creatoraudit.WithHTTPClient(hc))
		require.NoError(t, err)
		_, err = c.Accounts.Get(ctx, a.ID)
		require.NoError(t, err)
		noTraceHeaders(t, headers)
	})
}
