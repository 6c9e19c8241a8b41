package fake

import (
	"net/http"
	"strconv"
	"time"
)

// window is one key's sliding window: the arrival times of the requests
// admitted in the last Per.
type window struct{ hits []time.Time }

// admit counts the request against the caller's sliding window and sets
// the X-RateLimit-* headers; over the limit it writes 429 with Retry-After
// and returns false.
func (s *Server) admit(key string, w http.ResponseWriter) bool {
	per := s.Scale(s.cfg.RateLimit.Per)
	limit := s.cfg.RateLimit.N
	now := time.Now()

	s.mu.Lock()
	win := s.windows[key]
	if win == nil {
		win = &window{}
		s.windows[key] = win
	}
	cut := 0
	for cut < len(win.hits) && !win.hits[cut].After(now.Add(-per)) {
		cut++
	}
	win.hits = win.hits[cut:]
	ok := len(win.hits) < limit
	if ok {
		win.hits = append(win.hits, now)
	}
	remaining := limit - len(win.hits)
	reset := now.Add(per)
	if len(win.hits) > 0 {
		reset = win.hits[0].Add(per)
	}
	s.mu.Unlock()

	h := w.Header()
	h.Set("X-RateLimit-Limit", strconv.Itoa(limit))
	h.Set("X-RateLimit-Remaining", strconv.Itoa(remaining))
	h.Set("X-RateLimit-Reset", s.resetHeader(reset))
	if ok {
		return true
	}
	s.stats.limited()
	h.Set("Retry-After", s.retryAfter(reset.Sub(now)))
	s.Error(w, http.StatusTooManyRequests, "Too many requests: the per-key rate limit was exceeded. Check the Retry-After header.")
	return false
}
