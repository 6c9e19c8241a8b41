package check

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestToken(t *testing.T) {
	long := strings.Repeat("eyJhbGciOi.", 100) // 1,100 bytes, as a JWT may be
	assert.Empty(t, Token(long))
	assert.Empty(t, Token("token-string-from-verification-api-responce"))
	assert.NotEmpty(t, ID(long), "ID stops at 256 bytes")
	assert.NotEmpty(t, Token(strings.Repeat("a", MaxTokenLen+1)))
	for _, bad := range BadIDs() {
		assert.NotEmpty(t, Token(bad), "%q", bad)
		if strings.TrimSpace(bad) == bad && strings.Trim(bad, ".") != "" { // blanks, dots and inner spaces are fine inside
			assert.NotEmpty(t, Token(long+bad+"x"), "long, with %q inside", bad)
		}
	}
	assert.NotEmpty(t, Token(" "+long))
	assert.NotEmpty(t, Token(long+string([]byte{0xff})))
}
