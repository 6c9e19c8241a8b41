// Package fake is what every <vendor>test fake server shares: routing, an
// auth check, per-key rate-limit emulation with X-RateLimit-* headers and
// 429 + Retry-After, fault injection, a time scale, and counters of
// requests, statuses and credits per endpoint.
//
// A vendor fake registers its handlers with Handle; each request then goes
// through: count -> latency -> fault (drop, injected status, 429 storm) ->
// auth -> rate limit -> handler -> fault on the answer (drop after the
// handler ran, truncated or malformed body) -> write.
package fake

import (
	"bytes"
	"encoding/json"
	"io"
	"math"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"time"
)

// Config describes a vendor fake.
type Config struct {
	// Auth returns the caller's key and whether it is valid. nil accepts
	// every request under the key "".
	Auth func(r *http.Request) (key string, ok bool)
	// ErrorBody renders the vendor's error body for a status and message.
	ErrorBody func(status int, msg string) any
	// ErrorContentType is the Content-Type of error bodies (default
	// application/json; CreatorAudit: application/problem+json).
	ErrorContentType string
	// RateLimit is the per-key window (virtual time); N == 0 disables it.
	RateLimit Window
	// KeyWindows, when set, gives each key its own windows (virtual time)
	// instead of RateLimit; a request must fit in all of them (influData:
	// 2/s and 60/min on a trial key). Return nil for an unlimited key.
	KeyWindows func(key string) []Window
	// QuietLimits refuses over-limit requests with a bare 429: no
	// X-RateLimit-* headers and no Retry-After, for vendors that document
	// none.
	QuietLimits bool
	// RateLimitMessage is the 429 message (a generic one when empty).
	RateLimitMessage string
	// RateLimitExempt lists routes that are neither limited nor given
	// rate-limit headers (health checks).
	RateLimitExempt []string
	// Public lists routes served without the auth check.
	Public []string
	// OnAuthFailure writes the answer to a request Auth refused (default:
	// 401 with ErrorBody), for vendors that answer differently
	// (HypeAuditor: 403 with error code 4).
	OnAuthFailure func(w http.ResponseWriter)
	// TimeScale is real time per virtual second: 1 is real time, 0.01 makes
	// a 60-second job take 600 ms. Rate windows, job durations, latency and
	// Retry-After all scale; headers are written in real time so a client
	// that honours them behaves correctly.
	TimeScale float64
	// Faults injected from the start (SetFaults changes them later).
	Faults Faults
	// Seed makes fault injection repeatable.
	Seed uint64
	// InMemory serves the fake over in-memory connections (net.Pipe)
	// instead of a TCP socket on 127.0.0.1, so that it works inside a
	// testing/synctest bubble (create and close it inside the bubble).
	// Only the client of HTTPClient reaches it, at http://<Name>.fake.invalid;
	// its webhook deliveries reach only the receivers of ServeWebhooks.
	// A bubble's clock starts at 2000-01-01, before any date the SDK takes
	// X-RateLimit-Reset for a unix time (2001-09-09): New moves such a
	// clock on to VirtualEpoch first (see settleBubbleClock).
	InMemory bool
	// Name names the fake's host in memory ("engagecheck" serves
	// http://engagecheck.fake.invalid); default "fake".
	Name string
}

// Window is N requests per Per (virtual time).
type Window struct {
	N   int
	Per time.Duration
}

// Server is a running fake.
type Server struct {
	*httptest.Server
	cfg   Config
	mux   *http.ServeMux
	stats *Stats

	mu      sync.Mutex
	faults  Faults
	storm   int
	rng     *rand.Rand
	windows map[string]*window

	bg     sync.WaitGroup
	timers map[*time.Timer]struct{}
	closed bool

	net    *pipeNet           // the in-memory network; nil over TCP
	host   string             // the fake's host on net
	client *http.Client       // reaches the fake (HTTPClient)
	hooks  []*httptest.Server // webhook receivers (ServeWebhooks)
}

