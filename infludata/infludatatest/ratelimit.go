package infludatatest

import (
	"sync"
	"time"

	"github.com/creatorkit/creatorkit-go/internal/fake"
)

// windows is one key's set of sliding windows (2/s and 60/min on a trial
// key): a request is admitted only when every window has room. internal/fake
// keeps one window per server; influData's plans have two per key. (A
// candidate for internal/fake.)
type windows struct {
	mu   sync.Mutex
	lims []fake.Window // real time
	hits [][]time.Time
}

func newWindows(ws []fake.Window) *windows {
	return &windows{lims: ws, hits: make([][]time.Time, len(ws))}
}

// admit counts a request at now, or refuses it without counting.
func (w *windows) admit(now time.Time) bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	for i, l := range w.lims {
		h := w.hits[i]
		cut := 0
		for cut < len(h) && !h[cut].After(now.Add(-l.Per)) {
			cut++
		}
		w.hits[i] = h[cut:]
		if len(w.hits[i]) >= l.N {
			return false
		}
	}
	for i := range w.lims {
		w.hits[i] = append(w.hits[i], now)
	}
	return true
}
