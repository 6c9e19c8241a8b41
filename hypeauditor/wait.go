package hypeauditor

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/creatorkit/creatorkit-go/internal/poll"
	"github.com/creatorkit/creatorkit-go/internal/transport"
)

// WaitOption tunes the AndWait helpers and the roster
// (Reports.GetAndWaitAll): WithPollInterval, WithProgress,
// WithMaxRetryTTL and the roster's WithAllowPartial. Like every
// creatorkit-go package's WaitOption it works on an unexported config; a
// bad option, or one the call cannot use (WithMaxRetryTTL on a market
// analysis wait, WithAllowPartial on a single wait), makes the call fail
// with ErrInvalidParams before anything is sent (the roster answers every
// input with it).
type WaitOption func(*waitConfig) error

type waitConfig struct {
	// initial and ceiling are the SDK's own intervals (WithPollInterval).
	initial, ceiling time.Duration
	// maxRetryTTL caps HypeAuditor's retryTtl (WithMaxRetryTTL); set says
	// the option was given.
	maxRetryTTL    time.Duration
	maxRetryTTLSet bool
	progress       func(Progress)
	// tolerate is how many failed checks in a row a wait outlasts: the
	// client's retries (WithMaxRetries), the one wait policy of poll.Until.
	tolerate int
	// allowPartial: a roster the plan's credits cannot cover goes ahead
	// (WithAllowPartial; Reports.GetAndWaitAll only).
	allowPartial bool
}

// The defaults of the waits' own intervals and of the cap on retryTtl.
const (
	// DefaultPollInitial is the first of the waits' own intervals
	// (WithPollInterval's first): the wait before the next check when
	// HypeAuditor sends no retryTtl (a REPORT_CALCULATING "come back
	// later", a NOT_READY answer without one, a market analysis still
	// calculating, a check that failed transiently). The intervals grow
	// by half each check up to DefaultPollMax.
	DefaultPollInitial = 30 * time.Second
	// DefaultPollMax is the ceiling the waits' own intervals grow to
	// (WithPollInterval's max).
	DefaultPollMax = 2 * time.Minute
	// DefaultMaxRetryTTL is the longest retryTtl the waits accept
	// (WithMaxRetryTTL): a longer one ends the wait at once, since the
	// helpers never ask sooner than HypeAuditor said.
	DefaultMaxRetryTTL = 10 * time.Minute
)

// WithPollInterval shapes the waits' own intervals, the ones used when
// HypeAuditor sends no retryTtl (see DefaultPollInitial): the first is
// first (> 0), and each next one is half as long again, up to
// maxInterval (0 keeps DefaultPollMax, or first when that is longer). The
// intervals are
// not jittered. It does not touch a retryTtl HypeAuditor sends: that is
// the wait, never shortened, up to WithMaxRetryTTL. Use short intervals
// against the hypeauditortest fake (its Server.PollOptions does).
func WithPollInterval(first, maxInterval time.Duration) WaitOption {
	return func(c *waitConfig) error {
		var pc poll.Config
		if err := poll.Interval(first, maxInterval, DefaultPollMax)(&pc); err != nil {
			return err
		}
		c.initial, c.ceiling = pc.Initial, pc.Max
		return nil
	}
}

// WithMaxRetryTTL caps the retryTtl HypeAuditor may ask a wait for
// (default DefaultMaxRetryTTL, 10 min): a retryTtl longer than d ends the
// wait at once with an *ItemError whose Err is a *TimeoutError wrapping
// ErrRetryTTLTooLong, next to the last (not ready) answer, for the caller
// to decide, since the helpers never ask sooner than HypeAuditor said.
// It applies to the report, history and PDF waits (Reports.*AndWait);
// HypeAuditor sends no retryTtl to the market analysis waits, which
// refuse it.
func WithMaxRetryTTL(d time.Duration) WaitOption {
	return func(c *waitConfig) error {
		if d <= 0 {
			return fmt.Errorf("WithMaxRetryTTL: d must be > 0, got %s", d)
		}
		c.maxRetryTTL, c.maxRetryTTLSet = d, true
		return nil
	}
}

