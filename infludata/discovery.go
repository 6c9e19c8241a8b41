package infludata

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"github.com/creatorkit/creatorkit-go/internal/check"
	"github.com/creatorkit/creatorkit-go/internal/jsonx"
	"github.com/creatorkit/creatorkit-go/internal/paging"
	"github.com/creatorkit/creatorkit-go/internal/transport"
)

// DiscoveryService searches the creator database and lists the cities its
// city filter takes.
type DiscoveryService struct{ c *Client }

// SearchPageSize is the number of creators per discovery page; skipCount
// moves in steps of it.
const SearchPageSize = 20

// DefaultSearchPages is SearchAll's page cap unless WithMaxPages says
// otherwise: every page costs a token.
const DefaultSearchPages = 5

// Category is a creator category of the discovery filter.
type Category string

// The 26 documented creator categories.
const (
	CategoryFashion        Category = "fashion"        // Fashion & Style
	CategoryFitness        Category = "fitness"        // Fitness & Wellness
	CategoryBeauty         Category = "beauty"         // Beauty & Cosmetics
	CategorySports         Category = "sports"         // Athletics & Sports
	CategoryFood           Category = "food"           // Food & Drink
	CategoryDiet           Category = "diet"           // Healthy Nutrition & Diet
	CategoryVeganism       Category = "veganism"       // Veganism & Vegetarianism
	CategoryTravel         Category = "travel"         // Travel & Adventure
	CategoryBooks          Category = "books"          // Books & Literature
	CategoryInterior       Category = "interior"       // Home & Interior Design
	CategoryComedy         Category = "comedy"         // Comedy
	CategoryTech           Category = "tech"           // Technology & Gadgets
	CategoryArt            Category = "art"            // Art & Creativity
	CategoryLifestyle      Category = "lifestyle"      // Lifestyle
	CategoryEducation      Category = "education"      // Education & Learning
	CategoryFamily         Category = "family"         // Parenting & Family
	CategoryMedia          Category = "media"          // Entertainment & Media
	CategoryMusic          Category = "music"          // Music
	CategoryLGBTQ          Category = "lgbtq"          // LGBTQ+
	CategoryGaming         Category = "gaming"         // Gaming
	CategoryBusiness       Category = "business"       // Business & Finance
	CategoryAutomotive     Category = "automotive"     // Automotive & Vehicles
	CategorySustainability Category = "sustainability" // Sustainability & Environment
	CategoryAnimals        Category = "animals"        // Animals & Pets
	CategoryCharity        Category = "charity"        // Charity & Activism
	CategoryPolitics       Category = "politics"       // Politics
)

// Categories returns every documented category, in the documentation's
// order (a fresh slice on each call).
func Categories() []Category {
	return []Category{CategoryFashion, CategoryFitness, CategoryBeauty, CategorySports, CategoryFood, CategoryDiet,
		CategoryVeganism, CategoryTravel, CategoryBooks, CategoryInterior, CategoryComedy, CategoryTech, CategoryArt,
		CategoryLifestyle, CategoryEducation, CategoryFamily, CategoryMedia, CategoryMusic, CategoryLGBTQ, CategoryGaming,
		CategoryBusiness, CategoryAutomotive, CategorySustainability, CategoryAnimals, CategoryCharity, CategoryPolitics}
}

// KeywordField restricts a keyword search to one field.
type KeywordField string

// Keyword fields.
const (
	FieldBio      KeywordField = "bio"
	FieldHashtags KeywordField = "hashtags"
	FieldContent  KeywordField = "content"
	// FieldWebsite works on Instagram, TikTok and YouTube.
	FieldWebsite KeywordField = "website"
)

// SortField is what discovery results are ordered by.
type SortField string

// Sort fields.
const (
	SortRelevance      SortField = "relevance"
	SortUsername       SortField = "username"
	SortProfileScore   SortField = "profileScore"
	SortFollowers      SortField = "followers"
	SortViewsPost      SortField = "viewsPost"
	SortEngagementMean SortField = "engagementMean"
	SortGrowthRate     SortField = "growthRate"
	// SortTotalViews is TikTok only.
	SortTotalViews SortField = "totalViews"
	// SortAverageViewers is Twitch only.
	SortAverageViewers SortField = "averageViewers"
	// SortReelPlays is Instagram only (README).
	SortReelPlays SortField = "reelPlays"
)

