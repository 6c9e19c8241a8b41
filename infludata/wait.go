package infludata

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"time"

	"github.com/creatorkit/creatorkit-go/internal/poll"
	"github.com/creatorkit/creatorkit-go/internal/transport"
)

// WaitOption tunes GetAndWait and GetAndWaitAll.
type WaitOption func(*waitConfig) error

type waitConfig struct {
	poll     poll.Config
	weekly   bool
	progress func(Progress)
}

// Default poll intervals of the waits. Enrichment of a new creator takes
// 24 to 48 hours and an audience analysis hours, so checks start a minute
// apart and back off to 30 minutes; checkDataStatus is free, so only the
// rate limit is spent.
const (
	defaultPoll    = time.Minute
	defaultPollMax = 30 * time.Minute
)

// newWaitConfig is a wait's config: the options over the defaults, and as
// many transient failures in a row as the client's retries (the one wait
// policy, see poll.Until).
func (c *Client) newWaitConfig(op string, opts []WaitOption) (waitConfig, error) {
	cfg := waitConfig{poll: poll.Config{Initial: defaultPoll, Max: defaultPollMax, Multiplier: 1.5, Tolerate: c.t.MaxRetries()}}
	return cfg, transport.ApplyOptions(vendor, op, &cfg, opts)
}

// WithPollInterval sets the first and the longest interval between
// checkDataStatus calls (default 1 min growing to 30 min). Use short ones
// against the infludatatest fake (its PollOptions).
func WithPollInterval(initial, maxInterval time.Duration) WaitOption {
	return func(c *waitConfig) error { return poll.Interval(initial, maxInterval)(&c.poll) }
}

// WithProgress calls fn after each status check of GetAndWait that found
// the creator not ready, and after each round of checks of GetAndWaitAll.
// It runs on the waiting goroutine; keep it quick.
func WithProgress(fn func(Progress)) WaitOption {
	return func(c *waitConfig) error { c.progress = fn; return nil }
}

// WithWeeklyEnrichment adds the creator to the weekly refresh schedule on
// the first status check (addToWeeklyEnrichment; not available for trial
// keys). influData's own wait option.
func WithWeeklyEnrichment() WaitOption {
	return func(c *waitConfig) error { c.weekly = true; return nil }
}

// Progress is how far a wait got, as WithProgress reports it.
type Progress struct {
	// Op is the waiting call: "Profiles.GetAndWait" or
	// "Profiles.GetAndWaitAll".
	Op string
	// Creator is the creator checked last ("instagram/@adidas").
	Creator string
	// State is the last data status seen, in words (DataStatus.Describe).
	State string
	// Checks counts the status checks (free checkDataStatus calls)
	// answered so far, for every creator of the wait.
	Checks int
	// Elapsed is the time since the wait started.
	Elapsed time.Duration
	// Total, Pending, Delivered and Failed count a GetAndWaitAll roster:
	// the creators given, those still waited for, those yielded with a
	// profile and those yielded with an ItemError. Zero for GetAndWait.
	Total, Pending, Delivered, Failed int
}

// checkWait checks a GetAndWait request before anything is sent: Get's
// own checks, a platform checkDataStatus covers (the waits poll it), and
// the options.
func checkWait(op string, p GetProfileParams, cfg waitConfig, plan Plan) error {
	if err := checkPlatform(op, p.Platform, Platform.HasDataStatus, "checkDataStatus, which the wait polls,"); err != nil {
		return err
	}
	if err := p.check(op); err != nil {
		return err
	}
	if cfg.weekly && plan == Trial {
		return invalidParams(op, "WithWeeklyEnrichment", "weekly enrichment is not available for trial keys")
	}
	return nil
}

func statusParams(p GetProfileParams, weekly bool) DataStatusParams {
	return DataStatusParams{Platform: p.Platform, Username: p.Username, UserID: p.UserID, ID: p.ID, AddToWeeklyEnrichment: weekly}
}

// ready reports whether Get p would answer 200 now, by the status d: the
// creator is in the database, with audience data when p asks for the
// report.
func ready(p GetProfileParams, d *DataStatus) bool {
	if p.IncludeAudienceReport {
		return d.AudienceReady()
	}
	return d.InDatabase()
}

