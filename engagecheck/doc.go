// Package engagecheck is a client for the EngageCheck API
// (https://engagecheck.com/api/v1): audience-quality audits of Instagram
// handles. Submit one handle or up to 50 at once, poll or receive a
// webhook, and read the key's credits.
//
//	c, err := engagecheck.NewClient(engagecheck.WithAPIKey("ec_live_..."))
//	a, err := c.Audits.Run(ctx, "natgeo")              // submit + wait
//	for a, err := range c.Audits.RunAll(ctx, roster) { // any number of handles
//		...
//	}
//
// Every audit spends one credit; failed, private and not-found audits are
// refunded by EngageCheck. The client never resends a credit-spending
// request that may have reached the server: it reconciles against the free
// recent-audits list instead. It paces itself under the key's 60 requests a
// minute, honours Retry-After and X-RateLimit-* headers, and retries 429s,
// connection failures and (for reads) 5xx responses with jittered backoff.
//
// Errors are *Error values; test them with errors.Is against ErrNotFound,
// ErrQuotaExceeded (402: no credits), ErrRateLimited, ErrUnauthorized,
// ErrInvalidParams (bad input, nothing sent) and the rest. An audit that
// EngageCheck failed is an *AuditError with ErrAuditFailed.
//
// Answers are decoded tolerantly: a value that does not fit its Go type is
// left zero and listed in the result's Response.DecodeIssues, and only the
// control fields the SDK needs to go on (ids, statuses, the handles of batch
// rows, creation times of list rows, credits_remaining, the shape of row
// lists) make a call fail with ErrUnexpectedResponse. WithStrictDecoding
// makes any mismatch an error. An answer to a paid submit whose control
// fields cannot be read is reconciled against the list like a lost one.
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
// newest first; created_at without a zone is UTC.
package engagecheck

//go:generate go run ../internal/cmd/gengetters .
