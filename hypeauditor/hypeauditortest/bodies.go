package hypeauditortest

import (
	"math"
	"strings"
	"time"

	"github.com/creatorkit/creatorkit-go/hypeauditor"
	"github.com/creatorkit/creatorkit-go/internal/fake/universe"
)

// Report bodies are drawn from the creator universe
// (internal/fake/universe) on the day the fake first saw the account:
// the same account always gets the same numbers, and the other fakes
// tell the same story about it.

// profile is what a report says about an account beyond its counts.
type profile struct {
	score                  float64 // AQS, or CQS on YouTube
	real, susp, infs, mass float64
	countries              []universe.Share // the largest ten, HypeAuditor's codes
	male                   float64
	ages                   []universe.Share
	views, mediaCount      float64
	likes, comments        float64
}

func profileOf(a *account) profile {
	u, q := a.u, a.u.Signals
	p := profile{score: float64(u.HypeAuditorAQS()), real: q.Real, susp: q.Suspicious, infs: q.Influencers, mass: q.Mass,
		male: u.Audience.Genders[0].Pct, ages: u.Audience.Ages, views: float64(u.AvgViews(a.asOf)), mediaCount: float64(u.Posts(a.asOf)),
		likes: float64(u.AvgLikes(a.asOf)), comments: float64(u.AvgComments(a.asOf))}
	if a.network == hypeauditor.YouTube {
		p.score = float64(u.HypeAuditorCQS())
	}
	for _, c := range u.Audience.Countries[:10] {
		p.countries = append(p.countries, universe.Share{Code: countryCode(c.Code), Pct: c.Pct})
	}
	return p
}

// countryCode is a country as HypeAuditor writes it: lower case, "uk"
// for the United Kingdom.
func countryCode(iso string) string {
	if iso == "GB" {
		return "uk"
	}
	return strings.ToLower(iso)
}

// countryName is the name of a HypeAuditor country code.
func countryName(code string) string {
	if code == "uk" {
		return universe.CountryName("GB")
	}
	return universe.CountryName(strings.ToUpper(code))
}

// ageGender is audience_age_gender: per age band, the percent of the
// whole audience of each gender.
func (p profile) ageGender() map[string]any {
	out := map[string]any{}
	for _, a := range p.ages {
		out[a.Code] = map[string]any{"male": round2(p.male * a.Pct / 100), "female": round2((100 - p.male) * a.Pct / 100)}
	}
	return out
}

// byAge is demography_by_age's groups of one gender of share percent.
func (p profile) byAge(share float64) []map[string]any {
	var out []map[string]any
	for _, a := range p.ages {
		out = append(out, map[string]any{"group": "age" + strings.Replace(a.Code, "+", "-", 1), "value": round2(share * a.Pct / 100)})
	}
	return out
}

// growth is a metric's performance from the account's follower history:
// followers gained over 30 days, the 30 days before, and 90 days.
func growth(a *account) map[string]any {
	f := func(days int) float64 { return float64(a.u.Followers(a.asOf.AddDate(0, 0, -days))) }
	now := f(0)
	return map[string]any{"30d": map[string]any{"value": now - f(30), "value_prev": f(30) - f(60)}, "90d": map[string]any{"value": now - f(90)}}
}

func markOf(score float64) string {
	switch {
	case score >= 80:
		return "excellent"
	case score >= 65:
		return "good"
	case score >= 50:
		return "average"
	}
	return "poor"
}

func perf(v float64) map[string]any {
	return map[string]any{"30d": map[string]any{"value": v, "value_prev": round2(v * 0.9)}, "90d": map[string]any{"value": round2(v * 1.1)}}
}

