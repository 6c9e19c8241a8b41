package infludatatest

import (
	"fmt"
	"math"
	"net/http"
	"strings"
	"time"

	"github.com/creatorkit/creatorkit-go/infludata"
	"github.com/creatorkit/creatorkit-go/internal/fake"
	"github.com/creatorkit/creatorkit-go/internal/fake/universe"
)

const isoLayout = "2006-01-02T15:04:05.000Z"

func iso(t time.Time) string { return t.UTC().Format(isoLayout) }

func boolParam(r *http.Request, name string) (bool, bool) {
	switch strings.ToLower(r.URL.Query().Get(name)) {
	case "":
		return false, true
	case "true", "1":
		return true, true
	case "false", "0":
		return false, true
	}
	return false, false
}

// identify reads platform + exactly one identifier, answering 400 when
// they are missing or malformed.
func (s *Server) identify(w http.ResponseWriter, r *http.Request, allowed func(infludata.Platform) bool, platformOptional bool) (infludata.Platform, string, string, string, bool) {
	q := r.URL.Query()
	pl := infludata.Platform(q.Get("platform"))
	username, userID, id := q.Get("username"), q.Get("userId"), q.Get("_id")
	n := 0
	for _, v := range []string{username, userID, id} {
		if v != "" {
			n++
		}
	}
	switch {
	case n != 1:
		s.f.Error(w, http.StatusBadRequest, "Exactly one of username, userId or _id is required")
	case pl == "" && !(platformOptional && id != ""):
		s.f.Error(w, http.StatusBadRequest, "Missing platform parameter")
	case pl != "" && !allowed(pl):
		s.f.Error(w, http.StatusBadRequest, fmt.Sprintf("Invalid platform: %s", pl))
	default:
		return pl, username, userID, id, true
	}
	return "", "", "", "", false
}

func (s *Server) profileBody(c *creator, now time.Time, audience, scores bool) map[string]any {
	u := c.u
	refreshed := s.refreshed(c)
	m := map[string]any{
		"_id": c.ID, "username": strings.TrimPrefix(c.Username, "@"), "displayName": c.DisplayName, "platform": c.Platform,
		"followers": c.Followers, "following": u.Following, "posts": u.Posts(c.asOf), "country": c.Country, "city": c.City,
		"language": c.Language, "gender": c.Gender, "verified": c.Verified, "engagementMean": c.EngagementMean,
		"score": c.ProfileScore, "profileScore": c.ProfileScore, "growthRate": c.GrowthRate, "categories": c.Categories,
		"bio": fmt.Sprintf("%s | %s", c.DisplayName, c.Categories[0]), "profilePicture": "https://signed-url.example/" + c.ID + ".jpg",
		"isBusiness": c.Business, "lastRefreshDate": iso(refreshed),
	}
	if c.Platform == infludata.Instagram || c.Platform == infludata.TikTok {
		timeline := []map[string]any{}
		for months := 2; months >= 1; months-- {
			at := c.asOf.AddDate(0, -months, 0)
			if !u.Exists(at) {
				continue // nothing before the account existed
			}
			mentions := []string{}
			if months == 2 {
				mentions = append(mentions, "@"+string(c.Categories[0])+"brand")
			}
			timeline = append(timeline, map[string]any{"date": iso(refreshed.AddDate(0, -months, 0)), "followers": c.followersAt(at), "mentions": mentions})
		}
		m["timeline"] = timeline
	}
	if audience {
		a := u.Audience
		countries := map[string]float64{}
		for _, x := range a.Countries[:10] {
			countries[x.Code] = round1(x.Pct)
		}
		countries["Other"] = round1(100 - sumShares(a.Countries[:10]))
		ages := map[string]float64{}
		for i, x := range a.Ages {
			band := x.Code
			if i >= 4 {
				band = "45+"
			}
			ages[band] = round1(ages[band] + x.Pct)
		}
		m["audienceReport"] = map[string]any{
			"audienceGender":    map[string]float64{"male": a.Genders[0].Pct, "female": a.Genders[1].Pct},
			"audienceAge":       ages,
			"audienceCountries": countries,
			"interests":         c.Categories,
			"audienceQuality":   map[string]float64{"real": u.Signals.Real, "suspicious": u.Signals.Suspicious},
		}
	}
	if scores {
		m["scores"] = map[string]float64{"profileScore": c.ProfileScore, "engagementScore": round1(u.ERScore()),
			"growthScore": round1(min(100, max(0, 50+10*c.GrowthRate)))}
		m["datalog"] = []map[string]any{{"date": iso(refreshed), "event": "refresh"}}
	}
	return m
}

