package hypeauditor

import (
	"bytes"
	"context"
	"encoding/json"
	"iter"
	"net/http"
	"reflect"

	"github.com/creatorkit/creatorkit-go/internal/jsonx"
	"github.com/creatorkit/creatorkit-go/internal/paging"
	"github.com/creatorkit/creatorkit-go/internal/transport"
)

// DiscoveryService searches HypeAuditor's creator database
// (auditor.search) and suggests accounts by name (auditor.suggester).
type DiscoveryService struct{ c *Client }

// SearchPageSize is the number of results on a discovery page.
const SearchPageSize = 20

// DefaultSearchMaxPages caps SearchAll on a live search unless
// WithMaxPages says otherwise: every page of a live search spends one
// discovery request, so a loop cannot drain the plan by accident. The
// sandbox's pages (SearchSandboxAll) are free and have no default cap.
const DefaultSearchMaxPages = 5

// Range is a {from, to} filter; either end may be left open. Build one
// with Between, AtLeast or AtMost.
type Range struct {
	From *float64 `json:"from,omitempty"`
	To   *float64 `json:"to,omitempty"`
}

// Between returns the range from..to.
func Between(from, to float64) *Range { return &Range{From: &from, To: &to} }

// AtLeast returns the range from.. (open above).
func AtLeast(from float64) *Range { return &Range{From: &from} }

// AtMost returns the range ..to (open below).
func AtMost(to float64) *Range { return &Range{To: &to} }

