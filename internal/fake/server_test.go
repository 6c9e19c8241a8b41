package fake

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httptrace"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"testing/synctest"
	"time"

	"github.com/creatorkit/creatorkit-go/internal/transport"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// The tests run inside a testing/synctest bubble on the in-memory mode:
// time is virtual, so a window of a minute at scale 1 costs nothing and
// every duration is asserted exactly. A few run over TCP as well, to show
// the two modes answer alike.

// newServer starts a fake in memory (unless cfg says TCP) with three
// routes; Close runs at the end of the test.
func newServer(t *testing.T, cfg Config) *Server {
	t.Helper()
	if cfg.Auth == nil {
		cfg.Auth = func(r *http.Request) (string, bool) {
			k := r.Header.Get("Authorization")
			return k, k == "Bearer good"
		}
	}
	cfg.Public = append(cfg.Public, "health")
	s := New(cfg)
	var n atomic.Int32
	s.Handle("GET /things/{id}", "things.get", func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		JSON(w, 200, map[string]any{"id": r.PathValue("id"), "n": n.Load(), "from": r.RemoteAddr})
	})
	s.Handle("POST /things", "things.create", func(w http.ResponseWriter, r *http.Request) {
		s.Stats().Charge("things.create", 1)
		JSON(w, 202, map[string]any{"id": 1})
	})
	s.Handle("GET /health", "health", func(w http.ResponseWriter, r *http.Request) { JSON(w, 200, map[string]string{"status": "ok"}) })
	s.Start()
	t.Cleanup(s.Close)
	return s
}

func get(t *testing.T, s *Server, path, auth string) *http.Response {
	t.Helper()
	resp, err := do(s, "GET", path, auth)
	require.NoError(t, err)
	t.Cleanup(func() { resp.Body.Close() })
	return resp
}

func do(s *Server, method, path, auth string) (*http.Response, error) {
	req, _ := http.NewRequest(method, s.URL+path, nil)
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	return s.HTTPClient().Do(req)
}

// bothModes runs f in a bubble on the in-memory fake and, outside any
// bubble, over TCP.
func bothModes(t *testing.T, f func(t *testing.T, inMemory bool)) {
	t.Run("in-memory", func(t *testing.T) {
		t.Parallel()
		synctest.Test(t, func(t *testing.T) { f(t, true) })
	})
	t.Run("tcp", func(t *testing.T) {
		t.Parallel()
		f(t, false)
	})
}

func TestAuthCheckAndErrorBody(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		s := newServer(t, Config{InMemory: true})
		resp := get(t, s, "/things/1", "Bearer bad")
		assert.Equal(t, 401, resp.StatusCode)
		b, _ := io.ReadAll(resp.Body)
		assert.JSONEq(t, `{"error":"The API key is missing, invalid, or revoked."}`, string(b))
		assert.Equal(t, 200, get(t, s, "/things/1", "Bearer good").StatusCode)
		snap := s.Stats().Snapshot()
		assert.Equal(t, 2, snap.Requests["things.get"])
		assert.Equal(t, 1, snap.Statuses["things.get"][401])
	})
}