// refreshed is when influData last refreshed the creator (the fake's
// clock): its last weekly refresh, or for a creator it enriched on
// request, when it entered the database.
func (s *Server) refreshed(c *creator) time.Time {
	if c.NotInDatabase && !c.inDB.IsZero() {
		return c.inDB
	}
	return s.clock.Time(c.asOf)
}

// followersAt is the creator's followers on the universe date at, on the
// scale of its Followers (which a test may have set).
func (c *creator) followersAt(at time.Time) int64 {
	now := c.u.Followers(c.asOf)
	if now == 0 {
		return 0
	}
	return int64(math.Round(float64(c.Followers) * float64(c.u.Followers(at)) / float64(now)))
}

func round1(f float64) float64 { return math.Round(f*10) / 10 }

func sumShares(ss []universe.Share) float64 {
	sum := 0.0
	for _, x := range ss {
		sum += x.Pct
	}
	return sum
}

// getUserData: 200 profile (1 token, 20 with the audience report), 201
// queued (free), 202 audience processing (1 token), 404 missing.
func (s *Server) getUserData(w http.ResponseWriter, r *http.Request, a *account) {
	pl, username, userID, id, ok := s.identify(w, r, infludata.Platform.HasProfiles, true)
	if !ok {
		return
	}
	audience, ok1 := boolParam(r, "includeAudienceReport")
	scores, ok2 := boolParam(r, "showDatalogAndScore")
	if !ok1 || !ok2 {
		s.f.Error(w, http.StatusBadRequest, "includeAudienceReport and showDatalogAndScore must be true or false")
		return
	}
	now := time.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.lookup(pl, username, userID, id, now)
	if c == nil || c.Missing {
		s.f.Error(w, http.StatusNotFound, "Creator not found on the platform")
		return
	}
	if audience && !c.Platform.HasAudienceReports() {
		s.f.Error(w, http.StatusForbidden, "Audience reports are not available for this platform")
		return
	}
	if !c.inDatabase(now) {
		s.queue(c, now)
		fake.JSON(w, http.StatusCreated, map[string]any{"message": "Creator not in database yet; queued for enrichment. Retry within 24-48h.",
			"username": strings.TrimPrefix(c.Username, "@"), "platform": c.Platform})
		return
	}
	if audience && !c.hasAudience(now) {
		if !s.charge(w, r, a, RouteUserData, 1) {
			return
		}
		fake.JSON(w, http.StatusAccepted, map[string]any{"message": "Audience analysis still processing; retry later.",
			"username": strings.TrimPrefix(c.Username, "@"), "platform": c.Platform})
		return
	}
	cost := 1
	if audience {
		cost = 20
	}
	if !s.charge(w, r, a, RouteUserData, cost) {
		return
	}
	fake.JSON(w, http.StatusOK, s.profileBody(c, now, audience, scores))
}

