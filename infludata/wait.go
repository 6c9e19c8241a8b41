package infludata

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/creatorkit/creatorkit-go/internal/poll"
	"github.com/creatorkit/creatorkit-go/internal/transport"
)

// WaitOption tunes GetAndWait and GetAndWaitAll. Every option applies to
// both.
type WaitOption func(*waitConfig) error

type waitConfig struct {
	poll     poll.Config
	weekly   bool
	progress func(Progress)
}

// Default poll intervals of GetAndWait and GetAndWaitAll (the same for
// both). Enrichment of a new creator takes 24 to 48 hours and an audience
// analysis hours, so checks start DefaultPollInterval apart and back off
// (by half each time, with jitter) to DefaultPollMaxInterval;
// checkDataStatus is free, so only the rate limit is spent.
const (
	DefaultPollInterval    = time.Minute
	DefaultPollMaxInterval = 30 * time.Minute
)

// newWaitConfig is a wait's config: the options over the defaults, and as
// many transient failures in a row as the client's retries (the one wait
// policy, see poll.Until).
func (c *Client) newWaitConfig(op string, opts []WaitOption) (waitConfig, error) {
	cfg := waitConfig{poll: poll.Config{Initial: DefaultPollInterval, Max: DefaultPollMaxInterval, Multiplier: 1.5, Tolerate: c.t.MaxRetries()}}
	return cfg, transport.ApplyOptions(vendor, op, &cfg, opts)
}

// WithPollInterval sets the first and the longest interval between
// status checks (checkDataStatus) of GetAndWait and between rounds of
// GetAndWaitAll: first > 0; maxInterval 0 keeps the default ceiling
// (DefaultPollMaxInterval, or first when that is longer), else it must be
// at least first. The defaults are DefaultPollInterval (1 min) growing to
// DefaultPollMaxInterval (30 min). Use short ones against the
// infludatatest fake (its PollOptions).
func WithPollInterval(first, maxInterval time.Duration) WaitOption {
	return func(c *waitConfig) error {
		return poll.Interval(first, maxInterval, DefaultPollMaxInterval)(&c.poll)
	}
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
	// Total, Pending, Succeeded and Failed count a GetAndWaitAll roster's
	// elements (a duplicate counts as an element of its own): those
	// given, those still waited for, those answered with a profile and
	// those answered with an ItemError. Zero for GetAndWait.
	Total, Pending, Succeeded, Failed int
}

// checkWait checks a wait's request before anything is sent: Get's own
// checks, with the audience report (which the waits always ask for), a
// platform checkDataStatus covers (the waits poll it), and the options.
// An _id needs no platform: influData looks it up on every platform.
func checkWait(op string, p GetProfileParams, cfg waitConfig, plan Plan) error {
	if p.Platform != "" || p.ID == "" {
		if err := checkPlatform(op, p.Platform, Platform.HasDataStatus, "checkDataStatus, which the wait polls,"); err != nil {
			return err
		}
	}
	if err := p.check(op); err != nil {
		return err
	}
	if cfg.weekly && plan == Trial {
		return invalidParams(op, "WithWeeklyEnrichment", "weekly enrichment is not available for trial keys")
	}
	return nil
}

// forWait is p as the waits send it: with the audience report.
func forWait(p GetProfileParams) GetProfileParams {
	p.IncludeAudienceReport = true
	return p
}

func statusParams(p GetProfileParams, weekly bool) DataStatusParams {
	return DataStatusParams{Platform: p.Platform, Username: p.Username, UserID: p.UserID, ID: p.ID, AddToWeeklyEnrichment: weekly}
}

// ends reports whether the status d ends a wait: the audience report is
// ready, or waiting cannot help (not found, or an answer without either
// shape's state).
func ends(d *DataStatus) bool { return d.AudienceReady() || d.NotFound() || !d.known() }

