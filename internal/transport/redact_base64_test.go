package transport

import (
	"encoding/base64"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// decodesToSecret reports whether any base64 run in s, in any encoding and
// at any of the three byte offsets, decodes to text holding secret.
func decodesToSecret(s, secret string) bool {
	isB64 := func(r rune) bool {
		return r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || strings.ContainsRune("+/-_=", r)
	}
	for _, run := range strings.FieldsFunc(s, func(r rune) bool { return !isB64(r) }) {
		run = strings.TrimRight(run, "=")
		for skip := 0; skip < 4 && skip < len(run); skip++ {
			body := run[skip:]
			if len(body)%4 == 1 {
				body = body[:len(body)-1]
			}
			for _, enc := range []*base64.Encoding{base64.RawStdEncoding, base64.RawURLEncoding} {
				if b, err := enc.DecodeString(body); err == nil && strings.Contains(string(b), secret) {
					return true
				}
			}
		}
	}
	return false
}

// A secret base64-encoded inside a longer value (the whole "Bearer <token>"
// header, a header dump) is removed at every byte offset.
func TestRedactorRemovesSecretsInsideLongerBase64(t *testing.T) {
	t.Parallel()
	const token = "ylytic_live_TESTTOKEN123"
	r := NewRedactor(token)
	for _, prefix := range []string{"", "B", "Be", "Bearer ", "Authorization: Bearer ", "x-auth: "} {
		for _, suffix := range []string{"", "\n", "; next", "!!"} {
			for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.URLEncoding, base64.RawStdEncoding, base64.RawURLEncoding} {
				echo := enc.EncodeToString([]byte(prefix + token + suffix))
				out := r.String(`{"detail":"` + echo + `"}`)
				assert.True(t, decodesToSecret(echo, token), "the check finds the plain echo %q", echo)
				assert.False(t, decodesToSecret(out, token), "%q + token + %q: %s", prefix, suffix, out)
			}
		}
	}
	assert.Equal(t, "a plain sentence, 2026", r.String("a plain sentence, 2026"))
	short := NewRedactor("abcd") // a 4-byte secret: its cores are too short to look for
	assert.Equal(t, "YWJj ordinary", short.String("YWJj ordinary"))
}