// New returns an unstarted fake; register handlers, then call Start.
func New(cfg Config) *Server {
	if cfg.TimeScale <= 0 {
		cfg.TimeScale = 1
	}
	if cfg.ErrorBody == nil {
		cfg.ErrorBody = func(_ int, msg string) any { return map[string]string{"error": msg} }
	}
	s := &Server{
		cfg:     cfg,
		mux:     http.NewServeMux(),
		stats:   newStats(),
		faults:  cfg.Faults,
		storm:   cfg.Faults.Storm429,
		rng:     rand.New(rand.NewPCG(cfg.Seed, cfg.Seed^0x9e3779b97f4a7c15)),
		windows: map[string]*window{},
		timers:  map[*time.Timer]struct{}{},
	}
	if !cfg.InMemory {
		s.Server = httptest.NewUnstartedServer(s.mux)
		tr := http.DefaultTransport.(*http.Transport).Clone()
		s.client = &http.Client{Transport: tr}
		return s
	}
	settleBubbleClock()
	name := cfg.Name
	if name == "" {
		name = "fake"
	}
	s.net = newPipeNet()
	s.host = name + ".fake.invalid"
	s.Server = &httptest.Server{Listener: s.net.listen(s.host), Config: &http.Server{Handler: s.mux}}
	s.client = &http.Client{Transport: newPipeTransport(s.net)}
	return s
}

// VirtualEpoch is the time an in-memory fake moves a testing/synctest
// bubble's clock on to when it finds it still at its start.
var VirtualEpoch = time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)

// notAClock is a time no real clock shows any more: unix seconds of
// 1e9 (2001-09-09), below which the SDK reads an X-RateLimit-Reset as
// seconds from now instead of a unix time.
var notAClock = time.Unix(1e9, 0)

// settleBubbleClock moves a synctest bubble's clock, which starts at
// 2000-01-01 00:00 UTC, on to VirtualEpoch: a sleep that costs no real
// time inside a bubble. A fake serving there sends X-RateLimit-Reset as a
// unix time like the vendors, and the SDK would read one from 2000 as
// some 946 million seconds from now. A real clock is past notAClock, so
// outside a bubble this does nothing.
func settleBubbleClock() {
	if now := time.Now(); now.Before(notAClock) {
		time.Sleep(VirtualEpoch.Sub(now))
	}
}

// Start starts the server and returns it.
func (s *Server) Start() *Server {
	s.Server.Start()
	return s
}

// InMemory reports whether the fake serves over in-memory connections.
func (s *Server) InMemory() bool { return s.net != nil }

// HTTPClient returns the client that reaches the fake: over in-memory
// connections in the in-memory mode (the only client that can), over
// TCP otherwise. Close closes its idle connections.
//
// It sets no Timeout, unlike the SDK's default client (60 s an attempt):
// the SDK waits for its rate limiter's slot inside the attempt, so at a
// vendor's real pace a client shared by many goroutines would see calls
// time out before sending anything; on a fake scaled to 0.01 that took
// 6,000 virtual seconds, so no test met it. A test bounds its calls with
// its context instead (and a bubble whose goroutines all wait with no
// timer pending fails as a deadlock).
func (s *Server) HTTPClient() *http.Client { return s.client }

// ServeWebhooks serves h as a webhook receiver that the fake's deliveries
// (PostJSON) reach, and returns its URL: in memory, at
// http://hooks.<Name>.fake.invalid (reachable with HTTPClient too); over
// TCP, on a listener of its own on 127.0.0.1. Close shuts it down after
// the last delivery.
func (s *Server) ServeWebhooks(h http.Handler) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var hs *httptest.Server
	if s.net == nil {
		hs = httptest.NewServer(h)
	} else {
		host := hookHost(s.host, len(s.hooks)+1)
		hs = &httptest.Server{Listener: s.net.listen(host), Config: &http.Server{Handler: h}}
		hs.Start()
	}
	s.hooks = append(s.hooks, hs)
	return hs.URL
}

// Close stops pending timers, waits for background deliveries and shuts
// the server down, then the webhook receivers, and closes the idle
// connections of HTTPClient: nothing the fake started outlives it.
func (s *Server) Close() {
	s.mu.Lock()
	s.closed = true
	for t := range s.timers {
		if t.Stop() {
			s.bg.Done() // the callback will never run
		}
	}
	s.timers = nil
	s.mu.Unlock()
	s.bg.Wait()
	s.Server.Close()
	s.mu.Lock()
	hooks := s.hooks
	s.hooks = nil
	s.mu.Unlock()
	for _, h := range hooks {
		h.Close()
	}
	s.client.CloseIdleConnections()
}