// SortDirection is ascending or descending.
type SortDirection string

// Sort directions.
const (
	Asc  SortDirection = "asc"
	Desc SortDirection = "desc"
)

// Sort orders discovery results. The zero Sort leaves the API's default
// (profile score). The seed documents the direction-prefixed form
// ("descFollowers"); a Sort without a Direction sends the bare field
// ("followers"), the README's form.
type Sort struct {
	Field     SortField
	Direction SortDirection
}

// String renders the sorting parameter: "descFollowers", "ascUsername", or
// the bare field without a direction.
func (s Sort) String() string {
	if s.Field == "" {
		return ""
	}
	if s.Direction == "" {
		return string(s.Field)
	}
	f := string(s.Field)
	return string(s.Direction) + strings.ToUpper(f[:1]) + f[1:]
}

// SearchParams are the discovery filters. Zero values are not sent.
type SearchParams struct {
	// Platform is required (any of the six).
	Platform Platform
	// SkipCount is the offset, a multiple of 20 (Search only; SearchAll
	// starts there).
	SkipCount int
	// Keywords are OR-combined terms; a term with spaces matches as an
	// exact phrase ("personal trainer"). Terms may not hold commas.
	Keywords []string
	// KeywordFields restrict the keyword search (default: all fields).
	KeywordFields []KeywordField
	// Categories filter by creator category.
	Categories []Category
	// Country is the creator's country as a full English name
	// ("Germany", "United States"; case-sensitive).
	Country string
	// City needs Country; Instagram and TikTok only. Valid values come
	// from Cities.
	City string
	// Language is a 2-letter ISO code (en, de, fr; regional codes such as
	// zh-TW are accepted).
	Language string
	// Gender is Male or Female (Instagram and TikTok).
	Gender Gender
	// FollowerMin and FollowerMax bound followers or subscribers. Caps:
	// Instagram 500M, TikTok and YouTube 200M, Twitch 20M.
	FollowerMin, FollowerMax int64
	// EngagementRate is the minimum engagement rate in percent (1 = 1%),
	// 0 to 20.
	EngagementRate float64
	// GrowthRate is the minimum monthly growth rate in percent.
	GrowthRate float64
	// ViewsMin and ViewsMax bound average views per post or video.
	ViewsMin, ViewsMax int64
	// ReelPlaysMin and ReelPlaysMax bound reel plays (Instagram; README).
	ReelPlaysMin, ReelPlaysMax int64
	// AgeMin and AgeMax bound the creator's estimated age, 13 to 80
	// (Instagram and TikTok; README).
	AgeMin, AgeMax int
	// AverageViewersMin and AverageViewersMax bound average live viewers
	// (Twitch; README).
	AverageViewersMin, AverageViewersMax int64
	// BusinessSearch focuses on business and brand accounts (Instagram).
	BusinessSearch bool
	// Sorting orders the results.
	Sorting Sort
}

var followerCaps = map[Platform]int64{Instagram: 500_000_000, TikTok: 200_000_000, YouTube: 200_000_000, Twitch: 20_000_000}

var languageRE = regexp.MustCompile(`^[a-z]{2}(-[A-Za-z]{2,4})?$`)

func checkRange(op, name string, lo, hi int64) error {
	if lo < 0 || hi < 0 {
		return invalidParams(op, name, "%s bounds must be >= 0", name)
	}
	if hi > 0 && lo > hi {
		return invalidParams(op, name, "%s minimum %d is above the maximum %d", name, lo, hi)
	}
	return nil
}

func checkTerms(op, field string, terms []string) error {
	for _, t := range terms {
		if strings.TrimSpace(t) == "" || strings.Contains(t, ",") {
			return invalidParams(op, field, "term %q is blank or holds a comma (terms are comma-separated)", t)
		}
	}
	return nil
}

