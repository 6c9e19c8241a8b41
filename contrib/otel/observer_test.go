package creatorkitotel

import (
	"context"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/creatorkit/creatorkit-go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/baggage"
	"go.opentelemetry.io/otel/codes"
	metricnoop "go.opentelemetry.io/otel/metric/noop"
	"go.opentelemetry.io/otel/propagation"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"
	tracenoop "go.opentelemetry.io/otel/trace/noop"
)

// set encodes attributes as the metrics helper does.
func set(kv ...attribute.KeyValue) string { return enc(attribute.NewSet(kv...)) }

var (
	vendor  = attribute.String("creatorkit.vendor", "engagecheck")
	post    = attribute.String("http.request.method", "POST")
	get     = attribute.String("http.request.method", "GET")
	rerun   = attribute.String("creatorkit.operation", "Audits.Rerun")
	rerunT  = attribute.String("url.template", "audits/{id}/rerun")
	getOp   = attribute.String("creatorkit.operation", "Audits.Get")
	getT    = attribute.String("url.template", "audits/{id}")
	credits = attribute.String("creatorkit.spend.unit", "credits")
)

func status(code int) attribute.KeyValue { return attribute.Int("http.response.status_code", code) }
func errType(kind string) attribute.KeyValue {
	return attribute.String("error.type", kind)
}

var rerunInfo = creatorkit.CallInfo{Vendor: "engagecheck", Operation: "Audits.Rerun", Method: "POST", Route: "audits/{id}/rerun", Start: t0}

// A call answered 429, retried, then answered 201: one client span with
// an event per attempt, and every metric.
func TestCallRetriedAfter429(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	call(context.Background(), h.obs, rerunInfo, []creatorkit.AttemptEvent{
		{StatusCode: 429, Duration: 120 * time.Millisecond, ErrorKind: "rate_limited", Retried: true},
		{StatusCode: 201, Wait: 1500 * time.Millisecond, RateLimitWait: 500 * time.Millisecond, Duration: 250 * time.Millisecond},
	}, creatorkit.CallEvent{Duration: 2 * time.Second, RateLimitWait: 500 * time.Millisecond, StatusCode: 201,
		Unit: "credits", Spent: 1})

	spans := h.ended(t)
	require.Len(t, spans, 1)
	s := spans["POST audits/{id}/rerun"]
	require.NotNil(t, s)
	assert.Equal(t, trace.SpanKindClient, s.SpanKind())
	assert.False(t, s.Parent().IsValid(), "a root span: the caller's context had none")
	assert.Equal(t, t0, s.StartTime())
	assert.Equal(t, t0.Add(2*time.Second), s.EndTime())
	assert.Equal(t, codes.Unset, s.Status().Code)
	assert.Equal(t, map[string]any{
		"creatorkit.vendor":              "engagecheck",
		"creatorkit.operation":           "Audits.Rerun",
		"http.request.method":            "POST",
		"url.template":                   "audits/{id}/rerun",
		"http.response.status_code":      int64(201),
		"creatorkit.attempts":            int64(2),
		"http.request.resend_count":      int64(1),
		"creatorkit.rate_limit_wait":     0.5,
		"creatorkit.spend.unit":          "credits",
		"creatorkit.spend.spent":         int64(1),
		"creatorkit.spend.spent_unknown": int64(0),
	}, attrs(s.Attributes()))
	require.Len(t, s.Events(), 2)
	for _, e := range s.Events() {
		assert.Equal(t, "attempt", e.Name)
	}
	assert.Equal(t, map[string]any{
		"creatorkit.attempt":         int64(1),
		"http.response.status_code":  int64(429),
		"error.type":                 "rate_limited",
		"creatorkit.wait":            0.0,
		"creatorkit.rate_limit_wait": 0.0,
		"creatorkit.duration":        0.12,
		"creatorkit.retried":         true,
	}, attrs(s.Events()[0].Attributes))
	assert.Equal(t, map[string]any{
		"creatorkit.attempt":         int64(2),
		"http.response.status_code":  int64(201),
		"creatorkit.wait":            1.5,
		"creatorkit.rate_limit_wait": 0.5,
		"creatorkit.duration":        0.25,
		"creatorkit.retried":         false,
	}, attrs(s.Events()[1].Attributes))

	m := h.metrics(t)
	base := []attribute.KeyValue{vendor, rerun, post, rerunT}
	with := func(kv ...attribute.KeyValue) string {
		return set(append(append([]attribute.KeyValue{}, base...), kv...)...)
	}
	assert.Equal(t, series{
		with(status(429), errType("rate_limited")): {Value: 1},
		with(status(201)):                          {Value: 1},
	}, m["creatorkit.request.count"])
	assert.Equal(t, series{
		with(status(429), errType("rate_limited")): {Count: 1, Sum: 0.12},
		with(status(201)):                          {Count: 1, Sum: 0.25},
	}, m["creatorkit.request.duration"])
	assert.Equal(t, series{with(status(201)): {Value: 1}}, m["creatorkit.retry.count"], "the retry counts with its own outcome")
	assert.Equal(t, series{with(): {Value: 1}}, m["creatorkit.rate_limited.count"])
	assert.Equal(t, series{with(): {Count: 2, Sum: 0.5}}, m["creatorkit.rate_limit.wait.duration"])
	assert.Equal(t, series{with(status(201)): {Count: 1, Sum: 2}}, m["creatorkit.call.duration"])
	assert.Equal(t, series{set(vendor, rerun, credits): {Value: 1}}, m["creatorkit.spend.spent"])
	assert.NotContains(t, m, "creatorkit.spend.spent_unknown")
}

