// Package hypeauditortest runs a fake HypeAuditor API in-process, the way
// net/http/httptest runs a server: one line to start, the same method
// paths, headers, status codes and error bodies as the real API, and no
// network.
//
//	srv := hypeauditortest.NewServer()
//	defer srv.Close()
//	c, _ := srv.NewClient()
//	r, _ := c.Reports.InstagramAndWait(ctx, hypeauditor.InstagramParams{Username: "nasa"}, srv.PollOptions()...)
//
// It models report generation (HTTP 202 with result.retryTtl until the
// report is ready, on a time scale: by default a 90-second generation
// takes 0.9 s), report credits charged on the first unlock of an account
// and refunded when generation fails, reports that end PRIVATE, DELETED,
// CHANNEL_NOT_FOUND and the other documented outcomes, discovery pages
// that each spend a discovery request (402 when none are left) and the
// free sandbox, reportConnections (nasa answers the documented sample),
// unlocked reports, creators, planInfo, the suggester, Account Media (403
// code 15 before unlock), PDF exports (retryTtl, then pdfUrl), the other
// metrics histories, brand mentions, YouTube media pages, a made-up
// taxonomy, keyword post search (a discovery request each), saved lists
// and market analyses (state 0, then 10), the documented error bodies (400 code 8, 402
// code 27, 403 code 4, 404 code 16, 400 code 3 for an unknown method),
// the rate limit with 429, and fault injection (error rates per status,
// 429 storms, latency, dropped connections, truncated and malformed
// bodies). Snapshot counts requests and credits per method so tests can
// assert cost, and Arrivals the report requests that reached the report
// logic per account (a copy net/http resent counts twice). A ready
// report's validUntil is the moment it was unlocked plus 365 days of real
// time, in epoch seconds, as the API sends it.
//
// Where HypeAuditor's documentation is silent the fake assumes [INFERRED]:
// a private account is a 403 "Account is private" and one without posts a
// 403 "Account has no posts"; CHANNEL_NOT_FOUND and DELETED are a 404,
// RESTRICTED a 403 and LOW_VIEWS, NO_VIDEOS and NO_VIEWS a 400, each with
// the state name as error.description; REPORT_CALCULATING is a 202 with
// that report_state and no retryTtl; retryTtl is constant (WithRetryTTL);
// out-of-credit and out-of-discovery 402s carry no code; 429 bodies carry
// no code. Like the real API it sends no X-RateLimit-* headers and no
// Retry-After on a 429.
//
// It scales with a test's dataset: the made-up search results are made
// once per network and each query's hits kept, so a page costs the same
// at 137 or 13,700 results; report polls, reportsUnlocked pages,
// connections and the suggester do not scan every report or account.
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
//		srv := hypeauditortest.NewServer(hypeauditortest.WithVirtualTime())
//		defer srv.Close()
//		c, _ := srv.NewClient()
//		r, _ := c.Reports.InstagramAndWait(ctx, hypeauditor.InstagramParams{Username: "nasa"}, srv.PollOptions()...)
//		// the 90 s generation passed on the bubble's clock, in no real time
//	})
package hypeauditortest

import (
	"encoding/json"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/creatorkit/creatorkit-go/creatorkittest"
	"github.com/creatorkit/creatorkit-go/hypeauditor"
	"github.com/creatorkit/creatorkit-go/internal/fake"
	"github.com/creatorkit/creatorkit-go/internal/fake/universe"
)

// Default credentials the fake accepts unless WithCredentials says
// otherwise.
const (
	DefaultClientID = "104523"
	DefaultToken    = "ha_test_2f0c8e1d9b7a6c5e4f3a2b1c"
)

// Re-exported fake types.
type (
	// Faults are the failures to inject; see SetFaults.
	Faults = creatorkittest.Faults
	// Snapshot is a copy of the request, status and credit counters.
	Snapshot = creatorkittest.Snapshot
)

// Route names (the API method names), for Faults.Routes and Snapshot keys.
const (
	RouteReport         = "auditor.report"
	RouteReportByUserID = "auditor.reportByUserId"
	RouteTikTok         = "auditor.tiktok"
	RouteTikTokByUserID = "auditor.tiktokByUserId"
	RouteYouTube        = "auditor.youtube"
	RouteTwitch         = "auditor.twitch"
	RouteTwitter        = "auditor.twitter"
	RouteSnapchat       = "auditor.snapchat"
	RouteTwitchHistory  = "auditor.twitchHistory"
	RouteMedia          = "auditor.reportMedia"
	RouteConnections    = "auditor.reportConnections"
	RouteUnlocked       = "auditor.reportsUnlocked"
	RoutePlanInfo       = "auditor.planInfo"
	RouteSearch         = "auditor.search"
	RouteSearchSandbox  = "auditor.searchSandbox"
	RouteSuggester      = "auditor.suggester"
	RouteCreators       = "auditor.creators"
	RouteUnknown        = "unknown"
)

