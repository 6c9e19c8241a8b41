// Package hypeauditor is a client for the HypeAuditor API
// (https://hypeauditor.com/api/method/): creator reports on Instagram,
// TikTok, YouTube, Twitch, Twitter and Snapchat with their PDF exports,
// metrics histories, Account Media, YouTube media and brand mentions;
// discovery search, its taxonomy and keyword post search; a creator's
// accounts across networks, unlocked reports, the creators of your
// network, your lists and your plan; and Instagram competitor analyses
// (the Market Analysis API, https://hypeauditor.com/api/marketanalysis/).
//
// Like every creatorkit-go package: NewClient(opts ...Option), services as
// fields (c.Reports, c.Discovery, ...), <Call>AndWait waits with
// WaitOption (Reports.InstagramAndWait and the other networks',
// Reports.GetAndWait for any of them, Reports.PDFAndWait, the history
// waits, MarketAnalysis.CreateAndWait and GetAndWait; WithPollInterval,
// WithProgress, and HypeAuditor's WithMaxRetryTTL), a roster named after
// its single call (Reports.GetAndWaitAll: any mix of platforms, one
// Answer per input; WithAllowPartial), ...All iterators with ListOption caps
// (Discovery.SearchAll and SearchSandboxAll, Unlocked.ListAll,
// Creators.ListAll, Reports.YouTubeMediaAll, Lists.ReportsAll;
// WithMaxPages, WithMaxItems, and the discovery walks' WithPageFunc),
// ItemError per item (an account without a report, a wait that ended
// first), Summary() on creator results (each report), and errors are
// *Error with the kinds of package creatorkit (ErrNotFound, ...),
// re-exported here under the same names and values. Platforms are
// Platform values with the shared constant names (Instagram, TikTok,
// YouTube, Twitch, Twitter, Snapchat), Platforms() and ParsePlatform; the
// wire keeps HypeAuditor's word (social_network). The credentials
// option is WithCredentials(clientID, token), not WithAPIKey: HypeAuditor
// authenticates with two values, a client id and a token
// (X-Auth-Id and X-Auth-Token).
//
//	c, err := hypeauditor.NewClient(hypeauditor.WithCredentials(clientID, token)) // or $HYPEAUDITOR_CLIENT_ID, $HYPEAUDITOR_API_TOKEN
//	conns, err := c.Connections.Get(ctx, hypeauditor.ConnectionsParams{Username: "nasa", Type: hypeauditor.Instagram})
//	r, err := c.Reports.InstagramAndWait(ctx, hypeauditor.InstagramParams{Username: "nasa"})
//	s := r.Summary() // followers, ER %, AQS, audience countries (ISO 3166-1), genders, ages
//	for res, err := range c.Discovery.SearchAll(ctx, hypeauditor.SearchParams{Platform: hypeauditor.TikTok}, hypeauditor.WithMaxPages(2)) {
//		...
//	}
//	for a, err := range c.Reports.GetAndWaitAll(ctx, []string{"instagram/@natgeo", "https://www.tiktok.com/@littlebig", "youtube/@NASA"}) {
//		... // a.Index, a.Input: the input it answers; a.Value.Summary() on any platform
//	}
//	meta, err := c.Do(ctx, http.MethodGet, "auditor.newMethod", url.Values{"v": {hypeauditor.APIVersion}}, nil, &out) // the escape hatch
//
// Reports.GetAndWaitAll requests the reports of a roster of any size on
// any mix of platforms (inputs as "<platform>/<account>" or profile URLs,
// see ParseReportRef) and yields one Answer per input, as each is
// settled: blanks, invalid inputs and duplicates are answered too, and a
// duplicate is paid once. It checks the plan's report credits (free)
// before spending any, sizes itself to WithBudget, asks for each account
// never sooner than its retryTtl and at most as often as its single wait
// would, within the client's limiter. Do sends a call the SDK has no
// method for through the same pipeline (credentials, limiter, retries,
// redaction, Usage, observers), as it is: add v=2 yourself.
//
// Every call sends X-Auth-Id and X-Auth-Token, and every method call of
// the SDK v=2 (the market analysis calls send no version, as documented;
// Do sends its query as given). The client
// paces itself, both roots under one limiter, under HypeAuditor's limit
// of less than 100 requests a minute (DefaultRateLimit(); a request's
// slot frees a minute after its answer, so one client never fills the
// window at any concurrency) and retries 429s, connection failures
// before sending and (for calls that spend nothing) 5xx responses and
// lost connections with jittered backoff, WithMaxRetries times (default
// 3). That count means the same everywhere: the transport is the one
// place that asks again. An iterator (SearchAll, ListAll, ...) adds no
// retries of its own: a page that failed after the transport's retries
// ends the walk with that error. An AndWait helper outlasts as many
// failed checks in a row as WithMaxRetries (each a 429 while another job
// fills the key's window, a 5xx or a lost connection that outlasted the
// transport's retries), and the next one ends the wait with that failure:
// with the default 3 retries, a check fails only when four attempts in a
// row did, and a wait only when four checks in a row did. Give a wait a
// context with a deadline: it is the budget.
//
// Every username, channel, id and cursor is checked before anything is
// sent (ErrInvalidParams): no blanks, spaces, control or invisible
// characters, '%', '/', '\', '?', '#', "." or "..", and the documented
// shape on top (Instagram usernames, numeric Instagram and TikTok ids,
// YouTube channel ids and handles). Credentials never reach an error, a
// log line or a result, not even when a server or proxy echoes them back:
// every form of them (percent-encoded, base64, Basic auth) is redacted.
//
// Reports are generated asynchronously. A report call returns the report
// when it is ready, and otherwise its NOT_READY state (HTTP 202 with
// result.retryTtl) without an error; the AndWait helpers ask again after
// each retryTtl, never sooner, with the context as the budget. A
// retryTtl longer than WithMaxRetryTTL (default DefaultMaxRetryTTL, 10
// min) ends the wait at once. Where HypeAuditor sends no retryTtl (a
// report still calculating, a market analysis, a check that failed
// transiently) the wait uses its own intervals: WithPollInterval(first,
// max), by default DefaultPollInitial (30 s) growing by half each check
// to DefaultPollMax (2 min). A wait that ends without a result (the
// context ended, or a retryTtl too long) returns the last answer seen
// (the not-ready report) and an *ItemError whose Err is the
// *TimeoutError (errors.As finds it; errors.Is sees the context's error
// or ErrRetryTTLTooLong, and the last transient failure) and whose State
// is the last state seen. READY and READY_LOW_CONFIDENCE (demographic
// blocks missing, listed by the report's MissingBlocks) are results;
// private, deleted and other unreportable accounts are an *ItemError:
// Input the account as given, Item the account as HypeAuditor knows it
// ("instagram/@nasa" for a handle, "tiktok/id:6557821753438371845" for a
// user id or a YouTube channel id), State the report state (PRIVATE,
// DELETED, CHANNEL_NOT_FOUND, ...), Reason why in words (never empty),
// Err ErrReportUnavailable (also unwrapping to the HTTP *Error when the
// outcome came as one); ID is set only for work with an id of its own (a
// market analysis's report_id). The first request for an account spends
// one report credit (refunded if generation fails); restTokens and
// validUntil come back on each report.
//
// Spend: c.Usage() counts requests, retries, 429s and spend over both
// roots, in report credits (UnitReportCredits) for the report calls, the
// metrics histories and the PDF exports (each may unlock a report), and
// in discovery queries (UnitDiscoveryQueries, Usage.SpentIn) for live
// discovery pages and keyword post searches [INFERRED for the latter];
// after any run Spent <= what HypeAuditor charged <= Spent + SpentUnknown.
// Account Media, YouTube media, brand mentions, the taxonomy, lists,
// planInfo and the other reads are free; creating a market analysis has
// no documented cost or unit: it is sent once and counts no spend.
// WithBudget(NewBudget(n)) caps report credits and
// WithDiscoveryBudget(NewBudget(n)) discovery queries, each shareable by
// clients and goroutines: a call that may spend more than remains is
// refused before anything is sent (ErrBudgetExceeded), and SearchAll stops
// with that error, yielded once, at the page the budget cannot hold. A
// request that may spend is never sent twice blindly: not by net/http
// behind the SDK's back, and not by the SDK's retries once it may have
// reached HypeAuditor (ErrOutcomeUnknown). A report answer does not say
// whether its request unlocked the report: the client counts one credit
// as SpentUnknown for each account whose unlock it cannot place, and
// settles it when a later answer's validUntil or a failed generation does
// (see Client.Usage). The later checks of an AndWait, and any request for
// an account the client saw unlocked, are free: they reserve nothing.
//
// Tracing: WithObserver(o) gets one event per call and per request sent
// (its route is the method's name, "auditor.report", or a market analysis
// path template), and one call per AndWait helper whose Polls count its
// checks; no event names an account, an id, a query value or a
// credential. contrib/otel turns them into spans and metrics.
//
// Each report's Summary gives the common creator summary: followers,
// engagement rate in percent, average likes and comments, the AQS
// (Instagram, TikTok) or CQS (YouTube) as Quality on 0-100 with
// HypeAuditor's mark as Verdict, and the audience's countries (ISO 3166-1
// alpha-2: HypeAuditor's "uk" is "GB"), genders and ages in percent,
// largest first.
//
// Discovery: SearchAll fetches a page only when the loop reaches it and
// stops after DefaultSearchMaxPages pages of a live search unless
// WithMaxPages says otherwise; each live page spends a discovery request.
// SearchSandbox and SearchSandboxAll send the same filters to the free
// sandbox (no default cap). WithPageFunc sees each page a discovery walk
// fetches (its QueriesLeft). SearchParams holds only what is sent.
//
// Errors are *Error values with HypeAuditor's error code (CodeOf; the
// numeric codes as decimal strings, CodeInvalidToken is "4"); test them
// with errors.Is: ErrQuotaExceeded (402: out of credits or discovery
// requests, or code 27 no API access; only that kind, never also
// ErrForbidden), ErrUnauthorized (403 code 4: invalid token),
// ErrInvalidParams (bad input, nothing sent; or 400 code 8), ErrNotFound
// (404 code 16), ErrRateLimited, ErrReportUnavailable and the rest.
//
// The hypeauditortest package runs a fake HypeAuditor in-process for tests
// and examples.
//
// Sources and confidence: reportConnections, planInfo, reportsUnlocked,
// creators, Twitch and Snapchat (and Twitch's metrics history), the
// taxonomy, keyword post search and the creation of a market analysis
// are documented by HypeAuditor; the Instagram, TikTok and YouTube
// reports and the discovery request examples come from verbatim copies of
// its pages; the discovery response, the filters in no published
// example, the suggester, the Twitter report, Account Media, the PDF
// exports, the Instagram, TikTok and Twitter histories, brand mentions,
// YouTube media, the Lists API and reading a market analysis come from
// open-source clients. Parts known only from
// clients or inferred are modelled leniently (unknown shapes stay raw
// JSON, both seen shapes decode) and their godoc says so with [CLIENT] or
// [INFERRED]. Every result keeps the body as received in Raw.
//
// Answers are decoded tolerantly: a value that does not fit its Go type
// (a number sent as a string the type cannot read, an object where a
// string was documented) is left at its zero value, listed with its JSON
// path in the result's Response.DecodeIssues and logged once at Warn;
// everything else is decoded and the call succeeds. Only the values the
// SDK needs to go on fail a call, with ErrUnexpectedResponse and without
// a retry: the result envelope, report_state and retryTtl, the list of a
// page, total_pages, next_cursor, and a connection's social_id and state
// (the godoc of each says "Control field"). WithStrictDecoding makes any
// mismatch an error.
//
// The taxonomy's entries feed the discovery filters: IncludeTaxonomy and
// ExcludeTaxonomy build a Category or Thematics filter, and
// TaxonomyEntry.Interest an InterestFilter, so no id needs to be written
// by hand; TaxonomyList.Titles names a report's blogger_categories and
// blogger_thematics.
//
// Not offered, because no contract is known: the Campaign Management API
// (v1.0 and v2.0), the Media Plan API and the Recruitment API (Swagger
// specifications that could not be read: paths and schemas unknown); the
// Twitch Games reference behind SearchParams.TwitchGames and the languages
// reference (documented to exist, method names not found: pass game ids
// and language codes yourself); auditor.tiktokMedia (one client sends
// channelId, another developer got code 8 "Invalid request" with eight
// parameter variants, and no answer is published); mini reports (not in
// the API: eleven method names answered code 3 "Unknown method"); and the
// list methods only a machine-written summary names
// (auditor.lists.create, lists.addReports, lists.removeReports; see
// ListsService).
//
// HypeAuditor's published sample responses (the full YouTube report of
// NASA, the full TikTok report of littlebig, three discovery answers;
// the tests read them from ../shared/fixtures/hypeauditor/, never copied
// into the module) are the SDK's fixtures: they decode with nothing lost and every non-null
// value of the two reports in a typed field. Where a sample and the
// attribute tables disagree, the sample shows what the API sends; both
// shapes decode (AudienceGeo, PeriodMark, MostMedia, ReportQuality,
// ReportFeatures, Races) and the godoc of each field says which shape is
// which.
package hypeauditor

//go:generate go run ../internal/cmd/gengetters .
