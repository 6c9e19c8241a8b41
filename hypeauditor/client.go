package hypeauditor

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/creatorkit/creatorkit-go/internal/check"
	"github.com/creatorkit/creatorkit-go/internal/jsonx"
	"github.com/creatorkit/creatorkit-go/internal/limit"
	"github.com/creatorkit/creatorkit-go/internal/transport"
	"golang.org/x/time/rate"
)

// DefaultBaseURL is HypeAuditor's API root; each method is a path under it
// ("auditor.report", "auditor.search", ...).
const DefaultBaseURL = "https://hypeauditor.com/api/method/"

// APIVersion is the version sent as v=2 on every method call (v=1 is
// deprecated since 2024-08-01); the market analysis calls send none.
const APIVersion = "2"

// DefaultRateLimit returns the client's default budget: 99 requests a
// minute. HypeAuditor documents "less than 100 per minute" and answers 429
// above it. The transport keeps 5% of each window in reserve (a refill of
// 94.05 a minute with a burst of 4), so no 60-second window ever carries
// more than 98 requests from one client: strictly under 100 even when the
// server's clock and ours disagree by a request or two. WithWindow,
// WithRateLimit and WithLimiter replace it. Each call returns a new value.
func DefaultRateLimit() Window { return Window{N: 99, Per: time.Minute} }

const vendor = "hypeauditor"

// Client calls the HypeAuditor API. Create it with NewClient; it is safe for
// concurrent use, and its rate limiter is shared by every goroutine using
// it.
type Client struct {
	// Reports requests and waits for reports on each network, their PDF
	// exports and metrics histories, Account Media, YouTube media and
	// brand mentions.
	Reports *ReportsService
	// Connections finds a creator's accounts on the other networks (free).
	Connections *ConnectionsService
	// Unlocked lists the reports the account has unlocked.
	Unlocked *UnlockedService
	// Discovery searches for creators (each page spends a discovery
	// request; the sandbox is free), suggests accounts by name, searches
	// posts by keyword and reads the taxonomy of its filters.
	Discovery *DiscoveryService
	// Creators lists the creators of the account's network (My Network).
	Creators *CreatorsService
	// Account reads the plan, report credits and discovery requests left.
	Account *AccountService
	// Lists reads and edits the account's lists of reports.
	Lists *ListsService
	// MarketAnalysis creates and reads Instagram competitor analyses.
	MarketAnalysis *MarketAnalysisService

	t    *transport.Client
	mt   *transport.Client // market analysis: its own root, the same limiter and budgets
	book *book             // what the client knows of each account's unlock (see Usage)
}

// Option configures a Client. Like every creatorkit-go package's Option it
// works on an unexported config; a bad value makes NewClient fail with
// ErrInvalidParams.
type Option func(*config) error

// config is what the options set: the shared transport settings, and the
// root of the market analysis API when WithMarketAnalysisBaseURL sets it.
type config struct {
	transport.Settings
	marketURL string
}

// wrap lifts a transport option.
func wrap(o transport.Option) Option {
	return func(c *config) error { return o(&c.Settings) }
}

// NewClient returns a client. Credentials come from WithCredentials, else
// from $HYPEAUDITOR_CLIENT_ID and $HYPEAUDITOR_API_TOKEN; the base URL from
// WithBaseURL, else $HYPEAUDITOR_BASE_URL, else DefaultBaseURL. It fails
// with ErrInvalidParams when the client id or the token is missing, or an
// option is bad.
func NewClient(opts ...Option) (*Client, error) {
	cfg := config{Settings: transport.Defaults(vendor, DefaultBaseURL, DefaultRateLimit())}
	s := &cfg.Settings
	s.Unit = UnitReportCredits
	s.FromEnv("HYPEAUDITOR")
	s.DecodeError = decodeError
	id := strings.TrimSpace(os.Getenv("HYPEAUDITOR_CLIENT_ID"))
	token := strings.TrimSpace(os.Getenv("HYPEAUDITOR_API_TOKEN"))
	if id != "" || token != "" {
		s.Auth = credentials(id, token)
	}
	if err := transport.Apply(&cfg, opts); err != nil {
		return nil, err
	}
	if err := requireCredentials(s); err != nil {
		return nil, err
	}
	if s.Limiter == nil {
		// One limiter for both roots: they serve the same account.
		s.Limiter = limit.NewWindow(s.Windows...)
	}
	t, err := transport.New(cfg.Settings)
	if err != nil {
		return nil, err
	}
	ms := cfg.Settings
	ms.BaseURL = cfg.marketURL
	if ms.BaseURL == "" {
		ms.BaseURL = marketAnalysisURL(t.BaseURL())
	}
	mt, err := transport.New(ms)
	if err != nil {
		return nil, err
	}
	c := &Client{t: t, mt: mt, book: newBook(t)}
	c.Reports = &ReportsService{c: c}
	c.Connections = &ConnectionsService{c: c}
	c.Unlocked = &UnlockedService{c: c}
	c.Discovery = &DiscoveryService{c: c}
	c.Creators = &CreatorsService{c: c}
	c.Account = &AccountService{c: c}
	c.Lists = &ListsService{c: c}
	c.MarketAnalysis = &MarketAnalysisService{c: c}
	return c, nil
}

