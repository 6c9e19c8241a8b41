package firstparty

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
)

// QualityName is the name Insights.Summary gives Ylytic's score in
// Summary.Quality: profile_details.quality.profile_quality_score.
const QualityName = "Profile Quality Score"

// Summary returns the common creator summary of first-party Instagram
// insights, the same shape as every creatorkit-go package's, so creators
// from several vendors merge into one table:
//
//   - Source "firstparty", Platform "instagram";
//   - Username: profile_overview.handle (else the handle of another
//     section); DisplayName: profile_details.full_name;
//   - Followers: profile_overview.followers_count;
//   - EngagementRate, in percent: profile_overview.engagement (else
//     get_reach_and_engagement_details.overall_engagement);
//   - AvgLikes and AvgComments per post: Ylytic's average_likes and
//     average_comments (get_reach_and_engagement_details), else the mean
//     over the posts get_posts lists;
//   - Quality: Ylytic's profile_quality_score (0-100) named QualityName.
//     Verdict stays empty: Ylytic gives no label, only a numeric
//     profile_quality_rating on an undocumented scale (kept in
//     ProfileDetails.Quality).
//
// AudienceCountries, AudienceGenders and AudienceAges stay empty: the
// audience breakdown (get_audience) is null in Ylytic's only sample and
// its shape is undocumented, so it is kept raw in Audience. The country,
// gender and age group of profile_details describe the creator, not the
// audience, and are not reported as audience shares.
//
// A figure is nil when the insights do not carry it: the section is
// absent, the value is null or missing, or it did not fit its type (it is
// then listed in Response.DecodeIssues) — a missing value is never
// reported as 0. Insights built by hand or with encoding/json (no Raw)
// are taken as they are. Summary is safe on a nil *Insights and on
// insights that are not ready (only Source and Platform are set).
func (in *Insights) Summary() Summary {
	s := Summary{Source: vendor, Platform: Instagram.String()}
	if in == nil {
		return s
	}
	sent := in.sentValues()
	o, d, re, g := in.ProfileOverview, in.ProfileDetails, in.ReachAndEngagement, in.GrowthTrends

	var handles []string
	if o != nil {
		handles = append(handles, o.Handle)
	}
	if d != nil {
		handles = append(handles, d.Handle)
	}
	if re != nil {
		handles = append(handles, re.Handle)
	}
	if g != nil {
		handles = append(handles, g.Handle)
	}
	for _, h := range handles {
		if h = strings.TrimPrefix(strings.TrimSpace(h), "@"); h != "" {
			s.Username = h
			break
		}
	}
	if d != nil {
		s.DisplayName = strings.TrimSpace(d.FullName)
	}
	if o != nil && sent("profile_overview", "followers_count") {
		n := int64(o.FollowersCount)
		s.Followers = &n
	}
	switch {
	case o != nil && sent("profile_overview", "engagement"):
		s.EngagementRate = ptr(float64(o.Engagement))
	case re != nil && sent("get_reach_and_engagement_details", "overall_engagement"):
		s.EngagementRate = ptr(float64(re.OverallEngagement))
	}
	if re != nil && sent("get_reach_and_engagement_details", "average_likes") {
		s.AvgLikes = ptr(float64(re.AverageLikes))
	} else {
		s.AvgLikes = in.Posts.mean(sent, "likes_count", func(p Post) Int { return p.LikesCount })
	}
	if re != nil && sent("get_reach_and_engagement_details", "average_comments") {
		s.AvgComments = ptr(float64(re.AverageComments))
	} else {
		s.AvgComments = in.Posts.mean(sent, "comments_count", func(p Post) Int { return p.CommentsCount })
	}
	if d != nil && d.Quality != nil && sent("profile_details", "quality", "profile_quality_score") {
		if score := float64(d.Quality.ProfileQualityScore); score >= 0 && score <= 100 {
			s.Quality = &Quality{Name: QualityName, Score: score}
		}
	}
	return s
}

func ptr[T any](v T) *T { return &v }

// mean is the mean of one count over the posts that carry it; nil when
// none does.
func (p *Posts) mean(sent func(path ...any) bool, key string, count func(Post) Int) *float64 {
	if p == nil {
		return nil
	}
	var sum float64
	n := 0
	for _, list := range []struct {
		key   string
		posts []Post
	}{{"video_posts", p.VideoPosts}, {"non_video_posts", p.NonVideoPosts}} {
		for i, post := range list.posts {
			if sent("get_posts", list.key, i, key) {
				sum += float64(count(post))
				n++
			}
		}
	}
	if n == 0 {
		return nil
	}
	return ptr(sum / float64(n))
}

// sentValues returns a test of whether the body carried a usable value at
// a path of object keys (string) and array indexes (int): present, not
// null, and not listed (nor any value above it) in Response.DecodeIssues.
// Without Raw (insights built by hand or with encoding/json) every path
// counts as sent.
func (in *Insights) sentValues() func(path ...any) bool {
	if len(in.Raw) == 0 {
		return func(...any) bool { return true }
	}
	bad := map[string]bool{}
	if in.Response != nil {
		for _, is := range in.Response.DecodeIssues {
			bad[is.Path] = true
		}
	}
	// objects and arrays cache each container already split, by its path.
	objects := map[string]map[string]json.RawMessage{}
	arrays := map[string][]json.RawMessage{}
	return func(path ...any) bool {
		raw, at := json.RawMessage(in.Raw), ""
		for _, step := range path {
			switch k := step.(type) {
			case string:
				obj, ok := objects[at]
				if !ok {
					if json.Unmarshal(raw, &obj) != nil {
						obj = nil
					}
					objects[at] = obj
				}
				raw = obj[k]
				if at != "" {
					at += "."
				}
				at += k
			case int:
				arr, ok := arrays[at]
				if !ok {
					if json.Unmarshal(raw, &arr) != nil {
						arr = nil
					}
					arrays[at] = arr
				}
				if k < 0 || k >= len(arr) {
					return false
				}
				raw = arr[k]
				at += "[" + strconv.Itoa(k) + "]"
			default:
				return false
			}
			if bad[at] || isNull(raw) {
				return false
			}
		}
		return len(bytes.TrimSpace(raw)) > 0
	}
}
