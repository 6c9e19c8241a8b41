package ylytic

import (
	"fmt"
	"strings"

	"github.com/creatorkit/creatorkit-go/internal/check"
)

// checkURL accepts an absolute http(s) URL that passes the identifier
// policy (no control or invisible characters, no surrounding spaces) with
// a limit of 2048 bytes, and holds no space.
func checkURL(op, field, v string) error {
	if msg := check.IDMax(v, 2048); msg != "" {
		return invalidParams(op, field, "%s", msg)
	}
	if msg := check.HTTPURL(v); msg != "" {
		return invalidParams(op, field, "%s", msg)
	}
	if strings.Contains(v, " ") {
		return invalidParams(op, field, "%q contains a space", check.Clip(v, 200))
	}
	return nil
}

// checkCharset accepts 1 to maxLen bytes of letters, digits and the given
// extra characters: the documented shapes of ids (a shortcode, a channel
// or video id, a Shopify shop domain).
func checkCharset(op, field, v, extra string, maxLen int) error {
	if msg := check.ID(v); msg != "" {
		return invalidParams(op, field, "%s", msg)
	}
	if len(v) > maxLen {
		return invalidParams(op, field, "%q is longer than %d characters", check.Clip(v, 80), maxLen)
	}
	for _, r := range v {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune(extra, r)) {
			return invalidParams(op, field, "%q has %q: only letters, digits and %s are allowed", check.Clip(v, 80), r, describeExtra(extra))
		}
	}
	return nil
}

func describeExtra(extra string) string {
	var parts []string
	for _, r := range extra {
		parts = append(parts, fmt.Sprintf("%q", r))
	}
	return strings.Join(parts, ", ")
}

// normalizeHandle strips one leading "@" and surrounding spaces, and
// lower-cases an Instagram handle (Instagram handles are case-blind); it
// then checks the platform's shape: Instagram's documented one (1-30
// letters, digits, periods, underscores), or a path-safe value without
// spaces for YouTube.
func normalizeHandle(op, field string, p Platform, h string) (string, error) {
	n := strings.TrimPrefix(strings.TrimSpace(h), "@")
	if p == Instagram {
		n = strings.ToLower(n)
		if msg := check.InstagramHandle(n); msg != "" {
			return "", invalidParams(op, field, "%s", msg)
		}
		return n, nil
	}
	if msg := check.Handle(n); msg != "" {
		return "", invalidParams(op, field, "%s", msg)
	}
	return n, nil
}

// normalizePlatform lower-cases p and checks it is one of allowed.
func normalizePlatform(op string, p Platform, allowed ...Platform) (Platform, error) {
	n := Platform(trimLower(string(p)))
	if n == "" {
		return "", invalidParams(op, "connector", "connector is required (%s)", list(allowed))
	}
	if msg := check.OneOf(n, allowed...); msg != "" {
		return "", invalidParams(op, "connector", "%q is not one of %s", check.Clip(string(p), 64), list(allowed))
	}
	return n, nil
}

func list[T ~string](vs []T) string {
	s := make([]string, len(vs))
	for i, v := range vs {
		s[i] = string(v)
	}
	return strings.Join(s, ", ")
}
