package engagecheck

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"time"

	"github.com/creatorkit/creatorkit-go/internal/poll"
	"github.com/creatorkit/creatorkit-go/internal/transport"
)

// CreateAndWaitAll is CreateAndWait for a roster of any size: it audits
// every distinct handle and yields each exactly once, as its audit
// settles:
//
//   - (audit, nil) for a complete audit, with its full report;
//   - (audit, *ItemError) for a handle without a report: a failed audit
//     (Err ErrAuditFailed, refunded by EngageCheck; Reason its
//     error_message), an invalid handle (ErrInvalidParams, never sent;
//     Reason says why it is not an Instagram handle), a handle the
//     credits could not cover (ErrQuotaExceeded; Reason says how many
//     credits the roster needs and the key has), one the client's budget
//     could not cover (ErrBudgetExceeded, never sent; see below), or one
//     the SDK had to
//     stop waiting for (the context ended; ID lets you fetch it later).
//     Input is the handle as given, Item the normalized handle (empty for
//     an invalid one), ID the audit id when there is one, State its last
//     status; Reason is never empty.
//
// The *Audit is never nil: for a handle that was never submitted it
// carries only Username (the normalized handle, or the input when it is
// not a handle). Blanks and duplicates (after normalization) are dropped.
// Bad options are yielded as a single *Error (ErrInvalidParams), next to
// an empty Audit, before anything is sent.
//
// How it spends: one free credit check up front (by default a roster the
// balance cannot cover is refused before any credit is spent; see
// WithAllowPartial), one batch submit per 50 handles, and one GET per
// audit for its report: about 1.02 requests per handle plus status checks.
// Status checks go two ways. While the roster's audits sit near the top of
// the recent-audits list, one list request checks up to 100 of them. A
// batch's audits run one after another (as EngageCheck documents), so
// CreateAndWaitAll learns each batch's pace; when other jobs on the key
// push the roster's audits out of the list's reach, it GETs the next audit
// of each batch when the pace says it should be done, and that GET is the
// report fetch when it is. No audit stays unchecked for longer than its
// batch's pace explains.
//
// With WithBudget, each batch is sized to what remains of the budget, so
// no batch is sent that the budget cannot hold whole; once nothing
// remains, every handle not yet submitted is answered with an *ItemError
// of kind ErrBudgetExceeded, and no request is sent for it (a budget of 12
// on a roster of 30 spends 12 credits and answers 18 handles so). It does
// not wait for the refunds of failed audits to free budget.
//
// A transient answer (429, 5xx, a lost connection) never costs a handle:
// the step is tried again after a growing pause, until the context ends. A
// batch whose answer was lost is reconciled against the list, never resent
// blindly. Everything runs on the caller's goroutine; break stops it
// (audits already submitted still finish on EngageCheck's side).
func (s *AuditsService) CreateAndWaitAll(ctx context.Context, usernames []string, opts ...WaitOption) iter.Seq2[*Audit, error] {
	return func(yield func(*Audit, error) bool) {
		// The audit is never nil, whatever path yields it.
		yieldAudit := func(a *Audit, err error) bool {
			if a == nil {
				a = &Audit{}
			}
			return yield(a, err)
		}
		cfg, err := newWaitConfig(opRoster, opts)
		if err != nil {
			yieldAudit(&Audit{}, err)
			return
		}
		r := &rosterRun{s: s, ctx: ctx, cfg: cfg, yield: yieldAudit, pending: map[int64]*rosterEntry{},
			intervals: poll.NewIntervals(cfg.poll), pace: newPace(cfg.poll.Initial), pollsUseful: true, start: time.Now()}
		r.prog.Op = opRoster
		r.prog.CreditsRemaining = -1
		r.run(usernames)
	}
}

const opRoster = "Audits.CreateAndWaitAll"

type rosterEntry struct {
	name, input string
	id          int64
	status      AuditStatus
	summary     *AuditSummary // the list row that showed it settled
	batch       *rosterBatch
	pos         int       // its place in the batch's queue
	seenPoll    int       // the list poll that last showed it
	due         time.Time // when a probe may find it settled (heads only)
	misses      int       // probes that found it still running
	failures    int       // consecutive transient failures reading it
	retryAt     time.Time // not before this, after a transient failure
	settled     bool      // seen settled (by the list or a GET)
	lost        bool      // in a submit whose answer was lost
}