// TestSlidingWindowHeadersAnd429: three requests fit a window of three,
// the fourth is refused with a Retry-After of when the first leaves it,
// and once that much (virtual) time has passed a request is admitted. At
// scale 1 the headers are whole seconds, as the vendors send them; scaled,
// milliseconds.
func TestSlidingWindowHeadersAnd429(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		scale      float64
		retryAfter string
		reset      func(t0 time.Time) string
	}{
		{1, "60", func(t0 time.Time) string { return strconv.FormatInt(t0.Add(time.Minute).Unix(), 10) }},
		{0.005, "0.300", func(t0 time.Time) string {
			return strconv.FormatFloat(float64(t0.Add(300*time.Millisecond).UnixMilli())/1e3, 'f', 3, 64)
		}},
	} {
		t.Run(strconv.FormatFloat(tc.scale, 'g', -1, 64), func(t *testing.T) {
			t.Parallel()
			synctest.Test(t, func(t *testing.T) {
				s := newServer(t, Config{InMemory: true, RateLimit: Window{N: 3, Per: time.Minute}, TimeScale: tc.scale, RateLimitExempt: []string{"health"}})
				t0 := time.Now() // the bubble's clock stands still while requests run
				for i := 0; i < 3; i++ {
					resp := get(t, s, "/things/1", "Bearer good")
					require.Equal(t, 200, resp.StatusCode)
					assert.Equal(t, "3", resp.Header.Get("X-RateLimit-Limit"))
					assert.Equal(t, strconv.Itoa(2-i), resp.Header.Get("X-RateLimit-Remaining"))
					assert.Equal(t, tc.reset(t0), resp.Header.Get("X-RateLimit-Reset"))
				}
				resp := get(t, s, "/things/1", "Bearer good")
				require.Equal(t, 429, resp.StatusCode)
				assert.Equal(t, tc.retryAfter, resp.Header.Get("Retry-After"), "the first request leaves the window a minute after it came")
				assert.Empty(t, get(t, s, "/health", "Bearer good").Header.Get("X-RateLimit-Limit"), "exempt route")

				wait := s.Scale(time.Minute)
				time.Sleep(wait - time.Nanosecond)
				assert.Equal(t, 429, get(t, s, "/things/1", "Bearer good").StatusCode, "a nanosecond early")
				time.Sleep(time.Nanosecond)
				assert.Equal(t, 200, get(t, s, "/things/1", "Bearer good").StatusCode)
				assert.Equal(t, 2, s.Stats().Snapshot().RateLimited)
			})
		})
	}
}

func TestInjectedStatusesAndStorm(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		s := newServer(t, Config{InMemory: true, Faults: Faults{Storm429: 2, StormRetryAfter: 3 * time.Second}})
		for i := 0; i < 2; i++ {
			resp := get(t, s, "/things/1", "Bearer good")
			assert.Equal(t, 429, resp.StatusCode)
			assert.Equal(t, "3", resp.Header.Get("Retry-After"))
		}
		assert.Equal(t, 200, get(t, s, "/things/1", "Bearer good").StatusCode)

		s.SetFaults(Faults{Routes: []string{"things.get"}, ErrorRate: map[int]float64{502: 1}})
		assert.Equal(t, 502, get(t, s, "/things/1", "Bearer good").StatusCode)
		assert.Equal(t, 200, get(t, s, "/health", "").StatusCode, "faults limited to their routes")
	})
}

// The connection faults hijack and close the server's end: over pipes as
// over TCP, the client sees a lost connection or a body cut short.
func TestDropsTruncationAndMalformedBodies(t *testing.T) {
	t.Parallel()
	bothModes(t, func(t *testing.T, inMemory bool) {
		s := newServer(t, Config{InMemory: inMemory})
		s.SetFaults(Faults{DropRate: 1})
		_, err := do(s, "GET", "/health", "")
		assert.Error(t, err, "connection dropped before the handler")

		s.SetFaults(Faults{TruncateRate: 1})
		resp, err := do(s, "GET", "/health", "")
		require.NoError(t, err)
		_, err = io.ReadAll(resp.Body)
		resp.Body.Close()
		assert.ErrorIs(t, err, io.ErrUnexpectedEOF)

		s.SetFaults(Faults{MalformRate: 1})
		resp, err = do(s, "GET", "/health", "")
		require.NoError(t, err)
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		assert.False(t, json.Valid(b))

		s.SetFaults(Faults{DropAfterRate: 1})
		_, err = do(s, "POST", "/things", "Bearer good")
		assert.Error(t, err)
		snap := s.Stats().Snapshot()
		assert.EqualValues(t, 1, snap.Credits["things.create"], "the handler ran before the drop (a POST is not retried)")
		assert.Positive(t, snap.Dropped["health"])
		assert.Equal(t, 1, snap.Dropped["things.create"])
	})
}

