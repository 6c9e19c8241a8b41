package firstparty

// Tier is Ylytic's influencer tier by audience size. The sample shows
// "Nano"; other values are passed through as sent.
type Tier string

// TierNano is the tier the documentation's sample shows.
const TierNano Tier = "Nano"

// ProfileOverview is the headline of a creator's insights
// (profile_overview).
type ProfileOverview struct {
	Handle         string `json:"handle"`
	FollowersCount Int    `json:"followers_count"`
	PostCount      Int    `json:"post_count"`
	FollowingCount Int    `json:"following_count"`
	IGUserID       ID     `json:"ig_user_id"`
	// ContentPerWeek is posts a week (0.94).
	ContentPerWeek Float `json:"content_per_week"`
	// Engagement is the overall engagement rate in percent of followers
	// (43.64 means 43.64%).
	Engagement     Float `json:"engagement"`
	InfluencerTier Tier  `json:"influencer_tier"`
	// LastProcessedAt arrives as "26/01/2024".
	LastProcessedAt Time `json:"last_processed_at"`
}

// ProfileDetails is the creator's profile as Ylytic reads it
// (profile_details): biography, demographics, who the creator mentions,
// look-alike creators and quality scores.
type ProfileDetails struct {
	Biography string `json:"biography"`
	// Mobile and Email are null unless the creator shared them.
	Mobile    *string `json:"mobile"`
	Gender    string  `json:"gender"`
	AgeGroup  string  `json:"age_group"`
	Category  string  `json:"category"`
	Interests []Item  `json:"interests"`
	Location  string  `json:"location"`
	Country   string  `json:"country"`
	// Mentions, Hashtags and BrandMentions are plain lists (usernames and
	// tags without "@" or "#"); the *Details lists describe the accounts.
	Mentions             []string        `json:"mentions"`
	Hashtags             []string        `json:"hashtags"`
	BrandMentions        []string        `json:"brand_mentions"`
	MentionsDetails      []Account       `json:"mentions_details"`
	BrandMentionsDetails []Account       `json:"brand_mentions_details"`
	LookAlikeCreators    []Account       `json:"look_alike_creators"`
	IGUserID             ID              `json:"ig_user_id"`
	IGCategory           string          `json:"ig_category"`
	Quality              *ProfileQuality `json:"quality"`
	Languages            []Item          `json:"languages"`
	Email                *string         `json:"email"`
	Handle               string          `json:"handle"`
	HandleLink           string          `json:"handle_link"`
	FullName             string          `json:"full_name"`
	ImageURL             string          `json:"image_url"`
	ExternalLink         []Item          `json:"external_link"`
	LastProcessedAt      Time            `json:"last_processed_at"`
}

// Account is a mentioned, brand-mentioned or look-alike account.
type Account struct {
	Name       string `json:"name"`
	Username   string `json:"username"`
	ImageURL   string `json:"image_url"`
	HandleLink string `json:"handle_link"`
}

// ProfileQuality is Ylytic's profile quality assessment
// (profile_details.quality). ProfileQualityScore is out of 100 (92); the
// others are ratings that the sample shows from 0 to 4 (ASSUMPTION: a 0 to
// 5 scale, as Ylytic's dashboard shows stars). Insights.Summary reports
// ProfileQualityScore as its Quality.
type ProfileQuality struct {
	ProfileQualityScore  Float `json:"profile_quality_score"`
	ProfileQualityRating Float `json:"profile_quality_rating"`
	EngagementRate       Float `json:"engagement_rate"`
	EffectiveFollowers   Float `json:"effective_followers"`
	Consistency          Float `json:"consistency"`
	AuthenticAudience    Float `json:"authentic_audience"`
}

// ReachAndEngagement is the reach and engagement analysis
// (get_reach_and_engagement_details). Averages and medians are per post;
// engagement values are percent of followers. Paid-post figures are nil
// when the creator has no paid posts.
type ReachAndEngagement struct {
	NonVideoEngagement      Float  `json:"non_video_engagement"`
	NonVideoAverageComments Float  `json:"non_video_average_comments"`
	NonVideoReach           Float  `json:"non_video_reach"`
	NonVideoAverageViews    Float  `json:"non_video_average_views"`
	NonVideoAverageLikes    Float  `json:"non_video_average_likes"`
	MedianViews             Float  `json:"median_views"`
	MedianUniqueViewers     Float  `json:"median_unique_viewers"`
	EffectiveFollowerRate   Float  `json:"effective_follower_rate"`
	MedianComments          Float  `json:"median_comments"`
	MedianLikes             Float  `json:"median_likes"`
	PopularPostType         string `json:"popular_post_type"`
	EstimatedStoryReach     Float  `json:"estimated_story_reach"`
	// EstimatedStoryViews is sent as "estimted_story_views" (sic).
	EstimatedStoryViews     Float  `json:"estimted_story_views"`
	IGUserID                ID     `json:"ig_user_id"`
	PaidPostAverageViews    *Float `json:"paid_post_average_views"`
	PaidPostAverageComments *Float `json:"paid_post_average_comments"`
	PaidPostAverageLikes    *Float `json:"paid_post_average_likes"`
	PaidPostEngagement      *Float `json:"paid_post_engagement"`
	Handle                  string `json:"handle"`
	AverageViews            Float  `json:"average_views"`
	AverageUniqueViewers    Float  `json:"average_unique_viewers"`
	OverallEngagement       Float  `json:"overall_engagement"`
	AverageComments         Float  `json:"average_comments"`
	AverageLikes            Float  `json:"average_likes"`
	VideoEngagement         Float  `json:"video_engagement"`
	VideoAverageComments    Float  `json:"video_average_comments"`
	VideoAverageLikes       Float  `json:"video_average_likes"`
	LastProcessedAt         Time   `json:"last_processed_at"`
}
