package hypeauditor

import (
	"bytes"
	"context"
	"encoding/json"
	"iter"
	"net/http"
	"net/url"
	"strconv"

	"github.com/creatorkit/creatorkit-go/internal/jsonx"
	"github.com/creatorkit/creatorkit-go/internal/paging"
	"github.com/creatorkit/creatorkit-go/internal/transport"
)

// ListsService reads and edits the account's lists of reports (HypeAuditor's
// "Lists API").
//
// Sources: the official page could not be read, and the two sources
// found disagree. The SDK follows the one that calls the live API, a
// real client [CLIENT]: auditor.lists (every list), auditor.list (the
// reports of one list: id, limit, offset), auditor.addToList (list_id,
// channel_id, type) and auditor.removeFromList (report_id, list_id), each
// a GET. The other source, a machine-written summary, names
// auditor.lists.create, auditor.lists.addReports and
// auditor.lists.removeReports (POST); no client calls them, so the SDK
// does not offer them (creating a list is therefore not offered). No
// answer of any of these methods is published: the shapes below are
// [INFERRED], every item keeps its JSON in Raw, and a list answer decodes
// whether result is the list itself or an object holding it under
// "lists", "reports", "data" or "items".
//
// Cost: none is stated; the calls are treated as free. Add and Remove
// change the list but are GETs, retried after a lost answer like any GET:
// adding an account already in the list leaves it there once, and a
// repeated Remove whose first attempt went through may come back
// ErrNotFound [INFERRED].
type ListsService struct{ c *Client }

// SavedLists is the answer of auditor.lists: the account's lists.
//
// It has Raw (the body as received) and Response (the response's metadata:
// status, request id, headers, DecodeIssues).
type SavedLists struct {
	Lists []SavedList

	// Raw is the response body as received.
	Raw json.RawMessage `json:"-"`
	// Response is the metadata of the response.
	Response *ResponseMeta `json:"-"`
}

// SavedList is one list [INFERRED fields: its id and its name, under
// title or name]. Raw is the entry as received.
//
// It has Raw (the entry as received) and no Response: its answer's is
// SavedLists.Response.
type SavedList struct {
	ID    ID     `json:"id,omitempty"`
	Title string `json:"title,omitempty"`
	Name  string `json:"name,omitempty"`

	// Raw is the entry as received.
	Raw json.RawMessage `json:"-"`
}

// ListReports is one page of auditor.list: the reports in a list.
//
// It has Raw (the body as received) and Response (the response's metadata:
// status, request id, headers, DecodeIssues).
type ListReports struct {
	Reports []ListReport
	// Total is the list's size when the answer carries a total [INFERRED];
	// nil otherwise.
	Total *Int

	// Raw is the response body as received.
	Raw json.RawMessage `json:"-"`
	// Response is the metadata of the response.
	Response *ResponseMeta `json:"-"`
}

// ListReport is one report in a list [INFERRED fields: the report's id,
// under report_id or id (pass it to Remove), the account's username,
// title and network]. Raw is the entry as received.
//
// It has Raw (the entry as received) and no Response: its page's is
// ListReports.Response.
type ListReport struct {
	ID       ID       `json:"id,omitempty"`
	ReportID ID       `json:"report_id,omitempty"`
	Username string   `json:"username,omitempty"`
	Title    string   `json:"title,omitempty"`
	Type     Platform `json:"type,omitempty"`

	// Raw is the entry as received.
	Raw json.RawMessage `json:"-"`
}

// Key returns the report's id: report_id, else id.
func (r ListReport) Key() string {
	if r.ReportID != "" {
		return string(r.ReportID)
	}
	return string(r.ID)
}

// ListEdit is the answer of auditor.addToList and auditor.removeFromList;
// its shape is not known, so it is kept as received in Raw.
//
// It has Raw (the body as received) and Response (the response's metadata:
// status, request id, headers, DecodeIssues).
type ListEdit struct {
	// Raw is the response body as received.
	Raw json.RawMessage `json:"-"`
	// Response is the metadata of the response.
	Response *ResponseMeta `json:"-"`
}

// ListReportsParams page through the reports of list ListID (required,
// numeric): Limit is the page size (0 leaves it to HypeAuditor), Offset
// how many to skip.
type ListReportsParams struct {
	ListID string
	Limit  int
	Offset int
}

// ListAddParams add an account to list ListID (numeric): ChannelID is the
// account's social id (a report's id, such as a connection's SocialID)
// and Platform its platform.
type ListAddParams struct {
	ListID    string
	ChannelID string
	Platform  Platform
}

