package engagecheck

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/creatorkit/creatorkit-go/internal/check"
	"github.com/creatorkit/creatorkit-go/internal/paging"
	"github.com/creatorkit/creatorkit-go/internal/transport"
)

// AuditsService submits, reads, lists and runs audits.
type AuditsService struct{ c *Client }

// CreateAuditParams are the inputs of Create.
type CreateAuditParams struct {
	// Username is the Instagram handle; "@", profile URLs and casing are
	// normalized (see NormalizeUsername). Required.
	Username string `json:"username"`
	// WebhookURL, when set, receives audit.completed or audit.failed. It
	// must be an absolute https URL (http is accepted for local testing).
	WebhookURL string `json:"webhook_url,omitempty"`
	// IdempotencyKey is sent as an Idempotency-Key header. EngageCheck does
	// not document idempotency keys, so the SDK does not rely on it: a
	// create that may have reached the server is reconciled, never resent
	// blindly.
	IdempotencyKey string `json:"-"`
}

// Create submits one audit. It spends one credit (refunded if the audit
// fails), also when EngageCheck answers with a fresh report inline. It
// usually returns at once with status pending; if EngageCheck already
// holds a fresh report for the handle, the audit comes back complete with
// the report inline. With WithBudget the credit is reserved first: a
// budget that cannot hold it fails the call with ErrBudgetExceeded and
// nothing is sent.
//
// Create is retried on 429 and on connection failures before the request
// was written: nothing was spent then. After those retries a 429 is
// returned as ErrRateLimited (its Temporary method says so), and no credit
// was spent. If the request may have reached the server without a usable
// answer (a 5xx, a timeout, a dropped connection, or an answer whose id or
// status cannot be read), Create does not resend it blindly: it looks for
// the audit in the recent-audits list (free) and returns it when found; it
// resends only when the list shows no such audit. When even that is
// impossible the error is ErrOutcomeUnknown. An audit recovered from the
// list is then read by id; should that read fail, the list row's fields
// are returned (ID, Username, Status and times), so a paid audit is never
// reported as an error.
func (s *AuditsService) Create(ctx context.Context, p CreateAuditParams) (*Audit, error) {
	const op = "Audits.Create"
	name, err := NormalizeUsername(p.Username)
	if err != nil {
		return nil, invalidParams(op, "username", "%v", err.(*Error).Message)
	}
	if name == "" {
		return nil, invalidParams(op, "username", "username is required")
	}
	if err := checkWebhookURL(op, p.WebhookURL); err != nil {
		return nil, err
	}
	if err := checkIdempotencyKey(op, p.IdempotencyKey); err != nil {
		return nil, err
	}
	a, _, err := s.create(ctx, name, p.WebhookURL, p.IdempotencyKey)
	return a, err
}

const opCreate = "Audits.Create"

// create submits a normalized handle, reconciling a lost answer. When it
// fails with ErrOutcomeUnknown, how says where the lost submit's credit
// was counted.
func (s *AuditsService) create(ctx context.Context, name, webhook, key string) (_ *Audit, how counted, _ error) {
	const op = opCreate
	body := CreateAuditParams{Username: name, WebhookURL: webhook}
	var created *Audit
	recovered, how, err := s.sendReconciled(ctx, op, []string{name}, func(ctx context.Context, _ []string) (counted, error) {
		var a Audit
		how, err := s.c.submit(ctx, transport.Request{Op: op, Method: "POST", Path: "audits", Route: routeAudits, Body: body, IdempotencyKey: key,
			Retry: transport.RetryOnce, Spend: transport.Spend{Cost: 1}}, &a)
		if err != nil {
			return how, err
		}
		if a.ID <= 0 || a.Status == "" {
			return how, unusable(op, a.Response.StatusCode, "the answer has no audit id or status")
		}
		s.c.paid(op, a.ID, a.Status)
		created = &a
		return how, nil
	})
	switch {
	case err != nil:
		return nil, how, err
	case created != nil:
		return created, how, nil
	}
	return s.adopt(ctx, recovered[name]), how, nil
}

// adopt returns the audit of a list row found by reconciliation: read by
// id (free), or, if that read fails, built from the row itself.
func (s *AuditsService) adopt(ctx context.Context, row AuditSummary) *Audit {
	if a, err := s.Get(ctx, row.ID); err == nil {
		return a
	}
	return row.audit()
}

