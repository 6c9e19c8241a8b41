package engagecheck

import (
	"context"
	"errors"
	"iter"
	"time"

	"github.com/creatorkit/creatorkit-go/internal/poll"
	"github.com/creatorkit/creatorkit-go/internal/transport"
)

// Progress is a snapshot of a RunAll, passed to WithProgress.
type Progress struct {
	// Total is the number of distinct handles.
	Total int
	// Queued are not submitted yet; Pending are submitted and running.
	Queued, Pending int
	// Completed and Failed have been yielded.
	Completed, Failed int
	// CreditsRemaining is the last balance the API reported; -1 unknown.
	CreditsRemaining int
	// Polls counts list requests made to check statuses.
	Polls int
}

// RunAll audits a roster of any size and yields every distinct handle
// exactly once, as its audit settles:
//
//   - (audit, nil) for a complete audit, with its full report;
//   - (audit, *AuditError) for a handle without a report: a failed audit
//     (ErrAuditFailed, refunded by EngageCheck, with its error_message), an
//     invalid handle (ErrInvalidParams, never sent), a handle the credits
//     could not cover (ErrQuotaExceeded), or one the SDK had to stop
//     waiting for (the context ended; its AuditID lets you fetch it later).
//
// The *Audit is never nil; for a handle that was never submitted it carries
// only Username. Blanks and duplicates (after normalization) are dropped.
// Bad options are yielded as a single error before anything is sent.
//
// How it spends: one free credit check up front (by default a roster the
// balance cannot cover is refused before any credit is spent; see
// WithAllowPartial), one batch submit per 50 handles, status polls through
// the recent-audits list (one request covers up to 100 audits, where
// per-id polling would need 100), falling back to a GET for an audit the
// list no longer shows, and one GET per finished audit for its report.
// Polls happen only when there is nothing else to do, at a growing
// interval. Everything runs on the caller's goroutine; break stops it
// (audits already submitted still finish on EngageCheck's side).
func (s *AuditsService) RunAll(ctx context.Context, usernames []string, opts ...RunOption) iter.Seq2[*Audit, error] {
	const op = "Audits.RunAll"
	return func(yield func(*Audit, error) bool) {
		cfg, err := newRunConfig(op, opts)
		if err != nil {
			yield(nil, err)
			return
		}
		r := &rosterRun{s: s, ctx: ctx, cfg: cfg, yield: yield, pending: map[int64]*rosterEntry{}, intervals: poll.NewIntervals(cfg.poll)}
		r.prog.CreditsRemaining = -1
		r.run(usernames)
	}
}

type rosterEntry struct {
	name, input string
	id          int64
	status      AuditStatus
	summary     *AuditSummary
	fetchFails  int // failed fetches of a settled audit
}

// maxFetchFails is how many times a settled audit's fetch may fail
// (after the transport's own retries) before the handle is reported failed.
const maxFetchFails = 3

type rosterRun struct {
	s     *AuditsService
	ctx   context.Context
	cfg   runConfig
	yield func(*Audit, error) bool
	stop  bool

	queue   []*rosterEntry
	pending map[int64]*rosterEntry
	ready   []*rosterEntry

	credits     int // last known balance; -1 unknown
	quotaMisses int // consecutive 402s
	pollErrors  int // consecutive failed polls
	intervals   *poll.Intervals
	prog        Progress

	firstSubmit time.Time // when the first batch went out
	settled     int       // audits seen settling (by poll or inline)
}

// pollTarget is how many settled audits a status poll aims to find: once
// the completion rate is known, polls are spaced so that each one is
// expected to collect about this many (fewer near the end of a roster).
const pollTarget = 20

// nextPollWait spaces status polls: a growing interval until the first
// audit settles, then the time in which pollTarget audits are expected to
// settle at the observed rate, within the configured bounds.
func (r *rosterRun) nextPollWait() time.Duration {
	grown := r.intervals.Next()
	if r.settled == 0 || r.firstSubmit.IsZero() {
		return grown
	}
	rate := float64(r.settled) / time.Since(r.firstSubmit).Seconds()
	target := min(pollTarget, len(r.pending))
	wait := time.Duration(float64(target) / rate * float64(time.Second))
	return poll.Jitter(min(max(wait, r.cfg.poll.Initial), r.cfg.poll.Max), 0.1)
}

const opRunAll = "Audits.RunAll"

