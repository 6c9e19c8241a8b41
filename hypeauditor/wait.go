package hypeauditor

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/creatorkit/creatorkit-go/internal/poll"
	"github.com/creatorkit/creatorkit-go/internal/transport"
)

// WaitOption tunes the AndWait helpers. Like every creatorkit-go
// package's WaitOption it works on an unexported config; a bad option
// makes the call fail with ErrInvalidParams before anything is sent.
type WaitOption func(*waitConfig) error

type waitConfig struct {
	fallback time.Duration
	maxWait  time.Duration
	progress func(Progress)
	// tolerate is how many failed checks in a row a wait outlasts: the
	// client's retries (WithMaxRetries), the one wait policy of poll.Until.
	tolerate int
}

// DefaultMaxWait is the longest wait between two checks the AndWait
// helpers accept by default (WithPollInterval's max): a retryTtl above it
// ends the wait with a *TimeoutError (ErrRetryTTLTooLong) and the
// not-ready report, for the caller to decide, since the helpers never ask
// sooner than HypeAuditor said.
const DefaultMaxWait = 10 * time.Minute

// WithPollInterval sets the two bounds of the wait between checks:
// initial is the interval used when HypeAuditor sends no retryTtl (a
// NOT_READY answer without one, a REPORT_CALCULATING "come back later",
// a transient answer such as a 429 that outlasted the transport's
// retries; default DefaultRetryTTL, 30 s), and maxInterval the longest
// wait the helpers accept (default DefaultMaxWait, 10 min). Whenever
// HypeAuditor sends a retryTtl, that is the wait, never shortened; one
// longer than maxInterval ends the wait at once with a *TimeoutError whose
// Err is ErrRetryTTLTooLong, and the last (not ready) report: maxInterval
// is the cap on retryTtl too, so no other option is needed for it. Use
// short intervals against the hypeauditortest fake (its
// Server.PollOptions does).
func WithPollInterval(initial, maxInterval time.Duration) WaitOption {
	return func(c *waitConfig) error {
		if initial <= 0 || maxInterval < initial {
			return fmt.Errorf("poll interval needs 0 < initial <= max, got %s and %s", initial, maxInterval)
		}
		c.fallback, c.maxWait = initial, maxInterval
		return nil
	}
}

// Progress is how far a wait got, as WithProgress reports it: after each
// check that found the report not ready.
type Progress struct {
	// Op is the waiting call, e.g. "Reports.InstagramAndWait".
	Op string
	// Network and Account name the report (the account as sent).
	Network Network
	Account string
	// State is the last state seen: NOT_READY or REPORT_CALCULATING.
	State ReportState
	// Checks is how many requests were made so far.
	Checks int
	// Elapsed is the time since the wait started.
	Elapsed time.Duration
	// Next is the wait before the next check (retryTtl, or the fallback
	// interval).
	Next time.Duration
}

// WithProgress calls fn after each check that found the report not ready.
// It runs on the waiting goroutine; keep it quick.
func WithProgress(fn func(Progress)) WaitOption {
	return func(c *waitConfig) error { c.progress = fn; return nil }
}

// newWaitConfig is a wait's config: the options over the defaults, and as
// many transient failures in a row as the client's retries (the one wait
// policy, see poll.Until).
func (c *Client) newWaitConfig(op string, opts []WaitOption) (waitConfig, error) {
	cfg := waitConfig{fallback: DefaultRetryTTL, maxWait: DefaultMaxWait, tolerate: c.t.MaxRetries()}
	return cfg, transport.ApplyOptions(vendor, op, &cfg, opts)
}

