package hypeauditor

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"

	"github.com/creatorkit/creatorkit-go/internal/transport"
)

// Taxonomy is the answer of auditor.taxonomy: the ids behind discovery's
// category, thematics and interests filters and behind the reports'
// blogger_categories, blogger_thematics, audience_interests and
// er_benchmarks labels, grouped by network [DOC].
//
// What each list is for, as the documentation's changelog (2 November
// 2023) says: on Instagram, Categories are the influencer categories of
// discovery's Category filter, Labels the labels of the report's
// er_benchmarks, Interests the audience interests of the report and of
// discovery's Interests filter, and Thematics the old audience thematics
// (deprecated since November 2023); on YouTube, Thematics are the report's
// blogger_thematics and discovery's Thematics filter, and Categories are
// deprecated since October 2023; TikTok has Categories (discovery's
// Category filter). The live answer also carries Labels for YouTube and
// TikTok, which the documented sample lacks; both decode.
//
// The documentation's page is "Taxonomy v1" and one real client asks for
// it with v=1 [CLIENT]; the SDK sends v=2 like every call, the version the
// API serves when none is asked for (v=1 is deprecated since 2024-08-01),
// and the answer of the client that sent no version has the same shape.
//
// It has Raw (the body as received) and Response (the response's metadata:
// status, request id, headers, DecodeIssues).
type Taxonomy struct {
	// Instagram is result.ig.
	Instagram NetworkTaxonomy `json:"ig,omitzero"`
	// YouTube is result.yt.
	YouTube NetworkTaxonomy `json:"yt,omitzero"`
	// TikTok is result.tt.
	TikTok NetworkTaxonomy `json:"tt,omitzero"`

	// Raw is the response body as received.
	Raw json.RawMessage `json:"-"`
	// Response is the metadata of the response.
	Response *ResponseMeta `json:"-"`
}

// NetworkTaxonomy is one network's lists (see Taxonomy for what each is
// for); a list the network does not have is nil.
type NetworkTaxonomy struct {
	Categories TaxonomyList `json:"categories,omitzero"`
	Thematics  TaxonomyList `json:"thematics,omitzero"`
	Interests  TaxonomyList `json:"interests,omitzero"`
	Labels     TaxonomyList `json:"labels,omitzero"`
}

// Platform returns the lists of a platform (Instagram, YouTube or
// TikTok), or nil for a platform the taxonomy does not cover.
func (t *Taxonomy) Platform(n Platform) *NetworkTaxonomy {
	if t == nil {
		return nil
	}
	switch n {
	case Instagram:
		return &t.Instagram
	case YouTube:
		return &t.YouTube
	case TikTok:
		return &t.TikTok
	}
	return nil
}

// TaxonomyID is a taxonomy id: a category, thematic, interest or label.
type TaxonomyID int

// TaxonomyEntry is one entry of a taxonomy list.
type TaxonomyEntry struct {
	ID    TaxonomyID `json:"id"`
	Title string     `json:"title"`
}

// Interest returns an InterestFilter for this entry (an ig.interests
// entry) asking for at least prc percent of the audience.
func (e TaxonomyEntry) Interest(prc float64) InterestFilter {
	return InterestFilter{ID: int(e.ID), Prc: prc}
}

// TaxonomyList is one taxonomy list, in the order HypeAuditor sends it.
type TaxonomyList []TaxonomyEntry

// Find returns the entry whose title is title, ignoring case and
// surrounding spaces.
func (l TaxonomyList) Find(title string) (TaxonomyEntry, bool) {
	title = strings.TrimSpace(title)
	for _, e := range l {
		if strings.EqualFold(strings.TrimSpace(e.Title), title) {
			return e, true
		}
	}
	return TaxonomyEntry{}, false
}

// ByID returns the entry with the id.
func (l TaxonomyList) ByID(id int) (TaxonomyEntry, bool) {
	for _, e := range l {
		if int(e.ID) == id {
			return e, true
		}
	}
	return TaxonomyEntry{}, false
}

// Titles returns the titles of ids in order ("" for an id the list does
// not have): the names behind a report's blogger_categories or
// blogger_thematics.
func (l TaxonomyList) Titles(ids ...int) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		e, _ := l.ByID(id)
		out[i] = e.Title
	}
	return out
}

// IDs returns the ids of the entries as the filters take them.
func (l TaxonomyList) IDs() []int { return TaxonomyIDs(l...) }

// TaxonomyIDs returns the ids of entries as the discovery filters take
// them (CategoryFilter, InterestFilter).
func TaxonomyIDs(entries ...TaxonomyEntry) []int {
	out := make([]int, len(entries))
	for i, e := range entries {
		out[i] = int(e.ID)
	}
	return out
}

// IncludeTaxonomy returns a filter that keeps creators in any of the
// entries: a Category (Instagram and TikTok categories) or Thematics
// (YouTube thematics) filter of SearchParams.
func IncludeTaxonomy(entries ...TaxonomyEntry) *CategoryFilter {
	return &CategoryFilter{Include: TaxonomyIDs(entries...)}
}

// ExcludeTaxonomy returns a filter that leaves out creators in any of the
// entries.
func ExcludeTaxonomy(entries ...TaxonomyEntry) *CategoryFilter {
	return &CategoryFilter{Exclude: TaxonomyIDs(entries...)}
}

// Taxonomy returns the taxonomy (auditor.taxonomy). Free [INFERRED: no
// cost is documented and the answer carries no credits]; it changes
// rarely, so read it once and keep it.
func (s *DiscoveryService) Taxonomy(ctx context.Context) (*Taxonomy, error) {
	const op = "Discovery.Taxonomy"
	return doResult[Taxonomy](ctx, s.c, transport.Request{Op: op, Method: http.MethodGet, Path: "auditor.taxonomy"})
}
