// Command firstparty-connect is a small web app that lets a creator connect
// their Instagram account through Ylytic's First Party API and shows them
// a summary of their insights.
//
//	/connect        starts the flow: issues a state bound to the browser's
//	                session cookie and redirects to Ylytic's connect page
//	/callback       Ylytic sends the creator back here with a token and the
//	                state; forged, replayed, expired or cross-session
//	                callbacks are refused; the creator is verified
//	/insights       the creator's insights summary (waits while Ylytic
//	                processes them)
//	/hooks/ylytic   receives the creator_insights_1p webhook
//
// By default it keeps consent states, webhooks and who connected what in
// its own memory: right for one process. Behind a load balancer, with
// several replicas, /connect and /callback land on different replicas,
// and so do the webhook and whatever waits for it. With -redis the app
// shares all of it through Redis (contrib/redisstore): the consent states
// (a redisstore.StateStore), the webhooks (appended to a Redis stream by
// whichever replica receives them, handed to one replica's worker by a
// consumer group), and its own session-to-creator records.
//
//	-redis ""             (default) one process, everything in memory
//	-redis redis://host:6379/0
//	                      share through that Redis
//	-redis local          start a throwaway redis-server (needs
//	                      redis-server installed: apt-get install redis-server)
//
// Without FIRSTPARTY_TOKEN it runs the whole flow by itself against the
// built-in fake (firstpartytest): it starts the fake and the app on
// loopback ports, plays the creator's browser with an http.Client that
// follows redirects, prints the insights page and exits. With -redis it
// runs two replicas, A and B, each with its own Redis connection, behind a
// load balancer that makes every step change replicas: /connect on A, the
// callback on B, the insights page on A, the webhook on B and the worker
// that waits for it on A.
//
// With FIRSTPARTY_TOKEN set it serves on $ADDR (default :8080) until
// interrupted. Set FIRSTPARTY_REDIRECT_URL to the public URL of /callback
// (default http://localhost:8080/callback), and give Ylytic
// <your host>/hooks/ylytic as your webhook URL. With -redis, run as many
// replicas as you like; each also runs a webhook worker, named $REPLICA
// (default host name and process id).
//
// This example is its own Go module, so that the SDK's core module never
// depends on a Redis client:
//
//	cd examples/firstparty-connect
//	go run .
//	go run . -redis local
package main

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"os"
	"os/signal"
	"strings"
	"sync"
	"time"

	"github.com/creatorkit/creatorkit-go/contrib/redislimit/redistest"
	"github.com/creatorkit/creatorkit-go/contrib/redisstore"
	"github.com/creatorkit/creatorkit-go/firstparty"
	"github.com/creatorkit/creatorkit-go/firstparty/firstpartytest"
	"github.com/redis/go-redis/v9"
)

const (
	sessionCookie = "fpc_session"
	// keyPrefix is where this app's keys live in Redis: every replica
	// uses the same.
	keyPrefix = "firstparty-connect"
	// hookGroup is the consumer group of the webhook workers: one for the
	// deployment, so each webhook is handled by one replica.
	hookGroup = "firstparty-connect"
)

// app is one replica of the web app.
type app struct {
	name   string // "A", "B"; "" when it runs alone
	client *firstparty.Client
	flow   *firstparty.ConnectFlow
	wait   []firstparty.WaitOption
	data   appData

	rdb    *redis.Client      // nil without -redis
	stream *redisstore.Stream // nil without -redis: webhooks are handled where they land
	hooks  chan hook
}

// hook is a webhook matched to the session that started its flow.
type hook struct {
	ev      *firstparty.WebhookEvent
	session string // the session (a tag of it, with Redis); "" when the state is not one this app issued
	worker  string // the replica whose worker handled it
}

func main() {
	redisURL := flag.String("redis", "", `share consent states and webhooks between replicas through Redis: a URL (redis://host:6379/0), or "local" to start a throwaway redis-server; empty keeps them in this process's memory`)
	flag.Parse()
	if err := run(*redisURL); err != nil {
		fmt.Fprintln(os.Stderr, "firstparty-connect:", err)
		os.Exit(1)
	}
}