// Progress is how far a wait or a roster got, as WithProgress reports
// it: for a wait, after each check that found the report not ready; for
// Reports.GetAndWaitAll, once the inputs it answers at once are answered,
// and after every answer HypeAuditor gives it.
type Progress struct {
	// Op is the waiting call, e.g. "Reports.InstagramAndWait",
	// "Reports.GetAndWaitAll".
	Op string
	// Platform and Account name the report (the account as sent); on a
	// roster, the one just checked.
	Platform Platform
	Account  string
	// State is the last state seen: NOT_READY or REPORT_CALCULATING (on a
	// roster, the checked account's; a READY or failed state there
	// answered it).
	State ReportState
	// Checks is how many report requests were made so far (on a roster,
	// for all its accounts).
	Checks int
	// Elapsed is the time since the wait started.
	Elapsed time.Duration
	// Next is the wait before the next check: HypeAuditor's retryTtl, or
	// the wait's own interval (WithPollInterval); the last check before
	// the deadline may come sooner when it is the wait's own.
	Next time.Duration

	// The counts of a roster (Reports.GetAndWaitAll; zero for a wait):
	// Total inputs, Pending (not answered yet), and those answered with
	// a report (Succeeded) and with an *ItemError (Failed).
	Total, Pending, Succeeded, Failed int
}

// WithProgress calls fn after each check that found the report not ready,
// and as a roster goes on (see Progress). It runs on the waiting
// goroutine (a roster's caller's); keep it quick.
func WithProgress(fn func(Progress)) WaitOption {
	return func(c *waitConfig) error { c.progress = fn; return nil }
}

// newWaitConfig is a wait's config: the options over the defaults, and as
// many transient failures in a row as the client's retries (the one wait
// policy, see poll.Until).
func (c *Client) newWaitConfig(op string, opts []WaitOption) (waitConfig, error) {
	cfg := waitConfig{initial: DefaultPollInitial, ceiling: DefaultPollMax, maxRetryTTL: DefaultMaxRetryTTL, tolerate: c.t.MaxRetries()}
	if err := transport.ApplyOptions(vendor, op, &cfg, opts); err != nil {
		return cfg, err
	}
	if cfg.allowPartial && op != opRoster {
		return cfg, invalidParams(op, "options", "WithAllowPartial applies to Reports.GetAndWaitAll only: a single wait spends one credit at most")
	}
	return cfg, nil
}

// WithAllowPartial lets Reports.GetAndWaitAll go ahead when the plan's
// report credits (planInfo, checked before anything is spent) cannot
// cover every account of the roster this client has not seen unlocked:
// it then requests reports in input order until HypeAuditor refuses one
// for want of credits, and answers that account and every account not
// requested yet with ErrQuotaExceeded. By default such a roster is
// refused whole, before a credit is spent. The single waits refuse the
// option (ErrInvalidParams).
func WithAllowPartial() WaitOption {
	return func(c *waitConfig) error { c.allowPartial = true; return nil }
}

