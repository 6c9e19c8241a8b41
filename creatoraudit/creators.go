package creatoraudit

import (
	"context"
	"encoding/json"
	"iter"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/creatorkit/creatorkit-go/internal/check"
	"github.com/creatorkit/creatorkit-go/internal/jsonx"
	"github.com/creatorkit/creatorkit-go/internal/transport"
)

// CreatorsService groups accounts into creators (a person or brand across
// platforms), links and unlinks accounts, and ranks creators.
type CreatorsService struct{ c *Client }

// Creator is a grouping of one or more accounts. ID is its control field
// (see Account).
//
// Like every top-level result it has Raw (the body as received) and
// Response (the response's metadata); a Creator yielded by ListAll or in a
// Page has neither (the page has them).
type Creator struct {
	ID   string `json:"id" creatorkit:"control"`
	Type string `json:"type"`
	Name string `json:"name"`
	// IsActive is false for an archived creator (its accounts are paused).
	IsActive        bool            `json:"is_active"`
	Metadata        Metadata        `json:"metadata"`
	AccountsSummary AccountsSummary `json:"accounts_summary"`

	// Raw is the whole response body as received ({"data": ...}); empty
	// for a 304 Not Modified answer that the client did not have cached.
	Raw json.RawMessage `json:"-"`
	// Response is the metadata of the response: status, RequestID
	// (X-Request-ID), rate-limit headers, the ETag
	// (Response.GetHeader("ETag")), decode issues.
	Response *ResponseMeta `json:"-"`
}

// AccountsSummary sums up a creator's linked accounts.
type AccountsSummary struct {
	Total int64 `json:"total"`
	// Platforms is the per-platform breakdown as received; its shape is not
	// documented (PlatformCounts reads the likely {"instagram": n} form).
	Platforms      json.RawMessage `json:"platforms,omitempty"`
	TotalFollowers *int64          `json:"total_followers"`
}

// PlatformCounts reads Platforms as a count per platform. [inferred] ok
// is false when the breakdown has another shape; read Platforms then.
func (s AccountsSummary) PlatformCounts() (counts map[Platform]int64, ok bool) {
	var m map[Platform]jsonx.Int
	if len(s.Platforms) == 0 || json.Unmarshal(s.Platforms, &m) != nil {
		return nil, false
	}
	counts = make(map[Platform]int64, len(m))
	for k, v := range m {
		counts[k] = int64(v)
	}
	return counts, true
}

// ListCreatorsParams filter, sort and page GET /creators.
type ListCreatorsParams struct {
	// Limit is the page size, 1 to 200; 0 means the API default (50) for
	// List and 200 for ListAll.
	Limit        int
	Cursor       string
	IncludeTotal bool
	// IsActive lists active (true) or archived (false) creators.
	IsActive *bool
	// OrderBy accepts only "name" (the default; ascending by default).
	OrderBy        string
	OrderDirection OrderDirection
	// Sort is the legacy form: "name" or "-name".
	Sort string
}

func (p ListCreatorsParams) filters(op string) (url.Values, error) {
	if err := checkLimit(op, p.Limit, MaxListLimit); err != nil {
		return nil, err
	}
	q := url.Values{}
	setBool(q, "is_active", p.IsActive)
	if p.Sort != "" {
		if msg := check.OneOf(p.Sort, "name", "-name"); msg != "" {
			return nil, invalidParams(op, "sort", "%s", msg)
		}
	}
	return q, sortQuery(op, q, p.OrderBy, p.OrderDirection, p.Sort, "name")
}

// List returns one page of creators.
func (s *CreatorsService) List(ctx context.Context, p ListCreatorsParams) (*CreatorList, error) {
	const op = "Creators.List"
	q, err := p.filters(op)
	if err != nil {
		return nil, err
	}
	return listPage[Creator](ctx, s.c, op, s.c.paths.Creators, q, pageParams{limit: p.Limit, cursor: p.Cursor, includeTotal: p.IncludeTotal})
}

// ListAll iterates over every creator matching p, lazily, as
// AccountsService.ListAll does (opts cap it).
func (s *CreatorsService) ListAll(ctx context.Context, p ListCreatorsParams, opts ...ListOption) iter.Seq2[Creator, error] {
	const op = "Creators.ListAll"
	q, err := p.filters(op)
	if err != nil {
		return errSeq[Creator](err)
	}
	return listAll[Creator](ctx, s.c, op, s.c.paths.Creators, q, pageParams{limit: p.Limit, cursor: p.Cursor, includeTotal: p.IncludeTotal}, opts)
}