// audit returns the fields of the row as an Audit (no report).
func (row AuditSummary) audit() *Audit {
	return &Audit{ID: row.ID, Username: row.Username, Status: row.Status, AQS: row.AQS, Verdict: row.Verdict,
		ErrorMessage: row.ErrorMessage, CreatedAt: row.CreatedAt, CompletedAt: row.CompletedAt,
		PollURL: "/api/v1/audits/" + strconv.FormatInt(row.ID, 10)}
}

// CreateBatchParams are the inputs of CreateBatch.
type CreateBatchParams struct {
	// Usernames are the handles, at most 50 after blanks and duplicates
	// are dropped (the SDK drops them before sending, as the API would).
	Usernames []string `json:"usernames"`
	// WebhookURL receives one webhook per handle as each settles.
	WebhookURL string `json:"webhook_url,omitempty"`
	// IdempotencyKey: see CreateAuditParams.
	IdempotencyKey string `json:"-"`
}

// MaxBatch is the most handles one CreateBatch call takes.
const MaxBatch = 50

// Batch is what CreateBatch returns: one row per submitted handle, with
// Raw and Response (both empty when every row was recovered from the
// list: see Reconciled).
//
// Control fields: the shape of Results (an array of objects), each row's
// ID, Username and Status, and CreditsRemaining (CreateAndWaitAll sizes
// its next batch on it). An answer where one of them does not fit its type is
// ErrUnexpectedResponse, and CreateBatch then recovers the rows from the
// recent-audits list (the credits were spent). Any other value that does
// not fit is left zero and listed in Response.DecodeIssues.
type Batch struct {
	// Results are the submitted handles' audits (control: their shape).
	Results []BatchRow `json:"results"`
	// CreditsRemaining is the balance after the submit; -1 when the batch
	// was reconciled and the API's answer never arrived (control field).
	CreditsRemaining int64   `json:"credits_remaining" creatorkit:"control"`
	WebhookURL       *string `json:"webhook_url"`
	// Dropped lists the inputs the SDK left out as blanks or duplicates.
	Dropped []string `json:"-"`
	// Reconciled is true when the submit's answer was lost and the rows
	// were recovered from the recent-audits list.
	Reconciled bool `json:"-"`

	// Raw is the response body as received.
	Raw json.RawMessage `json:"-"`
	// Response is the metadata of the response.
	Response *ResponseMeta `json:"-"`
}

// BatchRow is one submitted handle (no Raw or Response of its own: see
// its Batch). ID, Username (the SDK matches rows to
// the handles it sent by it) and Status are control fields.
type BatchRow struct {
	ID       int64       `json:"id" creatorkit:"control"`
	Username string      `json:"username" creatorkit:"control"`
	Status   AuditStatus `json:"status" creatorkit:"control"`
	PollURL  string      `json:"poll_url"`
}

// CreateBatch submits up to 50 handles in one call. Credits for the whole
// batch are reserved up front: a 402 (ErrQuotaExceeded) means the key
// cannot cover it and nothing was spent. Audits run one after another in
// the background; each failed audit is refunded. With WithBudget the
// batch reserves one credit per handle first: a budget that cannot hold
// them all fails the call with ErrBudgetExceeded and nothing is sent
// (CreateAndWaitAll sizes its batches to the budget instead).
//
// A 429 that outlasts the transport's retries is returned as
// ErrRateLimited and nothing was spent. Like Create, a batch whose answer
// was lost or cannot be read (a row's id, handle or status, or the rows
// themselves) is reconciled against the recent-audits list, and only the
// handles missing from it are resent. If that resend fails too,
// CreateBatch returns the rows it recovered (Reconciled set) together with
// the error, so no submitted audit is lost.
func (s *AuditsService) CreateBatch(ctx context.Context, p CreateBatchParams) (*Batch, error) {
	const op = "Audits.CreateBatch"
	names, _, dropped, err := normalizeAll(op, p.Usernames)
	if err != nil {
		return nil, err
	}
	switch {
	case len(names) == 0:
		return nil, invalidParams(op, "usernames", "no handles left after dropping blanks and duplicates")
	case len(names) > MaxBatch:
		return nil, invalidParams(op, "usernames", "at most %d handles per batch, got %d after dropping blanks and duplicates; use CreateAndWaitAll for any number", MaxBatch, len(names))
	}
	if err := checkWebhookURL(op, p.WebhookURL); err != nil {
		return nil, err
	}
	if err := checkIdempotencyKey(op, p.IdempotencyKey); err != nil {
		return nil, err
	}
	b, _, err := s.submitBatch(ctx, names, p.WebhookURL, p.IdempotencyKey)
	if b != nil {
		b.Dropped = dropped
	}
	return b, err
}

