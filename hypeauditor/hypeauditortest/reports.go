package hypeauditortest

import (
	"fmt"
	"maps"
	"math"
	"net/http"
	"strings"
	"time"

	"github.com/creatorkit/creatorkit-go/hypeauditor"
)

// unlockFor is how long an unlocked report stays accessible: a year,
// virtual for the fake's own rule (a request after a scaled year charges
// again), real for the validUntil it sends (see serveReport).
const unlockFor = 365 * 24 * time.Hour

// report is one unlocked report. Its state comes from the clock: NOT_READY
// until ready, then the outcome; settled marks that a failed report's
// credit was refunded.
type report struct {
	seq     int // its place in s.order
	network hypeauditor.Platform
	acct    *account
	route   string
	paid    time.Time
	ready   time.Time
	outcome Outcome
	settled bool
}

func (r *report) failure() bool {
	st := r.outcome.State
	return st != "" && !st.Ready() && st != hypeauditor.StateReportCalculating
}

func (r *report) state() hypeauditor.ReportState {
	if r.outcome.State == hypeauditor.StateReadyLowConfidence {
		return hypeauditor.StateReadyLowConfidence
	}
	return hypeauditor.StateReady
}

// settleDue refunds every failed report whose generation has ended (a
// refunded report leaves reportsUnlocked). Callers hold s.mu.
func (s *Server) settleDue(now time.Time) {
	for _, r := range s.due.Pop(now) {
		if !r.failure() {
			r.settled = true
			continue
		}
		s.unlockedQ.Change(r, func() { r.settled = true })
		s.credits++
		s.f.Stats().Charge(r.route, -1)
	}
}

// unlock returns the account's report, unlocking it (one credit,
// charged to route) and starting its generation on first sight or once a
// year has passed; nil after answering 402 when no credit is left.
// Callers hold s.mu.
func (s *Server) unlock(w http.ResponseWriter, route string, a *account, now time.Time) *report {
	s.settleDue(now)
	s.arrive(route, a)
	key := string(a.network) + "/" + a.id
	rep := s.reports[key]
	if rep == nil || now.After(rep.paid.Add(s.Scale(unlockFor))) {
		if s.credits < 1 {
			s.fail(w, http.StatusPaymentRequired, "", "Not enough credits")
			return nil
		}
		s.credits--
		s.unlockCount++
		s.f.Stats().Charge(route, 1)
		out := s.cfg.outcome(a.network, a.username)
		if a.state != "" {
			out.State = a.state
		}
		gen := out.Generation
		if gen <= 0 {
			gen = s.cfg.generation
		}
		rep = &report{seq: len(s.order), network: a.network, acct: a, route: route, paid: now, ready: now.Add(s.Scale(gen)), outcome: out}
		s.reports[key] = rep
		s.order = append(s.order, rep)
		s.due.Add(rep.ready, rep)
		s.unlockedQ.Add(rep)
		s.f.At(rep.ready, func() {
			s.mu.Lock()
			defer s.mu.Unlock()
			s.settleDue(time.Now())
		})
	}
	return rep
}

// serveReport runs the report life cycle for one request: unlock (one
// credit) on first sight, 202 with retryTtl while generating, then the
// report or the outcome's error. Callers hold s.mu.
func (s *Server) serveReport(w http.ResponseWriter, route string, a *account, render func(*report) map[string]any) {
	now := time.Now()
	rep := s.unlock(w, route, a, now)
	if rep == nil {
		return
	}
	if now.Before(rep.ready) {
		if rep.outcome.State == hypeauditor.StateReportCalculating {
			ok(w, http.StatusAccepted, map[string]any{"report_state": hypeauditor.StateReportCalculating})
			return
		}
		ok(w, http.StatusAccepted, map[string]any{"report_state": hypeauditor.StateNotReady, "retryTtl": s.ttl()})
		return
	}
	if rep.failure() {
		s.failReport(w, rep.outcome.State)
		return
	}
	body := render(rep)
	body["report_state"] = rep.state()
	body["restTokens"] = s.credits
	// validUntil is what the real API sends, epoch seconds of real time:
	// the moment the report was unlocked plus 365 days, unscaled, so a
	// client can tell from it when the report was paid for (the SDK
	// does). The fake's own unlock still lasts a year on its time scale.
	body["validUntil"] = rep.paid.Add(unlockFor).Unix()
	ok(w, http.StatusOK, body)
}

// arrive counts a report request that reached the report logic. Callers
// hold s.mu.
func (s *Server) arrive(route string, a *account) {
	m := s.arrivals[route]
	if m == nil {
		m = map[string]int{}
		s.arrivals[route] = m
	}
	m[string(a.network)+"/"+a.username]++
}

// Arrivals returns how many report requests of a route (RouteReport,
// ...) reached HypeAuditor's report logic, per account
// ("instagram/natgeo": the network and the username the fake knows the
// account by, also for requests by user id). Each is a request the real
// API would have processed, whether it charged or not; a copy of a
// request that net/http sent again behind the client's back counts as a
// second arrival. Requests refused before the handler (injected faults,
// the rate limit, bad credentials, unknown ids) do not count.
func (s *Server) Arrivals(route string) map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return maps.Clone(s.arrivals[route])
}

