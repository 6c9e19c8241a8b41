package ylytic

import (
	"log/slog"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/creatorkit/creatorkit-go/internal/transport"
	"golang.org/x/time/rate"
)

// Hosts are the roots of Ylytic's account APIs: the documented paths
// (/ylytic/api/v1/..., /ylytic/admin/api/v1/...) are resolved under them.
// A root's own path is kept, so a proxy may serve them under a prefix.
type Hosts struct {
	// ThirdParty serves the Third Party API: Creators.Add and
	// Creators.Status (default https://app.ylytic.com).
	ThirdParty string
	// Dashboard serves realtime tracking, data refresh, short links,
	// Shopify and campaigns (default https://dashboard.ylytic.com).
	Dashboard string
	// Insights serves ShortLinks.Insights (default
	// https://insights.ylytic.com).
	Insights string
}

// DefaultHosts returns the hosts Ylytic's API pages document. Each call
// returns a new value.
func DefaultHosts() Hosts {
	return Hosts{
		ThirdParty: "https://app.ylytic.com",
		Dashboard:  "https://dashboard.ylytic.com",
		Insights:   "https://insights.ylytic.com",
	}
}

// The documented paths, relative to their host. Each is also the route
// observers see, with ids replaced by placeholders.
const (
	pathCreators        = "ylytic/admin/api/v1/creators"
	pathCreatorsStatus  = "ylytic/admin/api/v1/creators/status"
	pathTracking        = "ylytic/api/v1/rt_tracking/creators"
	pathRefresh         = "ylytic/api/v1/data_refresh/requests"
	routeRefreshGet     = "ylytic/api/v1/data_refresh/requests/{request_id}"
	pathShortLinks      = "ylytic/admin/api/v1/shortlinks"
	routeShortLinkStats = "ylytic/admin/api/v1/shortlinks/{id}/insights"
	pathShopifyShop     = "ylytic/admin/api/v1/shopify_shop"
	routeCampaign       = "ylytic/admin/api/v1/campaigns/{campaign_id}"
)

const vendor = "ylytic"

// Client calls Ylytic's account APIs. Create it with NewClient; it is safe
// for concurrent use.
type Client struct {
	// Creators adds creators to the dashboard and reads their status
	// (Third Party API).
	Creators *CreatorsService
	// Tracking puts creators under realtime tracking.
	Tracking *TrackingService
	// Refresh requests fresh data of a creator or a post and reads the
	// request (Data Refresh API).
	Refresh *RefreshService
	// ShortLinks creates tracked short links and reads their clicks (Link
	// Tracking API).
	ShortLinks *ShortLinksService
	// Shopify connects a Shopify store (Shopify Sales Tracking API).
	Shopify *ShopifyService
	// Campaigns adds short links to a campaign's posts and removes them.
	Campaigns *CampaignsService

	third, dash, ins *transport.Client // one per distinct host (the same client when two hosts match)
	all              []*transport.Client
}

// config is what the options configure: the shared transport settings
// plus the three hosts, which transport.Settings has no room for.
type config struct {
	transport.Settings
	hosts Hosts
}

// Option configures a Client. Like every creatorkit-go package's Option it
// works on an unexported config: besides the shared transport settings,
// Ylytic has three hosts (WithBaseURL, WithHosts).
type Option func(*config) error

// wrap lifts a transport option.
func wrap(o transport.Option) Option {
	return func(s *config) error { return o(&s.Settings) }
}

// NewClient returns a client. The token comes from WithToken, else from
// $YLYTIC_TOKEN, else from $FIRSTPARTY_TOKEN: Ylytic issues one bearer
// token per account for all its APIs (every page writes Bearer
// {{auth_token}}), so a token set up for package firstparty serves this
// one too. The hosts come from WithHosts and WithBaseURL, else
// $YLYTIC_BASE_URL (one root for every endpoint: a proxy, a ylytictest
// fake), else DefaultHosts(). It fails with ErrInvalidParams when no token
// is found or an option is bad.
//
// Ylytic documents no rate limit, so the client does not pace itself by
// default (WithRateLimit and WithWindow add pacing, shared by the three
// hosts); it honours 429 and Retry-After.
func NewClient(opts ...Option) (*Client, error) {
	s := config{Settings: transport.Defaults(vendor, DefaultHosts().Dashboard), hosts: DefaultHosts()}
	s.DecodeError = decodeError
	if v := strings.TrimSpace(os.Getenv("YLYTIC_BASE_URL")); v != "" {
		if err := WithBaseURL(v)(&s); err != nil {
			return nil, err
		}
	}
	for _, env := range []string{"YLYTIC_TOKEN", "FIRSTPARTY_TOKEN"} {
		if k := strings.TrimSpace(os.Getenv(env)); k != "" {
			s.Auth = transport.Bearer(k)
			break
		}
	}
	if err := transport.Apply(&s, opts); err != nil {
		return nil, err
	}
	if err := transport.RequireSecret(&s.Settings, "pass ylytic.WithToken or set YLYTIC_TOKEN"); err != nil {
		return nil, err
	}
	// One limiter for every host: they serve the same account.
	ts, all, err := transport.NewPerHost(s.Settings, s.hosts.ThirdParty, s.hosts.Dashboard, s.hosts.Insights)
	if err != nil {
		return nil, err
	}
	c := &Client{third: ts[0], dash: ts[1], ins: ts[2], all: all}
	c.Creators = &CreatorsService{c: c}
	c.Tracking = &TrackingService{c: c}
	c.Refresh = &RefreshService{c: c}
	c.ShortLinks = &ShortLinksService{c: c}
	c.Shopify = &ShopifyService{c: c}
	c.Campaigns = &CampaignsService{c: c}
	return c, nil
}

