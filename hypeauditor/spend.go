package hypeauditor

import (
	"context"
	"errors"
	"strings"
	"sync"
	"time"

	"github.com/creatorkit/creatorkit-go"
	"github.com/creatorkit/creatorkit-go/internal/poll"
	"github.com/creatorkit/creatorkit-go/internal/transport"
)

// The units HypeAuditor charges in.
const (
	// UnitReportCredits is the client's unit (Usage.Unit, WithBudget):
	// report credits, spent by the report calls, the metrics histories
	// and the PDF exports.
	UnitReportCredits = "report credits"
	// UnitDiscoveryQueries is what a live discovery page and a keyword
	// post search spend (WithDiscoveryBudget); its spend is in the
	// operations Discovery.Search, Discovery.SearchAll and
	// Discovery.SearchKeywordsPosts, not in Usage.Spent: read it with
	// Usage.SpentIn(UnitDiscoveryQueries).
	UnitDiscoveryQueries = "discovery queries"
)

// Usage, OperationUsage and Budget are package creatorkit's, here so one
// import is enough.
type (
	// Usage is what a client did and spent (creatorkit.Usage).
	Usage = creatorkit.Usage
	// OperationUsage is Usage for one operation.
	OperationUsage = creatorkit.OperationUsage
	// Budget caps spend in one unit, across goroutines and clients
	// (creatorkit.Budget).
	Budget = creatorkit.Budget
)

// NewBudget returns a budget of limit units (creatorkit.NewBudget): give
// it to WithBudget (report credits) or WithDiscoveryBudget (discovery
// queries), never to both.
func NewBudget(limit int64) *Budget { return creatorkit.NewBudget(limit) }

// WithBudget caps the report credits the client may spend; one Budget
// may be shared by any number of clients and goroutines. A report,
// metrics history or PDF export request that may unlock a report
// reserves one credit first and is refused with
// ErrBudgetExceeded, nothing sent, when the budget cannot hold it; a
// request for an account this client already saw unlocked (a re-poll,
// the later checks of an AndWait) is free and needs no room. Spend whose
// answer did not say whether it was charged (Usage.SpentUnknown) counts
// against the budget until a later answer settles it (see
// Client.Usage).
func WithBudget(b *Budget) Option { return wrap(transport.WithBudget("", b)) }

// WithDiscoveryBudget caps the discovery queries the client may spend:
// each live discovery page and each keyword post search reserves one,
// and a request the budget cannot hold is refused with ErrBudgetExceeded
// before it is sent (SearchAll yields that error once and stops). The
// sandbox is free.
func WithDiscoveryBudget(b *Budget) Option {
	return wrap(transport.WithBudget(UnitDiscoveryQueries, b))
}

// Usage returns what the client has done and spent so far, on both roots
// (the method calls and the market analysis calls, summed per operation
// and in the totals): Unit is UnitReportCredits, and Spent and
// SpentUnknown are report credits (reports, metrics histories, PDF
// exports); discovery pages and keyword post searches are in
// Operations["Discovery.Search"], ["Discovery.SearchAll"] and
// ["Discovery.SearchKeywordsPosts"] with Unit UnitDiscoveryQueries
// (Usage.SpentIn). The market analysis calls spend nothing the SDK counts
// (see MarketAnalysisService). After any run, in each unit,
//
//	Spent <= what HypeAuditor charged <= Spent + SpentUnknown
//
// What a report request costs [DOC] (a metrics history or PDF export
// request is one too, for the same account): the first request for an account
// spends one credit and unlocks its report for a year; asking again within
// the year is free; since 2025-02-10 a report whose generation fails
// (private, deleted, ...) is refunded. A report answer does not say
// whether this request was the one that unlocked it, so the client
// counts:
//
//   - a request for an account this client saw unlocked within the year
//     (any report answer for it, or a lost answer still unsettled): free,
//     0 (nothing reserved, and retried after a 5xx or a lost connection
//     like any free GET);
//   - any other report request (Cost 1, never resent once it may have
//     reached HypeAuditor): Spent 1 when the answer's validUntil, taken as
//     the moment of the unlock plus 365 days [INFERRED] (read in result,
//     or beside it where result has none), puts the unlock
//     inside this request's round trip (to the second, validUntil's
//     resolution; the SDK assumes HypeAuditor's clock agrees with the
//     machine's); 0 when it puts it before the request was sent; otherwise
//     SpentUnknown 1: a NOT_READY answer (which carries no validUntil), a
//     PDF export's answer (none is documented for it), a lost answer or a success
//     status whose body the SDK cannot use (ErrOutcomeUnknown), and with
//     the live API most first
//     requests, whose documented validUntil is the far-future value
//     57657398400 that says nothing about when the report was paid for;
//   - a later answer for the same account settles a SpentUnknown: to Spent
//     when its validUntil puts the unlock inside the round trips of this
//     client's requests for it, to 0 when it puts it before them, and to 0
//     when the report's generation failed (refunded: the credit also goes
//     back to the budget). A READY report is never refunded, so a credit
//     counted Spent stays spent.
//
// Usage therefore overcounts (SpentUnknown) rather than undercounts; with
// the live API's sentinel validUntil expect one SpentUnknown per new
// account, settled only by a failure. Two callers that ask for the same
// account in two forms at once (a username and a user id, or through
// another client or process) may both count its unlock: ask for an
// account one way.
func (c *Client) Usage() Usage { return transport.TotalUsage(c.t, c.mt) }