// checkDataStatus is free; it queues a refresh (and enrichment for a
// creator not held yet). Like getUserData it takes an _id without a
// platform, as the README's example does.
func (s *Server) checkDataStatus(w http.ResponseWriter, r *http.Request, a *account) {
	pl, username, userID, id, ok := s.identify(w, r, infludata.Platform.HasDataStatus, true)
	if !ok {
		return
	}
	weekly, ok := boolParam(r, "addToWeeklyEnrichment")
	if !ok {
		s.f.Error(w, http.StatusBadRequest, "addToWeeklyEnrichment must be true or false")
		return
	}
	if weekly && a.plan == infludata.Trial {
		s.f.Error(w, http.StatusForbidden, "addToWeeklyEnrichment is not available for trial keys")
		return
	}
	now := time.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.lookup(pl, username, userID, id, now)
	if s.cfg.legacy {
		st := "NOT FOUND"
		switch {
		case c != nil && c.hasAudience(now):
			st = "READY"
		case c != nil && c.inDatabase(now):
			st = "NOT READY"
		}
		if c != nil {
			s.queue(c, now)
		}
		fake.JSON(w, http.StatusOK, map[string]string{"status": st})
		return
	}
	if c == nil {
		fake.JSON(w, http.StatusOK, map[string]any{"isInDatabase": false, "isBeingProcessed": false, "username": username, "platform": pl,
			"isAddedToRefresh": false, "isAddedToWeeklyRefresh": false})
		return
	}
	if !c.inDatabase(now) {
		s.queue(c, now)
		fake.JSON(w, http.StatusOK, map[string]any{"isInDatabase": false, "isBeingProcessed": !c.Missing, "username": strings.TrimPrefix(c.Username, "@"),
			"platform": c.Platform, "isAddedToRefresh": !c.Missing, "isAddedToWeeklyRefresh": false})
		return
	}
	if weekly {
		c.weekly = true
	}
	first := c.inDB.AddDate(0, -6, 0)
	if created := s.clock.Time(c.u.Created); first.Before(created) {
		first = created // nothing before the account existed
	}
	m := map[string]any{"isInDatabase": true, "creatorId": c.ID, "username": strings.TrimPrefix(c.Username, "@"), "displayName": c.DisplayName,
		"platform": c.Platform, "followers": c.Followers, "following": c.u.Following, "posts": c.u.Posts(c.asOf), "isPrivate": false,
		"lastRefreshDate": iso(s.refreshed(c)), "lastAudienceDataRefresh": nil, "hasAudienceData": c.hasAudience(now),
		"firstTimelineDate": iso(first), "recentTimelineDate": iso(c.inDB), "timelineDatapoints": min(180, int(c.inDB.Sub(first).Hours()/24)),
		"isAddedToRefresh": true, "isAddedToWeeklyRefresh": c.weekly}
	if c.hasAudience(now) {
		m["lastAudienceDataRefresh"] = iso(c.audienceAt)
	}
	fake.JSON(w, http.StatusOK, m)
}

// bulkAddToEnrich is free: at most 100 items (10 on trial keys).
func (s *Server) bulkAddToEnrich(w http.ResponseWriter, r *http.Request, a *account) {
	var body struct {
		Platform              infludata.Platform `json:"platform"`
		Usernames             []string           `json:"usernames"`
		UserIDs               []string           `json:"userIds"`
		AddToWeeklyEnrichment bool               `json:"addToWeeklyEnrichment"`
	}
	if !s.f.DecodeJSON(w, r, &body, "The body must be JSON") {
		return
	}
	limit := infludata.MaxEnrichBatch
	if a.plan == infludata.Trial {
		limit = infludata.MaxEnrichBatchTrial
	}
	n := len(body.Usernames) + len(body.UserIDs)
	switch {
	case !body.Platform.HasDataStatus():
		s.f.Error(w, http.StatusBadRequest, fmt.Sprintf("Invalid platform: %s", body.Platform))
		return
	case n == 0:
		s.f.Error(w, http.StatusBadRequest, "usernames or userIds required")
		return
	case n > limit:
		s.f.Error(w, http.StatusBadRequest, fmt.Sprintf("Maximum %d items per request (usernames + userIds combined)", limit))
		return
	case body.AddToWeeklyEnrichment && a.plan == infludata.Trial:
		s.f.Error(w, http.StatusForbidden, "addToWeeklyEnrichment is not available for trial keys")
		return
	}
	now := time.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	processed, failed := []map[string]any{}, []map[string]any{}
	sum := map[string]int{"total": n, "existingInDatabase": 0, "newlyAdded": 0, "addedToInstant": 0, "addedToWeekly": 0, "failed": 0}
	do := func(ident, typ string, c *creator) {
		if c == nil || c.Missing {
			failed = append(failed, map[string]any{"identifier": ident, "type": typ, "error": "Creator not found on the platform"})
			sum["failed"]++
			return
		}
		isNew := !c.inDatabase(now)
		weekly := body.AddToWeeklyEnrichment && !isNew
		if isNew {
			s.queue(c, now)
			sum["newlyAdded"]++
		} else {
			sum["existingInDatabase"]++
		}
		if weekly {
			c.weekly = true
			sum["addedToWeekly"]++
		}
		sum["addedToInstant"]++
		processed = append(processed, map[string]any{"identifier": ident, "type": typ, "isNewUser": isNew, "creatorId": c.ID,
			"username": strings.TrimPrefix(c.Username, "@"), "addedToInstant": true, "addedToWeekly": weekly})
	}
	for _, u := range body.Usernames {
		do(u, "username", s.lookup(body.Platform, u, "", "", now))
	}
	for _, id := range body.UserIDs {
		do(id, "userId", s.lookup(body.Platform, "", id, "", now))
	}
	fake.JSON(w, http.StatusOK, map[string]any{"processed": processed, "failed": failed, "summary": sum})
}
