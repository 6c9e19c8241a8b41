package creatoraudittest

import (
	"hash/fnv"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/creatorkit/creatorkit-go/creatoraudit"
	"github.com/creatorkit/creatorkit-go/internal/fake/universe"
)

const tsLayout = "2006-01-02T15:04:05Z"

func ts(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UTC().Format(tsLayout)
}

func hash(s string) uint64 {
	h := fnv.New64a()
	_, _ = h.Write([]byte(s))
	return h.Sum64()
}

type account struct {
	id          string
	seq         int64
	platform    creatoraudit.Platform
	username    string
	lowerName   string // what q and search compare
	category    string
	creatorID   string
	metadata    map[string]any
	isActive    bool
	added       time.Time
	scrapeAt    time.Time
	interval    int
	maxRecent   *int
	lookback    *int
	unavailable bool
	u           *universe.Creator // the creator universe's account behind it
	asOf        time.Time         // the universe date of its first scrape, which its figures are of
	scraped     bool              // its first scrape has come (as of the last promote)
	deleted     bool              // no longer tracked
	videos      []*video          // the account videos its first scrape discovers
}

// counted reports whether the account's metrics count in the overview
// and its creator's totals: scraped and available.
func (a *account) counted() bool { return a.scraped && !a.unavailable && !a.deleted }

type video struct {
	id           string
	intID        int64 // account videos: the internal integer id
	seq          int64
	platform     creatoraudit.Platform
	identifier   string
	metadata     map[string]any
	isActive     bool
	interval     int
	added        time.Time
	scrapeAt     time.Time
	created      time.Time // published on the platform
	caption      string
	lowerCaption string
	accountID    string
	accountUsr   string
	unavail      bool
	src          source       // what its metrics are drawn from
	m30          metricValues // its 30-day metrics, which the list sorts by
	visible      bool         // account videos: discovered (as of the last promote)
	deleted      bool
}

type creator struct {
	id        string
	seq       int64
	name      string
	lowerName string
	isActive  bool
	metadata  map[string]any
	accounts  map[*account]struct{} // linked
	totals    creatorTotals         // of the linked accounts that count
	deleted   bool
}

func unavailableName(s string) bool {
	s = strings.ToLower(s)
	return strings.Contains(s, "private") || strings.Contains(s, "unavailable")
}

// newAccount records an account. Callers hold s.mu.
// The first scrape comes at scrapeAt, and discovers the account videos.
func (s *Server) newAccount(platform creatoraudit.Platform, username string, now, scrapeAt time.Time) *account {
	a := &account{id: s.nextID(1), platform: platform, username: username, lowerName: strings.ToLower(username), metadata: map[string]any{},
		isActive: true, added: now, scrapeAt: scrapeAt, interval: 24, unavailable: unavailableName(username),
		u: universe.Get(string(platform), username), asOf: s.clock.Date(scrapeAt)}
	a.seq = s.seq
	if !a.unavailable {
		for i := 0; i < s.cfg.videosPerAccount; i++ {
			s.seq++
			v := &video{intID: 48000 + s.seq, seq: s.seq, platform: platform, isActive: true, interval: 24, added: a.scrapeAt, scrapeAt: a.scrapeAt,
				created: a.scrapeAt.Add(-time.Duration(i+1) * 24 * time.Hour), caption: username + " post " + strconv.Itoa(i+1),
				accountID: a.id, accountUsr: username}
			v.id = strconv.FormatInt(v.intID, 10)
			v.identifier = "p" + v.id
			// A post draws about a thirtieth of the account's average
			// views a day, in the account's proportions.
			v.src = accountSource(a)
			v.src.h, v.src.base = hash(v.id), max(50, a.u.AvgViews(a.asOf)/30)
			s.addVideo(v, true)
			a.videos = append(a.videos, v)
		}
	}
	s.accounts.add(a)
	s.accountByID[a.id] = a
	s.accountByName[nameKey(platform, username)] = a
	s.scraping.Add(a.scrapeAt, a)
	s.count(a, 1)
	s.accountQ.Add(a)
	if s.text != nil {
		s.text.accounts.Add(a, a.lowerName)
	}
	return a
}

