package hypeauditor

import (
	"container/heap"
	"context"
	"errors"
	"fmt"
	"iter"
	"strings"
	"time"

	"github.com/creatorkit/creatorkit-go/internal/poll"
	"github.com/creatorkit/creatorkit-go/internal/roster"
	"github.com/creatorkit/creatorkit-go/internal/transport"
)

const (
	opGet        = "Reports.Get"
	opGetAndWait = "Reports.GetAndWait"
	opRoster     = "Reports.GetAndWaitAll"
)

// rosterInFlight is how many requests a roster has in flight at once: the
// client's limiter paces them (under 100 a minute); a few at once keep
// that pace when each answer takes a second or two to come.
const rosterInFlight = 4

// Get returns the report of an account on any platform, or its NOT_READY
// state while it is generated: the platform's own call (Reports.Instagram,
// TikTok, YouTube, Twitch, Twitter or Snapchat) with its spend, outcomes
// and errors, its report in the AnyReport field of the platform.
func (s *ReportsService) Get(ctx context.Context, ref ReportRef) (*AnyReport, error) {
	rc, err := ref.call(opGet)
	if err != nil {
		return nil, err
	}
	return s.c.fetchAny(ctx, rc, false)
}

// GetAndWait requests the report of an account on any platform and waits
// until it is ready: the platform's own wait (Reports.InstagramAndWait and
// the others; see InstagramAndWait for the waiting, the spend and the
// outcomes), its report in the AnyReport field of the platform.
func (s *ReportsService) GetAndWait(ctx context.Context, ref ReportRef, opts ...WaitOption) (*AnyReport, error) {
	rc, cfg, err := s.c.prepare(opGetAndWait, opts, func() (reportCall, error) { return ref.call(opGetAndWait) })
	if err != nil {
		return nil, err
	}
	return waitFor(ctx, s.c, opGetAndWait, &rc, cfg, func(ctx context.Context, free bool) (*AnyReport, error) {
		return s.c.fetchAny(ctx, rc, free)
	})
}

// fetchAny is fetchReport for the platform of rc, its report in an
// AnyReport (nil when the answer had none).
func (c *Client) fetchAny(ctx context.Context, rc reportCall, free bool) (*AnyReport, error) {
	a := &AnyReport{Platform: rc.network}
	var err error
	switch rc.network {
	case Instagram:
		if a.Instagram, err = fetchReport[InstagramReport](ctx, c, rc, free); a.Instagram != nil {
			a.Raw, a.Response = a.Instagram.Raw, a.Instagram.Response
		}
	case TikTok:
		if a.TikTok, err = fetchReport[TikTokReport](ctx, c, rc, free); a.TikTok != nil {
			a.Raw, a.Response = a.TikTok.Raw, a.TikTok.Response
		}
	case YouTube:
		if a.YouTube, err = fetchReport[YouTubeReport](ctx, c, rc, free); a.YouTube != nil {
			a.Raw, a.Response = a.YouTube.Raw, a.YouTube.Response
		}
	default:
		if a.Network, err = fetchReport[NetworkReport](ctx, c, rc, free); a.Network != nil {
			a.Network.Platform = rc.network
			a.Raw, a.Response = a.Network.Raw, a.Network.Response
		}
	}
	if a.inner() == nil {
		return nil, err
	}
	return a, err
}

