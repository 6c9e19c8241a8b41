package hypeauditor

import (
	"encoding/json"

	"github.com/creatorkit/creatorkit-go/internal/jsonx"
)

// InstagramFeature is an optional extra block of the Instagram report
// [DOC-COPY].
type InstagramFeature string

// Documented Instagram features and where each lands in the response
// (features.ranking, features.content or features.report).
const (
	FeatureRanking               InstagramFeature = "ranking"
	FeatureMentions              InstagramFeature = "mentions"
	FeatureMentionedBy           InstagramFeature = "mentioned_by"
	FeatureNotableAudience       InstagramFeature = "notable_audience"
	FeatureAudienceBrandAffinity InstagramFeature = "audience_brand_affinity"
	FeatureERBenchmarks          InstagramFeature = "er_benchmarks"
)

// InstagramReport is the answer of auditor.report and
// auditor.reportByUserId: the state, and once READY the user report.
//
// The documented v2 shape is result.user [DOC-COPY]; one client fixture
// shapes it as result.report.{basic, metrics, features} like the other
// networks [CLIENT], which decodes into Report. Where the optional
// features land is not documented [INFERRED: result.features]: an object
// keyed by block (ranking, content, report) decodes into Features.Blocks,
// each block kept as raw JSON (read one with Features.Block), and the
// empty list [] that the other networks send when no feature was asked
// for decodes too (see ReportFeatures).
//
// It has Raw (the body as received) and Response (the response's metadata:
// status, request id, headers, DecodeIssues).
type InstagramReport struct {
	ReportStatus
	User     *InstagramUser `json:"user,omitempty"`
	Report   *ReportBody    `json:"report,omitempty"`
	Features ReportFeatures `json:"features,omitzero"`

	// Raw is the response body as received.
	Raw json.RawMessage `json:"-"`
	// Response is the metadata of the response (StatusCode 202 while the
	// report is generated).
	Response *ResponseMeta `json:"-"`
}

// InstagramMissingBlocks returns the blocks an Instagram READY_LOW_CONFIDENCE
// report lacks (a new slice on each call).
func InstagramMissingBlocks() []string {
	return []string{"demography_by_age", "demography", "audience_type", "audience_geography"}
}

// MissingBlocks lists the demographic blocks a READY_LOW_CONFIDENCE report
// lacks; nil for any other state.
func (r *InstagramReport) MissingBlocks() []string {
	if r == nil || !r.LowConfidence() {
		return nil
	}
	return InstagramMissingBlocks()
}

