package hypeauditor

import (
	"encoding/json"
	"time"

	"github.com/creatorkit/creatorkit-go"
	"github.com/creatorkit/creatorkit-go/internal/jsonx"
)

// Shared SDK types, re-exported from package creatorkit (the module root):
// the same types as in every creatorkit-go package, so one import is
// enough and godoc shows every field.
type (
	// Error is the SDK's one error type: HTTP status, HypeAuditor's
	// numeric code (Code, as a decimal string; read it with CodeOf) and
	// description (Message), request method and URL (credentials
	// redacted), attempts and the raw body. Test its kind with errors.Is.
	Error = creatorkit.Error
	// ItemError reports why an account has no report: private, deleted,
	// restricted, not found, ... (State names the report state, Err is
	// ErrReportUnavailable), or why a wait ended without one (Err is the
	// *TimeoutError). The report calls and their AndWait helpers return
	// it; Item is "<platform>/@<handle>" or "<platform>/id:<id>".
	ItemError = creatorkit.ItemError
	// TimeoutError is the Err of the *ItemError an AndWait helper returns
	// when the context ends before the report is ready, or when
	// HypeAuditor asks for a wait longer than allowed (ErrRetryTTLTooLong)
	// or past the deadline. It names the last state seen; the last (not
	// ready) report is returned next to the error.
	TimeoutError = creatorkit.TimeoutError
	// DelayError reports that a request could not be sent in time (the
	// limiter's next slot ends after the context's deadline); it is the
	// Cause of an ErrRateLimited *Error.
	DelayError = creatorkit.DelayError
	// Time decodes unix seconds (and every other layout the SDK knows) and
	// re-encodes exactly what it decoded.
	Time = creatorkit.Time
	// Float is a number HypeAuditor may send as an integer, a float, a
	// numeric string or null. Several fields are documented as integers in
	// one place and sent as floats in another (er in reportConnections is
	// "integer" but 0.734377 in the sample), so the SDK decodes every
	// metric as Float.
	Float = creatorkit.Float
	// Int is an integer that may arrive as a float or a numeric string.
	Int = creatorkit.Int
	// ID is an identifier sent as a string or a number (Instagram user
	// ids are both); it is kept as a string.
	ID = creatorkit.ID
	// ResponseMeta is the status (200, or 202 for a report being
	// generated), request id, attempt count and decode issues of the
	// response a result came from.
	ResponseMeta = creatorkit.ResponseMeta
	// RateLimit is the X-RateLimit-* state a response reported.
	RateLimit = creatorkit.RateLimit
	// DecodeIssue is one value of an answer that did not fit its Go type:
	// its JSON path, the JSON kind received and the Go type expected.
	// ResponseMeta.DecodeIssues lists them.
	DecodeIssue = creatorkit.DecodeIssue
	// Limiter paces requests; see WithLimiter.
	Limiter = creatorkit.Limiter
	// Observer sees every call, attempt and wait of a client; see
	// WithObserver. Its events are creatorkit.CallInfo, AttemptEvent and
	// CallEvent.
	Observer = creatorkit.Observer
	// Window is a request budget: N requests per Per.
	Window = creatorkit.Window
	// Summary is the common creator summary (see InstagramReport.Summary
	// and the other reports' Summary).
	Summary = creatorkit.Summary
	// Quality is a vendor's audience-quality score on 0-100 in a Summary:
	// here the AQS (Instagram, TikTok) or the CQS (YouTube).
	Quality = creatorkit.Quality
	// Share is one bucket of an audience breakdown in a Summary: an
	// ISO 3166-1 alpha-2 country, a gender or an age range with its
	// percent. HypeAuditor's own breakdown entries are AudienceShare.
	Share = creatorkit.Share
)

// ReportState is a report's state, or why there is none.
type ReportState string

