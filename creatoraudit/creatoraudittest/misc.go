package creatoraudittest

import (
	"cmp"
	"math"
	"net/http"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/creatorkit/creatorkit-go/creatoraudit"
	"github.com/creatorkit/creatorkit-go/internal/fake"
)

func (s *Server) meta(w http.ResponseWriter, r *http.Request) {
	root := "http://" + r.Host + "/v2"
	reply(w, r, http.StatusOK, map[string]any{"data": map[string]any{"type": "api_meta", "api_version": "v2", "status": "current",
		"docs_url": root + "/docs", "openapi_url": root + "/openapi.json", "whoami_url": root + "/whoami", "deprecation": nil, "sunset": nil}})
}

func (s *Server) whoami(w http.ResponseWriter, r *http.Request) {
	name := "creatoraudittest-full"
	if fake.Key(r) == s.cfg.readOnlyKey {
		name = "creatoraudittest-read-only"
	}
	reply(w, r, http.StatusOK, map[string]any{"data": map[string]any{"type": "whoami", "organization_id": "0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e", "api_key_name": name}})
}

// orgStats are the organization's totals over a window, or over the one
// before it (previous: 10% fewer views, an assumption). Callers hold s.mu.
func (s *Server) orgStats(x win, previous bool) map[string]any {
	m := s.org.cur[periodIndex(x.days)]
	if previous {
		m = s.org.prev[periodIndex(x.days)]
	}
	v := m.values()
	return map[string]any{"total_views": v.views, "engagement_rate": v.er, "active_accounts": s.org.active, "account_videos": s.org.visibleAV,
		"tracked_videos": int64(s.videos.len())}
}

func pct(cur, prev any) any {
	c, p := toFloat(cur), toFloat(prev)
	if p == 0 {
		return nil
	}
	return math.Round((c-p)/p*10000) / 100
}

func toFloat(v any) float64 {
	switch x := v.(type) {
	case int64:
		return float64(x)
	case float64:
		return x
	}
	return 0
}

func (s *Server) overview(w http.ResponseWriter, r *http.Request) {
	x, ok := s.queryWindow(w, r, "7d", false)
	if !ok {
		return
	}
	s.begin()
	defer s.mu.Unlock()
	cur, prev := s.orgStats(x, false), s.orgStats(x, true)
	changes := map[string]any{}
	for _, k := range []string{"total_views", "engagement_rate", "active_accounts", "account_videos", "tracked_videos"} {
		changes[k+"_pct"] = pct(cur[k], prev[k])
	}
	reply(w, r, http.StatusOK, map[string]any{"data": map[string]any{"type": "overview", "current": cur, "previous": prev, "changes": changes}})
}

func (s *Server) overviewTimeseries(w http.ResponseWriter, r *http.Request) {
	x, ok := s.queryWindow(w, r, "30d", true)
	if !ok {
		return
	}
	s.begin()
	defer s.mu.Unlock()
	pts := make([]map[string]any, 0, x.days)
	for i := 0; i < x.days; i++ {
		p := s.org.daily[i%3].values().json() // daily(h, i) depends on i%3 only
		p["date"] = x.start.AddDate(0, 0, i).Format(time.DateOnly)
		pts = append(pts, p)
	}
	data := x.json()
	data["type"], data["points"] = "timeseries", pts
	reply(w, r, http.StatusOK, map[string]any{"data": data})
}

func (s *Server) search(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query().Get("q")
	if utf8.RuneCountInString(q) > creatoraudit.MaxSearchQuery {
		s.invalid(w, r, "q", "must be at most 128 characters")
		return
	}
	limit, ok := s.limitParam(w, r, 10, creatoraudit.MaxSearchLimit)
	if !ok {
		return
	}
	capN := min(limit, s.cfg.searchCap)
	needle := strings.ToLower(strings.TrimSpace(q))
	now := s.begin()
	defer s.mu.Unlock()
	accounts, creators, videos := []map[string]any{}, []map[string]any{}, []map[string]any{}
	if needle != "" {
		for _, a := range s.searchAccounts(needle, capN) {
			name := ""
			if !a.unavailable && !now.Before(a.scrapeAt) {
				name = a.u.Name
			}
			accounts = append(accounts, map[string]any{"id": a.id, "platform": a.platform, "username": a.username, "display_name": name})
		}
		for _, c := range s.searchCreators(needle, capN) {
			creators = append(creators, map[string]any{"id": c.id, "name": c.name})
		}
		for _, v := range s.searchVideos(needle, capN, now) {
			videos = append(videos, map[string]any{"id": v.id, "platform": v.platform, "caption": v.caption,
				"account_id": nullable(v.accountID), "account_username": v.accountUsr})
		}
	}
	reply(w, r, http.StatusOK, map[string]any{
		"data": map[string]any{"accounts": accounts, "creators": creators, "videos": videos},
		"meta": map[string]any{"query": q, "limit_per_section": limit, "effective_caps": map[string]any{"accounts": capN, "creators": capN, "videos": capN}},
	})
}