// InstagramUser is the Instagram user report (result.user), with every
// field the documentation lists [DOC-COPY]. Blocks HypeAuditor leaves out
// (hidden likes, fewer than 12 recent posts, low confidence) are nil.
type InstagramUser struct {
	// ID appears in a client fixture (a string there) [CLIENT].
	ID              ID     `json:"id,omitempty"`
	Username        string `json:"username,omitempty"`
	FullName        string `json:"full_name,omitempty"`
	IsPrivate       *bool  `json:"is_private,omitempty"`
	IsVerified      *bool  `json:"is_verified,omitempty"`
	IsDeleted       *bool  `json:"is_deleted,omitempty"`
	About           string `json:"about,omitempty"`
	PhotoURL        string `json:"photo_url,omitempty"`
	PostsCount      *Int   `json:"posts_count,omitempty"`
	FollowersCount  *Int   `json:"followers_count,omitempty"`
	FollowingsCount *Int   `json:"followings_count,omitempty"`
	AvgLikes        *Float `json:"avg_likes,omitempty"`
	AvgComments     *Float `json:"avg_comments,omitempty"`
	// AQS is the Audience Quality Score, 0 to 100; AQSName its mark
	// ("Excellent", "Good", ...).
	AQS            *Float `json:"aqs,omitempty"`
	AQSName        string `json:"aqs_name,omitempty"`
	AQSDescription string `json:"aqs_description,omitempty"`
	// BloggerCategories are taxonomy ids.
	BloggerCategories []Int    `json:"blogger_categories,omitzero"`
	BloggerLanguages  []string `json:"blogger_languages,omitzero"`
	// BloggerGender is read by clients; its type is not documented.
	BloggerGender         json.RawMessage `json:"blogger_gender,omitzero"`
	BloggerHashtags       *Hashtags       `json:"blogger_hashtags,omitempty"`
	BloggerGraphAnomalies *GraphAnomalies `json:"blogger_graph_anomalies,omitempty"`
	BloggerGeo            *BloggerGeo     `json:"blogger_geo,omitempty"`
	BloggerEMV            *EMV            `json:"blogger_emv,omitempty"`
	BloggerReach          *Reach          `json:"blogger_reach,omitempty"`
	BloggerPrices         *Prices         `json:"blogger_prices,omitempty"`
	BrandSafety           *BrandSafety    `json:"brand_safety,omitempty"`
	BloggerRankings       *Rankings       `json:"blogger_rankings,omitempty"`
	// Rate metrics, each {value, avg, title}; a null likes metric means
	// the account hides its likes.
	LikesSpread          *Metric `json:"likes_spread,omitempty"`
	LikesCommentsRatio   *Metric `json:"likes_comments_ratio,omitempty"`
	AudienceReachability *Metric `json:"audience_reachability,omitempty"`
	AudienceAuthenticity *Metric `json:"audience_authenticity,omitempty"`
	CommentsRate         *Metric `json:"comments_rate,omitempty"`
	YearlyGrowth         *Metric `json:"yearly_growth,omitempty"`
	// ER is the engagement rate with its performance per period.
	ER                   *Metric `json:"er,omitempty"`
	SubscribersGrowthPrc *Metric `json:"subscribers_growth_prc,omitempty"`
	AudienceAge21PlusPrc *Metric `json:"audience_age_21_plus_prc,omitempty"`
	MediaPerWeek         *Metric `json:"media_per_week,omitempty"`
	PostFrequency        *Metric `json:"post_frequency,omitempty"`
	// AudienceType splits the audience into real, suspicious, influencers
	// and mass followers (percent).
	AudienceType            *AudienceType   `json:"audience_type,omitempty"`
	AudienceEthnicity       []AudienceShare `json:"audience_ethnicity,omitzero"`
	AudienceSentiments      *Sentiments     `json:"audience_sentiments,omitempty"`
	LikesCommentsRatioChart []ChartPoint    `json:"likes_comments_ratio_chart,omitzero"`
	FollowersChart          []CountPoint    `json:"followers_chart,omitzero"`
	FollowingChart          []CountPoint    `json:"following_chart,omitzero"`
	AudienceLanguages       []AudienceShare `json:"audience_languages,omitzero"`
	SocialNetworks          []SocialNetwork `json:"social_networks,omitzero"`
	// AudienceEducation is keyed no_education, incomplete_primary,
	// primary, lower_secondary, upper_secondary, post_secondary.
	AudienceEducation map[string]Float `json:"audience_education,omitzero"`
	// AudienceMaritalStatus is keyed single, married, widowed, divorced.
	AudienceMaritalStatus map[string]Float   `json:"audience_marital_status,omitzero"`
	Growth                *TitleText         `json:"growth,omitempty"`
	AudienceGeography     *AudienceGeography `json:"audience_geography,omitempty"`
	AudienceInterests     []InterestWeight   `json:"audience_interests,omitzero"`
	EstReach              *FromTo            `json:"est_reach,omitempty"`
	AdvertisingData       *AdvertisingData   `json:"advertising_data,omitempty"`
	Location              *RawValue          `json:"location,omitempty"`
	DemographyByAge       []GenderAge        `json:"demography_by_age,omitzero"`
	Demography            []GenderAge        `json:"demography,omitzero"`
	ContactDetails        *ContactDetails    `json:"contact_details,omitempty"`
	// AudienceIncome is keyed "0k - 5k" ... "200k+".
	AudienceIncome  map[string]Float `json:"audience_income,omitzero"`
	EstPostPrice    *MinMax          `json:"est_post_price,omitempty"`
	EstStoriesPrice *MinMax          `json:"est_stories_price,omitempty"`
	GeoQuality      *CodeTitle       `json:"geo_quality,omitempty"`
	// MostMedia is deprecated since 2023-05-31 (use Account Media); kept
	// raw.
	MostMedia json.RawMessage `json:"most_media,omitzero"`

	// The pre-v2 report (a live answer of 2018, kept by a client) sends
	// these too; the documentation of today does not list them.
	//
	// GlobalRank is the account's worldwide rank.
	GlobalRank *Int `json:"global_rank,omitempty"`
	// CommentsAuthenticity is a verdict on the recent comments.
	CommentsAuthenticity *TitleText `json:"comments_authenticity,omitempty"`
	// Top3BloggerTopics are the creator's main topics as [name, weight]
	// pairs, like AudienceInterests.
	Top3BloggerTopics []InterestWeight `json:"top3_blogger_topics,omitzero"`
}

