package infludata

import (
	"strings"

	"github.com/creatorkit/creatorkit-go/internal/check"
	"github.com/creatorkit/creatorkit-go/internal/transport"
)

func invalidParams(op, field, format string, args ...any) *Error {
	return transport.InvalidParams(vendor, op, field, format, args...)
}

// checkPlatform checks that p is given, documented, and covered by the
// endpoint (has, named by what).
func checkPlatform(op string, p Platform, has func(Platform) bool, what string) error {
	switch {
	case p == "":
		return invalidParams(op, "platform", "platform is required")
	case !p.Known():
		return invalidParams(op, "platform", "unknown platform %q (one of %v)", p, Platforms())
	case has != nil && !has(p):
		return invalidParams(op, "platform", "%s is not available on %s", what, p)
	}
	return nil
}

// checkIdentifier checks that exactly one of username, userId and _id is
// set, and that it passes the identifier policy and the platform's shape
// (see checkUsername, checkUserID, checkInternalID).
func checkIdentifier(op string, p Platform, username, userID, id string) error {
	n := 0
	for _, v := range []string{username, userID, id} {
		if v != "" {
			n++
		}
	}
	if n != 1 {
		return invalidParams(op, "username", "exactly one of Username, UserID and ID is required, got %d", n)
	}
	switch {
	case username != "":
		return checkUsername(op, "username", p, username)
	case userID != "":
		return checkUserID(op, "userId", p, userID)
	}
	return checkInternalID(op, "_id", id)
}

// checkUsername checks a platform handle ("adidas", "@MrBeast"): the
// identifier policy for values that name a resource (check.Handle: not
// blank, no spaces, control or invisible format characters, none of '%',
// '/', '\', '?', '#', not "." or ".."), and on Instagram its documented
// shape (1 to 30 letters, digits, periods and underscores, not only
// periods) after an optional '@'.
func checkUsername(op, field string, p Platform, v string) error {
	if msg := check.Handle(v); msg != "" {
		return invalidParams(op, field, "username %s", msg)
	}
	if p == Instagram {
		if msg := check.InstagramHandle(strings.TrimPrefix(v, "@")); msg != "" {
			return invalidParams(op, field, "instagram username %s", msg)
		}
	}
	return nil
}

// checkUserID checks a platform-native id: numeric on Instagram
// (instagramId), otherwise a path-safe token (TikTok secUserId, YouTube
// channelId, Twitch id).
func checkUserID(op, field string, p Platform, v string) error {
	if msg := check.Handle(v); msg != "" {
		return invalidParams(op, field, "userId %s", msg)
	}
	if p == Instagram {
		if msg := check.Digits(v); msg != "" {
			return invalidParams(op, field, "an instagram userId is the numeric instagramId: %s", msg)
		}
	}
	return nil
}

// checkInternalID checks influData's _id: a path-safe token (the README's
// examples are 24 hexadecimal digits, but content ids are shorter, so no
// length is assumed).
func checkInternalID(op, field, v string) error {
	if msg := check.Handle(v); msg != "" {
		return invalidParams(op, field, "_id %s", msg)
	}
	return nil
}

// checkValue checks any other id or key sent in a query, a header or a
// body (client id, cursor, watermark id, email, code): check.ID.
func checkValue(op, field, v string) error {
	if msg := check.ID(v); msg != "" {
		return invalidParams(op, field, "%s %s", field, msg)
	}
	return nil
}
