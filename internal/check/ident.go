package check

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The identifier policy: every id, handle, username, key and path
// parameter a caller hands the SDK goes through ID (values sent in a query
// or a body) or PathParam (values that become part of a URL path), then
// through the vendor's documented shape (InstagramHandle, UUID, Digits, or
// the vendor's own rule). Each returns "" when the value is acceptable,
// else a reason for an ErrInvalidParams error; nothing is sent.

// ID checks a value sent in a query or a body: not blank, no control
// characters (C0, C1, DEL), no Unicode format characters (bidi overrides,
// zero-width spaces and joiners), not "." or "..", valid UTF-8, at most 256
// bytes.
func ID(s string) string { return IDMax(s, 256) }

// IDMax is ID with another length limit, for values longer than ids
// that pass the same policy (a URL sent in a body).
func IDMax(s string, maxLen int) string {
	switch {
	case strings.TrimSpace(s) == "":
		return "must not be blank"
	case s == "." || s == "..":
		return fmt.Sprintf("%q is not an identifier", s)
	case len(s) > maxLen:
		return fmt.Sprintf("is %d bytes long; at most %d", len(s), maxLen)
	case !utf8.ValidString(s):
		return "is not valid UTF-8"
	case strings.TrimSpace(s) != s:
		return fmt.Sprintf("%q has leading or trailing spaces", s)
	}
	for _, r := range s {
		if msg := badRune(r); msg != "" {
			return fmt.Sprintf("%q %s", s, msg)
		}
	}
	return ""
}

// PathParam checks a value that becomes one segment of a URL path: ID,
// and none of '%', '/', '\', '?', '#' (a value must never change which
// resource a request names, however it is escaped).
func PathParam(s string) string {
	if msg := ID(s); msg != "" {
		return msg
	}
	if i := strings.IndexAny(s, `%/\?#`); i >= 0 {
		return fmt.Sprintf("%q contains %q, which a path parameter may not", s, s[i])
	}
	return ""
}

// badRune explains why r may not appear in an identifier, or "".
func badRune(r rune) string {
	switch {
	case r == utf8.RuneError:
		return "is not valid UTF-8"
	case r < 0x20 || r == 0x7f || (r >= 0x80 && r <= 0x9f):
		return fmt.Sprintf("contains the control character %U", r)
	case unicode.Is(unicode.Cf, r):
		return fmt.Sprintf("contains the invisible format character %U (such as a bidi override or a zero-width space)", r)
	case unicode.IsSpace(r) && r != ' ':
		return fmt.Sprintf("contains the space character %U", r)
	}
	return ""
}

// InstagramHandle checks Instagram's documented shape: 1 to 30 letters,
// digits, periods and underscores, not only periods (s is already
// normalized: no "@", lower case).
func InstagramHandle(s string) string {
	if msg := ID(s); msg != "" {
		return msg
	}
	if len(s) > 30 {
		return fmt.Sprintf("%q is longer than 30 characters", s)
	}
	dots := 0
	for _, r := range s {
		switch {
		case r == '.':
			dots++
		case r == '_' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z':
		default:
			return fmt.Sprintf("%q has %q: only letters, digits, periods and underscores are allowed", s, r)
		}
	}
	if dots == len(s) {
		return fmt.Sprintf("%q is only periods", s)
	}
	return ""
}

// Handle checks a social handle of a network whose shape is not
// documented as tightly as Instagram's (TikTok, YouTube, Twitch, X): a
// path-safe value without spaces.
func Handle(s string) string {
	if msg := PathParam(s); msg != "" {
		return msg
	}
	if strings.ContainsRune(s, ' ') {
		return fmt.Sprintf("%q contains a space", s)
	}
	return ""
}

// UUID checks the 8-4-4-4-12 hexadecimal form.
func UUID(s string) string {
	if len(s) != 36 {
		return fmt.Sprintf("%q is not a UUID", s)
	}
	for i, r := range s {
		switch i {
		case 8, 13, 18, 23:
			if r != '-' {
				return fmt.Sprintf("%q is not a UUID", s)
			}
		default:
			if !(r >= '0' && r <= '9' || r >= 'a' && r <= 'f' || r >= 'A' && r <= 'F') {
				return fmt.Sprintf("%q is not a UUID", s)
			}
		}
	}
	return ""
}

// Digits checks a decimal id of 1 to 20 digits.
func Digits(s string) string {
	if s == "" || len(s) > 20 {
		return fmt.Sprintf("%q is not a numeric id", s)
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return fmt.Sprintf("%q is not a numeric id", s)
		}
	}
	return ""
}

// BadIDs are values ID refuses: every vendor's identifier test runs each
// public method that takes an id, key or handle against them, and each
// must be refused with ErrInvalidParams before anything is sent.
func BadIDs() []string {
	return []string{
		"", " ", "\t", ".", "..", "a\x00b", "a\nb", "a\rb", "a\x7fb", "a\u0085b", "a\u202eb", "a\u200bb",
		"a\u2066b", "\ufeffa", " padded ", string([]byte{0xff, 0xfe}),
	}
}

// BadPathParams are values PathParam (and so Handle and InstagramHandle)
// refuses: BadIDs and the characters that would change the path.
func BadPathParams() []string {
	return append(BadIDs(), "../x", "x/..", "a/b", `a\b`, "%2e%2e", "%2F", "a%00b", "a?b=1", "a#b")
}
