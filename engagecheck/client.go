package engagecheck

import (
	"log/slog"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/creatorkit/creatorkit-go/internal/check"
	"github.com/creatorkit/creatorkit-go/internal/transport"
	"golang.org/x/time/rate"
)

// DefaultBaseURL is EngageCheck's API root.
const DefaultBaseURL = "https://engagecheck.com/api/v1"

// DefaultRateLimit returns EngageCheck's documented per-key limit: 60
// requests a minute. The client paces itself just under it by default and
// also holds requests when X-RateLimit-Remaining reaches 0; WithWindow,
// WithRateLimit and WithLimiter replace it. Each call returns a new value.
func DefaultRateLimit() Window { return Window{N: 60, Per: time.Minute} }

const vendor = "engagecheck"

// Client calls the EngageCheck API. Create it with NewClient; it is safe for
// concurrent use, and its rate limiter is shared by every goroutine using
// it.
type Client struct {
	// Audits submits, polls, lists and runs audits.
	Audits *AuditsService
	// Credits reads the key's balance.
	Credits *CreditsService

	t       *transport.Client
	spent   paidAudits // audits paid for and not seen settled
	resolve resolver   // nil until the transport offers it
}

// Option configures a Client. Like every creatorkit-go package's Option it
// works on an unexported config; a bad value makes NewClient fail with
// ErrInvalidParams.
type Option func(*config) error

// config is what the options set: the shared transport settings.
type config struct {
	transport.Settings
}

// wrap lifts a transport option.
func wrap(o transport.Option) Option {
	return func(c *config) error { return o(&c.Settings) }
}

// NewClient returns a client. The API key comes from WithAPIKey (or
// WithAPIKeyHeader), else from $ENGAGECHECK_API_KEY; the base URL from
// WithBaseURL, else $ENGAGECHECK_BASE_URL, else DefaultBaseURL. It fails
// with ErrInvalidParams when no key is found or an option is bad.
func NewClient(opts ...Option) (*Client, error) {
	cfg := config{Settings: transport.Defaults(vendor, DefaultBaseURL, DefaultRateLimit())}
	cfg.Unit = unit
	cfg.FromEnv("ENGAGECHECK")
	if k := strings.TrimSpace(os.Getenv("ENGAGECHECK_API_KEY")); k != "" {
		if err := checkKey("ENGAGECHECK_API_KEY", k); err != nil {
			return nil, err
		}
		cfg.Auth = transport.Bearer(k)
	}
	if err := transport.Apply(&cfg, opts); err != nil {
		return nil, err
	}
	if err := transport.RequireSecret(&cfg.Settings, "pass engagecheck.WithAPIKey or set ENGAGECHECK_API_KEY"); err != nil {
		return nil, err
	}
	t, err := transport.New(cfg.Settings)
	if err != nil {
		return nil, err
	}
	c := &Client{t: t}
	c.resolve, _ = any(t).(resolver)
	c.Audits = &AuditsService{c: c}
	c.Credits = &CreditsService{c: c}
	return c, nil
}

// RateLimit returns the X-RateLimit-* state of the latest response.
func (c *Client) RateLimit() RateLimit { return c.t.RateLimit() }

// String describes the client without its key.
func (c *Client) String() string { return c.t.String() }

// GoString is String, so %#v cannot print the key either.
func (c *Client) GoString() string { return c.t.String() }

// WithAPIKey authenticates with "Authorization: Bearer <key>". Surrounding
// spaces are trimmed; a key with control or invisible format characters
// is refused with ErrInvalidParams (the error never repeats the key).
func WithAPIKey(key string) Option {
	key = strings.TrimSpace(key)
	return func(c *config) error {
		if err := checkKey("WithAPIKey", key); err != nil {
			return err
		}
		return transport.WithAuth(transport.Bearer(key))(&c.Settings)
	}
}