// Report states. READY and READY_LOW_CONFIDENCE are results; NOT_READY
// means generation is in progress (ask again after retryTtl). The rest are
// outcomes without a report: the report calls return them as an
// *ItemError (its State, as a string; Err ErrReportUnavailable), and
// reportConnections lists them as each account's state.
const (
	StateReady              ReportState = "READY"
	StateReadyLowConfidence ReportState = "READY_LOW_CONFIDENCE" // demographic blocks missing: low audience activity
	StateNotReady           ReportState = "NOT_READY"
	StatePrivate            ReportState = "PRIVATE"
	StateDeleted            ReportState = "DELETED"
	StateRestricted         ReportState = "RESTRICTED"
	StateLowViews           ReportState = "LOW_VIEWS"
	StateChannelNotFound    ReportState = "CHANNEL_NOT_FOUND"
	StateNoVideos           ReportState = "NO_VIDEOS"
	StateNoViews            ReportState = "NO_VIEWS"
	StateReportCalculating  ReportState = "REPORT_CALCULATING" // "come back later" (Twitch, Snapchat)
	// StateNoPosts is the SDK's name for HypeAuditor's documented "403:
	// the account has no posts"; the API has no state string for it.
	StateNoPosts ReportState = "NO_POSTS"
	// StateUnavailable is the SDK's name for a 403 on a report method
	// that names no state the SDK knows; read the description.
	StateUnavailable ReportState = "UNAVAILABLE"
)

// Ready reports whether the state is READY or READY_LOW_CONFIDENCE.
func (s ReportState) Ready() bool { return s == StateReady || s == StateReadyLowConfidence }

// DefaultRetryTTL is what RetryAfter returns when a NOT_READY answer
// carries no retryTtl (the fallback real clients use). The AndWait
// helpers use their own intervals then (WithPollInterval).
const DefaultRetryTTL = 30 * time.Second

// ReportStatus is what every report answer carries besides the report:
// its state, the wait HypeAuditor asks for while it is generated, and the
// credits left. It is embedded in each report type.
//
// State and RetryTTL are control fields: the SDK needs them to go on (is
// the report ready, when to ask again), so an answer whose report_state or
// retryTtl does not fit its type is ErrUnexpectedResponse, never a report
// with the value left zero.
type ReportStatus struct {
	// State is the report_state. The SDK sets NOT_READY on an HTTP 202
	// answer that carries none. An HTTP 200 answer without one (the
	// pre-v2 shape of a live Instagram answer of 2018) keeps it empty, and
	// the AndWait calls take that report as done. Control field.
	State ReportState `json:"report_state,omitempty" creatorkit:"control"`
	// RetryTTL is result.retryTtl: seconds to wait before asking again,
	// sent with HTTP 202 while the report is generated [DOC]. Control
	// field.
	RetryTTL *Float `json:"retryTtl,omitempty" creatorkit:"control"`
	// RestTokens is the number of report credits left [DOC-COPY]. The
	// documentation sends it (and ValidUntil) in result; one client's
	// TikTok fixture has both beside result, and the SDK reads them there
	// too when result has none [CLIENT].
	RestTokens *Int `json:"restTokens,omitempty"`
	// ValidUntil is when access ends (unix seconds; the documented sample
	// 57657398400 looks like a "no expiry" sentinel) [DOC-COPY].
	ValidUntil *Time `json:"validUntil,omitempty"`
	// Quality is report_quality: a string in the samples ("FULL",
	// "NO_POSTS_7D") though the YouTube table calls it an object; both
	// decode (see ReportQuality). QualityString reads the string form
	// [DOC-COPY].
	Quality ReportQuality `json:"report_quality,omitzero"`
}

// NotReady reports whether the report is still being generated.
func (s *ReportStatus) NotReady() bool { return s.State == StateNotReady }

// Ready reports whether the report is READY or READY_LOW_CONFIDENCE.
func (s *ReportStatus) Ready() bool { return s.State.Ready() }

// LowConfidence reports READY_LOW_CONFIDENCE: the report is ready but its
// demographic blocks are missing (see each report's MissingBlocks).
func (s *ReportStatus) LowConfidence() bool { return s.State == StateReadyLowConfidence }

// RetryAfter is how long HypeAuditor asks to wait before asking again:
// retryTtl, or DefaultRetryTTL when it sent none.
func (s *ReportStatus) RetryAfter() time.Duration {
	if s.RetryTTL == nil || *s.RetryTTL <= 0 {
		return DefaultRetryTTL
	}
	return time.Duration(float64(*s.RetryTTL) * float64(time.Second))
}

// QualityString returns report_quality when it is a string.
func (s *ReportStatus) QualityString() string { return s.Quality.Code }

func (s *ReportStatus) status() *ReportStatus { return s }

