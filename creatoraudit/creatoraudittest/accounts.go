package creatoraudittest

import (
	"cmp"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/creatorkit/creatorkit-go/creatoraudit"
	"github.com/creatorkit/creatorkit-go/internal/fake"
)

func (s *Server) routes() {
	s.handle("GET /v2/health", RouteHealth, func(w http.ResponseWriter, r *http.Request) {
		reply(w, r, http.StatusOK, map[string]any{"data": map[string]any{"status": "ok"}})
	})
	s.handle("GET /v2/meta", RouteMeta, s.meta)
	s.handle("GET /v2/whoami", RouteWhoAmI, s.whoami)
	s.handle("GET /v2/openapi.json", RouteOpenAPI, s.openapi)

	s.handle("GET /v2/accounts", RouteAccountsList, s.listAccounts)
	s.handle("POST /v2/accounts", RouteAccountsCreate, s.createAccount)
	s.handle("GET /v2/accounts/{id}", RouteAccountGet, s.getAccount)
	s.handle("PATCH /v2/accounts/{id}", RouteAccountUpdate, s.updateAccount)
	s.handle("DELETE /v2/accounts/{id}", RouteAccountDelete, s.deleteAccount)
	s.handle("POST /v2/accounts/metrics", RouteAccountsMetrics, s.accountsMetrics)
	s.handle("GET /v2/accounts/{id}/analytics", RouteAccountAnalytics, s.accountAnalytics(false))
	s.handle("GET /v2/accounts/{id}/timeseries", RouteAccountTimeseries, s.accountAnalytics(true))

	s.handle("GET /v2/videos", RouteVideosList, s.listVideos(false))
	s.handle("POST /v2/videos", RouteVideosCreate, s.createVideo)
	s.handle("GET /v2/videos/{id}", RouteVideoGet, s.getVideo(false))
	s.handle("PATCH /v2/videos/{id}", RouteVideoUpdate, s.updateVideo)
	s.handle("DELETE /v2/videos/{id}", RouteVideoDelete, s.deleteVideo)
	s.handle("POST /v2/videos/metrics", RouteVideosMetrics, s.videosMetrics)
	s.handle("POST /v2/videos/deltas", RouteVideosDeltas, s.videosDeltas)
	s.handle("GET /v2/videos/{id}/analytics", RouteVideoAnalytics, s.videoAnalytics(false, false))
	s.handle("GET /v2/videos/{id}/timeseries", RouteVideoTimeseries, s.videoAnalytics(false, true))

	s.handle("GET /v2/account-videos", RouteAccountVideosList, s.listVideos(true))
	s.handle("GET /v2/account-videos/{id}", RouteAccountVideoGet, s.getVideo(true))
	s.handle("POST /v2/account-videos/metrics", RouteAccountVideosMetrics, s.accountVideosMetrics)
	s.handle("GET /v2/account-videos/{id}/analytics", RouteAccountVideoAnalytics, s.videoAnalytics(true, false))
	s.handle("GET /v2/account-videos/{id}/timeseries", RouteAccountVideoTimeseries, s.videoAnalytics(true, true))

	s.handle("GET /v2/creators", RouteCreatorsList, s.listCreators)
	s.handle("POST /v2/creators", RouteCreatorsCreate, s.createCreator)
	s.handle("GET /v2/creators/top", RouteCreatorsTop, s.topCreators)
	s.handle("GET /v2/creators/{id}", RouteCreatorGet, s.getCreator)
	s.handle("PATCH /v2/creators/{id}", RouteCreatorUpdate, s.updateCreator)
	s.handle("DELETE /v2/creators/{id}", RouteCreatorDelete, s.deleteCreator)
	s.handle("PUT /v2/creators/{id}/accounts/{account_id}", RouteCreatorLink, s.linkAccount)
	s.handle("DELETE /v2/creators/{id}/accounts/{account_id}", RouteCreatorUnlink, s.unlinkAccount)
	s.handle("GET /v2/creators/{id}/analytics", RouteCreatorAnalytics, s.creatorAnalytics(false))
	s.handle("GET /v2/creators/{id}/timeseries", RouteCreatorTimeseries, s.creatorAnalytics(true))

	s.handle("GET /v2/overview", RouteOverview, s.overview)
	s.handle("GET /v2/overview/timeseries", RouteOverviewTimeseries, s.overviewTimeseries)
	s.handle("GET /v2/search", RouteSearch, s.search)
}