// TopCountries returns the audience's countries as sent (largest first in
// HypeAuditor's answers), at most n (all when n <= 0).
func (u *InstagramUser) TopCountries(n int) []AudienceShare {
	if u == nil || u.AudienceGeography == nil {
		return nil
	}
	return top(u.AudienceGeography.Countries, n)
}

// Hashtags are the creator's hashtags per period ({text, media_count,
// er_avg}). One client fixture sends {"data": []} instead [CLIENT]; that
// is kept in Data.
type Hashtags struct {
	Performance map[string][]Hashtag `json:"performance,omitzero"`
	Data        json.RawMessage      `json:"data,omitzero"`
}

// Hashtag is one hashtag's use.
type Hashtag struct {
	Text       string `json:"text,omitempty"`
	MediaCount *Float `json:"media_count,omitempty"`
	ERAvg      *Float `json:"er_avg,omitempty"`
}

// GraphAnomalies describes the follower-graph anomalies. The anomaly
// codes (FU_PATT_AG_NT, ..., ORGANIC) arrive in the descriptions.
type GraphAnomalies struct {
	Description           *Anomaly `json:"description,omitempty"`
	DescriptionFollowers  *Anomaly `json:"description_followers,omitempty"`
	DescriptionFollowings *Anomaly `json:"description_followings,omitempty"`
}

// Anomaly is one anomaly verdict; Mark is great, average or poor.
type Anomaly struct {
	Mark        string     `json:"mark,omitempty"`
	Title       string     `json:"title,omitempty"`
	Description *TitleText `json:"description,omitempty"`
}

// TitleText is a {title, description} pair.
type TitleText struct {
	Title       string `json:"title,omitempty"`
	Description string `json:"description,omitempty"`
}

// CountPoint is one point of a followers or followings chart.
type CountPoint struct {
	Date  *Time  `json:"date,omitempty"`
	Count *Float `json:"count,omitempty"`
}

// AudienceGeography is the audience by country, state and city (the UK is
// "uk").
type AudienceGeography struct {
	Countries []AudienceShare `json:"countries,omitzero"`
	States    []AudienceShare `json:"states,omitzero"`
	Cities    []AudienceShare `json:"cities,omitzero"`
}

// InterestWeight is one audience interest, sent as a [name, weight] pair.
type InterestWeight struct {
	Name   string
	Weight float64
}

// decodeInterestWeight is the tolerant decoding of InterestWeight (registered with
// jsonx.Register): it reads [name, weight]: a pair of
// another length or shape is reported, and a name or weight that does not
// fit is reported and left zero while the other is kept.
func decodeInterestWeight(d *jsonx.Decoder, b []byte, w *InterestWeight) {
	*w = InterestWeight{}
	if firstByte(b) == 'n' {
		return
	}
	var pair []json.RawMessage
	if firstByte(b) != '[' || json.Unmarshal(b, &pair) != nil || len(pair) != 2 {
		d.Report(b, "hypeauditor.InterestWeight", "a [name, weight] pair")
		return
	}
	if json.Unmarshal(pair[0], &w.Name) != nil {
		w.Name = ""
		d.Report(pair[0], "string", "the interest's name, [0] of the pair")
	}
	var weight Float
	if json.Unmarshal(pair[1], &weight) != nil {
		weight = 0
		d.Report(pair[1], "hypeauditor.Float", "the interest's weight, [1] of the pair")
	}
	w.Weight = float64(weight)
}