// Metric is one metric of a report: a value, marks, a benchmark, and a
// performance map keyed by period ("7d", "30d", "90d", "180d", "365d",
// "all"). Which fields are present differs per metric and network.
type Metric struct {
	Value *Float `json:"value,omitempty"`
	// Avg and Title appear on Instagram's rate metrics ({value, avg,
	// title}); Title is a mark such as "Excellent" or "Could be improved".
	Avg   *Float `json:"avg,omitempty"`
	Title string `json:"title,omitempty"`
	// Mark is poor, fair, average, good, very_good or excellent;
	// MarkTitle is e.g. BELOW_AVERAGE.
	Mark      string `json:"mark,omitempty"`
	MarkTitle string `json:"mark_title,omitempty"`
	// Similar is the value of similar accounts.
	Similar *Float `json:"similar,omitempty"`
	// Similars appears on Snapchat's views_count; its shape is not
	// documented.
	Similars json.RawMessage `json:"similars,omitzero"`
	// Hist is Instagram's er.hist (deprecated 2023-10-19).
	Hist []HistBucket `json:"hist,omitzero"`
	// Performance holds the metric per period. A period is null when
	// HypeAuditor has no data for it (the published YouTube sample's
	// videos_v30 "all"), hence the pointer.
	Performance map[string]*Period `json:"performance,omitzero"`
}

// Period returns the performance of one period ("30d", ...), or nil.
func (m *Metric) Period(name string) *Period {
	if m == nil {
		return nil
	}
	return m.Performance[name]
}

// Period is a metric over one period; value_prev is the same-length window
// before it.
type Period struct {
	Value      *Float `json:"value,omitempty"`
	ValuePrev  *Float `json:"value_prev,omitempty"`
	Min        *Float `json:"min,omitempty"`
	Max        *Float `json:"max,omitempty"`
	Mark       string `json:"mark,omitempty"`
	MarkTitle  string `json:"mark_title,omitempty"`
	Similar    *Float `json:"similar,omitempty"`
	SimilarMin *Float `json:"similar_min,omitempty"`
	SimilarMax *Float `json:"similar_max,omitempty"`
	// Period is a unit label such as "PER_WEEK".
	Period string `json:"period,omitempty"`
	// YouTube's comments_rate, reactions_rate and likes_comments_ratio.
	IsReactionsAllowed *bool `json:"is_reactions_allowed,omitempty"`
	IsCommentsEnabled  *bool `json:"is_comments_enabled,omitempty"`
	IsRatingAllowed    *bool `json:"is_rating_allowed,omitempty"`
}

// HistBucket is one bucket of a histogram.
type HistBucket struct {
	Count *Float `json:"count,omitempty"`
	Min   *Float `json:"min,omitempty"`
	Max   *Float `json:"max,omitempty"`
}

// Feature is a TikTok or YouTube report feature, wrapped as {"data": ...};
// a null Data means HypeAuditor has no data for it. Some features carry a
// status and a confidence beside their data (blogger_rankings in the
// published YouTube sample); they are nil on the others.
type Feature[T any] struct {
	Data       T                  `json:"data"`
	Status     *FeatureStatus     `json:"status,omitempty"`
	Confidence *FeatureConfidence `json:"confidence,omitempty"`
}

// FeatureStatus is the status sent beside a feature's data.
type FeatureStatus struct {
	// Code is a status code such as "OK"; the values are not documented.
	Code string `json:"code,omitempty"`
}

// FeatureConfidence is how sure HypeAuditor is of a feature's data.
type FeatureConfidence struct {
	ModelVersion    string `json:"model_version,omitempty"`
	Value           *Float `json:"value,omitempty"`
	IsLowConfidence *bool  `json:"is_low_confidence,omitempty"`
}

// AudienceShare is one slice of an audience breakdown as HypeAuditor sends
// it. The networks name the fields differently (Instagram countries {name,
// code, value}, TikTok geo {code, prc}, YouTube geo {title, prc}, age
// groups {group, value}); use Key and Percent to read any of them. The
// reports' Summary turns them into the common Share (ISO country codes,
// largest first).
type AudienceShare struct {
	Name  string `json:"name,omitempty"`
	Code  string `json:"code,omitempty"`
	Title string `json:"title,omitempty"`
	Group string `json:"group,omitempty"`
	Race  string `json:"race,omitempty"`
	// ID is a city's geonames id.
	ID    ID     `json:"id,omitempty"`
	Value *Float `json:"value,omitempty"`
	Prc   *Float `json:"prc,omitempty"`
}

