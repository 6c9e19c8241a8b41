package hypeauditor

import (
	"context"
	"encoding/json"
	"iter"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/creatorkit/creatorkit-go/internal/check"
	"github.com/creatorkit/creatorkit-go/internal/paging"
	"github.com/creatorkit/creatorkit-go/internal/transport"
)

// CreatorsService lists the creators in the account's network
// (auditor.creators, "Creator Profile Info", My Network) [DOC]. Free
// [CLIENT].
type CreatorsService struct{ c *Client }

// MaxCreatorsLimit is the largest page auditor.creators returns.
const MaxCreatorsLimit = 100

// CreatorsParams page through creators.
type CreatorsParams struct {
	// ReportUnlockedFrom and ReportUnlockedTo filter on when a report was
	// unlocked: documented as ISO 8601 ("2024-01-02T15:04:05+00:00"); one
	// developer found only "2024-01-02" accepted. Both are allowed.
	ReportUnlockedFrom string
	ReportUnlockedTo   string
	// Limit is the page size, 1 to 100 (0: the API default).
	Limit int
	// Cursor is the next_cursor of the previous page ("" for the first).
	Cursor string
}

func (p CreatorsParams) check(op string) error {
	if p.Limit != 0 {
		if msg := check.IntRange(p.Limit, 1, MaxCreatorsLimit); msg != "" {
			return invalidParams(op, "limit", "limit %s", msg)
		}
	}
	for field, v := range map[string]string{"report_unlocked_from": p.ReportUnlockedFrom, "report_unlocked_to": p.ReportUnlockedTo} {
		if v == "" {
			continue
		}
		if _, msg := check.Date(v); msg == "" {
			continue
		}
		if _, err := time.Parse(time.RFC3339, v); err != nil {
			return invalidParams(op, field, "%q is not a yyyy-mm-dd or ISO 8601 (2006-01-02T15:04:05+00:00) date", v)
		}
	}
	if p.Cursor != "" {
		msg := check.ID(p.Cursor)
		if msg == "" {
			msg = check.Digits(p.Cursor)
		}
		if msg != "" {
			return invalidParams(op, "cursor", "cursor %s (pass next_cursor as it came)", msg)
		}
	}
	return nil
}

// CreatorList is one page of creators.
//
// It has Raw (the body as received) and Response (the response's metadata:
// status, request id, headers, DecodeIssues).
type CreatorList struct {
	Creators []Creator `json:"creators"`
	// NextCursor is the cursor of the next page; nil on the last page.
	// Control field: an answer where it does not fit is
	// ErrUnexpectedResponse (ListAll could not go on).
	NextCursor *ID `json:"next_cursor,omitempty" creatorkit:"control"`

	// Raw is the response body as received.
	Raw json.RawMessage `json:"-"`
	// Response is the metadata of the response.
	Response *ResponseMeta `json:"-"`
}

// Creator is one creator of the network, with their accounts.
//
// It has neither Raw nor Response: its page's are CreatorList.Raw and
// Response.
type Creator struct {
	ID         ID         `json:"id"`
	AvatarURL  string     `json:"avatar_url,omitempty"`
	IsFavorite *bool      `json:"is_favorite,omitempty"`
	FirstName  string     `json:"first_name,omitempty"`
	LastName   string     `json:"last_name,omitempty"`
	Bio        string     `json:"bio,omitempty"`
	Gender     string     `json:"gender,omitempty"`
	Language   []string   `json:"language,omitzero"`
	Emails     []string   `json:"emails,omitzero"`
	Phones     []string   `json:"phones,omitzero"`
	Country    *CodeTitle `json:"country,omitempty"`
	// City is documented as {code[]}; kept raw.
	City     json.RawMessage `json:"city,omitzero"`
	Messages *struct {
		Count    *Int `json:"count,omitempty"`
		NewCount *Int `json:"new_count,omitempty"`
	} `json:"messages,omitempty"`
	// Accounts are keyed by an account key.
	Accounts      map[string]CreatorAccount `json:"accounts,omitzero"`
	NetworkStatus *struct {
		Name string `json:"name,omitempty"`
	} `json:"network_status,omitempty"`
	// ContractStatus's type is not documented; kept raw.
	ContractStatus json.RawMessage `json:"contract_status,omitzero"`
}

// CreatorAccount is one of a creator's social accounts.
type CreatorAccount struct {
	ID               ID       `json:"id,omitempty"`
	Title            string   `json:"title,omitempty"`
	Platform         Platform `json:"social_network,omitempty"`
	SubscribersCount *Float   `json:"subscribers_count,omitempty"`
	Username         string   `json:"username,omitempty"`
	AvatarURL        string   `json:"avatar_url,omitempty"`
	IsReportUnlocked *bool    `json:"is_report_unlocked,omitempty"`
	ReportUnlockDate *Time    `json:"report_unlock_date,omitempty"`
}

// List returns one page of creators.
func (s *CreatorsService) List(ctx context.Context, p CreatorsParams) (*CreatorList, error) {
	const op = "Creators.List"
	if err := p.check(op); err != nil {
		return nil, err
	}
	return s.list(ctx, op, p)
}

func (s *CreatorsService) list(ctx context.Context, op string, p CreatorsParams) (*CreatorList, error) {
	q := url.Values{}
	if p.ReportUnlockedFrom != "" {
		q.Set("report_unlocked_from", p.ReportUnlockedFrom)
	}
	if p.ReportUnlockedTo != "" {
		q.Set("report_unlocked_to", p.ReportUnlockedTo)
	}
	if p.Limit > 0 {
		q.Set("limit", strconv.Itoa(p.Limit))
	}
	if p.Cursor != "" {
		q.Set("cursor", p.Cursor)
	}
	return doResult[CreatorList](ctx, s.c, transport.Request{Op: op, Method: http.MethodGet, Path: "auditor.creators", Query: q}, "result.creators")
}

// ListAll iterates over every creator from p.Cursor on, following
// next_cursor and fetching a page only when the loop reaches it; a
// creator is yielded once even if a page repeats it. A page that fails
// (after the transport's retries: see WithMaxRetries) yields its error
// and ends the walk. A next_cursor that does not move ends the walk with
// ErrUnexpectedResponse. The pages are free, so there is no cap unless
// WithMaxPages or WithMaxItems sets one. Bad params or options are yielded
// as the first and only error.
func (s *CreatorsService) ListAll(ctx context.Context, p CreatorsParams, opts ...ListOption) iter.Seq2[Creator, error] {
	const op = "Creators.ListAll"
	lc, err := listOptions(op, paging.Limits{}, false, opts)
	if err == nil {
		err = p.check(op)
	}
	if err != nil {
		return paging.Fail[Creator](err)
	}
	return sdkErrors(s.c, op, paging.Cursor(ctx, p.Cursor, func(ctx context.Context, cur string) (paging.CursorPage[Creator], error) {
		page := p
		page.Cursor = cur
		l, err := s.list(ctx, op, page)
		if err != nil {
			return paging.CursorPage[Creator]{}, err
		}
		next := ""
		if l.NextCursor != nil {
			next = string(*l.NextCursor)
		}
		return paging.CursorPage[Creator]{Items: l.Creators, Next: next}, nil
	}, lc.lim, paging.UniqueBy(func(c Creator) string { return string(c.ID) })))
}
