package firstparty

import (
	"log/slog"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/creatorkit/creatorkit-go/internal/transport"
	"golang.org/x/time/rate"
)

// Ylytic's published First Party API page leaves the three endpoint URLs
// blank. The defaults below are ASSUMPTIONS taken from Ylytic's sibling
// API pages (same bearer token, same /ylytic/api/v1 prefix): the two
// verification calls on the dashboard host, the insights read on the
// insights host. Override them with WithBaseURL, WithInsightsBaseURL and
// WithPaths once Ylytic confirms the real ones.
const (
	// DefaultBaseURL is the assumed root of Create Verification URL and
	// Verify Creator (and of insights too when WithBaseURL is given and
	// WithInsightsBaseURL is not).
	DefaultBaseURL = "https://dashboard.ylytic.com/ylytic/api/v1"
	// DefaultInsightsBaseURL is the assumed root of Get Instagram Creator
	// Insights.
	DefaultInsightsBaseURL = "https://insights.ylytic.com/ylytic/api/v1"
)

// Paths are the endpoint paths, relative to their base URL. A leading
// slash is ignored, so a base URL's own path is kept.
type Paths struct {
	// CreateVerificationURL is the POST of Create Verification URL.
	CreateVerificationURL string
	// VerifyCreator is the POST of Verify Creator.
	VerifyCreator string
	// Insights is the GET of Get Instagram Creator Insights; it must
	// contain "{creator_id}", which is replaced by the escaped id.
	Insights string
}

// DefaultPaths returns the ASSUMED paths (the vendor page leaves them
// blank): the two verification calls named after the page's headings, and
// the insights read mirroring Ylytic's documented /insights/creators/{id}
// on the insights host. Each call returns a new value.
func DefaultPaths() Paths {
	return Paths{
		CreateVerificationURL: "first_party/verification_url",
		VerifyCreator:         "first_party/verify",
		Insights:              "insights/creators/{creator_id}",
	}
}

const (
	vendor = "firstparty"
	// creatorIDPlaceholder is replaced in Paths.Insights.
	creatorIDPlaceholder = "{creator_id}"
)

// Client calls Ylytic's First Party API. Create it with NewClient; it is
// safe for concurrent use.
type Client struct {
	// Verification creates verification URLs and verifies creators.
	Verification *VerificationService
	// Insights reads a verified creator's first-party insights.
	Insights *InsightsService

	t     *transport.Client // verification host
	ins   *transport.Client // insights host (t itself when the roots match)
	paths Paths

	strict             bool          // WithStrictDecoding, for webhooks
	retryMin, retryMax time.Duration // the transport's backoff, for the flow's own waits
}

// config is what the options configure: the shared transport settings
// plus the second host and the paths, which transport.Settings has no
// room for.
type config struct {
	transport.Settings
	baseSet     bool
	insightsURL string
	paths       Paths
}

// Option configures a Client. Like every creatorkit-go package's Option it
// works on an unexported config: besides the shared transport settings,
// First Party has a second host (WithInsightsBaseURL) and assumed paths
// (WithPaths).
type Option func(*config) error

// wrap lifts a transport option.
func wrap(o transport.Option) Option {
	return func(s *config) error { return o(&s.Settings) }
}