// ListRemoveParams remove report ReportID (numeric; a ListReport's Key)
// from list ListID (numeric).
type ListRemoveParams struct {
	ListID   string
	ReportID string
}

// List returns the account's lists (auditor.lists).
func (s *ListsService) List(ctx context.Context) (*SavedLists, error) {
	const op = "Lists.List"
	var env struct {
		Result *flexList[SavedList] `json:"result"`
		Raw    json.RawMessage      `json:"-"`
	}
	meta, err := s.c.do(ctx, transport.Request{Op: op, Method: http.MethodGet, Path: "auditor.lists"}, &env)
	if err != nil {
		return nil, err
	}
	if err := s.c.checkShapes(op, meta, env.Result != nil, flexPaths...); err != nil {
		return nil, err
	}
	return &SavedLists{Lists: env.Result.items, Raw: env.Raw, Response: meta}, nil
}

func (p ListReportsParams) check(op string) (url.Values, error) {
	id, err := numericID(op, "id", p.ListID)
	if err != nil {
		return nil, err
	}
	if p.Limit < 0 || p.Offset < 0 {
		return nil, invalidParams(op, "limit", "limit and offset must be >= 0, got %d and %d", p.Limit, p.Offset)
	}
	q := url.Values{"id": {id}}
	if p.Limit > 0 {
		q.Set("limit", strconv.Itoa(p.Limit))
	}
	if p.Offset > 0 {
		q.Set("offset", strconv.Itoa(p.Offset))
	}
	return q, nil
}

// Reports returns one page of the reports in a list (auditor.list).
func (s *ListsService) Reports(ctx context.Context, p ListReportsParams) (*ListReports, error) {
	const op = "Lists.Reports"
	q, err := p.check(op)
	if err != nil {
		return nil, err
	}
	return s.reports(ctx, op, q)
}

func (s *ListsService) reports(ctx context.Context, op string, q url.Values) (*ListReports, error) {
	var env struct {
		Result *flexList[ListReport] `json:"result"`
		Raw    json.RawMessage       `json:"-"`
	}
	meta, err := s.c.do(ctx, transport.Request{Op: op, Method: http.MethodGet, Path: "auditor.list", Query: q}, &env)
	if err != nil {
		return nil, err
	}
	if err := s.c.checkShapes(op, meta, env.Result != nil, flexPaths...); err != nil {
		return nil, err
	}
	return &ListReports{Reports: env.Result.items, Total: env.Result.total, Raw: env.Raw, Response: meta}, nil
}

// ReportsAll iterates over the reports in a list from p.Offset on,
// fetching a page only when the loop reaches it. The page size and the
// end of the list are not documented, so the walk goes on by the number
// of reports each page held and ends on an empty page or one that brings
// no report not seen yet; a report is yielded once. The pages are
// treated as free: no cap unless WithMaxPages or WithMaxItems sets one.
// Bad params or options are yielded as the first and only error.
func (s *ListsService) ReportsAll(ctx context.Context, p ListReportsParams, opts ...ListOption) iter.Seq2[ListReport, error] {
	const op = "Lists.ReportsAll"
	lc, err := listOptions(op, paging.Limits{}, false, opts)
	if err == nil {
		_, err = p.check(op)
	}
	if err != nil {
		return paging.Fail[ListReport](err)
	}
	return walkUntilStale(ctx, s.c, op, p.Offset, func(off, n int) int { return off + n },
		func(ctx context.Context, off int) ([]ListReport, error) {
			page := p
			page.Offset = off
			q, _ := page.check(op)
			l, err := s.reports(ctx, op, q)
			if err != nil {
				return nil, err
			}
			return l.Reports, nil
		}, ListReport.Key, lc.lim)
}

// Add adds an account to a list (auditor.addToList).
func (s *ListsService) Add(ctx context.Context, p ListAddParams) (*ListEdit, error) {
	const op = "Lists.Add"
	list, err := numericID(op, "list_id", p.ListID)
	if err != nil {
		return nil, err
	}
	ch, err := handle(op, "channel_id", p.ChannelID)
	if err != nil {
		return nil, err
	}
	if err := checkPlatform(op, "type", p.Platform); err != nil {
		return nil, err
	}
	return s.edit(ctx, op, "auditor.addToList", url.Values{"list_id": {list}, "channel_id": {ch}, "type": {string(p.Platform)}})
}

