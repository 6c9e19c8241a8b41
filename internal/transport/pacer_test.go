package transport

import (
	"context"
	"net/http"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/creatorkit/creatorkit-go/internal/fake"
	"github.com/creatorkit/creatorkit-go/internal/limit"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// reportingFake is a vendor that documents no limit but reports its
// sliding window in X-RateLimit-* headers and answers 429 past it.
func reportingFake(t *testing.T, w fake.Window, quiet bool) *fake.Server {
	t.Helper()
	s := fake.New(fake.Config{RateLimit: w, QuietLimits: quiet, InMemory: true, Name: "reporting"})
	s.Handle("GET /x", "x", func(w http.ResponseWriter, r *http.Request) { fake.JSON(w, http.StatusOK, map[string]int{"ok": 1}) })
	s.Start()
	t.Cleanup(s.Close)
	return s
}

func unpacedClient(t *testing.T, srv *fake.Server) *Client {
	t.Helper()
	s := Defaults("testvendor", srv.URL)
	s.Auth = Bearer(secret)
	s.Limiter = limit.Unlimited() // no documented limit to pace by
	s.HTTPClient = srv.HTTPClient()
	c, err := New(s)
	require.NoError(t, err)
	return c
}

func hammerClient(t *testing.T, c *Client, goroutines int) {
	t.Helper()
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

// TestBudgetFromHeadersKeepsAnUnpacedClientUnderTheWindow: no client-side
// limit at all, 1,000 goroutines, and the vendor's own X-RateLimit
// reports are enough: not one 429.
func TestBudgetFromHeadersKeepsAnUnpacedClientUnderTheWindow(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv := reportingFake(t, fake.Window{N: 100, Per: time.Minute}, false)
		c := unpacedClient(t, srv)
		start := time.Now()
		hammerClient(t, c, 1000)
		snap := srv.Stats().Snapshot()
		assert.Equal(t, 1000, snap.Requests["x"])
		assert.Zero(t, snap.Count(http.StatusTooManyRequests), "429s earned by the client's own traffic")
		assert.GreaterOrEqual(t, time.Since(start), 9*time.Minute, "100 a minute: 1,000 take at least nine windows")
	})
}

// TestBudgetStandsAsideForSilentVendors: a vendor that reports nothing is
// not slowed down: after the first answer requests go out together.
func TestBudgetStandsAsideForSilentVendors(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv := reportingFake(t, fake.Window{}, true)
		c := unpacedClient(t, srv)
		hammerClient(t, c, 50) // every request answered (limit's TestPacerStandsAsideForSilentVendors: none waits)
	})
}
