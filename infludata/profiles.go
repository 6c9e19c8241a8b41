package infludata

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"reflect"
	"strings"

	"github.com/creatorkit/creatorkit-go/internal/jsonx"
	"github.com/creatorkit/creatorkit-go/internal/transport"
)

// ProfilesService reads creator profiles and their data status, and waits
// for audience reports.
type ProfilesService struct{ c *Client }

// creatorRef names one creator: a platform and exactly one identifier.
type creatorRef struct {
	Platform Platform
	Username string
	UserID   string
	ID       string
}

// String formats the reference as "instagram/@adidas" for a handle, or
// "youtube/id:UC…" for an id (the platform's UserID, or influData's _id),
// without the platform when it is not known ("id:507f…").
func (r creatorRef) String() string {
	var who string
	switch {
	case r.Username != "":
		who = "@" + strings.TrimPrefix(r.Username, "@")
	case r.UserID != "":
		who = "id:" + r.UserID
	default:
		who = "id:" + r.ID
	}
	if r.Platform == "" {
		return who
	}
	return string(r.Platform) + "/" + who
}

func (r creatorRef) query(q url.Values) {
	if r.Platform != "" {
		q.Set("platform", string(r.Platform))
	}
	switch {
	case r.Username != "":
		q.Set("username", r.Username)
	case r.UserID != "":
		q.Set("userId", r.UserID)
	case r.ID != "":
		q.Set("_id", r.ID)
	}
}

// GetProfileParams are the inputs of Get (getUserData).
//
// Identifiers are checked before anything is sent, the same way on every
// call that takes one (ErrInvalidParams otherwise): a Username is a handle
// (not blank or padded, no spaces, control or invisible format characters,
// none of '%', '/', '\', '?', '#', not "." or ".."; on Instagram 1 to 30
// letters, digits, periods and underscores after an optional '@'); a
// UserID is such a token too, and numeric on Instagram (instagramId); an
// ID (_id) is such a token.
type GetProfileParams struct {
	// Platform is required unless ID is set.
	Platform Platform
	// Exactly one of Username (the platform handle, "adidas" or
	// "@MrBeast"), UserID (the platform-native id: Instagram numeric id,
	// TikTok secUserId, YouTube channelId, Twitch id) and ID (influData's
	// internal _id).
	Username string
	UserID   string
	ID       string
	// IncludeAudienceReport adds the audience report: the call then costs
	// 20 tokens instead of 1. Instagram, TikTok and YouTube only. Use
	// GetAndWait to spend them only once the report is ready (the waits
	// always ask for it: this field is implied there).
	IncludeAudienceReport bool
	// ShowDatalogAndScore adds profile scores and data logs. The Social
	// API documentation (seed 002) says Instagram and TikTok; the GitHub
	// README (c5ccc0d) restricts no platform and its example asks for it
	// on YouTube. The docs conflict rather than forbid, so the SDK sends
	// it on every platform and leaves the answer to influData.
	ShowDatalogAndScore bool
}

func (p GetProfileParams) ref() creatorRef {
	return creatorRef{Platform: p.Platform, Username: p.Username, UserID: p.UserID, ID: p.ID}
}

func (p GetProfileParams) check(op string) error {
	if err := checkIdentifier(op, p.Platform, p.Username, p.UserID, p.ID); err != nil {
		return err
	}
	if p.Platform == "" && p.ID != "" {
		return nil // _id works without the platform; the server checks the rest
	}
	if err := checkPlatform(op, p.Platform, Platform.HasProfiles, "getUserData"); err != nil {
		return err
	}
	if p.IncludeAudienceReport && !p.Platform.HasAudienceReports() {
		return invalidParams(op, "includeAudienceReport", "audience reports are available on instagram, tiktok and youtube, not %s", p.Platform)
	}
	return nil
}

// ProfileState says what getUserData answered.
type ProfileState string

// Profile states.
const (
	// ProfileReady: 200, the profile (with the audience report when asked).
	ProfileReady ProfileState = "ready"
	// ProfileQueued: 201, the creator is not in the database yet and was
	// queued for enrichment; nothing was charged. Retry in 24 to 48 hours.
	ProfileQueued ProfileState = "queued"
	// ProfileProcessing: 202, the creator exists but the audience analysis
	// is still running; 1 token was charged. Poll CheckStatus (free), not
	// Get, until HasAudienceData.
	ProfileProcessing ProfileState = "processing"
)

