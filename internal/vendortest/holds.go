package vendortest

import (
	"encoding/base64"
	"net/url"
	"strings"
)

// Holds reports whether s holds secret in any form a server or a proxy may
// echo it in: as is, percent-encoded (query or path style, either case),
// or inside a run of base64 (standard or URL alphabet, padded or not, at
// any of the four character offsets, so a secret encoded inside a longer
// value such as "Bearer <token>" is found too), itself possibly
// percent-encoded or base64 once more.
func Holds(s, secret string) bool { return holds(s, secret, 2) }

func holds(s, secret string, depth int) bool {
	if s == "" || secret == "" {
		return false
	}
	if strings.Contains(s, secret) {
		return true
	}
	for _, unescape := range []func(string) (string, error){url.QueryUnescape, url.PathUnescape} {
		if u, err := unescape(s); err == nil && u != s && strings.Contains(u, secret) {
			return true
		}
	}
	if depth == 0 {
		return false
	}
	for _, run := range strings.FieldsFunc(s, func(r rune) bool { return !isBase64(r) }) {
		run = strings.TrimRight(run, "=")
		for skip := 0; skip < 4 && skip < len(run); skip++ {
			body := run[skip:]
			if len(body)%4 == 1 {
				body = body[:len(body)-1]
			}
			for _, enc := range []*base64.Encoding{base64.RawStdEncoding, base64.RawURLEncoding} {
				if b, err := enc.DecodeString(body); err == nil && holds(string(b), secret, depth-1) {
					return true
				}
			}
		}
	}
	return false
}

func isBase64(r rune) bool {
	return r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || strings.ContainsRune("+/-_=", r)
}
