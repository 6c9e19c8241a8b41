// Package infludata is a client for the influData Social API
// (https://app.infludata.com/api/externalAPI): creator profiles with
// audience reports, data status and enrichment, discovery search, content
// pieces, the account balance and the self-serve trial signup, on
// Instagram, TikTok, YouTube, Twitch, Facebook and Snapchat.
//
// Like every creatorkit-go package: NewClient(opts ...Option), services as
// fields (c.Profiles, c.Discovery, ...), <Call>AndWait waits with
// WaitOption (WithPollInterval, WithProgress), ...All iterators with
// ListOption caps (WithMaxPages, WithMaxItems), ItemError per item,
// Summary() on creator results (Profile, DiscoveredCreator), and errors
// are *Error with the kinds of package creatorkit (ErrNotFound, ...),
// re-exported here. Credentials: WithAPIKey, a Bearer key as influData
// documents (or $INFLUDATA_API_KEY); WithPlan says which burst limits the
// key has, and a free trial key comes from NewSignup.
//
//	c, err := infludata.NewClient(infludata.WithAPIKey("..."), infludata.WithPlan(infludata.Production))
//	p, err := c.Profiles.GetAndWait(ctx, infludata.GetProfileParams{Platform: infludata.Instagram, Username: "adidas"}) // with the audience report
//	sum := p.Summary() // followers, ER %, profile score, audience countries (ISO 3166-1), genders, ages
//	for cr, err := range c.Discovery.SearchAll(ctx, infludata.SearchParams{Platform: infludata.Instagram, Country: "Germany"}, infludata.WithMaxPages(3)) {
//		...
//	}
//	pull := c.Content.Pull(infludata.ContentParams{Tags: []string{"fashion"}, Since: saved}, infludata.WithMaxItems(1000))
//	for it, err := range pull.All(ctx) { ... }
//	if pull.Complete() { saved = pull.Watermark() }
//
// # Cost
//
// Every key has a token budget, and the package is built never to spend a
// token that a free call or a cap could save:
//
//   - getUserData costs 1 token, or 20 with the audience report; a 202
//     (audience still processing) costs 1. GetAndWait and GetAndWaitAll
//     are for audience reports (they always ask for one): they poll the
//     free checkDataStatus and make one paid call per creator, once the
//     report exists: 50 reports cost exactly 1,000 tokens however long
//     they take. A creator influData neither holds nor is enriching
//     ends its wait at once with ErrNotFound, having cost nothing.
//   - discovery costs 1 token per page of 20; SearchAll fetches a page only
//     when the loop reaches it and stops at a page cap (default 5).
//   - getContent costs 1 token per item; the SDK always sends an explicit
//     limit (the API's default changed between versions), ContentAll stops
//     at an item cap (default 500) and shrinks its last page to it. An
//     incremental pull (ContentParams.Since) asks from the watermark's
//     second, so it never skips a piece indexed late within it, and drops
//     what was yielded there: it costs the new items plus the few read
//     again in that second (usually one; see ContentParams.Since).
//   - A paid call whose answer may have been charged and then lost
//     (dropped connection, truncated or garbled body) is not resent: the
//     error is ErrOutcomeUnknown. 5xx answers, which influData does not
//     charge, and burst 429s are retried with backoff.
//   - checkDataStatus, bulkAddToEnrich, getClientInfo and
//     getCitiesForCountry are free. Results carry tokensDeducted and
//     tokensRemaining when influData reports them.
//   - Client.Usage (creatorkit.Usage, in tokens) counts requests, retries,
//     429s and spend per operation: Spent as the answers say
//     (tokensDeducted wins over the table), and in SpentUnknown the most a
//     call whose answer was lost could have cost, so that Spent <= what
//     influData charged <= Spent + SpentUnknown. Client.TokensRemaining is
//     the latest balance influData reported.
//   - WithBudget(NewBudget(n)) caps spend, across goroutines and clients:
//     a paid call that would cross it is refused before anything is sent
//     (ErrBudgetExceeded); GetAndWaitAll starts only the creators the
//     budget can hold and answers the others with ErrBudgetExceeded,
//     ContentAll asks for pages no larger than what remains, and the paid
//     pagers end with ErrBudgetExceeded yielded once.
//
// # Limits and errors
//
// WithPlan(Trial) paces the client at 2 requests a second and 60 a minute,
// WithPlan(Production) (the default) at 25 a second and 1,000 a minute;
// either way at most 10 requests are in flight. influData's fair-usage
// guidance (100 discovery searches and 500 profile requests an hour) is
// paced the same way, so a long job waits instead of being refused
// (WithFairUsage changes or turns it off). A spent budget (429 with
// resetDate, or 403 INSUFFICIENT_TOKENS) is ErrQuotaExceeded (only that
// kind) with Error.ResetAt, and is never retried. Errors are *Error values;
// test them with errors.Is and read influData's code with CodeOf. The
// error body is decoded in both documented shapes: {"error":"message"} and
// {"error":{"code","message","details"}}.
//
// Bad input (a platform that lacks the feature, two identifiers, a
// skipCount that is not a multiple of 20, a missing content limit, ...)
// fails with ErrInvalidParams before anything is sent, checked against the
// documentation's platform coverage table. Every username, id, client id,
// cursor, email, code and key goes through one identifier policy (see
// GetProfileParams).
//
// # Retries, waits and other jobs on the key
//
// One policy decides when to ask again. The transport retries each request
// (a burst 429, a 5xx, a connection lost before sending) up to
// WithMaxRetries times (default 3), backing off within WithRetryWait;
// influData charges no failed request, so a paid call is retried only
// after an answer that cost nothing. The waits (GetAndWait, GetAndWaitAll)
// outlast as many transient failures in a row as WithMaxRetries, each one
// a status check or paid call that failed after its own retries, and end
// with the next one: WithMaxRetries means the same for a wait as for one
// call, and a wait ends by itself even without a deadline. The walks and
// bulk calls (SearchAll, ContentAll, Pull, Enrichment.Add) return the
// transport's error as it comes. When several jobs share one key, the
// client's pacing (WithPlan, WithWindows, WithLimiter) keeps each under
// the key's limits, and each creator, batch, page and item is delivered
// once.
//
// # Observing calls
//
// WithObserver(o) sends o (a creatorkit.Observer; contrib/otel makes
// OpenTelemetry spans and metrics of it) an event per call and per
// attempt, named by the SDK operation and influData's method
// ("Profiles.Get", GET "getUserData"), and a call per wait and roster
// (GetAndWait, GetAndWaitAll) counting its status checks and, for a
// roster, the creators it answered; the requests a wait makes are calls
// inside it. No event carries a key, handle, id or query value.
//
// # Calls the SDK has no method for
//
// Client.Do is the escape hatch (as go-github's NewRequest/Do and
// openai-go's client.Get/Post): it sends any request to an influData
// endpoint, or a documented parameter the typed calls do not send yet,
// through the same pipeline: the client's key, its one limiter (a raw call
// waits for the same windows as the typed calls), retries, error kinds,
// redaction, observers, Usage and the Budget. Say what it costs with
// Costs, so the budget and Usage count it:
//
//	var out struct {
//		IsInDatabase bool            `json:"isInDatabase"`
//		Raw          json.RawMessage `json:"-"`
//	}
//	meta, err := c.Do(ctx, http.MethodGet, "checkDataStatus", url.Values{"platform": {"instagram"}, "username": {"adidas"}}, nil, &out)
//
// # Decoding
//
// A success body that is valid JSON always yields a result: a value that
// does not fit its Go type is left zero and listed in the result's
// Response.DecodeIssues (logged once at Warn). Only the control fields each
// result type documents (data status states, cursors, watermarks, paging
// totals) fail a call, with ErrUnexpectedResponse; WithStrictDecoding makes
// every mismatch an error. The tests decode influData's published samples
// (read from ../shared/fixtures/infludata/, never copied into the module)
// strictly, with nothing lost.
//
// # Sources and assumptions
//
// The package follows influData's Social API documentation and, where it
// is silent or differs, the GitHub README (infludata-com/api-documentation
// v2.3); both shapes are decoded where they disagree (checkDataStatus,
// getContent's cursor and legacy responses, the error body, 429 vs 403 for
// a spent budget). Inferred, and said so on the fields: the getUserData
// body is documented only by category, so the Profile fields are the names
// sibling responses use, the audience report is typed only as far as a
// published getContent sample shows its maps (AudienceReport keeps the
// rest in Extra and Raw), scores and timeline stay raw JSON (under
// inferred member names), and everything else lands in Profile.Extra; the
// profile score's scale is undocumented (Summary passes it on only within
// 0 to 100); the key of a creator in a content watermark is _id, else
// contentId; upload times are whole seconds, so an incremental pull asks
// for created_at_gte from the start of the watermark's second; a 429 that
// carries resetDate anywhere in the body (top level,
// error object, details) is a spent budget; a 403 whose code is
// INSUFFICIENT_TOKENS or whose message speaks of an insufficient balance is
// one too.
//
// The infludatatest package runs a fake influData in-process for tests and
// examples.
package infludata

//go:generate go run ../internal/cmd/gengetters .
