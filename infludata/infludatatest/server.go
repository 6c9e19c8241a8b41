// Package infludatatest runs a fake influData Social API in-process, the
// way net/http/httptest runs a server: one line to start, the same paths,
// auth, status codes and error bodies as the real API, and no network.
//
//	srv := infludatatest.NewServer()
//	defer srv.Close()
//	c, _ := srv.NewClient()
//	p, _ := c.Profiles.GetAndWait(ctx, infludata.GetProfileParams{Platform: infludata.Instagram, Username: "adidas", IncludeAudienceReport: true}, srv.PollOptions()...)
//
// It serves every endpoint: getUserData with its 200/201/202 states,
// checkDataStatus (both documented shapes), bulkAddToEnrich, discovery,
// getContent (cursor paging with X-Cursor, the legacy offset mode, the
// watermark, 404 for no match), getClientInfo, getCitiesForCountry and the
// trial signup (createTrialKey, verifyTrialKey, with every documented
// refusal). It models the enrichment queue (201 now, available after
// Delays.Enrich) and audience processing (202 now, 200 after
// Delays.Audience) on a time scale (by default one virtual minute takes
// 600 ms), charges tokens by the documented cost table (quota exhaustion
// answers 429 with resetDate on production keys and 403 INSUFFICIENT_TOKENS
// on trial keys), enforces the plan's burst limits with 429, and injects
// faults (error rates per status, 429 storms, latency, dropped connections,
// truncated and malformed bodies). Snapshot returns the requests per
// endpoint and the tokens charged (its Credits), so tests can assert cost.
//
// Where influData's documentation is silent the fake assumes: the
// getUserData body uses the field names of the sibling responses plus
// "audienceReport", "scores", "datalog" and "timeline"; 201 and 202 bodies
// carry a "message"; burst 429s carry no Retry-After; getContent's sort
// order "uploaded" is newest first and its watermark names the newest item
// of the whole result; a cursor stays valid for the server's lifetime.
//
// It scales with a test's dataset (WithCreators seeds it): a discovery
// or getContent query is filtered and sorted once, kept up to date as
// creators enter the database and content arrives, and every page after
// the first is cut in O(page).
//
// Inside a testing/synctest bubble, start the fake with WithVirtualTime: it
// serves over in-memory connections instead of a socket (a goroutine
// waiting on a socket would stop the bubble's clock) and runs at the
// vendor's real durations (time scale 1), which the bubble's virtual clock
// passes in no real time. NewClient and ClientOptions reach it through
// HTTPClient, the only client that can. Start, use and Close the fake
// inside the same bubble; Close ends every connection, so the bubble can
// finish. It moves a fresh bubble's clock from 2000-01-01 on to 2026-06-01
// first, so that X-RateLimit-Reset reads as a unix time.
//
//	synctest.Test(t, func(t *testing.T) {
//		srv := infludatatest.NewServer(infludatatest.WithVirtualTime())
//		defer srv.Close()
//		c, _ := srv.NewClient()
//		p, _ := c.Profiles.GetAndWait(ctx, infludata.GetProfileParams{Platform: infludata.Instagram, Username: "adidas"}, srv.PollOptions()...)
//		// the 2 min enrichment passed on the bubble's clock, in no real time
//	})
package infludatatest

import (
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/creatorkit/creatorkit-go/creatorkittest"
	"github.com/creatorkit/creatorkit-go/infludata"
	"github.com/creatorkit/creatorkit-go/internal/fake"
	"github.com/creatorkit/creatorkit-go/internal/fake/universe"
)

// DefaultAPIKey is the key the fake accepts unless WithAPIKey says
// otherwise; DefaultClientID is its client id.
const (
	DefaultAPIKey   = "infludata_test_key_0123456789abcdef"
	DefaultClientID = "client-test-0001"
)

// Re-exported fake types.
type (
	// Faults are the failures to inject; see SetFaults.
	Faults = creatorkittest.Faults
	// Snapshot is a copy of the request, status and token counters
	// (Credits holds tokens charged per route).
	Snapshot = creatorkittest.Snapshot
)

// Route names, for Faults.Routes and Snapshot keys.
const (
	RouteUserData    = "getUserData"
	RouteDataStatus  = "checkDataStatus"
	RouteBulkEnrich  = "bulkAddToEnrich"
	RouteDiscovery   = "discovery"
	RouteContent     = "getContent"
	RouteClientInfo  = "getClientInfo"
	RouteCities      = "getCitiesForCountry"
	RouteCreateTrial = "createTrialKey"
	RouteVerifyTrial = "verifyTrialKey"
)