// waitFor asks get until the report is ready, a terminal outcome comes
// back, or the budget ends. A transient answer to a check (a 429 while
// another job fills the key's window, a 5xx, a lost connection, a body
// cut short) that outlasted the transport's retries is waited out at the
// fallback interval, as many times in a row as the client's retries
// (cfg.tolerate: WithMaxRetries means the same for a wait as for one
// call); one more ends the wait with that failure. So is a lost answer to
// the request that may have unlocked the report (ErrOutcomeUnknown): this
// reconcile path asks again, which is free if it did (re-polling an
// unlocked report is [DOC]) and unlocks it once if it did not; the client
// counts the pair as one credit at most (see Client.Usage), and the asks
// count among the failures in a row, so they too are bounded by the
// client's retries. Not so a success answer the SDK could not use (asking
// again gets the same), nor a lost market analysis creation (rc.sendOnce:
// asking again would create another): both end the wait. Only the first
// request may charge: once a check was answered, get is told the rest are
// free (they reserve nothing and are retried like any GET). Each wait is
// the server's retryTtl (or the fallback), never shorter (poll's
// StrictHint): when the next check would fall after the context's
// deadline, or the server's wait exceeds the longest allowed, it stops at
// once with a *TimeoutError and the last (not ready) report.
func waitFor[PT reportResult](ctx context.Context, op string, rc reportCall, cfg waitConfig, get func(ctx context.Context, free bool) (PT, error)) (PT, error) {
	checks := 0
	answered := false
	start := time.Now()
	var last PT
	return poll.Until(ctx, vendor, op, poll.Config{Initial: cfg.fallback, Max: cfg.fallback, Multiplier: 1, Jitter: -1, MaxHint: cfg.maxWait, StrictHint: true, Tolerate: cfg.tolerate},
		func(ctx context.Context) (PT, poll.Status, error) {
			checks++
			r, err := get(ctx, answered)
			state := StateNotReady
			var hint time.Duration
			switch {
			case err != nil:
				var ie *ItemError
				switch {
				case errors.As(err, &ie) && ReportState(ie.State) == StateReportCalculating:
					answered = true
					state, hint = StateReportCalculating, cfg.fallback
					r = last
				case errors.Is(err, ErrOutcomeUnknown) && !rc.sendOnce && !unusableAnswer(err):
					return last, poll.Status{}, askAgain{err}
				default:
					return r, poll.Status{}, err
				}
			case !r.status().NotReady():
				return r, poll.Status{Done: true}, nil
			default:
				answered = true
				last = r
				hint = cfg.fallback
				if r.status().RetryTTL != nil && *r.status().RetryTTL > 0 {
					hint = r.status().RetryAfter()
				}
			}
			desc := fmt.Sprintf("%s report of %q is %s (next check in %s)", rc.network, rc.account, state, hint.Round(time.Millisecond))
			if cfg.progress != nil && hint <= cfg.maxWait {
				cfg.progress(Progress{Op: op, Network: rc.network, Account: rc.account, State: state, Checks: checks, Elapsed: time.Since(start), Next: hint})
			}
			return r, poll.Status{Hint: hint, Describe: desc}, nil
		})
}

// askAgain marks a lost answer to a report request as transient for the
// wait: see waitFor.
type askAgain struct{ err error }

func (a askAgain) Error() string   { return a.err.Error() }
func (a askAgain) Unwrap() error   { return a.err }
func (a askAgain) Temporary() bool { return true }

// InstagramAndWait requests the Instagram report and waits until it is
// ready, asking again after each retryTtl. The context is the budget. A
// check that fails transiently (a 429, a 5xx or a lost connection that
// outlasted the transport's retries) is tried again at the fallback
// interval, as many times in a row as the client's WithMaxRetries; one
// more ends the wait with that failure (so with WithMaxRetries(0) the
// first does). The other AndWait helpers behave the same.
//
// Spend: only the first request may unlock the report (one report credit,
// reserved against WithBudget, or ErrBudgetExceeded with nothing sent);
// once a check was answered the others are free re-polls. When the
// answer to that first request is lost (ErrOutcomeUnknown) the wait asks
// again, which is free if the lost request unlocked the report: each wait
// is charged once at most.
//
// Outcomes: the READY or READY_LOW_CONFIDENCE report (the latter with
// MissingBlocks); nil and an *ItemError (Err ErrReportUnavailable, State
// PRIVATE, DELETED, ...) for an account HypeAuditor cannot report on (a
// REPORT_CALCULATING answer is waited out); the last NOT_READY report and
// a *TimeoutError when the context ends first, when the next retryTtl
// would end after its deadline, or when a retryTtl is longer than
// WithPollInterval's max (Err ErrRetryTTLTooLong); nil and the *Error of
// a refusal (ErrQuotaExceeded, ErrUnauthorized, ErrBudgetExceeded or
// ErrInvalidParams before anything is sent, ...).
func (s *ReportsService) InstagramAndWait(ctx context.Context, p InstagramParams, opts ...WaitOption) (*InstagramReport, error) {
	const op = "Reports.InstagramAndWait"
	rc, cfg, err := s.c.prepare(op, opts, func() (reportCall, error) { return p.call(op) })
	if err != nil {
		return nil, err
	}
	return waitFor(ctx, op, rc, cfg, func(ctx context.Context, free bool) (*InstagramReport, error) {
		return fetchReport[InstagramReport](ctx, s.c, rc, free)
	})
}

