package engagecheck

import (
	"errors"
	"time"

	"github.com/creatorkit/creatorkit-go/internal/poll"
	"github.com/creatorkit/creatorkit-go/internal/transport"
)

// lostBatch is a submit whose answer was lost and that the first
// reconciliation could not settle: its handles may or may not have audits.
// CreateAndWaitAll looks them up again (free) until the list says, and
// resends only the handles the list proves were not created.
type lostBatch struct {
	entries []*rosterEntry
	sentAt  time.Time
	how     counted // where the lost submit's credits were counted
	tries   int
	retryAt time.Time
}

// submitNext submits the next batch, sized to the known balance and to
// what remains of the client's budget: a batch the budget cannot hold is
// never sent, and when nothing remains every queued handle is answered
// with ErrBudgetExceeded, unsent.
func (r *rosterRun) submitNext() {
	n := min(MaxBatch, len(r.queue))
	if r.credits > 0 {
		n = min(n, r.credits)
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
	if r.firstSubmit.IsZero() {
		r.firstSubmit = sentAt
	}
	b, how, err := r.s.submitBatch(r.ctx, names, r.cfg.webhookURL, "")
	if b != nil {
		r.quotaMisses = 0
		if b.CreditsRemaining >= 0 {
			r.credits = b.CreditsRemaining
		} else {
			r.credits = -1
		}
		r.prog.CreditsRemaining = r.credits
	}
	unsent := r.adopt(batch, b, sentAt)
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
	case fatal(err) || r.ctx.Err() != nil:
		r.queue = append(unsent, r.queue...)
		r.failAll(err)
	case errors.Is(err, ErrOutcomeUnknown):
		// The list could not confirm the submit either way: keep asking it.
		for _, e := range unsent {
			e.lost = true
		}
		r.unknown = append(r.unknown, &lostBatch{entries: unsent, sentAt: sentAt, how: how, tries: 1, retryAt: time.Now().Add(r.backoff(1))})
	case poll.IsTransient(err) && r.submitFails < r.s.c.t.MaxRetries():
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

// adopt records the rows of a (possibly reconciled) batch answer and
// returns the entries it has no row for.
func (r *rosterRun) adopt(entries []*rosterEntry, b *Batch, sentAt time.Time) (unsent []*rosterEntry) {
	byName := make(map[string]*rosterEntry, len(entries))
	for _, e := range entries {
		byName[e.name] = e
	}
	var rb *rosterBatch
	if b != nil {
		rb = &rosterBatch{sent: sentAt, last: sentAt}
		for _, row := range b.Results {
			e := byName[row.Username]
			if e == nil {
				continue
			}
			delete(byName, row.Username)
			e.id, e.status, e.lost = row.ID, row.Status, false
			e.batch, e.pos = rb, len(rb.entries)
			rb.entries = append(rb.entries, e)
			if row.Status.Terminal() {
				r.markSettled(e, sentAt)
				r.ready = append(r.ready, e)
			} else {
				r.pending[e.id] = e
			}
		}
		rb.advance(sentAt, r.pace)
		r.pollsUseful = true // new audits sit at the top of the list
	}
	for _, e := range entries {
		if byName[e.name] != nil {
			unsent = append(unsent, e)
		}
	}
	return unsent
}

// dueUnknown returns a lost batch whose next reconciliation is due.
func (r *rosterRun) dueUnknown(now time.Time) *lostBatch {
	for _, lb := range r.unknown {
		if !now.Before(lb.retryAt) {
			return lb
		}
	}
	return nil
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
	if err != nil {
		if fatal(err) {
			r.failAll(err)
			return
		}
		lb.tries++
		lb.retryAt = time.Now().Add(r.backoff(lb.tries))
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
	r.removeUnknown(lb)
	rest := r.adopt(lb.entries, b, lb.sentAt)
	notCreated := 0
	if res.exhaustive {
		notCreated = len(rest)
	}
	r.s.c.recovered(opBatch, lb.how, rows, notCreated)
	if !res.exhaustive {
		if len(rest) > 0 {
			lb.entries, lb.tries = rest, lb.tries+1
			lb.retryAt = time.Now().Add(r.backoff(lb.tries))
			r.unknown = append(r.unknown, lb)
		}
		return
	}
	for _, e := range rest {
		e.lost = false
	}
	r.queue = append(rest, r.queue...)
	r.report()
}

func (r *rosterRun) removeUnknown(lb *lostBatch) {
	for i, x := range r.unknown {
		if x == lb {
			r.unknown = append(r.unknown[:i], r.unknown[i+1:]...)
			return
		}
	}
}