// GetAndWaitAll is GetAndWait for a roster of any size on any mix of
// platforms: it yields exactly one Answer per input, success or failure,
// with the input's index and the input as given, as each is settled.
//
// Each input is a report reference as ParseReportRef reads it:
// "<platform>/<account>" ("instagram/@natgeo", "tiktok/id:6557821753438371845",
// "youtube/id:UCLA_DiR1FfKNvjuUpBHmylQ") or a profile URL
// ("https://www.instagram.com/natgeo/"). Strings, not ReportRefs: an
// agency's roster is a column of a spreadsheet or CSV export (a profile
// URL, or a platform and a handle to join with "/"), taken as it is, and
// an input that names no account is one answer among the others, not a
// refusal of the whole roster; the Answer gives back the input exactly as
// given. ReportRef.String writes a reference built in code, and an
// ItemError's Item can be fed back as an input.
//
// The value is an *AnyReport: the reports of the six platforms differ, so
// it holds the platform's own report in its field, and Summary gives the
// common creator summary whatever the platform.
//
// Answers:
//
//   - (report, nil) for a READY or READY_LOW_CONFIDENCE report;
//   - (nil, *ItemError) for an account HypeAuditor cannot report on (Err
//     ErrReportUnavailable, State PRIVATE, DELETED, ...; the credit is
//     refunded);
//   - (nil, *ItemError) at once, nothing sent, for a blank or an input
//     that names no account (Err the ErrInvalidParams *Error of
//     ParseReportRef; Item empty), for an account the client's budget
//     cannot hold (WithBudget; Err ErrBudgetExceeded), and for every
//     account when the plan's report credits cannot cover the roster
//     (Err ErrQuotaExceeded; see below);
//   - (last, *ItemError) when the context ends first: Err is a
//     *TimeoutError (errors.Is sees the context's error), State the last
//     state seen, last the NOT_READY report when one came (nil
//     otherwise), and Reason says whether the account's report was
//     requested (it keeps generating; ask again later with Reports.Get,
//     free within the year) or never sent (nothing spent). So is an
//     account whose next check, never sooner than its retryTtl, would
//     fall after the context's deadline (answered then, not at the
//     deadline), or whose retryTtl is longer than WithMaxRetryTTL (Err's
//     Err is ErrRetryTTLTooLong);
//   - (last, *ItemError) wrapping the failure of a check that failed
//     transiently (a 429, a 5xx, a lost connection, after the
//     transport's retries) one time more in a row than the client's
//     WithMaxRetries, or at once of any other refusal.
//
// Inputs that stand for the same account (the same platform and account
// after normalization: "instagram/@NatGeo", "https://instagram.com/natgeo"
// and "instagram/natgeo" are one; a user id and a name are two) each get
// their own Answer with the one result: the account is requested once
// and paid once. Duplicates, blanks and invalid inputs count in Progress.
//
// Spend, before anything is spent: with WithBudget, the roster is sized
// to what remains of the budget, one credit per account this client has
// not seen unlocked, in input order; the accounts past it are answered
// with ErrBudgetExceeded and nothing is sent for them. Then one free
// planInfo request reads the plan's report credits: when they cannot
// cover those accounts the whole roster is answered with ErrQuotaExceeded
// and nothing is spent, unless WithAllowPartial (accounts already
// unlocked, by another client or an earlier run, cost nothing on
// HypeAuditor's side but are counted here: WithAllowPartial lets such a
// roster go on). Each account then costs what its AndWait costs: one
// credit for its first request, the later checks free; a lost answer to
// the first request is asked again, free if it unlocked the report
// (Client.Usage). When HypeAuditor refuses a request for want of credits
// (402) the account and every account not requested yet are answered
// with ErrQuotaExceeded, and the accounts already requested are still
// collected (their checks are free).
//
// Scheduling: the roster keeps, per account, when its next request is
// due, and sends the earliest due first, up to four requests in flight,
// all paced by the client's limiter (DefaultRateLimit: under 100 a
// minute, shared with every other call of the client). An account's
// first request is due at once, in input order; each later check is due
// HypeAuditor's retryTtl after the answer that sent it, never sooner (the
// wait's own WithPollInterval intervals where it sent none: a report
// still calculating, a check that failed transiently). So an account
// costs at most what its single wait would (its first request and one
// per retryTtl until the report is ready), and fewer on a large roster:
// while the first requests of the roster go out at the limiter's pace,
// the early reports get ready, and one check finds each (a 1,000-account
// roster on the fake: 2 requests per account; it takes about
// 2 × accounts / 94 minutes at the default limit).
//
// Everything is decided and yielded on the caller's goroutine; the
// requests in flight run beside it and end before the iterator returns.
// WithProgress reports the counts (Total, Pending, Succeeded, Failed)
// after every answer; WithObserver sees one call whose Polls count the
// report requests and Items the inputs answered. break stops the roster
// (requests in flight are cancelled; reports already requested keep
// generating on HypeAuditor's side). Bad options are answered per input:
// each gets an *ItemError wrapping the ErrInvalidParams *Error, nothing
// sent.
func (s *ReportsService) GetAndWaitAll(ctx context.Context, refs []string, opts ...WaitOption) iter.Seq2[Answer[*AnyReport], error] {
	return func(yield func(Answer[*AnyReport], error) bool) {
		cfg, cfgErr := s.c.newWaitConfig(opRoster, opts)
		ctx, end := s.c.t.Observe(ctx, opRoster)
		r := &rosterRun{c: s.c, cfg: cfg, items: map[string]*rosterItem{}, start: time.Now()}
		var invalid []error
		r.book, invalid = roster.New(vendor, opRoster, refs, r.key, yield)
		defer func() {
			total, pending, _, _ := r.book.Counts()
			end(r.checks, total-pending, r.stopErr)
		}()
		if !r.book.Refuse(invalid, func(_ string, err error) string { return "not sent: " + message(err) }) {
			return
		}
		if cfgErr != nil {
			r.failAll(cfgErr, "not sent: "+message(cfgErr))
			return
		}
		r.progress(nil, 0)
		if !r.size() || !r.checkPlan(ctx) {
			return
		}
		r.run(ctx)
	}
}

