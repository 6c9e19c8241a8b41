package transport

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/creatorkit/creatorkit-go/internal/limit"
	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
	"golang.org/x/time/rate"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

const secret = "ec_live_SUPERSECRET123"

// newMockClient returns a client whose HTTP traffic goes to its own
// httpmock transport (never the global one, so tests run in parallel).
func newMockClient(t *testing.T, opts ...Option) (*Client, *httpmock.MockTransport) {
	t.Helper()
	mt := httpmock.NewMockTransport()
	s := Defaults("testvendor", "https://api.example.com/v1")
	s.HTTPClient = &http.Client{Transport: mt}
	s.Auth = Bearer(secret)
	s.RetryWaitMin, s.RetryWaitMax = time.Millisecond, 4*time.Millisecond
	s.Limiter = limit.Unlimited()
	require.NoError(t, Apply(&s, opts))
	c, err := New(s)
	require.NoError(t, err)
	return c, mt
}

// sequence answers with the given responders in order, repeating the last.
func sequence(rs ...httpmock.Responder) httpmock.Responder {
	var n atomic.Int32
	return func(r *http.Request) (*http.Response, error) {
		i := int(n.Add(1)) - 1
		if i >= len(rs) {
			i = len(rs) - 1
		}
		return rs[i](r)
	}
}

func status(code int, body string, hdr ...string) httpmock.Responder {
	return func(r *http.Request) (*http.Response, error) {
		resp := httpmock.NewStringResponse(code, body)
		for i := 0; i+1 < len(hdr); i += 2 {
			resp.Header.Set(hdr[i], hdr[i+1])
		}
		resp.Request = r
		return resp, nil
	}
}

type item struct {
	ID       int             `json:"id"`
	Name     string          `json:"name"`
	Raw      json.RawMessage `json:"-"`
	Response *ResponseMeta   `json:"-"`
}

