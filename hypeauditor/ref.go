package hypeauditor

import (
	"encoding/json"
	"net/url"
	"slices"
	"strings"
)

// ReportRef names one account's report on any platform HypeAuditor
// reports on: what Reports.Get and GetAndWait take, and what
// Reports.GetAndWaitAll reads from each of its inputs (ParseReportRef).
// Set Account, or UserID on Instagram and TikTok, not both.
type ReportRef struct {
	// Platform is the account's platform.
	Platform Platform
	// Account is the username, channel or handle as on the platform
	// ("natgeo", "@NASA"; one leading "@" is dropped); on YouTube a
	// channel id ("UCLA_DiR1FfKNvjuUpBHmylQ") too.
	Account string
	// UserID is the numeric user id, on Instagram and TikTok only (their
	// ...ByUserId methods).
	UserID string
}

// String writes the reference as ParseReportRef reads it and as an
// ItemError's Item names the account: "instagram/@natgeo",
// "tiktok/id:6557821753438371845", "youtube/id:UCLA_DiR1FfKNvjuUpBHmylQ"
// for a channel id. It writes what it holds, valid or not.
func (r ReportRef) String() string {
	switch {
	case r.UserID != "":
		return string(r.Platform) + "/id:" + r.UserID
	case r.Platform == YouTube && youTubeChannelID(strings.TrimPrefix(r.Account, "@")):
		return string(r.Platform) + "/id:" + strings.TrimPrefix(r.Account, "@")
	}
	return string(r.Platform) + "/@" + strings.TrimPrefix(r.Account, "@")
}

// ParseReportRef reads a report reference as an agency's list holds one,
// in one of two forms:
//
//   - "<platform>/<account>": the platform as ParsePlatform reads it (in
//     any case; "x" is Twitter too), a slash, and the username, channel or
//     handle, with or without its "@" ("instagram/@natgeo",
//     "TikTok/littlebig"), or "id:" and a user id (Instagram, TikTok) or a
//     YouTube channel id ("tiktok/id:6557821753438371845",
//     "youtube/id:UCLA_DiR1FfKNvjuUpBHmylQ"). ReportRef.String and
//     ItemError.Item write this form, so an answer's Item can be fed back.
//   - a profile URL, with or without its scheme: instagram.com/<name>,
//     tiktok.com/@<name>, youtube.com/@<handle>, youtube.com/channel/<id>
//     and youtube.com/user/<name>, twitch.tv/<name>, x.com/<name> and
//     twitter.com/<name>, snapchat.com/add/<name> and snapchat.com/@<name>
//     (www., m. and mobile. hosts too; a query or fragment is ignored).
//
// Surrounding spaces are dropped. A blank, an unknown platform, a URL
// that names no account (a post, a search, a YouTube /c/ custom URL) or
// an account that fails the platform's rules (see Reports.Instagram and
// the others) is an ErrInvalidParams *Error.
func ParseReportRef(s string) (ReportRef, error) {
	const op = "ParseReportRef"
	in := strings.TrimSpace(s)
	if in == "" {
		return ReportRef{}, invalidParams(op, "ref", "a blank input names no account: write <platform>/<account> (instagram/@natgeo) or a profile URL")
	}
	var r ReportRef
	var err error
	if host, path, ok := profileURL(in); ok {
		r, err = fromURL(op, in, host, path)
	} else {
		r, err = fromPair(op, in)
	}
	if err != nil {
		return ReportRef{}, err
	}
	if _, err := r.call(op); err != nil {
		return ReportRef{}, err
	}
	return r, nil
}

// fromPair reads "<platform>/<account>" or "<platform>/id:<id>".
func fromPair(op, in string) (ReportRef, error) {
	name, rest, ok := strings.Cut(in, "/")
	if !ok {
		return ReportRef{}, invalidParams(op, "ref", "%q has no platform: write <platform>/<account> (instagram/@natgeo) or a profile URL", in)
	}
	p, err := refPlatform(op, name)
	if err != nil {
		return ReportRef{}, err
	}
	r := ReportRef{Platform: p}
	id, byID := strings.CutPrefix(rest, "id:")
	switch {
	case !byID:
		r.Account = rest
	case p == Instagram || p == TikTok:
		r.UserID = id
	case p == YouTube:
		if !youTubeChannelID(id) {
			return ReportRef{}, invalidParams(op, "ref", "%q: a YouTube channel id is UC and 22 letters, digits, '-' or '_'", in)
		}
		r.Account = id
	default:
		return ReportRef{}, invalidParams(op, "ref", "%q: HypeAuditor reports on %s accounts by name only, not by id", in, p)
	}
	return r, nil
}

