package hypeauditor_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"testing/synctest"
	"time"

	"github.com/creatorkit/creatorkit-go/hypeauditor"
	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestNewClientCredentials(t *testing.T) {
	t.Setenv("HYPEAUDITOR_CLIENT_ID", "")
	t.Setenv("HYPEAUDITOR_API_TOKEN", "")
	_, err := hypeauditor.NewClient()
	assert.ErrorIs(t, err, hypeauditor.ErrInvalidParams, "no credentials at all")
	_, err = hypeauditor.NewClient(hypeauditor.WithCredentials(testID, ""))
	assert.ErrorIs(t, err, hypeauditor.ErrInvalidParams, "token missing")
	_, err = hypeauditor.NewClient(hypeauditor.WithCredentials("", testToken))
	assert.ErrorIs(t, err, hypeauditor.ErrInvalidParams, "client id missing")

	t.Setenv("HYPEAUDITOR_CLIENT_ID", testID)
	_, err = hypeauditor.NewClient()
	assert.ErrorIs(t, err, hypeauditor.ErrInvalidParams, "only the id in the environment")
	t.Setenv("HYPEAUDITOR_API_TOKEN", testToken)
	t.Setenv("HYPEAUDITOR_BASE_URL", "http://fake.local/api/method/")

	mt := httpmock.NewMockTransport()
	c, err := hypeauditor.NewClient(hypeauditor.WithHTTPClient(&http.Client{Transport: mt}))
	require.NoError(t, err)
	mt.RegisterResponder("GET", "http://fake.local/api/method/auditor.planInfo", func(r *http.Request) (*http.Response, error) {
		assert.Equal(t, testID, r.Header.Get("X-Auth-Id"))
		assert.Equal(t, testToken, r.Header.Get("X-Auth-Token"))
		return httpmock.NewStringResponse(200, `{"result":{"reports":{"plan":"basic","credits":1},"discovery":{"plan":"all","requests":2}}}`), nil
	})
	p, err := c.Account.PlanInfo(context.Background())
	require.NoError(t, err)
	assert.Equal(t, hypeauditor.Int(1), p.Reports.Credits)
	assert.Equal(t, 1, mt.GetTotalCallCount())
}

func TestClientNeverPrintsSecrets(t *testing.T) {
	t.Parallel()
	c, _ := newMockClient(t)
	for _, s := range []string{c.String(), fmt.Sprintf("%v", c), fmt.Sprintf("%+v", c), fmt.Sprintf("%#v", c)} {
		assert.NotContains(t, s, testToken)
		assert.NotContains(t, s, testID)
		assert.Contains(t, s, "X-Auth-Token: [REDACTED]")
	}
}

func TestBadOptions(t *testing.T) {
	t.Parallel()
	for name, o := range map[string]hypeauditor.Option{
		"base url":    hypeauditor.WithBaseURL("not a url"),
		"retries":     hypeauditor.WithMaxRetries(-1),
		"retry wait":  hypeauditor.WithRetryWait(time.Second, time.Millisecond),
		"rate":        hypeauditor.WithRateLimit(0, 1),
		"window":      hypeauditor.WithWindow(0, time.Minute),
		"limiter":     hypeauditor.WithLimiter(nil),
		"user agent":  hypeauditor.WithUserAgent("two\nlines"),
		"http client": hypeauditor.WithHTTPClient(nil),
		"observer":    hypeauditor.WithObserver(nil),
	} {
		_, err := hypeauditor.NewClient(hypeauditor.WithCredentials(testID, testToken), o)
		assert.ErrorIs(t, err, hypeauditor.ErrInvalidParams, name)
	}
	_, err := hypeauditor.NewClient(hypeauditor.WithCredentials(testID, testToken), hypeauditor.WithUserAgent("myapp/1.0"),
		hypeauditor.WithLogger(nil), hypeauditor.WithMaxRetries(0))
	assert.NoError(t, err)
}

// The default limit stays under "less than 100 a minute": a burst of 4,
// then one request every 60/94.05 s.
func TestDefaultRateLimit(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		assert.Equal(t, hypeauditor.Window{N: 99, Per: time.Minute}, hypeauditor.DefaultRateLimit())
		mt := httpmock.NewMockTransport()
		mt.RegisterResponder("GET", base+"auditor.planInfo", httpmock.NewStringResponder(200, `{"result":{}}`))
		c, err := hypeauditor.NewClient(hypeauditor.WithCredentials(testID, testToken), hypeauditor.WithHTTPClient(&http.Client{Transport: mt}))
		require.NoError(t, err)
		// The fifth slot lies 638 ms after the first (on the bubble's
		// clock), so after this deadline.
		ctx, cancel := context.WithTimeout(context.Background(), 600*time.Millisecond)
		defer cancel()
		n := 0
		for ; n < 10; n++ {
			if _, err := c.Account.PlanInfo(ctx); err != nil {
				assert.ErrorIs(t, err, hypeauditor.ErrRateLimited, "the next slot lies after the deadline")
				break
			}
		}
		assert.Equal(t, 4, n, "the burst is 4 (5%% of 99), then the limiter refuses a slot it cannot grant before the deadline")
	})
}