// TikTokAndWait requests the TikTok report and waits until it is ready.
func (s *ReportsService) TikTokAndWait(ctx context.Context, p TikTokParams, opts ...WaitOption) (*TikTokReport, error) {
	const op = "Reports.TikTokAndWait"
	rc, cfg, err := s.c.prepare(op, opts, func() (reportCall, error) { return p.call(op) })
	if err != nil {
		return nil, err
	}
	return waitFor(ctx, op, rc, cfg, func(ctx context.Context, free bool) (*TikTokReport, error) {
		return fetchReport[TikTokReport](ctx, s.c, rc, free)
	})
}

// YouTubeAndWait requests the YouTube report and waits until it is ready.
func (s *ReportsService) YouTubeAndWait(ctx context.Context, p YouTubeParams, opts ...WaitOption) (*YouTubeReport, error) {
	const op = "Reports.YouTubeAndWait"
	rc, cfg, err := s.c.prepare(op, opts, func() (reportCall, error) { return p.call(op) })
	if err != nil {
		return nil, err
	}
	return waitFor(ctx, op, rc, cfg, func(ctx context.Context, free bool) (*YouTubeReport, error) {
		return fetchReport[YouTubeReport](ctx, s.c, rc, free)
	})
}

// TwitchAndWait requests the Twitch report and waits until it is ready.
func (s *ReportsService) TwitchAndWait(ctx context.Context, p ChannelParams, opts ...WaitOption) (*NetworkReport, error) {
	return s.networkAndWait(ctx, "Reports.TwitchAndWait", Twitch, "auditor.twitch", p, opts)
}

// TwitterAndWait requests the Twitter report and waits until it is ready.
func (s *ReportsService) TwitterAndWait(ctx context.Context, p ChannelParams, opts ...WaitOption) (*NetworkReport, error) {
	return s.networkAndWait(ctx, "Reports.TwitterAndWait", Twitter, "auditor.twitter", p, opts)
}

// SnapchatAndWait requests the Snapchat report and waits until it is
// ready.
func (s *ReportsService) SnapchatAndWait(ctx context.Context, p ChannelParams, opts ...WaitOption) (*NetworkReport, error) {
	return s.networkAndWait(ctx, "Reports.SnapchatAndWait", Snapchat, "auditor.snapchat", p, opts)
}

// TwitchHistoryAndWait requests a Twitch metrics history and waits until
// the report behind it is ready.
func (s *ReportsService) TwitchHistoryAndWait(ctx context.Context, p ChannelParams, opts ...WaitOption) (*TwitchHistory, error) {
	const op = "Reports.TwitchHistoryAndWait"
	rc, cfg, err := s.c.prepare(op, opts, func() (reportCall, error) { return p.call(op, Twitch, "auditor.twitchHistory") })
	if err != nil {
		return nil, err
	}
	return waitFor(ctx, op, rc, cfg, func(ctx context.Context, free bool) (*TwitchHistory, error) {
		return fetchReport[TwitchHistory](ctx, s.c, rc, free)
	})
}

func (s *ReportsService) networkAndWait(ctx context.Context, op string, net Network, path string, p ChannelParams, opts []WaitOption) (*NetworkReport, error) {
	rc, cfg, err := s.c.prepare(op, opts, func() (reportCall, error) { return p.call(op, net, path) })
	if err != nil {
		return nil, err
	}
	r, err := waitFor(ctx, op, rc, cfg, func(ctx context.Context, free bool) (*NetworkReport, error) {
		return fetchReport[NetworkReport](ctx, s.c, rc, free)
	})
	if r != nil {
		r.Network = net
	}
	return r, err
}

func (c *Client) prepare(op string, opts []WaitOption, call func() (reportCall, error)) (reportCall, waitConfig, error) {
	rc, err := call()
	if err != nil {
		return rc, waitConfig{}, err
	}
	cfg, err := c.newWaitConfig(op, opts)
	return rc, cfg, err
}
