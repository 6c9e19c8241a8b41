package transport

import (
	"net/http"
	"testing"
	"time"
)

// FuzzParseRetryAfter: any header value parses to a non-negative wait or
// to "absent", never a panic.
func FuzzParseRetryAfter(f *testing.F) {
	for _, s := range []string{"3", "0.5", "-1", "1e309", "NaN", "Wed, 21 Oct 2015 07:28:00 GMT", "", " 12 ", "9223372036854775807"} {
		f.Add(s)
	}
	now := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, v string) {
		d, ok := ParseRetryAfter(v, now)
		if ok && d < 0 {
			t.Fatalf("negative wait %v for %q", d, v)
		}
	})
}

// FuzzParseRateLimit: any X-RateLimit-* values parse without a panic, and
// a reported state always has Known set.
func FuzzParseRateLimit(f *testing.F) {
	f.Add("60", "0", "1782493260")
	f.Add("60", "12", "30.5")
	f.Add("x", "-1", "1e400")
	now := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, limit, remaining, reset string) {
		h := http.Header{}
		h.Set("X-RateLimit-Limit", limit)
		h.Set("X-RateLimit-Remaining", remaining)
		h.Set("X-RateLimit-Reset", reset)
		rl := ParseRateLimit(h, now)
		if !rl.Known && (rl.Limit != -1 || rl.Remaining != -1 || !rl.Reset.IsZero()) {
			t.Fatalf("state without Known: %+v", rl)
		}
	})
}