func (p SearchParams) check(op string) error {
	pl := p.Platform
	if err := checkPlatform(op, pl, Platform.HasDiscovery, "discovery"); err != nil {
		return err
	}
	if p.SkipCount < 0 || p.SkipCount%SearchPageSize != 0 {
		return invalidParams(op, "skipCount", "skipCount must be a non-negative multiple of %d, got %d", SearchPageSize, p.SkipCount)
	}
	if err := checkTerms(op, "keywords", p.Keywords); err != nil {
		return err
	}
	if len(p.KeywordFields) > 0 && len(p.Keywords) == 0 {
		return invalidParams(op, "keywordFields", "keywordFields needs keywords")
	}
	for _, f := range p.KeywordFields {
		if msg := check.OneOf(f, FieldBio, FieldHashtags, FieldContent, FieldWebsite); msg != "" {
			return invalidParams(op, "keywordFields", "keyword field %s", msg)
		}
		if f == FieldWebsite && pl != Instagram && pl != TikTok && pl != YouTube {
			return invalidParams(op, "keywordFields", "the website field is searchable on instagram, tiktok and youtube, not %s", pl)
		}
	}
	for _, c := range p.Categories {
		if msg := check.OneOf(c, Categories()...); msg != "" {
			return invalidParams(op, "categories", "unknown category %q", c)
		}
	}
	if p.City != "" {
		if p.Country == "" {
			return invalidParams(op, "city", "city needs country")
		}
		if !pl.HasDemographicFilters() {
			return invalidParams(op, "city", "the city filter works on instagram and tiktok, not %s", pl)
		}
	}
	if p.Language != "" && !languageRE.MatchString(p.Language) {
		return invalidParams(op, "language", "language must be a 2-letter ISO code such as en, got %q", p.Language)
	}
	if p.Gender != "" {
		if !p.Gender.valid() {
			return invalidParams(op, "gender", "gender must be m or w, got %q", p.Gender)
		}
		if !pl.HasDemographicFilters() {
			return invalidParams(op, "gender", "the gender filter works on instagram and tiktok, not %s", pl)
		}
	}
	if err := checkRange(op, "followers", p.FollowerMin, p.FollowerMax); err != nil {
		return err
	}
	if most, ok := followerCaps[pl]; ok && (p.FollowerMax > most || p.FollowerMin > most) {
		return invalidParams(op, "followerMax", "follower bounds on %s go up to %d", pl, most)
	}
	if p.EngagementRate < 0 || p.EngagementRate > 20 {
		return invalidParams(op, "engagementRate", "engagementRate is a percentage from 0 to 20 (1 = 1%%), got %g", p.EngagementRate)
	}
	if err := checkRange(op, "views", p.ViewsMin, p.ViewsMax); err != nil {
		return err
	}
	if err := checkRange(op, "reelPlays", p.ReelPlaysMin, p.ReelPlaysMax); err != nil {
		return err
	}
	if (p.ReelPlaysMin > 0 || p.ReelPlaysMax > 0) && pl != Instagram {
		return invalidParams(op, "reelPlays", "the reel plays filter works on instagram, not %s", pl)
	}
	if err := checkRange(op, "averageViewers", p.AverageViewersMin, p.AverageViewersMax); err != nil {
		return err
	}
	if (p.AverageViewersMin > 0 || p.AverageViewersMax > 0) && pl != Twitch {
		return invalidParams(op, "averageViewers", "the average viewers filter works on twitch, not %s", pl)
	}
	if p.AgeMin != 0 || p.AgeMax != 0 {
		if !pl.HasDemographicFilters() {
			return invalidParams(op, "age", "the age filter works on instagram and tiktok, not %s", pl)
		}
		for _, a := range []int{p.AgeMin, p.AgeMax} {
			if a != 0 {
				if msg := check.IntRange(a, 13, 80); msg != "" {
					return invalidParams(op, "age", "age %s", msg)
				}
			}
		}
		if p.AgeMax != 0 && p.AgeMin > p.AgeMax {
			return invalidParams(op, "age", "ageMin %d is above ageMax %d", p.AgeMin, p.AgeMax)
		}
	}
	if p.BusinessSearch && !pl.HasBusinessMode() {
		return invalidParams(op, "businessSearch", "business search works on instagram, not %s", pl)
	}
	return p.Sorting.check(op, pl)
}

