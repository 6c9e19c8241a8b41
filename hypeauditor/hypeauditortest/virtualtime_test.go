package hypeauditortest_test

import (
	"testing"
	"testing/synctest"
	"time"

	"github.com/creatorkit/creatorkit-go/hypeauditor"
	"github.com/creatorkit/creatorkit-go/hypeauditor/hypeauditortest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// WithVirtualTime: inside a synctest bubble the fake serves in memory at
// the vendor's real durations, and NewClient reaches it; the 90-second
// report generation passes on the bubble's clock.
func TestVirtualTime(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv := hypeauditortest.NewServer(hypeauditortest.WithVirtualTime())
		defer srv.Close()
		assert.Equal(t, "http://hypeauditor.fake.invalid", srv.URL)
		c, err := srv.NewClient()
		require.NoError(t, err)
		start := time.Now()
		r, err := c.Reports.InstagramAndWait(t.Context(), hypeauditor.InstagramParams{Username: "nasa"}, srv.PollOptions()...)
		require.NoError(t, err)
		assert.NotNil(t, r)
		assert.GreaterOrEqual(t, time.Since(start), 90*time.Second, "the report took its documented time, virtually")
	})
}
