package transport

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"strings"
	"sync/atomic"
	"time"

	"github.com/creatorkit/creatorkit-go/internal/jsonx"
	"github.com/creatorkit/creatorkit-go/internal/poll"
	"github.com/hashicorp/go-retryablehttp"
)

// Client is one vendor's HTTP pipeline. It is safe for concurrent use; its
// limiter, gate and concurrency cap are shared by all goroutines using it.
type Client struct {
	s       Settings
	base    *url.URL
	hc      *http.Client
	limiter Limiter
	gate    *gate
	budget  *budget
	sem     chan struct{}
	rc      *retryablehttp.Client
	red     Redactor
	ua      string
	rl      atomic.Pointer[RateLimit]
}

// New builds a Client from finished settings.
func New(s Settings) (*Client, error) {
	if err := s.validate(); err != nil {
		return nil, err
	}
	base, _ := url.Parse(s.BaseURL)
	if !strings.HasSuffix(base.Path, "/") {
		base.Path += "/"
	}
	c := &Client{s: s, base: base, gate: &gate{max: s.MaxRetryAfter}, budget: newBudget(s.MaxRetryAfter), ua: s.userAgent()}
	if s.Auth == nil {
		c.s.Auth = NoAuth()
	}
	c.red = NewRedactor(c.s.Auth.Secrets()...)
	c.limiter = s.Limiter
	if c.limiter == nil {
		c.limiter = NewWindowLimiter(s.Windows...)
	}
	if s.MaxConcurrency > 0 {
		c.sem = make(chan struct{}, s.MaxConcurrency)
	}
	hc := s.HTTPClient
	if hc == nil {
		hc = &http.Client{Timeout: 60 * time.Second}
	}
	wrapped := *hc
	base2 := hc.Transport
	if base2 == nil {
		base2 = http.DefaultTransport
	}
	wrapped.Transport = &attemptTransport{c: c, base: base2}
	c.hc = &wrapped
	// One retry loop for every call: the per-call state travels in the
	// request's context, and checkRetry does the waiting itself (so the
	// wait ends with the context and can be planned against its deadline).
	c.rc = &retryablehttp.Client{
		HTTPClient:   c.hc,
		RetryMax:     s.MaxRetries,
		RetryWaitMin: s.RetryWaitMin,
		RetryWaitMax: s.RetryWaitMax,
		CheckRetry: func(ctx context.Context, resp *http.Response, err error) (bool, error) {
			return ctx.Value(stateKey{}).(*callState).checkRetry(ctx, resp, err)
		},
		Backoff:      func(time.Duration, time.Duration, int, *http.Response) time.Duration { return 0 },
		ErrorHandler: retryablehttp.PassthroughErrorHandler,
	}
	return c, nil
}

// Vendor returns the vendor name.
func (c *Client) Vendor() string { return c.s.Vendor }

// BaseURL returns the base URL requests are resolved against.
func (c *Client) BaseURL() string { return c.base.String() }

// RateLimit returns the rate-limit state of the latest response that
// carried X-RateLimit-* headers (Known is false before the first one).
func (c *Client) RateLimit() RateLimit {
	if p := c.rl.Load(); p != nil {
		return *p
	}
	return RateLimit{}
}

// String describes the client without its secrets.
func (c *Client) String() string {
	return fmt.Sprintf("%s client (base %s, auth %s)", c.s.Vendor, c.base, c.s.Auth.Describe())
}

// GoString is String, so %#v cannot print secrets either.
func (c *Client) GoString() string { return c.String() }

// LogValue makes slog print the redacted description.
func (c *Client) LogValue() slog.Value { return slog.StringValue(c.String()) }

// Redact removes the client's secrets from s.
func (c *Client) Redact(s string) string { return c.red.String(s) }

// RedactValue removes the client's secrets from every string reachable
// from v (a pointer), in place: vendor packages pass every value they build
// out of a response that is not an *Error (their own error types).
func (c *Client) RedactValue(v any) { c.red.Value(v) }

// RetryMode says whether a request may be sent again after it may have
// reached the server.
type RetryMode int

