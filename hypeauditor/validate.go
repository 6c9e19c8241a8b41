package hypeauditor

import (
	"fmt"
	"strings"
	"time"
	"unicode"

	"github.com/creatorkit/creatorkit-go/internal/check"
	"github.com/creatorkit/creatorkit-go/internal/transport"
)

func invalidParams(op, field, format string, args ...any) *Error {
	return transport.InvalidParams(vendor, op, field, format, args...)
}

// handle normalizes a username, channel or id: spaces trimmed, one leading
// "@" dropped. It must be non-empty, one word, and not a URL.
func handle(op, field, v string) (string, error) {
	h := strings.TrimPrefix(strings.TrimSpace(v), "@")
	switch {
	case h == "":
		return "", invalidParams(op, field, "%s is required", field)
	case strings.IndexFunc(h, unicode.IsSpace) >= 0:
		return "", invalidParams(op, field, "%s %q contains whitespace", field, v)
	case strings.ContainsAny(h, "/?&#="):
		return "", invalidParams(op, field, "%s %q must be the bare name or id, not a URL", field, v)
	}
	return h, nil
}

// oneOf checks that exactly one of two alternative selectors is set and
// normalizes it; the other comes back "".
func oneOf(op, nameField, name, idField, id string) (string, string, error) {
	hasName, hasID := strings.TrimSpace(name) != "", strings.TrimSpace(id) != ""
	switch {
	case !hasName && !hasID:
		return "", "", invalidParams(op, nameField, "set %s or %s", nameField, idField)
	case hasName && hasID:
		return "", "", invalidParams(op, nameField, "set %s or %s, not both", nameField, idField)
	case hasID:
		v, err := handle(op, idField, id)
		return "", v, err
	}
	v, err := handle(op, nameField, name)
	return v, "", err
}

// numeric checks a numeric id.
func numeric(id string) string {
	for _, r := range id {
		if r < '0' || r > '9' {
			return fmt.Sprintf("%q must be numeric", id)
		}
	}
	return ""
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

func checkNetwork(op, field string, n Network) error {
	if !n.Valid() {
		if n == "" {
			return invalidParams(op, field, "%s is required: one of %v", field, Networks)
		}
		return invalidParams(op, field, "unknown network %q: one of %v", n, Networks)
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
