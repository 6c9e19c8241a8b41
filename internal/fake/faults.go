package fake

import (
	"net/http"
	"time"

	"github.com/creatorkit/creatorkit-go/creatorkittest"
)

// Faults are the failures a fake injects (creatorkittest.Faults).
type Faults = creatorkittest.Faults

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
