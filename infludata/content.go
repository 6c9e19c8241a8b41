package infludata

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/creatorkit/creatorkit-go/internal/check"
	"github.com/creatorkit/creatorkit-go/internal/jsonx"
	"github.com/creatorkit/creatorkit-go/internal/transport"
)

// ContentService queries content pieces (getContent).
type ContentService struct{ c *Client }

// MaxContentLimit is the largest getContent page the SDK asks for. The
// docs conflict rather than forbid: the Social API documentation (seed
// 002) says "default and maximum: 100", the GitHub README of August 2025
// (c5ccc0d) "default: 1000, max: 1000" and uses limit=1000 in its
// examples, and an older README allowed 1,000 with a default of 1. The SDK
// accepts up to 1,000 and, since the defaults disagree and every item
// costs a token, always sends an explicit limit.
const MaxContentLimit = 1000

// DefaultContentLimit is the page size of ContentAll and Pull when
// ContentParams.Limit is 0: 100, the largest page every version of the
// documentation allows.
const DefaultContentLimit = 100

// DefaultContentItems is the item cap of ContentAll and Pull unless
// WithMaxItems says otherwise: every item costs a token.
const DefaultContentItems = 500

// ContentType is a kind of content piece.
type ContentType string

// Content types.
const (
	ContentPost  ContentType = "post"  // Instagram
	ContentReel  ContentType = "reel"  // Instagram
	ContentStory ContentType = "story" // Instagram
	ContentVideo ContentType = "video" // TikTok, YouTube
	ContentShort ContentType = "short" // YouTube
)

var contentTypePlatforms = map[ContentType][]Platform{
	ContentPost: {Instagram}, ContentReel: {Instagram}, ContentStory: {Instagram},
	ContentVideo: {TikTok, YouTube}, ContentShort: {YouTube},
}

// ContentSort orders getContent results.
type ContentSort string

// Content orders.
const (
	// ContentByUploaded is the default, and the order incremental syncs
	// use.
	ContentByUploaded ContentSort = "uploaded"
	ContentByReach    ContentSort = "reach"
	ContentByViral    ContentSort = "viral"
)

// DefaultContentPlatforms returns the platforms getContent searches when
// ContentParams.Platforms is empty: Instagram and TikTok (a fresh slice on
// each call).
func DefaultContentPlatforms() []Platform { return []Platform{Instagram, TikTok} }

