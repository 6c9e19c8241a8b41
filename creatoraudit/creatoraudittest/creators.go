package creatoraudittest

import (
	"net/http"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/creatorkit/creatorkit-go/creatoraudit"
)

func (s *Server) listCreators(w http.ResponseWriter, r *http.Request) {
	active, ok := s.boolParam(w, r, "is_active")
	if !ok {
		return
	}
	_, desc, ok := s.order(w, r, "name", false, "name")
	if !ok {
		return
	}
	now := time.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	var list []*creator
	for _, c := range s.creators {
		if active == nil || c.isActive == *active {
			list = append(list, c)
		}
	}
	sort.SliceStable(list, func(i, j int) bool {
		a, b := strings.ToLower(list[i].name), strings.ToLower(list[j].name)
		if a != b {
			return (a < b) != desc
		}
		return list[i].seq < list[j].seq
	})
	dir := "asc"
	if desc {
		dir = "desc"
	}
	s.page(w, r, RouteCreatorsList, len(list), func(i int) map[string]any { return s.renderCreator(list[i], now) }, map[string]any{"is_active": active, "order_by": "name", "order_direction": dir})
}

type creatorBody struct {
	Name     *string        `json:"name"`
	IsActive *bool          `json:"is_active"`
	Metadata map[string]any `json:"metadata"`
}

func (s *Server) checkCreator(w http.ResponseWriter, r *http.Request, b creatorBody) bool {
	if b.Name != nil {
		if n := utf8.RuneCountInString(strings.TrimSpace(*b.Name)); n < 1 || n > 255 {
			s.invalid(w, r, "name", "must be 1 to 255 characters")
			return false
		}
	}
	if len(b.Metadata) > 20 {
		s.invalid(w, r, "metadata", "at most 20 keys")
		return false
	}
	for k, v := range b.Metadata {
		if str, ok := v.(string); utf8.RuneCountInString(k) > 255 || (ok && utf8.RuneCountInString(str) > 255) {
			s.invalid(w, r, "metadata", "keys and values are at most 255 characters")
			return false
		}
	}
	return true
}

func (s *Server) createCreator(w http.ResponseWriter, r *http.Request) {
	now := time.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	key, replayed := s.replay(w, r, RouteCreatorsCreate, now)
	if replayed {
		return
	}
	var b creatorBody
	if !s.decode(w, r, &b) {
		return
	}
	if b.Name == nil {
		s.invalid(w, r, "name", "is required")
		return
	}
	if !s.checkCreator(w, r, b) {
		return
	}
	c := &creator{id: s.nextID(3), name: strings.TrimSpace(*b.Name), isActive: true, metadata: map[string]any{}}
	c.seq = s.seq
	if b.IsActive != nil {
		c.isActive = *b.IsActive
	}
	if b.Metadata != nil {
		c.metadata = b.Metadata
	}
	s.creators = append(s.creators, c)
	s.created(w, key, now, s.renderCreator(c, now))
}

func (s *Server) getCreator(w http.ResponseWriter, r *http.Request) {
	now := time.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.findCreator(r.PathValue("id"))
	if c == nil {
		s.notFound(w, r, "Creator")
		return
	}
	reply(w, r, http.StatusOK, map[string]any{"data": s.renderCreator(c, now)})
}

func (s *Server) updateCreator(w http.ResponseWriter, r *http.Request) {
	var b creatorBody
	if !s.decode(w, r, &b) || !s.checkCreator(w, r, b) {
		return
	}
	now := time.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.findCreator(r.PathValue("id"))
	if c == nil {
		s.notFound(w, r, "Creator")
		return
	}
	if b.Name != nil {
		c.name = strings.TrimSpace(*b.Name)
	}
	if b.IsActive != nil {
		c.isActive = *b.IsActive
		for _, a := range s.accounts { // pausing a creator pauses its accounts
			if a.creatorID == c.id {
				a.isActive = *b.IsActive
			}
		}
	}
	if b.Metadata != nil {
		c.metadata = b.Metadata
	}
	reply(w, r, http.StatusOK, map[string]any{"data": s.renderCreator(c, now)})
}

func (s *Server) deleteCreator(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	id := r.PathValue("id")
	for i, c := range s.creators {
		if c.id == id {
			s.creators = append(s.creators[:i:i], s.creators[i+1:]...)
			for _, a := range s.accounts {
				if a.creatorID == id {
					a.creatorID = ""
				}
			}
			w.WriteHeader(http.StatusNoContent)
			return
		}
	}
	s.notFound(w, r, "Creator")
}

