package engagecheck

import (
	"encoding/json"

	"github.com/creatorkit/creatorkit-go/internal/jsonx"
	"github.com/creatorkit/creatorkit-go/internal/transport"
)

// Shared SDK types, re-exported.
type (
	// Time decodes "2026-06-25 17:00:00" and RFC 3339 timestamps (taken as
	// UTC when they carry no zone) and re-encodes them unchanged.
	Time = jsonx.Time
	// ResponseMeta is the status, request id, rate-limit headers and
	// attempt count of the response a result came from.
	ResponseMeta = transport.ResponseMeta
	// RateLimit is the X-RateLimit-* state a response reported.
	RateLimit = transport.RateLimit
	// Limiter paces requests; see WithLimiter.
	Limiter = transport.Limiter
	// Window is a request budget: N requests per Per.
	Window = transport.Window
)

// AuditStatus is where an audit is: pending, scraping, analyzing, then
// complete or error.
type AuditStatus string

// Audit statuses, in order.
const (
	StatusPending   AuditStatus = "pending"
	StatusScraping  AuditStatus = "scraping"
	StatusAnalyzing AuditStatus = "analyzing"
	StatusComplete  AuditStatus = "complete"
	StatusError     AuditStatus = "error"
)

// Terminal reports whether the status is final (complete or error).
func (s AuditStatus) Terminal() bool { return s == StatusComplete || s == StatusError }

// Verdict is EngageCheck's traffic-light verdict. The documentation shows
// "green"; other values are passed through as sent. Use BandOf for the
// documented score bands.
type Verdict string

// VerdictGreen is the documented verdict of a healthy audience.
const VerdictGreen Verdict = "green"

// Band is a documented Audience Quality Score band.
type Band string

// AQS bands as documented: 80-100 high quality, 60-79 moderate, 0-59 high
// risk.
const (
	BandHighQuality Band = "high quality"
	BandModerate    Band = "moderate"
	BandHighRisk    Band = "high risk"
)

// BandOf returns the band of an Audience Quality Score (0 to 100).
func BandOf(aqs int) Band {
	switch {
	case aqs >= 80:
		return BandHighQuality
	case aqs >= 60:
		return BandModerate
	default:
		return BandHighRisk
	}
}

// Audit is one audit (a "report" in EngageCheck's words): what POST
// /audits returns, and what GET /audits/{id} returns while it runs and
// once it settles. Fields are nil until the API sends them.
//
// ID and Status are control fields: the SDK waits, reconciles and runs
// rosters on them, so an answer where either does not fit its type is
// ErrUnexpectedResponse. Any other value that does not fit is left zero
// and listed in Response.DecodeIssues.
type Audit struct {
	// ID is the audit's id (control field).
	ID       int64  `json:"id" creatorkit:"control"`
	Username string `json:"username"`
	// Status is where the audit is (control field).
	Status AuditStatus `json:"status" creatorkit:"control"`
	// AQS is the Audience Quality Score, 0 to 100, once complete.
	AQS     *int    `json:"aqs,omitempty"`
	Verdict Verdict `json:"verdict,omitempty"`
	// Report is the full analysis, once complete.
	Report *Report `json:"report,omitempty"`
	// ErrorMessage explains a failed audit (status error).
	ErrorMessage *string `json:"error_message,omitempty"`
	// CreditsRemaining is the balance after a submit.
	CreditsRemaining *int `json:"credits_remaining,omitempty"`
	// PollURL is the path to poll ("/api/v1/audits/142").
	PollURL     string  `json:"poll_url,omitempty"`
	WebhookURL  *string `json:"webhook_url,omitempty"`
	CreatedAt   *Time   `json:"created_at,omitempty"`
	CompletedAt *Time   `json:"completed_at,omitempty"`

	// Raw is the response body as received.
	Raw json.RawMessage `json:"-"`
	// Response is the metadata of the response.
	Response *ResponseMeta `json:"-"`
}

// Done reports whether the audit has settled (complete or error).
func (a *Audit) Done() bool { return a != nil && a.Status.Terminal() }

// Report is the full analysis of a complete audit.
type Report struct {
	Username string  `json:"username"`
	AQS      int     `json:"aqs"`
	Verdict  Verdict `json:"verdict"`
	Summary  string  `json:"summary"`
	// Signals are the weighted signals behind the score (engagement rate,
	// follower authenticity, comment quality, growth pattern, username
	// entropy).
	Signals        []Signal       `json:"signals"`
	CommentQuality CommentQuality `json:"commentQuality"`
	Profile        Profile        `json:"profile"`
	GeneratedAt    Time           `json:"generatedAt"`
}

// Signal returns the signal with the given key, or nil.
func (r *Report) Signal(key string) *Signal {
	for i := range r.Signals {
		if r.Signals[i].Key == key {
			return &r.Signals[i]
		}
	}
	return nil
}

// Signal is one scored signal.
type Signal struct {
	// Key is the signal's id, e.g. "engagement_rate".
	Key   string `json:"key"`
	Label string `json:"label"`
	// Score is the signal's own score, 0 to 100.
	Score int `json:"score"`
	// WeightPct is the signal's weight in the AQS, in percent.
	WeightPct float64 `json:"weightPct"`
	Verdict   Verdict `json:"verdict"`
	// Value is the measured value as display text ("3.10% ER").
	Value  string `json:"value"`
	Detail string `json:"detail"`
}

// CommentQuality summarises the comment analysis.
type CommentQuality struct {
	// BotCommentPercentage is the share of comments that look automated,
	// in percent (4 means 4%).
	BotCommentPercentage float64 `json:"bot_comment_percentage"`
	// PodActivityDetected flags engagement-pod behaviour.
	PodActivityDetected bool   `json:"pod_activity_detected"`
	LinguisticSummary   string `json:"linguistic_summary"`
}

// Profile is the audited Instagram profile.
type Profile struct {
	FullName       string `json:"fullName"`
	FollowersCount int64  `json:"followersCount"`
	FollowingCount int64  `json:"followingCount"`
	PostsCount     int64  `json:"postsCount"`
	IsPrivate      bool   `json:"isPrivate"`
	IsVerified     bool   `json:"isVerified"`
}
