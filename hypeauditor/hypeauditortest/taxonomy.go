package hypeauditortest

import (
	"fmt"
	"math"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/creatorkit/creatorkit-go/hypeauditor"
)

// Routes of the discovery reference and keyword post search.
const (
	RouteTaxonomy      = "auditor.taxonomy"
	RouteKeywordsPosts = "auditor.searchKeywordsPosts"
)

// fakeTaxonomy is the fake's taxonomy: the documented shape (ig
// categories, thematics, interests and labels; yt categories, thematics
// and labels; tt categories and labels) with a few made-up entries. Its
// ids and titles are the fake's own, not HypeAuditor's list; read the
// real one with Discovery.Taxonomy. YouTube thematic 1032 is the one the
// fake's YouTube reports carry in blogger_thematics.
func fakeTaxonomy() map[string]any {
	list := func(first int, titles ...string) []map[string]any {
		out := make([]map[string]any, len(titles))
		for i, t := range titles {
			out[i] = map[string]any{"id": first + i, "title": t}
		}
		return out
	}
	return map[string]any{
		"ig": map[string]any{
			"categories": list(1000, "Beauty", "Fashion", "Gaming", "Music", "Sports", "Travel"),
			"thematics":  list(1000, "Beauty", "Fashion", "Gaming", "Music", "Sports", "Travel"),
			"interests":  list(1, "Cooking", "Fitness", "Photography", "Technology"),
			"labels":     list(1, "Comedy", "Tutorials", "Unboxing"),
		},
		"yt": map[string]any{
			"categories": list(1, "Entertainment", "Education"),
			"thematics":  list(1030, "Animals", "Music", "Science & Technology", "Video games"),
			"labels":     list(1, "Comedy", "Tutorials", "Unboxing"),
		},
		"tt": map[string]any{
			"categories": list(1, "Dance", "Food", "Pets", "Sports"),
			"labels":     list(1, "Comedy", "Tutorials", "Unboxing"),
		},
	}
}

// taxonomy serves auditor.taxonomy (free).
func (s *Server) taxonomy(w http.ResponseWriter, _ *http.Request) {
	ok(w, http.StatusOK, fakeTaxonomy())
}

// keywordsPosts serves auditor.searchKeywordsPosts: each request spends
// one discovery request (402 when none is left) and answers a made-up
// post for each content id [INFERRED cost: the answer reports
// queries_left].
func (s *Server) keywordsPosts(w http.ResponseWriter, r *http.Request) {
	n := hypeauditor.Platform(param(r, "socialNetwork"))
	ids := strings.Split(param(r, "contentIds"), ",")
	if !slices.Contains(hypeauditor.KeywordPostsPlatforms(), n) || slices.Contains(ids, "") {
		s.invalid(w)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.queries < 1 {
		s.fail(w, http.StatusPaymentRequired, "", "No discovery requests left")
		return
	}
	s.queries--
	s.f.Stats().Charge(RouteKeywordsPosts, 1)
	posts := map[string]any{}
	for _, id := range ids {
		h := hash(string(n), id)
		likes := float64(1000 + h%1000000)
		posts[id] = map[string]any{
			"basic": map[string]any{"id": id, "code": fmt.Sprintf("C%x", h%0xffffffff), "caption": "Post " + id,
				"preview_url": fmt.Sprintf("https://cdn.hypeauditor.com/img/%s/post/%s.jpg?w=200", n, id),
				"time_posted": time.Now().Add(-time.Duration(h%720) * time.Hour).Unix(), "type": []string{"post", "reel"}[h%2], "is_deleted": false},
			"metrics": map[string]any{"likes_count": likes, "comments_count": math.Round(likes / 100), "video_views_count": float64(h%2) * likes * 10,
				"er": round2(1 + float64(h%500)/100), "er_mark": markOf(float64(h % 100))},
		}
	}
	ok(w, http.StatusOK, map[string]any{"posts": posts, "queries_left": s.queries})
}
