package transport

import (
	"context"
	"math/rand/v2"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/creatorkit/creatorkit-go/internal/fake"
	"github.com/creatorkit/creatorkit-go/internal/limit"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// windowServer counts requests the way a vendor does: in a sliding window
// over their arrival times, with random network delay before arrival and
// before the answer.
type windowServer struct {
	n   int
	per time.Duration

	mu       sync.Mutex
	arrivals []time.Time
	over     atomic.Int32
	served   atomic.Int32
}

func (s *windowServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	time.Sleep(time.Duration(rand.N(3000)) * time.Microsecond) // the way in
	s.mu.Lock()
	now := time.Now()
	cut := 0
	for cut < len(s.arrivals) && !s.arrivals[cut].After(now.Add(-s.per)) {
		cut++
	}
	s.arrivals = append(s.arrivals[cut:], now)
	if len(s.arrivals) > s.n {
		s.over.Add(1)
	}
	s.mu.Unlock()
	s.served.Add(1)
	time.Sleep(time.Duration(rand.N(3000)) * time.Microsecond) // the way back
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write([]byte(`{}`))
}

func hammer(t *testing.T, srv *fake.Server, lim Limiter, goroutines int) {
	t.Helper()
	s := Defaults("testvendor", srv.URL)
	s.Auth = Bearer(secret)
	s.Limiter = lim
	s.HTTPClient = srv.HTTPClient()
	c, err := New(s)
	require.NoError(t, err)
	var wg sync.WaitGroup
	for range goroutines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := c.Do(context.Background(), Request{Op: "Get", Method: "GET", Path: "x"}, nil)
			assert.NoError(t, err)
		}()
	}
	wg.Wait()
}

// TestWindowGuardNeverOverfillsAVendorWindow: 1,000 goroutines share a
// client whose limit equals the server's window exactly (no margin): the
// server never sees more than N requests in any window, whatever delays
// the scheduler and the network add.
func TestWindowGuardNeverOverfillsAVendorWindow(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv := &windowServer{n: 50, per: time.Minute}
		ts := fake.NewBare("window", srv)
		defer ts.Close()
		hammer(t, ts, limit.NewWindow(Window{N: 50, Per: time.Minute}), 1000)
		assert.Equal(t, int32(1000), srv.served.Load())
		assert.Zero(t, srv.over.Load(), "requests that arrived in an over-full window")
	})
}

// TestWindowServerDetectsOverfill shows the check above can fail: without
// a limiter the same server sees over-full windows.
func TestWindowServerDetectsOverfill(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv := &windowServer{n: 50, per: time.Second}
		ts := fake.NewBare("window", srv)
		defer ts.Close()
		hammer(t, ts, limit.Unlimited(), 300)
		assert.Positive(t, srv.over.Load())
	})
}

// TestWindowGuardCoversNetHTTPResends: the server counts a GET and then
// drops the (reused) connection without answering; net/http resends the
// GET by itself on a new connection. The resend takes a window slot too,
// so the server never sees more than N in a window.
func TestWindowGuardCoversNetHTTPResends(t *testing.T) {
	t.Parallel()
	synctest.Test(t, testWindowGuardCoversResends)
}

func testWindowGuardCoversResends(t *testing.T) {
	const n, per = 2, 300 * time.Millisecond
	var mu sync.Mutex
	var arrivals []time.Time
	over := 0
	seen := 0
	ts := fake.NewBare("resend", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		now := time.Now()
		cut := 0
		for cut < len(arrivals) && !arrivals[cut].After(now.Add(-per)) {
			cut++
		}
		arrivals = append(arrivals[cut:], now)
		if len(arrivals) > n {
			over++
		}
		seen++
		drop := seen == 2 // the second request arrives on a reused connection
		mu.Unlock()
		if drop {
			conn, _, err := w.(http.Hijacker).Hijack()
			if err == nil {
				conn.Close()
			}
			return
		}
		_, _ = w.Write([]byte(`{}`))
	}))
	defer ts.Close()
	s := Defaults("testvendor", ts.URL)
	s.Auth = Bearer(secret)
	s.MaxRetries = 0
	s.Limiter = limit.NewWindow(Window{N: n, Per: per})
	s.HTTPClient = ts.HTTPClient()
	c, err := New(s)
	require.NoError(t, err)
	for range 2 {
		_, err := c.Do(context.Background(), Request{Op: "Get", Method: "GET", Path: "x"}, nil)
		require.NoError(t, err)
	}
	mu.Lock()
	defer mu.Unlock()
	assert.Equal(t, 3, seen, "net/http resent the dropped GET once")
	assert.Zero(t, over, "the resend waited for a window slot")
}