const (
	// unlockPeriod is how long a report stays unlocked [DOC]; validUntil
	// minus unlockPeriod is taken as the moment it was unlocked [INFERRED].
	unlockPeriod = 365 * 24 * time.Hour
	// trustFor is how long after an account's unlock (or its first
	// unsettled request) the client treats the account as unlocked: a day
	// short of the year.
	trustFor = unlockPeriod - 24*time.Hour
	// maxAccounts bounds the book; beyond it, entries are forgotten,
	// which only makes later requests for them cost-checked again.
	maxAccounts = 1 << 16
)

// book keeps, per account, what the client knows of its report's unlock:
// the SpentUnknown its requests left open (a slot), and when it was
// unlocked. It settles SpentUnknown later answers explain in the
// transport's Usage (transport.Client.Resolve), which also gives what was
// not charged back to the budget.
type book struct {
	t *transport.Client

	mu     sync.Mutex
	accts  map[string]*acctSpend
	claims map[string]int64 // network|account id -> unlock (unix s) counted as Spent
}

// acctSpend is what the book knows of one account (network/account as
// asked).
type acctSpend struct {
	// slot is the one SpentUnknown credit that covers this account's
	// unlock while it is open: every request for the account during that
	// time joins it, since together they can be charged once at most.
	slot *slot
	// unlocked is when a validUntil said the report was unlocked (zero:
	// not known), cid the claim id of that answer.
	unlocked time.Time
	cid      string
	// readyAt is when a READY answer for the account came (zero: none,
	// or its generation failed since): the report was unlocked by then.
	readyAt time.Time
	// claimed is the unlock this client counted as Spent.
	claimed time.Time
}

// slot is an open SpentUnknown of one credit, counted in op, for the
// requests sent from `from` and answered (or given up) by `to`. ready:
// a READY answer came while it was open (its charge, if any, is never
// refunded).
type slot struct {
	op       string
	from, to time.Time
	ready    bool
}

func (s *slot) widen(from, to time.Time) {
	if from.Before(s.from) {
		s.from = from
	}
	if to.After(s.to) {
		s.to = to
	}
}

func newBook(t *transport.Client) *book {
	return &book{t: t, accts: map[string]*acctSpend{}, claims: map[string]int64{}}
}

// seen is what one answer says about an account's unlock.
type seen struct {
	kind  seenKind
	ready bool      // a READY (or READY_LOW_CONFIDENCE) report
	p     time.Time // the unlock validUntil tells (zero: it tells nothing usable)
	cid   string    // network|account id of the report, "" when it has none
}

type seenKind int

const (
	seenNothing seenKind = iota // an answer that tells nothing (a refusal, a 429)
	seenAnswer                  // a report answer: READY, NOT_READY, REPORT_CALCULATING
	seenFailed                  // the report's generation failed: refunded
	seenLost                    // no usable answer after the request may have reached HypeAuditor
)

// accountKey names an account in the book: network and the account as
// sent (user ids apart from names; names in lower case where the network
// ignores case).
func (rc reportCall) accountKey() string {
	if rc.byID {
		return string(rc.network) + "/#" + rc.account
	}
	if rc.network == YouTube { // channel ids are case-sensitive
		return string(rc.network) + "/" + rc.account
	}
	return string(rc.network) + "/" + strings.ToLower(rc.account)
}

// unlockedAt reads the unlock out of validUntil: zero when it is absent,
// lies in the future (the documented sentinel 57657398400), or says the
// unlock has expired.
func unlockedAt(v *Time, received time.Time) time.Time {
	if v == nil || v.IsZero() {
		return time.Time{}
	}
	p := v.Time.Add(-unlockPeriod)
	if p.After(received) || received.Sub(p) >= unlockPeriod {
		return time.Time{}
	}
	return p
}

