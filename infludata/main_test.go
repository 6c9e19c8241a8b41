package infludata_test

import (
	"io"
	"net/http"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/creatorkit/creatorkit-go/infludata"
	"github.com/creatorkit/creatorkit-go/internal/fixture"
	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
	"golang.org/x/time/rate"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

const (
	testKey = "test-key-0123456789"
	base    = "https://app.infludata.com/api/externalAPI"
)

// sent is one request a mock transport saw.
type sent struct {
	Method string
	Path   string
	Query  url.Values
	Header http.Header
	Body   string
}

// recorder keeps the requests a mock saw.
type recorder struct {
	mu   sync.Mutex
	reqs []sent
}

func (r *recorder) add(req *http.Request) {
	var body []byte
	if req.Body != nil {
		body, _ = io.ReadAll(req.Body)
	}
	r.mu.Lock()
	r.reqs = append(r.reqs, sent{Method: req.Method, Path: req.URL.Path, Query: req.URL.Query(), Header: req.Header.Clone(), Body: string(body)})
	r.mu.Unlock()
}

func (r *recorder) all() []sent {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]sent(nil), r.reqs...)
}

// mock returns a client on a fresh mock transport (no responders) with
// pacing off and millisecond retry waits.
func mock(t *testing.T, opts ...infludata.Option) (*infludata.Client, *httpmock.MockTransport, *recorder) {
	t.Helper()
	mt := httpmock.NewMockTransport()
	rec := &recorder{}
	base := []infludata.Option{
		infludata.WithAPIKey(testKey),
		infludata.WithBaseURL(base),
		infludata.WithPlan(infludata.Production), // whatever $INFLUDATA_PLAN says
		infludata.WithHTTPClient(&http.Client{Transport: mt}),
		infludata.WithRetryWait(time.Millisecond, 2*time.Millisecond),
	}
	// Pacing is tested on the fake; here it would only slow tests down. It
	// goes last so that WithPlan still sets the plan (and its batch size).
	opts = append(append(base, opts...), infludata.WithRateLimit(rate.Inf, 1), infludata.WithFairUsage(0, 0))
	c, err := infludata.NewClient(opts...)
	require.NoError(t, err)
	return c, mt, rec
}

// reply answers with a fixture (a testdata file, "shared:<file>" for one
// of ../shared/fixtures/infludata/ (see fixture.Named), or a literal body
// when name starts with "{" or "[") and records the request.
func reply(t *testing.T, rec *recorder, status int, name string, header ...string) httpmock.Responder {
	var body []byte
	if name != "" && (name[0] == '{' || name[0] == '[') {
		body = []byte(name)
	} else if name != "" {
		body = fixture.Named(t, "infludata", name)
	}
	return func(req *http.Request) (*http.Response, error) {
		rec.add(req)
		resp := httpmock.NewBytesResponse(status, body)
		resp.Header.Set("Content-Type", "application/json")
		for i := 0; i+1 < len(header); i += 2 {
			resp.Header.Set(header[i], header[i+1])
		}
		return resp, nil
	}
}

// sequence answers with each responder in turn, then repeats the last.
func sequence(rs ...httpmock.Responder) httpmock.Responder {
	var mu sync.Mutex
	i := 0
	return func(req *http.Request) (*http.Response, error) {
		mu.Lock()
		r := rs[min(i, len(rs)-1)]
		i++
		mu.Unlock()
		return r(req)
	}
}

// audienceOf names a creator by handle for GetAndWait and GetAndWaitAll,
// asking for its audience report (what the waits are mostly for).
func audienceOf(p infludata.Platform, username string) infludata.GetProfileParams {
	return infludata.GetProfileParams{Platform: p, Username: username, IncludeAudienceReport: true}
}
