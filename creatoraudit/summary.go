package creatoraudit

import "strings"

// Summary returns the common creator summary of a tracked account, the
// same shape as every creatorkit-go package's, so accounts merge with
// other vendors' creators into one table:
//
//   - Source "creatoraudit", Platform "instagram" or "tiktok";
//   - Username: the handle; DisplayName: the profile's name;
//   - Followers: follower_count;
//   - EngagementRate, in percent: derived from the account's own counts
//     with CreatorAudit's documented formula, (likes + comments + shares)
//     / views x 100, that is (like_count + comment_count + share_count) /
//     view_count x 100. The account carries no engagement_rate of its
//     own; it is nil unless all four counts are set and view_count is
//     above 0 (an account before its first scrape has
//     none).
//
// AvgLikes and AvgComments stay nil: the account's like and comment
// counts are totals over the posts CreatorAudit read (at most
// effective_max_recent_posts_per_account within
// effective_post_lookback_days), and how many posts that was is not
// reported, so no per-post average can be derived without guessing.
// Quality stays nil: CreatorAudit has no audience-quality score.
// AudienceCountries, AudienceGenders and AudienceAges stay empty:
// CreatorAudit reads public engagement data only and documents audience
// demographics as out of scope.
//
// A count the answer did not carry (null, or a value that did not fit and
// is listed in Response.DecodeIssues) is nil, never 0. Summary is safe on
// a nil *Account (only Source is set).
func (a *Account) Summary() Summary {
	s := Summary{Source: vendor}
	if a == nil {
		return s
	}
	s.Platform = strings.ToLower(strings.TrimSpace(string(a.Platform)))
	s.Username = strings.TrimPrefix(strings.TrimSpace(a.Username), "@")
	s.DisplayName = strings.TrimSpace(a.Name)
	if a.FollowerCount != nil {
		n := *a.FollowerCount
		s.Followers = &n
	}
	s.EngagementRate = engagementRate(a.LikeCount, a.CommentCount, a.ShareCount, a.ViewCount)
	return s
}

// engagementRate is CreatorAudit's documented engagement rate, (likes +
// comments + shares) / views, in percent; nil unless every count is set,
// none is negative and views is above 0.
func engagementRate(likes, comments, shares, views *int64) *float64 {
	if likes == nil || comments == nil || shares == nil || views == nil || *views <= 0 ||
		*likes < 0 || *comments < 0 || *shares < 0 {
		return nil
	}
	er := float64(*likes+*comments+*shares) / float64(*views) * 100
	return &er
}
