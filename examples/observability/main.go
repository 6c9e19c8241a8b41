// Command observability runs a small EngageCheck roster job with a
// budget, traced and measured with OpenTelemetry: contrib/otel's Observer
// on the OpenTelemetry SDK, whose spans and metrics go out through the
// stdout exporters, then the client's own Usage.
//
//	cd examples/observability
//	go run .                                       # the built-in fake, a 12-handle roster, a budget of 8 credits
//	ENGAGECHECK_API_KEY=ec_live_... go run . -budget 2 natgeo nasa esa   # the real API: at most 2 credits
//
// Without ENGAGECHECK_API_KEY it runs on the built-in fake
// (engagechecktest, on a compressed clock), which answers the first
// request with 429, so the job shows a retried call.
//
// A roster makes a span per request it sends (hundreds for a large one),
// so the program prints two spans in full through stdouttrace (the first
// retried call, or the first call, and the roster's own span) and counts
// the rest by name; the metrics go through stdoutmetric with an encoder
// that prints one line per data point instead of JSON. A service would
// give the providers its real exporters (OTLP) and a batch span
// processor; the Observer is the same.
//
// This example is its own Go module so that the SDK's core module never
// depends on OpenTelemetry.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"time"

	creatorkitotel "github.com/creatorkit/creatorkit-go/contrib/otel"
	"github.com/creatorkit/creatorkit-go/engagecheck"
	"github.com/creatorkit/creatorkit-go/engagecheck/engagechecktest"
	"go.opentelemetry.io/otel/exporters/stdout/stdoutmetric"
	"go.opentelemetry.io/otel/exporters/stdout/stdouttrace"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
)

// demoRoster is the fake's roster: more handles than the budget covers.
var demoRoster = []string{"natgeo", "nasa", "esa", "spacex", "bbcearth", "travel_daily",
	"food.lab", "someprivateaccount", "cern", "noaa", "natgeowild", "hubble_space"}

func main() {
	credits := flag.Int64("budget", 8, "spend at most this many credits")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	if err := run(ctx, os.Stdout, *credits, flag.Args()); err != nil {
		fmt.Fprintln(os.Stderr, "observability:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, out io.Writer, credits int64, handles []string) error {
	// The OpenTelemetry SDK, as a service sets it up, with the stdout
	// exporters: spans through stdouttrace (two in full, see spanPrinter),
	// metrics through stdoutmetric when the meter provider shuts down.
	res := resource.NewSchemaless(semconv.ServiceName("roster-job"))
	traceOut, err := stdouttrace.New(stdouttrace.WithWriter(out), stdouttrace.WithPrettyPrint())
	if err != nil {
		return err
	}
	spans := &spanPrinter{next: traceOut, out: out, counts: map[string]*spanCount{}}
	tp := sdktrace.NewTracerProvider(sdktrace.WithResource(res), sdktrace.WithSyncer(spans))
	metricOut, err := stdoutmetric.New(stdoutmetric.WithEncoder(metricLines{out}))
	if err != nil {
		return err
	}
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithResource(res),
		sdkmetric.WithReader(sdkmetric.NewPeriodicReader(metricOut, sdkmetric.WithInterval(time.Hour))))

	// One Observer for every client of every vendor. Trace context is not
	// sent to the vendor unless asked for:
	// creatorkitotel.WithPropagators(propagation.TraceContext{}).
	obs := creatorkitotel.NewObserver(creatorkitotel.WithTracerProvider(tp), creatorkitotel.WithMeterProvider(mp))
	budget := engagecheck.NewBudget(credits)
	opts := []engagecheck.Option{engagecheck.WithObserver(obs), engagecheck.WithBudget(budget), engagecheck.WithUserAgent("observability-example")}
	var c *engagecheck.Client
	var wait []engagecheck.WaitOption
	if os.Getenv("ENGAGECHECK_API_KEY") == "" {
		fmt.Fprintln(out, "ENGAGECHECK_API_KEY is not set: running against the built-in fake EngageCheck (no network, no credits).")
		srv := engagechecktest.NewServer()
		defer srv.Close()
		// The fake answers the first request (the roster's balance check)
		// with 429 and Retry-After.
		srv.SetFaults(engagechecktest.Faults{Storm429: 1})
		c, err = srv.NewClient(opts...)
		wait = srv.PollOptions()
		if len(handles) == 0 {
			handles = demoRoster
		}
	} else {
		c, err = engagecheck.NewClient(opts...)
	}
	if err != nil {
		return err
	}
	if len(handles) == 0 {
		return errors.New("no handles: pass them as arguments")
	}

	// The job's own span: the roster's span is its child, and the calls
	// the roster makes are the roster's children.
	jobCtx, job := tp.Tracer("roster-job").Start(ctx, "roster job")
	audited, refused, failed := 0, 0, 0
	for _, err := range c.Audits.CreateAndWaitAll(jobCtx, handles, wait...) {
		switch {
		case errors.Is(err, engagecheck.ErrBudgetExceeded):
			refused++
		case err != nil:
			failed++
		default:
			audited++
		}
	}
	job.End()
	fmt.Fprintf(out, "\nroster: %d handles: %d audited, %d failed, %d refused by the budget of %d credits (never sent)\n",
		len(handles), audited, failed, refused, credits)

	fmt.Fprintln(out, "\n== spans (stdouttrace; two printed in full above) ==")
	if err := tp.Shutdown(ctx); err != nil {
		return err
	}
	spans.summary()
	fmt.Fprintln(out, "\n== metrics (stdoutmetric, one line per data point) ==")
	if err := mp.Shutdown(ctx); err != nil { // the reader's last collection goes out now
		return err
	}

	u := c.Usage()
	fmt.Fprintln(out, "\n== Usage ==")
	fmt.Fprintf(out, "%d calls, %d requests (retries: %d; answered 429: %d), %v waiting for the rate limit\n",
		u.Calls, u.Requests, u.Retries, u.RateLimited, u.RateLimitWait.Round(time.Microsecond))
	fmt.Fprintf(out, "spent %d %s (+%d unknown); budget left: %d of %d\n", u.Spent, u.Unit, u.SpentUnknown, budget.Remaining(), credits)
	fmt.Fprintln(out, "Usage is the ledger to bill by: the spend metric counts each call's spend when it ends, and a failed audit's refund comes later.")
	return nil
}
