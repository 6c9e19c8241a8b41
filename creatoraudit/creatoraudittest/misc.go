package creatoraudittest

import (
	"math"
	"net/http"
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
func (s *Server) orgStats(x win, previous bool, now time.Time) map[string]any {
	var m metricValues
	active := int64(0)
	for _, a := range s.accounts {
		if !a.isActive || a.unavailable || now.Before(a.scrapeAt) {
			continue
		}
		active++
		am := metricsFor(hash(a.id), x.days, a.platform)
		if previous {
			am = valuesOf(am.views*9/10, a.platform, hash(a.id))
		}
		m = m.add(am)
	}
	avs := int64(0)
	for _, v := range s.avideos {
		if visible(v, now) {
			avs++
		}
	}
	return map[string]any{"total_views": m.views, "engagement_rate": m.er, "active_accounts": active, "account_videos": avs, "tracked_videos": int64(len(s.videos))}
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
	now := time.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	cur, prev := s.orgStats(x, false, now), s.orgStats(x, true, now)
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
	now := time.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	pts := make([]map[string]any, 0, x.days)
	for i := 0; i < x.days; i++ {
		var day metricValues
		for _, a := range s.accounts {
			if !a.unavailable && !now.Before(a.scrapeAt) {
				day = day.add(valuesOf(daily(hash(a.id), i), a.platform, hash(a.id)))
			}
		}
		p := day.json()
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
	now := time.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	accounts, creators, videos := []map[string]any{}, []map[string]any{}, []map[string]any{}
	if needle != "" {
		for _, a := range s.accounts {
			if len(accounts) < capN && strings.Contains(strings.ToLower(a.username), needle) {
				name := ""
				if !a.unavailable && !now.Before(a.scrapeAt) {
					name = strings.ToUpper(a.username[:1]) + a.username[1:]
				}
				accounts = append(accounts, map[string]any{"id": a.id, "platform": a.platform, "username": a.username, "display_name": name})
			}
		}
		for _, c := range s.creators {
			if len(creators) < capN && strings.Contains(strings.ToLower(c.name), needle) {
				creators = append(creators, map[string]any{"id": c.id, "name": c.name})
			}
		}
		for _, list := range [][]*video{s.videos, s.avideos} {
			for _, v := range list {
				if len(videos) < capN && visible(v, now) && strings.Contains(strings.ToLower(v.caption), needle) {
					videos = append(videos, map[string]any{"id": v.id, "platform": v.platform, "caption": v.caption,
						"account_id": nullable(v.accountID), "account_username": v.accountUsr})
				}
			}
		}
	}
	reply(w, r, http.StatusOK, map[string]any{
		"data": map[string]any{"accounts": accounts, "creators": creators, "videos": videos},
		"meta": map[string]any{"query": q, "limit_per_section": limit, "effective_caps": map[string]any{"accounts": capN, "creators": capN, "videos": capN}},
	})
}
