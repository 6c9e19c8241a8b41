package redact

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestRedactorRemovesEveryEchoedForm(t *testing.T) {
	t.Parallel()
	const id, token = "client-4711", "tok_SECRET_987654"
	r := New(id, token)
	forms := []string{
		token, url.QueryEscape("tok/" + token)[6:], base64.StdEncoding.EncodeToString([]byte(id + ":" + token)),
		base64.RawURLEncoding.EncodeToString([]byte(token)), base64.StdEncoding.EncodeToString([]byte(token + ":")),
		"X-Auth-Id: " + id,
	}
	for _, f := range forms {
		out := r.String("echo: " + f + " end")
		assert.NotContains(t, out, token, f)
		assert.NotContains(t, out, id, f)
		assert.Contains(t, out, "[REDACTED]", f)
	}
	type vendorErr struct {
		Code    string
		Details map[string]any
		List    []string
		Raw     json.RawMessage
		Nested  *struct{ Info string }
	}
	v := &vendorErr{Code: token, Details: map[string]any{"h": "Bearer " + token, token: 1}, List: []string{id}, Raw: json.RawMessage(`"` + token + `"`), Nested: &struct{ Info string }{id}}
	r.Value(v)
	dump := fmt.Sprintf("%#v %v", v, *v.Nested)
	assert.NotContains(t, dump, token)
	assert.NotContains(t, dump, id)
	h := r.Header(http.Header{"X-Request-Id": {"Authorization: Bearer " + token}, "X-" + token: {"1"}})
	assert.NotContains(t, fmt.Sprint(h), token)
}

// The base64 of a whole echoed line that holds a secret, whatever comes
// before and after it, loses the secret: each of the three alignments of
// the secret against base64's groups is redacted.
func TestRedactorRemovesSecretsInsideBase64OfLongerText(t *testing.T) {
	t.Parallel()
	const key = "ec_live_Zk9+q/Xy=EchoSecret42"
	r := New(key)
	for _, prefix := range []string{"", "X-API-Key: ", "Authorization: Bearer ", "user:", "ab", "abc", "abcd"} {
		for _, suffix := range []string{"", "\n", " tail", "xy"} {
			line := prefix + key + suffix
			for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.URLEncoding, base64.RawStdEncoding, base64.RawURLEncoding} {
				out := r.String("request id " + enc.EncodeToString([]byte(line)) + " end")
				assert.Contains(t, out, "[REDACTED]", "%q", line)
				for _, tok := range strings.Fields(out) {
					for _, dec := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
						if b, err := dec.DecodeString(tok); err == nil {
							assert.NotContains(t, string(b), key, "%q", line)
						}
					}
				}
			}
		}
	}
	assert.Equal(t, "nothing secret here: aGVsbG8gd29ybGQ=", r.String("nothing secret here: aGVsbG8gd29ybGQ="))
}

// A JSON string is decoded to look for a hidden secret only when one of
// its escapes stands for a byte of some form; a key escaped character by
// character is still found, and text whose escapes are newlines and
// quotes is not decoded at all.
func TestRedactorFindsEscapedSecretsWithoutDecodingEveryString(t *testing.T) {
	r := New("sk/live+Key-42")
	escapedKey := `sk\/live\u002bKey\u002d42`
	assert.True(t, r.Holds([]byte(`{"note":"echo: `+escapedKey+`"}`)), "\\/ and \\u escapes of the key's own bytes")
	assert.True(t, r.mayHide([]byte(`"a\/b"`)))
	assert.True(t, r.mayHide([]byte(`"\u00e9"`)), "outside ASCII: decoded to be sure")
	assert.True(t, r.mayHide([]byte(`"bad \u12"`)), "malformed: decoded to be sure")
	assert.False(t, r.mayHide([]byte(`"line one\nline \"two\"\r"`)), "newlines and quotes hold no byte of the key")
	assert.False(t, r.Holds([]byte(`{"description":"line one\nline \"two\""}`)))
	assert.False(t, New().mayHide([]byte(`"\/"`)), "no secrets, nothing to find")
}

// FuzzRedactor: whatever surrounds a secret, it never survives.
func FuzzRedactor(f *testing.F) {
	f.Add("Authorization: Bearer ", " end")
	f.Add("", "")
	f.Add("%", "=")
	const secret = "ec_live_FUZZSECRET42"
	r := New(secret)
	f.Fuzz(func(t *testing.T, before, after string) {
		out := r.String(before + secret + after)
		if contains(out, secret) {
			t.Fatalf("secret survived in %q", out)
		}
	})
}

func contains(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return true
		}
	}
	return false
}