// A call that failed: the span's status is Error, described by the kind.
func TestFailedCall(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	info := creatorkit.CallInfo{Vendor: "engagecheck", Operation: "Audits.Get", Method: "GET", Route: "audits/{id}", Start: t0}
	call(context.Background(), h.obs, info, []creatorkit.AttemptEvent{
		{StatusCode: 404, Duration: 40 * time.Millisecond, ErrorKind: "not_found"},
	}, creatorkit.CallEvent{Duration: 50 * time.Millisecond, StatusCode: 404, ErrorKind: "not_found"})

	s := h.ended(t)["GET audits/{id}"]
	require.NotNil(t, s)
	assert.Equal(t, codes.Error, s.Status().Code)
	assert.Equal(t, "not_found", s.Status().Description)
	a := attrs(s.Attributes())
	assert.Equal(t, "not_found", a["error.type"])
	assert.Equal(t, int64(404), a["http.response.status_code"])
	assert.Equal(t, int64(1), a["creatorkit.attempts"])
	assert.NotContains(t, a, "http.request.resend_count", "not retried")
	assert.NotContains(t, a, "creatorkit.spend.unit", "a free call")
	require.Len(t, s.Events(), 1)
	assert.Equal(t, "not_found", attrs(s.Events()[0].Attributes)["error.type"])

	m := h.metrics(t)
	failed := set(vendor, getOp, get, getT, status(404), errType("not_found"))
	assert.Equal(t, series{failed: {Count: 1, Sum: 0.05}}, m["creatorkit.call.duration"])
	assert.Equal(t, series{failed: {Value: 1}}, m["creatorkit.request.count"])
	assert.NotContains(t, m, "creatorkit.retry.count")
	assert.NotContains(t, m, "creatorkit.rate_limited.count")
	assert.NotContains(t, m, "creatorkit.spend.spent")
}

