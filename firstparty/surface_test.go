package firstparty_test

import (
	"errors"
	"strings"
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
	t.Parallel()
	ours := []error{
		firstparty.ErrInvalidParams, firstparty.ErrUnauthorized, firstparty.ErrForbidden, firstparty.ErrNotFound,
		firstparty.ErrConflict, firstparty.ErrRateLimited, firstparty.ErrQuotaExceeded, firstparty.ErrServer,
		firstparty.ErrNetwork, firstparty.ErrOutcomeUnknown, firstparty.ErrUnexpectedResponse, firstparty.ErrBudgetExceeded,
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
	t.Parallel()
	assert.EqualValues(t, webhook.DefaultMaxBytes, firstparty.MaxWebhookBytes)
}

// ParsePlatform takes every platform's name in any case; anything else is
// an ErrInvalidParams *Error. String gives the name back.
func TestParsePlatform(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]firstparty.Platform{
		"instagram": firstparty.Instagram, "Instagram": firstparty.Instagram, " INSTAGRAM ": firstparty.Instagram,
		"youtube": firstparty.YouTube, "YouTube": firstparty.YouTube,
		"TikTok": firstparty.TikTok, "facebook": firstparty.Facebook,
	} {
		got, err := firstparty.ParsePlatform(in)
		if assert.NoError(t, err, in) {
			assert.Equal(t, want, got, in)
			assert.Equal(t, strings.ToLower(strings.TrimSpace(in)), got.String())
		}
	}
	for _, in := range []string{"", "twitter", "insta gram", "instagram\x00", "ig"} {
		got, err := firstparty.ParsePlatform(in)
		assert.Empty(t, got, "%q", in)
		assert.ErrorIs(t, err, firstparty.ErrInvalidParams, "%q", in)
		var e *firstparty.Error
		assert.True(t, errors.As(err, &e), "%q: an *Error", in)
	}
}
