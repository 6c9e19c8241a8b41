package engagecheck

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/creatorkit/creatorkit-go/internal/poll"
	"github.com/creatorkit/creatorkit-go/internal/transport"
)

// WaitOption tunes the package's waits and its roster: GetAndWait,
// CreateAndWait and CreateAndWaitAll. A bad option makes the call fail
// with ErrInvalidParams before anything is sent.
type WaitOption func(*waitConfig) error

// waitConfig is what the wait options set.
type waitConfig struct {
	poll         poll.Config
	webhookURL   string
	progress     func(Progress)
	allowPartial bool
}

// Default poll intervals. Audits take 30 to 90 seconds: GetAndWait checks
// after 3 s and backs off to 15 s. CreateAndWaitAll spaces its list polls
// by the observed completion rate, up to a minute apart (a batch's audits
// run one after another, so a large roster settles over many minutes).
const (
	defaultPollInitial = 3 * time.Second
	defaultWaitMax     = 15 * time.Second
	defaultRosterMax   = time.Minute
)

func newWaitConfig(op string, opts []WaitOption) (waitConfig, error) {
	maxInterval := defaultWaitMax
	if op == opRoster {
		maxInterval = defaultRosterMax
	}
	cfg := waitConfig{poll: poll.Config{Initial: defaultPollInitial, Max: maxInterval, Multiplier: 1.5}}
	if err := transport.ApplyOptions(vendor, op, &cfg, opts); err != nil {
		return cfg, err
	}
	return cfg, checkWebhookURL(op, cfg.webhookURL)
}

// WithPollInterval sets the first and the longest interval between status
// checks (default 3 s growing to 15 s for GetAndWait and CreateAndWait, to
// 1 min for CreateAndWaitAll). Use short ones against the engagechecktest
// fake (its Server.PollOptions does).
func WithPollInterval(initial, maxInterval time.Duration) WaitOption {
	set := poll.Interval(initial, maxInterval)
	return func(c *waitConfig) error { return set(&c.poll) }
}

// WithWebhookURL asks EngageCheck to POST each result to url as well
// (CreateAndWait and CreateAndWaitAll; GetAndWait submits nothing and
// ignores it). It must be an absolute https URL (http for local testing).
// CreateAndWait refuses it when CreateAuditParams.WebhookURL names
// another URL.
func WithWebhookURL(url string) WaitOption {
	return func(c *waitConfig) error { c.webhookURL = url; return nil }
}

// WithProgress calls fn as a wait or a roster goes on: after each status
// check of GetAndWait and CreateAndWait that did not end the wait, and
// after every change in a CreateAndWaitAll (a batch submitted, a poll, an
// audit settled). fn runs on the calling goroutine; keep it quick.
func WithProgress(fn func(Progress)) WaitOption {
	return func(c *waitConfig) error { c.progress = fn; return nil }
}

// WithAllowPartial lets CreateAndWaitAll audit as much of a roster as the
// credits cover. By default a roster the balance cannot cover is refused
// before a credit is spent. The waits of a single audit ignore it.
func WithAllowPartial() WaitOption {
	return func(c *waitConfig) error { c.allowPartial = true; return nil }
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

	// The counts of a roster (CreateAndWaitAll only).
	//
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
	// Probes counts GETs of running audits the list could not reach (other
	// jobs' audits pushed them deep), made when their batch's pace said
	// they should be done; a probe that finds the audit settled is its
	// report fetch.
	Probes int
}

// GetAndWait is Get until the audit settles: it polls Get and returns the
// audit once complete. A failed audit is returned with an *ItemError
// (errors.Is(err, ErrAuditFailed)) whose Reason is EngageCheck's
// error_message; its credit is refunded by EngageCheck. Given an id, the
// ItemError's Input and Item are the audit's handle.
//
// The context is the budget, and only it or a final answer ends the wait:
// a status check that meets a transient answer after the transport's own
// retries (a 429 when other jobs share the key, a 5xx, a lost connection)
// is tried again at the next interval. When the context ends, GetAndWait
// returns the last state it saw with a *TimeoutError naming it. Checks
// start 3 s apart and back off to 15 s (WithPollInterval); WithProgress
// reports each check.
func (s *AuditsService) GetAndWait(ctx context.Context, id int64, opts ...WaitOption) (*Audit, error) {
	const op = "Audits.GetAndWait"
	cfg, err := newWaitConfig(op, opts)
	if err != nil {
		return nil, err
	}
	if err := checkAuditID(op, id); err != nil {
		return nil, err
	}
	return s.wait(ctx, op, id, "", cfg)
}