// Stats returns the counters.
func (s *Server) Stats() *Stats { return s.stats }

// SetFaults replaces the injected faults (and restarts any 429 storm).
func (s *Server) SetFaults(f Faults) {
	s.mu.Lock()
	s.faults, s.storm = f, f.Storm429
	s.mu.Unlock()
}

// Scale converts a virtual duration to real time.
func (s *Server) Scale(d time.Duration) time.Duration {
	return time.Duration(float64(d) * s.cfg.TimeScale)
}

// TimeScale returns the configured scale.
func (s *Server) TimeScale() float64 { return s.cfg.TimeScale }

// Now returns the current (real) time.
func (s *Server) Now() time.Time { return time.Now() }

// After runs fn after the virtual duration d; Close cancels it.
func (s *Server) After(d time.Duration, fn func()) { s.At(time.Now().Add(s.Scale(d)), fn) }

// At runs fn at the real time t; Close cancels it.
func (s *Server) At(at time.Time, fn func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return
	}
	var t *time.Timer
	s.bg.Add(1)
	t = time.AfterFunc(time.Until(at), func() {
		defer s.bg.Done()
		s.mu.Lock()
		_, live := s.timers[t]
		delete(s.timers, t)
		s.mu.Unlock()
		if live {
			fn()
		}
	})
	s.timers[t] = struct{}{}
}

// Go runs fn in the background; Close waits for it.
func (s *Server) Go(fn func()) {
	s.mu.Lock()
	closed := s.closed
	if !closed {
		s.bg.Add(1)
	}
	s.mu.Unlock()
	if closed {
		return
	}
	go func() {
		defer s.bg.Done()
		fn()
	}()
}

// Handle registers a handler under a Go 1.22 mux pattern ("POST /audits").
// route names the endpoint in the counters and in Faults.Routes.
func (s *Server) Handle(pattern, route string, h http.HandlerFunc) {
	s.mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) { s.serve(route, h, w, r) })
}

// Key returns the caller's key as established by the auth check.
func Key(r *http.Request) string {
	if k, ok := r.Context().Value(keyCtx{}).(string); ok {
		return k
	}
	return ""
}

type keyCtx struct{}

// Error writes the vendor's error body.
func (s *Server) Error(w http.ResponseWriter, status int, msg string) {
	ct := s.cfg.ErrorContentType
	if ct == "" {
		ct = "application/json"
	}
	writeJSON(w, status, ct, s.cfg.ErrorBody(status, msg))
}

// ReadJSON decodes a request's JSON body of at most limit bytes into v.
func ReadJSON(r *http.Request, limit int64, v any) error {
	b, err := io.ReadAll(io.LimitReader(r.Body, limit))
	if err != nil {
		return err
	}
	return json.Unmarshal(b, v)
}

// DecodeJSON decodes a request's JSON body of at most 1 MiB into v, and
// answers 400 with msg (Error) when it is malformed: a handler goes on
// only when it returns true.
func (s *Server) DecodeJSON(w http.ResponseWriter, r *http.Request, v any, msg string) bool {
	if err := ReadJSON(r, 1<<20, v); err != nil {
		s.Error(w, http.StatusBadRequest, msg)
		return false
	}
	return true
}

// JSON writes v as a JSON response.
func JSON(w http.ResponseWriter, status int, v any) { writeJSON(w, status, "application/json", v) }