func (s Sort) check(op string, pl Platform) error {
	if s.Field == "" {
		if s.Direction != "" {
			return invalidParams(op, "sorting", "a sort direction needs a field")
		}
		return nil
	}
	if msg := check.OneOf(s.Field, SortRelevance, SortUsername, SortProfileScore, SortFollowers, SortViewsPost,
		SortEngagementMean, SortGrowthRate, SortTotalViews, SortAverageViewers, SortReelPlays); msg != "" {
		return invalidParams(op, "sorting", "sort field %s", msg)
	}
	if s.Direction != "" && s.Direction != Asc && s.Direction != Desc {
		return invalidParams(op, "sorting", "sort direction must be asc or desc, got %q", s.Direction)
	}
	only := map[SortField]Platform{SortTotalViews: TikTok, SortAverageViewers: Twitch, SortReelPlays: Instagram}
	if want, ok := only[s.Field]; ok && pl != want {
		return invalidParams(op, "sorting", "sorting by %s works on %s, not %s", s.Field, want, pl)
	}
	return nil
}

func join[T ~string](vs []T) string {
	s := make([]string, len(vs))
	for i, v := range vs {
		s[i] = strings.TrimSpace(string(v))
	}
	return strings.Join(s, ",")
}

func setInt(q url.Values, k string, v int64) {
	if v != 0 {
		q.Set(k, strconv.FormatInt(v, 10))
	}
}

func setFloat(q url.Values, k string, v float64) {
	if v != 0 {
		q.Set(k, strconv.FormatFloat(v, 'f', -1, 64))
	}
}

func (p SearchParams) query(skip int) url.Values {
	q := url.Values{}
	q.Set("platform", string(p.Platform))
	q.Set("skipCount", strconv.Itoa(skip))
	if len(p.Keywords) > 0 {
		q.Set("keywords", join(p.Keywords))
	}
	if len(p.KeywordFields) > 0 {
		q.Set("keywordFields", join(p.KeywordFields))
	}
	if len(p.Categories) > 0 {
		q.Set("categories", join(p.Categories))
	}
	for k, v := range map[string]string{"country": p.Country, "city": p.City, "language": p.Language, "gender": string(p.Gender), "sorting": p.Sorting.String()} {
		if v != "" {
			q.Set(k, v)
		}
	}
	setInt(q, "followerMin", p.FollowerMin)
	setInt(q, "followerMax", p.FollowerMax)
	setFloat(q, "engagementRate", p.EngagementRate)
	setFloat(q, "growthRate", p.GrowthRate)
	setInt(q, "viewsMin", p.ViewsMin)
	setInt(q, "viewsMax", p.ViewsMax)
	setInt(q, "reelPlaysMin", p.ReelPlaysMin)
	setInt(q, "reelPlaysMax", p.ReelPlaysMax)
	setInt(q, "ageMin", int64(p.AgeMin))
	setInt(q, "ageMax", int64(p.AgeMax))
	setInt(q, "averageViewersMin", p.AverageViewersMin)
	setInt(q, "averageViewersMax", p.AverageViewersMax)
	if p.BusinessSearch {
		q.Set("businessSearch", "true")
	}
	return q
}

// SearchPage is one page of discovery results. Count is its control field
// (SearchAll pages by it): a count of the wrong type fails the call with
// ErrUnexpectedResponse rather than ending the walk early. Any other value
// that does not fit its type is left zero and listed in
// Response.DecodeIssues.
//
// It has Raw (the response body as received) and Response (the
// response's metadata: status, request id, headers, decode issues).
type SearchPage struct {
	// Users are up to 20 creators.
	Users []DiscoveredCreator `json:"users"`
	// Count is the total number of matches.
	Count int `json:"count" creatorkit:"control"`
	// DataSuccess is influData's success flag.
	DataSuccess bool `json:"dataSuccess"`
	// TokensDeducted and TokensRemaining, when the response reports them
	// (the documented cost is 1 per page).
	TokensDeducted  *int `json:"tokensDeducted,omitempty"`
	TokensRemaining *int `json:"tokensRemaining,omitempty"`

	// SkipCount is the offset this page was fetched at.
	SkipCount int `json:"-"`

	Raw      json.RawMessage `json:"-"`
	Response *ResponseMeta   `json:"-"`
}

