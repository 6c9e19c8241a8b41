package engagecheck

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/creatorkit/creatorkit-go/internal/poll"
	"github.com/creatorkit/creatorkit-go/internal/transport"
)

// WaitOption tunes the package's waits and its roster: GetAndWait,
// CreateAndWait and CreateAndWaitAll take the same type, so one set of
// options (an engagechecktest server's PollOptions) serves all three. A
// bad option, or one the call cannot use (WithAllowPartial on a single
// wait, WithWebhookURL on GetAndWait), makes the call fail with
// ErrInvalidParams before anything is sent, naming the option and the
// calls it applies to.
type WaitOption func(*waitConfig) error

// waitConfig is what the wait options set.
type waitConfig struct {
	op           string // the call the options are applied for
	poll         poll.Config
	webhookURL   string
	progress     func(Progress)
	allowPartial bool
	hook         *WebhookReceiver // WithWebhooks
	reuse        time.Duration    // WithReuseRecent
}

// Default poll intervals, the same for the waits and the roster. Audits
// take 30 to 90 seconds: a wait checks after 3 s and backs off by half
// each time up to 30 s apart. CreateAndWaitAll spaces its list polls by
// the observed completion rate within the same bounds (a batch's audits
// run one after another, so a large roster settles over many minutes).
const (
	defaultPollInitial = 3 * time.Second
	defaultPollMax     = 30 * time.Second
)

func newWaitConfig(op string, opts []WaitOption) (waitConfig, error) {
	cfg := waitConfig{op: op, poll: poll.Config{Initial: defaultPollInitial, Max: defaultPollMax, Multiplier: 1.5}}
	if err := transport.ApplyOptions(vendor, op, &cfg, opts); err != nil {
		return cfg, err
	}
	return cfg, checkWebhookURL(op, cfg.webhookURL)
}

// WithWebhooks makes CreateAndWaitAll take each audit's result from its
// webhook instead of a GET: it submits every batch with publicURL as the
// webhook_url, and recv (mounted at publicURL) hands the roster the events
// of its audits. Poll mode costs about one request per handle (a GET of
// each report); with every event delivered a roster costs one request per
// 50 handles. An audit whose event is overdue (judged from its batch's
// observed completion pace: two spacings after the audit before it, plus
// the first poll interval) is checked through the free recent-audits
// list, then fetched, so a lost event costs at most a share of a list
// read and one GET. When a later audit of its batch has already reported
// (EngageCheck runs a batch's audits one after another), it is fetched at
// once. publicURL must be an absolute https URL (http for local testing);
// WithWebhookURL, if given too, must name the same URL. CreateAndWaitAll
// only.
func WithWebhooks(recv *WebhookReceiver, publicURL string) WaitOption {
	return func(c *waitConfig) error {
		if err := c.onlyFor("WithWebhooks", opRoster); err != nil {
			return err
		}
		if recv == nil {
			return errors.New("WithWebhooks needs a receiver (NewWebhookReceiver)")
		}
		if publicURL == "" {
			return errors.New("WithWebhooks needs the public URL the receiver is mounted at")
		}
		if c.webhookURL != "" && c.webhookURL != publicURL {
			return errors.New("WithWebhooks and WithWebhookURL name different URLs; give one")
		}
		c.hook, c.webhookURL = recv, publicURL
		return nil
	}
}

// WithReuseRecent makes CreateAndWaitAll adopt recent work instead of
// paying for it again: before it submits anything it reads the free
// recent-audits list back to maxAge (one request per 100 audits created on
// the key in that time, stopping early once every handle is found) and
// takes, for each handle, the newest audit that is pending or complete:
// a complete one is fetched, a pending one awaited, and neither is paid
// again. A handle whose newest audits failed is submitted again (failed
// audits were refunded). A roster stopped halfway and run again so pays
// only for what the first run never submitted.
//
// It relies on the list being newest first, as EngageCheck documents: the
// walk stops at the first row older than maxAge. Should the list ever
// come in another order, audits beyond that row are not seen and their
// handles are submitted again: paid twice, never answered wrong. A row
// the SDK cannot read is skipped the same way. maxAge must be positive.
// CreateAndWaitAll only.
func WithReuseRecent(maxAge time.Duration) WaitOption {
	return func(c *waitConfig) error {
		if err := c.onlyFor("WithReuseRecent", opRoster); err != nil {
			return err
		}
		if maxAge <= 0 {
			return fmt.Errorf("WithReuseRecent needs a positive age, got %v", maxAge)
		}
		c.reuse = maxAge
		return nil
	}
}