func writeJSON(w http.ResponseWriter, status int, contentType string, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", contentType)
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// retryAfter formats a real duration for Retry-After: whole seconds at
// real time, fractions when the fake runs scaled.
func (s *Server) retryAfter(d time.Duration) string {
	if s.cfg.TimeScale == 1 {
		return strconv.Itoa(int(math.Ceil(d.Seconds())))
	}
	ms := (d + time.Millisecond - 1) / time.Millisecond // rounded up
	return strconv.FormatFloat(float64(ms)/1e3, 'f', 3, 64)
}

func (s *Server) resetHeader(t time.Time) string {
	if s.cfg.TimeScale == 1 {
		return strconv.FormatInt(int64(math.Ceil(float64(t.UnixNano())/1e9)), 10)
	}
	// Round up to the millisecond: a client that waits until the reset
	// must not arrive before the window has room.
	ms := (t.UnixNano() + int64(time.Millisecond) - 1) / int64(time.Millisecond)
	return strconv.FormatFloat(float64(ms)/1e3, 'f', 3, 64)
}

func (s *Server) serve(route string, h http.HandlerFunc, w http.ResponseWriter, r *http.Request) {
	s.stats.request(route)
	rec := &recorder{header: http.Header{}, status: 0}
	s.handle(route, h, rec, r)
	if rec.status == 0 {
		rec.status = http.StatusOK
	}
	s.stats.status(route, rec.status)
	s.write(route, w, rec)
}

func (s *Server) handle(route string, h http.HandlerFunc, w *recorder, r *http.Request) {
	f := s.faultsFor(route)
	if f.Latency > 0 {
		time.Sleep(s.Scale(f.Latency))
	}
	if f.active && s.roll(f.DropRate) {
		w.drop = true
		return
	}
	if f.active {
		if status, retry := s.injected(f); status != 0 {
			if retry > 0 {
				w.Header().Set("Retry-After", s.retryAfter(s.Scale(retry)))
			}
			s.Error(w, status, "injected fault: "+http.StatusText(status))
			return
		}
	}
	key := ""
	if s.cfg.Auth != nil && !contains(s.cfg.Public, route) {
		var ok bool
		if key, ok = s.cfg.Auth(r); !ok {
			if s.cfg.OnAuthFailure != nil {
				s.cfg.OnAuthFailure(w)
			} else {
				s.Error(w, http.StatusUnauthorized, "The API key is missing, invalid, or revoked.")
			}
			return
		}
	}
	if !contains(s.cfg.RateLimitExempt, route) && !s.admit(key, w) {
		return
	}
	h(w, r.WithContext(contextWithKey(r, key)))
	if f.active && s.roll(f.DropAfterRate) {
		w.drop = true
	}
}

func contains(list []string, v string) bool {
	for _, e := range list {
		if e == v {
			return true
		}
	}
	return false
}

func (s *Server) roll(p float64) bool {
	if p <= 0 {
		return false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.rng.Float64() < p
}

// write copies the recorded answer to the connection, applying the body
// faults.
func (s *Server) write(route string, w http.ResponseWriter, rec *recorder) {
	if rec.drop {
		s.stats.drop(route)
		if hj, ok := w.(http.Hijacker); ok {
			if conn, _, err := hj.Hijack(); err == nil {
				conn.Close()
				return
			}
		}
		panic(http.ErrAbortHandler)
	}
	body := rec.body.Bytes()
	f := s.faultsFor(route)
	for k, vs := range rec.header {
		w.Header()[k] = vs
	}
	switch {
	case f.active && rec.status < 400 && len(body) > 1 && s.roll(f.TruncateRate):
		s.stats.fault(route)
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		w.WriteHeader(rec.status)
		_, _ = w.Write(body[:len(body)/2])
		return // the server closes the connection: the client sees an unexpected EOF
	case f.active && rec.status < 400 && len(body) > 1 && s.roll(f.MalformRate):
		s.stats.fault(route)
		body = append(body[:len(body)/2:len(body)/2], []byte("<html>502</html>")...)
	}
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(rec.status)
	_, _ = w.Write(body)
}

// recorder buffers a handler's answer so faults can change it.
type recorder struct {
	header http.Header
	status int
	body   bytes.Buffer
	drop   bool
}

func (r *recorder) Header() http.Header { return r.header }
func (r *recorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	return r.body.Write(b)
}
func (r *recorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
}

// RetryWait returns the SDK's default retry waits (500 ms to 30 s) on the
// fake's time scale, for the clients a vendor fake hands out.
func (s *Server) RetryWait() (minWait, maxWait time.Duration) {
	return s.Scale(500*time.Millisecond) + time.Millisecond, s.Scale(30*time.Second) + time.Millisecond
}