// In memory, the bubble's clock is moved on to VirtualEpoch, the client
// keeps its connection alive between requests, a handler sees a TCP-like
// remote address, latency takes exactly its
// (virtual) time, and a host other than the fake's is not found.
func TestInMemoryConnections(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		s := newServer(t, Config{InMemory: true, Name: "vendor"})
		assert.True(t, time.Now().Equal(VirtualEpoch), "the bubble's clock was moved on from 2000 to %s", time.Now())
		assert.Equal(t, "http://vendor.fake.invalid", s.URL)
		assert.True(t, s.InMemory())

		var reused []bool
		trace := &httptrace.ClientTrace{GotConn: func(i httptrace.GotConnInfo) { reused = append(reused, i.Reused) }}
		var from []string
		for i := 0; i < 3; i++ {
			req, _ := http.NewRequestWithContext(httptrace.WithClientTrace(context.Background(), trace), "GET", s.URL+"/things/1", nil)
			req.Header.Set("Authorization", "Bearer good")
			resp, err := s.HTTPClient().Do(req)
			require.NoError(t, err)
			var body struct{ From string }
			require.NoError(t, json.NewDecoder(resp.Body).Decode(&body))
			resp.Body.Close()
			from = append(from, body.From)
		}
		assert.Equal(t, []bool{false, true, true}, reused, "keep-alive: one connection for three requests")
		host, port, err := net.SplitHostPort(from[0])
		require.NoError(t, err)
		assert.Equal(t, "127.0.0.1", host)
		assert.NotEmpty(t, port)
		assert.Equal(t, from[0], from[2])

		s.SetFaults(Faults{Latency: 50 * time.Second})
		start := time.Now()
		assert.Equal(t, 200, get(t, s, "/health", "").StatusCode)
		assert.Equal(t, 50*time.Second, time.Since(start), "latency is virtual and exact")
		s.SetFaults(Faults{})

		_, err = s.HTTPClient().Get("http://elsewhere.fake.invalid/health")
		var dnsErr *net.DNSError
		require.ErrorAs(t, err, &dnsErr)
		assert.True(t, dnsErr.IsNotFound)
	})
}

// A closed in-memory fake refuses connections, like a closed port.
func TestInMemoryClosedRefuses(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		s := New(Config{InMemory: true}).Start()
		client := s.HTTPClient()
		s.Close()
		_, err := client.Get(s.URL + "/health")
		assert.True(t, errors.Is(err, syscall.ECONNREFUSED), "%v", err)
	})
}

func TestAfterIsScaledAndCancelledByClose(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		s := New(Config{InMemory: true, TimeScale: 0.001}).Start()
		fired := make(chan time.Duration)
		start := time.Now()
		s.After(20*time.Second, func() { fired <- time.Since(start) })
		assert.Equal(t, 20*time.Millisecond, <-fired, "20 s at scale 0.001, to the nanosecond")
		var late atomic.Bool
		s.After(time.Hour, func() { late.Store(true) })
		s.Close()
		time.Sleep(2 * time.Hour)
		assert.False(t, late.Load())
	})
}

// Deliveries reach the receivers of ServeWebhooks, in memory as over TCP;
// Close waits for them.
func TestPostJSONRecordsDeliveries(t *testing.T) {
	t.Parallel()
	bothModes(t, func(t *testing.T, inMemory bool) {
		got := make(chan string, 1)
		s := New(Config{InMemory: inMemory, Name: "vendor"}).Start()
		hook := s.ServeWebhooks(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			b, _ := io.ReadAll(r.Body)
			got <- string(b)
		}))
		if inMemory {
			assert.Equal(t, "http://hooks.vendor.fake.invalid", hook)
			assert.Equal(t, "http://hooks-2.vendor.fake.invalid", s.ServeWebhooks(http.NotFoundHandler()))
		}
		lost := "http://127.0.0.1:1/hook" // a closed port
		if inMemory {
			lost = "http://nowhere.fake.invalid/hook"
		}
		var d Deliveries
		s.PostJSON(&d, hook, map[string]string{"event": "audit.completed"})
		s.PostJSON(&d, lost, map[string]string{"event": "lost"})
		assert.JSONEq(t, `{"event":"audit.completed"}`, <-got)
		s.Close()
		require.Len(t, d.List(), 2)
		for _, rec := range d.List() {
			if rec.URL == hook {
				assert.Equal(t, 200, rec.Status)
			} else {
				assert.Error(t, rec.Err)
			}
		}
	})
}

