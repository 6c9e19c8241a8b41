package redisstore_test

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"testing"

	"github.com/creatorkit/creatorkit-go/contrib/redislimit/redistest"
	"github.com/redis/go-redis/v9"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) {
	// A re-executed copy of this binary is a consumer process of
	// TestConsumerKilledMidStream: it runs the consumer until killed.
	if os.Getenv(childEnv) != "" {
		os.Exit(childMain())
	}
	// One of TestRosterSplitAcrossWorkerProcesses's roster workers.
	if os.Getenv(rosterEnv) != "" {
		os.Exit(rosterWorkerMain())
	}
	// go-redis prints every failed dial of the stopped-Redis tests; the
	// store's own errors and logs are what the tests check.
	redis.SetLogger(quietRedis{})
	flag.Parse()
	if !redistest.Installed() && !redistest.Required() {
		fmt.Fprintf(os.Stderr, "redisstore: %v: tests that need Redis skip and the Example functions are not run (set %s=1 to fail instead)\n",
			redistest.ErrNotInstalled, redistest.RequireEnv)
		if f := flag.Lookup("test.run"); f != nil && f.Value.String() == "" {
			_ = flag.Set("test.run", "^Test")
		}
	}
	goleak.VerifyTestMain(m)
}

type quietRedis struct{}

func (quietRedis) Printf(context.Context, string, ...any) {}

func discard() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// fastFail are client options that notice a stopped or frozen Redis
// quickly, as the package documentation recommends.
func fastFail() redis.Options {
	return redis.Options{DialerRetries: 1, MaxRetries: -1, ContextTimeoutEnabled: true}
}