func run(redisArg string) error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	var opts *redis.Options
	if redisArg != "" {
		o, cleanup, err := redisOptions(ctx, redisArg)
		if err != nil {
			return err
		}
		defer cleanup()
		opts = o
	}
	if os.Getenv("FIRSTPARTY_TOKEN") == "" {
		fmt.Println("FIRSTPARTY_TOKEN not set: running the whole flow against the built-in fake (firstpartytest), no network")
		return demo(ctx, opts)
	}
	return serve(ctx, opts)
}

// redisOptions reads -redis: a URL, or "local" for a throwaway
// redis-server. It checks that Redis answers.
func redisOptions(ctx context.Context, arg string) (*redis.Options, func(), error) {
	cleanup := func() {}
	var opts *redis.Options
	if arg == "local" {
		srv, err := redistest.Start()
		if err != nil {
			return nil, nil, fmt.Errorf("-redis local: %w", err)
		}
		fmt.Printf("-redis local: started a throwaway redis-server on %s\n", srv.Addr)
		opts, cleanup = &redis.Options{Addr: srv.Addr}, srv.Close
	} else {
		var err error
		if opts, err = redis.ParseURL(arg); err != nil {
			return nil, nil, fmt.Errorf("-redis: %w", err)
		}
	}
	// Notice a stopped or hung Redis at once rather than after go-redis's
	// five dials: a callback then fails closed, a webhook is answered 503.
	opts.DialerRetries, opts.ContextTimeoutEnabled = 1, true
	rdb := redis.NewClient(opts)
	defer rdb.Close()
	pctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	if err := rdb.Ping(pctx).Err(); err != nil {
		cleanup()
		return nil, nil, fmt.Errorf("-redis: Redis at %s does not answer: %w", opts.Addr, err)
	}
	return opts, cleanup, nil
}

func serve(ctx context.Context, opts *redis.Options) error {
	c, err := firstparty.NewClient(firstparty.WithUserAgent("firstparty-connect-example"))
	if err != nil {
		return err
	}
	redirect := os.Getenv("FIRSTPARTY_REDIRECT_URL")
	if redirect == "" {
		redirect = "http://localhost:8080/callback"
	}
	a, err := newApp("", c, redirect, nil, opts)
	if err != nil {
		return err
	}
	defer a.close()
	addr := os.Getenv("ADDR")
	if addr == "" {
		addr = ":8080"
	}
	srv := &http.Server{Addr: addr, Handler: a.routes(), ReadHeaderTimeout: 10 * time.Second}
	go func() {
		<-ctx.Done()
		shut, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(shut)
	}()
	if a.stream != nil {
		worker, err := a.stream.NewConsumer(ctx, hookGroup, os.Getenv("REPLICA"))
		if err != nil {
			return err
		}
		go func() { _ = worker.Run(ctx, redisstore.FirstPartyHandler(a.onWebhook)) }()
		log.Printf("sharing consent states and webhooks through Redis at %s (webhook worker %s)", opts.Addr, worker.Name())
	}
	go func() {
		for h := range a.hooks {
			log.Printf("webhook %s: @%s %s %s (session %q)", h.ev.Type, h.ev.Identifier, h.ev.Status, h.ev.Reason, h.session)
		}
	}()
	log.Printf("serving on %s; open /connect in a browser (callback %s)", addr, redirect)
	if err := srv.ListenAndServe(); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// newApp makes a replica; opts (nil: in memory) is where it shares its
// state.
func newApp(name string, c *firstparty.Client, redirectURL string, wait []firstparty.WaitOption, opts *redis.Options) (*app, error) {
	a := &app{name: name, client: c, wait: wait, data: newMemData(), hooks: make(chan hook, 8)}
	cfg := firstparty.ConnectConfig{
		RedirectURL: redirectURL,
		// Bind every state to the browser that started the flow, so a
		// captured callback URL cannot be completed in another browser.
		Session: sessionOf,
	}
	if opts != nil {
		o := *opts
		a.rdb = redis.NewClient(&o) // each replica its own connections
		store, err := redisstore.NewStateStore(a.rdb, keyPrefix)
		if err != nil {
			return nil, err
		}
		if a.stream, err = redisstore.NewStream(a.rdb, keyPrefix); err != nil {
			return nil, err
		}
		cfg.Store = store
		a.data = redisData{a.rdb}
	}
	flow, err := firstparty.NewConnectFlow(c, cfg)
	if err != nil {
		return nil, err
	}
	a.flow = flow
	return a, nil
}

func (a *app) close() {
	if a.rdb != nil {
		_ = a.rdb.Close()
	}
}

func (a *app) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /connect", a.connect)
	mux.Handle("/callback", a.flow.CallbackHandler(a.callback))
	mux.HandleFunc("GET /insights", a.insights)
	if a.stream != nil {
		// Any replica may receive the webhook: it appends it to the stream
		// (503 while Redis is down, so Ylytic may deliver it again), and
		// one replica's worker handles it (serve, demo).
		mux.Handle("POST /hooks/ylytic", a.stream.WebhookHandler(redisstore.FirstPartyEvents(a.client)))
	} else {
		mux.Handle("POST /hooks/ylytic", firstparty.WebhookHandler(a.onWebhook,
			firstparty.WithWebhookClient(a.client))) // the client's token never reaches an event or an answer
	}
	return mux
}