func stateOf(status int) ProfileState {
	switch status {
	case http.StatusCreated:
		return ProfileQueued
	case http.StatusAccepted:
		return ProfileProcessing
	}
	return ProfileReady
}

// Profile is a creator profile (getUserData). It has no control field:
// its state comes from the HTTP status, so a value of the wrong type is
// left zero and listed in Response.DecodeIssues and the paid answer is
// still returned.
//
// influData documents this body only by category, not field by field. The
// fields typed here are the names its sibling responses use (discovery,
// checkDataStatus) and the README's examples confirm; they are nil or empty
// when absent. The audience report is typed as far as a published sample
// shows its members (see AudienceReport); Scores and Timeline, described
// only as categories, stay raw JSON (their member names are inferred), and
// every other member is kept in Extra, so nothing the API sends is lost.
// Summary maps the profile onto the common creator summary.
//
// It has Raw (the response body as received) and Response (the
// response's metadata: status, request id, headers, decode issues).
type Profile struct {
	// ID is influData's internal id (_id).
	ID          string   `json:"_id,omitempty"`
	Username    string   `json:"username,omitempty"`
	DisplayName string   `json:"displayName,omitempty"`
	Platform    Platform `json:"platform,omitempty"`
	// Followers are followers or subscribers.
	Followers *Int `json:"followers,omitempty"`
	Following *Int `json:"following,omitempty"`
	// Posts counts posts or videos.
	Posts    *Int   `json:"posts,omitempty"`
	Country  string `json:"country,omitempty"`
	City     string `json:"city,omitempty"`
	Language string `json:"language,omitempty"`
	Gender   string `json:"gender,omitempty"`
	Verified *bool  `json:"verified,omitempty"`
	// EngagementMean is the mean engagement rate as a percentage (4.2
	// means 4.2%), as in discovery results. (getContent's engagementRate is
	// a fraction instead.)
	EngagementMean *Float `json:"engagementMean,omitempty"`
	// Score and ProfileScore are influData's profile scores (inferred
	// names: profileScore is discovery's default sort key, "profile
	// score"; influData documents neither the fields on this body nor
	// their scale). Summary reports ProfileScore, else Score, as its
	// Quality.
	Score        *Float `json:"score,omitempty"`
	ProfileScore *Float `json:"profileScore,omitempty"`
	// GrowthRate is the monthly growth in percent.
	GrowthRate *Float `json:"growthRate,omitempty"`
	// AudienceReport is the audience report (includeAudienceReport; nil
	// without it): audience age, gender and geography, interests,
	// follower quality. Its member name and the placement of its typed
	// maps are inferred; see AudienceReport.
	AudienceReport *AudienceReport `json:"audienceReport,omitempty"`
	// Scores are the profile scores (showDatalogAndScore). Raw JSON.
	Scores json.RawMessage `json:"scores,omitempty"`
	// Timeline is the growth timeline with collaboration mentions. Raw JSON.
	Timeline json.RawMessage `json:"timeline,omitempty"`
	// Message is the explanation a 201 or 202 may carry (or the whole body
	// when it is a bare string).
	Message string `json:"message,omitempty"`
	// TokensDeducted and TokensRemaining, when the response reports them.
	TokensDeducted  *int `json:"tokensDeducted,omitempty"`
	TokensRemaining *int `json:"tokensRemaining,omitempty"`

	// Extra holds every member the fields above do not name.
	Extra Extra `json:"-"`
	// zeros keeps named members sent empty ("gender": ""), so encoding
	// the profile gives back what influData sent.
	zeros Extra
	// bare: the body was a JSON string (kept as Message).
	bare bool
	// State is what the call answered: ready (200), queued (201),
	// processing (202).
	State ProfileState `json:"-"`
	// Raw is the response body as received.
	Raw json.RawMessage `json:"-"`
	// Response is the metadata of the response.
	Response *ResponseMeta `json:"-"`
}

type profileFields Profile

// UnmarshalJSON decodes the typed fields and keeps the rest in Extra (and
// in AudienceReport.Extra), strictly: a value that does not fit its field
// is an error. A body that is a bare JSON string is kept as Message. (The
// client decodes responses tolerantly instead: see WithStrictDecoding.)
func (p *Profile) UnmarshalJSON(b []byte) error { return jsonx.Strict(b, (*profileJSON)(p)) }

// profileJSON is the tolerant decoding of a Profile (a jsonx.Lenient kept
// off the exported type): the client decodes responses into it.
type profileJSON Profile

