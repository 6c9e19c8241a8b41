package fake

import (
	"github.com/creatorkit/creatorkit-go/creatorkittest"
	"maps"
	"sync"
)

// Stats counts what a fake saw: requests, statuses, credits and faults per
// route. Tests use it to assert cost ("this roster took 511 requests and
// 500 credits").
type Stats struct {
	mu        sync.Mutex
	requests  map[string]int
	statuses  map[string]map[int]int
	credits   map[string]int64
	refunds   int
	ratelimit int
	drops     map[string]int
	faults    map[string]int
}

func newStats() *Stats {
	return &Stats{requests: map[string]int{}, statuses: map[string]map[int]int{}, credits: map[string]int64{}, drops: map[string]int{}, faults: map[string]int{}}
}

func (s *Stats) request(route string) {
	s.mu.Lock()
	s.requests[route]++
	s.mu.Unlock()
}

func (s *Stats) status(route string, code int) {
	s.mu.Lock()
	if s.statuses[route] == nil {
		s.statuses[route] = map[int]int{}
	}
	s.statuses[route][code]++
	s.mu.Unlock()
}

func (s *Stats) limited() {
	s.mu.Lock()
	s.ratelimit++
	s.mu.Unlock()
}

func (s *Stats) drop(route string) {
	s.mu.Lock()
	s.drops[route]++
	s.mu.Unlock()
}

func (s *Stats) fault(route string) {
	s.mu.Lock()
	s.faults[route]++
	s.mu.Unlock()
}

// Charge records n credits spent on route (negative n for a refund).
func (s *Stats) Charge(route string, n int) {
	s.mu.Lock()
	if n < 0 {
		s.refunds -= n
	}
	s.credits[route] += int64(n)
	s.mu.Unlock()
}

// Snapshot is a copy of the counters (creatorkittest.Snapshot).
type Snapshot = creatorkittest.Snapshot

// Snapshot copies the counters.
func (s *Stats) Snapshot() Snapshot {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := make(map[string]map[int]int, len(s.statuses))
	for k, v := range s.statuses {
		st[k] = maps.Clone(v)
	}
	return Snapshot{Requests: maps.Clone(s.requests), Statuses: st, Credits: maps.Clone(s.credits), Refunds: s.refunds,
		RateLimited: s.ratelimit, Dropped: maps.Clone(s.drops), Faulted: maps.Clone(s.faults)}
}