// Key returns the slice's code, title, name or group, whichever is set.
func (s AudienceShare) Key() string {
	for _, k := range []string{s.Code, s.Title, s.Name, s.Group, s.Race} {
		if k != "" {
			return k
		}
	}
	return string(s.ID)
}

// Percent returns prc or value, whichever is set.
func (s AudienceShare) Percent() float64 {
	switch {
	case s.Prc != nil:
		return float64(*s.Prc)
	case s.Value != nil:
		return float64(*s.Value)
	}
	return 0
}

// AudienceType splits an audience by kind, in percent: real people,
// suspicious accounts (Instagram susp; TikTok bots), influencers and
// mass followers.
type AudienceType struct {
	Real *Float `json:"real,omitempty"`
	Susp *Float `json:"susp,omitempty"`
	Bots *Float `json:"bots,omitempty"`
	Infs *Float `json:"infs,omitempty"`
	Mass *Float `json:"mass,omitempty"`
}

// GenderSplit is one age bucket's split by gender, in percent.
type GenderSplit struct {
	Male   *Float `json:"male,omitempty"`
	Female *Float `json:"female,omitempty"`
}

// BloggerGeo is where the creator is. State and City are pointers because
// the documentation shows them as "" (known to be empty) and absent.
type BloggerGeo struct {
	Country string  `json:"country,omitempty"`
	State   *string `json:"state,omitempty"`
	City    *string `json:"city,omitempty"`
}

// BrandSafety scores brand risk: Score 0 (safe) to 9, Mark POSITIVE,
// NEUTRAL or NEGATIVE, and one flag per criterion.
type BrandSafety struct {
	Score *Float                     `json:"score,omitempty"`
	Mark  string                     `json:"mark,omitempty"`
	Items map[string]BrandSafetyItem `json:"items,omitzero"`
}

// BrandSafetyItem is one brand-safety criterion.
type BrandSafetyItem struct {
	Value *bool `json:"value,omitempty"`
}

// EMV is the earned media value (empty unless the account has 12 posts
// with visible likes in the last 30 days).
type EMV struct {
	EMV            *Float `json:"emv,omitempty"`
	EMVFrom        *Float `json:"emv_from,omitempty"`
	EMVTo          *Float `json:"emv_to,omitempty"`
	EMVMark        string `json:"emv_mark,omitempty"`
	EMVPerDollar   *Float `json:"emv_per_dollar,omitempty"`
	EMVSimilar     *Float `json:"emv_similar,omitempty"`
	StoriesEMV     *Float `json:"stories_emv,omitempty"`
	StoriesEMVFrom *Float `json:"stories_emv_from,omitempty"`
	StoriesEMVTo   *Float `json:"stories_emv_to,omitempty"`
}

// Reach is the estimated reach of a post and a story.
type Reach struct {
	Reach            *Float `json:"reach,omitempty"`
	ReachFrom        *Float `json:"reach_from,omitempty"`
	ReachTo          *Float `json:"reach_to,omitempty"`
	StoriesReach     *Float `json:"stories_reach,omitempty"`
	StoriesReachFrom *Float `json:"stories_reach_from,omitempty"`
	StoriesReachTo   *Float `json:"stories_reach_to,omitempty"`
	Impressions      *Float `json:"impressions,omitempty"`
}

// Prices are the estimated prices of a post and a story, and the cost per
// engagement. CPM is read by clients but not documented [CLIENT]; the
// published TikTok sample sends it with CPMFrom, CPMTo, CPMMark and
// CPMSimilar.
type Prices struct {
	PostPrice        *Float `json:"post_price,omitempty"`
	PostPriceFrom    *Float `json:"post_price_from,omitempty"`
	PostPriceTo      *Float `json:"post_price_to,omitempty"`
	StoriesPrice     *Float `json:"stories_price,omitempty"`
	StoriesPriceFrom *Float `json:"stories_price_from,omitempty"`
	StoriesPriceTo   *Float `json:"stories_price_to,omitempty"`
	CPE              *Float `json:"cpe,omitempty"`
	CPEFrom          *Float `json:"cpe_from,omitempty"`
	CPETo            *Float `json:"cpe_to,omitempty"`
	CPEMark          string `json:"cpe_mark,omitempty"`
	CPESimilar       *Float `json:"cpe_similar,omitempty"`
	CPM              *Float `json:"cpm,omitempty"`
	CPMFrom          *Float `json:"cpm_from,omitempty"`
	CPMTo            *Float `json:"cpm_to,omitempty"`
	CPMMark          string `json:"cpm_mark,omitempty"`
	CPMSimilar       *Float `json:"cpm_similar,omitempty"`
}

