package creatorkitotel

import (
	"context"
	"net/http"

	"github.com/creatorkit/creatorkit-go"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/metric/noop"
	"go.opentelemetry.io/otel/propagation"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
	"go.opentelemetry.io/otel/trace"
)

// ScopeName is the instrumentation scope of the Observer's tracer and
// meter.
const ScopeName = "github.com/creatorkit/creatorkit-go/contrib/otel"

// The attributes of the creatorkit namespace (see the package doc).
const (
	keyVendor        = attribute.Key("creatorkit.vendor")
	keyOperation     = attribute.Key("creatorkit.operation")
	keyAttempts      = attribute.Key("creatorkit.attempts")
	keyAttempt       = attribute.Key("creatorkit.attempt")
	keyWait          = attribute.Key("creatorkit.wait")
	keyRateLimitWait = attribute.Key("creatorkit.rate_limit_wait")
	keyDuration      = attribute.Key("creatorkit.duration")
	keyRetried       = attribute.Key("creatorkit.retried")
	keySpendUnit     = attribute.Key("creatorkit.spend.unit")
	keySpent         = attribute.Key("creatorkit.spend.spent")
	keySpentUnknown  = attribute.Key("creatorkit.spend.spent_unknown")
	keyPolls         = attribute.Key("creatorkit.polls")
	keyItems         = attribute.Key("creatorkit.items")
)

// attemptEventName names the span event of each request a call sent.
const attemptEventName = "attempt"

// Bucket boundaries, in seconds. A call includes its retries, backoff and
// rate-limit waits, and a wait or roster can last many minutes: the
// semantic conventions' HTTP buckets (up to 10 s) go on to 30 minutes.
var (
	callBuckets    = []float64{0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10, 30, 60, 120, 300, 600, 1800}
	requestBuckets = []float64{0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10, 30, 60}
	// A first bucket of (-inf, 0] keeps the requests that did not wait
	// apart from those that waited a little.
	waitBuckets = []float64{0, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60}
)

// Observer turns the SDK's call events into OpenTelemetry spans and
// metrics. It implements creatorkit.Observer and creatorkit.HeaderInjector;
// give it to a client with the vendor package's WithObserver option. One
// Observer can serve any number of clients, of any vendors, at once.
type Observer struct {
	tracer     trace.Tracer
	prop       propagation.TextMapPropagator
	globalProp bool
	spanName   func(creatorkit.CallInfo) string

	callDuration    metric.Float64Histogram
	requestDuration metric.Float64Histogram
	requests        metric.Int64Counter
	retries         metric.Int64Counter
	rateLimited     metric.Int64Counter
	rateLimitWait   metric.Float64Histogram
	spent           metric.Int64Counter
	spentUnknown    metric.Int64Counter
}

var (
	_ creatorkit.Observer       = (*Observer)(nil)
	_ creatorkit.HeaderInjector = (*Observer)(nil)
)

// NewObserver returns an Observer that traces with the global tracer
// provider and measures with the global meter provider, or those the
// options give. It propagates no trace context unless WithPropagators or
// WithPropagation says so.
//
// An instrument the meter provider fails to create is reported to
// otel.Handle: NewObserver never fails.
func NewObserver(opts ...Option) *Observer {
	cfg := config{tp: otel.GetTracerProvider(), mp: otel.GetMeterProvider()}
	for _, opt := range opts {
		if opt != nil {
			opt.apply(&cfg)
		}
	}
	o := &Observer{
		tracer:     cfg.tp.Tracer(ScopeName, trace.WithSchemaURL(semconv.SchemaURL)),
		prop:       cfg.prop,
		globalProp: cfg.globalProp,
		spanName:   cfg.spanName,
	}
	if o.spanName == nil {
		o.spanName = defaultSpanName
	}
	m := cfg.mp.Meter(ScopeName, metric.WithSchemaURL(semconv.SchemaURL))
	o.callDuration = newHistogram(m, "creatorkit.call.duration",
		"Duration of SDK calls, waits and rosters, retries, backoff and rate-limit waits included.", "s", callBuckets)
	o.requestDuration = newHistogram(m, "creatorkit.request.duration",
		"Duration of each HTTP request a call sent, from sending to its answer read or its failure.", "s", requestBuckets)
	o.requests = newCounter(m, "creatorkit.request.count", "HTTP requests sent, retries included.", "{request}")
	o.retries = newCounter(m, "creatorkit.retry.count", "HTTP requests that repeated an earlier request of the same call.", "{request}")
	o.rateLimited = newCounter(m, "creatorkit.rate_limited.count", "HTTP requests the vendor answered 429 Too Many Requests.", "{request}")
	o.rateLimitWait = newHistogram(m, "creatorkit.rate_limit.wait.duration",
		"Time each HTTP request waited for rate-limit admission before it was sent.", "s", waitBuckets)
	o.spent = newCounter(m, "creatorkit.spend.spent",
		"Spend the vendor's answers confirmed, in the vendor's unit (creatorkit.spend.unit).", "{spend}")
	o.spentUnknown = newCounter(m, "creatorkit.spend.spent_unknown",
		"Spend of calls whose outcome is unknown: the vendor may or may not have charged it.", "{spend}")
	return o
}

