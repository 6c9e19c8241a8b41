package creatorkitotel

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"testing"
	"time"

	"github.com/creatorkit/creatorkit-go/engagecheck"
	"go.opentelemetry.io/otel/propagation"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"golang.org/x/time/rate"
)

// BenchmarkGetObserved compares EngageCheck's Audits.Get of the full
// report (engagecheck's BenchmarkGetOverhead call) without an observer
// and with this package's Observer on the OpenTelemetry SDK as a service
// would run it: a tracer provider that samples every span and hands it
// to a batch span processor (whose exporter discards), a meter provider
// aggregating every measurement (a ManualReader, never read), and
// traceparent sent. Each iteration makes one call each way, alternating,
// so machine noise hits both alike; it reports both times per call, their
// ratio, and the allocations of each call (measured apart, before the
// timed loop). Run:
//
//	go test -run '^$' -bench GetObserved -benchmem
func BenchmarkGetObserved(b *testing.B) {
	body, err := os.ReadFile("../../engagecheck/testdata/audit_complete.json")
	if err != nil {
		b.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(body)
	}))
	defer srv.Close()
	hc := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 4}}
	defer hc.CloseIdleConnections()

	tp := sdktrace.NewTracerProvider(sdktrace.WithBatcher(tracetest.NewNoopExporter()))
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(sdkmetric.NewManualReader()))
	defer func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := tp.Shutdown(ctx); err != nil {
			b.Error(err)
		}
		if err := mp.Shutdown(ctx); err != nil {
			b.Error(err)
		}
	}()
	obs := NewObserver(WithTracerProvider(tp), WithMeterProvider(mp), WithPropagators(propagation.TraceContext{}))

	ctx := context.Background()
	client := func(opts ...engagecheck.Option) func() {
		c, err := engagecheck.NewClient(append([]engagecheck.Option{engagecheck.WithAPIKey("ec_live_8Fq2ZxBENCHKEY"),
			engagecheck.WithBaseURL(srv.URL + "/api/v1"), engagecheck.WithHTTPClient(hc), engagecheck.WithRateLimit(rate.Inf, 0)}, opts...)...)
		if err != nil {
			b.Fatal(err)
		}
		return func() {
			a, err := c.Audits.Get(ctx, 142)
			if err != nil || a.Report.AQS != 88 {
				b.Fatal(err)
			}
		}
	}
	plain, observed := client(), client(engagecheck.WithObserver(obs))
	plainAllocs := testing.AllocsPerRun(200, plain)
	observedAllocs := testing.AllocsPerRun(200, observed)

	var tPlain, tObserved time.Duration
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		first, second, t1, t2 := plain, observed, &tPlain, &tObserved
		if i%2 == 1 {
			first, second, t1, t2 = observed, plain, &tObserved, &tPlain
		}
		i++
		s := time.Now()
		first()
		m := time.Now()
		second()
		*t1 += m.Sub(s)
		*t2 += time.Since(m)
	}
	b.ReportMetric(float64(tPlain.Nanoseconds())/float64(i), "plain-ns/call")
	b.ReportMetric(float64(tObserved.Nanoseconds())/float64(i), "otel-ns/call")
	b.ReportMetric(float64(tObserved)/float64(tPlain), "otel/plain")
	b.ReportMetric(plainAllocs, "plain-allocs/call")
	b.ReportMetric(observedAllocs, "otel-allocs/call")
}