// CreateCreatorParams are the inputs of Create (POST /creators).
type CreateCreatorParams struct {
	// Name is 1 to 255 characters. Required.
	Name string `json:"name"`
	// IsActive: nil means the API default (true).
	IsActive *bool `json:"is_active,omitempty"`
	// Metadata: at most 20 keys, each key and value at most 255 characters.
	Metadata Metadata `json:"metadata,omitempty"`
	// IdempotencyKey: see CreateAccountParams.IdempotencyKey. It matters
	// most here: creators may share a name, so a blindly repeated create
	// would make a second one.
	IdempotencyKey string `json:"-"`
}

func checkName(op, name string) (string, error) {
	name = strings.TrimSpace(name)
	if n := utf8.RuneCountInString(name); n < 1 || n > 255 {
		return "", invalidParams(op, "name", "name must be 1 to 255 characters, got %d", n)
	}
	return name, nil
}

// Create makes a creator. It carries an Idempotency-Key on every attempt
// and is retried safely.
func (s *CreatorsService) Create(ctx context.Context, p CreateCreatorParams) (*Creator, error) {
	const op = "Creators.Create"
	name, err := checkName(op, p.Name)
	if err != nil {
		return nil, err
	}
	p.Name = name
	if err := checkMetadata(op, p.Metadata); err != nil {
		return nil, err
	}
	key, err := idempotencyKey(op, p.IdempotencyKey)
	if err != nil {
		return nil, err
	}
	return doData[Creator](ctx, s.c, transport.Request{Op: op, Method: "POST", Path: s.c.paths.Creators, Route: s.c.paths.Creators, Body: p,
		IdempotencyKey: key, Retry: transport.RetryIdempotent}, callConfig{})
}

// Get fetches one creator.
func (s *CreatorsService) Get(ctx context.Context, id string, opts ...CallOption) (*Creator, error) {
	return getByID[Creator](ctx, s.c, "Creators.Get", "creator_id", s.c.paths.Creator, id, checkID, opts)
}

// UpdateCreatorParams are the inputs of Update; nil fields are unchanged.
type UpdateCreatorParams struct {
	Name *string `json:"name,omitempty"`
	// IsActive archives (false) or reactivates (true) the creator; pausing
	// a creator pauses all its accounts.
	IsActive *bool `json:"is_active,omitempty"`
	// Metadata replaces the creator's metadata.
	Metadata Metadata `json:"metadata,omitempty"`
}

// Update changes a creator (PATCH /creators/{id}).
func (s *CreatorsService) Update(ctx context.Context, id string, p UpdateCreatorParams) (*Creator, error) {
	const op = "Creators.Update"
	id, err := checkID(op, "creator_id", id)
	if err != nil {
		return nil, err
	}
	if p.Name == nil && p.IsActive == nil && p.Metadata == nil {
		return nil, invalidParams(op, "params", "nothing to update")
	}
	if p.Name != nil {
		name, err := checkName(op, *p.Name)
		if err != nil {
			return nil, err
		}
		p.Name = &name
	}
	if err := checkMetadata(op, p.Metadata); err != nil {
		return nil, err
	}
	return doData[Creator](ctx, s.c, transport.Request{Op: op, Method: "PATCH", Path: expand(s.c.paths.Creator, id), Route: s.c.paths.Creator, Body: p, Retry: transport.RetryIdempotent}, callConfig{})
}

// Delete deletes a creator (DELETE /creators/{id}; 204 [inferred]).
func (s *CreatorsService) Delete(ctx context.Context, id string) (*ResponseMeta, error) {
	return deleteByID(ctx, s.c, "Creators.Delete", "creator_id", s.c.paths.Creator, id)
}

// AccountLink is the answer of LinkAccount.
//
// It has Raw (the body as received) and Response (the response's
// metadata).
type AccountLink struct {
	// CreatorID and AccountID name the link. [inferred] The body's shape
	// is not documented; when it lacks them they are the ids asked for.
	CreatorID string `json:"creator_id"`
	AccountID string `json:"account_id"`
	// Created is true for a first link (201 Created), false when the
	// account was already linked to this creator (200 OK).
	Created bool `json:"-"`
	// Location is the Location header of a 201.
	Location string `json:"-"`

	// Raw is the whole response body as received ({"data": ...}); empty
	// for a 304 Not Modified answer that the client did not have cached.
	Raw json.RawMessage `json:"-"`
	// Response is the metadata of the response: status, RequestID
	// (X-Request-ID), rate-limit headers, the ETag
	// (Response.GetHeader("ETag")), decode issues.
	Response *ResponseMeta `json:"-"`
}

