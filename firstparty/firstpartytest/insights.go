package firstpartytest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/creatorkit/creatorkit-go/firstparty"
	"github.com/creatorkit/creatorkit-go/internal/fake/universe"
)

// ylyticDate is how Ylytic writes last_processed_at.
const ylyticDate = "02/01/2006"

// insightsBody is the body served once a creator's insights are ready:
// the outcome's, the documentation's sample for its creator, or for any
// other handle the sample's shape filled with the creator universe's
// account of that handle (internal/fake/universe, shared by every
// creatorkit fake) as the platform reports it on the universe date day,
// processed at processed (the fake's clock).
func insightsBody(o Outcome, connector firstparty.Platform, day, processed time.Time) ([]byte, error) {
	if o.Insights != nil {
		return o.Insights, nil
	}
	if o.Handle == SampleHandle {
		return sampleInsights, nil
	}
	var doc map[string]any
	d := json.NewDecoder(bytes.NewReader(sampleInsights))
	d.UseNumber() // keep the sample's numbers as written where nothing replaces them
	if err := d.Decode(&doc); err != nil {
		return nil, err
	}
	platform := universe.Instagram
	if connector == firstparty.YouTube {
		platform = universe.YouTube
	}
	u := universe.Get(platform, o.Handle)
	f := u.View(universe.FirstParty, day)
	name := o.Name
	if name == "" {
		name = u.Name
	}
	id, when := igUserID(o.Handle), processed.UTC().Format(ylyticDate)
	section := func(key string) map[string]any {
		m, _ := doc[key].(map[string]any)
		if m == nil {
			m = map[string]any{}
			doc[key] = m
		}
		m["handle"], m["ig_user_id"], m["last_processed_at"] = o.Handle, id, when
		return m
	}
	ov := section("profile_overview")
	ov["followers_count"], ov["following_count"], ov["post_count"] = f.Followers, f.Following, f.Posts
	ov["content_per_week"], ov["engagement"], ov["influencer_tier"] = round2(u.PostsPerDay*7), f.ER, tier(f.Followers)

	q := u.Signals
	rating := func(score float64) int { return int(math.Min(4, math.Max(0, math.Floor(score/20)))) }
	det := section("profile_details")
	det["full_name"], det["biography"] = name, fmt.Sprintf("%s | %s", name, u.Topics[0])
	det["gender"], det["category"], det["ig_category"] = u.Gender, title(u.Topics[0]), title(u.Topics[0])
	det["location"], det["country"] = u.City, universe.CountryName(u.Country)
	if u.Brand {
		det["age_group"] = nil
	}
	det["quality"] = map[string]any{"profile_quality_score": u.FirstPartyScore(), "profile_quality_rating": rating(float64(u.FirstPartyScore())),
		"engagement_rate": rating(u.ERScore()), "effective_followers": rating(q.Real), "consistency": rating(u.PostsPerDay * 7 * 15),
		"authentic_audience": rating(100 - 2*q.Suspicious)}
	det["interests"], det["hashtags"] = u.Topics, u.Topics
	for _, k := range []string{"mentions", "brand_mentions", "mentions_details", "brand_mentions_details", "look_alike_creators"} {
		det[k] = []any{}
	}

	re := section("get_reach_and_engagement_details")
	likes, comments, views := float64(f.AvgLikes), float64(f.AvgComments), float64(f.AvgViews)
	re["average_likes"], re["average_comments"], re["average_views"] = f.AvgLikes, f.AvgComments, f.AvgViews
	re["average_unique_viewers"], re["overall_engagement"] = math.Round(views*0.95), f.ER
	re["median_likes"], re["median_comments"], re["median_views"] = math.Round(likes*0.85), math.Round(comments*0.85), math.Round(views*0.8)
	re["median_unique_viewers"] = math.Round(views * 0.76)
	re["video_average_likes"], re["video_average_comments"], re["video_engagement"] = math.Round(likes*1.2), math.Round(comments*1.2), round2(f.ER*1.2)
	re["non_video_average_likes"], re["non_video_average_comments"], re["non_video_engagement"] = math.Round(likes*0.6), math.Round(comments*0.6), round2(f.ER*0.6)
	re["non_video_average_views"], re["non_video_reach"] = math.Round(views*0.4), math.Round(views*0.38)
	re["estimated_story_reach"], re["estimted_story_views"] = math.Round(float64(f.Followers)*0.035), math.Round(float64(f.Followers)*0.037)
	re["effective_follower_rate"] = round2(q.Real)

	doc["get_posts"] = posts(u, f, o.Handle, day, processed)

	g := section("get_growth_trends")
	g["monthly_followers"], g["quaterly_followers"], g["yearly_followers"] = growth(u, day, 30), growth(u, day, 91), growth(u, day, 365)
	g["monthly_engagement"], g["quaterly_engagement"], g["yearly_engagement"] = 0, 0, 0
	var followers, engagement []map[string]any
	for m := 5; m >= 0; m-- {
		at := day.AddDate(0, -m, 0)
		if !u.Exists(at) {
			continue // nothing before the account existed
		}
		date := processed.AddDate(0, -m, 0).UTC().Format(time.DateOnly)
		followers = append(followers, map[string]any{date: map[string]any{"followers": u.Followers(at)}})
		engagement = append(engagement, map[string]any{date: map[string]any{"engagement": f.ER}})
	}
	g["cumulative_followers_trends"], g["engagement_trends"] = followers, engagement
	return json.Marshal(doc)
}