// UnmarshalJSON runs the decoding strictly, for encoding/json's path.
func (p *profileJSON) UnmarshalJSON(b []byte) error { return jsonx.Strict(b, p) }

// UnmarshalLenient decodes the typed fields and keeps the rest in Extra;
// a value that does not fit its field is left zero and reported with its
// path (the SDK's tolerant decoding). A bare JSON string is kept as
// Message.
func (p *profileJSON) UnmarshalLenient(d *jsonx.Decoder, b []byte) {
	b = bytes.TrimSpace(b)
	*p = profileJSON{}
	if len(b) > 0 && b[0] == '"' {
		p.bare = d.Decode(b, &p.Message)
		return
	}
	var f profileFields
	if !d.Decode(b, &f) {
		return
	}
	*p = profileJSON(f)
	p.Extra, p.zeros = extraMembers(b, reflect.TypeFor[profileFields]())
	if p.AudienceReport != nil {
		var m struct {
			AudienceReport json.RawMessage `json:"audienceReport"`
		}
		if json.Unmarshal(b, &m) == nil {
			p.AudienceReport.keep(m.AudienceReport)
		}
	}
}

// MarshalJSON encodes the typed fields and Extra (or the bare string the
// body was).
func (p Profile) MarshalJSON() ([]byte, error) {
	if p.bare {
		return json.Marshal(p.Message)
	}
	return encodeWithExtra(profileFields(p), p.Extra, p.zeros)
}

// Ready reports whether the call returned the profile (200).
func (p *Profile) Ready() bool { return p != nil && p.State == ProfileReady }

// HasAudienceReport reports whether the profile carries an audience report.
func (p *Profile) HasAudienceReport() bool { return p != nil && p.AudienceReport != nil }

// AudienceReport is the audience report of a profile (getUserData with
// includeAudienceReport). influData publishes no getUserData body, so
// this is typed only as far as a published sample shows the members: the
// three maps below appear, with these names and shapes, on getContent
// items in influData's README (the shared fixture
// content_legacy_audience.json); that the report carries them under the
// same names is inferred. Every other member (interests, audience quality,
// lookalikes, ... as the documentation lists them by category) is kept in
// Extra, and Raw holds the report as received, so nothing is lost while
// the shape is unknown (both are filled when the report is decoded as part
// of a Profile).
//
// It has Raw (the report's JSON object) and no Response: it is part of a
// Profile, whose Response it came with.
type AudienceReport struct {
	// AudienceGender is the share of each gender in percent (0 to 100):
	// "male", "female".
	AudienceGender map[string]float64 `json:"audienceGender,omitempty"`
	// AudienceAge is the share of each age band in percent: "13-17",
	// "18-24", "25-34", "35-44", "45+".
	AudienceAge map[string]float64 `json:"audienceAge,omitempty"`
	// AudienceCountries is the share of each country in percent, keyed by
	// an ISO 3166-1 alpha-2 code ("DE") or "Other".
	AudienceCountries map[string]float64 `json:"audienceCountries,omitempty"`

	// Extra holds every member the fields above do not name.
	Extra Extra `json:"-"`
	// zeros keeps named members sent empty ("audienceAge": {}).
	zeros Extra
	// Raw is the report's JSON object as received.
	Raw json.RawMessage `json:"-"`
}

type audienceFields AudienceReport

// keep stores the members the typed maps do not name, and the report as
// received (raw, its JSON object).
func (a *AudienceReport) keep(raw json.RawMessage) {
	a.Extra, a.zeros = extraMembers(raw, reflect.TypeFor[audienceFields]())
	a.Raw = append(json.RawMessage(nil), bytes.TrimSpace(raw)...)
}

// MarshalJSON encodes the typed maps and Extra.
func (a AudienceReport) MarshalJSON() ([]byte, error) {
	return encodeWithExtra(audienceFields(a), a.Extra, a.zeros)
}

