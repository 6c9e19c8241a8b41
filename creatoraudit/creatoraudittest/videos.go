package creatoraudittest

import (
	"cmp"
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/creatorkit/creatorkit-go/creatoraudit"
	"github.com/creatorkit/creatorkit-go/internal/fake"
)

func (s *Server) listVideos(accountVideos bool) http.HandlerFunc {
	route, def, allowed := RouteVideosList, "added_at", []string{"added_at", "create_time", "view_count", "like_count", "play_count"}
	if accountVideos {
		route, def, allowed = RouteAccountVideosList, "create_time", allowed[1:]
	}
	return func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		platform, ok := s.platformParam(w, r)
		if !ok {
			return
		}
		active, ok := s.boolParam(w, r, "is_active")
		if !ok {
			return
		}
		field, desc, ok := s.order(w, r, def, true, allowed...)
		if !ok {
			return
		}
		accountID, text := q.Get("account_id"), strings.ToLower(q.Get("q"))
		now := s.begin()
		defer s.mu.Unlock()
		views, src := &s.videoQ, &s.videos
		if accountVideos {
			views, src = &s.avideoQ, &s.avideos
		}
		list := views.Get(bindingKey(route, q), func() *fake.View[*video] {
			match := func(v *video) bool {
				return !((accountVideos && !v.visible) || (platform != "" && v.platform != platform) || (active != nil && v.isActive != *active) ||
					(accountID != "" && v.accountID != accountID) || (text != "" && !strings.Contains(v.lowerCaption, text)))
			}
			key := func(v *video) int64 {
				switch field {
				case "create_time":
					return v.created.UnixNano()
				case "view_count":
					return v.m30.views
				case "like_count":
					return v.m30.likes
				case "play_count":
					return v.m30.plays
				}
				return v.seq
			}
			order := func(x, y *video) int {
				c := cmp.Or(cmp.Compare(key(x), key(y)), cmp.Compare(x.seq, y.seq))
				if desc {
					return -c
				}
				return c
			}
			return fake.NewView(match, order, src.all)
		})
		dir := "asc"
		if desc {
			dir = "desc"
		}
		s.page(w, r, route, list.Len(), func(i int) map[string]any { return s.renderVideo(list.At(i), now) }, map[string]any{"account_id": nullable(accountID), "platform": nullable(string(platform)),
			"is_active": active, "q": nullable(q.Get("q")), "order_by": field, "order_direction": dir})
	}
}

type videoBody struct {
	Platform            creatoraudit.Platform `json:"platform"`
	Identifier          string                `json:"identifier"`
	Metadata            map[string]any        `json:"metadata"`
	IsActive            *bool                 `json:"is_active"`
	ScrapeIntervalHours *int                  `json:"scrape_interval_hours"`
}

func (s *Server) createVideo(w http.ResponseWriter, r *http.Request) {
	now := s.begin()
	defer s.mu.Unlock()
	key, replayed := s.replay(w, r, RouteVideosCreate, now)
	if replayed {
		return
	}
	var b videoBody
	if !s.decode(w, r, &b) {
		return
	}
	b.Identifier = strings.TrimSpace(b.Identifier)
	switch {
	case !b.Platform.Valid():
		s.invalid(w, r, "platform", "must be one of: instagram, tiktok")
		return
	case b.Identifier == "":
		s.invalid(w, r, "identifier", "is required")
		return
	case b.ScrapeIntervalHours != nil && *b.ScrapeIntervalHours <= 0:
		s.invalid(w, r, "scrape_interval_hours", "must be a positive integer")
		return
	}
	if s.videoByIdent[string(b.Platform)+"|"+b.Identifier] != nil {
		s.problem(w, r, http.StatusConflict, creatoraudit.CodeConflict, fmt.Sprintf("Video %s/%s is already tracked.", b.Platform, b.Identifier))
		return
	}
	v := &video{id: s.nextID(2), platform: b.Platform, identifier: b.Identifier, metadata: map[string]any{}, isActive: true, interval: 24,
		added: now, scrapeAt: now.Add(s.Scale(s.cfg.scrapeDelay)), created: now.Add(-48 * time.Hour), unavail: unavailableName(b.Identifier)}
	v.seq = s.seq
	v.caption = "video " + shortcodeOf(b.Identifier)
	s.applyVideo(v, b)
	s.addVideo(v, false)
	s.created(w, key, now, s.renderVideo(v, now))
}

// applyVideo copies the optional fields onto v; callers of a video
// already listed change it through s.videoQ.Change.
func (s *Server) applyVideo(v *video, b videoBody) {
	if b.Metadata != nil {
		v.metadata = b.Metadata
	}
	if b.IsActive != nil {
		v.isActive = *b.IsActive
	}
	if b.ScrapeIntervalHours != nil {
		v.interval = *b.ScrapeIntervalHours
	}
}

// findAnyVideo finds an individual video by id, or an account video by
// its internal id. Callers hold s.mu.
func (s *Server) findAnyVideo(accountVideos bool, id string, now time.Time) *video {
	if !accountVideos {
		return s.videoByID[id]
	}
	v := s.avideoByID[id]
	if v == nil || !visible(v, now) {
		return nil
	}
	return v
}

