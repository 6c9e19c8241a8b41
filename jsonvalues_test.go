package creatorkit

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestTimeLayoutsAndExactRoundTrip(t *testing.T) {
	cases := map[string]time.Time{
		`"2026-06-25 17:00:00"`:           time.Date(2026, 6, 25, 17, 0, 0, 0, time.UTC),
		`"2026-06-25T17:00:00.000Z"`:      time.Date(2026, 6, 25, 17, 0, 0, 0, time.UTC),
		`"2026-06-25T17:00:00+02:00"`:     time.Date(2026, 6, 25, 15, 0, 0, 0, time.UTC),
		`"Thu, 25 Jun 2026 17:00:00 GMT"`: time.Date(2026, 6, 25, 17, 0, 0, 0, time.UTC),
		`"26/01/2024"`:                    time.Date(2024, 1, 26, 0, 0, 0, 0, time.UTC),
		`"2024-01-26"`:                    time.Date(2024, 1, 26, 0, 0, 0, 0, time.UTC),
		`1782493260`:                      time.Unix(1782493260, 0),
		`"1782493260"`:                    time.Unix(1782493260, 0),
		`1782493260000`:                   time.Unix(1782493260, 0),
		`1782493260.5`:                    time.Unix(1782493260, 5e8),
	}
	for in, want := range cases {
		var v Time
		require.NoError(t, json.Unmarshal([]byte(in), &v), in)
		assert.True(t, want.Equal(v.Time), "%s: got %v want %v", in, v.Time, want)
		out, err := json.Marshal(v)
		require.NoError(t, err)
		assert.Equal(t, in, string(out), "round trip keeps the original form")
	}
	var v Time
	require.NoError(t, json.Unmarshal([]byte(`"2026-06-25 17:00:00"`), &v))
	v.Time = v.Add(time.Hour)
	out, _ := json.Marshal(v)
	assert.Equal(t, `"2026-06-25T18:00:00Z"`, string(out), "a changed time encodes RFC 3339")
	assert.Error(t, json.Unmarshal([]byte(`"yesterday"`), &v))
	assert.Error(t, json.Unmarshal([]byte(`true`), &v))
	require.NoError(t, json.Unmarshal([]byte(`null`), &v))
	assert.True(t, v.IsZero())
}

func TestNumbersAndIDs(t *testing.T) {
	var s struct {
		F  Float `json:"f"`
		I  Int   `json:"i"`
		ID ID    `json:"id"`
		S  ID    `json:"s"`
	}
	require.NoError(t, json.Unmarshal([]byte(`{"f":"3.5","i":1234.0,"id":987654321012,"s":"abc"}`), &s))
	assert.Equal(t, Float(3.5), s.F)
	assert.Equal(t, Int(1234), s.I)
	assert.Equal(t, ID("987654321012"), s.ID)
	assert.Equal(t, ID("abc"), s.S)
	require.NoError(t, json.Unmarshal([]byte(`{"f":null,"i":"1,200","id":null}`), &s))
	assert.Equal(t, Float(0), s.F)
	assert.Equal(t, Int(1200), s.I)
	assert.Error(t, json.Unmarshal([]byte(`{"f":"x"}`), &s))
	assert.Error(t, json.Unmarshal([]byte(`{"id":true}`), &s))
}
