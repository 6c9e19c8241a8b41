package hypeauditor

import (
	"encoding/json"
	"slices"
	"strconv"
	"strings"

	"github.com/creatorkit/creatorkit-go/internal/jsonx"
)

// Network is a social network as HypeAuditor's API spells it
// ("instagram", "tiktok", ...). HypeAuditor's own word for it is kept;
// every creatorkit-go package names the constants the same way
// (Instagram, TikTok, YouTube, Twitch, Twitter, Snapchat).
type Network string

// The networks HypeAuditor reports on.
const (
	Instagram Network = "instagram"
	YouTube   Network = "youtube"
	TikTok    Network = "tiktok"
	Twitter   Network = "twitter"
	Twitch    Network = "twitch"
	Snapchat  Network = "snapchat"
)

// Networks returns every network HypeAuditor reports on, in the
// documentation's order (a new slice on each call).
func Networks() []Network {
	return []Network{Instagram, YouTube, Twitter, TikTok, Twitch, Snapchat}
}

// DiscoveryNetworks returns the networks discovery searches (Snapchat is
// not one) [DOC], a new slice on each call.
func DiscoveryNetworks() []Network {
	return []Network{Instagram, YouTube, TikTok, Twitter, Twitch}
}

// String returns the network's name as the API spells it.
func (n Network) String() string { return string(n) }

// Valid reports whether n is one of the six documented networks.
func (n Network) Valid() bool { return slices.Contains(Networks(), n) }

// ParseNetwork returns the network named s, in any case and without
// surrounding spaces ("TikTok", "youtube"). An unknown name is an
// ErrInvalidParams *Error.
func ParseNetwork(s string) (Network, error) {
	n := Network(strings.ToLower(strings.TrimSpace(s)))
	if !n.Valid() {
		return "", invalidParams("ParseNetwork", "network", "unknown network %q: one of %v", s, Networks())
	}
	return n, nil
}

// networkCodes are the integer codes used in social_networks[].type
// [DOC-COPY].
var networkCodes = map[int]Network{1: Instagram, 2: YouTube, 3: TikTok, 4: Twitch, 5: Twitter, 7: Snapchat}

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

// Network returns the network: integer codes are mapped to names.
func (t NetworkType) Network() Network {
	if n, err := strconv.Atoi(string(t)); err == nil {
		return networkCodes[n]
	}
	return Network(t)
}

func init() { jsonx.Register(decodeNetworkType) }
