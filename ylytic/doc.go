// Package ylytic is a client for Ylytic's account APIs, the REST APIs
// Ylytic documents beside its First Party API: the Third Party API
// (creators on the dashboard and their status), realtime tracking, data
// refresh, link tracking (short links and their clicks) and Shopify sales
// tracking (stores and campaign short links).
//
// # Why a package of its own
//
// Package firstparty is Ylytic's consent flow: a creator connects their own
// account, and the SDK handles states, callbacks and first-party insights.
// These APIs are something else: calls an agency makes on its own Ylytic
// account about public creators, links and stores, on other hosts
// (app.ylytic.com, dashboard.ylytic.com, insights.ylytic.com) and under
// documented paths, with the same bearer token. Keeping them apart keeps
// firstparty's surface about one flow, gives these calls the hosts their
// pages document (firstparty's are assumptions), and lets a user who needs
// only one of the two import only it. Both packages read the same token
// ($FIRSTPARTY_TOKEN is this package's fallback).
//
// Like every creatorkit-go package: NewClient(opts ...Option), services as
// fields, <Call>AndWait waits with WaitOption (WithPollInterval,
// WithProgress), ItemError per item, and errors are *Error with the kinds
// of package creatorkit (ErrInvalidParams, ErrNotFound, ...), re-exported
// here under the same names and values. The credentials option is
// WithToken: Ylytic calls its credential an auth token and sends it as a
// Bearer token.
//
//	c, err := ylytic.NewClient(ylytic.WithToken("..."))   // or $YLYTIC_TOKEN, else $FIRSTPARTY_TOKEN
//	_, err = c.Creators.Add(ctx, ylytic.AddCreatorsParams{Handles: []string{ylytic.ProfileURL(ylytic.Instagram, "natgeo")}})
//	st, err := c.Creators.Status(ctx, ylytic.CreatorsStatusParams{Handles: handles})
//	tr, err := c.Tracking.Create(ctx, ylytic.TrackingParams{Platform: ylytic.Instagram, Handle: "natgeo", CronExpression: "0 1 * * *"})
//	r, err := c.Refresh.CreateAndWait(ctx, ylytic.RefreshParams{Type: ylytic.RefreshInstagram, Handle: "natgeo"})
//	l, err := c.ShortLinks.Create(ctx, ylytic.CreateShortLinkParams{TargetURL: "https://shop.example.com/"})
//	in, err := c.ShortLinks.Insights(ctx, l.ID())
//	_, err = c.Shopify.Connect(ctx, ylytic.ConnectShopParams{Shop: "store.myshopify.com", AccessToken: tok})
//	_, err = c.Campaigns.UpdateShortLinks(ctx, campaignID, ylytic.UpdateShortLinksParams{Add: []ylytic.PostShortLinks{{PostURL: post, ShortLinks: []string{l.ShortLink}}}})
//
// # What is sent twice
//
// The transport retries 429s and connections that failed before a request
// was written for every call. After a 5xx or a connection lost once the
// request may have reached Ylytic, a call is sent again only when a second
// copy does no harm:
//
//   - Creators.Add, Tracking.Create, Shopify.Connect: yes; each sets state
//     keyed by what it names (a profile, a connector and handle, a shop),
//     so a repeat changes nothing (ASSUMPTION: Ylytic documents no
//     duplicates).
//   - Creators.Status (a read sent as a POST), Refresh.Get,
//     ShortLinks.Insights: yes.
//   - Campaigns.UpdateShortLinks (PATCH): yes; it is idempotent by content.
//   - Refresh.Create and ShortLinks.Create: no. Each makes a new request or
//     link at Ylytic, which offers no listing to find a lost one; a lost
//     answer is an ErrOutcomeUnknown error and the decision to ask again
//     is yours.
//
// # Waits
//
// Refresh.GetAndWait and Refresh.CreateAndWait poll a data refresh request
// until its status is no longer "pending", at a growing interval (10 s to
// 1 min by default, WithPollInterval; a Retry-After sets the next one).
// WithMaxRetries means the same for a wait as for one call: a wait
// outlasts at most that many failed checks in a row when each failed
// transiently (a 429, a 5xx, a lost connection that outlasted the call's
// own retries); one more ends it with that failure. The context is the
// budget: when it ends first, the wait returns the last request seen with
// an *ItemError whose Err is a *TimeoutError. A request that ended without
// data is an *ItemError too (ErrRefreshFailed).
//
// # Real answers drift
//
// Answers are decoded tolerantly: a value that does not fit its Go type is
// left at its zero value and listed, with its JSON path, in the result's
// Response.DecodeIssues (and logged once at Warn); every other value is
// decoded, and unknown members are ignored. Only a value the SDK needs to
// go on (a control field: a data refresh request's request_id and status
// message, a new short link) fails a call, with ErrUnexpectedResponse.
// WithStrictDecoding makes any mismatch an error; the SDK's own fixture
// tests run strict. Realtime tracking's cron expression is read from
// "cron_expression" and from "cron expression" (the spelling of the
// documentation's example payload); it is sent as cron_expression, the
// name of the page's attribute table and of its answer.
//
// # Usage and budgets
//
// Ylytic's pages price none of these calls: Client.Usage reports requests,
// retries, 429s and rate-limit waits per operation, over the three hosts,
// with nothing Spent; WithBudget is refused with ErrInvalidParams.
//
// # Secrets
//
// The token, and the Shopify access token given to Shopify.Connect, never
// appear in an error, a result, a log line or %v of the client or of the
// params, also when a server or a proxy echoes them back (as is,
// percent-encoded, base64-encoded).
//
// # Identifiers
//
// Every profile URL, handle, id, campaign id and request id is checked
// before anything is sent: no blanks, no control or invisible (bidi,
// zero-width) characters, no leading or trailing spaces, not "." or "..";
// a value that becomes a path segment (a request id, a short link id, a
// campaign id) also holds none of %, /, \, ?, #; then each field's
// documented shape (an Instagram handle, a numeric Instagram user id, a
// shortcode, a Shopify domain, a cron expression). A refused value is an
// ErrInvalidParams error and costs no request.
//
// The ylytictest package runs a fake Ylytic in-process for tests and
// examples.
//
// # Calls the SDK has no method for
//
// Client.Do is the escape hatch (as go-github's NewRequest/Do and
// openai-go's client.Get/Post): it sends any request to an endpoint on
// the dashboard host, DoThirdParty one on the Third Party host and
// DoInsights one on the insights host, under the documented prefix,
// through the same pipeline as the typed calls: the client's token, its
// one limiter (shared by the three hosts: a raw call waits for the same
// window as the typed calls), retries, error kinds, redaction, observers
// and Usage. Resendable says whether it may be sent again, Route names its
// path template for observers; Costs exists for the naming scheme only
// (nothing is priced, so a cost is refused). It reaches the APIs below
// that have no typed calls, once you know their contracts:
//
//	var out struct {
//		Data []map[string]any `json:"data"`
//		Raw  json.RawMessage  `json:"-"`
//	}
//	meta, err := c.DoThirdParty(ctx, http.MethodPost, "ylytic/admin/api/v1/creators/status", nil,
//		map[string]any{"handles": handles}, &out, ylytic.Resendable(true))
//
// # Not offered
//
//   - The Campaign Tracking API and the Discovery Search API: Ylytic's API
//     overview lists them, but their pages were not read into the vendor
//     notes this package is built from, so their contracts are unknown
//     (Client.Do reaches them).
//   - The campaign webhook: Ylytic's webhook page names it, but its payload
//     was not read. The webhooks are package firstparty's:
//     firstparty.ParseWebhook reads creator_insights and
//     creator_insights_1p, and delivers an event of any other type (a
//     campaign event) as it came, its body in Raw.
//   - Listing creators, tracked creators, refresh requests, short links or
//     stores, and deleting any of them: no such endpoints are documented.
//
// # Assumptions
//
// Where Ylytic's pages are silent:
//   - error bodies are {"error":...}, {"message":...} or {"detail":...};
//   - an unknown request id or short link id is answered 404;
//   - a finished data refresh has a status message other than "pending"
//     ("completed" in the fake); "failed", "error" or a code of 400 or more
//     is a failure;
//   - tracking expiry times are sent as "2006-01-02 15:04:05" in UTC;
//   - remove_shortlinks takes add_shortlinks' element shape, and the
//     campaign PATCH answers like the other writes ({"status":"success"});
//   - Ylytic documents no rate limit: the client does not pace itself by
//     default, and honours 429 and Retry-After.
package ylytic

//go:generate go run ../internal/cmd/gengetters .
