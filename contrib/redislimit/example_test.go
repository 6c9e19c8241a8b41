package redislimit_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/creatorkit/creatorkit-go/contrib/redislimit"
	"github.com/creatorkit/creatorkit-go/contrib/redislimit/redistest"
	"github.com/creatorkit/creatorkit-go/engagecheck"
	"github.com/creatorkit/creatorkit-go/engagecheck/engagechecktest"
	"github.com/redis/go-redis/v9"
)

// One EngageCheck key shared through Redis: every process that builds its
// limiter with the name "agency-main" draws from the same 60 a minute.
// (Here Redis is a throwaway redis-server and EngageCheck the fake.)
func ExampleEngageCheck() {
	rs, err := redistest.Start()
	if err != nil {
		fmt.Println(err)
		return
	}
	defer rs.Close()
	srv := engagechecktest.NewServer()
	defer srv.Close()

	rdb := redis.NewClient(&redis.Options{Addr: rs.Addr}) // your Redis
	defer rdb.Close()
	lim, err := redislimit.EngageCheck(rdb, "agency-main")
	if err != nil {
		fmt.Println(err)
		return
	}
	c, err := srv.NewClient(engagecheck.WithLimiter(lim)) // or engagecheck.NewClient(engagecheck.WithLimiter(lim))
	if err != nil {
		fmt.Println(err)
		return
	}
	cr, err := c.Credits.Get(context.Background())
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(lim)
	fmt.Println("Redis key:", lim.Keys()[0])
	fmt.Println("credits:", cr.CreditsRemaining, "granted by Redis:", lim.Stats().Granted)
	// Output:
	// redislimit "agency-main": 57 req/m (burst 3); fail closed
	// Redis key: rate:creatorkit:engagecheck:agency-main:1m0s
	// credits: 1000 granted by Redis: 1
}

// With WithLocalFallback a limiter that cannot reach Redis paces itself on
// a local token bucket at its share of the limit, and logs that it does.
func ExampleWithLocalFallback() {
	rdb := redis.NewClient(&redis.Options{Addr: "127.0.0.1:1", MaxRetries: -1}) // nothing listens there
	defer rdb.Close()
	log := slog.New(slog.NewTextHandler(os.Stdout, &slog.HandlerOptions{ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
		if a.Key == slog.TimeKey || a.Key == "error" {
			return slog.Attr{} // keep the example's output stable
		}
		return a
	}}))
	lim, err := redislimit.New(rdb, "agency-main", redislimit.Limit{Rate: 100, Period: time.Second, Burst: 10},
		redislimit.WithLocalFallback(4), redislimit.WithLogger(log))
	if err != nil {
		fmt.Println(err)
		return
	}
	if err := lim.Wait(context.Background()); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("sent anyway; degraded=%t %+v\n", lim.Degraded(), lim.Stats())
	// Output:
	// level=WARN msg="redislimit: Redis unreachable; falling back to the local token bucket" name=agency-main share="1/4 of the shared limit" recheck=5s
	// sent anyway; degraded=true {Granted:0 Retries:0 Refunds:0 Fallback:1 Failures:1}
}

// Fail closed (the default): while Redis is unreachable Wait returns an
// error that says so, and the client sends nothing.
func ExampleUnavailableError() {
	rdb := redis.NewClient(&redis.Options{Addr: "127.0.0.1:1", MaxRetries: -1})
	defer rdb.Close()
	lim, err := redislimit.InfluDataProduction(rdb, "agency-main", redislimit.WithLogger(slog.New(slog.DiscardHandler)))
	if err != nil {
		fmt.Println(err)
		return
	}
	err = lim.Wait(context.Background())
	var ue *redislimit.UnavailableError
	if errors.As(err, &ue) {
		fmt.Println("Redis unavailable for", ue.Name, errors.Is(err, redislimit.ErrRedisUnavailable))
	}
	// Output:
	// Redis unavailable for agency-main true
}

// HashedName names a limiter after the API key without putting the key in
// Redis.
func ExampleHashedName() {
	fmt.Println(redislimit.HashedName("ec_live_0123456789abcdef"))
	// Output:
	// key-d0d127146e23fe2b
}