const opBatch = "Audits.CreateBatch"

// submitBatch posts normalized handles, reconciling a lost answer. It
// returns the rows it has (sent or recovered) even with an error; when
// that error is ErrOutcomeUnknown, how says where the lost submit's
// credits were counted.
func (s *AuditsService) submitBatch(ctx context.Context, names []string, webhook, key string) (_ *Batch, how counted, _ error) {
	const op = opBatch
	var sent *Batch
	recovered, how, err := s.sendReconciled(ctx, op, names, func(ctx context.Context, names []string) (counted, error) {
		var b Batch
		how, err := s.c.submit(ctx, transport.Request{Op: op, Method: "POST", Path: "audits/batch", Route: routeBatch,
			Body: CreateBatchParams{Usernames: names, WebhookURL: webhook}, IdempotencyKey: key, Retry: transport.RetryOnce,
			Spend: transport.Spend{Cost: int64(len(names))}}, &b)
		if err != nil {
			return how, err
		}
		if msg := b.unusable(names); msg != "" {
			return how, unusable(op, b.Response.StatusCode, "%s", msg)
		}
		for _, row := range b.Results {
			s.c.paid(op, row.ID, row.Status)
		}
		sent = &b
		return how, nil
	})
	if len(recovered) == 0 {
		return sent, how, err
	}
	if sent == nil {
		sent = &Batch{CreditsRemaining: -1}
	}
	sent.Reconciled = true
	for _, n := range names {
		if sum, ok := recovered[n]; ok {
			sent.Results = append(sent.Results, BatchRow{ID: sum.ID, Username: n, Status: sum.Status, PollURL: "/api/v1/audits/" + strconv.FormatInt(sum.ID, 10)})
		}
	}
	return sent, how, err
}

// unusable says why a batch answer cannot be used for the handles sent,
// or "": it has no rows, or a row without an id or a status, or for a
// handle that was not sent.
func (b *Batch) unusable(names []string) string {
	if len(b.Results) == 0 {
		return "the batch answer has no rows"
	}
	sent := make(map[string]bool, len(names))
	for _, n := range names {
		sent[n] = true
	}
	for i, row := range b.Results {
		switch {
		case row.ID <= 0 || row.Status == "":
			return fmt.Sprintf("row %d of the batch answer has no audit id or status", i)
		case !sent[row.Username]:
			return fmt.Sprintf("row %d of the batch answer names a handle that was not sent", i)
		}
	}
	return ""
}

// sendReconciled runs a credit-spending submit by op for names. When its
// answer is lost or unreadable (ErrOutcomeUnknown) it looks the handles up
// in the recent-audits list instead of resending: the ones found are
// returned as recovered (and followed for refunds where their credits
// were counted as spent), and only the ones the list proves were not
// created are sent again, once. how is where the last submit's credits
// were counted.
func (s *AuditsService) sendReconciled(ctx context.Context, op string, names []string, send func(ctx context.Context, names []string) (counted, error)) (_ map[string]AuditSummary, how counted, _ error) {
	recovered := map[string]AuditSummary{}
	for try := 0; ; try++ {
		sentAt := time.Now()
		how, err := send(ctx, names)
		if err == nil || !errors.Is(err, ErrOutcomeUnknown) || try > 0 {
			return recovered, how, err
		}
		res, rerr := s.reconcile(ctx, names, sentAt)
		if rerr != nil {
			return recovered, how, err
		}
		var missing []string
		var rows []AuditSummary
		for _, n := range names {
			if sum, ok := res.found[n]; ok {
				recovered[n] = sum
				rows = append(rows, sum)
			} else {
				missing = append(missing, n)
			}
		}
		notCreated := 0
		if res.exhaustive {
			notCreated = len(missing)
		}
		s.c.recovered(op, how, rows, notCreated)
		if len(missing) == 0 {
			return recovered, how, nil
		}
		if !res.exhaustive {
			// The walk stopped before the submit's time: a handle not
			// found may still have an audit. Never resend on a guess.
			return recovered, how, err
		}
		names = missing
	}
}

