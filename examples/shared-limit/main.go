// Command shared-limit runs four workers that audit creators with ONE
// EngageCheck API key and share the key's limit (60 requests a minute)
// through Redis with contrib/redislimit, the way several pods, cron jobs or
// queue consumers would. Each worker has its own Redis connection and its
// own EngageCheck client, as separate processes would.
//
//	cd examples/shared-limit
//	go run .                                   # a local redis-server and the fake
//	REDIS_URL=redis://localhost:6379/0 go run .
//	ENGAGECHECK_API_KEY=ec_live_... go run . natgeo nasa   # real API: 1 credit a handle
//
// Redis: $REDIS_URL when it answers; otherwise a throwaway redis-server
// started on a free loopback port when one is installed; otherwise the
// program explains and starts no workers. EngageCheck: the built-in fake
// (engagechecktest, on a compressed clock) unless $ENGAGECHECK_API_KEY is
// set.
//
// This example is its own Go module so that the SDK's core module never
// depends on a Redis client.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"sync"
	"time"

	"github.com/creatorkit/creatorkit-go/contrib/redislimit"
	"github.com/creatorkit/creatorkit-go/contrib/redislimit/redistest"
	"github.com/creatorkit/creatorkit-go/engagecheck"
	"github.com/creatorkit/creatorkit-go/engagecheck/engagechecktest"
	"github.com/redis/go-redis/v9"
)

const workers = 4

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	if err := run(ctx, os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "shared-limit:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, handles []string) error {
	redisOpts, cleanup, err := findRedis(ctx)
	if err != nil {
		return err
	}
	if redisOpts == nil {
		return nil // explained; nothing to do
	}
	defer cleanup()

	// The job: EngageCheck, real or fake.
	var (
		clientOpts []engagecheck.Option
		runOpts    []engagecheck.WaitOption
		window     = redislimit.EngageCheckWindow
		apiKey     = strings.TrimSpace(os.Getenv("ENGAGECHECK_API_KEY"))
		fake       *engagechecktest.Server
	)
	if apiKey == "" {
		fake = engagechecktest.NewServer() // 1 virtual minute = 600 ms
		defer fake.Close()
		apiKey = fake.APIKey
		clientOpts = fake.ClientOptions()
		runOpts = fake.PollOptions()
		window.Per = fake.Scale(window.Per) // the same limit on the fake's clock
		if len(handles) == 0 {
			for i := range 24 {
				handles = append(handles, fmt.Sprintf("creator_%02d", i))
			}
		}
		fmt.Printf("ENGAGECHECK_API_KEY not set: using the built-in fake engagechecktest (60 requests per %s, no network)\n", window.Per)
	} else {
		clientOpts = []engagecheck.Option{engagecheck.WithAPIKey(apiKey)}
		fmt.Println("ENGAGECHECK_API_KEY set: calling the real EngageCheck API")
		if len(handles) == 0 {
			fmt.Println("no handles given: each worker only reads the credit balance (free); pass handles to audit them (1 credit each)")
		}
	}

	// One name for every process that uses this key. HashedName keeps
	// the key itself out of Redis.
	name := redislimit.HashedName(apiKey)
	jobs := make(chan string)
	go func() {
		defer close(jobs)
		for _, h := range handles {
			select {
			case jobs <- h:
			case <-ctx.Done():
				return
			}
		}
	}()

	type tally struct {
		done, failed int
		stats        redislimit.Stats
	}
	tallies := make([]tally, workers)
	var wg sync.WaitGroup
	start := time.Now()
	for w := range workers {
		// What each worker process would do at start-up: its own Redis
		// client, a limiter with the shared name, a client using it.
		rdb := redis.NewClient(redisOpts)
		defer rdb.Close()
		lim, err := redislimit.ForWindows(rdb, "engagecheck", name, []redislimit.Window{window})
		if err != nil {
			return err
		}
		c, err := engagecheck.NewClient(append(clientOpts, engagecheck.WithLimiter(lim))...)
		if err != nil {
			return err
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			t := &tallies[w]
			defer func() { t.stats = lim.Stats() }()
			if len(handles) == 0 { // real key, nothing to audit
				for range 3 {
					if _, err := c.Credits.Get(ctx); err != nil {
						fmt.Printf("  worker %d: %v\n", w, err)
						t.failed++
						continue
					}
					t.done++
				}
				return
			}
			for h := range jobs {
				a, err := c.Audits.CreateAndWait(ctx, engagecheck.CreateAuditParams{Username: h}, runOpts...)
				if err != nil {
					fmt.Printf("  worker %d: @%s: %v\n", w, h, err)
					t.failed++
					continue
				}
				t.done++
				fmt.Printf("  worker %d: @%s AQS %.0f\n", w, a.Username, a.Report.AQS)
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)

	fmt.Println()
	for w, t := range tallies {
		fmt.Printf("worker %d: %d done, %d failed, %d requests granted by Redis\n", w, t.done, t.failed, t.stats.Granted)
	}
	if fake != nil {
		snap := fake.Snapshot()
		sent := snap.TotalRequests()
		limit := float64(window.N) / window.Per.Seconds()
		fmt.Printf("the fake saw %d requests with one key in %s: %.1f/s, under the key's limit of %.1f/s (workers also wait for audits to finish); %d answered 429\n",
			sent, elapsed.Round(time.Millisecond), float64(sent)/elapsed.Seconds(), limit, snap.Count(429))
		if snap.Count(429) > 0 {
			return errors.New("the shared limit let a 429 through")
		}
	}
	return nil
}

// findRedis returns options for a Redis to use: $REDIS_URL when it
// answers, else a throwaway local redis-server when one is installed. It
// returns nil options, after explaining, when there is neither.
func findRedis(ctx context.Context) (*redis.Options, func(), error) {
	if u := os.Getenv("REDIS_URL"); u != "" {
		opts, err := redis.ParseURL(u)
		if err != nil {
			return nil, nil, fmt.Errorf("REDIS_URL: %w", err)
		}
		opts.DialerRetries = 1
		if err := ping(ctx, opts); err == nil {
			fmt.Printf("using Redis at %s (REDIS_URL)\n", opts.Addr)
			return opts, func() {}, nil
		} else {
			fmt.Printf("Redis at %s (REDIS_URL) does not answer: %v\n", opts.Addr, err)
		}
	}
	if !redistest.Installed() {
		fmt.Println("no Redis reachable: REDIS_URL is unset or does not answer, and redis-server is not installed.")
		fmt.Println("Four workers sharing one key need a shared Redis, so none were started.")
		fmt.Println("Set REDIS_URL=redis://host:6379/0, or install redis-server (apt-get install redis-server) to let this example start one.")
		return nil, nil, nil
	}
	srv, err := redistest.Start()
	if err != nil {
		return nil, nil, err
	}
	fmt.Printf("no REDIS_URL: started a throwaway redis-server on %s (stopped and removed at exit)\n", srv.Addr)
	return &redis.Options{Addr: srv.Addr, DialerRetries: 1}, srv.Close, nil
}

func ping(ctx context.Context, opts *redis.Options) error {
	rdb := redis.NewClient(opts)
	defer rdb.Close()
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	return rdb.Ping(ctx).Err()
}