// seenIn classifies a success answer (r nil when it had no result).
func seenIn(rc reportCall, r reportResult, status int, received time.Time) seen {
	if r == nil {
		return seen{kind: seenAnswer}
	}
	st := r.status()
	state := st.State
	if state == "" && status == 202 {
		state = StateNotReady
	}
	if state != "" && !state.Ready() && state != StateNotReady && state != StateReportCalculating {
		return seen{kind: seenFailed}
	}
	s := seen{kind: seenAnswer, ready: state == "" || state.Ready(), p: unlockedAt(st.ValidUntil, received)}
	if id := r.accountID(); id != "" {
		s.cid = string(rc.network) + "|" + string(id)
	}
	return s
}

// free reports whether a request for the account, sent now, cannot unlock
// its report: an open slot covers it, or the report is known unlocked.
func (b *book) free(key string, now time.Time) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	a := b.accts[key]
	return a != nil && (b.live(a, now) || a.unlockedBefore(now))
}

// live reports whether the account's slot covers a request sent at t.
func (b *book) live(a *acctSpend, t time.Time) bool {
	return a.slot != nil && t.Sub(a.slot.from) < trustFor
}

// unlockedBefore reports whether the report is known unlocked (within
// the year) before t: a validUntil put the unlock before it (to the
// second), or a READY answer came before it.
func (a *acctSpend) unlockedBefore(t time.Time) bool {
	switch {
	case !a.unlocked.IsZero() && !a.unlocked.Add(time.Second).After(t) && t.Sub(a.unlocked) < trustFor:
		return true
	case !a.readyAt.IsZero() && !a.readyAt.After(t) && t.Sub(a.readyAt) < trustFor:
		return true
	}
	return false
}

// sawReady records a READY answer received at t.
func (a *acctSpend) sawReady(t time.Time) {
	if a.readyAt.IsZero() || t.Before(a.readyAt) || t.Sub(a.readyAt) >= trustFor {
		a.readyAt = t
	}
}

// charged is Spend.Charged of a paid report request (Cost 1) whose
// success answer s came for the round trip [sent, received]. open says
// the request's SpentUnknown is to be joined to the account once the
// transport has counted it (see after).
func (b *book) charged(key string, sent, received time.Time, s seen) (ch transport.Charge, open bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	a := b.acct(key)
	if s.kind == seenAnswer && s.ready {
		defer a.sawReady(received) // after the decision, which is about the time before it
	}
	switch {
	case s.kind == seenFailed:
		b.failed(a)
		return transport.Charge{}, false
	case b.live(a, sent): // a request of this client already stands for the unlock
		a.slot.widen(sent, received)
		a.slot.ready = a.slot.ready || s.ready
		if !s.p.IsZero() {
			b.learn(a, s.p, s.cid)
		}
		return transport.Charge{}, false
	case a.unlockedBefore(sent):
		return transport.Charge{}, false
	case !s.p.IsZero():
		a.unlocked, a.cid = s.p, s.cid
		switch {
		case !s.p.Add(time.Second).After(sent): // unlocked before it was sent
			return transport.Charge{}, false
		case !s.p.After(received): // unlocked during its round trip: by it
			if b.isClaimed(a, s.p, s.cid) {
				return transport.Charge{}, false
			}
			b.claim(a, s.p, s.cid)
			return transport.Charge{Spent: 1}, false
		}
	}
	return transport.Charge{Unknown: 1}, true
}

// after records what a report call learnt once its Do returned (the
// transport has counted it): paid says it had Cost 1, [sent, received]
// is its round trip, open that charged asked for its SpentUnknown to be
// joined to the account.
func (b *book) after(key, op string, paid bool, sent, received time.Time, s seen, open bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	a := b.acct(key)
	if s.kind == seenAnswer && s.ready {
		defer a.sawReady(received)
	}
	switch {
	case s.kind == seenFailed:
		b.failed(a)
	case open, paid && s.kind == seenLost:
		// The transport counted SpentUnknown 1 for this request: a lost
		// answer, or a success status whose body the SDK could not use
		// (ErrOutcomeUnknown both).
		b.join(a, op, sent, received, s.ready)
	case paid:
		// charged settled it.
	default:
		// A free request: it can only have unlocked the report if an
		// open slot covers it; its answer may tell when the unlock was.
		if b.live(a, sent) {
			a.slot.widen(sent, received)
			a.slot.ready = a.slot.ready || s.ready
		}
		if s.kind == seenAnswer && !s.p.IsZero() {
			b.learn(a, s.p, s.cid)
		}
	}
}

