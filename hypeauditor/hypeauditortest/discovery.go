package hypeauditortest

import (
	"cmp"
	"fmt"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/creatorkit/creatorkit-go/hypeauditor"
	"github.com/creatorkit/creatorkit-go/internal/fake"
)

type searchBody struct {
	SocialNetwork    hypeauditor.Platform `json:"social_network"`
	Page             int                  `json:"page"`
	SubscribersCount *hypeauditor.Range   `json:"subscribers_count"`
	ER               *hypeauditor.Range   `json:"er"`
	Sort             *hypeauditor.Sort    `json:"sort"`
}

type found struct {
	idx         int // its place in the made-up result
	username    string
	subscribers float64
	er          float64
	aqs         float64
	acct        *account
}

// dataset is the made-up creators a search finds on a network: the
// creator universe's accounts of those names on the universe date day.
func dataset(n hypeauditor.Platform, count int, prefix string, day time.Time) []found {
	out := make([]found, count)
	for i := range out {
		name := fmt.Sprintf("%s%s_%03d", prefix, n, i+1)
		a := generate(n, name, day)
		out[i] = found{idx: i, username: name, subscribers: a.subscribers, er: a.er, aqs: profileOf(a).score, acct: a}
	}
	return out
}

// searchSet returns the made-up creators a live (or sandbox) search finds
// on a network, made on first use. Callers hold s.mu.
func (s *Server) searchSet(n hypeauditor.Platform, sandbox bool) []found {
	key := fmt.Sprint(n, sandbox)
	set, made := s.searchSets[key]
	if !made {
		day := s.clock.Date(time.Now())
		if sandbox {
			set = dataset(n, 45, "sandbox_", day)
		} else {
			set = dataset(n, s.cfg.searchResults, "", day)
		}
		s.searchSets[key] = set
	}
	return set
}

// searchHits returns the creators a search finds, in its order: the
// made-up set filtered by the ranges and stably sorted, kept per query so
// that every page after the first is cut in O(page). Callers hold s.mu.
func (s *Server) searchHits(body searchBody, sandbox bool) *fake.View[found] {
	key := fmt.Sprintf("%s|%t|%s|%s", body.SocialNetwork, sandbox, rangeKey(body.SubscribersCount), rangeKey(body.ER))
	if body.Sort != nil {
		key += "|" + body.Sort.Field + "|" + body.Sort.Order
	}
	return s.hits.Get(key, func() *fake.View[found] {
		match := func(f found) bool { return inRange(f.subscribers, body.SubscribersCount) && inRange(f.er, body.ER) }
		order := func(a, b found) int { return cmp.Compare(a.idx, b.idx) }
		if srt := body.Sort; srt != nil {
			key := func(f found) float64 {
				if srt.Field == "er" {
					return f.er
				}
				return f.subscribers
			}
			order = func(a, b found) int {
				c := cmpF(key(b), key(a))
				if srt.Order == "asc" {
					c = cmpF(key(a), key(b))
				}
				if c != 0 {
					return c
				}
				return cmp.Compare(a.idx, b.idx) // a stable sort keeps the made-up order
			}
		}
		return fake.NewView(match, order, slices.Values(s.searchSet(body.SocialNetwork, sandbox)))
	})
}

func rangeKey(r *hypeauditor.Range) string {
	if r == nil {
		return "-"
	}
	f := func(v *float64) string {
		if v == nil {
			return "_"
		}
		return strconv.FormatFloat(*v, 'g', -1, 64)
	}
	return f(r.From) + ":" + f(r.To)
}

func inRange(v float64, r *hypeauditor.Range) bool {
	return r == nil || ((r.From == nil || v >= *r.From) && (r.To == nil || v <= *r.To))
}

