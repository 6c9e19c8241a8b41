package fake

import (
	"net/http"
	"time"
)

// Faults are the failures a fake injects. Rates are probabilities in
// [0, 1], drawn from the server's seeded generator.
type Faults struct {
	// Routes limits the faults to these routes; empty means every route.
	Routes []string
	// ErrorRate answers a share of requests with the given status (and the
	// vendor's error body) before the handler runs: nothing happens on the
	// server side.
	ErrorRate map[int]float64
	// Storm429 answers the next N requests with 429 and Retry-After of
	// StormRetryAfter (virtual time; default 1 s).
	Storm429        int
	StormRetryAfter time.Duration
	// Latency delays every request (virtual time).
	Latency time.Duration
	// DropRate closes the connection before the handler runs: the request
	// had no effect.
	DropRate float64
	// DropAfterRate runs the handler (its effects happen: an audit is
	// created, a credit spent) and then closes the connection without an
	// answer: the "may have reached the server" case.
	DropAfterRate float64
	// TruncateRate sends half of a success body with the full
	// Content-Length, then closes the connection.
	TruncateRate float64
	// MalformRate sends a success body cut in half and followed by an HTML
	// fragment, as a misbehaving proxy would.
	MalformRate float64
}

type routeFaults struct {
	Faults
	active bool
}

func (s *Server) faultsFor(route string) routeFaults {
	s.mu.Lock()
	f := s.faults
	s.mu.Unlock()
	if len(f.Routes) == 0 {
		return routeFaults{Faults: f, active: true}
	}
	if contains(f.Routes, route) {
		return routeFaults{Faults: f, active: true}
	}
	return routeFaults{Faults: Faults{Latency: f.Latency}}
}

// injected draws an injected status (a 429 storm first). retry is the
// virtual Retry-After to send, 0 for none.
func (s *Server) injected(f routeFaults) (status int, retry time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.storm > 0 {
		s.storm--
		retry = f.StormRetryAfter
		if retry <= 0 {
			retry = time.Second
		}
		return http.StatusTooManyRequests, retry
	}
	for code, p := range f.ErrorRate {
		if p > 0 && s.rng.Float64() < p {
			if code == http.StatusTooManyRequests || code == http.StatusServiceUnavailable {
				retry = time.Second
			}
			return code, retry
		}
	}
	return 0, 0
}