// Remove removes a report from a list (auditor.removeFromList).
func (s *ListsService) Remove(ctx context.Context, p ListRemoveParams) (*ListEdit, error) {
	const op = "Lists.Remove"
	rep, err := numericID(op, "report_id", p.ReportID)
	if err != nil {
		return nil, err
	}
	list, err := numericID(op, "list_id", p.ListID)
	if err != nil {
		return nil, err
	}
	return s.edit(ctx, op, "auditor.removeFromList", url.Values{"report_id": {rep}, "list_id": {list}})
}

func (s *ListsService) edit(ctx context.Context, op, path string, q url.Values) (*ListEdit, error) {
	var raw json.RawMessage
	meta, err := s.c.do(ctx, transport.Request{Op: op, Method: http.MethodGet, Path: path, Query: q}, &raw)
	if err != nil {
		return nil, err
	}
	return &ListEdit{Raw: raw, Response: meta}, nil
}

// flexKeys are the members a list answer may hold its entries under.
var flexKeys = []string{"lists", "reports", "data", "items"}

// flexPaths are the paths checkShapes holds to the list's own shape.
var flexPaths = []string{"result.lists", "result.reports", "result.data", "result.items"}

// flexList decodes result as a list, or as an object holding the list
// under one of flexKeys (and maybe a total), and re-encodes the shape it
// read.
type flexList[T any] struct {
	items []T
	key   string // the member the list came under; "" for a bare list
	total *Int
}

// UnmarshalLenient accepts both forms (jsonx.Lenient).
func (l *flexList[T]) UnmarshalLenient(d *jsonx.Decoder, b []byte) {
	*l = flexList[T]{}
	switch firstByte(b) {
	case '[':
		decodeLenient(d, b, &l.items)
	case '{':
		var m map[string]json.RawMessage
		if !decodeLenient(d, b, &m) {
			return
		}
		for _, k := range flexKeys {
			if raw, ok := m[k]; ok {
				l.key = k
				d.Field(k, raw, &l.items)
				break
			}
		}
		if raw, ok := m["total"]; ok {
			l.total = new(Int)
			if !d.Field("total", raw, l.total) {
				l.total = nil
			}
		}
		if l.key == "" {
			d.Report(b, "hypeauditor.flexList", "an object without lists, reports, data or items")
		}
	case 'n':
	default:
		d.Report(b, "hypeauditor.flexList", "a list or an object holding one")
	}
}

// UnmarshalJSON accepts both forms.
func (l *flexList[T]) UnmarshalJSON(b []byte) error { return jsonx.Strict(b, l) }

// MarshalJSON writes the shape read.
func (l flexList[T]) MarshalJSON() ([]byte, error) {
	if l.key == "" {
		return json.Marshal(l.items)
	}
	m := map[string]any{l.key: l.items}
	if l.total != nil {
		m["total"] = l.total
	}
	return json.Marshal(m)
}

// decodeSavedList and decodeListReport keep each entry as received in its
// Raw (registered with jsonx.Register).
func decodeSavedList(d *jsonx.Decoder, b []byte, v *SavedList) {
	type plain SavedList
	*v = SavedList{}
	if decodeLenient(d, b, (*plain)(v)) {
		v.Raw = append(json.RawMessage(nil), bytes.TrimSpace(b)...)
	}
}

func decodeListReport(d *jsonx.Decoder, b []byte, v *ListReport) {
	type plain ListReport
	*v = ListReport{}
	if decodeLenient(d, b, (*plain)(v)) {
		v.Raw = append(json.RawMessage(nil), bytes.TrimSpace(b)...)
	}
}

// UnmarshalJSON decodes the entry and keeps it in Raw.
func (v *SavedList) UnmarshalJSON(b []byte) error { return jsonx.StrictFor(b, v) }

// MarshalJSON writes the entry as received (Raw), or its fields when it
// was built in code: members without a field are not lost.
func (v SavedList) MarshalJSON() ([]byte, error) {
	if len(v.Raw) > 0 {
		return v.Raw, nil
	}
	type plain SavedList
	return json.Marshal(plain(v))
}

// UnmarshalJSON decodes the entry and keeps it in Raw.
func (v *ListReport) UnmarshalJSON(b []byte) error { return jsonx.StrictFor(b, v) }

// MarshalJSON writes the entry as received (Raw), or its fields when it
// was built in code.
func (v ListReport) MarshalJSON() ([]byte, error) {
	if len(v.Raw) > 0 {
		return v.Raw, nil
	}
	type plain ListReport
	return json.Marshal(plain(v))
}

func init() {
	jsonx.Register(decodeSavedList)
	jsonx.Register(decodeListReport)
}
