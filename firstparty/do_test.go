package firstparty_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/creatorkit/creatorkit-go/firstparty"
	"github.com/creatorkit/creatorkit-go/firstparty/firstpartytest"
	"github.com/creatorkit/creatorkit-go/internal/vendortest"
	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// rawVerificationURL is a struct of the caller's own for a raw call, with
// the Raw and Response fields the typed results have.
type rawVerificationURL struct {
	RedirectURL string                   `json:"redirectUrl"`
	State       string                   `json:"state"`
	Raw         json.RawMessage          `json:"-"`
	Response    *firstparty.ResponseMeta `json:"-"`
}

// verifiedCreator runs the consent flow on the fake with a client of its
// own and returns the creator id.
func verifiedCreator(t *testing.T, srv *firstpartytest.Server) string {
	t.Helper()
	c, err := srv.NewClient()
	require.NoError(t, err)
	st := firstparty.NewState()
	v, err := c.Verification.CreateURL(ctx, firstparty.CreateVerificationURLParams{Platform: firstparty.Instagram, RedirectURL: "https://app.example.com/cb", State: st})
	require.NoError(t, err)
	loc, err := srv.Connect(v.RedirectURL)
	require.NoError(t, err)
	ver, err := c.Verification.Verify(ctx, firstparty.VerifyCreatorParams{State: st, Token: mustQuery(t, loc).Get("token")})
	require.NoError(t, err)
	return ver.CreatorID
}

// A raw call on either host is paced with the typed calls on the client's
// one limiter: in a window of 2 requests a minute, a typed call on the
// verification host and a raw call on the insights host (DoInsights) take
// the window, and the third request, raw (Do) or typed, waits for its
// first slot to come free, a minute after the first answer.
func TestDoSharesTheLimiterWithTypedCalls(t *testing.T) {
	vendortest.Thirds(t, func(t *testing.T, third string) {
		srv := fastFake(t, firstpartytest.WithInsightsDelay(0))
		id := verifiedCreator(t, srv)
		// Two hosts: the insights root differs from the verification
		// root (the fake serves both).
		c, err := srv.NewClient(firstparty.WithWindow(2, time.Minute),
			firstparty.WithInsightsBaseURL(srv.URL+"/ylytic"), firstparty.WithPaths(firstparty.Paths{Insights: "api/v1/insights/creators/{creator_id}"}))
		require.NoError(t, err)
		require.Contains(t, c.String(), "insights base "+srv.URL+"/ylytic")
		ctx := testCtx(t)
		vendortest.Pacing{
			Typed: func() {
				_, err := c.Verification.CreateURL(ctx, firstparty.CreateVerificationURLParams{Platform: firstparty.Instagram, RedirectURL: "https://app.example.com/cb", State: firstparty.NewState()})
				require.NoError(t, err)
			},
			TypedOp: "Verification.CreateURL",
			Raw: func() {
				var in struct {
					Status   string                   `json:"status"`
					Raw      json.RawMessage          `json:"-"`
					Response *firstparty.ResponseMeta `json:"-"`
				}
				meta, err := c.DoInsights(ctx, http.MethodGet, "api/v1/insights/creators/"+id, nil, nil, &in, firstparty.Route("api/v1/insights/creators/{creator_id}"))
				require.NoError(t, err)
				assert.Equal(t, http.StatusOK, meta.StatusCode)
				assert.Same(t, meta, in.Response)
				assert.NotEmpty(t, in.Raw)
			},
			ThirdRaw: func() {
				var out rawVerificationURL
				st := firstparty.NewState()
				_, err := c.Do(ctx, http.MethodPost, strings.TrimPrefix(c.Paths().CreateVerificationURL, "/"), nil,
					map[string]any{"connector": "instagram", "redirectUrl": "https://app.example.com/cb", "state": st}, &out)
				require.NoError(t, err)
				assert.Equal(t, st, out.State)
				assert.NotEmpty(t, out.RedirectURL)
			},
			Usage:    c.Usage,
			RawWhere: " on the other host",
			Hosts:    "both hosts",
		}.Run(t, third)
		assert.Zero(t, srv.Snapshot().Count(http.StatusTooManyRequests))
	})
}

// A raw call is refused before sending when its input is bad, or when it
// says it costs (Ylytic prices nothing); an answer is the same *Error as a
// typed call's, and the token goes with the request.
func TestDoRefusalsAndErrors(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t, firstparty.WithMaxRetries(0))
	for _, bad := range []struct{ method, path string }{{"FETCH", "first_party/verify"}, {"GET", "https://evil.example/x"}, {"GET", ""}, {"GET", "//evil.example/x"}} {
		_, err := c.Do(ctx, bad.method, bad.path, nil, nil, nil)
		assert.ErrorIs(t, err, firstparty.ErrInvalidParams, "%s %q", bad.method, bad.path)
		_, err = c.DoInsights(ctx, bad.method, bad.path, nil, nil, nil)
		assert.ErrorIs(t, err, firstparty.ErrInvalidParams, "%s %q", bad.method, bad.path)
	}
	_, err := c.Do(ctx, http.MethodPost, "first_party/verify", nil, nil, nil, firstparty.Costs(1))
	assert.ErrorIs(t, err, firstparty.ErrInvalidParams, "nothing is priced")
	assert.Zero(t, mt.GetTotalCallCount(), "nothing sent")

	var seen http.Header
	mt.RegisterResponder("GET", "=~/insights/creators/c404", func(r *http.Request) (*http.Response, error) {
		seen = r.Header.Clone()
		return httpmock.NewStringResponse(404, `{"error":"Creator not found"}`), nil
	})
	_, err = c.DoInsights(ctx, http.MethodGet, "insights/creators/c404", url.Values{"key": {"k1"}}, nil, nil)
	assert.ErrorIs(t, err, firstparty.ErrNotFound)
	assert.Contains(t, err.Error(), "firstparty: Do: GET ")
	assert.Equal(t, "Bearer "+testToken, seen.Get("Authorization"))
}