// onlyFor refuses an option a call cannot use: nil when op is one of
// calls, else an error naming the option and the calls it applies to.
func (c *waitConfig) onlyFor(option string, calls ...string) error {
	if slices.Contains(calls, c.op) {
		return nil
	}
	return fmt.Errorf("%s applies to %s only, not to %s", option, strings.Join(calls, " and "), c.op)
}

// WithPollInterval sets the first and the longest interval between status
// checks: 3 s growing to 30 s by default, for GetAndWait, CreateAndWait
// and CreateAndWaitAll alike.
// initial must be positive; maxInterval 0 keeps the default ceiling (or
// initial, if that is longer), and any other maxInterval must be at least
// initial. Use short ones against the engagechecktest fake (its
// Server.PollOptions does).
func WithPollInterval(initial, maxInterval time.Duration) WaitOption {
	return func(c *waitConfig) error { return poll.Interval(initial, maxInterval, defaultPollMax)(&c.poll) }
}

// WithWebhookURL asks EngageCheck to POST each result to url as well
// (CreateAndWait and CreateAndWaitAll; GetAndWait submits nothing and
// refuses it); the call still polls. WithWebhooks makes CreateAndWaitAll
// take its results from the webhooks instead. It must be an absolute https URL (http for local testing).
// CreateAndWait refuses it when CreateAuditParams.WebhookURL names
// another URL.
func WithWebhookURL(url string) WaitOption {
	return func(c *waitConfig) error {
		if err := c.onlyFor("WithWebhookURL", opCreateAndWait, opRoster); err != nil {
			return err
		}
		if c.hook != nil && url != c.webhookURL {
			return errors.New("WithWebhooks and WithWebhookURL name different URLs; give one")
		}
		c.webhookURL = url
		return nil
	}
}

// WithProgress calls fn as a wait or a roster goes on: after each status
// check of GetAndWait and CreateAndWait that did not end the wait, and
// after every change in a CreateAndWaitAll (a batch submitted, a check,
// an input answered). fn runs on the calling goroutine; keep it quick.
func WithProgress(fn func(Progress)) WaitOption {
	return func(c *waitConfig) error { c.progress = fn; return nil }
}

// WithAllowPartial lets CreateAndWaitAll audit as much of a roster as the
// credits cover. By default a roster the balance cannot cover is refused
// before a credit is spent. The waits of a single audit refuse it.
func WithAllowPartial() WaitOption {
	return func(c *waitConfig) error {
		if err := c.onlyFor("WithAllowPartial", opRoster); err != nil {
			return err
		}
		c.allowPartial = true
		return nil
	}
}

// Progress is a snapshot of a wait or a roster, passed to WithProgress.
type Progress struct {
	// Op is the call: "Audits.GetAndWait", "Audits.CreateAndWait" or
	// "Audits.CreateAndWaitAll".
	Op string
	// Checks is how many status checks were made so far: GETs of the
	// audit for a wait, list polls and probes for a roster.
	// TransientErrors counts the checks of a wait that failed transiently
	// (a 429, a 5xx, a lost connection) and will be made again.
	Checks, TransientErrors int
	// Elapsed is the time since the call began.
	Elapsed time.Duration

	// ID, Username and State are the awaited audit's id, handle and last
	// status seen (waits only; zero before the first answer).
	ID       int64
	Username string
	State    AuditStatus

	// The counts of a roster (CreateAndWaitAll only), in inputs:
	// duplicates count once each, blanks and invalid inputs too.
	//
	// Total is the number of inputs.
	Total int
	// Queued are not submitted yet; Pending are submitted (or adopted)
	// and not answered yet.
	Queued, Pending int
	// Succeeded and Failed have been answered: with a complete audit, and
	// with an *ItemError.
	Succeeded, Failed int
	// CreditsRemaining is the last balance the API reported; -1 unknown.
	CreditsRemaining int64
	// Polls counts list requests: the walk of WithReuseRecent, and with
	// WithWebhooks the look-ups of audits whose event is overdue.
	Polls int
	// Probes counts GETs of audits not known to be settled: a batch's
	// head when its batch's pace says it should be done (poll mode), or
	// an audit whose event is overdue and that the list did not reach
	// (WithWebhooks); a probe that finds the audit settled is its report
	// fetch.
	Probes int
}

