package creatorkitotel

import (
	"context"
	"encoding/base64"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/creatorkit/creatorkit-go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"
)

// The tests of this file's siblings (engagecheck_test.go, ...) run each
// vendor's client on its fake, inside a testing/synctest bubble on the
// vendor's real durations, with an Observer on SDK providers: the
// SpanRecorder ends spans synchronously and the ManualReader is read by
// hand, so nothing of OpenTelemetry runs in a goroutine of its own.

// tracing is the Observer option that sends traceparent: the vendor runs
// check that it reaches the fake on every request, and only with it.
var tracing = WithPropagators(propagation.TraceContext{})

// testCtx bounds a run on the bubble's clock: a wait that never ends
// fails at the deadline instead of hanging.
func testCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(t.Context(), 24*time.Hour)
	t.Cleanup(cancel)
	return ctx
}

// headerLog records the trace headers of every request a client sends to
// a fake: it wraps the fake's own transport, so what it records is what
// the fake receives.
type headerLog struct {
	base http.RoundTripper
	mu   sync.Mutex
	// traceparent holds one entry per request, "" when it had none.
	traceparent []string
	// others counts requests carrying tracestate or baggage.
	others int
}

func (l *headerLog) RoundTrip(r *http.Request) (*http.Response, error) {
	l.mu.Lock()
	l.traceparent = append(l.traceparent, r.Header.Get("Traceparent"))
	if r.Header.Get("Tracestate") != "" || r.Header.Get("Baggage") != "" {
		l.others++
	}
	l.mu.Unlock()
	return l.base.RoundTrip(r)
}

// logged returns an HTTP client on the fake's transport that records what
// it sends.
func logged(hc *http.Client) (*http.Client, *headerLog) {
	l := &headerLog{base: hc.Transport}
	return &http.Client{Transport: l}, l
}

// sent returns the traceparent of every request sent so far.
func (l *headerLog) sent() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]string(nil), l.traceparent...)
}

// vendorRun is what a vendor test did, for verify.
type vendorRun struct {
	vendor string
	// requests is how many requests of the client the fake received.
	requests int
	usage    creatorkit.Usage
	// wait is the operation of the wait the run made (exactly one), and
	// check the operation of its status checks.
	wait, check string
	// headers are the requests' trace headers (sent with tracing).
	headers *headerLog
	// values are what the calls sent or got back that no span, event or
	// metric may hold: credentials, handles, ids, query values.
	values []string
	// spendSettledLater is set for a vendor whose spend a later call
	// settles (the metrics count it as unknown where Usage has it spent).
	spendSettledLater bool
}