// Get returns a creator profile (getUserData). It costs 1 token, or 20 with
// IncludeAudienceReport. A creator influData does not hold yet comes back
// with State ProfileQueued (201, nothing charged); one whose audience
// analysis is still running with State ProfileProcessing (202, 1 token).
// Neither is an error. A creator that does not exist on the platform is
// ErrNotFound. tokensDeducted, when the answer reports it, is what
// Client.Usage counts; with a Budget the call reserves 20 or 1 tokens
// first (ErrBudgetExceeded, nothing sent, when they do not fit). Each call
// counts toward the fair-usage limit of 500 profile requests an hour the
// client paces itself by (WithFairUsage).
//
// To wait for a queued creator or an audience report, use GetAndWait: it
// polls the free CheckStatus and makes the paid call once. Polling Get
// costs a token per 202.
func (s *ProfilesService) Get(ctx context.Context, p GetProfileParams) (*Profile, error) {
	if err := p.check(opGetProfile); err != nil {
		return nil, err
	}
	return s.get(ctx, p)
}

func (s *ProfilesService) get(ctx context.Context, p GetProfileParams) (*Profile, error) {
	q := url.Values{}
	p.ref().query(q)
	if p.IncludeAudienceReport {
		q.Set("includeAudienceReport", "true")
	}
	if p.ShowDatalogAndScore {
		q.Set("showDatalogAndScore", "true")
	}
	var pr Profile
	meta, err := s.c.t.Do(ctx, transport.Request{Op: opGetProfile, Method: "GET", Path: "getUserData", Route: "getUserData", Query: q, Retry: transport.RetryOnce,
		ErrorsHaveNoEffect: true, Spend: profileSpend(p.IncludeAudienceReport), Pace: paceProfiles}, (*profileJSON)(&pr))
	if err != nil {
		return nil, err
	}
	pr.State = stateOf(meta.StatusCode)
	s.c.balance.report(pr.TokensRemaining)
	return &pr, nil
}

// DataStatusParams are the inputs of CheckStatus (checkDataStatus).
type DataStatusParams struct {
	// Platform is required (instagram, tiktok, youtube or twitch) unless
	// ID is set. Both the Social API documentation (seed 002) and the
	// GitHub README (c5ccc0d) list it as mandatory, but the README's own
	// example looks a creator up by _id alone, as getUserData allows: the
	// SDK sends an _id lookup without a platform and leaves the answer to
	// influData; so do GetAndWait and GetAndWaitAll, which poll this call.
	Platform Platform
	// Exactly one of Username, UserID and ID.
	Username string
	UserID   string
	ID       string
	// AddToWeeklyEnrichment also adds the creator to the weekly refresh
	// schedule. Not available for trial keys.
	AddToWeeklyEnrichment bool
}

func (p DataStatusParams) ref() creatorRef {
	return creatorRef{Platform: p.Platform, Username: p.Username, UserID: p.UserID, ID: p.ID}
}

func (p DataStatusParams) check(op string, plan Plan) error {
	if p.Platform != "" || p.ID == "" {
		if err := checkPlatform(op, p.Platform, Platform.HasDataStatus, "checkDataStatus"); err != nil {
			return err
		}
	}
	if err := checkIdentifier(op, p.Platform, p.Username, p.UserID, p.ID); err != nil {
		return err
	}
	if p.AddToWeeklyEnrichment && plan == Trial {
		return invalidParams(op, "addToWeeklyEnrichment", "weekly enrichment is not available for trial keys")
	}
	return nil
}

// LegacyStatus is the one-word status of the March 2025 checkDataStatus
// response.
type LegacyStatus string

// Legacy statuses.
const (
	StatusReady      LegacyStatus = "READY"
	StatusNotReady   LegacyStatus = "NOT READY"
	StatusNotFound   LegacyStatus = "NOT FOUND"
	StatusBadRequest LegacyStatus = "BAD REQUEST"
)