// newHistogram and newCounter create instruments, reporting failures to
// otel.Handle; they never return nil.
func newHistogram(m metric.Meter, name, desc, unit string, buckets []float64) metric.Float64Histogram {
	h, err := m.Float64Histogram(name, metric.WithDescription(desc), metric.WithUnit(unit), metric.WithExplicitBucketBoundaries(buckets...))
	if err != nil {
		otel.Handle(err)
	}
	if h == nil {
		return noop.Float64Histogram{}
	}
	return h
}

func newCounter(m metric.Meter, name, desc, unit string) metric.Int64Counter {
	c, err := m.Int64Counter(name, metric.WithDescription(desc), metric.WithUnit(unit))
	if err != nil {
		otel.Handle(err)
	}
	if c == nil {
		return noop.Int64Counter{}
	}
	return c
}

func defaultSpanName(c creatorkit.CallInfo) string {
	switch {
	case c.Method == "":
		return c.Operation
	case c.Route == "":
		return c.Method
	}
	return c.Method + " " + c.Route
}

// spanKey holds the span StartCall started, so that EndCall ends that span
// and never one of the caller's.
type spanKey struct{}

// callAttrs are the attributes every span and measurement of a call has.
func callAttrs(c creatorkit.CallInfo, extra int) []attribute.KeyValue {
	kv := make([]attribute.KeyValue, 0, 4+extra)
	kv = append(kv, keyVendor.String(c.Vendor), keyOperation.String(c.Operation))
	if c.Method != "" {
		kv = append(kv, semconv.HTTPRequestMethodKey.String(c.Method))
	}
	if c.Route != "" {
		kv = append(kv, semconv.URLTemplate(c.Route))
	}
	return kv
}

// outcome adds the status code and the error kind, when there are.
func outcome(kv []attribute.KeyValue, status int, errorKind string) []attribute.KeyValue {
	if status != 0 {
		kv = append(kv, semconv.HTTPResponseStatusCode(status))
	}
	if errorKind != "" {
		kv = append(kv, semconv.ErrorTypeKey.String(errorKind))
	}
	return kv
}

// StartCall starts the call's span: a client span for a call, an internal
// one for a wait or a roster, whose calls become its children.
func (o *Observer) StartCall(ctx context.Context, call creatorkit.CallInfo) context.Context {
	kind := trace.SpanKindClient
	if call.Method == "" {
		kind = trace.SpanKindInternal
	}
	opts := []trace.SpanStartOption{trace.WithSpanKind(kind), trace.WithAttributes(callAttrs(call, 0)...)}
	if !call.Start.IsZero() {
		opts = append(opts, trace.WithTimestamp(call.Start))
	}
	ctx, span := o.tracer.Start(ctx, o.spanName(call), opts...)
	return context.WithValue(ctx, spanKey{}, span)
}

// ourSpan is the span StartCall put in ctx, if any.
func ourSpan(ctx context.Context) trace.Span {
	s, _ := ctx.Value(spanKey{}).(trace.Span)
	return s
}

