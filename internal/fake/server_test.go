package fake

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/creatorkit/creatorkit-go/internal/transport"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

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
		JSON(w, 200, map[string]any{"id": r.PathValue("id"), "n": n.Load()})
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

func get(t *testing.T, url, auth string) *http.Response {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	t.Cleanup(func() { resp.Body.Close() })
	return resp
}

func TestAuthCheckAndErrorBody(t *testing.T) {
	s := newServer(t, Config{})
	resp := get(t, s.URL+"/things/1", "Bearer bad")
	assert.Equal(t, 401, resp.StatusCode)
	b, _ := io.ReadAll(resp.Body)
	assert.JSONEq(t, `{"error":"The API key is missing, invalid, or revoked."}`, string(b))
	assert.Equal(t, 200, get(t, s.URL+"/things/1", "Bearer good").StatusCode)
	snap := s.Stats().Snapshot()
	assert.Equal(t, 2, snap.Requests["things.get"])
	assert.Equal(t, 1, snap.Statuses["things.get"][401])
}

// TestSlidingWindowHeadersAnd429: three requests fit a window of three,
// the fourth is refused with a Retry-After of when the first leaves it.
// An attempt the machine slowed past the 300 ms window proves nothing and
// runs again on a fresh server.
func TestSlidingWindowHeadersAnd429(t *testing.T) {
	for attempt := 1; ; attempt++ {
		if slidingWindowAttempt(t) {
			return
		}
		if attempt == 10 {
			t.Skip("the machine never sent four requests inside one 300 ms window")
		}
	}
}

func slidingWindowAttempt(t *testing.T) (conclusive bool) {
	const window = 300 * time.Millisecond // a minute at scale 0.005
	s := newServer(t, Config{RateLimit: Window{N: 3, Per: time.Minute}, TimeScale: 0.005, RateLimitExempt: []string{"health"}})
	start := time.Now()
	for i := 0; i < 3; i++ {
		resp := get(t, s.URL+"/things/1", "Bearer good")
		require.Equal(t, 200, resp.StatusCode)
		assert.Equal(t, "3", resp.Header.Get("X-RateLimit-Limit"))
		assert.Equal(t, strconv.Itoa(2-i), resp.Header.Get("X-RateLimit-Remaining"))
	}
	resp := get(t, s.URL+"/things/1", "Bearer good")
	elapsed := time.Since(start)
	if elapsed >= window {
		return false
	}
	require.Equal(t, 429, resp.StatusCode)
	ra, err := strconv.ParseFloat(resp.Header.Get("Retry-After"), 64)
	require.NoError(t, err)
	wait := time.Duration(ra * float64(time.Second))
	assert.LessOrEqual(t, wait, window+time.Millisecond, "the first request leaves the window 300 ms after it came")
	assert.GreaterOrEqual(t, wait, window-elapsed-time.Millisecond)
	assert.Empty(t, get(t, s.URL+"/health", "Bearer good").Header.Get("X-RateLimit-Limit"), "exempt route")
	time.Sleep(wait + 20*time.Millisecond)
	assert.Equal(t, 200, get(t, s.URL+"/things/1", "Bearer good").StatusCode)
	assert.Equal(t, 1, s.Stats().Snapshot().RateLimited)
	return true
}

func TestInjectedStatusesAndStorm(t *testing.T) {
	s := newServer(t, Config{Faults: Faults{Storm429: 2, StormRetryAfter: 3 * time.Second}})
	for i := 0; i < 2; i++ {
		resp := get(t, s.URL+"/things/1", "Bearer good")
		assert.Equal(t, 429, resp.StatusCode)
		assert.Equal(t, "3", resp.Header.Get("Retry-After"))
	}
	assert.Equal(t, 200, get(t, s.URL+"/things/1", "Bearer good").StatusCode)

	s.SetFaults(Faults{Routes: []string{"things.get"}, ErrorRate: map[int]float64{502: 1}})
	assert.Equal(t, 502, get(t, s.URL+"/things/1", "Bearer good").StatusCode)
	assert.Equal(t, 200, get(t, s.URL+"/health", "").StatusCode, "faults limited to their routes")
}

func TestDropsTruncationAndMalformedBodies(t *testing.T) {
	s := newServer(t, Config{})
	s.SetFaults(Faults{DropRate: 1})
	_, err := http.Get(s.URL + "/health")
	assert.Error(t, err, "connection dropped before the handler")

	s.SetFaults(Faults{TruncateRate: 1})
	resp, err := http.Get(s.URL + "/health")
	require.NoError(t, err)
	_, err = io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.ErrorIs(t, err, io.ErrUnexpectedEOF)

	s.SetFaults(Faults{MalformRate: 1})
	resp, err = http.Get(s.URL + "/health")
	require.NoError(t, err)
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.False(t, json.Valid(b))

	s.SetFaults(Faults{DropAfterRate: 1})
	req, _ := http.NewRequest("POST", s.URL+"/things", nil)
	req.Header.Set("Authorization", "Bearer good")
	_, err = http.DefaultClient.Do(req)
	assert.Error(t, err)
	snap := s.Stats().Snapshot()
	assert.Equal(t, 1, snap.Credits["things.create"], "the handler ran before the drop")
	assert.Equal(t, 1, snap.Dropped["health"])
	assert.Equal(t, 1, snap.Dropped["things.create"])
}

