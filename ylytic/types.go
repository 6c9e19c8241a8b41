package ylytic

import (
	"github.com/creatorkit/creatorkit-go"
	"github.com/creatorkit/creatorkit-go/internal/check"
)

// Shared SDK types, re-exported from package creatorkit (the module
// root): the same types as in every creatorkit-go package.
type (
	// Error is the SDK's one error type: HTTP status, the vendor's
	// message, request method and URL, Retry-After, attempts and the raw
	// body (redacted). Test its kind with errors.Is.
	Error = creatorkit.Error
	// ItemError reports why one item (here: one data refresh request) has
	// no result.
	ItemError = creatorkit.ItemError
	// TimeoutError is the cause (ItemError.Err) of a wait whose context
	// ended first; it names the last state seen.
	TimeoutError = creatorkit.TimeoutError
	// Time decodes every date layout Ylytic sends: RFC 1123 "Tue, 30 Jan
	// 2024 04:35:17 GMT" (data refresh), "2023-12-22 10:10:03.814000" and
	// "2023-12-23 01:00:00" (realtime tracking, short link insights), and
	// re-encodes them unchanged.
	Time = creatorkit.Time
	// Int is a count that may arrive as a float or a numeric string.
	Int = creatorkit.Int
	// ResponseMeta is the status, request id, rate-limit headers and
	// attempt count of the response a result came from.
	ResponseMeta = creatorkit.ResponseMeta
	// RateLimit is the X-RateLimit-* state a response reported.
	RateLimit = creatorkit.RateLimit
	// Limiter paces requests; see WithLimiter.
	Limiter = creatorkit.Limiter
	// Window is a request budget: N requests per Per.
	Window = creatorkit.Window
	// DelayError reports that a request could not be sent in time (the
	// limiter's next slot or the server's hold ends after the context's
	// deadline); it is the Cause of an ErrRateLimited *Error.
	DelayError = creatorkit.DelayError
	// DecodeIssue is one value of an answer that did not fit its Go type:
	// its JSON path, the JSON kind received and the Go type expected. The
	// value was left at its zero value and everything else was decoded;
	// ResponseMeta.DecodeIssues lists them.
	DecodeIssue = creatorkit.DecodeIssue
	// Observer sees every call and attempt of a client; see WithObserver.
	Observer = creatorkit.Observer
)

// Platform is a social network, Ylytic's "connector". Fields that carry
// it are named Platform and keep Ylytic's wire name, "connector".
type Platform string

// Platforms. Realtime tracking accepts Instagram and YouTube ("currently
// supported values are Youtube and Instagram"); the Third Party API also
// knows TikTok (its examples add TikTok profiles). They are sent in lower
// case, as in the documented examples.
const (
	Instagram Platform = "instagram"
	YouTube   Platform = "youtube"
	TikTok    Platform = "tiktok"
)

// String returns the platform's name as Ylytic sends it ("instagram").
func (p Platform) String() string { return string(p) }

// ParsePlatform returns the platform named s, in any case and with
// surrounding spaces ignored: "instagram", "youtube" or "tiktok". Any
// other name is an ErrInvalidParams *Error.
func ParsePlatform(s string) (Platform, error) {
	p := Platform(trimLower(s))
	switch p {
	case Instagram, YouTube, TikTok:
		return p, nil
	}
	return "", invalidParams("ParsePlatform", "platform", "unknown platform %q (instagram, youtube or tiktok)", check.Clip(s, 64))
}

// Platforms returns every platform the package knows, in a new slice.
func Platforms() []Platform { return []Platform{Instagram, YouTube, TikTok} }