// ContentParams are the getContent filters and paging. Zero values are not
// sent, except the limit, which always is.
type ContentParams struct {
	// Limit is the page size, 1 to MaxContentLimit (1,000; the Social
	// API documentation says 100 is its maximum, the README 1,000).
	// Required for Get, because every item returned costs a token;
	// ContentAll uses DefaultContentLimit (100) unless set, and shrinks the
	// last page to its item cap. A server that serves fewer items than
	// asked does not end a legacy offset walk early while its count says
	// more are left.
	Limit int
	// Cursor continues a cursor pull: a previous page's NextCursor. It is
	// sent in the X-Cursor header, and with it only the limit (the cursor
	// carries the query). It must pass the identifier policy (one line, no
	// control or invisible characters, not padded).
	Cursor string
	// LegacyOffset selects the legacy offset paging (offset from Offset),
	// answered in the legacy shape; cursor paging is recommended.
	LegacyOffset bool
	Offset       int

	// Platforms to search (default instagram and tiktok); content is
	// available on Instagram, TikTok and YouTube.
	Platforms []Platform
	// Usernames restricts to creators; each must be a handle (see
	// GetProfileParams).
	Usernames []string
	// Keywords are searched in captions, hashtags and mentions; phrases
	// are supported.
	Keywords []string
	// Tags are hashtags, without "#".
	Tags []string
	// FollowerMin is the minimum creator follower count (min_followers).
	// 0 leaves the API's default of 10,000; use 1 to include everyone.
	FollowerMin int64
	// FollowerMax is the maximum creator follower count.
	FollowerMax int64
	// ViewsMin and ViewsMax bound the content's reach or views.
	ViewsMin, ViewsMax int64
	// UploadedFrom and UploadedTo bound the upload time (created_at_gte,
	// created_at_lte).
	UploadedFrom, UploadedTo time.Time
	// ContentTypes: post, reel, story (Instagram); video (TikTok,
	// YouTube); short (YouTube).
	ContentTypes []ContentType
	// Creator demographics. City and Gender work on Instagram and TikTok.
	Country, City string
	Gender        Gender
	Language      string
	// AudienceCountry filters by the audience's country (user_country;
	// README).
	AudienceCountry string
	// Sorting: uploaded (default), reach or viral.
	Sorting ContentSort

	// Since makes the pull incremental: the content uploaded at or after
	// the watermark, sorted by upload, without what the previous pulls
	// already yielded. Keep the watermark of a complete pull
	// (ContentPull.Watermark) and pass it here next time.
	//
	// It follows influData's recipe: the SDK sends created_at_gte = the
	// watermark's created_at_max itself (the start of its second, as
	// upload times are whole seconds) and drops the items already yielded
	// in that second. influData may index a piece uploaded within the
	// watermark's second after the previous pull read that second, so
	// asking from one second later (as the SDK did before) could skip it
	// for good; asking from the watermark sees it. The items already
	// yielded there are named by Watermark.SeenIDs (every one of them, not
	// only the last: several pieces often share a second), or by LastID
	// for a watermark taken from a ContentPage.
	//
	// Cost per sync: influData charges getContent per item returned (1
	// token each), and the re-read items are returned, so charged, again:
	// with N new items and k already-yielded items in the watermark's
	// second (len(SeenIDs); usually 1, the newest piece of the previous
	// sync), a sync costs N + k tokens in ceil((N + k) / Limit) requests
	// (Limit defaults to DefaultContentLimit, 100), and k tokens in one
	// request when nothing is new; nothing at all (one free 404) when no
	// item matches. The k re-read items are the fewest an inclusive filter
	// allows: only the watermark's own second is read again, and
	// influData's filter has no exclusive form or id exclusion. The SDK
	// drops them after paying for them and counts them in
	// PullStats.Reread.
	Since *Watermark
}

func (p ContentParams) platforms() []Platform {
	if len(p.Platforms) == 0 {
		return DefaultContentPlatforms()
	}
	return p.Platforms
}

