package redact

import (
	"bytes"
	"strings"
	"testing"
)

// FuzzNeedle: a needle is found exactly where bytes.Contains finds it,
// whichever byte it jumps on and however often that byte appears.
func FuzzNeedle(f *testing.F) {
	f.Add("ec_test_key_1234", `{"a":"ec_test_key_1234"}`)
	f.Add("ZWNfdGVzdF9rZXlf", strings.Repeat("ZZZZ", 40)+"ZWNfdGVzdF9rZXlf")
	f.Add("aaaaZ", strings.Repeat("aaaa", 30)+"aaaaZ")
	f.Add("Zab", "Zab")
	f.Add("abZ", "xabZ")
	f.Add("aZa", strings.Repeat("Z", 300)+"aZa")
	f.Fuzz(func(t *testing.T, s, b string) {
		if s == "" {
			return
		}
		n := newNeedle(s)
		if got, want := n.in([]byte(b)), bytes.Contains([]byte(b), []byte(s)); got != want {
			t.Fatalf("needle %q (rare byte %d) in %q: %v, want %v", s, n.rare, b, got, want)
		}
	})
}
