package redislimit_test

import (
	"context"
	"fmt"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/creatorkit/creatorkit-go/contrib/redislimit"
	"github.com/creatorkit/creatorkit-go/contrib/redislimit/redistest"
	"github.com/creatorkit/creatorkit-go/engagecheck/engagechecktest"
	"golang.org/x/time/rate"
)

// BenchmarkWaitOverhead is the cost the shared limiter adds to each
// request when a slot is free: one EVALSHA round trip to a local Redis.
// The local-bucket figure is the SDK's default limiter, for comparison.
func BenchmarkWaitOverhead(b *testing.B) {
	rs := redistest.New(b)
	free := redislimit.Limit{Rate: 1_000_000_000, Period: time.Second, Burst: 1_000_000_000}
	ctx := context.Background()
	b.Run("redis", func(b *testing.B) {
		l, err := redislimit.New(rs.Client(), "overhead", free)
		if err != nil {
			b.Fatal(err)
		}
		b.ResetTimer()
		for range b.N {
			if err := l.Wait(ctx); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(l.Stats().Retries)/float64(b.N), "retries/op")
	})
	b.Run("redis-parallel", func(b *testing.B) {
		l, err := redislimit.New(rs.Client(), "overhead-par", free)
		if err != nil {
			b.Fatal(err)
		}
		b.ResetTimer()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if err := l.Wait(ctx); err != nil {
					b.Error(err)
					return
				}
			}
		})
	})
	b.Run("local-bucket", func(b *testing.B) {
		l := rate.NewLimiter(rate.Limit(1e9), 1e9)
		for range b.N {
			if err := l.Wait(ctx); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkFourWorkers runs four workers, each with its own Redis
// connection and EngageCheck client, auditing as fast as they may with one
// key against engagechecktest's enforced 60-a-minute window (scaled to
// 1.5 s) for two windows. fraction-of-limit is audits created over audits
// the window allows; 429s are the fake's refusals (must be 0);
// redis-calls/grant counts Allow calls including the retries of the
// workers that lost a race for a slot.
func BenchmarkFourWorkers(b *testing.B) {
	rs := redistest.New(b)
	var fraction, limited, calls, grants float64
	for n := range b.N {
		srv := engagechecktest.NewServer(engagechecktest.WithTimeScale(sharedScale), engagechecktest.WithCredits(100000))
		window := redislimit.Window{N: 60, Per: srv.Scale(time.Minute)}
		start := time.Now().Add(50 * time.Millisecond)
		end := start.Add(2 * window.Per)
		var wg sync.WaitGroup
		var mu sync.Mutex
		for i := range 4 {
			lim, err := redislimit.New(rs.Client(), fmt.Sprintf("bench-%d", n), redislimit.WindowLimit(window))
			if err != nil {
				b.Fatal(err)
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				r := runJob(context.Background(), job{ID: strconv.Itoa(i), BaseURL: srv.BaseURL(), APIKey: srv.APIKey, Start: start, End: end}, lim)
				mu.Lock()
				calls += float64(r.Stats.Granted + r.Stats.Retries)
				grants += float64(r.Stats.Granted)
				mu.Unlock()
			}()
		}
		wg.Wait()
		snap := srv.Snapshot()
		srv.Close()
		created := snap.Statuses[engagechecktest.RouteCreate][202] + snap.Statuses[engagechecktest.RouteCreate][200]
		fraction += float64(created) / (float64(window.N) * float64(end.Sub(start)) / float64(window.Per))
		limited += float64(snap.Count(429))
	}
	b.ReportMetric(fraction/float64(b.N), "fraction-of-limit")
	b.ReportMetric(limited/float64(b.N), "429s/op")
	b.ReportMetric(calls/grants, "redis-calls/grant")
}