func (p ContentParams) check(op string, needLimit bool) error {
	if needLimit && p.Limit == 0 {
		return invalidParams(op, "limit", "limit is required: every item returned costs a token (1 to %d)", MaxContentLimit)
	}
	if p.Limit != 0 {
		if msg := check.IntRange(p.Limit, 1, MaxContentLimit); msg != "" {
			return invalidParams(op, "limit", "limit %s", msg)
		}
	}
	if p.Offset < 0 {
		return invalidParams(op, "offset", "offset must be >= 0, got %d", p.Offset)
	}
	if p.Offset > 0 && !p.LegacyOffset {
		return invalidParams(op, "offset", "offset needs LegacyOffset (cursor paging is the default)")
	}
	if p.LegacyOffset && p.Cursor != "" {
		return invalidParams(op, "cursor", "Cursor and LegacyOffset are two paging modes; use one")
	}
	if p.Cursor != "" {
		if err := checkValue(op, "cursor", p.Cursor); err != nil {
			return err
		}
	}
	for _, u := range p.Usernames {
		if err := checkUsername(op, "username", "", u); err != nil {
			return err
		}
	}
	for _, pl := range p.Platforms {
		if err := checkPlatform(op, pl, Platform.HasContent, "getContent"); err != nil {
			return err
		}
	}
	for _, f := range []struct {
		name  string
		terms []string
	}{{"username", p.Usernames}, {"keywords", p.Keywords}, {"tags", p.Tags}} {
		if err := checkTerms(op, f.name, f.terms); err != nil {
			return err
		}
	}
	if err := checkRange(op, "followers", p.FollowerMin, p.FollowerMax); err != nil {
		return err
	}
	if err := checkRange(op, "views", p.ViewsMin, p.ViewsMax); err != nil {
		return err
	}
	if !p.UploadedFrom.IsZero() && !p.UploadedTo.IsZero() && p.UploadedFrom.After(p.UploadedTo) {
		return invalidParams(op, "uploadedFrom", "UploadedFrom %s is after UploadedTo %s", p.UploadedFrom.Format(time.RFC3339), p.UploadedTo.Format(time.RFC3339))
	}
	pls := p.platforms()
	for _, ct := range p.ContentTypes {
		allowed, ok := contentTypePlatforms[ct]
		if !ok {
			return invalidParams(op, "contentTypes", "unknown content type %q (post, reel, story, video, short)", ct)
		}
		if !overlaps(allowed, pls) {
			return invalidParams(op, "contentTypes", "content type %s exists on %v, none of the platforms searched (%v)", ct, allowed, pls)
		}
	}
	if p.City != "" || p.Gender != "" {
		for _, pl := range pls {
			if !pl.HasDemographicFilters() {
				return invalidParams(op, "city", "the city and gender filters work on instagram and tiktok, not %s", pl)
			}
		}
	}
	if !p.Gender.valid() {
		return invalidParams(op, "gender", "gender must be m or w, got %q", p.Gender)
	}
	if p.Language != "" && !languageRE.MatchString(p.Language) {
		return invalidParams(op, "language", "language must be a 2-letter ISO code such as en, got %q", p.Language)
	}
	if p.Sorting != "" {
		if msg := check.OneOf(p.Sorting, ContentByUploaded, ContentByReach, ContentByViral); msg != "" {
			return invalidParams(op, "sorting", "sorting %s", msg)
		}
	}
	if p.Since != nil {
		switch {
		case p.Since.CreatedAtMax.IsZero():
			return invalidParams(op, "since", "the watermark has no created_at_max")
		case !p.UploadedFrom.IsZero():
			return invalidParams(op, "since", "Since sets created_at_gte itself; leave UploadedFrom empty")
		case p.Sorting != "" && p.Sorting != ContentByUploaded:
			return invalidParams(op, "since", "an incremental sync is sorted by upload, not %s", p.Sorting)
		case p.Since.LastID != "":
			if err := checkValue(op, "since", p.Since.LastID); err != nil {
				return err
			}
		}
		for _, id := range p.Since.SeenIDs {
			if err := checkValue(op, "since", id); err != nil {
				return err
			}
		}
	}
	return nil
}

func overlaps(a, b []Platform) bool {
	for _, x := range a {
		for _, y := range b {
			if x == y {
				return true
			}
		}
	}
	return false
}

// sinceParam renders created_at_gte for an incremental sync: the start
// of the watermark's second (see ContentParams.Since). Upload times are
// whole seconds, and a watermark may carry a fraction (created_at_max to
// the millisecond): a piece uploaded in the same second, shown as that
// second, may sort before the fraction, so the whole second is asked for.
func sinceParam(w *Watermark) string {
	return w.CreatedAtMax.Time.UTC().Truncate(time.Second).Format(time.RFC3339)
}

// request builds the getContent request for one page.
func (p ContentParams) request(limit int, cursor string, offset int) transport.Request {
	q := url.Values{}
	q.Set("limit", strconv.Itoa(limit))
	req := transport.Request{Op: opContent, Method: "GET", Path: "getContent", Route: "getContent", Query: q, Retry: transport.RetryOnce, ErrorsHaveNoEffect: true,
		Spend: contentSpend(limit)}
	if cursor != "" {
		req.Header = http.Header{"X-Cursor": {cursor}}
		return req
	}
	if p.LegacyOffset {
		q.Set("offset", strconv.Itoa(offset))
	}
	if len(p.Platforms) > 0 {
		q.Set("platform", join(p.Platforms))
	}
	for k, v := range map[string][]string{"username": p.Usernames, "keywords": p.Keywords, "tags": p.Tags} {
		if len(v) > 0 {
			q.Set(k, join(v))
		}
	}
	if len(p.ContentTypes) > 0 {
		q.Set("contentTypes", join(p.ContentTypes))
	}
	setInt(q, "min_followers", p.FollowerMin)
	setInt(q, "followerMax", p.FollowerMax)
	setInt(q, "viewsMin", p.ViewsMin)
	setInt(q, "viewsMax", p.ViewsMax)
	if !p.UploadedFrom.IsZero() {
		q.Set("created_at_gte", p.UploadedFrom.UTC().Format(time.RFC3339Nano))
	}
	if !p.UploadedTo.IsZero() {
		q.Set("created_at_lte", p.UploadedTo.UTC().Format(time.RFC3339Nano))
	}
	sorting := p.Sorting
	if p.Since != nil {
		q.Set("created_at_gte", sinceParam(p.Since))
		sorting = ContentByUploaded
	}
	for k, v := range map[string]string{"country": p.Country, "city": p.City, "gender": string(p.Gender),
		"language": p.Language, "user_country": p.AudienceCountry, "sorting": string(sorting)} {
		if v != "" {
			q.Set(k, v)
		}
	}
	return req
}

