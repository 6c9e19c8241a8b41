package vendortest

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// Ctx bounds a test on the bubble's clock: virtual hours cost no real
// time, and a wait that never ends fails at the deadline, a day away,
// instead of hanging. It ends with the test.
func Ctx(t *testing.T) context.Context { return Timeout(t, 24*time.Hour) }

// Timeout is a context of the test that ends after d (on the bubble's
// clock inside one), or with the test.
func Timeout(t *testing.T, d time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(t.Context(), d)
	t.Cleanup(cancel)
	return ctx
}

// MustJSON is v's JSON encoding; the test fails when v has none.
func MustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return b
}