// SearchParams are the discovery filters, sent as the JSON body of
// auditor.search. Platform (sent as social_network) is required;
// everything else is optional.
//
// The filters the official Twitch example shows are documented [DOC]
// (social_network, page, search, subscribers_count, account_geo.country,
// account_languages, account_has_contacts, audience_geo.countries,
// audience_gender, growth, the twitch_* filters, sort); so are the ones of
// the published YouTube, TikTok and Instagram request examples
// [DOC-COPY] (thematics, category, account_geo.city, account_age,
// account_gender, account_type, account_has_launched_advertising,
// account_mentions, blogger_prices, er, aqs, cqs, likes_avg, alikes_avg,
// views_avg, comments_avg, shares_avg, reels_video_views_avg,
// shorts_video_views_avg, likes_growth_prc, audience_age,
// audience_geo.cities, interests, ethnicity, income, last_media_time,
// media_count, comments_rate, reactions_rate, similar); the rest come from
// open-source clients [CLIENT]. Extra sends filters the SDK does not
// model.
type SearchParams struct {
	// Platform is one of DiscoveryPlatforms(), sent as social_network.
	// Required.
	Platform Platform `json:"social_network"`
	// Page is the first page, from 1 (0 means 1).
	Page int `json:"page,omitempty"`

	// Search matches keywords anywhere; SearchContent in content;
	// SearchDescription in the bio [CLIENT].
	Search            []string `json:"search,omitempty"`
	SearchContent     []string `json:"search_content,omitempty"`
	SearchDescription []string `json:"search_description,omitempty"`
	// NicheSearch is a semantic niche phrase [CLIENT].
	NicheSearch string `json:"niche_search,omitempty"`

	SubscribersCount *Range `json:"subscribers_count,omitempty"`
	// ER is the engagement rate in percent [CLIENT].
	ER *Range `json:"er,omitempty"`

	AccountGeo         *AccountGeo `json:"account_geo,omitempty"`
	AccountLanguages   []string    `json:"account_languages,omitempty"`
	AccountHasContacts *bool       `json:"account_has_contacts,omitempty"`
	// AccountGender is "male" or "female" (Instagram, TikTok) [CLIENT].
	AccountGender string `json:"account_gender,omitempty"`
	// AccountAge is the creator's age (Instagram) [CLIENT].
	AccountAge *Range `json:"account_age,omitempty"`
	// AccountType is "human" or "brand" [CLIENT].
	AccountType                   string          `json:"account_type,omitempty"`
	AccountHasLaunchedAdvertising *bool           `json:"account_has_launched_advertising,omitempty"`
	AccountMentions               *MentionsFilter `json:"account_mentions,omitempty"`
	// Verified keeps verified accounts only; sent as "verified": 1
	// [CLIENT].
	Verified bool `json:"-"`
	// Category includes or excludes taxonomy ids (the TikTok and
	// Instagram examples); Thematics does the same in the YouTube example,
	// with the ids of features.blogger_thematics [DOC-COPY].
	Category  *CategoryFilter  `json:"category,omitempty"`
	Thematics *CategoryFilter  `json:"thematics,omitempty"`
	Interests []InterestFilter `json:"interests,omitempty"`

	AudienceGeo    *AudienceGeoFilter    `json:"audience_geo,omitempty"`
	AudienceGender *AudienceGenderFilter `json:"audience_gender,omitempty"`
	AudienceAge    *AudienceAgeFilter    `json:"audience_age,omitempty"`
	// AudienceLang is named by clients without a shape; it is sent as
	// given [CLIENT].
	AudienceLang json.RawMessage   `json:"audience_lang,omitempty"`
	Ethnicity    []EthnicityFilter `json:"ethnicity,omitempty"`
	Income       *IncomeFilter     `json:"income,omitempty"`

	// AQS (Instagram) and CQS (YouTube) are quality-score ranges [CLIENT].
	AQS *Range `json:"aqs,omitempty"`
	CQS *Range `json:"cqs,omitempty"`
	// CommentsRate and ReactionsRate keep accounts whose rate has one of
	// the marks (see FilterMarks()) [DOC-COPY].
	CommentsRate  *MarksFilter `json:"comments_rate,omitempty"`
	ReactionsRate *MarksFilter `json:"reactions_rate,omitempty"`
	// Growth is the subscriber growth in percent over a period, which is
	// required [DOC]; LikesGrowthPrc is the likes growth, whose period may
	// be left out (the TikTok example sends only "from") [DOC-COPY]. See
	// GrowthPeriods().
	Growth         *GrowthFilter `json:"growth,omitempty"`
	LikesGrowthPrc *GrowthFilter `json:"likes_growth_prc,omitempty"`
	// LastMediaTime is a unix-seconds range of the latest post [CLIENT].
	LastMediaTime *Range `json:"last_media_time,omitempty"`

	MediaCount *Range `json:"media_count,omitempty"`
	LikesCount *Range `json:"likes_count,omitempty"`
	// LikesAvg is the average likes per post (the TikTok example)
	// [DOC-COPY].
	LikesAvg            *Range        `json:"likes_avg,omitempty"`
	AlikesAvg           *Range        `json:"alikes_avg,omitempty"`
	ViewsAvg            *Range        `json:"views_avg,omitempty"`
	CommentsAvg         *Range        `json:"comments_avg,omitempty"`
	SharesAvg           *Range        `json:"shares_avg,omitempty"`
	ReelsVideoViewsAvg  *Range        `json:"reels_video_views_avg,omitempty"`
	ShortsVideoViewsAvg *Range        `json:"shorts_video_views_avg,omitempty"`
	BloggerPrices       *PricesFilter `json:"blogger_prices,omitempty"`

	// Twitch filters [DOC].
	TwitchLiveViewersAvg    *Range             `json:"twitch_live_viewers_avg,omitempty"`
	TwitchActiveDaysPerWeek *Range             `json:"twitch_active_days_per_week,omitempty"`
	TwitchHoursStreamed     *Range             `json:"twitch_hours_streamed,omitempty"`
	TwitchGames             *TwitchGamesFilter `json:"twitch_games,omitempty"`

	// Twitter filters [CLIENT].
	TwitterLikes   *Range `json:"twitter_likes,omitempty"`
	TwitterReplies *Range `json:"twitter_replies,omitempty"`
	TwitterRetweet *Range `json:"twitter_retweet,omitempty"`
	TwitterTweet   *Range `json:"twitter_tweet,omitempty"`

	// UsernameExclude leaves accounts out; Similar finds lookalikes of a
	// username [CLIENT].
	UsernameExclude []string `json:"username_exclude,omitempty"`
	Similar         string   `json:"similar,omitempty"`

	Sort *Sort `json:"sort,omitempty"`

	// Extra adds filters the SDK does not model; a key the SDK already
	// sends is refused.
	Extra map[string]any `json:"-"`
}

