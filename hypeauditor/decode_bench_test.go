package hypeauditor_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"
	"time"

	"github.com/creatorkit/creatorkit-go/hypeauditor"
	"github.com/creatorkit/creatorkit-go/internal/fixture"
	"golang.org/x/time/rate"
)

// memoryTransport answers every request with body, without a network.
type memoryTransport struct{ body []byte }

func (m memoryTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Body != nil {
		_ = r.Body.Close()
	}
	return &http.Response{
		StatusCode:    http.StatusOK,
		Header:        http.Header{"Content-Type": {"application/json"}},
		Body:          io.NopCloser(bytes.NewReader(m.body)),
		ContentLength: int64(len(m.body)),
		Request:       r,
	}, nil
}

// BenchmarkDecodeYouTubeSample decodes HypeAuditor's published 580 KB
// YouTube report (channel NASA, read from ../shared/fixtures/hypeauditor/;
// skipped where that folder is absent) three ways:
//
//   - Unmarshal: plain json.Unmarshal of the bytes into the SDK's structs,
//     the baseline;
//   - Client/memory: Reports.YouTube through the whole SDK pipeline (rate
//     limiter off, retry loop, status checks, decode, Raw and Response)
//     over an in-memory transport, so only the SDK's own work is measured;
//   - Client/httptest: the same over a loopback HTTP server.
//
// The SDK/plain ratio is Client/memory over Unmarshal; allocations are
// reported.
//
//	go test -run '^$' -bench DecodeYouTubeSample -benchmem ./hypeauditor/
func BenchmarkDecodeYouTubeSample(b *testing.B) {
	body := fixture.Shared(b, "hypeauditor", "youtube_report.json")
	check := func(b *testing.B, r *hypeauditor.YouTubeReport) {
		if r == nil || r.Report == nil || len(r.Media) != 44 {
			b.Fatal("the sample did not decode")
		}
	}

	b.Run("Unmarshal", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(body)))
		for i := 0; i < b.N; i++ {
			var env struct {
				Result hypeauditor.YouTubeReport `json:"result"`
			}
			if err := json.Unmarshal(body, &env); err != nil {
				b.Fatal(err)
			}
			check(b, &env.Result)
		}
	})

	client := func(b *testing.B, opts ...hypeauditor.Option) *hypeauditor.Client {
		c, err := hypeauditor.NewClient(append([]hypeauditor.Option{
			hypeauditor.WithCredentials(testID, testToken), hypeauditor.WithRateLimit(rate.Inf, 0),
		}, opts...)...)
		if err != nil {
			b.Fatal(err)
		}
		return c
	}
	run := func(b *testing.B, c *hypeauditor.Client) {
		b.ReportAllocs()
		b.SetBytes(int64(len(body)))
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			r, err := c.Reports.YouTube(ctx, hypeauditor.YouTubeParams{Channel: "UCLA_DiR1FfKNvjuUpBHmylQ"})
			if err != nil {
				b.Fatal(err)
			}
			check(b, r)
		}
	}

	b.Run("Client/memory", func(b *testing.B) {
		run(b, client(b, hypeauditor.WithHTTPClient(&http.Client{Transport: memoryTransport{body}})))
	})

	b.Run("Client/httptest", func(b *testing.B) {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write(body)
		}))
		defer srv.Close()
		run(b, client(b, hypeauditor.WithBaseURL(srv.URL)))
	})
}

// BenchmarkDecodeYouTubeOverhead decodes the 580 KB published YouTube
// sample through the SDK (Reports.YouTube on an in-memory transport: the
// whole pipeline with tolerant decoding and the echo check) and with plain
// json.Unmarshal into the same structs, alternating in one loop so that
// machine noise hits both alike, and reports both times and their ratio
// (the target is at most 1.10), and the ratio of their medians, which a
// busy machine (a slice of another process landing in one call) moves
// less. Run:
//
//	go test -run '^$' -bench DecodeYouTubeOverhead -benchmem ./hypeauditor/
//
// Both decode with encoding/json and the models' own decoders (the
// lenient numbers and times, the registered union types), so the ratio is
// the pipeline's cost on top of a decode: reading the body into memory
// (which the baseline gets for free), the scan for echoed credentials, and
// the bookkeeping of a call.
func BenchmarkDecodeYouTubeOverhead(b *testing.B) {
	body := fixture.Shared(b, "hypeauditor", "youtube_report.json")
	c, err := hypeauditor.NewClient(hypeauditor.WithCredentials(testID, testToken), hypeauditor.WithRateLimit(rate.Inf, 0),
		hypeauditor.WithHTTPClient(&http.Client{Transport: memoryTransport{body}}))
	if err != nil {
		b.Fatal(err)
	}
	sdk := func() {
		r, err := c.Reports.YouTube(ctx, hypeauditor.YouTubeParams{Channel: "UCLA_DiR1FfKNvjuUpBHmylQ"})
		if err != nil || len(r.Media) != 44 {
			b.Fatal(err)
		}
	}
	plain := func() {
		var env struct {
			Result hypeauditor.YouTubeReport `json:"result"`
		}
		if err := json.Unmarshal(body, &env); err != nil || len(env.Result.Media) != 44 {
			b.Fatal(err)
		}
	}
	var tSDK, tPlain time.Duration
	var each [2][]time.Duration // each call's time: SDK, plain
	i := 0
	b.ReportAllocs()
	for b.Loop() {
		first, second, t1, t2, k1, k2 := sdk, plain, &tSDK, &tPlain, 0, 1
		if i%2 == 1 {
			first, second, t1, t2, k1, k2 = plain, sdk, &tPlain, &tSDK, 1, 0
		}
		i++
		s := time.Now()
		first()
		m := time.Now()
		second()
		e := time.Now()
		*t1 += m.Sub(s)
		*t2 += e.Sub(m)
		each[k1], each[k2] = append(each[k1], m.Sub(s)), append(each[k2], e.Sub(m))
	}
	median := func(d []time.Duration) float64 {
		slices.Sort(d)
		return float64(d[len(d)/2])
	}
	b.ReportMetric(float64(tSDK.Nanoseconds())/float64(i), "sdk-ns/op")
	b.ReportMetric(float64(tPlain.Nanoseconds())/float64(i), "plain-ns/op")
	b.ReportMetric(float64(tSDK)/float64(tPlain), "sdk/plain")
	b.ReportMetric(median(each[0])/median(each[1]), "sdk/plain-median")
}