// join adds a request's SpentUnknown of one credit (counted in op) to the
// account: dropped when an open slot already covers the account (the two
// can be charged once at most) or the report was unlocked before it was
// sent; otherwise it opens the slot, settled at once when the unlock is
// already known.
func (b *book) join(a *acctSpend, op string, sent, received time.Time, ready bool) {
	switch {
	case b.live(a, sent):
		a.slot.widen(sent, received)
		a.slot.ready = a.slot.ready || ready
		b.zero(op)
	case a.unlockedBefore(sent):
		b.zero(op)
	default:
		a.slot = &slot{op: op, from: sent, to: received, ready: ready}
		if !a.unlocked.IsZero() && received.Sub(a.unlocked) < trustFor {
			b.learn(a, a.unlocked, a.cid)
		}
	}
}

// learn settles the account's slot with the unlock p: Spent when p falls
// in the slot's round trips (once per unlock), 0 when it came before
// them. An unlock after them is not explained, and the slot stays open.
func (b *book) learn(a *acctSpend, p time.Time, cid string) {
	a.unlocked, a.cid = p, cid
	s := a.slot
	switch {
	case s == nil:
	case !p.Add(time.Second).After(s.from):
		a.slot = nil
		b.zero(s.op)
	case !p.After(s.to):
		a.slot = nil
		if b.isClaimed(a, p, cid) {
			b.zero(s.op)
			return
		}
		b.claim(a, p, cid)
		b.t.Resolve(s.op, "", 1, 0)
	}
}

// failed records a failed generation: HypeAuditor refunds it, so the
// account's open SpentUnknown is 0 unless a READY answer came while it was
// open; the report may be charged again later.
func (b *book) failed(a *acctSpend) {
	if s := a.slot; s != nil {
		a.slot = nil
		if !s.ready {
			b.zero(s.op)
		}
	}
	a.unlocked, a.cid, a.readyAt = time.Time{}, "", time.Time{}
}

// zero settles one SpentUnknown credit of op to nothing spent, and gives
// it back to the budget.
func (b *book) zero(op string) { b.t.Resolve(op, "", 0, 1) }

func (b *book) isClaimed(a *acctSpend, p time.Time, cid string) bool {
	if a.claimed.Equal(p) {
		return true
	}
	v, ok := b.claims[cid]
	return cid != "" && ok && v == p.Unix()
}

func (b *book) claim(a *acctSpend, p time.Time, cid string) {
	a.claimed = p
	if cid != "" {
		if len(b.claims) >= maxAccounts {
			for k, v := range b.claims { // a claim only matters while requests that overlap it are out
				if time.Since(time.Unix(v, 0)) > 24*time.Hour {
					delete(b.claims, k)
				}
			}
		}
		b.claims[cid] = p.Unix()
	}
}

// acct returns the account's entry, making it; at maxAccounts it forgets
// entries first (those without an open slot, then any): a forgotten
// account's next request is simply cost-checked again, and a forgotten
// slot stays SpentUnknown.
func (b *book) acct(key string) *acctSpend {
	if a := b.accts[key]; a != nil {
		return a
	}
	if len(b.accts) >= maxAccounts {
		for k, a := range b.accts {
			if a.slot == nil {
				delete(b.accts, k)
			}
		}
		for k := range b.accts {
			if len(b.accts) < maxAccounts*3/4 {
				break
			}
			delete(b.accts, k)
		}
	}
	a := &acctSpend{}
	b.accts[key] = a
	return a
}

// doQuery is doResult for a request that spends discovery queries (a live
// discovery page, a keyword post search): a success answer is Spent. So
// is one whose body the SDK could not use (see unusableAnswer), which the
// transport counts as SpentUnknown: HypeAuditor served it, and every
// request it serves is charged [CLIENT: queries_left drops by one a call].
func doQuery[T any](ctx context.Context, c *Client, req transport.Request, shapes ...string) (*T, error) {
	r, err := doResult[T](ctx, c, req, shapes...)
	if req.Spend.Cost > 0 && unusableAnswer(err) {
		c.t.Resolve(req.Op, req.Spend.Unit, req.Spend.Cost, 0)
	}
	return r, err
}

// unusableAnswer reports whether err is the transport's for a paid request
// answered with a success status whose body the SDK could not use (a
// control value that does not fit, any value under WithStrictDecoding):
// ErrUnexpectedResponse and ErrOutcomeUnknown, counted as SpentUnknown,
// although HypeAuditor did answer, and asking again would get the same
// answer. A body that is not JSON at all (a proxy's page, a body cut
// short: asking again may get a good one) is not such an answer: it may
// not come from HypeAuditor.
func unusableAnswer(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.StatusCode >= 200 && e.StatusCode < 300 &&
		e.Is(ErrUnexpectedResponse) && e.Is(ErrOutcomeUnknown) && !poll.IsTransient(e.Cause)
}
