package engagechecktest

import (
	"fmt"
	"testing"
	"time"

	"github.com/creatorkit/creatorkit-go/internal/fake/faketest"
)

// The benchmarks serve requests in-process (no socket) against 1x, 10x
// and 100x a base number of audits, and report the time per page or
// request: the figures must stay flat as the dataset grows.

const benchBase = 500

// eachSize runs bench on a fake holding n finished audits (a fresh fake
// per size).
func eachSize(b *testing.B, bench func(b *testing.B, s *Server, n int)) {
	for _, n := range faketest.Sizes(benchBase) {
		s := NewServer(WithRateLimit(0, 0), WithTimeScale(1), WithCredits(1<<40),
			WithDurations(Durations{Pending: time.Hour}))
		names := make([]string, n)
		for i := range names {
			names[i] = fmt.Sprintf("handle_%06d", i)
		}
		s.AddAudits(names...)
		b.Run(faketest.Name(n), func(b *testing.B) { bench(b, s, n) })
		s.Close()
	}
}

func serve(b *testing.B, s *Server, method, path string, body []byte) {
	rec := faketest.Serve(s.Handler(), method, "/api/v1"+path, body, "Authorization", "Bearer "+s.APIKey)
	if rec.Code >= 300 {
		b.Fatalf("%s %s: %d %s", method, path, rec.Code, rec.Body.String())
	}
}

// GET /audits, 100 a page, at offsets across the whole list; ns/page.
func BenchmarkListPage(b *testing.B) {
	eachSize(b, func(b *testing.B, s *Server, n int) {
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			serve(b, s, "GET", fmt.Sprintf("/audits?limit=100&offset=%d", (i*100)%n), nil)
		}
		faketest.ReportPer(b, "page", 1)
	})
}

// GET /audits/{id}; ns/request.
func BenchmarkGet(b *testing.B) {
	eachSize(b, func(b *testing.B, s *Server, n int) {
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			serve(b, s, "GET", fmt.Sprintf("/audits/%d", 142+(i*7919)%n), nil)
		}
		faketest.ReportPer(b, "request", 1)
	})
}

// POST /audits of a handle audited before (a fresh report: answered
// inline) and of a new one (a pending audit); each adds an audit, so the
// dataset grows by b.N; ns/request.
func BenchmarkCreate(b *testing.B) {
	eachSize(b, func(b *testing.B, s *Server, n int) {
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			name := fmt.Sprintf("handle_%06d", (i*7919)%n)
			if i%2 == 1 {
				name = fmt.Sprintf("new_%d_%d", n, i)
			}
			serve(b, s, "POST", "/audits", fmt.Appendf(nil, `{"username":%q}`, name))
		}
		faketest.ReportPer(b, "request", 1)
	})
}

// GET /credits (it settles what has ended first); ns/request.
func BenchmarkCredits(b *testing.B) {
	eachSize(b, func(b *testing.B, s *Server, n int) {
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			serve(b, s, "GET", "/credits", nil)
		}
		faketest.ReportPer(b, "request", 1)
	})
}
