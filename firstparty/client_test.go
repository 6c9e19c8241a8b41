package firstparty_test

import (
	"errors"
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/creatorkit/creatorkit-go/firstparty"
	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestNewClientCredentials(t *testing.T) {
	t.Setenv("FIRSTPARTY_TOKEN", "")
	t.Setenv("FIRSTPARTY_BASE_URL", "")
	t.Setenv("FIRSTPARTY_INSIGHTS_BASE_URL", "")
	_, err := firstparty.NewClient()
	require.ErrorIs(t, err, firstparty.ErrInvalidParams)
	assert.Contains(t, err.Error(), "FIRSTPARTY_TOKEN")

	t.Setenv("FIRSTPARTY_TOKEN", "fp_live_fromenv")
	c, err := firstparty.NewClient()
	require.NoError(t, err)
	s := fmt.Sprintf("%v %#v %s", c, c, c)
	assert.NotContains(t, s, "fromenv")
	assert.Contains(t, s, "dashboard.ylytic.com")
	assert.Contains(t, s, "insights.ylytic.com")

	for _, bad := range []firstparty.Option{
		firstparty.WithBaseURL("dashboard.ylytic.com"),
		firstparty.WithInsightsBaseURL("ftp://x"),
		firstparty.WithPaths(firstparty.Paths{Insights: "insights/creators"}),
		firstparty.WithHTTPClient(nil),
		firstparty.WithMaxRetries(-1),
		firstparty.WithMaxRetryAfter(0),
		firstparty.WithMaxConcurrency(-1),
	} {
		_, err = firstparty.NewClient(bad)
		assert.ErrorIs(t, err, firstparty.ErrInvalidParams)
	}

	t.Setenv("FIRSTPARTY_BASE_URL", "not a url")
	_, err = firstparty.NewClient()
	assert.ErrorIs(t, err, firstparty.ErrInvalidParams)
}

// Default hosts: verification on the dashboard host, insights on the
// insights host, one bearer token for both.
func TestDefaultHostsAndAuth(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	var hosts []string
	record := func(body string) httpmock.Responder {
		return func(r *http.Request) (*http.Response, error) {
			hosts = append(hosts, r.URL.Host+r.URL.Path)
			assert.Equal(t, "Bearer "+testToken, r.Header.Get("Authorization"))
			return httpmock.NewStringResponse(200, body), nil
		}
	}
	mt.RegisterResponder("POST", "https://dashboard.ylytic.com/ylytic/api/v1/first_party/verification_url", record(connectPage))
	mt.RegisterResponder("POST", "https://dashboard.ylytic.com/ylytic/api/v1/first_party/verify", record(string(load(t, "verify_creator.json"))))
	mt.RegisterResponder("GET", "https://insights.ylytic.com/ylytic/api/v1/insights/creators/c1", record(string(load(t, "insights_instagram.json"))))
	_, err := c.Verification.CreateURL(ctx, firstparty.CreateVerificationURLParams{Platform: firstparty.Instagram, RedirectURL: "https://a.example/cb", State: "unique-string"})
	require.NoError(t, err)
	_, err = c.Verification.Verify(ctx, firstparty.VerifyCreatorParams{State: "unique-string", Token: "t"})
	require.NoError(t, err)
	_, err = c.Insights.Get(ctx, firstparty.GetInsightsParams{CreatorID: "c1"})
	require.NoError(t, err)
	assert.Equal(t, []string{
		"dashboard.ylytic.com/ylytic/api/v1/first_party/verification_url",
		"dashboard.ylytic.com/ylytic/api/v1/first_party/verify",
		"insights.ylytic.com/ylytic/api/v1/insights/creators/c1",
	}, hosts)
}

// One WithBaseURL points every endpoint at it; WithInsightsBaseURL and
// WithPaths move single endpoints.
func TestBaseURLsAndPaths(t *testing.T) {
	t.Setenv("FIRSTPARTY_INSIGHTS_BASE_URL", "") // newMockClient sets both hosts; this client sets one
	mt := httpmock.NewMockTransport()
	c, err := firstparty.NewClient(firstparty.WithToken(testToken), firstparty.WithHTTPClient(&http.Client{Transport: mt}),
		firstparty.WithBaseURL("http://proxy.local:9000/fp"))
	require.NoError(t, err)
	mt.RegisterResponder("POST", "http://proxy.local:9000/fp/first_party/verify", respond(200, load(t, "verify_creator.json")))
	mt.RegisterResponder("GET", "http://proxy.local:9000/fp/insights/creators/c1", respond(200, load(t, "insights_instagram.json")))
	_, err = c.Verification.Verify(ctx, firstparty.VerifyCreatorParams{State: "unique-string", Token: "t"})
	require.NoError(t, err)
	_, err = c.Insights.Get(ctx, firstparty.GetInsightsParams{CreatorID: "c1"})
	require.NoError(t, err)

	c, mt = newMockClient(t,
		firstparty.WithInsightsBaseURL("https://data.example.com/v2"),
		firstparty.WithBaseURL("https://api.example.com/v1"),
		firstparty.WithPaths(firstparty.Paths{VerifyCreator: "/fp/verify-creator", Insights: "fp/{creator_id}/insights"}),
	)
	mt.RegisterResponder("POST", "https://api.example.com/v1/first_party/verification_url", respond(200, []byte(connectPage)))
	mt.RegisterResponder("POST", "https://api.example.com/v1/fp/verify-creator", respond(200, load(t, "verify_creator.json")))
	mt.RegisterResponder("GET", "https://data.example.com/v2/fp/c%20d/insights", respond(200, load(t, "insights_instagram.json")))
	_, err = c.Verification.CreateURL(ctx, firstparty.CreateVerificationURLParams{Platform: firstparty.Instagram, RedirectURL: "https://a.example/cb", State: "unique-string"})
	require.NoError(t, err)
	_, err = c.Verification.Verify(ctx, firstparty.VerifyCreatorParams{State: "unique-string", Token: "t"})
	require.NoError(t, err)
	_, err = c.Insights.Get(ctx, firstparty.GetInsightsParams{CreatorID: "c d"})
	require.NoError(t, err)
	assert.Equal(t, 3, mt.GetTotalCallCount())
	assert.Contains(t, c.String(), "data.example.com")
}

func TestEnvBaseURLs(t *testing.T) {
	t.Setenv("FIRSTPARTY_TOKEN", "fp_env_token")
	t.Setenv("FIRSTPARTY_BASE_URL", "http://127.0.0.1:1/ylytic/api/v1")
	t.Setenv("FIRSTPARTY_INSIGHTS_BASE_URL", "")
	c, err := firstparty.NewClient()
	require.NoError(t, err)
	assert.Equal(t, "firstparty client (base http://127.0.0.1:1/ylytic/api/v1/, auth Authorization: [REDACTED])", c.String(), "one base URL serves both")

	t.Setenv("FIRSTPARTY_INSIGHTS_BASE_URL", "http://127.0.0.1:2/i")
	c, err = firstparty.NewClient()
	require.NoError(t, err)
	assert.Contains(t, c.String(), "insights base http://127.0.0.1:2/i/")
}

// A 429 is retried after Retry-After, on the insights host as on the other.
func TestRetriesAndRateLimitState(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		c, mt := newMockClient(t)
		n := 0
		mt.RegisterResponder("GET", insightBase+"/insights/creators/c1", func(r *http.Request) (*http.Response, error) {
			n++
			if n == 1 {
				resp := httpmock.NewStringResponse(429, `{"error":"slow down"}`)
				resp.Header.Set("Retry-After", "0.001")
				return resp, nil
			}
			resp := httpmock.NewBytesResponse(200, load(t, "insights_instagram.json"))
			resp.Header.Set("X-RateLimit-Limit", "100")
			resp.Header.Set("X-RateLimit-Remaining", "98")
			return resp, nil
		})
		in, err := c.Insights.Get(ctx, firstparty.GetInsightsParams{CreatorID: "c1"})
		require.NoError(t, err)
		assert.Equal(t, 2, in.Response.Attempts)
		rl := c.RateLimit()
		assert.True(t, rl.Known)
		assert.Equal(t, 98, rl.Remaining)
	})
}

