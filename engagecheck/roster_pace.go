package engagecheck

import (
	"net/http"
	"slices"
	"time"

	"github.com/creatorkit/creatorkit-go/internal/poll"
)

// batch is one submitted batch (or a run of adopted audits): EngageCheck
// runs its audits one after another, in the order of its rows.
type batch struct {
	sent  time.Time
	items []*entry // the audits pending when it was submitted, in order
	next  int      // items before it are settled or answered
	pace  time.Duration
	paced bool // pace is measured
}

// head returns the next audit the batch will settle: the first one not
// seen settled and not answered; nil when there is none.
func (b *batch) head() *entry {
	for b.next < len(b.items) && (b.items[b.next].gone || !b.items[b.next].done.IsZero()) {
		b.next++
	}
	if b.next == len(b.items) {
		return nil
	}
	return b.items[b.next]
}

// settledAfter reports whether an audit after e in its batch was seen
// settled: e, which runs before it, must have settled too.
func (b *batch) settledAfter(e *entry) bool {
	for _, x := range b.items[e.pos+1:] {
		if !x.done.IsZero() {
			return true
		}
	}
	return false
}

// measure sets the batch's completion spacing from the settle times of
// its audits: between the first and the last seen settled, or, with one,
// since the submit.
func (b *batch) measure() {
	first, last := -1, -1
	for i, e := range b.items {
		if !e.done.IsZero() {
			if first < 0 {
				first = i
			}
			last = i
		}
	}
	switch {
	case last > first:
		b.pace, b.paced = b.items[last].done.Sub(b.items[first].done)/time.Duration(last-first), true
	case first >= 0:
		b.pace, b.paced = b.items[first].done.Sub(b.sent)/time.Duration(first+1), true
	}
	b.pace = max(b.pace, 0)
}

// paceOf is b's completion spacing, else the median of the batches'.
func (r *rosterRun) paceOf(b *batch) (time.Duration, bool) {
	if b != nil && b.paced {
		return b.pace, true
	}
	return r.pace, r.paced
}

// Timing constants of the roster's checks.
const (
	// stampSlack is the resolution of EngageCheck's timestamps
	// (completed_at, Date): an estimated settle time is off by up to a
	// second.
	stampSlack = time.Second
	// typicalAudit is the longest usual audit EngageCheck documents
	// ("usually 30 to 90 seconds"): how long an awaited webhook may take
	// before any audit of the roster has settled.
	typicalAudit = 90 * time.Second
)

// checkAt is when e, its batch's head, is to be checked: when its batch's
// pace says it should be done (poll mode), or when its webhook is overdue
// (webhook mode), and never before e.due. In poll mode that is the time
// the audit before it settled plus the batch's spacing and a half more
// (a quarter for slower audits, a quarter, up to stampSlack, for the
// estimate's error); with webhooks, two spacings and the first poll
// interval. Before any pace is known, it is the submit plus guess in poll
// mode (only the first batch's head is checked; the others wait for what
// it shows) and plus twice the longest usual audit with webhooks.
func (r *rosterRun) checkAt(e *entry) time.Time {
	s, known := r.paceOf(e.batch)
	prev, steps := e.batch.before(e)
	expected := prev.Add(s * time.Duration(steps))
	var at time.Time
	switch {
	case !known && r.hook != nil:
		at = e.batch.sent.Add(2*max(typicalAudit, r.guess) + r.cfg.poll.Initial)
	case !known:
		at = e.batch.sent.Add(r.guess)
	case r.hook != nil:
		at = expected.Add(s + r.cfg.poll.Initial)
	default:
		at = expected.Add(s/4 + min(s/4, stampSlack))
	}
	return later(at, e.due)
}

// before returns when the audit before e in the batch settled (the
// submit, if none did yet) and how many audits run from then to e's end.
func (b *batch) before(e *entry) (time.Time, int) {
	for i := e.pos - 1; i >= 0; i-- {
		if d := b.items[i].done; !d.IsZero() {
			return d, e.pos - i
		}
	}
	return b.sent, e.pos + 1
}

// missed records that a check at now found e still running: the next one
// waits a growing pause (a quarter of the batch's spacing at first in poll
// mode, the spacing with webhooks; the single wait's schedule before a
// pace is known), and no first audit of a batch is checked before then.
func (r *rosterRun) missed(e *entry, now time.Time) {
	e.misses, e.ran = e.misses+1, now
	d := r.cfg.poll.Initial
	s, known := r.paceOf(e.batch)
	switch {
	case known && r.hook != nil:
		d = max(s, d)
	case known:
		d = max(s/4, d/4)
	}
	e.due = now.Add(grow(d, e.misses, r.cfg.poll.Max))
	if !known && e.batch != nil {
		r.guess = max(r.guess, e.due.Sub(e.batch.sent))
	}
}