// LinkAccount links an account to a creator (PUT
// /creators/{id}/accounts/{account_id}). It is idempotent: linking again
// to the same creator succeeds with Created false. An account owned by
// another creator is ErrConflict (unlink it first); a missing creator or
// account is ErrNotFound.
func (s *CreatorsService) LinkAccount(ctx context.Context, creatorID, accountID string) (*AccountLink, error) {
	const op = "Creators.LinkAccount"
	creatorID, err := checkID(op, "creator_id", creatorID)
	if err != nil {
		return nil, err
	}
	accountID, err = checkID(op, "account_id", accountID)
	if err != nil {
		return nil, err
	}
	l, err := doData[AccountLink](ctx, s.c, transport.Request{Op: op, Method: "PUT", Path: expand(s.c.paths.CreatorAccount, creatorID, accountID), Route: s.c.paths.CreatorAccount}, callConfig{})
	if err != nil {
		return nil, err
	}
	if l.CreatorID == "" {
		l.CreatorID = creatorID
	}
	if l.AccountID == "" {
		l.AccountID = accountID
	}
	if l.Response != nil {
		l.Created = l.Response.StatusCode == http.StatusCreated
		if l.Response.Header != nil {
			l.Location = l.Response.Header.Get("Location")
		}
	}
	return l, nil
}

// UnlinkAccount removes an account from a creator (DELETE
// /creators/{id}/accounts/{account_id}).
func (s *CreatorsService) UnlinkAccount(ctx context.Context, creatorID, accountID string) (*ResponseMeta, error) {
	const op = "Creators.UnlinkAccount"
	creatorID, err := checkID(op, "creator_id", creatorID)
	if err != nil {
		return nil, err
	}
	accountID, err = checkID(op, "account_id", accountID)
	if err != nil {
		return nil, err
	}
	return s.c.do(ctx, transport.Request{Op: op, Method: "DELETE", Path: expand(s.c.paths.CreatorAccount, creatorID, accountID), Route: s.c.paths.CreatorAccount}, callConfig{}, nil)
}

// Accounts returns one page of a creator's accounts, through the
// documented GET /accounts?creator_id= filter (p.CreatorID is set to id).
func (s *CreatorsService) Accounts(ctx context.Context, id string, p ListAccountsParams) (*AccountList, error) {
	const op = "Creators.Accounts"
	q, err := creatorAccounts(op, id, p)
	if err != nil {
		return nil, err
	}
	return listPage[Account](ctx, s.c, op, s.c.paths.Accounts, q, pageParams{limit: p.Limit, cursor: p.Cursor, includeTotal: p.IncludeTotal})
}

// AccountsAll iterates over every account of a creator (the elements of
// Accounts' pages), lazily, as AccountsService.ListAll does with
// p.CreatorID set to id (opts cap it).
func (s *CreatorsService) AccountsAll(ctx context.Context, id string, p ListAccountsParams, opts ...ListOption) iter.Seq2[Account, error] {
	const op = "Creators.AccountsAll"
	q, err := creatorAccounts(op, id, p)
	if err != nil {
		return errSeq[Account](err)
	}
	return listAll[Account](ctx, s.c, op, s.c.paths.Accounts, q, pageParams{limit: p.Limit, cursor: p.Cursor, includeTotal: p.IncludeTotal}, opts)
}

// creatorAccounts is the query of a creator's accounts.
func creatorAccounts(op, id string, p ListAccountsParams) (url.Values, error) {
	id, err := checkID(op, "creator_id", id)
	if err != nil {
		return nil, err
	}
	p.CreatorID = id
	return p.filters(op)
}

// TopCreatorsParams are the inputs of Top (GET /creators/top).
type TopCreatorsParams struct {
	// Period is 7d, 30d or 90d (no custom range).
	Period Period
	// Limit is 1 to 25 (API default 10).
	Limit int
	// [inferred] Platform and Metric (the ranking metric, sent as
	// "metric") are not documented parameters.
	Platform Platform
	Metric   string
	// Extra adds query parameters the SDK does not know. They are sent
	// unchecked; the fields above win when set.
	Extra url.Values
}

// TopCreators is the leaderboard.
//
// It has Raw (the body as received) and Response (the response's
// metadata).
type TopCreators struct {
	Data []TopCreator    `json:"data"`
	Meta json.RawMessage `json:"meta,omitempty"`
	// Raw is the whole response body as received ({"data": ...}); empty
	// for a 304 Not Modified answer that the client did not have cached.
	Raw json.RawMessage `json:"-"`
	// Response is the metadata of the response: status, RequestID
	// (X-Request-ID), rate-limit headers, the ETag
	// (Response.GetHeader("ETag")), decode issues.
	Response *ResponseMeta `json:"-"`
}

