// Package firstpartytest runs a fake Ylytic First Party API in-process, the
// way net/http/httptest runs a server: one line to start, no network, and
// the whole consent flow.
//
//	srv := firstpartytest.NewServer()
//	defer srv.Close()
//	c, _ := srv.NewClient()
//	v, _ := c.Verification.CreateURL(ctx, firstparty.CreateVerificationURLParams{Platform: firstparty.Instagram, RedirectURL: cb, State: state})
//	// v.RedirectURL is the fake's connect page: a GET answers 302 to cb?token=...&state=...
//
// The fake serves Create Verification URL, a connect page standing in for
// Ylytic's (it "logs the creator in" at once and redirects back to the
// redirect URL with a token and the state), Verify Creator, and Get
// Instagram Creator Insights, which answers "processing" until the
// creator's insights are ready (InsightsDelay after verification, on the
// fake's time scale), then the documentation's sample body. When they are
// ready it POSTs the creator_insights_1p webhook to the URL set with
// WithWebhookURL or SetWebhookURL. It checks the bearer token, can emulate
// a rate limit, and injects faults (error rates per status, 429 storms,
// latency, dropped connections, truncated and malformed bodies). Snapshot
// counts requests per route.
//
// The fake serves the SDK's default paths under /ylytic/api/v1 on one host.
// Where Ylytic's documentation is silent it assumes what the firstparty
// package assumes (see its documentation), and also: tokens expire
// TokenTTL after the connect page issued them; a repeated Verify Creator
// with the same state and token returns the same creator; a failed
// verification is answered 200 with status "failed" and an error_info
// object {code, message}; insights not ready are answered 202 with
// {"creator_id", "status":"processing"} and a Retry-After; failed ones 200
// with {"creator_id", "status":"failed", "status_reason"}; an unknown
// creator id is 404 {"error": "..."}; a declined consent redirects back
// with error=access_denied and no token.
//
// Insights and webhooks cost the same with ten or a hundred thousand
// verified creators: webhooks go out from a queue ordered by when each
// creator's insights are ready.
//
// Inside a testing/synctest bubble, start the fake with WithVirtualTime: it
// serves over in-memory connections instead of a socket (a goroutine
// waiting on a socket would stop the bubble's clock) and runs at the
// vendor's real durations (time scale 1), which the bubble's virtual clock
// passes in no real time. NewClient and ClientOptions reach it through
// HTTPClient, the only client that can. Its webhook deliveries reach only
// the receivers of ServeWebhooks. Start, use and Close the fake inside the
// same bubble; Close ends every connection, so the bubble can finish. It
// moves a fresh bubble's clock from 2000-01-01 on to 2026-06-01 first, so
// that X-RateLimit-Reset reads as a unix time.
//
//	synctest.Test(t, func(t *testing.T) {
//		srv := firstpartytest.NewServer(firstpartytest.WithVirtualTime())
//		defer srv.Close()
//		c, _ := srv.NewClient()
//		v, _ := c.Verification.CreateURL(ctx, firstparty.CreateVerificationURLParams{Platform: firstparty.Instagram, RedirectURL: cb, State: state})
//		// srv.Connect(v.RedirectURL), Verification.Verify, then Insights.GetAndWait
//		// waits the one-minute insights delay on the bubble's clock, in no real time
//	})
package firstpartytest

import (
	_ "embed"
	"encoding/json"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/creatorkit/creatorkit-go/creatorkittest"
	"github.com/creatorkit/creatorkit-go/firstparty"
	"github.com/creatorkit/creatorkit-go/internal/fake"
	"github.com/creatorkit/creatorkit-go/internal/fake/universe"
)

// DefaultToken is the bearer token the fake accepts unless WithToken says
// otherwise.
const DefaultToken = "fp_test_0123456789abcdef"

// SampleHandle is the creator of the documentation's sample insights,
// which the fake serves by default.
const SampleHandle = "a_poetic_storyteller"

//go:embed data/insights.json
var sampleInsights []byte

// SampleInsights returns the documentation's sample insights body (a
// copy), the body the fake serves for a ready creator by default.
func SampleInsights() []byte { return append([]byte(nil), sampleInsights...) }

// Re-exported fake types.
type (
	// Faults are the failures to inject; see SetFaults.
	Faults = creatorkittest.Faults
	// Snapshot is a copy of the request and status counters.
	Snapshot = creatorkittest.Snapshot
	// Delivery is one webhook POST the fake made.
	Delivery = creatorkittest.Delivery
)

// Route names, for Faults.Routes and Snapshot keys.
const (
	RouteCreateURL = "verification.create_url"
	RouteConnect   = "connect.page"
	RouteVerify    = "verification.verify"
	RouteInsights  = "insights.get"
)