// message is an error's text for a Reason: an *Error's own message.
func message(err error) string {
	var e *Error
	if errors.As(err, &e) && e.Message != "" {
		return e.Message
	}
	return err.Error()
}

// rosterItem is one distinct account of a roster.
type rosterItem struct {
	key string
	rc  reportCall
	seq int       // its place among the distinct accounts, for ties
	due time.Time // when its next request may go
	idx int       // its place in the queue; -1 when not queued

	sent       bool // its first request was handed to the transport
	answered   bool // HypeAuditor answered it: the next requests are free
	lastChance bool // the next check was shrunk to fit the deadline: the last
	checks     int  // requests made for it
	transient  int  // of them, failed transiently
	inARow     int  // transient failures in a row
	lastErr    error
	last       *AnyReport  // the last NOT_READY answer
	state      ReportState // the last state seen
	own        time.Duration
}

// rosterRun is one GetAndWaitAll: everything it holds is read and
// written on the caller's goroutine.
type rosterRun struct {
	c       *Client
	cfg     waitConfig
	book    *roster.Book[*AnyReport]
	items   map[string]*rosterItem
	order   []*rosterItem // in input order
	queue   dueQueue
	start   time.Time
	checks  int   // report requests answered (Observe's polls)
	stopErr error // the context's error when it ended the roster
}

// key reads an input: its account's key (the platform and the account
// as HypeAuditor knows it, a name in lower case), remembering the first
// input's request for it.
func (r *rosterRun) key(in string) (string, error) {
	ref, err := ParseReportRef(in)
	if err != nil {
		return "", err
	}
	rc, err := ref.call(opRoster)
	if err != nil {
		return "", err
	}
	k := rc.item()
	if !rc.byID && !(rc.network == YouTube && youTubeChannelID(rc.account)) {
		k = strings.ToLower(k)
	}
	if r.items[k] == nil {
		rc.input = in
		it := &rosterItem{key: k, rc: rc, seq: len(r.order), idx: -1, own: r.cfg.initial}
		r.items[k] = it
		r.order = append(r.order, it)
	}
	return k, nil
}

// pending returns the accounts not answered yet, in input order; paid
// keeps only those this client has not seen unlocked (their first request
// may cost a credit).
func (r *rosterRun) pending(paid bool) []*rosterItem {
	var out []*rosterItem
	now := time.Now()
	for _, it := range r.order {
		if r.book.Answered(it.key) || (paid && (it.answered || r.c.book.free(it.rc.accountKey(), now))) {
			continue
		}
		out = append(out, it)
	}
	return out
}

