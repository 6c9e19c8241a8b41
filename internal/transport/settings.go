package transport

import (
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/creatorkit/creatorkit-go/internal/limit"
	"golang.org/x/time/rate"
)

// Settings is what a vendor client is built from. Vendor packages fill the
// defaults, apply the caller's options (each a func(*Settings) error) and
// hand the result to New.
type Settings struct {
	// Vendor names the vendor package in errors, logs and the User-Agent.
	Vendor string
	// BaseURL every request path is resolved against.
	BaseURL string
	// HTTPClient sends the requests; its Transport is wrapped, never
	// modified. nil means a client with a 60-second per-attempt timeout.
	HTTPClient *http.Client
	// Auth sets the credentials on every attempt.
	Auth Auth
	// UserAgent is the caller's app name, appended to creatorkit-go/<version>.
	UserAgent string
	// MaxRetries is how many times a failed attempt may be repeated.
	MaxRetries int
	// RetryWaitMin and RetryWaitMax bound the backoff between attempts.
	RetryWaitMin, RetryWaitMax time.Duration
	// MaxRetryAfter is the longest server-requested wait (Retry-After,
	// X-RateLimit-Reset) the SDK sleeps through; a longer one is returned as
	// ErrRateLimited with RetryAfter set, for the caller to decide.
	MaxRetryAfter time.Duration
	// Windows are the vendor's documented request budgets, used to build
	// the default limiter.
	Windows []Window
	// Limiter, when set, replaces the default limiter built from Windows.
	Limiter Limiter
	// MaxConcurrency caps requests in flight at once (0: no cap).
	MaxConcurrency int
	// Logger receives one record per attempt and per retry decision; nil
	// disables logging.
	Logger *slog.Logger
	// DecodeError fills a vendor error's Code, Message, RequestID,
	// RetryAfter, ResetAt, Details and kinds from an error response. nil
	// uses a decoder that understands {"error":"msg"} and {"message":"msg"}.
	DecodeError ErrorDecoder
	// Rules are vendor retry rules, consulted before the default policy.
	Rules []RetryRule
	// StrictDecoding makes any value of a success body that does not fit
	// its Go type an ErrUnexpectedResponse, instead of a DecodeIssue on
	// the result's metadata.
	StrictDecoding bool
	// Unit is what the vendor charges in ("credits"); empty for a vendor
	// that charges nothing per call.
	Unit string
	// Budgets cap spend per unit (WithBudget sets the client's own unit).
	Budgets map[string]*Budget
	// PaceWindows are extra windows per pace group (Request.Pace), kept
	// like Windows: influData's hourly fair-usage limits.
	PaceWindows map[string][]Window
	// Observer sees every call and attempt; nil for none.
	Observer Observer

	err error
}

// Option configures Settings. An option that gets a bad value returns an
// error, which NewClient reports before any request is made.
type Option = func(*Settings) error

// Apply applies options to cfg, skipping nil ones, and returns the first
// error an option returns: the options of NewClient, on Settings or on a
// vendor config that embeds them.
func Apply[C any, O ~func(*C) error](cfg *C, opts []O) error {
	for _, o := range opts {
		if o == nil {
			continue
		}
		if err := o(cfg); err != nil {
			return err
		}
	}
	return nil
}

// Defaults returns Settings with the SDK-wide defaults: 3 retries, waits
// between 500 ms and 30 s, server waits up to 60 s.
func Defaults(vendor, baseURL string, windows ...Window) Settings {
	return Settings{
		Vendor:        vendor,
		BaseURL:       baseURL,
		MaxRetries:    3,
		RetryWaitMin:  500 * time.Millisecond,
		RetryWaitMax:  30 * time.Second,
		MaxRetryAfter: 60 * time.Second,
		Windows:       windows,
	}
}

