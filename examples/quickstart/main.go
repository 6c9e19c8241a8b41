// Command quickstart is a small creator due-diligence run over every vendor
// the SDK supports. It needs no credentials: for each vendor without its
// environment variables set, it starts that vendor's built-in fake
// (<vendor>test) in-process and says so; with credentials set, it calls the
// real API for that vendor.
//
//	go run ./examples/quickstart
//
// Each vendor's step lives in its own file and registers itself in init.
package main

import (
	"context"
	"fmt"
	"os"
	"sort"
	"time"

	"github.com/creatorkit/creatorkit-go"
	"github.com/creatorkit/creatorkit-go/creatorkittest"
)

type step struct {
	order int
	name  string
	run   func(ctx context.Context) error
}

var steps []step

// register adds a vendor step; steps run in order.
func register(order int, name string, run func(ctx context.Context) error) {
	steps = append(steps, step{order, name, run})
}

// useFake reports whether a vendor runs on its fake, and prints why.
func useFake(vendor string, envVars ...string) bool {
	for _, v := range envVars {
		if os.Getenv(v) == "" {
			fmt.Printf("  (%s not set: using the built-in fake %stest, no network)\n", v, vendor)
			return true
		}
	}
	fmt.Printf("  (credentials found: calling the real %s API)\n", vendor)
	return false
}

// ledger is one vendor's spend on its fake: by the client's count
// (Usage) and by the fake's own.
type ledger struct {
	vendor string
	usage  creatorkit.Usage
	fake   creatorkittest.Snapshot
}

var ledgers []ledger

// settle prints what a step spent by its client's count next to its
// fake's ledger, and keeps both (the test checks they agree).
func settle(vendor string, usage func() creatorkit.Usage, fake func() creatorkittest.Snapshot) {
	u, f := usage(), fake()
	ledgers = append(ledgers, ledger{vendor, u, f})
	fmt.Printf("  usage: %s; the fake's ledger: %d charged, %d requests\n", u, f.TotalCredits(), f.TotalRequests())
}

func main() {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if failed := runSteps(ctx); failed > 0 {
		os.Exit(1)
	}
	fmt.Println("\nquickstart finished")
}

// runSteps runs every vendor's step in order and returns how many failed.
func runSteps(ctx context.Context) (failed int) {
	sort.Slice(steps, func(i, j int) bool { return steps[i].order < steps[j].order })
	for _, s := range steps {
		fmt.Printf("\n== %s ==\n", s.name)
		if err := s.run(ctx); err != nil {
			fmt.Printf("  FAILED: %v\n", err)
			failed++
		}
	}
	return failed
}
