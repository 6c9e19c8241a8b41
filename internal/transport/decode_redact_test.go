package transport

import (
	"bytes"
	"context"
	"encoding/base64"
	"log/slog"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A success body that echoes the credential into a value that does not fit
// (a time, a number): the DecodeIssues on the result and the Warn line
// that lists them carry the value's text in their detail, so they are
// redacted like an error.
func TestDecodeIssuesAreRedacted(t *testing.T) {
	t.Parallel()
	var logs bytes.Buffer
	c, mt := newMockClient(t, WithLogger(slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))))
	b64 := base64.StdEncoding.EncodeToString([]byte(secret))
	serve(t, mt, "GET", `{"id":7,"status":"done","when":"Bearer `+secret+`","count":"`+b64+`"}`)
	var out driftResult
	meta, err := c.Do(context.Background(), Request{Op: "Get", Method: "GET", Path: "x"}, &out)
	require.NoError(t, err)
	require.Len(t, meta.DecodeIssues, 2)
	for _, is := range meta.DecodeIssues {
		assert.NotContains(t, is.String(), secret)
		assert.NotContains(t, is.String(), b64)
	}
	assert.Contains(t, logs.String(), "level=WARN")
	assert.NotContains(t, logs.String(), secret)
	assert.NotContains(t, logs.String(), b64)
	assert.True(t, strings.Contains(logs.String(), "[REDACTED]"), logs.String())
}

// A JSON string is decoded to look for a hidden secret only when one of
// its escapes stands for a byte of some form; a key escaped character by
// character is still found, and text whose escapes are newlines and
// quotes is not decoded at all.
func TestRedactorFindsEscapedSecretsWithoutDecodingEveryString(t *testing.T) {
	r := NewRedactor("sk/live+Key-42")
	escapedKey := `sk\/live\u002bKey\u002d42`
	assert.True(t, r.holds([]byte(`{"note":"echo: `+escapedKey+`"}`)), "\\/ and \\u escapes of the key's own bytes")
	assert.True(t, r.mayHide([]byte(`"a\/b"`)))
	assert.True(t, r.mayHide([]byte(`"\u00e9"`)), "outside ASCII: decoded to be sure")
	assert.True(t, r.mayHide([]byte(`"bad \u12"`)), "malformed: decoded to be sure")
	assert.False(t, r.mayHide([]byte(`"line one\nline \"two\"\r"`)), "newlines and quotes hold no byte of the key")
	assert.False(t, r.holds([]byte(`{"description":"line one\nline \"two\""}`)))
	assert.False(t, NewRedactor().mayHide([]byte(`"\/"`)), "no secrets, nothing to find")
}
