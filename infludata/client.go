package infludata

import (
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/creatorkit/creatorkit-go/internal/check"
	"github.com/creatorkit/creatorkit-go/internal/transport"
	"golang.org/x/time/rate"
)

// DefaultBaseURL is the Social API's root.
const DefaultBaseURL = "https://app.infludata.com/api/externalAPI"

const vendor = "infludata"

// Plan is the kind of key, which sets the documented burst limits.
type Plan string

// Key kinds.
const (
	// Trial keys (createTrialKey + verifyTrialKey): 2 requests a second and
	// 60 a minute, 250 requests in total, valid 14 days; bulkAddToEnrich
	// takes at most 10 creators per call and addToWeeklyEnrichment is not
	// available.
	Trial Plan = "trial"
	// Production (organization) keys: 25 requests a second and 1,000 a
	// minute, a monthly volume set by the plan.
	Production Plan = "production"
)

// Windows returns the plan's documented burst limits.
func (p Plan) Windows() []Window {
	if p == Trial {
		return []Window{{N: 2, Per: time.Second}, {N: 60, Per: time.Minute}}
	}
	return []Window{{N: 25, Per: time.Second}, {N: 1000, Per: time.Minute}}
}

// MaxConcurrency is the README's fair-usage cap on concurrent connections
// per key; the client never has more requests in flight.
const MaxConcurrency = 10

// Client calls the influData Social API. Create it with NewClient; it is
// safe for concurrent use, and its rate limiter is shared by every
// goroutine using it.
type Client struct {
	// Profiles reads creator profiles (getUserData), their data status
	// (checkDataStatus), and waits for audience reports.
	Profiles *ProfilesService
	// Enrichment queues creators for enrichment (bulkAddToEnrich).
	Enrichment *EnrichmentService
	// Discovery searches the creator database (discovery) and lists the
	// cities its city filter takes (getCitiesForCountry).
	Discovery *DiscoveryService
	// Content queries content pieces (getContent).
	Content *ContentService
	// Account reads the key's balance (getClientInfo).
	Account *AccountService
	// Trial signs up for a trial key (no key needed; see also NewSignup).
	Trial *TrialService

	t       *transport.Client
	plan    Plan
	balance balance // the latest balance influData reported
}

// config is what options change: the shared transport settings (the
// plan's windows among them).
type config struct {
	transport.Settings
}

// Option configures a Client (NewClient) or the trial signup (NewSignup).
type Option func(*config) error

func wrap(o transport.Option) Option { return func(c *config) error { return o(&c.Settings) } }

// NewClient returns a client. The API key comes from WithAPIKey, else from
// $INFLUDATA_API_KEY; the base URL from WithBaseURL, else
// $INFLUDATA_BASE_URL, else DefaultBaseURL; the plan from WithPlan, else
// $INFLUDATA_PLAN ("trial" or "production"), else Production. It fails with
// ErrInvalidParams when no key is found or an option is bad.
func NewClient(opts ...Option) (*Client, error) {
	s, err := settings(opts)
	if err != nil {
		return nil, err
	}
	if err := transport.RequireSecret(&s, "pass infludata.WithAPIKey or set INFLUDATA_API_KEY (a free trial key: see NewSignup)"); err != nil {
		return nil, err
	}
	return newClient(s)
}

// settings builds the transport settings from the defaults, the
// environment and the options.
func settings(opts []Option) (transport.Settings, error) {
	plan := Production
	if v := strings.ToLower(strings.TrimSpace(os.Getenv("INFLUDATA_PLAN"))); v == string(Trial) {
		plan = Trial
	}
	cfg := config{Settings: transport.Defaults(vendor, DefaultBaseURL, plan.Windows()...)}
	cfg.MaxConcurrency = MaxConcurrency
	cfg.Unit = Unit
	cfg.PaceWindows = DefaultFairUsage().windows()
	cfg.DecodeError = decodeError
	cfg.Rules = retryRules
	cfg.FromEnv("INFLUDATA")
	if k := strings.TrimSpace(os.Getenv("INFLUDATA_API_KEY")); k != "" {
		cfg.Auth = transport.Bearer(k)
	}
	if err := transport.Apply(&cfg, opts); err != nil {
		return cfg.Settings, err
	}
	return cfg.Settings, nil
}

func newClient(s transport.Settings) (*Client, error) {
	t, err := transport.New(s)
	if err != nil {
		return nil, err
	}
	c := &Client{t: t, plan: planOf(s.Windows)}
	c.balance.Store(-1)
	c.Profiles = &ProfilesService{c: c}
	c.Enrichment = &EnrichmentService{c: c}
	c.Discovery = &DiscoveryService{c: c}
	c.Content = &ContentService{c: c}
	c.Account = &AccountService{c: c}
	c.Trial = &TrialService{t: t}
	return c, nil
}

// planOf reads the plan back from the configured windows: WithPlan(Trial)
// sets 2/s and 60/min (on any time scale, as the fakes use). Everything
// else is treated as a production key.
func planOf(ws []Window) Plan {
	if len(ws) == 2 && ws[0].N == 2 && ws[1].N == 60 {
		return Trial
	}
	return Production
}

// Plan returns the plan the client paces itself for.
func (c *Client) Plan() Plan { return c.plan }

// RateLimit returns the X-RateLimit-* state of the latest response that
// carried such headers.
func (c *Client) RateLimit() RateLimit { return c.t.RateLimit() }

// String describes the client without its key.
func (c *Client) String() string { return fmt.Sprintf("%s, %s plan", c.t.String(), c.plan) }

