package vendortest

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/creatorkit/creatorkit-go/internal/fake"
	"github.com/stretchr/testify/require"
)

// Format is how an echoing server writes what it received: plain,
// percent-encoded, base64... Like Call, it names an unnamed struct type.
type Format = struct {
	Name string
	Enc  func(s string) string
}

// EchoConfig is what an EchoServer echoes and answers.
type EchoConfig struct {
	// Name names the in-memory fake (http://<name>.fake.invalid).
	Name string
	// Formats are the echo formats a test sweeps; Echo gets the picked
	// one's Enc.
	Formats []Format
	// Echo is the text echoed back for request r (its body already
	// read): the credential it received, encoded with enc, and whatever
	// else the test wants echoed.
	Echo func(r *http.Request, body []byte, enc func(string) string) string
	// RetryAfter says which statuses carry "Retry-After: 0".
	RetryAfter func(status int) bool
	// Answer is the body of the answer with the picked status, with e
	// echoed in it.
	Answer func(r *http.Request, status int, e string) []byte
}

// EchoServer is a vendor (or a proxy in front of it) that echoes what a
// request carried back in every response header (X-Request-ID, X-Echo), in
// a header name (the bearer token's), and wherever its config's Answer
// puts it, with the status and in the format the test picks. It is served
// in memory: start it inside a testing/synctest bubble.
type EchoServer struct {
	*fake.Server
	cfg            EchoConfig
	format, status atomic.Int32
}

// NewEchoServer starts an EchoServer, closed when the test ends.
func NewEchoServer(t testing.TB, cfg EchoConfig) *EchoServer {
	s := &EchoServer{cfg: cfg}
	s.Server = fake.NewBare(cfg.Name, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		token := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
		e := cfg.Echo(r, body, cfg.Formats[s.format.Load()].Enc)
		h := w.Header()
		h.Set("Content-Type", "application/json")
		h.Set("X-Request-ID", e)
		h.Set("X-Echo", e)
		h.Set("X-Echo-"+token, "1") // the token as a header name
		status := s.Status()
		if cfg.RetryAfter(status) {
			h.Set("Retry-After", "0")
		}
		out := cfg.Answer(r, status, e)
		w.WriteHeader(status)
		_, _ = w.Write(out)
	}))
	t.Cleanup(s.Close)
	return s
}

// Status is the status the server answers with now.
func (s *EchoServer) Status() int { return int(s.status.Load()) }

// Call is one call an echo test drives: its result (nil, a pointer or a
// map) and its error are checked. It names an unnamed struct type, so a
// test's table of calls may list them unkeyed.
type Call = struct {
	Name string
	Run  func() (any, error)
}

// Sweep runs every call in every format of the server's config and every
// status, and checks each call's error and result with c ("<call>, HTTP
// <status>, <format> echo"); after, when not nil, runs once a format has
// been swept, with the server still echoing in it.
func (s *EchoServer) Sweep(c *Checker, statuses []int, calls []Call, after func(f Format)) {
	for fi, f := range s.cfg.Formats {
		s.format.Store(int32(fi))
		for _, status := range statuses {
			s.status.Store(int32(status))
			for _, call := range calls {
				where := fmt.Sprintf("%s, HTTP %d, %s echo", call.Name, status, f.Name)
				res, err := call.Run()
				c.Err(where, err)
				c.Result(where, res)
			}
		}
		if after != nil {
			after(f)
		}
	}
}

// EchoInto replaces every string of the JSON document doc with e, and adds
// a member named e to the top-level object.
func EchoInto(t testing.TB, doc []byte, e string) []byte {
	var v any
	require.NoError(t, json.Unmarshal(doc, &v))
	var walk func(any) any
	walk = func(v any) any {
		switch x := v.(type) {
		case string:
			return e
		case map[string]any:
			for k, c := range x {
				x[k] = walk(c)
			}
		case []any:
			for i, c := range x {
				x[i] = walk(c)
			}
		}
		return v
	}
	v = walk(v)
	if m, ok := v.(map[string]any); ok {
		m[e] = e
	}
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return b
}

// ErrorChain lists err and every error it wraps.
func ErrorChain(err error) []error {
	var out []error
	var walk func(error)
	walk = func(e error) {
		if e == nil {
			return
		}
		out = append(out, e)
		switch u := e.(type) {
		case interface{ Unwrap() error }:
			walk(u.Unwrap())
		case interface{ Unwrap() []error }:
			for _, x := range u.Unwrap() {
				walk(x)
			}
		}
	}
	walk(err)
	return out
}

// Secret is a value no text may hold, and how a failure names it.
type Secret struct {
	Value, Name string
}

// Quoted is a secret a failure names by its quoted value.
func Quoted(value string) Secret { return Secret{Value: value, Name: strconv.Quote(value)} }

// Checker fails its test for every text that holds one of its secrets in
// any form (Holds), and counts the texts it checked.
type Checker struct {
	t       testing.TB
	secrets []Secret
	checks  int
}

// NewChecker returns a Checker of secrets for t.
func NewChecker(t testing.TB, secrets ...Secret) *Checker {
	return &Checker{t: t, secrets: secrets}
}

// Checks is how many texts were checked.
func (c *Checker) Checks() int { return c.checks }

// Text checks s, what came out of the call at where.
func (c *Checker) Text(where, what, s string) {
	c.checks++
	for _, secret := range c.secrets {
		if Holds(s, secret.Value) {
			c.t.Errorf("%s: %s leaks through %s: %.300s", where, secret.Name, what, s)
		}
	}
}

// Err checks err's text in every verb (Error, %v, %+v, %#v) and every
// exported field of every error in its chain.
func (c *Checker) Err(where string, err error) {
	if err == nil {
		return
	}
	c.Text(where, "err.Error()", err.Error())
	c.Text(where, "%v", fmt.Sprintf("%v", err))
	c.Text(where, "%+v", fmt.Sprintf("%+v", err))
	c.Text(where, "%#v", fmt.Sprintf("%#v", err))
	for _, e := range ErrorChain(err) {
		c.Text(where, fmt.Sprintf("the fields of %T", e), strings.Join(Strings(e), "\n"))
	}
}

// Result checks a result (nil, a pointer or a map): its JSON and every
// string in its exported fields.
func (c *Checker) Result(where string, res any) {
	if reflect.ValueOf(res).IsNil() {
		return
	}
	b, err := json.Marshal(res)
	require.NoError(c.t, err, where)
	c.Text(where, "the result's JSON", string(b))
	c.Text(where, "the result's fields", strings.Join(Strings(res), "\n"))
}