func credentials(clientID, token string) transport.Auth {
	return transport.Headers([2]string{"X-Auth-Id", clientID}, [2]string{"X-Auth-Token", token})
}

// requireCredentials checks that both the client id and the token are set.
func requireCredentials(s *transport.Settings) error {
	const hint = "pass hypeauditor.WithCredentials(clientID, token) or set HYPEAUDITOR_CLIENT_ID and HYPEAUDITOR_API_TOKEN"
	if s.Auth == nil {
		return transport.RequireSecret(s, hint)
	}
	for _, v := range s.Auth.Secrets() {
		if strings.TrimSpace(v) == "" {
			return transport.InvalidParams(vendor, "NewClient", "credentials", "the client id and the token are both required: %s", hint)
		}
		if check.ID(v) != "" {
			// Not the value itself: it is a secret.
			return transport.InvalidParams(vendor, "NewClient", "credentials", "the client id or the token holds control, invisible or space characters, or is too long")
		}
	}
	return transport.RequireSecret(s, hint)
}

// RateLimit returns the X-RateLimit-* state of the latest response.
// HypeAuditor documents no such headers, so Known is normally false; the
// client paces itself with DefaultRateLimit instead.
func (c *Client) RateLimit() RateLimit { return c.t.RateLimit() }

// String describes the client without its credentials.
func (c *Client) String() string { return c.t.String() }

// GoString is String, so %#v cannot print the credentials either.
func (c *Client) GoString() string { return c.t.String() }

// do sends one method call with v=2 added to its query. Its route, for
// observers, is the path: every method path is a static method name
// ("auditor.report"), the account and every other value go in the query
// or the body.
func (c *Client) do(ctx context.Context, req transport.Request, out any) (*ResponseMeta, error) {
	q := url.Values{}
	for k, v := range req.Query {
		q[k] = v
	}
	q.Set("v", APIVersion)
	req.Query = q
	req.Route = req.Path
	return c.t.Do(ctx, req, out)
}

// doResult sends req and returns the decoded {"result": ...} with the
// whole body in its Raw field and the metadata in its Response field.
// The result envelope is a control value, and so is the value at each of
// shapes (the list of a page): an answer without a result, or whose
// result or list came in a shape the SDK cannot hold, is
// ErrUnexpectedResponse.
func doResult[T any](ctx context.Context, c *Client, req transport.Request, shapes ...string) (*T, error) {
	var env struct {
		Result *T              `json:"result"`
		Raw    json.RawMessage `json:"-"`
	}
	meta, err := c.do(ctx, req, &env)
	if err != nil {
		return nil, err
	}
	if err := c.checkShapes(req.Op, meta, env.Result != nil, shapes...); err != nil {
		return nil, err
	}
	transport.SetResult(env.Result, env.Raw, meta)
	return env.Result, nil
}

// checkShapes refuses an answer the call cannot go on with: no result
// (hasResult false), or a result, or a value at one of paths (JSON paths
// under "result"), whose own shape did not fit its type (a list sent as
// an object, say). Values deeper inside that did not fit are only listed
// in meta.DecodeIssues.
func (c *Client) checkShapes(op string, meta *ResponseMeta, hasResult bool, paths ...string) error {
	var bad *jsonx.Issue
	for i, is := range meta.DecodeIssues {
		if is.Path == "result" || slices.Contains(paths, is.Path) {
			bad = &meta.DecodeIssues[i]
			break
		}
	}
	if bad == nil && hasResult {
		return nil
	}
	var e *Error
	if bad != nil {
		e = transport.NewError(vendor, op, ErrUnexpectedResponse, "the answer cannot be used: %s", bad)
	} else {
		e = transport.NewError(vendor, op, ErrUnexpectedResponse, "the answer has no result")
	}
	e.StatusCode, e.RequestID, e.Attempts = meta.StatusCode, meta.RequestID, meta.Attempts
	c.t.RedactValue(e)
	return e
}