// onWebhook matches a webhook to the session that started its flow.
func (a *app) onWebhook(ctx context.Context, ev *firstparty.WebhookEvent) error {
	session, err := a.data.takeState(ctx, ev.State)
	if err != nil {
		return err // with Redis: the event stays pending and is retried
	}
	select {
	case a.hooks <- hook{ev: ev, session: session, worker: a.name}:
	default: // nobody listening: drop
	}
	return nil
}

func sessionOf(r *http.Request) string {
	c, err := r.Cookie(sessionCookie)
	if err != nil {
		return ""
	}
	return c.Value
}

// connect gives the browser a session (if it has none), starts the flow
// bound to it, and redirects to Ylytic.
func (a *app) connect(w http.ResponseWriter, r *http.Request) {
	sid := sessionOf(r)
	if sid == "" {
		b := make([]byte, 16)
		_, _ = rand.Read(b)
		sid = hex.EncodeToString(b)
		http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: sid, Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: r.TLS != nil})
	}
	conn := firstparty.Instagram
	if r.URL.Query().Get("connector") == "youtube" {
		conn = firstparty.YouTube
	}
	v, err := a.flow.Start(r.Context(), firstparty.StartParams{Platform: conn, Session: sid})
	if err != nil {
		log.Printf("start: %v", err)
		http.Error(w, "could not start the connection, try again later", http.StatusBadGateway)
		return
	}
	if err := a.data.bindState(r.Context(), v.State, sid); err != nil {
		log.Printf("start: %v", err)
		http.Error(w, "could not start the connection, try again later", http.StatusServiceUnavailable)
		return
	}
	http.Redirect(w, r, v.RedirectURL, http.StatusFound)
}

// callback runs after the flow checked the state and called Verify.
func (a *app) callback(w http.ResponseWriter, r *http.Request, res *firstparty.CallbackResult, err error) {
	switch {
	case errors.Is(err, firstparty.ErrInvalidState):
		http.Error(w, "this link is not valid any more: start again at /connect", http.StatusForbidden)
		return
	case errors.Is(err, firstparty.ErrMissingToken):
		http.Error(w, "the account was not connected: start again at /connect", http.StatusForbidden)
		return
	case errors.Is(err, firstparty.ErrVerificationFailed):
		var ve *firstparty.VerificationError
		errors.As(err, &ve)
		http.Error(w, "Ylytic could not verify the account: "+ve.Message(), http.StatusForbidden)
		return
	case errors.Is(err, redisstore.ErrRedisUnavailable):
		// The state could not be checked: refused, never accepted blindly.
		log.Printf("callback: %v", err)
		http.Error(w, "we could not check this link right now: try again in a minute", http.StatusServiceUnavailable)
		return
	case err != nil:
		log.Printf("verify: %v", err)
		http.Error(w, "could not verify the account, try again later", http.StatusBadGateway)
		return
	}
	if err := a.data.setCreator(r.Context(), res.Issued.Session, res.Creator.CreatorID); err != nil {
		log.Printf("callback: %v", err)
		http.Error(w, "could not save the connection, try again later", http.StatusServiceUnavailable)
		return
	}
	http.Redirect(w, r, "/insights", http.StatusSeeOther)
}