// FromEnv applies environment defaults: <PREFIX>_BASE_URL overrides the
// base URL. Credentials are read by each vendor package, which knows its
// variable names.
func (s *Settings) FromEnv(prefix string) {
	if v := strings.TrimSpace(os.Getenv(prefix + "_BASE_URL")); v != "" {
		s.BaseURL = v
	}
}

func (s *Settings) invalid(option, format string, args ...any) error {
	return InvalidParams(s.Vendor, "NewClient", option, format, args...)
}

// WithBaseURL sets the API base URL (a fake server's URL in tests).
func WithBaseURL(raw string) Option {
	return func(s *Settings) error {
		u, err := url.Parse(strings.TrimSpace(raw))
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return s.invalid("WithBaseURL", "base URL %q is not an absolute http(s) URL", raw)
		}
		s.BaseURL = u.String()
		return nil
	}
}

// WithHTTPClient sets the HTTP client. Its Transport is wrapped, never
// modified; its Timeout applies to each attempt.
func WithHTTPClient(c *http.Client) Option {
	return func(s *Settings) error {
		if c == nil {
			return s.invalid("WithHTTPClient", "client is nil")
		}
		s.HTTPClient = c
		return nil
	}
}

// WithMaxRetries sets how many times a failed attempt may be repeated (0
// disables retries).
func WithMaxRetries(n int) Option {
	return func(s *Settings) error {
		if n < 0 {
			return s.invalid("WithMaxRetries", "retries must be >= 0, got %d", n)
		}
		s.MaxRetries = n
		return nil
	}
}

// WithRetryWait bounds the backoff between attempts.
func WithRetryWait(minWait, maxWait time.Duration) Option {
	return func(s *Settings) error {
		if minWait <= 0 || maxWait < minWait {
			return s.invalid("WithRetryWait", "need 0 < min <= max, got min %s, max %s", minWait, maxWait)
		}
		s.RetryWaitMin, s.RetryWaitMax = minWait, maxWait
		return nil
	}
}

// WithMaxRetryAfter sets the longest server-requested wait the SDK sleeps
// through before retrying.
func WithMaxRetryAfter(d time.Duration) Option {
	return func(s *Settings) error {
		if d <= 0 {
			return s.invalid("WithMaxRetryAfter", "must be > 0, got %s", d)
		}
		s.MaxRetryAfter = d
		return nil
	}
}

// WithRateLimit replaces the vendor's default limit with one token bucket
// of r requests a second and the given burst; rate.Inf turns client-side
// limiting off (server 429s are still honoured).
func WithRateLimit(r rate.Limit, burst int) Option {
	return func(s *Settings) error {
		if r <= 0 {
			return s.invalid("WithRateLimit", "rate must be > 0 (rate.Inf disables limiting), got %v", r)
		}
		s.Limiter = limit.NewRate(r, burst)
		return nil
	}
}

// WithWindows replaces the vendor's default limit with request budgets
// (e.g. 60 per minute), kept with the SDK's safety margin.
func WithWindows(windows ...Window) Option {
	return func(s *Settings) error {
		for _, w := range windows {
			if w.N <= 0 || w.Per <= 0 {
				return s.invalid("WithWindows", "window %v must have N > 0 and Per > 0", w)
			}
		}
		s.Windows, s.Limiter = windows, nil
		return nil
	}
}

// WithLimiter replaces the client-side limiter, e.g. with one shared by
// many processes.
func WithLimiter(l Limiter) Option {
	return func(s *Settings) error {
		if l == nil {
			return s.invalid("WithLimiter", "limiter is nil")
		}
		s.Limiter = l
		return nil
	}
}

// WithMaxConcurrency caps requests in flight at once.
func WithMaxConcurrency(n int) Option {
	return func(s *Settings) error {
		if n < 0 {
			return s.invalid("WithMaxConcurrency", "must be >= 0, got %d", n)
		}
		s.MaxConcurrency = n
		return nil
	}
}

