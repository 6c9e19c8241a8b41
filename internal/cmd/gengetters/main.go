// Command gengetters writes getters.go in a package directory: a nil-safe
// GetX method for every exported pointer field of every exported struct
// type, in go-github's style. A *T field of a basic or named non-struct
// type gets `GetX() T` (the zero value when the field or the receiver is
// nil); a pointer to a struct gets `GetX() *T` (nil when the receiver is
// nil), so chains like r.GetUser().GetFollowers() never panic.
//
// Each package runs it through go:generate; a test checks that every
// getters.go is current.
//
//	go run ./internal/cmd/gengetters DIR [DIR...]
package main

import (
	"fmt"
	"os"
	"path/filepath"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: gengetters DIR [DIR...]")
		os.Exit(2)
	}
	for _, dir := range os.Args[1:] {
		src, err := Generate(dir)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		out := filepath.Join(dir, "getters.go")
		if src == nil {
			_ = os.Remove(out)
			continue
		}
		if err := os.WriteFile(out, src, 0o644); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
}
