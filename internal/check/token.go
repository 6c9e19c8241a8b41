package check

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// MaxTokenLen caps an opaque credential Token accepts.
const MaxTokenLen = 4096

// Token checks an opaque credential that a vendor hands back and the SDK
// sends on (an OAuth code, a verification token, a JWT): ID's rules, but up
// to MaxTokenLen bytes instead of 256, since such values are often longer
// than an identifier.
func Token(s string) string {
	switch {
	case len(s) <= 256:
		return ID(s)
	case len(s) > MaxTokenLen:
		return fmt.Sprintf("is %d bytes long; at most %d", len(s), MaxTokenLen)
	case !utf8.ValidString(s):
		return "is not valid UTF-8"
	case strings.TrimSpace(s) != s:
		return "has leading or trailing spaces"
	}
	for _, r := range s {
		if msg := badRune(r); msg != "" {
			return msg
		}
	}
	return ""
}