// insights shows the session's creator, waiting up to 25 s for Ylytic.
func (a *app) insights(w http.ResponseWriter, r *http.Request) {
	id, err := a.data.creator(r.Context(), sessionOf(r))
	if err != nil {
		log.Printf("insights: %v", err)
		http.Error(w, "try again later", http.StatusServiceUnavailable)
		return
	}
	if id == "" {
		http.Error(w, "no connected account: start at /connect", http.StatusNotFound)
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), 25*time.Second)
	defer cancel()
	in, err := a.client.Insights.GetAndWait(ctx, firstparty.GetInsightsParams{CreatorID: id}, a.wait...)
	var te *firstparty.TimeoutError
	switch {
	case errors.As(err, &te):
		w.Header().Set("Refresh", "30")
		fmt.Fprintln(w, "Ylytic is still processing your insights; this page refreshes itself.")
		return
	case errors.Is(err, firstparty.ErrInsightsFailed):
		var ie *firstparty.ItemError
		errors.As(err, &ie)
		http.Error(w, "Ylytic could not produce insights: "+ie.Reason, http.StatusUnprocessableEntity)
		return
	case err != nil:
		log.Printf("insights: %v", err)
		http.Error(w, "could not read insights, try again later", http.StatusBadGateway)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	summary(w, in)
}

// appData is what the app itself remembers: which creator each browser
// session connected, and which session started each flow (to match the
// webhook). With several replicas it must be shared like the states.
type appData interface {
	setCreator(ctx context.Context, session, creatorID string) error
	creator(ctx context.Context, session string) (string, error)
	bindState(ctx context.Context, state, session string) error
	takeState(ctx context.Context, state string) (session string, err error)
}

// memData is appData in this process's memory.
type memData struct {
	mu       sync.Mutex
	creators map[string]string // session id -> creator id
	states   map[string]string // state -> session id
}

func newMemData() *memData {
	return &memData{creators: map[string]string{}, states: map[string]string{}}
}

func (m *memData) setCreator(_ context.Context, session, id string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.creators[session] = id
	return nil
}

func (m *memData) creator(_ context.Context, session string) (string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.creators[session], nil
}

func (m *memData) bindState(_ context.Context, state, session string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.states[state] = session
	return nil
}

func (m *memData) takeState(_ context.Context, state string) (string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	s := m.states[state]
	delete(m.states, state)
	return s, nil
}

// redisData is appData in Redis, shared by the replicas. Like the state
// store it keeps no session id or state in clear: keys are hashes, and a
// flow's webhook is matched to a tag of the session, not the session.
type redisData struct{ rdb *redis.Client }

// dataTTL bounds how long the app remembers a connection.
const dataTTL = 24 * time.Hour

func hashed(kind, v string) string {
	sum := sha256.Sum256([]byte(v))
	return keyPrefix + ":app:" + kind + ":" + hex.EncodeToString(sum[:])
}

// sessionTag names a session in logs and in Redis without revealing it.
func sessionTag(session string) string {
	sum := sha256.Sum256([]byte("session tag\x00" + session))
	return "s-" + hex.EncodeToString(sum[:6])
}

func (d redisData) setCreator(ctx context.Context, session, id string) error {
	return d.rdb.Set(ctx, hashed("creator", session), id, dataTTL).Err()
}

