package creatoraudittest_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/creatorkit/creatorkit-go/creatoraudit"
	"github.com/creatorkit/creatorkit-go/creatoraudit/creatoraudittest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) {
	code := m.Run()
	closeBenchFakes()
	if code == 0 {
		if err := goleak.Find(); err != nil {
			fmt.Fprintln(os.Stderr, "goleak:", err)
			code = 1
		}
	}
	os.Exit(code)
}

func do(t *testing.T, srv *creatoraudittest.Server, method, path, body string, header ...string) (*http.Response, map[string]any) {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, srv.BaseURL()+path, rd)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+srv.APIKey)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := srv.HTTPClient().Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var out map[string]any
	if len(b) > 0 {
		require.NoError(t, json.Unmarshal(b, &out), string(b))
	}
	return resp, out
}

// The fake speaks the documented wire format: problem+json errors with a
// request id, 406 and 415 negotiation, rate-limit headers, Link headers
// with absolute URLs, strong ETags, and unauthenticated /health and /meta.
func TestWireFormat(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv := creatoraudittest.NewServer(creatoraudittest.WithVirtualTime())
		defer srv.Close()

		resp, body := do(t, srv, "GET", "/accounts/nope", "")
		assert.Equal(t, 404, resp.StatusCode)
		assert.Equal(t, "application/problem+json", resp.Header.Get("Content-Type"))
		assert.Equal(t, "urn:creatoraudit:error:not-found", body["type"])
		assert.Equal(t, "NOT_FOUND", body["code"])
		assert.Equal(t, "/v2/accounts/nope", body["instance"])
		assert.NotEmpty(t, body["request_id"])
		assert.NotEmpty(t, resp.Header.Get("X-Request-ID"))
		assert.Equal(t, "600", resp.Header.Get("X-RateLimit-Limit"))

		resp, body = do(t, srv, "GET", "/whoami", "", "Accept", "text/html")
		assert.Equal(t, 406, resp.StatusCode)
		assert.Equal(t, "NOT_ACCEPTABLE", body["code"])
		req, _ := http.NewRequest("POST", srv.BaseURL()+"/creators", strings.NewReader("name=x"))
		req.Header.Set("Authorization", "Bearer "+srv.APIKey)
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		r2, err := srv.HTTPClient().Do(req)
		require.NoError(t, err)
		r2.Body.Close()
		assert.Equal(t, 415, r2.StatusCode)

		resp, body = do(t, srv, "POST", "/accounts", `{"platform":"myspace","username":"x"}`)
		assert.Equal(t, 422, resp.StatusCode)
		assert.Equal(t, "urn:creatoraudit:error:validation-error", body["type"])
		assert.Equal(t, []any{map[string]any{"field": "platform", "message": "must be one of: instagram, tiktok"}}, body["errors"])

		srv.AddAccounts(creatoraudit.Instagram, "a", "b", "c")
		resp, body = do(t, srv, "GET", "/accounts?limit=2&platform=instagram", "")
		assert.Equal(t, 200, resp.StatusCode)
		link := resp.Header.Get("Link")
		assert.Contains(t, link, `rel="first"`)
		assert.Contains(t, link, `rel="next"`)
		assert.Contains(t, link, "<"+srv.URL+"/v2/accounts?")
		pg := body["pagination"].(map[string]any)
		assert.Equal(t, true, pg["has_next"])
		etag := resp.Header.Get("ETag")
		require.NotEmpty(t, etag)
		resp, _ = do(t, srv, "GET", "/accounts?limit=2&platform=instagram", "", "If-None-Match", etag)
		assert.Equal(t, 304, resp.StatusCode)

		resp, body = do(t, srv, "GET", "/accounts?limit=2&platform=tiktok&cursor="+pg["next_cursor"].(string), "")
		assert.Equal(t, 422, resp.StatusCode, "a cursor is bound to its filters")
		assert.Equal(t, "VALIDATION_ERROR", body["code"])
		resp, _ = do(t, srv, "GET", "/accounts?limit=201", "")
		assert.Equal(t, 422, resp.StatusCode)
		resp, _ = do(t, srv, "GET", "/search?q=a&limit=26", "")
		assert.Equal(t, 422, resp.StatusCode)

		req, _ = http.NewRequest("GET", srv.BaseURL()+"/health", nil)
		r3, err := srv.HTTPClient().Do(req)
		require.NoError(t, err)
		r3.Body.Close()
		assert.Equal(t, 200, r3.StatusCode, "no key needed")
		assert.Empty(t, r3.Header.Get("X-RateLimit-Limit"), "not rate limited")
	})
}

func TestRateLimitWindowAnswers429WithRetryAfter(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv := creatoraudittest.NewServer(creatoraudittest.WithVirtualTime(), creatoraudittest.WithRateLimit(2, time.Hour))
		defer srv.Close()
		for i := 0; i < 2; i++ {
			resp, _ := do(t, srv, "GET", "/whoami", "")
			require.Equal(t, 200, resp.StatusCode)
			assert.Equal(t, strconv.Itoa(1-i), resp.Header.Get("X-RateLimit-Remaining"))
		}
		resp, body := do(t, srv, "GET", "/whoami", "")
		assert.Equal(t, 429, resp.StatusCode)
		assert.NotEmpty(t, resp.Header.Get("Retry-After"))
		assert.NotEmpty(t, resp.Header.Get("X-RateLimit-Reset"))
		assert.Equal(t, "RATE_LIMITED", body["code"])
		assert.Equal(t, "urn:creatoraudit:error:rate-limited", body["type"])
		assert.Equal(t, 1, srv.Snapshot().RateLimited)
	})
}

func TestBatchBoundsAndIdempotencyReplay(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv := creatoraudittest.NewServer(creatoraudittest.WithVirtualTime(), creatoraudittest.WithIdempotencyWindow(24*time.Hour))
		defer srv.Close()
		ids := make([]string, 201)
		for i := range ids {
			ids[i] = `"x"`
		}
		resp, _ := do(t, srv, "POST", "/videos/metrics", `{"video_ids":[`+strings.Join(ids, ",")+`]}`)
		assert.Equal(t, 422, resp.StatusCode, "the API takes at most 200 ids")
		resp, _ = do(t, srv, "POST", "/videos/deltas", `{"video_ids":["x"],"windows":[1,2,3,4,5,6,7,8,9,10,11]}`)
		assert.Equal(t, 422, resp.StatusCode)

		resp, first := do(t, srv, "POST", "/creators", `{"name":"Ada"}`, "Idempotency-Key", "k1")
		assert.Equal(t, 201, resp.StatusCode)
		resp, again := do(t, srv, "POST", "/creators", `{"name":"Ada"}`, "Idempotency-Key", "k1")
		assert.Equal(t, 201, resp.StatusCode)
		assert.Equal(t, "true", resp.Header.Get("Idempotent-Replayed"))
		assert.Equal(t, first, again)
		_, other := do(t, srv, "POST", "/creators", `{"name":"Ada"}`, "Idempotency-Key", "k2")
		assert.NotEqual(t, first["data"].(map[string]any)["id"], other["data"].(map[string]any)["id"])
		assert.Equal(t, 2, srv.CreatorCount())
	})
}
