package transport

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"github.com/creatorkit/creatorkit-go/internal/redact"
	"io"
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

// call is one Do: its request, its result and its memory across attempts.
// The retry loop's hooks are its methods, so nothing is looked up in the
// request's context.
type call struct {
	c          *Client
	ctx        context.Context
	req        *Request
	out        any
	url        *url.URL
	idempotent bool
	red        redact.Redactor // the client's, or one that also knows the request's Secrets

	info     CallInfo // for the observer
	prevWait time.Duration
	ticket   ticket // admission of the attempt in flight
	admitted bool   // ticket holds an admission
	attempts int
	refusals int         // limiter failures asked again
	written  atomic.Bool // the attempt in flight was fully written
	conns    atomic.Int32
	sent     time.Time // when the attempt in flight was sent
	received time.Time // when its answer was read

	maybeApplied bool // an attempt may have been acted on by the server
	lastStatus   int
	lastHeader   http.Header
	lastBody     []byte
	lastRate     RateLimit
	err          error         // why the latest attempt failed (nil: it was answered)
	failed       *Error        // decoded error of the latest failed response
	issues       []jsonx.Issue // values of the latest success body that did not fit
	wait         time.Duration // planned wait before the next attempt
	echo         <-chan bool   // the echo scan of a large success body, run beside its decode
	tally        tally
	ct           httptrace.ClientTrace // trace's, made with the call
	attempt      Attempt               // finishAttempt's, refilled per attempt

	budget   *Budget
	reserved int64

	rc retryablehttp.Client // the retry loop, its hooks bound to this call
}

// Do sends req through the pipeline and decodes a successful JSON body into
// out (a pointer; nil to ignore the body). If out is a struct with a
// `Raw json.RawMessage` field it receives the raw body, and a
// `Response *ResponseMeta` field receives the metadata.
//
// Any failure is an *Error; its kinds say what happened.
func (c *Client) Do(ctx context.Context, req Request, out any) (_ *ResponseMeta, err error) {
	if ctx == nil {
		return nil, InvalidParams(c.s.Vendor, req.Op, "ctx", "context is nil")
	}
	if badPath(req.Path) {
		return nil, InvalidParams(c.s.Vendor, req.Op, "path", "path %q must not contain '.', '..', '?' or '#' segments", req.Path)
	}
	body, encErr := encodeBody(req.Body)
	if encErr != nil {
		return nil, InvalidParams(c.s.Vendor, req.Op, "body", "cannot encode request body: %v", encErr)
	}
	cl := &call{c: c, ctx: ctx, req: &req, out: out, idempotent: req.idempotent(), url: c.URL(req.Path, req.Query), red: c.red}
	if len(req.Secrets) > 0 {
		cl.red = redact.New(append(c.s.Auth.Secrets(), req.Secrets...)...)
	}
	cl.tally.unit = req.Spend.Unit
	if cl.tally.unit == "" && req.Spend.Cost > 0 {
		cl.tally.unit = c.s.Unit
	}
	if c.s.Observer != nil {
		cl.startObserving()
	}
	defer func() { cl.close(err) }()
	if err := cl.reserve(); err != nil {
		return nil, err
	}
	var raw any // a nil []byte would still make go-retryablehttp send a body
	if body != nil {
		raw = body
	}
	rreq, err := cl.newRequest(raw)
	if err != nil {
		return nil, InvalidParams(c.s.Vendor, req.Op, "request", "%v", err)
	}
	cl.prepare(rreq)
	if err := cl.admit(); err != nil {
		return nil, cl.finalError(err)
	}
	cl.rc.HTTPClient, cl.rc.RetryMax = c.hc, c.s.MaxRetries
	cl.rc.RequestLogHook, cl.rc.CheckRetry, cl.rc.Backoff, cl.rc.PrepareRetry = cl.onAttempt, cl.checkRetry, cl.backoff, cl.prepareRetry
	cl.rc.ErrorHandler = retryablehttp.PassthroughErrorHandler
	resp, err := cl.rc.Do(rreq)
	if resp != nil && resp.Body != nil {
		resp.Body.Close()
	}
	if cl.admitted { // the context ended before the attempt went out
		c.finish(&cl.ticket, 0, RateLimit{})
		cl.admitted = false
	}
	if err == nil {
		err = cl.err
	}
	if err != nil || cl.failed != nil {
		return nil, cl.finalError(err)
	}
	return cl.result(), nil
}

// newRequest makes the call's request on the URL the client built, as
// http.NewRequestWithContext would from its text (without printing and
// parsing it again), traced (see trace). Methods come from the vendor
// packages' calls or Raw, which accepts only the HTTP methods it names.
func (cl *call) newRequest(body any) (*retryablehttp.Request, error) {
	u := cl.url
	h := cl.c.hdr
	if cl.req.NoAuth {
		h = cl.c.hdrNoAuth
	}
	hr := &http.Request{Method: cl.req.Method, URL: u, Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1, Header: h.Clone(), Host: strings.TrimSuffix(u.Host, ":")}
	r := &retryablehttp.Request{Request: hr.WithContext(httptrace.WithClientTrace(cl.ctx, cl.trace()))}
	if err := r.SetBody(body); err != nil {
		return nil, err
	}
	return r, nil
}

