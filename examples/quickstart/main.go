// Command quickstart is a small creator due-diligence run over every vendor
// the SDK supports, on one creator: @natgeo. It needs no credentials: for
// each vendor without its environment variables set, it starts that
// vendor's built-in fake (<vendor>test) in-process and says so; with
// credentials set, it calls the real API for that vendor. The fakes share
// one made-up creator universe, so they tell one story about @natgeo, each
// vendor its own way (EngageCheck rounds followers as Instagram displays
// them, influData's figures are of its last weekly refresh); the run ends
// with what every vendor said.
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

// virtualTime runs the fakes in memory at the vendors' real durations, for
// the test, which runs the quickstart inside a testing/synctest bubble.
var virtualTime bool

// creator is the creator every step looks at.
const creator = "natgeo"

// said is what one vendor said about the creator, in the common summary.
type said struct {
	vendor string
	s      creatorkit.Summary
}

var sayings []said

// record keeps what a vendor said about the creator, for the table at the
// end.
func record(vendor string, s creatorkit.Summary) { sayings = append(sayings, said{vendor, s}) }

// printSayings prints every vendor's figures for the creator side by side.
func printSayings() {
	if len(sayings) == 0 {
		return
	}
	fmt.Printf("\n== @%s across vendors ==\n", creator)
	for _, x := range sayings {
		fmt.Printf("  %-12s %11d followers, ER %5.2f%%", x.vendor, x.s.GetFollowers(), x.s.GetEngagementRate())
		if q := x.s.Quality; q != nil {
			fmt.Printf(", %s %.0f", q.Name, q.Score)
		}
		if len(x.s.AudienceCountries) > 0 {
			fmt.Printf(", top audience %s %.1f%%", x.s.AudienceCountries[0].Code, x.s.AudienceCountries[0].Percent)
		}
		fmt.Println()
	}
	fmt.Println("  (CreatorAudit's engagement rate is per view: likes, comments and shares over views; the others' per follower)")
}

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
	failed := runSteps(ctx)
	printSayings()
	if failed > 0 {
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
