package creatoraudittest_test

import (
	"testing"
	"testing/synctest"
	"time"

	"github.com/creatorkit/creatorkit-go/creatoraudit"
	"github.com/creatorkit/creatorkit-go/creatoraudit/creatoraudittest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// WithVirtualTime: inside a synctest bubble the fake serves in memory at
// the vendor's real durations, and NewClient reaches it; the 30-second
// scrape passes on the bubble's clock.
func TestVirtualTime(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv := creatoraudittest.NewServer(creatoraudittest.WithVirtualTime())
		defer srv.Close()
		assert.Equal(t, "http://creatoraudit.fake.invalid", srv.URL)
		c, err := srv.NewClient()
		require.NoError(t, err)
		start := time.Now()
		a, err := c.Accounts.Create(t.Context(), creatoraudit.CreateAccountParams{Platform: creatoraudit.Instagram, Username: "natgeo"})
		require.NoError(t, err)
		a, err = c.Accounts.GetAndWait(t.Context(), a.ID, srv.PollOptions()...)
		require.NoError(t, err)
		assert.True(t, a.Scraped())
		assert.GreaterOrEqual(t, time.Since(start), 30*time.Second, "the scrape took its documented time, virtually")
	})
}