// Rankings are the creator's ranks worldwide, in a country and in a
// category. The published YouTube sample adds every country ranked
// (Countries) and every category with its countries (Categories).
type Rankings struct {
	Worldwide  *Rank             `json:"worldwide,omitempty"`
	Country    *Rank             `json:"country,omitempty"`
	Category   *Rank             `json:"category,omitempty"`
	Countries  []Rank            `json:"countries,omitzero"`
	Categories []CategoryRanking `json:"categories,omitzero"`
}

// CategoryRanking is the creator's rank in one category, per country.
type CategoryRanking struct {
	Category  *Ref   `json:"category,omitempty"`
	Countries []Rank `json:"countries,omitzero"`
}

// Rank is one ranking. Country and Category are objects ({id, code,
// title}) on Instagram; the YouTube page does not show their shape, so
// both a string and an object decode.
type Rank struct {
	Rank     *Float `json:"rank,omitempty"`
	Delta    *Float `json:"delta,omitempty"`
	Country  *Ref   `json:"country,omitempty"`
	Category *Ref   `json:"category,omitempty"`
}

// Ref names a country or category: {id, code, title}, or a bare string or
// number (kept in Code). It re-encodes in the shape received.
type Ref struct {
	ID    ID     `json:"id,omitempty"`
	Code  string `json:"code,omitempty"`
	Title string `json:"title,omitempty"`

	form  byte // '"' or '0' for a bare string or number; 0 for an object
	idNum bool // the object's id came as a number
}

// refObject is the object form of Ref, its id as received.
type refObject struct {
	ID    json.RawMessage `json:"id,omitempty"`
	Code  string          `json:"code,omitempty"`
	Title string          `json:"title,omitempty"`
}

// decodeRef is the tolerant decoding of Ref (registered with
// jsonx.Register): it accepts an object, a string or a number.
func decodeRef(d *jsonx.Decoder, b []byte, r *Ref) {
	*r = Ref{}
	switch c := firstByte(b); {
	case c == '{':
		var p refObject
		decodeLenient(d, b, &p)
		*r = Ref{Code: p.Code, Title: p.Title}
		if len(p.ID) > 0 {
			if json.Unmarshal(p.ID, &r.ID) != nil {
				r.ID = ""
				d.Field("id", p.ID, &r.ID)
			}
			r.idNum = isNumber(firstByte(p.ID))
		}
		if p.ID == nil && p.Code == "" && p.Title == "" && onlyUnknown(b, "id", "code", "title") {
			d.Report(b, "hypeauditor.Ref", "an object without id, code or title")
		}
	case c == '"' || isNumber(c):
		var id jsonx.ID
		decodeLenient(d, b, &id)
		r.Code, r.form = string(id), c
		if c != '"' {
			r.form = '0'
		}
	case c == 'n':
	default:
		d.Report(b, "hypeauditor.Ref", "an object, a string or a number")
	}
}

// UnmarshalJSON accepts an object, a string or a number.
func (r *Ref) UnmarshalJSON(b []byte) error { return jsonx.StrictFor(b, r) }

// MarshalJSON writes the shape received: the bare string or number, else
// the object (also for a Ref built in code).
func (r Ref) MarshalJSON() ([]byte, error) {
	switch r.form {
	case '0':
		return bareNumber(r.Code)
	case '"':
		return json.Marshal(r.Code)
	}
	o := refObject{Code: r.Code, Title: r.Title}
	if r.ID != "" {
		id, err := json.Marshal(string(r.ID))
		if r.idNum {
			id, err = bareNumber(string(r.ID))
		}
		if err != nil {
			return nil, err
		}
		o.ID = id
	}
	return json.Marshal(o)
}

// bareNumber writes a number received as an id, or a string when it no
// longer is one (a redacted value).
func bareNumber(s string) ([]byte, error) {
	if json.Valid([]byte(s)) && s != "" && isNumber(s[0]) {
		return []byte(s), nil
	}
	return json.Marshal(s)
}

