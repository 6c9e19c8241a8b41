package hypeauditortest

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/creatorkit/creatorkit-go/hypeauditor"
	"github.com/creatorkit/creatorkit-go/internal/fake"
)

// Routes of the Market Analysis API (under /api/marketanalysis/, not
// /api/method/).
const (
	RouteMarketCreate = "instagramCompetitorAnalysis"
	RouteMarketGet    = "instagramCompetitorAnalysis/{report_id}"
	RouteMarketPosts  = "instagramCompetitorAnalysis/posts"
)

// marketGeneration is how long an analysis takes (virtual).
const marketGeneration = 120 * time.Second

// marketPosts is how many made-up posts an analysis finds.
const marketPosts = 7

// analysis is one competitor analysis.
type analysis struct {
	id      string
	body    marketBody
	created time.Time
	ready   time.Time
}

// marketBody is the documented creation body.
type marketBody struct {
	Username    string   `json:"username"`
	DateFrom    string   `json:"date_from"`
	DateTo      string   `json:"date_to"`
	AudienceGeo []string `json:"audience_geo"`
	Hashtags    []string `json:"hashtags"`
}

// handleMarket registers the Market Analysis routes. They take no v
// parameter, so they are not counted by MissingVersion.
func (s *Server) handleMarket() {
	const root = "/api/marketanalysis/"
	s.f.Handle("POST "+root+RouteMarketCreate, RouteMarketCreate, s.marketGuard(s.marketCreate))
	s.f.Handle("GET "+root+"instagramCompetitorAnalysis/{report_id}", RouteMarketGet, s.marketGuard(s.marketGet))
	s.f.Handle("POST "+root+RouteMarketPosts, RouteMarketPosts, s.marketGuard(s.marketPostsList))
}

// MarketAnalysisBaseURL is the URL to pass to
// hypeauditor.WithMarketAnalysisBaseURL (the client derives the same one
// from BaseURL by default).
func (s *Server) MarketAnalysisBaseURL() string { return s.URL + "/api/marketanalysis/" }

func (s *Server) marketGuard(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if s.cfg.noAPIAccess {
			s.fail(w, http.StatusPaymentRequired, hypeauditor.CodeNoAPIAccess, "No API access")
			return
		}
		h(w, r)
	}
}

// marketCreate starts an analysis: state 0 until marketGeneration has
// passed, then 10. No credit is taken (no cost is documented).
func (s *Server) marketCreate(w http.ResponseWriter, r *http.Request) {
	var body marketBody
	raw, _ := io.ReadAll(r.Body)
	if json.Unmarshal(raw, &body) != nil || strings.TrimSpace(body.Username) == "" || !validDate(body.DateFrom) || !validDate(body.DateTo) {
		s.invalid(w)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.x.order++
	now := time.Now()
	a := &analysis{id: fmt.Sprintf("%016x%016x", hash(body.Username, "market"), uint64(s.x.order)), body: body, created: now, ready: now.Add(s.Scale(marketGeneration))}
	s.x.analyses[a.id] = a
	writeMarket(w, a, s.byName(hypeauditor.Instagram, body.Username), now)
}

func validDate(v string) bool {
	_, err := time.Parse(time.DateOnly, v)
	return err == nil
}

// marketGet serves an analysis by id; an unknown id is 404 code 16.
func (s *Server) marketGet(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.x.analyses[r.PathValue("report_id")]
	if a == nil {
		s.notFound(w)
		return
	}
	writeMarket(w, a, s.byName(hypeauditor.Instagram, a.body.Username), time.Now())
}

// writeMarket answers {"report": {config, basic, time_updated}}, without
// a result wrapper, as the documentation's sample does.
func writeMarket(w http.ResponseWriter, a *analysis, acct *account, now time.Time) {
	state := hypeauditor.MarketStateCalculating
	updated := a.created
	if !now.Before(a.ready) {
		state, updated = hypeauditor.MarketStateReady, a.ready
	}
	geo := a.body.AudienceGeo
	if geo == nil {
		geo = []string{}
	}
	cfg := map[string]any{"username": a.body.Username, "date_from": a.body.DateFrom, "date_to": a.body.DateTo, "audience_geo": geo,
		"settings": map[string]any{}, "mode": "FULL", "type": "ig_mentions"}
	if a.body.Hashtags != nil {
		cfg["hashtags"] = a.body.Hashtags
	}
	basic := map[string]any{"type": "ig_mentions", "username": a.body.Username, "date_from": a.body.DateFrom, "date_to": a.body.DateTo,
		"audience_geo": geo, "report_id": a.id, "state": state, "avatar_url": acct.avatar, "social_id": acct.id}
	fake.JSON(w, http.StatusOK, map[string]any{"report": map[string]any{"config": cfg, "basic": basic, "time_updated": updated.UTC().Format(time.DateTime)}})
}

// marketPostsList serves instagramCompetitorAnalysis/posts: {"posts":
// [...], "total"} with from as an offset and size (default 10) as the
// page size [INFERRED shape]; 400 code 8 while the analysis is
// calculating.
func (s *Server) marketPostsList(w http.ResponseWriter, r *http.Request) {
	var body struct {
		ReportID string `json:"report_id"`
		From     int    `json:"from"`
		Size     int    `json:"size"`
	}
	raw, _ := io.ReadAll(r.Body)
	if json.Unmarshal(raw, &body) != nil || body.From < 0 || body.Size < 0 {
		s.invalid(w)
		return
	}
	if body.Size == 0 {
		body.Size = 10
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.x.analyses[body.ReportID]
	if a == nil {
		s.notFound(w)
		return
	}
	if time.Now().Before(a.ready) {
		s.invalid(w)
		return
	}
	posts := []map[string]any{}
	for i := body.From; i < marketPosts && len(posts) < body.Size; i++ {
		h := hash(a.id, fmt.Sprint(i))
		posts = append(posts, map[string]any{"id": fmt.Sprint(3000000000000000000 + h%1000000000), "username": fmt.Sprintf("creator%03d", h%1000),
			"likes_count": 100 + h%10000, "comments_count": h % 300, "time_posted": a.created.Add(-time.Duration(i) * 24 * time.Hour).Unix()})
	}
	fake.JSON(w, http.StatusOK, map[string]any{"posts": posts, "total": marketPosts})
}
