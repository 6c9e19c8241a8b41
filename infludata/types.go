package infludata

import (
	"time"

	"github.com/creatorkit/creatorkit-go/internal/jsonx"
	"github.com/creatorkit/creatorkit-go/internal/paging"
	"github.com/creatorkit/creatorkit-go/internal/transport"
)

// Shared SDK types, re-exported.
type (
	// Time decodes ISO 8601 timestamps ("2026-06-10T10:30:00Z"), plain
	// dates ("2025-04-21", as getClientInfo sends them) and the other
	// layouts vendors use, and re-encodes them unchanged.
	Time = jsonx.Time
	// Int is an integer influData may send as a float or a numeric string.
	Int = jsonx.Int
	// Float is a number influData may send as an integer or a numeric string.
	Float = jsonx.Float
	// ResponseMeta is the status, request id, attempt count and headers of
	// the response a result came from. For getUserData its StatusCode tells
	// a profile (200) from a queued (201) or processing (202) creator.
	ResponseMeta = transport.ResponseMeta
	// RateLimit is the X-RateLimit-* state a response reported (influData
	// does not document these headers; Known stays false unless it sends
	// them).
	RateLimit = transport.RateLimit
	// Limiter paces requests; see WithLimiter.
	Limiter = transport.Limiter
	// Window is a request budget: N requests per Per.
	Window = transport.Window
	// Limits caps a lazy iterator (SearchAll, ContentAll): MaxPages is the
	// most pages fetched, MaxItems the most items yielded. Every discovery
	// page and every content item costs a token, so the iterators apply a
	// default cap when both are zero; a negative value means no cap.
	Limits = paging.Limits
)

// Platform is a social platform influData covers.
type Platform string

// Platforms, as the API spells them.
const (
	Instagram Platform = "instagram"
	TikTok    Platform = "tiktok"
	YouTube   Platform = "youtube"
	Twitch    Platform = "twitch"
	Facebook  Platform = "facebook"
	Snapchat  Platform = "snapchat"
)

// Platforms lists every platform, in the documentation's order.
var Platforms = []Platform{Instagram, TikTok, YouTube, Twitch, Facebook, Snapchat}

// Known reports whether p is one of the documented platforms.
func (p Platform) Known() bool {
	for _, k := range Platforms {
		if p == k {
			return true
		}
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

// HasScores reports whether showDatalogAndScore works on p: Instagram and
// TikTok.
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

// NewTime wraps a time.Time as a Time (to build a Watermark by hand).
func NewTime(t time.Time) Time { return jsonx.NewTime(t) }
