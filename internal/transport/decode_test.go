package transport

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
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

func TestRedactorRemovesEveryEchoedForm(t *testing.T) {
	t.Parallel()
	const id, token = "client-4711", "tok_SECRET_987654"
	r := NewRedactor(id, token)
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
	r := NewRedactor(key)
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