// GetAndWait is Get once its answer would be the profile (200): it polls
// the free checkDataStatus until the creator is in the database (and,
// with p.IncludeAudienceReport, has audience data), then makes exactly one
// Get call (1 token, 20 with the audience report). It never polls the
// paid call. Each check also queues a refresh, and a creator influData
// does not hold yet but is enriching (DataStatus.Queued) is waited for:
// that takes 24 to 48 hours.
//
// Outcomes other than the profile:
//   - a creator influData neither holds nor is enriching
//     (DataStatus.NotFound) ends the wait at once, having spent nothing:
//     nil and an *ItemError with Err ErrNotFound, State "not in database"
//     (or the March 2025 status "NOT FOUND") and a Reason;
//   - when the context ends first: nil and a *TimeoutError naming the last
//     status seen, having spent nothing;
//   - when the paid call still answers 201 or 202 (influData's status moved
//     between the two calls): that profile and an *ItemError with Err
//     ErrNotReady, instead of a second paid call;
//   - with a Budget (WithBudget) that cannot hold the paid call (20
//     tokens with the audience report, else 1): ErrBudgetExceeded at once,
//     nothing sent (and again if the budget was spent by others while
//     waiting: the paid call is then refused, not sent);
//   - any other failure is the call's *Error (ErrInvalidParams before
//     anything is sent, ErrQuotaExceeded, ErrOutcomeUnknown, ...).
//
// Transient answers (a 429 that outlasted the transport's retries, as when
// another job shares the key, a 5xx, a connection lost before sending) to
// a status check or to the paid call are asked again at the next interval,
// as many times in a row as the client's retries (WithMaxRetries, default
// 3; the one wait policy of the SDK): one more ends the wait with that
// failure. influData charges no failed request, so the paid call is made
// again only after an answer that cost nothing.
func (s *ProfilesService) GetAndWait(ctx context.Context, p GetProfileParams, opts ...WaitOption) (*Profile, error) {
	const op = opGetAndWait
	cfg, err := s.c.newWaitConfig(op, opts)
	if err != nil {
		return nil, err
	}
	if err := checkWait(op, p, cfg, s.c.plan); err != nil {
		return nil, err
	}
	who := p.ref().String()
	if cost := profileCost(p.IncludeAudienceReport); !s.c.fits(cost) {
		return nil, s.c.budgetError(op, cost, who+": the getUserData call")
	}
	start := time.Now()
	checks := 0
	var d *DataStatus // the last status seen
	var pr *Profile
	_, err = poll.Until(ctx, vendor, op, cfg.poll, func(ctx context.Context) (struct{}, poll.Status, error) {
		if d == nil || !ready(p, d) {
			nd, err := s.checkStatus(ctx, opDataStatus, statusParams(p, cfg.weekly && checks == 0))
			if err != nil {
				return struct{}{}, poll.Status{}, err
			}
			checks++
			d = nd
			if !ready(p, d) {
				done := ends(p, d)
				if !done && cfg.progress != nil {
					cfg.progress(Progress{Op: op, Creator: who, State: d.Describe(), Checks: checks, Elapsed: time.Since(start)})
				}
				return struct{}{}, poll.Status{Done: done, Describe: who + ": " + d.Describe()}, nil
			}
		}
		// The creator is ready: the one paid call. A transient answer to
		// it cost nothing and is asked again like a failed check; an
		// answer that may have been charged and was lost
		// (ErrOutcomeUnknown) is not transient and ends the wait.
		var err error
		pr, err = s.fetchReady(ctx, op, p, d)
		return struct{}{}, poll.Status{Done: true, Describe: who + ": " + d.Describe() + "; the paid getUserData call is due"}, err
	})
	if err != nil {
		return pr, err
	}
	if err := s.settled(op, p, d); err != nil {
		return nil, err
	}
	return pr, nil
}

// ends reports whether the status d ends the wait for p: the creator is
// ready, or waiting cannot help (not found, or an answer without either
// shape's state).
func ends(p GetProfileParams, d *DataStatus) bool { return ready(p, d) || d.NotFound() || !d.known() }

