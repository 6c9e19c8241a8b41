package hypeauditortest

import (
	"math"
	"time"

	"github.com/creatorkit/creatorkit-go/hypeauditor"
)

// Report bodies are made up from the account, deterministically: the same
// account always gets the same numbers.

var countryPool = []struct{ code, name string }{
	{"us", "United States"}, {"in", "India"}, {"br", "Brazil"}, {"uk", "United Kingdom"}, {"de", "Germany"},
	{"mx", "Mexico"}, {"ru", "Russia"}, {"id", "Indonesia"}, {"fr", "France"}, {"ca", "Canada"},
}

type profile struct {
	score             float64
	real, susp, infs  float64
	mass              float64
	countries         []struct{ code, name string }
	shares            []float64
	male              float64
	views, mediaCount float64
}

func profileOf(a *account) profile {
	h := hash(a.id, "profile")
	p := profile{score: float64(30 + h%66)}
	p.real = round2(40 + float64(h/66%4000)/100)
	rest := 100 - p.real
	p.susp = round2(rest * 0.4)
	p.infs = round2(rest * 0.1)
	p.mass = round2(100 - p.real - p.susp - p.infs)
	start := int(h / 7 % uint64(len(countryPool)))
	share := 35.0
	for i := 0; i < 4; i++ {
		p.countries = append(p.countries, countryPool[(start+i)%len(countryPool)])
		p.shares = append(p.shares, round2(share))
		share *= 0.55
	}
	p.male = round2(30 + float64(h/11%4000)/100)
	p.views = math.Round(a.subscribers * (0.05 + float64(h%30)/100))
	p.mediaCount = float64(50 + h%3000)
	return p
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
	for i, c := range p.countries {
		countries = append(countries, map[string]any{"name": c.name, "code": c.code, "value": p.shares[i]})
	}
	user := map[string]any{
		"username": a.username, "full_name": a.title, "is_private": false, "is_verified": a.subscribers > 1e6,
		"photo_url": a.avatar, "posts_count": p.mediaCount, "followers_count": a.subscribers, "followings_count": 100 + hash(a.id)%900,
		"avg_likes": math.Round(a.subscribers * a.er / 100), "avg_comments": math.Round(a.subscribers * a.er / 10000),
		"aqs": p.score, "aqs_name": titleOf(p.score), "aqs_description": "Audience quality is " + markOf(p.score),
		"blogger_geo":     map[string]any{"country": p.countries[0].code, "state": "", "city": ""},
		"er":              map[string]any{"value": a.er, "avg": 1.2, "title": titleOf(a.er * 20), "performance": perf(a.er)},
		"social_networks": []map[string]any{},
	}
	if rep.state() != hypeauditor.StateReadyLowConfidence {
		user["audience_type"] = map[string]any{"real": p.real, "susp": p.susp, "infs": p.infs, "mass": p.mass}
		user["audience_geography"] = map[string]any{"countries": countries, "states": []any{}, "cities": []any{}}
		user["demography"] = []map[string]any{{"gender": "M", "value": p.male}, {"gender": "F", "value": round2(100 - p.male)}}
		user["demography_by_age"] = []map[string]any{
			{"gender": "male", "value": p.male, "by_age_group": []map[string]any{{"group": "age18-24", "value": round2(p.male * 0.4)}}},
			{"gender": "female", "value": round2(100 - p.male), "by_age_group": []map[string]any{{"group": "age18-24", "value": round2((100 - p.male) * 0.4)}}},
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
		"blogger_geo": map[string]any{"data": map[string]any{"country": p.countries[0].code}},
	}
	if rep.state() != hypeauditor.StateReadyLowConfidence {
		geo := []map[string]any{}
		for i, c := range p.countries {
			geo = append(geo, map[string]any{"code": c.code, "prc": p.shares[i]})
		}
		features["audience_geo"] = map[string]any{"data": geo}
		features["audience_by_type"] = map[string]any{"data": map[string]any{"real": p.real, "bots": p.susp, "infs": p.infs, "mass": p.mass}}
		features["audience_age_gender"] = map[string]any{"data": map[string]any{"18-24": map[string]any{"male": round2(p.male * 0.4), "female": round2((100 - p.male) * 0.4)}}}
	} else {
		features["audience_geo"] = map[string]any{"data": nil}
	}
	return map[string]any{"report_quality": "FULL", "report": map[string]any{
		"basic": basic(a),
		"metrics": map[string]any{
			"subscribers_count": map[string]any{"value": a.subscribers, "performance": perf(math.Round(a.subscribers / 50))},
			"er":                map[string]any{"value": a.er, "mark_title": "AVERAGE", "performance": perf(a.er)},
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
		for i, c := range p.countries {
			geo = append(geo, map[string]any{"title": c.code, "prc": p.shares[i]})
		}
		features["audience_geo"] = map[string]any{"data": geo}
		features["audience_languages"] = map[string]any{"data": []map[string]any{{"title": "en", "prc": 70.1}}}
	}
	t := rep.paid.Add(-24 * time.Hour).Unix()
	return map[string]any{"report_quality": "FULL",
		"report": map[string]any{
			"basic": basic(a),
			"metrics": map[string]any{
				"subscribers_count": map[string]any{"value": a.subscribers, "performance": perf(math.Round(a.subscribers / 100))},
				"er":                map[string]any{"value": a.er, "performance": perf(a.er)},
				"views_avg":         map[string]any{"value": p.views},
			},
			"features": features,
		},
		"metrics_history": map[string]any{"subscribers_count": map[string]any{"value": a.subscribers,
			"history": []map[string]any{{"time": t, "value": math.Round(a.subscribers * 0.99), "time_iso": time.Unix(t, 0).UTC().Format(time.DateOnly)}}}},
		"media": []map[string]any{{"id": a.id[:min(len(a.id), 11)], "title": "Latest video", "time_added": t,
			"metrics": map[string]any{"views_count": map[string]any{"value": p.views}, "er": map[string]any{"value": a.er, "mark": "average"}}}},
	}
}

// networkBody renders result.report for Twitch, Twitter and Snapchat.
func (s *Server) networkBody(rep *report) map[string]any {
	a, p := rep.acct, profileOf(rep.acct)
	metrics := map[string]any{"subscribers_count": map[string]any{"value": a.subscribers, "performance": perf(math.Round(a.subscribers / 80))}}
	if a.network == hypeauditor.Twitter {
		metrics["er"] = map[string]any{"value": a.er, "performance": perf(a.er)}
	} else {
		metrics["views_avg"] = map[string]any{"value": p.views}
	}
	features := map[string]any{"blogger_geo": map[string]any{"data": map[string]any{"country": p.countries[0].code}}}
	if rep.state() != hypeauditor.StateReadyLowConfidence {
		geo := []map[string]any{}
		for i, c := range p.countries {
			geo = append(geo, map[string]any{"code": c.code, "prc": p.shares[i]})
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