// Sentiments analyses the comments' sentiment.
type Sentiments struct {
	// Sentiments is keyed POSITIVE, NEUTRAL and NEGATIVE.
	Sentiments    map[string]CountPrc `json:"sentiments,omitzero"`
	Score         *Float              `json:"score,omitempty"`
	CommentsCount *Float              `json:"comments_count,omitempty"`
	PostsCount    *Float              `json:"posts_count,omitempty"`
}

// CountPrc is a count and its share in percent.
type CountPrc struct {
	Count *Float `json:"count,omitempty"`
	Prc   *Float `json:"prc,omitempty"`
}

// SocialNetwork is one of the creator's linked accounts. Type is an
// integer code in reports and a name in discovery results.
type SocialNetwork struct {
	Type             NetworkType `json:"type,omitempty"`
	Title            string      `json:"title,omitempty"`
	SocialID         ID          `json:"social_id,omitempty"`
	Username         string      `json:"username,omitempty"`
	AvatarURL        string      `json:"avatar_url,omitempty"`
	SubscribersCount *Float      `json:"subscribers_count,omitempty"`
	ER               *Float      `json:"er,omitempty"`
	State            ReportState `json:"state,omitempty"`
}

// ChartPoint is one point of a chart (x/y; for views-likes charts x is
// views and y likes, with the media id).
type ChartPoint struct {
	ID            ID     `json:"id,omitempty"`
	X             *Float `json:"x,omitempty"`
	Y             *Float `json:"y,omitempty"`
	IsRecommended *bool  `json:"is_recommended,omitempty"`
	Thumbnail     string `json:"thumbnail,omitempty"`
}

// MostMedia lists media ids per period for one ordering (views_desc,
// er_desc, ...).
//
// The attribute tables show an object for every entry of most_media.data;
// the published YouTube sample also sends "last_media" as a bare media id
// (a string). An object decodes into Performance, a string or a number
// into MediaID; it re-encodes in the shape received.
type MostMedia struct {
	Performance map[string]MediaIDs `json:"performance,omitzero"`
	// MediaID is the entry when it is a bare media id.
	MediaID ID `json:"-"`

	bare byte // '"' or '0' when the entry was a bare string or number
}

// mostMediaObject is the object form of MostMedia.
type mostMediaObject struct {
	Performance map[string]MediaIDs `json:"performance,omitzero"`
}

// decodeMostMedia is the tolerant decoding of MostMedia (registered with
// jsonx.Register): it accepts an object and a bare media id.
func decodeMostMedia(d *jsonx.Decoder, b []byte, m *MostMedia) {
	*m = MostMedia{}
	switch c := firstByte(b); {
	case c == '{':
		var o mostMediaObject
		decodeLenient(d, b, &o)
		m.Performance = o.Performance
		if o.Performance == nil && onlyUnknown(b, "performance") {
			d.Report(b, "hypeauditor.MostMedia", "an object without performance")
		}
	case c == 'n':
	case c == '"' || isNumber(c):
		var id ID
		decodeLenient(d, b, &id)
		*m = MostMedia{MediaID: id, bare: '"'}
		if c != '"' {
			m.bare = '0'
		}
	default:
		d.Report(b, "hypeauditor.MostMedia", "{performance} or a media id")
	}
}

// UnmarshalJSON accepts an object and a bare media id; any other shape is
// an error.
func (m *MostMedia) UnmarshalJSON(b []byte) error { return jsonx.StrictFor(b, m) }

// MarshalJSON writes the shape received.
func (m MostMedia) MarshalJSON() ([]byte, error) {
	switch {
	case m.bare == '0':
		return bareNumber(string(m.MediaID))
	case m.bare == '"' || (m.MediaID != "" && m.Performance == nil):
		return json.Marshal(string(m.MediaID))
	}
	return json.Marshal(mostMediaObject{Performance: m.Performance})
}

// IsMediaID reports whether the entry came as a bare media id.
func (m *MostMedia) IsMediaID() bool { return m != nil && m.bare != 0 }

// MediaIDs is a list of media ids.
type MediaIDs struct {
	MediaIDs []ID `json:"media_ids,omitzero"`
}

