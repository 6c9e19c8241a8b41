package infludata

import (
	"context"
	"errors"
	"iter"
	"time"

	"github.com/creatorkit/creatorkit-go/internal/poll"
	"github.com/creatorkit/creatorkit-go/internal/transport"
)

// GetAndWaitAll is GetAndWait for many creators: it checks the data
// status of every pending creator (free) in rounds, makes one getUserData
// call with the audience report for each as soon as the report is ready
// (20 tokens; the report is always asked for, whatever IncludeAudienceReport
// says), and yields the profiles in the order they become ready. It never
// polls the paid call, so a roster costs exactly 20 tokens per creator
// delivered. Each element names a creator as GetAndWait's p does (an _id
// needs no platform).
//
// Every element of ps is yielded exactly once: (profile, nil), or an
// *ItemError with a nil profile, except for ErrNotReady, which comes with
// the 201 or 202 profile as in GetAndWait. The ItemError's Input is the
// element's identifier exactly as given (its Username, UserID or ID), Item
// the creator as influData knows it ("instagram/@adidas", or
// "instagram/id:<id>" while only an id is known; empty for an element that
// could not be read), ID its _id when known, Reason why
// (never empty), State the last data status seen ("queued",
// "processing", "ready", "not in database", or the March 2025 status) and
// Err the cause:
//   - the *Error of ErrInvalidParams for a bad element, before anything
//     is sent;
//   - ErrNotFound as soon as a status check says influData neither holds
//     the creator nor is enriching it (DataStatus.NotFound);
//   - ErrNotReady, the *Error of the paid call (ErrNotFound when the
//     creator is not on the platform, ErrOutcomeUnknown when its answer
//     was lost after it may have been charged: the SDK never pays twice),
//     as they happen;
//   - ErrQuotaExceeded's *Error: when the key's budget is spent, that
//     creator and every creator still pending are yielded with it and the
//     walk ends;
//   - ErrBudgetExceeded's *Error, with a client Budget (WithBudget): the
//     roster is sized to what the budget has left when it starts, each
//     creator counted at what its paid call costs (20 tokens), in the
//     order given: the creators past
//     what remains are yielded with it at once, and nothing is sent for
//     them (no status check either). A creator whose call no longer fits
//     later (other clients or goroutines spent the shared budget) is
//     yielded with it then, before anything more is sent for it;
//   - a *TimeoutError (which wraps the context's error and the last
//     transient failure) for each creator still pending when the context
//     ends, its State the last status seen.
//
// A transient answer (a 429 that outlasted the transport's retries, as
// when another job shares the key, a 5xx, a connection lost before
// sending) to a status check or to the paid call leaves the creator
// pending, to be asked again in the next round, as many times in a row as
// the client's retries (WithMaxRetries, the one wait policy); one more
// ends that creator with an *ItemError whose Err is the failure. influData
// charges no failed request, so the paid call is made again only after an
// answer that cost nothing. Rounds start WithPollInterval apart and back
// off while nothing changes (the defaults of GetAndWait); WithProgress
// reports each round; break stops it. Bad options are yielded once, as
// (nil, *Error), and nothing else.
func (s *ProfilesService) GetAndWaitAll(ctx context.Context, ps []GetProfileParams, opts ...WaitOption) iter.Seq2[*Profile, error] {
	const op = opGetAndWaitAll
	return func(yield func(*Profile, error) bool) {
		cfg, err := s.c.newWaitConfig(op, opts)
		if err != nil {
			yield(nil, err)
			return
		}
		// An observed call of its own (WithObserver): its status checks and
		// paid calls are calls inside it.
		ctx, end := s.c.t.Observe(ctx, op)
		r := &roster{s: s, cfg: cfg, start: time.Now(), yield: yield}
		defer func() { end(r.polls, r.succeeded+r.failed, r.err(ctx)) }()
		r.total = len(ps)
		b := s.c.budget()
		var left int64 // what the budget holds for the creators not yet taken
		if b != nil {
			left = b.Remaining()
		}
		for _, p := range ps {
			p = forWait(p)
			if err := checkWait(op, p, cfg, s.c.plan); err != nil {
				ie := itemError(p, nil, nil, "", "", err)
				ie.Item, ie.ID = "", "" // the element could not be read as a creator
				if !r.fail(nil, ie) {
					return
				}
				continue
			}
			if cost := profileCost(true); b != nil {
				if cost > left {
					err := transport.NewError(vendor, op, ErrBudgetExceeded, "the getUserData call may cost %d tokens; the %d tokens the budget (of %d) had left when the roster started go to the creators before it; nothing was sent",
						cost, b.Remaining(), b.Limit())
					if !r.fail(nil, itemError(p, nil, nil, "", "not started: "+err.Message, err)) {
						return
					}
					continue
				}
				left -= cost
			}
			r.pending = append(r.pending, &waitEntry{p: p, started: time.Now()})
		}
		r.run(ctx)
	}
}