// ReportRoutes returns the routes that serve (and charge for) reports:
// the reports, the metrics histories and the PDF exports.
func ReportRoutes() []string {
	return append([]string{RouteReport, RouteReportByUserID, RouteTikTok, RouteTikTokByUserID, RouteYouTube, RouteTwitch, RouteTwitter, RouteSnapchat,
		RouteTwitchHistory, RouteInstagramHistory, RouteTikTokHistory, RouteTwitterHistory}, PDFRoutes()...)
}

// Outcome decides how a report's generation ends.
type Outcome struct {
	// State is READY (the default when empty), READY_LOW_CONFIDENCE, or an
	// unavailable state (PRIVATE, DELETED, ...), which is refunded.
	// REPORT_CALCULATING answers that state while generating and then
	// READY.
	State hypeauditor.ReportState
	// Generation overrides the generation time (virtual; 0 uses the
	// server's).
	Generation time.Duration
}

type config struct {
	inMemory        bool
	clientID, token string
	credits         int
	queries         int
	scale           float64
	generation      time.Duration
	retryTTL        time.Duration
	window          fake.Window
	faults          fake.Faults
	seed            uint64
	outcome         func(network hypeauditor.Platform, account string) Outcome
	noAPIAccess     bool
	searchResults   int
	creators        int
}

// Option configures the fake.
type Option func(*config)

// WithCredentials sets the client id and token the fake accepts.
func WithCredentials(clientID, token string) Option {
	return func(c *config) { c.clientID, c.token = clientID, token }
}

// WithCredits sets the starting report credits (default 1000).
func WithCredits(n int) Option { return func(c *config) { c.credits = n } }

// WithDiscoveryRequests sets the starting discovery requests (default
// 1000).
func WithDiscoveryRequests(n int) Option { return func(c *config) { c.queries = n } }

// WithTimeScale sets real time per virtual second (default 0.01). 1 runs
// in real time.
func WithTimeScale(scale float64) Option { return func(c *config) { c.scale = scale } }

// WithVirtualTime serves the fake over in-memory connections and sets the
// time scale to 1 (the vendor's real durations), for tests that run
// inside a testing/synctest bubble, where the virtual clock passes those
// durations in no real time (see the package documentation). Only
// HTTPClient reaches the fake, and the clients of NewClient use it. A
// WithTimeScale after it changes the scale.
func WithVirtualTime() Option { return func(c *config) { c.inMemory, c.scale = true, 1 } }

// WithGeneration sets how long a report takes to generate (virtual;
// default 90 s).
func WithGeneration(d time.Duration) Option { return func(c *config) { c.generation = d } }

// WithRetryTTL sets the retryTtl sent with each 202 (virtual; default 30
// s).
func WithRetryTTL(d time.Duration) Option { return func(c *config) { c.retryTTL = d } }

// WithRateLimit sets the per-client window (default 99 a minute: the
// documented "less than 100"); n = 0 turns it off.
func WithRateLimit(n int, per time.Duration) Option {
	return func(c *config) { c.window = fake.Window{N: n, Per: per} }
}

// WithFaults injects faults from the start.
func WithFaults(f Faults) Option { return func(c *config) { c.faults = f } }

// WithSeed makes fault injection repeatable.
func WithSeed(seed uint64) Option { return func(c *config) { c.seed = seed } }

// WithOutcome decides each report's outcome (default DefaultOutcome).
func WithOutcome(fn func(network hypeauditor.Platform, account string) Outcome) Option {
	return func(c *config) { c.outcome = fn }
}

// WithNoAPIAccess answers every call with 402 code 27 "No API access", as
// for an account without an API subscription.
func WithNoAPIAccess() Option { return func(c *config) { c.noAPIAccess = true } }

// WithSearchResults sets how many creators a live discovery search finds
// per network before filters (default 137: 7 pages).
func WithSearchResults(n int) Option { return func(c *config) { c.searchResults = n } }

// WithCreators sets how many creators auditor.creators lists (default 45).
func WithCreators(n int) Option { return func(c *config) { c.creators = n } }

// Server is a running fake HypeAuditor.
type Server struct {
	// URL is the root URL of the running fake ("http://127.0.0.1:port";
	// "http://hypeauditor.fake.invalid" with WithVirtualTime).
	URL string

	f     *fake.Server   // routing, auth, windows, faults, clock
	clock universe.Clock // the creator universe's calendar: the fake's start is its epoch
	// ClientID and Token are the credentials the fake accepts.
	ClientID, Token string

	cfg         config
	mu          sync.Mutex
	credits     int
	queries     int
	reports     map[string]*report
	order       []*report           // in the order they were unlocked
	due         fake.Due[*report]   // reports not settled yet, by ready time
	unlockedQ   fake.Views[*report] // reportsUnlocked answers by date range
	accounts    map[string]*account // network/username and network/#id
	all         []*account          // each account once, as added
	families    map[string][]*account
	text        fake.TextIndex[*account] // lower-cased usernames and titles
	searchSets  map[string][]found       // made-up search results per network
	hits        fake.Views[found]        // search answers by network, ranges and sort
	noVersion   int
	unlockCount int
	x           extras                    // exports, saved lists, market analyses
	arrivals    map[string]map[string]int // route -> network/username -> report requests
}

