package engagecheck

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"time"

	"github.com/creatorkit/creatorkit-go"
	"github.com/creatorkit/creatorkit-go/internal/poll"
	"github.com/creatorkit/creatorkit-go/internal/roster"
	"github.com/creatorkit/creatorkit-go/internal/transport"
)

// Answer is what CreateAndWaitAll yields for one input: its index in the
// slice given, the input as given, and the audit (creatorkit.Answer).
type Answer[T any] = creatorkit.Answer[T]

// CreateAndWaitAll is CreateAndWait for a roster of any size: it yields
// exactly one Answer per input, in the order the answers come, each
// saying which input it answers (Index, Input) and holding its audit
// (Value, never nil):
//
//   - (answer, nil) for a complete audit, with its full report;
//   - (answer, *ItemError) for an input without a report: a blank or an
//     invalid handle (ErrInvalidParams, never sent; Reason says why), a
//     failed audit (Err ErrAuditFailed; Reason its error_message and that
//     EngageCheck refunded the credit), a handle the credits could not
//     cover (ErrQuotaExceeded; Reason says how many credits the roster
//     needs and the key has), one the client's budget could not cover
//     (ErrBudgetExceeded, never sent; see below), one whose reads kept
//     failing (the transport's *Error), or one the SDK had to stop
//     waiting for because the context ended (Err a *TimeoutError naming
//     its last state; Reason names the call that fetches it later,
//     "Audits.Get(ctx, 136)", and ID, which IDInt64 reads, is its audit
//     id). The ItemError's Index and Input are the Answer's, Item the
//     handle as EngageCheck knows it ("instagram/@natgeo"; empty for an
//     invalid one), ID the audit id when there is one, State its last
//     status; Reason is never empty.
//
// Inputs that name the same handle ("natgeo", "@NatGeo") are audited and
// paid once; each gets its own Answer with the one result (the same
// *Audit). An invalid input's Value carries only Username, the input as
// given. Bad options (WithPollInterval(0, 0), ...) answer every input
// with an *ItemError wrapping the ErrInvalidParams *Error, before anything
// is sent, like the other packages' rosters. WithProgress reports the roster's counts (Progress:
// Total, Queued, Pending, Succeeded, Failed, ...) after every change.
//
// How it spends: one free credit check up front (by default a roster the
// balance cannot cover is refused before any credit is spent; see
// WithAllowPartial), one batch submit per 50 handles, and one GET per
// audit, which is its report fetch: about 1.02 requests per handle. A
// batch's audits run one after another (as EngageCheck documents), so
// the roster follows each batch's head, the next audit it will finish,
// and GETs it when its batch's pace says it should be done: the time
// the audit before it finished plus the batch's completion spacing and up
// to half as much again (a quarter for a slower audit, up to a second for
// the timestamps' resolution). The pace is
// measured from the audits' own completed_at times, read against the
// answer's Date, not from when the SDK happened to look, so it corrects
// itself both ways: a probe that was late shows how much earlier the
// audit finished, one that was early finds it still running and is tried
// again after a growing pause. Before a batch has a pace of its own it
// takes the median of the other batches'; before any audit has finished,
// only the first batch's head is checked, on the single wait's schedule.
// A finished audit is so collected within about twice its batch's
// completion spacing plus the first poll interval, whatever other jobs do
// on the key. WithWebhooks takes the results from EngageCheck's webhooks
// instead (one request per 50 handles); WithReuseRecent adopts the
// key's recent audits of the roster's handles instead of paying again.
//
// With WithBudget, each batch is sized to what remains of the budget, so
// no batch is sent that the budget cannot hold whole; once nothing
// remains, every handle not yet submitted is answered with an *ItemError
// of kind ErrBudgetExceeded, and no request is sent for it (a budget of 12
// on a roster of 30 spends 12 credits and answers 18 handles so). It does
// not wait for the refunds of failed audits to free budget.
//
// Transient answers (429, 5xx, a lost connection, after the transport's
// own retries) follow the SDK's one wait policy: the balance check, a
// submit, a read of an audit and a lookup of a lost batch are each tried
// again after a growing pause, as many times in a row as the client's
// retries (WithMaxRetries, default 3); one more answers the handles
// concerned with that failure (with WithMaxRetries(0), the first). A
// batch whose answer was lost is reconciled against the list, never
// resent blindly. Everything runs on the caller's goroutine; break stops
// it (audits already submitted still finish on EngageCheck's side: run
// the roster again WithReuseRecent to collect them without paying again).
func (s *AuditsService) CreateAndWaitAll(ctx context.Context, usernames []string, opts ...WaitOption) iter.Seq2[Answer[*Audit], error] {
	return func(yield func(Answer[*Audit], error) bool) {
		cfg, err := newWaitConfig(opRoster, opts)
		if err != nil {
			for i, in := range usernames {
				ie := &ItemError{Vendor: vendor, Index: i, Input: in, Reason: "not submitted: " + causeText(err), Err: err}
				if !yield(Answer[*Audit]{Index: i, Input: in, Value: &Audit{Username: in}}, ie) {
					return
				}
			}
			return
		}
		ctx, end := s.c.t.Observe(ctx, opRoster)
		r := &rosterRun{s: s, ctx: ctx, cfg: cfg, hook: cfg.hook, entries: map[string]*entry{}, byID: map[int64]*entry{},
			credits: -1, guess: cfg.poll.Initial, start: time.Now()}
		r.prog.Op = opRoster
		r.prog.CreditsRemaining = -1
		if r.hook != nil {
			r.in = newInbox()
			defer r.unhook()
		}
		defer func() {
			_, _, ok, failed := r.book.Counts()
			end(r.prog.Polls+r.prog.Probes, ok+failed, r.stopErr)
		}()
		// The Value is never nil, whatever path answers an input.
		ok := r.admit(usernames, func(a Answer[*Audit], err error) bool {
			if a.Value == nil {
				a.Value = &Audit{Username: a.Input}
			}
			r.report()
			return yield(a, err)
		})
		if ok && r.reuseRecent() && r.checkCredits() {
			r.run()
		}
	}
}