// With a window set, both hosts draw from one limiter.
func TestOneLimiterForBothHosts(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		c, mt := newMockClient(t, firstparty.WithWindow(2, time.Hour), firstparty.WithMaxRetries(0))
		mt.RegisterResponder("POST", verifyBase+"/first_party/verify", respond(200, load(t, "verify_creator.json")))
		mt.RegisterResponder("GET", insightBase+"/insights/creators/c1", respond(200, load(t, "insights_instagram.json")))
		_, err := c.Verification.Verify(ctx, firstparty.VerifyCreatorParams{State: "unique-string", Token: "t"})
		require.NoError(t, err)
		// The window's burst is 1: the second request, on the other host,
		// cannot get a slot within a short deadline.
		cx, cancel := contextWithTimeout(50 * time.Millisecond)
		defer cancel()
		_, err = c.Insights.Get(cx, firstparty.GetInsightsParams{CreatorID: "c1"})
		require.ErrorIs(t, err, firstparty.ErrRateLimited)
		assert.Equal(t, 1, mt.GetTotalCallCount())
	})
}

// DefaultPaths returns a fresh value each time: changing one cannot move
// another client's endpoints. Client.Paths reports what WithPaths set.
func TestDefaultPathsIsAFreshValue(t *testing.T) {
	t.Parallel()
	p := firstparty.DefaultPaths()
	p.Insights = "elsewhere/{creator_id}"
	assert.Equal(t, "insights/creators/{creator_id}", firstparty.DefaultPaths().Insights)

	c, _ := newMockClient(t)
	assert.Equal(t, firstparty.DefaultPaths(), c.Paths())
	c, _ = newMockClient(t, firstparty.WithPaths(firstparty.Paths{VerifyCreator: "fp/verify"}))
	want := firstparty.DefaultPaths()
	want.VerifyCreator = "fp/verify"
	assert.Equal(t, want, c.Paths())
}

