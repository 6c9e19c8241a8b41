package jsonx

import (
	"encoding/json"
	"testing"
)

// FuzzDecode: the tolerant decoder never panics, never fails on valid
// JSON, and agrees with encoding/json whenever encoding/json succeeds.
func FuzzDecode(f *testing.F) {
	f.Add([]byte(good))
	f.Add([]byte(`{"id":"x","count":"1","items":[1,{"mark":2}],"by_date":{"a":"b"},"union":7}`))
	f.Add([]byte(`[]`))
	f.Add([]byte(`{"ptr":{"ptr":null},"fixed":[1,2,3],"nested":{"a":[null,1]}}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		var got sample
		issues, err := Decode(b, &got)
		if json.Valid(b) && err != nil {
			t.Fatalf("valid JSON refused: %v", err)
		}
		var want sample
		if json.Unmarshal(b, &want) == nil && len(issues) > 0 {
			t.Fatalf("encoding/json accepted %q but Decode reported %v", b, issues)
		}
	})
}
