package creatoraudittest

import (
	"cmp"
	"fmt"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/creatorkit/creatorkit-go/creatoraudit"
	"github.com/creatorkit/creatorkit-go/internal/fake"
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
	now := s.begin()
	defer s.mu.Unlock()
	list := s.creatorQ.Get(bindingKey(RouteCreatorsList, r.URL.Query()), func() *fake.View[*creator] {
		return fake.NewView(func(c *creator) bool { return active == nil || c.isActive == *active }, func(x, y *creator) int {
			if c := strings.Compare(x.lowerName, y.lowerName); c != 0 {
				if desc {
					return -c
				}
				return c
			}
			return cmp.Compare(x.seq, y.seq) // ties oldest first, either way
		}, s.creators.all)
	})
	dir := "asc"
	if desc {
		dir = "desc"
	}
	s.page(w, r, RouteCreatorsList, list.Len(), func(i int) map[string]any { return s.renderCreator(list.At(i), now) }, map[string]any{"is_active": active, "order_by": "name", "order_direction": dir})
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
	now := s.begin()
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
	c := s.newCreator(strings.TrimSpace(*b.Name))
	s.changeCreator(c, func() {
		if b.IsActive != nil {
			c.isActive = *b.IsActive
		}
		if b.Metadata != nil {
			c.metadata = b.Metadata
		}
	})
	s.created(w, key, now, s.renderCreator(c, now))
}

func (s *Server) getCreator(w http.ResponseWriter, r *http.Request) {
	now := s.begin()
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
	now := s.begin()
	defer s.mu.Unlock()
	c := s.findCreator(r.PathValue("id"))
	if c == nil {
		s.notFound(w, r, "Creator")
		return
	}
	s.changeCreator(c, func() {
		if b.Name != nil {
			c.name = strings.TrimSpace(*b.Name)
			c.lowerName = strings.ToLower(c.name)
		}
		if b.IsActive != nil {
			c.isActive = *b.IsActive
		}
		if b.Metadata != nil {
			c.metadata = b.Metadata
		}
	})
	if b.IsActive != nil {
		for a := range c.accounts { // pausing a creator pauses its accounts
			s.changeAccount(a, func() { a.isActive = *b.IsActive })
		}
	}
	reply(w, r, http.StatusOK, map[string]any{"data": s.renderCreator(c, now)})
}

// changeCreator takes c out of the kept lists, runs change (name, state)
// and puts it back. Callers hold s.mu.
func (s *Server) changeCreator(c *creator, change func()) {
	s.creatorQ.Remove(c)
	s.leaderQ.Remove(c)
	name := c.lowerName
	change()
	s.creatorQ.Add(c)
	s.leaderQ.Add(c)
	if s.text != nil && c.lowerName != name {
		s.text.creators.Add(c, c.lowerName)
	}
}

func (s *Server) deleteCreator(w http.ResponseWriter, r *http.Request) {
	s.begin()
	defer s.mu.Unlock()
	c := s.findCreator(r.PathValue("id"))
	if c == nil {
		s.notFound(w, r, "Creator")
		return
	}
	s.creatorQ.Remove(c)
	s.leaderQ.Remove(c)
	c.deleted = true
	delete(s.creatorByID, c.id)
	s.creators.kill()
	for a := range c.accounts {
		s.changeAccount(a, func() { a.creatorID = "" })
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) linkAccount(w http.ResponseWriter, r *http.Request) {
	s.begin()
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
	s.changeAccount(a, func() { a.creatorID = c.id })
	w.Header().Set("Location", r.URL.Path)
	reply(w, r, http.StatusCreated, map[string]any{"data": map[string]any{"creator_id": c.id, "account_id": a.id}})
}

func (s *Server) unlinkAccount(w http.ResponseWriter, r *http.Request) {
	s.begin()
	defer s.mu.Unlock()
	c, a := s.findCreator(r.PathValue("id")), s.findAccount(r.PathValue("account_id"))
	if c == nil || a == nil || a.creatorID != c.id {
		s.notFound(w, r, "Link")
		return
	}
	s.changeAccount(a, func() { a.creatorID = "" })
	w.WriteHeader(http.StatusNoContent)
}

// windowTotals sums a creator's accounts that count over a window of
// any length. Callers hold s.mu.
func (s *Server) windowTotals(c *creator, x win) (metricValues, int64) {
	var m metricValues
	for a := range c.accounts {
		if a.counted() {
			m = m.add(windowMetrics(accountSource(a), x))
		}
	}
	return m, c.totals.fol[0]
}

// previousTotals are a creator's totals over the window before x (see
// previousMetrics). Callers hold s.mu.
func (s *Server) previousTotals(c *creator, x win) metricValues {
	var m metricValues
	for a := range c.accounts {
		if a.counted() {
			m = m.add(previousMetrics(accountSource(a), x))
		}
	}
	return m
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
	s.begin()
	defer s.mu.Unlock()
	pi, pf := periodIndex(x.days), platformIndex(platform)
	totals := func(c *creator) metricSum { return c.totals.m[pf][pi] }
	score := func(c *creator) float64 {
		switch metric {
		case "likes":
			return float64(totals(c).likes)
		case "followers":
			return float64(c.totals.fol[pf])
		case "engagement_rate":
			return totals(c).values().er
		}
		return float64(totals(c).views)
	}
	board := s.leaderQ.Get(fmt.Sprint(x.days, platform, "|", metric), func() *fake.View[*creator] {
		return fake.NewView(func(c *creator) bool { return c.isActive }, func(a, b *creator) int {
			return cmp.Or(cmpFloat(score(b), score(a)), cmp.Compare(a.seq, b.seq)) // a stable sort keeps creation order
		}, s.creators.all)
	})
	data := []map[string]any{}
	for i := 0; i < board.Len() && i < limit; i++ {
		c := board.At(i)
		m := totals(c).values().json()
		m["rank"], m["id"], m["name"], m["followers"] = i+1, c.id, c.name, c.totals.fol[pf]
		data = append(data, m)
	}
	meta := x.json()
	meta["limit"], meta["metric"] = limit, metric
	reply(w, r, http.StatusOK, map[string]any{"data": data, "meta": meta})
}

// cmpFloat orders scores (never NaN).
func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func (s *Server) creatorAnalytics(timeseries bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		x, ok := s.queryWindow(w, r, "30d", true)
		if !ok {
			return
		}
		s.begin()
		defer s.mu.Unlock()
		c := s.findCreator(r.PathValue("id"))
		if c == nil {
			s.notFound(w, r, "Creator")
			return
		}
		m, fol := s.windowTotals(c, x)
		var pts []map[string]any
		for i := 0; i < x.days; i++ {
			var day metricValues
			for a := range c.accounts {
				if src := accountSource(a); a.counted() && !x.start.AddDate(0, 0, i).Before(src.born) {
					day = day.add(valuesOf(daily(src, i), src))
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
			prev := s.previousTotals(c, x)
			compare(data, &m, &prev)
		}
		reply(w, r, http.StatusOK, map[string]any{"data": data})
	}
}
