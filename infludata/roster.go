package infludata

import (
	"context"
	"errors"
	"iter"
	"strings"
	"time"

	"github.com/creatorkit/creatorkit-go/internal/poll"
	"github.com/creatorkit/creatorkit-go/internal/roster"
	"github.com/creatorkit/creatorkit-go/internal/transport"
)

// GetAndWaitAll is GetAndWait for many creators: it checks the data
// status of every pending creator (free) in rounds, makes one getUserData
// call with the audience report for each as soon as the report is ready
// (20 tokens; the report is always asked for, whatever IncludeAudienceReport
// says), and yields the answers in the order they are known. It never
// polls the paid call, so a roster costs exactly 20 tokens per creator
// delivered. Each element names a creator as GetAndWait's p does (an _id
// needs no platform).
//
// Every element of ps is answered exactly once, with an Answer saying
// which (Index, its position in ps; Input, its identifier exactly as
// given: its Username, UserID or ID) and a nil error and the profile in
// Value, or an *ItemError (with the same Index and Input) and Value nil,
// except for ErrNotReady, which comes with the 201 or 202 profile as in
// GetAndWait. Elements that name the same creator the same way (the same
// platform and _id, UserID, or handle compared without '@' and case, with
// the same ShowDatalogAndScore) are one creator: it is checked and paid
// for once, and each element gets its own Answer with the one result
// (the same *Profile). The ItemError's Item is the creator as influData
// knows it ("instagram/@adidas", or "instagram/id:<id>" while only an id
// is known; empty for an element that could not be read), ID its _id when
// known, Reason why (never empty), State the last data status seen
// ("queued", "processing", "ready", "not in database", or the March 2025
// status) and Err the cause:
//   - the *Error of ErrInvalidParams for a blank or bad element, answered
//     before anything is sent (for every element when an option is bad:
//     then nothing is sent at all);
//   - ErrNotFound as soon as a status check says influData neither holds
//     the creator nor is enriching it (DataStatus.NotFound);
//   - ErrNotReady, the *Error of the paid call (ErrNotFound when the
//     creator is not on the platform, ErrOutcomeUnknown when its answer
//     was lost after it may have been charged: the SDK never pays twice),
//     as they happen;
//   - ErrQuotaExceeded's *Error: when the key's budget is spent, that
//     creator and every creator still pending are answered with it and
//     the walk ends;
//   - ErrBudgetExceeded's *Error, with a client Budget (WithBudget): the
//     roster is sized to what the budget has left when it starts, each
//     distinct creator counted at what its paid call costs (20 tokens), in
//     the order given: the creators past what remains are answered with
//     it at once, and nothing is sent for them (no status check either).
//     A creator whose call no longer fits later (other clients or
//     goroutines spent the shared budget) is answered with it then,
//     before anything more is sent for it;
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
// reports each round, counting elements (Total is len(ps)); break stops
// it. An empty ps yields nothing.
func (s *ProfilesService) GetAndWaitAll(ctx context.Context, ps []GetProfileParams, opts ...WaitOption) iter.Seq2[Answer[*Profile], error] {
	const op = opGetAndWaitAll
	return func(yield func(Answer[*Profile], error) bool) {
		cfg, cfgErr := s.c.newWaitConfig(op, opts)
		// Each element is checked once, here: its key (the creator it
		// names) or why it names none. The book reads them back in order
		// (New calls key once per input, in input order), and byKey keeps
		// the first element of each creator: what the roster sends.
		inputs := make([]string, len(ps))
		byKey := map[string]GetProfileParams{}
		checked := make([]error, len(ps))
		keys := make([]string, len(ps))
		for i, p := range ps {
			p = forWait(p)
			inputs[i] = p.input()
			if checked[i] = cfgErr; checked[i] == nil {
				checked[i] = checkWait(op, p, cfg, s.c.plan)
			}
			if checked[i] == nil {
				keys[i] = p.key()
				if _, seen := byKey[keys[i]]; !seen {
					byKey[keys[i]] = p
				}
			}
		}
		next := 0
		book, invalid := roster.New(vendor, op, inputs, func(string) (string, error) {
			i := next
			next++
			return keys[i], checked[i]
		}, yield)
		if !book.Refuse(invalid, func(_ string, err error) string { return reasonOf(err) }) || cfgErr != nil {
			return
		}
		// An observed call of its own (WithObserver): its status checks and
		// paid calls are calls inside it.
		ctx, end := s.c.t.Observe(ctx, op)
		r := &rosterRun{s: s, cfg: cfg, start: time.Now(), book: book, entries: map[string]*waitEntry{}}
		defer func() {
			total, pending, _, _ := book.Counts()
			end(r.polls, total-pending, r.err(ctx))
		}()
		b := s.c.budget()
		var left int64 // what the budget holds for the creators not yet taken
		if b != nil {
			left = b.Remaining()
		}
		for _, k := range book.Keys() {
			p := byKey[k]
			if cost := profileCost(true); b != nil {
				if cost > left {
					err := transport.NewError(vendor, op, ErrBudgetExceeded, "the getUserData call may cost %d tokens; the %d tokens the budget (of %d) had left when the roster started go to the creators before it; nothing was sent",
						cost, b.Remaining(), b.Limit())
					if !book.Done(k, nil, itemError(p, nil, nil, "", "not started: "+err.Message, err)) {
						return
					}
					continue
				}
				left -= cost
			}
			e := &waitEntry{key: k, p: p, started: time.Now()}
			r.entries[k] = e
			r.pending = append(r.pending, e)
		}
		r.run(ctx)
	}
}