const opRoster = "Audits.CreateAndWaitAll"

// entry is one distinct handle of the roster (the book's key).
type entry struct {
	name   string // the normalized handle
	id     int64  // its audit, once submitted or adopted
	status AuditStatus
	batch  *batch
	pos    int           // its place in the batch
	row    *AuditSummary // a list row that showed it settled: to fetch
	done   time.Time     // when it settled (estimated), once seen so
	ran    time.Time     // when it was last seen running
	due    time.Time     // not checked again before this
	misses int           // checks that found it running
	fails  int           // transient read failures in a row
	lost   bool          // in a submit whose answer was lost
	gone   bool          // answered
}

// rosterRun is one CreateAndWaitAll, on its caller's goroutine.
type rosterRun struct {
	s    *AuditsService
	ctx  context.Context
	cfg  waitConfig
	book *roster.Book[*Audit]
	hook *WebhookReceiver // nil in poll mode
	in   *inbox           // the events hook routes to this run

	entries map[string]*entry // every distinct handle
	queue   []*entry          // not submitted yet, in input order
	byID    map[int64]*entry  // submitted or adopted, not answered
	batches []*batch          // every batch followed
	ready   []*entry          // seen settled by a list: to fetch
	lost    []*lostBatch      // submits whose answer was lost
	pace    time.Duration     // the median of the batches' spacings, for a batch without its own
	paced   bool              // pace is known
	guess   time.Duration     // how long a first audit takes at least, while no pace is known

	credits       int64 // last known balance; -1 unknown
	quotaMisses   int   // 402s in a row
	submitFails   int   // transient submit failures in a row
	submitAt      time.Time
	transient     int   // transient failures met (for a *TimeoutError)
	lastTransient error // the latest of them
	stopErr       error // what stopped the roster for every handle left
	start         time.Time
	prog          Progress
}

// admit reads the inputs into the book and answers blanks and invalid
// handles at once; false means the consumer stopped.
func (r *rosterRun) admit(usernames []string, yield func(Answer[*Audit], error) bool) bool {
	book, invalid := roster.New(vendor, opRoster, usernames, func(in string) (string, error) {
		name, why := normalize(in)
		switch {
		case why != "":
			return "", invalidParams(opRoster, "usernames", "%s", handleReason(why))
		case name == "":
			return "", invalidParams(opRoster, "usernames", "a blank input is not a handle")
		}
		return name, nil
	}, yield)
	r.book = book
	for _, name := range book.Keys() {
		e := &entry{name: name}
		r.entries[name] = e
		r.queue = append(r.queue, e)
	}
	return book.Refuse(invalid, func(_ string, err error) string { return "not submitted: " + causeText(err) })
}

func (r *rosterRun) run() {
	for !r.book.Stopped() && r.pending() {
		if r.ctx.Err() != nil {
			r.failAll(nil)
			return
		}
		r.takeEvents()
		if at, do := r.next(); do != nil && !at.After(time.Now()) {
			do()
		} else {
			r.sleep(time.Until(at))
		}
	}
}

