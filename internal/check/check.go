// Package check holds the input checks vendor packages share; each returns
// a message for transport.InvalidParams, or "" when the input is fine.
package check

import (
	"fmt"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"
)

// Clip shortens s to at most n bytes, on a rune boundary, marking the cut
// with "…": how a message quotes a value that may be long.
func Clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

// HTTPURL checks that raw is an absolute http or https URL.
func HTTPURL(raw string) string {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return fmt.Sprintf("%q is not an absolute http(s) URL", raw)
	}
	return ""
}

// IntRange checks lo <= n <= hi.
func IntRange(n, lo, hi int) string {
	if n < lo || n > hi {
		return fmt.Sprintf("must be %d to %d, got %d", lo, hi, n)
	}
	return ""
}

// Date checks a YYYY-MM-DD date and returns it parsed.
func Date(s string) (time.Time, string) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return time.Time{}, fmt.Sprintf("%q is not a YYYY-MM-DD date", s)
	}
	return t, ""
}

// OneOf checks that v is one of allowed.
func OneOf[T comparable](v T, allowed ...T) string {
	for _, a := range allowed {
		if v == a {
			return ""
		}
	}
	return fmt.Sprintf("%v is not one of %v", v, allowed)
}