// A call refused before it sent anything (its budget was spent): no
// attempt, no status, an error kind.
func TestCallFailedBeforeSending(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	call(context.Background(), h.obs, rerunInfo, nil,
		creatorkit.CallEvent{Duration: time.Millisecond, ErrorKind: "budget_exceeded", Unit: "credits"})

	s := h.ended(t)["POST audits/{id}/rerun"]
	require.NotNil(t, s)
	assert.Empty(t, s.Events())
	assert.Equal(t, codes.Error, s.Status().Code)
	a := attrs(s.Attributes())
	assert.Equal(t, int64(0), a["creatorkit.attempts"])
	assert.Equal(t, "budget_exceeded", a["error.type"])
	assert.NotContains(t, a, "http.response.status_code")

	m := h.metrics(t)
	assert.Equal(t, series{set(vendor, rerun, post, rerunT, errType("budget_exceeded")): {Count: 1, Sum: 0.001}}, m["creatorkit.call.duration"])
	assert.NotContains(t, m, "creatorkit.request.count")
	assert.NotContains(t, m, "creatorkit.spend.spent")
	assert.NotContains(t, m, "creatorkit.spend.spent_unknown")
}

// A paid call whose answer was lost: its spend is unknown.
func TestLostAnswerSpendUnknown(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	call(context.Background(), h.obs, rerunInfo, []creatorkit.AttemptEvent{
		{Duration: 3 * time.Second, ErrorKind: "outcome_unknown"},
	}, creatorkit.CallEvent{Duration: 3 * time.Second, ErrorKind: "outcome_unknown", Unit: "credits", SpentUnknown: 2})

	s := h.ended(t)["POST audits/{id}/rerun"]
	require.NotNil(t, s)
	a := attrs(s.Attributes())
	assert.Equal(t, int64(0), a["creatorkit.spend.spent"])
	assert.Equal(t, int64(2), a["creatorkit.spend.spent_unknown"])
	assert.NotContains(t, a, "http.response.status_code", "no answer came")
	assert.NotContains(t, attrs(s.Events()[0].Attributes), "http.response.status_code")

	m := h.metrics(t)
	assert.NotContains(t, m, "creatorkit.spend.spent")
	assert.Equal(t, series{set(vendor, rerun, credits): {Value: 2}}, m["creatorkit.spend.spent_unknown"])
	assert.Equal(t, series{set(vendor, rerun, post, rerunT, errType("outcome_unknown")): {Value: 1}}, m["creatorkit.request.count"])
}

// Spend adds up by vendor, operation and unit.
func TestSpendAddsUp(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	for _, spent := range []int64{1, 0, 3} {
		call(context.Background(), h.obs, rerunInfo, []creatorkit.AttemptEvent{{StatusCode: 201}},
			creatorkit.CallEvent{StatusCode: 201, Unit: "credits", Spent: spent})
	}
	other := creatorkit.CallInfo{Vendor: "hypeauditor", Operation: "Reports.Instagram", Method: "GET", Start: t0}
	call(context.Background(), h.obs, other, []creatorkit.AttemptEvent{{StatusCode: 200}},
		creatorkit.CallEvent{StatusCode: 200, Unit: "report credits", Spent: 1})

	assert.Equal(t, series{
		set(vendor, rerun, credits): {Value: 4},
		set(attribute.String("creatorkit.vendor", "hypeauditor"), attribute.String("creatorkit.operation", "Reports.Instagram"),
			attribute.String("creatorkit.spend.unit", "report credits")): {Value: 1},
	}, h.metrics(t)["creatorkit.spend.spent"])
}

