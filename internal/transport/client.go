package transport

import (
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"time"

	"github.com/creatorkit/creatorkit-go/internal/limit"
	"github.com/creatorkit/creatorkit-go/internal/redact"
)

// Client is one vendor's HTTP pipeline. It is safe for concurrent use; its
// limiter, gate and concurrency cap are shared by all goroutines using it.
type Client struct {
	s       Settings
	base    *url.URL
	hc      *http.Client
	limiter Limiter
	pace    map[string]Limiter // Request.Pace groups
	gate    *limit.Gate
	pacer   *limit.Pacer
	sem     chan struct{}
	red     redact.Redactor
	ua      string
	// hdr and hdrNoAuth are every request's own headers (User-Agent,
	// Accept, and the credentials in hdr), built once and cloned per
	// request: one copy instead of a Set per header.
	hdr, hdrNoAuth http.Header
	rl             atomic.Pointer[RateLimit]
	ledger         *ledger
}

// New builds a Client from finished settings.
func New(s Settings) (*Client, error) {
	if err := s.validate(); err != nil {
		return nil, err
	}
	base, _ := url.Parse(s.BaseURL)
	if !strings.HasSuffix(base.Path, "/") {
		base.Path += "/"
	}
	c := &Client{s: s, base: base, hc: s.HTTPClient, gate: limit.NewGate(s.MaxRetryAfter), pacer: limit.NewPacer(s.MaxRetryAfter),
		ua: s.userAgent(), ledger: newLedger(s.Unit)}
	if s.Auth == nil {
		c.s.Auth = NoAuth()
	}
	c.red = redact.New(c.s.Auth.Secrets()...)
	c.hdrNoAuth = http.Header{"User-Agent": {c.ua}, "Accept": {"application/json"}}
	c.hdr = c.hdrNoAuth.Clone()
	c.s.Auth.Apply(c.hdr)
	c.limiter = s.Limiter
	if c.limiter == nil {
		c.limiter = limit.NewWindow(s.Windows...)
	}
	for name, ws := range s.PaceWindows {
		if c.pace == nil {
			c.pace = map[string]Limiter{}
		}
		c.pace[name] = limit.NewGuard(ws...)
	}
	if s.MaxConcurrency > 0 {
		c.sem = make(chan struct{}, s.MaxConcurrency)
	}
	if c.hc == nil {
		c.hc = &http.Client{Timeout: 60 * time.Second}
	}
	return c, nil
}

// Vendor returns the vendor name.
func (c *Client) Vendor() string { return c.s.Vendor }

// BaseURL returns the base URL requests are resolved against.
func (c *Client) BaseURL() string { return c.base.String() }

// RateLimit returns the rate-limit state of the latest response that
// carried X-RateLimit-* headers (Known is false before the first one).
func (c *Client) RateLimit() RateLimit {
	if p := c.rl.Load(); p != nil {
		return *p
	}
	return RateLimit{}
}

// String describes the client without its secrets.
func (c *Client) String() string {
	return fmt.Sprintf("%s client (base %s, auth %s)", c.s.Vendor, c.base, c.s.Auth.Describe())
}

// GoString is String, so %#v cannot print secrets either.
func (c *Client) GoString() string { return c.String() }

// LogValue makes slog print the redacted description.
func (c *Client) LogValue() slog.Value { return slog.StringValue(c.String()) }

// Redact removes the client's secrets from s.
func (c *Client) Redact(s string) string { return c.red.String(s) }

// RedactValue removes the client's secrets from every string reachable
// from v (a pointer), in place: vendor packages pass every value they build
// out of a response that is not an *Error (their own error types).
func (c *Client) RedactValue(v any) { c.red.Value(v) }

// URL joins a path and query to the base URL (keeping the base's own path,
// such as /api/v1).
func (c *Client) URL(path string, q url.Values) *url.URL {
	u := &url.URL{Scheme: c.base.Scheme, Host: c.base.Host, Path: c.base.Path + strings.TrimPrefix(path, "/")}
	if len(q) > 0 {
		u.RawQuery = q.Encode()
	}
	return u
}

// badPath reports a path that could climb out of the base URL.
func badPath(p string) bool {
	for seg := range strings.SplitSeq(p, "/") {
		if seg == ".." || seg == "." {
			return true
		}
	}
	return strings.ContainsAny(p, "?#")
}

// MaxRetries is how many times a failed attempt may be repeated
// (WithMaxRetries); waits outlast as many transient failures in a row
// (poll.Config.Tolerate), so the option means the same everywhere.
func (c *Client) MaxRetries() int { return c.s.MaxRetries }