// AccountGeo filters on where the creator is: lowercase ISO 3166 alpha-2
// countries [DOC] and geonames city ids [CLIENT].
type AccountGeo struct {
	Country []string `json:"country,omitempty"`
	City    []int    `json:"city,omitempty"`
}

// MentionsFilter includes or excludes accounts mentioned.
type MentionsFilter struct {
	Include []string `json:"include,omitempty"`
	Exclude []string `json:"exclude,omitempty"`
}

// CategoryFilter includes or excludes taxonomy ids (positive integers).
type CategoryFilter struct {
	Include []int `json:"include,omitempty"`
	Exclude []int `json:"exclude,omitempty"`
}

// InterestFilter asks for an audience interest's share.
type InterestFilter struct {
	ID  int     `json:"id"`
	Prc float64 `json:"prc,omitempty"`
}

// AudienceGeoFilter asks for at least Prc percent of the audience in a
// country (lowercase code) or city (geonames id).
type AudienceGeoFilter struct {
	Countries []CountryShareFilter `json:"countries,omitempty"`
	Cities    []CityShareFilter    `json:"cities,omitempty"`
}

// CountryShareFilter is one country of AudienceGeoFilter.
type CountryShareFilter struct {
	ID  string  `json:"id"`
	Prc float64 `json:"prc"`
}

// CityShareFilter is one city of AudienceGeoFilter.
type CityShareFilter struct {
	ID  int     `json:"id"`
	Prc float64 `json:"prc"`
}

// AudienceGenderFilter asks for at least Prc percent of one gender
// ("male" or "female").
type AudienceGenderFilter struct {
	Gender string  `json:"gender"`
	Prc    float64 `json:"prc"`
}

// AudienceAgeGroups returns the age groups AudienceAgeFilter takes (a new
// slice on each call).
func AudienceAgeGroups() []string {
	return []string{"13_17", "18_24", "25_34", "35_44", "45_54", "55_64", "65"}
}

// AudienceAgeFilter asks for at least Prc percent of the audience in the
// groups.
type AudienceAgeFilter struct {
	Groups []string `json:"groups"`
	Prc    float64  `json:"prc"`
}

// EthnicityFilter asks for a share of an ethnic group (Instagram).
type EthnicityFilter struct {
	Race string  `json:"race"`
	Prc  float64 `json:"prc"`
}

// IncomeFilter asks for a share of an income bracket ("25k_50k") on
// Instagram.
type IncomeFilter struct {
	ID  string  `json:"id"`
	Prc float64 `json:"prc"`
}

// MarksFilter keeps accounts whose metric has one of the marks (see
// FilterMarks()).
type MarksFilter struct {
	Marks []string `json:"marks"`
}

// FilterMarks returns the marks a MarksFilter takes, worst to best (a new
// slice on each call).
func FilterMarks() []string {
	return []string{"poor", "fair", "average", "good", "very_good", "excellent"}
}

// GrowthPeriods returns the periods a GrowthFilter takes (a new slice on
// each call). The published discovery examples send "7d" [DOC-COPY]; the
// official Twitch example sends "365d" [DOC]; clients list 7d to 365d
// [CLIENT].
func GrowthPeriods() []string { return []string{"7d", "30d", "90d", "180d", "365d"} }