func TestRetryPolicyTable(t *testing.T) {
	t.Parallel()
	ok := status(200, `{"id":1,"name":"a"}`)
	cases := []struct {
		name      string
		method    string
		mode      RetryMode
		responses []httpmock.Responder
		rules     []RetryRule
		attempts  int
		kinds     []error
		notKinds  []error
	}{
		{"GET 502 then 200 is retried", "GET", RetryAuto, []httpmock.Responder{status(502, `{"error":"bad gateway"}`), ok}, nil, 2, nil, nil},
		{"GET 500 until retries run out keeps the last status", "GET", RetryAuto, []httpmock.Responder{status(500, `{"error":"boom"}`)}, nil, 4, []error{ErrServer}, []error{ErrOutcomeUnknown}},
		{"GET 501 is not retried", "GET", RetryAuto, []httpmock.Responder{status(501, `{"error":"nope"}`)}, nil, 1, []error{ErrServer}, nil},
		{"POST 502 is not resent: outcome unknown", "POST", RetryAuto, []httpmock.Responder{status(502, `{"error":"bad gateway"}`), ok}, nil, 1, []error{ErrServer, ErrOutcomeUnknown}, nil},
		{"idempotent POST 503 is retried", "POST", RetryIdempotent, []httpmock.Responder{status(503, `{}`), ok}, nil, 2, nil, nil},
		{"POST 429 is retried", "POST", RetryOnce, []httpmock.Responder{status(429, `{"error":"slow down"}`, "Retry-After", "0"), ok}, nil, 2, nil, nil},
		{"PUT 504 is retried", "PUT", RetryAuto, []httpmock.Responder{status(504, ``), ok}, nil, 2, nil, nil},
		{"402 is never retried", "POST", RetryAuto, []httpmock.Responder{status(402, `{"error":"no credits"}`), ok}, nil, 1, []error{ErrQuotaExceeded}, []error{ErrOutcomeUnknown}},
		{"400 is never retried", "POST", RetryAuto, []httpmock.Responder{status(400, `{"error":"empty username"}`), ok}, nil, 1, []error{ErrInvalidParams}, nil},
		{"401", "GET", RetryAuto, []httpmock.Responder{status(401, `{"error":"bad key"}`), ok}, nil, 1, []error{ErrUnauthorized}, nil},
		{"404", "GET", RetryAuto, []httpmock.Responder{status(404, `{"error":"missing"}`), ok}, nil, 1, []error{ErrNotFound}, nil},
		{"409", "PUT", RetryAuto, []httpmock.Responder{status(409, `{"error":"owned"}`), ok}, nil, 1, []error{ErrConflict}, nil},
		{"429 until retries run out", "GET", RetryAuto, []httpmock.Responder{status(429, `{"error":"slow"}`, "Retry-After", "0.001")}, nil, 4, []error{ErrRateLimited}, nil},
		{"vendor rule pins a quota 429", "GET", RetryAuto, []httpmock.Responder{status(429, `{"error":"quota","resetDate":"x"}`), ok},
			[]RetryRule{func(a *Attempt) Verdict {
				if a.StatusCode == 429 {
					SetKind(a.Error, ErrQuotaExceeded)
					return Stop
				}
				return Pass
			}}, 1, []error{ErrQuotaExceeded}, []error{ErrRateLimited}},
		{"GET malformed 200 is retried", "GET", RetryAuto, []httpmock.Responder{status(200, `{"id":`), ok}, nil, 2, nil, nil},
		{"POST malformed 200 is not resent", "POST", RetryAuto, []httpmock.Responder{status(200, `{"id":`), ok}, nil, 1, []error{ErrUnexpectedResponse, ErrOutcomeUnknown}, nil},
	}
	// Requests whose vendor does nothing on an error status.
	free := []struct {
		name      string
		responses []httpmock.Responder
		attempts  int
		kinds     []error
		notKinds  []error
	}{
		{"paid call 502 is retried", []httpmock.Responder{status(502, `{}`), ok}, 2, nil, nil},
		{"paid call 500s: a known failure, not an unknown outcome", []httpmock.Responder{status(500, `{}`)}, 4, []error{ErrServer}, []error{ErrOutcomeUnknown}},
		{"paid call garbled answer is still unknown", []httpmock.Responder{status(200, `{"id":`), ok}, 1, []error{ErrUnexpectedResponse, ErrOutcomeUnknown}, nil},
	}
	for _, tc := range free {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, mt := newMockClient(t)
			mt.RegisterResponder("GET", "https://api.example.com/v1/paid", sequence(tc.responses...))
			_, err := c.Do(context.Background(), Request{Method: "GET", Path: "paid", Retry: RetryOnce, ErrorsHaveNoEffect: true}, &item{})
			assert.Equal(t, tc.attempts, mt.GetTotalCallCount())
			for _, k := range tc.kinds {
				assert.ErrorIs(t, err, k)
			}
			for _, k := range tc.notKinds {
				assert.NotErrorIs(t, err, k)
			}
			if tc.kinds == nil {
				assert.NoError(t, err)
			}
		})
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, mt := newMockClient(t, func(s *Settings) error { s.Rules = tc.rules; return nil })
			mt.RegisterResponder(tc.method, "https://api.example.com/v1/things", sequence(tc.responses...))
			var out item
			_, err := c.Do(context.Background(), Request{Op: "Things.Do", Method: tc.method, Path: "/things", Retry: tc.mode, Body: map[string]string{"a": "b"}}, &out)
			assert.Equal(t, tc.attempts, mt.GetTotalCallCount(), "attempts")
			if len(tc.kinds) == 0 {
				require.NoError(t, err)
				assert.Equal(t, 1, out.ID)
				assert.Equal(t, tc.attempts, out.Response.Attempts)
				return
			}
			require.Error(t, err)
			var e *Error
			require.ErrorAs(t, err, &e)
			for _, k := range tc.kinds {
				assert.ErrorIs(t, err, k)
			}
			for _, k := range tc.notKinds {
				assert.NotErrorIs(t, err, k)
			}
			assert.Equal(t, tc.attempts, e.Attempts)
			assert.Equal(t, "Things.Do", e.Op)
			assert.NotZero(t, e.StatusCode)
			assert.NotEmpty(t, e.Body, "the last response's body is kept")
		})
	}
}

func TestErrorCarriesVendorMessageAndRequestID(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	mt.RegisterResponder("GET", "https://api.example.com/v1/audits/9", status(404, `{"error":"No report exists for the requested id."}`, "X-Request-Id", "req_123"))
	_, err := c.Do(context.Background(), Request{Op: "Audits.Get", Method: "GET", Path: "audits/9"}, nil)
	var e *Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, 404, e.StatusCode)
	assert.Equal(t, "No report exists for the requested id.", e.Message)
	assert.Equal(t, "req_123", e.RequestID)
	assert.Equal(t, "testvendor: Audits.Get: GET https://api.example.com/v1/audits/9: 404 Not Found: No report exists for the requested id. (request id req_123)", e.Error())
}