func TestAfterIsScaledAndCancelledByClose(t *testing.T) {
	s := New(Config{TimeScale: 0.001})
	s.Start()
	fired := make(chan struct{})
	start := time.Now()
	s.After(20*time.Second, func() { close(fired) })
	<-fired
	assert.Less(t, time.Since(start), 2*time.Second)
	var late atomic.Bool
	s.After(time.Hour, func() { late.Store(true) })
	s.Close()
	assert.False(t, late.Load())
}

func TestPostJSONRecordsDeliveries(t *testing.T) {
	got := make(chan string, 1)
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		got <- string(b)
	}))
	defer hook.Close()
	s := New(Config{}).Start()
	var d Deliveries
	s.PostJSON(&d, hook.URL, map[string]string{"event": "audit.completed"})
	assert.JSONEq(t, `{"event":"audit.completed"}`, <-got)
	s.Close()
	require.Len(t, d.List(), 1)
	assert.Equal(t, 200, d.List()[0].Status)
}

// The transport and the fake together: a client paced by the documented
// window never earns a 429 from the fake's sliding window, and a 429 storm
// is ridden out by retries.
func TestTransportAgainstFake(t *testing.T) {
	s := newServer(t, Config{RateLimit: Window{N: 20, Per: time.Minute}, TimeScale: 0.005})
	set := transport.Defaults("fakevendor", s.URL)
	set.Auth = transport.Bearer("good")
	set.Windows = []transport.Window{{N: 20, Per: 300 * time.Millisecond}} // the same window, scaled
	set.RetryWaitMin, set.RetryWaitMax = time.Millisecond, 5*time.Millisecond
	c, err := transport.New(set)
	require.NoError(t, err)
	for i := 0; i < 45; i++ {
		_, err := c.Do(context.Background(), transport.Request{Method: "GET", Path: "things/1"}, nil)
		require.NoError(t, err)
	}
	assert.Equal(t, 0, s.Stats().Snapshot().RateLimited, "paced client never hits the window")

	s.SetFaults(Faults{Storm429: 2, StormRetryAfter: time.Second})
	var out struct{ ID string }
	meta, err := c.Do(context.Background(), transport.Request{Method: "GET", Path: "things/7"}, &out)
	require.NoError(t, err)
	assert.Equal(t, "7", out.ID)
	assert.Equal(t, 3, meta.Attempts)
}

// TestKeyWindowsAllMustFit: a request must fit every window of its key.
// The windows are short in real time, so an attempt whose requests the
// machine delayed past a window's length proves nothing and is run again
// on a fresh server (the elapsed time is measured, never assumed).
func TestKeyWindowsAllMustFit(t *testing.T) {
	const perSecond, perMinute = 100 * time.Millisecond, 6 * time.Second // at TimeScale 0.1
	for attempt := 1; ; attempt++ {
		if keyWindowsAttempt(t, perSecond, perMinute) {
			return
		}
		if attempt == 10 {
			t.Skip("the machine never sent three requests inside one 100 ms window")
		}
	}
}

func keyWindowsAttempt(t *testing.T, perSecond, perMinute time.Duration) (conclusive bool) {
	s := newServer(t, Config{TimeScale: 0.1, QuietLimits: true, RateLimitMessage: "slow down",
		KeyWindows: func(key string) []Window {
			if key == "Bearer good" {
				return []Window{{N: 2, Per: time.Second}, {N: 3, Per: time.Minute}}
			}
			return nil
		}})
	start := time.Now()
	codes := []int{}
	for i := 0; i < 3; i++ {
		codes = append(codes, get(t, s.URL+"/things/1", "Bearer good").StatusCode)
	}
	if time.Since(start) >= perSecond {
		return false
	}
	assert.Equal(t, []int{200, 200, 429}, codes, "the per-second window refuses the third")
	time.Sleep(perSecond + perSecond/2)
	assert.Equal(t, 200, get(t, s.URL+"/things/1", "Bearer good").StatusCode, "the per-second window has room again")
	resp := get(t, s.URL+"/things/1", "Bearer good")
	if time.Since(start) >= perMinute {
		return false
	}
	assert.Equal(t, 429, resp.StatusCode, "now the per-minute window is full")
	assert.Empty(t, resp.Header.Get("Retry-After"), "quiet limits send no headers")
	assert.Empty(t, resp.Header.Get("X-RateLimit-Limit"))
	b, _ := io.ReadAll(resp.Body)
	assert.JSONEq(t, `{"error":"slow down"}`, string(b))
	assert.Equal(t, 2, s.Stats().Snapshot().RateLimited)
	return true
}
