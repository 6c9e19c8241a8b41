// Package creatoraudittest runs a fake CreatorAudit API v2 in-process, the
// way net/http/httptest runs a server: one line to start, the same paths,
// envelopes, status codes and problem+json errors as the real API, and no
// network.
//
//	srv := creatoraudittest.NewServer()
//	defer srv.Close()
//	c, _ := srv.NewClient()
//	a, _ := c.Accounts.Create(ctx, creatoraudit.CreateAccountParams{Platform: creatoraudit.Instagram, Username: "natgeo"})
//	a, _ = c.Accounts.GetAndWait(ctx, a.ID, srv.PollOptions()...)
//
// It serves every endpoint of the SDK: accounts, videos, account videos,
// creators (with link and unlink), batch metrics and deltas, analytics
// (with their period-over-period comparison) and time series, the
// leaderboard, the overview, search and an OpenAPI document of its own
// routes. It pages with
// cursors bound to their filters (a cursor reused with other filters is a
// 422), sends Link headers and strong ETags (If-None-Match gives 304),
// replays Idempotency-Keys for 10 minutes, fills in last_scrape_time after
// a scrape delay (and discovers account videos then), enforces write
// scope and an optional tracking quota, sends X-RateLimit-* headers and 429
// with Retry-After over its per-key window, and injects the shared faults
// (error rates, 429 storms, latency, dropped connections before and after
// the handler, truncated and malformed bodies). Time runs on a scale: by
// default one virtual minute lasts 600 ms.
//
// Where CreatorAudit's documentation is silent the fake assumes (and the
// SDK decodes leniently): create answers 201; deletes and unlinks answer
// 204; batch metrics, deltas, analytics and time series use the shapes the
// creatoraudit package documents as inferred; account videos have integer
// ids (the internal ids POST /account-videos/metrics takes), 3 per account;
// an analytics answer compares its window with the one before it like
// the overview (current, previous with 10% fewer views, changes in
// percent); GET /openapi.json, like /meta, needs no key and is not rate
// limited, and lists the fake's routes;
// every POST, PATCH, PUT and DELETE needs the write scope (as documented,
// batch metrics included); a repeated Idempotency-Key replays the first
// answer whatever the body; accounts whose username contains "private" or
// "unavailable" (and videos whose identifier does) become is_unavailable
// at the scrape instead of being scraped; metric values are derived from
// the ids so they are stable across runs.
//
// It keeps the ledger of the SDK's unit of spend (creatoraudit.SpendUnit):
// each account POST /accounts starts tracking counts 1 credit on
// RouteAccountsCreate in Snapshot().Credits; a replayed Idempotency-Key,
// a duplicate (409) and a refusal count nothing, and untracking gives
// nothing back (AccountCount is the number tracked now). Accounts seeded
// with AddAccounts are not counted.
//
// It scales with a test's dataset: gets, creates, deletes and batch
// metrics cost the same per id with a hundred or a hundred thousand
// accounts (AddAccounts, AddVideos and AddCreator seed them without
// requests); a list query is sorted once and every page after is cut in
// O(page); the overview and the leaderboard read totals kept as accounts
// change; search uses a trigram index.
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
//		srv := creatoraudittest.NewServer(creatoraudittest.WithVirtualTime())
//		defer srv.Close()
//		c, _ := srv.NewClient()
//		a, _ := c.Accounts.Create(ctx, creatoraudit.CreateAccountParams{Platform: creatoraudit.Instagram, Username: "natgeo"})
//		a, _ = c.Accounts.GetAndWait(ctx, a.ID, srv.PollOptions()...)
//		// the 30 s scrape passed on the bubble's clock, in no real time
//	})
package creatoraudittest

import (
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/creatorkit/creatorkit-go/creatoraudit"
	"github.com/creatorkit/creatorkit-go/creatorkittest"
	"github.com/creatorkit/creatorkit-go/internal/fake"
	"github.com/creatorkit/creatorkit-go/internal/fake/universe"
)

