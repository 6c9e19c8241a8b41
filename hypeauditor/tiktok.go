package hypeauditor

import (
	"encoding/json"
)

// TikTokReport is the answer of auditor.tiktok and auditor.tiktokByUserId
// [DOC-COPY].
//
// It has Raw (the body as received) and Response (the response's metadata:
// status, request id, headers, DecodeIssues).
type TikTokReport struct {
	ReportStatus
	Report *TikTokBody `json:"report,omitempty"`
	// Features are the optional blocks asked for with
	// TikTokParams.Features, when HypeAuditor sends them (see
	// ReportFeatures).
	Features ReportFeatures `json:"features,omitzero"`

	// Raw is the response body as received.
	Raw json.RawMessage `json:"-"`
	// Response is the metadata of the response.
	Response *ResponseMeta `json:"-"`
}

// TikTokMissingBlocks returns the features a TikTok READY_LOW_CONFIDENCE
// report lacks (a new slice on each call).
func TikTokMissingBlocks() []string {
	return []string{"audience_age_gender", "audience_geo", "audience_by_type"}
}

// MissingBlocks lists the features a READY_LOW_CONFIDENCE report lacks;
// nil for any other state.
func (r *TikTokReport) MissingBlocks() []string {
	if r == nil || !r.LowConfidence() {
		return nil
	}
	return TikTokMissingBlocks()
}

// TikTokBody is report.{basic, metrics, features}.
type TikTokBody struct {
	Basic    Basic          `json:"basic,omitzero"`
	Metrics  TikTokMetrics  `json:"metrics,omitzero"`
	Features TikTokFeatures `json:"features,omitzero"`
	// SocialNetworks is social_networks where one client's fixture puts
	// it: beside basic, metrics and features instead of in features
	// (Features.SocialNetworks, the documented place) [CLIENT]. Its
	// entries' type is an integer code in one entry and a name in the
	// other there; both decode (see NetworkType).
	SocialNetworks *Feature[[]SocialNetwork] `json:"social_networks,omitempty"`
}

// TikTokMetrics are the documented TikTok metrics; each has a value and a
// performance map keyed by period (7d, 30d, 90d, 180d, 365d, all; all is
// the last two years). Undocumented metrics are in the report's Raw.
type TikTokMetrics struct {
	MediaPerWeek         *Metric `json:"media_per_week,omitempty"`
	SubscribersCount     *Metric `json:"subscribers_count,omitempty"`
	ViewsAvg             *Metric `json:"views_avg,omitempty"`
	SubscribersGrowthPrc *Metric `json:"subscribers_growth_prc,omitempty"`
	ER                   *Metric `json:"er,omitempty"`
	AlikesAvg            *Metric `json:"alikes_avg,omitempty"`
	LikesCount           *Metric `json:"likes_count,omitempty"`
	CommentsCount        *Metric `json:"comments_count,omitempty"`
	SharesCount          *Metric `json:"shares_count,omitempty"`
	MediaCount           *Metric `json:"media_count,omitempty"`
	LikesViewsRatio      *Metric `json:"likes_views_ratio,omitempty"`
	ViewsFollowersRatio  *Metric `json:"views_followers_ratio,omitempty"`
	FollowingCount       *Metric `json:"following_count,omitempty"`
	CommentsAvg          *Metric `json:"comments_avg,omitempty"`
	SharesAvg            *Metric `json:"shares_avg,omitempty"`
	CommentsLikesRatio   *Metric `json:"comments_likes_ratio,omitempty"`
	PostFrequency        *Metric `json:"post_frequency,omitempty"`
	SubscribersQuality   *Metric `json:"subscribers_quality,omitempty"`
	AudienceReachability *Metric `json:"audience_reachability,omitempty"`
}