func encodeBody(b any) ([]byte, error) {
	switch b := b.(type) {
	case nil:
		return nil, nil
	case json.RawMessage:
		return b, nil
	case []byte:
		return b, nil
	}
	return json.Marshal(b)
}

// prepare adds the request's own headers to the client's (newRequest
// cloned those, credentials included, onto our own request object: they
// never reach a log or an error, which carry the redacted URL only).
// A request that must not be resent once it may have reached the server
// is made one net/http will not resend by itself (see noResend).
func (cl *call) prepare(r *retryablehttp.Request) {
	c := cl.c
	for k, vs := range cl.req.Header {
		for _, v := range vs {
			r.Header.Add(k, v)
		}
	}
	if len(cl.req.Header) > 0 {
		r.Header.Set("Accept", "application/json")
	}
	if hi, ok := c.s.Observer.(HeaderInjector); ok {
		hi.InjectHeaders(cl.ctx, r.Header)
	}
	if r.ContentLength > 0 {
		r.Header.Set("Content-Type", "application/json")
	}
	if cl.req.IdempotencyKey != "" {
		r.Header.Set("Idempotency-Key", cl.req.IdempotencyKey)
	}
	if !cl.idempotent {
		noResend(r.Request)
	}
}

// noResend makes net/http's Transport treat r as not replayable. It
// resends on its own a request whose reused keep-alive connection failed
// under it when the request is a GET, HEAD, OPTIONS or TRACE, or carries
// an Idempotency-Key header, and its body can be had again: the first copy
// may have been charged. Without GetBody, and with a body that is empty
// but not nil, it never does; on HTTP/1.1 the request on the wire is the
// same (an empty body is not sent). Only the SDK's own loop, which knows
// whether a request may spend, then decides whether to ask again.
func noResend(r *http.Request) {
	r.GetBody = nil
	if r.Body == nil || r.Body == http.NoBody {
		r.Body = emptyBody{}
	}
}

// emptyBody is a request body that is empty and cannot be rewound.
type emptyBody struct{}

func (emptyBody) Read([]byte) (int, error) { return 0, io.EOF }
func (emptyBody) Close() error             { return nil }

// trace follows each attempt on the wire: whether the request was fully
// written (a request that was may have reached the server), and every
// connection it went out on (net/http may resend an idempotent request on
// a new connection when a reused one failed under it: the vendor may have
// counted the first copy, so each copy takes a window slot and counts as a
// request).
func (cl *call) trace() *httptrace.ClientTrace {
	cl.ct = httptrace.ClientTrace{
		GotConn: func(httptrace.GotConnInfo) {
			if cl.conns.Add(1) > 1 {
				cl.c.resent(cl)
			}
		},
		WroteRequest: func(info httptrace.WroteRequestInfo) {
			if info.Err == nil {
				cl.written.Store(true)
			}
		},
	}
	return &cl.ct
}

// onAttempt runs just before each attempt is sent.
func (cl *call) onAttempt(_ retryablehttp.Logger, _ *http.Request, n int) {
	cl.attempts = n + 1
	cl.written.Store(false)
	cl.conns.Store(0)
	cl.sent = time.Now()
}

// prepareRetry admits the next attempt, after the wait Backoff returned.
func (cl *call) prepareRetry(*http.Request) error {
	err := cl.admit()
	if err != nil {
		cl.err = err
	}
	return err
}

// admit admits the next attempt. A limiter that fails without saying how
// long to wait (its shared store blinked) is asked again after a backoff,
// within the call's retries: nothing was sent.
func (cl *call) admit() error {
	for {
		err := cl.c.admit(cl.ctx, cl.req.Pace, &cl.ticket)
		cl.tally.waited += cl.ticket.waited
		if err == nil {
			cl.admitted = true
			return nil
		}
		le := err.(*limiterError)
		if _, known := le.retryAfter(); known || cl.ctx.Err() != nil || cl.retries() >= cl.c.s.MaxRetries {
			return err
		}
		wait := Backoff(cl.c.s.RetryWaitMin, cl.c.s.RetryWaitMax, cl.retries())
		cl.refusals++
		cl.log(slog.LevelInfo, "limiter failed; asking it again", "error", cl.red.String(err.Error()), "wait", wait)
		if serr := poll.Sleep(cl.ctx, wait); serr != nil {
			return err
		}
	}
}

// retries is how many of the call's retries are used: attempts after the
// first, and limiter failures.
func (cl *call) retries() int { return max(cl.attempts-1, 0) + cl.refusals }

// backoff is go-retryablehttp's Backoff: the wait checkRetry planned.
func (cl *call) backoff(_, _ time.Duration, _ int, _ *http.Response) time.Duration { return cl.wait }

