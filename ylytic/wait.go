package ylytic

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/creatorkit/creatorkit-go/internal/check"
	"github.com/creatorkit/creatorkit-go/internal/poll"
	"github.com/creatorkit/creatorkit-go/internal/transport"
)

// WaitOption tunes the package's waits (Refresh.GetAndWait and
// Refresh.CreateAndWait). A bad option makes the call fail with
// ErrInvalidParams before anything is sent.
type WaitOption func(*waitConfig) error

// waitConfig is what the wait options set.
type waitConfig struct {
	poll     poll.Config
	progress func(Progress)
}

// Default poll intervals of the waits. Ylytic does not say how long a
// data refresh takes; checks start 10 s apart and back off to a minute.
// A Retry-After on a pending answer sets the next interval instead.
const (
	defaultPollInitial = 10 * time.Second
	defaultPollMax     = time.Minute
)

// WithPollInterval sets the first and the longest interval between checks
// (default 10 s growing to 1 min). first must be > 0; max 0 keeps the
// default ceiling (or first, when that is longer). Use short ones against
// the ylytictest fake (its Server.PollOptions does).
func WithPollInterval(first, maxInterval time.Duration) WaitOption {
	return func(c *waitConfig) error { return poll.Interval(first, maxInterval, defaultPollMax)(&c.poll) }
}

// Progress is reported after each check that did not end a wait.
type Progress struct {
	// Op is the waiting call: "Refresh.GetAndWait" or
	// "Refresh.CreateAndWait".
	Op string
	// RequestID is the awaited request's id ("" before CreateAndWait's
	// request was answered).
	RequestID string
	// State is the last status message seen ("pending"), or "" when no
	// check has been answered yet.
	State RefreshState
	// Checks is how many status checks were made so far, TransientErrors
	// how many of them failed transiently (a 429, a 5xx, a lost
	// connection) and will be made again.
	Checks, TransientErrors int
	// Elapsed is the time since the wait began.
	Elapsed time.Duration
}

// WithProgress calls fn after each check that did not end the wait (the
// request was pending, or the check failed transiently). It runs on the
// waiting goroutine; keep it quick.
func WithProgress(fn func(Progress)) WaitOption {
	return func(c *waitConfig) error {
		c.progress = fn
		return nil
	}
}

func (s *RefreshService) waitConfig(op string, opts []WaitOption) (waitConfig, error) {
	cfg := waitConfig{poll: poll.Config{Initial: defaultPollInitial, Max: defaultPollMax, Multiplier: 1.5, Tolerate: s.c.dash.MaxRetries()}}
	err := transport.ApplyOptions(vendor, op, &cfg, opts)
	return cfg, err
}

// GetAndWait is Get until the request is no longer pending: it polls Get
// and returns the finished request. A request that ended without data
// ends the wait with the *ItemError Get returns (errors.Is(err,
// ErrRefreshFailed)), next to the request.
//
// One wait policy, the same in every creatorkit-go package: a check that
// fails transiently (a 429, a 5xx, a lost connection or a garbled body
// that outlasted the transport's retries) is made again after the next
// interval, up to as many failed checks in a row as the client's retries
// (WithMaxRetries, default 3: the option means the same for a wait as for
// one call); one more ends the wait with that check's error. Any other
// error ends the wait, a 404 (ErrNotFound) included.
//
// The context is the budget: when it ends first, GetAndWait returns the
// last request it saw with an *ItemError (Input and ID the request id,
// Item the refreshed creator or post once known, State the last status
// message) whose Err is a *TimeoutError: errors.As(err, &timeout) and
// errors.Is(err, context.DeadlineExceeded) both hold. Checks start 10 s
// apart and back off to 1 min (WithPollInterval); WithProgress reports
// each one. The wait is observed as a call of its own (WithObserver) with
// its number of checks.
func (s *RefreshService) GetAndWait(ctx context.Context, requestID string, opts ...WaitOption) (*RefreshRequest, error) {
	const op = "Refresh.GetAndWait"
	cfg, err := s.waitConfig(op, opts)
	if err != nil {
		return nil, err
	}
	if err := transport.Refuse(vendor, op, "request_id", check.PathParam(requestID)); err != nil {
		return nil, err
	}
	ctx, end := s.c.dash.Observe(ctx, op)
	r, polls, err := s.wait(ctx, op, requestID, requestID, RefreshParams{}, nil, cfg)
	end(polls, 0, err)
	return r, err
}