type rosterRun struct {
	s     *AuditsService
	ctx   context.Context
	cfg   waitConfig
	yield func(*Audit, error) bool
	stop  bool

	queue   []*rosterEntry
	pending map[int64]*rosterEntry
	ready   []*rosterEntry
	unknown []*lostBatch // submits whose answer was lost and not yet reconciled

	credits     int // last known balance; -1 unknown
	quotaMisses int // consecutive 402s
	submitFails int // consecutive transient submit failures
	submitAt    time.Time
	pollFails   int // consecutive failed polls
	pollAt      time.Time
	polls       int     // list polls made (the seenPoll clock)
	pollsUseful bool    // the last poll showed at least one pending audit
	missRate    float64 // recent share of due probes that found the head running
	earlyMisses int     // early probes that found the head running
	intervals   *poll.Intervals
	pace        *pace
	prog        Progress

	start       time.Time // when the roster began
	firstSubmit time.Time // when the first batch went out
	settledN    int       // audits seen settling (by poll, probe or inline)
}

func (r *rosterRun) run(usernames []string) {
	if !r.admit(usernames) {
		return
	}
	r.prog.Total += len(r.queue)
	if len(r.queue) == 0 || !r.checkCredits() {
		return
	}
	for !r.stop && len(r.queue)+len(r.pending)+len(r.ready)+len(r.unknown) > 0 {
		if err := r.ctx.Err(); err != nil {
			r.failAll(err)
			return
		}
		now := time.Now()
		if r.step(now) {
			continue
		}
		if e := r.earlyHead(); e != nil {
			r.probe(e, true)
			continue
		}
		if poll.Sleep(r.ctx, r.nextEvent(now).Sub(now)) != nil {
			continue // the loop reports the end of the context
		}
	}
}

// step does the most useful thing that is due now and reports whether it
// did anything; false means sleep until nextEvent.
func (r *rosterRun) step(now time.Time) bool {
	switch {
	case len(r.queue) > 0 && r.credits != 0 && !now.Before(r.submitAt):
		r.submitNext()
	case r.dueUnknown(now) != nil:
		r.reconcileLost(r.dueUnknown(now))
	case r.nextReady(now) >= 0:
		r.fetch(r.nextReady(now))
	case len(r.pending) > 0 && r.polling() && !now.Before(r.pollAt):
		r.pollStatuses()
	case r.dueHead(now) != nil:
		r.probe(r.dueHead(now), false)
	case len(r.queue) > 0 && r.credits == 0 && len(r.pending)+len(r.ready)+len(r.unknown) == 0:
		// Queued handles, no credits, nothing running that could refund.
		r.refreshCredits()
		if r.credits == 0 {
			r.failQueue(transport.NewError(vendor, opRoster, ErrQuotaExceeded, "the key has no credits left for %d more handle(s)", len(r.queue)))
		}
	default:
		return false
	}
	return true
}

// nextEvent is when step will next have something to do.
func (r *rosterRun) nextEvent(now time.Time) time.Time {
	next := now.Add(r.cfg.poll.Max)
	earliest := func(t time.Time) {
		if t.Before(next) {
			next = t
		}
	}
	if len(r.queue) > 0 && r.credits != 0 {
		earliest(r.submitAt)
	}
	for _, lb := range r.unknown {
		earliest(lb.retryAt)
	}
	for _, e := range r.ready {
		earliest(e.retryAt)
	}
	if len(r.pending) > 0 && r.polling() {
		earliest(r.pollAt)
	}
	for _, e := range r.pending {
		if r.isHead(e) && r.unreached(e) {
			earliest(e.due)
		}
	}
	return next
}

// backoff is the pause after n consecutive transient failures of a step:
// the poll interval growing from its first value to its longest.
func (r *rosterRun) backoff(n int) time.Duration {
	d := r.cfg.poll.Initial
	for i := 1; i < n && d < r.cfg.poll.Max; i++ {
		d = d * 3 / 2
	}
	return poll.Jitter(min(d, r.cfg.poll.Max), 0.2)
}