// instagramBody renders result.user (v2 shape).
func (s *Server) instagramBody(rep *report) map[string]any {
	a, p := rep.acct, profileOf(rep.acct)
	countries := []map[string]any{}
	for _, c := range p.countries {
		countries = append(countries, map[string]any{"name": countryName(c.Code), "code": c.Code, "value": c.Pct})
	}
	user := map[string]any{
		"username": a.username, "full_name": a.title, "is_private": false, "is_verified": a.u.Verified,
		"photo_url": a.avatar, "posts_count": p.mediaCount, "followers_count": a.subscribers, "followings_count": a.u.Following,
		"avg_likes": p.likes, "avg_comments": p.comments,
		"aqs": p.score, "aqs_name": titleOf(p.score), "aqs_description": "Audience quality is " + markOf(p.score),
		"blogger_geo":     map[string]any{"country": countryCode(a.u.Country), "state": "", "city": a.u.City},
		"er":              map[string]any{"value": a.er, "avg": round2(a.er / math.Pow(2, (a.u.ERScore()-50)/20)), "title": titleOf(a.u.ERScore()), "performance": perf(a.er)},
		"social_networks": []map[string]any{},
	}
	if rep.state() != hypeauditor.StateReadyLowConfidence {
		user["audience_type"] = map[string]any{"real": p.real, "susp": p.susp, "infs": p.infs, "mass": p.mass}
		user["audience_geography"] = map[string]any{"countries": countries, "states": []any{}, "cities": []any{}}
		user["demography"] = []map[string]any{{"gender": "M", "value": p.male}, {"gender": "F", "value": round2(100 - p.male)}}
		user["demography_by_age"] = []map[string]any{
			{"gender": "male", "value": p.male, "by_age_group": p.byAge(p.male)},
			{"gender": "female", "value": round2(100 - p.male), "by_age_group": p.byAge(100 - p.male)},
		}
	}
	var links []map[string]any
	for _, o := range s.family(a.creator) {
		if o == a {
			continue
		}
		links = append(links, map[string]any{"type": networkCode(o.network), "title": o.title, "social_id": o.id, "username": o.username,
			"avatar_url": o.avatar, "subscribers_count": o.subscribers, "er": o.er})
	}
	if links != nil {
		user["social_networks"] = links
	}
	return map[string]any{"user": user}
}

func titleOf(score float64) string {
	switch {
	case score >= 80:
		return "Excellent"
	case score >= 65:
		return "Good"
	case score >= 50:
		return "Average"
	}
	return "Could be improved"
}

func networkCode(n hypeauditor.Platform) int {
	return map[hypeauditor.Platform]int{hypeauditor.Instagram: 1, hypeauditor.YouTube: 2, hypeauditor.TikTok: 3,
		hypeauditor.Twitch: 4, hypeauditor.Twitter: 5, hypeauditor.Snapchat: 7}[n]
}

func basic(a *account) map[string]any {
	return map[string]any{"id": a.id, "username": a.username, "title": a.title, "avatar_url": a.avatar, "description": a.title + " on " + string(a.network)}
}

// tiktokBody renders result.report for TikTok.
func (s *Server) tiktokBody(rep *report) map[string]any {
	a, p := rep.acct, profileOf(rep.acct)
	features := map[string]any{
		"aqs":         map[string]any{"data": map[string]any{"value": p.score, "mark": markOf(p.score), "description": map[string]any{}}},
		"blogger_geo": map[string]any{"data": map[string]any{"country": countryCode(a.u.Country)}},
	}
	if rep.state() != hypeauditor.StateReadyLowConfidence {
		geo := []map[string]any{}
		for _, c := range p.countries {
			geo = append(geo, map[string]any{"code": c.Code, "prc": c.Pct})
		}
		features["audience_geo"] = map[string]any{"data": geo}
		features["audience_by_type"] = map[string]any{"data": map[string]any{"real": p.real, "bots": p.susp, "infs": p.infs, "mass": p.mass}}
		features["audience_age_gender"] = map[string]any{"data": p.ageGender()}
	} else {
		features["audience_geo"] = map[string]any{"data": nil}
	}
	return map[string]any{"report_quality": "FULL", "report": map[string]any{
		"basic": basic(a),
		"metrics": map[string]any{
			"subscribers_count": map[string]any{"value": a.subscribers, "performance": growth(a)},
			"er":                map[string]any{"value": a.er, "mark_title": strings.ToUpper(a.u.ERMark()), "performance": perf(a.er)},
			"views_avg":         map[string]any{"value": p.views, "performance": perf(p.views)},
			"media_count":       map[string]any{"value": p.mediaCount},
		},
		"features": features,
	}}
}

