package fake

import (
	"net/http"
	"strconv"
	"time"
)

// window holds one key's sliding windows: for each, the arrival times of
// the requests admitted in its last Per.
type window struct{ hits [][]time.Time }

// windowsFor returns the key's windows, scaled to real time.
func (s *Server) windowsFor(key string) []Window {
	var ws []Window
	if s.cfg.KeyWindows != nil {
		ws = s.cfg.KeyWindows(key)
	} else if s.cfg.RateLimit.N > 0 {
		ws = []Window{s.cfg.RateLimit}
	}
	out := make([]Window, 0, len(ws))
	for _, w := range ws {
		if w.N > 0 && w.Per > 0 {
			out = append(out, Window{N: w.N, Per: s.Scale(w.Per)})
		}
	}
	return out
}

// admit counts the request against every one of the caller's sliding
// windows and sets the X-RateLimit-* headers of the tightest one; over a
// limit it writes 429 (with Retry-After unless QuietLimits) and returns
// false without counting the request.
func (s *Server) admit(key string, w http.ResponseWriter) bool {
	wins := s.windowsFor(key)
	if len(wins) == 0 {
		return true
	}
	now := time.Now()

	s.mu.Lock()
	st := s.windows[key]
	if st == nil || len(st.hits) != len(wins) {
		st = &window{hits: make([][]time.Time, len(wins))}
		s.windows[key] = st
	}
	ok := true
	for i, win := range wins {
		h := st.hits[i]
		cut := 0
		for cut < len(h) && !h[cut].After(now.Add(-win.Per)) {
			cut++
		}
		st.hits[i] = h[cut:]
		if len(st.hits[i]) >= win.N {
			ok = false
		}
	}
	if ok {
		for i := range wins {
			st.hits[i] = append(st.hits[i], now)
		}
	}
	// Report the window with the least room; on a refusal, the one that
	// frees up last.
	tight, remaining, reset := 0, -1, now
	for i, win := range wins {
		rem := win.N - len(st.hits[i])
		r := now.Add(win.Per)
		if len(st.hits[i]) > 0 {
			r = st.hits[i][0].Add(win.Per)
		}
		if remaining < 0 || rem < remaining || (rem == remaining && r.After(reset)) {
			tight, remaining, reset = i, rem, r
		}
	}
	s.mu.Unlock()

	h := w.Header()
	if !s.cfg.QuietLimits {
		h.Set("X-RateLimit-Limit", strconv.Itoa(wins[tight].N))
		h.Set("X-RateLimit-Remaining", strconv.Itoa(max(remaining, 0)))
		h.Set("X-RateLimit-Reset", s.resetHeader(reset))
	}
	if ok {
		return true
	}
	s.stats.limited()
	if !s.cfg.QuietLimits {
		h.Set("Retry-After", s.retryAfter(reset.Sub(now)))
	}
	msg := s.cfg.RateLimitMessage
	if msg == "" {
		msg = "Too many requests: the per-key rate limit was exceeded. Check the Retry-After header."
	}
	s.Error(w, http.StatusTooManyRequests, msg)
	return false
}