func TestRetryAfterBeyondCapFailsFastWithRetryAfter(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		c, mt := newMockClient(t)
		mt.RegisterResponder("GET", "https://api.example.com/v1/x", status(429, `{"error":"slow"}`, "Retry-After", "120"))
		start := time.Now()
		_, err := c.Do(context.Background(), Request{Method: "GET", Path: "x"}, nil)
		var e *Error
		require.ErrorAs(t, err, &e)
		assert.ErrorIs(t, err, ErrRateLimited)
		assert.Equal(t, 120*time.Second, e.RetryAfter)
		assert.Equal(t, 1, mt.GetTotalCallCount())
		assert.Zero(t, time.Since(start), "failed at once, without sleeping")
	})
}

func TestRetryAfterPastDeadlineFailsNow(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	mt.RegisterResponder("GET", "https://api.example.com/v1/x", status(429, `{"error":"slow"}`, "Retry-After", "5"))
	ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
	defer cancel()
	_, err := c.Do(ctx, Request{Method: "GET", Path: "x"}, nil)
	var e *Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, 5*time.Second, e.RetryAfter)
	assert.Equal(t, 1, mt.GetTotalCallCount())
	assert.NoError(t, ctx.Err(), "failed before the deadline, without sleeping")
}

func TestRetryAfterHTTPDate(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 6, 25, 17, 0, 0, 0, time.UTC)
	d, ok := ParseRetryAfter(now.Add(12*time.Second).Format(http.TimeFormat), now)
	require.True(t, ok)
	assert.Equal(t, 12*time.Second, d)
	d, ok = ParseRetryAfter("12", now)
	require.True(t, ok)
	assert.Equal(t, 12*time.Second, d)
	d, ok = ParseRetryAfter("0.25", now)
	require.True(t, ok)
	assert.Equal(t, 250*time.Millisecond, d)
	for _, bad := range []string{"", "soon", "-3", "NaN"} {
		_, ok = ParseRetryAfter(bad, now)
		assert.False(t, ok, bad)
	}
}

func TestParseRateLimit(t *testing.T) {
	t.Parallel()
	now := time.Unix(1782493200, 0)
	h := http.Header{}
	h.Set("X-RateLimit-Limit", "60")
	h.Set("X-RateLimit-Remaining", "57")
	h.Set("X-RateLimit-Reset", "1782493260")
	rl := ParseRateLimit(h, now)
	assert.True(t, rl.Known)
	assert.Equal(t, 60, rl.Limit)
	assert.Equal(t, 57, rl.Remaining)
	assert.Equal(t, time.Unix(1782493260, 0), rl.Reset)
	h.Set("X-RateLimit-Reset", "30")
	assert.Equal(t, now.Add(30*time.Second), ParseRateLimit(h, now).Reset, "small values are relative seconds")
	assert.False(t, ParseRateLimit(http.Header{}, now).Known)
}

func TestBackoffBounds(t *testing.T) {
	t.Parallel()
	for n := 0; n < 10; n++ {
		for i := 0; i < 200; i++ {
			d := Backoff(500*time.Millisecond, 30*time.Second, n)
			ceiling := min(500*time.Millisecond<<n, 30*time.Second)
			require.GreaterOrEqual(t, d, 500*time.Millisecond)
			require.LessOrEqual(t, d, ceiling)
		}
	}
}

func TestBackoffSleepEndsWithContext(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		c, mt := newMockClient(t, WithRetryWait(10*time.Second, 20*time.Second))
		mt.RegisterResponder("GET", "https://api.example.com/v1/x", status(503, `{"error":"down"}`))
		ctx, cancel := context.WithCancel(context.Background())
		time.AfterFunc(100*time.Millisecond, cancel)
		start := time.Now()
		_, err := c.Do(ctx, Request{Method: "GET", Path: "x"}, nil)
		assert.Equal(t, 100*time.Millisecond, time.Since(start), "the backoff (10 s or more) ended with the context")
		var e *Error
		require.ErrorAs(t, err, &e)
		assert.ErrorIs(t, err, context.Canceled)
		assert.ErrorIs(t, err, ErrServer, "the last response's kind is kept")
		assert.Equal(t, 503, e.StatusCode)
		assert.Contains(t, string(e.Body), "down")
	})
}

