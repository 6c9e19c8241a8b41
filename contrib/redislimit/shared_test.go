package redislimit_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/creatorkit/creatorkit-go/contrib/redislimit"
	"github.com/creatorkit/creatorkit-go/contrib/redislimit/redistest"
	"github.com/creatorkit/creatorkit-go/engagecheck/engagechecktest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// sharedScale runs the fake's 60-a-minute window in 1.5 s, so two windows
// of four saturated workers take 3 s.
const sharedScale = 0.025

// TestSharedKeyAcrossProcesses runs four worker processes (copies of this
// test binary, each with its own Redis connection and its own EngageCheck
// client) that audit as fast as they may with one API key against
// engagechecktest, which enforces its per-key 60-a-minute window. The
// limiter in Redis must keep them all under it: no 429 anywhere, and
// together they use more than 90% of the allowed rate.
func TestSharedKeyAcrossProcesses(t *testing.T) {
	rs := redistest.New(t)
	srv := engagechecktest.NewServer(engagechecktest.WithTimeScale(sharedScale), engagechecktest.WithCredits(100000))
	defer srv.Close()

	window := redislimit.Window{N: 60, Per: srv.Scale(time.Minute)}
	const workers, periods = 4, 2
	start := time.Now().Add(500 * time.Millisecond) // time for the processes to start
	end := start.Add(periods * window.Per)

	results := make([]result, workers)
	var wg sync.WaitGroup
	for i := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			j := job{ID: strconv.Itoa(i), RedisAddr: rs.Addr, BaseURL: srv.BaseURL(), APIKey: srv.APIKey, Window: window, Start: start, End: end}
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^$")
			cmd.Env = append(os.Environ(), jobEnv(j)...)
			var out, errOut bytes.Buffer
			cmd.Stdout, cmd.Stderr = &out, &errOut
			if err := cmd.Run(); err != nil {
				t.Errorf("worker %d: %v: %s", i, err, errOut.String())
				return
			}
			if err := json.Unmarshal(out.Bytes(), &results[i]); err != nil {
				t.Errorf("worker %d: %v in %q", i, err, out.String())
			}
		}()
	}
	wg.Wait()
	require.False(t, t.Failed())

	snap := srv.Snapshot()
	created := snap.Statuses[engagechecktest.RouteCreate][202] + snap.Statuses[engagechecktest.RouteCreate][200]
	allowed := float64(window.N) * float64(end.Sub(start)) / float64(window.Per)
	fraction := float64(created) / allowed
	t.Logf("%d processes, limit %d per %s for %s: %d audits created (%.1f%% of the %.0f allowed), fake counted %d 429s",
		workers, window.N, window.Per, end.Sub(start), created, 100*fraction, allowed, snap.Count(429))

	assert.Zero(t, snap.Count(429), "the fake answered 429")
	assert.Zero(t, snap.RateLimited, "the fake's per-key window refused requests")
	ok := 0
	for i, r := range results {
		assert.Empty(t, r.Errors, "worker %d", i)
		assert.Zero(t, r.Limited, "worker %d saw 429", i)
		assert.Positive(t, r.OK, "worker %d never got a slot", i)
		assert.Positive(t, r.Stats.Granted, "worker %d", i)
		ok += r.OK
	}
	assert.Equal(t, created, ok, "audits the workers saw succeed vs audits the fake created")
	assert.GreaterOrEqual(t, fraction, 0.90, "throughput below 90%% of the limit")
	assert.LessOrEqual(t, fraction, 1.0, "throughput above the limit")
}

