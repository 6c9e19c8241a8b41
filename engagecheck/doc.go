// Package engagecheck is a client for the EngageCheck API
// (https://engagecheck.com/api/v1): audience-quality audits of Instagram
// handles. Submit one handle or up to 50 at once, poll or receive a
// webhook, and read the key's credits.
//
// Like every creatorkit-go package: NewClient(opts ...Option), services as
// fields (c.Audits, c.Credits), <Call>AndWait waits with WaitOption
// (Audits.GetAndWait, Audits.CreateAndWait; WithPollInterval,
// WithProgress), ...All iterators with ListOption caps (Audits.ListAll;
// WithMaxPages, WithMaxItems) and rosters named after their call
// (Audits.CreateAndWaitAll), ItemError per item, Summary() on creator
// results (Audit.Summary), and errors are *Error with the kinds of package
// creatorkit (ErrNotFound, ...), re-exported here under the same names and
// values. The credentials option is WithAPIKey, as EngageCheck calls its
// credential an API key; WithAPIKeyHeader sends it as X-API-Key instead of
// a Bearer token, the other scheme EngageCheck accepts. EngageCheck audits
// Instagram only, so the package has no Platform type.
//
//	c, err := engagecheck.NewClient(engagecheck.WithAPIKey("ec_live_..."))  // or $ENGAGECHECK_API_KEY
//	a, err := c.Audits.CreateAndWait(ctx, engagecheck.CreateAuditParams{Username: "natgeo"}) // submit + wait
//	s := a.Summary()                                                        // followers, ER %, AQS
//	for ans, err := range c.Audits.CreateAndWaitAll(ctx, roster) {          // any number of handles
//		var ie *engagecheck.ItemError                                        // one Answer per input: ans.Index, ans.Input
//		if errors.As(err, &ie) {
//			fmt.Printf("%s: %s\n", ans.Input, ie.Reason)                     // why this input has no report
//		}
//	}
//	var out struct{ Count int `json:"count"` }
//	meta, err := c.Do(ctx, http.MethodGet, "audits", url.Values{"limit": {"1"}}, nil, &out) // the escape hatch
//
// CreateAndWaitAll answers every input once, tied to it, and pays for a
// handle once: it reads each audit when its batch's observed pace says it
// is done (about one request per handle), or, with WithWebhooks and a
// WebhookReceiver mounted at a public URL, takes each result from its
// webhook (one request per 50 handles); WithReuseRecent adopts the key's
// recent audits instead of paying for them again. Client.Do is the escape
// hatch, as go-github's NewRequest/Do: a call the SDK has no method for,
// through the same pipeline (auth, pacing on the same limiter, retries,
// redaction, Usage and the budget).
//
// Every audit spends one credit; failed, private and not-found audits are
// refunded by EngageCheck. The client never resends a credit-spending
// request that may have reached the server: it reconciles against the free
// recent-audits list instead. It paces itself under the key's 60 requests a
// minute, honours Retry-After and X-RateLimit-* headers, and retries 429s,
// connection failures and (for reads) 5xx responses with jittered backoff.
// WithMaxRetries means the same for a wait as for one call: the waits
// (GetAndWait, CreateAndWait) and CreateAndWaitAll outlast as many
// transient failures in a row as the client's retries (default 3), and
// the next one ends them with that failure; the context bounds them too.
// Client.Usage counts requests and credits (spent, and spent on submits
// whose answer was lost), net of the refunds the client sees; WithBudget
// (NewBudget(n), shareable across clients) refuses a submit the budget
// cannot hold before anything is sent, and CreateAndWaitAll sizes its
// batches to it.
//
// Errors are *Error values; test them with errors.Is against ErrNotFound,
// ErrQuotaExceeded (402: no credits; only that kind), ErrRateLimited,
// ErrUnauthorized, ErrInvalidParams (bad input, nothing sent) and the
// rest. EngageCheck sends no error codes ({"error":"message"}), so the
// package has no CodeOf. A handle without a report is an *ItemError: Input
// is the input as given, Item the audit as EngageCheck knows it
// ("instagram/@natgeo", or "instagram/id:142" for an id), ID the audit id
// (IDInt64 reads it for Audits.Get), State the audit's last status, Reason
// why (EngageCheck's error_message and the refund, or the SDK's
// explanation; never empty), and Err the cause: ErrAuditFailed for an
// audit EngageCheck failed (refunded), ErrInvalidParams for an input that
// is not a handle, ErrQuotaExceeded for a handle the credits could not
// cover, the *Error that stopped the SDK, or a *TimeoutError when the
// context ended first (in the waits and in CreateAndWaitAll alike;
// errors.Is(err, context.DeadlineExceeded) holds).
//
// EngageCheck's engagement rate arrives only as display text ("3.10% ER"
// in the engagement_rate signal); Report.EngagementRate holds it as a
// number (ParseEngagementRate reads the text). Audit.Summary and
// WebhookEvent.Summary give the common creator summary; EngageCheck
// reports no audience breakdown and no average likes or comments, so
// those parts stay empty.
//
// Answers are decoded tolerantly: a value that does not fit its Go type is
// left zero and listed in the result's Response.DecodeIssues, and only the
// control fields the SDK needs to go on (ids, statuses, the handles of batch
// rows, credits_remaining, the shape of row lists) make a call fail with
// ErrUnexpectedResponse. In the recent-audits list a bad row costs only
// that row: a row the SDK cannot follow (null, or without a usable id,
// username, status or created_at) is skipped and reported, and the page's
// other rows are kept (see AuditList). WithStrictDecoding makes any
// mismatch an error. An answer to a paid submit whose control fields
// cannot be read is reconciled against the list like a lost one.
//
// Handles, audit ids, idempotency keys and API keys are checked before
// anything is sent (ErrInvalidParams, no request, no credit). A key a
// server or proxy echoes back never reaches an error, a result or a log
// line, and webhook errors never repeat a secret of the delivery's URL or
// headers.
//
// The engagechecktest package runs a fake EngageCheck in-process for tests
// and examples.
//
// Assumptions, where the documentation is silent: webhooks carry no
// signature (WithWebhookVerifier is the hook for your own check);
// idempotency keys are sent when given but not relied upon; list rows are
// newest first; created_at without a zone is UTC; the engagement rate's
// display text carries the rate in percent.
package engagecheck

//go:generate go run ../internal/cmd/gengetters .