// Hosts returns the hosts the client uses.
func (c *Client) Hosts() Hosts {
	return Hosts{ThirdParty: c.third.BaseURL(), Dashboard: c.dash.BaseURL(), Insights: c.ins.BaseURL()}
}

// RateLimit returns the X-RateLimit-* state of the latest response that
// carried those headers, from any host.
func (c *Client) RateLimit() RateLimit { return transport.LatestRateLimit(c.all...) }

// String describes the client without its token.
func (c *Client) String() string {
	var parts []string
	for _, t := range c.all {
		parts = append(parts, t.String())
	}
	return strings.Join(parts, "; ")
}

// GoString is String, so %#v cannot print the token either.
func (c *Client) GoString() string { return c.String() }

// LogValue makes slog print the description without the token.
func (c *Client) LogValue() slog.Value { return slog.StringValue(c.String()) }

// WithToken authenticates with "Authorization: Bearer <token>", the
// scheme Ylytic documents on every API page.
func WithToken(token string) Option {
	return wrap(transport.WithAuth(transport.Bearer(strings.TrimSpace(token))))
}

// WithBaseURL sends every call to one root (a proxy, or a ylytictest
// fake's URL in tests), under the documented paths: the same as WithHosts
// with all three hosts set to u.
func WithBaseURL(u string) Option {
	return func(s *config) error {
		tmp := s.Settings
		if err := transport.WithBaseURL(u)(&tmp); err != nil {
			return err
		}
		s.hosts = Hosts{ThirdParty: tmp.BaseURL, Dashboard: tmp.BaseURL, Insights: tmp.BaseURL}
		return nil
	}
}

// WithHosts replaces some or all of the hosts (default DefaultHosts());
// an empty field keeps its current value. Each must be an absolute
// http(s) URL.
func WithHosts(h Hosts) Option {
	return func(s *config) error {
		for _, f := range []struct {
			name, v string
			dst     *string
		}{{"ThirdParty", h.ThirdParty, &s.hosts.ThirdParty}, {"Dashboard", h.Dashboard, &s.hosts.Dashboard}, {"Insights", h.Insights, &s.hosts.Insights}} {
			if strings.TrimSpace(f.v) == "" {
				continue
			}
			tmp := s.Settings
			if err := transport.WithBaseURL(f.v)(&tmp); err != nil {
				return invalidParams("NewClient", "WithHosts", "the %s host %q is not an absolute http(s) URL", f.name, f.v)
			}
			*f.dst = tmp.BaseURL
		}
		return nil
	}
}

// WithHTTPClient sets the HTTP client; its Transport is wrapped, never
// modified, and its Timeout applies to each attempt.
func WithHTTPClient(hc *http.Client) Option { return wrap(transport.WithHTTPClient(hc)) }

// WithMaxRetries sets how many times a failed attempt may be repeated
// (default 3; 0 disables retries). It means the same for a wait: see
// Refresh.GetAndWait.
func WithMaxRetries(n int) Option { return wrap(transport.WithMaxRetries(n)) }

// WithRetryWait bounds the backoff between attempts (default 500 ms to 30 s).
func WithRetryWait(minWait, maxWait time.Duration) Option {
	return wrap(transport.WithRetryWait(minWait, maxWait))
}

// WithMaxRetryAfter sets the longest Retry-After or X-RateLimit-Reset wait
// the client sleeps through (default 60 s); a longer one is returned as
// ErrRateLimited with RetryAfter set.
func WithMaxRetryAfter(d time.Duration) Option { return wrap(transport.WithMaxRetryAfter(d)) }

// WithRateLimit paces the client with one token bucket shared by the
// three hosts; rate.Inf (the default, as Ylytic documents no limit) turns
// pacing off.
func WithRateLimit(r rate.Limit, burst int) Option { return wrap(transport.WithRateLimit(r, burst)) }

// WithWindow paces the client under a request budget, e.g. a limit Ylytic
// gave your account.
func WithWindow(n int, per time.Duration) Option {
	return wrap(transport.WithWindows(Window{N: n, Per: per}))
}

// WithLimiter replaces the client-side limiter, e.g. with one shared by
// several processes using the same token (contrib/redislimit).
func WithLimiter(l Limiter) Option { return wrap(transport.WithLimiter(l)) }

// WithMaxConcurrency caps requests in flight at once (default 0: no cap),
// per host: with the default hosts each of the three gets its own cap of n.
func WithMaxConcurrency(n int) Option { return wrap(transport.WithMaxConcurrency(n)) }

// WithUserAgent appends your app's name to the User-Agent.
func WithUserAgent(app string) Option { return wrap(transport.WithUserAgent(app)) }

// WithLogger logs each attempt (Debug) and retry (Info). The token and a
// Shopify access token are never logged.
func WithLogger(l *slog.Logger) Option { return wrap(transport.WithLogger(l)) }

// WithStrictDecoding makes any value of an answer that does not fit the
// SDK's types an error (ErrUnexpectedResponse, not retried) instead of a
// result listing it in Response.DecodeIssues. By default the SDK decodes
// tolerantly: every value that fits is decoded, the rest is left at its
// zero value and listed, and only a value the SDK needs to go on (a
// control field: a data refresh request's request_id and status message,
// a short link) fails a call. Use it in tests to catch drift between
// Ylytic and the SDK early.
func WithStrictDecoding() Option { return wrap(transport.WithStrictDecoding()) }

// WithObserver sets the observer of every call and attempt (and of each
// wait, as a call of its own): contrib/otel turns the events into
// OpenTelemetry spans and metrics. Events carry no token, id, handle or
// query value; routes are path templates.
func WithObserver(o Observer) Option { return wrap(transport.WithObserver(o)) }
