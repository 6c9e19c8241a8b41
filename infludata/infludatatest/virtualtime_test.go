package infludatatest_test

import (
	"testing"
	"testing/synctest"
	"time"

	"github.com/creatorkit/creatorkit-go/infludata"
	"github.com/creatorkit/creatorkit-go/infludata/infludatatest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// WithVirtualTime: inside a synctest bubble the fake serves in memory at
// the vendor's real durations, and NewClient reaches it; the two-minute
// enrichment passes on the bubble's clock.
func TestVirtualTime(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv := infludatatest.NewServer(infludatatest.WithVirtualTime())
		defer srv.Close()
		assert.Equal(t, "http://infludata.fake.invalid", srv.URL)
		c, err := srv.NewClient()
		require.NoError(t, err)
		start := time.Now()
		p, err := c.Profiles.GetAndWait(t.Context(), infludata.GetProfileParams{Platform: infludata.Instagram, Username: "new_creator_2026"}, srv.PollOptions()...)
		require.NoError(t, err)
		assert.NotNil(t, p)
		assert.GreaterOrEqual(t, time.Since(start), 2*time.Minute, "the enrichment took its documented time, virtually")
	})
}