// addVideo records an individual video or an account video. Callers
// hold s.mu.
func (s *Server) addVideo(v *video, accountVideo bool) {
	v.lowerCaption = strings.ToLower(v.caption)
	if v.src.base == 0 {
		v.src = videoSource(v)
	}
	v.m30 = metricsFor(v.src, 30)
	if accountVideo {
		s.avideos.add(v)
		s.avideoByID[v.id] = v
		if s.text != nil {
			s.text.avideos.Add(v, v.lowerCaption)
		}
		return // listed once discovered, by promote
	}
	s.videos.add(v)
	s.videoByID[v.id] = v
	s.videoByIdent[string(v.platform)+"|"+v.identifier] = v
	s.videoQ.Add(v)
	if s.text != nil {
		s.text.videos.Add(v, v.lowerCaption)
	}
}

// newCreator records a creator. Callers hold s.mu.
func (s *Server) newCreator(name string) *creator {
	c := &creator{id: s.nextID(3), name: name, lowerName: strings.ToLower(name), isActive: true, metadata: map[string]any{}, accounts: map[*account]struct{}{}}
	c.seq = s.seq
	s.creators.add(c)
	s.creatorByID[c.id] = c
	s.creatorQ.Add(c)
	s.leaderQ.Add(c)
	if s.text != nil {
		s.text.creators.Add(c, c.lowerName)
	}
	return c
}

func (s *Server) findAccount(id string) *account { return s.accountByID[id] }

func (s *Server) findCreator(id string) *creator { return s.creatorByID[id] }

// lastScrape is the latest refresh before now: the first scrape, then one
// every interval hours (virtual).
func (s *Server) lastScrape(first time.Time, intervalHours int, now time.Time) time.Time {
	if now.Before(first) {
		return time.Time{}
	}
	step := s.Scale(time.Duration(intervalHours) * time.Hour)
	if step <= 0 {
		return first
	}
	return first.Add(now.Sub(first) / step * step)
}

// visible reports whether a video has had its first scrape (an account
// video: whether it has been discovered).
func visible(v *video, now time.Time) bool { return !now.Before(v.scrapeAt) }

func intp(v int64) *int64 { return &v }

func (s *Server) renderAccount(a *account, now time.Time) map[string]any {
	scraped := !a.unavailable && !now.Before(a.scrapeAt)
	m := map[string]any{
		"id": a.id, "type": "account", "platform": a.platform, "username": a.username, "name": "", "description": "",
		"profile_pic_url": "", "profile_pic_url_original": "", "is_verified": false, "is_active": a.isActive,
		"is_unavailable": a.unavailable && !now.Before(a.scrapeAt), "link_in_bio": "", "creator_id": nil, "creator_name": nil,
		"category": a.category, "metadata": a.metadata, "added_at": ts(a.added), "first_scrape_time": nil, "last_scrape_time": nil,
		"scrape_interval_hours": a.interval, "max_recent_posts_per_account": a.maxRecent, "post_lookback_days": a.lookback,
		"effective_max_recent_posts_per_account": 50, "effective_post_lookback_days": 30,
	}
	if a.maxRecent != nil {
		m["effective_max_recent_posts_per_account"] = *a.maxRecent
	}
	if a.lookback != nil {
		m["effective_post_lookback_days"] = *a.lookback
	}
	if c := s.findCreator(a.creatorID); c != nil {
		m["creator_id"], m["creator_name"] = c.id, c.name
	}
	counts := []string{"follower_count", "following_count", "profile_post_count", "total_post_count", "view_count", "like_count",
		"comment_count", "share_count", "play_count", "saved_count", "fb_play_count", "ig_play_count", "fb_like_count"}
	for _, k := range counts {
		m[k] = nil
	}
	if scraped {
		f := a.u.View(universe.CreatorAudit, a.asOf)
		m["name"] = a.u.Name
		m["is_verified"] = a.u.Verified
		m["first_scrape_time"], m["last_scrape_time"] = ts(a.scrapeAt), ts(s.lastScrape(a.scrapeAt, a.interval, now))
		mt := metricsFor(accountSource(a), 30)
		m["follower_count"], m["following_count"] = f.Followers, f.Following
		m["profile_post_count"], m["total_post_count"] = f.Posts, f.Posts
		m["view_count"], m["like_count"], m["comment_count"] = mt.views, mt.likes, mt.comments
		m["share_count"], m["play_count"], m["saved_count"] = mt.shares, mt.plays, mt.saved
		if a.platform == creatoraudit.Instagram {
			m["ig_play_count"] = mt.plays
		}
	}
	return m
}