// searchAccounts returns the first n accounts, in creation order, whose
// username holds needle (lower case). Callers hold s.mu.
func (s *Server) searchAccounts(needle string, n int) []*account {
	if n <= 0 {
		return nil
	}
	var out []*account
	take := func(a *account) bool {
		if !a.deleted && strings.Contains(a.lowerName, needle) {
			out = append(out, a)
		}
		return len(out) < n
	}
	if len(needle) >= 3 {
		cands, _ := s.textIndex().accounts.Candidates(needle)
		for _, a := range cands { // in creation order: usernames do not change
			if !take(a) {
				break
			}
		}
		return out
	}
	s.accounts.all(take)
	return out
}

// searchCreators returns the first n creators, in creation order, whose
// name holds needle (lower case). Callers hold s.mu.
func (s *Server) searchCreators(needle string, n int) []*creator {
	if n <= 0 {
		return nil
	}
	var out []*creator
	if len(needle) < 3 {
		s.creators.all(func(c *creator) bool {
			if strings.Contains(c.lowerName, needle) {
				out = append(out, c)
			}
			return len(out) < n
		})
		return out
	}
	cands, _ := s.textIndex().creators.Candidates(needle)
	seen := map[*creator]bool{} // a renamed creator is listed again, out of order
	for _, c := range cands {
		if !seen[c] && !c.deleted && strings.Contains(c.lowerName, needle) {
			seen[c] = true
			out = append(out, c)
		}
	}
	slices.SortFunc(out, func(a, b *creator) int { return cmp.Compare(a.seq, b.seq) })
	return out[:min(len(out), n)]
}

// searchVideos returns the first n discovered videos whose caption holds
// needle (lower case): individual videos in creation order, then account
// videos. Callers hold s.mu.
func (s *Server) searchVideos(needle string, n int, now time.Time) []*video {
	var out []*video
	take := func(v *video) bool {
		if !v.deleted && visible(v, now) && strings.Contains(v.lowerCaption, needle) {
			out = append(out, v)
		}
		return len(out) < n
	}
	for _, accountVideos := range []bool{false, true} {
		if len(out) >= n {
			break
		}
		live := &s.videos
		if accountVideos {
			live = &s.avideos
		}
		if len(needle) < 3 {
			live.all(take)
			continue
		}
		ix := &s.textIndex().videos
		if accountVideos {
			ix = &s.textIndex().avideos
		}
		cands, _ := ix.Candidates(needle)
		for _, v := range cands { // in creation order: captions do not change
			if !take(v) {
				break
			}
		}
	}
	return out
}

// previous is the window of the same length just before x.
func (x win) previous() win {
	return win{period: x.period, start: x.start.AddDate(0, 0, -x.days), end: x.start.AddDate(0, 0, -1), days: x.days}
}

// previousMetrics are an entity's metrics over the window before x: as the
// overview's, 10% fewer views than the days give (an assumption), none
// before the entity existed.
func previousMetrics(src source, x win) metricValues {
	return valuesOf(windowMetrics(src, x.previous()).views*9/10, src)
}

// compare adds the period-over-period comparison to an analytics answer,
// shaped like the overview's: current, previous and each metric's change
// in percent (null when there is nothing to compare with). cur and prev
// nil: an entity not scraped yet, with null metrics.
func compare(data map[string]any, cur, prev *metricValues) {
	c, p := nullMetrics(), nullMetrics()
	if cur != nil && prev != nil {
		c, p = cur.json(), prev.json()
	}
	changes := map[string]any{}
	for k := range c {
		changes[k+"_pct"] = pct(c[k], p[k])
	}
	data["current"], data["previous"], data["changes"] = c, p, changes
}

// openapi answers GET /openapi.json with a small OpenAPI 3.1 document of
// the fake's own routes: each path relative to /v2, its operations named
// by the fake's routes. It is not CreatorAudit's document.
func (s *Server) openapi(w http.ResponseWriter, r *http.Request) {
	paths := map[string]map[string]any{}
	for _, pr := range s.patterns {
		method, path, _ := strings.Cut(pr[0], " ")
		path = strings.TrimPrefix(path, "/v2")
		if paths[path] == nil {
			paths[path] = map[string]any{}
		}
		paths[path][strings.ToLower(method)] = map[string]any{"operationId": pr[1]}
	}
	reply(w, r, http.StatusOK, map[string]any{"openapi": "3.1.0", "info": map[string]any{"title": "CreatorAudit API v2 (creatoraudittest)", "version": "2"},
		"servers": []map[string]any{{"url": "http://" + r.Host + "/v2"}}, "paths": paths})
}
