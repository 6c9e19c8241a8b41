// Package engagechecktest runs a fake EngageCheck API in-process, the way
// net/http/httptest runs a server: one line to start, the same paths,
// auth, status codes and error bodies as the real API, and no network.
//
//	srv := engagechecktest.NewServer()
//	defer srv.Close()
//	c, _ := srv.NewClient()
//	a, _ := c.Audits.CreateAndWait(ctx, engagecheck.CreateAuditParams{Username: "natgeo"}, srv.PollOptions()...)
//
// It models the whole audit life cycle (pending, scraping, analyzing, then
// complete or error) on a time scale (by default one virtual minute takes
// 600 ms), batches processed one handle after another, credits with
// automatic refunds for failed audits, 402 when a batch cannot be covered,
// an inline report for a handle audited recently, the per-key 60-a-minute
// limit with X-RateLimit-* headers and 429 + Retry-After, webhook delivery
// (with a loss rate and a delay: WithWebhookLoss, WithWebhookDelay), an
// outage that keeps its state (Pause, Resume), and fault injection (error
// rates per status, 429 storms, latency, dropped connections, truncated
// and malformed bodies). Snapshot returns
// the requests, statuses and credits per endpoint so tests can assert
// cost.
//
// Where EngageCheck's documentation is silent the fake assumes: verdicts
// other than "green" are "amber" (AQS 60-79) and "red" (0-59); the five
// signals weigh 25/25/20/15/15 percent; an inline fresh report costs a
// credit like any submit; list rows carry no error_message.
//
// It scales with a test's dataset: a list page, a get and a submit cost
// the same with five hundred or fifty thousand audits (AddAudits seeds
// them without requests).
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
//		srv := engagechecktest.NewServer(engagechecktest.WithVirtualTime())
//		defer srv.Close()
//		c, _ := srv.NewClient()
//		a, _ := c.Audits.CreateAndWait(ctx, engagecheck.CreateAuditParams{Username: "natgeo"}, srv.PollOptions()...)
//		// the audit's 42 s passed on the bubble's clock, in no real time
//	})
package engagechecktest

import (
	"math/rand/v2"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/creatorkit/creatorkit-go/creatorkittest"
	"github.com/creatorkit/creatorkit-go/engagecheck"
	"github.com/creatorkit/creatorkit-go/internal/fake"
	"github.com/creatorkit/creatorkit-go/internal/fake/universe"
)

// DefaultAPIKey is the key the fake accepts unless WithAPIKey says otherwise.
const DefaultAPIKey = "ec_test_0123456789abcdef"

// Re-exported fake types.
type (
	// Faults are the failures to inject; see SetFaults.
	Faults = creatorkittest.Faults
	// Snapshot is a copy of the request, status and credit counters.
	Snapshot = creatorkittest.Snapshot
	// Delivery is one webhook POST the fake made.
	Delivery = creatorkittest.Delivery
)

// Route names, for Faults.Routes and Snapshot keys.
const (
	RouteCreate  = "audits.create"
	RouteBatch   = "audits.batch"
	RouteList    = "audits.list"
	RouteGet     = "audits.get"
	RouteCredits = "credits.get"
)

// Durations are how long (virtual time) an audit spends in each phase.
type Durations struct {
	Pending, Scraping, Analyzing time.Duration
}

// Total is the whole run of one audit.
func (d Durations) Total() time.Duration { return d.Pending + d.Scraping + d.Analyzing }

// Outcome decides how an audit of a handle ends.
type Outcome struct {
	// Fail, when not empty, ends the audit with status error and this
	// error_message (and refunds its credit).
	Fail string
	// Report replaces the generated report of a complete audit.
	Report *engagecheck.Report
}

type config struct {
	inMemory   bool
	key        string
	credits    int
	scale      float64
	durations  Durations
	window     fake.Window
	faults     fake.Faults
	seed       uint64
	outcome    func(username string) Outcome
	sequential bool
	freshFor   time.Duration
	hookLoss   float64       // share of webhooks never sent
	hookDelay  time.Duration // how long after its audit settles a webhook is sent
}

// Option configures the fake.
type Option func(*config)

// WithAPIKey sets the key the fake accepts.
func WithAPIKey(key string) Option { return func(c *config) { c.key = key } }

// WithCredits sets the starting balance (default 1000).
func WithCredits(n int) Option { return func(c *config) { c.credits = n } }

// WithTimeScale sets real time per virtual second (default 0.01: a
// 60-second window lasts 600 ms). 1 runs in real time.
func WithTimeScale(scale float64) Option { return func(c *config) { c.scale = scale } }

