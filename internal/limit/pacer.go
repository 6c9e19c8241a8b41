package limit

import (
	"context"
	"sync"
	"time"
)

// Pacer paces a client by what the vendor itself reports: every response
// that carries X-RateLimit-Remaining says how many more requests the
// vendor will take (after counting this one) before its window renews. A
// client with many goroutines would otherwise overshoot between two
// answers; with the pacer it sends no more than the last report allows,
// minus what it sent since, so its own traffic never earns a 429 even when
// the vendor documents no limit for the SDK to pace by (CreatorAudit).
//
// Requests are numbered as they go out. An answer to request k reporting r
// remaining allows requests up to k+r, less the requests that were still
// unanswered when k was sent (they may reach the vendor after k and take a
// slot r did not count). Only the answer to the highest-numbered request so
// far sets the bound: an older answer, arriving late, knows less. Until a
// vendor has reported anything, requests go one at a time; a success answer
// without the header means the vendor does not report, and the pacer
// stands aside.
//
// When the pacer is spent the client waits for the reported reset: the
// moment the oldest request the vendor counted leaves its window, which
// frees exactly one slot past the bound of the answer that reported it.
// That one slot goes to one request, and the answer to it (or to any newer
// request) says how far the window renewed. No reset is spent twice, so a
// crowd of late answers never sends a crowd of such requests together. If
// every request has been answered and the bound still leaves no room, one
// request goes out at the reset, so the client cannot stall.
type Pacer struct {
	mu       sync.Mutex
	mode     pacerMode
	next     int64         // number of the next request sent
	inflight map[int64]int // sent, not answered: how many were unanswered when each was sent
	probeOut bool          // a probe is in flight (modeProbe)
	last     int64         // the request whose answer set bound (-1: none)
	bound    int64         // requests numbered up to bound may be sent
	reset    time.Time     // when the reporting window renews
	wake     chan struct{} // closed by the next answer; nil until someone waits
	// max is the longest reset the pacer sleeps through; a longer one
	// fails fast with a *DelayError, like the gate.
	max time.Duration
}

type pacerMode int

const (
	modeProbe  pacerMode = iota // nothing known: one request at a time
	modeSilent                  // the vendor reports nothing: stand aside
	modeKnown                   // pace by the last report
)

// NewPacer returns a Pacer that knows nothing yet (one request at a time
// until an answer reports) and sleeps through resets up to maxWait.
func NewPacer(maxWait time.Duration) *Pacer {
	return &Pacer{inflight: map[int64]int{}, last: -1, max: maxWait}
}

// take numbers a request about to be sent, waiting while the reported
// pacer is spent. It returns the request's number for Done.
func (b *Pacer) Take(ctx context.Context) (int64, error) {
	for {
		b.mu.Lock()
		now := time.Now()
		var wait time.Duration // 0: until an answer wakes us
		ok := false
		switch b.mode {
		case modeSilent:
			ok = true
		case modeProbe:
			if !b.probeOut {
				b.probeOut, ok = true, true
			}
		case modeKnown:
			// One past the bound is the slot the reset frees; with nothing in
			// flight, no answer will come to move the bound, so one
			// request goes at the reset whatever the bound.
			oneMore := b.next == b.bound+1 || len(b.inflight) == 0
			switch {
			case b.next <= b.bound:
				ok = true
			case oneMore && !now.Before(b.reset):
				ok = true
			case !now.Before(b.reset):
				// The reset has passed and its slot is taken: wait for an answer.
			default:
				wait = b.reset.Sub(now)
				if dl, has := ctx.Deadline(); has && b.reset.After(dl) {
					b.mu.Unlock()
					return 0, &DelayError{Delay: wait, Reason: reasonServer, PastDeadline: true}
				}
				if b.max > 0 && wait > b.max {
					b.mu.Unlock()
					return 0, &DelayError{Delay: wait, Reason: reasonServer}
				}
			}
		}
		if ok {
			n := b.next
			b.next++
			b.inflight[n] = len(b.inflight)
			b.mu.Unlock()
			return n, nil
		}
		if b.wake == nil { // made only when someone waits: most answers wake no one
			b.wake = make(chan struct{})
		}
		wake := b.wake
		b.mu.Unlock()
		if err := sleepOrWake(ctx, wake, wait); err != nil {
			return 0, err
		}
	}
}

// done records the end of request n: status is the answer's HTTP status
// (0 when none came) and rl what it reported.
func (b *Pacer) Done(n int64, status int, rl RateLimit) {
	b.mu.Lock()
	defer b.mu.Unlock()
	unsettled := b.inflight[n]
	delete(b.inflight, n)
	switch {
	case rl.Known && rl.Remaining >= 0:
		if n > b.last {
			b.mode, b.last, b.reset = modeKnown, n, rl.Reset
			b.bound = n + int64(rl.Remaining) - int64(unsettled)
		}
	case b.mode == modeProbe && status >= 200 && status < 300:
		b.mode = modeSilent // the vendor answers without reporting
	}
	if b.mode == modeProbe {
		b.probeOut = false
	}
	if b.wake != nil {
		close(b.wake)
		b.wake = nil
	}
}
