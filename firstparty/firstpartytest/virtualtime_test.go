package firstpartytest_test

import (
	"io"
	"net/http"
	"net/url"
	"testing"
	"testing/synctest"
	"time"

	"github.com/creatorkit/creatorkit-go/firstparty"
	"github.com/creatorkit/creatorkit-go/firstparty/firstpartytest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// WithVirtualTime: inside a synctest bubble the fake serves in memory at
// the vendor's real durations, NewClient and Connect reach it, the
// one-minute insights delay passes on the bubble's clock, and the webhook
// reaches a receiver of ServeWebhooks.
func TestVirtualTime(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv := firstpartytest.NewServer(firstpartytest.WithVirtualTime())
		defer srv.Close()
		assert.Equal(t, "http://firstparty.fake.invalid", srv.URL)
		hooks := make(chan string, 1)
		srv.SetWebhookURL(srv.ServeWebhooks(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			b, _ := io.ReadAll(r.Body)
			hooks <- string(b)
		})))
		c, err := srv.NewClient()
		require.NoError(t, err)
		ctx := t.Context()
		v, err := c.Verification.CreateURL(ctx, firstparty.CreateVerificationURLParams{Platform: firstparty.Instagram, RedirectURL: "http://localhost/cb", State: "st"})
		require.NoError(t, err)
		loc, err := srv.Connect(v.RedirectURL)
		require.NoError(t, err)
		u, err := url.Parse(loc)
		require.NoError(t, err)
		ver, err := c.Verification.Verify(ctx, firstparty.VerifyCreatorParams{State: "st", Token: u.Query().Get("token")})
		require.NoError(t, err)
		start := time.Now()
		in, err := c.Insights.GetAndWait(ctx, firstparty.GetInsightsParams{CreatorID: ver.CreatorID}, srv.PollOptions()...)
		require.NoError(t, err)
		assert.NotNil(t, in)
		assert.GreaterOrEqual(t, time.Since(start), time.Minute, "the insights took their documented time, virtually")
		assert.Contains(t, <-hooks, "creator_insights_1p")
	})
}
