package ylytictest

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/creatorkit/creatorkit-go"
	"github.com/creatorkit/creatorkit-go/internal/fake"
	"github.com/creatorkit/creatorkit-go/ylytic"
)

// The fake's creator states (Ylytic documents only "expired").
const (
	CreatorInProgress = "in_progress"
	CreatorCompleted  = "completed"
	CreatorNotAdded   = "not_added"
)

type creatorEntry struct {
	ready  time.Time
	status string // set by SetCreatorStatus
}

type refreshEntry struct {
	id      string
	request map[string]string
	created time.Time
	ready   time.Time
	failure string
}

type linkEntry struct {
	id, shortLink, name, target, store, utm string
	created                                 time.Time
	clicks                                  []click
}

type click struct {
	visitor string
	at      time.Time
}

// decode reads a JSON body, answering 400 for a malformed one.
func (s *Server) decode(w http.ResponseWriter, r *http.Request, v any) bool {
	return s.f.DecodeJSON(w, r, v, "The body must be JSON.")
}

// profileKey normalizes a profile URL for lookups.
func profileKey(u string) string {
	return strings.TrimSuffix(strings.ToLower(strings.TrimSpace(u)), "/")
}

// profile reads the connector and the handle from a profile URL, as
// Ylytic's status answer shows them ("@taniyaghosh" for YouTube).
func profile(raw string) (connector, handle string, ok bool) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", "", false
	}
	seg := strings.Trim(u.Path, "/")
	if i := strings.Index(seg, "/"); i >= 0 {
		seg = seg[:i]
	}
	if seg == "" {
		return "", "", false
	}
	host := strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.")
	switch host {
	case "instagram.com":
		return string(ylytic.Instagram), seg, true
	case "youtube.com":
		return string(ylytic.YouTube), seg, true
	case "tiktok.com":
		return string(ylytic.TikTok), seg, true
	}
	return "", "", false
}

func (s *Server) addCreators(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Handles []string `json:"handles"`
	}
	if !s.decode(w, r, &body) {
		return
	}
	if len(body.Handles) == 0 {
		s.f.Error(w, http.StatusBadRequest, "handles is required.")
		return
	}
	for _, h := range body.Handles {
		if _, _, ok := profile(h); !ok {
			s.f.Error(w, http.StatusBadRequest, "Not a profile URL: "+h)
			return
		}
	}
	now := time.Now()
	s.mu.Lock()
	for _, h := range body.Handles {
		if s.creators[profileKey(h)] == nil {
			s.creators[profileKey(h)] = &creatorEntry{ready: now.Add(s.Scale(s.cfg.creatorDelay))}
		}
	}
	s.mu.Unlock()
	fake.JSON(w, http.StatusOK, map[string]string{"status": "success"})
}

func (s *Server) creatorsStatus(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Handles []string `json:"handles"`
	}
	if !s.decode(w, r, &body) {
		return
	}
	if len(body.Handles) == 0 {
		s.f.Error(w, http.StatusBadRequest, "handles is required.")
		return
	}
	now := time.Now()
	data := make([]map[string]any, 0, len(body.Handles))
	s.mu.Lock()
	for _, h := range body.Handles {
		conn, handle, ok := profile(h)
		if !ok {
			s.mu.Unlock()
			s.f.Error(w, http.StatusBadRequest, "Not a profile URL: "+h)
			return
		}
		status := CreatorNotAdded
		if c := s.creators[profileKey(h)]; c != nil {
			switch {
			case c.status != "":
				status = c.status
			case now.Before(c.ready):
				status = CreatorInProgress
			default:
				status = CreatorCompleted
			}
		}
		data = append(data, map[string]any{"handle_url": h, "handle": handle, "connector": conn, "status": status})
	}
	s.mu.Unlock()
	fake.JSON(w, http.StatusOK, map[string]any{"data": data})
}

// SetCreatorStatus sets the status Creators.Status reports for a profile
// URL from now on (ylytic.CreatorExpired, say), added or not.
func (s *Server) SetCreatorStatus(profileURL, status string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.creators[profileKey(profileURL)]
	if c == nil {
		c = &creatorEntry{}
		s.creators[profileKey(profileURL)] = c
	}
	c.status = status
}

// trackingLayout is how the fake writes tracking times, as Ylytic's
// answer does.
const trackingLayout = "2006-01-02 15:04:05"

