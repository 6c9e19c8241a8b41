package infludata

import (
	"time"

	"github.com/creatorkit/creatorkit-go/internal/transport"
)

// influData's fair-usage guidance (GitHub README v2.3, "Fair Usage
// Guidelines"): at most 100 discovery searches and 500 profile requests an
// hour per key. The client paces itself by them by default, on top of the
// plan's burst limits, so a long job waits instead of being refused.
const (
	FairUsageDiscoveryPerHour = 100
	FairUsageProfilesPerHour  = 500
)

// Pace groups of the fair-usage windows.
const (
	paceDiscovery = "discovery"
	paceProfiles  = "profiles"
)

// FairUsage are the windows of influData's fair-usage guidance the client
// paces itself by; a Window with N 0 turns its pacing off.
type FairUsage struct {
	// Discovery paces discovery searches (Discovery.Search and every page
	// of SearchAll): by default 100 an hour.
	Discovery Window
	// Profiles paces profile requests: getUserData (Profiles.Get and the
	// paid call of GetAndWait and GetAndWaitAll), by default 500 an hour.
	// checkDataStatus is not counted: the guidance speaks of profiles
	// (the profile data getUserData sells), while influData presents
	// checkDataStatus as free metadata and builds its own recommended
	// flow on polling it for every creator before the paid call; the
	// waits' polls are paced by the burst limits alone.
	Profiles Window
}

// DefaultFairUsage returns influData's documented fair-usage windows: 100
// discovery searches and 500 profile requests an hour.
func DefaultFairUsage() FairUsage {
	return FairUsage{
		Discovery: Window{N: FairUsageDiscoveryPerHour, Per: time.Hour},
		Profiles:  Window{N: FairUsageProfilesPerHour, Per: time.Hour},
	}
}

func (f FairUsage) windows() map[string][]Window {
	ws := map[string][]Window{}
	for group, w := range map[string]Window{paceDiscovery: f.Discovery, paceProfiles: f.Profiles} {
		if w.N > 0 {
			ws[group] = []Window{w}
		}
	}
	return ws
}

// WithFairUsage paces discovery searches and profile requests by hourly
// limits other than influData's guidance (100 and 500 an hour): for a key
// influData allows more, or fewer. 0 turns that pacing off; a negative
// value is ErrInvalidParams. See WithFairUsageWindows for other periods.
//
// Up to N requests go at once, and no hour sees more than N of this
// client's requests, retries included: a slot comes free an hour after
// the answer it went to. Beyond that a
// request waits for room; it fails only when the context's deadline comes
// first (ErrRateLimited, nothing sent). The pacing is this client's: it is
// not replaced by WithRateLimit, WithWindows or WithLimiter, and clients
// sharing a key each keep their own.
func WithFairUsage(discoveryPerHour, profilesPerHour int) Option {
	return func(c *config) error {
		if discoveryPerHour < 0 || profilesPerHour < 0 {
			return transport.InvalidParams(vendor, "NewClient", "WithFairUsage", "hourly limits must be >= 0 (0 turns pacing off), got %d and %d", discoveryPerHour, profilesPerHour)
		}
		c.PaceWindows = FairUsage{Discovery: Window{N: discoveryPerHour, Per: time.Hour}, Profiles: Window{N: profilesPerHour, Per: time.Hour}}.windows()
		return nil
	}
}

// WithFairUsageWindows is WithFairUsage with any period: the
// infludatatest fake uses it to pace a client on its time scale. A Window
// with N 0 turns that pacing off; a negative N or a Per <= 0 with N > 0 is
// ErrInvalidParams.
func WithFairUsageWindows(f FairUsage) Option {
	return func(c *config) error {
		for name, w := range map[string]Window{"Discovery": f.Discovery, "Profiles": f.Profiles} {
			if w.N < 0 || (w.N > 0 && w.Per <= 0) {
				return transport.InvalidParams(vendor, "NewClient", "WithFairUsageWindows", "the %s window must have N >= 0 and, when N > 0, Per > 0; got %d per %s", name, w.N, w.Per)
			}
		}
		c.PaceWindows = f.windows()
		return nil
	}
}
