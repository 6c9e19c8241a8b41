package transport

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/creatorkit/creatorkit-go/internal/jsonx"
	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type driftResult struct {
	ID       int64      `json:"id" creatorkit:"control"`
	Status   string     `json:"status" creatorkit:"control"`
	Name     string     `json:"name"`
	Count    int        `json:"count"`
	When     jsonx.Time `json:"when"`
	Raw      []byte     `json:"-"`
	Response *ResponseMeta
}

func serve(t *testing.T, mt *httpmock.MockTransport, method string, bodies ...string) *int {
	t.Helper()
	n := 0
	mt.RegisterResponder(method, "=~.*", func(*http.Request) (*http.Response, error) {
		b := bodies[min(n, len(bodies)-1)]
		n++
		return httpmock.NewStringResponse(200, b), nil
	})
	return &n
}

func TestOneOddFieldCostsOneRequestAndIsReported(t *testing.T) {
	t.Parallel()
	var logs bytes.Buffer
	c, mt := newMockClient(t, WithLogger(slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelWarn}))))
	n := serve(t, mt, "GET", `{"id":7,"status":"done","name":"nasa","count":"many","when":"not a time"}`)
	var out driftResult
	meta, err := c.Do(context.Background(), Request{Op: "Get", Method: "GET", Path: "x"}, &out)
	require.NoError(t, err)
	assert.Equal(t, 1, *n, "one request: a mismatch is not retried")
	assert.Equal(t, int64(7), out.ID)
	assert.Equal(t, "nasa", out.Name)
	assert.Zero(t, out.Count)
	require.Len(t, meta.DecodeIssues, 2)
	assert.Same(t, meta, out.Response)
	paths := []string{meta.DecodeIssues[0].Path, meta.DecodeIssues[1].Path}
	assert.ElementsMatch(t, []string{"count", "when"}, paths)
	assert.Equal(t, 1, strings.Count(logs.String(), "level=WARN"), "logged once at Warn")
	assert.Contains(t, logs.String(), "count: got string, want int")
}

func TestUnreadableControlFieldIsFinalAndNotUnknown(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	n := serve(t, mt, "POST", `{"id":"seven","status":"done","name":"nasa"}`)
	var out driftResult
	_, err := c.Do(context.Background(), Request{Op: "Create", Method: "POST", Path: "x", Body: map[string]string{}, Retry: RetryOnce}, &out)
	var e *Error
	require.ErrorAs(t, err, &e)
	assert.ErrorIs(t, err, ErrUnexpectedResponse)
	assert.NotErrorIs(t, err, ErrOutcomeUnknown, "the answer arrived: the outcome is known")
	assert.False(t, e.Temporary(), "asking again gets the same body")
	assert.Equal(t, 1, *n)
	assert.Contains(t, err.Error(), "id: got string, want int64")
	assert.Contains(t, err.Error(), "[control field]")
}

func TestStrictDecodingRefusesAnyMismatch(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t, WithStrictDecoding())
	n := serve(t, mt, "GET", `{"id":7,"status":"done","count":"many"}`, `{"id":7,"status":"done","count":1}`)
	var out driftResult
	_, err := c.Do(context.Background(), Request{Op: "Get", Method: "GET", Path: "x"}, &out)
	assert.ErrorIs(t, err, ErrUnexpectedResponse)
	assert.Contains(t, err.Error(), "strict decoding")
	assert.Equal(t, 1, *n, "strict refusals are not retried")

	_, err = c.Do(context.Background(), Request{Op: "Get", Method: "GET", Path: "x"}, &out)
	require.NoError(t, err, "a body that fits passes strict decoding")
}

func TestNotJSONIsRetriedForReads(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	n := serve(t, mt, "GET", `<html>proxy</html>`, `{"id":1,"status":"ok"}`)
	var out driftResult
	meta, err := c.Do(context.Background(), Request{Op: "Get", Method: "GET", Path: "x"}, &out)
	require.NoError(t, err)
	assert.Equal(t, 2, *n)
	assert.Empty(t, meta.DecodeIssues)
	assert.Equal(t, int64(1), out.ID)
}

// A value that echoes the key and does not fit its type is reported in the
// Warn log without the key.
func TestDecodeIssueLogIsRedacted(t *testing.T) {
	t.Parallel()
	var logs bytes.Buffer
	c, mt := newMockClient(t, WithLogger(slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelWarn}))))
	serve(t, mt, "GET", `{"id":7,"status":"done","when":"Bearer `+secret+`"}`)
	var out driftResult
	meta, err := c.Do(context.Background(), Request{Op: "Get", Method: "GET", Path: "x"}, &out)
	require.NoError(t, err)
	require.Len(t, meta.DecodeIssues, 1)
	assert.Contains(t, logs.String(), "when: got string, want creatorkit.Time")
	assert.NotContains(t, logs.String(), secret)
}

// Decode issues quote the body: a secret a server echoes into a value
// that does not fit (or into a map key on the way to it) is redacted in
// ResponseMeta.DecodeIssues and in the Warn log line.
func TestDecodeIssuesAreRedactedInPathsToo(t *testing.T) {
	t.Parallel()
	var logs bytes.Buffer
	c, mt := newMockClient(t, WithLogger(slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelWarn}))))
	serve(t, mt, "GET", `{"id":7,"status":"done","when":"Bearer `+secret+`","count":"`+url.QueryEscape(secret)+`"}`)
	var out driftResult
	meta, err := c.Do(context.Background(), Request{Op: "Get", Method: "GET", Path: "x"}, &out)
	require.NoError(t, err)
	require.Len(t, meta.DecodeIssues, 2)
	for _, is := range meta.DecodeIssues {
		assert.NotContains(t, is.String(), secret)
		assert.NotContains(t, is.String(), url.QueryEscape(secret))
	}
	assert.Contains(t, logs.String(), "[REDACTED]")
	assert.NotContains(t, logs.String(), secret)

	var m struct {
		Counts map[string]int `json:"counts"`
	}
	serve(t, mt, "GET", `{"counts":{"`+secret+`":"x","ok":1}}`)
	meta, err = c.Do(context.Background(), Request{Op: "Get", Method: "GET", Path: "x"}, &m)
	require.NoError(t, err)
	require.Len(t, meta.DecodeIssues, 1)
	assert.NotContains(t, meta.DecodeIssues[0].Path, secret, "a map key in a path")
}
