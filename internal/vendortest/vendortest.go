// Package vendortest is the scaffolding the vendor packages' tests share:
// the recording Observer (observe.go), the leak checks that prove an
// echoed credential reaches no error, result or log (leak.go, echo.go,
// holds.go; internal/transport's tests use them too), the run of a test's
// cases in parallel bubbles, the raw call's (Do) pacing test, the check of
// a bearer-token request on a mock transport, connection logs, drift
// calls, the switch for the long matrices (full.go), and the small helpers
// (a test's context, JSON) each package binds under its own short name.
package vendortest

import (
	"fmt"
	"testing"
	"testing/synctest"
)

// Each makes t parallel and runs body once per case, each in a parallel
// subtest named name(c), inside a testing/synctest bubble.
func Each[C any](t *testing.T, cases []C, name func(C) string, body func(t *testing.T, c C)) {
	t.Parallel()
	for _, c := range cases {
		t.Run(name(c), func(t *testing.T) {
			t.Parallel()
			synctest.Test(t, func(t *testing.T) { body(t, c) })
		})
	}
}

// Retries is Each over retry counts (a client's WithMaxRetries), each
// subtest named by format with the count ("retries=%d").
func Retries(t *testing.T, format string, retries []int, body func(t *testing.T, retries int)) {
	Each(t, retries, func(n int) string { return fmt.Sprintf(format, n) }, body)
}
