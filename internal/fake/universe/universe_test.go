package universe_test

import (
	"fmt"
	"math"
	"slices"
	"testing"
	"time"

	"github.com/creatorkit/creatorkit-go/internal/fake/universe"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var platforms = []string{universe.Instagram, universe.TikTok, universe.YouTube, universe.Twitter, universe.Twitch, universe.Facebook, universe.Snapchat}

// handles are the pinned handles and a few hundred made-up ones.
func handles() []string {
	hs := universe.Pinned()
	for i := range 120 {
		hs = append(hs, fmt.Sprintf("someone_%d", i), fmt.Sprintf("ig_creator_%03d", i))
	}
	return hs
}

func TestDeterministic(t *testing.T) {
	t.Parallel()
	for _, p := range platforms {
		for _, h := range []string{"natgeo", "someone_7", "ig_creator_004"} {
			a, b := universe.Get(p, h), universe.Get(p, " @"+h)
			assert.Equal(t, a, b, "%s/%s: the same creator on every call, whatever the spelling", p, h)
		}
	}
	a, b := universe.Get(universe.Instagram, "someone_1"), universe.Get(universe.TikTok, "someone_1")
	assert.Equal(t, []any{a.Name, a.Country, a.City, a.Language, a.Gender, a.Topics}, []any{b.Name, b.Country, b.City, b.Language, b.Gender, b.Topics},
		"one person behind a handle on every platform")
	assert.NotEqual(t, a.ID, b.ID)
}

func TestPinned(t *testing.T) {
	t.Parallel()
	for _, x := range []struct {
		platform, handle string
		followers        int64
	}{{universe.Instagram, "natgeo", 280e6}, {universe.Instagram, "cristiano", 650e6}, {universe.Instagram, "nasa", 96809672}, {universe.YouTube, "nasa", 12244637},
		{universe.YouTube, "mrbeast", 400e6}, {universe.Instagram, "a_poetic_storyteller", 1257}, {universe.TikTok, "littlebig", 4600000}} {
		c := universe.Get(x.platform, x.handle)
		assert.Equal(t, x.followers, c.Followers(universe.Epoch), "%s/%s at Epoch", x.platform, x.handle)
		assert.True(t, c.Verified)
	}
	n := universe.Get(universe.Instagram, "natgeo")
	assert.Equal(t, []any{"National Geographic", "US", true, "", int64(29000), int64(142)}, []any{n.Name, n.Country, n.Brand, n.Gender, n.Posts(universe.Epoch), n.Following})
	assert.Equal(t, "528817151", universe.Get(universe.Instagram, "nasa").ID)
	// A pinned person's other accounts scale from the pinned ones.
	assert.Greater(t, universe.Get(universe.Snapchat, "cristiano").Followers(universe.Epoch), int64(10e6))
}

// Nothing is reported before the account existed, and followers grow.
func TestNothingBeforeCreation(t *testing.T) {
	t.Parallel()
	for _, p := range platforms {
		for _, h := range handles()[:60] {
			c := universe.Get(p, h)
			require.False(t, c.Created.After(universe.Epoch.AddDate(-1, 0, 0)) && !slices.Contains(universe.Pinned(), h), "%s/%s: a made-up account is at least a year old", p, h)
			before := c.Created.Add(-time.Hour)
			assert.Zero(t, c.Followers(before), "%s/%s", p, h)
			assert.Zero(t, c.Posts(before))
			assert.False(t, c.Exists(before))
			assert.True(t, c.Exists(c.Created))
			for _, v := range []universe.Vendor{universe.EngageCheck, universe.HypeAuditor, universe.InfluData, universe.CreatorAudit, universe.FirstParty} {
				f := c.View(v, before)
				assert.Equal(t, universe.Figures{AsOf: f.AsOf, Exists: false}, f, "%s sees nothing before %s/%s existed", v, p, h)
			}
			prev := int64(0)
			for d := c.Created; !d.After(universe.Epoch.AddDate(1, 0, 0)); d = d.AddDate(0, 0, 45) {
				n := c.Followers(d)
				assert.GreaterOrEqual(t, n, prev, "%s/%s on %s", p, h, d)
				prev = n
			}
			assert.Less(t, c.Growth(universe.Epoch), 5.0, "%s/%s: under 5%% a month", p, h)
		}
	}
}

func TestAudience(t *testing.T) {
	t.Parallel()
	for _, p := range platforms {
		for _, h := range handles() {
			a := universe.Get(p, h).Audience
			require.Len(t, a.Countries, 20, "%s/%s", p, h)
			sum := a.Other()
			seen := map[string]bool{}
			for i, s := range a.Countries {
				sum += s.Pct
				assert.False(t, seen[s.Code], "%s/%s: %s twice", p, h, s.Code)
				seen[s.Code] = true
				assert.NotEmpty(t, universe.CountryName(s.Code))
				if i > 0 {
					assert.LessOrEqual(t, s.Pct, a.Countries[i-1].Pct, "largest first")
				}
			}
			assert.InDelta(t, 100, sum, 0.01, "%s/%s: countries", p, h)
			assert.Less(t, a.Countries[0].Pct, 80.0, "%s/%s: a long tail, not one country", p, h)
			assert.Greater(t, a.Countries[4].Pct, 0.3, "%s/%s: at least five countries that count", p, h)
			assert.Equal(t, "male", a.Genders[0].Code)
			assert.InDelta(t, 100, a.Genders[0].Pct+a.Genders[1].Pct, 0.001)
			total := 0.0
			for i, s := range a.Ages {
				assert.Equal(t, universe.AgeBands[i], s.Code)
				assert.Positive(t, s.Pct)
				total += s.Pct
			}
			assert.InDelta(t, 100, total, 0.001, "%s/%s: ages", p, h)
		}
	}
	// The person's home and language show in the audience.
	assert.Equal(t, "DE", universe.Get(universe.Instagram, "ig_creator_004").Audience.Countries[0].Code)
	assert.Equal(t, "PT", universe.Get(universe.Instagram, "cristiano").Country)
}

func TestSignalsAndScores(t *testing.T) {
	t.Parallel()
	for _, h := range handles() {
		c := universe.Get(universe.Instagram, h)
		s := c.Signals
		assert.InDelta(t, 100, s.Suspicious+s.Mass+s.Influencers+s.Real, 0.011, h)
		for _, v := range []float64{float64(c.Quality), float64(c.EngageCheckAQS()), float64(c.HypeAuditorAQS()), float64(c.HypeAuditorCQS()),
			c.InfluDataScore(), float64(c.FirstPartyScore()), c.ERScore()} {
			assert.True(t, v >= 0 && v <= 100, "%s: a score in 0-100: %v", h, v)
		}
		for _, v := range c.EngageCheckSignals() {
			assert.True(t, v >= 0 && v <= 100)
		}
		// The scores follow the shared signals: a much more suspicious
		// audience never scores better.
		for _, o := range handles()[:40] {
			d := universe.Get(universe.Instagram, o)
			if d.Signals.Suspicious > s.Suspicious+15 && d.Signals.Mass >= s.Mass && d.Signals.Anomalies >= s.Anomalies && d.ER == c.ER {
				assert.Less(t, d.Quality, c.Quality)
			}
		}
		assert.Contains(t, []string{"excellent", "good", "average", "poor"}, c.ERMark())
	}
}

// Every vendor's view of a creator agrees with the others within
// Tolerance, each with its own lag and rounding.
func TestVendorViews(t *testing.T) {
	t.Parallel()
	vendors := []universe.Vendor{universe.EngageCheck, universe.HypeAuditor, universe.InfluData, universe.CreatorAudit, universe.FirstParty}
	for _, p := range platforms {
		for _, h := range handles() {
			c := universe.Get(p, h)
			for _, at := range []time.Time{universe.Epoch, universe.Epoch.Add(13 * time.Hour), universe.Epoch.AddDate(0, 2, 3)} {
				var lo, hi int64 = math.MaxInt64, 0
				for _, v := range vendors {
					f := c.View(v, at)
					require.True(t, f.Exists)
					assert.False(t, f.AsOf.After(at), "%s reads %s/%s no later than asked", v, p, h)
					assert.Less(t, at.Sub(f.AsOf), 7*24*time.Hour, "%s: at most a week old", v)
					lo, hi = min(lo, f.Followers), max(hi, f.Followers)
				}
				assert.LessOrEqual(t, float64(hi-lo), universe.Tolerance*float64(hi), "%s/%s on %s: %d to %d", p, h, at, lo, hi)
			}
		}
	}
	c := universe.Get(universe.Instagram, "nasa")
	assert.Equal(t, int64(96800000), c.View(universe.EngageCheck, universe.Epoch).Followers, "EngageCheck: Instagram's display, 96.8M")
	assert.Equal(t, int64(96809672), c.View(universe.HypeAuditor, universe.Epoch).Followers, "HypeAuditor: exact")
	assert.Equal(t, int64(1257), universe.Get(universe.Instagram, "a_poetic_storyteller").View(universe.EngageCheck, universe.Epoch).Followers, "exact below 10,000")
	assert.Equal(t, 0.73, c.View(universe.InfluData, universe.Epoch).ER)
	assert.Equal(t, 0.734377, c.View(universe.HypeAuditor, universe.Epoch).ER)
	// influData refreshes weekly: its figures stay for a week, then jump.
	f := c.View(universe.InfluData, universe.Epoch)
	for d := range 7 {
		g := c.View(universe.InfluData, f.AsOf.AddDate(0, 0, d))
		assert.Equal(t, f.AsOf, g.AsOf)
	}
	assert.Equal(t, f.AsOf.AddDate(0, 0, 7), c.View(universe.InfluData, f.AsOf.AddDate(0, 0, 7)).AsOf)
}

func TestClock(t *testing.T) {
	t.Parallel()
	start := time.Date(2026, 12, 7, 21, 30, 0, 0, time.UTC)
	c := universe.NewClock(start)
	assert.Equal(t, universe.Epoch, c.Date(start))
	assert.Equal(t, universe.Epoch.Add(50*time.Hour), c.Date(start.Add(50*time.Hour)))
	assert.Equal(t, start.Add(-time.Hour), c.Time(universe.Epoch.Add(-time.Hour)))
	var zero universe.Clock
	assert.Equal(t, start, zero.Date(start))
	assert.Equal(t, start, zero.Time(start))
}
