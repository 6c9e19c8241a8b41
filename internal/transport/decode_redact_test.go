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