// verify checks the spans and metrics of a run against the fake's count
// and the client's Usage, the trace headers the fake received, and that
// none of the run's values reached an attribute.
func (h *harness) verify(t *testing.T, r vendorRun) {
	t.Helper()
	ended := h.spans.Ended()
	require.Len(t, h.spans.Started(), len(ended), "every span started ended")
	byID := map[trace.SpanID]sdktrace.ReadOnlySpan{}
	for _, s := range ended {
		byID[s.SpanContext().SpanID()] = s
	}

	// Every request is an attempt event on its call's client span.
	events, retried, waits := 0, 0, 0
	var wait sdktrace.ReadOnlySpan
	for _, s := range ended {
		a := attrs(s.Attributes())
		assert.Equal(t, r.vendor, a["creatorkit.vendor"], s.Name())
		switch s.SpanKind() {
		case trace.SpanKindClient:
			n := a["creatorkit.attempts"].(int64)
			require.Len(t, s.Events(), int(n), "%s: one event per attempt", s.Name())
			for i, e := range s.Events() {
				assert.Equal(t, "attempt", e.Name)
				ea := attrs(e.Attributes)
				assert.Equal(t, int64(i+1), ea["creatorkit.attempt"], s.Name())
				assert.Equal(t, i+1 < int(n), ea["creatorkit.retried"], "%s: attempt %d", s.Name(), i+1)
			}
			events += int(n)
			if n > 1 {
				retried++
				assert.Equal(t, n-1, a["http.request.resend_count"], s.Name())
			}
			assert.NotEmpty(t, a["url.template"], "%s has a route", s.Name())
		case trace.SpanKindInternal:
			assert.Empty(t, s.Events(), "%s: a wait's requests are its calls'", s.Name())
			if s.Name() == r.wait {
				waits++
				wait = s
			}
		default:
			t.Errorf("%s: span kind %v", s.Name(), s.SpanKind())
		}
	}
	assert.Equal(t, r.requests, events, "one attempt event per request the fake received")
	assert.Positive(t, retried, "a call was retried")

	// The wait: an internal span, its status checks its children.
	require.Equal(t, 1, waits, "one span of %s", r.wait)
	children, checks := 0, 0
	for _, s := range ended {
		if s.Parent().SpanID() != wait.SpanContext().SpanID() {
			continue
		}
		children++
		assert.Equal(t, wait.SpanContext().TraceID(), s.SpanContext().TraceID())
		assert.False(t, s.StartTime().Before(wait.StartTime()), "%s starts in the wait", s.Name())
		assert.False(t, s.EndTime().After(wait.EndTime()), "%s ends in the wait", s.Name())
		if attrs(s.Attributes())["creatorkit.operation"] == r.check {
			checks++
		}
	}
	polls := attrs(wait.Attributes())["creatorkit.polls"]
	assert.Equal(t, int64(checks), polls, "%s: its polls are its %s children", r.wait, r.check)
	assert.GreaterOrEqual(t, checks, 2, "%s polled", r.wait)
	t.Logf("%s: %d spans, %d attempt events (%d calls retried); %s: %v polls, %d children",
		r.vendor, len(ended), events, retried, r.wait, polls, children)

	// The metrics match Usage.
	m := h.metrics(t)
	u := r.usage
	assert.Equal(t, u.Requests, total(m, "creatorkit.request.count"), "requests")
	assert.Equal(t, int64(r.requests), total(m, "creatorkit.request.count"), "requests, as the fake counted them")
	assert.Equal(t, u.Retries, total(m, "creatorkit.retry.count"), "retries")
	assert.Positive(t, u.Retries)
	assert.Equal(t, u.RateLimited, total(m, "creatorkit.rate_limited.count"), "429s")
	n, sum := hist(m, "creatorkit.rate_limit.wait.duration")
	assert.Equal(t, uint64(u.Requests), n, "a rate-limit wait per request")
	assert.InDelta(t, u.RateLimitWait.Seconds(), sum, 1e-6*float64(n+1), "rate-limit wait")
	n, _ = hist(m, "creatorkit.call.duration")
	assert.Equal(t, uint64(len(ended)), n, "a call duration per span")
	spent, unknown := total(m, "creatorkit.spend.spent"), total(m, "creatorkit.spend.spent_unknown")
	if r.spendSettledLater {
		assert.Equal(t, u.Spent+u.SpentUnknown, spent+unknown, "spend, settled or not")
	} else {
		assert.Equal(t, u.Spent, spent, "spend")
		assert.Equal(t, u.SpentUnknown, unknown, "spend unknown")
	}
	t.Logf("%s: usage %d requests, %d retries, %d 429s, %v rate-limit wait, spent %d (+%d unknown) %s",
		r.vendor, u.Requests, u.Retries, u.RateLimited, u.RateLimitWait, u.Spent, u.SpentUnknown, u.Unit)

	// traceparent reached the fake on every request, naming the span of
	// the call that sent it.
	if r.headers != nil {
		sent := r.headers.sent()
		require.Len(t, sent, r.requests)
		perSpan := map[trace.SpanID]int{}
		for _, tp := range sent {
			sc := parseTraceparent(t, tp)
			s, ok := byID[sc.SpanID()]
			require.True(t, ok, "traceparent %q names a recorded span", tp)
			assert.Equal(t, s.SpanContext().TraceID(), sc.TraceID())
			assert.Equal(t, trace.SpanKindClient, s.SpanKind())
			perSpan[sc.SpanID()]++
		}
		for id, k := range perSpan {
			assert.Equal(t, attrs(byID[id].Attributes())["creatorkit.attempts"], int64(k), "%s: one traceparent per attempt", byID[id].Name())
		}
		assert.Zero(t, r.headers.others, "TraceContext alone: no tracestate (none was set), no baggage")
	}

	h.assertNoValue(t, r.values)
}

// parseTraceparent reads a W3C traceparent header.
func parseTraceparent(t *testing.T, v string) trace.SpanContext {
	t.Helper()
	ctx := propagation.TraceContext{}.Extract(context.Background(), propagation.HeaderCarrier{"Traceparent": {v}})
	sc := trace.SpanContextFromContext(ctx)
	require.True(t, sc.IsValid(), "traceparent %q", v)
	return sc
}

// noTraceHeaders checks that a client whose Observer was made without
// WithPropagators or WithPropagation sent no trace header.
func noTraceHeaders(t *testing.T, l *headerLog) {
	t.Helper()
	sent := l.sent()
	require.NotEmpty(t, sent)
	for _, tp := range sent {
		assert.Empty(t, tp, "no traceparent without propagation")
	}
	assert.Zero(t, l.others)
}

