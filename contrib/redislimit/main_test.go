package redislimit_test

import (
	"context"
	"flag"
	"fmt"
	"os"
	"testing"

	"github.com/creatorkit/creatorkit-go/contrib/redislimit/redistest"
	"github.com/redis/go-redis/v9"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) {
	// A re-executed copy of this binary is one worker process of
	// TestSharedKeyAcrossProcesses: it runs the worker and exits.
	if os.Getenv(childEnv) != "" {
		os.Exit(childMain())
	}
	// go-redis prints every failed dial of the killed-Redis tests; the
	// limiter's own errors and logs are what the tests check.
	redis.SetLogger(quietRedis{})
	flag.Parse()
	if !redistest.Installed() && !redistest.Required() {
		fmt.Fprintf(os.Stderr, "redislimit: %v: tests that need Redis skip and the Example functions are not run (set %s=1 to fail instead)\n",
			redistest.ErrNotInstalled, redistest.RequireEnv)
		if f := flag.Lookup("test.run"); f != nil && f.Value.String() == "" {
			_ = flag.Set("test.run", "^Test")
		}
	}
	goleak.VerifyTestMain(m)
}

type quietRedis struct{}

func (quietRedis) Printf(context.Context, string, ...any) {}
