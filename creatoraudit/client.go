package creatoraudit

import (
	"log/slog"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/creatorkit/creatorkit-go/internal/transport"
	"golang.org/x/time/rate"
)

// DefaultBaseURL is CreatorAudit's v2 API root.
const DefaultBaseURL = "https://api.creatoraudit.com/v2"

const vendor = "creatoraudit"

// Client calls the CreatorAudit v2 API. Create it with NewClient; it is
// safe for concurrent use, and its rate-limit state is shared by every
// goroutine using it.
type Client struct {
	// Meta reads /health, /meta, /whoami and /openapi.json.
	Meta *MetaService
	// Accounts tracks Instagram and TikTok profiles and reads their
	// metrics.
	Accounts *AccountsService
	// Videos tracks individual videos (added by URL, shortcode or id).
	Videos *VideosService
	// AccountVideos reads the posts discovered from tracked accounts.
	AccountVideos *AccountVideosService
	// Creators groups accounts and ranks them.
	Creators *CreatorsService
	// Overview reads organization-wide statistics.
	Overview *OverviewService
	// Search finds accounts, creators and videos by substring.
	Search *SearchService

	t       *transport.Client
	paths   Paths
	etags   *etagCache
	cursors *cursorBook
	// retryMin and retryMax are the client's retry waits, and maxRetries
	// bounds how often a create whose answer was lost is asked again (see
	// Accounts.Create).
	retryMin, retryMax time.Duration
	maxRetries         int
	strict             bool         // WithStrictDecoding, for the rows decoded apart
	log                *slog.Logger // WithLogger, for the rows skipped
}

// config is what options change: the shared transport settings and
// CreatorAudit's own (inferred paths, the ETag cache).
type config struct {
	transport.Settings
	paths     Paths
	etagCache int
}

// Option configures a Client (see NewClient). Every creatorkit-go package
// offers the same options under the same names; WithPaths and
// WithETagCache are CreatorAudit's own.
type Option func(*config) error

func wrap(o transport.Option) Option { return func(c *config) error { return o(&c.Settings) } }

// NewClient returns a client. The API key comes from WithAPIKey, else from
// $CREATORAUDIT_API_KEY; the base URL from WithBaseURL, else
// $CREATORAUDIT_BASE_URL, else DefaultBaseURL. It fails with
// ErrInvalidParams when no key is found or an option is bad.
//
// CreatorAudit publishes no numeric rate limit, so the client sets no
// client-side pace of its own (WithRateLimit or WithWindow add one): it
// reads X-RateLimit-Limit/Remaining/Reset from every response, holds all
// requests when Remaining reaches 0 until Reset, and honours Retry-After on
// 429 and 503.
func NewClient(opts ...Option) (*Client, error) {
	cfg := config{Settings: transport.Defaults(vendor, DefaultBaseURL), paths: DefaultPaths()}
	cfg.FromEnv("CREATORAUDIT")
	if k := strings.TrimSpace(os.Getenv("CREATORAUDIT_API_KEY")); k != "" {
		cfg.Auth = transport.Bearer(k)
	}
	cfg.DecodeError = decodeProblem
	cfg.Unit = SpendUnit // before the options: WithBudget reads it
	if err := transport.Apply(&cfg, opts); err != nil {
		return nil, err
	}
	if err := transport.RequireSecret(&cfg.Settings, "pass creatoraudit.WithAPIKey or set CREATORAUDIT_API_KEY"); err != nil {
		return nil, err
	}
	t, err := transport.New(cfg.Settings)
	if err != nil {
		return nil, err
	}
	c := &Client{t: t, paths: cfg.paths, cursors: newCursorBook(cursorBookSize), retryMin: cfg.RetryWaitMin, retryMax: cfg.RetryWaitMax,
		maxRetries: cfg.MaxRetries, strict: cfg.StrictDecoding, log: cfg.Logger}
	if cfg.etagCache > 0 {
		c.etags = newETagCache(cfg.etagCache)
	}
	c.Meta = &MetaService{c: c}
	c.Accounts = &AccountsService{c: c}
	c.Videos = &VideosService{c: c}
	c.AccountVideos = &AccountVideosService{c: c}
	c.Creators = &CreatorsService{c: c}
	c.Overview = &OverviewService{c: c}
	c.Search = &SearchService{c: c}
	return c, nil
}

