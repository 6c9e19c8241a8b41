package creatorkitotel

import (
	"github.com/creatorkit/creatorkit-go"
	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"
)

// Option configures an Observer.
type Option interface {
	apply(*config)
}

type optionFunc func(*config)

func (f optionFunc) apply(c *config) { f(c) }

type config struct {
	tp         trace.TracerProvider
	mp         metric.MeterProvider
	prop       propagation.TextMapPropagator
	globalProp bool
	spanName   func(creatorkit.CallInfo) string
}

// WithTracerProvider sets the provider of the Observer's tracer; the
// global one (otel.GetTracerProvider) when not given or nil.
func WithTracerProvider(tp trace.TracerProvider) Option {
	return optionFunc(func(c *config) {
		if tp != nil {
			c.tp = tp
		}
	})
}

// WithMeterProvider sets the provider of the Observer's meter; the global
// one (otel.GetMeterProvider) when not given or nil.
func WithMeterProvider(mp metric.MeterProvider) Option {
	return optionFunc(func(c *config) {
		if mp != nil {
			c.mp = mp
		}
	})
}

// WithPropagators makes the Observer inject the call's trace context into
// every request with p (propagation.TraceContext{} sends traceparent and
// tracestate). Without it, or WithPropagation, no header is added: the
// requests go to third-party APIs, which need not learn your trace ids
// or your baggage.
func WithPropagators(p propagation.TextMapPropagator) Option {
	return optionFunc(func(c *config) {
		c.prop, c.globalProp = p, false
	})
}

// WithPropagation makes the Observer inject the call's trace context into
// every request with the global propagator (otel.GetTextMapPropagator),
// as it is when each request is sent. A global propagator that includes
// propagation.Baggage sends your baggage to the vendor as well: use
// WithPropagators(propagation.TraceContext{}) to send the trace context
// alone.
func WithPropagation() Option {
	return optionFunc(func(c *config) {
		c.prop, c.globalProp = nil, true
	})
}

// WithSpanNameFormatter names the spans: f gets the call as StartCall
// does (Method is empty for a wait or a roster). By default a call's span
// is named "{method} {route}" ("POST audits/{id}/rerun"), "{method}" when
// the vendor package gave no route, and a wait's or roster's span is
// named after the operation ("Audits.GetAndWait"). A nil f keeps the
// default. Name spans only from the CallInfo fields: they are free of ids
// and secrets.
func WithSpanNameFormatter(f func(creatorkit.CallInfo) string) Option {
	return optionFunc(func(c *config) {
		c.spanName = f
	})
}