// DefaultAPIKey is the key the fake accepts unless WithAPIKey says
// otherwise; it has every scope.
const DefaultAPIKey = "ca_test_0123456789abcdef"

// Re-exported fake types.
type (
	// Faults are the failures to inject; see SetFaults.
	Faults = creatorkittest.Faults
	// Snapshot is a copy of the request and status counters.
	Snapshot = creatorkittest.Snapshot
)

// Route names, for Faults.Routes and Snapshot keys.
const (
	RouteHealth                 = "health"
	RouteMeta                   = "meta"
	RouteWhoAmI                 = "whoami"
	RouteOpenAPI                = "openapi"
	RouteAccountsList           = "accounts.list"
	RouteAccountsCreate         = "accounts.create"
	RouteAccountGet             = "accounts.get"
	RouteAccountUpdate          = "accounts.update"
	RouteAccountDelete          = "accounts.delete"
	RouteAccountsMetrics        = "accounts.metrics"
	RouteAccountAnalytics       = "accounts.analytics"
	RouteAccountTimeseries      = "accounts.timeseries"
	RouteVideosList             = "videos.list"
	RouteVideosCreate           = "videos.create"
	RouteVideoGet               = "videos.get"
	RouteVideoUpdate            = "videos.update"
	RouteVideoDelete            = "videos.delete"
	RouteVideosMetrics          = "videos.metrics"
	RouteVideosDeltas           = "videos.deltas"
	RouteVideoAnalytics         = "videos.analytics"
	RouteVideoTimeseries        = "videos.timeseries"
	RouteAccountVideosList      = "account_videos.list"
	RouteAccountVideoGet        = "account_videos.get"
	RouteAccountVideosMetrics   = "account_videos.metrics"
	RouteAccountVideoAnalytics  = "account_videos.analytics"
	RouteAccountVideoTimeseries = "account_videos.timeseries"
	RouteCreatorsList           = "creators.list"
	RouteCreatorsCreate         = "creators.create"
	RouteCreatorGet             = "creators.get"
	RouteCreatorUpdate          = "creators.update"
	RouteCreatorDelete          = "creators.delete"
	RouteCreatorLink            = "creators.link"
	RouteCreatorUnlink          = "creators.unlink"
	RouteCreatorsTop            = "creators.top"
	RouteCreatorAnalytics       = "creators.analytics"
	RouteCreatorTimeseries      = "creators.timeseries"
	RouteOverview               = "overview"
	RouteOverviewTimeseries     = "overview.timeseries"
	RouteSearch                 = "search"
)

type config struct {
	inMemory         bool
	key, readOnlyKey string
	scale            float64
	scrapeDelay      time.Duration
	window           fake.Window
	quota            int
	faults           fake.Faults
	seed             uint64
	idemWindow       time.Duration
	searchCap        int
	videosPerAccount int
}

// Option configures the fake.
type Option func(*config)

// WithAPIKey sets the key the fake accepts (with every scope).
func WithAPIKey(key string) Option { return func(c *config) { c.key = key } }

// WithReadOnlyKey adds a key with only the read scope: its writes fail
// with 403 INSUFFICIENT_SCOPE.
func WithReadOnlyKey(key string) Option { return func(c *config) { c.readOnlyKey = key } }

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

// WithScrapeDelay sets how long (virtual time) after it is added an
// account or video gets its first scrape (default 30 s).
func WithScrapeDelay(d time.Duration) Option { return func(c *config) { c.scrapeDelay = d } }

// WithRateLimit sets the per-key window (default 600 a minute, the
// documentation's illustrative X-RateLimit-Limit); n = 0 turns it off.
func WithRateLimit(n int, per time.Duration) Option {
	return func(c *config) { c.window = fake.Window{N: n, Per: per} }
}

// WithTrackingQuota caps tracked accounts (default none): POST /accounts
// over the cap is 403 QUOTA_EXCEEDED.
func WithTrackingQuota(n int) Option { return func(c *config) { c.quota = n } }

// WithFaults injects faults from the start.
func WithFaults(f Faults) Option { return func(c *config) { c.faults = f } }

