package firstparty

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/creatorkit/creatorkit-go/internal/poll"
	"github.com/creatorkit/creatorkit-go/internal/transport"
)

// WaitOption tunes the package's waits (Insights.GetAndWait).
type WaitOption func(*waitConfig) error

// waitConfig is what the wait options set.
type waitConfig struct {
	poll     poll.Config
	progress func(Progress)
}

// Default poll intervals of GetAndWait. Ylytic does not say how long
// insights take; checks start 5 s apart and the interval grows by half
// after each check, to at most a minute. A Retry-After on a not-ready
// answer sets the next interval instead.
const (
	DefaultPollInitial = 5 * time.Second
	DefaultPollMax     = time.Minute
)

// WithPollInterval sets the first interval between checks (first > 0) and
// the longest one the interval grows to (default DefaultPollInitial
// growing to DefaultPollMax); maxInterval 0 keeps the default ceiling (or
// first, when first is longer), and otherwise must be at least first. It
// shapes only the SDK's own intervals: a Retry-After on a not-ready answer
// still sets the next one. Use short ones against the firstpartytest fake
// (its Server.PollOptions does).
func WithPollInterval(first, maxInterval time.Duration) WaitOption {
	return func(c *waitConfig) error { return poll.Interval(first, maxInterval, DefaultPollMax)(&c.poll) }
}

// Progress is reported after each check that did not end a wait.
type Progress struct {
	// Op is the waiting call, "Insights.GetAndWait".
	Op string
	// CreatorID is the creator whose insights are awaited.
	CreatorID string
	// State is the last state seen: InsightsProcessing (also for a body
	// that is not ready and names no status), or "" when no check has
	// been answered yet.
	State InsightsStatus
	// Checks is how many checks were made so far, TransientErrors how many
	// of them failed transiently (a 429, a 5xx, a lost connection) and
	// will be made again.
	Checks, TransientErrors int
	// Elapsed is the time since the wait began.
	Elapsed time.Duration
}

// WithProgress calls fn after each check that did not end the wait (the
// insights were not ready, or the check failed transiently). It runs on
// the waiting goroutine; keep it quick.
func WithProgress(fn func(Progress)) WaitOption {
	return func(c *waitConfig) error {
		c.progress = fn
		return nil
	}
}

// GetAndWait is Get until the insights are ready: it polls Get and returns
// the ready insights. Insights Ylytic could not produce end the wait with
// the *ItemError Get returns (errors.Is(err, ErrInsightsFailed); its
// Reason is Ylytic's status_reason), next to the body.
//
// A check that fails transiently (a 429, a 5xx, a lost connection or a
// garbled body that outlasted the transport's retries, as when another job
// shares the token) is made again after the next interval, up to as many
// failed checks in a row as the client's retries (WithMaxRetries, default
// 3: the option means the same for a wait as for one call); one more ends
// the wait with that check's error. Any other error ends the wait, a 404
// (ErrNotFound) included: ASSUMPTION that Ylytic answers 404 for an
// unknown creator id, not for insights still being processed.
//
// The context is the budget: when it ends, GetAndWait returns the last
// body it saw with an *ItemError for the creator (Input the creator id,
// Item "instagram/id:<creator id>", State the last status seen) whose
// Err is a *TimeoutError: errors.As(err, &timeout) and
// errors.Is(err, context.DeadlineExceeded) both hold, and the timeout also
// counts the transient answers and holds the last one. The creator_insights_1p webhook
// (WebhookHandler) tells you the moment insights are ready without
// polling; GetAndWait is for when you cannot receive webhooks.
func (s *InsightsService) GetAndWait(ctx context.Context, p GetInsightsParams, opts ...WaitOption) (*Insights, error) {
	const op = "Insights.GetAndWait"
	cfg := waitConfig{poll: poll.Config{Initial: DefaultPollInitial, Max: DefaultPollMax, Multiplier: 1.5, Tolerate: s.c.ins.MaxRetries()}}
	if err := transport.ApplyOptions(vendor, op, &cfg, opts); err != nil {
		return nil, err
	}
	if err := p.check(op); err != nil {
		return nil, err
	}
	ctx, end := s.c.ins.Observe(ctx, op)
	start := time.Now()
	report := Progress{Op: op, CreatorID: p.CreatorID}
	in, err := poll.Until(ctx, vendor, op, cfg.poll, func(ctx context.Context) (*Insights, poll.Status, error) {
		report.Checks++
		in, err := s.Get(ctx, p)
		switch {
		case err != nil && poll.IsTransient(err):
			report.TransientErrors++
		case err != nil:
			return in, poll.Status{}, err
		case in.Ready():
			return in, poll.Status{Done: true}, nil
		default:
			report.State = InsightsProcessing
			if in.Status != "" {
				report.State = in.Status
			}
		}
		if cfg.progress != nil {
			report.Elapsed = time.Since(start)
			cfg.progress(report)
		}
		if err != nil {
			return in, poll.Status{}, err // poll.Until waits it out
		}
		st := poll.Status{Describe: describe(in)}
		if in.Response != nil {
			if d, ok := transport.ParseRetryAfter(in.Response.Header.Get("Retry-After"), time.Now()); ok {
				st.Hint = d
			}
		}
		return in, st, nil
	})
	var te *TimeoutError
	if errors.As(err, &te) {
		state := string(report.State)
		ie := &ItemError{Vendor: vendor, Input: p.CreatorID, Item: creatorItem(p.CreatorID), State: state,
			Reason: "the wait ended before the insights were ready", Err: te}
		if state == "" {
			ie.Reason = "the wait ended before any check was answered"
		}
		s.c.ins.RedactValue(ie)
		err = ie
	}
	end(report.Checks, 0, err)
	return in, err
}

// creatorItem names a creator as Ylytic knows it: by creator id, on
// Instagram (the insights are Get Instagram Creator Insights).
func creatorItem(creatorID string) string { return string(Instagram) + "/id:" + creatorID }

// describe is the state a check saw, for the *TimeoutError (the
// *ItemError around it names the creator).
func describe(in *Insights) string {
	status := string(in.Status)
	if status == "" {
		status = "not ready"
	}
	code := 0
	if in.Response != nil {
		code = in.Response.StatusCode
	}
	return fmt.Sprintf("%s (HTTP %d)", status, code)
}
