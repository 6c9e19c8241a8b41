package hypeauditor

import (
	"encoding/json"
)

// YouTubeReport is the answer of auditor.youtube [DOC-COPY].
//
// It has Raw (the body as received) and Response (the response's metadata:
// status, request id, headers, DecodeIssues).
type YouTubeReport struct {
	ReportStatus
	Report *YouTubeBody `json:"report,omitempty"`
	// MetricsHistory is keyed videos_v30, er, subscribers_count,
	// media_count.
	MetricsHistory map[string]MetricHistory `json:"metrics_history,omitzero"`
	// Media are recent videos.
	Media []YouTubeVideo `json:"media,omitzero"`
	// Features are the optional blocks asked for with
	// YouTubeParams.Features ([] in the published sample, which asked for
	// none).
	Features ReportFeatures `json:"features,omitzero"`

	// Raw is the response body as received.
	Raw json.RawMessage `json:"-"`
	// Response is the metadata of the response.
	Response *ResponseMeta `json:"-"`
}

// YouTubeMissingBlocks returns the features a YouTube READY_LOW_CONFIDENCE
// report lacks (a new slice on each call).
func YouTubeMissingBlocks() []string {
	return []string{"audience_age_gender", "audience_geo", "audience_languages"}
}

// MissingBlocks lists the features a READY_LOW_CONFIDENCE report lacks;
// nil for any other state.
func (r *YouTubeReport) MissingBlocks() []string {
	if r == nil || !r.LowConfidence() {
		return nil
	}
	return YouTubeMissingBlocks()
}

// YouTubeBody is report.{basic, metrics, features}.
type YouTubeBody struct {
	Basic    Basic           `json:"basic,omitzero"`
	Metrics  YouTubeMetrics  `json:"metrics,omitzero"`
	Features YouTubeFeatures `json:"features,omitzero"`
	// VideoIntegrationPrice is where the published sample sends
	// video_integration_price: beside basic, metrics and features, not
	// inside features as the attribute table has it
	// (Features.VideoIntegrationPrice). IntegrationPrice reads either.
	VideoIntegrationPrice *Feature[*IntegrationPrice] `json:"video_integration_price,omitempty"`
}

// IntegrationPrice returns the estimated price of a video integration,
// from report.video_integration_price (the published sample) or
// report.features.video_integration_price (the attribute table); nil when
// neither has data.
func (b *YouTubeBody) IntegrationPrice() *IntegrationPrice {
	if b == nil {
		return nil
	}
	for _, f := range []*Feature[*IntegrationPrice]{b.VideoIntegrationPrice, b.Features.VideoIntegrationPrice} {
		if f != nil && f.Data != nil {
			return f.Data
		}
	}
	return nil
}

// YouTubeMetrics are the documented YouTube metrics (performance periods
// 30d, 90d, 180d, 365d, all).
type YouTubeMetrics struct {
	SubscribersCount     *Metric `json:"subscribers_count,omitempty"`
	SubscribersGrowthPrc *Metric `json:"subscribers_growth_prc,omitempty"`
	MediaCount           *Metric `json:"media_count,omitempty"`
	ViewsCount           *Metric `json:"views_count,omitempty"`
	ViewsAvg             *Metric `json:"views_avg,omitempty"`
	VideosV30            *Metric `json:"videos_v30,omitempty"`
	ER                   *Metric `json:"er,omitempty"`
	AlikesCount          *Metric `json:"alikes_count,omitempty"`
	LikesCount           *Metric `json:"likes_count,omitempty"`
	DislikesCount        *Metric `json:"dislikes_count,omitempty"`
	CommentsCount        *Metric `json:"comments_count,omitempty"`
	VideoViewsCount      *Metric `json:"video_views_count,omitempty"`
	VideoViewsAvg        *Metric `json:"video_views_avg,omitempty"`
	CommentsRate         *Metric `json:"comments_rate,omitempty"`
	ReactionsRate        *Metric `json:"reactions_rate,omitempty"`
	// LTDRate is deprecated since 11/2021.
	LTDRate            *Metric `json:"ltd_rate,omitempty"`
	LikesCommentsRatio *Metric `json:"likes_comments_ratio,omitempty"`
	VideosPerWeek      *Metric `json:"videos_per_week,omitempty"`
	CommentsAvg        *Metric `json:"comments_avg,omitempty"`
	AlikesAvg          *Metric `json:"alikes_avg,omitempty"`
}

