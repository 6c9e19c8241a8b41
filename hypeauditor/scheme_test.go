package hypeauditor_test

import (
	"errors"
	"testing"
	"testing/synctest"
	"time"

	"github.com/creatorkit/creatorkit-go"
	"github.com/creatorkit/creatorkit-go/hypeauditor"
	"github.com/creatorkit/creatorkit-go/hypeauditor/hypeauditortest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The network constants have the names every creatorkit-go package uses,
// String and ParseNetwork agree, and an unknown name is ErrInvalidParams.
func TestParseNetwork(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]hypeauditor.Platform{
		"instagram": hypeauditor.Instagram, "Instagram": hypeauditor.Instagram, " TIKTOK ": hypeauditor.TikTok,
		"YouTube": hypeauditor.YouTube, "twitch": hypeauditor.Twitch, "Twitter": hypeauditor.Twitter, "snapchat": hypeauditor.Snapchat,
	} {
		got, err := hypeauditor.ParsePlatform(in)
		require.NoError(t, err, in)
		assert.Equal(t, want, got, in)
		assert.Equal(t, string(want), got.String())
	}
	for _, in := range []string{"", "facebook", "x", "insta gram", "instagram\x00"} {
		_, err := hypeauditor.ParsePlatform(in)
		var e *hypeauditor.Error
		require.True(t, errors.As(err, &e), "%q: %v", in, err)
		assert.ErrorIs(t, err, hypeauditor.ErrInvalidParams, in)
		assert.Equal(t, 0, e.StatusCode)
	}
	for _, n := range hypeauditor.Platforms() {
		back, err := hypeauditor.ParsePlatform(n.String())
		require.NoError(t, err)
		assert.Equal(t, n, back)
	}
}

// The lists are functions returning fresh copies: a caller changing one
// changes nothing for the next caller.
func TestListsAreFreshCopies(t *testing.T) {
	t.Parallel()
	for name, list := range map[string]func() []string{
		"AudienceAgeGroups":      hypeauditor.AudienceAgeGroups,
		"FilterMarks":            hypeauditor.FilterMarks,
		"GrowthPeriods":          hypeauditor.GrowthPeriods,
		"InstagramMissingBlocks": hypeauditor.InstagramMissingBlocks,
		"TikTokMissingBlocks":    hypeauditor.TikTokMissingBlocks,
		"YouTubeMissingBlocks":   hypeauditor.YouTubeMissingBlocks,
	} {
		l := list()
		require.NotEmpty(t, l, name)
		first := l[0]
		l[0] = "changed"
		assert.Equal(t, first, list()[0], name)
	}
	ns := hypeauditor.Platforms()
	assert.Len(t, ns, 6)
	ns[0] = "myspace"
	assert.Equal(t, hypeauditor.Instagram, hypeauditor.Platforms()[0])
	dn := hypeauditor.DiscoveryPlatforms()
	assert.NotContains(t, dn, hypeauditor.Snapchat)
	dn[0] = hypeauditor.Snapchat
	assert.NotContains(t, hypeauditor.DiscoveryPlatforms(), hypeauditor.Snapchat)
	w := hypeauditor.DefaultRateLimit()
	w.N = 1
	assert.Equal(t, 99, hypeauditor.DefaultRateLimit().N)
}

// Every kind of package creatorkit is re-exported with its value.
func TestKindsAreTheRoots(t *testing.T) {
	t.Parallel()
	ours := []error{hypeauditor.ErrInvalidParams, hypeauditor.ErrUnauthorized, hypeauditor.ErrForbidden, hypeauditor.ErrNotFound, hypeauditor.ErrConflict,
		hypeauditor.ErrRateLimited, hypeauditor.ErrQuotaExceeded, hypeauditor.ErrServer, hypeauditor.ErrNetwork, hypeauditor.ErrOutcomeUnknown,
		hypeauditor.ErrUnexpectedResponse, hypeauditor.ErrBudgetExceeded}
	assert.Equal(t, creatorkit.Kinds(), ours)
}

// Code is a string type; CodeOf finds the *Error anywhere in the chain,
// an ItemError's included.
func TestCodeOf(t *testing.T) {
	t.Parallel()
	assert.Equal(t, hypeauditor.Code(""), hypeauditor.CodeOf(nil))
	assert.Equal(t, hypeauditor.Code("27"), hypeauditor.CodeNoAPIAccess)
	c, mt := newMockClient(t)
	respond(mt, "GET", "auditor.youtube", 404, `{"error":{"code":16,"description":"Object not found"}}`)
	_, err := c.Reports.YouTube(ctx, hypeauditor.YouTubeParams{Channel: "nochannel"})
	var ie *hypeauditor.ItemError
	require.True(t, errors.As(err, &ie))
	assert.Equal(t, hypeauditor.CodeObjectNotFound, hypeauditor.CodeOf(err), "found through the ItemError")
}

