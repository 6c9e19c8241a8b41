// Package creatorkittest holds the types every creatorkit-go fake shares:
// the faults a fake injects, the snapshot of its counters, and the record
// of a webhook it delivered. Each vendor's fake (engagechecktest,
// creatoraudittest, infludatatest, hypeauditortest, firstpartytest)
// re-exports them under its own name, so one import is enough:
//
//	srv := engagechecktest.NewServer()
//	srv.SetFaults(engagechecktest.Faults{ErrorRate: map[int]float64{502: 0.2}})
//	...
//	snap := srv.Snapshot()
//	fmt.Println(snap.TotalRequests(), snap.Count(429))
package creatorkittest

import "time"

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

// Snapshot is a copy of the counters.
type Snapshot struct {
	// Requests per route.
	Requests map[string]int
	// Statuses per route and status code.
	Statuses map[string]map[int]int
	// Credits spent per route, net of refunds, in the vendor's unit
	// (credits, tokens, report credits, ...).
	Credits map[string]int64
	// Refunds counts credits given back.
	Refunds int
	// RateLimited counts requests refused by the per-key window (not
	// injected 429s).
	RateLimited int
	// Dropped and Faulted count connections dropped and bodies damaged.
	Dropped, Faulted map[string]int
}

// TotalRequests sums requests over all routes.
func (s Snapshot) TotalRequests() int {
	n := 0
	for _, v := range s.Requests {
		n += v
	}
	return n
}

// TotalCredits sums credits over all routes, net of refunds.
func (s Snapshot) TotalCredits() int64 {
	var n int64
	for _, v := range s.Credits {
		n += v
	}
	return n
}

// Count returns how many responses had the status, over all routes.
func (s Snapshot) Count(status int) int {
	n := 0
	for _, m := range s.Statuses {
		n += m[status]
	}
	return n
}

// Delivery is one outbound webhook POST and its outcome.
type Delivery struct {
	URL    string
	Body   []byte
	Status int   // 0 when the POST failed
	Err    error // transport error, if any
}