// YouTubeFeatures are the documented YouTube features, each wrapped as
// {"data": ...}.
type YouTubeFeatures struct {
	// AudienceGeo is [{title (2-letter code; the UK is "uk"), prc}] in
	// the table and the published sample; the object form TikTok sends
	// decodes too (see AudienceGeo).
	AudienceGeo       *Feature[*AudienceGeo]           `json:"audience_geo,omitempty"`
	AudienceAgeGender *Feature[map[string]GenderSplit] `json:"audience_age_gender,omitempty"`
	AudienceLanguages *Feature[[]AudienceShare]        `json:"audience_languages,omitempty"`
	// AudienceRaces is [{group, prc}] in the table and an object keyed by
	// group in the published sample; both decode (see Races).
	AudienceRaces      *Feature[*Races]      `json:"audience_races,omitempty"`
	AudienceSentiments *Feature[*Sentiments] `json:"audience_sentiments,omitempty"`
	BloggerLanguages   *Feature[[]string]    `json:"blogger_languages,omitempty"`
	// VideoIntegrationPrice is where the attribute table puts it; the
	// published sample sends it as YouTubeBody.VideoIntegrationPrice.
	VideoIntegrationPrice *Feature[*IntegrationPrice] `json:"video_integration_price,omitempty"`
	// CQS is the Channel Quality Score.
	CQS        *Feature[*CQS]        `json:"cqs,omitempty"`
	BloggerGeo *Feature[*BloggerGeo] `json:"blogger_geo,omitempty"`
	BloggerEMV *Feature[*EMV]        `json:"blogger_emv,omitempty"`
	// BloggerRankings carries a Status and a Confidence beside its data
	// in the published sample.
	BloggerRankings *Feature[*Rankings] `json:"blogger_rankings,omitempty"`
	BloggerEmails   *Feature[[]string]  `json:"blogger_emails,omitempty"`
	BloggerPrices   *Feature[*Prices]   `json:"blogger_prices,omitempty"`
	// BloggerThematics are taxonomy ids (replacing basic.category_name).
	BloggerThematics *Feature[[]Int]        `json:"blogger_thematics,omitempty"`
	BrandSafety      *Feature[*BrandSafety] `json:"brand_safety,omitempty"`
	// MostMedia is keyed by ordering (views_count_desc, engagement_desc,
	// time_added_desc, comments_count_desc) and, in the published sample,
	// "last_media": a bare media id (see MostMedia).
	MostMedia              *Feature[map[string]MostMedia] `json:"most_media,omitempty"`
	BloggerViewsLikesChart *Feature[[]ChartPoint]         `json:"blogger_views_likes_chart,omitempty"`
	SocialNetworks         *Feature[[]SocialNetwork]      `json:"social_networks,omitempty"`
}

// CQS is YouTube's Channel Quality Score (0 to 100) with its marks. The
// published sample adds Mark and ValueDescription, the score's parts keyed
// creator, audience, credibility and engagement; discovery results send
// Mark alone.
type CQS struct {
	Value            *Float             `json:"value,omitempty"`
	Mark             string             `json:"mark,omitempty"`
	DisplayMark      string             `json:"display_mark,omitempty"`
	ValueDescription map[string]CQSPart `json:"value_description,omitzero"`
}

// CQSPart is one part of the Channel Quality Score.
type CQSPart struct {
	Value *Float `json:"value,omitempty"`
}

// MarkOrDisplay returns DisplayMark, or Mark when there is none.
func (c *CQS) MarkOrDisplay() string {
	if c == nil {
		return ""
	}
	if c.DisplayMark != "" {
		return c.DisplayMark
	}
	return c.Mark
}

// IntegrationPrice is the estimated price of a video integration.
type IntegrationPrice struct {
	Price     *Float `json:"price,omitempty"`
	PriceFrom *Float `json:"price_from,omitempty"`
	PriceTo   *Float `json:"price_to,omitempty"`
}

// YouTubeVideo is one video of result.media.
//
// It has neither Raw nor Response: its page's are YouTubeMediaPage.Raw and
// Response (or YouTubeReport's).
type YouTubeVideo struct {
	ID          ID     `json:"id,omitempty"`
	Title       string `json:"title,omitempty"`
	Description string `json:"description,omitempty"`
	// StrictReason's shape is not documented (null in the published
	// sample).
	StrictReason json.RawMessage `json:"strict_reason,omitzero"`
	// IsSctricted is spelled as the attribute table spells it; the
	// published sample sends IsStricted (null there).
	IsSctricted  *bool                `json:"is_sctricted,omitempty"`
	IsStricted   *bool                `json:"is_stricted,omitempty"`
	Thumbnail    string               `json:"thumbnail,omitempty"`
	TimeAdded    *Time                `json:"time_added,omitempty"`
	TimeAddedISO string               `json:"time_added_iso,omitempty"`
	ChannelIDs   []string             `json:"channel_ids,omitzero"`
	Metrics      *YouTubeVideoMetrics `json:"metrics,omitempty"`
}

// YouTubeVideoMetrics are one video's metrics.
type YouTubeVideoMetrics struct {
	ViewsCount    *Metric `json:"views_count,omitempty"`
	LikesCount    *Metric `json:"likes_count,omitempty"`
	DislikesCount *Metric `json:"dislikes_count,omitempty"`
	RatingValue   *Metric `json:"rating_value,omitempty"`
	LengthSec     *Metric `json:"length_sec,omitempty"`
	CommentsCount *Metric `json:"comments_count,omitempty"`
	Engagement    *Metric `json:"engagement,omitempty"`
	ER            *Metric `json:"er,omitempty"`
	// ViewsPerformance is not in the attribute table's field list; the
	// published sample sends {value}.
	ViewsPerformance *Metric `json:"views_performance,omitempty"`
	CPM              *CPM    `json:"cpm,omitempty"`
}

// CPM is a video's estimated cost per mille. Performance maps a period to
// its mark: a bare string in the attribute table, {"mark": ...} in the
// published sample; both decode (see PeriodMark).
type CPM struct {
	Value       *Float                 `json:"value,omitempty"`
	ValueFrom   *Float                 `json:"value_from,omitempty"`
	ValueTo     *Float                 `json:"value_to,omitempty"`
	Performance map[string]*PeriodMark `json:"performance,omitzero"`
}

// Mark returns the mark of one period ("7d", "30d", ...), or "".
func (c *CPM) Mark(period string) string {
	if c == nil || c.Performance[period] == nil {
		return ""
	}
	return c.Performance[period].Mark
}