// roster is one GetAndWaitAll walk.
type roster struct {
	s       *ProfilesService
	cfg     waitConfig
	start   time.Time
	yield   func(*Profile, error) bool
	pending []*waitEntry

	total, succeeded, failed, checks int
	polls                            int        // status checks made (answered or not)
	last                             *waitEntry // checked last
}

// err is how the roster ended, for its observer: the context's error when
// the context ended, else nil (each creator's outcome is its own).
func (r *roster) err(ctx context.Context) error {
	if len(r.pending) > 0 && ctx.Err() != nil {
		return ctx.Err()
	}
	return nil
}

// waitEntry is one creator GetAndWaitAll is waiting for.
type waitEntry struct {
	p       GetProfileParams
	started time.Time
	checks  int         // status checks answered
	status  *DataStatus // the last status seen
	// ready: a status check found the creator ready, so the paid call is
	// due (it failed transiently, or has not been made yet).
	ready     bool
	transient int // transient failures in all
	inARow    int // transient failures since the last answer
	lastErr   error
}

func (e *waitEntry) describe() string {
	switch {
	case e.ready:
		return e.status.Describe() + "; the paid getUserData call failed transiently"
	case e.status != nil:
		return e.status.Describe()
	case e.transient > 0:
		return "no status check answered yet"
	}
	return "not checked yet"
}

// state is the entry's last status in one word (ItemError.State).
func (e *waitEntry) state() string { return e.status.state() }

func (e *waitEntry) timeout(op string, cause error) *TimeoutError {
	return &TimeoutError{Vendor: vendor, Op: op, Last: e.describe(), Checks: e.checks,
		Elapsed: time.Since(e.started), TransientErrors: e.transient, LastError: e.lastErr, Err: cause}
}

// deliver yields a profile; fail yields an ItemError. Both report whether
// the consumer wants more.
func (r *roster) deliver(p *Profile) bool {
	r.succeeded++
	return r.yield(p, nil)
}

func (r *roster) fail(p *Profile, e *ItemError) bool {
	r.failed++
	return r.yield(p, e)
}

// giveUp yields every entry with cause, or with its own timeout when
// cause is nil (the context ended).
func (r *roster) giveUp(ctx context.Context, entries []*waitEntry, cause error) {
	for _, e := range entries {
		err := cause
		if cause == nil {
			err = e.timeout(opGetAndWaitAll, ctxErr(ctx))
		}
		ie := itemError(e.p, e.status, nil, e.state(), "", err)
		if cause != nil {
			ie.Reason = "not fetched: " + reasonOf(cause)
		}
		if !r.fail(nil, ie) {
			return
		}
	}
}

func (r *roster) progress() {
	if r.cfg.progress == nil {
		return
	}
	pr := Progress{Op: opGetAndWaitAll, Checks: r.checks, Elapsed: time.Since(r.start), Total: r.total,
		Pending: len(r.pending), Succeeded: r.succeeded, Failed: r.failed}
	if r.last != nil {
		pr.Creator, pr.State = r.last.p.ref().String(), r.last.describe()
	}
	r.cfg.progress(pr)
}