// ErrRetryTTLTooLong is the value the poller wraps: a wait that stops for
// it matches with errors.Is.
func TestRetryTTLTooLongMatches(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		_, c := newFake(t, hypeauditortest.WithRetryTTL(time.Hour))
		r, err := c.Reports.YouTubeAndWait(testCtx(t), hypeauditor.YouTubeParams{Channel: "veritasium"},
			hypeauditor.WithMaxRetryTTL(time.Second))
		var te *hypeauditor.TimeoutError
		require.True(t, errors.As(err, &te), "%v", err)
		assert.ErrorIs(t, err, hypeauditor.ErrRetryTTLTooLong)
		assert.ErrorIs(t, te.Err, hypeauditor.ErrRetryTTLTooLong)
		require.NotNil(t, r, "the not-ready report comes back")
		assert.True(t, r.NotReady())
		assert.Equal(t, 1, te.Checks)
	})
}

// WithMaxPages and WithMaxItems: zero keeps the default (5 paid pages;
// no cap on free pages), a negative value means no cap.
func TestListOptionCaps(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv, c := newFake(t)
		ctx := testCtx(t)
		p := hypeauditor.SearchParams{Platform: hypeauditor.YouTube}
		count := func(p hypeauditor.SearchParams, opts ...hypeauditor.ListOption) int {
			n := 0
			for _, err := range c.Discovery.SearchAll(ctx, p, opts...) {
				require.NoError(t, err)
				n++
			}
			return n
		}
		assert.Equal(t, 100, count(p, hypeauditor.WithMaxPages(0)), "zero: the default 5 pages")
		assert.Equal(t, 995, srv.DiscoveryRequests())
		assert.Equal(t, 137, count(p, hypeauditor.WithMaxPages(-1)), "negative: no cap, the walk ends after the last page")
		assert.Equal(t, 988, srv.DiscoveryRequests())
		assert.Equal(t, 100, count(p, hypeauditor.WithMaxItems(-1)), "no item cap; the page cap stays")
		assert.Equal(t, 25, count(p, hypeauditor.WithMaxItems(25), hypeauditor.WithMaxPages(-1)))
		before := srv.DiscoveryRequests()
		n := 0
		for _, err := range c.Discovery.SearchSandboxAll(ctx, p) {
			require.NoError(t, err)
			n++
		}
		assert.Equal(t, 45, n, "the free sandbox has no default cap")
		assert.Equal(t, before, srv.DiscoveryRequests())
		var seen []*hypeauditor.SearchPage
		for range c.Discovery.SearchSandboxAll(ctx, p, hypeauditor.WithPageFunc(func(sp *hypeauditor.SearchPage) { seen = append(seen, sp) }), hypeauditor.WithMaxPages(2)) {
		}
		require.Len(t, seen, 2, "WithPageFunc sees each page fetched")
		assert.True(t, seen[0].Sandbox)
		// WithPageFunc on an iterator without discovery pages is refused
		// before anything is sent.
		for _, err := range c.Creators.ListAll(ctx, hypeauditor.CreatorsParams{}, hypeauditor.WithPageFunc(func(*hypeauditor.SearchPage) {})) {
			require.ErrorIs(t, err, hypeauditor.ErrInvalidParams)
			assert.Contains(t, err.Error(), "WithPageFunc applies to Discovery.SearchAll and Discovery.SearchSandboxAll only")
		}

		for _, name := range []string{"a1", "a2", "a3"} {
			_, err := c.Reports.Instagram(ctx, hypeauditor.InstagramParams{Username: name})
			require.NoError(t, err)
		}
		unlocked := func(opts ...hypeauditor.ListOption) int {
			n := 0
			for _, err := range c.Unlocked.ListAll(ctx, hypeauditor.UnlockedParams{Limit: 1}, opts...) {
				require.NoError(t, err)
				n++
			}
			return n
		}
		assert.Equal(t, 3, unlocked(), "free pages: no cap by default")
		assert.Equal(t, 2, unlocked(hypeauditor.WithMaxItems(2)))
		assert.Equal(t, 1, unlocked(hypeauditor.WithMaxPages(1)))
		n = 0
		for _, err := range c.Creators.ListAll(ctx, hypeauditor.CreatorsParams{Limit: 10}, hypeauditor.WithMaxPages(2)) {
			require.NoError(t, err)
			n++
		}
		assert.Equal(t, 20, n, "two pages of 10")
		n = 0
		for _, err := range c.Creators.ListAll(ctx, hypeauditor.CreatorsParams{Limit: 10}) {
			require.NoError(t, err)
			n++
		}
		assert.Equal(t, 45, n, "free pages: no cap by default")
	})
}