func (s *Server) renderVideo(v *video, now time.Time) map[string]any {
	scraped := !v.unavail && !now.Before(v.scrapeAt)
	var id any = v.id
	shortcode := ""
	if v.intID != 0 {
		id = v.intID
	} else if v.platform == creatoraudit.Instagram {
		shortcode = shortcodeOf(v.identifier)
	}
	m := map[string]any{
		"id": id, "type": "video", "platform": v.platform, "external_id": strconv.FormatUint(hash(v.identifier)%1e18, 10), "shortcode": shortcode,
		"is_active": v.isActive, "scrape_interval_hours": v.interval, "metadata": v.metadata, "added_at": ts(v.added), "updated_at": ts(v.added),
		"first_scrape_time": nil, "last_scrape_time": nil, "description": "", "create_time": nil, "media_type": "",
		"duration": nil, "is_unavailable": v.unavail && !now.Before(v.scrapeAt), "cover_image_url": "", "cover_image_url_original": "",
		"video_url": "", "video_url_original": "", "account_id": nil, "account_username": v.accountUsr, "platform_account_id": "", "platform_data": map[string]any{},
	}
	for _, k := range []string{"view_count", "like_count", "comment_count", "share_count", "play_count", "saved_count", "total_views", "total_plays"} {
		m[k] = nil
	}
	if v.accountID != "" {
		m["account_id"] = v.accountID
	}
	if scraped {
		h := hash(v.id)
		mt := metricsFor(v.src, 30)
		m["first_scrape_time"], m["last_scrape_time"] = ts(v.scrapeAt), ts(s.lastScrape(v.scrapeAt, v.interval, now))
		m["updated_at"] = m["last_scrape_time"]
		m["description"], m["create_time"], m["media_type"] = v.caption, ts(v.created), "video"
		m["duration"] = float64(10 + h%50)
		m["view_count"], m["like_count"], m["comment_count"], m["share_count"] = mt.views, mt.likes, mt.comments, mt.shares
		m["play_count"], m["saved_count"], m["total_views"], m["total_plays"] = mt.plays, mt.saved, mt.views, mt.plays
	}
	return m
}

func shortcodeOf(identifier string) string {
	s := strings.TrimSuffix(identifier, "/")
	if i := strings.LastIndex(s, "/"); i >= 0 {
		return s[i+1:]
	}
	return s
}

// followers is an account's follower count: the creator universe's, as
// of its first scrape.
func followers(a *account) int64 { return a.u.View(universe.CreatorAudit, a.asOf).Followers }

func (s *Server) renderCreator(c *creator, _ time.Time) map[string]any {
	total, ig, tt := int64(0), int64(0), int64(0)
	for a := range c.accounts {
		total++
		if a.platform == creatoraudit.Instagram {
			ig++
		} else {
			tt++
		}
	}
	platforms := map[string]int64{}
	if ig > 0 {
		platforms["instagram"] = ig
	}
	if tt > 0 {
		platforms["tiktok"] = tt
	}
	return map[string]any{"id": c.id, "type": "creator", "name": c.name, "is_active": c.isActive, "metadata": c.metadata,
		"accounts_summary": map[string]any{"total": total, "platforms": platforms, "total_followers": c.totals.fol[0]}}
}

