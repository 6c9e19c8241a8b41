package engagechecktest

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/creatorkit/creatorkit-go/engagecheck"
	"github.com/creatorkit/creatorkit-go/internal/fake"
)

func pollURL(id int64) string { return "/api/v1/audits/" + strconv.FormatInt(id, 10) }

// decode reads a JSON body, answering 400 for a malformed one.
func (s *Server) decode(w http.ResponseWriter, r *http.Request, v any) bool {
	return s.f.DecodeJSON(w, r, v, "Missing or malformed input: the body must be JSON.")
}

func (s *Server) checkWebhook(w http.ResponseWriter, raw string) bool {
	if raw == "" {
		return true
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		s.f.Error(w, http.StatusBadRequest, "webhook_url must be an https URL (http is allowed for local testing).")
		return false
	}
	return true
}

func webhookField(raw string) any {
	if raw == "" {
		return nil
	}
	return raw
}

func (s *Server) create(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Username   string `json:"username"`
		WebhookURL string `json:"webhook_url"`
	}
	if !s.decode(w, r, &body) || !s.checkWebhook(w, body.WebhookURL) {
		return
	}
	name, err := engagecheck.NormalizeUsername(body.Username)
	if err != nil || name == "" {
		s.f.Error(w, http.StatusBadRequest, "Missing or malformed input: username is required.")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	now := time.Now() // under the lock: the clock never goes back between requests
	s.settleDue(now)
	if s.credits < 1 {
		s.f.Error(w, http.StatusPaymentRequired, "The key has no credits left to cover the request.")
		return
	}
	s.credits--
	s.f.Stats().Charge(RouteCreate, 1)
	if prev := s.fresh(name, now); prev != nil {
		a := s.newAudit(name, body.WebhookURL, now, now.Add(-s.Scale(s.cfg.durations.Total())))
		a.report = prev.report
		m := s.full(a, now)
		m["credits_remaining"], m["poll_url"], m["webhook_url"] = s.credits, pollURL(a.id), webhookField(body.WebhookURL)
		fake.JSON(w, http.StatusOK, m)
		return
	}
	a := s.newAudit(name, body.WebhookURL, now, now)
	fake.JSON(w, http.StatusAccepted, map[string]any{"id": a.id, "username": a.username, "status": engagecheck.StatusPending,
		"credits_remaining": s.credits, "poll_url": pollURL(a.id), "webhook_url": webhookField(body.WebhookURL)})
}

func (s *Server) batch(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Usernames  []string `json:"usernames"`
		WebhookURL string   `json:"webhook_url"`
	}
	if !s.decode(w, r, &body) || !s.checkWebhook(w, body.WebhookURL) {
		return
	}
	var names []string
	seen := map[string]bool{}
	for _, u := range body.Usernames {
		n, err := engagecheck.NormalizeUsername(u)
		if err != nil || n == "" || seen[n] {
			continue // duplicates and blanks are dropped
		}
		seen[n] = true
		names = append(names, n)
	}
	switch {
	case len(names) == 0:
		s.f.Error(w, http.StatusBadRequest, "Missing or malformed input: usernames must hold at least one handle.")
		return
	case len(names) > engagecheck.MaxBatch:
		s.f.Error(w, http.StatusBadRequest, fmt.Sprintf("Missing or malformed input: a batch takes at most %d handles, got %d.", engagecheck.MaxBatch, len(names)))
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	now := time.Now() // under the lock: the clock never goes back between requests
	s.settleDue(now)
	if s.credits < len(names) {
		s.f.Error(w, http.StatusPaymentRequired, fmt.Sprintf("The key has no credits left to cover the request: the batch needs %d credits and %d remain.", len(names), s.credits))
		return
	}
	s.credits -= len(names)
	s.f.Stats().Charge(RouteBatch, len(names))
	rows := make([]map[string]any, 0, len(names))
	start := now
	for _, n := range names {
		if prev := s.fresh(n, now); prev != nil {
			a := s.newAudit(n, body.WebhookURL, now, now.Add(-s.Scale(s.cfg.durations.Total())))
			a.report = prev.report
			rows = append(rows, map[string]any{"id": a.id, "username": n, "status": engagecheck.StatusComplete, "poll_url": pollURL(a.id)})
			continue
		}
		a := s.newAudit(n, body.WebhookURL, now, start)
		if s.cfg.sequential {
			start = a.done
		}
		rows = append(rows, map[string]any{"id": a.id, "username": n, "status": engagecheck.StatusPending, "poll_url": pollURL(a.id)})
	}
	fake.JSON(w, http.StatusAccepted, map[string]any{"results": rows, "credits_remaining": s.credits, "webhook_url": webhookField(body.WebhookURL)})
}

func (s *Server) list(w http.ResponseWriter, r *http.Request) {
	limit, offset := 25, 0
	q := r.URL.Query()
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil || n < 1 || n > engagecheck.MaxListLimit {
			s.f.Error(w, http.StatusBadRequest, "Missing or malformed input: limit must be an integer from 1 to 100.")
			return
		}
		limit = n
	}
	if v := q.Get("offset"); v != "" {
		n, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil || n < 0 {
			s.f.Error(w, http.StatusBadRequest, "Missing or malformed input: offset must be a non-negative integer.")
			return
		}
		offset = n
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	now := time.Now() // under the lock: the clock never goes back between requests
	s.settleDue(now)
	data := []map[string]any{}
	for i := len(s.audits) - 1 - offset; i >= 0 && len(data) < limit; i-- {
		data = append(data, s.summary(s.audits[i], now))
	}
	fake.JSON(w, http.StatusOK, map[string]any{"data": data, "count": len(data), "limit": limit, "offset": offset})
}

func (s *Server) get(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	s.mu.Lock()
	defer s.mu.Unlock()
	now := time.Now() // under the lock: the clock never goes back between requests
	s.settleDue(now)
	a := s.byID[id]
	if err != nil || a == nil {
		s.f.Error(w, http.StatusNotFound, "No report exists for the requested id.")
		return
	}
	fake.JSON(w, http.StatusOK, s.full(a, now))
}

func (s *Server) getCredits(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.settleDue(time.Now())
	prefix := s.cfg.key
	if len(prefix) > 14 {
		prefix = prefix[:14]
	}
	fake.JSON(w, http.StatusOK, map[string]any{"credits_remaining": s.credits, "rate_limit_per_min": s.cfg.window.N, "key_prefix": prefix})
}
