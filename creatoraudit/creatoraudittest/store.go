package creatoraudittest

import (
	"hash/fnv"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/creatorkit/creatorkit-go/creatoraudit"
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
}

type video struct {
	id         string
	intID      int64 // account videos: the internal integer id
	seq        int64
	platform   creatoraudit.Platform
	identifier string
	metadata   map[string]any
	isActive   bool
	interval   int
	added      time.Time
	scrapeAt   time.Time
	created    time.Time // published on the platform
	caption    string
	accountID  string
	accountUsr string
	unavail    bool
}

type creator struct {
	id       string
	seq      int64
	name     string
	isActive bool
	metadata map[string]any
}

func unavailableName(s string) bool {
	s = strings.ToLower(s)
	return strings.Contains(s, "private") || strings.Contains(s, "unavailable")
}

// newAccount records an account. Callers hold s.mu.
// The first scrape comes at scrapeAt, and discovers the account videos.
func (s *Server) newAccount(platform creatoraudit.Platform, username string, now, scrapeAt time.Time) *account {
	a := &account{id: s.nextID(1), platform: platform, username: username, metadata: map[string]any{}, isActive: true,
		added: now, scrapeAt: scrapeAt, interval: 24, unavailable: unavailableName(username)}
	a.seq = s.seq
	s.accounts = append(s.accounts, a)
	if !a.unavailable {
		for i := 0; i < s.cfg.videosPerAccount; i++ {
			s.seq++
			v := &video{intID: 48000 + s.seq, seq: s.seq, platform: platform, isActive: true, interval: 24, added: a.scrapeAt, scrapeAt: a.scrapeAt,
				created: a.scrapeAt.Add(-time.Duration(i+1) * 24 * time.Hour), caption: username + " post " + strconv.Itoa(i+1),
				accountID: a.id, accountUsr: username}
			v.id = strconv.FormatInt(v.intID, 10)
			v.identifier = "p" + v.id
			s.avideos = append(s.avideos, v)
		}
	}
	return a
}

func (s *Server) findAccount(id string) *account {
	for _, a := range s.accounts {
		if a.id == id {
			return a
		}
	}
	return nil
}

func (s *Server) findCreator(id string) *creator {
	for _, c := range s.creators {
		if c.id == id {
			return c
		}
	}
	return nil
}

func findVideo(list []*video, id string) *video {
	for _, v := range list {
		if v.id == id {
			return v
		}
	}
	return nil
}

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

// visible reports whether an account video has been discovered.
func visible(v *video, now time.Time) bool { return !now.Before(v.scrapeAt) }

func intp(v int64) *int64 { return &v }

func (s *Server) renderAccount(a *account, now time.Time) map[string]any {
	scraped := !a.unavailable && !now.Before(a.scrapeAt)
	h := hash(a.id)
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
		m["name"] = strings.ToUpper(a.username[:1]) + a.username[1:]
		m["is_verified"] = h%3 == 0
		m["first_scrape_time"], m["last_scrape_time"] = ts(a.scrapeAt), ts(s.lastScrape(a.scrapeAt, a.interval, now))
		mt := metricsFor(h, 30, a.platform)
		m["follower_count"], m["following_count"] = followers(h), int64(100+h%900)
		m["profile_post_count"], m["total_post_count"] = int64(50+h%3000), int64(50+h%3000)
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
		mt := metricsFor(h, 30, v.platform)
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

func followers(h uint64) int64 { return int64(1000 + h%5_000_000) }

func (s *Server) renderCreator(c *creator, now time.Time) map[string]any {
	total, ig, tt := int64(0), int64(0), int64(0)
	var fol int64
	for _, a := range s.accounts {
		if a.creatorID != c.id {
			continue
		}
		total++
		if a.platform == creatoraudit.Instagram {
			ig++
		} else {
			tt++
		}
		if !a.unavailable && !now.Before(a.scrapeAt) {
			fol += followers(hash(a.id))
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
		"accounts_summary": map[string]any{"total": total, "platforms": platforms, "total_followers": fol}}
}

// metricValues are one entity's metrics over a number of days.
type metricValues struct {
	views, plays, likes, comments, shares int64
	saved                                 *int64
	er                                    float64
}

// daily is an entity's views on day i (stable, varied).
func daily(h uint64, i int) int64 {
	base := int64(500 + h%20000)
	return base * int64(90+(uint64(i)*7+h)%21) / 100
}

func metricsFor(h uint64, days int, p creatoraudit.Platform) metricValues {
	var views int64
	for i := 0; i < days; i++ {
		views += daily(h, i)
	}
	return valuesOf(views, p, h)
}

// valuesOf derives the other metrics from views, in proportions that vary
// by entity (h).
func valuesOf(views int64, p creatoraudit.Platform, h uint64) metricValues {
	m := metricValues{views: views, plays: views * 11 / 10, likes: views * int64(4+h%9) / 100,
		comments: views * int64(1+h>>8%4) / 1000, shares: views * int64(2+h>>16%6) / 1000}
	if p == creatoraudit.Instagram {
		m.saved = intp(views / 90)
	}
	if views > 0 {
		m.er = math.Round(float64(m.likes+m.comments+m.shares)/float64(views)*10000) / 100
	}
	return m
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