const (
	// RetryAuto: GET, HEAD, PUT, DELETE and OPTIONS are idempotent; POST and
	// PATCH are not.
	RetryAuto RetryMode = iota
	// RetryIdempotent: safe to resend (a free POST such as a search, or a
	// POST with an idempotency key the vendor honours).
	RetryIdempotent
	// RetryOnce: never resend after the request may have reached the
	// server (credit-spending POSTs). 429s and failures before the request
	// was written are still retried.
	RetryOnce
)

// Request is one API call.
type Request struct {
	// Op names the SDK call for errors and logs, e.g. "Audits.Create".
	Op string
	// Method is the HTTP method.
	Method string
	// Path is resolved against the base URL ("audits/142"; a leading slash
	// is ignored so base paths such as /api/v1 are kept).
	Path string
	// Query parameters.
	Query url.Values
	// Body is JSON-encoded when non-nil; a json.RawMessage or []byte is
	// sent as is.
	Body any
	// Header adds request headers.
	Header http.Header
	// Retry overrides the method's default retry mode.
	Retry RetryMode
	// IdempotencyKey is sent as the Idempotency-Key header when set.
	IdempotencyKey string
	// NoAuth sends the request without credentials.
	NoAuth bool
	// ErrorsHaveNoEffect declares that the vendor neither acts on nor
	// charges a request it answers with an error status (influData: "failed
	// requests are not charged"). A 5xx is then retried even under
	// RetryOnce, and an error response never makes the outcome unknown;
	// a lost or garbled answer still does.
	ErrorsHaveNoEffect bool
}

func (r *Request) idempotent() bool {
	switch r.Retry {
	case RetryIdempotent:
		return true
	case RetryOnce:
		return false
	}
	switch r.Method {
	case http.MethodGet, http.MethodHead, http.MethodPut, http.MethodDelete, http.MethodOptions:
		return true
	}
	return false
}

// URL joins a path and query to the base URL (keeping the base's own path,
// such as /api/v1).
func (c *Client) URL(path string, q url.Values) *url.URL {
	u := &url.URL{Scheme: c.base.Scheme, Host: c.base.Host, Path: c.base.Path + strings.TrimPrefix(path, "/")}
	if len(q) > 0 {
		u.RawQuery = q.Encode()
	}
	return u
}

// badPath reports a path that could climb out of the base URL.
func badPath(p string) bool {
	for _, seg := range strings.Split(p, "/") {
		if seg == ".." || seg == "." {
			return true
		}
	}
	return strings.ContainsAny(p, "?#")
}