// size answers the accounts the client's budget cannot hold, nothing
// sent for them; false when the consumer stopped.
func (r *rosterRun) size() bool {
	b := r.c.t.Budget("")
	if b == nil {
		return true
	}
	paid := r.pending(true)
	left := b.Remaining()
	if int64(len(paid)) <= left {
		return true
	}
	over := paid[max(left, 0):]
	cause := transport.NewError(vendor, opRoster, ErrBudgetExceeded, "the roster needs %d report credits and the budget (WithBudget) has %d left", len(paid), max(left, 0))
	for _, it := range over {
		if !r.done(it, nil, r.itemError(it, "", "not sent: the client's budget (WithBudget) cannot hold this account's report credit", cause)) {
			return false
		}
	}
	return true
}

// checkPlan reads the plan's report credits (planInfo, free) when an
// account may cost one, and refuses a roster they cannot cover unless
// WithAllowPartial; false when the roster ends here.
func (r *rosterRun) checkPlan(ctx context.Context) bool {
	need := len(r.pending(true))
	if need == 0 {
		return true
	}
	pc := poll.Config{Initial: r.cfg.initial, Max: r.cfg.ceiling, Multiplier: 1.5, Jitter: -1, Tolerate: r.cfg.tolerate}
	plan, err := poll.Until(ctx, vendor, opRoster, pc, func(ctx context.Context) (*PlanInfo, poll.Status, error) {
		p, err := r.c.Account.PlanInfo(ctx)
		return p, poll.Status{Done: err == nil, Describe: "reading the plan's report credits"}, err
	})
	var te *TimeoutError
	switch {
	case errors.As(err, &te):
		r.stopErr = te.Err
		r.book.FailRest(func(k string) (*AnyReport, error) { return nil, r.timeout(r.items[k], te.Err) })
		return false
	case err != nil:
		r.failAll(err, "not sent: the plan's report credits could not be read (Account.PlanInfo)")
		return false
	}
	credits := int64(plan.Reports.Credits)
	if credits >= int64(need) || r.cfg.allowPartial {
		return true
	}
	cause := transport.NewError(vendor, opRoster, ErrQuotaExceeded,
		"the roster needs up to %d report credits (its accounts this client has not seen unlocked) and the plan has %d left", need, credits)
	r.failAll(cause, "not sent: the plan's report credits cannot cover the roster; nothing was spent (WithAllowPartial reports on as many accounts as they cover)")
	return false
}

// failAll answers every account not answered yet with cause.
func (r *rosterRun) failAll(cause error, reason string) {
	r.book.FailRest(func(k string) (*AnyReport, error) { return nil, r.itemError(r.items[k], "", reason, cause) })
}

// rosterResult is one request's outcome.
type rosterResult struct {
	it  *rosterItem
	v   *AnyReport
	err error
}

// run sends each account's requests as they fall due and answers every
// account, until all are answered, the consumer stops or the context
// ends.
func (r *rosterRun) run(ctx context.Context) {
	for _, it := range r.pending(false) {
		it.due = r.start
		heap.Push(&r.queue, it)
	}
	reqCtx, cancel := context.WithCancel(ctx)
	results := make(chan rosterResult, rosterInFlight)
	inFlight := 0
	defer func() {
		cancel()
		for ; inFlight > 0; inFlight-- {
			<-results
		}
	}()
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	for !r.book.Stopped() && ctx.Err() == nil {
		now := time.Now()
		for inFlight < rosterInFlight && r.queue.Len() > 0 && !r.queue[0].due.After(now) {
			it := heap.Pop(&r.queue).(*rosterItem)
			it.sent = true
			inFlight++
			free := it.answered
			go func() {
				v, err := r.c.fetchAny(reqCtx, it.rc, free)
				results <- rosterResult{it, v, err}
			}()
		}
		if inFlight == 0 && r.queue.Len() == 0 {
			return
		}
		var wake <-chan time.Time
		if inFlight < rosterInFlight && r.queue.Len() > 0 {
			timer.Reset(r.queue[0].due.Sub(now))
			wake = timer.C
		}
		select {
		case res := <-results:
			inFlight--
			r.handle(ctx, res)
		case <-wake:
		case <-ctx.Done():
		}
	}
	if r.book.Stopped() {
		return
	}
	// The context ended: what is in flight ends with it (an answer that
	// came in time still counts), then every account left times out.
	r.stopErr = ctx.Err()
	cancel()
	for ; inFlight > 0; inFlight-- {
		r.handle(ctx, <-results)
	}
	r.book.FailRest(func(k string) (*AnyReport, error) {
		it := r.items[k]
		return it.last, r.timeout(it, ctx.Err())
	})
}

