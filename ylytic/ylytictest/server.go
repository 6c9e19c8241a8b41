// Package ylytictest runs a fake of Ylytic's account APIs in-process, the
// way net/http/httptest runs a server: one line to start, no network.
//
//	srv := ylytictest.NewServer()
//	defer srv.Close()
//	c, _ := srv.NewClient()
//	r, _ := c.Refresh.CreateAndWait(ctx, ylytic.RefreshParams{Type: ylytic.RefreshInstagram, Handle: "natgeo"}, srv.PollOptions()...)
//
// The fake serves every call of package ylytic on one host, under the
// documented paths: creators and their status, realtime tracking, data
// refresh requests (pending until RefreshDelay has passed on the fake's
// clock, then completed with a small growth_trends body), short links
// (each served at /sl/{id}, which redirects to the target and counts a
// click that ShortLinks.Insights then reports), Shopify stores and
// campaign short links. It checks the bearer token, can emulate a rate
// limit, and injects faults (error rates per status, 429 storms, latency,
// dropped connections, truncated and malformed bodies). Snapshot counts
// requests per route.
//
// Where Ylytic's documentation is silent the fake assumes what package
// ylytic assumes (see its documentation), and also: a creator added with
// Creators.Add has the status "in_progress" until CreatorDelay has passed,
// then "completed" (SetCreatorStatus sets another, such as "expired"); a
// profile URL never added is "not_added"; a finished data refresh has
// status {code 200, message "completed"}, a failed one (WithRefreshFailure)
// {code 404, message "failed"} and a "response" of {"message": reason};
// an unknown request id or short link id is 404 {"error": "..."}; any
// campaign id is accepted; errors are {"error": "..."}.
//
// Inside a testing/synctest bubble, start the fake with WithVirtualTime: it
// serves over in-memory connections instead of a socket (a goroutine
// waiting on a socket would stop the bubble's clock) and runs at the
// vendor's real durations (time scale 1), which the bubble's virtual clock
// passes in no real time. NewClient and ClientOptions reach it through
// HTTPClient, the only client that can. Start, use and Close the fake
// inside the same bubble.
package ylytictest

import (
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/creatorkit/creatorkit-go/creatorkittest"
	"github.com/creatorkit/creatorkit-go/internal/fake"
	"github.com/creatorkit/creatorkit-go/ylytic"
)

// DefaultToken is the bearer token the fake accepts unless WithToken says
// otherwise.
const DefaultToken = "ylytic_test_0123456789abcdef"

// Re-exported fake types.
type (
	// Faults are the failures to inject; see SetFaults.
	Faults = creatorkittest.Faults
	// Snapshot is a copy of the request and status counters.
	Snapshot = creatorkittest.Snapshot
)

// Route names, for Faults.Routes and Snapshot keys.
const (
	RouteCreatorsAdd       = "creators.add"
	RouteCreatorsStatus    = "creators.status"
	RouteTracking          = "tracking.create"
	RouteRefreshCreate     = "refresh.create"
	RouteRefreshGet        = "refresh.get"
	RouteShortLinkCreate   = "shortlinks.create"
	RouteShortLinkInsights = "shortlinks.insights"
	RouteShortLinkVisit    = "shortlinks.visit"
	RouteShopify           = "shopify.connect"
	RouteCampaign          = "campaigns.update"
)

type config struct {
	inMemory       bool
	token          string
	scale          float64
	refreshDelay   time.Duration
	creatorDelay   time.Duration
	window         fake.Window
	faults         fake.Faults
	seed           uint64
	refreshFailure func(p ylytic.RefreshParams) string
}

// Option configures the fake.
type Option func(*config)

// WithToken sets the bearer token the fake accepts.
func WithToken(token string) Option { return func(c *config) { c.token = token } }

// WithTimeScale sets real time per virtual second (default 0.01: the
// default two-minute data refresh takes 1.2 s). 1 runs in real time.
func WithTimeScale(scale float64) Option { return func(c *config) { c.scale = scale } }

// WithVirtualTime serves the fake over in-memory connections and sets the
// time scale to 1 (the vendor's real durations), for tests that run
// inside a testing/synctest bubble (see the package documentation). Only
// HTTPClient reaches the fake, and the clients of NewClient use it. A
// WithTimeScale after it changes the scale.
func WithVirtualTime() Option { return func(c *config) { c.inMemory, c.scale = true, 1 } }

// WithRefreshDelay sets how long (virtual time) a data refresh request
// stays pending (default 2 min).
func WithRefreshDelay(d time.Duration) Option { return func(c *config) { c.refreshDelay = d } }

// WithCreatorDelay sets how long (virtual time) an added creator stays
// "in_progress" (default 10 min).
func WithCreatorDelay(d time.Duration) Option { return func(c *config) { c.creatorDelay = d } }

// WithRefreshFailure makes data refresh requests fail: fn returns the
// reason for the params a request was made with ("" lets it complete).
func WithRefreshFailure(fn func(p ylytic.RefreshParams) string) Option {
	return func(c *config) { c.refreshFailure = fn }
}

// WithRateLimit emulates a per-token window (virtual time). Ylytic
// documents none, so the fake has none by default.
func WithRateLimit(n int, per time.Duration) Option {
	return func(c *config) { c.window = fake.Window{N: n, Per: per} }
}

// WithFaults injects faults from the start.
func WithFaults(f Faults) Option { return func(c *config) { c.faults = f } }

// WithSeed makes fault injection repeatable.
func WithSeed(seed uint64) Option { return func(c *config) { c.seed = seed } }