// Get fetches one audit by id: its status while it runs, the full report
// once complete, or error_message once failed. Free.
func (s *AuditsService) Get(ctx context.Context, id int64) (*Audit, error) {
	const op = "Audits.Get"
	if err := checkAuditID(op, id); err != nil {
		return nil, err
	}
	var a Audit
	if err := s.c.do(ctx, transport.Request{Op: op, Method: "GET", Path: "audits/" + strconv.FormatInt(id, 10), Route: routeAudit}, &a); err != nil {
		return nil, err
	}
	s.c.seen(id, a.Status)
	return &a, nil
}

// ListAuditsParams page through recent audits.
type ListAuditsParams struct {
	// Limit is the page size, 1 to 100; 0 uses the API default (25) for
	// List and 100 for ListAll.
	Limit int
	// Offset is how many rows to skip.
	Offset int
}

// MaxListLimit is the largest page List accepts.
const MaxListLimit = 100

func (p ListAuditsParams) check(op string) error {
	if p.Limit != 0 {
		if msg := check.IntRange(p.Limit, 1, MaxListLimit); msg != "" {
			return invalidParams(op, "limit", "limit %s", msg)
		}
	}
	if p.Offset < 0 {
		return invalidParams(op, "offset", "offset must be >= 0, got %d", p.Offset)
	}
	return nil
}

// AuditList is one page of recent audits. It has Raw (the body as
// received) and Response (the response's metadata, with its DecodeIssues).
//
// A bad row costs only that row: a row that is not an object (null, an
// array), or whose id, username, status or created_at is missing, null or
// does not fit its type, is left out of Data and listed in
// Response.DecodeIssues (its path, "data[3].id"); the other rows are
// there as sent. The SDK never reads a page with a skipped row as proof
// that an audit does not exist: reconciling a lost submit asks again (by
// id, or on the next list read), and ListAll yields an *ItemError for the
// row. Only a page whose data is not an array (null, absent, an object)
// is ErrUnexpectedResponse, never an empty page. Any other value that does
// not fit is left zero and listed in Response.DecodeIssues.
type AuditList struct {
	// Data are the usable rows, newest first.
	Data []AuditSummary `json:"data"`
	// Count is the number of rows the API reports for the page.
	Count  int `json:"count"`
	Limit  int `json:"limit"`
	Offset int `json:"offset"`

	// Raw is the response body as received.
	Raw json.RawMessage `json:"-"`
	// Response is the metadata of the response.
	Response *ResponseMeta `json:"-"`

	rows    int          // rows the page held, usable or not
	skipped []skippedRow // rows left out of Data
}

// AuditSummary is one row of the recent-audits list (no Raw or Response of
// its own: see its AuditList). ID, Username, Status and CreatedAt are what
// the SDK needs of a row (CreateAndWaitAll follows audits by id and
// status, and reconciling a lost submit matches rows by handle and
// creation time): a row without one of them is skipped (see AuditList).
type AuditSummary struct {
	ID       int64       `json:"id"`
	Username string      `json:"username"`
	Status   AuditStatus `json:"status"`
	// AQS is the Audience Quality Score, 0 to 100, once complete.
	AQS     *float64 `json:"aqs,omitempty"`
	Verdict Verdict  `json:"verdict,omitempty"`
	// ErrorMessage is set on failed rows if the API includes it.
	ErrorMessage *string `json:"error_message,omitempty"`
	CreatedAt    *Time   `json:"created_at,omitempty"`
	CompletedAt  *Time   `json:"completed_at,omitempty"`
}

// List returns one page of the most recent audits, newest first. Free.
func (s *AuditsService) List(ctx context.Context, p ListAuditsParams) (*AuditList, error) {
	const op = "Audits.List"
	if err := p.check(op); err != nil {
		return nil, err
	}
	return s.list(ctx, op, p)
}

func (s *AuditsService) list(ctx context.Context, op string, p ListAuditsParams) (*AuditList, error) {
	q := url.Values{}
	if p.Limit > 0 {
		q.Set("limit", strconv.Itoa(p.Limit))
	}
	if p.Offset > 0 {
		q.Set("offset", strconv.Itoa(p.Offset))
	}
	var l AuditList
	if err := s.c.do(ctx, transport.Request{Op: op, Method: "GET", Path: "audits", Route: routeAudits, Query: q}, &l); err != nil {
		return nil, err
	}
	s.c.seenRows(l.Data)
	return &l, nil
}