// WithUserAgent appends the caller's app name to the User-Agent.
func WithUserAgent(app string) Option {
	return func(s *Settings) error {
		if strings.ContainsAny(app, "\r\n") {
			return s.invalid("WithUserAgent", "user agent must be one line")
		}
		s.UserAgent = strings.TrimSpace(app)
		return nil
	}
}

// WithLogger sends a record per attempt (Debug) and per retry (Info) to l.
// Secrets are never logged.
func WithLogger(l *slog.Logger) Option {
	return func(s *Settings) error {
		s.Logger = l
		return nil
	}
}

// WithStrictDecoding makes a success body with any value that does not
// fit the SDK's types an error (ErrUnexpectedResponse, not retried)
// instead of a result with DecodeIssues. For tests that want to catch
// drift between the vendor and the SDK early.
func WithStrictDecoding() Option {
	return func(s *Settings) error {
		s.StrictDecoding = true
		return nil
	}
}

// WithBudget caps the client's spend in unit ("" for the client's own
// unit) with b, which may be shared by several clients.
func WithBudget(unit string, b *Budget) Option {
	return func(s *Settings) error {
		if b == nil {
			return s.invalid("WithBudget", "budget is nil")
		}
		if unit == "" {
			unit = s.Unit
		}
		if unit == "" {
			return s.invalid("WithBudget", "%s charges nothing per call: a budget would never be used", s.Vendor)
		}
		s.Budgets = maps.Clone(s.Budgets)
		if s.Budgets == nil {
			s.Budgets = map[string]*Budget{}
		}
		s.Budgets[unit] = b
		return nil
	}
}

// WithPaceWindows replaces the windows of a pace group (Request.Pace).
func WithPaceWindows(group string, windows ...Window) Option {
	return func(s *Settings) error {
		for _, w := range windows {
			if w.N <= 0 || w.Per <= 0 {
				return s.invalid("WithPaceWindows", "window %v must have N > 0 and Per > 0", w)
			}
		}
		s.PaceWindows = maps.Clone(s.PaceWindows)
		if s.PaceWindows == nil {
			s.PaceWindows = map[string][]Window{}
		}
		s.PaceWindows[group] = windows
		return nil
	}
}

// WithObserver sets the observer of every call and attempt.
func WithObserver(o Observer) Option {
	return func(s *Settings) error {
		if o == nil {
			return s.invalid("WithObserver", "observer is nil")
		}
		s.Observer = o
		return nil
	}
}

// WithAuth sets the credentials.
func WithAuth(a Auth) Option {
	return func(s *Settings) error {
		s.Auth = a
		return nil
	}
}

// RequireSecret returns an ErrInvalidParams error naming how to supply
// credentials when a has none.
func RequireSecret(s *Settings, hint string) error {
	if HasSecret(s.Auth) {
		return nil
	}
	return s.invalid("credentials", "no credentials: %s", hint)
}

// validate checks the finished settings.
func (s *Settings) validate() error {
	if s.err != nil {
		return s.err
	}
	u, err := url.Parse(s.BaseURL)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return s.invalid("BaseURL", "base URL %q is not an absolute http(s) URL", s.BaseURL)
	}
	if s.Vendor == "" {
		return errors.New("transport: Settings.Vendor is empty")
	}
	return nil
}

func (s *Settings) userAgent() string {
	ua := fmt.Sprintf("creatorkit-go/%s (%s)", Version, s.Vendor)
	if s.UserAgent != "" {
		ua += " " + s.UserAgent
	}
	return ua
}

// ApplyOptions applies call options (a vendor's WaitOption, RunOption, ...)
// to cfg; an option's error becomes ErrInvalidParams for op, before
// anything is sent.
func ApplyOptions[C any, O ~func(*C) error](vendor, op string, cfg *C, opts []O) error {
	if err := Apply(cfg, opts); err != nil {
		return InvalidParams(vendor, op, "options", "%v", err)
	}
	return nil
}
