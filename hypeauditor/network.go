package hypeauditor

import (
	"encoding/json"
	"slices"
	"strconv"
	"strings"

	"github.com/creatorkit/creatorkit-go/internal/jsonx"
)

// Platform is a social platform as HypeAuditor's API spells it
// ("instagram", "tiktok", ...; HypeAuditor calls it a social network, and
// the wire names keep that word: social_network, type). Every
// creatorkit-go package has a Platform type with the same constant names
// (Instagram, TikTok, YouTube, Twitch, Twitter, Snapchat) and
// ParsePlatform.
type Platform string

// The platforms HypeAuditor reports on.
const (
	Instagram Platform = "instagram"
	YouTube   Platform = "youtube"
	TikTok    Platform = "tiktok"
	Twitter   Platform = "twitter"
	Twitch    Platform = "twitch"
	Snapchat  Platform = "snapchat"
)

// Platforms returns every platform HypeAuditor reports on, in the
// documentation's order (a new slice on each call).
func Platforms() []Platform {
	return []Platform{Instagram, YouTube, Twitter, TikTok, Twitch, Snapchat}
}

// DiscoveryPlatforms returns the platforms discovery searches (Snapchat
// is not one) [DOC], a new slice on each call.
func DiscoveryPlatforms() []Platform {
	return []Platform{Instagram, YouTube, TikTok, Twitter, Twitch}
}

// String returns the platform's name as the API spells it.
func (n Platform) String() string { return string(n) }

// Valid reports whether n is one of the six documented platforms.
func (n Platform) Valid() bool { return slices.Contains(Platforms(), n) }

// ParsePlatform returns the platform named s, in any case and without
// surrounding spaces ("TikTok", "youtube"). An unknown name is an
// ErrInvalidParams *Error.
func ParsePlatform(s string) (Platform, error) {
	n := Platform(strings.ToLower(strings.TrimSpace(s)))
	if !n.Valid() {
		return "", invalidParams("ParsePlatform", "platform", "unknown platform %q: one of %v", s, Platforms())
	}
	return n, nil
}

// networkCodes are the integer codes used in social_networks[].type
// [DOC-COPY].
var networkCodes = map[int]Platform{1: Instagram, 2: YouTube, 3: TikTok, 4: Twitch, 5: Twitter, 7: Snapchat}

// NetworkType is the type of a linked account: the Instagram report sends
// an integer code (1 instagram, 2 youtube, 3 tiktok, 4 twitch, 5 twitter,
// 7 snapchat), discovery results send the network's name. Both decode; it
// re-encodes as received.
type NetworkType string

// decodeNetworkType is the tolerant decoding of NetworkType (registered
// with jsonx.Register): it accepts a string or a number.
func decodeNetworkType(d *jsonx.Decoder, b []byte, t *NetworkType) {
	*t = ""
	if c := firstByte(b); c != '"' && c != 'n' && !isNumber(c) {
		d.Report(b, "hypeauditor.NetworkType", "a network name or an integer code")
		return
	}
	var id ID
	decodeLenient(d, b, &id)
	*t = NetworkType(id)
}

// UnmarshalJSON accepts a string or a number.
func (t *NetworkType) UnmarshalJSON(b []byte) error { return jsonx.StrictFor(b, t) }

// MarshalJSON writes integer codes as numbers and names as strings.
func (t NetworkType) MarshalJSON() ([]byte, error) {
	if _, err := strconv.Atoi(string(t)); err == nil && t != "" {
		return []byte(t), nil
	}
	return json.Marshal(string(t))
}

// Platform returns the platform: integer codes are mapped to names.
func (t NetworkType) Platform() Platform {
	if n, err := strconv.Atoi(string(t)); err == nil {
		return networkCodes[n]
	}
	return Platform(t)
}

func init() { jsonx.Register(decodeNetworkType) }
