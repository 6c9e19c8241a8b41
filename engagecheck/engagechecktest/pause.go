package engagechecktest

import (
	"net/http"
	"time"

	"github.com/creatorkit/creatorkit-go/internal/fake"
)

// notify sends a's webhook: lost (WithWebhookLoss), later
// (WithWebhookDelay) or now. Callers hold s.mu.
func (s *Server) notify(a *audit) {
	if s.cfg.hookLoss > 0 && s.rng.Float64() < s.cfg.hookLoss {
		s.lost++
		return
	}
	body := s.webhookBody(a)
	if s.cfg.hookDelay <= 0 {
		s.f.PostJSON(&s.deliveries, a.webhookURL, body)
		return
	}
	s.f.After(s.cfg.hookDelay, func() { s.f.PostJSON(&s.deliveries, a.webhookURL, body) })
}

// LostWebhooks returns how many webhooks WithWebhookLoss dropped.
func (s *Server) LostWebhooks() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.lost
}

// Pause stops the fake EngageCheck, keeping its state, as an outage
// would: every request is answered 503 until Resume, no audit moves on
// (one that was running resumes where it stopped, so it settles as much
// later as the pause lasted), and no webhook is sent (one already on its
// way with WithWebhookDelay still arrives). Pausing a paused fake does
// nothing.
func (s *Server) Pause() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.pausedAt.IsZero() {
		s.pausedAt = time.Now()
	}
}

// Resume restarts a paused fake where it stopped.
func (s *Server) Resume() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.pausedAt.IsZero() {
		return
	}
	now := time.Now()
	pausedAt, d := s.pausedAt, now.Sub(s.pausedAt)
	s.pausedAt = time.Time{}
	s.due = fake.Due[*audit]{}
	for _, a := range s.audits {
		if a.settled {
			continue
		}
		if a.done.After(pausedAt) { // it was still running: it goes on from there
			a.start, a.done = a.start.Add(d), a.done.Add(d)
		}
		s.due.Add(a.done, a)
		s.f.At(a.done, func() {
			s.mu.Lock()
			defer s.mu.Unlock()
			s.settleDue(time.Now())
		})
	}
	s.settleDue(now)
}

// unlessPaused answers 503 while the fake is paused.
func (s *Server) unlessPaused(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		paused := !s.pausedAt.IsZero()
		s.mu.Unlock()
		if paused {
			s.f.Error(w, http.StatusServiceUnavailable, "EngageCheck is unavailable; try again later.")
			return
		}
		h(w, r)
	}
}