// A wait is an internal span; the calls it makes are its children, and
// their attempts' events land on their own spans.
func TestWaitWithChildCalls(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	waitInfo := creatorkit.CallInfo{Vendor: "engagecheck", Operation: "Audits.GetAndWait", Start: t0}
	ctx := h.obs.StartCall(context.Background(), waitInfo)
	for i := range 3 {
		info := creatorkit.CallInfo{Vendor: "engagecheck", Operation: "Audits.Get", Method: "GET", Route: "audits/{id}",
			Start: t0.Add(time.Duration(i) * time.Second)}
		call(ctx, h.obs, info, []creatorkit.AttemptEvent{{StatusCode: 200, Duration: 30 * time.Millisecond}},
			creatorkit.CallEvent{Duration: 40 * time.Millisecond, StatusCode: 200})
	}
	h.obs.EndCall(ctx, creatorkit.CallEvent{CallInfo: waitInfo, Duration: 2500 * time.Millisecond, Polls: 3})

	ended := h.spans.Ended()
	require.Len(t, ended, 4)
	wait := ended[3]
	assert.Equal(t, "Audits.GetAndWait", wait.Name())
	assert.Equal(t, trace.SpanKindInternal, wait.SpanKind())
	assert.Equal(t, t0, wait.StartTime())
	assert.Equal(t, t0.Add(2500*time.Millisecond), wait.EndTime())
	assert.Equal(t, codes.Unset, wait.Status().Code)
	assert.Equal(t, map[string]any{
		"creatorkit.vendor":    "engagecheck",
		"creatorkit.operation": "Audits.GetAndWait",
		"creatorkit.polls":     int64(3),
		"creatorkit.items":     int64(0),
	}, attrs(wait.Attributes()))
	assert.Empty(t, wait.Events(), "the attempts belong to the calls")
	for i, c := range ended[:3] {
		assert.Equal(t, "GET audits/{id}", c.Name())
		assert.Equal(t, trace.SpanKindClient, c.SpanKind())
		assert.Equal(t, wait.SpanContext().TraceID(), c.SpanContext().TraceID())
		assert.Equal(t, wait.SpanContext().SpanID(), c.Parent().SpanID(), "call %d is the wait's child", i)
		assert.Equal(t, t0.Add(time.Duration(i)*time.Second), c.StartTime())
		assert.Len(t, c.Events(), 1)
	}

	m := h.metrics(t)
	waitOp := attribute.String("creatorkit.operation", "Audits.GetAndWait")
	assert.Equal(t, series{
		set(vendor, waitOp):                        {Count: 1, Sum: 2.5},
		set(vendor, getOp, get, getT, status(200)): {Count: 3, Sum: 0.12},
	}, roundSums(m["creatorkit.call.duration"]))
	assert.Equal(t, series{set(vendor, getOp, get, getT, status(200)): {Value: 3}}, m["creatorkit.request.count"])
}

// roundSums rounds histogram sums to the microsecond (float additions).
func roundSums(s series) series {
	out := series{}
	for k, p := range s {
		p.Sum = float64(time.Duration(p.Sum*1e9).Round(time.Microsecond)) / 1e9
		out[k] = p
	}
	return out
}

// A roster that ran out of time: its items, polls and error kind.
func TestRosterSpan(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	info := creatorkit.CallInfo{Vendor: "engagecheck", Operation: "Audits.CreateAndWaitAll", Start: t0}
	ctx := h.obs.StartCall(context.Background(), info)
	h.obs.EndCall(ctx, creatorkit.CallEvent{CallInfo: info, Duration: time.Minute, Polls: 12, Items: 40, ErrorKind: "deadline_exceeded"})

	s := h.ended(t)["Audits.CreateAndWaitAll"]
	require.NotNil(t, s)
	assert.Equal(t, codes.Error, s.Status().Code)
	assert.Equal(t, map[string]any{
		"creatorkit.vendor":    "engagecheck",
		"creatorkit.operation": "Audits.CreateAndWaitAll",
		"creatorkit.polls":     int64(12),
		"creatorkit.items":     int64(40),
		"error.type":           "deadline_exceeded",
	}, attrs(s.Attributes()))
	op := attribute.String("creatorkit.operation", "Audits.CreateAndWaitAll")
	assert.Equal(t, series{set(vendor, op, errType("deadline_exceeded")): {Count: 1, Sum: 60}}, h.metrics(t)["creatorkit.call.duration"])
}