// settled turns a status that ends a wait (ends) into its error: nil when
// the creator is ready.
func (s *ProfilesService) settled(op string, p GetProfileParams, d *DataStatus) error {
	switch {
	case ready(p, d):
		return nil
	case d.NotFound():
		state, reason := "not in database", "influData neither holds the creator nor is enriching it (checkDataStatus: isInDatabase false, isBeingProcessed false)"
		if d.Legacy() {
			state, reason = string(d.Status), "checkDataStatus answered NOT FOUND: influData does not hold the creator (this status cannot tell whether it is queued)"
		}
		return itemError(p, d, nil, state, reason+"; waiting cannot change that: queue it with Enrichment.Add and try again in 24 to 48 hours", ErrNotFound)
	}
	return transport.NewError(vendor, op, ErrUnexpectedResponse, "%s: checkDataStatus answered neither isInDatabase nor status, so the wait cannot tell the creator's state", p.ref())
}

// fetchReady makes the one paid call, and turns a 201 or 202 into an
// ItemError with ErrNotReady next to the profile.
func (s *ProfilesService) fetchReady(ctx context.Context, op string, p GetProfileParams, d *DataStatus) (*Profile, error) {
	pr, err := s.get(ctx, p)
	if err != nil {
		return nil, err
	}
	if !pr.Ready() {
		return pr, itemError(p, d, pr, string(pr.State), fmt.Sprintf("checkDataStatus reported the creator ready, but getUserData answered %d (%s); the SDK does not pay for a second call: try again later",
			pr.Response.StatusCode, pr.State), ErrNotReady)
	}
	return pr, nil
}

// itemError builds the ItemError of p from what is known of the creator:
// its last status d and profile pr (either may be nil).
func itemError(p GetProfileParams, d *DataStatus, pr *Profile, state, reason string, err error) *ItemError {
	e := &ItemError{Vendor: vendor, Input: p.input(), State: state, Reason: reason, Err: err}
	known := p.ref()
	switch {
	case pr != nil && pr.Username != "":
		known = creatorRef{Platform: p.Platform, Username: pr.Username}
	case d != nil && d.Username != "":
		known = creatorRef{Platform: p.Platform, Username: d.Username}
	}
	e.Item = known.String()
	switch {
	case pr != nil && pr.ID != "":
		e.ID = pr.ID
	case d != nil && d.CreatorID != "":
		e.ID = d.CreatorID
	default:
		e.ID = p.ID
	}
	if e.Reason == "" {
		e.Reason = reasonOf(err)
	}
	return e
}

// input is the identifier of p exactly as given: ItemError.Input.
func (p GetProfileParams) input() string {
	switch {
	case p.Username != "":
		return p.Username
	case p.UserID != "":
		return p.UserID
	}
	return p.ID
}

// reasonOf says in words why err ended a creator's wait.
func reasonOf(err error) string {
	var e *Error
	var te *TimeoutError
	switch {
	case errors.As(err, &te):
		return "the context ended while waiting (" + te.Last + ")"
	case errors.Is(err, ErrQuotaExceeded):
		return "the key's token budget is spent"
	case errors.Is(err, ErrBudgetExceeded):
		return "the client's Budget cannot hold the paid getUserData call; nothing was sent for it"
	case errors.Is(err, ErrOutcomeUnknown):
		return "the paid getUserData call's answer was lost after it may have been charged; not resent"
	case errors.As(err, &e) && e.Message != "":
		return e.Message
	case err != nil:
		return err.Error()
	}
	return "no profile"
}