// search serves auditor.search (one discovery request per page; 402 when
// none are left) and auditor.searchSandbox (free, a smaller canned set).
// It applies the subscribers_count and er ranges and the sort; other
// filters are accepted and ignored.
func (s *Server) search(sandbox bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var body searchBody
		if fake.ReadJSON(r, 1<<20, &body) != nil || !slices.Contains(hypeauditor.DiscoveryPlatforms(), body.SocialNetwork) || body.Page < 0 {
			s.invalid(w)
			return
		}
		page := max(body.Page, 1)
		s.mu.Lock()
		defer s.mu.Unlock()
		if !sandbox {
			if s.queries < 1 {
				s.fail(w, http.StatusPaymentRequired, "", "No discovery requests left")
				return
			}
			s.queries--
			s.f.Stats().Charge(RouteSearch, 1)
		}
		hits := s.searchHits(body, sandbox)
		results := []map[string]any{}
		for i := (page - 1) * hypeauditor.SearchPageSize; i < hits.Len() && len(results) < hypeauditor.SearchPageSize; i++ {
			f := hits.At(i)
			a := f.acct
			results = append(results, map[string]any{
				"basic": map[string]any{"username": f.username, "title": a.title, "avatar_url": a.avatar, "id": a.id},
				"metrics": map[string]any{"subscribers_count": map[string]any{"value": f.subscribers}, "er": map[string]any{"value": f.er},
					"real_subscribers_count": map[string]any{"value": math.Round(f.subscribers * a.u.Signals.Real / 100)}},
				"features": map[string]any{"aqs": map[string]any{"data": map[string]any{"mark": markOf(f.aqs)}},
					"social_networks": []map[string]any{{"type": body.SocialNetwork, "title": a.title, "social_id": a.id, "username": f.username,
						"avatar_url": a.avatar, "subscribers_count": f.subscribers, "er": f.er, "state": hypeauditor.StateReady}}},
			})
		}
		ok(w, http.StatusOK, map[string]any{"search_results": results, "current_page": page,
			"total_pages": (hits.Len() + hypeauditor.SearchPageSize - 1) / hypeauditor.SearchPageSize, "queries_left": s.queries})
	}
}

func cmpF(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// suggester serves auditor.suggester: known accounts whose username or
// title contains the search, plus the made-up creator of that name.
func (s *Server) suggester(w http.ResponseWriter, r *http.Request) {
	term := strings.ToLower(param(r, "search"))
	if term == "" {
		s.invalid(w)
		return
	}
	st := hypeauditor.Platform(param(r, "st"))
	excl := strings.Split(param(r, "exclSt"), ",")
	s.mu.Lock()
	defer s.mu.Unlock()
	if !strings.ContainsAny(term, " /") {
		s.family(term)
	}
	list := []map[string]any{}
	for _, a := range s.suggest(term) {
		if (st != "" && a.network != st) || slices.Contains(excl, string(a.network)) {
			continue
		}
		var links []map[string]any
		for _, o := range s.family(a.creator) {
			if o != a {
				links = append(links, map[string]any{"type": o.network, "username": o.username, "subscribers_count": o.subscribers, "er": o.er})
			}
		}
		list = append(list, map[string]any{"title": a.title, "username": a.username, "type": a.network, "subscribers_count": a.subscribers,
			"is_verified": a.subscribers > 1e6, "avatar_url": a.avatar, "social_id": a.id, "social_networks": links})
	}
	ok(w, http.StatusOK, map[string]any{"list": list})
}

// suggest returns the accounts whose username or title holds term (lower
// case), ordered by username: the candidates of the text index, checked,
// or every account for a term too short to index. Callers hold s.mu.
func (s *Server) suggest(term string) []*account {
	cands, indexed := s.text.Candidates(term) // each account once: add indexes it once
	if !indexed {
		cands = s.all
	}
	var out []*account
	for _, a := range cands {
		if strings.Contains(a.lowerName, term) || strings.Contains(a.lowerTitle, term) {
			out = append(out, a)
		}
	}
	slices.SortFunc(out, func(a, b *account) int {
		if less(a, b) {
			return -1
		}
		if less(b, a) {
			return 1
		}
		return 0
	})
	return out
}