// Next returns the skipCount of the following page, and false when this
// page is the last (short, or the total is reached).
func (p *SearchPage) Next() (int, bool) {
	next := p.SkipCount + SearchPageSize
	return next, len(p.Users) >= SearchPageSize && next < p.Count
}

// DiscoveredCreator is one discovery result.
//
// It has no Raw or Response of its own: they are its page's (SearchPage;
// Discovery.Search returns the page).
type DiscoveredCreator struct {
	// ID is influData's internal id (_id); pass it as GetProfileParams.ID.
	ID          string   `json:"_id"`
	Username    string   `json:"username"`
	DisplayName string   `json:"displayName,omitempty"`
	Followers   int64    `json:"followers"`
	Platform    Platform `json:"platform"`
	Country     string   `json:"country,omitempty"`
	// EngagementMean is the mean engagement rate as a percentage: 4.2
	// means 4.2%. (getContent's ContentItem.EngagementRate is a fraction:
	// 0.0745 means 7.45%.)
	EngagementMean *float64 `json:"engagementMean,omitempty"`
	// Score is the keyword relevance, 0 to 100, set when keywords are used.
	Score *float64 `json:"score,omitempty"`
}

// Search returns one page of up to 20 creators matching the filters, at
// p.SkipCount (discovery). It costs 1 token (or the tokensDeducted the
// answer reports), and counts toward the fair-usage limit of 100 searches
// an hour the client paces itself by (WithFairUsage).
func (s *DiscoveryService) Search(ctx context.Context, p SearchParams) (*SearchPage, error) {
	if err := p.check(opSearch); err != nil {
		return nil, err
	}
	return s.search(ctx, p, p.SkipCount)
}

func (s *DiscoveryService) search(ctx context.Context, p SearchParams, skip int) (*SearchPage, error) {
	var pg SearchPage
	if _, err := s.c.t.Do(ctx, transport.Request{Op: opSearch, Method: "GET", Path: "discovery", Route: "discovery", Query: p.query(skip), Retry: transport.RetryOnce,
		ErrorsHaveNoEffect: true, Spend: searchSpend, Pace: paceDiscovery}, &pg); err != nil {
		return nil, err
	}
	pg.SkipCount = skip
	s.c.balance.report(pg.TokensRemaining)
	return &pg, nil
}

// SearchAll iterates over the matching creators from p.SkipCount on,
// fetching a page (1 token) only when the loop reaches it: nothing is
// prefetched, break stops it, and it stops by itself after the last page
// (a short page, or the total count). It yields the elements of
// SearchPage.Users, so it is Search walked page by page.
//
// Caps: at most DefaultSearchPages pages (100 creators, 5 tokens) unless
// WithMaxPages says otherwise (a negative value: no page cap), and
// WithMaxItems creators when given. The two caps are independent:
// WithMaxItems(200) alone still stops after 5 pages; add WithMaxPages(10)
// or WithMaxPages(-1) to walk further. Bad params are yielded as the first
// and only error.
//
// With a Budget (WithBudget), a page the budget cannot hold (1 token) is
// not fetched: SearchAll yields ErrBudgetExceeded once, nothing sent, and
// ends. Pages are paced by the fair-usage limit too (100 an hour by
// default; see WithFairUsage): a long walk waits for room.
//
// Each page is one call: the transport retries a 429 or a 5xx
// (WithMaxRetries; influData charges no failed request), and a failure
// that outlasts the retries ends the walk with that error, yielded once.
// An answer lost after it may have been charged (ErrOutcomeUnknown) is
// never bought twice.
//
// Pages move by skip count, so a database that changes during the walk
// shifts them: a creator entering it ahead of the walk's position pushes
// the rows below down, and the next page starts with rows already seen.
// SearchAll yields each creator (by _id) at most once, so such repeats are
// dropped; a creator leaving the database ahead of the position pulls rows
// up, and the row that crosses the page boundary is missed. Walk again, or
// narrow the filters, when completeness matters more than cost.
func (s *DiscoveryService) SearchAll(ctx context.Context, p SearchParams, opts ...ListOption) iter.Seq2[DiscoveredCreator, error] {
	lim, err := listLimits(opSearchAll, paging.Limits{MaxPages: DefaultSearchPages}, opts)
	if err != nil {
		return paging.Fail[DiscoveredCreator](err)
	}
	if err := p.check(opSearchAll); err != nil {
		return paging.Fail[DiscoveredCreator](err)
	}
	return paging.SkipCount(ctx, p.SkipCount, SearchPageSize, func(ctx context.Context, skip int) ([]DiscoveredCreator, int, error) {
		pg, err := s.search(ctx, p, skip)
		if err != nil {
			return nil, 0, err
		}
		return pg.Users, pg.Count, nil
	}, lim, paging.UniqueBy(func(c DiscoveredCreator) string { return c.ID }))
}