// A call's span is the child of the caller's span, and the observer never
// ends the caller's span, not even when EndCall gets the caller's context.
func TestCallerSpanIsParentAndLeftOpen(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	ctx, parent := h.tp.Tracer("app").Start(context.Background(), "sync job")
	call(ctx, h.obs, rerunInfo, []creatorkit.AttemptEvent{{StatusCode: 201}}, creatorkit.CallEvent{StatusCode: 201})
	h.obs.EndAttempt(ctx, creatorkit.AttemptEvent{CallInfo: rerunInfo, Attempt: 1, StatusCode: 201})
	h.obs.EndCall(ctx, creatorkit.CallEvent{CallInfo: rerunInfo, StatusCode: 201})

	ended := h.ended(t)
	require.Len(t, ended, 1, "only the call's span ended")
	s := ended["POST audits/{id}/rerun"]
	assert.Equal(t, parent.SpanContext().SpanID(), s.Parent().SpanID())
	assert.Equal(t, parent.SpanContext().TraceID(), s.SpanContext().TraceID())
	assert.True(t, parent.IsRecording(), "the caller's span is still open")
	for _, st := range h.spans.Started() {
		if st.Name() == "sync job" {
			assert.Empty(t, st.Events(), "no event on the caller's span")
		}
	}
	parent.End()
	assert.Equal(t, series{set(vendor, rerun, post, rerunT, status(201)): {Value: 2}}, h.metrics(t)["creatorkit.request.count"],
		"the metrics still count events without a span of ours")
}

// Without a route the span is named by the method alone (the semantic
// conventions' choice), and url.template is absent; a formatter can
// name it otherwise.
func TestSpanNames(t *testing.T) {
	t.Parallel()
	info := creatorkit.CallInfo{Vendor: "infludata", Operation: "Search.Influencers", Method: "POST", Start: t0}
	run := func(h *harness) sdktrace.ReadOnlySpan {
		call(context.Background(), h.obs, info, []creatorkit.AttemptEvent{{StatusCode: 200}}, creatorkit.CallEvent{StatusCode: 200})
		ended := h.spans.Ended()
		require.Len(t, ended, 1)
		return ended[0]
	}

	s := run(newHarness(t))
	assert.Equal(t, "POST", s.Name())
	assert.NotContains(t, attrs(s.Attributes()), "url.template")
	assert.Equal(t, "POST", attrs(s.Attributes())["http.request.method"])

	named := run(newHarness(t, WithSpanNameFormatter(func(c creatorkit.CallInfo) string { return c.Vendor + " " + c.Operation })))
	assert.Equal(t, "infludata Search.Influencers", named.Name())

	assert.Equal(t, "POST", run(newHarness(t, WithSpanNameFormatter(nil))).Name(), "nil keeps the default")
}

// Propagation is off by default; WithPropagators injects with the given
// propagator, WithPropagation with the global one (baggage included).
// Not parallel: it sets the global propagator.
func TestInjectHeaders(t *testing.T) {
	prev := otel.GetTextMapPropagator()
	t.Cleanup(func() { otel.SetTextMapPropagator(prev) })
	otel.SetTextMapPropagator(propagation.NewCompositeTextMapPropagator(propagation.TraceContext{}, propagation.Baggage{}))
	member, err := baggage.NewMember("tenant", "acme")
	require.NoError(t, err)
	bag, err := baggage.New(member)
	require.NoError(t, err)

	inject := func(opts ...Option) (http.Header, trace.SpanContext) {
		h := newHarness(t, opts...)
		ctx := baggage.ContextWithBaggage(context.Background(), bag)
		ctx = h.obs.StartCall(ctx, rerunInfo)
		hdr := http.Header{"Accept": {"application/json"}}
		h.obs.InjectHeaders(ctx, hdr)
		h.obs.EndCall(ctx, creatorkit.CallEvent{CallInfo: rerunInfo})
		return hdr, trace.SpanContextFromContext(ctx)
	}
	want := func(sc trace.SpanContext) string {
		return "00-" + sc.TraceID().String() + "-" + sc.SpanID().String() + "-01"
	}

	hdr, _ := inject()
	assert.Equal(t, http.Header{"Accept": {"application/json"}}, hdr, "no header by default")

	hdr, sc := inject(WithPropagators(propagation.TraceContext{}))
	assert.Equal(t, want(sc), hdr.Get("Traceparent"), "the call's span is the parent")
	assert.Empty(t, hdr.Get("Baggage"), "TraceContext alone sends no baggage")
	assert.Equal(t, "application/json", hdr.Get("Accept"), "headers are only added")

	hdr, sc = inject(WithPropagation())
	assert.Equal(t, want(sc), hdr.Get("Traceparent"))
	assert.Equal(t, "tenant=acme", hdr.Get("Baggage"), "the global propagator sends baggage too")

	hdr, _ = inject(WithPropagation(), WithPropagators(nil))
	assert.Empty(t, hdr.Get("Traceparent"), "the last option wins")
}

