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
// Without FIRSTPARTY_TOKEN it runs the whole flow by itself against the
// built-in fake (firstpartytest): it starts the fake and the app on
// loopback ports, plays the creator's browser with an http.Client that
// follows redirects, prints the insights page and exits.
//
// With FIRSTPARTY_TOKEN set it serves on $ADDR (default :8080) until
// interrupted. Set FIRSTPARTY_REDIRECT_URL to the public URL of /callback
// (default http://localhost:8080/callback), and give Ylytic
// <your host>/hooks/ylytic as your webhook URL.
//
//	go run ./examples/firstparty-connect
package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/cookiejar"
	"os"
	"os/signal"
	"strings"
	"sync"
	"time"

	"github.com/creatorkit/creatorkit-go/firstparty"
	"github.com/creatorkit/creatorkit-go/firstparty/firstpartytest"
)

const sessionCookie = "fpc_session"

// app is the web app. Its state lives in memory: one process.
type app struct {
	client *firstparty.Client
	flow   *firstparty.ConnectFlow
	wait   []firstparty.WaitOption

	mu       sync.Mutex
	creators map[string]string // session id -> creator id
	states   map[string]string // state -> session id, to match webhooks
	hooks    chan hook
}

// hook is a webhook matched to the session that started its flow.
type hook struct {
	ev      *firstparty.WebhookEvent
	session string // "" when the state is not one this app issued
}

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "firstparty-connect:", err)
		os.Exit(1)
	}
}

func run() error {
	if os.Getenv("FIRSTPARTY_TOKEN") == "" {
		fmt.Println("FIRSTPARTY_TOKEN not set: running the whole flow against the built-in fake (firstpartytest), no network")
		return demo()
	}
	c, err := firstparty.NewClient(firstparty.WithUserAgent("firstparty-connect-example"))
	if err != nil {
		return err
	}
	redirect := os.Getenv("FIRSTPARTY_REDIRECT_URL")
	if redirect == "" {
		redirect = "http://localhost:8080/callback"
	}
	a, err := newApp(c, redirect, nil)
	if err != nil {
		return err
	}
	addr := os.Getenv("ADDR")
	if addr == "" {
		addr = ":8080"
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	srv := &http.Server{Addr: addr, Handler: a.routes(), ReadHeaderTimeout: 10 * time.Second}
	go func() {
		<-ctx.Done()
		shut, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(shut)
	}()
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

func newApp(c *firstparty.Client, redirectURL string, wait []firstparty.WaitOption) (*app, error) {
	a := &app{client: c, wait: wait, creators: map[string]string{}, states: map[string]string{}, hooks: make(chan hook, 8)}
	flow, err := firstparty.NewConnectFlow(c, firstparty.ConnectConfig{
		RedirectURL: redirectURL,
		// Bind every state to the browser that started the flow, so a
		// captured callback URL cannot be completed in another browser.
		Session: sessionOf,
	})
	if err != nil {
		return nil, err
	}
	a.flow = flow
	return a, nil
}

func (a *app) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /connect", a.connect)
	mux.Handle("/callback", a.flow.CallbackHandler(a.callback))
	mux.HandleFunc("GET /insights", a.insights)
	mux.Handle("POST /hooks/ylytic", firstparty.WebhookHandler(func(_ context.Context, ev *firstparty.WebhookEvent) error {
		a.mu.Lock()
		h := hook{ev: ev, session: a.states[ev.State]}
		delete(a.states, ev.State)
		a.mu.Unlock()
		select {
		case a.hooks <- h:
		default: // nobody listening: drop
		}
		return nil
	}, firstparty.WithWebhookClient(a.client))) // the client's token never reaches an event or an answer
	return mux
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
	a.mu.Lock()
	a.states[v.State] = sid
	a.mu.Unlock()
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
	case err != nil:
		log.Printf("verify: %v", err)
		http.Error(w, "could not verify the account, try again later", http.StatusBadGateway)
		return
	}
	a.mu.Lock()
	a.creators[res.Issued.Session] = res.Creator.CreatorID
	a.mu.Unlock()
	http.Redirect(w, r, "/insights", http.StatusSeeOther)
}

// insights shows the session's creator, waiting up to 25 s for Ylytic.
func (a *app) insights(w http.ResponseWriter, r *http.Request) {
	a.mu.Lock()
	id := a.creators[sessionOf(r)]
	a.mu.Unlock()
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

// demo runs the fake, the app, and a creator's browser.
func demo() error {
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
	a, err := newApp(c, base+"/callback", fake.PollOptions())
	if err != nil {
		return err
	}
	fake.SetWebhookURL(base + "/hooks/ylytic")
	srv := &http.Server{Handler: a.routes(), ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	defer srv.Close()
	log.SetFlags(0)
	log.SetPrefix("  [app] ")

	// The creator's browser: cookies, and redirects followed.
	jar, _ := cookiejar.New(nil)
	browser := &http.Client{Jar: jar, Timeout: 30 * time.Second, CheckRedirect: func(req *http.Request, via []*http.Request) error {
		fmt.Printf("  browser -> %s %s\n", req.URL.Host, req.URL.Path)
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
		fmt.Printf("webhook: %s for @%s, status %s, matched by its state to the browser session that connected\n", h.ev.Type, h.ev.Identifier, h.ev.Status)
	case <-time.After(5 * time.Second):
		return errors.New("no webhook arrived")
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