// total sums a counter over its series.
func total(m map[string]series, name string) int64 {
	var n int64
	for _, p := range m[name] {
		n += p.Value
	}
	return n
}

// hist sums a histogram's counts and sums over its series.
func hist(m map[string]series, name string) (uint64, float64) {
	var n uint64
	var sum float64
	for _, p := range m[name] {
		n += p.Count
		sum += p.Sum
	}
	return n, sum
}

// recordedTexts returns every text the harness's spans and metrics hold:
// span names, status descriptions, event names, and every attribute value
// (spans, events, metric data points and their exemplars) as a string.
func (h *harness) recordedTexts(t *testing.T) []string {
	t.Helper()
	var out []string
	add := func(kv []attribute.KeyValue) {
		for _, a := range kv {
			out = append(out, string(a.Key))
			switch a.Value.Type() {
			case attribute.FLOAT64:
				// durations: no room for a value, and their digits would
				// match ids by chance
			case attribute.STRINGSLICE:
				out = append(out, a.Value.AsStringSlice()...)
			default:
				out = append(out, a.Value.String())
			}
		}
	}
	for _, s := range h.spans.Ended() {
		out = append(out, s.Name(), s.Status().Description)
		add(s.Attributes())
		for _, e := range s.Events() {
			out = append(out, e.Name)
			add(e.Attributes)
		}
		for _, l := range s.Links() {
			add(l.Attributes)
		}
	}
	var rm metricdata.ResourceMetrics
	require.NoError(t, h.reader.Collect(context.Background(), &rm))
	for _, sm := range rm.ScopeMetrics {
		for _, m := range sm.Metrics {
			out = append(out, m.Name, m.Description, m.Unit)
			switch d := m.Data.(type) {
			case metricdata.Sum[int64]:
				for _, p := range d.DataPoints {
					add(p.Attributes.ToSlice())
					for _, e := range p.Exemplars {
						add(e.FilteredAttributes)
					}
				}
			case metricdata.Histogram[float64]:
				for _, p := range d.DataPoints {
					add(p.Attributes.ToSlice())
					for _, e := range p.Exemplars {
						add(e.FilteredAttributes)
					}
				}
			default:
				t.Fatalf("metric %s: unexpected data %T", m.Name, m.Data)
			}
		}
	}
	return out
}

// assertNoValue checks that no text the harness recorded holds any of
// values, as is, in any case, percent-encoded or in base64.
func (h *harness) assertNoValue(t *testing.T, values []string) {
	t.Helper()
	texts := h.recordedTexts(t)
	require.NotEmpty(t, texts)
	for _, leak := range leaks(texts, values) {
		t.Error(leak)
	}
	t.Logf("%d recorded texts checked against %d values", len(texts), len(values))
}

// leaks describes each text that holds a form of one of values.
func leaks(texts, values []string) []string {
	var out []string
	for _, v := range values {
		if v == "" {
			continue
		}
		forms := encodings(v)
		for _, text := range texts {
			low := strings.ToLower(text)
			for _, f := range forms {
				if strings.Contains(low, strings.ToLower(f)) {
					out = append(out, fmt.Sprintf("%q (a form of %q) recorded in %q", f, v, text))
					break
				}
			}
		}
	}
	return out
}

// encodings are the forms of v a server may echo it in.
func encodings(v string) []string {
	forms := []string{v, url.QueryEscape(v), url.PathEscape(v)}
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawURLEncoding} {
		forms = append(forms, strings.TrimRight(enc.EncodeToString([]byte(v)), "="))
	}
	return forms
}

// ids formats numeric ids as values.
func ids(n ...int64) []string {
	out := make([]string, 0, len(n))
	for _, id := range n {
		out = append(out, strconv.FormatInt(id, 10))
	}
	return out
}

// The leak check finds a value as is, in another case, percent-encoded
// and in base64 inside a longer text, and passes texts without it.
func TestLeakCheckFindsEncodedValues(t *testing.T) {
	t.Parallel()
	const v = "ec_live_Zk9+q/Xy=Key"
	for _, text := range []string{
		"GET audits/" + v, "EC_LIVE_ZK9+Q/XY=KEY", "q=" + url.QueryEscape(v), "/a/" + url.PathEscape(v),
		"Bearer " + base64.StdEncoding.EncodeToString([]byte(v)), "x" + base64.RawURLEncoding.EncodeToString([]byte(v)),
	} {
		assert.Len(t, leaks([]string{"ok", text}, []string{"", v}), 1, text)
	}
	assert.Empty(t, leaks([]string{"GET audits/{id}", "engagecheck", "rate_limited", "200"}, []string{v, "natgeo", "918273"}))
}