// APIPrefix is the path under which the fake serves the API.
const APIPrefix = "/ylytic/api/v1"

// Outcome decides how one creator's flow goes.
type Outcome struct {
	// Handle is the Instagram username the creator connects (default
	// SampleHandle, whose insights are the documentation's sample). Any
	// other handle's insights are the creator universe's account of that
	// handle (internal/fake/universe, which every creatorkit fake shares)
	// in the sample's shape.
	Handle string
	// Name is user_info.name (default: the creator universe's name for
	// the handle; "Ratnadeep Mahadev Shinde", the sample's full_name, for
	// SampleHandle).
	Name string
	// Decline makes the connect page send the creator back without a
	// token, with error=access_denied.
	Decline bool
	// VerifyError, when set, makes Verify Creator answer status "failed"
	// with this message in error_info.
	VerifyError string
	// InsightsFail, when set, makes insights fail with this status_reason
	// (e.g. firstparty.ReasonPrivateAccount) instead of becoming ready.
	InsightsFail string
	// Insights replaces the sample body served once ready.
	Insights json.RawMessage
}

type config struct {
	inMemory      bool
	token         string
	scale         float64
	insightsDelay time.Duration
	tokenTTL      time.Duration
	window        fake.Window
	faults        fake.Faults
	seed          uint64
	outcome       func(connector firstparty.Platform, state string) Outcome
	webhookURL    string
}

// Option configures the fake.
type Option func(*config)

// WithToken sets the bearer token the fake accepts.
func WithToken(token string) Option { return func(c *config) { c.token = token } }

// WithTimeScale sets real time per virtual second (default 0.01: the
// default one-minute insights delay takes 600 ms). 1 runs in real time.
func WithTimeScale(scale float64) Option { return func(c *config) { c.scale = scale } }

// WithVirtualTime serves the fake over in-memory connections and sets the
// time scale to 1 (the vendor's real durations), for tests that run
// inside a testing/synctest bubble, where the virtual clock passes those
// durations in no real time (see the package documentation). Only
// HTTPClient reaches the fake, and the clients of NewClient use it. A
// WithTimeScale after it changes the scale.
func WithVirtualTime() Option { return func(c *config) { c.inMemory, c.scale = true, 1 } }

// WithInsightsDelay sets how long (virtual time) insights take after a
// creator is verified (default 1 min).
func WithInsightsDelay(d time.Duration) Option { return func(c *config) { c.insightsDelay = d } }

// WithTokenTTL sets how long (virtual time) a token from the connect page
// stays valid for Verify Creator (default 10 min).
func WithTokenTTL(d time.Duration) Option { return func(c *config) { c.tokenTTL = d } }

// WithRateLimit emulates a per-token window (virtual time). Ylytic
// documents none, so the fake has none by default.
func WithRateLimit(n int, per time.Duration) Option {
	return func(c *config) { c.window = fake.Window{N: n, Per: per} }
}

// WithFaults injects faults from the start.
func WithFaults(f Faults) Option { return func(c *config) { c.faults = f } }

// WithSeed makes fault injection repeatable.
func WithSeed(seed uint64) Option { return func(c *config) { c.seed = seed } }

// WithOutcome decides each flow's outcome from the connector and state
// the verification URL was created with (default: every creator is the
// sample's, and everything succeeds).
func WithOutcome(fn func(connector firstparty.Platform, state string) Outcome) Option {
	return func(c *config) { c.outcome = fn }
}

// WithWebhookURL sets where the creator_insights_1p webhook goes (Ylytic
// configures it per account; there is no API call for it).
func WithWebhookURL(url string) Option { return func(c *config) { c.webhookURL = url } }

// Server is a running fake Ylytic First Party API.
type Server struct {
	// URL is the root URL of the running fake ("http://127.0.0.1:port";
	// "http://firstparty.fake.invalid" with WithVirtualTime).
	URL string

	f     *fake.Server   // routing, auth, windows, faults, clock
	clock universe.Clock // the creator universe's calendar: the fake's start is its epoch
	// Token is the bearer token the fake accepts.
	Token string

	cfg        config
	mu         sync.Mutex
	webhookURL string
	seq        int
	sessions   map[string]*session // by session id (the connect page's path)
	byState    map[string]*session
	tokens     map[string]*grant
	creators   map[string]*creator
	due        fake.Due[*creator] // creators whose webhook has not gone out, by ready time
	deliveries fake.Deliveries
}