// Delays are how long (virtual time) the asynchronous work takes.
type Delays struct {
	// Enrich is how long a creator influData does not hold takes to enter
	// the database once queued (the real API says 24 to 48 hours).
	Enrich time.Duration
	// Audience is how long the audience analysis of a newly enriched
	// creator takes.
	Audience time.Duration
}

type config struct {
	inMemory  bool
	key       string
	clientID  string
	plan      infludata.Plan
	tokens    int
	scale     float64
	delays    Delays
	faults    fake.Faults
	seed      uint64
	creators  []Creator
	legacy    bool
	signupCap int
	rateLimit bool
	serveTime time.Duration
	fairUsage infludata.FairUsage // N 0: not enforced
}

// Option configures the fake.
type Option func(*config)

// WithAPIKey sets the key the fake accepts.
func WithAPIKey(key string) Option { return func(c *config) { c.key = key } }

// WithPlan sets the plan of the default key (default Production): its
// burst limits and how a spent budget is answered.
func WithPlan(p infludata.Plan) Option { return func(c *config) { c.plan = p } }

// WithTokens sets the default key's starting balance (default 10,000).
func WithTokens(n int) Option { return func(c *config) { c.tokens = n } }

// WithTimeScale sets real time per virtual second (default 0.01: a minute
// lasts 600 ms). 1 runs in real time.
func WithTimeScale(scale float64) Option { return func(c *config) { c.scale = scale } }

// WithVirtualTime serves the fake over in-memory connections and sets the
// time scale to 1 (the vendor's real durations), for tests that run
// inside a testing/synctest bubble, where the virtual clock passes those
// durations in no real time (see the package documentation). Only
// HTTPClient reaches the fake, and the clients of NewClient use it. A
// WithTimeScale after it changes the scale.
func WithVirtualTime() Option { return func(c *config) { c.inMemory, c.scale = true, 1 } }

// WithDelays sets the enrichment and audience delays (default 2 min and 1
// min virtual, far shorter than the real 24 to 48 hours).
func WithDelays(d Delays) Option { return func(c *config) { c.delays = d } }

// WithFaults injects faults from the start.
func WithFaults(f Faults) Option { return func(c *config) { c.faults = f } }

// WithSeed makes fault injection repeatable.
func WithSeed(seed uint64) Option { return func(c *config) { c.seed = seed } }

// WithCreators adds creators to the database (or, with NotInDatabase,
// to the platform only).
func WithCreators(cs ...Creator) Option {
	return func(c *config) { c.creators = append(c.creators, cs...) }
}

// WithLegacyDataStatus answers checkDataStatus in the March 2025 shape,
// {"status":"READY"|"NOT READY"|"NOT FOUND"}.
func WithLegacyDataStatus() Option { return func(c *config) { c.legacy = true } }

// WithSignupCap sets how many trial keys may be issued before
// createTrialKey answers 503 (default 1,000).
func WithSignupCap(n int) Option { return func(c *config) { c.signupCap = n } }

// WithRateLimit turns the burst limits on or off (default on).
func WithRateLimit(on bool) Option { return func(c *config) { c.rateLimit = on } }

// WithServeTime makes every authenticated request take d (virtual) to
// serve, counted as in flight (see MaxInFlight). Faults.Latency delays a
// request before it is counted.
func WithServeTime(d time.Duration) Option { return func(c *config) { c.serveTime = d } }

// Server is a running fake influData.
type Server struct {
	// URL is the root URL of the running fake ("http://127.0.0.1:port";
	// "http://infludata.fake.invalid" with WithVirtualTime).
	URL string

	f *fake.Server // routing, auth, windows, faults, clock
	// APIKey is the default key; ClientID its client id.
	APIKey   string
	ClientID string

	cfg   config
	start time.Time
	clock universe.Clock // the creator universe's calendar: the fake's start is its epoch

	mu       sync.Mutex
	accounts map[string]*account
	creators map[string]*creator // platform|lower(username)
	byUserID map[string]*creator // platform|userId
	byID     map[string]*creator // _id
	content  []*item             // as added; getContent orders it per query
	cursors  map[string]*cursor
	signups  map[string]*signup // normalized email
	issued   map[string]bool
	keysMade int
	signupIP map[string][]time.Time
	nextSeq  int

	creatorSeq   int
	entering     fake.Due[*creator]   // creators queued for the database, by when they are in
	discoveryQ   fake.Views[*creator] // discovery answers by query, over the listed creators
	contentQ     fake.Views[*item]    // getContent answers by query
	newestUpload time.Time            // the newest content piece's upload time (or contentBase)

	inflight    int
	maxInflight int

	charges map[string]int // charged requests by chargeKey
	fair    fairUse
}