// GetAndWait is Get until the audit settles: it polls Get and returns the
// audit once complete. A failed audit is returned with an *ItemError
// (errors.Is(err, ErrAuditFailed)) whose Reason is EngageCheck's
// error_message and says that EngageCheck refunded the credit. The
// ItemError's Input is the id as given ("142") and its Item
// "instagram/id:142"; the audit returned beside it names the handle.
//
// The wait follows the SDK's one wait policy: a status check that meets a
// transient answer after the transport's own retries (a 429 when other
// jobs share the key, a 5xx, a lost connection) is tried again at the next
// interval, as many times in a row as the client's retries
// (WithMaxRetries, default 3); one more transient failure in a row ends
// the wait with that failure (with WithMaxRetries(0), the first). The
// context is the budget: when it ends, GetAndWait returns the last state
// it saw with an *ItemError whose Err is a *TimeoutError naming that
// state (errors.Is(err, context.DeadlineExceeded) holds too). Checks start
// 3 s apart and back off to 30 s (WithPollInterval); WithProgress reports
// each check.
func (s *AuditsService) GetAndWait(ctx context.Context, id int64, opts ...WaitOption) (_ *Audit, err error) {
	cfg, err := newWaitConfig(opGetAndWait, opts)
	if err != nil {
		return nil, err
	}
	if err := checkAuditID(opGetAndWait, id); err != nil {
		return nil, err
	}
	ctx, end := s.c.t.Observe(ctx, opGetAndWait)
	checks := 0
	defer func() { end(checks, 0, err) }()
	return s.wait(ctx, opGetAndWait, id, strconv.FormatInt(id, 10), idItem(id), cfg, &checks)
}

const (
	opGetAndWait    = "Audits.GetAndWait"
	opCreateAndWait = "Audits.CreateAndWait"
)

// wait polls audit id until it settles; input is what the caller gave
// (the id as text, or the handle as given) and item how an ItemError
// names it. It counts its status checks in checks.
func (s *AuditsService) wait(ctx context.Context, op string, id int64, input, item string, cfg waitConfig, checks *int) (*Audit, error) {
	start := time.Now()
	report := Progress{Op: op, ID: id, CreditsRemaining: -1}
	cfg.poll.Tolerate = s.c.t.MaxRetries()
	a, err := poll.Until(ctx, vendor, op, cfg.poll, func(ctx context.Context) (*Audit, poll.Status, error) {
		report.Checks++
		*checks++
		a, err := s.Get(ctx, id)
		switch {
		case err != nil && poll.IsTransient(err):
			report.TransientErrors++
		case err != nil:
			return nil, poll.Status{}, err
		case a.Done():
			return a, poll.Status{Done: true}, nil
		default:
			report.Username, report.State = a.Username, a.Status
		}
		if cfg.progress != nil {
			report.Elapsed = time.Since(start)
			cfg.progress(report)
		}
		if err != nil {
			return nil, poll.Status{}, err // poll.Until waits it out
		}
		return a, poll.Status{Describe: fmt.Sprintf("audit %d of @%s is %s", a.ID, a.Username, a.Status)}, nil
	})
	var te *TimeoutError
	switch {
	case errors.As(err, &te):
		// The wait's answer for this input: stopped, with the last state.
		e := itemError(input, item, id, report.State, fmt.Sprintf("stopped before the audit settled; fetch it later with Audits.Get(ctx, %d)", id), te)
		return a, e
	case err != nil:
		return a, err
	}
	return a, a.failure(input, item)
}

// failure returns the *ItemError of a failed audit, nil otherwise: input
// is what the caller gave and item how the ItemError names it. Its Reason
// is EngageCheck's error_message, and says the credit was refunded
// (EngageCheck refunds every failed audit).
func (a *Audit) failure(input, item string) error {
	if a == nil || a.Status != StatusError {
		return nil
	}
	return itemError(input, item, a.ID, a.Status, failedReason(a.ErrorMessage), ErrAuditFailed)
}

// failedReason is the Reason of a failed audit: its error_message, and
// that EngageCheck refunded the credit.
func failedReason(msg *string) string {
	const refunded = " (EngageCheck refunded the credit)"
	if msg == nil || strings.TrimSpace(*msg) == "" {
		return "EngageCheck failed the audit without saying why" + refunded
	}
	return strings.TrimRight(strings.TrimSpace(*msg), ".") + refunded
}