// Server is a running fake of Ylytic's account APIs.
type Server struct {
	// URL is the root URL of the running fake ("http://127.0.0.1:port";
	// "http://ylytic.fake.invalid" with WithVirtualTime). It serves every
	// host's paths: pass it to ylytic.WithBaseURL.
	URL string
	// Token is the bearer token the fake accepts.
	Token string

	f   *fake.Server // routing, auth, windows, faults, clock
	cfg config

	mu        sync.Mutex
	seq       int
	creators  map[string]*creatorEntry // by normalized profile URL
	requests  map[string]*refreshEntry // by request id
	links     map[string]*linkEntry    // by short link id
	shops     map[string]string        // shop -> access token
	campaigns map[string]map[string][]string
	tracked   map[string]map[string]any // by connector/handle
}

// NewServer starts a fake. Close it when done.
func NewServer(opts ...Option) *Server {
	cfg := config{token: DefaultToken, scale: 0.01, refreshDelay: 2 * time.Minute, creatorDelay: 10 * time.Minute}
	for _, o := range opts {
		o(&cfg)
	}
	s := &Server{
		Token: cfg.token, cfg: cfg,
		creators: map[string]*creatorEntry{}, requests: map[string]*refreshEntry{}, links: map[string]*linkEntry{},
		shops: map[string]string{}, campaigns: map[string]map[string][]string{}, tracked: map[string]map[string]any{},
	}
	s.f = fake.New(fake.Config{
		Auth:            s.auth,
		RateLimit:       cfg.window,
		RateLimitExempt: []string{RouteShortLinkVisit},
		Public:          []string{RouteShortLinkVisit},
		TimeScale:       cfg.scale,
		Faults:          cfg.faults,
		Seed:            cfg.seed,
		InMemory:        cfg.inMemory,
		Name:            "ylytic",
	})
	s.f.Handle("POST /ylytic/admin/api/v1/creators", RouteCreatorsAdd, s.addCreators)
	s.f.Handle("POST /ylytic/admin/api/v1/creators/status", RouteCreatorsStatus, s.creatorsStatus)
	s.f.Handle("POST /ylytic/api/v1/rt_tracking/creators", RouteTracking, s.track)
	s.f.Handle("POST /ylytic/api/v1/data_refresh/requests", RouteRefreshCreate, s.createRefresh)
	s.f.Handle("GET /ylytic/api/v1/data_refresh/requests/{id}", RouteRefreshGet, s.getRefresh)
	s.f.Handle("POST /ylytic/admin/api/v1/shortlinks", RouteShortLinkCreate, s.createLink)
	s.f.Handle("GET /ylytic/admin/api/v1/shortlinks/{id}/insights", RouteShortLinkInsights, s.linkInsights)
	s.f.Handle("GET /sl/{id}", RouteShortLinkVisit, s.visit)
	s.f.Handle("POST /ylytic/admin/api/v1/shopify_shop", RouteShopify, s.connectShop)
	s.f.Handle("PATCH /ylytic/admin/api/v1/campaigns/{id}", RouteCampaign, s.updateCampaign)
	s.f.Start()
	s.URL = s.f.URL
	return s
}

// ClientOptions point a client at the fake: its URL for every host, its
// token, the fake's rate limit on the fake's time scale, and short retry
// waits.
func (s *Server) ClientOptions() []ylytic.Option {
	opts := []ylytic.Option{
		ylytic.WithBaseURL(s.URL),
		ylytic.WithToken(s.Token),
		ylytic.WithRetryWait(s.f.RetryWait()),
	}
	if s.cfg.window.N > 0 {
		opts = append(opts, ylytic.WithWindow(s.cfg.window.N, s.Scale(s.cfg.window.Per)))
	}
	if s.f.InMemory() {
		opts = append(opts, ylytic.WithHTTPClient(s.f.HTTPClient()))
	}
	return opts
}

// NewClient returns a client for the fake; opts are applied after
// ClientOptions.
func (s *Server) NewClient(opts ...ylytic.Option) (*ylytic.Client, error) {
	return ylytic.NewClient(append(s.ClientOptions(), opts...)...)
}

// PollOptions scale the waits' poll interval (10 s to 1 min) to the
// fake's time.
func (s *Server) PollOptions() []ylytic.WaitOption {
	return []ylytic.WaitOption{ylytic.WithPollInterval(s.Scale(10*time.Second)+time.Millisecond, s.Scale(time.Minute)+time.Millisecond)}
}

// Snapshot returns the request and status counters.
func (s *Server) Snapshot() Snapshot { return s.f.Stats().Snapshot() }

// Close stops the fake: its pending timers, then the server.
func (s *Server) Close() { s.f.Close() }

// SetFaults replaces the faults the fake injects from now on.
func (s *Server) SetFaults(f Faults) { s.f.SetFaults(f) }

// Scale converts a virtual duration (how long the vendor takes) to the
// real time it takes on this fake's time scale.
func (s *Server) Scale(d time.Duration) time.Duration { return s.f.Scale(d) }

// Handler returns the fake's HTTP handler, to serve it in-process without
// its listener.
func (s *Server) Handler() http.Handler { return s.f.Config.Handler }

// HTTPClient returns a client that reaches the fake: with WithVirtualTime
// the only one (over in-memory connections), otherwise a client of its
// own over TCP. Close closes its idle connections.
func (s *Server) HTTPClient() *http.Client { return s.f.HTTPClient() }

func (s *Server) auth(r *http.Request) (string, bool) {
	h := r.Header.Get("Authorization")
	if !strings.HasPrefix(h, "Bearer ") {
		return "", false
	}
	k := strings.TrimPrefix(h, "Bearer ")
	return k, k == s.cfg.token
}
