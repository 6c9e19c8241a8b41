package infludatatest

import (
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"sync"
	"time"

	"github.com/creatorkit/creatorkit-go/infludata"
)

// WithFairUsage makes the fake enforce influData's fair-usage guidance per
// key: at most discoveryPerHour discovery searches and profilesPerHour
// getUserData calls an hour (virtual time); 0 leaves that one unenforced.
// infludata.FairUsageDiscoveryPerHour and FairUsageProfilesPerHour are
// the documented values. By default neither is enforced.
//
// influData calls these limits "recommended" and documents no answer for
// going over them, so the fake models them leniently: only requests it
// answered with a success (2xx) count, in a sliding hour; a request over
// the limit gets the answer its burst limits give, a bare 429 (no
// Retry-After, no resetDate: not a spent budget), is not charged and does
// not count. checkDataStatus is not a profile request (see
// infludata.FairUsage). ClientOptions paces the client by the same
// windows on the fake's time scale, so an SDK client never meets the 429.
func WithFairUsage(discoveryPerHour, profilesPerHour int) Option {
	return func(c *config) {
		c.fairUsage = infludata.FairUsage{
			Discovery: infludata.Window{N: max(discoveryPerHour, 0), Per: time.Hour},
			Profiles:  infludata.Window{N: max(profilesPerHour, 0), Per: time.Hour},
		}
	}
}

// fairUse holds, per key and route, when the requests counted toward the
// fair-usage windows arrived.
type fairUse struct {
	mu      sync.Mutex
	hits    map[string][]time.Time
	refused map[string]int // by route
}

// fairWindow is the fair-usage window of a route (N 0: none).
func (s *Server) fairWindow(route string) infludata.Window {
	switch route {
	case RouteDiscovery:
		return s.cfg.fairUsage.Discovery
	case RouteUserData:
		return s.cfg.fairUsage.Profiles
	}
	return infludata.Window{}
}

// admitFair counts a request toward its route's fair-usage window, or
// answers 429 and returns false when the window is full. uncount takes the
// request back out (it was not answered with a success); nil when the
// route has no window.
func (s *Server) admitFair(w http.ResponseWriter, key, route string) (uncount func(), ok bool) {
	win := s.fairWindow(route)
	if win.N <= 0 {
		return nil, true
	}
	per := s.Scale(win.Per)
	now := time.Now()
	id := key + "|" + route
	f := &s.fair
	f.mu.Lock()
	h := f.hits[id]
	cut := 0
	for cut < len(h) && !h[cut].After(now.Add(-per)) {
		cut++
	}
	h = h[cut:]
	if len(h) >= win.N {
		f.hits[id] = h
		f.refused[route]++
		f.mu.Unlock()
		what := map[string]string{RouteDiscovery: "discovery searches", RouteUserData: "profile requests"}[route]
		s.f.Error(w, http.StatusTooManyRequests, fmt.Sprintf("Fair usage limit exceeded: at most %d %s per hour", win.N, what))
		return nil, false
	}
	f.hits[id] = append(h, now)
	f.mu.Unlock()
	return func() {
		f.mu.Lock()
		defer f.mu.Unlock()
		h := f.hits[id]
		for i := len(h) - 1; i >= 0; i-- {
			if h[i].Equal(now) {
				f.hits[id] = append(h[:i:i], h[i+1:]...)
				return
			}
		}
	}, true
}

// FairUsageRefused returns how many requests the fake refused with 429
// for going over a fair-usage window (WithFairUsage), per route.
func (s *Server) FairUsageRefused() map[string]int {
	s.fair.mu.Lock()
	defer s.fair.mu.Unlock()
	return maps.Clone(s.fair.refused)
}

// statusWriter remembers the status a handler answered with.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// Charges returns how many times each request was charged, keyed by route
// and request as sent: "getUserData?platform=instagram&username=x",
// "getContent?limit=100 X-Cursor=..." (the query in canonical order). A
// key charged twice for one logical call is a double charge.
func (s *Server) Charges() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return maps.Clone(s.charges)
}

// chargeKey names a charged request for Charges.
func chargeKey(route string, r *http.Request) string {
	q := url.Values{}
	for k, vs := range r.URL.Query() {
		if k != "accessToken" {
			q[k] = vs
		}
	}
	k := route + "?" + q.Encode()
	if c := r.Header.Get("X-Cursor"); c != "" {
		k += " X-Cursor=" + c
	}
	return k
}
