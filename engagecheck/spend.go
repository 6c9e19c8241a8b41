package engagecheck

import (
	"sync"
	"sync/atomic"

	"github.com/creatorkit/creatorkit-go"
	"github.com/creatorkit/creatorkit-go/internal/transport"
)

// unit is what EngageCheck charges in: credits, one per audit.
const unit = "credits"

// Spend types, re-exported from package creatorkit so one import is
// enough.
type (
	// Usage is what a client has done and spent: Client.Usage returns it.
	Usage = creatorkit.Usage
	// OperationUsage is Usage for one operation ("Audits.Create").
	OperationUsage = creatorkit.OperationUsage
	// Budget caps what clients may spend, in credits; see WithBudget.
	Budget = creatorkit.Budget
)

// NewBudget returns a budget of limit credits, to give to WithBudget. One
// budget may be shared by any number of goroutines and EngageCheck
// clients, and then caps their sum.
func NewBudget(limit int64) *Budget { return creatorkit.NewBudget(limit) }

// WithBudget caps the credits the client may spend (b may be shared with
// other EngageCheck clients). A paid call reserves what it may cost before
// anything is sent, and fails with ErrBudgetExceeded, sending nothing,
// when the budget cannot hold it: Audits.Create and Audits.CreateAndWait
// reserve 1 credit, Audits.CreateBatch one per handle (the whole batch or
// nothing). Audits.CreateAndWaitAll sizes each batch to what remains and
// answers the handles it could not submit with an *ItemError of kind
// ErrBudgetExceeded. A submit whose answer was lost keeps its credits
// charged against the budget (Usage.SpentUnknown); refunds of failed
// audits the client sees give them back (see Client.Usage).
func WithBudget(b *Budget) Option { return wrap(transport.WithBudget("", b)) }

// Usage returns what the client has done and spent so far: requests,
// retries, 429s, the time spent waiting for the rate limit, and credits,
// per operation.
//
// Paid calls, in credits, as EngageCheck documents them: Audits.Create
// costs 1; Audits.CreateBatch costs one per handle sent (blanks and
// duplicates are dropped first), reserved up front for the whole batch; a
// 402 costs nothing. Assumed where the documentation is silent: a submit
// answered with a fresh report inline costs its credit too, and any other
// 4xx costs nothing. CreateAndWait and CreateAndWaitAll spend through
// Create and CreateBatch. Gets, lists and the balance are free.
//
// A credit counts as Spent when the submit's answer arrived, and as
// SpentUnknown when the request may have reached EngageCheck without a
// usable answer (a lost connection, a timeout, a 5xx: ErrOutcomeUnknown).
// A lost submit that the SDK then found in the recent-audits list (its
// reconcile path) stays in SpentUnknown: the audit exists, but the SDK
// counts as Spent only what an answer confirmed.
//
// EngageCheck refunds failed, private and not-found audits. When a call of
// this client (Get, GetAndWait, List, ListAll, CreateAndWait, the roster)
// sees an audit it paid for end in status error, the credit is taken off
// Spent, and off the budget, once; audits whose credit is in SpentUnknown
// are left as counted. So once every audit the client submitted has
// settled and been seen by it,
//
//	Spent <= the credits EngageCheck kept <= Spent + SpentUnknown
//
// (the balance it took net of its refunds), equal when SpentUnknown is 0.
func (c *Client) Usage() Usage { return c.t.Usage() }

// counted says where the transport counted the credits of a submit (its
// Spend): what a reconcile of a lost one may settle.
type counted int

const (
	// countedNone: nothing was counted (refused, an error answer, or a
	// success answer the transport could not decode).
	countedNone counted = iota
	// countedSpent: the answer arrived (a 2xx) and its credits are in
	// Spent, but the SDK could not use it (no id or status).
	countedSpent
	// countedUnknown: the answer was lost; the credits are in
	// SpentUnknown.
	countedUnknown
)

// resolver is the transport hook that would settle the credits of a
// lost submit once a reconcile has seen what it did: charged of them move
// from SpentUnknown to Spent (the audits were found; their refunds are
// then followed like any other), notCharged of them leave SpentUnknown
// and the budget (the list proves those handles were not created).
// internal/transport has no such method yet; when *transport.Client grows
// one, NewClient picks it up and reconciled submits are counted exactly,
// with no other change here.
type resolver interface {
	Resolve(op, unit string, charged, notCharged int64)
}

// paidAudits are the audits this client paid for whose end it has not
// seen yet, with the operation that paid for each: when one ends in
// status error, EngageCheck refunded its credit, and the client takes it
// off that operation's Spent, once. An id is kept (a few dozen bytes)
// until the client sees its audit settle.
type paidAudits struct {
	n   atomic.Int64 // len(ops), read without the lock on the Get path
	mu  sync.Mutex
	ops map[int64]string
}

// paid records an audit paid for by op. A status already terminal is
// settled at once.
func (c *Client) paid(op string, id int64, status AuditStatus) {
	if id <= 0 {
		return
	}
	if status.Terminal() {
		if status == StatusError {
			c.t.Refund(op, "", 1)
		}
		return
	}
	p := &c.spent
	p.mu.Lock()
	if p.ops == nil {
		p.ops = map[int64]string{}
	}
	if _, ok := p.ops[id]; !ok {
		p.ops[id] = op
		p.n.Add(1)
	}
	p.mu.Unlock()
}

// recovered records what a reconcile saw of a submit by op whose answer
// did not come back usable: rows are the audits it found, and notCreated
// how many of the submit's handles the list proves were not created. how
// is where the transport counted the submit's credits.
func (c *Client) recovered(op string, how counted, rows []AuditSummary, notCreated int) {
	switch how {
	case countedNone:
		return
	case countedUnknown:
		if c.resolve == nil || len(rows)+notCreated == 0 {
			return // the credits stay in SpentUnknown, refunds and all
		}
		c.resolve.Resolve(op, "", int64(len(rows)), int64(notCreated))
	}
	for _, row := range rows {
		c.paid(op, row.ID, row.Status)
	}
}

// seen settles an audit the client saw in a terminal status: if the
// client paid for it and it failed, its credit was refunded. It costs an
// atomic load when the client has no audit to follow.
func (c *Client) seen(id int64, status AuditStatus) {
	if !status.Terminal() || c.spent.n.Load() == 0 {
		return
	}
	c.spent.mu.Lock()
	op := c.spent.settle(id)
	c.spent.mu.Unlock()
	if op != "" && status == StatusError {
		c.t.Refund(op, "", 1)
	}
}

// seenRows is seen for the rows of a list page.
func (c *Client) seenRows(rows []AuditSummary) {
	if c.spent.n.Load() == 0 {
		return
	}
	refunds := map[string]int64{}
	c.spent.mu.Lock()
	for _, row := range rows {
		if row.Status.Terminal() {
			if op := c.spent.settle(row.ID); op != "" && row.Status == StatusError {
				refunds[op]++
			}
		}
	}
	c.spent.mu.Unlock()
	for op, n := range refunds {
		c.t.Refund(op, "", n)
	}
}

// settle forgets audit id and returns the operation that paid for it, ""
// when it is not followed. Callers hold p.mu.
func (p *paidAudits) settle(id int64) string {
	op, ok := p.ops[id]
	if ok {
		delete(p.ops, id)
		p.n.Add(-1)
	}
	return op
}