// WithCredentials authenticates with the X-Auth-Id (client id) and
// X-Auth-Token (API token) headers. The token changes when the account's
// password changes.
func WithCredentials(clientID, token string) Option {
	return wrap(transport.WithAuth(credentials(strings.TrimSpace(clientID), strings.TrimSpace(token))))
}

// WithBaseURL sets the API root (a hypeauditortest server's URL in tests).
func WithBaseURL(u string) Option { return wrap(transport.WithBaseURL(u)) }

// WithHTTPClient sets the HTTP client; its Transport is wrapped, never
// modified, and its Timeout applies to each attempt.
func WithHTTPClient(hc *http.Client) Option { return wrap(transport.WithHTTPClient(hc)) }

// WithMaxRetries sets how many times a failed attempt may be repeated
// (default 3; 0 disables retries). It means the same for the AndWait
// helpers: a wait outlasts as many failed checks in a row (each a 429, a
// 5xx or a lost connection that outlasted the transport's own retries,
// or a lost answer to the report request it asks again for), and the
// next one ends it with that failure. The iterators (SearchAll, ListAll,
// ...) add no retries of their own: a page that failed after the
// transport's retries ends the walk with its error.
func WithMaxRetries(n int) Option { return wrap(transport.WithMaxRetries(n)) }

// WithRetryWait bounds the backoff between attempts (default 500 ms to 30
// s). HypeAuditor sends no Retry-After with its 429s, so a 429 is retried
// after this backoff.
func WithRetryWait(minWait, maxWait time.Duration) Option {
	return wrap(transport.WithRetryWait(minWait, maxWait))
}

// WithMaxRetryAfter sets the longest Retry-After or X-RateLimit-Reset wait
// the client sleeps through (default 60 s); a longer one is returned as
// ErrRateLimited with RetryAfter set. HypeAuditor documents neither
// header, so it matters only behind a proxy that sends them.
func WithMaxRetryAfter(d time.Duration) Option { return wrap(transport.WithMaxRetryAfter(d)) }

// WithRateLimit replaces the default pacing (DefaultRateLimit) with one
// token bucket; rate.Inf turns client-side pacing off.
func WithRateLimit(r rate.Limit, burst int) Option { return wrap(transport.WithRateLimit(r, burst)) }

// WithWindow replaces the default limit with another budget of n requests
// per period, kept with the SDK's 5% safety margin.
func WithWindow(n int, per time.Duration) Option {
	return wrap(transport.WithWindows(Window{N: n, Per: per}))
}

// WithLimiter replaces the client-side limiter, e.g. with one shared by
// several processes using the same credentials (contrib/redislimit).
func WithLimiter(l Limiter) Option { return wrap(transport.WithLimiter(l)) }

// WithMaxConcurrency caps requests in flight at once (default 0: no cap;
// the rate limit is HypeAuditor's only documented bound).
func WithMaxConcurrency(n int) Option { return wrap(transport.WithMaxConcurrency(n)) }

// WithUserAgent appends your app's name to the User-Agent.
func WithUserAgent(app string) Option { return wrap(transport.WithUserAgent(app)) }

// WithLogger logs each attempt (Debug) and retry (Info). Credentials are
// never logged.
func WithLogger(l *slog.Logger) Option { return wrap(transport.WithLogger(l)) }

// WithObserver sets the observer of every call the client makes (one
// StartCall and EndCall per call, one EndAttempt per request sent), on
// both roots (the method calls and the market analysis calls), and of
// every AndWait helper (one call per wait, Polls counting its checks, its
// requests observed as calls of their own inside it). Events name the
// operation ("Reports.InstagramAndWait") and the route: HypeAuditor's
// method name ("auditor.report"), or a market analysis path template
// ("instagramCompetitorAnalysis/{report_id}"); never an account, id, query
// value or credential. contrib/otel turns them into spans and metrics. A
// nil observer is ErrInvalidParams.
func WithObserver(o Observer) Option { return wrap(transport.WithObserver(o)) }

// WithStrictDecoding makes a success body with any value that does not fit
// the SDK's types an error (ErrUnexpectedResponse, listing the values)
// instead of a result whose Response.DecodeIssues lists them. By default
// the client decodes tolerantly: such a value is left at its zero value,
// everything else is decoded, and only the control values (report_state,
// retryTtl, the result envelope and the lists of a page, total_pages,
// next_cursor, a connection's social_id and state) fail a call. Use it in
// tests that must catch drift between HypeAuditor's answers and the
// models.
func WithStrictDecoding() Option { return wrap(transport.WithStrictDecoding()) }
