package creatoraudit

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/creatorkit/creatorkit-go/internal/check"
	"github.com/creatorkit/creatorkit-go/internal/transport"
)

func invalidParams(op, field, format string, args ...any) *Error {
	return transport.InvalidParams(vendor, op, field, format, args...)
}

// checkID checks an id that goes into a URL path: the SDK's identifier
// policy for path parameters (check.PathParam: not blank, no surrounding
// spaces, no control or invisible format characters, none of % / \ ? #,
// not . or ..) and CreatorAudit's documented shape: ids are UUIDs.
func checkID(op, field, id string) (string, error) {
	if msg := check.PathParam(id); msg != "" {
		return "", invalidParams(op, field, "%s", msg)
	}
	if msg := check.UUID(id); msg != "" {
		return "", invalidParams(op, field, "%s (CreatorAudit ids are UUIDs)", msg)
	}
	return id, nil
}

// checkAccountVideoID checks the id of an account video in a URL path: a
// UUID, or one of the internal integer ids POST /account-videos/metrics
// takes ([inferred]: the reference does not say which one the path takes).
func checkAccountVideoID(op, field, id string) (string, error) {
	if msg := check.PathParam(id); msg != "" {
		return "", invalidParams(op, field, "%s", msg)
	}
	if check.UUID(id) != "" && check.Digits(id) != "" {
		return "", invalidParams(op, field, "%q is neither a UUID nor an internal integer id", id)
	}
	return id, nil
}

// checkValueID checks an id sent in a query or a body (check.ID) and that
// it is a UUID.
func checkValueID(op, field, id string) (string, error) {
	if msg := check.ID(id); msg != "" {
		return "", invalidParams(op, field, "%s", msg)
	}
	if msg := check.UUID(id); msg != "" {
		return "", invalidParams(op, field, "%s (CreatorAudit ids are UUIDs)", msg)
	}
	return id, nil
}

// checkOptionalID checks an optional UUID body value.
func checkOptionalID(op, field string, id *string) error {
	if id == nil {
		return nil
	}
	_, err := checkValueID(op, field, *id)
	return err
}

// checkHandle checks a username for Accounts.Create: a leading "@" is
// dropped, then the identifier policy for handles applies (it becomes part
// of profile URLs), with Instagram's documented shape (1 to 30 letters,
// digits, periods and underscores, not only periods) on Instagram, and on
// TikTok a path-safe handle without spaces that is not only periods.
func checkHandle(op string, p Platform, username string) (string, error) {
	u := strings.TrimPrefix(username, "@")
	var msg string
	if p == Instagram {
		msg = check.InstagramHandle(u)
	} else if msg = check.Handle(u); msg == "" && strings.Trim(u, ".") == "" {
		msg = fmt.Sprintf("%q is only periods", u)
	}
	if msg != "" {
		return "", invalidParams(op, "username", "%s", msg)
	}
	return u, nil
}

// normPlatform lower-cases a platform and checks it; "" is allowed unless
// required.
func normPlatform(op string, p Platform, required bool) (Platform, error) {
	p = Platform(strings.ToLower(strings.TrimSpace(string(p))))
	if p == "" && !required {
		return "", nil
	}
	if !p.Valid() {
		return "", invalidParams(op, "platform", "platform must be instagram or tiktok, got %q", string(p))
	}
	return p, nil
}

// checkLimit checks a page size: 0 (the API default) or 1 to hi.
func checkLimit(op string, limit, hi int) error {
	if limit == 0 {
		return nil
	}
	if msg := check.IntRange(limit, 1, hi); msg != "" {
		return invalidParams(op, "limit", "limit %s", msg)
	}
	return nil
}