type account struct {
	key, clientID string
	plan          infludata.Plan
	tokens        int
	created       time.Time
	expires       time.Time // zero: never
}

// NewServer starts a fake influData. Close it when done.
func NewServer(opts ...Option) *Server {
	cfg := config{key: DefaultAPIKey, clientID: DefaultClientID, plan: infludata.Production, tokens: 10000, scale: 0.01,
		delays: Delays{Enrich: 2 * time.Minute, Audience: time.Minute}, signupCap: 1000, rateLimit: true}
	for _, o := range opts {
		o(&cfg)
	}
	s := &Server{APIKey: cfg.key, ClientID: cfg.clientID, cfg: cfg, accounts: map[string]*account{},
		creators: map[string]*creator{}, byUserID: map[string]*creator{}, byID: map[string]*creator{},
		cursors: map[string]*cursor{}, signups: map[string]*signup{}, issued: map[string]bool{}, signupIP: map[string][]time.Time{},
		charges: map[string]int{}, fair: fairUse{hits: map[string][]time.Time{}, refused: map[string]int{}}}
	s.f = fake.New(fake.Config{
		Auth:             s.auth,
		Public:           []string{RouteCreateTrial, RouteVerifyTrial},
		KeyWindows:       s.keyWindows,
		QuietLimits:      true, // influData documents no rate-limit headers
		RateLimitMessage: "Rate limit exceeded: slow down and retry with exponential backoff",
		TimeScale:        cfg.scale,
		Faults:           cfg.faults,
		Seed:             cfg.seed,
		InMemory:         cfg.inMemory,
		Name:             "infludata",
	})
	s.start = time.Now()
	s.clock = universe.NewClock(s.start)
	s.newestUpload = contentBase
	s.addAccount(cfg.key, cfg.clientID, cfg.plan, cfg.tokens, time.Time{})
	s.seedData()
	s.route("GET /api/externalAPI/getUserData", RouteUserData, s.getUserData)
	s.route("GET /api/externalAPI/checkDataStatus", RouteDataStatus, s.checkDataStatus)
	s.route("POST /api/externalAPI/bulkAddToEnrich", RouteBulkEnrich, s.bulkAddToEnrich)
	s.route("GET /api/externalAPI/discovery", RouteDiscovery, s.discovery)
	s.route("GET /api/externalAPI/getContent", RouteContent, s.getContent)
	s.route("GET /api/externalAPI/getClientInfo", RouteClientInfo, s.getClientInfo)
	s.route("GET /api/externalAPI/getCitiesForCountry", RouteCities, s.getCities)
	s.f.Handle("POST /api/externalAPI/createTrialKey", RouteCreateTrial, s.createTrialKey)
	s.f.Handle("POST /api/externalAPI/verifyTrialKey", RouteVerifyTrial, s.verifyTrialKey)
	s.f.Start()
	s.URL = s.f.URL
	return s
}

// keyWindows gives each key its plan's burst limits (trial 2/s and 60/min,
// production 25/s and 1,000/min), enforced by internal/fake.
func (s *Server) keyWindows(key string) []fake.Window {
	if !s.cfg.rateLimit {
		return nil
	}
	s.mu.Lock()
	a := s.accounts[key]
	s.mu.Unlock()
	if a == nil {
		return nil
	}
	var ws []fake.Window
	for _, w := range a.plan.Windows() {
		ws = append(ws, fake.Window{N: w.N, Per: w.Per})
	}
	return ws
}

// route registers an authenticated handler behind the in-flight counter
// (the burst limits are enforced before it, by internal/fake).
func (s *Server) route(pattern, name string, h func(w http.ResponseWriter, r *http.Request, a *account)) {
	s.f.Handle(pattern, name, func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		a := s.accounts[fake.Key(r)]
		s.inflight++
		s.maxInflight = max(s.maxInflight, s.inflight)
		s.mu.Unlock()
		defer func() {
			s.mu.Lock()
			s.inflight--
			s.mu.Unlock()
		}()
		if s.cfg.serveTime > 0 {
			time.Sleep(s.Scale(s.cfg.serveTime))
		}
		if a == nil { // the auth check passed, so this cannot happen
			s.f.Error(w, http.StatusUnauthorized, "Unauthorized")
			return
		}
		counted, ok := s.admitFair(w, a.key, name)
		if !ok {
			return
		}
		sw := &statusWriter{ResponseWriter: w}
		h(sw, r, a)
		if counted != nil && sw.status >= 300 {
			counted() // only answered requests count toward the fair-usage windows
		}
	})
}

// addAccount registers a key. Callers need not hold s.mu during
// construction; later callers do.
func (s *Server) addAccount(key, clientID string, plan infludata.Plan, tokens int, expires time.Time) *account {
	a := &account{key: key, clientID: clientID, plan: plan, tokens: tokens, created: time.Now(), expires: expires}
	s.accounts[key] = a
	return a
}