func (s *Server) listAccounts(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	platform, ok := s.platformParam(w, r)
	if !ok {
		return
	}
	active, ok := s.boolParam(w, r, "is_active")
	if !ok {
		return
	}
	field, desc, ok := s.order(w, r, "added_at", true, "added_at", "follower_count", "username")
	if !ok {
		return
	}
	text, category, creatorID := strings.ToLower(q.Get("q")), q.Get("category"), q.Get("creator_id")
	now := s.begin()
	defer s.mu.Unlock()
	list := s.accountQ.Get(bindingKey(RouteAccountsList, q), func() *fake.View[*account] {
		match := func(a *account) bool {
			return !((platform != "" && a.platform != platform) || (active != nil && a.isActive != *active) ||
				(text != "" && !strings.Contains(a.lowerName, text)) ||
				(category != "" && a.category != category) || (creatorID != "" && a.creatorID != creatorID))
		}
		key := func(a *account) int64 {
			if field == "follower_count" {
				if a.unavailable || !a.scraped {
					return -1
				}
				return followers(a)
			}
			return a.seq
		}
		order := func(x, y *account) int {
			c := 0
			if field == "username" {
				c = strings.Compare(x.username, y.username)
			} else {
				c = cmp.Compare(key(x), key(y))
			}
			if c == 0 {
				c = cmp.Compare(x.seq, y.seq)
			}
			if desc {
				return -c
			}
			return c
		}
		return fake.NewView(match, order, s.accounts.all)
	})
	dir := "asc"
	if desc {
		dir = "desc"
	}
	s.page(w, r, RouteAccountsList, list.Len(), func(i int) map[string]any { return s.renderAccount(list.At(i), now) }, map[string]any{"platform": nullable(string(platform)), "q": nullable(q.Get("q")),
		"is_active": active, "category": nullable(category), "creator_id": nullable(creatorID), "order_by": field, "order_direction": dir})
}

type accountBody struct {
	Platform            creatoraudit.Platform `json:"platform"`
	Username            string                `json:"username"`
	Category            *string               `json:"category"`
	ScrapeIntervalHours *int                  `json:"scrape_interval_hours"`
	CreatorID           *string               `json:"creator_id"`
	Metadata            map[string]any        `json:"metadata"`
	IsActive            *bool                 `json:"is_active"`
	MaxRecent           *int                  `json:"max_recent_posts_per_account"`
	Lookback            *int                  `json:"post_lookback_days"`
}

// applyAccount checks the optional fields and copies them onto a (and
// into everything derived from a). Callers hold s.mu.
func (s *Server) applyAccount(a *account, b accountBody) *fieldError {
	if b.ScrapeIntervalHours != nil && *b.ScrapeIntervalHours <= 0 {
		return &fieldError{Field: "scrape_interval_hours", Message: "must be a positive integer"}
	}
	if b.CreatorID != nil && s.findCreator(*b.CreatorID) == nil {
		return &fieldError{Field: "creator_id", Message: "creator not found"}
	}
	s.changeAccount(a, func() {
		if b.Category != nil {
			a.category = *b.Category
		}
		if b.ScrapeIntervalHours != nil {
			a.interval = *b.ScrapeIntervalHours
		}
		if b.CreatorID != nil {
			a.creatorID = *b.CreatorID
		}
		if b.Metadata != nil {
			a.metadata = b.Metadata
		}
		if b.IsActive != nil {
			a.isActive = *b.IsActive
		}
		if b.MaxRecent != nil {
			a.maxRecent = b.MaxRecent
		}
		if b.Lookback != nil {
			a.lookback = b.Lookback
		}
	})
	return nil
}

func (s *Server) createAccount(w http.ResponseWriter, r *http.Request) {
	now := s.begin()
	defer s.mu.Unlock()
	key, replayed := s.replay(w, r, RouteAccountsCreate, now)
	if replayed {
		return
	}
	var b accountBody
	if !s.decode(w, r, &b) {
		return
	}
	b.Username = strings.TrimPrefix(strings.TrimSpace(b.Username), "@")
	switch {
	case !b.Platform.Valid():
		s.invalid(w, r, "platform", "must be one of: instagram, tiktok")
		return
	case b.Username == "":
		s.invalid(w, r, "username", "is required")
		return
	}
	if s.accountByName[nameKey(b.Platform, b.Username)] != nil {
		s.problem(w, r, http.StatusConflict, creatoraudit.CodeConflict, fmt.Sprintf("Account %s/%s is already tracked.", b.Platform, b.Username))
		return
	}
	if s.cfg.quota > 0 && s.accounts.len() >= s.cfg.quota {
		s.problem(w, r, http.StatusForbidden, creatoraudit.CodeQuotaExceeded, fmt.Sprintf("The organization's tracking quota of %d accounts has been reached.", s.cfg.quota))
		return
	}
	if b.CreatorID != nil && s.findCreator(*b.CreatorID) == nil {
		s.invalid(w, r, "creator_id", "creator not found")
		return
	}
	if b.ScrapeIntervalHours != nil && *b.ScrapeIntervalHours <= 0 {
		s.invalid(w, r, "scrape_interval_hours", "must be a positive integer")
		return
	}
	a := s.newAccount(b.Platform, b.Username, now, now.Add(s.Scale(s.cfg.scrapeDelay)))
	_ = s.applyAccount(a, b)
	s.f.Stats().Charge(RouteAccountsCreate, 1) // the ledger of creatoraudit.SpendUnit
	s.created(w, key, now, s.renderAccount(a, now))
}