func (d redisData) creator(ctx context.Context, session string) (string, error) {
	id, err := d.rdb.Get(ctx, hashed("creator", session)).Result()
	if errors.Is(err, redis.Nil) {
		return "", nil
	}
	return id, err
}

func (d redisData) bindState(ctx context.Context, state, session string) error {
	return d.rdb.Set(ctx, hashed("flow", state), sessionTag(session), dataTTL).Err()
}

func (d redisData) takeState(ctx context.Context, state string) (string, error) {
	tag, err := d.rdb.GetDel(ctx, hashed("flow", state)).Result()
	if errors.Is(err, redis.Nil) {
		return "", nil
	}
	return tag, err
}

// summary writes the common creator summary (the same shape from every
// creatorkit-go package), then First Party's own detail: quality ratings,
// reach and top posts.
func summary(w io.Writer, in *firstparty.Insights) {
	s := in.Summary()
	fmt.Fprintf(w, "@%s (%s) on %s: %s followers, engagement %s, %s likes and %s comments a post",
		s.Username, s.DisplayName, s.Platform, orUnknown(s.Followers, "%d"), orUnknown(s.EngagementRate, "%.2f%%"), orUnknown(s.AvgLikes, "%.0f"), orUnknown(s.AvgComments, "%.0f"))
	if s.Quality != nil {
		fmt.Fprintf(w, ", %s %.0f/100", s.Quality.Name, s.Quality.Score)
	}
	fmt.Fprintln(w)
	o := in.ProfileOverview
	fmt.Fprintf(w, "%s tier: %d posts, %.2f posts/week\n", o.InfluencerTier, o.PostCount, o.ContentPerWeek)
	if d := in.ProfileDetails; d != nil {
		fmt.Fprintf(w, "%s, %s | %s | %s %s\n", d.Location, d.Country, d.Category, d.Gender, d.AgeGroup)
		if q := d.Quality; q != nil {
			fmt.Fprintf(w, "quality ratings: profile %.0f, engagement rate %.0f, effective followers %.0f, consistency %.0f, authentic audience %.0f\n",
				q.ProfileQualityRating, q.EngagementRate, q.EffectiveFollowers, q.Consistency, q.AuthenticAudience)
		}
	}
	if re := in.ReachAndEngagement; re != nil {
		fmt.Fprintf(w, "reach: %.0f average views, %.0f median views, %.0f average likes, popular post type %s\n",
			re.AverageViews, re.MedianViews, re.AverageLikes, re.PopularPostType)
	}
	fmt.Fprintln(w, "top posts by engagement:")
	for _, p := range in.Posts.Top(3) {
		caption, _, _ := strings.Cut(p.Caption, "\n")
		if r := []rune(caption); len(r) > 40 {
			caption = string(r[:40]) + "…"
		}
		fmt.Fprintf(w, "  %s %-5s ER %6.2f%% %7.0f views  %s  %s\n", p.PostedAt.Format(time.DateOnly), p.PostType, p.ER, p.Views, p.URL(), caption)
	}
	if g := in.GrowthTrends; g != nil {
		if last, ok := g.CumulativeFollowersTrends.Last(); ok {
			fmt.Fprintf(w, "followers on %s: %.0f\n", last.Date.Format(time.DateOnly), last.Value)
		}
	}
}

// orUnknown formats a figure the insights may not carry.
func orUnknown[T any](v *T, format string) string {
	if v == nil {
		return "unknown"
	}
	return fmt.Sprintf(format, *v)
}

