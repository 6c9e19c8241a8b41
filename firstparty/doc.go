// Package firstparty is a client for Ylytic's First Party API: consent
// data and insights for creators who connect their own Instagram or
// YouTube account.
//
// Like every creatorkit-go package: NewClient(opts ...Option), services as
// fields (c.Verification, c.Insights), <Call>AndWait waits with
// WaitOption (Insights.GetAndWait, WithPollInterval, WithProgress), ...All
// iterators with ListOption caps (the First Party API has no listing, so
// this package has none), ItemError per item (insights Ylytic could not
// produce), Summary() on creator results (Insights.Summary), and errors
// are *Error with the kinds of package creatorkit (ErrInvalidParams,
// ErrNotFound, ...), re-exported here under the same names and values.
// The credentials option is WithToken, not WithAPIKey: Ylytic calls its
// credential an auth token and sends it as a Bearer token.
//
// The flow: create a verification URL and send the creator there; the
// creator connects their account and comes back to your redirect URL with
// a token; verify the creator (state + token) to get a creator_id; read the
// creator's insights once Ylytic has processed them (Ylytic POSTs a
// creator_insights_1p webhook when they are ready).
//
//	c, err := firstparty.NewClient(firstparty.WithToken("..."))   // or $FIRSTPARTY_TOKEN
//	flow, err := firstparty.NewConnectFlow(c, firstparty.ConnectConfig{RedirectURL: "https://app.example.com/callback"})
//	v, err := flow.Start(ctx, firstparty.StartParams{Platform: firstparty.Instagram}) // redirect to v.RedirectURL
//	http.Handle("/callback", flow.CallbackHandler(onVerified))                       // refuses forged callbacks
//	in, err := c.Insights.GetAndWait(ctx, firstparty.GetInsightsParams{CreatorID: id})
//	s := in.Summary()                                                                 // followers, ER %, averages, quality
//	for _, p := range in.Posts.Top(3) { ... }
//
// The network is a Platform (Instagram, YouTube, TikTok, Facebook;
// ParsePlatform reads one); the fields that carry it are named Platform
// (StartParams.Platform, Verification.Platform, WebhookEvent.Platform...),
// like every creatorkit-go package's, and are Ylytic's "connector" on the
// wire.
//
// The callback handler refuses a callback whose state this flow did not
// issue, was used already or has expired (compared in constant time, kept
// in a StateStore: in memory by default, yours when several processes
// serve the callback). Set ConnectConfig.Session to also bind each state
// to the browser session that started the flow, so a callback URL captured
// in one browser cannot be completed in another.
//
// The lower-level calls are c.Verification.CreateURL, c.Verification.Verify
// and c.Insights.Get; NewState makes a state by hand.
//
// Every creator id, key, state and token is checked before anything is
// sent: no blanks, no control or invisible (bidi, zero-width) characters,
// no leading or trailing spaces, not "." or ".."; a creator id, which
// becomes a path segment, also holds none of %, /, \, ?, #. A refused value
// is an ErrInvalidParams error and costs no request; the callback handler
// refuses a malformed state or token before it looks the state up or calls
// Verify Creator.
//
// # Real answers drift
//
// Answers are decoded tolerantly: a value that does not fit its Go type
// (a number sent as a string the SDK cannot read, an object where a string
// was documented) is left at its zero value and listed, with its JSON path,
// in the result's Response.DecodeIssues (and logged once at Warn); every
// other value is decoded, and unknown members are ignored, also inside the
// growth trends' maps keyed by date. Only a value the SDK needs to go on (a
// control field: a verification's state, status and creator_id, the
// verification URL, the insights status, a webhook's type, and the status
// and state of the documented webhooks) fails a call, with ErrUnexpectedResponse. WithStrictDecoding makes
// any mismatch an error; the SDK's own fixture tests run strict.
//
// # Jobs that share the token
//
// One policy decides when to ask again, on one clock: the transport
// retries a failed attempt (a 429, a 5xx on a request that is safe to
// repeat, a lost connection) up to WithMaxRetries times (default 3), and
// WithMaxRetries means the same for the calls that make several requests.
// Insights.GetAndWait makes a check that failed transiently again at the
// next interval, up to WithMaxRetries failed checks in a row; one more ends
// the wait with that check's error. ConnectFlow.Complete asks Verify
// Creator again when its answer was lost (ErrOutcomeUnknown), up to
// WithMaxRetries times in a row; ConnectFlow.Start makes one
// Create Verification URL call, which the transport retries. So a wait or
// a flow beside another job on the same token outlasts the 429s of a full
// window, and still ends by itself when Ylytic stays unreachable. Complete
// puts the state back when Ylytic gave no answer (the context ended, the
// answer was lost, or the request never got through), so the callback
// can be completed again, once.
//
// # Usage and budgets
//
// Ylytic documents no price, credit or quota for the First Party API: no
// call spends. Client.Usage still reports requests (retries and
// net/http's own resends of free GETs included), retries, 429s and
// rate-limit waits per operation, over both hosts; its Unit is empty and
// nothing is Spent. WithBudget exists for the shared naming scheme only:
// NewClient refuses it with ErrInvalidParams, since a budget would never
// be used.
//
// # Secrets
//
// The token never appears in an error, a result, a log line or %v of the
// client, also when a server or a proxy echoes it back (as is,
// percent-encoded, base64-encoded): every *Error, *ItemError,
// *VerificationError, *TimeoutError, result and DecodeIssue built from an
// answer is redacted.
// Client.ParseWebhookBody and WithWebhookClient do the same for webhooks.
//
// # Tracing
//
// WithObserver sees every call on both hosts (one event per request sent,
// and per call), and Insights.GetAndWait, ConnectFlow.Start and
// ConnectFlow.Complete as calls of their own, whose requests are calls
// under them (a wait counts its checks, Complete its Verify Creator
// tries). Events name a request by its operation and its route, the path
// template of Paths ("insights/creators/{creator_id}"), and never carry
// the token, a creator id, a state, a callback token or a query value;
// contrib/otel turns them into OpenTelemetry spans and metrics.
//
// # Webhooks
//
// ParseWebhook and WebhookHandler read Ylytic's creator webhooks
// (creator_insights_1p, creator_insights) into WebhookEvent. Ylytic's
// webhook page also names a campaign webhook whose payload was not read
// into the notes this package is built from, so the SDK has no constant or
// fields for it: a campaign event, like any event of a type the SDK does
// not model, is delivered as it came (Type as sent, the body in Raw), never
// refused or dropped.
//
// # Calls the SDK has no method for
//
// Client.Do is the escape hatch (as go-github's NewRequest/Do and
// openai-go's client.Get/Post): it sends any request to an endpoint on the
// verification host, and Client.DoInsights one on the insights host,
// through the same pipeline as the typed calls: the client's token, its one
// limiter (shared by both hosts: a raw call waits for the same window as
// the typed calls), retries, error kinds, redaction, observers and Usage.
// Resendable says whether it may be sent again, Route names its path
// template for observers; Costs exists for the naming scheme only (Ylytic
// prices nothing, so a cost is refused):
//
//	var out struct {
//		Status string          `json:"status"`
//		Raw    json.RawMessage `json:"-"`
//	}
//	meta, err := c.DoInsights(ctx, http.MethodGet, "insights/creators/"+id, url.Values{"key": {key}}, nil, &out,
//		firstparty.Route("insights/creators/{creator_id}"))
//
// # Errors
//
// Errors are *Error values; test them with errors.Is against
// ErrInvalidParams (bad input, nothing sent), ErrUnauthorized, ErrNotFound
// and the rest. Three outcomes have their own shape:
//
//   - Insights Ylytic could not produce (status "failed") are the shared
//     per-item error, *ItemError: Input is the creator id, Item
//     "instagram/id:<creator id>", State the insights status, Reason
//     Ylytic's status_reason (never empty), Err ErrInsightsFailed. Get and
//     GetAndWait return it next to the body.
//   - A verification Ylytic refuses is a *VerificationError
//     (ErrVerificationFailed), not an ItemError: it is the answer to one
//     call of the consent flow, about a state and a token, before any
//     creator id exists, and it carries Ylytic's error_info as sent (an
//     undocumented shape; Message extracts a text). It is redacted like
//     every error built from an answer.
//   - A callback whose state was not issued, was used already or expired
//     is a *StateError (ErrInvalidState), found before anything is sent.
//
// When its context ends first, GetAndWait returns the same *ItemError for
// the creator, with the last status seen as State and a *TimeoutError as
// Err (errors.As and errors.Is(err, context.DeadlineExceeded) see it);
// ConnectFlow.Complete returns the *TimeoutError itself (it waits on a
// callback's state, not on a creator).
//
// The firstpartytest package runs a fake Ylytic in-process, connect page
// included, for tests and examples.
//
// # Assumptions
//
// Ylytic's First Party page leaves the endpoint URLs blank. Hosts and
// paths are options (WithBaseURL, WithInsightsBaseURL, WithPaths) whose
// defaults (DefaultBaseURL, DefaultInsightsBaseURL, DefaultPaths()) are
// inferred from Ylytic's other API pages, not documented. Also assumed
// where the documentation is silent:
//   - the callback carries "token" and "state" query parameters
//     (ConnectConfig.TokenParam and StateParam change them);
//   - insights that are not ready come back as a 2xx body without
//     profile_overview, and failed ones with "status":"failed" and a
//     status_reason, as the webhook reports them;
//   - Create Verification URL is safe to repeat after a lost answer (what
//     it sets up is keyed by the state), so it is retried like a read;
//     Verify Creator may not be (its token may be single-use), so it is
//     sent once and a lost answer is ErrOutcomeUnknown, which
//     ConnectFlow.Complete reconciles by asking again with the same state
//     and token, taking Ylytic to answer a repeat with the same creator;
//   - error bodies are {"error":...}, {"message":...} or {"detail":...};
//   - list elements the sample shows empty (interests, languages,
//     external links) are strings (Item keeps anything else as sent);
//   - Ylytic documents no rate limit: the client does not pace itself by
//     default, and honours 429 and Retry-After;
//   - webhooks carry no signature (WithWebhookVerifier is the hook for
//     your own check).
package firstparty

//go:generate go run ../internal/cmd/gengetters .
