package engagecheck_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/creatorkit/creatorkit-go/engagecheck"
	"github.com/creatorkit/creatorkit-go/internal/fixture"
	"github.com/creatorkit/creatorkit-go/internal/vendortest"
	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
	"golang.org/x/time/rate"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

const (
	testKey = "ec_live_8Fq2ZxTESTKEY"
	base    = "https://engagecheck.com/api/v1"
)

// newMockClient returns a client on its own httpmock transport (never the
// global one), with pacing off and millisecond retry waits.
func newMockClient(t *testing.T, opts ...engagecheck.Option) (*engagecheck.Client, *httpmock.MockTransport) {
	t.Helper()
	mt := httpmock.NewMockTransport()
	all := append([]engagecheck.Option{
		engagecheck.WithAPIKey(testKey),
		engagecheck.WithHTTPClient(&http.Client{Transport: mt}),
		engagecheck.WithRateLimit(rate.Inf, 0),
		engagecheck.WithRetryWait(time.Millisecond, 2*time.Millisecond),
	}, opts...)
	c, err := engagecheck.NewClient(all...)
	require.NoError(t, err)
	return c, mt
}

// fixtureResponder answers with a testdata file.
func fixtureResponder(t *testing.T, status int, name string) httpmock.Responder {
	return vendortest.Respond(status, fixture.Load(t, name))
}

func fixtureLoad(t *testing.T, name string) []byte { return fixture.Load(t, name) }

// nowUTC is the current time in EngageCheck's created_at layout.
func nowUTC() string { return time.Now().UTC().Format("2006-01-02 15:04:05") }