// WithAPIKeyHeader authenticates with "X-API-Key: <key>" instead of the
// Authorization header, for environments that cannot set Authorization.
// The key is checked as in WithAPIKey.
func WithAPIKeyHeader(key string) Option {
	key = strings.TrimSpace(key)
	return func(c *config) error {
		if err := checkKey("WithAPIKeyHeader", key); err != nil {
			return err
		}
		return transport.WithAuth(transport.APIKeyHeader("X-API-Key", key))(&c.Settings)
	}
}

// checkKey refuses a key check.ID refuses; "" is left to NewClient's
// missing-key error. The message never holds the key.
func checkKey(op, key string) error {
	if key == "" {
		return nil
	}
	if msg := check.ID(key); msg != "" {
		return invalidParams(op, "api_key", "the API key is not usable: it must be printable text of at most 256 bytes, without control or invisible format characters")
	}
	return nil
}

// WithStrictDecoding makes any value of a success body that does not fit
// its Go type an error (ErrUnexpectedResponse) instead of a result with
// the value left zero and listed in Response.DecodeIssues. By default the
// client is tolerant: only unreadable control fields (an audit's id and
// status, a batch row's id, username and status, credits_remaining, the
// shape of the row lists) fail a call, and a list row without a usable
// id, username, status or created_at is skipped (see AuditList); strict,
// such a row fails the call too. Use it in tests that must catch drift between EngageCheck's
// answers and the SDK's models.
func WithStrictDecoding() Option { return wrap(transport.WithStrictDecoding()) }

// WithBaseURL sets the API root (an engagechecktest server's URL in tests).
func WithBaseURL(u string) Option { return wrap(transport.WithBaseURL(u)) }

// WithHTTPClient sets the HTTP client; its Transport is wrapped, never
// modified, and its Timeout applies to each attempt.
func WithHTTPClient(hc *http.Client) Option { return wrap(transport.WithHTTPClient(hc)) }

// WithMaxRetries sets how many times a failed attempt may be repeated
// (default 3; 0 disables retries). The waits and CreateAndWaitAll use the
// same number: they outlast as many transient failures in a row (a status
// check, a submit or a list lookup that failed after its own retries),
// and the next one ends them.
func WithMaxRetries(n int) Option { return wrap(transport.WithMaxRetries(n)) }

// WithRetryWait bounds the backoff between attempts (default 500 ms to 30 s).
func WithRetryWait(minWait, maxWait time.Duration) Option {
	return wrap(transport.WithRetryWait(minWait, maxWait))
}

// WithMaxRetryAfter sets the longest Retry-After or X-RateLimit-Reset wait
// the client sleeps through (default 60 s); a longer one is returned as
// ErrRateLimited with RetryAfter set.
func WithMaxRetryAfter(d time.Duration) Option { return wrap(transport.WithMaxRetryAfter(d)) }

// WithRateLimit replaces the default 60-a-minute pacing (DefaultRateLimit)
// with one token bucket; rate.Inf turns client-side pacing off.
func WithRateLimit(r rate.Limit, burst int) Option { return wrap(transport.WithRateLimit(r, burst)) }

// WithWindow replaces the default limit with another documented budget,
// e.g. a raised limit of 300 a minute.
func WithWindow(n int, per time.Duration) Option {
	return wrap(transport.WithWindows(Window{N: n, Per: per}))
}

// WithLimiter replaces the client-side limiter, e.g. with one shared by
// several processes using the same key (contrib/redislimit).
func WithLimiter(l Limiter) Option { return wrap(transport.WithLimiter(l)) }

// WithMaxConcurrency caps requests in flight at once (default 0: no cap;
// the rate limit is EngageCheck's only documented bound).
func WithMaxConcurrency(n int) Option { return wrap(transport.WithMaxConcurrency(n)) }

// WithUserAgent appends your app's name to the User-Agent.
func WithUserAgent(app string) Option { return wrap(transport.WithUserAgent(app)) }

// WithLogger logs each attempt (Debug) and retry (Info). Keys are never
// logged.
func WithLogger(l *slog.Logger) Option { return wrap(transport.WithLogger(l)) }
