package hypeauditortest_test

import (
	"encoding/json"
	"fmt"
	"net/url"
	"testing"
	"time"

	"github.com/creatorkit/creatorkit-go/hypeauditor"
	"github.com/creatorkit/creatorkit-go/hypeauditor/hypeauditortest"
	"github.com/creatorkit/creatorkit-go/internal/fake/faketest"
)

// The benchmarks serve requests in-process (no socket) against 1x, 10x
// and 100x a base dataset (search results, unlocked reports), and report
// the time per page or request: the figures must stay flat as the
// dataset grows.

const (
	searchBase = 137 // the default search result count
	reportBase = 500
)

// serve answers one request in-process (the body is not decoded: that
// would be the client's work).
func serve(b *testing.B, s *hypeauditortest.Server, method, route string, q url.Values, body []byte) {
	q.Set("v", "2")
	rec := faketest.Serve(s.Handler(), method, "/api/method/"+route+"?"+q.Encode(), body, "X-Auth-Id", s.ClientID, "X-Auth-Token", s.Token)
	if rec.Code >= 300 && rec.Code != 202 {
		b.Fatalf("%s: %d %s", route, rec.Code, rec.Body.String())
	}
}

// auditor.search pages (20 results) across the whole result, unsorted or
// sorted by er; ns/page.
func BenchmarkSearchPage(b *testing.B) {
	for _, v := range []struct {
		name string
		body map[string]any
	}{
		{"unsorted", map[string]any{"social_network": "instagram"}},
		{"by-er", map[string]any{"social_network": "instagram", "sort": hypeauditor.Sort{Field: "er", Order: "desc"}}},
	} {
		b.Run(v.name, func(b *testing.B) {
			for _, n := range faketest.Sizes(searchBase) {
				s := hypeauditortest.NewServer(hypeauditortest.WithRateLimit(0, 0), hypeauditortest.WithDiscoveryRequests(1<<40), hypeauditortest.WithSearchResults(n))
				pages := (n + hypeauditor.SearchPageSize - 1) / hypeauditor.SearchPageSize
				b.Run(faketest.Name(n), func(b *testing.B) {
					for i := 0; i < b.N; i++ {
						v.body["page"] = 1 + i%pages
						body, _ := json.Marshal(v.body)
						serve(b, s, "POST", hypeauditortest.RouteSearch, url.Values{}, body)
					}
					faketest.ReportPer(b, "page", 1)
				})
				s.Close()
			}
		})
	}
}

// reportFakes hold n unlocked Instagram reports still generating (and
// their accounts), one per size, shared by the benchmarks; TestMain
// closes them.
var reportFakes = map[int]*hypeauditortest.Server{}

func closeBenchFakes() {
	for _, s := range reportFakes {
		s.Close()
	}
}

func eachReportSize(b *testing.B, bench func(b *testing.B, s *hypeauditortest.Server, n int)) {
	for _, n := range faketest.Sizes(reportBase) {
		s := reportFakes[n]
		if s == nil {
			s = hypeauditortest.NewServer(hypeauditortest.WithRateLimit(0, 0), hypeauditortest.WithTimeScale(1), hypeauditortest.WithCredits(1<<40),
				hypeauditortest.WithGeneration(24*time.Hour))
			for i := 0; i < n; i++ {
				serve(b, s, "GET", hypeauditortest.RouteReport, url.Values{"username": {fmt.Sprintf("user_%06d", i)}}, nil)
			}
			reportFakes[n] = s
		}
		b.Run(faketest.Name(n), func(b *testing.B) { bench(b, s, n) })
	}
}

// Polling a report still generating (202 with retryTtl); ns/request.
func BenchmarkReportPoll(b *testing.B) {
	eachReportSize(b, func(b *testing.B, s *hypeauditortest.Server, n int) {
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			serve(b, s, "GET", hypeauditortest.RouteReport, url.Values{"username": {fmt.Sprintf("user_%06d", (i*7919)%n)}}, nil)
		}
		faketest.ReportPer(b, "request", 1)
	})
}

// auditor.reportsUnlocked pages of 100 across the whole list; ns/page.
func BenchmarkUnlockedPage(b *testing.B) {
	eachReportSize(b, func(b *testing.B, s *hypeauditortest.Server, n int) {
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			serve(b, s, "GET", hypeauditortest.RouteUnlocked, url.Values{"limit": {"100"}, "offset": {fmt.Sprint((i * 100) % n)}}, nil)
		}
		faketest.ReportPer(b, "page", 1)
	})
}

// workingSet is how many of the dataset's creators the connections and
// suggester benchmarks ask for: the first request for a creator makes up
// its other networks' accounts, which the later ones only read.
const workingSet = 1000

// auditor.reportConnections of a known account; ns/request.
func BenchmarkConnections(b *testing.B) {
	eachReportSize(b, func(b *testing.B, s *hypeauditortest.Server, n int) {
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			serve(b, s, "GET", hypeauditortest.RouteConnections, url.Values{"type": {"instagram"}, "username": {fmt.Sprintf("user_%06d", (i*7919)%min(n, workingSet))}}, nil)
		}
		faketest.ReportPer(b, "request", 1)
	})
}

// auditor.suggester for a name only one creator has; ns/request.
func BenchmarkSuggester(b *testing.B) {
	eachReportSize(b, func(b *testing.B, s *hypeauditortest.Server, n int) {
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			serve(b, s, "GET", hypeauditortest.RouteSuggester, url.Values{"search": {fmt.Sprintf("user_%06d", (i*7919)%min(n, workingSet))}}, nil)
		}
		faketest.ReportPer(b, "request", 1)
	})
}

// auditor.planInfo (it settles what has ended first); ns/request.
func BenchmarkPlanInfo(b *testing.B) {
	eachReportSize(b, func(b *testing.B, s *hypeauditortest.Server, n int) {
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			serve(b, s, "GET", hypeauditortest.RoutePlanInfo, url.Values{}, nil)
		}
		faketest.ReportPer(b, "request", 1)
	})
}
