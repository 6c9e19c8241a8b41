package hypeauditor

import (
	"context"
	"encoding/json"
	"iter"
	"net/http"
	"net/url"
	"strconv"

	"github.com/creatorkit/creatorkit-go/internal/check"
	"github.com/creatorkit/creatorkit-go/internal/paging"
	"github.com/creatorkit/creatorkit-go/internal/transport"
)

// UnlockedService lists the reports the account has unlocked
// (auditor.reportsUnlocked). No cost is documented [INFERRED: free].
type UnlockedService struct{ c *Client }

// MaxUnlockedLimit is the largest page reportsUnlocked returns.
const MaxUnlockedLimit = 100

// UnlockedParams page through unlocked reports. All are optional.
type UnlockedParams struct {
	// Limit is the page size, 1 to 100 (0: the API default, 100).
	Limit int
	// Offset is how many reports to skip.
	Offset int
	// DateFrom and DateTo filter on the unlock time (time_pay), as
	// "yyyy-mm-dd" or "yyyy-mm-dd hh:mm:ss" (a date alone means 00:00:00).
	DateFrom string
	DateTo   string
}

func (p UnlockedParams) check(op string) error {
	if p.Limit != 0 {
		if msg := check.IntRange(p.Limit, 1, MaxUnlockedLimit); msg != "" {
			return invalidParams(op, "limit", "limit %s", msg)
		}
	}
	if p.Offset < 0 {
		return invalidParams(op, "offset", "offset must be >= 0, got %d", p.Offset)
	}
	if err := dateTime(op, "date_from", p.DateFrom); err != nil {
		return err
	}
	return dateTime(op, "date_to", p.DateTo)
}

// UnlockedList is one page of unlocked reports.
//
// It has Raw (the body as received) and Response (the response's metadata:
// status, request id, headers, DecodeIssues).
type UnlockedList struct {
	Data []UnlockedReport `json:"data"`
	// Total is documented as "Total amount of reports in data object";
	// whether that is the page or the whole list is not clear, so ListAll
	// does not rely on it.
	Total Int `json:"total"`

	// Raw is the response body as received.
	Raw json.RawMessage `json:"-"`
	// Response is the metadata of the response.
	Response *ResponseMeta `json:"-"`
}

// UnlockedReport is one unlocked report.
//
// It has neither Raw nor Response: its page's are UnlockedList.Raw and
// Response.
type UnlockedReport struct {
	Username string   `json:"username"`
	ID       ID       `json:"id"`
	Type     Platform `json:"type"`
	// TimeAdd is when it was requested, TimePay when it was unlocked
	// (paid), TimeCompleted when it was ready (unix seconds).
	TimeAdd *Time `json:"time_add,omitempty"`
	TimePay *Time `json:"time_pay,omitempty"`
	// Completed is 1 when the report is ready, 0 when not.
	Completed     Int   `json:"completed"`
	TimeCompleted *Time `json:"time_completed,omitempty"`
}

// IsCompleted reports whether the report is ready.
func (r UnlockedReport) IsCompleted() bool { return r.Completed == 1 }

// List returns one page of unlocked reports.
func (s *UnlockedService) List(ctx context.Context, p UnlockedParams) (*UnlockedList, error) {
	const op = "Unlocked.List"
	if err := p.check(op); err != nil {
		return nil, err
	}
	return s.list(ctx, op, p)
}

func (s *UnlockedService) list(ctx context.Context, op string, p UnlockedParams) (*UnlockedList, error) {
	q := url.Values{}
	if p.Limit > 0 {
		q.Set("limit", strconv.Itoa(p.Limit))
	}
	if p.Offset > 0 {
		q.Set("offset", strconv.Itoa(p.Offset))
	}
	if p.DateFrom != "" {
		q.Set("date_from", p.DateFrom)
	}
	if p.DateTo != "" {
		q.Set("date_to", p.DateTo)
	}
	return doResult[UnlockedList](ctx, s.c, transport.Request{Op: op, Method: http.MethodGet, Path: "auditor.reportsUnlocked", Query: q}, "result.data")
}

// ListAll iterates over every unlocked report from p.Offset on, fetching a
// page (100 unless p.Limit says otherwise) only when the loop reaches it,
// until a short page; a report is yielded once even if the list shifts
// between pages. A page that fails (after the transport's retries: see
// WithMaxRetries) yields its error and ends the walk. The pages are
// free, so there is no cap unless WithMaxPages or WithMaxItems sets one.
// Bad params or options are yielded as the first and only error.
func (s *UnlockedService) ListAll(ctx context.Context, p UnlockedParams, opts ...ListOption) iter.Seq2[UnlockedReport, error] {
	const op = "Unlocked.ListAll"
	lc, err := listOptions(op, paging.Limits{}, false, opts)
	if err == nil {
		err = p.check(op)
	}
	if err != nil {
		return paging.Fail[UnlockedReport](err)
	}
	limit := p.Limit
	if limit == 0 {
		limit = MaxUnlockedLimit
	}
	return sdkErrors(s.c, op, paging.Offset(ctx, p.Offset, limit, func(ctx context.Context, off int) (paging.OffsetPage[UnlockedReport], error) {
		page := p
		page.Limit, page.Offset = limit, off
		l, err := s.list(ctx, op, page)
		if err != nil {
			return paging.OffsetPage[UnlockedReport]{}, err
		}
		return paging.OffsetPage[UnlockedReport]{Items: l.Data, Total: -1}, nil
	}, lc.lim, paging.UniqueBy(func(r UnlockedReport) string { return string(r.Type) + "/" + string(r.ID) })))
}