func (s *Server) track(w http.ResponseWriter, r *http.Request) {
	var body map[string]json.RawMessage
	if !s.decode(w, r, &body) {
		return
	}
	str := func(k string) string {
		var v string
		_ = json.Unmarshal(body[k], &v)
		return strings.TrimSpace(v)
	}
	conn, handle := strings.ToLower(str("connector")), str("handle")
	if conn != string(ylytic.Instagram) && conn != string(ylytic.YouTube) {
		s.f.Error(w, http.StatusBadRequest, "connector must be instagram or youtube.")
		return
	}
	if handle == "" {
		s.f.Error(w, http.StatusBadRequest, "handle is required.")
		return
	}
	cron := str("cron_expression")
	if cron == "" {
		cron = str("cron expression")
	}
	if cron == "" {
		cron = "0 0 * * *"
	}
	storiesCron := str("stories_cron_expression")
	now := time.Now().UTC()
	out := map[string]any{
		"connector": conn, "handle": handle, "tracking": true, "cron_expression": cron,
		"next_tracking_at": nextRun(cron, now).Format(trackingLayout), "tracking_expiry_at": nil,
		"created_at": now.Format("2006-01-02 15:04:05.000000"), "stories_tracking": storiesCron != "",
		"stories_cron_expression": nil, "next_stories_tracking_at": nil, "stories_tracking_expiry_at": nil,
	}
	if storiesCron != "" {
		out["stories_cron_expression"] = storiesCron
		out["next_stories_tracking_at"] = nextRun(storiesCron, now).Format(trackingLayout)
	}
	for _, k := range []string{"tracking_expiry_at", "stories_tracking_expiry_at"} {
		if v := str(k); v != "" {
			t, err := creatorkit.ParseTime(v)
			if err != nil {
				s.f.Error(w, http.StatusBadRequest, k+" is not a time.")
				return
			}
			out[k] = t.UTC().Format(trackingLayout)
		}
	}
	s.mu.Lock()
	s.tracked[conn+"/"+strings.ToLower(handle)] = out
	s.mu.Unlock()
	fake.JSON(w, http.StatusOK, out)
}

// nextRun is the next time a daily "M H * * *" schedule fires after now;
// for any other expression, the next full hour.
func nextRun(cron string, now time.Time) time.Time {
	f := strings.Fields(cron)
	if len(f) == 5 && f[2] == "*" && f[3] == "*" && f[4] == "*" {
		m, err1 := strconv.Atoi(f[0])
		h, err2 := strconv.Atoi(f[1])
		if err1 == nil && err2 == nil && m < 60 && h < 24 {
			t := time.Date(now.Year(), now.Month(), now.Day(), h, m, 0, 0, time.UTC)
			if !t.After(now) {
				t = t.AddDate(0, 0, 1)
			}
			return t
		}
	}
	return now.Truncate(time.Hour).Add(time.Hour)
}

// TrackedCount returns how many creators are under realtime tracking.
func (s *Server) TrackedCount() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.tracked)
}