// metricValues are one entity's metrics over a number of days.
type metricValues struct {
	views, plays, likes, comments, shares int64
	saved                                 *int64
	er                                    float64
}

// source is what an entity's metrics are drawn from: its hash (the
// day-to-day pattern), its views a day, and its likes, comments and
// shares per view (zero: proportions that vary by hash). An account's
// come from the creator universe as of its first scrape, a video's from
// its hash (an account video's from its account).
type source struct {
	h                       uint64
	p                       creatoraudit.Platform
	base                    int64
	likes, comments, shares float64
	born                    time.Time // the day the account was created (the fake's clock); nothing before it
}

func videoSource(v *video) source {
	h := hash(v.id)
	return source{h: h, p: v.platform, base: int64(500 + h%20000)}
}

func accountSource(a *account) source {
	u, h := a.u, hash(a.id)
	views := float64(max(1, u.AvgViews(a.asOf)))
	return source{h: h, p: a.platform, base: max(1, u.DailyViews(a.asOf)), likes: float64(u.AvgLikes(a.asOf)) / views,
		comments: float64(u.AvgComments(a.asOf)) / views, shares: float64(2+h>>16%6) / 1000,
		born: a.scrapeAt.Add(-a.asOf.Sub(u.Created)).UTC().Truncate(24 * time.Hour)}
}

// daily is an entity's views on day i (stable, varied; it depends on i%3
// only).
func daily(src source, i int) int64 {
	return src.base * int64(90+(uint64(i%3)*7+src.h)%21) / 100
}

// windowMetrics sums a window's days, none before the account existed
// (for the 7, 30 and 90 days to today it is metricsFor: every account the
// universe makes is older).
func windowMetrics(src source, x win) metricValues {
	var views int64
	for i := 0; i < x.days; i++ {
		if !x.start.AddDate(0, 0, i).Before(src.born) {
			views += daily(src, i)
		}
	}
	return valuesOf(views, src)
}

func metricsFor(src source, days int) metricValues {
	var views int64
	for i := 0; i < days; i++ {
		views += daily(src, i)
	}
	return valuesOf(views, src)
}

// valuesOf derives the other metrics from views, in the source's
// proportions.
func valuesOf(views int64, src source) metricValues {
	h := src.h
	m := metricValues{views: views, plays: views * 11 / 10, likes: views * int64(4+h%9) / 100,
		comments: views * int64(1+h>>8%4) / 1000, shares: views * int64(2+h>>16%6) / 1000}
	if src.likes > 0 || src.comments > 0 {
		f := float64(views)
		m.likes, m.comments, m.shares = int64(f*src.likes), int64(f*src.comments), int64(f*src.shares)
	}
	if src.p == creatoraudit.Instagram {
		m.saved = intp(views / 90)
	}
	if views > 0 {
		m.er = math.Round(float64(m.likes+m.comments+m.shares)/float64(views)*10000) / 100
	}
	return m
}

// nullMetrics are the metrics of an entity CreatorAudit has not scraped:
// none, rather than numbers that cannot exist yet.
func nullMetrics() map[string]any {
	return map[string]any{"views": nil, "plays": nil, "likes": nil, "comments": nil, "shares": nil, "saved_count": nil, "engagement_rate": nil}
}

func (m metricValues) add(o metricValues) metricValues {
	m.views += o.views
	m.plays += o.plays
	m.likes += o.likes
	m.comments += o.comments
	m.shares += o.shares
	if o.saved != nil {
		if m.saved == nil {
			m.saved = intp(0)
		}
		m.saved = intp(*m.saved + *o.saved)
	}
	if m.views > 0 {
		m.er = math.Round(float64(m.likes+m.comments+m.shares)/float64(m.views)*10000) / 100
	}
	return m
}

func (m metricValues) json() map[string]any {
	out := map[string]any{"views": m.views, "plays": m.plays, "likes": m.likes, "comments": m.comments, "shares": m.shares,
		"saved_count": nil, "engagement_rate": m.er}
	if m.saved != nil {
		out["saved_count"] = *m.saved
	}
	return out
}