func (r *rosterRun) pending() bool {
	_, pending, _, _ := r.book.Counts()
	return pending > 0
}

// next returns the step due first and when it is due: a submit, a look-up
// of a lost batch, a fetch of an audit seen settled, a check of a batch's
// head (checkAt). With nothing to do it returns nil and when to look
// again.
func (r *rosterRun) next() (at time.Time, do func()) {
	at = time.Now().Add(r.cfg.poll.Max)
	consider := func(t time.Time, f func()) {
		if t.Before(at) {
			at, do = t, f
		}
	}
	switch {
	case len(r.queue) > 0 && r.credits != 0:
		consider(r.submitAt, r.submitNext)
	case len(r.queue) > 0 && len(r.byID)+len(r.lost) == 0:
		consider(time.Time{}, r.noCredits) // nothing running could refund
	}
	for _, lb := range r.lost {
		consider(lb.retryAt, func() { r.reconcileLost(lb) })
	}
	for _, e := range r.ready {
		consider(e.due, func() { r.read(e) })
	}
	for _, b := range r.batches {
		if h := b.head(); h != nil {
			consider(r.checkAt(h), func() { r.check(h) })
		}
	}
	return at, do
}

// check checks a batch head that is due: with webhooks, its event is
// overdue, and the list is asked first, unless a later audit of its batch
// settled (then it must have too); otherwise it is read by id.
func (r *rosterRun) check(h *entry) {
	if r.hook != nil && !h.batch.settledAfter(h) {
		r.checkOverdue(time.Now())
		return
	}
	r.read(h)
}

// noCredits answers the queued handles when the key has no credits left
// and nothing running could be refunded.
func (r *rosterRun) noCredits() {
	if r.refreshCredits(); r.credits == 0 {
		r.failQueue(transport.NewError(vendor, opRoster, ErrQuotaExceeded, "the key has no credits left for %d more handle(s)", len(r.queue)))
	}
}

// sleep waits d, or until the context ends or an event arrives.
func (r *rosterRun) sleep(d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	var wake <-chan struct{}
	if r.in != nil {
		wake = r.in.wake
	}
	select {
	case <-r.ctx.Done():
	case <-t.C:
	case <-wake:
	}
}

// unhook ends the run's webhook routes and its submits the receiver
// still awaited.
func (r *rosterRun) unhook() {
	r.hook.expect(-len(r.lost))
	var ids []int64
	for _, e := range r.entries {
		if e.id != 0 {
			ids = append(ids, e.id)
		}
	}
	r.hook.unregister(r.in, ids)
}

// backoff is the pause after n consecutive transient failures of a step:
// the poll interval growing from its first value to its longest.
func (r *rosterRun) backoff(n int) time.Duration {
	return poll.Jitter(grow(r.cfg.poll.Initial, n, r.cfg.poll.Max), 0.2)
}

// grow is d grown by half n-1 times, at most ceiling.
func grow(d time.Duration, n int, ceiling time.Duration) time.Duration {
	for i := 1; i < n && d < ceiling; i++ {
		d = d * 3 / 2
	}
	return min(d, ceiling)
}

// checkCredits reads the balance once, for free, before anything is spent.
// A transient failure is tried again, as many times in a row as the
// client's retries (the one wait policy, see poll.Until); the end of the
// context or a refusal (bad key) stops the roster.
func (r *rosterRun) checkCredits() bool {
	if len(r.queue) == 0 {
		return true
	}
	for fails := 1; ; fails++ {
		c, err := r.s.c.Credits.Get(r.ctx)
		if err == nil {
			r.credits = c.CreditsRemaining
			break
		}
		r.transientFailure(err)
		if r.ctx.Err() != nil || !poll.IsTransient(err) || fails > r.s.c.t.MaxRetries() || poll.Sleep(r.ctx, r.backoff(fails)) != nil {
			r.failAll(err)
			return false
		}
	}
	r.prog.CreditsRemaining = r.credits
	if r.credits < int64(len(r.queue)) && !r.cfg.allowPartial {
		r.failQueue(transport.NewError(vendor, opRoster, ErrQuotaExceeded,
			"the roster needs %d credits and the key has %d (nothing was spent; WithAllowPartial audits as many handles as the balance covers)", len(r.queue), r.credits))
		return false
	}
	r.report()
	return true
}

func (r *rosterRun) refreshCredits() {
	if c, err := r.s.c.Credits.Get(r.ctx); err == nil {
		r.credits = c.CreditsRemaining
		r.prog.CreditsRemaining = r.credits
	}
}