// reserve holds the call's documented cost in its unit's budget.
func (cl *call) reserve() error {
	s := cl.req.Spend
	if s.Cost <= 0 {
		return nil
	}
	b := cl.c.s.Budgets[cl.tally.unit]
	if b == nil {
		return nil
	}
	if err := b.Reserve(s.Cost); err != nil {
		e := cl.baseError()
		e.Kinds = []error{ErrBudgetExceeded}
		e.Method, e.URL = "", ""
		e.Message = fmt.Sprintf("%s (in %s); nothing was sent", err.(*Error).Message, cl.tally.unit)
		return e
	}
	cl.budget, cl.reserved = b, s.Cost
	return nil
}

// close settles the call's spend, adds its counts to the client's Usage
// and tells the observer; err is the call's error.
func (cl *call) close(err error) {
	if cl.req.Spend.Cost > 0 && cl.attempts > 0 {
		switch {
		case cl.err == nil && cl.failed == nil && cl.lastStatus < 300:
			ch := Charge{Spent: cl.req.Spend.Cost}
			if f := cl.req.Spend.Charged; f != nil {
				ch = f(Answer{Status: cl.lastStatus, Header: cl.lastHeader, Out: cl.out, Sent: cl.sent, Received: cl.received})
			}
			cl.tally.spent, cl.tally.unknown = ch.Spent, ch.Unknown
		case cl.maybeApplied:
			cl.tally.unknown = cl.req.Spend.Cost
		}
	}
	if cl.budget != nil {
		cl.budget.Settle(cl.reserved, cl.tally.spent+cl.tally.unknown)
	}
	cl.c.ledger.add(cl.req.Op, cl.tally)
	if cl.c.s.Observer != nil {
		cl.endObserving(err)
	}
}

// result builds the metadata of a successful call and fills out.
func (cl *call) result() *ResponseMeta {
	red := cl.red
	meta := cl.meta()
	if len(cl.issues) > 0 {
		// An issue's detail quotes the value that did not fit: response
		// data, which may echo a credential.
		red.Value(&cl.issues)
		meta.DecodeIssues = cl.issues
		cl.log(slog.LevelWarn, "response values did not fit the SDK's types; they were left at their zero values",
			"issues", len(cl.issues), "first", red.String(issueList(cl.issues)))
	}
	raw := cl.lastBody
	var echoed bool
	if cl.echo != nil {
		echoed = <-cl.echo
	} else {
		echoed = red.Holds(raw)
	}
	if echoed {
		// The answer echoes a credential (a proxy, a misbehaving server).
		// Decode the result again from the redacted body, so that nothing
		// read out of it (unexported copies that types keep to re-encode
		// exactly what they got included) holds the credential; walk the
		// exported values too, in case redacting broke the JSON.
		raw = red.JSON(raw)
		if cl.out != nil && json.Valid(raw) {
			if issues, err := decodeInto(cl.out, raw); err == nil {
				red.Value(&issues)
				meta.DecodeIssues = issues
			}
		}
		if cl.out != nil {
			red.Value(cl.out)
		}
		meta.Redacted = true
	}
	setResult(cl.out, raw, meta)
	return meta
}

func (cl *call) meta() *ResponseMeta {
	m := &ResponseMeta{
		StatusCode:     cl.lastStatus,
		Attempts:       cl.attempts,
		IdempotencyKey: cl.req.IdempotencyKey,
	}
	if cl.lastHeader != nil {
		red := cl.red
		m.Header, m.Redacted = cl.lastHeader, red.HeaderHolds(cl.lastHeader)
		if m.Redacted {
			m.Header = red.Header(cl.lastHeader)
		}
		m.RequestID = RequestID(m.Header)
		m.RateLimit = cl.lastRate
	}
	return m
}

func (cl *call) log(level slog.Level, msg string, args ...any) {
	if !cl.logs(level) {
		return
	}
	l := cl.c.s.Logger
	base := []any{"vendor", cl.c.s.Vendor, "op", cl.req.Op, "method", cl.req.Method, "url", cl.red.URL(cl.url)}
	l.Log(cl.ctx, level, msg, append(base, args...)...)
}

// logs reports whether the client logs at level: a call on every answer
// checks first, so that its arguments are not boxed for nothing.
func (cl *call) logs(level slog.Level) bool {
	l := cl.c.s.Logger
	return l != nil && l.Enabled(cl.ctx, level)
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

// readBody reads at most maxBody+1 bytes of the answer, into a buffer
// sized once from Content-Length when the server sent one (io.ReadAll
// would grow and copy it a dozen times for a 580 KB report).
func readBody(resp *http.Response) ([]byte, error) {
	r := io.LimitReader(resp.Body, maxBody+1)
	if n := resp.ContentLength; n > 0 && n <= maxBody {
		buf := bytes.NewBuffer(make([]byte, 0, n+bytes.MinRead))
		_, err := buf.ReadFrom(r)
		return buf.Bytes(), err
	}
	return io.ReadAll(r)
}

// scanBeside is the body size from which the scan for echoed credentials
// runs on another goroutine while the body decodes: on a large report
// (HypeAuditor's 580 KB YouTube sample) the scan is a few percent of the
// call, which a second core hides.
const scanBeside = 64 << 10

// maxBody caps a response body the SDK will hold in memory.
const maxBody = 64 << 20