// GetAndWaitAll is GetAndWait for many creators: it checks the data
// status of every pending creator (free) in rounds, makes one Get call
// for each as soon as its answer would be the profile (1 token, 20 with
// IncludeAudienceReport), and yields the profiles in the order they become
// ready. It never polls the paid call, so a roster costs exactly one paid
// call per creator delivered.
//
// Every element of ps is yielded exactly once: (profile, nil), or an
// *ItemError with a nil profile, except for ErrNotReady, which comes with
// the 201 or 202 profile as in GetAndWait. The ItemError's Input is the
// element's identifier exactly as given (its Username, UserID or ID), Item
// the creator as influData knows it ("instagram/@adidas"; empty for an
// element that could not be read), ID its _id when known, Reason why
// (never empty) and Err the cause:
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
//     creator counted at the most its paid call costs (20 tokens with the
//     audience report, else 1), in the order given: the creators past
//     what remains are yielded with it at once, and nothing is sent for
//     them (no status check either). A creator whose call no longer fits
//     later (other clients or goroutines spent the shared budget) is
//     yielded with it then, before anything more is sent for it;
//   - a *TimeoutError naming the creator's last status and transient
//     failures, for each creator still pending when the context ends.
//
// A transient answer (a 429 that outlasted the transport's retries, as
// when another job shares the key, a 5xx, a connection lost before
// sending) to a status check or to the paid call leaves the creator
// pending, to be asked again in the next round, as many times in a row as
// the client's retries (WithMaxRetries, the one wait policy); one more
// ends that creator with an *ItemError whose Err is the failure. influData
// charges no failed request, so the paid call is made again only after an
// answer that cost nothing. Rounds start WithPollInterval apart and back off while
// nothing changes; WithProgress reports each round; break stops it. Bad
// options are yielded once, as (nil, *Error), and nothing else.
func (s *ProfilesService) GetAndWaitAll(ctx context.Context, ps []GetProfileParams, opts ...WaitOption) iter.Seq2[*Profile, error] {
	const op = opGetAndWaitAll
	return func(yield func(*Profile, error) bool) {
		cfg, err := s.c.newWaitConfig(op, opts)
		if err != nil {
			yield(nil, err)
			return
		}
		r := &roster{s: s, cfg: cfg, start: time.Now(), yield: yield}
		r.total = len(ps)
		b := s.c.budget()
		var left int64 // what the budget holds for the creators not yet taken
		if b != nil {
			left = b.Remaining()
		}
		for _, p := range ps {
			if err := checkWait(op, p, cfg, s.c.plan); err != nil {
				ie := itemError(p, nil, nil, "", "", err)
				ie.Item, ie.ID = "", "" // the element could not be read as a creator
				if !r.fail(nil, ie) {
					return
				}
				continue
			}
			if cost := profileCost(p.IncludeAudienceReport); b != nil {
				if cost > left {
					err := s.c.budgetError(op, cost, p.ref().String()+": the getUserData call")
					if !r.fail(nil, itemError(p, nil, nil, "", "not started: "+reasonOf(err), err)) {
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

	total, delivered, failed, checks int
	last                             *waitEntry // checked last
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

func (e *waitEntry) timeout(op string, cause error) *TimeoutError {
	return &TimeoutError{Vendor: vendor, Op: op, Last: e.p.ref().String() + ": " + e.describe(), Checks: e.checks,
		Elapsed: time.Since(e.started), TransientErrors: e.transient, LastError: e.lastErr, Err: cause}
}

// deliver yields a profile; fail yields an ItemError. Both report whether
// the consumer wants more.
func (r *roster) deliver(p *Profile) bool {
	r.delivered++
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
		ie := itemError(e.p, e.status, nil, "", "", err)
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
		Pending: len(r.pending), Delivered: r.delivered, Failed: r.failed}
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
				ie = itemError(e.p, e.status, p, "", "", err)
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
	if cost := profileCost(e.p.IncludeAudienceReport); !s.c.fits(cost) {
		err := s.c.budgetError(opGetAndWaitAll, cost, e.p.ref().String()+": the getUserData call")
		return nil, true, itemError(e.p, e.status, nil, "", "not fetched: "+reasonOf(err), err)
	}
	if !e.ready {
		d, err := s.checkStatus(ctx, opDataStatus, statusParams(e.p, r.cfg.weekly && e.checks == 0))
		switch {
		case err == nil:
			e.checks++
			r.checks++
			e.status, e.inARow = d, 0
			if !ready(e.p, d) {
				if ends(e.p, d) {
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

// ctxErr is ctx's error, or DeadlineExceeded when the deadline is too near
// for another request although the context has not ended yet.
func ctxErr(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return context.DeadlineExceeded
}
