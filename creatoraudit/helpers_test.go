package creatoraudit_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/creatorkit/creatorkit-go/creatoraudit"
	"github.com/creatorkit/creatorkit-go/internal/fixture"
	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

const (
	testKey = "ca_live_0123456789TESTKEY"
	base    = "https://api.creatoraudit.com/v2"
)

var ctx = context.Background()

// newMockClient returns a client on its own httpmock transport (never the
// global one) with millisecond retry waits. Its base URL and key are
// options, so the environment cannot change them and the test may run in
// parallel.
func newMockClient(t *testing.T, opts ...creatoraudit.Option) (*creatoraudit.Client, *httpmock.MockTransport) {
	t.Helper()
	mt := httpmock.NewMockTransport()
	all := append([]creatoraudit.Option{
		creatoraudit.WithAPIKey(testKey),
		creatoraudit.WithBaseURL(base),
		creatoraudit.WithHTTPClient(&http.Client{Transport: mt}),
		creatoraudit.WithRetryWait(time.Millisecond, 2*time.Millisecond),
	}, opts...)
	c, err := creatoraudit.NewClient(all...)
	require.NoError(t, err)
	return c, mt
}

// reply answers with a testdata file and extra headers.
func reply(t *testing.T, status int, name string, headers ...string) httpmock.Responder {
	body := fixture.Load(t, name)
	return func(r *http.Request) (*http.Response, error) {
		resp := httpmock.NewBytesResponse(status, body)
		resp.Header.Set("Content-Type", "application/json")
		if status >= 400 {
			resp.Header.Set("Content-Type", "application/problem+json")
		}
		resp.Header.Set("X-Request-ID", "req-"+name)
		for i := 0; i+1 < len(headers); i += 2 {
			resp.Header.Add(headers[i], headers[i+1])
		}
		return resp, nil
	}
}

// want is the exact request a test expects.
type want struct {
	method, path, query, body string
	header                    map[string]string
	noAuth                    bool
}

// expect asserts the exact request, then answers with next.
func expect(t *testing.T, w want, next httpmock.Responder) httpmock.Responder {
	return func(r *http.Request) (*http.Response, error) {
		assert.Equal(t, w.method, r.Method)
		assert.Equal(t, w.path, r.URL.Path)
		assert.Equal(t, w.query, r.URL.RawQuery)
		if w.noAuth {
			assert.Empty(t, r.Header.Get("Authorization"))
		} else {
			assert.Equal(t, "Bearer "+testKey, r.Header.Get("Authorization"))
		}
		assert.Equal(t, "application/json", r.Header.Get("Accept"))
		assert.Contains(t, r.Header.Get("User-Agent"), "creatorkit-go/")
		for k, v := range w.header {
			assert.Equal(t, v, r.Header.Get(k), "header %s", k)
		}
		if w.body == "" {
			assert.True(t, r.Body == nil || r.Body == http.NoBody || readAll(r.Body) == "", "no body")
		} else {
			assert.JSONEq(t, w.body, readAll(r.Body))
			assert.Equal(t, "application/json", r.Header.Get("Content-Type"))
		}
		return next(r)
	}
}

func readAll(r io.Reader) string {
	if r == nil {
		return ""
	}
	b, _ := io.ReadAll(r)
	return string(b)
}

// env is the {"data": ...} envelope, for round-tripping fixtures.
type env[T any] struct {
	Data T `json:"data"`
}

func loadFixture(t *testing.T, name string) []byte { return fixture.Load(t, name) }

func decodeJSON(r *http.Request, v any) error { return json.NewDecoder(r.Body).Decode(v) }