// MetricHistory is a metric's history.
type MetricHistory struct {
	Value   *Float         `json:"value,omitempty"`
	History []HistoryPoint `json:"history,omitzero"`
}

// HistoryPoint is one point of a metric history.
type HistoryPoint struct {
	Time     *Time  `json:"time,omitempty"`
	Value    *Float `json:"value,omitempty"`
	Datetime string `json:"datetime,omitempty"`
	TimeISO  string `json:"time_iso,omitempty"`
}

// Races is the audience's ethnic split: an object keyed by group on TikTok
// ({asian, caucasian, ...}) and a list of {group, prc} on YouTube. Both
// decode into Shares; the list is also kept as received in List. It
// re-encodes in the shape received.
type Races struct {
	// Shares are the groups' shares in percent, keyed by group.
	Shares map[string]float64
	// List is the list form as received; nil for the object form.
	List []AudienceShare
}

// decodeRaces is the tolerant decoding of Races (registered with
// jsonx.Register): it accepts either shape.
func decodeRaces(d *jsonx.Decoder, b []byte, r *Races) {
	*r = Races{}
	switch firstByte(b) {
	case '[':
		decodeLenient(d, b, &r.List)
		r.Shares = make(map[string]float64, len(r.List))
		for _, s := range r.List {
			r.Shares[s.Key()] = s.Percent()
		}
	case '{':
		var m map[string]Float
		decodeLenient(d, b, &m)
		r.Shares = make(map[string]float64, len(m))
		for k, v := range m {
			r.Shares[k] = float64(v)
		}
	case 'n':
	default:
		d.Report(b, "hypeauditor.Races", "a list of {group, prc} or an object of shares")
	}
}

// UnmarshalJSON accepts either shape; any other shape is an error.
func (r *Races) UnmarshalJSON(b []byte) error { return jsonx.StrictFor(b, r) }

// MarshalJSON writes the list when it came as one, else the object.
func (r Races) MarshalJSON() ([]byte, error) {
	if r.List != nil {
		return json.Marshal(r.List)
	}
	return json.Marshal(r.Shares)
}

// Basic is report.basic: the account's identity.
type Basic struct {
	ID          ID     `json:"id,omitempty"`
	Username    string `json:"username,omitempty"`
	Title       string `json:"title,omitempty"`
	AvatarURL   string `json:"avatar_url,omitempty"`
	Description string `json:"description,omitempty"`
	// CategoryName is YouTube's (deprecated since 11/2023).
	CategoryName  string `json:"category_name,omitempty"`
	LastVideoTime *Time  `json:"last_video_time,omitempty"`
	IsVerified    *bool  `json:"is_verified,omitempty"`
}

// ReportBody is a report's {basic, metrics, features} for the networks
// whose reports are documented only in outline (Twitch, Twitter, Snapchat)
// and for the alternative Instagram shape: metrics decode into Metric,
// features stay raw JSON keyed by name.
type ReportBody struct {
	Basic    Basic                      `json:"basic,omitzero"`
	Metrics  map[string]Metric          `json:"metrics,omitzero"`
	Features map[string]json.RawMessage `json:"features,omitzero"`
}

// Metric returns a metric by name, or nil.
func (b *ReportBody) Metric(name string) *Metric {
	if b == nil {
		return nil
	}
	if m, ok := b.Metrics[name]; ok {
		return &m
	}
	return nil
}

// Feature decodes a {"data": ...} feature into out; it reports whether the
// feature was present with data.
func (b *ReportBody) Feature(name string, out any) bool {
	if b == nil {
		return false
	}
	return decodeFeature(b.Features[name], out)
}

func decodeFeature(raw json.RawMessage, out any) bool {
	if len(raw) == 0 {
		return false
	}
	var f struct {
		Data json.RawMessage `json:"data"`
	}
	if json.Unmarshal(raw, &f) != nil || len(f.Data) == 0 || string(f.Data) == "null" {
		return false
	}
	return json.Unmarshal(f.Data, out) == nil
}

func init() {
	jsonx.Register(decodeRef)
	jsonx.Register(decodeMostMedia)
	jsonx.Register(decodeRaces)
}

// Answer is a roster's answer to one input (creatorkit.Answer): the
// input's index and the input as given, and the result; what
// Reports.GetAndWaitAll yields, with an *AnyReport.
type Answer[T any] = creatorkit.Answer[T]