// NewClient returns a client. The token comes from WithToken, else from
// $FIRSTPARTY_TOKEN. The verification root comes from WithBaseURL, else
// $FIRSTPARTY_BASE_URL, else DefaultBaseURL; the insights root from
// WithInsightsBaseURL, else $FIRSTPARTY_INSIGHTS_BASE_URL, else the
// verification root when that was set explicitly (one URL points every
// endpoint at a proxy or a firstpartytest fake), else
// DefaultInsightsBaseURL. It fails with ErrInvalidParams when no token is
// found or an option is bad.
//
// Ylytic documents no rate limit, so the client does not pace itself by
// default (WithRateLimit and WithWindow add pacing); it honours 429 and
// Retry-After.
func NewClient(opts ...Option) (*Client, error) {
	s := config{Settings: transport.Defaults(vendor, DefaultBaseURL), paths: DefaultPaths()}
	s.DecodeError = decodeError
	if v := strings.TrimSpace(os.Getenv("FIRSTPARTY_BASE_URL")); v != "" {
		if err := transport.WithBaseURL(v)(&s.Settings); err != nil {
			return nil, err
		}
		s.baseSet = true
	}
	if v := strings.TrimSpace(os.Getenv("FIRSTPARTY_INSIGHTS_BASE_URL")); v != "" {
		if err := WithInsightsBaseURL(v)(&s); err != nil {
			return nil, err
		}
	}
	if k := strings.TrimSpace(os.Getenv("FIRSTPARTY_TOKEN")); k != "" {
		s.Auth = transport.Bearer(k)
	}
	if err := transport.Apply(&s, opts); err != nil {
		return nil, err
	}
	if err := transport.RequireSecret(&s.Settings, "pass firstparty.WithToken or set FIRSTPARTY_TOKEN"); err != nil {
		return nil, err
	}
	insURL := s.insightsURL
	if insURL == "" && !s.baseSet {
		insURL = DefaultInsightsBaseURL
	}
	if insURL == "" {
		insURL = s.BaseURL
	}
	// One limiter for both hosts: they serve the same account.
	ts, _, err := transport.NewPerHost(s.Settings, s.BaseURL, insURL)
	if err != nil {
		return nil, err
	}
	c := &Client{t: ts[0], ins: ts[1], paths: s.paths, strict: s.StrictDecoding, retryMin: s.RetryWaitMin, retryMax: s.RetryWaitMax}
	c.Verification = &VerificationService{c: c}
	c.Insights = &InsightsService{c: c}
	return c, nil
}

// RateLimit returns the X-RateLimit-* state of the latest response that
// carried those headers, from either host.
func (c *Client) RateLimit() RateLimit { return transport.LatestRateLimit(c.t, c.ins) }

// route is a path's template for observers (Request.Route): the path as
// configured, placeholders kept ("insights/creators/{creator_id}").
func route(p string) string { return strings.TrimPrefix(p, "/") }

// Paths returns the endpoint paths the client uses.
func (c *Client) Paths() Paths { return c.paths }

// String describes the client without its token.
func (c *Client) String() string {
	if c.ins == c.t {
		return c.t.String()
	}
	return c.t.String() + "; insights base " + c.ins.BaseURL()
}

// GoString is String, so %#v cannot print the token either.
func (c *Client) GoString() string { return c.String() }

// WithToken authenticates with "Authorization: Bearer <token>", the
// scheme Ylytic documents (its pages write Bearer {{auth_token}}).
func WithToken(token string) Option {
	return wrap(transport.WithAuth(transport.Bearer(strings.TrimSpace(token))))
}

// WithBaseURL sets the root of the verification endpoints, and of the
// insights endpoint unless WithInsightsBaseURL sets that one (a
// firstpartytest server's URL in tests).
func WithBaseURL(u string) Option {
	o := transport.WithBaseURL(u)
	return func(s *config) error {
		if err := o(&s.Settings); err != nil {
			return err
		}
		s.baseSet = true
		return nil
	}
}

// WithInsightsBaseURL sets the root of Get Instagram Creator Insights
// (default DefaultInsightsBaseURL, an assumption).
func WithInsightsBaseURL(u string) Option {
	o := transport.WithBaseURL(u)
	return func(s *config) error {
		tmp := s.Settings
		if err := o(&tmp); err != nil {
			return invalidParams("NewClient", "WithInsightsBaseURL", "insights base URL %q is not an absolute http(s) URL", u)
		}
		s.insightsURL = tmp.BaseURL
		return nil
	}
}

// WithPaths replaces the endpoint paths (default DefaultPaths(), which are
// assumptions). Empty fields keep their default; Insights must contain
// "{creator_id}".
func WithPaths(p Paths) Option {
	return func(s *config) error {
		for _, f := range []struct {
			v   string
			dst *string
		}{{p.CreateVerificationURL, &s.paths.CreateVerificationURL}, {p.VerifyCreator, &s.paths.VerifyCreator}, {p.Insights, &s.paths.Insights}} {
			if v := strings.TrimSpace(f.v); v != "" {
				*f.dst = v
			}
		}
		if !strings.Contains(s.paths.Insights, creatorIDPlaceholder) {
			return invalidParams("NewClient", "WithPaths", "the insights path %q has no %s", s.paths.Insights, creatorIDPlaceholder)
		}
		return nil
	}
}