// refreshField is the identifier each request type takes.
var refreshField = map[ylytic.RefreshType]string{
	ylytic.RefreshInstagram: "handle", ylytic.RefreshInstagramID: "ig_user_id", ylytic.RefreshInstagramPost: "shortcode",
	ylytic.RefreshYouTube: "channel_id", ylytic.RefreshYouTubePost: "video_id",
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func (s *Server) createRefresh(w http.ResponseWriter, r *http.Request) {
	var body map[string]string
	if !s.decode(w, r, &body) {
		return
	}
	typ := ylytic.RefreshType(body["request_type"])
	field, ok := refreshField[typ]
	if !ok {
		s.f.Error(w, http.StatusBadRequest, "request_type must be one of instagram, instagram_id, instagram_post, youtube, youtube_post.")
		return
	}
	if strings.TrimSpace(body[field]) == "" {
		s.f.Error(w, http.StatusBadRequest, field+" is required for request_type "+string(typ)+".")
		return
	}
	now := time.Now()
	e := &refreshEntry{request: map[string]string{"request_type": string(typ), field: body[field]}, created: now, ready: now.Add(s.Scale(s.cfg.refreshDelay))}
	if s.cfg.refreshFailure != nil {
		p := ylytic.RefreshParams{Type: typ}
		switch field {
		case "handle":
			p.Handle = body[field]
		case "ig_user_id":
			p.IGUserID = body[field]
		case "shortcode":
			p.Shortcode = body[field]
		case "channel_id":
			p.ChannelID = body[field]
		case "video_id":
			p.VideoID = body[field]
		}
		e.failure = s.cfg.refreshFailure(p)
	}
	s.mu.Lock()
	s.seq++
	e.id = fmt.Sprintf("%08x%s", s.seq, randomHex(8))
	s.requests[e.id] = e
	s.mu.Unlock()
	fake.JSON(w, http.StatusCreated, refreshBody(e, now))
}

func (s *Server) getRefresh(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	e := s.requests[r.PathValue("id")]
	s.mu.Unlock()
	if e == nil {
		s.f.Error(w, http.StatusNotFound, "No data refresh request with that id.")
		return
	}
	fake.JSON(w, http.StatusOK, refreshBody(e, time.Now()))
}

// refreshBody is a request as Ylytic shows it at now.
func refreshBody(e *refreshEntry, now time.Time) map[string]any {
	status := map[string]any{"code": 201, "message": "pending", "request_at": e.created.UTC().Format(http.TimeFormat), "response_at": nil}
	out := map[string]any{"request_id": e.id, "request": e.request, "response": nil, "status": status}
	if now.Before(e.ready) {
		return out
	}
	status["response_at"] = e.ready.UTC().Format(http.TimeFormat)
	if e.failure != "" {
		status["code"], status["message"] = 404, "failed"
		out["response"] = map[string]any{"message": e.failure}
		return out
	}
	status["code"], status["message"] = 200, "completed"
	out["response"] = refreshData(e)
	return out
}

// refreshData is a small body in the documented growth_trends shape for
// creators; a post's counts for posts.
func refreshData(e *refreshEntry) map[string]any {
	switch ylytic.RefreshType(e.request["request_type"]) {
	case ylytic.RefreshInstagramPost, ylytic.RefreshYouTubePost:
		return map[string]any{"post": map[string]any{"likes_count": 1200, "comments_count": 48, "views": 15300}}
	}
	var eng, fol []map[string]any
	for i := 3; i >= 1; i-- {
		day := e.ready.UTC().AddDate(0, 0, -7*i).Format(time.DateOnly)
		eng = append(eng, map[string]any{day: map[string]any{"followers": 0.5 + 0.2*float64(i)}})
		fol = append(fol, map[string]any{day: map[string]any{"followers": 10000 + 150*(3-i)}})
	}
	return map[string]any{"growth_trends": map[string]any{"engagement_trends": eng, "followers_trends": fol}}
}

// RequestCount returns how many data refresh requests were made.
func (s *Server) RequestCount() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.requests)
}

func (s *Server) createLink(w http.ResponseWriter, r *http.Request) {
	var body struct {
		TargetURL        string `json:"target_url"`
		Name             string `json:"name"`
		ShopifyStoreName string `json:"shopify_store_name"`
		UTMSource        string `json:"utm_source"`
	}
	if !s.decode(w, r, &body) {
		return
	}
	if u, err := url.Parse(body.TargetURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		s.f.Error(w, http.StatusBadRequest, "target_url must be an absolute URL.")
		return
	}
	now := time.Now()
	s.mu.Lock()
	s.seq++
	id := fmt.Sprintf("%d.%06d", now.Unix(), s.seq%1_000_000)
	l := &linkEntry{id: id, shortLink: s.URL + "/sl/" + id, name: body.Name, target: body.TargetURL, store: body.ShopifyStoreName, utm: body.UTMSource, created: now}
	s.links[id] = l
	s.mu.Unlock()
	fake.JSON(w, http.StatusOK, map[string]string{"short_link": l.shortLink})
}

func (s *Server) visit(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	l := s.links[r.PathValue("id")]
	if l != nil {
		visitor := r.Header.Get("X-Forwarded-For")
		if visitor == "" {
			visitor, _, _ = net.SplitHostPort(r.RemoteAddr)
		}
		l.clicks = append(l.clicks, click{visitor: visitor, at: time.Now()})
	}
	s.mu.Unlock()
	if l == nil {
		http.Error(w, "This short link does not exist.", http.StatusNotFound)
		return
	}
	target := l.target
	if l.utm != "" {
		if u, err := url.Parse(target); err == nil {
			q := u.Query()
			q.Set("utm_source", l.utm)
			u.RawQuery = q.Encode()
			target = u.String()
		}
	}
	http.Redirect(w, r, target, http.StatusFound)
}