// Watermark marks how far a content pull got, for incremental syncs:
// the newest upload time seen and that item's id, as influData reports
// them, and the ids the SDK yielded at that time. CreatedAtMax and LastID
// are control fields (the SDK sends them back on the next sync): a value
// of the wrong type makes the page's call fail with ErrUnexpectedResponse
// instead of silently restarting the sync from the wrong point. Save it
// as JSON between syncs; SeenIDs goes with it.
type Watermark struct {
	CreatedAtMax Time   `json:"created_at_max" creatorkit:"control"`
	LastID       string `json:"last_id" creatorkit:"control"`
	// SeenIDs are the ids (_id, else contentId) of every item a pull
	// received at CreatedAtMax's second, which the next sync, asking
	// from CreatedAtMax, receives again and drops (see
	// ContentParams.Since). The SDK's own; influData does not send it.
	// Empty in a watermark taken from a ContentPage: the next sync then
	// drops LastID only, as influData's recipe says.
	SeenIDs []string `json:"seen_ids,omitempty"`
}

// seen returns the set of ids a sync from w drops: SeenIDs, or LastID
// when there are none.
func (w *Watermark) seen() map[string]bool {
	if w == nil {
		return nil
	}
	m := map[string]bool{}
	for _, id := range w.SeenIDs {
		m[id] = true
	}
	if len(m) == 0 && w.LastID != "" {
		m[w.LastID] = true
	}
	return m
}

// newer reports whether w is later than o (nil is oldest).
func (w *Watermark) newer(o *Watermark) bool {
	return w != nil && !w.CreatedAtMax.IsZero() && (o == nil || w.CreatedAtMax.After(o.CreatedAtMax.Time))
}

// ContentPage is one getContent page. The cursor response
// ({"items","next_cursor","watermark"}) and the legacy offset response
// ({"content","count","limit","offset"}) both decode into it, and it
// encodes back in the shape it came in.
//
// Control fields (the SDK needs them to go on, so a value of the wrong
// type fails the call with ErrUnexpectedResponse rather than ending a pull
// early or restarting a sync at the wrong point): NextCursor, Count and
// the Watermark's members. Any other value that does not fit its type is
// left zero and listed in Response.DecodeIssues; the page, which has been
// paid for, is still returned.
//
// It has Raw (the response body as received) and Response (the
// response's metadata: status, request id, headers, decode issues).
type ContentPage struct {
	// Items are the content pieces ("items", or "content" in the legacy
	// shape).
	Items []ContentItem
	// NextCursor continues the pull; empty on the last page.
	NextCursor string
	// Watermark marks the newest content of the result, for an
	// incremental sync.
	Watermark *Watermark
	// Count, Limit and Offset are the legacy shape's totals.
	Count, Limit, Offset *int
	// TokensDeducted is what this page cost (1 per item);
	// TokensRemaining the balance after it.
	TokensDeducted  *int
	TokensRemaining *int
	// Legacy reports that the body used the legacy offset shape.
	Legacy bool
	// Empty reports a 404: no content matched (not charged).
	Empty bool

	received int           // items in the body, before the already-yielded ones were dropped
	dropped  []ContentItem // the items dropped: already yielded at the watermark's instant

	// Raw is the response body as received.
	Raw json.RawMessage `json:"-"`
	// Response is the metadata of the response.
	Response *ResponseMeta `json:"-"`
}

