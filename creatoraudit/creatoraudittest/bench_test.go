package creatoraudittest_test

import (
	"encoding/json"
	"fmt"
	"net/url"
	"regexp"
	"testing"

	"github.com/creatorkit/creatorkit-go/creatoraudit"
	"github.com/creatorkit/creatorkit-go/creatoraudit/creatoraudittest"
	"github.com/creatorkit/creatorkit-go/internal/fake/faketest"
)

// The benchmarks serve requests in-process (no socket) against datasets of
// 1x, 10x and 100x a base size, and report the time per id, request or
// page: the figures must stay flat as the dataset grows.

const benchBase = 1000

// benchFake is a fake holding n accounts (half Instagram, half TikTok;
// the first tenth linked to creators, 10 each) and n individual videos,
// every one already scraped.
type benchFake struct {
	srv                    *creatoraudittest.Server
	accounts, videos, crea []string
}

// benchFakes are built once per size and shared by the benchmarks (none
// of them changes the dataset's size); TestMain closes them.
var benchFakes = map[int]*benchFake{}

func closeBenchFakes() {
	for _, f := range benchFakes {
		f.srv.Close()
	}
}

func benchFakeOf(n int) *benchFake {
	if f := benchFakes[n]; f != nil {
		return f
	}
	srv := creatoraudittest.NewServer(creatoraudittest.WithRateLimit(0, 0), creatoraudittest.WithTimeScale(1))
	f := &benchFake{srv: srv}
	for _, p := range []creatoraudit.Platform{creatoraudit.Instagram, creatoraudit.TikTok} {
		names := make([]string, n/2)
		for i := range names {
			names[i] = fmt.Sprintf("%s_creator_%06d", p, i)
		}
		f.accounts = append(f.accounts, srv.AddAccounts(p, names...)...)
	}
	idents := make([]string, n)
	for i := range idents {
		idents[i] = fmt.Sprintf("https://www.instagram.com/p/C%07d/", i)
	}
	f.videos = srv.AddVideos(creatoraudit.Instagram, idents...)
	for i := 0; i+10 <= len(f.accounts)/10; i += 10 {
		f.crea = append(f.crea, srv.AddCreator(fmt.Sprintf("Creator %06d", i/10), f.accounts[i:i+10]...))
	}
	benchFakes[n] = f
	return f
}

func (f *benchFake) serve(b *testing.B, method, path string, body []byte) []byte {
	rec := faketest.Serve(f.srv.Handler(), method, "/v2"+path, body, "Authorization", "Bearer "+f.srv.APIKey)
	if rec.Code >= 300 {
		b.Fatalf("%s %s: %d %s", method, path, rec.Code, rec.Body.String())
	}
	return rec.Body.Bytes()
}

// eachSize runs bench at every dataset size, on one fake per size.
func eachSize(b *testing.B, bench func(b *testing.B, f *benchFake)) {
	for _, n := range faketest.Sizes(benchBase) {
		f := benchFakeOf(n)
		b.Run(faketest.Name(n), func(b *testing.B) { bench(b, f) })
	}
}

// Batch metrics: 200 ids a request, all of them tracked; ns/id.
func BenchmarkAccountsMetrics(b *testing.B) {
	eachSize(b, func(b *testing.B, f *benchFake) {
		bodies := batches(f.accounts, "account_ids")
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			f.serve(b, "POST", "/accounts/metrics", bodies[i%len(bodies)])
		}
		faketest.ReportPer(b, "id", creatoraudit.MaxBatchIDs)
	})
}

// Batch metrics of individual videos; ns/id.
func BenchmarkVideosMetrics(b *testing.B) {
	eachSize(b, func(b *testing.B, f *benchFake) {
		bodies := batches(f.videos, "video_ids")
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			f.serve(b, "POST", "/videos/metrics", bodies[i%len(bodies)])
		}
		faketest.ReportPer(b, "id", creatoraudit.MaxBatchIDs)
	})
}

func batches(ids []string, field string) [][]byte {
	var out [][]byte
	for i := 0; i+creatoraudit.MaxBatchIDs <= len(ids); i += creatoraudit.MaxBatchIDs {
		body, _ := json.Marshal(map[string]any{field: ids[i : i+creatoraudit.MaxBatchIDs], "period": "30d"})
		out = append(out, body)
	}
	return out
}

// GET /accounts/{id}; ns/request.
func BenchmarkAccountGet(b *testing.B) {
	eachSize(b, func(b *testing.B, f *benchFake) {
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			f.serve(b, "GET", "/accounts/"+f.accounts[(i*7919)%len(f.accounts)], nil)
		}
		faketest.ReportPer(b, "request", 1)
	})
}