func (s *Server) linkAccount(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, a := s.findCreator(r.PathValue("id")), s.findAccount(r.PathValue("account_id"))
	switch {
	case c == nil:
		s.notFound(w, r, "Creator")
		return
	case a == nil:
		s.notFound(w, r, "Account")
		return
	case a.creatorID == c.id:
		reply(w, r, http.StatusOK, map[string]any{"data": map[string]any{"creator_id": c.id, "account_id": a.id}})
		return
	case a.creatorID != "":
		s.problem(w, r, http.StatusConflict, creatoraudit.CodeConflict, "Account is linked to another creator; unlink it first.")
		return
	}
	a.creatorID = c.id
	w.Header().Set("Location", r.URL.Path)
	reply(w, r, http.StatusCreated, map[string]any{"data": map[string]any{"creator_id": c.id, "account_id": a.id}})
}

func (s *Server) unlinkAccount(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, a := s.findCreator(r.PathValue("id")), s.findAccount(r.PathValue("account_id"))
	if c == nil || a == nil || a.creatorID != c.id {
		s.notFound(w, r, "Link")
		return
	}
	a.creatorID = ""
	w.WriteHeader(http.StatusNoContent)
}

// creatorTotals sums a creator's scraped accounts over a window. Callers
// hold s.mu.
func (s *Server) creatorTotals(c *creator, x win, platform creatoraudit.Platform, now time.Time) (metricValues, int64) {
	var m metricValues
	var fol int64
	for _, a := range s.accounts {
		if a.creatorID != c.id || a.unavailable || now.Before(a.scrapeAt) || (platform != "" && a.platform != platform) {
			continue
		}
		m = m.add(metricsFor(hash(a.id), x.days, a.platform))
		fol += followers(hash(a.id))
	}
	return m, fol
}

func (s *Server) topCreators(w http.ResponseWriter, r *http.Request) {
	x, ok := s.queryWindow(w, r, "30d", false)
	if !ok {
		return
	}
	limit, ok := s.limitParam(w, r, 10, creatoraudit.MaxSearchLimit)
	if !ok {
		return
	}
	platform, ok := s.platformParam(w, r)
	if !ok {
		return
	}
	metric := r.URL.Query().Get("metric")
	if metric == "" {
		metric = "views"
	}
	now := time.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	type row struct {
		c   *creator
		m   metricValues
		fol int64
	}
	var rows []row
	for _, c := range s.creators {
		if !c.isActive {
			continue
		}
		m, fol := s.creatorTotals(c, x, platform, now)
		rows = append(rows, row{c, m, fol})
	}
	score := func(r row) float64 {
		switch metric {
		case "likes":
			return float64(r.m.likes)
		case "followers":
			return float64(r.fol)
		case "engagement_rate":
			return r.m.er
		}
		return float64(r.m.views)
	}
	sort.SliceStable(rows, func(i, j int) bool { return score(rows[i]) > score(rows[j]) })
	data := []map[string]any{}
	for i, rw := range rows {
		if i == limit {
			break
		}
		m := rw.m.json()
		m["rank"], m["id"], m["name"], m["followers"] = i+1, rw.c.id, rw.c.name, rw.fol
		data = append(data, m)
	}
	meta := x.json()
	meta["limit"], meta["metric"] = limit, metric
	reply(w, r, http.StatusOK, map[string]any{"data": data, "meta": meta})
}

func (s *Server) creatorAnalytics(timeseries bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		x, ok := s.queryWindow(w, r, "30d", true)
		if !ok {
			return
		}
		now := time.Now()
		s.mu.Lock()
		defer s.mu.Unlock()
		c := s.findCreator(r.PathValue("id"))
		if c == nil {
			s.notFound(w, r, "Creator")
			return
		}
		m, fol := s.creatorTotals(c, x, "", now)
		var pts []map[string]any
		for i := 0; i < x.days; i++ {
			var day metricValues
			for _, a := range s.accounts {
				if a.creatorID == c.id && !a.unavailable && !now.Before(a.scrapeAt) {
					day = day.add(valuesOf(daily(hash(a.id), i), a.platform, hash(a.id)))
				}
			}
			p := day.json()
			p["date"] = x.start.AddDate(0, 0, i).Format(time.DateOnly)
			pts = append(pts, p)
		}
		data := x.json()
		if timeseries {
			data["type"], data["points"] = "timeseries", pts
		} else {
			for k, v := range m.json() {
				data[k] = v
			}
			data["type"], data["followers"], data["series"] = "creator_analytics", fol, pts
		}
		reply(w, r, http.StatusOK, map[string]any{"data": data})
	}
}
