package engagechecktest

import (
	"cmp"
	"slices"
	"time"

	"github.com/creatorkit/creatorkit-go/engagecheck"
)

const (
	dbLayout  = "2006-01-02 15:04:05"
	genLayout = "2006-01-02T15:04:05.000Z"
)

// audit is one audit's record. Its status is derived from the clock: it
// is pending until start+Pending, scraping, analyzing, then settled at
// done. settled marks that the refund and webhook have happened.
type audit struct {
	id         int64
	username   string
	webhookURL string
	created    time.Time
	start      time.Time // when its turn in the batch came
	done       time.Time
	outcome    Outcome
	report     *engagecheck.Report
	settled    bool
}

func (s *Server) statusAt(a *audit, now time.Time) engagecheck.AuditStatus {
	d := s.cfg.durations
	switch {
	case now.Before(a.start.Add(s.Scale(d.Pending))):
		return engagecheck.StatusPending
	case now.Before(a.start.Add(s.Scale(d.Pending + d.Scraping))):
		return engagecheck.StatusScraping
	case now.Before(a.done):
		return engagecheck.StatusAnalyzing
	case a.outcome.Fail != "":
		return engagecheck.StatusError
	}
	return engagecheck.StatusComplete
}

// newAudit records an audit that starts at start (its turn in a batch)
// and settles it when it ends. Callers hold s.mu.
func (s *Server) newAudit(username, webhook string, now, start time.Time) *audit {
	a := s.record(username, webhook, now, start)
	s.f.At(a.done, func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		s.settleDue(time.Now())
	})
	return a
}

// record records an audit that starts at start. Callers hold s.mu.
func (s *Server) record(username, webhook string, now, start time.Time) *audit {
	a := &audit{id: s.nextID, username: username, webhookURL: webhook, created: now, start: start,
		done: start.Add(s.Scale(s.cfg.durations.Total())), outcome: s.cfg.outcome(username)}
	s.nextID++
	if a.outcome.Fail == "" {
		a.report = a.outcome.Report
		if a.report == nil {
			a.report = generateReport(username, s.clock.Date(a.done), a.done)
		}
		s.remember(a, now)
	}
	s.audits = append(s.audits, a)
	s.byID[a.id] = a
	s.due.Add(a.done, a)
	return a
}

// remember lists a complete audit under its handle for fresh, dropping
// the oldest ones that can never be fresh again (handlers read the clock
// under the lock, so no later request has an earlier now). Callers hold
// s.mu.
func (s *Server) remember(a *audit, now time.Time) {
	if s.cfg.freshFor <= 0 {
		return
	}
	list := s.byName[a.username]
	drop := 0
	for drop < len(list) && now.Sub(list[drop].done) > s.Scale(s.cfg.freshFor) {
		drop++
	}
	if drop > 0 {
		list = append(list[:0:0], list[drop:]...)
	}
	s.byName[a.username] = append(list, a)
}

// fresh returns the newest complete audit of username finished within
// freshFor. Callers hold s.mu.
func (s *Server) fresh(username string, now time.Time) *audit {
	if s.cfg.freshFor <= 0 {
		return nil
	}
	list := s.byName[username]
	for i := len(list) - 1; i >= 0; i-- {
		a := list[i]
		if !a.done.After(now) && now.Sub(a.done) <= s.Scale(s.cfg.freshFor) {
			return a
		}
	}
	return nil
}

// settleDue refunds and notifies for every audit that has finished, in
// the order the audits were created. Callers hold s.mu.
func (s *Server) settleDue(now time.Time) {
	if !s.pausedAt.IsZero() {
		return // stopped: nothing moves until Resume
	}
	due := s.due.Pop(now)
	slices.SortFunc(due, func(x, y *audit) int { return cmp.Compare(x.id, y.id) })
	for _, a := range due {
		if a.settled {
			continue
		}
		a.settled = true
		if a.outcome.Fail != "" {
			s.credits++
			s.f.Stats().Charge("refunds", -1)
		}
		if a.webhookURL != "" {
			s.notify(a)
		}
	}
}

func (s *Server) webhookBody(a *audit) map[string]any {
	if a.outcome.Fail != "" {
		return map[string]any{"event": engagecheck.EventAuditFailed, "id": a.id, "username": a.username, "error": a.outcome.Fail}
	}
	return map[string]any{"event": engagecheck.EventAuditCompleted, "id": a.id, "username": a.username,
		"aqs": a.report.AQS, "verdict": a.report.Verdict, "report": a.report, "credits_remaining": s.credits}
}

// full renders GET /audits/{id}. Callers hold s.mu.
func (s *Server) full(a *audit, now time.Time) map[string]any {
	st := s.statusAt(a, now)
	m := map[string]any{"id": a.id, "username": a.username, "status": st, "error_message": nil,
		"created_at": a.created.UTC().Format(dbLayout), "completed_at": nil}
	switch st {
	case engagecheck.StatusComplete:
		m["aqs"], m["verdict"], m["report"] = a.report.AQS, a.report.Verdict, a.report
		m["completed_at"] = a.done.UTC().Format(dbLayout)
	case engagecheck.StatusError:
		m["error_message"] = a.outcome.Fail
		m["completed_at"] = a.done.UTC().Format(dbLayout)
	}
	return m
}

// summary renders a GET /audits row. Callers hold s.mu.
func (s *Server) summary(a *audit, now time.Time) map[string]any {
	st := s.statusAt(a, now)
	m := map[string]any{"id": a.id, "username": a.username, "status": st, "created_at": a.created.UTC().Format(dbLayout), "completed_at": nil}
	if st.Terminal() {
		m["completed_at"] = a.done.UTC().Format(dbLayout)
	}
	if st == engagecheck.StatusComplete {
		m["aqs"], m["verdict"] = a.report.AQS, a.report.Verdict
	}
	return m
}
