package firstparty

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/creatorkit/creatorkit-go/internal/poll"
	"github.com/creatorkit/creatorkit-go/internal/transport"
)

// WaitOption tunes Insights.Wait.
type WaitOption func(*poll.Config) error

// Default poll intervals of Wait. Ylytic does not say how long insights
// take; checks start 5 s apart and back off to a minute. A Retry-After on
// a not-ready answer sets the next interval instead.
const (
	defaultPollInitial = 5 * time.Second
	defaultPollMax     = time.Minute
)

// WithPollInterval sets the first and the longest interval between checks
// (default 5 s growing to 1 min). Use short ones against the
// firstpartytest fake.
func WithPollInterval(initial, maxInterval time.Duration) WaitOption {
	return poll.Interval(initial, maxInterval)
}

// Wait polls Get until the insights are ready and returns them. Insights
// Ylytic could not produce end the wait with an *InsightsError
// (errors.Is(err, ErrInsightsFailed)).
//
// A transient answer to a check (a 429, a 5xx, a lost connection or a
// garbled body that outlasted the transport's retries, as when another job
// shares the token) is never the end of a wait: the check is made again
// after the next interval. Any other error ends the wait, a 404
// (ErrNotFound) included: ASSUMPTION that Ylytic answers 404 for an
// unknown creator id, not for insights still being processed.
//
// The context is the budget: when it ends, Wait returns the last body it
// saw with a *TimeoutError (which also counts the transient answers
// and holds the last one). The creator_insights_1p webhook
// (WebhookHandler) tells you the moment insights are ready without
// polling; Wait is for when you cannot receive webhooks.
func (s *InsightsService) Wait(ctx context.Context, p GetInsightsParams, opts ...WaitOption) (*Insights, error) {
	const op = "Insights.Wait"
	cfg := poll.Config{Initial: defaultPollInitial, Max: defaultPollMax, Multiplier: 1.5}
	if err := transport.ApplyOptions(vendor, op, &cfg, opts); err != nil {
		return nil, err
	}
	if err := p.check(op); err != nil {
		return nil, err
	}
	in, err := poll.Until(ctx, vendor, op, cfg, func(ctx context.Context) (*Insights, poll.Status, error) {
		in, err := s.Get(ctx, p)
		if err != nil {
			return in, poll.Status{}, err
		}
		st := poll.Status{Done: in.Ready(), Describe: describe(p.CreatorID, in)}
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
