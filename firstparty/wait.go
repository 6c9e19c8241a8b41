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
// insights take; checks start 5 s apart and back off to a minute. A
// Retry-After on a not-ready answer sets the next interval instead.
const (
	defaultPollInitial = 5 * time.Second
	defaultPollMax     = time.Minute
)

// WithPollInterval sets the first and the longest interval between checks
// (default 5 s growing to 1 min). Use short ones against the
// firstpartytest fake (its Server.WaitOptions does).
func WithPollInterval(initial, maxInterval time.Duration) WaitOption {
	set := poll.Interval(initial, maxInterval)
	return func(c *waitConfig) error { return set(&c.poll) }
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
// body it saw with a *TimeoutError (which also counts the transient
// answers and holds the last one). The creator_insights_1p webhook
// (WebhookHandler) tells you the moment insights are ready without
// polling; GetAndWait is for when you cannot receive webhooks.
func (s *InsightsService) GetAndWait(ctx context.Context, p GetInsightsParams, opts ...WaitOption) (*Insights, error) {
	const op = "Insights.GetAndWait"
	cfg := waitConfig{poll: poll.Config{Initial: defaultPollInitial, Max: defaultPollMax, Multiplier: 1.5, Tolerate: s.c.ins.MaxRetries()}}
	if err := transport.ApplyOptions(vendor, op, &cfg, opts); err != nil {
		return nil, err
	}
	if err := p.check(op); err != nil {
		return nil, err
	}
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
		st := poll.Status{Describe: describe(p.CreatorID, in)}
		if in.Response != nil {
			if d, ok := transport.ParseRetryAfter(in.Response.Header.Get("Retry-After"), time.Now()); ok {
				st.Hint = d
			}
		}
		return in, st, nil
	})
	var te *TimeoutError
	if errors.As(err, &te) {
		s.c.ins.RedactValue(te)
	}
	return in, err
}

func describe(id string, in *Insights) string {
	if in.Ready() {
		return fmt.Sprintf("insights of creator %s are ready", id)
	}
	status := string(in.Status)
	if status == "" {
		status = "not ready"
	}
	code := 0
	if in.Response != nil {
		code = in.Response.StatusCode
	}
	return fmt.Sprintf("insights of creator %s are %s (HTTP %d)", id, status, code)
}
