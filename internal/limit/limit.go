// Package limit decides when a request may go: the default limiter of a
// vendor's documented windows (token buckets that pace, window guards
// that never let a window see more than its N), a single token bucket,
// the gate that holds every request until a time the server named, and
// the pacer that follows the vendor's X-RateLimit-* reports. The
// transport admits each attempt through them (internal/transport's
// admit.go); limit knows nothing of requests or retries.
package limit

import (
	"context"
	"fmt"
	"math"
	"sync"
	"time"

	"github.com/creatorkit/creatorkit-go"
	"github.com/creatorkit/creatorkit-go/internal/poll"
	"golang.org/x/time/rate"
)

// Limiter, Window, DelayError and RateLimit are the root package's.
type (
	Limiter    = creatorkit.Limiter
	Window     = creatorkit.Window
	DelayError = creatorkit.DelayError
	RateLimit  = creatorkit.RateLimit
)

// SafetyMargin is the share of each documented window the default limiter
// keeps in reserve. Vendors count requests in sliding windows on their own
// clock; pacing at exactly the limit lets network jitter push the
// (N+1)-th request into the window and earn a 429. With 5% in reserve and a
// burst no larger than the reserve, no window of length Per ever sees more
// than N requests from one client.
const SafetyMargin = 0.05

// NewWindow returns the default limiter for documented windows. Each
// window gets two parts, and a request waits for both:
//
//   - a token bucket (golang.org/x/time/rate) refilled at
//     N*(1-SafetyMargin)/Per with a burst of max(1, N*SafetyMargin), which
//     spreads requests out;
//   - a window guard of N slots: a slot is taken when a request is sent and
//     comes free Per after its answer arrived (or it failed). The vendor
//     counts a request when it arrives, which is after it was sent and
//     before its answer came back, so any N+1 requests of this limiter
//     arrive more than Per apart: no window on the vendor's clock sees more
//     than N, however many goroutines share the client and however late
//     the scheduler or the network delivers them.
func NewWindow(windows ...Window) Limiter {
	var m windowLimiter
	for _, w := range windows {
		if w.N <= 0 || w.Per <= 0 {
			continue
		}
		burst := int(math.Floor(float64(w.N) * SafetyMargin))
		if burst < 1 {
			burst = 1
		}
		per := float64(w.N) * (1 - SafetyMargin) / w.Per.Seconds()
		m.buckets = append(m.buckets, rate.NewLimiter(rate.Limit(per), burst))
		m.guards = append(m.guards, newWindowGuard(w))
	}
	if len(m.buckets) == 0 {
		return Unlimited()
	}
	return &m
}

// NewGuard keeps only the window guards of the windows: up to N
// requests go at once, and none past N in any window of length Per. Pace
// groups use it: an hourly guideline (influData's fair usage) spread out
// by a token bucket would make a short job of a dozen searches wait
// minutes for no reason.
func NewGuard(windows ...Window) Limiter {
	var m windowLimiter
	for _, w := range windows {
		if w.N > 0 && w.Per > 0 {
			m.guards = append(m.guards, newWindowGuard(w))
		}
	}
	if len(m.guards) == 0 {
		return Unlimited()
	}
	return &m
}

// NewRate returns a single token bucket; rate.Inf disables limiting.
func NewRate(r rate.Limit, burst int) Limiter {
	if r == rate.Inf {
		return Unlimited()
	}
	if burst < 1 {
		burst = 1
	}
	return &windowLimiter{buckets: multiLimiter{rate.NewLimiter(r, burst)}}
}

// Unlimited returns a Limiter that never waits.
func Unlimited() Limiter { return unlimited{} }

type unlimited struct{}

func (unlimited) Wait(ctx context.Context) error { return ctx.Err() }

// Slots is a Limiter that must hear when the request it let through
// got its answer: the transport calls Acquire instead of Wait and runs
// release once the attempt is over (answer read, or failed).
type Slots interface {
	Limiter
	Acquire(ctx context.Context) (release func(), err error)
}

// windowLimiter is the default limiter: token buckets that pace, and
// window guards that make sure no window sees more than its N.
type windowLimiter struct {
	buckets multiLimiter
	guards  []*windowGuard
}

// Wait waits for a token and a window slot; the slot is given back at once
// as answered (callers outside the transport cannot report answers).
func (l *windowLimiter) Wait(ctx context.Context) error {
	release, err := l.Acquire(ctx)
	if err == nil {
		release()
	}
	return err
}

// Acquire waits for a token and a slot of every window; release gives the
// slots back once the request's answer arrived (Slots).
func (l *windowLimiter) Acquire(ctx context.Context) (func(), error) {
	if err := l.buckets.Wait(ctx); err != nil {
		return nil, err
	}
	held := make([]func(), 0, len(l.guards))
	releaseAll := func() {
		for _, r := range held {
			r()
		}
	}
	for _, g := range l.guards {
		r, err := g.acquire(ctx)
		if err != nil {
			for _, g2 := range l.guards[:len(held)] {
				g2.cancel()
			}
			return nil, err
		}
		held = append(held, r)
	}
	return releaseAll, nil
}

