package infludatatest_test

import (
	"encoding/json"
	"fmt"
	"net/url"
	"regexp"
	"testing"

	"github.com/creatorkit/creatorkit-go/infludata"
	"github.com/creatorkit/creatorkit-go/infludata/infludatatest"
	"github.com/creatorkit/creatorkit-go/internal/fake/faketest"
)

// The benchmarks serve requests in-process (no socket) against 1x, 10x
// and 100x a base number of creators (each with one content piece), and
// report the time per page or request: the figures must stay flat as the
// dataset grows.

const benchBase = 1000

func benchCreators(n int) []infludatatest.Creator {
	cs := make([]infludatatest.Creator, n)
	for i := range cs {
		cs[i] = infludatatest.Creator{Platform: infludata.Instagram, Username: fmt.Sprintf("bench_creator_%06d", i), Posts: 1}
	}
	return cs
}

func newBenchFake(n int, opts ...infludatatest.Option) *infludatatest.Server {
	return infludatatest.NewServer(append([]infludatatest.Option{infludatatest.WithRateLimit(false), infludatatest.WithTimeScale(1),
		infludatatest.WithTokens(1 << 60), infludatatest.WithCreators(benchCreators(n)...)}, opts...)...)
}

// benchFakes are built once per size and shared by the benchmarks that
// do not change the dataset; TestMain closes them.
var benchFakes = map[int]*infludatatest.Server{}

func closeBenchFakes() {
	for _, s := range benchFakes {
		s.Close()
	}
}

func eachSize(b *testing.B, bench func(b *testing.B, s *infludatatest.Server, n int)) {
	for _, n := range faketest.Sizes(benchBase) {
		s := benchFakes[n]
		if s == nil {
			s = newBenchFake(n)
			benchFakes[n] = s
		}
		b.Run(faketest.Name(n), func(b *testing.B) { bench(b, s, n) })
	}
}

// serve answers one request in-process and returns the body (the timed
// loops do not decode it: that would be the client's work).
func serve(b *testing.B, s *infludatatest.Server, path string, q url.Values, header ...string) []byte {
	rec := faketest.Serve(s.Handler(), "GET", "/api/externalAPI/"+path+"?"+q.Encode(), nil, append([]string{"Authorization", "Bearer " + s.APIKey}, header...)...)
	if rec.Code >= 300 {
		b.Fatalf("%s: %d %s", path, rec.Code, rec.Body.String())
	}
	return rec.Body.Bytes()
}

// get answers one request and decodes the body.
func get(b *testing.B, s *infludatatest.Server, path string, q url.Values, header ...string) map[string]any {
	var m map[string]any
	_ = json.Unmarshal(serve(b, s, path, q, header...), &m)
	return m
}

var nextCursor = regexp.MustCompile(`"next_cursor":"([^"]+)"`)

// Discovery pages (20 creators) at every skipCount of the result, with
// the default order or filtered and sorted; ns/page.
func BenchmarkDiscoveryPage(b *testing.B) {
	for _, v := range []struct {
		name string
		q    url.Values
	}{
		{"default", url.Values{"platform": {"instagram"}}},
		{"germany-by-followers", url.Values{"platform": {"instagram"}, "country": {"Germany"}, "sorting": {"descFollowers"}}},
	} {
		b.Run(v.name, func(b *testing.B) {
			eachSize(b, func(b *testing.B, s *infludatatest.Server, n int) {
				count := int(get(b, s, "discovery", v.q)["count"].(float64))
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					q := url.Values{"skipCount": {fmt.Sprint((i * infludata.SearchPageSize) % count)}}
					for k, vs := range v.q {
						q[k] = vs
					}
					serve(b, s, "discovery", q)
				}
				faketest.ReportPer(b, "page", 1)
			})
		})
	}
}

// getContent pages of 100, by cursor (a new pull after the last page) or
// by offset (the legacy mode); ns/page.
func BenchmarkContentPage(b *testing.B) {
	b.Run("cursor", func(b *testing.B) {
		eachSize(b, func(b *testing.B, s *infludatatest.Server, n int) {
			cur := ""
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				var body []byte
				if cur == "" {
					body = serve(b, s, "getContent", url.Values{"limit": {"100"}})
				} else {
					body = serve(b, s, "getContent", url.Values{"limit": {"100"}}, "X-Cursor", cur)
				}
				cur = ""
				if m := nextCursor.FindSubmatch(body); m != nil {
					cur = string(m[1])
				}
			}
			faketest.ReportPer(b, "page", 1)
		})
	})
	b.Run("offset", func(b *testing.B) {
		eachSize(b, func(b *testing.B, s *infludatatest.Server, n int) {
			count := int(get(b, s, "getContent", url.Values{"limit": {"1"}, "offset": {"0"}})["count"].(float64))
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				serve(b, s, "getContent", url.Values{"limit": {"100"}, "offset": {fmt.Sprint((i * 100) % count)}})
			}
			faketest.ReportPer(b, "page", 1)
		})
	})
}

// checkDataStatus of creators the fake holds; ns/request.
func BenchmarkDataStatus(b *testing.B) {
	eachSize(b, func(b *testing.B, s *infludatatest.Server, n int) {
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			serve(b, s, "checkDataStatus", url.Values{"platform": {"instagram"}, "username": {fmt.Sprintf("bench_creator_%06d", (i*7919)%n)}})
		}
		faketest.ReportPer(b, "request", 1)
	})
}

// bulkAddToEnrich of 100 creators the fake holds; ns/request.
func BenchmarkEnrich(b *testing.B) {
	eachSize(b, func(b *testing.B, s *infludatatest.Server, n int) {
		var bodies [][]byte
		for i := 0; i+100 <= n; i += 100 {
			names := make([]string, 100)
			for j := range names {
				names[j] = fmt.Sprintf("bench_creator_%06d", i+j)
			}
			body, _ := json.Marshal(map[string]any{"platform": "instagram", "usernames": names})
			bodies = append(bodies, body)
		}
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			rec := faketest.Serve(s.Handler(), "POST", "/api/externalAPI/bulkAddToEnrich", bodies[i%len(bodies)], "Authorization", "Bearer "+s.APIKey)
			if rec.Code != 200 {
				b.Fatal(rec.Code, rec.Body.String())
			}
		}
		faketest.ReportPer(b, "request", 1)
	})
}

// A discovery page while creators enter the database: each iteration
// queues a new creator (enrichment takes no time here, so it is in at
// once) and reads a page. The dataset grows by b.N; ns/iteration.
func BenchmarkDiscoveryWhileEnriching(b *testing.B) {
	for _, n := range faketest.Sizes(benchBase) {
		s := newBenchFake(n, infludatatest.WithDelays(infludatatest.Delays{}))
		b.Run(faketest.Name(n), func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				serve(b, s, "checkDataStatus", url.Values{"platform": {"instagram"}, "username": {fmt.Sprintf("late_%d_%d", b.N, i)}})
				serve(b, s, "discovery", url.Values{"platform": {"instagram"}, "skipCount": {fmt.Sprint((i * infludata.SearchPageSize) % n)}})
			}
			faketest.ReportPer(b, "iteration", 1)
		})
		s.Close()
	}
}