// RateLimit returns the X-RateLimit-* state of the latest response that
// carried them (Known is false before the first one).
func (c *Client) RateLimit() RateLimit { return c.t.RateLimit() }

// Paths returns the endpoint paths the client uses.
func (c *Client) Paths() Paths { return c.paths }

// String describes the client without its key.
func (c *Client) String() string { return c.t.String() }

// GoString is String, so %#v cannot print the key either.
func (c *Client) GoString() string { return c.t.String() }

// WithAPIKey authenticates with "Authorization: Bearer <key>". Keys are
// organization-scoped.
func WithAPIKey(key string) Option {
	return wrap(transport.WithAuth(transport.Bearer(strings.TrimSpace(key))))
}

// WithBaseURL sets the API root (a creatoraudittest server's URL in tests).
func WithBaseURL(u string) Option { return wrap(transport.WithBaseURL(u)) }

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

// WithRateLimit adds client-side pacing with one token bucket (none by
// default: CreatorAudit publishes no limit); rate.Inf turns it off.
func WithRateLimit(r rate.Limit, burst int) Option { return wrap(transport.WithRateLimit(r, burst)) }

// WithWindow adds client-side pacing under a budget of n requests per
// period, e.g. the X-RateLimit-Limit your key reports.
func WithWindow(n int, per time.Duration) Option {
	return wrap(transport.WithWindows(Window{N: n, Per: per}))
}

// WithLimiter sets the client-side limiter, e.g. one shared by several
// processes using the same key (contrib/redislimit).
func WithLimiter(l Limiter) Option { return wrap(transport.WithLimiter(l)) }

// WithMaxConcurrency caps requests in flight at once.
func WithMaxConcurrency(n int) Option { return wrap(transport.WithMaxConcurrency(n)) }

// WithUserAgent appends your app's name to the User-Agent.
func WithUserAgent(app string) Option { return wrap(transport.WithUserAgent(app)) }

// WithLogger logs each attempt (Debug) and retry (Info). Keys are never
// logged.
func WithLogger(l *slog.Logger) Option { return wrap(transport.WithLogger(l)) }

// WithObserver gives every call the client makes to o: one event per
// request sent (EndAttempt) and per call (StartCall, EndCall), and one call
// per wait (Accounts.GetAndWait, Videos.GetAndWait: EndCall counts its
// status checks in Polls; its checks are calls of their own, under the
// wait's context). Events name the call by its operation ("Accounts.Get")
// and its route, the path template ("accounts/{id}"): they never carry
// the key, an id, a handle or a query value. contrib/otel turns them into
// OpenTelemetry spans and metrics. A nil observer is refused.
func WithObserver(o Observer) Option { return wrap(transport.WithObserver(o)) }

// WithStrictDecoding makes any value of a success body that does not fit
// its Go type an error of kind ErrUnexpectedResponse (not retried: the
// same body would come back), instead of a zero value listed in the
// result's Response.DecodeIssues. By default decoding is tolerant: every
// value that fits is decoded, and only an unreadable control field (an
// id, a cursor, has_next) fails the call. The SDK's own fixture tests run
// strict.
func WithStrictDecoding() Option { return wrap(transport.WithStrictDecoding()) }

// WithETagCache keeps the ETag and body of up to n GET responses and sends
// If-None-Match on the next identical GET; a 304 Not Modified answer is
// then served from the cache (NotModified(r.Response) reports true) and
// costs no body transfer. Off by default.
func WithETagCache(n int) Option {
	return func(c *config) error {
		if n < 0 {
			return transport.InvalidParams(vendor, "NewClient", "WithETagCache", "size must be >= 0, got %d", n)
		}
		c.etagCache = n
		return nil
	}
}

// WithPaths overrides endpoint paths. Fields left empty keep their
// defaults; see Paths for which defaults are inferred.
func WithPaths(p Paths) Option {
	return func(c *config) error {
		merged, err := c.paths.merge(p)
		if err != nil {
			return err
		}
		c.paths = merged
		return nil
	}
}