func (r *roster) run(ctx context.Context) {
	intervals := poll.NewIntervals(r.cfg.poll)
	for len(r.pending) > 0 {
		progressed := false
		var still []*waitEntry
		for i, e := range r.pending {
			rest := func() []*waitEntry { return append(append(still, e), r.pending[i+1:]...) }
			if ctx.Err() != nil {
				r.giveUp(ctx, append(still, r.pending[i:]...), nil)
				return
			}
			p, done, err := r.step(ctx, e)
			r.last = e
			switch {
			case !done && err == nil: // not ready yet
				still = append(still, e)
				continue
			case !done && ctx.Err() != nil: // the context ended during the call
				r.giveUp(ctx, rest(), nil)
				return
			case !done: // transient: try again next round
				still = append(still, e)
				continue
			}
			progressed = true
			if err == nil {
				if !r.deliver(p) {
					return
				}
				continue
			}
			ie, ok := err.(*ItemError)
			if !ok {
				ie = itemError(e.p, e.status, p, e.state(), "", err)
			}
			if errors.Is(err, ErrQuotaExceeded) {
				left := append(still, r.pending[i+1:]...)
				if !r.fail(p, ie) {
					return
				}
				r.giveUp(ctx, left, err)
				return
			}
			if !r.fail(p, ie) {
				return
			}
		}
		r.pending = still
		r.progress()
		if len(r.pending) == 0 {
			return
		}
		if progressed {
			intervals.Reset()
		}
		if poll.Sleep(ctx, intervals.Next()) != nil {
			r.giveUp(ctx, r.pending, nil)
			return
		}
	}
}

// step moves one creator on: a status check (free) until it is ready,
// then the paid call. done is false while the creator stays pending: not
// ready yet (err nil), or a transient failure (err set, counted on the
// entry). With done, p and err are what to yield.
func (r *roster) step(ctx context.Context, e *waitEntry) (p *Profile, done bool, err error) {
	s := r.s
	if cost := profileCost(true); !s.c.fits(cost) {
		err := s.c.budgetError(opGetAndWaitAll, cost, "the getUserData call")
		return nil, true, itemError(e.p, e.status, nil, e.state(), "not fetched: "+err.Message, err)
	}
	if !e.ready {
		r.polls++
		d, err := s.checkStatus(ctx, opDataStatus, statusParams(e.p, r.cfg.weekly && e.checks == 0))
		switch {
		case err == nil:
			e.checks++
			r.checks++
			e.status, e.inARow = d, 0
			if err := checkFound(opGetAndWaitAll, e.p, d); err != nil {
				return nil, true, err
			}
			if !d.AudienceReady() {
				if ends(d) {
					return nil, true, s.settled(opGetAndWaitAll, e.p, d)
				}
				return nil, false, nil
			}
			e.ready = true
		case ctx.Err() == nil && poll.IsTransient(err):
			return nil, !r.outlast(e, err), err
		case ctx.Err() != nil:
			return nil, false, err
		default:
			return nil, true, err
		}
	}
	p, err = s.fetchReady(ctx, opGetAndWaitAll, e.p, e.status)
	if err != nil && !errors.Is(err, ErrNotReady) {
		if ctx.Err() != nil {
			return nil, false, err
		}
		if poll.IsTransient(err) {
			return nil, !r.outlast(e, err), err
		}
	}
	return p, true, err
}

// outlast counts a transient failure of e's check or paid call, and
// reports whether e stays pending: as many failures in a row as the
// client's retries (WithMaxRetries; the one wait policy, see poll.Until)
// are tried again in the next rounds, one more ends e with that failure.
func (r *roster) outlast(e *waitEntry, err error) bool {
	e.transient++
	e.inARow++
	e.lastErr = err
	return e.inARow <= r.cfg.poll.Tolerate
}
