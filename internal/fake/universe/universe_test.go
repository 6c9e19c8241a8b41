package universe

import (
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var platforms = []string{Instagram, TikTok, YouTube, Twitter, Twitch, Facebook, Snapchat}

// handles are the pinned handles and a few hundred made-up ones.
func handles() []string {
	var hs []string
	for h := range pins {
		hs = append(hs, h)
	}
	for i := range 120 {
		hs = append(hs, fmt.Sprintf("someone_%d", i), fmt.Sprintf("ig_creator_%03d", i))
	}
	return hs
}

func TestDeterministic(t *testing.T) {
	t.Parallel()
	for _, p := range platforms {
		for _, h := range []string{"natgeo", "someone_7", "ig_creator_004"} {
			a, b := Get(p, h), Get(p, " @"+h)
			assert.Equal(t, a, b, "%s/%s: the same creator on every call, whatever the spelling", p, h)
		}
	}
	a, b := Get(Instagram, "someone_1"), Get(TikTok, "someone_1")
	assert.Equal(t, []any{a.Name, a.Country, a.City, a.Language, a.Gender, a.Topics}, []any{b.Name, b.Country, b.City, b.Language, b.Gender, b.Topics},
		"one person behind a handle on every platform")
	assert.NotEqual(t, a.ID, b.ID)
}

func TestPinned(t *testing.T) {
	t.Parallel()
	for _, x := range []struct {
		platform, handle string
		followers        int64
	}{{Instagram, "natgeo", 280e6}, {Instagram, "cristiano", 650e6}, {Instagram, "nasa", 96809672}, {YouTube, "nasa", 12244637},
		{YouTube, "mrbeast", 400e6}, {Instagram, "a_poetic_storyteller", 1257}, {TikTok, "littlebig", 4600000}} {
		c := Get(x.platform, x.handle)
		assert.Equal(t, x.followers, c.Followers(Epoch), "%s/%s at Epoch", x.platform, x.handle)
		assert.True(t, c.Verified)
	}
	n := Get(Instagram, "natgeo")
	assert.Equal(t, []any{"National Geographic", "US", true, "", int64(29000), int64(142)}, []any{n.Name, n.Country, n.Brand, n.Gender, n.Posts(Epoch), n.Following})
	assert.Equal(t, "528817151", Get(Instagram, "nasa").ID)
	// A pinned person's other accounts scale from the pinned ones.
	assert.Greater(t, Get(Snapchat, "cristiano").Followers(Epoch), int64(10e6))
}

// Nothing is reported before the account existed, and followers grow.
func TestNothingBeforeCreation(t *testing.T) {
	t.Parallel()
	for _, p := range platforms {
		for _, h := range handles()[:60] {
			c := Get(p, h)
			require.False(t, c.Created.After(Epoch.AddDate(-1, 0, 0)) && pins[h] == nil, "%s/%s: a made-up account is at least a year old", p, h)
			before := c.Created.Add(-time.Hour)
			assert.Zero(t, c.Followers(before), "%s/%s", p, h)
			assert.Zero(t, c.Posts(before))
			assert.False(t, c.Exists(before))
			assert.True(t, c.Exists(c.Created))
			for _, v := range []Vendor{EngageCheck, HypeAuditor, InfluData, CreatorAudit, FirstParty} {
				f := c.View(v, before)
				assert.Equal(t, Figures{AsOf: f.AsOf, Exists: false}, f, "%s sees nothing before %s/%s existed", v, p, h)
			}
			prev := int64(0)
			for d := c.Created; !d.After(Epoch.AddDate(1, 0, 0)); d = d.AddDate(0, 0, 45) {
				n := c.Followers(d)
				assert.GreaterOrEqual(t, n, prev, "%s/%s on %s", p, h, d)
				prev = n
			}
			assert.Less(t, c.Growth(Epoch), 5.0, "%s/%s: under 5%% a month", p, h)
		}
	}
}

func TestAudience(t *testing.T) {
	t.Parallel()
	for _, p := range platforms {
		for _, h := range handles() {
			a := Get(p, h).Audience
			require.Len(t, a.Countries, 20, "%s/%s", p, h)
			sum := a.Other()
			seen := map[string]bool{}
			for i, s := range a.Countries {
				sum += s.Pct
				assert.False(t, seen[s.Code], "%s/%s: %s twice", p, h, s.Code)
				seen[s.Code] = true
				assert.NotEmpty(t, CountryName(s.Code))
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
				assert.Equal(t, AgeBands[i], s.Code)
				assert.Positive(t, s.Pct)
				total += s.Pct
			}
			assert.InDelta(t, 100, total, 0.001, "%s/%s: ages", p, h)
		}
	}
	// The person's home and language show in the audience.
	assert.Equal(t, "DE", Get(Instagram, "ig_creator_004").Audience.Countries[0].Code)
	assert.Equal(t, "PT", Get(Instagram, "cristiano").Country)
}

func TestSignalsAndScores(t *testing.T) {
	t.Parallel()
	for _, h := range handles() {
		c := Get(Instagram, h)
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
			d := Get(Instagram, o)
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
	vendors := []Vendor{EngageCheck, HypeAuditor, InfluData, CreatorAudit, FirstParty}
	for _, p := range platforms {
		for _, h := range handles() {
			c := Get(p, h)
			for _, at := range []time.Time{Epoch, Epoch.Add(13 * time.Hour), Epoch.AddDate(0, 2, 3)} {
				var lo, hi int64 = math.MaxInt64, 0
				for _, v := range vendors {
					f := c.View(v, at)
					require.True(t, f.Exists)
					assert.False(t, f.AsOf.After(at), "%s reads %s/%s no later than asked", v, p, h)
					assert.Less(t, at.Sub(f.AsOf), 7*day, "%s: at most a week old", v)
					lo, hi = min(lo, f.Followers), max(hi, f.Followers)
				}
				assert.LessOrEqual(t, float64(hi-lo), Tolerance*float64(hi), "%s/%s on %s: %d to %d", p, h, at, lo, hi)
			}
		}
	}
	c := Get(Instagram, "nasa")
	assert.Equal(t, int64(96800000), c.View(EngageCheck, Epoch).Followers, "EngageCheck: Instagram's display, 96.8M")
	assert.Equal(t, int64(96809672), c.View(HypeAuditor, Epoch).Followers, "HypeAuditor: exact")
	assert.Equal(t, int64(1257), Get(Instagram, "a_poetic_storyteller").View(EngageCheck, Epoch).Followers, "exact below 10,000")
	assert.Equal(t, 0.73, c.View(InfluData, Epoch).ER)
	assert.Equal(t, 0.734377, c.View(HypeAuditor, Epoch).ER)
	// influData refreshes weekly: its figures stay for a week, then jump.
	f := c.View(InfluData, Epoch)
	for d := range 7 {
		g := c.View(InfluData, f.AsOf.AddDate(0, 0, d))
		assert.Equal(t, f.AsOf, g.AsOf)
	}
	assert.Equal(t, f.AsOf.AddDate(0, 0, 7), c.View(InfluData, f.AsOf.AddDate(0, 0, 7)).AsOf)
}

func TestClock(t *testing.T) {
	t.Parallel()
	start := time.Date(2026, 12, 7, 21, 30, 0, 0, time.UTC)
	c := NewClock(start)
	assert.Equal(t, Epoch, c.Date(start))
	assert.Equal(t, Epoch.Add(50*time.Hour), c.Date(start.Add(50*time.Hour)))
	assert.Equal(t, start.Add(-time.Hour), c.Time(Epoch.Add(-time.Hour)))
	var zero Clock
	assert.Equal(t, start, zero.Date(start))
	assert.Equal(t, start, zero.Time(start))
}