// windowGuard keeps one documented window: at most N requests of this
// client between "sent" and "answered + Per".
type windowGuard struct {
	n   int
	per time.Duration

	mu    sync.Mutex
	busy  int         // slots held by requests in flight
	freed []time.Time // slots answered, free again at these times (ascending)
	wake  chan struct{}
}

func newWindowGuard(w Window) *windowGuard {
	return &windowGuard{n: w.N, per: w.Per, wake: make(chan struct{})}
}

// acquire takes a slot, waiting for one to come free. It fails at once
// with a *DelayError when the earliest free slot lies past the context's
// deadline.
func (g *windowGuard) acquire(ctx context.Context) (func(), error) {
	for {
		g.mu.Lock()
		now := time.Now()
		i := 0
		for i < len(g.freed) && !g.freed[i].After(now) {
			i++
		}
		g.freed = g.freed[i:]
		if g.busy+len(g.freed) < g.n {
			g.busy++
			g.mu.Unlock()
			var once sync.Once
			return func() { once.Do(g.release) }, nil
		}
		var wait time.Duration // 0: until a slot is released
		if len(g.freed) > 0 {
			wait = g.freed[0].Sub(now)
			if dl, ok := ctx.Deadline(); ok && g.freed[0].After(dl) {
				g.mu.Unlock()
				return nil, &DelayError{Delay: wait, Reason: reasonLimiter, PastDeadline: true}
			}
		}
		wake := g.wake
		g.mu.Unlock()
		if err := sleepOrWake(ctx, wake, wait); err != nil {
			return nil, err
		}
	}
}

// sleepOrWake waits until wake is closed, d has passed (d > 0; with d <= 0
// only wake counts), or ctx ends, whose error it then returns.
func sleepOrWake(ctx context.Context, wake <-chan struct{}, d time.Duration) error {
	var fire <-chan time.Time
	if d > 0 {
		t := time.NewTimer(d)
		defer t.Stop()
		fire = t.C
	}
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-wake:
	case <-fire:
	}
	return nil
}

// release frees a slot Per after now: the request it covered has been
// answered.
func (g *windowGuard) release() {
	g.mu.Lock()
	g.busy--
	g.freed = append(g.freed, time.Now().Add(g.per))
	close(g.wake)
	g.wake = make(chan struct{})
	g.mu.Unlock()
}

// cancel frees a slot whose request was never sent.
func (g *windowGuard) cancel() {
	g.mu.Lock()
	g.busy--
	close(g.wake)
	g.wake = make(chan struct{})
	g.mu.Unlock()
}

// multiLimiter waits for a token from each of several buckets. It reserves
// from all of them at once so that a request which cannot be granted before
// the context deadline gives every token back and fails at once.
type multiLimiter []*rate.Limiter

const (
	reasonLimiter = "client-side rate limit"
	reasonServer  = "server rate limit (X-RateLimit-Remaining reached 0, or 429 Retry-After)"
)

func (m multiLimiter) Wait(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	now := time.Now()
	res := make([]*rate.Reservation, 0, len(m))
	var delay time.Duration
	for _, l := range m {
		r := l.ReserveN(now, 1)
		if !r.OK() {
			cancelAll(res, now)
			return fmt.Errorf("client-side rate limit: burst of %d cannot grant a request", l.Burst())
		}
		res = append(res, r)
		delay = max(delay, r.DelayFrom(now))
	}
	if delay == 0 {
		return nil
	}
	if dl, ok := ctx.Deadline(); ok && now.Add(delay).After(dl) {
		cancelAll(res, now)
		return &DelayError{Delay: delay, Reason: reasonLimiter, PastDeadline: true}
	}
	if err := poll.Sleep(ctx, delay); err != nil {
		cancelAll(res, time.Now())
		return err
	}
	return nil
}

func cancelAll(res []*rate.Reservation, at time.Time) {
	for _, r := range res {
		r.CancelAt(at)
	}
}

// Gate holds every request of a client until a time the server named: the
// X-RateLimit-Reset after X-RateLimit-Remaining reached 0, or a 429's
// Retry-After. It is shared by all goroutines of the client, so one 429
// pauses them all instead of each earning its own.
type Gate struct {
	mu    sync.Mutex
	until time.Time
	// max is the longest hold the gate will sleep through; a longer one
	// fails fast with ErrRateLimited so the caller can decide.
	max time.Duration
}

// NewGate returns a Gate that sleeps through holds up to maxHold.
func NewGate(maxHold time.Duration) *Gate { return &Gate{max: maxHold} }

// HoldUntil extends the hold to t (it never shortens it).
func (g *Gate) HoldUntil(t time.Time) {
	g.mu.Lock()
	if t.After(g.until) {
		g.until = t
	}
	g.mu.Unlock()
}

// Wait sleeps until the hold ends. It returns a *DelayError without waiting
// when the hold ends after the context deadline or is longer than max.
func (g *Gate) Wait(ctx context.Context) error {
	g.mu.Lock()
	until := g.until
	g.mu.Unlock()
	d := time.Until(until)
	if d <= 0 {
		return nil
	}
	if dl, ok := ctx.Deadline(); ok && until.After(dl) {
		return &DelayError{Delay: d, Reason: reasonServer, PastDeadline: true}
	}
	if g.max > 0 && d > g.max {
		return &DelayError{Delay: d, Reason: reasonServer}
	}
	return poll.Sleep(ctx, d)
}