// NewServer starts a fake. Close it when done.
func NewServer(opts ...Option) *Server {
	cfg := config{
		token: DefaultToken, scale: 0.01, insightsDelay: time.Minute, tokenTTL: 10 * time.Minute,
		outcome: func(firstparty.Platform, string) Outcome { return Outcome{} },
	}
	for _, o := range opts {
		o(&cfg)
	}
	s := &Server{
		Token: cfg.token, cfg: cfg, webhookURL: cfg.webhookURL,
		sessions: map[string]*session{}, byState: map[string]*session{}, tokens: map[string]*grant{}, creators: map[string]*creator{},
	}
	s.f = fake.New(fake.Config{
		Auth:            s.auth,
		RateLimit:       cfg.window,
		RateLimitExempt: []string{RouteConnect},
		Public:          []string{RouteConnect},
		TimeScale:       cfg.scale,
		Faults:          cfg.faults,
		Seed:            cfg.seed,
		InMemory:        cfg.inMemory,
		Name:            "firstparty",
	})
	s.clock = universe.NewClock(time.Now())
	p := firstparty.DefaultPaths()
	s.f.Handle("POST "+APIPrefix+"/"+p.CreateVerificationURL, RouteCreateURL, s.createURL)
	s.f.Handle("POST "+APIPrefix+"/"+p.VerifyCreator, RouteVerify, s.verify)
	s.f.Handle("GET "+APIPrefix+"/"+strings.ReplaceAll(p.Insights, "{creator_id}", "{id}"), RouteInsights, s.insights)
	s.f.Handle("GET /connect/{sid}", RouteConnect, s.connect)
	s.f.Start()
	s.URL = s.f.URL
	return s
}

// BaseURL is the URL to pass to firstparty.WithBaseURL (it serves every
// endpoint, insights included).
func (s *Server) BaseURL() string { return s.URL + APIPrefix }

// ClientOptions point a client at the fake: its base URL and token, the
// fake's rate limit on the fake's time scale, and short retry waits.
func (s *Server) ClientOptions() []firstparty.Option {
	opts := []firstparty.Option{
		firstparty.WithBaseURL(s.BaseURL()),
		firstparty.WithToken(s.Token),
		firstparty.WithRetryWait(s.f.RetryWait()),
	}
	if s.cfg.window.N > 0 {
		opts = append(opts, firstparty.WithWindow(s.cfg.window.N, s.Scale(s.cfg.window.Per)))
	}
	if s.f.InMemory() {
		opts = append(opts, firstparty.WithHTTPClient(s.f.HTTPClient()))
	}
	return opts
}

// NewClient returns a client for the fake; opts are applied after
// ClientOptions.
func (s *Server) NewClient(opts ...firstparty.Option) (*firstparty.Client, error) {
	return firstparty.NewClient(append(s.ClientOptions(), opts...)...)
}

// PollOptions scale Insights.GetAndWait's poll interval to the fake's
// time (5 s growing to 1 min, scaled), like every fake's PollOptions.
func (s *Server) PollOptions() []firstparty.WaitOption {
	return []firstparty.WaitOption{firstparty.WithPollInterval(s.Scale(5*time.Second)+time.Millisecond, s.Scale(time.Minute)+time.Millisecond)}
}

// SetWebhookURL sets where webhooks go from now on ("" stops them).
func (s *Server) SetWebhookURL(url string) {
	s.mu.Lock()
	s.webhookURL = url
	s.mu.Unlock()
}

// Snapshot returns the request and status counters.
func (s *Server) Snapshot() Snapshot { return s.f.Stats().Snapshot() }

// Deliveries returns the webhooks delivered so far.
func (s *Server) Deliveries() []Delivery { return s.deliveries.List() }

// CreatorCount returns how many creators were verified.
func (s *Server) CreatorCount() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.creators)
}

// Connect plays the creator's browser on the connect page at
// verificationURL without following the redirect, and returns where the
// page sends the creator: the redirect URL with the token and the state.
func (s *Server) Connect(verificationURL string) (string, error) {
	hc := &http.Client{Transport: s.f.HTTPClient().Transport, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := hc.Get(verificationURL)
	if err != nil {
		return "", err
	}
	resp.Body.Close()
	loc := resp.Header.Get("Location")
	if resp.StatusCode != http.StatusFound || loc == "" {
		return "", &connectError{status: resp.StatusCode}
	}
	return loc, nil
}

type connectError struct{ status int }

// Error says what the connect page answered.
func (e *connectError) Error() string {
	return "firstpartytest: the connect page answered " + http.StatusText(e.status) + " without a redirect"
}

func (s *Server) auth(r *http.Request) (string, bool) {
	h := r.Header.Get("Authorization")
	if !strings.HasPrefix(h, "Bearer ") {
		return "", false
	}
	k := strings.TrimPrefix(h, "Bearer ")
	return k, k == s.cfg.token
}