// With no provider given, the global ones are used. Not parallel: it
// sets the global providers.
func TestGlobalProviders(t *testing.T) {
	sr := tracetest.NewSpanRecorder()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(sr))
	reader := sdkmetric.NewManualReader()
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(reader))
	otel.SetTracerProvider(tp)
	otel.SetMeterProvider(mp)
	t.Cleanup(func() {
		otel.SetTracerProvider(tracenoop.NewTracerProvider())
		otel.SetMeterProvider(metricnoop.NewMeterProvider())
		require.NoError(t, tp.Shutdown(context.Background()))
		require.NoError(t, mp.Shutdown(context.Background()))
	})

	for _, obs := range []*Observer{NewObserver(), NewObserver(WithTracerProvider(nil), WithMeterProvider(nil), nil)} {
		call(context.Background(), obs, rerunInfo, []creatorkit.AttemptEvent{{StatusCode: 201}}, creatorkit.CallEvent{StatusCode: 201})
	}
	assert.Len(t, sr.Ended(), 2)
	h := &harness{reader: reader}
	assert.Equal(t, series{set(vendor, rerun, post, rerunT, status(201)): {Value: 2}}, h.metrics(t)["creatorkit.request.count"])
}

// Noop providers: nothing to record, nothing fails.
func TestNoopProviders(t *testing.T) {
	t.Parallel()
	obs := NewObserver(WithTracerProvider(tracenoop.NewTracerProvider()), WithMeterProvider(metricnoop.NewMeterProvider()),
		WithPropagators(propagation.TraceContext{}))
	ctx := obs.StartCall(context.Background(), rerunInfo)
	hdr := http.Header{}
	obs.InjectHeaders(ctx, hdr)
	assert.Empty(t, hdr, "no valid span context to send")
	obs.EndAttempt(ctx, creatorkit.AttemptEvent{CallInfo: rerunInfo, Attempt: 1, StatusCode: 201})
	obs.EndCall(ctx, creatorkit.CallEvent{CallInfo: rerunInfo, StatusCode: 201})
}

// One Observer serves many clients' calls at once (run with -race).
func TestConcurrentCalls(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	const workers, calls = 8, 50
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for range calls {
				call(context.Background(), h.obs, rerunInfo, []creatorkit.AttemptEvent{
					{StatusCode: 429, ErrorKind: "rate_limited", Retried: true}, {StatusCode: 201},
				}, creatorkit.CallEvent{StatusCode: 201, Unit: "credits", Spent: 1})
			}
		})
	}
	wg.Wait()
	assert.Len(t, h.spans.Ended(), workers*calls)
	m := h.metrics(t)
	assert.Equal(t, series{set(vendor, rerun, post, rerunT): {Value: workers * calls}}, m["creatorkit.rate_limited.count"])
	assert.Equal(t, series{set(vendor, rerun, post, rerunT, status(201)): {Value: workers * calls}}, m["creatorkit.retry.count"])
	assert.Equal(t, series{set(vendor, rerun, credits): {Value: workers * calls}}, m["creatorkit.spend.spent"])
}