// key is the creator p names, as the roster tells duplicates apart: the
// platform and the identifier (a handle without '@' and in lower case:
// handles are case-insensitive; an _id is the same on every platform),
// and what the paid call adds.
func (p GetProfileParams) key() string {
	ref := creatorRef{Platform: p.Platform, Username: p.Username, UserID: p.UserID, ID: p.ID}
	switch {
	case p.Username != "":
		ref.Username = strings.ToLower(strings.TrimPrefix(p.Username, "@"))
	case p.UserID == "":
		ref.Platform = ""
	}
	k := ref.String()
	if p.ShowDatalogAndScore {
		k += " +scores"
	}
	return k
}

// rosterRun is one GetAndWaitAll walk, over the distinct creators; its
// book answers the elements.
type rosterRun struct {
	s       *ProfilesService
	cfg     waitConfig
	start   time.Time
	book    *roster.Book[*Profile]
	entries map[string]*waitEntry // by key
	pending []*waitEntry          // not answered yet (left as is when the context ends)

	checks int
	polls  int        // status checks made (answered or not)
	last   *waitEntry // checked last
}

// err is how the roster ended, for its observer: the context's error when
// the context ended, else nil (each creator's outcome is its own).
func (r *rosterRun) err(ctx context.Context) error {
	if len(r.pending) > 0 && ctx.Err() != nil {
		return ctx.Err()
	}
	return nil
}

// waitEntry is one creator GetAndWaitAll is waiting for.
type waitEntry struct {
	key     string
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

// giveUp answers every creator not answered yet with cause, or with its
// own timeout when cause is nil (the context ended).
func (r *rosterRun) giveUp(ctx context.Context, cause error) {
	r.book.FailRest(func(k string) (*Profile, error) {
		e := r.entries[k]
		err := cause
		if cause == nil {
			err = e.timeout(opGetAndWaitAll, ctxErr(ctx))
		}
		ie := itemError(e.p, e.status, nil, e.state(), "", err)
		if cause != nil {
			ie.Reason = "not fetched: " + reasonOf(cause)
		}
		return nil, ie
	})
}

func (r *rosterRun) progress() {
	if r.cfg.progress == nil {
		return
	}
	total, pending, succeeded, failed := r.book.Counts()
	pr := Progress{Op: opGetAndWaitAll, Checks: r.checks, Elapsed: time.Since(r.start), Total: total,
		Pending: pending, Succeeded: succeeded, Failed: failed}
	if r.last != nil {
		pr.Creator, pr.State = r.last.p.ref().String(), r.last.describe()
	}
	r.cfg.progress(pr)
}

func (r *rosterRun) run(ctx context.Context) {
	intervals := poll.NewIntervals(r.cfg.poll)
	for len(r.pending) > 0 {
		progressed := false
		var still []*waitEntry
		for i, e := range r.pending {
			if ctx.Err() != nil {
				r.giveUp(ctx, nil)
				return
			}
			p, done, err := r.step(ctx, e)
			r.last = e
			switch {
			case !done && err != nil && ended(ctx, err): // the context ended during the call, or its deadline is too near for it
				r.giveUp(ctx, nil)
				return
			case !done: // not ready yet, or transient: ask again next round
				still = append(still, e)
				continue
			}
			progressed = true
			if err != nil {
				ie, ok := err.(*ItemError)
				if !ok {
					ie = itemError(e.p, e.status, p, e.state(), "", err)
				}
				err = ie
			}
			if !r.book.Done(e.key, p, err) {
				return
			}
			if errors.Is(err, ErrQuotaExceeded) {
				r.pending = append(still, r.pending[i+1:]...)
				r.giveUp(ctx, err)
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
			r.giveUp(ctx, nil)
			return
		}
	}
}

// step moves one creator on: a status check (free) until it is ready,
// then the paid call. done is false while the creator stays pending: not
// ready yet (err nil), or a transient failure (err set, counted on the
// entry). With done, p and err are what to yield.
func (r *rosterRun) step(ctx context.Context, e *waitEntry) (p *Profile, done bool, err error) {
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
		case ended(ctx, err):
			return nil, false, err
		case poll.IsTransient(err):
			return nil, !r.outlast(e, err), err
		default:
			return nil, true, err
		}
	}
	p, err = s.fetchReady(ctx, opGetAndWaitAll, e.p, e.status)
	if err != nil && !errors.Is(err, ErrNotReady) {
		if ended(ctx, err) {
			return nil, false, err
		}
		if poll.IsTransient(err) {
			return nil, !r.outlast(e, err), err
		}
	}
	return p, true, err
}

// ended reports whether a call failed because the context's budget ran
// out: the context ended, or the limiter refused the request because its
// slot lies past the deadline (a DelayError with PastDeadline; nothing was
// sent). The creators still pending then end with a *TimeoutError, as a
// single wait does, not with the call's error. (An attempt that timed out
// on the HTTP client's own Timeout is a transient failure, not this.)
func ended(ctx context.Context, err error) bool {
	var de *DelayError
	return ctx.Err() != nil || (errors.As(err, &de) && de.PastDeadline)
}

// outlast counts a transient failure of e's check or paid call, and
// reports whether e stays pending: as many failures in a row as the
// client's retries (WithMaxRetries; the one wait policy, see poll.Until)
// are tried again in the next rounds, one more ends e with that failure.
func (r *rosterRun) outlast(e *waitEntry, err error) bool {
	e.transient++
	e.inARow++
	e.lastErr = err
	return e.inARow <= r.cfg.poll.Tolerate
}
