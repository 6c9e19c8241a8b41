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

func main() {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	sort.Slice(steps, func(i, j int) bool { return steps[i].order < steps[j].order })
	failed := 0
	for _, s := range steps {
		fmt.Printf("\n== %s ==\n", s.name)
		if err := s.run(ctx); err != nil {
			fmt.Printf("  FAILED: %v\n", err)
			failed++
		}
	}
	if failed > 0 {
		os.Exit(1)
	}
	fmt.Println("\nquickstart finished")
}