// EndAttempt records the request and adds an "attempt" event to the
// call's span.
func (o *Observer) EndAttempt(ctx context.Context, a creatorkit.AttemptEvent) {
	base := callAttrs(a.CallInfo, 0)
	kv := outcome(callAttrs(a.CallInfo, 2), a.StatusCode, a.ErrorKind)
	set := metric.WithAttributes(kv...)
	o.requests.Add(ctx, 1, set)
	o.requestDuration.Record(ctx, a.Duration.Seconds(), set)
	if a.Attempt > 1 {
		o.retries.Add(ctx, 1, set)
	}
	if a.StatusCode == http.StatusTooManyRequests {
		o.rateLimited.Add(ctx, 1, metric.WithAttributes(base...))
	}
	o.rateLimitWait.Record(ctx, a.RateLimitWait.Seconds(), metric.WithAttributes(base...))

	span := ourSpan(ctx)
	if span == nil || !span.IsRecording() {
		return
	}
	ev := []attribute.KeyValue{
		keyAttempt.Int(a.Attempt),
		keyWait.Float64(a.Wait.Seconds()),
		keyRateLimitWait.Float64(a.RateLimitWait.Seconds()),
		keyDuration.Float64(a.Duration.Seconds()),
		keyRetried.Bool(a.Retried),
	}
	span.AddEvent(attemptEventName, trace.WithAttributes(outcome(ev, a.StatusCode, a.ErrorKind)...))
}

// EndCall records the call and ends its span.
func (o *Observer) EndCall(ctx context.Context, c creatorkit.CallEvent) {
	kv := outcome(callAttrs(c.CallInfo, 2), c.StatusCode, c.ErrorKind)
	o.callDuration.Record(ctx, c.Duration.Seconds(), metric.WithAttributes(kv...))
	if c.Unit != "" && (c.Spent > 0 || c.SpentUnknown > 0) {
		set := metric.WithAttributes(keyVendor.String(c.Vendor), keyOperation.String(c.Operation), keySpendUnit.String(c.Unit))
		if c.Spent > 0 {
			o.spent.Add(ctx, c.Spent, set)
		}
		if c.SpentUnknown > 0 {
			o.spentUnknown.Add(ctx, c.SpentUnknown, set)
		}
	}

	span := ourSpan(ctx)
	if span == nil {
		return
	}
	if span.IsRecording() {
		span.SetAttributes(o.endAttrs(c)...)
		if c.ErrorKind != "" {
			span.SetStatus(codes.Error, c.ErrorKind)
		}
	}
	var end []trace.SpanEndOption
	if !c.Start.IsZero() {
		end = append(end, trace.WithTimestamp(c.Start.Add(c.Duration)))
	}
	span.End(end...)
}

// endAttrs are the attributes a call's span gets when it ends.
func (o *Observer) endAttrs(c creatorkit.CallEvent) []attribute.KeyValue {
	kv := outcome(make([]attribute.KeyValue, 0, 10), c.StatusCode, c.ErrorKind)
	if c.Method == "" { // a wait or a roster
		return append(kv, keyPolls.Int(c.Polls), keyItems.Int(c.Items))
	}
	kv = append(kv, keyAttempts.Int(c.Attempts), keyRateLimitWait.Float64(c.RateLimitWait.Seconds()))
	if c.Attempts > 1 {
		kv = append(kv, semconv.HTTPRequestResendCount(c.Attempts-1))
	}
	if c.Unit != "" {
		kv = append(kv, keySpendUnit.String(c.Unit), keySpent.Int64(c.Spent), keySpentUnknown.Int64(c.SpentUnknown))
	}
	return kv
}

// InjectHeaders writes the call's trace context into h with the
// configured propagator; without WithPropagators or WithPropagation it
// writes nothing.
func (o *Observer) InjectHeaders(ctx context.Context, h http.Header) {
	p := o.prop
	if o.globalProp {
		p = otel.GetTextMapPropagator()
	}
	if p == nil {
		return
	}
	p.Inject(ctx, propagation.HeaderCarrier(h))
}