// NewServer starts a fake HypeAuditor. Close it when done.
func NewServer(opts ...Option) *Server {
	cfg := config{
		clientID: DefaultClientID, token: DefaultToken, credits: 1000, queries: 1000, scale: 0.01,
		generation: 90 * time.Second, retryTTL: 30 * time.Second,
		window:  fake.Window{N: 99, Per: time.Minute},
		outcome: DefaultOutcome, searchResults: 137, creators: 45,
	}
	for _, o := range opts {
		o(&cfg)
	}
	s := &Server{ClientID: cfg.clientID, Token: cfg.token, cfg: cfg, credits: cfg.credits, queries: cfg.queries,
		reports: map[string]*report{}, arrivals: map[string]map[string]int{}, accounts: map[string]*account{}, families: map[string][]*account{}, searchSets: map[string][]found{}}
	s.f = fake.New(fake.Config{
		Auth: func(r *http.Request) (string, bool) {
			id := r.Header.Get("X-Auth-Id")
			return id, id == cfg.clientID && r.Header.Get("X-Auth-Token") == cfg.token
		},
		OnAuthFailure: func(w http.ResponseWriter) {
			s.fail(w, http.StatusForbidden, hypeauditor.CodeInvalidToken, "Invalid token")
		},
		ErrorBody:   errorBody,
		RateLimit:   cfg.window,
		QuietLimits: true,
		TimeScale:   cfg.scale,
		Faults:      cfg.faults,
		Seed:        cfg.seed,
		InMemory:    cfg.inMemory,
		Name:        "hypeauditor",
	})
	s.clock = universe.NewClock(time.Now())
	s.seedAccounts()
	get := func(route string, h http.HandlerFunc) {
		s.f.Handle("GET /api/method/"+route, route, s.guard(h))
	}
	get(RouteReport, s.instagram)
	get(RouteReportByUserID, s.instagram)
	get(RouteTikTok, s.tiktok)
	get(RouteTikTokByUserID, s.tiktok)
	get(RouteYouTube, s.youtube)
	get(RouteTwitch, s.channelReport(hypeauditor.Twitch))
	get(RouteTwitter, s.channelReport(hypeauditor.Twitter))
	get(RouteSnapchat, s.channelReport(hypeauditor.Snapchat))
	get(RouteTwitchHistory, s.twitchHistory)
	get(RouteMedia, s.media)
	get(RouteConnections, s.connections)
	get(RouteUnlocked, s.unlocked)
	get(RoutePlanInfo, s.planInfo)
	get(RouteSuggester, s.suggester)
	get(RouteCreators, s.creatorsList)
	s.handleExtras(get)
	s.f.Handle("POST /api/method/"+RouteSearch, RouteSearch, s.guard(s.search(false)))
	s.f.Handle("POST /api/method/"+RouteSearchSandbox, RouteSearchSandbox, s.guard(s.search(true)))
	s.f.Handle("/api/method/", RouteUnknown, s.guard(func(w http.ResponseWriter, r *http.Request) {
		s.fail(w, http.StatusBadRequest, hypeauditor.CodeUnknownMethod, "Unknown method")
	}))
	s.f.Start()
	s.URL = s.f.URL
	return s
}

// BaseURL is the URL to pass to hypeauditor.WithBaseURL.
func (s *Server) BaseURL() string { return s.URL + "/api/method/" }

// ClientOptions point a client at the fake: its base URL and credentials,
// the fake's rate limit on the fake's time scale, and short retry waits.
func (s *Server) ClientOptions() []hypeauditor.Option {
	opts := []hypeauditor.Option{
		hypeauditor.WithBaseURL(s.BaseURL()),
		hypeauditor.WithCredentials(s.ClientID, s.Token),
		hypeauditor.WithRetryWait(s.f.RetryWait()),
	}
	if s.cfg.window.N > 0 {
		opts = append(opts, hypeauditor.WithWindow(s.cfg.window.N, s.Scale(s.cfg.window.Per)))
	}
	if s.f.InMemory() {
		opts = append(opts, hypeauditor.WithHTTPClient(s.f.HTTPClient()))
	}
	return opts
}

