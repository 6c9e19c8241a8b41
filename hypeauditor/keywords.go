package hypeauditor

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/creatorkit/creatorkit-go/internal/jsonx"
	"github.com/creatorkit/creatorkit-go/internal/transport"
)

// KeywordPostsParams ask for posts found by a keyword search
// (auditor.searchKeywordsPosts, "Post Searching by Keywords") [DOC]: the
// Platform (instagram, youtube, tiktok or twitter) and the ContentIDs to
// read, as a discovery search with SearchContent returned them in each
// result's features.search_content. Both are required; the ids are sent
// comma-separated, so none may hold a comma.
type KeywordPostsParams struct {
	Platform   Platform
	ContentIDs []string
}

// KeywordPostsPlatforms returns the platforms searchKeywordsPosts takes
// [DOC] (a new slice on each call).
func KeywordPostsPlatforms() []Platform { return []Platform{Instagram, YouTube, TikTok, Twitter} }

func (p KeywordPostsParams) check(op string) (url.Values, error) {
	if !slices.Contains(KeywordPostsPlatforms(), p.Platform) {
		return nil, invalidParams(op, "socialNetwork", "Platform (socialNetwork) must be one of %v, got %q", KeywordPostsPlatforms(), p.Platform)
	}
	if len(p.ContentIDs) == 0 {
		return nil, invalidParams(op, "contentIds", "contentIds is required")
	}
	for _, id := range p.ContentIDs {
		if _, err := handle(op, "contentIds", id); err != nil {
			return nil, err
		}
		if strings.Contains(id, ",") {
			return nil, invalidParams(op, "contentIds", "content id %q holds a comma, the separator", id)
		}
	}
	return url.Values{"socialNetwork": {string(p.Platform)}, "contentIds": {strings.Join(p.ContentIDs, ",")}}, nil
}

// KeywordPosts is the answer of auditor.searchKeywordsPosts [DOC]: the
// posts keyed by post id, and the discovery requests left.
//
// It has Raw (the body as received) and Response (the response's metadata:
// status, request id, headers, DecodeIssues).
type KeywordPosts struct {
	// Posts are keyed by post id. Control field: an answer whose posts
	// is not an object is ErrUnexpectedResponse.
	Posts map[string]KeywordPost `json:"posts"`
	// QueriesLeft is the number of discovery requests left.
	QueriesLeft *Int `json:"queries_left,omitempty"`

	// Raw is the response body as received.
	Raw json.RawMessage `json:"-"`
	// Response is the metadata of the response.
	Response *ResponseMeta `json:"-"`
}

// KeywordPost is one post: its identity and its metrics.
type KeywordPost struct {
	Basic   PostBasic   `json:"basic,omitzero"`
	Metrics PostMetrics `json:"metrics,omitzero"`
}

// PostBasic identifies a post. Code is the post's short code (the
// documentation calls it the "Instagram post URL"); PreviewURL an image
// on HypeAuditor's CDN (a signed link); Type post, reel, igtv, ...
type PostBasic struct {
	ID         ID     `json:"id,omitempty"`
	Code       string `json:"code,omitempty"`
	Caption    string `json:"caption,omitempty"`
	PreviewURL string `json:"preview_url,omitempty"`
	TimePosted *Time  `json:"time_posted,omitempty"`
	Type       string `json:"type,omitempty"`
	// IsDeleted is null in the documentation's sample for a post not
	// known to be deleted.
	IsDeleted *bool `json:"is_deleted,omitempty"`
}

// PostMetrics are a post's counts and engagement rate. The attribute
// table says every metric is an object such as {"value": 1062173}; the
// documentation's own sample sends bare numbers. Both decode (see
// MetricValue).
type PostMetrics struct {
	LikesCount      *MetricValue `json:"likes_count,omitempty"`
	CommentsCount   *MetricValue `json:"comments_count,omitempty"`
	VideoViewsCount *MetricValue `json:"video_views_count,omitempty"`
	ER              *MetricValue `json:"er,omitempty"`
	// ERMark is the engagement rate's mark, e.g. "average".
	ERMark string `json:"er_mark,omitempty"`
}

// MetricValue is a number HypeAuditor sends bare (1062173) or wrapped as
// {"value": 1062173}; it re-encodes in the shape received (the wrapped
// one when built in code).
type MetricValue struct {
	Value *Float

	bare bool
}

// metricValueObject is the wrapped form of MetricValue.
type metricValueObject struct {
	Value *Float `json:"value"`
}

// Float64 returns the value, or 0 when there is none.
func (v *MetricValue) Float64() float64 {
	if v == nil || v.Value == nil {
		return 0
	}
	return float64(*v.Value)
}

// decodeMetricValue is the tolerant decoding of MetricValue (registered
// with jsonx.Register): it accepts a number (or numeric string) and
// {"value": ...}.
func decodeMetricValue(d *jsonx.Decoder, b []byte, v *MetricValue) {
	*v = MetricValue{}
	switch c := firstByte(b); {
	case c == '{':
		var o metricValueObject
		decodeLenient(d, b, &o)
		v.Value = o.Value
		if o.Value == nil && onlyUnknown(b, "value") {
			d.Report(b, "hypeauditor.MetricValue", "an object without value")
		}
	case c == 'n':
	default:
		var f Float
		if decodeLenient(d, b, &f) {
			v.Value, v.bare = &f, true
		}
	}
}

// UnmarshalJSON accepts a number and {"value": ...}.
func (v *MetricValue) UnmarshalJSON(b []byte) error { return jsonx.StrictFor(b, v) }

// MarshalJSON writes the shape received.
func (v MetricValue) MarshalJSON() ([]byte, error) {
	if v.bare && v.Value != nil {
		return json.Marshal(v.Value)
	}
	return json.Marshal(metricValueObject{Value: v.Value})
}

// SearchKeywordsPosts returns the posts of a keyword search
// (auditor.searchKeywordsPosts).
//
// Cost: one discovery query a request (UnitDiscoveryQueries) [INFERRED:
// no cost is stated, neither in the method's documentation nor in the
// vendor notes; the answer reports the discovery requests left,
// queries_left, as a discovery page does, so it is counted in that unit].
// The query is reserved against WithDiscoveryBudget (ErrBudgetExceeded,
// nothing sent, when the budget cannot hold it), counted in Usage under
// this operation (Usage.SpentIn(UnitDiscoveryQueries)), and the request
// is never sent twice, by the SDK or by net/http (though a GET): a 5xx or
// a lost answer is ErrOutcomeUnknown, counted as SpentUnknown.
func (s *DiscoveryService) SearchKeywordsPosts(ctx context.Context, p KeywordPostsParams) (*KeywordPosts, error) {
	const op = "Discovery.SearchKeywordsPosts"
	q, err := p.check(op)
	if err != nil {
		return nil, err
	}
	return doQuery[KeywordPosts](ctx, s.c, transport.Request{Op: op, Method: http.MethodGet, Path: "auditor.searchKeywordsPosts", Query: q,
		Retry: transport.RetryOnce, Spend: transport.Spend{Cost: 1, Unit: UnitDiscoveryQueries}}, "result.posts")
}

func init() { jsonx.Register(decodeMetricValue) }