// UnmarshalJSON reads [name, weight]; anything else is an error.
func (w *InterestWeight) UnmarshalJSON(b []byte) error { return jsonx.StrictFor(b, w) }

// MarshalJSON writes [name, weight].
func (w InterestWeight) MarshalJSON() ([]byte, error) {
	return json.Marshal([]any{w.Name, w.Weight})
}

// FromTo is a {from, to} estimate.
type FromTo struct {
	From *Float `json:"from,omitempty"`
	To   *Float `json:"to,omitempty"`
}

// MinMax is a {min, max} estimate.
type MinMax struct {
	Min *Float `json:"min,omitempty"`
	Max *Float `json:"max,omitempty"`
}

// CodeTitle is a {code, title} pair.
type CodeTitle struct {
	Code  string `json:"code,omitempty"`
	Title string `json:"title,omitempty"`
}

// RawValue is a {value} whose type is not documented.
type RawValue struct {
	Value json.RawMessage `json:"value,omitzero"`
}

// GenderAge is one gender's share ("male"/"female" in demography_by_age,
// "M"/"F" in demography), with its age groups (group "age18-24", ...).
type GenderAge struct {
	Gender     string          `json:"gender,omitempty"`
	Value      *Float          `json:"value,omitempty"`
	ByAgeGroup []AudienceShare `json:"by_age_group,omitzero"`
}

// ContactDetails are the creator's public contacts.
type ContactDetails struct {
	Emails []string `json:"emails,omitzero"`
	Phones []string `json:"phones,omitzero"`
}

// AdvertisingData is present only for accounts with ad posts. The display
// fields' shapes are not documented and stay raw.
type AdvertisingData struct {
	AvgAdER             *Float          `json:"avg_ad_er,omitempty"`
	AvgERDisplay        json.RawMessage `json:"avg_er_display,omitzero"`
	AdPosts             *PostsCount     `json:"ad_posts,omitempty"`
	AllPosts            *PostsCount     `json:"all_posts,omitempty"`
	RegularPosts        *PostsCount     `json:"regular_posts,omitempty"`
	BrandMentionsCount  *Float          `json:"brand_mentions_count,omitempty"`
	BrandsCategories    json.RawMessage `json:"brands_categories,omitzero"`
	BrandMentions       []BrandMention  `json:"brand_mentions,omitzero"`
	BrandCategoriesHTML string          `json:"brand_categories_html,omitempty"`
	AvgER               *Float          `json:"avg_er,omitempty"`
	// BrandsMentionsCount and BrandsCategoriesHTML are how the pre-v2
	// report (a live answer of 2018) spells BrandMentionsCount and
	// BrandCategoriesHTML.
	BrandsMentionsCount  *Float `json:"brands_mentions_count,omitempty"`
	BrandsCategoriesHTML string `json:"brands_categories_html,omitempty"`
}

// PostsCount counts posts of a kind.
type PostsCount struct {
	Count   *Float          `json:"count,omitempty"`
	Prc     *Float          `json:"prc,omitempty"`
	Display json.RawMessage `json:"display,omitzero"`
}

// BrandMention is one brand the creator mentioned.
type BrandMention struct {
	Username      string          `json:"username,omitempty"`
	Name          string          `json:"name,omitempty"`
	Avatar        string          `json:"avatar,omitempty"`
	MentionsCount *Float          `json:"mentions_count,omitempty"`
	MentionER     *Float          `json:"mention_er,omitempty"`
	Category      json.RawMessage `json:"category,omitzero"`
}

func top(list []AudienceShare, n int) []AudienceShare {
	if n > 0 && len(list) > n {
		return list[:n]
	}
	return list
}

func init() {
	jsonx.Register(decodeInterestWeight)
}