// settle records that e settled at (an estimate) and measures its
// batch's pace again.
func (r *rosterRun) settle(e *entry, at time.Time) {
	if !e.done.IsZero() {
		return
	}
	e.done = at
	if b := e.batch; b != nil {
		b.measure()
		var all []time.Duration
		for _, b := range r.batches {
			if b.paced {
				all = append(all, b.pace)
			}
		}
		slices.Sort(all)
		r.pace, r.paced = all[len(all)/2], true
	}
}

// settledAt estimates when an audit settled from an answer received at
// recv: between floor (when it was last seen running, or the audit before
// it settled) and recv, narrowed by its completed_at aged by the answer's
// Date (both EngageCheck's clock, so clock skew does not matter; both to
// the second, so the stamps place it within stampSlack). It is the middle
// of what is left: a check that was late (the audit settled long before)
// pulls the pace down, one that was early (it found the audit running and
// raised floor) pushes it up.
func settledAt(completed *Time, meta *ResponseMeta, recv, floor time.Time) time.Time {
	lo, hi := floor, recv
	if completed != nil && meta != nil {
		if date, err := http.ParseTime(meta.GetHeader("Date")); err == nil {
			at := recv.Add(-date.Sub(completed.Time))
			if l, h := later(lo, at.Add(-stampSlack)), earlier(hi, at.Add(stampSlack)); !h.Before(l) {
				lo, hi = l, h
			}
		}
	}
	if hi.Before(lo) {
		return hi
	}
	return lo.Add(hi.Sub(lo) / 2)
}

func earlier(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

// read GETs e: a settled audit's report (e.row says it settled), or a
// check of a batch head, which is its report fetch when it finds it
// settled. A head found running is checked again later (missed).
func (r *rosterRun) read(e *entry) {
	if sum := e.row; sum != nil && sum.Status == StatusError && sum.ErrorMessage != nil {
		// The list already says why it failed: no need to fetch.
		r.unready(e)
		a := &Audit{ID: sum.ID, Username: sum.Username, Status: sum.Status, ErrorMessage: sum.ErrorMessage, CreatedAt: sum.CreatedAt, CompletedAt: sum.CompletedAt}
		r.answer(e, a, a.failure(e.name, handleItem(e.name)))
		return
	}
	if e.row == nil {
		r.prog.Probes++
	}
	sent := time.Now()
	a, err := r.s.Get(r.ctx, e.id)
	now := time.Now()
	if err != nil {
		r.readFailed(e, err)
		return
	}
	e.fails, e.status = 0, a.Status
	if !a.Done() { // a head not done yet, or a list ahead of the record
		e.row = nil
		r.missed(e, sent)
		r.report()
		return
	}
	r.unready(e)
	r.settle(e, settledAt(a.CompletedAt, a.Response, now, r.floor(e)))
	r.answer(e, a, a.failure(e.name, handleItem(e.name)))
}

// floor is the earliest e can have settled: after the audit before it in
// its batch, and after it was last seen running.
func (r *rosterRun) floor(e *entry) time.Time {
	if e.batch == nil {
		return e.ran
	}
	prev, _ := e.batch.before(e)
	return later(e.ran, prev)
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// unready takes e off the fetch queue.
func (r *rosterRun) unready(e *entry) {
	e.row = nil
	if i := slices.Index(r.ready, e); i >= 0 {
		r.ready = slices.Delete(r.ready, i, i+1)
	}
}

// readFailed handles a failed GET of e: a refusal no retry can fix fails
// the roster or the handle; a transient answer is tried again later, a
// bounded number of times in a row.
func (r *rosterRun) readFailed(e *entry, err error) {
	switch {
	case r.ctx.Err() != nil:
		// the loop answers every handle left, with its audit id
	case fatal(err):
		r.failAll(err)
	case poll.IsTransient(err) && e.fails < r.s.c.t.MaxRetries():
		r.transientFailure(err)
		// Tried again later, as many times in a row as the client's
		// retries (the one wait policy, see poll.Until).
		e.fails++
		e.due = time.Now().Add(r.backoff(e.fails))
	default:
		r.unready(e)
		r.fail(e, err)
	}
}
