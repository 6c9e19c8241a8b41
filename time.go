package creatorkit

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// Time is a time.Time that decodes every timestamp layout the vendors send:
// "2026-06-25 17:00:00", RFC 3339 with or without fractions, RFC 1123,
// "26/01/2024", "2024-01-26", and unix seconds or milliseconds as a number
// or a numeric string. Layouts without a zone are taken as UTC.
//
// It re-encodes exactly what it decoded (so nothing changes on a round
// trip) unless the time was changed, in which case it encodes RFC 3339.
type Time struct {
	time.Time
	raw    []byte
	parsed time.Time
}

// NewTime wraps t.
func NewTime(t time.Time) Time { return Time{Time: t} }

var layouts = []string{
	time.RFC3339Nano,
	"2006-01-02 15:04:05",
	"2006-01-02 15:04:05.999999999",
	"2006-01-02T15:04:05",
	"2006-01-02T15:04:05.999999999",
	"2006-01-02 15:04:05Z07:00",
	"2006-01-02 15:04:05 -0700 MST",
	time.RFC1123,
	time.RFC1123Z,
	time.RFC850,
	time.ANSIC,
	"02/01/2006",
	"02/01/2006 15:04:05",
	"2006-01-02",
}

// ParseTime parses s in any layout Time accepts.
func ParseTime(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, nil
	}
	if !strings.ContainsAny(s, "/-: ") {
		if f, err := strconv.ParseFloat(s, 64); err == nil {
			return unix(f), nil
		}
	}
	if len(s) == 19 && s[10] == ' ' { // the common "2006-01-02 15:04:05"
		if t, err := time.Parse(layouts[1], s); err == nil {
			return t, nil
		}
	}
	for _, l := range layouts {
		if t, err := time.Parse(l, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("creatorkit: unrecognised time %q", s)
}

// unix reads seconds, or milliseconds when the value is too large to be
// seconds (after the year 5138).
func unix(f float64) time.Time {
	if math.Abs(f) > 1e11 {
		f /= 1000
	}
	sec, frac := math.Modf(f)
	return time.Unix(int64(sec), int64(frac*1e9)).UTC()
}

// UnmarshalJSON implements json.Unmarshaler.
func (t *Time) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	t.raw = append([]byte(nil), b...)
	if bytes.Equal(b, []byte("null")) {
		t.Time, t.parsed = time.Time{}, time.Time{}
		return nil
	}
	var parsed time.Time
	var err error
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err = json.Unmarshal(b, &s); err != nil {
			return err
		}
		parsed, err = ParseTime(s)
	} else {
		var f float64
		if err = json.Unmarshal(b, &f); err != nil {
			return fmt.Errorf("creatorkit: time must be a string or a number, got %s", b)
		}
		parsed = unix(f)
	}
	if err != nil {
		return err
	}
	t.Time, t.parsed = parsed, parsed
	return nil
}

// MarshalJSON implements json.Marshaler.
func (t Time) MarshalJSON() ([]byte, error) {
	if t.raw != nil && t.Time.Equal(t.parsed) {
		return t.raw, nil
	}
	if t.IsZero() {
		return []byte("null"), nil
	}
	return json.Marshal(t.Time.Format(time.RFC3339Nano))
}

// String formats the time as RFC 3339 (empty for the zero time).
func (t Time) String() string {
	if t.IsZero() {
		return ""
	}
	return t.Time.Format(time.RFC3339)
}