// admit normalizes the inputs, yields invalid ones at once, and queues the
// rest without duplicates.
func (r *rosterRun) admit(usernames []string) bool {
	seen := map[string]bool{}
	for _, in := range usernames {
		name, why := normalize(in)
		if why != "" {
			r.prog.Total++
			r.prog.Failed++
			err := invalidParams(opRoster, "usernames", "%q is %s", in, handleReason(why))
			if !r.yield(&Audit{Username: in}, itemError(in, "", 0, "", "not submitted: "+handleReason(why), err)) {
				return false
			}
			continue
		}
		if name == "" || seen[name] {
			continue
		}
		seen[name] = true
		r.queue = append(r.queue, &rosterEntry{name: name, input: in})
	}
	return true
}

// checkCredits reads the balance once, for free, before anything is spent.
// A transient failure is tried again, as many times in a row as the
// client's retries (the one wait policy, see poll.Until); the end of the
// context or a refusal (bad key) stops the roster.
func (r *rosterRun) checkCredits() bool {
	for fails := 1; ; fails++ {
		c, err := r.s.c.Credits.Get(r.ctx)
		if err == nil {
			r.credits = c.CreditsRemaining
			break
		}
		if r.ctx.Err() != nil || !poll.IsTransient(err) || fails > r.s.c.t.MaxRetries() || poll.Sleep(r.ctx, r.backoff(fails)) != nil {
			r.failAll(err)
			return false
		}
	}
	r.prog.CreditsRemaining = r.credits
	if r.credits < len(r.queue) && !r.cfg.allowPartial {
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

func (r *rosterRun) emit(a *Audit, err error) {
	if err != nil {
		r.prog.Failed++
	} else {
		r.prog.Completed++
	}
	r.report()
	if !r.yield(a, err) {
		r.stop = true
	}
}

func (r *rosterRun) fail(e *rosterEntry, err error) {
	if e.lost && !errors.Is(err, ErrOutcomeUnknown) {
		err = errors.Join(err, ErrOutcomeUnknown)
	}
	var reason string
	switch {
	case errors.Is(err, ErrOutcomeUnknown):
		reason = "the submit's answer was lost and the list could not confirm it; an audit may exist (see Audits.List): " + causeText(err)
	case e.id != 0:
		reason = fmt.Sprintf("stopped before the audit settled (last status %q): %s; fetch it later with Audits.Get(%d)", e.status, causeText(err), e.id)
	default:
		reason = "not submitted: " + causeText(err)
	}
	r.emit(&Audit{ID: e.id, Username: e.name, Status: e.status}, itemError(e.input, e.name, e.id, e.status, reason, err))
}

func (r *rosterRun) failQueue(err error) {
	q := r.queue
	r.queue = nil
	for _, e := range q {
		if r.stop {
			return
		}
		r.fail(e, err)
	}
}

// failAll reports every handle not yet yielded: queued ones as not
// submitted, submitted ones with their audit id.
func (r *rosterRun) failAll(err error) {
	var rest []*rosterEntry
	rest = append(rest, r.ready...)
	for _, e := range r.pending {
		rest = append(rest, e)
	}
	for _, lb := range r.unknown {
		rest = append(rest, lb.entries...)
	}
	r.ready, r.pending, r.unknown = nil, map[int64]*rosterEntry{}, nil
	for _, e := range rest {
		if r.stop {
			return
		}
		r.fail(e, err)
	}
	r.failQueue(err)
}

func (r *rosterRun) report() {
	if r.cfg.progress == nil {
		return
	}
	unknown := 0
	for _, lb := range r.unknown {
		unknown += len(lb.entries)
	}
	r.prog.Queued, r.prog.Pending = len(r.queue), len(r.pending)+len(r.ready)+unknown
	r.prog.Checks = r.prog.Polls + r.prog.Probes
	r.prog.Elapsed = time.Since(r.start)
	r.cfg.progress(r.prog)
}