// DataStatus is what checkDataStatus knows about a creator. influData has
// documented two shapes and the SDK decodes both: the metadata object
// (August 2025 README and the web docs; every field optional) and the
// March 2025 {"status":"READY"|"NOT READY"|"NOT FOUND"|"BAD REQUEST"}.
// Use InDatabase and AudienceReady rather than the fields.
//
// Control fields (the waits decide on them, so a value of the wrong type
// fails the check with ErrUnexpectedResponse instead of being read as
// "not ready" or "not found"): IsInDatabase, IsBeingProcessed,
// HasAudienceData and Status. Any other value that does not fit its type
// is left zero and listed in Response.DecodeIssues. Members the fields do
// not name (influData adds some between versions) are kept in Extra, as
// on Profile, so nothing the API sends is lost.
//
// It has Raw (the response body as received) and Response (the
// response's metadata: status, request id, headers, decode issues).
type DataStatus struct {
	IsInDatabase *bool `json:"isInDatabase,omitempty" creatorkit:"control"`
	// IsBeingProcessed is set for a creator not yet in the database: true
	// while influData is enriching it (queued, 24 to 48 hours), false when
	// it is not (NotFound).
	IsBeingProcessed *bool    `json:"isBeingProcessed,omitempty" creatorkit:"control"`
	CreatorID        string   `json:"creatorId,omitempty"`
	Username         string   `json:"username,omitempty"`
	DisplayName      string   `json:"displayName,omitempty"`
	Platform         Platform `json:"platform,omitempty"`
	Followers        *Int     `json:"followers,omitempty"`
	Following        *Int     `json:"following,omitempty"`
	Posts            *Int     `json:"posts,omitempty"`
	IsPrivate        *bool    `json:"isPrivate,omitempty"`
	// LastRefreshDate is when the profile data was last refreshed.
	LastRefreshDate *Time `json:"lastRefreshDate,omitempty"`
	// LastAudienceDataRefresh is when the audience data was; nil when
	// there is none.
	LastAudienceDataRefresh *Time `json:"lastAudienceDataRefresh,omitempty"`
	HasAudienceData         *bool `json:"hasAudienceData,omitempty" creatorkit:"control"`
	FirstTimelineDate       *Time `json:"firstTimelineDate,omitempty"`
	RecentTimelineDate      *Time `json:"recentTimelineDate,omitempty"`
	TimelineDatapoints      *Int  `json:"timelineDatapoints,omitempty"`
	// ProfilePictureURL is the creator's profile picture. It is documented
	// in the README of 2025-07-15 (commit 3fd73da) and absent from later
	// versions; empty when not sent.
	ProfilePictureURL string `json:"profilePictureUrl,omitempty"`
	// IsAddedToRefresh: the call queued an instant refresh.
	IsAddedToRefresh *bool `json:"isAddedToRefresh,omitempty"`
	// IsAddedToWeeklyRefresh: the creator is on the weekly schedule.
	IsAddedToWeeklyRefresh *bool `json:"isAddedToWeeklyRefresh,omitempty"`

	// Status is the March 2025 shape's only member.
	Status LegacyStatus `json:"status,omitempty" creatorkit:"control"`

	// Extra holds every member the fields above do not name, as raw JSON:
	// influData adds and drops members of this answer between versions
	// (profilePictureUrl came in July 2025 and left the README later), so
	// one it adds is kept here, and encoding the status gives back what
	// influData sent.
	Extra Extra `json:"-"`
	// zeros keeps named members sent empty ("username": ""), which
	// omitempty would drop on encoding.
	zeros Extra

	// Raw is the response body as received.
	Raw json.RawMessage `json:"-"`
	// Response is the metadata of the response.
	Response *ResponseMeta `json:"-"`
}

type dataStatusFields DataStatus

// UnmarshalJSON decodes the typed fields and keeps the rest in Extra,
// strictly: a value that does not fit its field is an error. (The client
// decodes responses tolerantly instead: see WithStrictDecoding.)
func (d *DataStatus) UnmarshalJSON(b []byte) error { return jsonx.Strict(b, (*dataStatusJSON)(d)) }

// dataStatusJSON is the tolerant decoding of a DataStatus (a jsonx.Lenient
// kept off the exported type): the client decodes responses into it.
type dataStatusJSON DataStatus

// UnmarshalJSON runs the decoding strictly, for encoding/json's path.
func (d *dataStatusJSON) UnmarshalJSON(b []byte) error { return jsonx.Strict(b, d) }

// UnmarshalLenient decodes the typed fields (a control field that does
// not fit fails the answer, as on every result) and keeps the members
// they do not name in Extra.
func (d *dataStatusJSON) UnmarshalLenient(dec *jsonx.Decoder, b []byte) {
	*d = dataStatusJSON{}
	var f dataStatusFields
	if !dec.Decode(b, &f) {
		return
	}
	*d = dataStatusJSON(f)
	d.Extra, d.zeros = extraMembers(b, reflect.TypeFor[dataStatusFields]())
}

// MarshalJSON encodes the typed fields and Extra.
func (d DataStatus) MarshalJSON() ([]byte, error) {
	return encodeWithExtra(dataStatusFields(d), d.Extra, d.zeros)
}

func isTrue(b *bool) bool { return b != nil && *b }

// Legacy reports whether the response used the March 2025 shape.
func (d *DataStatus) Legacy() bool { return d.Status != "" && d.IsInDatabase == nil }