// waitFor asks get until the report is ready, a terminal outcome comes
// back, or the budget ends. A transient answer to a check (a 429 while
// another job fills the key's window, a 5xx, a lost connection, a body
// cut short) that outlasted the transport's retries is tried again after
// the wait's own interval, as many times in a row as the client's retries
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
// free (they reserve nothing and are retried like any GET).
//
// The wait before the next check is HypeAuditor's retryTtl when it sent
// one, never shorter (poll's StrictHint): when the next check would fall
// after the context's deadline, or the retryTtl exceeds cfg.maxRetryTTL,
// the wait stops at once. Otherwise it is the wait's own interval. When
// the wait ends without a result (the context, a retryTtl too long) it
// returns the last answer seen and an *ItemError whose Err is the
// *TimeoutError (see timedOut).
func waitFor[PT reportResult](ctx context.Context, c *Client, op string, rc *reportCall, cfg waitConfig, get func(ctx context.Context, free bool) (PT, error)) (r PT, err error) {
	// One observed call for the wait, its checks as calls inside it.
	ctx, end := c.t.Observe(ctx, op)
	checks := 0
	defer func() { end(checks, 0, err) }()
	answered := false
	start := time.Now()
	var last PT
	var lastState ReportState
	own := cfg.initial // the poller's next own interval, for Progress.Next
	pc := poll.Config{Initial: cfg.initial, Max: cfg.ceiling, Multiplier: 1.5, Jitter: -1, MaxHint: cfg.maxRetryTTL, StrictHint: true, Tolerate: cfg.tolerate}
	r, err = poll.Until(ctx, vendor, op, pc, func(ctx context.Context) (PT, poll.Status, error) {
		checks++
		next := own
		own = min(time.Duration(float64(own)*pc.Multiplier), pc.Max)
		r, err := get(ctx, answered)
		a := judge(r, err, rc.sendOnce)
		switch a.kind {
		case answerDone:
			return r, poll.Status{Done: true}, nil
		case answerAskAgain:
			return last, poll.Status{}, a.err
		case answerFailed:
			return r, poll.Status{}, a.err
		}
		answered = true
		state, hint := a.state, a.hint
		if state == StateNotReady {
			last = r
		} else {
			r = last
		}
		if hint > 0 {
			next = hint
		}
		lastState = state
		desc := fmt.Sprintf("%s (next check in %s)", state, next.Round(time.Millisecond))
		if cfg.progress != nil && hint <= cfg.maxRetryTTL {
			cfg.progress(Progress{Op: op, Platform: rc.network, Account: rc.account, State: state, Checks: checks, Elapsed: time.Since(start), Next: next})
		}
		return r, poll.Status{Hint: hint, Describe: desc}, nil
	})
	if te := (*TimeoutError)(nil); errors.As(err, &te) {
		ie := rc.timedOut(lastState, te)
		c.t.RedactValue(ie)
		err = ie
	}
	return r, err
}

// answerKind sorts one answer to a report request, for a wait or a
// roster.
type answerKind int

const (
	// answerWaiting: NOT_READY (with HypeAuditor's retryTtl, or none) or
	// REPORT_CALCULATING: ask again later; HypeAuditor answered, so the
	// next requests are free.
	answerWaiting answerKind = iota
	// answerDone: the report (READY, READY_LOW_CONFIDENCE, or an answer
	// without a state, taken as done).
	answerDone
	// answerAskAgain: the answer to a request that may have unlocked the
	// report was lost; asking again is free if it did (err is askAgain,
	// transient for the one wait policy).
	answerAskAgain
	// answerFailed: err ends the wait, unless it is transient (a 429, a
	// 5xx, a lost connection that outlasted the transport's retries),
	// which the one wait policy tries again.
	answerFailed
)

// answer is what one answer to a report request means for a wait.
type answer struct {
	kind  answerKind
	state ReportState   // answerWaiting: NOT_READY or REPORT_CALCULATING
	hint  time.Duration // answerWaiting: HypeAuditor's retryTtl; 0 when it sent none
	err   error         // answerAskAgain, answerFailed
}