// WithVirtualTime serves the fake over in-memory connections and sets the
// time scale to 1 (the vendor's real durations), for tests that run
// inside a testing/synctest bubble, where the virtual clock passes those
// durations in no real time (see the package documentation). Only
// HTTPClient reaches the fake, and the clients of NewClient use it. A
// WithTimeScale after it changes the scale.
func WithVirtualTime() Option { return func(c *config) { c.inMemory, c.scale = true, 1 } }

// WithDurations sets the phase durations (default 2 s pending, 20 s
// scraping, 20 s analyzing: 42 s, as in the documentation's example).
func WithDurations(d Durations) Option { return func(c *config) { c.durations = d } }

// WithRateLimit sets the per-key window (default 60 a minute); n = 0 turns
// it off.
func WithRateLimit(n int, per time.Duration) Option {
	return func(c *config) { c.window = fake.Window{N: n, Per: per} }
}

// WithFaults injects faults from the start.
func WithFaults(f Faults) Option { return func(c *config) { c.faults = f } }

// WithSeed makes fault injection repeatable.
func WithSeed(seed uint64) Option { return func(c *config) { c.seed = seed } }

// WithOutcome decides each handle's outcome. The default fails handles
// containing "private" (Account is private.) or "notfound", "deleted" or
// "doesnotexist" (Account was not found or has been deleted.) and completes
// the rest with a report derived from the handle.
func WithOutcome(fn func(username string) Outcome) Option { return func(c *config) { c.outcome = fn } }

// WithSequentialBatches sets whether a batch's audits run one after
// another, as EngageCheck documents (default true). false runs them side
// by side: a batch of n handles then settles in one audit's time (42 s of
// the fake's time by default) instead of n audits' time, and the list
// shows them settling together. It changes nothing else (credits,
// refunds, limits). examples/vetting starts its fake with false so that
// its demo roster settles in about one audit's time, not one audit after
// another; keep the default to test how CreateAndWaitAll paces itself on
// a real key.
func WithSequentialBatches(on bool) Option { return func(c *config) { c.sequential = on } }

// WithFreshFor sets how long a complete report stays fresh: a submit for
// the same handle within it returns the report inline (default 24 h; 0
// turns it off).
func WithFreshFor(d time.Duration) Option { return func(c *config) { c.freshFor = d } }

// WithWebhookLoss drops that share (0 to 1) of the webhooks, as a
// delivery lost on the way would be: the audit settles, its webhook never
// arrives (LostWebhooks counts them). Which ones is drawn from WithSeed.
func WithWebhookLoss(rate float64) Option { return func(c *config) { c.hookLoss = rate } }

// WithWebhookDelay sends each webhook d (the fake's time) after its audit
// settled instead of at once.
func WithWebhookDelay(d time.Duration) Option { return func(c *config) { c.hookDelay = d } }

// Server is a running fake EngageCheck.
type Server struct {
	// URL is the root URL of the running fake ("http://127.0.0.1:port";
	// "http://engagecheck.fake.invalid" with WithVirtualTime).
	URL string

	f     *fake.Server   // routing, auth, windows, faults, clock
	clock universe.Clock // the creator universe's calendar: the fake's start is its epoch
	// APIKey is the key the fake accepts.
	APIKey string

	cfg        config
	mu         sync.Mutex
	credits    int
	nextID     int64
	audits     []*audit // in creation order
	byID       map[int64]*audit
	byName     map[string][]*audit // complete audits per handle, in creation order (fresh)
	due        fake.Due[*audit]    // audits not settled yet, by end
	deliveries fake.Deliveries
	rng        *rand.Rand // which webhooks are lost
	lost       int        // webhooks lost (WithWebhookLoss)
	pausedAt   time.Time  // when Pause stopped the fake; zero when running
}