// InDatabase reports whether influData holds the creator.
func (d *DataStatus) InDatabase() bool {
	if d.Legacy() {
		return d.Status == StatusReady || d.Status == StatusNotReady
	}
	return isTrue(d.IsInDatabase)
}

// AudienceReady reports whether getUserData with includeAudienceReport
// would return the report now: the creator is in the database with
// audience data (metadata shape), or the status is READY (March 2025
// shape).
func (d *DataStatus) AudienceReady() bool {
	if d.Legacy() {
		return d.Status == StatusReady
	}
	return isTrue(d.IsInDatabase) && isTrue(d.HasAudienceData)
}

// Queued reports whether influData does not hold the creator yet but is
// enriching it (isInDatabase false, isBeingProcessed true): it enters the
// database within 24 to 48 hours.
func (d *DataStatus) Queued() bool {
	return !d.Legacy() && d.IsInDatabase != nil && !*d.IsInDatabase && isTrue(d.IsBeingProcessed)
}

// NotFound reports whether influData neither holds the creator nor is
// enriching it: isInDatabase false without isBeingProcessed true, or the
// March 2025 status NOT FOUND (that shape cannot tell a queued creator
// from an unknown one). Waiting cannot change it: GetAndWait and
// GetAndWaitAll end at once with ErrNotFound. Queue the creator with
// Enrichment.Add (or Get, whose 201 queues it) and wait again later.
func (d *DataStatus) NotFound() bool {
	if d.Legacy() {
		return d.Status == StatusNotFound
	}
	return d.IsInDatabase != nil && !*d.IsInDatabase && !isTrue(d.IsBeingProcessed)
}

// state is the status in one word, as ItemError.State gives it: "ready"
// (audience data ready), "processing" (in the database, audience data not
// ready yet), "queued" (not in the database yet, being enriched), "not in
// database", or the March 2025 status as sent ("NOT READY"); empty for a
// nil status or one without either shape's state.
func (d *DataStatus) state() string {
	switch {
	case d == nil:
		return ""
	case d.Legacy():
		return string(d.Status)
	case d.AudienceReady():
		return "ready"
	case d.InDatabase():
		return "processing"
	case d.Queued():
		return "queued"
	case d.NotFound():
		return "not in database"
	}
	return ""
}

// known reports whether the answer has either shape's control field, so
// a wait can decide on it.
func (d *DataStatus) known() bool { return d.Legacy() || d.IsInDatabase != nil }

// Describe summarises the status in words.
func (d *DataStatus) Describe() string {
	switch {
	case d.Legacy():
		return "status " + string(d.Status)
	case d.AudienceReady():
		return "in database, audience data ready"
	case d.InDatabase():
		return "in database, audience data not ready yet"
	case d.Queued():
		return "not in database yet, being processed"
	case d.NotFound():
		return "not in database, not being processed"
	}
	return "no database state in the answer"
}

// CheckStatus tells whether influData holds a creator, how fresh the data
// is and whether the audience report is ready (checkDataStatus). It is
// free, and it also queues an instant refresh of the creator. Use it before
// Get to avoid spending tokens on incomplete data.
func (s *ProfilesService) CheckStatus(ctx context.Context, p DataStatusParams) (*DataStatus, error) {
	if err := p.check(opDataStatus, s.c.plan); err != nil {
		return nil, err
	}
	return s.checkStatus(ctx, opDataStatus, p)
}

func (s *ProfilesService) checkStatus(ctx context.Context, op string, p DataStatusParams) (*DataStatus, error) {
	q := url.Values{}
	p.ref().query(q)
	if p.AddToWeeklyEnrichment {
		q.Set("addToWeeklyEnrichment", "true")
	}
	var d DataStatus
	if _, err := s.c.t.Do(ctx, transport.Request{Op: op, Method: "GET", Path: "checkDataStatus", Route: "checkDataStatus", Query: q}, (*dataStatusJSON)(&d)); err != nil {
		return nil, err
	}
	if d.Legacy() && d.Status == StatusBadRequest {
		return &d, transport.NewError(vendor, op, ErrInvalidParams, "checkDataStatus answered BAD REQUEST for %s", p.ref())
	}
	return &d, nil
}

// String describes the profile briefly.
func (p *Profile) String() string {
	if p == nil {
		return "<nil profile>"
	}
	return fmt.Sprintf("%s/@%s (%s)", p.Platform, strings.TrimPrefix(p.Username, "@"), p.State)
}
