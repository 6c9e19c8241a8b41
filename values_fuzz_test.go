package creatorkit

import (
	"encoding/json"
	"testing"
)

// FuzzTime: any JSON value decodes to a time or an error, never a panic,
// and what decoded re-encodes to the same bytes.
func FuzzTime(f *testing.F) {
	for _, s := range []string{`"2026-06-25 17:00:00"`, `1782493260`, `"26/01/2024"`, `null`, `"x"`, `1e400`, `"1782493260000"`, `-1`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var v Time
		if err := v.UnmarshalJSON(b); err != nil {
			return
		}
		out, err := json.Marshal(v)
		if err != nil {
			t.Fatalf("%q decoded but does not encode: %v", b, err)
		}
		var again Time
		if err := json.Unmarshal(out, &again); err != nil || !again.Equal(v.Time) {
			t.Fatalf("%q -> %s does not round-trip: %v", b, out, err)
		}
	})
}

// FuzzNumbersAndIDs: Float, Int and ID decode any bytes without a panic.
func FuzzNumbersAndIDs(f *testing.F) {
	for _, s := range []string{`1`, `"1,200"`, `1234.0`, `null`, `"x"`, `true`, `{}`, `1e309`, `"NaN"`, `987654321012`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var fl Float
		var in Int
		var id ID
		_ = fl.UnmarshalJSON(b)
		_ = in.UnmarshalJSON(b)
		_ = id.UnmarshalJSON(b)
	})
}