// WithSeed makes fault injection repeatable.
func WithSeed(seed uint64) Option { return func(c *config) { c.seed = seed } }

// WithIdempotencyWindow sets how long (virtual time) a key is replayed
// (default 10 minutes, as documented).
func WithIdempotencyWindow(d time.Duration) Option { return func(c *config) { c.idemWindow = d } }

// WithSearchCap sets the server's most matches per search section
// (default 25); meta.effective_caps reports min(limit, cap).
func WithSearchCap(n int) Option { return func(c *config) { c.searchCap = n } }

// WithAccountVideos sets how many posts each account's first scrape
// discovers (default 3).
func WithAccountVideos(n int) Option { return func(c *config) { c.videosPerAccount = n } }

// Server is a running fake CreatorAudit.
type Server struct {
	// URL is the root URL of the running fake ("http://127.0.0.1:port";
	// "http://creatoraudit.fake.invalid" with WithVirtualTime).
	URL string

	f     *fake.Server   // routing, auth, windows, faults, clock
	clock universe.Clock // the creator universe's calendar: the fake's start is its epoch
	// APIKey is the key the fake accepts.
	APIKey string

	cfg      config
	patterns [][2]string // every route's pattern and name, for GET /openapi.json
	mu       sync.Mutex
	seq      int64
	reqSeq   atomic.Int64

	// The store (see index.go).
	accounts      liveList[*account]
	videos        liveList[*video] // individual videos
	avideos       liveList[*video] // account videos
	creators      liveList[*creator]
	accountByID   map[string]*account
	accountByName map[string]*account // nameKey
	videoByID     map[string]*video
	videoByIdent  map[string]*video // platform|identifier
	avideoByID    map[string]*video
	creatorByID   map[string]*creator
	scraping      fake.Due[*account]   // accounts by first scrape
	accountQ      fake.Views[*account] // list answers by filters and sort
	videoQ        fake.Views[*video]
	avideoQ       fake.Views[*video]
	creatorQ      fake.Views[*creator]
	leaderQ       fake.Views[*creator] // leaderboards by period, platform and metric
	org           orgTotals
	text          *texts // nil until the first search that uses it

	idem  map[string]*idemEntry
	idemQ []*idemEntry // in the order recorded, to forget expired ones
}

// NewServer starts a fake CreatorAudit. Close it when done.
func NewServer(opts ...Option) *Server {
	cfg := config{key: DefaultAPIKey, scale: 0.01, scrapeDelay: 30 * time.Second, window: fake.Window{N: 600, Per: time.Minute},
		idemWindow: 10 * time.Minute, searchCap: creatoraudit.MaxSearchLimit, videosPerAccount: 3}
	for _, o := range opts {
		o(&cfg)
	}
	s := &Server{APIKey: cfg.key, cfg: cfg, idem: map[string]*idemEntry{}}
	s.initStore()
	s.f = fake.New(fake.Config{
		Auth:             s.auth,
		ErrorBody:        s.errorBody,
		ErrorContentType: "application/problem+json",
		RateLimit:        cfg.window,
		RateLimitExempt:  []string{RouteHealth, RouteMeta, RouteOpenAPI},
		Public:           []string{RouteHealth, RouteMeta, RouteOpenAPI},
		TimeScale:        cfg.scale,
		Faults:           cfg.faults,
		Seed:             cfg.seed,
		InMemory:         cfg.inMemory,
		Name:             "creatoraudit",
		RateLimitMessage: "Rate limit exceeded. Retry after the number of seconds in the Retry-After header.",
	})
	s.clock = universe.NewClock(time.Now())
	s.routes()
	s.f.Start()
	s.URL = s.f.URL
	return s
}

// BaseURL is the URL to pass to creatoraudit.WithBaseURL.
func (s *Server) BaseURL() string { return s.URL + "/v2" }