// NewServer starts a fake EngageCheck. Close it when done.
func NewServer(opts ...Option) *Server {
	cfg := config{
		key: DefaultAPIKey, credits: 1000, scale: 0.01,
		durations:  Durations{Pending: 2 * time.Second, Scraping: 20 * time.Second, Analyzing: 20 * time.Second},
		window:     fake.Window{N: 60, Per: time.Minute},
		outcome:    DefaultOutcome,
		sequential: true,
		freshFor:   24 * time.Hour,
	}
	for _, o := range opts {
		o(&cfg)
	}
	s := &Server{APIKey: cfg.key, cfg: cfg, credits: cfg.credits, nextID: 142, byID: map[int64]*audit{}, byName: map[string][]*audit{},
		rng: rand.New(rand.NewPCG(cfg.seed, cfg.seed^0x5851f42d4c957f2d))}
	s.f = fake.New(fake.Config{
		Auth:      s.auth,
		RateLimit: cfg.window,
		TimeScale: cfg.scale,
		Faults:    cfg.faults,
		Seed:      cfg.seed,
		InMemory:  cfg.inMemory,
		Name:      "engagecheck",
	})
	s.clock = universe.NewClock(time.Now())
	s.f.Handle("POST /api/v1/audits", RouteCreate, s.unlessPaused(s.create))
	s.f.Handle("POST /api/v1/audits/batch", RouteBatch, s.unlessPaused(s.batch))
	s.f.Handle("GET /api/v1/audits", RouteList, s.unlessPaused(s.list))
	s.f.Handle("GET /api/v1/audits/{id}", RouteGet, s.unlessPaused(s.get))
	s.f.Handle("GET /api/v1/credits", RouteCredits, s.unlessPaused(s.getCredits))
	s.f.Start()
	s.URL = s.f.URL
	return s
}

// BaseURL is the URL to pass to engagecheck.WithBaseURL.
func (s *Server) BaseURL() string { return s.URL + "/api/v1" }

// ClientOptions point a client at the fake: its base URL and key, the
// fake's rate limit on the fake's time scale, and short retry waits.
func (s *Server) ClientOptions() []engagecheck.Option {
	opts := []engagecheck.Option{
		engagecheck.WithBaseURL(s.BaseURL()),
		engagecheck.WithAPIKey(s.APIKey),
		engagecheck.WithRetryWait(s.f.RetryWait()),
	}
	if s.cfg.window.N > 0 {
		opts = append(opts, engagecheck.WithWindow(s.cfg.window.N, s.Scale(s.cfg.window.Per)))
	}
	if s.f.InMemory() {
		opts = append(opts, engagecheck.WithHTTPClient(s.f.HTTPClient()))
	}
	return opts
}

// NewClient returns a client for the fake; opts are applied after
// ClientOptions.
func (s *Server) NewClient(opts ...engagecheck.Option) (*engagecheck.Client, error) {
	return engagecheck.NewClient(append(s.ClientOptions(), opts...)...)
}

// PollOptions scale the poll interval of GetAndWait, CreateAndWait and
// CreateAndWaitAll to the fake's time (3 s to 30 s, scaled).
func (s *Server) PollOptions() []engagecheck.WaitOption {
	return []engagecheck.WaitOption{engagecheck.WithPollInterval(s.Scale(3*time.Second)+time.Millisecond, s.Scale(30*time.Second)+time.Millisecond)}
}

// Credits returns the balance.
func (s *Server) Credits() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.credits
}

// SetCredits sets the balance.
func (s *Server) SetCredits(n int) {
	s.mu.Lock()
	s.credits = n
	s.mu.Unlock()
}

// Snapshot returns the request, status and credit counters.
func (s *Server) Snapshot() Snapshot { return s.f.Stats().Snapshot() }

// Deliveries returns the webhooks delivered so far.
func (s *Server) Deliveries() []Delivery { return s.deliveries.List() }

// AuditCount returns how many audits were created.
func (s *Server) AuditCount() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.audits)
}

func (s *Server) auth(r *http.Request) (string, bool) {
	k := r.Header.Get("X-API-Key")
	if h := r.Header.Get("Authorization"); strings.HasPrefix(h, "Bearer ") {
		k = strings.TrimPrefix(h, "Bearer ")
	}
	return k, k == s.cfg.key
}

// DefaultOutcome is the outcome rule used unless WithOutcome replaces it.
func DefaultOutcome(username string) Outcome {
	switch {
	case strings.Contains(username, "private"):
		return Outcome{Fail: "Account is private."}
	case strings.Contains(username, "notfound"), strings.Contains(username, "deleted"), strings.Contains(username, "doesnotexist"):
		return Outcome{Fail: "Account was not found or has been deleted."}
	}
	return Outcome{}
}

// AddAudits records finished audits of these handles directly, without
// requests, credits or webhooks (to seed large lists), as if they had just
// ended: each completes or fails by the outcome rule, and a complete one
// is fresh for a new submit of its handle. It returns their ids in order.
func (s *Server) AddAudits(usernames ...string) []int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := time.Now()
	ids := make([]int64, len(usernames))
	for i, u := range usernames {
		a := s.record(u, "", now, now.Add(-s.Scale(s.cfg.durations.Total())))
		a.settled = true
		ids[i] = a.id
	}
	return ids
}
