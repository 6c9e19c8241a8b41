package engagecheck

import (
	"slices"
	"time"

	"github.com/creatorkit/creatorkit-go/internal/poll"
)

// rosterBatch is one submitted batch: EngageCheck runs its audits one
// after another, in the order of its answer's rows.
type rosterBatch struct {
	sent    time.Time
	entries []*rosterEntry
	next    int       // the head: the first entry not yet seen settled
	last    time.Time // when the latest head was seen settled (sent at first)
}

// advance moves the head past entries seen settled, learns the batch's
// pace from how far it moved since the last time, and schedules a probe
// of the new head.
func (b *rosterBatch) advance(now time.Time, p *pace) {
	moved := 0
	for b.next < len(b.entries) && b.entries[b.next].settled {
		b.next++
		moved++
	}
	if moved == 0 {
		return
	}
	p.observe(now.Sub(b.last) / time.Duration(moved))
	b.last = now
	if b.next < len(b.entries) {
		h := b.entries[b.next]
		h.due, h.misses = now.Add(p.per()), 0
	}
}

// pace estimates how long one audit takes in a batch's queue: the median
// of recent observations (each an upper bound: a settle is seen when it is
// checked, not when it happens). Before the first observation it is the
// first poll interval.
type pace struct {
	initial time.Duration
	samples []time.Duration
}

const paceSamples = 32

func newPace(initial time.Duration) *pace { return &pace{initial: initial} }

func (p *pace) observe(d time.Duration) {
	p.samples = append(p.samples, max(d, 0))
	if len(p.samples) > paceSamples {
		p.samples = p.samples[1:]
	}
}

func (p *pace) per() time.Duration {
	if len(p.samples) == 0 {
		return p.initial
	}
	s := slices.Clone(p.samples)
	slices.Sort(s)
	return s[len(s)/2]
}

// markSettled records that e was seen settled at now.
func (r *rosterRun) markSettled(e *rosterEntry, now time.Time) {
	if e.settled {
		return
	}
	e.settled = true
	r.settledN++
	if e.batch != nil {
		e.batch.advance(now, r.pace)
	}
}

// isHead reports whether e is the next audit its batch will settle.
func (r *rosterRun) isHead(e *rosterEntry) bool {
	return e.batch != nil && e.batch.next < len(e.batch.entries) && e.batch.entries[e.batch.next] == e
}

// minPaceSamples is how many settles CreateAndWaitAll observes before it
// trusts the batches' pace enough to check heads by probes instead of list
// polls.
const minPaceSamples = 3

// polling reports whether list polls are worth their cost now: the last
// poll showed some of the roster's pending audits, and either the batches'
// pace is not known yet or probes keep finding heads still running. Once
// the pace is known, a probe at the time a head should be done is its
// report fetch, which the audit needs anyway: list pages would only add
// requests.
func (r *rosterRun) polling() bool {
	return r.pollsUseful && (len(r.pace.samples) < minPaceSamples || r.missRate > 0.5)
}

// unreached reports whether e's status has to come from a probe: list
// polls are off, the list is failing, or the last poll did not show it.
func (r *rosterRun) unreached(e *rosterEntry) bool {
	return !r.polling() || r.pollFails > 0 || e.seenPoll < r.polls
}

// dueHead returns the unreached batch head whose probe is most overdue.
func (r *rosterRun) dueHead(now time.Time) *rosterEntry {
	var best *rosterEntry
	for _, e := range r.pending {
		if r.isHead(e) && r.unreached(e) && !now.Before(e.due) && (best == nil || e.due.Before(best.due)) {
			best = e
		}
	}
	return best
}

// earlyMissShare caps the requests early probes may waste: early probes
// that found a head still running stay under this share of all probes.
const earlyMissShare = 0.05

// earlyHead returns the unreached head due soonest, to probe before it is
// due instead of leaving the key's rate unused, or nil. When audits finish
// faster than the key's limit lets the roster fetch them, an early probe
// finds its head settled and costs nothing (it is the report fetch); when
// audits are the bottleneck, early probes that miss are capped at
// earlyMissShare of all probes.
func (r *rosterRun) earlyHead() *rosterEntry {
	if float64(r.earlyMisses+1) > earlyMissShare*float64(r.prog.Probes+1) {
		return nil
	}
	var best *rosterEntry
	for _, e := range r.pending {
		if r.isHead(e) && r.unreached(e) && e.failures == 0 && (best == nil || e.due.Before(best.due)) {
			best = e
		}
	}
	return best
}

// nextReady returns the index of the first settled audit whose fetch is
// due, or -1.
func (r *rosterRun) nextReady(now time.Time) int {
	for i, e := range r.ready {
		if !now.Before(e.retryAt) {
			return i
		}
	}
	return -1
}

// nextPollWait spaces status polls: a growing interval until the first
// audit settles, then the time in which pollTarget audits are expected to
// settle at the observed rate, within the configured bounds.
func (r *rosterRun) nextPollWait() time.Duration {
	grown := r.intervals.Next()
	if r.settledN == 0 || r.firstSubmit.IsZero() {
		return grown
	}
	rate := float64(r.settledN) / time.Since(r.firstSubmit).Seconds()
	target := min(pollTarget, len(r.pending))
	wait := time.Duration(float64(target) / rate * float64(time.Second))
	return poll.Jitter(min(max(wait, r.cfg.poll.Initial), r.cfg.poll.Max), 0.1)
}

// pollTarget is how many settled audits a status poll aims to find: once
// the completion rate is known, polls are spaced so that each one is
// expected to collect about this many (fewer near the end of a roster).
const pollTarget = 20

