package engagecheck

import (
	"errors"
	"time"

	"github.com/creatorkit/creatorkit-go/internal/poll"
	"github.com/creatorkit/creatorkit-go/internal/transport"
)

// lostBatch is a submit whose answer was lost and that the first
// reconciliation could not settle: its handles may or may not have audits.
// CreateAndWaitAll looks them up again (free), as many times in a row as
// the client's retries (askAgain), and resends only the handles the list
// proves were not created.
type lostBatch struct {
	entries []*entry
	sentAt  time.Time
	how     counted // where the lost submit's credits were counted
	tries   int     // list lookups in a row that could not settle it
	retryAt time.Time
}

// submitNext submits the next batch, sized to the known balance and to
// what remains of the client's budget: a batch the budget cannot hold is
// never sent, and when nothing remains every queued handle is answered
// with ErrBudgetExceeded, unsent.
func (r *rosterRun) submitNext() {
	n := min(MaxBatch, len(r.queue))
	if r.credits > 0 {
		n = int(min(int64(n), r.credits))
	}
	if b := r.s.c.t.Budget(""); b != nil {
		left := b.Remaining()
		if left <= 0 {
			r.failQueue(transport.NewError(vendor, opRoster, ErrBudgetExceeded,
				"the budget has no credits left for %d more handle(s) (%d of %d used); nothing was sent for them", len(r.queue), b.Used(), b.Limit()))
			return
		}
		n = int(min(int64(n), left))
	}
	batch := r.queue[:n]
	r.queue = r.queue[n:]
	names := make([]string, n)
	for i, e := range batch {
		names[i] = e.name
	}
	sentAt := time.Now()
	r.expect(1)
	b, how, err := r.s.submitBatch(r.ctx, names, r.cfg.webhookURL, "")
	if b != nil {
		r.quotaMisses = 0
		r.credits = max(b.CreditsRemaining, -1)
		r.prog.CreditsRemaining = r.credits
	}
	unsent := r.track(batch, b, sentAt)
	if err == nil || !errors.Is(err, ErrOutcomeUnknown) {
		r.expect(-1)
	}
	if err == nil {
		r.submitFails = 0
		for _, e := range unsent {
			r.fail(e, transport.NewError(vendor, opRoster, ErrUnexpectedResponse, "the batch answer had no row for this handle"))
		}
		r.report()
		return
	}
	switch {
	case errors.Is(err, ErrBudgetExceeded):
		// Another job took the budget since we sized the batch (nothing
		// was sent): size the next one to what is left.
		r.queue = append(unsent, r.queue...)
	case errors.Is(err, ErrQuotaExceeded) && r.quotaMisses < 3:
		// Someone else spent credits since our check: requeue, re-read
		// the balance and size the next batch to it.
		r.quotaMisses++
		r.queue = append(unsent, r.queue...)
		r.refreshCredits()
	case r.ctx.Err() != nil && errors.Is(err, ErrOutcomeUnknown):
		// The context ended with the batch's outcome unknown: its
		// handles are answered as lost, never as not submitted.
		for _, e := range unsent {
			e.lost = true
		}
		r.expect(-1)
		r.failAll(err)
	case fatal(err) || r.ctx.Err() != nil:
		r.queue = append(unsent, r.queue...)
		r.failAll(err)
	case errors.Is(err, ErrOutcomeUnknown):
		// The list could not confirm the submit either way: keep asking it.
		for _, e := range unsent {
			e.lost = true
		}
		lb := &lostBatch{entries: unsent, sentAt: sentAt, how: how}
		r.lost = append(r.lost, lb)
		r.askAgain(lb, err)
	case poll.IsTransient(err) && r.submitFails < r.s.c.t.MaxRetries():
		r.transientFailure(err)
		// Nothing was spent (a 429 or a connection that failed before
		// sending, after the transport's own retries): try again later, as
		// many times in a row as the client's retries.
		r.submitFails++
		r.queue = append(unsent, r.queue...)
		r.submitAt = time.Now().Add(r.backoff(r.submitFails))
	default:
		for _, e := range unsent {
			r.fail(e, err)
		}
	}
	r.report()
}

// expect tells the webhook receiver of a submit whose audits are not
// known yet (n = 1) or no longer unknown (-1).
func (r *rosterRun) expect(n int) {
	if r.hook != nil {
		r.hook.expect(n)
	}
}

