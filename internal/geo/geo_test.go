package geo

import (
	"strings"
	"testing"

	"github.com/creatorkit/creatorkit-go"

	"github.com/stretchr/testify/assert"
)

func TestISO2(t *testing.T) {
	for in, want := range map[string]string{"uk": "GB", "gb": "GB", "US": "US", "usa": "US", "Germany": "DE", "pt": "PT", "el": "GR", " fr ": "FR", "Korea, Republic of": "KR", "Viet Nam": "VN"} {
		got, ok := ISO2(in)
		assert.True(t, ok, in)
		assert.Equal(t, want, got, in)
	}
	for _, bad := range []string{"", "zz", "Atlantis"} {
		_, ok := ISO2(bad)
		assert.False(t, ok, bad)
	}
	assert.Greater(t, len(countries), 240)
}

func TestShares(t *testing.T) {
	got := CountryShares(map[string]float64{"US": 40, "uk": 10, "GB": 5, "Germany": 20, "Other": 25})
	assert.Equal(t, []creatorkit.Share{{Code: "US", Percent: 40}, {Code: "DE", Percent: 20}, {Code: "GB", Percent: 15}}, got)
	assert.Nil(t, CountryShares(nil))
	g := Shares(map[string]float64{"Male": 30, "female": 70}, strings.ToLower)
	assert.Equal(t, "female", g[0].Code)
}
