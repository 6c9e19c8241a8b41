package engagechecktest

import (
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A handle audited again and again keeps only the audits that can still
// be fresh: the list fresh reads does not grow with the handle's history.
func TestFreshKeepsOnlyWhatCanStillBeFresh(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		s := NewServer(WithVirtualTime(), WithRateLimit(0, 0), WithFreshFor(time.Hour))
		defer s.Close()
		s.AddAudits("again", "again")
		time.Sleep(time.Hour + time.Nanosecond) // longer than freshFor: both are stale for good
		last := s.AddAudits("again")[0]
		s.mu.Lock()
		list := s.byName["again"]
		s.mu.Unlock()
		require.Len(t, list, 1, "the stale audits were dropped")
		assert.Equal(t, last, list[0].id)
	})
}