func (s *Server) getAccount(w http.ResponseWriter, r *http.Request) {
	now := s.begin()
	defer s.mu.Unlock()
	a := s.findAccount(r.PathValue("id"))
	if a == nil {
		s.notFound(w, r, "Account")
		return
	}
	reply(w, r, http.StatusOK, map[string]any{"data": s.renderAccount(a, now)})
}

func (s *Server) updateAccount(w http.ResponseWriter, r *http.Request) {
	var b accountBody
	if !s.decode(w, r, &b) {
		return
	}
	now := s.begin()
	defer s.mu.Unlock()
	a := s.findAccount(r.PathValue("id"))
	if a == nil {
		s.notFound(w, r, "Account")
		return
	}
	if fe := s.applyAccount(a, b); fe != nil {
		s.problem(w, r, http.StatusUnprocessableEntity, creatoraudit.CodeValidationError, "Validation failed.", *fe)
		return
	}
	reply(w, r, http.StatusOK, map[string]any{"data": s.renderAccount(a, now)})
}

func (s *Server) deleteAccount(w http.ResponseWriter, r *http.Request) {
	s.begin()
	defer s.mu.Unlock()
	a := s.findAccount(r.PathValue("id"))
	if a == nil {
		s.notFound(w, r, "Account")
		return
	}
	s.dropAccount(a)
	w.WriteHeader(http.StatusNoContent)
}

type metricsReq struct {
	AccountIDs       []string `json:"account_ids"`
	VideoIDs         []string `json:"video_ids"`
	InstagramPostIDs []int64  `json:"instagram_post_ids"`
	TiktokVideoIDs   []int64  `json:"tiktok_video_ids"`
	Period           string   `json:"period"`
	StartDate        string   `json:"start_date"`
	EndDate          string   `json:"end_date"`
}

// batch answers a batch-metrics request: {data: {id: metrics}, meta}. An
// id that is tracked but not scraped yet has null metrics: nothing exists
// before the first scrape.
func (s *Server) batch(w http.ResponseWriter, r *http.Request, field string, ids []string, b metricsReq, lookup func(id string) (src source, scraped, ok bool)) {
	if len(ids) < 1 || len(ids) > creatoraudit.MaxBatchIDs {
		s.invalid(w, r, field, fmt.Sprintf("must hold 1 to %d ids, got %d", creatoraudit.MaxBatchIDs, len(ids)))
		return
	}
	x, fe := parseWindow(b.Period, b.StartDate, b.EndDate, "30d", true, time.Now())
	if fe != nil {
		s.problem(w, r, http.StatusUnprocessableEntity, creatoraudit.CodeValidationError, "Validation failed.", *fe)
		return
	}
	data := map[string]any{}
	var missing []string
	for _, id := range ids {
		src, scraped, ok := lookup(id)
		switch {
		case !ok:
			missing = append(missing, id)
			continue
		case !scraped:
			data[id] = nullMetrics()
			continue
		}
		data[id] = windowMetrics(src, x).json()
	}
	meta := x.json()
	meta["count"] = len(data)
	if len(missing) > 0 {
		meta["not_found"] = missing
	}
	reply(w, r, http.StatusOK, map[string]any{"data": data, "meta": meta})
}

func (s *Server) accountsMetrics(w http.ResponseWriter, r *http.Request) {
	var b metricsReq
	if !s.decode(w, r, &b) {
		return
	}
	s.begin()
	defer s.mu.Unlock()
	s.batch(w, r, "account_ids", b.AccountIDs, b, func(id string) (source, bool, bool) {
		a := s.findAccount(id)
		if a == nil {
			return source{}, false, false
		}
		return accountSource(a), a.counted(), true
	})
}

func (s *Server) accountAnalytics(timeseries bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		x, ok := s.queryWindow(w, r, "30d", true)
		if !ok {
			return
		}
		s.begin()
		defer s.mu.Unlock()
		a := s.findAccount(r.PathValue("id"))
		if a == nil {
			s.notFound(w, r, "Account")
			return
		}
		if !a.counted() {
			s.analyticsReply(w, r, "account_analytics", timeseries, x, nil, 0)
			return
		}
		src := accountSource(a)
		s.analyticsReply(w, r, "account_analytics", timeseries, x, &src, followers(a))
	}
}

// analyticsReply answers analytics (totals plus series) or a time series
// (points) for one entity; src nil: one not scraped yet, with null totals
// and no points.
func (s *Server) analyticsReply(w http.ResponseWriter, r *http.Request, typ string, timeseries bool, x win, src *source, fol int64) {
	data := x.json()
	pts := []map[string]any{}
	totals := nullMetrics()
	var cur, prev *metricValues
	if src != nil {
		pts = series(*src, x)
		c, p := windowMetrics(*src, x), previousMetrics(*src, x)
		cur, prev = &c, &p
		totals = c.json()
	}
	if timeseries {
		data["type"] = "timeseries"
		data["points"] = pts
	} else {
		data["type"] = typ
		for k, v := range totals {
			data[k] = v
		}
		if fol > 0 {
			data["followers"] = fol
		}
		data["series"] = pts
		compare(data, cur, prev)
	}
	reply(w, r, http.StatusOK, map[string]any{"data": data})
}