func TestAuthSchemesAndUserAgent(t *testing.T) {
	t.Parallel()
	cases := []struct {
		auth Auth
		want map[string]string
	}{
		{Bearer("k1-secret"), map[string]string{"Authorization": "Bearer k1-secret"}},
		{APIKeyHeader("X-API-Key", "k2-secret"), map[string]string{"X-API-Key": "k2-secret"}},
		{Headers([2]string{"X-Auth-Id", "id-123"}, [2]string{"X-Auth-Token", "tok-456"}), map[string]string{"X-Auth-Id": "id-123", "X-Auth-Token": "tok-456"}},
	}
	for _, tc := range cases {
		c, mt := newMockClient(t, WithAuth(tc.auth), WithUserAgent("agency-app/2.1"))
		var got http.Header
		mt.RegisterResponder("GET", "https://api.example.com/v1/x", func(r *http.Request) (*http.Response, error) {
			got = r.Header.Clone()
			return httpmock.NewStringResponse(200, `{}`), nil
		})
		_, err := c.Do(context.Background(), Request{Method: "GET", Path: "x"}, nil)
		require.NoError(t, err)
		for k, v := range tc.want {
			assert.Equal(t, v, got.Get(k))
		}
		assert.Equal(t, "creatorkit-go/"+Version+" (testvendor) agency-app/2.1", got.Get("User-Agent"))
	}
}

func TestNoAuthRequestSendsNoCredentials(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	mt.RegisterResponder("POST", "https://api.example.com/v1/trial", func(r *http.Request) (*http.Response, error) {
		assert.Empty(t, r.Header.Get("Authorization"))
		return httpmock.NewStringResponse(200, `{}`), nil
	})
	_, err := c.Do(context.Background(), Request{Method: "POST", Path: "trial", NoAuth: true}, nil)
	require.NoError(t, err)
}

func TestExactRequest(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	mt.RegisterResponder("POST", "https://api.example.com/v1/audits/batch", func(r *http.Request) (*http.Response, error) {
		assert.Equal(t, "limit=5&offset=10", r.URL.RawQuery)
		assert.Equal(t, "application/json", r.Header.Get("Content-Type"))
		assert.Equal(t, "key-1", r.Header.Get("Idempotency-Key"))
		var b bytes.Buffer
		_, _ = b.ReadFrom(r.Body)
		assert.JSONEq(t, `{"usernames":["a","b"]}`, b.String())
		return httpmock.NewStringResponse(202, `{"id":7}`), nil
	})
	var out item
	meta, err := c.Do(context.Background(), Request{Method: "POST", Path: "audits/batch",
		Query: map[string][]string{"limit": {"5"}, "offset": {"10"}}, IdempotencyKey: "key-1",
		Body: map[string][]string{"usernames": {"a", "b"}}}, &out)
	require.NoError(t, err)
	assert.Equal(t, 202, meta.StatusCode)
	assert.Equal(t, "key-1", meta.IdempotencyKey)
	assert.JSONEq(t, `{"id":7}`, string(out.Raw))
	assert.Same(t, meta, out.Response)
}

func TestSecretsNeverLeak(t *testing.T) {
	t.Parallel()
	var logs bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	c, mt := newMockClient(t, WithLogger(logger))
	mt.RegisterResponder("GET", "https://api.example.com/v1/x", status(401, `{"error":"key `+secret+` was revoked"}`))
	_, err := c.Do(context.Background(), Request{Method: "GET", Path: "x", Query: map[string][]string{"api_key": {secret}}}, nil)
	require.Error(t, err)
	var e *Error
	require.ErrorAs(t, err, &e)
	for _, s := range []string{err.Error(), string(e.Body), e.URL, fmt.Sprintf("%v", c), fmt.Sprintf("%+v", c), fmt.Sprintf("%#v", c), c.String(), logs.String()} {
		assert.NotContains(t, s, secret)
	}
	assert.Contains(t, err.Error(), "[REDACTED]")
	assert.Contains(t, logs.String(), "attempt")
}