// refPlatform is ParsePlatform, with "x" for Twitter.
func refPlatform(op, name string) (Platform, error) {
	if strings.EqualFold(strings.TrimSpace(name), "x") {
		return Twitter, nil
	}
	p := Platform(strings.ToLower(strings.TrimSpace(name)))
	if err := checkPlatform(op, "platform", p); err != nil {
		return "", err
	}
	return p, nil
}

// profileHosts maps a profile URL's host (without www., m. or mobile.)
// to its platform.
var profileHosts = map[string]Platform{
	"instagram.com": Instagram, "tiktok.com": TikTok, "youtube.com": YouTube,
	"twitch.tv": Twitch, "x.com": Twitter, "twitter.com": Twitter, "snapchat.com": Snapchat,
}

// profileURL reports whether in is a profile URL (with or without its
// scheme) of a host in profileHosts, and returns the host and the path's
// segments.
func profileURL(in string) (host string, path []string, ok bool) {
	raw := in
	if !strings.Contains(raw, "://") {
		first, _, _ := strings.Cut(raw, "/")
		if !strings.Contains(first, ".") {
			return "", nil, false // "instagram/natgeo": a pair
		}
		raw = "https://" + raw
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") {
		return "", nil, false
	}
	host = strings.ToLower(u.Hostname())
	for _, p := range []string{"www.", "m.", "mobile."} {
		host = strings.TrimPrefix(host, p)
	}
	if _, known := profileHosts[host]; !known {
		return "", nil, false
	}
	for _, seg := range strings.Split(u.Path, "/") {
		if seg != "" {
			path = append(path, seg)
		}
	}
	return host, path, true
}

// notProfiles are first path segments that name a page, not an account.
var notProfiles = map[Platform][]string{
	Instagram: {"p", "reel", "reels", "tv", "explore", "stories", "accounts", "direct"},
	Twitter:   {"i", "home", "search", "hashtag", "intent", "share", "explore", "settings"},
	Twitch:    {"directory", "videos", "search", "settings"},
}

// fromURL reads the account out of a profile URL's path.
func fromURL(op, in, host string, path []string) (ReportRef, error) {
	p := profileHosts[host]
	bad := func(why string) (ReportRef, error) {
		return ReportRef{}, invalidParams(op, "ref", "%q is not a %s profile URL: %s", in, p, why)
	}
	if len(path) == 0 {
		return bad("it names no account")
	}
	first := path[0]
	r := ReportRef{Platform: p}
	switch p {
	case TikTok:
		if !strings.HasPrefix(first, "@") {
			return bad("a TikTok profile is tiktok.com/@<name>")
		}
		r.Account = first
	case YouTube:
		switch {
		case strings.HasPrefix(first, "@"):
			r.Account = first
		case (first == "channel" || first == "user") && len(path) > 1:
			r.Account = path[1]
		case first == "c":
			return bad("a /c/ custom URL does not name the channel: use its @handle or its channel id")
		default:
			return bad("a YouTube channel is youtube.com/@<handle> or youtube.com/channel/<id>")
		}
	case Snapchat:
		switch {
		case strings.HasPrefix(first, "@"):
			r.Account = first
		case first == "add" && len(path) > 1:
			r.Account = path[1]
		default:
			return bad("a Snapchat profile is snapchat.com/add/<name>")
		}
	default:
		if slices.Contains(notProfiles[p], strings.ToLower(first)) {
			return bad("it names a page, not an account")
		}
		r.Account = first
	}
	if strings.ContainsAny(r.Account, "%") {
		if dec, err := url.PathUnescape(r.Account); err == nil {
			r.Account = dec
		}
	}
	return r, nil
}