// GET /account-videos/{id} (the 3 posts each account's scrape found);
// ns/request.
func BenchmarkAccountVideoGet(b *testing.B) {
	eachSize(b, func(b *testing.B, f *benchFake) {
		var ids []int64
		body := f.serve(b, "GET", "/account-videos?limit=200", nil)
		var page struct{ Data []struct{ ID int64 } }
		_ = json.Unmarshal(body, &page)
		for _, d := range page.Data {
			ids = append(ids, d.ID)
		}
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			f.serve(b, "GET", fmt.Sprintf("/account-videos/%d", ids[i%len(ids)]), nil)
		}
		faketest.ReportPer(b, "request", 1)
	})
}

// GET /creators/{id} (its accounts summary); ns/request.
func BenchmarkCreatorGet(b *testing.B) {
	eachSize(b, func(b *testing.B, f *benchFake) {
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			f.serve(b, "GET", "/creators/"+f.crea[(i*31)%len(f.crea)], nil)
		}
		faketest.ReportPer(b, "request", 1)
	})
}

// GET /creators/{id}/analytics over 30 days; ns/request.
func BenchmarkCreatorAnalytics(b *testing.B) {
	eachSize(b, func(b *testing.B, f *benchFake) {
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			f.serve(b, "GET", "/creators/"+f.crea[(i*31)%len(f.crea)]+"/analytics?period=30d", nil)
		}
		faketest.ReportPer(b, "request", 1)
	})
}

// A walk of every page (200 accounts each), newest first or filtered and
// sorted by followers; ns/page.
func BenchmarkAccountsListPage(b *testing.B) {
	for _, q := range []struct{ name, query string }{
		{"default", "/accounts?limit=200"},
		{"tiktok-by-followers", "/accounts?limit=200&platform=tiktok&order_by=follower_count"},
	} {
		b.Run(q.name, func(b *testing.B) {
			eachSize(b, func(b *testing.B, f *benchFake) { walkPages(b, f, q.query) })
		})
	}
}

// The same walk over videos (newest first); ns/page.
func BenchmarkVideosListPage(b *testing.B) {
	eachSize(b, func(b *testing.B, f *benchFake) { walkPages(b, f, "/videos?limit=200") })
}

// nextCursor finds the cursor in a page without decoding the page (the
// client's work, not the fake's).
var nextCursor = regexp.MustCompile(`"next_cursor":"([^"]+)"`)

// walkPages fetches one page per iteration, following next_cursor and
// starting over after the last page.
func walkPages(b *testing.B, f *benchFake, query string) {
	cursor := ""
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		p := query
		if cursor != "" {
			p += "&cursor=" + url.QueryEscape(cursor)
		}
		cursor = ""
		if m := nextCursor.FindSubmatch(f.serve(b, "GET", p, nil)); m != nil {
			cursor = string(m[1])
		}
	}
	faketest.ReportPer(b, "page", 1)
}

// POST /accounts then DELETE it: the dataset keeps its size; ns/request.
func BenchmarkAccountCreateDelete(b *testing.B) {
	eachSize(b, func(b *testing.B, f *benchFake) {
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			body := fmt.Appendf(nil, `{"platform":"tiktok","username":"bench_new_%d"}`, i)
			var m struct{ Data struct{ ID string } }
			_ = json.Unmarshal(f.serve(b, "POST", "/accounts", body), &m)
			f.serve(b, "DELETE", "/accounts/"+m.Data.ID, nil)
		}
		faketest.ReportPer(b, "request", 2)
	})
}

// The organization's overview and the leaderboard of creators; ns/request.
func BenchmarkAggregates(b *testing.B) {
	for _, q := range []string{"/overview?period=30d", "/overview/timeseries?period=30d", "/creators/top?metric=views&limit=5"} {
		b.Run(q, func(b *testing.B) {
			eachSize(b, func(b *testing.B, f *benchFake) {
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					f.serve(b, "GET", q, nil)
				}
				faketest.ReportPer(b, "request", 1)
			})
		})
	}
}

// GET /search for a name held by two accounts (the worst case for a scan:
// it must look at everything); ns/request. A first search, untimed, builds
// what the fake needs for it.
func BenchmarkSearch(b *testing.B) {
	eachSize(b, func(b *testing.B, f *benchFake) {
		f.serve(b, "GET", "/search?q=creator_000000", nil)
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			f.serve(b, "GET", fmt.Sprintf("/search?q=creator_%06d", (i*7)%(len(f.accounts)/2)), nil)
		}
		faketest.ReportPer(b, "request", 1)
	})
}
