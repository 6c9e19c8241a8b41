package main

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"
	"text/tabwriter"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"
)

// spanPrinter is a span exporter that passes two spans to next (the
// stdouttrace exporter) and counts every span by name: the first call
// that was retried (or, if none was, the first call) and the roster's own
// span.
type spanPrinter struct {
	next sdktrace.SpanExporter
	out  io.Writer

	mu        sync.Mutex
	counts    map[string]*spanCount
	first     sdktrace.ReadOnlySpan // the first call, printed at the end if no call was retried
	callShown bool
}

// spanCount is what the summary says about the spans of one name.
type spanCount struct {
	spans, attempts, failed int
}

func (p *spanPrinter) ExportSpans(ctx context.Context, spans []sdktrace.ReadOnlySpan) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	var show []sdktrace.ReadOnlySpan
	for _, s := range spans {
		n := p.counts[s.Name()]
		if n == nil {
			n = &spanCount{}
			p.counts[s.Name()] = n
		}
		n.spans++
		n.attempts += len(s.Events())
		if s.Status().Code != 0 {
			n.failed++
		}
		switch {
		case s.SpanKind() == trace.SpanKindClient && !p.callShown && len(s.Events()) > 1:
			p.callShown = true
			show = append(show, s)
		case s.SpanKind() == trace.SpanKindClient && p.first == nil:
			p.first = s
		case s.Name() == "Audits.CreateAndWaitAll":
			show = append(show, s)
		}
	}
	if len(show) == 0 {
		return nil
	}
	return p.next.ExportSpans(ctx, show)
}

// Shutdown prints the first call if no retried call was shown.
func (p *spanPrinter) Shutdown(ctx context.Context) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.callShown && p.first != nil {
		p.callShown = true
		if err := p.next.ExportSpans(ctx, []sdktrace.ReadOnlySpan{p.first}); err != nil {
			return err
		}
	}
	return p.next.Shutdown(ctx)
}

// summary prints how many spans of each name ended, their attempt events
// (one per request) and how many failed.
func (p *spanPrinter) summary() {
	p.mu.Lock()
	defer p.mu.Unlock()
	names := make([]string, 0, len(p.counts))
	total, attempts := 0, 0
	for name, n := range p.counts {
		names = append(names, name)
		total += n.spans
		attempts += n.attempts
	}
	slices.Sort(names)
	tw := tabwriter.NewWriter(p.out, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "spans\tattempt events\tfailed\tname\t")
	for _, name := range names {
		n := p.counts[name]
		fmt.Fprintf(tw, "%d\t%d\t%d\t%s\t\n", n.spans, n.attempts, n.failed, name)
	}
	fmt.Fprintf(tw, "%d\t%d\t\tin all\t\n", total, attempts)
	_ = tw.Flush()
}

// metricLines is an encoder for the stdoutmetric exporter that writes
// each data point on one line (its value, then its attributes but the
// vendor) instead of the exporter's JSON.
type metricLines struct{ out io.Writer }

func (m metricLines) Encode(v any) error {
	rm, ok := v.(*metricdata.ResourceMetrics)
	if !ok {
		return fmt.Errorf("metricLines: unexpected %T", v)
	}
	tw := tabwriter.NewWriter(m.out, 0, 0, 2, ' ', 0)
	for _, sm := range rm.ScopeMetrics {
		for _, metric := range sm.Metrics {
			fmt.Fprintf(tw, "%s (%s)\n", metric.Name, metric.Unit)
			var rows []string // sorted by attributes: the SDK's order is random
			switch d := metric.Data.(type) {
			case metricdata.Sum[int64]:
				for _, p := range d.DataPoints {
					rows = append(rows, fmt.Sprintf("%s\x00  %d\t%s\n", describe(p.Attributes), p.Value, describe(p.Attributes)))
				}
			case metricdata.Histogram[float64]:
				for _, p := range d.DataPoints {
					sum := fmt.Sprint(p.Sum)
					if metric.Unit == "s" {
						sum = time.Duration(p.Sum * float64(time.Second)).Round(time.Microsecond).String()
					}
					rows = append(rows, fmt.Sprintf("%s\x00  %d, sum %s\t%s\n", describe(p.Attributes), p.Count, sum, describe(p.Attributes)))
				}
			default:
				rows = append(rows, fmt.Sprintf("\x00  (%T)\n", metric.Data))
			}
			slices.Sort(rows)
			for _, r := range rows {
				_, line, _ := strings.Cut(r, "\x00")
				fmt.Fprint(tw, line)
			}
		}
	}
	return tw.Flush()
}

// describe lists a data point's attributes as key=value, without the
// vendor (the same on every point here).
func describe(s attribute.Set) string {
	var parts []string
	for _, kv := range s.ToSlice() {
		if kv.Key == "creatorkit.vendor" {
			continue
		}
		parts = append(parts, string(kv.Key)+"="+kv.Value.String())
	}
	return strings.Join(parts, " ")
}
