package hypeauditor

import (
	"context"
	"encoding/json"
	"iter"
	"net/http"
	"net/url"
	"strconv"

	"github.com/creatorkit/creatorkit-go/internal/paging"
	"github.com/creatorkit/creatorkit-go/internal/transport"
)

// YouTubeMediaParams select a page of a YouTube channel's videos: the
// channel id or handle (one leading "@" is dropped) and the page, from 1
// (0 leaves it out: the first page).
type YouTubeMediaParams struct {
	Channel string
	Page    int
}

// YouTubeMediaPage is one page of auditor.youtubeMedia. The method and
// its channel and page parameters come from a real client [CLIENT]; the
// answer is not published, so the page is read as the YouTube report's
// media list, result.media of YouTubeVideo [INFERRED]. Whatever else it
// carries is in Raw.
//
// Cost: free once the YouTube report is unlocked [INFERRED, as Account
// Media]; before that HypeAuditor may answer 403 code 15 Access denied
// (ErrForbidden), refusing the request rather than unlocking the report
// (as for Account Media [CLIENT]). So a page spends nothing either way,
// whether or not this client has seen the report unlocked: it reserves
// nothing against WithBudget, counts no spend in Usage and is retried
// like any GET.
//
// It has Raw (the body as received) and Response (the response's metadata:
// status, request id, headers, DecodeIssues).
type YouTubeMediaPage struct {
	// Media are the page's videos. Control field: an answer whose media
	// is not a list is ErrUnexpectedResponse.
	Media []YouTubeVideo `json:"media"`

	// Raw is the response body as received.
	Raw json.RawMessage `json:"-"`
	// Response is the metadata of the response.
	Response *ResponseMeta `json:"-"`
}

func (p YouTubeMediaParams) check(op string) (string, error) {
	ch, err := youTubeChannel(op, "channel", p.Channel)
	if err != nil {
		return "", err
	}
	if p.Page < 0 {
		return "", invalidParams(op, "page", "page must be >= 1 (0 means 1), got %d", p.Page)
	}
	return ch, nil
}

// YouTubeMedia returns one page of a YouTube channel's videos
// (auditor.youtubeMedia; see YouTubeMediaPage).
func (s *ReportsService) YouTubeMedia(ctx context.Context, p YouTubeMediaParams) (*YouTubeMediaPage, error) {
	const op = "Reports.YouTubeMedia"
	ch, err := p.check(op)
	if err != nil {
		return nil, err
	}
	return s.youTubeMedia(ctx, op, ch, p.Page)
}

func (s *ReportsService) youTubeMedia(ctx context.Context, op, ch string, page int) (*YouTubeMediaPage, error) {
	q := url.Values{"channel": {ch}}
	if page > 0 {
		q.Set("page", strconv.Itoa(page))
	}
	return doResult[YouTubeMediaPage](ctx, s.c, transport.Request{Op: op, Method: http.MethodGet, Path: "auditor.youtubeMedia", Query: q}, "result.media")
}

// YouTubeMediaAll iterates over a channel's videos page by page from
// p.Page, fetching a page only when the loop reaches it. The page size is
// not documented, so the walk ends on an empty page, or on a page that
// brings no video id not seen yet (an API that ignored page would
// otherwise loop; a page of videos without ids ends it too); a video is
// yielded once. A page that fails (after the transport's retries: see
// WithMaxRetries) yields its error and ends the walk. The pages are free
// once the
// report is unlocked, so there is no cap unless WithMaxPages or
// WithMaxItems sets one. Bad params or options are yielded as the first
// and only error.
func (s *ReportsService) YouTubeMediaAll(ctx context.Context, p YouTubeMediaParams, opts ...ListOption) iter.Seq2[YouTubeVideo, error] {
	const op = "Reports.YouTubeMediaAll"
	lc, err := listOptions(op, paging.Limits{}, false, opts)
	ch := ""
	if err == nil {
		ch, err = p.check(op)
	}
	if err != nil {
		return paging.Fail[YouTubeVideo](err)
	}
	return walkUntilStale(ctx, s.c, op, max(p.Page, 1), func(page, _ int) int { return page + 1 },
		func(ctx context.Context, page int) ([]YouTubeVideo, error) {
			mp, err := s.youTubeMedia(ctx, op, ch, page)
			if err != nil {
				return nil, err
			}
			return mp.Media, nil
		}, func(v YouTubeVideo) string { return string(v.ID) }, lc.lim)
}