// pollStatuses reads the recent-audits list, newest first, until it has
// passed the oldest pending audit or read as many pages as the pending
// audits could fill, plus one. Settled audits move to the fetch queue.
// When the walk passed the oldest pending audit, audits it did not show
// are fetched by id (the list no longer shows them); when it stopped
// first, they stay pending and their batches' heads are probed by id when
// due. A poll that shows none of the roster's pending audits turns polling
// off until the next submit.
func (r *rosterRun) pollStatuses() {
	oldest := int64(-1)
	for id := range r.pending {
		if oldest < 0 || id < oldest {
			oldest = id
		}
	}
	r.polls++
	seen := 0
	covered, progress := false, false
	maxPages := (len(r.pending)+MaxListLimit-1)/MaxListLimit + 1
	for page := 0; page < maxPages; page++ {
		l, err := r.s.list(r.ctx, opRoster, ListAuditsParams{Limit: MaxListLimit, Offset: page * MaxListLimit})
		r.prog.Polls++
		if err != nil {
			if r.ctx.Err() == nil && fatal(err) {
				r.failAll(err)
				return
			}
			// Try again later; meanwhile probes keep the roster moving.
			r.pollFails++
			r.pollAt = time.Now().Add(r.backoff(r.pollFails))
			r.polls-- // a failed poll proves nothing about what it did not show
			return
		}
		r.pollFails = 0
		now := time.Now()
		for i := range l.Data {
			row := l.Data[i]
			e := r.pending[row.ID]
			if e == nil {
				continue
			}
			seen++
			e.seenPoll, e.status = r.polls, row.Status
			if row.Status.Terminal() {
				e.summary = &row
				delete(r.pending, row.ID)
				r.ready = append(r.ready, e)
				r.markSettled(e, now)
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
			if e.seenPoll != r.polls {
				delete(r.pending, id)
				r.ready = append(r.ready, e)
				progress = true
			}
		}
	}
	r.pollsUseful = seen > 0
	r.missRate *= 0.8 // a poll stands in for probes: the miss rate says less and less
	if progress {
		r.intervals.Reset()
	}
	r.pollAt = time.Now().Add(r.nextPollWait())
	r.report()
}

// probe GETs a batch head the list could not reach, when its batch's pace
// says it is due or (early) when the key's rate would otherwise go unused.
// If it settled, the GET was its report fetch; if not, the next probe
// waits longer.
func (r *rosterRun) probe(e *rosterEntry, early bool) {
	r.prog.Probes++
	a, err := r.s.Get(r.ctx, e.id)
	now := time.Now()
	if err != nil {
		r.readFailed(e, err)
		if !e.settled && r.ctx.Err() == nil {
			e.due = e.retryAt
		}
		return
	}
	e.failures, e.status = 0, a.Status
	switch {
	case early:
		if !a.Done() {
			r.earlyMisses++
		}
	default:
		r.missRate *= 0.8
		if !a.Done() {
			r.missRate += 0.2
		}
	}
	if !a.Done() {
		e.misses++
		e.due = now.Add(r.missWait(e.misses))
		return
	}
	delete(r.pending, e.id)
	r.markSettled(e, now)
	r.emit(a, a.failure(e.input))
}

// missWait is the pause before probing a head again that was still
// running: a quarter of the batch pace, growing with each miss.
func (r *rosterRun) missWait(misses int) time.Duration {
	d := max(r.pace.per()/4, r.cfg.poll.Initial/4, time.Millisecond)
	for i := 1; i < misses && d < r.cfg.poll.Max; i++ {
		d = d * 3 / 2
	}
	return min(d, r.cfg.poll.Max)
}

// readFailed handles a failed GET of e: a refusal no retry can fix fails
// the roster or the handle; a transient answer is tried again later, a
// bounded number of times in a row.
func (r *rosterRun) readFailed(e *rosterEntry, err error) {
	switch {
	case r.ctx.Err() != nil:
		// the loop reports the end of the context, with the audit's id
	case fatal(err):
		r.failAll(err)
	case poll.IsTransient(err) && e.failures < r.s.c.t.MaxRetries():
		// Tried again later, as many times in a row as the client's
		// retries (the one wait policy, see poll.Until).
		e.failures++
		e.retryAt = time.Now().Add(r.backoff(e.failures))
	default:
		r.drop(e)
		r.fail(e, err)
	}
}

// drop removes e from the pending set and the fetch queue.
func (r *rosterRun) drop(e *rosterEntry) {
	delete(r.pending, e.id)
	if i := slices.Index(r.ready, e); i >= 0 {
		r.ready = slices.Delete(r.ready, i, i+1)
	}
}

// fetch GETs a settled audit's full record and yields it.
func (r *rosterRun) fetch(i int) {
	e := r.ready[i]
	if sum := e.summary; sum != nil && sum.Status == StatusError && sum.ErrorMessage != nil {
		// The list already says why it failed: no need to fetch.
		r.ready = slices.Delete(r.ready, i, i+1)
		a := &Audit{ID: sum.ID, Username: sum.Username, Status: sum.Status, ErrorMessage: sum.ErrorMessage, CreatedAt: sum.CreatedAt, CompletedAt: sum.CompletedAt}
		r.emit(a, a.failure(e.input))
		return
	}
	a, err := r.s.Get(r.ctx, e.id)
	if err != nil {
		r.readFailed(e, err)
		return
	}
	r.ready = slices.Delete(r.ready, i, i+1)
	if !a.Done() { // the list was ahead of the record: keep waiting
		e.status, e.summary, e.failures = a.Status, nil, 0
		e.settled = false
		r.pending[e.id] = e
		e.due = time.Now().Add(r.missWait(1))
		return
	}
	r.emit(a, a.failure(e.input))
}