// Click plays a visitor following a short link (without following its
// redirect) and returns where the link sends them. visitor tells
// visitors apart in the link's user count ("" counts as one visitor).
func (s *Server) Click(shortLink, visitor string) (string, error) {
	req, err := http.NewRequest(http.MethodGet, shortLink, nil)
	if err != nil {
		return "", err
	}
	if visitor != "" {
		req.Header.Set("X-Forwarded-For", visitor)
	}
	hc := &http.Client{Transport: s.f.HTTPClient().Transport, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := hc.Do(req)
	if err != nil {
		return "", err
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusFound {
		return "", fmt.Errorf("ylytictest: the short link answered %d", resp.StatusCode)
	}
	return resp.Header.Get("Location"), nil
}

func (s *Server) linkInsights(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	l := s.links[r.PathValue("id")]
	var out map[string]any
	if l != nil {
		out = linkBody(l, time.Now())
	}
	s.mu.Unlock()
	if l == nil {
		s.f.Error(w, http.StatusNotFound, "No short link with that id.")
		return
	}
	fake.JSON(w, http.StatusOK, out)
}

// linkBody is a link's insights in the shape of Ylytic's Link Tracking
// page: every click from Mumbai, India, in a browser, on an unknown
// device.
func linkBody(l *linkEntry, now time.Time) map[string]any {
	visitors := map[string]bool{}
	days := map[string]map[string]bool{}
	dayClicks := map[string]int{}
	for _, c := range l.clicks {
		visitors[c.visitor] = true
		d := c.at.UTC().Format(time.DateOnly)
		if days[d] == nil {
			days[d] = map[string]bool{}
		}
		days[d][c.visitor] = true
		dayClicks[d]++
	}
	users, clicks := len(visitors), len(l.clicks)
	bucket := func(k string, v any) []map[string]any {
		if clicks == 0 {
			return []map[string]any{}
		}
		return []map[string]any{{k: v, "users": users, "clicks": clicks}}
	}
	dates := []map[string]any{}
	keys := make([]string, 0, len(days))
	for d := range days {
		keys = append(keys, d)
	}
	slices.Sort(keys)
	for _, d := range keys {
		dates = append(dates, map[string]any{"date": d, "users": len(days[d]), "clicks": dayClicks[d]})
	}
	name := l.name
	if name == "" {
		name = "-"
	}
	return map[string]any{
		"id":         l.id,
		"client":     map[string]any{"id": "6650f0c0ffee0000c0ffee00", "short_name": "ylytictest", "name": "-"},
		"short_link": l.shortLink, "name": name, "target_url": l.target,
		"analytics": map[string]any{
			"users": users, "clicks": clicks,
			"city_distribution": bucket("city", "Mumbai"), "country_distribution": bucket("country", "India"),
			"platform_distribution": bucket("platform", "browser"), "device_distribution": bucket("device", nil),
			"date_distribution": dates,
		},
		"analyticsAt": now.UTC().Format("2006-01-02 15:04:05.000000"),
		"createdDate": l.created.UTC().Format("02-01-2006"),
	}
}

func (s *Server) connectShop(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Shop        string `json:"shop"`
		AccessToken string `json:"access_token"`
	}
	if !s.decode(w, r, &body) {
		return
	}
	if strings.TrimSpace(body.Shop) == "" || strings.TrimSpace(body.AccessToken) == "" {
		s.f.Error(w, http.StatusBadRequest, "shop and access_token are required.")
		return
	}
	s.mu.Lock()
	s.shops[strings.ToLower(body.Shop)] = body.AccessToken
	s.mu.Unlock()
	fake.JSON(w, http.StatusOK, map[string]string{"status": "success"})
}

// Shops returns the connected stores, sorted (never their tokens).
func (s *Server) Shops() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]string, 0, len(s.shops))
	for shop := range s.shops {
		out = append(out, shop)
	}
	slices.Sort(out)
	return out
}

func (s *Server) updateCampaign(w http.ResponseWriter, r *http.Request) {
	type postLinks struct {
		PostURL   string   `json:"post_url"`
		ShortLink []string `json:"shortlink"`
	}
	var body struct {
		Add    []postLinks `json:"add_shortlinks"`
		Remove []postLinks `json:"remove_shortlinks"`
	}
	if !s.decode(w, r, &body) {
		return
	}
	id := r.PathValue("id")
	s.mu.Lock()
	c := s.campaigns[id]
	if c == nil {
		c = map[string][]string{}
		s.campaigns[id] = c
	}
	for _, a := range body.Add {
		for _, l := range a.ShortLink {
			if !slices.Contains(c[a.PostURL], l) {
				c[a.PostURL] = append(c[a.PostURL], l)
			}
		}
	}
	for _, rm := range body.Remove {
		c[rm.PostURL] = slices.DeleteFunc(c[rm.PostURL], func(l string) bool { return slices.Contains(rm.ShortLink, l) })
		if len(c[rm.PostURL]) == 0 {
			delete(c, rm.PostURL)
		}
	}
	s.mu.Unlock()
	fake.JSON(w, http.StatusOK, map[string]string{"status": "success"})
}

// CampaignShortLinks returns a campaign's short links by post URL (a
// copy).
func (s *Server) CampaignShortLinks(campaignID string) map[string][]string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := map[string][]string{}
	for post, links := range s.campaigns[campaignID] {
		out[post] = slices.Clone(links)
	}
	return out
}
