package firstparty_test

import (
	"context"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/creatorkit/creatorkit-go/firstparty"
	"github.com/creatorkit/creatorkit-go/internal/fixture"
	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

var ctx = context.Background()

const (
	testToken   = "ylytic_live_TESTTOKEN123"
	verifyBase  = firstparty.DefaultBaseURL
	insightBase = firstparty.DefaultInsightsBaseURL
)

// newMockClient returns a client on its own httpmock transport (never the
// global one), with millisecond retry waits.
func newMockClient(t *testing.T, opts ...firstparty.Option) (*firstparty.Client, *httpmock.MockTransport) {
	t.Helper()
	t.Setenv("FIRSTPARTY_TOKEN", "")
	t.Setenv("FIRSTPARTY_BASE_URL", "")
	t.Setenv("FIRSTPARTY_INSIGHTS_BASE_URL", "")
	mt := httpmock.NewMockTransport()
	all := append([]firstparty.Option{
		firstparty.WithToken(testToken),
		firstparty.WithHTTPClient(&http.Client{Transport: mt}),
		firstparty.WithRetryWait(time.Millisecond, 2*time.Millisecond),
	}, opts...)
	c, err := firstparty.NewClient(all...)
	require.NoError(t, err)
	return c, mt
}

// respond answers with a body.
func respond(status int, body []byte) httpmock.Responder {
	return func(*http.Request) (*http.Response, error) {
		resp := httpmock.NewBytesResponse(status, body)
		resp.Header.Set("Content-Type", "application/json")
		return resp, nil
	}
}

// expect checks the exact request (method, query, auth, headers, body)
// and answers with status and body.
func expect(t *testing.T, method, query, body string, status int, answer []byte) httpmock.Responder {
	return func(r *http.Request) (*http.Response, error) {
		assert.Equal(t, method, r.Method)
		assert.Equal(t, query, r.URL.RawQuery)
		assert.Equal(t, "Bearer "+testToken, r.Header.Get("Authorization"))
		assert.Equal(t, "application/json", r.Header.Get("Accept"))
		assert.Contains(t, r.Header.Get("User-Agent"), "creatorkit-go/")
		if body == "" {
			assert.Nil(t, r.Body)
		} else {
			b, _ := io.ReadAll(r.Body)
			assert.JSONEq(t, body, string(b))
			assert.Equal(t, "application/json", r.Header.Get("Content-Type"))
		}
		return respond(status, answer)(r)
	}
}

func load(t *testing.T, name string) []byte { return fixture.Load(t, name) }

func contextWithTimeout(d time.Duration) (context.Context, context.CancelFunc) {
	return context.WithTimeout(ctx, d)
}
