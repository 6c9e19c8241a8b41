package transport

import (
	"maps"
	"sync"
	"time"

	"github.com/creatorkit/creatorkit-go"
)

// Usage and Budget are the root package's.
type (
	Usage          = creatorkit.Usage
	OperationUsage = creatorkit.OperationUsage
	Budget         = creatorkit.Budget
	Observer       = creatorkit.Observer
)

// ledger is a client's Usage: each call adds its counts once, when it
// ends, under one lock.
type ledger struct {
	unit string

	mu    sync.Mutex
	total OperationUsage // in unit
	ops   map[string]*OperationUsage
}

func newLedger(unit string) *ledger {
	return &ledger{unit: unit, total: OperationUsage{Unit: unit}, ops: map[string]*OperationUsage{}}
}

// tally is one call's counts.
type tally struct {
	requests, retries, rateLimited int64
	waited                         time.Duration
	unit                           string
	spent, unknown                 int64
}

func (t tally) addTo(o *OperationUsage, spend bool) {
	o.Calls++
	o.Requests += t.requests
	o.Retries += t.retries
	o.RateLimited += t.rateLimited
	o.RateLimitWait += t.waited
	if spend {
		o.Spent += t.spent
		o.SpentUnknown += t.unknown
	}
}

func (l *ledger) op(name, unit string) *OperationUsage {
	o := l.ops[name]
	if o == nil {
		o = &OperationUsage{}
		l.ops[name] = o
	}
	if o.Unit == "" {
		o.Unit = unit
	}
	return o
}

func (l *ledger) add(op string, t tally) {
	l.mu.Lock()
	defer l.mu.Unlock()
	t.addTo(l.op(op, t.unit), true)
	t.addTo(&l.total, t.unit == l.unit)
}

// refund takes n off op's spend (and the total's, in the client's unit).
func (l *ledger) refund(op, unit string, n int64) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.op(op, unit).Spent -= n
	if unit == l.unit {
		l.total.Spent -= n
	}
}

// resolve moves spend of op out of SpentUnknown: charged to Spent, the
// rest dropped (the vendor did not charge it), never below 0.
func (l *ledger) resolve(op, unit string, charged, notCharged int64) (moved int64) {
	l.mu.Lock()
	defer l.mu.Unlock()
	o := l.op(op, unit)
	charged = min(charged, o.SpentUnknown)
	notCharged = min(notCharged, o.SpentUnknown-charged)
	o.SpentUnknown -= charged + notCharged
	o.Spent += charged
	if unit == l.unit {
		l.total.SpentUnknown -= charged + notCharged
		l.total.Spent += charged
	}
	return notCharged
}

func (l *ledger) snapshot() Usage {
	l.mu.Lock()
	defer l.mu.Unlock()
	t := l.total
	u := Usage{Calls: t.Calls, Requests: t.Requests, Retries: t.Retries, RateLimited: t.RateLimited,
		RateLimitWait: t.RateLimitWait, Unit: l.unit, Spent: t.Spent, SpentUnknown: t.SpentUnknown,
		Operations: make(map[string]OperationUsage, len(l.ops))}
	for name, o := range l.ops {
		u.Operations[name] = *o
	}
	return u
}

// Usage returns what the client has done and spent so far.
func (c *Client) Usage() Usage { return c.ledger.snapshot() }

// SumUsage sums two snapshots of clients in the same unit that make up
// one vendor client (First Party's two hosts, HypeAuditor's two roots):
// every count, the totals and each operation's. An operation's unit is
// a's, or b's when a has none. a's Operations map is not modified.
func SumUsage(a, b Usage) Usage {
	a.Calls += b.Calls
	a.Requests += b.Requests
	a.Retries += b.Retries
	a.RateLimited += b.RateLimited
	a.RateLimitWait += b.RateLimitWait
	a.Spent += b.Spent
	a.SpentUnknown += b.SpentUnknown
	if a.Unit == "" {
		a.Unit = b.Unit
	}
	a.Operations = maps.Clone(a.Operations)
	if a.Operations == nil {
		a.Operations = map[string]OperationUsage{}
	}
	for name, o := range b.Operations {
		x := a.Operations[name]
		x.Calls += o.Calls
		x.Requests += o.Requests
		x.Retries += o.Retries
		x.RateLimited += o.RateLimited
		x.RateLimitWait += o.RateLimitWait
		x.Spent += o.Spent
		x.SpentUnknown += o.SpentUnknown
		if x.Unit == "" {
			x.Unit = o.Unit
		}
		a.Operations[name] = x
	}
	return a
}

// Refund records n units of op's spend that the vendor gave back (an
// EngageCheck audit that failed): off Usage.Spent and off the budget.
// unit is the operation's unit ("" for the client's).
func (c *Client) Refund(op, unit string, n int64) {
	if n <= 0 {
		return
	}
	if unit == "" {
		unit = c.s.Unit
	}
	c.ledger.refund(op, unit, n)
	if b := c.s.Budgets[unit]; b != nil {
		b.Refund(n)
	}
}

// Resolve records what a reconcile path learned about spend that was
// counted as unknown (a submit whose answer was lost, found afterwards):
// charged units of op's SpentUnknown move to Spent, notCharged units are
// dropped from it and given back to the budget. unit is the operation's
// unit ("" for the client's). It never takes SpentUnknown below 0.
func (c *Client) Resolve(op, unit string, charged, notCharged int64) {
	if unit == "" {
		unit = c.s.Unit
	}
	freed := c.ledger.resolve(op, unit, max(charged, 0), max(notCharged, 0))
	if b := c.s.Budgets[unit]; b != nil && freed > 0 {
		b.Refund(freed)
	}
}

// Budget returns the budget of a unit ("" for the client's own), or nil.
func (c *Client) Budget(unit string) *Budget {
	if unit == "" {
		unit = c.s.Unit
	}
	return c.s.Budgets[unit]
}

// Unit returns the client's unit of spend.
func (c *Client) Unit() string { return c.s.Unit }
