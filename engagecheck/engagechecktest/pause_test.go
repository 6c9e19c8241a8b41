package engagechecktest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// arrivals records when each webhook reached a receiver of the fake.
type arrivals struct {
	mu sync.Mutex
	at map[int64]time.Time
}

func (a *arrivals) serve(srv *Server) string {
	a.at = map[int64]time.Time{}
	return srv.ServeWebhooks(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var ev struct {
			ID int64 `json:"id"`
		}
		_ = json.NewDecoder(r.Body).Decode(&ev)
		a.mu.Lock()
		a.at[ev.ID] = time.Now()
		a.mu.Unlock()
	}))
}

func (a *arrivals) get() map[int64]time.Time {
	a.mu.Lock()
	defer a.mu.Unlock()
	out := make(map[int64]time.Time, len(a.at))
	for k, v := range a.at {
		out[k] = v
	}
	return out
}

// WithWebhookLoss drops its share of the webhooks (and counts them);
// WithWebhookDelay sends the others exactly that long after their audit
// settled.
func TestWebhookLossAndDelay(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		s := NewServer(WithVirtualTime(), WithRateLimit(0, 0), WithSeed(5), WithSequentialBatches(false),
			WithDurations(Durations{Scraping: 10 * time.Second}), WithWebhookLoss(0.3), WithWebhookDelay(7*time.Second))
		defer s.Close()
		var got arrivals
		url := got.serve(s)
		start := time.Now()
		var names []string
		for i := range 50 {
			names = append(names, fmt.Sprintf("h%02d", i))
		}
		body, _ := json.Marshal(map[string]any{"usernames": names, "webhook_url": url})
		code, _ := call(t, s, "POST", "/audits/batch", string(body))
		require.Equal(t, 202, code)
		time.Sleep(10 * time.Second)
		synctest.Wait()
		assert.Empty(t, got.get(), "settled, but each webhook is still 7 s away")
		time.Sleep(7 * time.Second)
		synctest.Wait()
		at := got.get()
		lost := s.LostWebhooks()
		assert.Equal(t, 50, len(at)+lost, "every webhook sent or lost")
		assert.InDelta(t, 15, lost, 8, "about 30%% lost")
		assert.Positive(t, lost)
		for id, when := range at {
			assert.Equal(t, 17*time.Second, when.Sub(start), "audit %d: 10 s to settle, 7 s on the way", id)
		}
	})
}

// Pause answers every request 503 and stops the clock of the audits and
// their webhooks; Resume goes on where it stopped.
func TestPauseAndResume(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		s := NewServer(WithVirtualTime(), WithRateLimit(0, 0),
			WithDurations(Durations{Pending: 10 * time.Second, Scraping: 10 * time.Second, Analyzing: 10 * time.Second}))
		defer s.Close()
		var got arrivals
		url := got.serve(s)
		start := time.Now()
		code, m := call(t, s, "POST", "/audits/batch", fmt.Sprintf(`{"usernames":["first","second"],"webhook_url":%q}`, url))
		require.Equal(t, 202, code)
		rows := m["results"].([]any)
		second := fmt.Sprint(rows[1].(map[string]any)["id"])

		time.Sleep(40 * time.Second) // the first settled at 30 s; the second is scraping
		synctest.Wait()
		require.Len(t, got.get(), 1)
		s.Pause()
		code, m = call(t, s, "GET", "/audits/"+second, "")
		assert.Equal(t, http.StatusServiceUnavailable, code)
		assert.Contains(t, m["error"], "unavailable")
		time.Sleep(time.Hour)
		synctest.Wait()
		assert.Len(t, got.get(), 1, "nothing settles while paused")

		s.Resume()
		code, m = call(t, s, "GET", "/audits/"+second, "")
		require.Equal(t, 200, code)
		assert.Equal(t, "scraping", m["status"], "where it stopped")
		time.Sleep(20*time.Second - time.Nanosecond)
		synctest.Wait()
		assert.Len(t, got.get(), 1)
		time.Sleep(time.Nanosecond)
		synctest.Wait()
		at := got.get()
		require.Len(t, at, 2)
		for _, when := range at {
			if when.Sub(start) > time.Minute {
				assert.Equal(t, 60*time.Second+time.Hour, when.Sub(start), "settled an hour late: the pause")
			}
		}
		code, m = call(t, s, "GET", "/audits/"+second, "")
		require.Equal(t, 200, code)
		assert.Equal(t, "complete", m["status"])
	})
}
