package infludatatest

import (
	"cmp"
	"encoding/base64"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/creatorkit/creatorkit-go/infludata"
	"github.com/creatorkit/creatorkit-go/internal/fake"
	"github.com/creatorkit/creatorkit-go/internal/jsonx"
)

func list(v string) []string {
	var out []string
	for _, s := range strings.Split(v, ",") {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// numbers reads numeric query parameters, answering 400 for a bad one.
type numbers struct {
	q   url.Values
	bad string
}

func (n *numbers) float(names ...string) (float64, bool) {
	for _, name := range names {
		v := n.q.Get(name)
		if v == "" {
			continue
		}
		f, err := strconv.ParseFloat(v, 64)
		if err != nil {
			n.bad = name
			return 0, false
		}
		return f, true
	}
	return 0, false
}

// discovery: 20 creators a page by skipCount, 1 token a search.
func (s *Server) discovery(w http.ResponseWriter, r *http.Request, a *account) {
	q := r.URL.Query()
	pl := infludata.Platform(q.Get("platform"))
	if !pl.Known() {
		s.f.Error(w, http.StatusBadRequest, "Missing or invalid platform parameter")
		return
	}
	skip := 0
	if v := q.Get("skipCount"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			s.f.Error(w, http.StatusBadRequest, "skipCount must be a non-negative number")
			return
		}
		skip = n
	}
	nums := &numbers{q: q}
	fMin, hasFMin := nums.float("followerMin")
	fMax, hasFMax := nums.float("followerMax")
	er, hasER := nums.float("engagementRate")
	gr, hasGR := nums.float("growthRate")
	if nums.bad != "" {
		s.f.Error(w, http.StatusBadRequest, nums.bad+" must be a number")
		return
	}
	keywords := list(strings.ToLower(q.Get("keywords")))
	cats := list(q.Get("categories"))
	country, city, lang, gender := q.Get("country"), q.Get("city"), q.Get("language"), q.Get("gender")
	business, _ := boolParam(r, "businessSearch")
	field, desc := parseSort(q.Get("sorting"))

	s.mu.Lock()
	defer s.mu.Unlock()
	s.promote(time.Now())
	hits := s.discoveryQ.Get(queryKey(q, discoveryParams), func() *fake.View[*creator] {
		scores := map[*creator]float64{}
		match := func(c *creator) bool {
			if c.Platform != pl || c.Missing || !c.listed {
				return false
			}
			if (country != "" && c.Country != country) || (city != "" && c.City != city) || (lang != "" && c.Language != lang) ||
				(gender != "" && !strings.HasPrefix(genderWord(c.Gender), genderWord(gender))) || (business && !c.Business) ||
				(hasFMin && float64(c.Followers) < fMin) || (hasFMax && float64(c.Followers) > fMax) ||
				(hasER && c.EngagementMean < er) || (hasGR && c.GrowthRate < gr) {
				return false
			}
			if len(cats) > 0 && !anyCat(c.Categories, cats) {
				return false
			}
			if len(keywords) > 0 {
				score := relevance(c, keywords)
				if score == 0 {
					return false
				}
				scores[c] = score
			}
			return true
		}
		by := func(x, y *creator) int {
			switch field {
			case "username":
				return strings.Compare(strings.ToLower(x.Username), strings.ToLower(y.Username))
			case "followers":
				return cmpNum(float64(x.Followers), float64(y.Followers))
			case "engagementmean":
				return cmpNum(x.EngagementMean, y.EngagementMean)
			case "growthrate":
				return cmpNum(x.GrowthRate, y.GrowthRate)
			case "relevance":
				return cmpNum(scores[x], scores[y])
			}
			return cmpNum(x.ProfileScore, y.ProfileScore)
		}
		order := func(x, y *creator) int {
			c := by(x, y)
			if desc {
				c = -c
			}
			// Ties in id order (then arrival, for ids given twice).
			return cmp.Or(c, strings.Compare(x.ID, y.ID), cmp.Compare(x.seq, y.seq))
		}
		return fake.NewView(match, order, maps.Values(s.creators))
	})
	if !s.charge(w, r, a, RouteDiscovery, 1) {
		return
	}
	users := []map[string]any{}
	for i := skip; i < hits.Len() && i < skip+infludata.SearchPageSize; i++ {
		c := hits.At(i)
		u := map[string]any{"_id": c.ID, "username": strings.TrimPrefix(c.Username, "@"), "displayName": c.DisplayName, "followers": c.Followers,
			"platform": c.Platform, "country": c.Country, "engagementMean": c.EngagementMean}
		if len(keywords) > 0 {
			u["score"] = float64(int(relevance(c, keywords)*10)) / 10
		}
		users = append(users, u)
	}
	fake.JSON(w, http.StatusOK, map[string]any{"users": users, "count": hits.Len(), "dataSuccess": true})
}

// relevance is a creator's keyword score: 100 shared among the keywords,
// for each found in its username, display name or categories.
func relevance(c *creator, keywords []string) float64 {
	score := 0.0
	text := strings.ToLower(c.Username + " " + c.DisplayName + " " + catText(c.Categories))
	for _, k := range keywords {
		if strings.Contains(text, k) {
			score += 100 / float64(len(keywords))
		}
	}
	return score
}

// discoveryParams are the parameters a discovery answer depends on (all
// but skipCount and the key).
var discoveryParams = []string{"platform", "followerMin", "followerMax", "engagementRate", "growthRate", "keywords", "categories",
	"country", "city", "language", "gender", "businessSearch", "sorting"}

// queryKey names a query by the parameters its answer depends on.
func queryKey(q url.Values, params []string) string {
	k := url.Values{}
	for _, p := range params {
		if vs, ok := q[p]; ok {
			k[p] = vs
		}
	}
	return k.Encode()
}

func cmpNum(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func genderWord(g string) string {
	switch strings.ToLower(g) {
	case "m", "male":
		return "m"
	case "w", "f", "female":
		return "w"
	}
	return g
}

func anyCat(have []infludata.Category, want []string) bool {
	for _, w := range want {
		for _, h := range have {
			if string(h) == w {
				return true
			}
		}
	}
	return false
}

func catText(cs []infludata.Category) string {
	s := make([]string, len(cs))
	for i, c := range cs {
		s[i] = string(c)
	}
	return strings.Join(s, " ")
}

// parseSort reads "descFollowers", "ascUsername" or a bare "followers";
// the default is profile score, descending.
func parseSort(v string) (field string, desc bool) {
	switch {
	case v == "":
		return "profilescore", true
	case strings.HasPrefix(v, "desc"):
		return strings.ToLower(v[4:]), true
	case strings.HasPrefix(v, "asc"):
		return strings.ToLower(v[3:]), false
	}
	return strings.ToLower(v), v != "username"
}

// getCities answers the city list of a country.
func (s *Server) getCities(w http.ResponseWriter, r *http.Request, _ *account) {
	cs, ok := citiesOf(r.URL.Query().Get("country"))
	if !ok {
		s.f.Error(w, http.StatusBadRequest, "Unsupported or missing country")
		return
	}
	fake.JSON(w, http.StatusOK, cs)
}

// cursor is a point in time of one content query: the matching items,
// frozen, the newest of them, and how far the pull got.
type cursor struct {
	items  []*item
	newest *item
	pos    int
}

// seedContentMax is the fake's getContent page size, default and maximum:
// 100, as the Social API documentation (seed 002) says. (The README allows
// 1,000, and so does the SDK: asked for more, the fake serves 100, like a
// server that follows the seed.)
const seedContentMax = 100

// getContent: cursor paging (X-Cursor header or cursor parameter), the
// legacy offset mode (offset/skipCount), 1 token per item, 404 when
// nothing matched.
func (s *Server) getContent(w http.ResponseWriter, r *http.Request, a *account) {
	q := r.URL.Query()
	limit := seedContentMax
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			s.f.Error(w, http.StatusBadRequest, "limit must be a positive number")
			return
		}
		limit = min(n, seedContentMax)
	}
	cur := r.Header.Get("X-Cursor")
	if cur == "" {
		cur = q.Get("cursor")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if cur != "" {
		c := s.cursors[cur]
		if c == nil {
			s.f.Error(w, http.StatusBadRequest, "Invalid or expired cursor")
			return
		}
		s.contentPage(w, r, a, c.items, c.newest, c.pos, limit, false)
		return
	}
	cq, msg := contentQuery(q)
	if msg != "" {
		s.f.Error(w, http.StatusBadRequest, msg)
		return
	}
	v := s.contentQ.Get(cq.key, func() *fake.View[*item] { return fake.NewView(cq.match, cq.order, slices.Values(s.content)) })
	matched := v.Items()
	newest := v.Memo(func() any { return newestOf(matched) }).(*item)
	off := q.Get("offset")
	if off == "" {
		off = q.Get("skipCount")
	}
	if off != "" {
		n, err := strconv.Atoi(off)
		if err != nil || n < 0 {
			s.f.Error(w, http.StatusBadRequest, "offset must be a non-negative number")
			return
		}
		s.contentPage(w, r, a, matched, newest, n, limit, true)
		return
	}
	s.contentPage(w, r, a, matched, newest, 0, limit, false)
}

// newestOf returns the first item with the latest upload time, nil for
// none.
func newestOf(items []*item) *item {
	if len(items) == 0 {
		return nil
	}
	newest := items[0]
	for _, it := range items {
		if it.uploaded.After(newest.uploaded) {
			newest = it
		}
	}
	return newest
}

// contentPage answers the page of items at pos. Callers hold s.mu.
func (s *Server) contentPage(w http.ResponseWriter, r *http.Request, a *account, items []*item, newest *item, pos, limit int, legacy bool) {
	if pos >= len(items) {
		s.f.Error(w, http.StatusNotFound, "No content matched the query")
		return
	}
	end := min(pos+limit, len(items))
	page := items[pos:end]
	if !s.charge(w, r, a, RouteContent, len(page)) {
		return
	}
	out := make([]map[string]any, len(page))
	for i, it := range page {
		out[i] = itemBody(it)
	}
	if legacy {
		fake.JSON(w, http.StatusOK, map[string]any{"content": out, "count": len(items), "limit": limit, "offset": pos,
			"tokensDeducted": len(page), "tokensRemaining": a.tokens})
		return
	}
	body := map[string]any{"items": out, "tokensDeducted": len(page), "tokensRemaining": a.tokens,
		"watermark": map[string]any{"created_at_max": iso(newest.uploaded), "last_id": newest.id}}
	if end < len(items) {
		id := base64.RawURLEncoding.EncodeToString([]byte(fmt.Sprintf(`{"pitId":"pit-%d","searchAfter":%d}`, len(s.cursors)+1, end)))
		s.cursors[id] = &cursor{items: items, newest: newest, pos: end}
		body["next_cursor"] = id
	}
	fake.JSON(w, http.StatusOK, body)
}

func itemBody(it *item) map[string]any {
	c := it.c
	return map[string]any{"_id": it.id, "_index": "content-" + string(it.platform), "contentId": it.contentID, "platform": it.platform,
		"contentType": it.ctype, "uploaded": it.uploaded.UTC().Format(time.RFC3339), "reach": it.reach, "likes": it.likes,
		"comments": it.comments, "shares": it.shares, "saves": it.saves, "engagementRate": it.er, "viralFactor": it.viral,
		"username": strings.TrimPrefix(c.Username, "@"), "userId": c.UserID, "followers": c.Followers, "verified": c.Verified,
		"country": c.Country, "city": c.City, "language": c.Language, "gender": c.Gender, "captions": it.captions,
		"hashtags": it.hashtags, "mentions": it.mentions, "isSponsored": false,
		"imageUrl": "https://signed-url.example/" + it.id + ".jpg", "videoUrl": "https://signed-url.example/" + it.id + ".mp4"}
}

// query is one getContent query: its key (the parameters its answer
// depends on), its filter and its order.
type query struct {
	key   string
	match func(*item) bool
	order func(a, b *item) int
}

// contentParams are the parameters a getContent answer depends on.
var contentParams = []string{"platform", "min_followers", "followerMin", "followerMax", "viewsMin", "viewsMax", "created_at_gte", "uploadedFrom",
	"created_at_lte", "uploadedTo", "username", "keywords", "tags", "contentTypes", "country", "city", "language", "gender", "sorting"}

// contentQuery reads the getContent filters and sort; msg is the 400
// message for a bad one. Items come newest first (ties: the later added
// first), or by reach or viral factor and then so.
func contentQuery(q url.Values) (query, string) {
	platforms := list(q.Get("platform"))
	if len(platforms) == 0 {
		platforms = []string{"instagram", "tiktok"}
	}
	for _, p := range platforms {
		if !infludata.Platform(p).HasContent() {
			return query{}, "Invalid platform: " + p
		}
	}
	nums := &numbers{q: q}
	fMin, hasFMin := nums.float("min_followers", "followerMin")
	if !hasFMin {
		fMin = 10000 // the documented default
	}
	fMax, hasFMax := nums.float("followerMax")
	vMin, hasVMin := nums.float("viewsMin")
	vMax, hasVMax := nums.float("viewsMax")
	if nums.bad != "" {
		return query{}, nums.bad + " must be a number"
	}
	var from, to time.Time
	for _, d := range []struct {
		t     *time.Time
		names []string
	}{{&from, []string{"created_at_gte", "uploadedFrom"}}, {&to, []string{"created_at_lte", "uploadedTo"}}} {
		for _, n := range d.names {
			if v := q.Get(n); v != "" {
				t, err := jsonx.ParseTime(v)
				if err != nil {
					return query{}, n + " must be an ISO date"
				}
				*d.t = t
				break
			}
		}
	}
	users := list(strings.ToLower(q.Get("username")))
	keywords := list(strings.ToLower(q.Get("keywords")))
	tags := list(strings.ToLower(q.Get("tags")))
	types := list(q.Get("contentTypes"))
	country, city, lang, gender := q.Get("country"), q.Get("city"), q.Get("language"), q.Get("gender")
	match := func(it *item) bool {
		c := it.c
		if !containsStr(platforms, string(it.platform)) || (len(users) > 0 && !containsStr(users, strings.ToLower(strings.TrimPrefix(c.Username, "@")))) ||
			float64(c.Followers) < fMin || (hasFMax && float64(c.Followers) > fMax) ||
			(hasVMin && float64(it.reach) < vMin) || (hasVMax && float64(it.reach) > vMax) ||
			(!from.IsZero() && it.uploaded.Before(from)) || (!to.IsZero() && it.uploaded.After(to)) ||
			(len(types) > 0 && !containsStr(types, string(it.ctype))) ||
			(country != "" && c.Country != country) || (city != "" && c.City != city) || (lang != "" && c.Language != lang) ||
			(gender != "" && genderWord(c.Gender) != genderWord(gender)) {
			return false
		}
		if len(tags) > 0 && !overlap(tags, it.hashtags) {
			return false
		}
		if len(keywords) > 0 {
			text := strings.ToLower(it.captions + " " + strings.Join(it.hashtags, " ") + " " + strings.Join(it.mentions, " "))
			found := false
			for _, k := range keywords {
				found = found || strings.Contains(text, k)
			}
			if !found {
				return false
			}
		}
		return true
	}
	newest := func(a, b *item) int {
		if c := a.uploaded.Compare(b.uploaded); c != 0 {
			return -c
		}
		return -cmp.Compare(a.seq, b.seq)
	}
	order := newest
	switch q.Get("sorting") {
	case "reach":
		order = func(a, b *item) int { return cmp.Or(-cmp.Compare(a.reach, b.reach), newest(a, b)) }
	case "viral":
		order = func(a, b *item) int { return cmp.Or(-cmp.Compare(a.viral, b.viral), newest(a, b)) }
	case "", "uploaded":
	default:
		return query{}, "sorting must be uploaded, reach or viral"
	}
	return query{key: queryKey(q, contentParams), match: match, order: order}, ""
}

func containsStr(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

func overlap(want, have []string) bool {
	for _, w := range want {
		if containsStr(have, w) {
			return true
		}
	}
	return false
}