// CreateAndWait is Create, then GetAndWait on the new request: it returns
// the finished request. Create's rules hold (it is sent once; a lost
// answer is ErrOutcomeUnknown, and no wait starts). A request that ended
// without data, or a context that ends first, is an *ItemError as in
// GetAndWait, whose Input is the identifier as given (the handle, the
// shortcode...) and Item the creator or post as Ylytic knows it
// ("instagram/@natgeo", "youtube/id:UC...").
func (s *RefreshService) CreateAndWait(ctx context.Context, p RefreshParams, opts ...WaitOption) (*RefreshRequest, error) {
	const op = "Refresh.CreateAndWait"
	cfg, err := s.waitConfig(op, opts)
	if err != nil {
		return nil, err
	}
	n, err := p.normalize(op)
	if err != nil {
		return nil, err
	}
	ctx, end := s.c.dash.Observe(ctx, op)
	r, err := s.create(ctx, "Refresh.Create", n)
	if err != nil {
		end(0, 0, err)
		return r, err
	}
	if r.Failed() {
		err := s.c.refreshFailed(p.Input(), n, r)
		end(0, 0, err)
		return r, err
	}
	if r.Done() {
		end(0, 0, nil)
		return r, nil
	}
	r, polls, err := s.wait(ctx, op, r.RequestID, p.Input(), n, r, cfg)
	end(polls, 0, err)
	return r, err
}

// wait polls request id until it ends. input is what the caller gave
// (the id, or the identifier of CreateAndWait), sent the params when
// known, last the request as created (then the first check comes after
// the first interval). It returns the number of checks.
func (s *RefreshService) wait(ctx context.Context, op, id, input string, sent RefreshParams, last *RefreshRequest, cfg waitConfig) (*RefreshRequest, int, error) {
	start := time.Now()
	report := Progress{Op: op, RequestID: id}
	if last != nil {
		report.State = last.Status.Message
	}
	created := last != nil
	r, err := poll.Until(ctx, vendor, op, cfg.poll, func(ctx context.Context) (*RefreshRequest, poll.Status, error) {
		if created {
			// CreateAndWait's request was pending a moment ago: the first
			// check waits the first interval instead of asking at once.
			created = false
			return last, poll.Status{Describe: describeRequest(last)}, nil
		}
		report.Checks++
		r, err := s.get(ctx, "Refresh.Get", id)
		switch {
		case err != nil && poll.IsTransient(err):
			report.TransientErrors++
		case err != nil:
			return r, poll.Status{}, err
		case r.Done():
			return r, poll.Status{Done: true}, nil
		default:
			last = r
			report.State = r.Status.Message
		}
		if cfg.progress != nil {
			report.Elapsed = time.Since(start)
			cfg.progress(report)
		}
		if err != nil {
			return last, poll.Status{}, err // poll.Until waits it out, up to Tolerate in a row
		}
		st := poll.Status{Describe: describeRequest(r)}
		if d, ok := transport.ParseRetryAfter(r.Response.GetHeader("Retry-After"), time.Now()); ok {
			st.Hint = d
		}
		return r, st, nil
	})
	if r == nil {
		r = last
	}
	params := sent
	if r != nil && r.Request.Type != "" {
		params = r.Request
	}
	var te *TimeoutError
	switch {
	case errors.As(err, &te):
		state := ""
		if r != nil {
			state = string(r.Status.Message)
		}
		ie := &ItemError{Vendor: vendor, Input: input, Item: params.Item(), ID: id, State: state,
			Reason: fmt.Sprintf("not finished in time; read it later with Refresh.Get(ctx, %q)", id), Err: te}
		s.c.dash.RedactValue(ie)
		return r, report.Checks, ie
	case err != nil:
		return r, report.Checks, err
	case r.Failed():
		return r, report.Checks, s.c.refreshFailed(input, params, r)
	}
	return r, report.Checks, nil
}

func orUnknown(s string) string {
	if s == "" {
		return "in an unknown state"
	}
	return s
}

// describeRequest is the state a TimeoutError names as its last: the
// ItemError around it already names the request.
func describeRequest(r *RefreshRequest) string {
	return "status " + orUnknown(string(r.Status.Message))
}
