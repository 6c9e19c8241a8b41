package engagecheck

import (
	"net/url"
	"strconv"
	"strings"

	"github.com/creatorkit/creatorkit-go/internal/check"
)

// NormalizeUsername turns a handle as people write it ("@NatGeo",
// "https://www.instagram.com/natgeo/", "instagram.com/natgeo", " natgeo ")
// into the form EngageCheck uses ("natgeo"), the same normalization the
// API applies. It
// returns "" for a blank input and an ErrInvalidParams error for something
// that cannot be an Instagram handle: the input may hold no control or
// invisible format characters (bidi overrides, zero-width spaces), and the
// handle it names must be 1 to 30 letters, digits, periods and underscores,
// not only periods ("." and ".." are refused).
func NormalizeUsername(in string) (string, error) {
	name, why := normalize(in)
	if why != "" {
		return "", invalidHandle(in, why)
	}
	return name, nil
}

// normalize is NormalizeUsername: the handle, or why in is not one.
func normalize(in string) (name, why string) {
	s := strings.TrimSpace(in)
	if s == "" {
		return "", ""
	}
	// The whole input first: a character that may not appear in any
	// identifier is refused even where normalization would cut it off
	// (the tail of a profile URL).
	if msg := check.ID(s); msg != "" {
		return "", msg
	}
	if profileURL(s) {
		raw := s
		if !strings.Contains(raw, "://") {
			raw = "https://" + raw
		}
		u, err := url.Parse(raw)
		if err != nil || !instagramHost(u.Hostname()) {
			return "", "a URL that is not an Instagram profile"
		}
		s = strings.Trim(u.Path, "/")
		if i := strings.IndexByte(s, '/'); i >= 0 {
			s = s[:i]
		}
	}
	s = strings.ToLower(strings.TrimPrefix(s, "@"))
	if s == "" {
		return "", "no handle in it"
	}
	if len(s) > 30 {
		return "", "longer than 30 characters"
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '.' || r == '_') {
			return "", "only letters, digits, periods and underscores are allowed"
		}
	}
	if msg := check.InstagramHandle(s); msg != "" {
		return "", msg
	}
	return s, ""
}

// profileURL reports whether s is written as a URL: with a scheme, or
// starting with Instagram's host and a slash. A handle that merely holds
// "instagram.com" ("best.instagram.comedy") is a handle.
func profileURL(s string) bool {
	l := strings.ToLower(s)
	if strings.Contains(l, "://") {
		return true
	}
	for _, host := range []string{"instagram.com/", "www.instagram.com/", "m.instagram.com/"} {
		if strings.HasPrefix(l, host) {
			return true
		}
	}
	return false
}

// instagramHost reports whether host is instagram.com or one of its
// subdomains.
func instagramHost(host string) bool {
	host = strings.ToLower(host)
	return host == "instagram.com" || strings.HasSuffix(host, ".instagram.com")
}

// invalidHandle is NormalizeUsername's error for an input that is not a
// handle, and why.
func invalidHandle(in, why string) error {
	return invalidParams("NormalizeUsername", "username", "%q is %s", in, handleReason(why))
}

// handleReason says why an input is not a handle, without repeating it.
func handleReason(why string) string { return "not an Instagram handle: " + why }

// normalizeAll normalizes and de-duplicates handles, dropping blanks as the
// API does. It returns the handles in first-seen order with the input each
// came from, and the inputs it dropped as blanks or duplicates.
func normalizeAll(op string, in []string) (names, inputs, dropped []string, err error) {
	seen := make(map[string]bool, len(in))
	for _, raw := range in {
		n, err := NormalizeUsername(raw)
		if err != nil {
			return nil, nil, nil, invalidParams(op, "usernames", "%v", err.(*Error).Message)
		}
		if n == "" || seen[n] {
			dropped = append(dropped, raw)
			continue
		}
		seen[n] = true
		names = append(names, n)
		inputs = append(inputs, raw)
	}
	return names, inputs, dropped, nil
}

// handleItem is how an ItemError names a handle: "instagram/@natgeo".
func handleItem(name string) string { return platform + "/@" + name }

// idItem is how an ItemError names an audit known only by its id:
// "instagram/id:142".
func idItem(id int64) string { return platform + "/id:" + strconv.FormatInt(id, 10) }