type contentPageWire struct {
	Items           *[]ContentItem `json:"items,omitempty"`
	Content         *[]ContentItem `json:"content,omitempty"`
	NextCursor      string         `json:"next_cursor,omitempty" creatorkit:"control"`
	Watermark       *Watermark     `json:"watermark,omitempty"`
	Count           *int           `json:"count,omitempty" creatorkit:"control"`
	Limit           *int           `json:"limit,omitempty"`
	Offset          *int           `json:"offset,omitempty"`
	TokensDeducted  *int           `json:"tokensDeducted,omitempty"`
	TokensRemaining *int           `json:"tokensRemaining,omitempty"`
}

// UnmarshalJSON decodes either shape strictly: any value that does not fit
// is an error. (The client decodes responses tolerantly instead: see
// WithStrictDecoding.)
func (pg *ContentPage) UnmarshalJSON(b []byte) error { return jsonx.Strict(b, (*contentPageJSON)(pg)) }

// contentPageJSON is the tolerant decoding of a ContentPage (a
// jsonx.Lenient kept off the exported type): the client decodes responses
// into it.
type contentPageJSON ContentPage

// UnmarshalJSON runs the decoding strictly, for encoding/json's path.
func (pg *contentPageJSON) UnmarshalJSON(b []byte) error { return jsonx.Strict(b, pg) }

// UnmarshalLenient decodes either shape, leaving a value that does not fit
// its type zero and reporting it with its path (the SDK's tolerant
// decoding).
func (pg *contentPageJSON) UnmarshalLenient(d *jsonx.Decoder, b []byte) {
	*pg = contentPageJSON{}
	var w contentPageWire
	if !d.Decode(b, &w) {
		return
	}
	*pg = contentPageJSON{NextCursor: w.NextCursor, Watermark: w.Watermark, Count: w.Count, Limit: w.Limit, Offset: w.Offset,
		TokensDeducted: w.TokensDeducted, TokensRemaining: w.TokensRemaining}
	switch {
	case w.Items != nil:
		pg.Items = *w.Items
	case w.Content != nil:
		pg.Items, pg.Legacy = *w.Content, true
	}
}

// MarshalJSON encodes the page in the shape it came in.
func (pg ContentPage) MarshalJSON() ([]byte, error) {
	w := contentPageWire{NextCursor: pg.NextCursor, Watermark: pg.Watermark, Count: pg.Count, Limit: pg.Limit, Offset: pg.Offset,
		TokensDeducted: pg.TokensDeducted, TokensRemaining: pg.TokensRemaining}
	items := pg.Items
	if items == nil {
		items = []ContentItem{}
	}
	if pg.Legacy {
		w.Content = &items
	} else {
		w.Items = &items
	}
	return json.Marshal(w)
}