// wait polls audit id until it settles; input is the handle as the caller
// gave it ("" when the caller gave an id).
func (s *AuditsService) wait(ctx context.Context, op string, id int64, input string, cfg waitConfig) (*Audit, error) {
	start := time.Now()
	report := Progress{Op: op, ID: id, CreditsRemaining: -1}
	cfg.poll.Tolerate = s.c.t.MaxRetries()
	a, err := poll.Until(ctx, vendor, op, cfg.poll, func(ctx context.Context) (*Audit, poll.Status, error) {
		report.Checks++
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
	if err != nil {
		return a, err
	}
	return a, a.failure(input)
}

// failure returns the *ItemError of a failed audit, nil otherwise. input
// is the handle as the caller gave it; "" stands for the audit's handle.
func (a *Audit) failure(input string) error {
	if a == nil || a.Status != StatusError {
		return nil
	}
	reason := "EngageCheck failed the audit without an error message"
	if a.ErrorMessage != nil && strings.TrimSpace(*a.ErrorMessage) != "" {
		reason = strings.TrimSpace(*a.ErrorMessage)
	}
	if input == "" {
		input = a.Username
	}
	return itemError(input, a.Username, a.ID, a.Status, reason, ErrAuditFailed)
}

// itemError builds the *ItemError of a handle without a report. id 0 means
// the handle has no audit; an empty reason is filled from err.
func itemError(input, name string, id int64, status AuditStatus, reason string, err error) *ItemError {
	e := &ItemError{Vendor: vendor, Input: input, Item: name, State: string(status), Reason: reason, Err: err}
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

// CreateAndWait is Create until the audit settles: it submits one handle
// (one credit, refunded if the audit fails) and polls it like GetAndWait.
// When EngageCheck answers the submit with a fresh report inline (status
// complete), CreateAndWait returns it without polling. A failed audit is
// returned with an *ItemError (ErrAuditFailed) whose Input is
// p.Username as given and whose Item is the normalized handle.
//
// Like GetAndWait, CreateAndWait ends only with a final answer or the end
// of its context. A submit refused with a transient answer that spent
// nothing (a 429 after the transport's retries, a connection that failed
// before sending) is tried again after a growing pause. A submit whose
// answer was lost is looked up in the recent-audits list (free) until the
// list can tell: the audit it finds is waited for, and only a handle the
// list proves was not created is sent again, so the handle is paid for
// once. A 402 (ErrQuotaExceeded), a refused key or a refused handle end
// it at once. p.WebhookURL, or WithWebhookURL, asks EngageCheck to POST
// the result as well.
func (s *AuditsService) CreateAndWait(ctx context.Context, p CreateAuditParams, opts ...WaitOption) (*Audit, error) {
	const op = "Audits.CreateAndWait"
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
	a, err := s.submitSettled(ctx, name, p, cfg)
	if err != nil {
		return a, err
	}
	if a.Status == StatusComplete && a.Report != nil {
		return a, nil
	}
	if a.Status == StatusError {
		return a, a.failure(p.Username)
	}
	return s.wait(ctx, op, a.ID, p.Username, cfg)
}

// submitSettled creates the audit of a normalized handle, waiting out what
// spent nothing and reconciling what may have been spent, until the
// audit is known or the context ends.
func (s *AuditsService) submitSettled(ctx context.Context, name string, p CreateAuditParams, cfg waitConfig) (*Audit, error) {
	const op = "Audits.CreateAndWait"
	var firstSent time.Time
	intervals := poll.NewIntervals(cfg.poll)
	lost := false // a submit may have created an audit the list has not shown
	var how counted
	for {
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
				return nil, s.stopped(op, name, err, ctx.Err(), errors.Is(err, ErrOutcomeUnknown))
			case errors.Is(err, ErrOutcomeUnknown):
				lost = true
			case !poll.IsTransient(err):
				return nil, err
			}
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
				return nil, s.stopped(op, name, err, ctx.Err(), true)
			case err != nil && fatal(err):
				return nil, err
			}
		}
		if err := poll.Sleep(ctx, intervals.Next()); err != nil {
			return nil, s.stopped(op, name, nil, err, lost)
		}
	}
}

// stopped is the error of a CreateAndWait whose context ended before its
// submit was settled: the context's error, and ErrOutcomeUnknown when an
// audit may exist.
func (s *AuditsService) stopped(op, name string, last, ctxErr error, unknown bool) error {
	msg := "the context ended before the audit was submitted; nothing was spent"
	if unknown {
		msg = "the context ended before the list could show whether the submit created an audit; check Audits.List before submitting again"
	}
	e := transport.NewError(vendor, op, ctxErr, "@%s: %s", name, msg)
	e.Cause = last
	if unknown {
		transport.AddKind(e, ErrOutcomeUnknown)
	}
	return e
}
