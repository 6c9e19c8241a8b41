package hypeauditor

import (
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/creatorkit/creatorkit-go/internal/check"
	"github.com/creatorkit/creatorkit-go/internal/transport"
)

func invalidParams(op, field, format string, args ...any) *Error {
	return transport.InvalidParams(vendor, op, field, format, args...)
}

// The identifier policy (internal/check) applies to every username,
// channel, id and cursor a caller hands the SDK, and the documented shape
// on top: nothing that fails it is sent. HypeAuditor takes them all as
// query values, but a handle is held to the path-parameter rules anyway
// (no '%', '/', '\', '?', '#'): none is part of a real name, and a value
// must never change which resource a request names.

// handle normalizes a username, channel or id of a network whose handles
// are not documented tightly (TikTok, YouTube, Twitch, X, Snapchat): one
// leading "@" is dropped. It must pass check.Handle (not blank, not "."
// or "..", no spaces, control or invisible format characters, none of
// % / \ ? #) and hold no '&' or '=' (a URL or a query, not a name).
func handle(op, field, v string) (string, error) {
	h := strings.TrimPrefix(v, "@")
	if msg := check.Handle(h); msg != "" {
		if strings.Contains(h, "://") {
			msg += ": pass the bare name or id, not a URL"
		}
		return "", invalidParams(op, field, "%s %s", field, msg)
	}
	if strings.ContainsAny(h, "&=") {
		return "", invalidParams(op, field, "%s %q must be the bare name or id, not a URL or a query", field, v)
	}
	return h, nil
}

// instagramHandle normalizes an Instagram username (one leading "@"
// dropped) and checks Instagram's documented shape: 1 to 30 letters,
// digits, periods and underscores, not only periods.
func instagramHandle(op, field, v string) (string, error) {
	h := strings.TrimPrefix(v, "@")
	if msg := check.InstagramHandle(h); msg != "" {
		if strings.Contains(h, "://") {
			msg += ": pass the bare username, not a URL"
		}
		return "", invalidParams(op, field, "Instagram %s %s", field, msg)
	}
	return h, nil
}

// numericID checks a numeric id (Instagram and TikTok user ids, the
// creators cursor): the identifier policy, then 1 to 20 digits.
func numericID(op, field, v string) (string, error) {
	msg := check.ID(v)
	if msg == "" {
		msg = check.Digits(v)
	}
	if msg != "" {
		return "", invalidParams(op, field, "%s %s", field, msg)
	}
	return v, nil
}

// oneOf checks that exactly one of two alternative selectors is set (a
// value that is only spaces counts as unset) and checks it with the
// matching rule; the other comes back "".
func oneOf(op, nameField, name, idField, id string, checkName func(op, field, v string) (string, error)) (string, string, error) {
	hasName, hasID := strings.TrimSpace(name) != "", strings.TrimSpace(id) != ""
	switch {
	case !hasName && !hasID:
		return "", "", invalidParams(op, nameField, "set %s or %s", nameField, idField)
	case hasName && hasID:
		return "", "", invalidParams(op, nameField, "set %s or %s, not both", nameField, idField)
	case hasID:
		v, err := numericID(op, idField, id)
		return "", v, err
	}
	v, err := checkName(op, nameField, name)
	return v, "", err
}

// text checks a free-text value sent in a query or a body (a search term,
// a keyword): the identifier policy, which allows inner spaces.
func text(op, field, v string) error {
	if msg := check.ID(v); msg != "" {
		return invalidParams(op, field, "%s %s", field, msg)
	}
	return nil
}

// featureName checks an optional report block name: lowercase letters,
// digits and underscores.
func featureName(f string) string {
	if f == "" {
		return "a feature name is empty"
	}
	for _, r := range f {
		if !(r == '_' || (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9')) {
			return fmt.Sprintf("feature %q must be lowercase letters, digits and underscores", f)
		}
	}
	return ""
}

func checkPlatform(op, field string, n Platform) error {
	if !n.Valid() {
		if n == "" {
			return invalidParams(op, field, "%s is required: one of %v", field, Platforms())
		}
		return invalidParams(op, field, "unknown platform %q: one of %v", n, Platforms())
	}
	return nil
}

// dateTime checks a date as yyyy-mm-dd or "yyyy-mm-dd hh:mm:ss".
func dateTime(op, field, v string) error {
	if v == "" {
		return nil
	}
	if _, msg := check.Date(v); msg == "" {
		return nil
	}
	if _, err := time.Parse(time.DateTime, v); err == nil {
		return nil
	}
	return invalidParams(op, field, "%q is not a yyyy-mm-dd or \"yyyy-mm-dd hh:mm:ss\" date", v)
}

// youTubeChannel checks a YouTube channel as YouTube documents it: a
// channel id ("UC" and 22 letters, digits, '-' or '_', as in
// UCLA_DiR1FfKNvjuUpBHmylQ) or a handle or legacy username (one leading
// "@" dropped; 1 to 30 letters of any script, digits, '_', '-' and '.').
func youTubeChannel(op, field, v string) (string, error) {
	ch, err := handle(op, field, v)
	if err != nil {
		return "", err
	}
	if utf8.RuneCountInString(ch) > 30 {
		return "", invalidParams(op, field, "YouTube %s %q is longer than a channel id or a handle (30 characters)", field, v)
	}
	for _, r := range ch {
		if !(r == '_' || r == '-' || r == '.' || unicode.IsLetter(r) || unicode.IsDigit(r)) {
			return "", invalidParams(op, field, "YouTube %s %q has %q: a channel id or handle is letters, digits, '_', '-' and '.'", field, v, r)
		}
	}
	return ch, nil
}

// youTubeChannelID reports whether ch has the shape of a YouTube channel
// id ("UC" and 22 letters, digits, '-' or '_') rather than a handle.
func youTubeChannelID(ch string) bool {
	if len(ch) != 24 || !strings.HasPrefix(ch, "UC") {
		return false
	}
	for _, r := range ch[2:] {
		if !(r == '_' || r == '-' || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || (r >= '0' && r <= '9')) {
			return false
		}
	}
	return true
}