// NewClient returns a client for the fake; opts are applied after
// ClientOptions.
func (s *Server) NewClient(opts ...hypeauditor.Option) (*hypeauditor.Client, error) {
	return hypeauditor.NewClient(append(s.ClientOptions(), opts...)...)
}

// PollOptions scale the AndWait helpers' own intervals (the ones used
// when no retryTtl is sent: DefaultPollInitial growing to DefaultPollMax)
// to the fake's time; the fake's retryTtl is scaled already. They suit
// every wait of the package, the market analysis waits included. With
// WithVirtualTime (time scale 1) they are the defaults.
func (s *Server) PollOptions() []hypeauditor.WaitOption {
	first := max(s.Scale(hypeauditor.DefaultPollInitial), time.Millisecond)
	return []hypeauditor.WaitOption{hypeauditor.WithPollInterval(first, max(s.Scale(hypeauditor.DefaultPollMax), first))}
}

// Credits returns the report credits left.
func (s *Server) Credits() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.credits
}

// SetCredits sets the report credits.
func (s *Server) SetCredits(n int) {
	s.mu.Lock()
	s.credits = n
	s.mu.Unlock()
}

// DiscoveryRequests returns the discovery requests left.
func (s *Server) DiscoveryRequests() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.queries
}

// Unlocks returns how many reports were unlocked (charged), refunds
// included.
func (s *Server) Unlocks() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.unlockCount
}

// MissingVersion returns how many requests came without v=2.
func (s *Server) MissingVersion() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.noVersion
}

// Snapshot returns the request, status and credit counters.
func (s *Server) Snapshot() Snapshot { return s.f.Stats().Snapshot() }

// errorBody renders {"error":{"code":N,"description":"..."}} for errors
// the shared fake writes (injected faults, 429s).
func errorBody(status int, msg string) any {
	e := map[string]any{"description": msg}
	switch status {
	case http.StatusBadRequest:
		e["code"] = wireCode(hypeauditor.CodeInvalidRequest)
	case http.StatusForbidden:
		e["code"] = wireCode(hypeauditor.CodeInvalidToken)
	case http.StatusNotFound:
		e["code"] = wireCode(hypeauditor.CodeObjectNotFound)
	}
	return map[string]any{"error": e}
}

// wireCode writes a code as HypeAuditor does: a JSON number.
func wireCode(c hypeauditor.Code) json.Number { return json.Number(c) }

// fail writes a HypeAuditor error; code "" leaves the code out.
func (s *Server) fail(w http.ResponseWriter, status int, code hypeauditor.Code, desc string) {
	e := map[string]any{"description": desc}
	if code != "" {
		e["code"] = wireCode(code)
	}
	fake.JSON(w, status, map[string]any{"error": e})
}

// ok writes {"result": v}.
func ok(w http.ResponseWriter, status int, v any) {
	fake.JSON(w, status, map[string]any{"result": v})
}

// guard checks API access (402 code 27) and counts requests without v=2
// (the credentials were checked by internal/fake, answering 403 code 4).
func (s *Server) guard(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("v") != hypeauditor.APIVersion {
			s.mu.Lock()
			s.noVersion++
			s.mu.Unlock()
		}
		if s.cfg.noAPIAccess {
			s.fail(w, http.StatusPaymentRequired, hypeauditor.CodeNoAPIAccess, "No API access")
			return
		}
		h(w, r)
	}
}

// DefaultOutcome is the outcome rule used unless WithOutcome replaces it.
// By account name: "private" -> PRIVATE, "noposts" -> NO_POSTS, "deleted"
// -> DELETED, "restricted" -> RESTRICTED, "notfound" -> CHANNEL_NOT_FOUND,
// "novideos" -> NO_VIDEOS, "noviews" -> NO_VIEWS, "lowviews" -> LOW_VIEWS,
// "calculating" -> REPORT_CALCULATING then READY, "lowconf" ->
// READY_LOW_CONFIDENCE; anything else is READY.
func DefaultOutcome(_ hypeauditor.Platform, account string) Outcome {
	a := strings.ToLower(account)
	for _, m := range []struct {
		word  string
		state hypeauditor.ReportState
	}{
		{"private", hypeauditor.StatePrivate}, {"noposts", hypeauditor.StateNoPosts}, {"deleted", hypeauditor.StateDeleted},
		{"restricted", hypeauditor.StateRestricted}, {"notfound", hypeauditor.StateChannelNotFound},
		{"novideos", hypeauditor.StateNoVideos}, {"noviews", hypeauditor.StateNoViews}, {"lowviews", hypeauditor.StateLowViews},
		{"calculating", hypeauditor.StateReportCalculating}, {"lowconf", hypeauditor.StateReadyLowConfidence},
	} {
		if strings.Contains(a, m.word) {
			return Outcome{State: m.state}
		}
	}
	return Outcome{State: hypeauditor.StateReady}
}