// demo runs the fake, the app (two replicas behind a load balancer with
// Redis, one without), and a creator's browser.
func demo(ctx context.Context, opts *redis.Options) error {
	fake := firstpartytest.NewServer()
	defer fake.Close()
	c, err := fake.NewClient()
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	base := "http://" + ln.Addr().String()
	log.SetFlags(0)
	log.SetPrefix("  [app] ")

	a, err := newApp("A", c, base+"/callback", fake.PollOptions(), opts)
	if err != nil {
		return err
	}
	defer a.close()
	front := a.routes()
	var b *app
	if opts != nil {
		if b, err = newApp("B", c, base+"/callback", fake.PollOptions(), opts); err != nil {
			return err
		}
		defer b.close()
		// Replica A's webhook worker, started before any flow so that no
		// webhook can come before its consumer group exists.
		wctx, stop := context.WithCancel(ctx)
		worker, err := a.stream.NewConsumer(wctx, hookGroup, "replica-a")
		if err != nil {
			stop()
			return err
		}
		done := make(chan struct{})
		go func() { defer close(done); _ = worker.Run(wctx, redisstore.FirstPartyHandler(a.onWebhook)) }()
		defer func() { stop(); <-done }()
		front = loadBalancer(a, b)
		fmt.Println("two replicas, A and B, behind a load balancer; they share consent states, webhooks and sessions through Redis")
	}
	fake.SetWebhookURL(base + "/hooks/ylytic")
	srv := &http.Server{Handler: front, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	defer srv.Close()

	// The creator's browser: cookies, and redirects followed.
	jar, _ := cookiejar.New(nil)
	var callbackURL string
	browser := &http.Client{Jar: jar, Timeout: 30 * time.Second, CheckRedirect: func(req *http.Request, via []*http.Request) error {
		fmt.Printf("  browser -> %s %s\n", req.URL.Host, req.URL.Path)
		if req.URL.Path == "/callback" {
			callbackURL = req.URL.String()
		}
		return nil
	}}
	fmt.Printf("browser opens %s/connect\n", base)
	resp, err := browser.Get(base + "/connect")
	if err != nil {
		return err
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("the insights page answered %s: %s", resp.Status, page)
	}
	fmt.Printf("\n%s\n", page)

	select {
	case h := <-a.hooks:
		if h.session == "" {
			return fmt.Errorf("webhook with a state this app never issued: %q", h.ev.State)
		}
		where := ""
		if b != nil {
			where = fmt.Sprintf(" (received by replica B, handled by replica %s's worker)", h.worker)
		}
		fmt.Printf("webhook: %s for @%s, status %s, matched by its state to the browser session that connected%s\n", h.ev.Type, h.ev.Identifier, h.ev.Status, where)
	case <-time.After(5 * time.Second):
		return errors.New("no webhook arrived")
	}

	if b != nil {
		// The callback the browser completed on replica B, replayed on
		// replica A with the same cookie: the state is used up.
		req := httptest.NewRequest(http.MethodGet, callbackURL, nil)
		for _, ck := range jar.Cookies(req.URL) {
			req.AddCookie(ck)
		}
		rec := httptest.NewRecorder()
		a.routes().ServeHTTP(rec, req)
		fmt.Printf("the same callback replayed on replica A: %d %s\n", rec.Code, http.StatusText(rec.Code))
		if rec.Code != http.StatusForbidden {
			return errors.New("a replayed callback was not refused")
		}
	}

	// A forged callback (a state this app never issued) is refused.
	resp, err = browser.Get(base + "/callback?token=stolen&state=" + firstparty.NewState())
	if err != nil {
		return err
	}
	resp.Body.Close()
	fmt.Printf("forged callback: %s\n", resp.Status)
	if resp.StatusCode != http.StatusForbidden {
		return errors.New("a forged callback was not refused")
	}
	return nil
}

// loadBalancer sends /connect and /insights to replica A, and the callback
// and the webhook to replica B: the worst case, where every step changes
// replicas.
func loadBalancer(a, b *app) http.Handler {
	ra, rb := a.routes(), b.routes()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		to, h := a, ra
		if r.URL.Path == "/callback" || strings.HasPrefix(r.URL.Path, "/hooks/") {
			to, h = b, rb
		}
		fmt.Printf("  load balancer: %s %s -> replica %s\n", r.Method, r.URL.Path, to.name)
		h.ServeHTTP(w, r)
	})
}