// fatal reports errors that no later attempt can fix: every handle left
// gets it.
func fatal(err error) bool {
	return errors.Is(err, ErrUnauthorized) || errors.Is(err, ErrForbidden)
}

// answer answers every input of e with a and err.
func (r *rosterRun) answer(e *entry, a *Audit, err error) {
	e.gone = true
	delete(r.byID, e.id)
	r.book.Done(e.name, a, err)
}

// fail answers e with err: an *ItemError whose Reason says what became of
// the handle (not submitted; submitted, its answer lost; submitted, with
// the call that fetches it later) and whose Err is err. When the context
// ended, err is e's *TimeoutError (see timedOut).
func (r *rosterRun) fail(e *entry, err error) {
	r.answer(e, &Audit{ID: e.id, Username: e.name, Status: e.status}, r.failure(e, err))
}

func (r *rosterRun) failure(e *entry, err error) *ItemError {
	var te *TimeoutError
	timeout := errors.As(err, &te)
	if e.lost && !errors.Is(err, ErrOutcomeUnknown) {
		err = errors.Join(err, ErrOutcomeUnknown)
	}
	var reason string
	switch {
	case e.lost || errors.Is(err, ErrOutcomeUnknown):
		reason = "the submit's answer was lost and the list could not confirm it; an audit may exist (see Audits.List)"
	case e.id != 0:
		reason = fmt.Sprintf("stopped before the audit settled; fetch it later with Audits.Get(ctx, %d)", e.id)
	case timeout:
		reason = "not submitted before the context ended; nothing was spent for it"
	default:
		reason = withCause("not submitted", err)
	}
	if timeout {
		err = te // an *ItemError's Err is the *TimeoutError itself
	}
	return itemError(e.name, handleItem(e.name), e.id, e.status, reason, err)
}

// timedOut is the *TimeoutError that answers e when the context ended:
// the last state seen of e, the roster's checks and time, and the last
// transient failure (with ErrOutcomeUnknown when e's submit was lost).
func (r *rosterRun) timedOut(e *entry) *TimeoutError {
	te := &TimeoutError{Vendor: vendor, Op: opRoster, Checks: r.prog.Polls + r.prog.Probes, Elapsed: time.Since(r.start),
		TransientErrors: r.transient, LastError: r.lastTransient, Err: r.ctx.Err()}
	switch {
	case e.id != 0:
		te.Last = fmt.Sprintf("audit %d of @%s is %s", e.id, e.name, e.status)
	case e.lost:
		te.Last = "submitted, its answer lost"
		lost := transport.NewError(vendor, opRoster, ErrOutcomeUnknown, "the batch's answer was lost")
		lost.Cause = r.lastTransient
		te.LastError = lost
	default:
		te.Last = "not submitted"
	}
	return te
}

// transientFailure records a transient failure the roster will outlast,
// for the *TimeoutError of a roster whose context ends.
func (r *rosterRun) transientFailure(err error) {
	if r.ctx.Err() == nil && poll.IsTransient(err) {
		r.transient++
		r.lastTransient = err
	}
}

func (r *rosterRun) failQueue(err error) {
	q := r.queue
	r.queue = nil
	for _, e := range q {
		if r.book.Stopped() {
			return
		}
		r.fail(e, err)
	}
}

// failAll answers every handle not answered yet with err, or with its own
// *TimeoutError when the context has ended.
func (r *rosterRun) failAll(err error) {
	r.stopErr = err
	if r.ctx.Err() != nil {
		r.stopErr = r.ctx.Err()
	}
	r.expect(-len(r.lost))
	r.queue, r.ready, r.lost = nil, nil, nil
	r.book.FailRest(func(name string) (*Audit, error) {
		e := r.entries[name]
		cause := err
		if r.ctx.Err() != nil {
			cause = r.timedOut(e)
		}
		e.gone = true
		delete(r.byID, e.id)
		return &Audit{ID: e.id, Username: e.name, Status: e.status}, r.failure(e, cause)
	})
}

func (r *rosterRun) report() {
	if r.cfg.progress == nil || r.book == nil {
		return
	}
	total, pending, ok, failed := r.book.Counts()
	queued := 0
	for _, e := range r.queue {
		queued += len(r.book.Inputs(e.name))
	}
	r.prog.Total, r.prog.Succeeded, r.prog.Failed = total, ok, failed
	r.prog.Queued, r.prog.Pending = queued, pending-queued
	r.prog.Checks = r.prog.Polls + r.prog.Probes
	r.prog.Elapsed = time.Since(r.start)
	r.cfg.progress(r.prog)
}