// WithHTTPClient sets the HTTP client; its Transport is wrapped, never
// modified, and its Timeout applies to each attempt.
func WithHTTPClient(hc *http.Client) Option { return wrap(transport.WithHTTPClient(hc)) }

// WithMaxRetries sets how many times a failed attempt may be repeated
// (default 3; 0 disables retries).
func WithMaxRetries(n int) Option { return wrap(transport.WithMaxRetries(n)) }

// WithRetryWait bounds the backoff between attempts (default 500 ms to 30 s).
func WithRetryWait(minWait, maxWait time.Duration) Option {
	return wrap(transport.WithRetryWait(minWait, maxWait))
}

// WithMaxRetryAfter sets the longest Retry-After or X-RateLimit-Reset wait
// the client sleeps through (default 60 s); a longer one is returned as
// ErrRateLimited with RetryAfter set.
func WithMaxRetryAfter(d time.Duration) Option { return wrap(transport.WithMaxRetryAfter(d)) }

// WithRateLimit paces the client with one token bucket; rate.Inf (the
// default, as Ylytic documents no limit) turns pacing off.
func WithRateLimit(r rate.Limit, burst int) Option { return wrap(transport.WithRateLimit(r, burst)) }

// WithWindow paces the client under a request budget, e.g. a limit Ylytic
// gave your account.
func WithWindow(n int, per time.Duration) Option {
	return wrap(transport.WithWindows(Window{N: n, Per: per}))
}

// WithLimiter replaces the client-side limiter, e.g. with one shared by
// several processes using the same token (contrib/redislimit).
func WithLimiter(l Limiter) Option { return wrap(transport.WithLimiter(l)) }

// WithMaxConcurrency caps requests in flight at once (default 0: no cap).
// When the verification and insights hosts differ (the defaults), each
// host gets its own cap of n.
func WithMaxConcurrency(n int) Option { return wrap(transport.WithMaxConcurrency(n)) }

// WithUserAgent appends your app's name to the User-Agent.
func WithUserAgent(app string) Option { return wrap(transport.WithUserAgent(app)) }

// WithLogger logs each attempt (Debug) and retry (Info). Tokens are never
// logged.
func WithLogger(l *slog.Logger) Option { return wrap(transport.WithLogger(l)) }

// WithObserver gives every call the client makes, on both hosts, to o: one
// event per request sent (EndAttempt) and per call (StartCall, EndCall),
// and one call per wait or flow step (Insights.GetAndWait, whose EndCall
// counts its status checks in Polls; ConnectFlow.Start; and
// ConnectFlow.Complete, whose Polls count its Verify Creator tries): their
// requests are calls of their own, under that call's context. Events name
// the call by its operation ("Insights.Get") and its route, the path
// template of Paths ("insights/creators/{creator_id}"): they never carry
// the token, a creator id, a state, a token or a query value.
// contrib/otel turns them into OpenTelemetry spans and metrics. A nil
// observer is refused.
func WithObserver(o Observer) Option { return wrap(transport.WithObserver(o)) }

// WithStrictDecoding makes any value of an answer that does not fit the
// SDK's types an error (ErrUnexpectedResponse, not retried) instead of a
// result listing it in Response.DecodeIssues; webhooks parsed through the
// client (Client.ParseWebhookBody, WithWebhookClient) are refused the same
// way. By default the SDK decodes tolerantly: every value that fits is
// decoded, the rest is left at its zero value and listed, and only a value
// the SDK needs to go on (a control field: a verification's state, status
// and creator_id, the insights status, the verification URL) fails a
// call. Use it in tests to catch drift between Ylytic and the SDK early.
func WithStrictDecoding() Option { return wrap(transport.WithStrictDecoding()) }