func (s *Server) getVideo(accountVideos bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		now := s.begin()
		defer s.mu.Unlock()
		v := s.findAnyVideo(accountVideos, r.PathValue("id"), now)
		if v == nil {
			s.notFound(w, r, "Video")
			return
		}
		reply(w, r, http.StatusOK, map[string]any{"data": s.renderVideo(v, now)})
	}
}

func (s *Server) updateVideo(w http.ResponseWriter, r *http.Request) {
	var b videoBody
	if !s.decode(w, r, &b) {
		return
	}
	now := s.begin()
	defer s.mu.Unlock()
	v := s.videoByID[r.PathValue("id")]
	if v == nil {
		s.notFound(w, r, "Video")
		return
	}
	if b.ScrapeIntervalHours != nil && *b.ScrapeIntervalHours <= 0 {
		s.invalid(w, r, "scrape_interval_hours", "must be a positive integer")
		return
	}
	s.videoQ.Change(v, func() { s.applyVideo(v, b) })
	reply(w, r, http.StatusOK, map[string]any{"data": s.renderVideo(v, now)})
}

func (s *Server) deleteVideo(w http.ResponseWriter, r *http.Request) {
	s.begin()
	defer s.mu.Unlock()
	v := s.videoByID[r.PathValue("id")]
	if v == nil {
		s.notFound(w, r, "Video")
		return
	}
	s.videoQ.Remove(v)
	v.deleted = true
	delete(s.videoByID, v.id)
	delete(s.videoByIdent, string(v.platform)+"|"+v.identifier)
	s.videos.kill()
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) videoLookup(accountVideos bool, now time.Time) func(id string) (source, bool, bool) {
	return func(id string) (source, bool, bool) {
		v := s.findAnyVideo(accountVideos, id, now)
		if v == nil {
			return source{}, false, false
		}
		return v.src, scrapedVideo(v, now), true
	}
}

// scrapedVideo reports whether a video has metrics: its first scrape has
// come and it was available.
func scrapedVideo(v *video, now time.Time) bool { return !v.unavail && visible(v, now) }

func (s *Server) videosMetrics(w http.ResponseWriter, r *http.Request) {
	var b metricsReq
	if !s.decode(w, r, &b) {
		return
	}
	now := s.begin()
	defer s.mu.Unlock()
	s.batch(w, r, "video_ids", b.VideoIDs, b, s.videoLookup(false, now))
}

func (s *Server) accountVideosMetrics(w http.ResponseWriter, r *http.Request) {
	var b metricsReq
	if !s.decode(w, r, &b) {
		return
	}
	ids := make([]string, 0, len(b.InstagramPostIDs)+len(b.TiktokVideoIDs))
	for _, id := range append(append([]int64(nil), b.InstagramPostIDs...), b.TiktokVideoIDs...) {
		ids = append(ids, strconv.FormatInt(id, 10))
	}
	now := s.begin()
	defer s.mu.Unlock()
	s.batch(w, r, "instagram_post_ids", ids, b, s.videoLookup(true, now))
}

func (s *Server) videosDeltas(w http.ResponseWriter, r *http.Request) {
	var b struct {
		VideoIDs []string `json:"video_ids"`
		Windows  []int    `json:"windows"`
	}
	if !s.decode(w, r, &b) {
		return
	}
	if len(b.VideoIDs) < 1 || len(b.VideoIDs) > creatoraudit.MaxBatchIDs {
		s.invalid(w, r, "video_ids", fmt.Sprintf("must hold 1 to %d ids, got %d", creatoraudit.MaxBatchIDs, len(b.VideoIDs)))
		return
	}
	windows := map[int]bool{}
	for _, d := range b.Windows {
		if d < 1 || d > 365 {
			s.invalid(w, r, "windows", "each window must be 1 to 365 days")
			return
		}
		windows[d] = true // duplicates are ignored
	}
	if len(b.Windows) < 1 || len(b.Windows) > creatoraudit.MaxDeltaWindows {
		s.invalid(w, r, "windows", fmt.Sprintf("must hold 1 to %d windows", creatoraudit.MaxDeltaWindows))
		return
	}
	now := s.begin()
	defer s.mu.Unlock()
	data := map[string]any{}
	for _, id := range b.VideoIDs {
		v := s.videoByID[id]
		if v == nil {
			continue
		}
		per := map[string]any{}
		for d := range windows {
			m := nullMetrics()
			if scrapedVideo(v, now) {
				m = metricsFor(v.src, d).json()
			}
			delete(m, "plays")
			per[strconv.Itoa(d)] = m
		}
		data[id] = per
	}
	sorted := make([]int, 0, len(windows))
	for d := range windows {
		sorted = append(sorted, d)
	}
	sort.Ints(sorted)
	reply(w, r, http.StatusOK, map[string]any{"data": data, "meta": map[string]any{"windows": sorted, "as_of": ts(now)}})
}

func (s *Server) videoAnalytics(accountVideos, timeseries bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		x, ok := s.queryWindow(w, r, "30d", true)
		if !ok {
			return
		}
		now := s.begin()
		defer s.mu.Unlock()
		v := s.findAnyVideo(accountVideos, r.PathValue("id"), now)
		if v == nil {
			s.notFound(w, r, "Video")
			return
		}
		if !scrapedVideo(v, now) {
			s.analyticsReply(w, r, "video_analytics", timeseries, x, nil, 0)
			return
		}
		s.analyticsReply(w, r, "video_analytics", timeseries, x, &v.src, 0)
	}
}