// Do sends req through the pipeline and decodes a successful JSON body into
// out (a pointer; nil to ignore the body). If out is a struct with a
// `Raw json.RawMessage` field it receives the raw body, and a
// `Response *ResponseMeta` field receives the metadata.
//
// Any failure is an *Error; its kinds say what happened.
func (c *Client) Do(ctx context.Context, req Request, out any) (*ResponseMeta, error) {
	if ctx == nil {
		return nil, InvalidParams(c.s.Vendor, req.Op, "ctx", "context is nil")
	}
	if badPath(req.Path) {
		return nil, InvalidParams(c.s.Vendor, req.Op, "path", "path %q must not contain '.', '..', '?' or '#' segments", req.Path)
	}
	u := c.URL(req.Path, req.Query)
	st := &callState{c: c, req: &req, out: out, idempotent: req.idempotent(), url: u}

	var body any
	if req.Body != nil {
		switch b := req.Body.(type) {
		case json.RawMessage:
			body = []byte(b)
		case []byte:
			body = b
		default:
			enc, err := json.Marshal(req.Body)
			if err != nil {
				return nil, InvalidParams(c.s.Vendor, req.Op, "body", "cannot encode request body: %v", err)
			}
			body = enc
		}
	}
	// Per-call context: the state the retry loop and the attempt transport
	// read, and, for a request that must not be resent once it may have
	// reached the server, the hook that tells whether it was fully written
	// (an idempotent request is retried either way).
	cctx := context.WithValue(ctx, stateKey{}, st)
	if !st.idempotent {
		cctx = httptrace.WithClientTrace(cctx, &httptrace.ClientTrace{
			WroteRequest: func(info httptrace.WroteRequestInfo) {
				if info.Err == nil {
					st.written.Store(true)
				}
			},
		})
	}
	rreq, err := retryablehttp.NewRequestWithContext(cctx, req.Method, u.String(), body)
	if err != nil {
		return nil, InvalidParams(c.s.Vendor, req.Op, "request", "%v", err)
	}
	// Credentials go on our own request object, once; it never reaches a
	// log or an error (errors carry the redacted URL only).
	if !req.NoAuth {
		c.s.Auth.Apply(rreq.Header)
	}
	rreq.Header.Set("User-Agent", c.ua)
	for k, vs := range req.Header {
		for _, v := range vs {
			rreq.Header.Add(k, v)
		}
	}
	rreq.Header.Set("Accept", "application/json")
	if body != nil {
		rreq.Header.Set("Content-Type", "application/json")
	}
	if req.IdempotencyKey != "" {
		rreq.Header.Set("Idempotency-Key", req.IdempotencyKey)
	}
	rreq.SetResponseHandler(handleResponse)

	resp, err := c.rc.Do(rreq)
	if resp != nil && resp.Body != nil {
		resp.Body.Close()
	}
	if err != nil || st.failed != nil {
		return nil, st.finalError(ctx, err)
	}
	meta := st.meta(req.IdempotencyKey)
	if len(st.issues) > 0 {
		// An issue's detail quotes the value that did not fit: response
		// data, which may echo a credential.
		c.red.Value(&st.issues)
		meta.DecodeIssues = st.issues
		st.log(ctx, slog.LevelWarn, "response values did not fit the SDK's types; they were left at their zero values",
			"issues", len(st.issues), "first", st.c.red.String(issueList(st.issues)))
	}
	raw := st.lastBody
	if st.c.red.holds(raw) {
		// The answer echoes a credential (a proxy, a misbehaving server).
		// Decode the result again from the redacted body, so that nothing
		// read out of it (unexported copies that types keep to re-encode
		// exactly what they got included) holds the credential; walk the
		// exported values too, in case redacting broke the JSON.
		raw = st.c.red.JSON(raw)
		if out != nil && json.Valid(raw) {
			if issues, err := decodeInto(out, raw); err == nil {
				st.c.red.Value(&issues)
				meta.DecodeIssues = issues
			}
		}
		if out != nil {
			st.c.red.Value(out)
		}
		meta.Redacted = true
	}
	setResult(out, raw, meta)
	return meta, nil
}

type stateKey struct{}

// callState is one call's memory across attempts.
type callState struct {
	c          *Client
	req        *Request
	out        any
	url        *url.URL
	idempotent bool

	attempts     int
	checked      int // attempt number checkRetry last classified
	written      atomic.Bool
	maybeApplied bool // an attempt may have been acted on by the server
	lastStatus   int
	lastHeader   http.Header
	lastBody     []byte
	lastRate     RateLimit
	failed       *Error        // decoded error of the latest failed response
	issues       []jsonx.Issue // values of the latest success body that did not fit
}

func (st *callState) meta(key string) *ResponseMeta {
	m := &ResponseMeta{
		StatusCode:     st.lastStatus,
		Attempts:       st.attempts,
		IdempotencyKey: key,
		Header:         st.lastHeader,
	}
	if st.lastHeader != nil {
		m.Header = st.c.red.Header(st.lastHeader)
		m.Redacted = st.c.red.headerHolds(st.lastHeader)
		m.RequestID = RequestID(m.Header)
		m.RateLimit = st.lastRate
	}
	return m
}

// handleResponse decodes a success body into the call's result. It runs
// inside the retry loop, so an undecodable body of an idempotent request
// is retried.
func handleResponse(resp *http.Response) error {
	return resp.Request.Context().Value(stateKey{}).(*callState).handleResponse(resp)
}

func (st *callState) handleResponse(resp *http.Response) error {
	st.issues = nil
	if resp.StatusCode >= 400 || st.out == nil || len(bytes.TrimSpace(st.lastBody)) == 0 {
		return nil
	}
	issues, err := decodeInto(st.out, st.lastBody)
	if err != nil {
		return &decodeError{err: err}
	}
	st.issues = issues
	for _, is := range issues {
		if is.Control || st.c.s.StrictDecoding {
			return &unusableError{issues: issues, strict: !is.Control}
		}
	}
	return nil
}