// posts are the creator's latest twelve videos and five other posts,
// around its averages, none before the account existed.
func posts(u *universe.Creator, f universe.Figures, handle string, day, processed time.Time) map[string]any {
	every := time.Duration(float64(24*time.Hour) / math.Max(u.PostsPerDay, 0.05))
	post := func(i int, video bool) map[string]any {
		h := hash64(fmt.Sprint(handle, "/", i, video))
		mult := 0.5 + float64(h%100)/100 // 0.5 to 1.5 times the averages
		likes, comments, views := math.Round(float64(f.AvgLikes)*mult), math.Round(float64(f.AvgComments)*mult), math.Round(float64(f.AvgViews)*mult)
		typ := "REEL"
		if !video {
			typ, likes, comments, views = []string{"IMAGE", "CAROUSEL_ALBUM"}[h%2], math.Round(likes*0.6), math.Round(comments*0.6), math.Round(views*0.4)
		}
		er := 0.0
		if f.Followers > 0 {
			er = round2((likes + comments) / float64(f.Followers) * 100)
		}
		at := processed.Add(-time.Duration(2*i+boolInt(video)) * every)
		const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"
		code := []byte("C")
		for x := h; len(code) < 11; x /= 64 {
			code = append(code, alphabet[x%64])
		}
		return map[string]any{"shortcode": string(code), "hashtags": u.Topics, "caption": fmt.Sprintf("%s #%s", u.Name, strings.Join(u.Topics, " #")),
			"comments_count": comments, "likes_count": likes, "er": er, "views": views, "posted_at": at.Unix(), "posted_date": at.UTC().Format(time.RFC1123),
			"image_url": "", "sponsored": h%7 == 0, "external_links": []any{}, "video": video, "post_type": typ, "mentions": []any{},
			"location_name": u.City + ", " + universe.CountryName(u.Country)}
	}
	videos, others := []map[string]any{}, []map[string]any{}
	for i := range 12 {
		if u.Exists(day.Add(-time.Duration(2*i+1) * every)) {
			videos = append(videos, post(i, true))
		}
	}
	for i := range 5 {
		if u.Exists(day.Add(-time.Duration(2*i) * every)) {
			others = append(others, post(i, false))
		}
	}
	return map[string]any{"video_posts": videos, "non_video_posts": others}
}

// tier is Ylytic's influencer tier of a follower count.
func tier(followers int64) string {
	switch {
	case followers < 10_000:
		return "Nano"
	case followers < 100_000:
		return "Micro"
	case followers < 500_000:
		return "Mid"
	case followers < 1_000_000:
		return "Macro"
	}
	return "Mega"
}

// growth is the followers' growth over the days to day, percent.
func growth(u *universe.Creator, day time.Time, days int) float64 {
	now, then := u.Followers(day), u.Followers(day.AddDate(0, 0, -days))
	if then == 0 {
		return 0
	}
	return round2(float64(now-then) / float64(then) * 100)
}

func title(s string) string { return strings.ToUpper(s[:1]) + s[1:] }

func round2(f float64) float64 { return math.Round(f*100) / 100 }

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func hash64(s string) uint64 {
	var h uint64 = 14695981039346656037
	for _, c := range []byte(s) {
		h = (h ^ uint64(c)) * 1099511628211
	}
	return h
}