// ContentItem is one content piece: a post, reel, story, video or short.
// Fields beyond the Social API's example come from the GitHub README's
// field table.
//
// It has no Raw or Response of its own: they are its page's (ContentPage;
// Content.Get returns the page).
type ContentItem struct {
	ID          string      `json:"_id,omitempty"`
	Index       string      `json:"_index,omitempty"`
	ContentID   string      `json:"contentId,omitempty"`
	Platform    Platform    `json:"platform,omitempty"`
	ContentType ContentType `json:"contentType,omitempty"`
	Uploaded    *Time       `json:"uploaded,omitempty"`
	// Reach is the content's reach or views.
	Reach    int64  `json:"reach"`
	Likes    int64  `json:"likes"`
	Comments int64  `json:"comments"`
	Shares   *int64 `json:"shares,omitempty"`
	Saves    *int64 `json:"saves,omitempty"`
	// EngagementRate is a fraction: 0.0745 means 7.45%. (Discovery's
	// DiscoveredCreator.EngagementMean is a percentage: 4.2 means 4.2%.)
	EngagementRate float64 `json:"engagementRate"`
	// ViralFactor compares the piece's reach with the creator's usual.
	ViralFactor float64 `json:"viralFactor"`
	// Score is the search relevance.
	Score     *float64 `json:"score,omitempty"`
	Username  string   `json:"username,omitempty"`
	UserID    string   `json:"userId,omitempty"`
	Followers int64    `json:"followers"`
	Following *int64   `json:"following,omitempty"`
	Verified  *bool    `json:"verified,omitempty"`
	Country   string   `json:"country,omitempty"`
	City      string   `json:"city,omitempty"`
	Language  string   `json:"language,omitempty"`
	Gender    string   `json:"gender,omitempty"`
	Captions  string   `json:"captions,omitempty"`
	// Keywords are the matched keywords, with <b> highlight tags.
	Keywords      string   `json:"keywords,omitempty"`
	Hashtags      []string `json:"hashtags,omitempty"`
	Mentions      []string `json:"mentions,omitempty"`
	BrandMentions []string `json:"brandMentions,omitempty"`
	IsSponsored   *bool    `json:"isSponsored,omitempty"`
	// ImageURL, VideoURL and ProfilePicURL are pre-signed and valid for 24
	// hours.
	ImageURL      string `json:"imageUrl,omitempty"`
	VideoURL      string `json:"videoUrl,omitempty"`
	ProfilePicURL string `json:"profilePicUrl,omitempty"`
	// Audience maps (older README only): percentages 0 to 100 by gender
	// ("male", "female"), age band ("18-24") and country code ("DE",
	// "Other").
	AudienceGender    map[string]float64 `json:"audienceGender,omitempty"`
	AudienceAge       map[string]float64 `json:"audienceAge,omitempty"`
	AudienceCountries map[string]float64 `json:"audienceCountries,omitempty"`
}

// EngagementPercent returns EngagementRate as a percentage (7.45 for
// 0.0745), the unit discovery uses.
func (it ContentItem) EngagementPercent() float64 { return it.EngagementRate * 100 }

// key is the id a watermark names: _id, else contentId.
func (it ContentItem) key() string {
	if it.ID != "" {
		return it.ID
	}
	return it.ContentID
}

// Get returns one page of content (getContent). It costs 1 token per item
// returned, so Limit is required. A 404 (no content matched) is an empty
// page with Empty set, not an error, and costs nothing. With Cursor set it
// continues a pull; with LegacyOffset it uses offset paging; with Since
// it asks from the watermark and leaves out of Items what the watermark
// says was yielded already (see ContentParams.Since). The answer's
// tokensDeducted, when present, wins over the item count; with a Budget
// the call reserves Limit tokens, the most it can cost (ErrBudgetExceeded,
// nothing sent, when they do not fit).
func (s *ContentService) Get(ctx context.Context, p ContentParams) (*ContentPage, error) {
	if err := p.check(opContent, true); err != nil {
		return nil, err
	}
	return s.get(ctx, p, p.Limit, p.Cursor, p.Offset)
}

func (s *ContentService) get(ctx context.Context, p ContentParams, limit int, cursor string, offset int) (*ContentPage, error) {
	var pg ContentPage
	if _, err := s.c.t.Do(ctx, p.request(limit, cursor, offset), (*contentPageJSON)(&pg)); err != nil {
		var e *Error
		if errors.As(err, &e) && e.StatusCode == http.StatusNotFound {
			return &ContentPage{Items: []ContentItem{}, Empty: true, Legacy: p.LegacyOffset, Raw: json.RawMessage(e.Body),
				Response: &ResponseMeta{StatusCode: http.StatusNotFound, RequestID: e.RequestID, Attempts: e.Attempts}}, nil
		}
		return nil, err
	}
	s.c.balance.report(pg.TokensRemaining)
	pg.received = len(pg.Items)
	if seen := p.Since.seen(); len(seen) > 0 {
		kept := pg.Items[:0:0]
		for _, it := range pg.Items {
			if seen[it.key()] {
				pg.dropped = append(pg.dropped, it)
			} else {
				kept = append(kept, it)
			}
		}
		pg.Items = kept
	}
	return &pg, nil
}