func TestInvalidSettings(t *testing.T) {
	t.Parallel()
	for _, o := range []Option{WithBaseURL("ftp://x"), WithBaseURL("not a url"), WithMaxRetries(-1), WithRetryWait(0, time.Second),
		WithRetryWait(2*time.Second, time.Second), WithRateLimit(0, 1), WithLimiter(nil), WithHTTPClient(nil), WithUserAgent("a\nb")} {
		s := Defaults("v", "https://x")
		err := Apply(&s, []Option{o})
		assert.ErrorIs(t, err, ErrInvalidParams)
	}
	s := Defaults("v", "https://x")
	err := RequireSecret(&s, "pass WithAPIKey")
	assert.ErrorIs(t, err, ErrInvalidParams)
	assert.Contains(t, err.Error(), "pass WithAPIKey")
}

// rawServer runs fn on each accepted connection, for failures httpmock
// cannot produce (a request that was or was not written).
func rawServer(t *testing.T, fn func(n int, conn net.Conn)) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	var n atomic.Int32
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer conn.Close()
				fn(int(n.Add(1)), conn)
			}()
		}
	}()
	t.Cleanup(func() { ln.Close(); <-done })
	return "http://" + ln.Addr().String()
}

func readRequest(conn net.Conn) {
	buf := make([]byte, 4096)
	_ = conn.SetReadDeadline(time.Now().Add(2 * time.Second))
	var got []byte
	for !bytes.Contains(got, []byte("\r\n\r\n")) || !bytes.HasSuffix(got, []byte("}")) {
		k, err := conn.Read(buf)
		if err != nil {
			return
		}
		got = append(got, buf[:k]...)
	}
}

func newRealClient(t *testing.T, base string) *Client {
	t.Helper()
	s := Defaults("testvendor", base)
	s.Auth = Bearer(secret)
	s.RetryWaitMin, s.RetryWaitMax = time.Millisecond, 2*time.Millisecond
	s.Limiter = limit.Unlimited()
	s.HTTPClient = &http.Client{Transport: &http.Transport{DisableKeepAlives: true}, Timeout: 2 * time.Second}
	c, err := New(s)
	require.NoError(t, err)
	return c
}

func TestPOSTLostAfterSendIsNotResent(t *testing.T) {
	t.Parallel()
	base := rawServer(t, func(n int, conn net.Conn) {
		readRequest(conn) // read it all, then hang up without answering
	})
	c := newRealClient(t, base)
	_, err := c.Do(context.Background(), Request{Op: "Audits.Create", Method: "POST", Path: "audits", Body: map[string]string{"username": "natgeo"}}, nil)
	var e *Error
	require.ErrorAs(t, err, &e)
	assert.ErrorIs(t, err, ErrNetwork)
	assert.ErrorIs(t, err, ErrOutcomeUnknown)
	assert.Equal(t, 1, e.Attempts)
	assert.Contains(t, err.Error(), "may have reached the server")
}

func TestGETLostAfterSendIsRetried(t *testing.T) {
	t.Parallel()
	base := rawServer(t, func(n int, conn net.Conn) {
		if n == 1 {
			_, _ = conn.Read(make([]byte, 4096))
			return
		}
		_, _ = conn.Read(make([]byte, 4096))
		_, _ = conn.Write([]byte("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 8\r\n\r\n{\"id\":3}"))
	})
	c := newRealClient(t, base)
	var out item
	_, err := c.Do(context.Background(), Request{Method: "GET", Path: "x"}, &out)
	require.NoError(t, err)
	assert.Equal(t, 3, out.ID)
	assert.Equal(t, 2, out.Response.Attempts)
}

func TestPOSTConnectionRefusedIsRetried(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	ln.Close() // nothing listens: every dial is refused before anything is written
	c := newRealClient(t, "http://"+addr)
	_, err = c.Do(context.Background(), Request{Method: "POST", Path: "audits", Body: map[string]string{"username": "natgeo"}}, nil)
	var e *Error
	require.ErrorAs(t, err, &e)
	assert.ErrorIs(t, err, ErrNetwork)
	assert.NotErrorIs(t, err, ErrOutcomeUnknown, "a refused connection never reached the server")
	assert.Equal(t, 4, e.Attempts, "retried like any method")
}

