package engagechecktest

import (
	"io"
	"net/http"
	"testing"
	"testing/synctest"
	"time"

	"github.com/creatorkit/creatorkit-go/engagecheck"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// WithVirtualTime: inside a synctest bubble the fake serves in memory at
// the vendor's real durations, NewClient reaches it, the documented 42 s
// audit passes on the bubble's clock (to the poll that finds it done),
// and its webhook reaches a receiver of ServeWebhooks when it ends.
func TestVirtualTime(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv := NewServer(WithVirtualTime())
		defer srv.Close()
		assert.Equal(t, "http://engagecheck.fake.invalid", srv.URL)
		hooked := make(chan time.Time, 1)
		hook := srv.ServeWebhooks(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			_, _ = io.Copy(io.Discard, r.Body)
			hooked <- time.Now()
		}))
		c, err := srv.NewClient()
		require.NoError(t, err)
		start := time.Now()
		a, err := c.Audits.CreateAndWait(t.Context(), engagecheck.CreateAuditParams{Username: "natgeo", WebhookURL: hook}, srv.PollOptions()...)
		require.NoError(t, err)
		assert.Equal(t, engagecheck.StatusComplete, a.Status)
		took := time.Since(start)
		assert.GreaterOrEqual(t, took, 42*time.Second, "the audit took its documented time, virtually")
		assert.Less(t, took, 42*time.Second+srv.Scale(30*time.Second)+time.Second, "found by a poll at most one interval later")
		assert.Equal(t, 42*time.Second, (<-hooked).Sub(start), "the webhook went out when the audit ended")
	})
}
