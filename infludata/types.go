package infludata

import (
	"strings"
	"time"

	creatorkit "github.com/creatorkit/creatorkit-go"
)

// Shared SDK types: aliases of package creatorkit, so one import is
// enough and values mix with those of the other vendor packages.
type (
	// Time decodes ISO 8601 timestamps ("2026-06-10T10:30:00Z"), plain
	// dates ("2025-04-21", as getClientInfo sends them) and the other
	// layouts vendors use, and re-encodes them unchanged.
	Time = creatorkit.Time
	// Int is an integer influData may send as a float or a numeric string.
	Int = creatorkit.Int
	// Float is a number influData may send as an integer or a numeric string.
	Float = creatorkit.Float
	// ResponseMeta is the status, request id, attempt count, headers and
	// decode issues of the response a result came from. For getUserData
	// its StatusCode tells a profile (200) from a queued (201) or
	// processing (202) creator.
	ResponseMeta = creatorkit.ResponseMeta
	// RateLimit is the X-RateLimit-* state a response reported (influData
	// does not document these headers; Known stays false unless it sends
	// them).
	RateLimit = creatorkit.RateLimit
	// DecodeIssue is one value of a response that did not fit its Go type
	// (see ResponseMeta.DecodeIssues).
	DecodeIssue = creatorkit.DecodeIssue
	// Limiter paces requests; see WithLimiter.
	Limiter = creatorkit.Limiter
	// Observer sees every call, attempt, wait and roster of a client; see
	// WithObserver.
	Observer = creatorkit.Observer
	// Window is a request budget: N requests per Per.
	Window = creatorkit.Window
	// DelayError is the cause of an ErrRateLimited *Error when the next
	// request could not be sent before the context's deadline.
	DelayError = creatorkit.DelayError
	// TimeoutError is the Err of the ItemError GetAndWait returns, and
	// GetAndWaitAll yields for each creator still pending, when the
	// context ends first: it wraps the context's error and the last
	// transient failure, and its Last is the last data status seen, in
	// words.
	TimeoutError = creatorkit.TimeoutError
	// ItemError reports why one creator of GetAndWait or GetAndWaitAll
	// has no profile: Input is its identifier as given ("@adidas"), Item
	// the creator as influData knows it ("instagram/@adidas", or
	// "instagram/id:<id>" while only an id is known), ID its influData
	// _id when known, State the last data status seen ("queued",
	// "processing", "ready", "not in database", or the March 2025 status
	// such as "NOT FOUND"; for ErrNotReady the paid call's "queued" or
	// "processing"), Reason why (never empty), Err the cause
	// (ErrNotFound, ErrNotReady, an *Error such as ErrQuotaExceeded, a
	// *TimeoutError).
	ItemError = creatorkit.ItemError
	// Answer is what GetAndWaitAll yields for each element it was given,
	// tied to it: the element's Index and Input (its identifier as given)
	// and the result in Value.
	Answer[T any] = creatorkit.Answer[T]
	// Summary is the common creator summary (see Profile.Summary and
	// DiscoveredCreator.Summary), the same shape from every vendor
	// package.
	Summary = creatorkit.Summary
	// Quality is a vendor's quality score on 0-100, under its own name.
	Quality = creatorkit.Quality
	// Share is one bucket of an audience breakdown, in percent.
	Share = creatorkit.Share
)

// NewTime wraps a time.Time as a Time (to build a Watermark by hand).
func NewTime(t time.Time) Time { return creatorkit.NewTime(t) }

// Platform is a social platform influData covers.
type Platform string

// Platforms, as the API spells them. The names are the same in every
// creatorkit-go package; Facebook is influData's own.
const (
	Instagram Platform = "instagram"
	TikTok    Platform = "tiktok"
	YouTube   Platform = "youtube"
	Twitch    Platform = "twitch"
	Facebook  Platform = "facebook"
	Snapchat  Platform = "snapchat"
)

// Platforms returns every platform, in the documentation's order (a fresh
// slice on each call).
func Platforms() []Platform {
	return []Platform{Instagram, TikTok, YouTube, Twitch, Facebook, Snapchat}
}

// String returns the platform as the API spells it ("instagram").
func (p Platform) String() string { return string(p) }

// ParsePlatform returns the platform named s, in any case and without
// surrounding spaces ("Instagram", "TIKTOK"). An unknown name is an
// *Error of kind ErrInvalidParams.
func ParsePlatform(s string) (Platform, error) {
	p := Platform(strings.ToLower(strings.TrimSpace(s)))
	if !p.Known() {
		return "", invalidParams("ParsePlatform", "platform", "unknown platform %q (one of %v)", s, Platforms())
	}
	return p, nil
}

// Known reports whether p is one of the documented platforms.
func (p Platform) Known() bool {
	switch p {
	case Instagram, TikTok, YouTube, Twitch, Facebook, Snapchat:
		return true
	}
	return false
}

// The platform coverage table of the Social API documentation. Every call
// checks its platform against it before anything is sent.

// HasProfiles reports whether getUserData covers p (every platform).
func (p Platform) HasProfiles() bool { return p.Known() }

// HasDiscovery reports whether discovery covers p (every platform).
func (p Platform) HasDiscovery() bool { return p.Known() }

// HasAudienceReports reports whether includeAudienceReport is available on
// p: Instagram, TikTok and YouTube.
func (p Platform) HasAudienceReports() bool { return p == Instagram || p == TikTok || p == YouTube }

// HasContent reports whether getContent covers p: Instagram, TikTok and
// YouTube. (An older GitHub README also lists Twitch videos; the newer
// documentation's coverage table does not, and the SDK follows it.)
func (p Platform) HasContent() bool { return p == Instagram || p == TikTok || p == YouTube }

// HasDataStatus reports whether checkDataStatus and bulkAddToEnrich cover
// p: Instagram, TikTok, YouTube and Twitch (not Facebook or Snapchat).
func (p Platform) HasDataStatus() bool {
	return p == Instagram || p == TikTok || p == YouTube || p == Twitch
}

// HasDemographicFilters reports whether the city, gender and age filters
// work on p: Instagram and TikTok.
func (p Platform) HasDemographicFilters() bool { return p == Instagram || p == TikTok }

// HasBusinessMode reports whether businessSearch works on p: Instagram.
func (p Platform) HasBusinessMode() bool { return p == Instagram }

// HasScores reports whether the Social API documentation (seed 002) says
// showDatalogAndScore works on p: Instagram and TikTok. The GitHub README
// asks for it on YouTube too, so the SDK does not refuse it elsewhere (see
// GetProfileParams.ShowDatalogAndScore).
func (p Platform) HasScores() bool { return p == Instagram || p == TikTok }

// Gender is a creator gender filter value.
type Gender string

// Documented gender filter values. The seed documents m and w; an older
// README also uses male, female and unknown in places, which the SDK
// passes through as given.
const (
	Male   Gender = "m"
	Female Gender = "w"
)

func (g Gender) valid() bool {
	switch g {
	case "", Male, Female, "f", "male", "female", "unknown":
		return true
	}
	return false
}