// TopCreator is one leaderboard row. [inferred] The row's fields are not
// documented ("read fields off the live shape"): the SDK reads rank, the
// creator's id (id or creator_id), name (name or creator_name) and the
// metrics; Raw keeps the row as received. A value that does not fit is
// left zero and reported in the result's DecodeIssues. It re-encodes the
// typed values under the names they were read from.
//
// A row has Raw (the row as received) and no Response (TopCreators has
// it).
type TopCreator struct {
	Rank    int
	ID      string
	Name    string
	Metrics Metrics
	// Raw is the row as received.
	Raw json.RawMessage

	// names read: rank present, and the id and name members used.
	hasRank          bool
	idName, nameName string
}

// UnmarshalJSON implements json.Unmarshaler (strict; the client's
// tolerant decoding reports a value that does not fit in the result's
// DecodeIssues and leaves it zero).
func (t *TopCreator) UnmarshalJSON(b []byte) error { return jsonx.StrictFor(b, t) }

func init() { jsonx.Register(decodeTopCreator) }

// decodeTopCreator is the tolerant decoding of TopCreator (registered with
// jsonx.Register).
func decodeTopCreator(d *jsonx.Decoder, b []byte, t *TopCreator) {
	*t = TopCreator{}
	var fields map[string]json.RawMessage
	if !decode(d, b, &fields) {
		return
	}
	t.Raw = append(json.RawMessage(nil), b...)
	if raw, ok := fields["rank"]; ok && !isNull(raw) {
		var r jsonx.Int
		if d.Field("rank", raw, &r) {
			t.Rank, t.hasRank = int(r), true
		}
	}
	for _, n := range []string{"id", "creator_id"} {
		raw, ok := fields[n]
		if !ok || isNull(raw) {
			continue
		}
		var id jsonx.ID
		if d.Field(n, raw, &id) && id != "" {
			t.ID, t.idName = string(id), n
			break
		}
	}
	for _, n := range []string{"name", "creator_name"} {
		raw, ok := fields[n]
		if !ok || isNull(raw) {
			continue
		}
		if d.Field(n, raw, &t.Name) && t.Name != "" {
			t.nameName = n
			break
		}
	}
	t.Metrics.fromFields(d, fields)
}

// MarshalJSON implements json.Marshaler: the typed values, under the names
// they were read from (id, name and rank for a row built in code).
func (t TopCreator) MarshalJSON() ([]byte, error) {
	m := t.Metrics.fields()
	if t.Rank != 0 || t.hasRank {
		m["rank"] = t.Rank
	}
	idName, nameName := t.idName, t.nameName
	if idName == "" {
		idName = "id"
	}
	if nameName == "" {
		nameName = "name"
	}
	if t.ID != "" || t.idName == "" {
		m[idName] = t.ID
	}
	if t.Name != "" || t.nameName == "" {
		m[nameName] = t.Name
	}
	return json.Marshal(m)
}

// Top returns the creator leaderboard for a period.
func (s *CreatorsService) Top(ctx context.Context, p TopCreatorsParams) (*TopCreators, error) {
	const op = "Creators.Top"
	period, _, _, err := windowQuery(op, p.Period, "", "", false)
	if err != nil {
		return nil, err
	}
	if err := checkLimit(op, p.Limit, MaxSearchLimit); err != nil {
		return nil, err
	}
	pl, err := normPlatform(op, p.Platform, false)
	if err != nil {
		return nil, err
	}
	if p.Metric != "" {
		if err := transport.Refuse(vendor, op, "metric", check.ID(p.Metric)); err != nil {
			return nil, err
		}
	}
	q := url.Values{}
	for k, vs := range p.Extra {
		q[k] = append([]string(nil), vs...)
	}
	if period != "" {
		q.Set("period", string(period))
	}
	if p.Limit > 0 {
		q.Set("limit", strconv.Itoa(p.Limit))
	}
	if pl != "" {
		q.Set("platform", string(pl))
	}
	if p.Metric != "" {
		q.Set("metric", p.Metric)
	}
	var out TopCreators
	if _, err := s.c.do(ctx, transport.Request{Op: op, Method: "GET", Path: s.c.paths.CreatorsTop, Route: s.c.paths.CreatorsTop, Query: q}, callConfig{}, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// Analytics returns a creator's roll-up metrics (GET
// /creators/{id}/analytics, documented with start_date and end_date;
// period is [inferred]).
func (s *CreatorsService) Analytics(ctx context.Context, id string, p AnalyticsParams) (*Analytics, error) {
	return s.c.analytics(ctx, "Creators.Analytics", s.c.paths.CreatorAnalytics, "creator_id", id, checkID, p)
}

// Timeseries returns a creator's daily series ([inferred] path
// creators/{id}/timeseries).
func (s *CreatorsService) Timeseries(ctx context.Context, id string, p AnalyticsParams) (*Timeseries, error) {
	return s.c.timeseries(ctx, "Creators.Timeseries", s.c.paths.CreatorTimeseries, "creator_id", id, checkID, p)
}