// track follows the audits of a (possibly reconciled) batch answer: the
// ones still running as a batch, the ones already settled (a fresh report
// inline) to fetch. It returns the entries the answer has no row for.
func (r *rosterRun) track(entries []*entry, b *Batch, sentAt time.Time) (unsent []*entry) {
	byName := make(map[string]*entry, len(entries))
	for _, e := range entries {
		byName[e.name] = e
	}
	if b != nil {
		rb := &batch{sent: sentAt}
		for _, row := range b.Results {
			e := byName[row.Username]
			if e == nil {
				continue
			}
			delete(byName, row.Username)
			e.id, e.status, e.lost = row.ID, row.Status, false
			r.follow(e)
			if row.Status.Terminal() {
				r.ready = append(r.ready, e)
				e.row = &AuditSummary{ID: row.ID, Username: row.Username, Status: row.Status}
				continue
			}
			e.batch, e.pos = rb, len(rb.items)
			rb.items = append(rb.items, e)
		}
		if len(rb.items) > 0 {
			r.batches = append(r.batches, rb)
		}
	}
	for _, e := range entries {
		if byName[e.name] != nil {
			unsent = append(unsent, e)
		}
	}
	return unsent
}

// follow records e's audit as the roster's: its answer will be read, and
// its webhook, with WithWebhooks, routed to this run.
func (r *rosterRun) follow(e *entry) {
	r.byID[e.id] = e
	if r.hook != nil {
		r.hook.register(r.in, e.id)
	}
}

// reconcileLost looks a lost batch's handles up in the list again: found
// handles join the roster's pending audits, and handles the list proves
// were not created go back to the queue.
func (r *rosterRun) reconcileLost(lb *lostBatch) {
	names := make([]string, len(lb.entries))
	for i, e := range lb.entries {
		names[i] = e.name
	}
	res, err := r.s.reconcile(r.ctx, names, lb.sentAt)
	switch {
	case r.ctx.Err() != nil:
		return // the loop answers every handle left
	case err != nil && fatal(err):
		r.failAll(err)
		return
	case err != nil:
		r.transientFailure(err)
		r.askAgain(lb, err)
		return
	}
	b := &Batch{CreditsRemaining: -1}
	var rows []AuditSummary
	for _, e := range lb.entries {
		if sum, ok := res.found[e.name]; ok {
			b.Results = append(b.Results, BatchRow{ID: sum.ID, Username: e.name, Status: sum.Status})
			rows = append(rows, sum)
		}
	}
	rest := r.track(lb.entries, b, lb.sentAt)
	notCreated := 0
	if res.exhaustive {
		notCreated = len(rest)
	}
	r.s.c.recovered(opBatch, lb.how, rows, notCreated)
	switch {
	case res.exhaustive || len(rest) == 0:
		// Settled: what the list proves was not created is sent again.
		r.removeLost(lb)
		r.expect(-1)
		for _, e := range rest {
			e.lost = false
		}
		r.queue = append(rest, r.queue...)
	default:
		if len(rows) > 0 {
			lb.tries = 0 // the list moved on: found some of them
		}
		lb.entries = rest
		r.askAgain(lb, transport.NewError(vendor, opRoster, ErrOutcomeUnknown, "the list reads did not reach the batch's submit time"))
	}
	r.report()
}

// askAgain schedules another look at a lost batch after a list read that
// failed (err) or could not tell. The lookups follow the one wait policy:
// the first one (by the submit itself) and as many more in a row as the
// client's retries; then the batch's handles are answered with
// ErrOutcomeUnknown (an audit may exist: see Audits.List).
func (r *rosterRun) askAgain(lb *lostBatch, err error) {
	if lb.tries++; lb.tries > r.s.c.t.MaxRetries() {
		r.removeLost(lb)
		r.expect(-1)
		for _, e := range lb.entries {
			if r.book.Stopped() {
				return
			}
			r.fail(e, err)
		}
		return
	}
	lb.retryAt = time.Now().Add(r.backoff(lb.tries))
}

func (r *rosterRun) removeLost(lb *lostBatch) {
	for i, x := range r.lost {
		if x == lb {
			r.lost = append(r.lost[:i], r.lost[i+1:]...)
			return
		}
	}
}
