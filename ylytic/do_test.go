package ylytic_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/creatorkit/creatorkit-go/internal/vendortest"
	"github.com/creatorkit/creatorkit-go/ylytic"
	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// hostRouter sends every request to the fake, whatever its host, and
// records the hosts asked for: three hosts of a client, one fake.
type hostRouter struct {
	next  http.RoundTripper
	to    string // the fake's host
	mu    sync.Mutex
	hosts []string
}

func (h *hostRouter) RoundTrip(r *http.Request) (*http.Response, error) {
	h.mu.Lock()
	h.hosts = append(h.hosts, r.URL.Host)
	h.mu.Unlock()
	r = r.Clone(r.Context())
	r.URL.Host, r.Host = h.to, h.to
	return h.next.RoundTrip(r)
}

// A raw call on any of the three hosts is paced with the typed calls on
// the client's one limiter: in a window of 2 requests a minute, a typed
// call on the dashboard host and a raw call on the insights host
// (DoInsights) take the window, and the third request, raw (DoThirdParty,
// on the Third Party host) or typed, waits for its first slot to come
// free, a minute after the first answer.
func TestDoSharesTheLimiterWithTypedCalls(t *testing.T) {
	vendortest.Thirds(t, func(t *testing.T, third string) {
		srv, setup := onFake(t, nil)
		ctx := testCtx(t)
		req, err := setup.Refresh.Create(ctx, ylytic.RefreshParams{Type: ylytic.RefreshInstagram, Handle: "natgeo"})
		require.NoError(t, err)
		link, err := setup.ShortLinks.Create(ctx, ylytic.CreateShortLinkParams{TargetURL: "https://shop.example.com/"})
		require.NoError(t, err)

		fakeURL, err := url.Parse(srv.URL)
		require.NoError(t, err)
		router := &hostRouter{next: srv.HTTPClient().Transport, to: fakeURL.Host}
		c, err := srv.NewClient(ylytic.WithHTTPClient(&http.Client{Transport: router}), ylytic.WithWindow(2, time.Minute),
			ylytic.WithHosts(ylytic.Hosts{ThirdParty: "http://app.ylytic.test", Dashboard: "http://dashboard.ylytic.test", Insights: "http://insights.ylytic.test"}))
		require.NoError(t, err)

		vendortest.Pacing{
			Typed: func() {
				_, err := c.Refresh.Get(ctx, req.RequestID)
				require.NoError(t, err)
			},
			TypedOp: "Refresh.Get",
			Raw: func() {
				var clicks struct {
					Raw      json.RawMessage      `json:"-"`
					Response *ylytic.ResponseMeta `json:"-"`
				}
				meta, err := c.DoInsights(ctx, http.MethodGet, "ylytic/admin/api/v1/shortlinks/"+link.ID()+"/insights", nil, nil, &clicks,
					ylytic.Route("ylytic/admin/api/v1/shortlinks/{id}/insights"))
				require.NoError(t, err)
				assert.Equal(t, http.StatusOK, meta.StatusCode)
				assert.Same(t, meta, clicks.Response)
				assert.NotEmpty(t, clicks.Raw)
			},
			ThirdRaw: func() {
				var status struct {
					Data []struct {
						Handle string `json:"handle"`
					} `json:"data"`
				}
				_, err := c.DoThirdParty(ctx, http.MethodPost, "ylytic/admin/api/v1/creators/status", nil,
					map[string]any{"handles": []string{ylytic.ProfileURL(ylytic.Instagram, "natgeo")}}, &status, ylytic.Resendable(true))
				require.NoError(t, err)
				require.Len(t, status.Data, 1)
			},
			Usage:    c.Usage,
			RawWhere: " on another host",
			Hosts:    "every host",
		}.Run(t, third)
		want := []string{"dashboard.ylytic.test", "insights.ylytic.test", map[string]string{"raw": "app.ylytic.test", "typed": "dashboard.ylytic.test"}[third]}
		assert.Equal(t, want, router.hosts, "each call on its host")
		assert.Zero(t, srv.Snapshot().Count(http.StatusTooManyRequests))
	})
}

// A raw call is refused before sending when its input is bad, or when it
// says it costs (Ylytic prices nothing); an answer is the same *Error as a
// typed call's, sent to the host asked for with the token.
func TestDoRefusalsAndErrors(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t, ylytic.WithMaxRetries(0))
	dos := map[string]func(method, path string, opts ...ylytic.DoOption) error{
		"Do": func(m, p string, o ...ylytic.DoOption) error {
			_, err := c.Do(ctx, m, p, nil, nil, nil, o...)
			return err
		},
		"DoThirdParty": func(m, p string, o ...ylytic.DoOption) error {
			_, err := c.DoThirdParty(ctx, m, p, nil, nil, nil, o...)
			return err
		},
		"DoInsights": func(m, p string, o ...ylytic.DoOption) error {
			_, err := c.DoInsights(ctx, m, p, nil, nil, nil, o...)
			return err
		},
	}
	for name, do := range dos {
		for _, bad := range []struct{ method, path string }{{"FETCH", "ylytic/api/v1/x"}, {"GET", "https://evil.example/x"}, {"GET", ""}, {"GET", "//evil.example/x"}} {
			assert.ErrorIs(t, do(bad.method, bad.path), ylytic.ErrInvalidParams, "%s %s %q", name, bad.method, bad.path)
		}
		assert.ErrorIs(t, do(http.MethodPost, "ylytic/api/v1/data_refresh/requests", ylytic.Costs(1)), ylytic.ErrInvalidParams, "%s: nothing is priced", name)
	}
	assert.Zero(t, mt.GetTotalCallCount(), "nothing sent")

	for host, do := range map[string]string{thirdBase: "DoThirdParty", dashBase: "Do", insBase: "DoInsights"} {
		var auth string
		mt.RegisterResponder("GET", host+"/ylytic/api/v1/data_refresh/requests/r404", func(r *http.Request) (*http.Response, error) {
			auth = r.Header.Get("Authorization")
			return httpmock.NewStringResponse(404, `{"error":"Request not found"}`), nil
		})
		err := dos[do](http.MethodGet, "ylytic/api/v1/data_refresh/requests/r404")
		assert.ErrorIs(t, err, ylytic.ErrNotFound, do)
		assert.Contains(t, err.Error(), "ylytic: Do: GET "+host+"/", do)
		assert.Equal(t, "Bearer "+testToken, auth, do)
	}
}
