package creatorkitotel

import (
	"context"
	"sort"
	"testing"
	"time"

	"github.com/creatorkit/creatorkit-go"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/attribute"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// harness is an Observer on an SDK tracer provider that records every
// span and an SDK meter provider read by hand.
type harness struct {
	obs    *Observer
	spans  *tracetest.SpanRecorder
	tp     *sdktrace.TracerProvider
	reader *sdkmetric.ManualReader
}

func newHarness(t *testing.T, opts ...Option) *harness {
	t.Helper()
	h := &harness{spans: tracetest.NewSpanRecorder(), reader: sdkmetric.NewManualReader()}
	h.tp = sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(h.spans))
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(h.reader))
	t.Cleanup(func() {
		require.NoError(t, h.tp.Shutdown(context.Background()))
		require.NoError(t, mp.Shutdown(context.Background()))
	})
	h.obs = NewObserver(append([]Option{WithTracerProvider(h.tp), WithMeterProvider(mp)}, opts...)...)
	return h
}

// ended returns the ended spans by name; it fails on two of one name.
func (h *harness) ended(t *testing.T) map[string]sdktrace.ReadOnlySpan {
	t.Helper()
	out := map[string]sdktrace.ReadOnlySpan{}
	for _, s := range h.spans.Ended() {
		require.NotContains(t, out, s.Name(), "two spans named %q", s.Name())
		out[s.Name()] = s
	}
	return out
}

// point is one data point: a counter's value, or a histogram's count and
// sum.
type point struct {
	Value int64
	Count uint64
	Sum   float64
}

// series maps a metric's attribute sets ("k=v,k=v", sorted) to its points.
type series map[string]point

// metrics collects every metric by name.
func (h *harness) metrics(t *testing.T) map[string]series {
	t.Helper()
	var rm metricdata.ResourceMetrics
	require.NoError(t, h.reader.Collect(context.Background(), &rm))
	out := map[string]series{}
	for _, sm := range rm.ScopeMetrics {
		require.Equal(t, ScopeName, sm.Scope.Name)
		for _, m := range sm.Metrics {
			s := series{}
			switch d := m.Data.(type) {
			case metricdata.Sum[int64]:
				require.True(t, d.IsMonotonic, m.Name)
				for _, p := range d.DataPoints {
					s[enc(p.Attributes)] = point{Value: p.Value}
				}
			case metricdata.Histogram[float64]:
				for _, p := range d.DataPoints {
					s[enc(p.Attributes)] = point{Count: p.Count, Sum: p.Sum}
				}
			default:
				t.Fatalf("metric %s: unexpected data %T", m.Name, m.Data)
			}
			if len(s) > 0 {
				out[m.Name] = s
			}
		}
	}
	return out
}

func enc(s attribute.Set) string { return s.Encoded(attribute.DefaultEncoder()) }

// attrs turns attributes into a map for comparison.
func attrs(kv []attribute.KeyValue) map[string]any {
	out := make(map[string]any, len(kv))
	for _, a := range kv {
		out[string(a.Key)] = a.Value.AsInterface()
	}
	return out
}

// keys are the sorted keys of attributes.
func keys(kv []attribute.KeyValue) []string {
	out := make([]string, 0, len(kv))
	for _, a := range kv {
		out = append(out, string(a.Key))
	}
	sort.Strings(out)
	return out
}

// t0 starts the calls of the tests.
var t0 = time.Date(2026, 3, 14, 9, 26, 53, 0, time.UTC)

// call runs one plain call through o: each attempt as given, then end.
func call(ctx context.Context, o creatorkit.Observer, info creatorkit.CallInfo, attempts []creatorkit.AttemptEvent, end creatorkit.CallEvent) {
	ctx = o.StartCall(ctx, info)
	for i, a := range attempts {
		a.CallInfo = info
		a.Attempt = i + 1
		o.EndAttempt(ctx, a)
	}
	end.CallInfo = info
	end.Attempts = len(attempts)
	o.EndCall(ctx, end)
}
