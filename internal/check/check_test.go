package check

import (
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