// youtubeBody renders result.report, metrics_history and media for
// YouTube.
func (s *Server) youtubeBody(rep *report) map[string]any {
	a, p := rep.acct, profileOf(rep.acct)
	features := map[string]any{
		"cqs":               map[string]any{"data": map[string]any{"value": p.score, "display_mark": markOf(p.score)}},
		"blogger_thematics": map[string]any{"data": []int{1032}},
	}
	if rep.state() != hypeauditor.StateReadyLowConfidence {
		geo := []map[string]any{}
		for _, c := range p.countries {
			geo = append(geo, map[string]any{"title": c.Code, "prc": c.Pct})
		}
		features["audience_geo"] = map[string]any{"data": geo}
		features["audience_languages"] = map[string]any{"data": []map[string]any{{"title": a.u.Language, "prc": round2(p.countries[0].Pct + 20)}}}
		features["audience_age_gender"] = map[string]any{"data": p.ageGender()}
	}
	day := rep.paid.Add(-24 * time.Hour)
	t := day.Unix()
	return map[string]any{"report_quality": "FULL",
		"report": map[string]any{
			"basic": basic(a),
			"metrics": map[string]any{
				"subscribers_count": map[string]any{"value": a.subscribers, "performance": growth(a)},
				"er":                map[string]any{"value": a.er, "performance": perf(a.er)},
				"views_avg":         map[string]any{"value": p.views},
			},
			"features": features,
		},
		"metrics_history": map[string]any{"subscribers_count": map[string]any{"value": a.subscribers,
			"history": []map[string]any{{"time": t, "value": a.u.Followers(a.asOf.Add(-24 * time.Hour)), "time_iso": time.Unix(t, 0).UTC().Format(time.DateOnly)}}}},
		"media": []map[string]any{{"id": a.id[:min(len(a.id), 11)], "title": "Latest video", "time_added": t,
			"metrics": map[string]any{"views_count": map[string]any{"value": p.views}, "er": map[string]any{"value": a.er, "mark": a.u.ERMark()}}}},
	}
}

// networkBody renders result.report for Twitch, Twitter and Snapchat.
func (s *Server) networkBody(rep *report) map[string]any {
	a, p := rep.acct, profileOf(rep.acct)
	metrics := map[string]any{"subscribers_count": map[string]any{"value": a.subscribers, "performance": growth(a)}}
	if a.network == hypeauditor.Twitter {
		metrics["er"] = map[string]any{"value": a.er, "performance": perf(a.er)}
	} else {
		metrics["views_avg"] = map[string]any{"value": p.views}
	}
	features := map[string]any{"blogger_geo": map[string]any{"data": map[string]any{"country": countryCode(a.u.Country)}}}
	if rep.state() != hypeauditor.StateReadyLowConfidence {
		geo := []map[string]any{}
		for _, c := range p.countries {
			geo = append(geo, map[string]any{"code": c.Code, "prc": c.Pct})
		}
		features["audience_geo"] = map[string]any{"data": geo}
	}
	return map[string]any{"report": map[string]any{"basic": basic(a), "metrics": metrics, "features": features}}
}

// historyBody renders result.metrics_history for auditor.twitchHistory.
func (s *Server) historyBody(rep *report) map[string]any {
	p := profileOf(rep.acct)
	hist := func(v float64) map[string]any {
		var pts []map[string]any
		for i := 3; i >= 1; i-- {
			m := rep.paid.AddDate(0, -i, 0)
			if !rep.acct.u.Exists(rep.acct.asOf.AddDate(0, -i, 0)) {
				continue // nothing before the channel existed
			}
			pts = append(pts, map[string]any{"time_iso": time.Date(m.Year(), m.Month(), 1, 0, 0, 0, 0, time.UTC).Format(time.RFC3339), "value": round2(v * (1 - float64(i)/20))})
		}
		return map[string]any{"history": pts}
	}
	return map[string]any{"metrics_history": map[string]any{
		"monthly_views_avg":      hist(p.views),
		"monthly_hours_streamed": hist(float64(20 + hash(rep.acct.id)%80)),
		"stream_viewers_avg":     hist(math.Round(p.views / 30)),
	}}
}
