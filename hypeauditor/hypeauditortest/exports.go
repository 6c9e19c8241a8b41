package hypeauditortest

import (
	"fmt"
	"math"
	"net/http"
	"strconv"
	"time"

	"github.com/creatorkit/creatorkit-go/hypeauditor"
)

// Routes of the report exports and the reads beside a report.
const (
	RouteInstagramPDF     = "auditor.instagramPdf"
	RouteTikTokPDF        = "auditor.tiktokPdf"
	RouteYouTubePDF       = "auditor.youtubePdf"
	RouteTwitterPDF       = "auditor.twitterPdf"
	RouteTwitchPDF        = "auditor.twitchPdf"
	RouteSnapchatPDF      = "auditor.snapchatPdf"
	RouteInstagramHistory = "auditor.instagramHistory"
	RouteTikTokHistory    = "auditor.tiktokHistory"
	RouteTwitterHistory   = "auditor.twitterHistory"
	RouteTikTokMentions   = "auditor.tiktokBrandMentions"
	RouteYouTubeMentions  = "auditor.youtubeBrandMentions"
	RouteYouTubeMedia     = "auditor.youtubeMedia"
)

// PDFRoutes returns the PDF export routes, one per network.
func PDFRoutes() []string {
	return []string{RouteInstagramPDF, RouteTikTokPDF, RouteYouTubePDF, RouteTwitterPDF, RouteTwitchPDF, RouteSnapchatPDF}
}

// pdfGeneration is how long a PDF takes once its report is ready
// (virtual).
const pdfGeneration = 20 * time.Second

// youTubeMediaCount and youTubeMediaPage are the made-up videos of a
// channel and how many a youtubeMedia page holds.
const youTubeMediaCount, youTubeMediaPage = 12, 5

// extras is the state of the routes added after the first release: PDF
// exports, saved lists and market analyses.
type extras struct {
	pdfs     map[string]time.Time // route/account id -> when the PDF is made
	lists    []*savedList
	listSeq  int
	analyses map[string]*analysis
	order    int
}

// handleExtras registers the export, history, mention, media, taxonomy,
// keyword, list and market analysis routes.
func (s *Server) handleExtras(get func(route string, h http.HandlerFunc)) {
	s.x = extras{pdfs: map[string]time.Time{}, analyses: map[string]*analysis{}}
	s.seedLists()
	for n, route := range map[hypeauditor.Platform]string{hypeauditor.Instagram: RouteInstagramPDF, hypeauditor.TikTok: RouteTikTokPDF,
		hypeauditor.YouTube: RouteYouTubePDF, hypeauditor.Twitter: RouteTwitterPDF, hypeauditor.Twitch: RouteTwitchPDF, hypeauditor.Snapchat: RouteSnapchatPDF} {
		get(route, s.pdfExport(n))
	}
	get(RouteInstagramHistory, s.history(hypeauditor.Instagram, "username"))
	get(RouteTikTokHistory, s.history(hypeauditor.TikTok, "channel"))
	get(RouteTwitterHistory, s.history(hypeauditor.Twitter, "channel"))
	get(RouteTikTokMentions, s.brandMentions(hypeauditor.TikTok))
	get(RouteYouTubeMentions, s.brandMentions(hypeauditor.YouTube))
	get(RouteYouTubeMedia, s.youTubeMedia)
	get(RouteTaxonomy, s.taxonomy)
	get(RouteKeywordsPosts, s.keywordsPosts)
	get(RouteLists, s.listsAll)
	get(RouteList, s.listReports)
	get(RouteAddToList, s.addToList)
	get(RouteRemoveFromList, s.removeFromList)
	s.handleMarket()
}

// pdfExport serves a PDF export: the first request unlocks the report
// when it is not (one credit, charged to the PDF route); then 202 with
// retryTtl while the report and then its PDF are made, then pdfUrl.
// Asking again spends nothing.
func (s *Server) pdfExport(n hypeauditor.Platform) http.HandlerFunc {
	nameParam := "channel"
	if n == hypeauditor.Instagram {
		nameParam = "username"
	}
	return func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		defer s.mu.Unlock()
		a := s.pick(w, r, n, nameParam)
		if a == nil {
			return
		}
		now := time.Now()
		route := routeOf(r)
		rep := s.unlock(w, route, a, now)
		if rep == nil {
			return
		}
		if now.Before(rep.ready) {
			ok(w, http.StatusAccepted, map[string]any{"retryTtl": s.ttl(), "restTokens": s.credits})
			return
		}
		if rep.failure() {
			s.failReport(w, rep.outcome.State)
			return
		}
		key := route + "/" + a.id
		at, started := s.x.pdfs[key]
		if !started {
			at = now.Add(s.Scale(pdfGeneration))
			s.x.pdfs[key] = at
		}
		if now.Before(at) {
			ok(w, http.StatusAccepted, map[string]any{"retryTtl": s.ttl(), "restTokens": s.credits})
			return
		}
		url := fmt.Sprintf("%s/pdf/%s/%s.pdf?till=%d&sign=%016x", s.URL, n, a.id, at.Add(28*24*time.Hour).Unix(), hash(a.id, "pdf"))
		ok(w, http.StatusOK, map[string]any{"pdfUrl": url, "restTokens": s.credits})
	}
}