// sortQuery validates and sets order_by, order_direction and sort.
func sortQuery(op string, q url.Values, orderBy string, dir OrderDirection, sort string, allowed ...string) error {
	if orderBy != "" {
		if err := transport.Refuse(vendor, op, "order_by", check.ID(orderBy)); err != nil {
			return err
		}
		if strings.ContainsAny(orderBy, " ,") {
			return invalidParams(op, "order_by", "%q is not a field name", orderBy)
		}
		if len(allowed) > 0 {
			if msg := check.OneOf(orderBy, allowed...); msg != "" {
				return invalidParams(op, "order_by", "%s", msg)
			}
		}
		q.Set("order_by", orderBy)
	}
	if dir != "" {
		d := OrderDirection(strings.ToLower(string(dir)))
		if d != Asc && d != Desc {
			return invalidParams(op, "order_direction", "order_direction must be asc or desc, got %q", string(dir))
		}
		q.Set("order_direction", string(d))
	}
	if sort != "" {
		if err := transport.Refuse(vendor, op, "sort", check.ID(sort)); err != nil {
			return err
		}
		if strings.ContainsAny(sort, " ,") {
			return invalidParams(op, "sort", "%q is not a signed field name such as -added_at", sort)
		}
		q.Set("sort", sort)
	}
	return nil
}

func setBool(q url.Values, name string, b *bool) {
	if b != nil {
		q.Set(name, strconv.FormatBool(*b))
	}
}

// windowQuery checks a metrics window and returns it as query parameters
// (or body fields): a custom period needs both dates (YYYY-MM-DD, start
// not after end); 7d/30d/90d take no dates; with no period, dates are
// optional but come as a pair. custom is refused where the endpoint has no
// custom range.
func windowQuery(op string, period Period, start, end string, allowCustom bool) (Period, string, string, error) {
	period = Period(strings.ToLower(strings.TrimSpace(string(period))))
	start, end = strings.TrimSpace(start), strings.TrimSpace(end)
	switch period {
	case "", Period7d, Period30d, Period90d:
	case PeriodCustom:
		if !allowCustom {
			return "", "", "", invalidParams(op, "period", "period must be 7d, 30d or 90d here, got custom")
		}
		if start == "" || end == "" {
			return "", "", "", invalidParams(op, "start_date", "period custom requires start_date and end_date (YYYY-MM-DD)")
		}
	default:
		return "", "", "", invalidParams(op, "period", "period must be 7d, 30d, 90d or custom, got %q", string(period))
	}
	if period != "" && period != PeriodCustom && (start != "" || end != "") {
		return "", "", "", invalidParams(op, "start_date", "start_date and end_date go with period custom, not %s", period)
	}
	if (start == "") != (end == "") {
		return "", "", "", invalidParams(op, "start_date", "start_date and end_date must be given together")
	}
	if start != "" {
		s, msg := check.Date(start)
		if msg != "" {
			return "", "", "", invalidParams(op, "start_date", "start_date %s", msg)
		}
		e, msg := check.Date(end)
		if msg != "" {
			return "", "", "", invalidParams(op, "end_date", "end_date %s", msg)
		}
		if s.After(e) {
			return "", "", "", invalidParams(op, "start_date", "start_date %s is after end_date %s", start, end)
		}
	}
	return period, start, end, nil
}

// checkMetadata enforces the documented bounds: at most 20 keys, keys and
// string values of at most 255 characters.
func checkMetadata(op string, md Metadata) error {
	if len(md) > 20 {
		return invalidParams(op, "metadata", "at most 20 keys, got %d", len(md))
	}
	for k, v := range md {
		if k == "" || utf8.RuneCountInString(k) > 255 {
			return invalidParams(op, "metadata", "key %q must be 1 to 255 characters", k)
		}
		if s, ok := v.(string); ok && utf8.RuneCountInString(s) > 255 {
			return invalidParams(op, "metadata", "value of %q is longer than 255 characters", k)
		}
	}
	return nil
}

// uniqueIDs checks ids (each a UUID under the identifier policy), refuses
// an empty list, and drops duplicates (keeping the first).
func uniqueIDs(op, field string, ids []string) ([]string, error) {
	if len(ids) == 0 {
		return nil, invalidParams(op, field, "%s must hold at least one id", field)
	}
	seen := make(map[string]bool, len(ids))
	out := make([]string, 0, len(ids))
	for i, id := range ids {
		if _, err := checkValueID(op, field, id); err != nil {
			return nil, invalidParams(op, fmt.Sprintf("%s[%d]", field, i), "%s", err.(*Error).Message)
		}
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out, nil
}

// chunks splits s into slices of at most n.
func chunks[T any](s []T, n int) [][]T {
	var out [][]T
	for len(s) > n {
		out = append(out, s[:n:n])
		s = s[n:]
	}
	if len(s) > 0 {
		out = append(out, s)
	}
	return out
}