// GrowthFilter is a growth range in percent over a period (one of
// GrowthPeriods()). Period is required for growth and may be left out for
// likes_growth_prc, as the published TikTok example does.
type GrowthFilter struct {
	Period string   `json:"period,omitempty"`
	From   *float64 `json:"from,omitempty"`
	To     *float64 `json:"to,omitempty"`
}

// PricesFilter filters on the estimated post price.
type PricesFilter struct {
	PostPrice *Range `json:"post_price,omitempty"`
}

// TwitchGamesFilter keeps streamers of the games (ids from HypeAuditor's
// Twitch Games list) over a period in days.
type TwitchGamesFilter struct {
	Games  []int `json:"games"`
	Period int   `json:"period,omitempty"`
}

// Sort orders the results: Field such as "subscribers_count" or "er",
// Order "asc" or "desc".
type Sort struct {
	Field string `json:"field"`
	Order string `json:"order,omitempty"`
}

// SearchPage is one page of discovery results.
//
// It has Raw (the body as received) and Response (the response's metadata:
// status, request id, headers, DecodeIssues).
type SearchPage struct {
	Results []SearchResult `json:"search_results,omitzero"`
	// List is where an older API build put the results [CLIENT]; Items
	// reads whichever is set.
	List        []SearchResult `json:"list,omitzero"`
	CurrentPage Int            `json:"current_page"`
	// TotalPages is how many pages the search has; SearchAll stops after
	// the last. Control field: an answer where it does not fit is
	// ErrUnexpectedResponse.
	TotalPages Int `json:"total_pages" creatorkit:"control"`
	// QueriesLeft is the number of discovery requests left.
	QueriesLeft *Int `json:"queries_left,omitempty"`
	// Sandbox is true when the page came from auditor.searchSandbox.
	Sandbox bool `json:"-"`

	// Raw is the response body as received.
	Raw json.RawMessage `json:"-"`
	// Response is the metadata of the response.
	Response *ResponseMeta `json:"-"`
}

// Items returns the page's results.
func (p *SearchPage) Items() []SearchResult {
	if len(p.Results) > 0 {
		return p.Results
	}
	return p.List
}

// SearchResult is one creator found. The shape comes from the published
// discovery answers (YouTube, TikTok, Instagram) and from clients: metrics
// decode into Metric, features into SearchFeatures. Raw is the result as
// received.
//
// It has Raw (the result as received) and no Response: its page's is
// SearchPage.Response.
type SearchResult struct {
	Basic    Basic             `json:"basic,omitzero"`
	Metrics  map[string]Metric `json:"metrics,omitzero"`
	Features SearchFeatures    `json:"features,omitzero"`

	// Raw is the result as received.
	Raw json.RawMessage `json:"-"`
}

// searchResultFields is SearchResult without its methods, for decoding.
type searchResultFields SearchResult

// decodeSearchResult is the tolerant decoding of SearchResult (registered with
// jsonx.Register): it decodes the result and keeps it as received in Raw.
func decodeSearchResult(d *jsonx.Decoder, b []byte, r *SearchResult) {
	*r = SearchResult{}
	if decodeLenient(d, b, (*searchResultFields)(r)) {
		r.Raw = append(json.RawMessage(nil), bytes.TrimSpace(b)...)
	}
}

// UnmarshalJSON decodes the result and keeps it as received in Raw.
func (r *SearchResult) UnmarshalJSON(b []byte) error { return jsonx.StrictFor(b, r) }

// Metric returns a metric by name, or nil.
func (r SearchResult) Metric(name string) *Metric {
	if m, ok := r.Metrics[name]; ok {
		return &m
	}
	return nil
}

// Feature decodes a feature, typed or not, into out, whether it is
// wrapped as {"data": ...} or not; it reports whether it was present and
// fitted out.
func (r SearchResult) Feature(name string, out any) bool {
	return decodeMaybeWrapped(r.Features.raw(name), out)
}

