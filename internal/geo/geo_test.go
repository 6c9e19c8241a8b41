package geo

import (
	"testing"

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