// itemError builds the *ItemError of an input without a report: item is
// how the vendor knows it ("instagram/@natgeo", "instagram/id:142"; ""
// for an input that is not a handle). id 0 means no audit; an empty
// reason is filled from err.
func itemError(input, item string, id int64, status AuditStatus, reason string, err error) *ItemError {
	e := &ItemError{Vendor: vendor, Input: input, Item: item, State: string(status), Reason: reason, Err: err}
	if id > 0 {
		e.ID = strconv.FormatInt(id, 10)
	}
	if e.Reason == "" {
		e.Reason = causeText(err)
	}
	return e
}

// causeText is a short text of why err happened: an *Error's message (its
// kind when it has none), or err's own text; never empty.
func causeText(err error) string {
	var e *Error
	switch {
	case err == nil:
		return "no reason given"
	case errors.As(err, &e) && strings.TrimSpace(e.Message) != "":
		return strings.TrimSpace(e.Message)
	}
	return err.Error()
}

// withCause is reason followed by why err happened, unless the ItemError
// will print err itself: an answer's *Error (its status, request id and
// message stay whole in Err), which the reason must not repeat.
func withCause(reason string, err error) string {
	var e *Error
	if errors.As(err, &e) && (e.StatusCode != 0 || e.RequestID != "") {
		return reason
	}
	return reason + ": " + causeText(err)
}

// CreateAndWait is Create until the audit settles: it submits one handle
// (one credit, refunded if the audit fails) and polls it like GetAndWait.
// When EngageCheck answers the submit with a fresh report inline (status
// complete), CreateAndWait returns it without polling. A failed audit is
// returned with an *ItemError (ErrAuditFailed) whose Input is p.Username
// as given and whose Item is the normalized handle ("instagram/@natgeo").
//
// CreateAndWait follows the same wait policy as GetAndWait, submit
// included. A submit refused with a transient answer that spent nothing
// (a 429 after the transport's retries, a connection that failed before
// sending) is tried again after a growing pause. A submit whose answer
// was lost is looked up in the recent-audits list (free): the audit it
// finds is waited for, and only a handle the list proves was not created
// is sent again, so the handle is paid for once. Steps that settle
// nothing (a refused submit, a list read that failed or could not tell)
// are tried again as many times in a row as the client's retries
// (WithMaxRetries); one more ends CreateAndWait with the last failure, or
// with ErrOutcomeUnknown when an audit may exist. A 402
// (ErrQuotaExceeded), a refused key or a refused handle end it at once.
// When the context ends first, the answer is an *ItemError whose Err is a
// *TimeoutError (its LastError carries ErrOutcomeUnknown when an audit may
// exist). p.WebhookURL, or WithWebhookURL, asks EngageCheck to POST the
// result as well.
func (s *AuditsService) CreateAndWait(ctx context.Context, p CreateAuditParams, opts ...WaitOption) (_ *Audit, err error) {
	const op = opCreateAndWait
	cfg, err := newWaitConfig(op, opts)
	if err != nil {
		return nil, err
	}
	name, err := NormalizeUsername(p.Username)
	if err != nil {
		return nil, invalidParams(op, "username", "%v", err.(*Error).Message)
	}
	if name == "" {
		return nil, invalidParams(op, "username", "username is required")
	}
	if err := checkWebhookURL(op, p.WebhookURL); err != nil {
		return nil, err
	}
	switch {
	case p.WebhookURL == "":
		p.WebhookURL = cfg.webhookURL
	case cfg.webhookURL != "" && cfg.webhookURL != p.WebhookURL:
		return nil, invalidParams(op, "webhook_url", "CreateAuditParams.WebhookURL and WithWebhookURL name different URLs; give one")
	}
	if err := checkIdempotencyKey(op, p.IdempotencyKey); err != nil {
		return nil, err
	}
	ctx, end := s.c.t.Observe(ctx, op)
	checks := 0 // the status checks of the audit, once submitted
	defer func() { end(checks, 0, err) }()
	a, err := s.submitSettled(ctx, name, p, cfg)
	if err != nil {
		return a, err
	}
	if a.Status == StatusComplete && a.Report != nil {
		return a, nil
	}
	if a.Status == StatusError {
		return a, a.failure(p.Username, handleItem(name))
	}
	return s.wait(ctx, op, a.ID, p.Username, handleItem(name), cfg, &checks)
}