// handle reads one request's answer, as a wait would (judge), and
// answers the account or schedules its next request.
func (r *rosterRun) handle(ctx context.Context, res rosterResult) {
	it := res.it
	it.checks++
	r.checks++
	now := time.Now()
	a := judge(res.v, res.err, false)
	var next time.Duration
	switch a.kind {
	case answerDone:
		r.done(it, res.v, nil)
	case answerWaiting:
		it.answered, it.inARow, it.state = true, 0, a.state
		if a.state == StateNotReady {
			it.last = res.v
		}
		next = r.schedule(ctx, it, a.hint, now)
	default:
		next = r.failed(ctx, it, a.err, now)
	}
	r.progress(it, next)
}

// failed handles a request that failed; it returns the wait before the
// account's next request when there is one.
func (r *rosterRun) failed(ctx context.Context, it *rosterItem, err error, now time.Time) time.Duration {
	switch {
	case errors.Is(err, context.DeadlineExceeded) || (ctx.Err() != nil && errors.Is(err, context.Canceled)):
		// The budget ran out (the context ended, or the limiter's next
		// slot lies past the deadline): a timeout, not a failure.
		var de *DelayError
		if errors.As(err, &de) {
			// Nothing was sent: the limiter had no slot before the
			// deadline.
			it.checks--
			r.checks--
			it.sent = it.checks > 0
		}
		r.done(it, it.last, r.timeout(it, ctxErr(ctx, err)))
	case errors.Is(err, ErrQuotaExceeded):
		r.done(it, it.last, r.itemError(it, string(it.state), "HypeAuditor has no report credits left for it (nothing was spent on it)", err))
		r.refuseUnsent(transport.NewError(vendor, opRoster, ErrQuotaExceeded, "HypeAuditor refused a report request of the roster: no report credits left"),
			"not sent: HypeAuditor has no report credits left (nothing was spent on it)")
	case errors.Is(err, ErrBudgetExceeded):
		// Other calls spent the shared budget since the roster was sized.
		r.done(it, it.last, r.itemError(it, string(it.state), "not sent: the client's budget (WithBudget) cannot hold this account's report credit", err))
		r.refuseUnsent(transport.NewError(vendor, opRoster, ErrBudgetExceeded, "the client's budget (WithBudget) has no report credit left for the roster"),
			"not sent: the client's budget (WithBudget) cannot hold this account's report credit")
	case poll.IsTransient(err):
		it.transient++
		it.inARow++
		it.lastErr = err
		if it.inARow > r.cfg.tolerate {
			r.done(it, it.last, r.itemError(it, string(it.state),
				fmt.Sprintf("%d requests in a row failed transiently, one more than the client's retries (WithMaxRetries)", it.inARow), err))
			return 0
		}
		return r.schedule(ctx, it, 0, now)
	default:
		var ie *ItemError
		if !errors.As(err, &ie) {
			ie = r.itemError(it, string(it.state), "the request failed", err)
		}
		r.done(it, nil, ie)
	}
	return 0
}

// refuseUnsent answers every account whose first request was not sent
// yet, and may cost a credit, with cause: no request is sent for them.
func (r *rosterRun) refuseUnsent(cause error, reason string) {
	for _, it := range r.pending(true) {
		if !it.sent && !r.done(it, nil, r.itemError(it, "", reason, cause)) {
			return
		}
	}
}