// CitiesParams are the inputs of Cities.
type CitiesParams struct {
	// Country is the English country name, case-sensitive ("Germany").
	Country string
}

// CityList is the cities the discovery city filter takes for a country.
//
// It has Raw (the response body as received) and Response (the
// response's metadata: status, request id, headers, decode issues).
type CityList struct {
	// Country is the country asked for.
	Country string `json:"-"`
	// Cities are the city names ("Berlin", "Munich", ...).
	Cities []string `json:"-"`

	// object: the body was {"cities":[...]} rather than the documented
	// plain array; encoding gives back the same shape.
	object bool

	Raw      json.RawMessage `json:"-"`
	Response *ResponseMeta   `json:"-"`
}

// UnmarshalJSON decodes the documented plain array of names (and, to be
// lenient, an object with a "cities" array) strictly. (The client decodes
// responses tolerantly instead: see WithStrictDecoding.)
func (l *CityList) UnmarshalJSON(b []byte) error { return jsonx.Strict(b, (*cityListJSON)(l)) }

// cityListJSON is the tolerant decoding of a CityList (a jsonx.Lenient
// kept off the exported type): the client decodes responses into it.
type cityListJSON CityList

// UnmarshalJSON runs the decoding strictly, for encoding/json's path.
func (l *cityListJSON) UnmarshalJSON(b []byte) error { return jsonx.Strict(b, l) }

// UnmarshalLenient decodes either shape, leaving a name that is not a
// string out and reporting it with its path.
func (l *cityListJSON) UnmarshalLenient(d *jsonx.Decoder, b []byte) {
	b = bytes.TrimSpace(b)
	l.Cities, l.object = nil, false
	if len(b) > 0 && b[0] == '{' {
		var v struct {
			Cities []string `json:"cities"`
		}
		d.Decode(b, &v)
		l.Cities, l.object = v.Cities, true
		return
	}
	d.Decode(b, &l.Cities)
}

// MarshalJSON encodes the list in the shape it came in: a plain array, or
// {"cities":[...]}.
func (l CityList) MarshalJSON() ([]byte, error) {
	cities := l.Cities
	if cities == nil {
		cities = []string{}
	}
	if l.object {
		return json.Marshal(struct {
			Cities []string `json:"cities"`
		}{cities})
	}
	return json.Marshal(cities)
}

// Cities lists the cities the discovery city filter takes for a country
// (getCitiesForCountry). Free. An unsupported country is ErrInvalidParams
// (400).
func (s *DiscoveryService) Cities(ctx context.Context, p CitiesParams) (*CityList, error) {
	c := strings.TrimSpace(p.Country)
	if c == "" {
		return nil, invalidParams(opCities, "country", "country is required")
	}
	var l CityList
	if _, err := s.c.t.Do(ctx, transport.Request{Op: opCities, Method: "GET", Path: "getCitiesForCountry", Route: "getCitiesForCountry", Query: url.Values{"country": {c}}}, (*cityListJSON)(&l)); err != nil {
		return nil, err
	}
	l.Country = c
	return &l, nil
}

// String formats the creator as "@name (125,000 followers)".
func (c DiscoveredCreator) String() string {
	return fmt.Sprintf("@%s (%d followers)", strings.TrimPrefix(c.Username, "@"), c.Followers)
}
