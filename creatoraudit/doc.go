// Package creatoraudit is a client for the CreatorAudit API v2
// (https://api.creatoraudit.com/v2): tracked Instagram and TikTok accounts,
// individual and account videos, creators that group accounts, windowed
// metrics, leaderboards, an organization overview and search.
//
//	c, err := creatoraudit.NewClient(creatoraudit.WithAPIKey("ca_live_..."))
//	a, err := c.Accounts.Create(ctx, creatoraudit.CreateAccountParams{Platform: creatoraudit.Instagram, Username: "natgeo"})
//	a, err  = c.Accounts.WaitForFirstScrape(ctx, a.ID)
//	m, err := c.Accounts.Metrics(ctx, creatoraudit.MetricsParams{IDs: ids, Period: creatoraudit.Period30d})
//	for a, err := range c.Accounts.ListAll(ctx, creatoraudit.ListAccountsParams{Platform: creatoraudit.TikTok}) {
//		...
//	}
//
// # Conventions
//
// Results unwrap the API's {"data": ...} envelope; each keeps the body as
// received (Raw) and the response metadata (Response: X-Request-ID,
// X-RateLimit-* headers, attempts, the Idempotency-Key sent). Counts and
// nullable times are pointers: nil before the first scrape, and SavedCount
// is nil on TikTok. Lists page by cursor: List returns one page with its
// pagination block and Link header; ListAll walks every page lazily, 200
// rows a page. A cursor is bound to the filters and sort it was issued
// with: the client remembers which, and refuses a reuse with other filters
// before sending (the API would answer 422).
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
// answer was lost (a 5xx, a dropped connection) is retried and still
// creates one resource. Reads, PUT, DELETE, PATCH (absolute values) and the
// free batch-metrics POSTs are retried too.
//
// CreatorAudit publishes no numeric rate limit: the client adapts to the
// X-RateLimit-Limit, -Remaining and -Reset headers (it holds all requests
// when Remaining reaches 0 until Reset) and honours Retry-After on 429 and
// 503. WithWindow, WithRateLimit or WithLimiter add client-side pacing.
//
// Errors are *Error values built from the RFC 9457 problem+json body:
// CodeOf(err) gives one of the 14 ErrorCode constants, FieldErrors(err)
// the per-field errors of a VALIDATION_ERROR, ProblemOf(err) the whole
// document. errors.Is matches ErrNotFound, ErrConflict, ErrQuotaExceeded
// (QUOTA_EXCEEDED, the tracking cap), ErrForbidden, ErrRateLimited and the
// rest.
//
// GET results carry the strong ETag the API sends: pass IfNoneMatch(etag)
// for a 304 Not Modified, or turn on WithETagCache to have the client send
// If-None-Match and serve unchanged bodies from its cache.
//
// # Inferred parts
//
// The published reference does not show every path and body. Parts the SDK
// infers are marked [inferred] in their documentation, decoded leniently,
// and kept raw: PATCH and DELETE of accounts and videos, GET of a single
// video or account video, every analytics and time-series path except
// creator analytics, the request body of POST /accounts/metrics, the inner
// shape of batch metrics, deltas, analytics, time series, /health,
// /creators/top rows and the link record. Each path can be replaced with
// WithPaths; DefaultPaths lists them.
//
// There are no webhooks: WaitForFirstScrape polls an account or video until
// its first refresh, with a growing interval and the context as budget.
//
// The creatoraudittest package runs a fake CreatorAudit in-process for tests
// and examples.
package creatoraudit

//go:generate go run ../internal/cmd/gengetters .