// ClientOptions point a client at the fake: its base URL and key, and
// retry waits on the fake's time scale. No client-side pace is set: like
// the real API, the fake publishes no limit, and the client adapts to its
// X-RateLimit-* headers.
func (s *Server) ClientOptions() []creatoraudit.Option {
	opts := []creatoraudit.Option{
		creatoraudit.WithBaseURL(s.BaseURL()),
		creatoraudit.WithAPIKey(s.APIKey),
		creatoraudit.WithRetryWait(s.f.RetryWait()),
	}
	if s.f.InMemory() {
		opts = append(opts, creatoraudit.WithHTTPClient(s.f.HTTPClient()))
	}
	return opts
}

// NewClient returns a client for the fake; opts are applied after
// ClientOptions.
func (s *Server) NewClient(opts ...creatoraudit.Option) (*creatoraudit.Client, error) {
	return creatoraudit.NewClient(append(s.ClientOptions(), opts...)...)
}

// PollOptions scale the GetAndWait intervals to the fake's time (5 s
// growing to 1 min, scaled).
func (s *Server) PollOptions() []creatoraudit.WaitOption {
	return []creatoraudit.WaitOption{creatoraudit.WithPollInterval(s.Scale(creatoraudit.DefaultPollInitial)+time.Millisecond, s.Scale(creatoraudit.DefaultPollMax)+time.Millisecond)}
}

// Snapshot returns the request and status counters.
func (s *Server) Snapshot() Snapshot { return s.f.Stats().Snapshot() }

// AccountCount returns how many accounts are tracked.
func (s *Server) AccountCount() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.accounts.len()
}

// VideoCount returns how many individual videos are tracked.
func (s *Server) VideoCount() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.videos.len()
}

// CreatorCount returns how many creators exist.
func (s *Server) CreatorCount() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.creators.len()
}

// AddAccounts tracks accounts directly, without requests (to seed large
// lists), already scraped; it returns their ids in order.
func (s *Server) AddAccounts(platform creatoraudit.Platform, usernames ...string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := time.Now()
	ids := make([]string, len(usernames))
	for i, u := range usernames {
		ids[i] = s.newAccount(platform, u, now, now).id
	}
	return ids
}

func (s *Server) auth(r *http.Request) (string, bool) {
	h := r.Header.Get("Authorization")
	if !strings.HasPrefix(h, "Bearer ") {
		return "", false
	}
	k := strings.TrimPrefix(h, "Bearer ")
	return k, k == s.cfg.key || (s.cfg.readOnlyKey != "" && k == s.cfg.readOnlyKey)
}

// nextID returns a fresh UUID-shaped id. Callers hold s.mu.
func (s *Server) nextID(kind int) string {
	s.seq++
	return fmt.Sprintf("%08x-%04x-4%03x-8%03x-%012x", 0xca000000+kind, s.seq&0xffff, kind, s.seq>>16&0xfff, s.seq)
}

// requestID returns a fresh request id; it takes no lock, so handlers
// holding s.mu can call it.
func (s *Server) requestID() string { return fmt.Sprintf("req_%016x", s.reqSeq.Add(1)) }

// AddVideos tracks individual videos directly, without requests (to seed
// large lists), already scraped; it returns their ids in order.
func (s *Server) AddVideos(platform creatoraudit.Platform, identifiers ...string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := time.Now()
	ids := make([]string, len(identifiers))
	for i, ident := range identifiers {
		v := &video{id: s.nextID(2), platform: platform, identifier: ident, metadata: map[string]any{}, isActive: true, interval: 24,
			added: now, scrapeAt: now, created: now.Add(-48 * time.Hour), unavail: unavailableName(ident)}
		v.seq = s.seq
		v.caption = "video " + shortcodeOf(ident)
		s.addVideo(v, false)
		ids[i] = v.id
	}
	return ids
}

// AddCreator creates a creator directly, without requests, and links the
// tracked accounts with these ids to it (unknown ids are skipped); it
// returns the creator's id.
func (s *Server) AddCreator(name string, accountIDs ...string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.newCreator(name)
	for _, id := range accountIDs {
		if a := s.findAccount(id); a != nil {
			s.changeAccount(a, func() { a.creatorID = c.id })
		}
	}
	return c.id
}
