package redact

import (
	"encoding/base64"
	"testing"

	"github.com/creatorkit/creatorkit-go/internal/vendortest"

	"github.com/stretchr/testify/assert"
)

// A secret base64-encoded inside a longer value (the whole "Bearer <token>"
// header, a header dump) is removed at every byte offset.
func TestRedactorRemovesSecretsInsideLongerBase64(t *testing.T) {
	t.Parallel()
	const token = "ylytic_live_TESTTOKEN123"
	r := New(token)
	for _, prefix := range []string{"", "B", "Be", "Bearer ", "Authorization: Bearer ", "x-auth: "} {
		for _, suffix := range []string{"", "\n", "; next", "!!"} {
			for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.URLEncoding, base64.RawStdEncoding, base64.RawURLEncoding} {
				echo := enc.EncodeToString([]byte(prefix + token + suffix))
				out := r.String(`{"detail":"` + echo + `"}`)
				assert.True(t, vendortest.Holds(echo, token), "the check finds the plain echo %q", echo)
				assert.False(t, vendortest.Holds(out, token), "%q + token + %q: %s", prefix, suffix, out)
			}
		}
	}
	assert.Equal(t, "a plain sentence, 2026", r.String("a plain sentence, 2026"))
	short := New("abcd") // a 4-byte secret: its cores are too short to look for
	assert.Equal(t, "YWJj ordinary", short.String("YWJj ordinary"))
}