// submitSettled creates the audit of a normalized handle, waiting out what
// spent nothing and reconciling what may have been spent, until the audit
// is known. It follows the one wait policy (see poll.Until): as many steps
// in a row that settle nothing (a transient refusal of the submit, a list
// read that failed or could not tell) as the client's retries
// (WithMaxRetries), then it returns the last failure; a submit whose
// answer was lost then ends with ErrOutcomeUnknown.
func (s *AuditsService) submitSettled(ctx context.Context, name string, p CreateAuditParams, cfg waitConfig) (*Audit, error) {
	const op = opCreateAndWait
	start := time.Now()
	var firstSent time.Time
	intervals := poll.NewIntervals(cfg.poll)
	lost := false // a submit may have created an audit the list has not shown
	var how counted
	var last error // why the latest step settled nothing
	steps := 0     // steps made
	fails := 0     // steps in a row that settled nothing
	stopped := func(last error) error {
		return s.stopped(p.Username, name, start, steps, last, ctx.Err(), lost)
	}
	for {
		steps++
		if !lost {
			if firstSent.IsZero() {
				firstSent = time.Now()
			}
			var a *Audit
			var err error
			a, how, err = s.create(ctx, name, p.WebhookURL, p.IdempotencyKey)
			switch {
			case err == nil:
				return a, nil
			case ctx.Err() != nil:
				lost = errors.Is(err, ErrOutcomeUnknown)
				return nil, stopped(err)
			case errors.Is(err, ErrOutcomeUnknown):
				lost = true
			case !poll.IsTransient(err):
				return nil, err
			}
			last = err
		} else {
			res, err := s.reconcilePages(ctx, []string{name}, firstSent, maxDeepReconcilePages)
			switch {
			case err == nil && len(res.found) > 0:
				s.c.recovered(opCreate, how, []AuditSummary{res.found[name]}, 0)
				return s.adopt(ctx, res.found[name]), nil
			case err == nil && res.exhaustive:
				s.c.recovered(opCreate, how, nil, 1)
				lost = false // the list proves nothing was created: send again
				continue
			case ctx.Err() != nil:
				return nil, stopped(last)
			case err != nil && fatal(err):
				return nil, err
			case err != nil:
				last = err
			}
		}
		if fails++; fails > s.c.t.MaxRetries() {
			if lost {
				return nil, s.unsettled(op, name, fails, last)
			}
			return nil, last
		}
		if poll.Sleep(ctx, intervals.Next()) != nil {
			return nil, stopped(last)
		}
	}
}

// unsettled is the error of a CreateAndWait whose submit's answer was lost
// and whose list reads could not show, tries times in a row, whether it
// created an audit: ErrOutcomeUnknown, with the last failure as its cause.
func (s *AuditsService) unsettled(op, name string, tries int, last error) error {
	e := transport.NewError(vendor, op, ErrOutcomeUnknown, "@%s: the submit's answer was lost and %d list reads in a row could not show whether it created an audit (WithMaxRetries bounds them); check Audits.List before submitting again", name, tries)
	e.Cause = last
	return e
}

// stopped is the answer of a CreateAndWait whose context ended before its
// submit was settled: an *ItemError whose Err is a *TimeoutError. When an
// audit may exist (lost), the timeout's LastError carries
// ErrOutcomeUnknown.
func (s *AuditsService) stopped(input, name string, start time.Time, steps int, last, ctxErr error, lost bool) error {
	if last != nil && !poll.IsTransient(last) && !errors.Is(last, ErrOutcomeUnknown) {
		last = nil // the context's own failure, not a transient one
	}
	te := &TimeoutError{Vendor: vendor, Op: opCreateAndWait, Last: "not submitted", Checks: steps, Elapsed: time.Since(start), Err: ctxErr}
	reason := "stopped before the audit was submitted; nothing was spent"
	if lost {
		te.Last = "submitted, its answer lost"
		if !errors.Is(last, ErrOutcomeUnknown) {
			e := transport.NewError(vendor, opCreateAndWait, ErrOutcomeUnknown, "the submit's answer was lost")
			e.Cause = last
			last = e
		}
		reason = "stopped before the list could show whether the submit created an audit; check Audits.List before submitting again"
	}
	te.LastError = last
	return itemError(input, handleItem(name), 0, "", reason, te)
}
