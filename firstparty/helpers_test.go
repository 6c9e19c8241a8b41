package firstparty_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/creatorkit/creatorkit-go/firstparty"
	"github.com/creatorkit/creatorkit-go/firstparty/firstpartytest"
	"github.com/creatorkit/creatorkit-go/internal/fixture"
	"github.com/creatorkit/creatorkit-go/internal/vendortest"
	"github.com/jarcoal/httpmock"
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
// global one), with millisecond retry waits. Its hosts and token are
// options, so the environment cannot change them and the test may run in
// parallel.
func newMockClient(t *testing.T, opts ...firstparty.Option) (*firstparty.Client, *httpmock.MockTransport) {
	t.Helper()
	mt := httpmock.NewMockTransport()
	all := append([]firstparty.Option{
		firstparty.WithToken(testToken),
		firstparty.WithBaseURL(verifyBase),
		firstparty.WithInsightsBaseURL(insightBase),
		firstparty.WithHTTPClient(&http.Client{Transport: mt}),
		firstparty.WithRetryWait(time.Millisecond, 2*time.Millisecond),
	}, opts...)
	c, err := firstparty.NewClient(all...)
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

func contextWithTimeout(d time.Duration) (context.Context, context.CancelFunc) {
	return context.WithTimeout(ctx, d)
}

// The tests that talk to the fake, or wait, run inside testing/synctest
// bubbles on a fake started WithVirtualTime: Ylytic's durations (a minute
// of insights processing, the fake's token TTL, the client's backoff) pass
// on the bubble's clock, which moves only when every goroutine waits, so
// no test depends on how fast the machine is.

// fastFake starts a fake on the bubble's clock (call it inside
// synctest.Test); Close runs when the test ends.
func fastFake(t *testing.T, opts ...firstpartytest.Option) *firstpartytest.Server {
	t.Helper()
	srv := firstpartytest.NewServer(append([]firstpartytest.Option{firstpartytest.WithVirtualTime()}, opts...)...)
	t.Cleanup(srv.Close)
	return srv
}

// testCtx bounds a test on the bubble's clock: virtual hours cost no real
// time, and a wait that never ends fails at the deadline instead of
// hanging.
func testCtx(t *testing.T) context.Context { return vendortest.Ctx(t) }
