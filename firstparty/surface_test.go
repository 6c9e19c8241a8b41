package firstparty_test

import (
	"errors"
	"testing"

	"github.com/creatorkit/creatorkit-go"
	"github.com/creatorkit/creatorkit-go/firstparty"
	"github.com/creatorkit/creatorkit-go/internal/webhook"
	"github.com/stretchr/testify/assert"
)

// TestKindsAreTheRoots: every kind of package creatorkit is exported under
// its own name, with the root's value, so errors.Is matches across
// packages.
func TestKindsAreTheRoots(t *testing.T) {
	ours := []error{
		firstparty.ErrInvalidParams, firstparty.ErrUnauthorized, firstparty.ErrForbidden, firstparty.ErrNotFound,
		firstparty.ErrConflict, firstparty.ErrRateLimited, firstparty.ErrQuotaExceeded, firstparty.ErrServer,
		firstparty.ErrNetwork, firstparty.ErrOutcomeUnknown, firstparty.ErrUnexpectedResponse,
	}
	roots := creatorkit.Kinds()
	if assert.Len(t, ours, len(roots), "one export per root kind") {
		for i, k := range roots {
			assert.Same(t, k, ours[i], "kind %d (%v)", i, k)
		}
	}
	err := error(&firstparty.Error{Kinds: []error{creatorkit.ErrConflict}})
	assert.True(t, errors.Is(err, firstparty.ErrConflict))
}

// TestMaxWebhookBytesIsTheHandlersDefault: the exported cap is a literal
// (so go doc shows it) that must stay the cap the handler applies.
func TestMaxWebhookBytesIsTheHandlersDefault(t *testing.T) {
	assert.EqualValues(t, webhook.DefaultMaxBytes, firstparty.MaxWebhookBytes)
}