// ListAll iterates over every recent audit from p.Offset on, newest first,
// fetching a page (100 rows unless p.Limit says otherwise) only when the
// loop reaches it. It yields what List's pages hold (AuditSummary rows),
// each audit once even when new audits shift the pages while it walks.
// Pages are free, so it has no cap by default: WithMaxPages and
// WithMaxItems set one. Bad params or options are yielded as the first
// and only error.
//
// A row the SDK could not read (see AuditList) costs only that row: it is
// yielded as what could be read of it with an *ItemError (Err
// ErrUnexpectedResponse; Item and ID name the audit when its handle or id
// could be read; Reason gives the row's place and what did not fit), and
// the walk goes on. Such a row counts toward WithMaxItems.
func (s *AuditsService) ListAll(ctx context.Context, p ListAuditsParams, opts ...ListOption) iter.Seq2[AuditSummary, error] {
	const op = "Audits.ListAll"
	lim, err := listLimits(op, opts)
	if err == nil {
		err = p.check(op)
	}
	if err != nil {
		return paging.Fail[AuditSummary](err)
	}
	limit := p.Limit
	if limit == 0 {
		limit = MaxListLimit
	}
	walk := paging.Walk(ctx, p.Offset, func(ctx context.Context, off int) (paging.Step[listItem, int], error) {
		l, err := s.list(ctx, op, ListAuditsParams{Limit: limit, Offset: off})
		if err != nil {
			return paging.Step[listItem, int]{}, err
		}
		return paging.Step[listItem, int]{Items: l.items(), Next: off + l.rows, More: l.rows > 0 && l.rows >= limit}, nil
	}, lim, paging.UniqueBy(func(it listItem) string {
		if it.err != nil {
			return "" // always yielded
		}
		return strconv.FormatInt(it.row.ID, 10)
	}))
	return func(yield func(AuditSummary, error) bool) {
		for it, err := range walk {
			if err != nil {
				yield(AuditSummary{}, err)
				return
			}
			if !yield(it.row, it.err) {
				return
			}
		}
	}
}

// listItem is one row of a page as ListAll yields it: a usable row, or
// what could be read of a skipped one with its *ItemError.
type listItem struct {
	row AuditSummary
	err error
}

// items returns the page's rows in their order, the skipped ones with
// their *ItemError.
func (l *AuditList) items() []listItem {
	out := make([]listItem, 0, l.rows)
	good, bad := 0, 0
	for i := 0; i < l.rows; i++ {
		if bad < len(l.skipped) && l.skipped[bad].index == i {
			out = append(out, listItem{row: l.skipped[bad].row, err: l.skipped[bad].itemError(l)})
			bad++
			continue
		}
		if good < len(l.Data) {
			out = append(out, listItem{row: l.Data[good]})
			good++
		}
	}
	return out
}

// itemError is the *ItemError of a row the SDK skipped: what did not fit,
// from the page's decode issues.
func (sk skippedRow) itemError(l *AuditList) *ItemError {
	prefix := "data[" + strconv.Itoa(sk.index) + "]"
	var what []string
	if l.Response != nil {
		for _, is := range l.Response.DecodeIssues {
			if is.Path == prefix || strings.HasPrefix(is.Path, prefix+".") {
				member := strings.TrimPrefix(strings.TrimPrefix(is.Path, prefix), ".")
				if member != "" {
					member += ": "
				}
				what = append(what, fmt.Sprintf("%sgot %s, want %s", member, is.Got, is.Want))
			}
		}
	}
	reason := fmt.Sprintf("row %d of the page at offset %d could not be read", sk.index, l.Offset)
	if len(what) > 0 {
		reason += " (" + strings.Join(what, "; ") + ")"
	}
	reason += "; it was skipped"
	e := &ItemError{Vendor: vendor, Reason: reason, State: string(sk.row.Status), Err: ErrUnexpectedResponse}
	switch {
	case sk.row.Username != "":
		e.Item = handleItem(sk.row.Username)
	case sk.row.ID > 0:
		e.Item = idItem(sk.row.ID)
	}
	if sk.row.ID > 0 {
		e.ID = strconv.FormatInt(sk.row.ID, 10)
	}
	return e
}
