package ylytic_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/creatorkit/creatorkit-go/internal/fixture"
	"github.com/creatorkit/creatorkit-go/internal/vendortest"
	"github.com/creatorkit/creatorkit-go/ylytic"
	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

var ctx = context.Background()

const (
	testToken = "ylytic_live_TESTTOKEN123"
	thirdBase = "https://app.ylytic.com"
	dashBase  = "https://dashboard.ylytic.com"
	insBase   = "https://insights.ylytic.com"
)

// clearEnv empties the variables NewClient reads, so that a developer's
// own environment cannot change a test. Tests that call it cannot run in
// parallel (t.Setenv).
func clearEnv(t *testing.T) {
	t.Helper()
	for _, k := range []string{"YLYTIC_TOKEN", "FIRSTPARTY_TOKEN", "YLYTIC_BASE_URL"} {
		t.Setenv(k, "")
	}
}

// newMockClient returns a client with the default hosts on its own
// httpmock transport (never the global one, so tests run in parallel),
// with millisecond retry waits. It does not read the environment's token:
// WithToken wins.
func newMockClient(t *testing.T, opts ...ylytic.Option) (*ylytic.Client, *httpmock.MockTransport) {
	t.Helper()
	mt := httpmock.NewMockTransport()
	all := append([]ylytic.Option{
		ylytic.WithHosts(ylytic.DefaultHosts()),
		ylytic.WithToken(testToken),
		ylytic.WithHTTPClient(&http.Client{Transport: mt}),
		ylytic.WithRetryWait(time.Millisecond, 2*time.Millisecond),
	}, opts...)
	c, err := ylytic.NewClient(all...)
	require.NoError(t, err)
	return c, mt
}

// respond answers with a body.
func respond(status int, body []byte) httpmock.Responder { return vendortest.Respond(status, body) }

// expect checks the exact request (method, query, auth, headers, body)
// and answers with status and body.
func expect(t *testing.T, method, query, body string, status int, answer []byte) httpmock.Responder {
	return vendortest.Expect(t, testToken, method, query, body, respond(status, answer))
}

func load(t *testing.T, name string) []byte { return fixture.Load(t, name) }

func mustJSON(t *testing.T, v any) []byte { return vendortest.MustJSON(t, v) }