// GetAndWait returns a creator's profile with its audience report, paid
// for once: it polls the free checkDataStatus until the creator is in the
// database with audience data, then makes exactly one getUserData call
// with includeAudienceReport (20 tokens). The audience report is always
// asked for, whatever p.IncludeAudienceReport says (a plain profile is
// Get, which needs no wait), so p.Platform must have audience reports
// (Instagram, TikTok, YouTube). It never polls the paid call. Each check
// also queues a refresh, and a creator influData does not hold yet but is
// enriching (DataStatus.Queued) is waited for: that takes 24 to 48 hours.
//
// p names the creator by Platform and Username or UserID, or by ID (the
// _id) alone: checkDataStatus and getUserData both look an _id up on
// every platform (the README's example asks for one without a platform,
// and the fake answers it), so no platform is needed; when the first
// status names a platform without audience reports the wait ends with
// ErrInvalidParams.
//
// Outcomes other than the profile:
//   - a creator influData neither holds nor is enriching
//     (DataStatus.NotFound) ends the wait at once, having spent nothing:
//     nil and an *ItemError with Err ErrNotFound, State "not in database"
//     (or the March 2025 status "NOT FOUND");
//   - when the context ends first: nil and an *ItemError whose Err is a
//     *TimeoutError (errors.Is(err, context.DeadlineExceeded) holds; its
//     Last is the last status seen, in words) and whose State is the last
//     status seen ("queued", "processing", "ready" when the paid call was
//     due, or the March 2025 status), having spent nothing;
//   - when the paid call still answers 201 or 202 (influData's status moved
//     between the two calls): that profile and an *ItemError with Err
//     ErrNotReady, instead of a second paid call;
//   - with a Budget (WithBudget) that cannot hold the paid call (20
//     tokens): ErrBudgetExceeded at once, nothing sent (and again if the
//     budget was spent by others while waiting: the paid call is then
//     refused, not sent);
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
	p = forWait(p)
	if err := checkWait(op, p, cfg, s.c.plan); err != nil {
		return nil, err
	}
	who := p.ref().String()
	if cost := profileCost(true); !s.c.fits(cost) {
		return nil, s.c.budgetError(op, cost, who+": the getUserData call")
	}
	// An observed call of its own (WithObserver): its status checks and
	// paid call are calls inside it.
	ctx, end := s.c.t.Observe(ctx, op)
	polls := 0
	pr, err := s.wait(ctx, op, p, cfg, &polls)
	end(polls, 0, err)
	return pr, err
}

// wait is GetAndWait's wait, once its request was checked; it counts the
// status checks it makes in polls.
func (s *ProfilesService) wait(ctx context.Context, op string, p GetProfileParams, cfg waitConfig, polls *int) (*Profile, error) {
	who := p.ref().String()
	start := time.Now()
	checks := 0
	var d *DataStatus // the last status seen
	var pr *Profile
	_, err := poll.Until(ctx, vendor, op, cfg.poll, func(ctx context.Context) (struct{}, poll.Status, error) {
		if d == nil || !d.AudienceReady() {
			*polls++
			nd, err := s.checkStatus(ctx, opDataStatus, statusParams(p, cfg.weekly && checks == 0))
			if err != nil {
				return struct{}{}, poll.Status{}, err
			}
			checks++
			d = nd
			if err := checkFound(op, p, d); err != nil {
				return struct{}{}, poll.Status{}, err
			}
			if !d.AudienceReady() {
				done := ends(d)
				if !done && cfg.progress != nil {
					cfg.progress(Progress{Op: op, Creator: who, State: d.Describe(), Checks: checks, Elapsed: time.Since(start)})
				}
				return struct{}{}, poll.Status{Done: done, Describe: d.Describe()}, nil
			}
		}
		// The creator is ready: the one paid call. A transient answer to
		// it cost nothing and is asked again like a failed check; an
		// answer that may have been charged and was lost
		// (ErrOutcomeUnknown) is not transient and ends the wait.
		var err error
		pr, err = s.fetchReady(ctx, op, p, d)
		return struct{}{}, poll.Status{Done: true, Describe: d.Describe() + "; the paid getUserData call is due"}, err
	})
	var te *TimeoutError
	switch {
	case errors.As(err, &te):
		return nil, itemError(p, d, nil, d.state(), "", te)
	case err != nil:
		return pr, err
	}
	if err := s.settled(op, p, d); err != nil {
		return nil, err
	}
	return pr, nil
}