// The transport and the fake together, at real vendor durations on the
// virtual clock: a client paced by the documented window never earns a
// 429 from the fake's sliding window (45 requests at 20 a minute take two
// minutes), and a 429 storm is ridden out by retries that wait out its
// Retry-After.
func TestTransportAgainstFake(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		s := newServer(t, Config{InMemory: true, RateLimit: Window{N: 20, Per: time.Minute}})
		set := transport.Defaults("fakevendor", s.URL)
		set.Auth = transport.Bearer("good")
		set.Windows = []transport.Window{{N: 20, Per: time.Minute}}
		set.HTTPClient = s.HTTPClient()
		c, err := transport.New(set)
		require.NoError(t, err)
		start := time.Now()
		for i := 0; i < 45; i++ {
			_, err := c.Do(context.Background(), transport.Request{Method: "GET", Path: "things/1"}, nil)
			require.NoError(t, err)
		}
		assert.Equal(t, 0, s.Stats().Snapshot().RateLimited, "paced client never hits the window")
		assert.GreaterOrEqual(t, time.Since(start), 2*time.Minute, "the third window's requests waited for room")

		s.SetFaults(Faults{Storm429: 2, StormRetryAfter: 5 * time.Second})
		start = time.Now()
		var out struct{ ID string }
		meta, err := c.Do(context.Background(), transport.Request{Method: "GET", Path: "things/7"}, &out)
		require.NoError(t, err)
		assert.Equal(t, "7", out.ID)
		assert.Equal(t, 3, meta.Attempts)
		assert.GreaterOrEqual(t, time.Since(start), 10*time.Second, "each Retry-After was waited out")
	})
}

// TestKeyWindowsAllMustFit: a request must fit every window of its key.
func TestKeyWindowsAllMustFit(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		s := newServer(t, Config{InMemory: true, QuietLimits: true, RateLimitMessage: "slow down",
			KeyWindows: func(key string) []Window {
				if key == "Bearer good" {
					return []Window{{N: 2, Per: time.Second}, {N: 3, Per: time.Minute}}
				}
				return nil
			}})
		codes := []int{}
		for i := 0; i < 3; i++ {
			codes = append(codes, get(t, s, "/things/1", "Bearer good").StatusCode)
		}
		assert.Equal(t, []int{200, 200, 429}, codes, "the per-second window refuses the third")
		time.Sleep(time.Second)
		assert.Equal(t, 200, get(t, s, "/things/1", "Bearer good").StatusCode, "the per-second window has room again")
		resp := get(t, s, "/things/1", "Bearer good")
		assert.Equal(t, 429, resp.StatusCode, "now the per-minute window is full")
		assert.Empty(t, resp.Header.Get("Retry-After"), "quiet limits send no headers")
		assert.Empty(t, resp.Header.Get("X-RateLimit-Limit"))
		b, _ := io.ReadAll(resp.Body)
		assert.JSONEq(t, `{"error":"slow down"}`, string(b))
		time.Sleep(time.Minute)
		assert.Equal(t, 200, get(t, s, "/things/1", "Bearer good").StatusCode, "a minute later both windows have room")
		assert.Equal(t, 2, s.Stats().Snapshot().RateLimited)
	})
}

// DecodeJSON decodes a JSON body and answers 400 with the message for one
// that is not JSON.
func TestDecodeJSON(t *testing.T) {
	s := New(Config{ErrorBody: func(_ int, msg string) any { return map[string]string{"error": msg} }})
	var v struct{ A int }
	w := httptest.NewRecorder()
	assert.True(t, s.DecodeJSON(w, httptest.NewRequest("POST", "/", strings.NewReader(`{"A":2}`)), &v, "bad"))
	assert.Equal(t, 2, v.A)
	w = httptest.NewRecorder()
	assert.False(t, s.DecodeJSON(w, httptest.NewRequest("POST", "/", strings.NewReader(`{`)), &v, "bad"))
	assert.Equal(t, 400, w.Code)
	assert.JSONEq(t, `{"error":"bad"}`, w.Body.String())
	assert.Error(t, ReadJSON(httptest.NewRequest("POST", "/", strings.NewReader(`{"A":2}`)), 3, &v), "cut at the limit")
}