// GoString is String, so %#v cannot print the key either.
func (c *Client) GoString() string { return c.String() }

// WithAPIKey authenticates with "Authorization: Bearer <key>", as the
// Social API documents. A key that is blank, has leading or trailing
// spaces, or holds a control or invisible character makes NewClient fail
// with ErrInvalidParams (the error never shows the key).
func WithAPIKey(key string) Option {
	return func(c *config) error {
		if check.ID(key) != "" {
			return transport.InvalidParams(vendor, "NewClient", "WithAPIKey",
				"the API key is blank, has surrounding spaces, is longer than 256 bytes or holds a control or invisible character")
		}
		return transport.WithAuth(transport.Bearer(key))(&c.Settings)
	}
}

// WithPlan paces the client for the key's documented burst limits: Trial
// is 2 requests a second and 60 a minute, Production 25 a second and 1,000
// a minute (the default). Either way at most 10 requests are in flight at
// once. On a trial key bulkAddToEnrich is split into batches of 10.
func WithPlan(p Plan) Option {
	return func(c *config) error {
		if p != Trial && p != Production {
			return transport.InvalidParams(vendor, "NewClient", "WithPlan", "plan must be infludata.Trial or infludata.Production, got %q", p)
		}
		c.Windows, c.Limiter = p.Windows(), nil
		c.MaxConcurrency = MaxConcurrency
		return nil
	}
}

// WithBaseURL sets the API root (an infludatatest server's URL in tests).
func WithBaseURL(u string) Option { return wrap(transport.WithBaseURL(u)) }

// WithHTTPClient sets the HTTP client; its Transport is wrapped, never
// modified, and its Timeout applies to each attempt.
func WithHTTPClient(hc *http.Client) Option { return wrap(transport.WithHTTPClient(hc)) }

// WithMaxRetries sets how many times a failed attempt may be repeated
// (default 3; 0 disables retries). Paid calls are never repeated after an
// answer that may have been charged was lost; see ErrOutcomeUnknown. It
// means the same for the waits: GetAndWait and GetAndWaitAll outlast as
// many transient failures in a row (each one a call that failed after its
// own retries) and end with the next.
func WithMaxRetries(n int) Option { return wrap(transport.WithMaxRetries(n)) }

// WithRetryWait bounds the backoff between attempts (default 500 ms to 30 s).
func WithRetryWait(minWait, maxWait time.Duration) Option {
	return wrap(transport.WithRetryWait(minWait, maxWait))
}

// WithMaxRetryAfter sets the longest Retry-After wait the client sleeps
// through (default 60 s); a longer one is returned as ErrRateLimited with
// RetryAfter set. (influData documents no Retry-After on its burst 429s;
// this caps it if one is sent.)
func WithMaxRetryAfter(d time.Duration) Option { return wrap(transport.WithMaxRetryAfter(d)) }

// WithRateLimit replaces the plan's pacing with one token bucket; rate.Inf
// turns the burst pacing off. The fair-usage pacing stays (WithFairUsage(0,
// 0) turns it off).
func WithRateLimit(r rate.Limit, burst int) Option { return wrap(transport.WithRateLimit(r, burst)) }

// WithWindow replaces the plan's limits with one budget of n requests per
// period.
func WithWindow(n int, per time.Duration) Option {
	return wrap(transport.WithWindows(Window{N: n, Per: per}))
}

// WithWindows replaces the plan's limits with several budgets, all kept.
func WithWindows(ws ...Window) Option { return wrap(transport.WithWindows(ws...)) }

// WithMaxConcurrency changes the cap on requests in flight (default 10, the
// documented fair-usage limit).
func WithMaxConcurrency(n int) Option { return wrap(transport.WithMaxConcurrency(n)) }

// WithLimiter replaces the client-side limiter of the burst limits, e.g.
// with one shared by several processes using the same key (the fair-usage
// pacing stays the client's own: see WithFairUsage).
func WithLimiter(l Limiter) Option { return wrap(transport.WithLimiter(l)) }

// WithUserAgent appends your app's name to the User-Agent.
func WithUserAgent(app string) Option { return wrap(transport.WithUserAgent(app)) }

// WithStrictDecoding makes any value of a success body that does not fit
// the SDK's types an error (ErrUnexpectedResponse, never retried) instead
// of a zero field listed in ResponseMeta.DecodeIssues. By default decoding
// is tolerant: only control fields (documented on each result type: data
// status states, cursors, watermarks, totals used for paging) fail a call.
// The SDK's own fixture tests run strict, so a drift between the models
// and influData's published samples is caught there.
func WithStrictDecoding() Option { return wrap(transport.WithStrictDecoding()) }

// WithObserver sends the client's events to o (creatorkit.Observer): a
// call and an attempt event for every request, each naming the SDK
// operation ("Profiles.Get"), the HTTP method and the route (influData's
// method name, such as "getUserData": the paths are static), never a key,
// handle, id or query value; and a call for each wait and roster
// (GetAndWait, GetAndWaitAll) with the status checks it made (Polls) and,
// for a roster, the creators it answered (Items), whose requests are
// calls of their own inside it. contrib/otel turns the events into
// OpenTelemetry spans and metrics.
func WithObserver(o Observer) Option { return wrap(transport.WithObserver(o)) }

// WithLogger logs each attempt (Debug) and retry (Info). Keys are never
// logged.
func WithLogger(l *slog.Logger) Option { return wrap(transport.WithLogger(l)) }
