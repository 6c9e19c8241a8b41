package engagecheck

import (
	"encoding/json"

	"github.com/creatorkit/creatorkit-go"
)

// Shared SDK types, re-exported from package creatorkit (the module root):
// the same types as in every creatorkit-go package, so one import is
// enough and godoc shows every field.
type (
	// Error is the SDK's one error type: HTTP status, EngageCheck's message
	// ({"error":"message"}), request method and URL, Retry-After, attempts
	// and the raw body (redacted). Test its kind with errors.Is.
	Error = creatorkit.Error
	// ItemError reports why one input has no report: CreateAndWaitAll
	// yields one per input that did not complete, GetAndWait and
	// CreateAndWait return one for a failed audit or when their context
	// ends, and ListAll yields one per row it could not read.
	ItemError = creatorkit.ItemError
	// TimeoutError is the Err of the *ItemError that GetAndWait,
	// CreateAndWait and CreateAndWaitAll answer with when the context
	// ends before the audit settles: it names the last state seen and
	// wraps the context's error and the last transient failure.
	TimeoutError = creatorkit.TimeoutError
	// DelayError reports that a request could not be sent in time (the
	// limiter's next slot or the server's hold ends after the context's
	// deadline); it is the Cause of an ErrRateLimited *Error.
	DelayError = creatorkit.DelayError
	// Time decodes "2026-06-25 17:00:00" and RFC 3339 timestamps (taken as
	// UTC when they carry no zone) and re-encodes them unchanged.
	Time = creatorkit.Time
	// ResponseMeta is the status, request id, rate-limit headers, attempt
	// count and decode issues of the response a result came from.
	ResponseMeta = creatorkit.ResponseMeta
	// RateLimit is the X-RateLimit-* state a response reported.
	RateLimit = creatorkit.RateLimit
	// DecodeIssue is one value of an answer that did not fit its Go type:
	// its JSON path, the JSON kind received and the Go type expected.
	// ResponseMeta.DecodeIssues lists them.
	DecodeIssue = creatorkit.DecodeIssue
	// Limiter paces requests; see WithLimiter.
	Limiter = creatorkit.Limiter
	// Window is a request budget: N requests per Per.
	Window = creatorkit.Window
	// Summary is the common creator summary (see Audit.Summary).
	Summary = creatorkit.Summary
	// Quality is a vendor's audience-quality score on 0-100 in a Summary:
	// here the AQS.
	Quality = creatorkit.Quality
	// Share is one bucket of an audience breakdown in a Summary (EngageCheck
	// reports none).
	Share = creatorkit.Share
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
func BandOf(aqs float64) Band {
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
// once it settles. Fields are nil until the API sends them. It has Raw
// and Response (Response is nil on an Audit a roster built for a handle
// it never submitted, and on one CreateAndWaitAll took from a webhook
// (WithWebhooks), whose Raw is the event's body).
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
	// EngageCheck sends whole numbers; it is a float64 like every score
	// of creatorkit-go.
	AQS     *float64 `json:"aqs,omitempty"`
	Verdict Verdict  `json:"verdict,omitempty"`
	// Report is the full analysis, once complete.
	Report *Report `json:"report,omitempty"`
	// ErrorMessage explains a failed audit (status error).
	ErrorMessage *string `json:"error_message,omitempty"`
	// CreditsRemaining is the balance after a submit.
	CreditsRemaining *int64 `json:"credits_remaining,omitempty"`
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

// Report is the full analysis of a complete audit (part of an Audit or a
// WebhookEvent: no Raw or Response of its own).
type Report struct {
	Username string `json:"username"`
	// AQS is the Audience Quality Score, 0 to 100 (whole numbers as
	// EngageCheck sends it).
	AQS     float64 `json:"aqs"`
	Verdict Verdict `json:"verdict"`
	Summary string  `json:"summary"`
	// Signals are the weighted signals behind the score (engagement rate,
	// follower authenticity, comment quality, growth pattern, username
	// entropy).
	Signals        []Signal       `json:"signals"`
	CommentQuality CommentQuality `json:"commentQuality"`
	Profile        Profile        `json:"profile"`
	GeneratedAt    Time           `json:"generatedAt"`

	// EngagementRate is the engagement rate as a number, in percent: 3.1
	// for the engagement_rate signal's display text "3.10% ER" (which
	// stays in that signal's Value). EngageCheck sends the rate only as
	// that text; the SDK parses it when it decodes a report, tolerant of
	// the display format (see ParseEngagementRate). Nil when the report
	// has no engagement_rate signal or its text holds no number. It is
	// not part of the body and is not encoded.
	EngagementRate *float64 `json:"-"`
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