// judge reads one answer (r is set when err is nil) the way every report
// wait does (waitFor, Reports.GetAndWaitAll): a REPORT_CALCULATING
// *ItemError is waited out; a lost answer to a request that may have
// unlocked the report is asked again (not so a market analysis creation,
// sendOnce, nor a success answer the SDK could not use); any other error
// is the wait's failure; NOT_READY waits HypeAuditor's retryTtl when it
// sent one.
func judge[PT reportResult](r PT, err error, sendOnce bool) answer {
	if err != nil {
		var ie *ItemError
		switch {
		case errors.As(err, &ie) && ReportState(ie.State) == StateReportCalculating:
			return answer{kind: answerWaiting, state: StateReportCalculating}
		case errors.Is(err, ErrOutcomeUnknown) && !sendOnce && !unusableAnswer(err):
			return answer{kind: answerAskAgain, err: askAgain{err}}
		}
		return answer{kind: answerFailed, err: err}
	}
	st := r.status()
	if !st.NotReady() {
		return answer{kind: answerDone}
	}
	a := answer{kind: answerWaiting, state: StateNotReady}
	if ttl := st.RetryTTL; ttl != nil && *ttl > 0 {
		a.hint = st.RetryAfter()
	}
	return a
}

// timedOut is the *ItemError of a wait that ended without a result: the
// context ended, or HypeAuditor asked for a longer wait than allowed. Err
// is the *TimeoutError (errors.As finds it, errors.Is sees the context's
// error or ErrRetryTTLTooLong, and the last transient failure); State is
// the last state seen ("" when no check was answered). The report, paid
// by then, keeps generating: the reason names the call that reads it.
func (rc reportCall) timedOut(last ReportState, te *TimeoutError) *ItemError {
	reason := "not ready when the wait ended; it keeps going: ask again later with " + rc.later()
	if errors.Is(te.Err, ErrRetryTTLTooLong) {
		reason = "HypeAuditor asked to wait longer than WithMaxRetryTTL allows; ask again later with " + rc.later()
	}
	return rc.itemError(string(last), reason, te)
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
// outlasted the transport's retries) is tried again after the wait's own
// interval (WithPollInterval), as many times in a row as the client's
// WithMaxRetries; one more ends the wait with that failure (so with
// WithMaxRetries(0) the first does). The other AndWait helpers behave the
// same.
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
// an *ItemError (Item "instagram/@<username>" or "instagram/id:<user id>",
// State the last state seen, Err the *TimeoutError) when the context ends
// first, when the next retryTtl would end after its deadline, or when a
// retryTtl is longer than WithMaxRetryTTL (the TimeoutError's Err is then
// ErrRetryTTLTooLong); nil and the *Error of a refusal (ErrQuotaExceeded,
// ErrUnauthorized, ErrBudgetExceeded or ErrInvalidParams before anything
// is sent, ...), or of the check that failed one time more than the
// client's retries in a row.
func (s *ReportsService) InstagramAndWait(ctx context.Context, p InstagramParams, opts ...WaitOption) (*InstagramReport, error) {
	const op = "Reports.InstagramAndWait"
	rc, cfg, err := s.c.prepare(op, opts, func() (reportCall, error) { return p.call(op) })
	if err != nil {
		return nil, err
	}
	return waitFor(ctx, s.c, op, &rc, cfg, func(ctx context.Context, free bool) (*InstagramReport, error) {
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
	return waitFor(ctx, s.c, op, &rc, cfg, func(ctx context.Context, free bool) (*TikTokReport, error) {
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
	return waitFor(ctx, s.c, op, &rc, cfg, func(ctx context.Context, free bool) (*YouTubeReport, error) {
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
	return waitFor(ctx, s.c, op, &rc, cfg, func(ctx context.Context, free bool) (*TwitchHistory, error) {
		return fetchReport[TwitchHistory](ctx, s.c, rc, free)
	})
}

func (s *ReportsService) networkAndWait(ctx context.Context, op string, net Platform, path string, p ChannelParams, opts []WaitOption) (*NetworkReport, error) {
	rc, cfg, err := s.c.prepare(op, opts, func() (reportCall, error) { return p.call(op, net, path) })
	if err != nil {
		return nil, err
	}
	r, err := waitFor(ctx, s.c, op, &rc, cfg, func(ctx context.Context, free bool) (*NetworkReport, error) {
		return fetchReport[NetworkReport](ctx, s.c, rc, free)
	})
	if r != nil {
		r.Platform = net
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