// SocialNetworks returns the creator's linked accounts.
func (r SearchResult) SocialNetworks() []SocialNetwork {
	if r.Features.SocialNetworks != nil {
		return r.Features.SocialNetworks
	}
	var out []SocialNetwork
	r.Feature("social_networks", &out)
	return out
}

// key identifies the creator for SearchAll's de-duplication: basic.id,
// else the social id of its account on the network searched, else the
// username (the published Instagram answer sends no basic.id).
func (r SearchResult) key(n Platform) string {
	if r.Basic.ID != "" {
		return "id:" + string(r.Basic.ID)
	}
	for _, sn := range r.SocialNetworks() {
		if sn.SocialID != "" && (sn.Type == "" || sn.Type.Platform() == n) {
			return "id:" + string(sn.SocialID)
		}
	}
	if r.Basic.Username != "" {
		return "username:" + r.Basic.Username
	}
	return ""
}

// SearchFeatures are a discovery result's features. The published
// answers send cqs (YouTube) and aqs (Instagram, TikTok) as
// {"data": {"mark": ...}}, social_networks as a bare list (not wrapped in
// data, unlike in reports), and search_content and blogger_thematics as
// lists; each decodes into its typed field. Any other feature, and a
// known one in a shape its field cannot hold, is kept as received in
// Other, so nothing is lost (read any feature with SearchResult.Feature).
type SearchFeatures struct {
	// AQS is Instagram's and TikTok's Audience Quality Score; discovery
	// sends its mark.
	AQS *Feature[*AQS] `json:"aqs,omitempty"`
	// CQS is YouTube's Channel Quality Score; discovery sends its mark.
	CQS *Feature[*CQS] `json:"cqs,omitempty"`
	// SocialNetworks are the creator's accounts.
	SocialNetworks []SocialNetwork `json:"social_networks,omitzero"`
	// SearchContent is empty in every published answer; its entries'
	// shape is not known, so they are kept as received.
	SearchContent []json.RawMessage `json:"search_content,omitzero"`
	// BloggerThematics are taxonomy ids.
	BloggerThematics []Int `json:"blogger_thematics,omitzero"`

	// Other holds the features without a typed field, as received.
	Other map[string]json.RawMessage `json:"-"`
}

// searchFeaturesFields is SearchFeatures without its methods.
type searchFeaturesFields SearchFeatures

// field returns the typed field of a feature name, or nil.
func (f *SearchFeatures) field(name string) any {
	switch name {
	case "aqs":
		return &f.AQS
	case "cqs":
		return &f.CQS
	case "social_networks":
		return &f.SocialNetworks
	case "search_content":
		return &f.SearchContent
	case "blogger_thematics":
		return &f.BloggerThematics
	}
	return nil
}

// decodeSearchFeatures is the tolerant decoding of SearchFeatures (registered with
// jsonx.Register): it decodes the typed features and keeps the rest in Other.
func decodeSearchFeatures(d *jsonx.Decoder, b []byte, f *SearchFeatures) {
	*f = SearchFeatures{}
	var check map[string]json.RawMessage
	if !decodeLenient(d, b, &check) {
		return
	}
	members, _ := jsonx.Members(b) // in the document's order, so issues are too
	for _, m := range members {
		name, raw := m.Name, m.Raw
		target := f.field(name)
		if target == nil {
			f.keep(name, raw)
			continue
		}
		if json.Unmarshal(raw, target) == nil {
			continue
		}
		reflect.ValueOf(target).Elem().SetZero()
		if !d.Field(name, raw, target) {
			f.keep(name, raw) // another shape: kept whole, and reported
		}
	}
}

func (f *SearchFeatures) keep(name string, raw json.RawMessage) {
	if f.Other == nil {
		f.Other = map[string]json.RawMessage{}
	}
	f.Other[name] = raw
}

// UnmarshalJSON decodes the typed features and keeps the rest in Other.
func (f *SearchFeatures) UnmarshalJSON(b []byte) error { return jsonx.StrictFor(b, f) }