// checkFound ends a wait by _id alone whose creator turns out to be on a
// platform without audience reports (a Twitch channel): waiting could
// never end.
func checkFound(op string, p GetProfileParams, d *DataStatus) error {
	if p.Platform == "" && d.Platform != "" && !d.Platform.HasAudienceReports() {
		return invalidParams(op, "_id", "_id %s is a %s creator; audience reports are available on instagram, tiktok and youtube", p.ID, d.Platform)
	}
	return nil
}

// settled turns a status that ends a wait (ends) into its error: nil when
// the creator is ready.
func (s *ProfilesService) settled(op string, p GetProfileParams, d *DataStatus) error {
	switch {
	case d.AudienceReady():
		return nil
	case d.NotFound():
		reason := "influData neither holds the creator nor is enriching it (checkDataStatus: isInDatabase false, isBeingProcessed false)"
		if d.Legacy() {
			reason = "checkDataStatus answered NOT FOUND: influData does not hold the creator (this status cannot tell whether it is queued)"
		}
		return itemError(p, d, nil, d.state(), reason+"; waiting cannot change that: queue it with Enrichment.Add and try again in 24 to 48 hours", ErrNotFound)
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
			pr.Response.GetStatusCode(), pr.State), ErrNotReady)
	}
	return pr, nil
}

// itemError builds the ItemError of p from what is known of the creator:
// its last status d and profile pr (either may be nil). An empty reason
// is reasonOf(err).
func itemError(p GetProfileParams, d *DataStatus, pr *Profile, state, reason string, err error) *ItemError {
	e := &ItemError{Vendor: vendor, Input: p.input(), State: state, Reason: reason, Err: err}
	known := p.ref()
	if known.Platform == "" && d != nil {
		known.Platform = d.Platform
	}
	switch {
	case pr != nil && pr.Username != "":
		known = creatorRef{Platform: known.Platform, Username: pr.Username}
	case d != nil && d.Username != "":
		known = creatorRef{Platform: known.Platform, Username: d.Username}
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

// reasonOf says in words why err ended a creator's wait, without saying
// again what the error says (ItemError prints both): a refusal raised
// before anything was sent is its message (which ItemError then prints
// once); an answer's error is named by what happened, and its status,
// message and request id follow in the error.
func reasonOf(err error) string {
	var e *Error
	var te *TimeoutError
	switch {
	case errors.As(err, &te):
		return "the context ended before the audience report was ready"
	case errors.Is(err, ErrQuotaExceeded):
		return "the key's token budget is spent"
	case errors.Is(err, ErrOutcomeUnknown):
		return "the paid getUserData call's answer was lost after it may have been charged; not resent"
	case errors.As(err, &e) && e.StatusCode == 0 && e.RequestID == "" && e.Message != "" && !poll.IsTransient(err):
		return e.Message // refused before sending: ItemError prints it once
	case poll.IsTransient(err):
		return "failed transiently as many times in a row as the client's retries allow (WithMaxRetries)"
	case errors.As(err, &e) && e.StatusCode == http.StatusNotFound:
		return "influData does not find the creator on the platform"
	case errors.As(err, &e) && e.StatusCode != 0:
		return fmt.Sprintf("influData answered %d", e.StatusCode)
	case err != nil:
		return "the wait failed"
	}
	return "no profile"
}

// ctxErr is ctx's error, or DeadlineExceeded when the deadline is too near
// for another request although the context has not ended yet.
func ctxErr(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return context.DeadlineExceeded
}
