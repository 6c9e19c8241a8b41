package infludata_test

import (
	"errors"
	"testing"

	creatorkit "github.com/creatorkit/creatorkit-go"
	"github.com/creatorkit/creatorkit-go/infludata"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParsePlatform(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]infludata.Platform{
		"instagram": infludata.Instagram, "Instagram": infludata.Instagram, " TIKTOK ": infludata.TikTok,
		"YouTube": infludata.YouTube, "twitch": infludata.Twitch, "Facebook": infludata.Facebook, "snapchat": infludata.Snapchat,
	} {
		got, err := infludata.ParsePlatform(in)
		require.NoError(t, err, in)
		assert.Equal(t, want, got, in)
		assert.Equal(t, string(want), got.String())
	}
	for _, in := range []string{"", "myspace", "twitter", "insta gram", "instagram\x00"} {
		_, err := infludata.ParsePlatform(in)
		var e *infludata.Error
		require.True(t, errors.As(err, &e), "%q: %v", in, err)
		assert.ErrorIs(t, err, infludata.ErrInvalidParams, in)
	}
	for _, p := range infludata.Platforms() {
		back, err := infludata.ParsePlatform(p.String())
		require.NoError(t, err)
		assert.Equal(t, p, back)
	}
}

// The lists are functions returning fresh copies: a caller changing one
// changes nothing for the next caller.
func TestListsAreFreshCopies(t *testing.T) {
	t.Parallel()
	ps := infludata.Platforms()
	ps[0] = "myspace"
	assert.Equal(t, infludata.Instagram, infludata.Platforms()[0])
	cs := infludata.Categories()
	require.Len(t, cs, 26)
	cs[0] = "nothing"
	assert.Equal(t, infludata.CategoryFashion, infludata.Categories()[0])
	dp := infludata.DefaultContentPlatforms()
	dp[0] = infludata.YouTube
	assert.Equal(t, []infludata.Platform{infludata.Instagram, infludata.TikTok}, infludata.DefaultContentPlatforms())
}

// Every kind of package creatorkit is re-exported with its value.
func TestKindsAreTheRoots(t *testing.T) {
	t.Parallel()
	ours := []error{infludata.ErrInvalidParams, infludata.ErrUnauthorized, infludata.ErrForbidden, infludata.ErrNotFound, infludata.ErrConflict,
		infludata.ErrRateLimited, infludata.ErrQuotaExceeded, infludata.ErrServer, infludata.ErrNetwork, infludata.ErrOutcomeUnknown,
		infludata.ErrUnexpectedResponse, infludata.ErrBudgetExceeded}
	assert.Equal(t, creatorkit.Kinds(), ours)
}

func TestCodeOf(t *testing.T) {
	t.Parallel()
	assert.Equal(t, infludata.Code(""), infludata.CodeOf(nil))
	assert.Equal(t, infludata.Code(""), infludata.CodeOf(errors.New("plain")))
	e := &infludata.Error{Code: "INSUFFICIENT_TOKENS"}
	wrapped := &infludata.ItemError{Vendor: "infludata", Input: "adidas", Reason: "spent", Err: e}
	assert.Equal(t, infludata.CodeInsufficientTokens, infludata.CodeOf(wrapped), "found through an ItemError")
}