// decodeError is a success body that is not JSON at all (a proxy's page,
// a body cut short): asking again may get a good one.
type decodeError struct{ err error }

func (e *decodeError) Error() string { return "cannot decode response body: " + e.err.Error() }
func (e *decodeError) Unwrap() error { return e.err }

// unusableError is a JSON success body the call cannot use: a value the
// SDK needs (a control field) did not fit its type, or a value did not fit
// under WithStrictDecoding. Asking again would get the same answer.
type unusableError struct {
	issues []jsonx.Issue
	strict bool
}

func (e *unusableError) Error() string {
	what := "a value the SDK needs did not fit its type"
	if e.strict {
		what = "the response did not fit the SDK's types (strict decoding)"
	}
	return what + ": " + issueList(e.issues)
}

// issueList formats up to three issues and how many more there were.
func issueList(issues []jsonx.Issue) string {
	var b strings.Builder
	for i, is := range issues {
		if i == 3 {
			fmt.Fprintf(&b, "; and %d more", len(issues)-3)
			break
		}
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(is.String())
	}
	return b.String()
}

// checkRetry is go-retryablehttp's CheckRetry: it classifies the attempt
// with the vendor rules and the default policy, and plans the wait.
func (st *callState) checkRetry(ctx context.Context, resp *http.Response, err error) (bool, error) {
	if err == nil && st.checked == st.attempts {
		// go-retryablehttp asks again after the response handler; nothing
		// new to decide unless the handler failed.
		return false, nil
	}
	st.checked = st.attempts
	a := &Attempt{Method: st.req.Method, Idempotent: st.idempotent, ErrorsHaveNoEffect: st.req.ErrorsHaveNoEffect, N: st.attempts - 1, Err: err, Written: st.written.Load()}
	st.failed = nil
	var de *decodeError
	var ue *unusableError
	switch {
	case errors.As(err, &de):
		a.Err = nil
		a.StatusCode, a.Header = resp.StatusCode, resp.Header
		a.Error = st.newError(ctx, resp.StatusCode, resp.Header)
		SetKind(a.Error, ErrUnexpectedResponse)
		a.Error.Message = de.Error()
		a.Error.Cause = garbled{de.err}
		st.maybeApplied = true // no usable answer came back
		st.failed = a.Error
	case errors.As(err, &ue):
		// The answer arrived and says the request succeeded; the SDK cannot
		// read what it needs from it. Final: a retry gets the same body.
		a.Error = st.newError(ctx, resp.StatusCode, resp.Header)
		SetKind(a.Error, ErrUnexpectedResponse)
		a.Error.Message = ue.Error()
		st.failed = a.Error
		return false, nil
	case err != nil:
		if a.Written {
			st.maybeApplied = true
		}
	case resp != nil:
		a.StatusCode, a.Header = resp.StatusCode, resp.Header
		if resp.StatusCode >= 400 {
			a.Error = st.newError(ctx, resp.StatusCode, resp.Header)
			st.failed = a.Error
			if resp.StatusCode >= 500 && !st.req.ErrorsHaveNoEffect {
				st.maybeApplied = true
			}
		}
	}
	if ctx.Err() != nil {
		return false, nil
	}
	if a.Err == nil && a.Error == nil {
		return false, nil // success
	}
	if classify(st.c.s.Rules, a) != Retry || st.attempts > st.c.s.MaxRetries {
		return false, nil
	}
	now := time.Now()
	wait, fromServer := serverWait(a, now)
	if !fromServer {
		wait = Backoff(st.c.s.RetryWaitMin, st.c.s.RetryWaitMax, a.N)
	}
	if fromServer && wait > st.c.s.MaxRetryAfter {
		if a.Error != nil {
			a.Error.RetryAfter = wait
		}
		st.log(ctx, slog.LevelInfo, "not retrying: server wait longer than allowed", "wait", wait, "max", st.c.s.MaxRetryAfter)
		return false, nil
	}
	if dl, ok := ctx.Deadline(); ok && now.Add(wait).After(dl) {
		if a.Error != nil {
			a.Error.RetryAfter = wait
		}
		st.log(ctx, slog.LevelInfo, "not retrying: wait ends after the context deadline", "wait", wait)
		return false, nil
	}
	if st.c.s.Logger != nil {
		st.log(ctx, slog.LevelInfo, "retrying", "status", a.StatusCode, "error", errString(a.Err), "wait", wait, "attempt", st.attempts)
	}
	if err := poll.Sleep(ctx, wait); err != nil {
		return false, nil // the context ended while waiting: finalError reports it with the last response
	}
	return true, nil
}

