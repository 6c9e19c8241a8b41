package redislimit_test

import (
	"flag"
	"fmt"
	"os"
	"testing"

	"github.com/creatorkit/creatorkit-go/contrib/redislimit/redistest"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) {
	// A re-executed copy of this binary is one worker process of
	// TestSharedKeyAcrossProcesses: it runs the worker and exits.
	if os.Getenv(childEnv) != "" {
		os.Exit(childMain())
	}
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
