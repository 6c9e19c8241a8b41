package check

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestChecks(t *testing.T) {
	assert.Empty(t, HTTPURL("https://x.example/cb"))
	assert.Empty(t, HTTPURL("http://localhost:8080/cb"))
	assert.NotEmpty(t, HTTPURL("ftp://x"))
	assert.NotEmpty(t, HTTPURL("/relative"))
	assert.Empty(t, IntRange(5, 1, 100))
	assert.Equal(t, "must be 1 to 100, got 101", IntRange(101, 1, 100))
	_, msg := Date("2026-02-30")
	assert.NotEmpty(t, msg)
	d, msg := Date("2026-06-25")
	assert.Empty(t, msg)
	assert.Equal(t, 25, d.Day())
	assert.Empty(t, OneOf("a", "a", "b"))
	assert.NotEmpty(t, OneOf("c", "a", "b"))
}

func TestIdentifierPolicy(t *testing.T) {
	for _, bad := range BadIDs() {
		assert.NotEmpty(t, ID(bad), "%q", bad)
	}
	for _, bad := range BadPathParams() {
		assert.NotEmpty(t, PathParam(bad), "%q", bad)
		assert.NotEmpty(t, Handle(bad), "%q", bad)
		assert.NotEmpty(t, InstagramHandle(bad), "%q", bad)
	}
	for _, bad := range []string{"", " ", ".", "..", "a\x00b", "a\u202eb", "a\u200bb", "a\x85b", " x"} {
		assert.NotEmpty(t, ID(bad), "%q", bad)
	}
	for _, ok := range []string{"natgeo", "nat.geo", "_x_", "a", "UCLA_DiR1FfKNvjuUpBHmylQ", "6557821753438371845", "ümlaut", "3c90c3cc-0d44-4b50-8888-8dd25736052a"} {
		assert.Empty(t, PathParam(ok), ok)
	}
	assert.Empty(t, ID("a/b?c"), "a query or body value may hold / and ?")
	assert.NotEmpty(t, InstagramHandle("..."), "only periods")
	assert.NotEmpty(t, InstagramHandle("a b"))
	assert.NotEmpty(t, InstagramHandle("ümlaut"))
	assert.NotEmpty(t, InstagramHandle(strings.Repeat("a", 31)))
	assert.Empty(t, InstagramHandle(strings.Repeat("a", 30)))
	assert.Empty(t, UUID("3c90c3cc-0d44-4b50-8888-8dd25736052a"))
	assert.NotEmpty(t, UUID("3c90c3cc-0d44-4b50-8888-8dd25736052"))
	assert.NotEmpty(t, UUID("3c90c3cc_0d44-4b50-8888-8dd25736052a"))
	assert.Empty(t, Digits("142"))
	assert.NotEmpty(t, Digits("14a"))
	assert.NotEmpty(t, Handle("a b"))
}

func TestIDMax(t *testing.T) {
	long := strings.Repeat("a", 300)
	assert.NotEmpty(t, ID(long))
	assert.Empty(t, IDMax(long, 2048))
	assert.Contains(t, IDMax(long, 100), "at most 100")
	for _, bad := range BadIDs() {
		assert.NotEmpty(t, IDMax(bad, 2048), "%q", bad)
	}
	assert.NotEmpty(t, IDMax(long+"\u202e", 2048), "a format character past 256 bytes is still found")
}

func TestClipCutsOnARuneBoundary(t *testing.T) {
	assert.Equal(t, "short", Clip("short", 5))
	assert.Equal(t, "abc…", Clip("abcdef", 3))
	assert.Equal(t, "a…", Clip("aéé", 2), "é is two bytes: the cut moves back to its start")
	assert.Equal(t, "…", Clip("éé", 1))
}