// auth accepts "Authorization: Bearer <key>", and the README's accessToken
// query parameter.
func (s *Server) auth(r *http.Request) (string, bool) {
	k := r.URL.Query().Get("accessToken")
	if h := r.Header.Get("Authorization"); strings.HasPrefix(h, "Bearer ") {
		k = strings.TrimPrefix(h, "Bearer ")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.accounts[k]
	if a == nil || (!a.expires.IsZero() && time.Now().After(a.expires)) {
		return k, false
	}
	return k, true
}

// BaseURL is the URL to pass to infludata.WithBaseURL.
func (s *Server) BaseURL() string { return s.URL + "/api/externalAPI" }

// ClientOptions point a client at the fake: its base URL and key, the
// plan's burst limits on the fake's time scale, the fair-usage windows
// the fake enforces on its time scale (none, unless WithFairUsage), and
// short retry waits.
func (s *Server) ClientOptions() []infludata.Option {
	var ws []infludata.Window
	for _, w := range s.cfg.plan.Windows() {
		ws = append(ws, infludata.Window{N: w.N, Per: s.Scale(w.Per)})
	}
	fu := s.cfg.fairUsage
	fu.Discovery.Per, fu.Profiles.Per = s.Scale(fu.Discovery.Per), s.Scale(fu.Profiles.Per)
	opts := []infludata.Option{
		infludata.WithBaseURL(s.BaseURL()),
		infludata.WithAPIKey(s.APIKey),
		infludata.WithWindows(ws...),
		infludata.WithRetryWait(s.f.RetryWait()),
		infludata.WithFairUsageWindows(fu),
	}
	if s.f.InMemory() {
		opts = append(opts, infludata.WithHTTPClient(s.f.HTTPClient()))
	}
	return opts
}

// NewClient returns a client for the fake; opts are applied after
// ClientOptions.
func (s *Server) NewClient(opts ...infludata.Option) (*infludata.Client, error) {
	return infludata.NewClient(append(s.ClientOptions(), opts...)...)
}

// SignupOptions point infludata.NewSignup at the fake, paced on the
// fake's time scale.
func (s *Server) SignupOptions() []infludata.Option {
	opts := s.ClientOptions()
	return append(opts[:1:1], opts[2:]...) // everything but the key
}

// PollOptions scale the poll interval of GetAndWait and GetAndWaitAll to
// the fake's time (10 s growing to 2 min, scaled).
func (s *Server) PollOptions() []infludata.WaitOption {
	return []infludata.WaitOption{infludata.WithPollInterval(s.Scale(10*time.Second)+time.Millisecond, s.Scale(2*time.Minute)+time.Millisecond)}
}

// Snapshot returns the request, status and token counters.
func (s *Server) Snapshot() Snapshot { return s.f.Stats().Snapshot() }

// Tokens returns the default key's balance.
func (s *Server) Tokens() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.accounts[s.APIKey].tokens
}

// SetTokens sets the default key's balance.
func (s *Server) SetTokens(n int) {
	s.mu.Lock()
	s.accounts[s.APIKey].tokens = n
	s.mu.Unlock()
}

// MaxInFlight returns the most authenticated requests the fake was
// serving at once.
func (s *Server) MaxInFlight() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.maxInflight
}

// errorObject writes the README's structured error body.
func errorObject(w http.ResponseWriter, status int, code, msg string, details any) {
	fake.JSON(w, status, map[string]any{"error": map[string]any{"code": code, "message": msg, "details": details}})
}

// charge takes n tokens from a for the request r, or answers the quota
// error the key's plan gets and returns false. Callers hold s.mu.
func (s *Server) charge(w http.ResponseWriter, r *http.Request, a *account, route string, n int) bool {
	if n == 0 {
		return true
	}
	if a.tokens < n {
		if a.plan == infludata.Trial {
			errorObject(w, http.StatusForbidden, string(infludata.CodeInsufficientTokens), "Insufficient tokens for this request",
				map[string]int{"required": n, "available": a.tokens})
			return false
		}
		now := time.Now().UTC()
		reset := time.Date(now.Year(), now.Month()+1, 1, 0, 0, 0, 0, time.UTC)
		fake.JSON(w, http.StatusTooManyRequests, map[string]any{"error": "Monthly request limit exceeded", "resetDate": reset.Format("2006-01-02T15:04:05.000Z")})
		return false
	}
	a.tokens -= n
	s.f.Stats().Charge(route, n)
	s.charges[chargeKey(route, r)]++
	return true
}