func TestTruncatedBodyIsRetriedForGET(t *testing.T) {
	t.Parallel()
	base := rawServer(t, func(n int, conn net.Conn) {
		_, _ = conn.Read(make([]byte, 4096))
		if n == 1 {
			_, _ = conn.Write([]byte("HTTP/1.1 200 OK\r\nContent-Length: 50\r\n\r\n{\"id\":"))
			return
		}
		_, _ = conn.Write([]byte("HTTP/1.1 200 OK\r\nContent-Length: 8\r\n\r\n{\"id\":4}"))
	})
	c := newRealClient(t, base)
	var out item
	_, err := c.Do(context.Background(), Request{Method: "GET", Path: "x"}, &out)
	require.NoError(t, err)
	assert.Equal(t, 4, out.ID)
}

func TestGateHoldsWhenRemainingReachesZero(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	reset := time.Now().Add(300 * time.Millisecond)
	var times []time.Time
	mt.RegisterResponder("GET", "https://api.example.com/v1/x", func(r *http.Request) (*http.Response, error) {
		times = append(times, time.Now())
		resp := httpmock.NewStringResponse(200, `{}`)
		resp.Header.Set("X-RateLimit-Limit", "2")
		resp.Header.Set("X-RateLimit-Remaining", "0")
		resp.Header.Set("X-RateLimit-Reset", fmt.Sprintf("%.3f", float64(reset.UnixNano())/1e9))
		return resp, nil
	})
	for i := 0; i < 2; i++ {
		_, err := c.Do(context.Background(), Request{Method: "GET", Path: "x"}, nil)
		require.NoError(t, err)
	}
	require.Len(t, times, 2)
	assert.False(t, times[1].Before(reset.Add(-5*time.Millisecond)), "second request waited for the reset")
	assert.Equal(t, 0, c.RateLimit().Remaining)

	// A deadline before the reset fails at once, without sending.
	reset = time.Now().Add(10 * time.Second)
	_, err := c.Do(context.Background(), Request{Method: "GET", Path: "x"}, nil)
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	_, err = c.Do(ctx, Request{Method: "GET", Path: "x"}, nil)
	var e *Error
	require.ErrorAs(t, err, &e)
	assert.ErrorIs(t, err, ErrRateLimited)
	assert.Greater(t, e.RetryAfter, 5*time.Second)
	assert.Len(t, times, 3)
}

func TestWindowLimiterPacesAndRefusesPastDeadline(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		l := limit.NewWindow(Window{N: 20, Per: time.Second}) // 19/s, burst 1
		ctx := context.Background()
		start := time.Now()
		for i := 0; i < 5; i++ {
			require.NoError(t, l.Wait(ctx))
		}
		assert.GreaterOrEqual(t, time.Since(start), 4*time.Second/19, "paced on the limiter's own clock")

		short, cancel := context.WithTimeout(ctx, time.Millisecond)
		defer cancel()
		err := l.Wait(short)
		var de *DelayError
		require.ErrorAs(t, err, &de)
		assert.ErrorIs(t, err, context.DeadlineExceeded, "the caller's budget ran out")
		assert.Greater(t, de.Delay, time.Duration(0))
		assert.Equal(t, limit.Unlimited(), limit.NewWindow())
		assert.Equal(t, limit.Unlimited(), limit.NewRate(rate.Inf, 0))
	})
}

func TestConcurrencyCap(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		c, mt := newMockClient(t, WithMaxConcurrency(2))
		var inFlight, peak atomic.Int32
		mt.RegisterResponder("GET", "https://api.example.com/v1/x", func(r *http.Request) (*http.Response, error) {
			n := inFlight.Add(1)
			for {
				p := peak.Load()
				if n <= p || peak.CompareAndSwap(p, n) {
					break
				}
			}
			time.Sleep(10 * time.Millisecond)
			inFlight.Add(-1)
			return httpmock.NewStringResponse(200, `{}`), nil
		})
		errs := make(chan error, 8)
		for i := 0; i < 8; i++ {
			go func() {
				_, err := c.Do(context.Background(), Request{Method: "GET", Path: "x"}, nil)
				errs <- err
			}()
		}
		for i := 0; i < 8; i++ {
			require.NoError(t, <-errs)
		}
		assert.Equal(t, int32(2), peak.Load())
	})
}