// history serves auditor.{instagram,tiktok,twitter}History like a report
// (it unlocks one), with metrics_history of the network's metrics.
func (s *Server) history(n hypeauditor.Platform, nameParam string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		defer s.mu.Unlock()
		a := s.pick(w, r, n, nameParam)
		if a == nil {
			return
		}
		s.serveReport(w, routeOf(r), a, s.networkHistoryBody)
	}
}

// networkHistoryBody renders a monthly metrics_history of the account's
// followers and engagement rate [INFERRED metric names].
func (s *Server) networkHistoryBody(rep *report) map[string]any {
	a := rep.acct
	hist := func(value func(i int) float64) map[string]any {
		var pts []map[string]any
		for i := 3; i >= 1; i-- {
			if !a.u.Exists(a.asOf.AddDate(0, -i, 0)) {
				continue // nothing before the account existed
			}
			m := rep.paid.AddDate(0, -i, 0)
			pts = append(pts, map[string]any{"time_iso": time.Date(m.Year(), m.Month(), 1, 0, 0, 0, 0, time.UTC).Format(time.RFC3339), "value": value(i)})
		}
		return map[string]any{"history": pts}
	}
	return map[string]any{"metrics_history": map[string]any{
		"subscribers_count": hist(func(i int) float64 { return float64(a.u.Followers(a.asOf.AddDate(0, -i, 0))) }),
		"er":                hist(func(i int) float64 { return round2(a.er * (1 - float64(i)/50)) }),
	}}
}

// readyReport returns the account's report when it is unlocked, ready
// and not failed, else nil after answering 403 code 15 Access denied, as
// Account Media does. Callers hold s.mu.
func (s *Server) readyReport(w http.ResponseWriter, a *account) *report {
	now := time.Now()
	s.settleDue(now)
	rep := s.reports[string(a.network)+"/"+a.id]
	if rep == nil || now.Before(rep.ready) || rep.failure() {
		s.fail(w, http.StatusForbidden, hypeauditor.CodeAccessDenied, "Access denied")
		return nil
	}
	return rep
}

// brandMentions serves auditor.{tiktok,youtube}BrandMentions once the
// report is unlocked: made-up mentions, users and posts [INFERRED shape].
func (s *Server) brandMentions(n hypeauditor.Platform) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		defer s.mu.Unlock()
		a := s.pick(w, r, n, "channel")
		if a == nil || s.readyReport(w, a) == nil {
			return
		}
		h := hash(a.id, "mentions")
		brand := fmt.Sprintf("brand%03d", h%1000)
		post := fmt.Sprint(7000000000000000000 + h%1000000000)
		ok(w, http.StatusOK, map[string]any{
			"mentions": map[string]any{"30d": []map[string]any{{"username": brand, "mentions_count": 1 + h%5, "post_ids": []string{post}}}},
			"users":    map[string]any{brand: map[string]any{"username": brand, "title": "Brand " + brand[5:], "subscribers_count": 10000 + h%90000}},
			"posts":    map[string]any{post: map[string]any{"id": post, "views_count": profileOf(a).views, "er": round2(a.er)}},
		})
	}
}

// youTubeMedia serves auditor.youtubeMedia once the YouTube report is
// unlocked: a channel's made-up videos, youTubeMediaPage a page from page
// 1; a page past the end is empty.
func (s *Server) youTubeMedia(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	page := 1
	if v := param(r, "page"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			s.invalid(w)
			return
		}
		page = n
	}
	a := s.pick(w, r, hypeauditor.YouTube, "channel")
	if a == nil {
		return
	}
	rep := s.readyReport(w, a)
	if rep == nil {
		return
	}
	media := []map[string]any{}
	for i := (page - 1) * youTubeMediaPage; i < youTubeMediaCount && len(media) < youTubeMediaPage; i++ {
		ago := time.Duration(i+1) * 72 * time.Hour
		if !a.u.Exists(a.asOf.Add(-ago)) {
			break // nothing before the channel existed
		}
		t := rep.paid.Add(-ago).Unix()
		views := math.Round(profileOf(a).views * (1 - float64(i)/30))
		media = append(media, map[string]any{"id": fmt.Sprintf("v%010x", hash(a.id, strconv.Itoa(i))%0xffffffffff), "title": fmt.Sprintf("Video %d", i+1),
			"time_added": t, "time_added_iso": time.Unix(t, 0).UTC().Format(time.RFC3339), "channel_ids": []string{a.id},
			"metrics": map[string]any{"views_count": map[string]any{"value": views}, "er": map[string]any{"value": a.er, "mark": a.u.ERMark()}}})
	}
	ok(w, http.StatusOK, map[string]any{"media": media})
}