// MarshalJSON writes the typed features and Other.
func (f SearchFeatures) MarshalJSON() ([]byte, error) {
	typed, err := json.Marshal(searchFeaturesFields(f))
	if err != nil || len(f.Other) == 0 {
		return typed, err
	}
	all := map[string]json.RawMessage{}
	if err := json.Unmarshal(typed, &all); err != nil {
		return nil, err
	}
	for k, v := range f.Other {
		if _, set := all[k]; !set {
			all[k] = v
		}
	}
	return json.Marshal(all)
}

// IsZero reports whether no feature was sent.
func (f SearchFeatures) IsZero() bool {
	return f.AQS == nil && f.CQS == nil && f.SocialNetworks == nil && f.SearchContent == nil && f.BloggerThematics == nil && len(f.Other) == 0
}

// raw returns a feature's JSON: Other's, or its typed field's encoding.
func (f SearchFeatures) raw(name string) json.RawMessage {
	if raw, ok := f.Other[name]; ok {
		return raw
	}
	target := f.field(name)
	if target == nil || reflect.ValueOf(target).Elem().IsZero() {
		return nil
	}
	b, err := json.Marshal(reflect.ValueOf(target).Elem().Interface())
	if err != nil {
		return nil
	}
	return b
}

// Search returns one page of creators matching the filters (page p.Page,
// from 1; 20 results a page). A live search spends one discovery request
// per page (UnitDiscoveryQueries: reserved against WithDiscoveryBudget,
// ErrBudgetExceeded with nothing sent when it cannot hold it) and is never
// resent once it may have reached HypeAuditor: a lost answer is
// ErrOutcomeUnknown, counted as SpentUnknown (429s and connection
// failures before sending are still retried). SearchSandbox searches for
// free.
func (s *DiscoveryService) Search(ctx context.Context, p SearchParams) (*SearchPage, error) {
	return s.searchPage(ctx, "Discovery.Search", false, p)
}

// SearchSandbox is Search on auditor.searchSandbox: the same filters and
// answer, free (it spends no discovery request and reserves nothing
// against WithDiscoveryBudget) and made of canned data. Use it to try
// filters. Being free, it is retried like any read.
func (s *DiscoveryService) SearchSandbox(ctx context.Context, p SearchParams) (*SearchPage, error) {
	return s.searchPage(ctx, "Discovery.SearchSandbox", true, p)
}

func (s *DiscoveryService) searchPage(ctx context.Context, op string, sandbox bool, p SearchParams) (*SearchPage, error) {
	if err := p.check(op); err != nil {
		return nil, err
	}
	body, err := p.body(op, max(p.Page, 1))
	if err != nil {
		return nil, err
	}
	return s.search(ctx, op, sandbox, body)
}

// SearchAll iterates over the results page by page, fetching the next
// page only when the loop reaches it and stopping after WithMaxPages pages
// (default DefaultSearchMaxPages, 5, for a live search; no cap for the
// free sandbox, SearchSandboxAll), WithMaxItems results, the last page,
// or a short page. Each live page spends a discovery request. It yields
// the elements of Search's page (SearchPage.Items); WithPageFunc sees each
// page. Bad params or options are yielded as the first and only error;
// the caller's params are not changed.
//
// Pages are numbered when each is read: creators entering the database
// during the walk push rows already yielded onto the next page, and
// SearchAll yields each creator once (by basic.id, else the social id of
// its account on the network searched, else its username); creators
// leaving it pull rows onto pages already read, and those are missed.
//
// A page that fails yields the transport's error and ends the walk: a 429
// or a lost connection before the request was sent is retried by the
// transport (WithMaxRetries) first; a live page whose request may have
// reached HypeAuditor is never resent (it ends the walk with
// ErrOutcomeUnknown), so no page is paid twice. With
// WithDiscoveryBudget, the walk stops at the first page the budget cannot
// hold: it yields ErrBudgetExceeded once and never sends that page.
func (s *DiscoveryService) SearchAll(ctx context.Context, p SearchParams, opts ...ListOption) iter.Seq2[SearchResult, error] {
	return s.searchAll(ctx, "Discovery.SearchAll", false, p, opts)
}