func TestErrorsIsAcrossKinds(t *testing.T) {
	t.Parallel()
	e := NewError("v", "Op", ErrQuotaExceeded, "needed %d credits, %d remain", 50, 12)
	e.Cause = context.DeadlineExceeded
	assert.ErrorIs(t, e, ErrQuotaExceeded)
	assert.ErrorIs(t, e, context.DeadlineExceeded)
	assert.NotErrorIs(t, e, ErrServer)
	wrapped := fmt.Errorf("outer: %w", e)
	var got *Error
	require.True(t, errors.As(wrapped, &got))
	assert.Equal(t, "v: Op: quota exceeded: needed 50 credits, 12 remain", e.Error())
	assert.True(t, strings.HasPrefix(InvalidParams("v", "Audits.CreateBatch", "usernames", "at most 50").Error(), "v: Audits.CreateBatch: invalid params: usernames: at most 50"))
}

func TestPathTraversalRefused(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	for _, p := range []string{"audits/../credits", "./x", "a?b=1", "a#frag"} {
		_, err := c.Do(context.Background(), Request{Method: "GET", Path: p}, nil)
		assert.ErrorIs(t, err, ErrInvalidParams, p)
	}
	assert.Zero(t, mt.GetTotalCallCount())
	assert.Equal(t, "https://api.example.com/v1/audits/142?limit=1", c.URL("/audits/142", map[string][]string{"limit": {"1"}}).String())
}

type slotLater struct{}

func (slotLater) Error() string             { return "shared limit: next slot in 45s" }
func (slotLater) RetryAfter() time.Duration { return 45 * time.Second }
func (slotLater) Is(target error) bool      { return target == context.DeadlineExceeded }

type countingLimiter struct {
	n   *atomic.Int32
	err error
}

func (l countingLimiter) Wait(context.Context) error { l.n.Add(1); return l.err }

func TestLimiterErrors(t *testing.T) {
	t.Parallel()
	unavailable := errors.New("redis unreachable: failing closed")
	var waits atomic.Int32
	c, mt := newMockClient(t, WithLimiter(countingLimiter{&waits, unavailable}), WithMaxRetries(2))
	_, err := c.Do(context.Background(), Request{Method: "POST", Path: "x", Retry: RetryOnce}, nil)
	assert.ErrorIs(t, err, unavailable)
	assert.NotErrorIs(t, err, ErrRateLimited)
	assert.NotErrorIs(t, err, ErrNetwork, "the vendor's network was never involved")
	assert.NotErrorIs(t, err, ErrOutcomeUnknown, "nothing was sent")
	assert.Equal(t, int32(3), waits.Load(), "a failing limiter is asked again, with backoff")
	assert.Zero(t, mt.GetTotalCallCount(), "nothing sent")

	c, mt = newMockClient(t, WithLimiter(countingLimiter{&waits, slotLater{}}))
	waits.Store(0)
	_, err = c.Do(context.Background(), Request{Method: "GET", Path: "x"}, nil)
	var e *Error
	require.ErrorAs(t, err, &e)
	assert.ErrorIs(t, err, ErrRateLimited)
	assert.Equal(t, 45*time.Second, e.RetryAfter)
	assert.Equal(t, int32(1), waits.Load(), "a limiter that says how long is not asked again")
	assert.Zero(t, mt.GetTotalCallCount())
}

// A wait that ends on the deadline's instant sends nothing: in a bubble
// the retry's timer and the context's fire together (select may pick
// either), and an attempt written as the context ends would turn a known
// refusal into a lost answer. 40 rounds: without the check about half of
// them sent a third request at the deadline.
func TestNoAttemptAtTheDeadline(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		c, mt := newMockClient(t, WithMaxRetries(10))
		mt.RegisterResponder("POST", "https://api.example.com/v1/x", status(429, `{"error":"slow"}`, "Retry-After", "1"))
		for round := range 40 {
			before := mt.GetTotalCallCount()
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
			_, err := c.Do(ctx, Request{Method: "POST", Path: "x"}, nil)
			cancel()
			require.ErrorIs(t, err, context.DeadlineExceeded, "round %d", round)
			assert.Equal(t, 2, mt.GetTotalCallCount()-before, "round %d: sent at 0 s and 1 s, not at the deadline", round)
			assert.NotErrorIs(t, err, ErrOutcomeUnknown, "round %d", round)
			time.Sleep(time.Minute) // the server's hold passes
		}
	})
}