// schedule queues the account's next request: hint (HypeAuditor's
// retryTtl) after now, never sooner, else the account's own interval, as
// a single wait would (waitFor's poll.Until): a retryTtl longer than
// WithMaxRetryTTL, or a next request that cannot fit before the deadline,
// answers it now with a timeout. It returns the wait.
func (r *rosterRun) schedule(ctx context.Context, it *rosterItem, hint time.Duration, now time.Time) time.Duration {
	next, strict := hint, hint > 0
	if !strict {
		next = it.own
		it.own = min(time.Duration(float64(it.own)*1.5), r.cfg.ceiling)
	}
	if strict && hint > r.cfg.maxRetryTTL {
		r.done(it, it.last, r.timeout(it, fmt.Errorf("%w: asked %s, cap %s", ErrRetryTTLTooLong, hint, r.cfg.maxRetryTTL)))
		return 0
	}
	if dl, ok := ctx.Deadline(); ok {
		remaining := dl.Sub(now)
		switch {
		case it.lastChance || remaining <= 0 || (strict && next+next/20 >= remaining):
			r.done(it, it.last, r.timeout(it, context.DeadlineExceeded))
			return 0
		case next >= remaining:
			next, it.lastChance = remaining*9/10, true
		}
	}
	it.due = now.Add(next)
	heap.Push(&r.queue, it)
	return next
}

// done answers every input of the account, taking it off the queue;
// false when the consumer stopped.
func (r *rosterRun) done(it *rosterItem, v *AnyReport, err error) bool {
	if it.idx >= 0 {
		heap.Remove(&r.queue, it.idx)
	}
	return r.book.Done(it.key, v, err)
}

// itemError is the account's *ItemError (the book gives each input its
// own copy, with its Index and Input).
func (r *rosterRun) itemError(it *rosterItem, state, reason string, cause error) *ItemError {
	ie := it.rc.itemError(state, reason, cause)
	r.c.t.RedactValue(ie)
	return ie
}

// timeout is the *ItemError of an account the roster stopped waiting
// for: Err a *TimeoutError (cause: the context's error, or
// ErrRetryTTLTooLong), the reason saying whether its report was
// requested.
func (r *rosterRun) timeout(it *rosterItem, cause error) *ItemError {
	last := string(it.state)
	if !it.sent {
		last = "not sent"
	}
	te := &TimeoutError{Vendor: vendor, Op: opRoster, Last: last, Checks: it.checks, Elapsed: time.Since(r.start),
		TransientErrors: it.transient, LastError: it.lastErr, Err: cause}
	switch {
	case !it.sent:
		return r.itemError(it, "", "not sent: the roster ended before its turn (nothing was spent on it)", te)
	case !it.answered:
		return r.itemError(it, "", "no answer before the roster ended: if the request reached HypeAuditor the report is generating; ask again later with "+it.rc.later(), te)
	}
	ie := it.rc.timedOut(it.state, te)
	r.c.t.RedactValue(ie)
	return ie
}

// ctxErr is the context's error, or the one err carries when the context
// has not ended yet (the limiter's next slot lies past the deadline).
func ctxErr(ctx context.Context, err error) error {
	if e := ctx.Err(); e != nil {
		return e
	}
	if errors.Is(err, context.Canceled) {
		return context.Canceled
	}
	return context.DeadlineExceeded
}

// progress reports the roster's counts, after it (nil at the start) was
// checked.
func (r *rosterRun) progress(it *rosterItem, next time.Duration) {
	if r.cfg.progress == nil || r.book.Stopped() {
		return
	}
	p := Progress{Op: opRoster, Checks: r.checks, Elapsed: time.Since(r.start), Next: next}
	p.Total, p.Pending, p.Succeeded, p.Failed = r.book.Counts()
	if it != nil {
		p.Platform, p.Account, p.State = it.rc.network, it.rc.account, it.state
	}
	r.cfg.progress(p)
}

// dueQueue orders the queued accounts by when their next request is due,
// then by input order.
type dueQueue []*rosterItem

func (q dueQueue) Len() int { return len(q) }
func (q dueQueue) Less(i, j int) bool {
	if !q[i].due.Equal(q[j].due) {
		return q[i].due.Before(q[j].due)
	}
	return q[i].seq < q[j].seq
}
func (q dueQueue) Swap(i, j int) {
	q[i], q[j] = q[j], q[i]
	q[i].idx, q[j].idx = i, j
}
func (q *dueQueue) Push(x any) {
	it := x.(*rosterItem)
	it.idx = len(*q)
	*q = append(*q, it)
}
func (q *dueQueue) Pop() any {
	old := *q
	it := old[len(old)-1]
	old[len(old)-1] = nil
	it.idx = -1
	*q = old[:len(old)-1]
	return it
}