// TikTokFeatures are the documented TikTok features, each wrapped as
// {"data": ...}.
type TikTokFeatures struct {
	// AudienceAgeGender is keyed by age bucket: "13-17", "18-24", "25-34",
	// "35-44", "45-54", "55-64", "65+".
	AudienceAgeGender *Feature[map[string]GenderSplit] `json:"audience_age_gender,omitempty"`
	// AudienceByType is {real, bots, infs, mass}.
	AudienceByType *Feature[*AudienceType] `json:"audience_by_type,omitempty"`
	// AudienceGeo is [{code, prc}] in the attribute table and
	// {groups, countries: [{id, code, prc}]} in the published sample;
	// both decode (see AudienceGeo).
	AudienceGeo       *Feature[*AudienceGeo]    `json:"audience_geo,omitempty"`
	AudienceLanguages *Feature[[]AudienceShare] `json:"audience_languages,omitempty"`
	AudienceRaces     *Feature[*Races]          `json:"audience_races,omitempty"`
	// AudienceSentiments analyses the comments (published sample; not in
	// the attribute table).
	AudienceSentiments *Feature[*Sentiments] `json:"audience_sentiments,omitempty"`
	// AQS is the Audience Quality Score.
	AQS                    *Feature[*AQS]         `json:"aqs,omitempty"`
	BloggerViewsLikesChart *Feature[[]ChartPoint] `json:"blogger_views_likes_chart,omitempty"`
	// MediaByType is {recommended, commercial, potentially_commercial}.
	MediaByType *Feature[map[string]Float] `json:"media_by_type,omitempty"`
	// LikesDistribution is keyed by period.
	LikesDistribution *Feature[map[string]LikesDistribution] `json:"likes_distribution,omitempty"`
	BloggerGeo        *Feature[*BloggerGeo]                  `json:"blogger_geo,omitempty"`
	BloggerLanguages  *Feature[[]string]                     `json:"blogger_languages,omitempty"`
	// MostMedia is keyed by ordering (time_posted_desc, er_desc,
	// views_desc, ...).
	MostMedia      *Feature[map[string]MostMedia] `json:"most_media,omitempty"`
	SocialNetworks *Feature[[]SocialNetwork]      `json:"social_networks,omitempty"`

	// The published sample sends these too; the attribute table does not
	// list them.
	BloggerEMV    *Feature[*EMV]     `json:"blogger_emv,omitempty"`
	BloggerPrices *Feature[*Prices]  `json:"blogger_prices,omitempty"`
	BloggerEmails *Feature[[]string] `json:"blogger_emails,omitempty"`
	// BloggerThematics are taxonomy ids.
	BloggerThematics             *Feature[[]Int]                  `json:"blogger_thematics,omitempty"`
	BloggerChallengesPerformance *Feature[*ChallengesPerformance] `json:"blogger_challenges_performance,omitempty"`
}

// ChallengesPerformance is how the creator's TikTok challenges (hashtag
// challenges) performed, from the published sample.
type ChallengesPerformance struct {
	ChallengesStats *ChallengesStats `json:"challenges_stats,omitempty"`
	// Posts and Challenges are empty lists in the published sample; their
	// entries' shape is not known, so they are kept as received.
	Posts                  []json.RawMessage `json:"posts,omitzero"`
	Challenges             []json.RawMessage `json:"challenges,omitzero"`
	HasLaunchedAdvertising *bool             `json:"has_launched_advertising,omitempty"`
}

// ChallengesStats holds the challenge statistics per period (7d, 30d,
// 90d, 180d, 365d, all).
type ChallengesStats struct {
	Performance map[string]*ChallengePeriod `json:"performance,omitzero"`
}

// ChallengePeriod is the challenges of one period.
type ChallengePeriod struct {
	CommercialCount *Float          `json:"commercial_count,omitempty"`
	PostIDs         []ID            `json:"post_ids,omitzero"`
	BasicStats      []ChallengeStat `json:"basic_stats,omitzero"`
}

// ChallengeStat is one challenge's posts and engagement rate.
type ChallengeStat struct {
	Challenge  string `json:"challenge,omitempty"`
	PostsCount *Float `json:"posts_count,omitempty"`
	ER         *Float `json:"er,omitempty"`
}

// AQS is TikTok's Audience Quality Score with its explanation, keyed er,
// comments_likes_ratio and account_growth.
type AQS struct {
	Value       *Float                    `json:"value,omitempty"`
	Mark        string                    `json:"mark,omitempty"`
	Description map[string]AQSExplanation `json:"description,omitzero"`
}

// AQSExplanation is one part of the AQS explanation.
type AQSExplanation struct {
	Mark        string `json:"mark,omitempty"`
	Description *struct {
		Title *KeyText `json:"title,omitempty"`
	} `json:"description,omitempty"`
}

// KeyText is a {key, text} pair.
type KeyText struct {
	Key  string `json:"key,omitempty"`
	Text string `json:"text,omitempty"`
}

// LikesDistribution buckets posts by likes ("< 10", "10+", ..., "10M+").
type LikesDistribution struct {
	Value     map[string]Float `json:"value,omitzero"`
	ValuePrev map[string]Float `json:"value_prev,omitzero"`
}