// WithMaxRetryAfter: a Retry-After longer than the cap is not slept
// through but returned at once with RetryAfter set; the default cap (60 s)
// sleeps through the same answer.
func TestWithMaxRetryAfter(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		serve := func(mt *httpmock.MockTransport) {
			n := 0
			mt.RegisterResponder("GET", insightBase+"/insights/creators/c1", func(*http.Request) (*http.Response, error) {
				n++
				if n == 1 {
					resp := httpmock.NewStringResponse(429, `{"error":"slow down"}`)
					resp.Header.Set("Retry-After", "0.3")
					return resp, nil
				}
				return httpmock.NewBytesResponse(200, load(t, "insights_instagram.json")), nil
			})
		}
		c, mt := newMockClient(t, firstparty.WithMaxRetryAfter(100*time.Millisecond))
		serve(mt)
		_, err := c.Insights.Get(ctx, firstparty.GetInsightsParams{CreatorID: "c1"})
		require.ErrorIs(t, err, firstparty.ErrRateLimited)
		var e *firstparty.Error
		require.True(t, errors.As(err, &e))
		assert.Equal(t, 300*time.Millisecond, e.RetryAfter)
		assert.Equal(t, 1, mt.GetTotalCallCount(), "not slept through")

		c, mt = newMockClient(t)
		serve(mt)
		_, err = c.Insights.Get(ctx, firstparty.GetInsightsParams{CreatorID: "c1"})
		require.NoError(t, err)
		assert.Equal(t, 2, mt.GetTotalCallCount())
	})
}

// WithMaxConcurrency(1): a second request waits until the first is
// answered. Each request waits (up to a bound) for another to arrive, so
// with a cap of 2 both are in flight together; that bound is long (it
// ends as soon as the other request arrives), so a slow scheduler cannot
// make the cap of 2 look like 1.
func TestWithMaxConcurrency(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		peak := func(wait time.Duration, opts ...firstparty.Option) int32 {
			c, mt := newMockClient(t, opts...)
			var inflight, most atomic.Int32
			together := make(chan struct{}) // closed when two requests were in flight at once
			var once sync.Once
			mt.RegisterResponder("GET", insightBase+"/insights/creators/c1", func(*http.Request) (*http.Response, error) {
				n := inflight.Add(1)
				defer inflight.Add(-1)
				for {
					if m := most.Load(); n <= m || most.CompareAndSwap(m, n) {
						break
					}
				}
				if n >= 2 {
					once.Do(func() { close(together) })
				}
				select {
				case <-together:
				case <-time.After(wait):
				}
				return httpmock.NewBytesResponse(200, load(t, "insights_instagram.json")), nil
			})
			// Until the vendor has answered once, a client sends one request
			// at a time (it does not know yet whether the vendor reports its
			// rate limit): warm it up first.
			close(together)
			_, err := c.Insights.Get(ctx, firstparty.GetInsightsParams{CreatorID: "c1"})
			require.NoError(t, err)
			together = make(chan struct{})
			once = sync.Once{}
			most.Store(0)
			var wg sync.WaitGroup
			for range 2 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					_, err := c.Insights.Get(ctx, firstparty.GetInsightsParams{CreatorID: "c1"})
					assert.NoError(t, err)
				}()
			}
			wg.Wait()
			return most.Load()
		}
		assert.EqualValues(t, 1, peak(200*time.Millisecond, firstparty.WithMaxConcurrency(1)))
		assert.EqualValues(t, 2, peak(time.Minute, firstparty.WithMaxConcurrency(2)))
	})
}
