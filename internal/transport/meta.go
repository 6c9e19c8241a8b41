package transport

import (
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// ParseRateLimit reads the X-RateLimit-* headers. X-RateLimit-Reset is
// taken as unix seconds when it is large enough to be one (fractions
// allowed), else as seconds from now. The keys are spelled in canonical
// form, which http.Header.Get looks up without allocating.
func ParseRateLimit(h http.Header, now time.Time) RateLimit {
	rl := RateLimit{Observed: now, Limit: -1, Remaining: -1}
	if v, ok := headerInt(h, "X-Ratelimit-Limit"); ok {
		rl.Limit, rl.Known = v, true
	}
	if v, ok := headerInt(h, "X-Ratelimit-Remaining"); ok {
		rl.Remaining, rl.Known = v, true
	}
	if t, ok := parseReset(h.Get("X-Ratelimit-Reset"), now); ok {
		rl.Reset, rl.Known = t, true
	}
	return rl
}

func headerInt(h http.Header, key string) (int, bool) {
	v := strings.TrimSpace(h.Get(key))
	if v == "" {
		return 0, false
	}
	n, err := strconv.Atoi(v)
	return n, err == nil
}

// epochThreshold separates unix timestamps from relative seconds: any value
// above it (1973-03-03, about three years of seconds) is a timestamp. It is
// far below any clock a client runs on (a testing/synctest bubble starts in
// 2000) and far above any window a vendor resets in.
const epochThreshold = 1e8

func parseReset(v string, now time.Time) (time.Time, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return time.Time{}, false
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || f < 0 || math.IsNaN(f) || math.IsInf(f, 0) {
		return time.Time{}, false
	}
	if f > epochThreshold {
		if f > maxUnix {
			return time.Time{}, false
		}
		sec, frac := math.Modf(f)
		return time.Unix(int64(sec), int64(frac*1e9)), true
	}
	return now.Add(seconds(f)), true
}

// maxUnix is the latest X-RateLimit-Reset taken as a timestamp (year
// 9999); anything later is garbage.
const maxUnix = 253402300799

// seconds converts a non-negative number of seconds to a Duration,
// saturating instead of overflowing.
func seconds(f float64) time.Duration {
	if f >= float64(math.MaxInt64)/float64(time.Second) {
		return time.Duration(math.MaxInt64)
	}
	return time.Duration(f * float64(time.Second))
}

// ParseRetryAfter reads a Retry-After header: delay seconds (fractions
// allowed) or an HTTP date. ok is false when absent or malformed.
func ParseRetryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if f, err := strconv.ParseFloat(v, 64); err == nil {
		if f < 0 || math.IsNaN(f) || math.IsInf(f, 0) {
			return 0, false
		}
		return seconds(f), true
	}
	if t, err := http.ParseTime(v); err == nil {
		d := t.Sub(now)
		if d < 0 {
			d = 0
		}
		return d, true
	}
	return 0, false
}

// RequestID returns the request id from the usual headers.
func RequestID(h http.Header) string {
	for _, k := range []string{"X-Request-Id", "Request-Id", "X-Correlation-Id"} {
		if v := h.Get(k); v != "" {
			return v
		}
	}
	return ""
}