// newError builds the *Error of a failed response with the vendor decoder.
func (st *callState) newError(_ context.Context, status int, h http.Header) *Error {
	e := st.baseError()
	e.StatusCode = status
	e.RequestID = RequestID(h)
	e.Body = truncate(st.c.red.Bytes(st.lastBody), maxErrorBody)
	if kind := KindForStatus(status); kind != nil {
		AddKind(e, kind)
	}
	if d, ok := ParseRetryAfter(h.Get("Retry-After"), time.Now()); ok {
		e.RetryAfter = d
	}
	decode := st.c.s.DecodeError
	if decode == nil {
		decode = DecodeSimpleError
	}
	decode(e, status, h, st.lastBody)
	st.c.red.Value(e) // everything that came from the response, whatever the decoder set
	return e
}

func (st *callState) baseError() *Error {
	return &Error{
		Vendor: st.c.s.Vendor,
		Op:     st.req.Op,
		Method: st.req.Method,
		URL:    st.c.red.URL(st.url),
	}
}

// finalError turns the end of the retry loop into one *Error.
func (st *callState) finalError(ctx context.Context, err error) *Error {
	var e *Error
	var le *limiterError
	switch {
	case st.failed != nil && (err == nil || errors.As(err, new(*decodeError)) || errors.As(err, new(*unusableError))):
		e = st.failed
	case ctx.Err() != nil:
		e = st.baseError()
		AddKind(e, ctx.Err())
		e.Cause = context.Cause(ctx)
		if st.lastStatus != 0 {
			e.StatusCode = st.lastStatus
			e.Body = truncate(st.c.red.Bytes(st.lastBody), maxErrorBody)
			e.Message = fmt.Sprintf("%v (last response: %d %s)", ctx.Err(), st.lastStatus, http.StatusText(st.lastStatus))
			if kind := KindForStatus(st.lastStatus); kind != nil {
				AddKind(e, kind)
			}
		}
	case errors.As(err, &le):
		// The client-side limiter or the server's hold refused before
		// anything was sent.
		e = st.baseError()
		if d, ok := le.retryAfter(); ok {
			AddKind(e, ErrRateLimited)
			e.RetryAfter = d
		}
		e.Cause = le.err
		e.Message = st.c.red.String(le.err.Error())
	default:
		e = st.baseError()
		AddKind(e, ErrNetwork)
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		e.Cause = err
		e.Message = st.c.red.String(err.Error())
	}
	e.Attempts = st.attempts
	st.c.red.Value(e)
	if cerr := ctx.Err(); cerr != nil && !e.Is(cerr) {
		// The context ended while waiting to retry: say so next to the
		// last response.
		AddKind(e, cerr)
		if e.Cause == nil {
			e.Cause = context.Cause(ctx)
		}
		e.Message = strings.TrimSpace(e.Message + " (" + cerr.Error() + " while waiting to retry)")
	}
	if !st.idempotent && st.maybeApplied && !e.Is(ErrQuotaExceeded) {
		AddKind(e, ErrOutcomeUnknown)
		e.Message = strings.TrimSpace(e.Message + " (the request may have reached the server and was not resent)")
	}
	return e
}

func (st *callState) log(ctx context.Context, level slog.Level, msg string, args ...any) {
	l := st.c.s.Logger
	if l == nil || !l.Enabled(ctx, level) {
		return
	}
	base := []any{"vendor", st.c.s.Vendor, "op", st.req.Op, "method", st.req.Method, "url", st.c.red.URL(st.url)}
	l.Log(ctx, level, msg, append(base, args...)...)
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

const maxErrorBody = 64 << 10

func truncate(b []byte, n int) []byte {
	if len(b) > n {
		return b[:n]
	}
	return b
}
