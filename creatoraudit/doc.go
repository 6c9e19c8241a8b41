// Package creatoraudit is a client for the CreatorAudit API v2
// (https://api.creatoraudit.com/v2): tracked Instagram and TikTok accounts,
// individual and account videos, creators that group accounts, windowed
// metrics, leaderboards, an organization overview and search.
//
// Like every creatorkit-go package: NewClient(opts ...Option), services as
// fields (c.Accounts, c.Videos, c.Creators, ...), <Call>AndWait waits with
// WaitOption (WithPollInterval, WithProgress), ...All iterators with
// ListOption caps (WithMaxPages, WithMaxItems), ItemError per item,
// Summary() on creator results (Account), and errors are *Error with the
// kinds of package creatorkit (ErrNotFound, ...), re-exported here.
// Credentials: WithAPIKey, an organization-scoped Bearer key as
// CreatorAudit documents (or $CREATORAUDIT_API_KEY).
//
//	c, err := creatoraudit.NewClient(creatoraudit.WithAPIKey("ca_live_..."))
//	a, err := c.Accounts.Create(ctx, creatoraudit.CreateAccountParams{Platform: creatoraudit.Instagram, Username: "natgeo"})
//	a, err  = c.Accounts.GetAndWait(ctx, a.ID) // until the first scrape
//	sum := a.Summary()                          // followers, engagement rate in percent
//	m, err := c.Accounts.Metrics(ctx, creatoraudit.MetricsParams{IDs: ids, Period: creatoraudit.Period30d})
//	for a, err := range c.Accounts.ListAll(ctx, creatoraudit.ListAccountsParams{Platform: creatoraudit.TikTok}) {
//		...
//	}
//
// # Conventions
//
// Results unwrap the API's {"data": ...} envelope; each keeps the body as
// received (Raw) and the response metadata (Response: RequestID from
// X-Request-ID, X-RateLimit-* headers, attempts, the Idempotency-Key
// sent, the headers, DecodeIssues). Counts and nullable times are
// pointers: nil before the first scrape, and SavedCount is nil on TikTok.
// Lists page by cursor: List returns one page with its pagination block
// and Link header; ListAll yields the elements of every page lazily, 200
// rows a page, with no cap unless WithMaxPages or WithMaxItems sets one
// (CreatorAudit's pages cost nothing). A cursor is bound to the filters
// and sort it was issued with: the client remembers which, and refuses a
// reuse with other filters before sending (the API would answer 422).
//
// Batch metrics (Accounts.Metrics, Videos.Metrics, AccountVideos.Metrics,
// Videos.Deltas) take any number of ids and send 200 per request. Windows
// are typed Periods (7d, 30d, 90d, custom); a custom window needs both
// dates, checked before sending. Bad input of any kind fails with
// ErrInvalidParams and sends nothing.
//
// # Retries, idempotency and rate limits
//
// Creates (accounts, videos, creators) carry an Idempotency-Key, generated
// with crypto/rand unless the params set one. CreatorAudit replays the
// original answer to a repeated key for 10 minutes, so a create whose
// answer was lost (a 5xx, a dropped connection) is asked again and still
// creates one resource: videos and creators by the transport's retries,
// accounts, which spend, by Accounts.Create's own reconciliation (the
// request itself is never resent, by the transport or by net/http).
// Reads, PUT, DELETE, PATCH (absolute values) and the free batch-metrics
// POSTs are retried too.
//
// # Spend, usage and budgets
//
// CreatorAudit prices no call, but may cap how many accounts an
// organization tracks; the SDK's unit of spend is therefore the tracked
// account (SpendUnit): Accounts.Create spends 1 when it starts tracking an
// account, and nothing else spends; untracking gives nothing back.
// Client.Usage reports requests, retries, 429s and waits per operation,
// and the accounts started (SpentUnknown for creates whose answer was
// lost); WithBudget(NewBudget(n)) caps how many accounts the client (or
// every client sharing the Budget) may start tracking, refusing a create
// it cannot hold with ErrBudgetExceeded before sending anything. No helper
// of this package creates accounts in bulk.
//
// CreatorAudit publishes no numeric rate limit: the client adapts to the
// X-RateLimit-Limit, -Remaining and -Reset headers (it holds all requests
// when Remaining reaches 0 until Reset) and honours Retry-After on 429 and
// 503. WithWindow, WithRateLimit or WithLimiter add client-side pacing.
//
// Errors are *Error values built from the RFC 9457 problem+json body:
// CodeOf(err) gives one of the 14 Code constants, FieldErrors(err) the
// per-field errors of a VALIDATION_ERROR, ProblemOf(err) the whole
// document. errors.Is matches ErrNotFound, ErrConflict, ErrQuotaExceeded
// (QUOTA_EXCEEDED, the tracking cap: only that kind, although it comes as
// a 403), ErrForbidden, ErrRateLimited and the rest. An account or video
// CreatorAudit marks unavailable before its first scrape ends a
// GetAndWait with an *ItemError whose Err is ErrUnavailable.
//
// # Identifiers, decoding and secrets
//
// Every id, handle, cursor and key a call takes is checked before anything
// is sent: ids in a path with the SDK's identifier policy for path
// parameters (no blanks, surrounding spaces, control or invisible
// characters, %, /, \, ?, #, . or ..) and as UUIDs, as CreatorAudit
// documents them (account videos also take their internal integer ids);
// ids in a body or a query the same way without the path rules; handles
// by platform (Instagram's documented shape). A refused value is
// ErrInvalidParams with no request sent.
//
// Decoding is tolerant: a value of a success body that does not fit its
// Go type is left zero and listed in the result's Response.DecodeIssues
// (JSON path, kind received, type expected), logged once at Warn, and
// the rest of the answer is decoded. Only control fields fail a call with
// ErrUnexpectedResponse (not retried): the id of the account, video or
// creator a call returns, and a list's next_cursor and has_next;
// GetAndWait also needs last_scrape_time and is_unavailable. A bad row
// costs only that row: a row of a list page or a search section that is
// not an object (null, an array) or whose id cannot be read is skipped and
// reported (its path in Response.DecodeIssues, and logged at Warn), and
// the page and the ListAll walks yield the good rows. Of the single-field
// changes of every main read's published sample, 99.3% leave the call
// succeeding (TestDriftMainReads).
// WithStrictDecoding turns any mismatch into an error.
//
// Everything a result or an error holds came from a response and has
// been through the client's redactor, raw JSON included (as decoded, so
// an escape cannot hide a key): a key a server or a proxy echoes back
// never reaches a result, an error or a log line.
//
// One policy decides when to ask again: the transport retries a failed
// attempt (a 429 because another job fills the key's window, a 5xx, a
// lost connection) up to WithMaxRetries times (default 3), waiting the
// server's Retry-After or a backoff, and WithMaxRetries means the same for
// the helpers that make several requests. Batch metrics, deltas and the
// ...All iterators return the transport's error when a request still
// fails (with what the requests before it returned); GetAndWait makes a
// check that failed transiently again at its next interval, up to
// WithMaxRetries failed checks in a row, and one more ends the wait with
// that check's error; Accounts.Create asks again with the same
// Idempotency-Key at most WithMaxRetries times when an answer was lost. So
// every helper ends by itself when the API stays unreachable; the context
// bounds how long it waits. For many goroutines on one client, pace it
// with WithWindow at the key's X-RateLimit-Limit: its window guard keeps
// the client under the limit at any concurrency.
//
// GET results carry the strong ETag the API sends
// (r.Response.GetHeader("ETag")):
// pass IfNoneMatch(etag), a per-call CallOption of the Get calls, for a
// 304 Not Modified (NotModified(r.Response)), or turn on WithETagCache to
// have the client send If-None-Match and serve unchanged bodies from its
// cache.
//
// # Tracing
//
// WithObserver sees every call (one event per request sent, and per call),
// and every GetAndWait as a call of its own whose checks are calls under
// it, with their count. Events name a request by its operation and its
// route, the path template ("accounts/{id}"), and never carry the key, an
// id, a handle or a query value; contrib/otel turns them into
// OpenTelemetry spans and metrics.
//
// # Comparisons and the OpenAPI document
//
// CreatorAudit compares a window with the window of the same length just
// before it, at every scope. The overview's comparison is documented
// (Overview.Current, Previous, Changes); an analytics answer's is read the
// same way into Analytics.Current and Previous (Metrics) and Changes
// (MetricChanges, each metric's change in percent), nil when the answer
// carries none. Meta.OpenAPI reads GET /openapi.json, the API's
// authoritative contract: Raw holds the document, OpenAPIDocument types
// its version, title and paths, and Operations lists its operations, to
// check the inferred paths below against it.
//
// # Calls the SDK has no method for
//
// Client.Do is the escape hatch (as go-github's NewRequest/Do and
// openai-go's client.Get/Post): it sends any request to a CreatorAudit
// endpoint, or a documented parameter the typed calls do not send yet,
// through the same pipeline: the client's key, its one limiter (a raw call
// waits for the same window as the typed calls), retries, error kinds,
// redaction, observers, Usage and the Budget. Say what it costs with
// Costs (a POST accounts tracks one account), whether it may be resent
// with Resendable, and its path template with Route:
//
//	var out struct {
//		Data struct {
//			Views int64 `json:"views"`
//		} `json:"data"`
//		Raw json.RawMessage `json:"-"`
//	}
//	meta, err := c.Do(ctx, http.MethodGet, "accounts/"+id+"/analytics", url.Values{"period": {"7d"}}, nil, &out,
//		creatoraudit.Route("accounts/{id}/analytics"))
//
// # Inferred parts
//
// The published reference does not show every path and body. Parts the SDK
// infers are marked [inferred] in their documentation, decoded leniently,
// and kept raw: PATCH and DELETE of accounts and videos, GET of a single
// video or account video, every analytics and time-series path except
// creator analytics, the request body of POST /accounts/metrics, the inner
// shape of batch metrics, deltas, analytics (their comparison included),
// time series, /health, /creators/top rows and the link record. Each path can be replaced with
// WithPaths; DefaultPaths lists them.
//
// There are no webhooks: Accounts.GetAndWait and Videos.GetAndWait poll an
// account or video until its first refresh, with a growing interval and
// the context as budget.
//
// The creatoraudittest package runs a fake CreatorAudit in-process for tests
// and examples.
package creatoraudit

//go:generate go run ../internal/cmd/gengetters .