func (r *rosterRun) run(usernames []string) {
	if !r.admit(usernames) {
		return
	}
	r.prog.Total += len(r.queue)
	if len(r.queue) == 0 || !r.checkCredits() {
		return
	}
	for !r.stop && len(r.queue)+len(r.pending)+len(r.ready) > 0 {
		if err := r.ctx.Err(); err != nil {
			r.failAll(err)
			return
		}
		switch {
		case len(r.queue) > 0 && r.credits != 0:
			r.submitNext()
		case len(r.ready) > 0:
			r.fetchNext()
		case len(r.pending) > 0:
			if poll.Sleep(r.ctx, r.nextPollWait()) == nil {
				r.pollStatuses()
			}
		default: // queued handles, no credits, nothing running that could refund
			r.refreshCredits()
			if r.credits == 0 {
				r.failQueue(transport.NewError(vendor, opRunAll, ErrQuotaExceeded, "no credits left for %d more handle(s); they were not submitted", len(r.queue)))
			}
		}
	}
}

// admit normalizes the inputs, yields invalid ones at once, and queues the
// rest without duplicates.
func (r *rosterRun) admit(usernames []string) bool {
	seen := map[string]bool{}
	for _, in := range usernames {
		name, err := NormalizeUsername(in)
		if err != nil {
			r.prog.Total++
			r.prog.Failed++
			if !r.yield(&Audit{Username: in}, &AuditError{Input: in, Message: "not submitted", Err: err}) {
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
func (r *rosterRun) checkCredits() bool {
	c, err := r.s.c.Credits.Get(r.ctx)
	if err != nil {
		r.failAll(err)
		return false
	}
	r.credits = c.CreditsRemaining
	r.prog.CreditsRemaining = r.credits
	if r.credits < len(r.queue) && !r.cfg.allowPartial {
		r.failQueue(transport.NewError(vendor, opRunAll, ErrQuotaExceeded,
			"the roster needs %d credits and the key has %d; nothing was submitted (WithAllowPartial audits as many as the balance covers)", len(r.queue), r.credits))
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

// submitNext submits the next batch, sized to the known balance.
func (r *rosterRun) submitNext() {
	n := min(MaxBatch, len(r.queue))
	if r.credits > 0 {
		n = min(n, r.credits)
	}
	batch := r.queue[:n]
	names := make([]string, n)
	byName := make(map[string]*rosterEntry, n)
	for i, e := range batch {
		names[i], byName[e.name] = e.name, e
	}
	if r.firstSubmit.IsZero() {
		r.firstSubmit = time.Now()
	}
	b, err := r.s.submitBatch(r.ctx, names, r.cfg.webhookURL, "")
	if b != nil {
		r.quotaMisses = 0
		for _, row := range b.Results {
			e := byName[row.Username]
			if e == nil {
				continue
			}
			delete(byName, row.Username)
			e.id, e.status = row.ID, row.Status
			if row.Status.Terminal() {
				r.ready = append(r.ready, e)
				r.settled++
			} else {
				r.pending[e.id] = e
			}
		}
		if b.CreditsRemaining >= 0 {
			r.credits = b.CreditsRemaining
		} else {
			r.credits = -1
		}
		r.prog.CreditsRemaining = r.credits
	}
	r.queue = r.queue[n:]
	if err == nil {
		for _, e := range batch {
			if byName[e.name] != nil {
				r.fail(e, transport.NewError(vendor, opRunAll, ErrUnexpectedResponse, "the batch answer had no row for this handle"))
			}
		}
		r.report()
		return
	}
	var unsent []*rosterEntry
	for _, e := range batch {
		if byName[e.name] != nil {
			unsent = append(unsent, e)
		}
	}
	switch {
	case errors.Is(err, ErrQuotaExceeded) && r.quotaMisses < 3:
		// Someone else spent credits since our check: requeue, re-read
		// the balance and size the next batch to it.
		r.quotaMisses++
		r.queue = append(unsent, r.queue...)
		r.refreshCredits()
	case errors.Is(err, ErrUnauthorized) || errors.Is(err, ErrForbidden) || r.ctx.Err() != nil:
		r.queue = append(unsent, r.queue...)
		r.failAll(err)
	default:
		for _, e := range unsent {
			r.fail(e, err)
		}
	}
	r.report()
}

// fetchNext fetches one settled audit's full record and yields it.
func (r *rosterRun) fetchNext() {
	e := r.ready[0]
	if sum := e.summary; sum != nil && sum.Status == StatusError && sum.ErrorMessage != nil {
		// The list already says why it failed: no need to fetch.
		r.ready = r.ready[1:]
		a := &Audit{ID: sum.ID, Username: sum.Username, Status: sum.Status, ErrorMessage: sum.ErrorMessage, CreatedAt: sum.CreatedAt, CompletedAt: sum.CompletedAt}
		r.emit(e, a, a.failure(e.input))
		return
	}
	a, err := r.s.Get(r.ctx, e.id)
	if err != nil {
		if r.ctx.Err() != nil {
			return // failAll reports it with its id
		}
		r.ready = r.ready[1:]
		if e.fetchFails++; transient(err) && e.fetchFails < maxFetchFails {
			// Try again after the next poll rather than lose the result.
			e.summary = nil
			r.pending[e.id] = e
			return
		}
		r.fail(e, err)
		return
	}
	r.ready = r.ready[1:]
	if !a.Done() { // the list was ahead of the record: keep waiting
		e.status, e.summary = a.Status, nil
		r.pending[e.id] = e
		return
	}
	r.emit(e, a, a.failure(e.input))
}

// pollStatuses reads the recent-audits list, newest first, until every
// pending audit has been seen or the rows get older than the oldest one.
// Settled audits move to the fetch queue; audits the list no longer shows
// are fetched by id instead.
func (r *rosterRun) pollStatuses() {
	oldest := int64(-1)
	for id := range r.pending {
		if oldest < 0 || id < oldest {
			oldest = id
		}
	}
	seen := map[int64]bool{}
	covered := false
	maxPages := (len(r.pending)+MaxListLimit-1)/MaxListLimit + 1
	progress := false
	for page := 0; page < maxPages; page++ {
		l, err := r.s.list(r.ctx, opRunAll, ListAuditsParams{Limit: MaxListLimit, Offset: page * MaxListLimit})
		r.prog.Polls++
		if err != nil {
			if r.ctx.Err() != nil {
				return
			}
			if r.pollErrors++; r.pollErrors >= 3 {
				r.failPending(err)
			}
			return
		}
		r.pollErrors = 0
		for i := range l.Data {
			row := l.Data[i]
			e := r.pending[row.ID]
			if e == nil {
				continue
			}
			seen[row.ID] = true
			e.status = row.Status
			if row.Status.Terminal() {
				e.summary = &row
				delete(r.pending, row.ID)
				r.ready = append(r.ready, e)
				r.settled++
				progress = true
			}
		}
		if n := len(l.Data); n < MaxListLimit || l.Data[n-1].ID < oldest {
			covered = true
			break
		}
	}
	if covered {
		for id, e := range r.pending {
			if !seen[id] {
				delete(r.pending, id)
				r.ready = append(r.ready, e)
				progress = true
			}
		}
	}
	if progress {
		r.intervals.Reset()
	}
	r.report()
}

// transient reports whether a failed read may succeed later.
func transient(err error) bool {
	for _, k := range []error{ErrServer, ErrNetwork, ErrUnexpectedResponse, ErrRateLimited} {
		if errors.Is(err, k) {
			return true
		}
	}
	return false
}

func (r *rosterRun) emit(e *rosterEntry, a *Audit, err error) {
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
	msg := "not submitted"
	if e.id != 0 {
		msg = "stopped before the audit settled; fetch it later with Audits.Get"
	}
	r.emit(e, &Audit{ID: e.id, Username: e.name, Status: e.status}, &AuditError{Username: e.name, Input: e.input, AuditID: e.id, Message: msg, Err: err})
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

func (r *rosterRun) failPending(err error) {
	p := r.pending
	r.pending = map[int64]*rosterEntry{}
	for _, e := range p {
		if r.stop {
			return
		}
		r.fail(e, err)
	}
}

// failAll reports every handle not yet yielded: queued ones as not
// submitted, submitted ones with their audit id.
func (r *rosterRun) failAll(err error) {
	ready := r.ready
	r.ready = nil
	for _, e := range ready {
		if r.stop {
			return
		}
		r.fail(e, err)
	}
	r.failPending(err)
	r.failQueue(err)
}

func (r *rosterRun) report() {
	if r.cfg.progress == nil {
		return
	}
	r.prog.Queued, r.prog.Pending = len(r.queue), len(r.pending)+len(r.ready)
	r.cfg.progress(r.prog)
}