// ttl is retryTtl in real seconds: whole seconds at real time, fractions
// when the fake runs scaled.
func (s *Server) ttl() any {
	sec := s.Scale(s.cfg.retryTTL).Seconds()
	if s.f.TimeScale() == 1 {
		return int(math.Ceil(sec))
	}
	return math.Ceil(sec*1000) / 1000
}

// failReport answers an unavailable report [INFERRED statuses].
func (s *Server) failReport(w http.ResponseWriter, st hypeauditor.ReportState) {
	switch st {
	case hypeauditor.StatePrivate:
		s.fail(w, http.StatusForbidden, "", "Account is private")
	case hypeauditor.StateNoPosts:
		s.fail(w, http.StatusForbidden, "", "Account has no posts")
	case hypeauditor.StateRestricted:
		s.fail(w, http.StatusForbidden, "", string(st))
	case hypeauditor.StateChannelNotFound, hypeauditor.StateDeleted:
		s.fail(w, http.StatusNotFound, "", string(st))
	default:
		s.fail(w, http.StatusBadRequest, "", string(st))
	}
}

func param(r *http.Request, name string) string {
	return strings.TrimSpace(r.URL.Query().Get(name))
}

func (s *Server) invalid(w http.ResponseWriter) {
	s.fail(w, http.StatusBadRequest, hypeauditor.CodeInvalidRequest, "Invalid request")
}

func (s *Server) notFound(w http.ResponseWriter) {
	s.fail(w, http.StatusNotFound, hypeauditor.CodeObjectNotFound, "Object not found")
}

// pick returns the account named by the request: by a name parameter, or
// by user_id among the accounts the fake knows. Callers hold s.mu.
func (s *Server) pick(w http.ResponseWriter, r *http.Request, n hypeauditor.Platform, nameParam string) *account {
	if id := param(r, "user_id"); id != "" && strings.HasSuffix(r.URL.Path, "ByUserId") {
		a := s.byID(n, id)
		if a == nil {
			s.notFound(w)
		}
		return a
	}
	name := strings.TrimPrefix(param(r, nameParam), "@")
	if name == "" || strings.HasSuffix(r.URL.Path, "ByUserId") {
		s.invalid(w)
		return nil
	}
	if n == hypeauditor.YouTube {
		if a := s.byID(n, name); a != nil {
			return a
		}
	}
	return s.byName(n, name)
}

func (s *Server) instagram(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.pick(w, r, hypeauditor.Instagram, "username")
	if a == nil {
		return
	}
	s.serveReport(w, routeOf(r), a, s.instagramBody)
}

func (s *Server) tiktok(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.pick(w, r, hypeauditor.TikTok, "channel")
	if a == nil {
		return
	}
	s.serveReport(w, routeOf(r), a, s.tiktokBody)
}

func (s *Server) youtube(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.pick(w, r, hypeauditor.YouTube, "channel")
	if a == nil {
		return
	}
	s.serveReport(w, RouteYouTube, a, s.youtubeBody)
}

func (s *Server) channelReport(n hypeauditor.Platform) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		defer s.mu.Unlock()
		a := s.pick(w, r, n, "channel")
		if a == nil {
			return
		}
		s.serveReport(w, routeOf(r), a, s.networkBody)
	}
}

func (s *Server) twitchHistory(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.pick(w, r, hypeauditor.Twitch, "channel")
	if a == nil {
		return
	}
	s.serveReport(w, RouteTwitchHistory, a, s.historyBody)
}

// media serves Account Media: 403 code 15 until the Instagram report is
// unlocked and ready.
func (s *Server) media(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	name := param(r, "username")
	if name == "" {
		s.invalid(w)
		return
	}
	a := s.byName(hypeauditor.Instagram, name)
	now := time.Now()
	s.settleDue(now)
	rep := s.reports[string(a.network)+"/"+a.id]
	if rep == nil || now.Before(rep.ready) || rep.failure() {
		s.fail(w, http.StatusForbidden, hypeauditor.CodeAccessDenied, "Access denied")
		return
	}
	media := map[string]any{}
	h := hash(a.id, "media")
	p := profileOf(a)
	for i := 0; i < 3; i++ {
		id := fmt.Sprint(3391234567890000000 + h%1000000 + uint64(i))
		f := 0.8 + 0.2*float64(i) // the three posts around the account's averages
		media[id] = map[string]any{
			"basic": map[string]any{"id": id, "code": fmt.Sprintf("C%x", h%0xffffff+uint64(i)), "type": []string{"post", "reel", "carousel"}[i],
				"time_posted": rep.paid.Add(-time.Duration(i+1) * 24 * time.Hour).Unix(), "caption": fmt.Sprintf("Post %d of @%s", i+1, a.username)},
			"metrics": map[string]any{"likes_count": math.Round(p.likes * f), "comments_count": math.Round(p.comments * f), "er": map[string]any{"value": round2(a.er * f)},
				"er_mark": a.u.ERMark()},
		}
	}
	ok(w, http.StatusOK, map[string]any{"media": media})
}

// routeOf names the method of a request.
func routeOf(r *http.Request) string {
	return r.URL.Path[strings.LastIndex(r.URL.Path, "/")+1:]
}

func round2(f float64) float64 { return math.Round(f*100) / 100 }
