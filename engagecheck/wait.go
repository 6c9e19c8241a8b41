package engagecheck

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/creatorkit/creatorkit-go/internal/poll"
	"github.com/creatorkit/creatorkit-go/internal/transport"
)

// RunOption tunes Wait, Run and RunAll.
type RunOption func(*runConfig) error

type runConfig struct {
	poll         poll.Config
	webhookURL   string
	progress     func(Progress)
	allowPartial bool
}

// Default poll intervals. Audits take 30 to 90 seconds: Wait checks after
// 3 s and backs off to 15 s. RunAll spaces its list polls by the observed
// completion rate, up to a minute apart (a batch's audits run one after
// another, so a large roster settles over many minutes).
const (
	defaultPollInitial = 3 * time.Second
	defaultWaitMax     = 15 * time.Second
	defaultRosterMax   = time.Minute
)

func newRunConfig(op string, opts []RunOption) (runConfig, error) {
	maxInterval := defaultWaitMax
	if op == opRunAll {
		maxInterval = defaultRosterMax
	}
	cfg := runConfig{poll: poll.Config{Initial: defaultPollInitial, Max: maxInterval, Multiplier: 1.5}}
	if err := transport.ApplyOptions(vendor, op, &cfg, opts); err != nil {
		return cfg, err
	}
	return cfg, checkWebhookURL(op, cfg.webhookURL)
}

// WithPollInterval sets the first and the longest interval between status
// checks (default 3 s growing to 15 s for Wait and Run, to 1 min for
// RunAll). Use short ones against the engagechecktest fake.
func WithPollInterval(initial, maxInterval time.Duration) RunOption {
	return func(c *runConfig) error { return poll.Interval(initial, maxInterval)(&c.poll) }
}

// WithWebhookURL asks EngageCheck to POST each result to url as well (Run
// and RunAll).
func WithWebhookURL(url string) RunOption {
	return func(c *runConfig) error { c.webhookURL = url; return nil }
}

// WithProgress calls fn after every change in a RunAll: a batch submitted,
// a poll, an audit settled. fn runs on the iterating goroutine; keep it
// quick.
func WithProgress(fn func(Progress)) RunOption {
	return func(c *runConfig) error { c.progress = fn; return nil }
}

// WithAllowPartial lets RunAll audit as much of a roster as the credits
// cover. By default a roster the balance cannot cover is refused before a
// credit is spent.
func WithAllowPartial() RunOption {
	return func(c *runConfig) error { c.allowPartial = true; return nil }
}

// Wait polls an audit until it settles. It returns the audit once
// complete. A failed audit is returned with an *AuditError
// (errors.Is(err, ErrAuditFailed)) carrying EngageCheck's error_message;
// its credit is refunded by EngageCheck.
//
// The context is the budget, and only it or a final answer ends the wait:
// a status check that meets a transient answer after the transport's own
// retries (a 429 when other jobs share the key, a 5xx, a lost connection)
// is tried again at the next interval. When the context ends, Wait returns
// the last state it saw with a *WaitTimeoutError naming it. Checks start
// 3 s apart and back off to 15 s (WithPollInterval).
func (s *AuditsService) Wait(ctx context.Context, id int64, opts ...RunOption) (*Audit, error) {
	const op = "Audits.Wait"
	cfg, err := newRunConfig(op, opts)
	if err != nil {
		return nil, err
	}
	if err := checkAuditID(op, id); err != nil {
		return nil, err
	}
	return s.wait(ctx, id, cfg)
}

func (s *AuditsService) wait(ctx context.Context, id int64, cfg runConfig) (*Audit, error) {
	a, err := poll.Until(ctx, vendor, "Audits.Wait", cfg.poll, func(ctx context.Context) (*Audit, poll.Status, error) {
		a, err := s.Get(ctx, id)
		if err != nil {
			return nil, poll.Status{}, err
		}
		return a, poll.Status{Done: a.Done(), Describe: fmt.Sprintf("audit %d of @%s is %s", a.ID, a.Username, a.Status)}, nil
	})
	if err != nil {
		return a, err
	}
	return a, a.failure("")
}

// failure returns the *AuditError of a failed audit, nil otherwise.
func (a *Audit) failure(input string) error {
	if a == nil || a.Status != StatusError {
		return nil
	}
	msg := "no error message"
	if a.ErrorMessage != nil && *a.ErrorMessage != "" {
		msg = *a.ErrorMessage
	}
	return &AuditError{Username: a.Username, Input: input, AuditID: a.ID, Message: msg, Err: ErrAuditFailed}
}

// Run audits one handle and waits for the result: Create, then Wait. When
// EngageCheck answers the submit with a fresh report inline (status
// complete), Run returns it without polling.
//
// Like Wait, Run ends only with a final answer or the end of its context.
// A submit refused with a transient answer that spent nothing (a 429 after
// the transport's retries, a connection that failed before sending) is
// tried again after a growing pause. A submit whose answer was lost is
// looked up in the recent-audits list (free) until the list can tell: the
// audit it finds is waited for, and only a handle the list proves was not
// created is sent again, so the handle is paid for once. A 402
// (ErrQuotaExceeded), a refused key or a refused handle end it at once.
func (s *AuditsService) Run(ctx context.Context, username string, opts ...RunOption) (*Audit, error) {
	const op = "Audits.Run"
	cfg, err := newRunConfig(op, opts)
	if err != nil {
		return nil, err
	}
	name, err := NormalizeUsername(username)
	if err != nil {
		return nil, invalidParams(op, "username", "%v", err.(*Error).Message)
	}
	if name == "" {
		return nil, invalidParams(op, "username", "username is required")
	}
	a, err := s.submitSettled(ctx, name, cfg)
	if err != nil {
		return a, err
	}
	if a.Status == StatusComplete && a.Report != nil {
		return a, nil
	}
	if a.Status == StatusError {
		return a, a.failure(username)
	}
	return s.wait(ctx, a.ID, cfg)
}

// submitSettled creates the audit of a normalized handle, waiting out what
// spent nothing and reconciling what may have been spent, until the
// audit is known or the context ends.
func (s *AuditsService) submitSettled(ctx context.Context, name string, cfg runConfig) (*Audit, error) {
	const op = "Audits.Run"
	var firstSent time.Time
	intervals := poll.NewIntervals(cfg.poll)
	lost := false // a submit may have created an audit the list has not shown
	for {
		if !lost {
			if firstSent.IsZero() {
				firstSent = time.Now()
			}
			a, err := s.create(ctx, name, cfg.webhookURL, "")
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
				return s.adopt(ctx, res.found[name]), nil
			case err == nil && res.exhaustive:
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

// stopped is the error of a Run whose context ended before its submit was
// settled: the context's error, and ErrOutcomeUnknown when an audit may
// exist.
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
