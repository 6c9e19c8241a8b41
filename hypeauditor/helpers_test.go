package hypeauditor_test

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/creatorkit/creatorkit-go/hypeauditor"
	"github.com/creatorkit/creatorkit-go/hypeauditor/hypeauditortest"
	"github.com/creatorkit/creatorkit-go/internal/fixture"
	"github.com/creatorkit/creatorkit-go/internal/vendortest"
	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
	"golang.org/x/time/rate"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

const (
	testID    = "770312"
	testToken = "ha_live_TESTTOKEN_9f8e7d6c"
	base      = "https://hypeauditor.com/api/method/"
)

// newMockClient returns a client on its own httpmock transport (never the
// global one), with pacing off and millisecond retry waits.
func newMockClient(t *testing.T, opts ...hypeauditor.Option) (*hypeauditor.Client, *httpmock.MockTransport) {
	t.Helper()
	mt := httpmock.NewMockTransport()
	all := append([]hypeauditor.Option{
		hypeauditor.WithCredentials(testID, testToken),
		hypeauditor.WithHTTPClient(&http.Client{Transport: mt}),
		hypeauditor.WithRateLimit(rate.Inf, 0),
		hypeauditor.WithRetryWait(time.Millisecond, 2*time.Millisecond),
	}, opts...)
	c, err := hypeauditor.NewClient(all...)
	require.NoError(t, err)
	return c, mt
}

// want is the exact request a responder expects.
type want struct {
	query url.Values // without v, which is always expected as "2"
	body  string     // JSON, compared ignoring key order; "" for no body
}

// expect registers a responder for method+path that asserts the exact
// request (credentials, Accept, v=2 plus the wanted query, body) and
// answers with a fixture (a testdata file, or "shared:<file>" for one of
// ../shared/fixtures/hypeauditor/: see fixture.Named).
func expect(t *testing.T, mt *httpmock.MockTransport, method, path string, w want, status int, file string) {
	t.Helper()
	var body []byte
	if file != "" {
		body = fixture.Named(t, "hypeauditor", file)
	}
	mt.RegisterResponder(method, base+path, func(r *http.Request) (*http.Response, error) {
		assert.Equal(t, testID, r.Header.Get("X-Auth-Id"))
		assert.Equal(t, testToken, r.Header.Get("X-Auth-Token"))
		assert.Equal(t, "application/json", r.Header.Get("Accept"))
		assert.True(t, strings.HasPrefix(r.Header.Get("User-Agent"), "creatorkit-go/"), r.Header.Get("User-Agent"))
		q := url.Values{}
		for k, v := range w.query {
			q[k] = v
		}
		q.Set("v", "2")
		assert.Equal(t, q, r.URL.Query(), "query of %s %s", method, path)
		got := ""
		if r.Body != nil {
			b, _ := io.ReadAll(r.Body)
			got = string(b)
		}
		if w.body == "" {
			assert.Empty(t, got)
		} else {
			assert.Equal(t, "application/json", r.Header.Get("Content-Type"))
			assert.JSONEq(t, w.body, got)
		}
		resp := httpmock.NewBytesResponse(status, body)
		resp.Header.Set("Content-Type", "application/json")
		return resp, nil
	})
}

// respond answers method+path with a status and a literal body.
func respond(mt *httpmock.MockTransport, method, path string, status int, body string) {
	mt.RegisterResponder(method, base+path, func(*http.Request) (*http.Response, error) {
		resp := httpmock.NewStringResponse(status, body)
		resp.Header.Set("Content-Type", "application/json")
		return resp, nil
	})
}

// The tests that talk to the fake run inside testing/synctest bubbles on
// a fake started WithVirtualTime: HypeAuditor's documented durations (a
// 90 s report, a 30 s retryTtl, 99 requests a minute) pass on the
// bubble's clock, which moves only when every goroutine waits, so no test
// depends on how fast or busy the machine is.

// newFake starts a fake on the bubble's clock (call it inside
// synctest.Test) and a client for it; both end with the test.
func newFake(t *testing.T, opts ...hypeauditortest.Option) (*hypeauditortest.Server, *hypeauditor.Client) {
	t.Helper()
	srv := hypeauditortest.NewServer(append([]hypeauditortest.Option{hypeauditortest.WithVirtualTime()}, opts...)...)
	t.Cleanup(srv.Close)
	c, err := srv.NewClient()
	require.NoError(t, err)
	return srv, c
}

// testCtx bounds a test on the bubble's clock: virtual hours cost no real
// time, and a wait that never ends fails at the deadline instead of
// hanging.
func testCtx(t *testing.T) context.Context { return vendortest.Ctx(t) }

// timeout is a context that ends after d on the bubble's clock.
func timeout(t *testing.T, d time.Duration) context.Context { return vendortest.Timeout(t, d) }

func str(status int, body string) *http.Response {
	resp := httpmock.NewStringResponse(status, body)
	resp.Header.Set("Content-Type", "application/json")
	return resp
}

// fakeTransport returns a transport of its own to srv: a copy of the one
// its HTTPClient uses (over the fake's in-memory network in a bubble),
// whose idle connections close with the test.
func fakeTransport(t testing.TB, srv *hypeauditortest.Server) *http.Transport {
	t.Helper()
	tr := srv.HTTPClient().Transport.(*http.Transport).Clone()
	t.Cleanup(tr.CloseIdleConnections)
	return tr
}