// call builds the report request of the reference for op: the platform's
// own (auditor.report or reportByUserId, auditor.tiktok or tiktokByUserId,
// auditor.youtube, auditor.twitch, auditor.twitter, auditor.snapchat),
// with its checks.
func (r ReportRef) call(op string) (reportCall, error) {
	switch r.Platform {
	case Instagram:
		return InstagramParams{Username: r.Account, UserID: r.UserID}.call(op)
	case TikTok:
		return TikTokParams{Channel: r.Account, UserID: r.UserID}.call(op)
	}
	if err := checkPlatform(op, "platform", r.Platform); err != nil {
		return reportCall{}, err
	}
	if r.UserID != "" {
		return reportCall{}, invalidParams(op, "user_id", "HypeAuditor reports on %s accounts by name only: set Account, not UserID", r.Platform)
	}
	if r.Platform == YouTube {
		return YouTubeParams{Channel: r.Account}.call(op)
	}
	return ChannelParams{Channel: r.Account}.call(op, r.Platform, "auditor."+string(r.Platform))
}

// AnyReport is a report on any platform: what Reports.Get, GetAndWait and
// GetAndWaitAll return. Platform says which; the field of that platform
// holds the report as its own call returns it (Twitch, Twitter and
// Snapchat share NetworkReport), every other field is nil. Summary gives
// the common creator summary whatever the platform; Status the report's
// state, retryTtl, restTokens and validUntil.
//
// A union, not an interface: the reports of the six platforms have
// different shapes, and a field per platform keeps each one whole and
// typed (r.Instagram.User.AudienceType) without a type switch, shows
// every field in go doc, and encodes to JSON as it reads.
//
// It has Raw (the body as received) and Response (the response's
// metadata: status, request id, headers, DecodeIssues), the platform
// report's own.
type AnyReport struct {
	// Platform is the report's platform.
	Platform  Platform         `json:"platform"`
	Instagram *InstagramReport `json:"instagram,omitempty"`
	TikTok    *TikTokReport    `json:"tiktok,omitempty"`
	YouTube   *YouTubeReport   `json:"youtube,omitempty"`
	// Network is the Twitch, Twitter or Snapchat report (its Platform
	// says which, as AnyReport's does).
	Network *NetworkReport `json:"network,omitempty"`

	// Raw is the response body as received.
	Raw json.RawMessage `json:"-"`
	// Response is the metadata of the response.
	Response *ResponseMeta `json:"-"`
}

// inner returns the platform's report, nil when there is none.
func (r *AnyReport) inner() reportResult {
	switch {
	case r == nil:
		return nil
	case r.Instagram != nil:
		return r.Instagram
	case r.TikTok != nil:
		return r.TikTok
	case r.YouTube != nil:
		return r.YouTube
	case r.Network != nil:
		return r.Network
	}
	return nil
}

// Status returns the report's state, retryTtl, restTokens and
// validUntil; nil when r holds no report.
func (r *AnyReport) Status() *ReportStatus {
	if in := r.inner(); in != nil {
		return in.status()
	}
	return nil
}

// State returns the report state ("" when r holds no report).
func (r *AnyReport) State() ReportState {
	if st := r.Status(); st != nil {
		return st.State
	}
	return ""
}

// Summary returns the common creator summary of the platform's report
// (see each report's Summary); only Source is set when r holds none.
func (r *AnyReport) Summary() Summary {
	switch {
	case r == nil:
	case r.Instagram != nil:
		return r.Instagram.Summary()
	case r.TikTok != nil:
		return r.TikTok.Summary()
	case r.YouTube != nil:
		return r.YouTube.Summary()
	case r.Network != nil:
		return r.Network.Summary()
	}
	return Summary{Source: vendor}
}

// MissingBlocks lists the demographic blocks a READY_LOW_CONFIDENCE
// report lacks (Instagram, TikTok, YouTube); nil otherwise.
func (r *AnyReport) MissingBlocks() []string {
	switch {
	case r == nil:
	case r.Instagram != nil:
		return r.Instagram.MissingBlocks()
	case r.TikTok != nil:
		return r.TikTok.MissingBlocks()
	case r.YouTube != nil:
		return r.YouTube.MissingBlocks()
	}
	return nil
}

// reportResult plumbing, so the waits take an AnyReport like any report.

func (r *AnyReport) status() *ReportStatus { return r.Status() }

func (r *AnyReport) setMeta(raw json.RawMessage, m *ResponseMeta) { r.Raw, r.Response = raw, m }

func (r *AnyReport) accountID() ID {
	if in := r.inner(); in != nil {
		return in.accountID()
	}
	return ""
}