// TestRedisStoppedMidRun kills Redis while four workers (each with its own
// Redis connection) are auditing, in both failure modes.
func TestRedisStoppedMidRun(t *testing.T) {
	t.Run("fail closed", func(t *testing.T) {
		logs := &logBuffer{}
		results, srv := runStopped(t, []redislimit.Option{redislimit.WithLogger(logs.logger()), redislimit.WithCallTimeout(300 * time.Millisecond)}, true)
		for i, r := range results {
			assert.Positive(t, r.OK, "worker %d got nothing through before Redis stopped", i)
			assert.Equal(t, 1, r.Unavailable, "worker %d: Redis-unavailable errors", i)
			assert.Zero(t, r.Stats.Fallback, "worker %d used a local bucket while failing closed", i)
			assert.Positive(t, r.Stats.Failures, "worker %d", i)
			assert.Empty(t, r.Errors, "worker %d", i)
		}
		assert.Zero(t, srv.Snapshot().Count(429))
		assert.Contains(t, logs.String(), "failing closed")
	})
	t.Run("local fallback", func(t *testing.T) {
		logs := &logBuffer{}
		results, srv := runStopped(t, []redislimit.Option{redislimit.WithLogger(logs.logger()), redislimit.WithCallTimeout(300 * time.Millisecond),
			redislimit.WithLocalFallback(4), redislimit.WithRecheck(time.Hour)}, false)
		for i, r := range results {
			assert.Zero(t, r.Unavailable, "worker %d saw an error although it should fall back", i)
			assert.Positive(t, r.Stats.Granted, "worker %d: grants from Redis", i)
			assert.Positive(t, r.Stats.Fallback, "worker %d: grants from the local bucket", i)
			assert.Empty(t, r.Errors, "worker %d", i)
		}
		assert.Contains(t, logs.String(), "falling back to the local token bucket")
		t.Logf("429s around the switch to local buckets (retried by the client): %d", srv.Snapshot().Count(429))
	})
}

// runStopped runs four in-process workers, each with its own Redis
// client, and kills Redis once every one of them has been granted a
// request by it (on a busy machine a worker may start late: a fixed delay
// would sometimes stop Redis before a worker asked it anything). Workers
// that fail closed return at their first Redis-unavailable error; workers
// that fall back run until each has had a grant from its local bucket.
// Every wait is bounded: a hang fails the test instead of stalling it.
func runStopped(t *testing.T, opts []redislimit.Option, stopOnUnavailable bool) ([]result, *engagechecktest.Server) {
	rs := redistest.New(t)
	srv := engagechecktest.NewServer(engagechecktest.WithTimeScale(sharedScale), engagechecktest.WithCredits(100000))
	t.Cleanup(srv.Close)
	window := redislimit.Window{N: 60, Per: srv.Scale(time.Minute)}
	start := time.Now()
	end := start.Add(30 * time.Second) // a bound only: the run ends when the test has seen the switch
	ctx, endRun := context.WithCancel(context.Background())
	defer endRun()

	const workers = 4
	results := make([]result, workers)
	lims := make([]*redislimit.Limiter, workers)
	var wg sync.WaitGroup
	for i := range workers {
		rdb := rs.Client()
		lim, err := redislimit.New(rdb, fmt.Sprintf("stopped-%t", stopOnUnavailable), redislimit.WindowLimit(window), opts...)
		require.NoError(t, err)
		lims[i] = lim
		j := job{ID: strconv.Itoa(i), BaseURL: srv.BaseURL(), APIKey: srv.APIKey, Window: window, Start: start, End: end,
			MaxRetries: 2, StopOnUnavailable: stopOnUnavailable}
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i] = runJob(ctx, j, lim)
		}()
	}
	every := func(what string, ok func(redislimit.Stats) bool) {
		t.Helper()
		deadline := time.Now().Add(15 * time.Second)
		for i := 0; i < workers; {
			if ok(lims[i].Stats()) {
				i++
				continue
			}
			if time.Now().After(deadline) {
				endRun()
				wg.Wait()
				t.Fatalf("worker %d: no %s within 15 s (%+v)", i, what, lims[i].Stats())
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
	every("grant from Redis", func(s redislimit.Stats) bool { return s.Granted > 0 })
	rs.Stop()
	if !stopOnUnavailable {
		every("grant from the local bucket", func(s redislimit.Stats) bool { return s.Fallback > 0 })
		endRun()
	}

	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(15 * time.Second):
		t.Fatal("workers still running 15 s after Redis stopped: a wait hangs")
	}
	return results, srv
}