// SearchSandboxAll is SearchAll on the free sandbox (SearchSandbox): no
// page spends anything, so there is no page cap unless WithMaxPages sets
// one.
func (s *DiscoveryService) SearchSandboxAll(ctx context.Context, p SearchParams, opts ...ListOption) iter.Seq2[SearchResult, error] {
	return s.searchAll(ctx, "Discovery.SearchSandboxAll", true, p, opts)
}

func (s *DiscoveryService) searchAll(ctx context.Context, op string, sandbox bool, p SearchParams, opts []ListOption) iter.Seq2[SearchResult, error] {
	def := paging.Limits{MaxPages: DefaultSearchMaxPages}
	if sandbox {
		def = paging.Limits{}
	}
	lc, err := listOptions(op, def, true, opts)
	if err == nil {
		err = p.check(op)
	}
	if err != nil {
		return paging.Fail[SearchResult](err)
	}
	return sdkErrors(s.c, op, paging.PageNumber(ctx, max(p.Page, 1), SearchPageSize, func(ctx context.Context, page int) ([]SearchResult, int, error) {
		body, err := p.body(op, page)
		if err != nil {
			return nil, 0, err
		}
		sp, err := s.search(ctx, op, sandbox, body)
		if err != nil {
			return nil, 0, err
		}
		if lc.pageFunc != nil {
			lc.pageFunc(sp)
		}
		total := int(sp.TotalPages)
		if total <= 0 {
			total = -1
		}
		return sp.Items(), total, nil
	}, lc.lim, paging.UniqueBy(func(r SearchResult) string { return r.key(p.Platform) })))
}

func (s *DiscoveryService) search(ctx context.Context, op string, sandbox bool, body json.RawMessage) (*SearchPage, error) {
	// A live page spends one discovery query [CLIENT]: reserved against
	// WithDiscoveryBudget, never resent once it may have reached
	// HypeAuditor, Spent on a success answer (see doQuery).
	req := transport.Request{Op: op, Method: http.MethodPost, Path: "auditor.search", Body: body, Retry: transport.RetryOnce,
		Spend: transport.Spend{Cost: 1, Unit: UnitDiscoveryQueries}}
	if sandbox {
		req.Path, req.Retry, req.Spend = "auditor.searchSandbox", transport.RetryIdempotent, transport.Spend{}
	}
	sp, err := doQuery[SearchPage](ctx, s.c, req, "result.search_results", "result.list")
	if err != nil {
		return nil, err
	}
	sp.Sandbox = sandbox
	return sp, nil
}

// body renders the JSON body of one page.
func (p SearchParams) body(op string, page int) (json.RawMessage, error) {
	p.Page = page
	type plain SearchParams
	b, err := json.Marshal(plain(p))
	if err != nil {
		return nil, invalidParams(op, "body", "cannot encode the filters: %v", err)
	}
	if !p.Verified && len(p.Extra) == 0 {
		return b, nil
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, invalidParams(op, "body", "cannot encode the filters: %v", err)
	}
	if p.Verified {
		m["verified"] = json.RawMessage("1")
	}
	for k, v := range p.Extra {
		if _, taken := m[k]; taken {
			return nil, invalidParams(op, "extra", "filter %q is already set by a typed field", k)
		}
		enc, err := json.Marshal(v)
		if err != nil {
			return nil, invalidParams(op, "extra", "cannot encode filter %q: %v", k, err)
		}
		m[k] = enc
	}
	return json.Marshal(m)
}

func init() {
	jsonx.Register(decodeSearchResult)
	jsonx.Register(decodeSearchFeatures)
}
