package creatorkit

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Float is a number the vendor may send as an integer, a float, a numeric
// string, or null (null and "" decode as 0).
type Float float64

// UnmarshalJSON implements json.Unmarshaler.
func (f *Float) UnmarshalJSON(b []byte) error {
	v, err := number(b)
	*f = Float(v)
	return err
}

// Int is an integer the vendor may send as a float (1234.0), a numeric
// string, or null. A fractional value is rounded to the nearest integer.
type Int int64

// UnmarshalJSON implements json.Unmarshaler.
func (i *Int) UnmarshalJSON(b []byte) error {
	v, err := number(b)
	*i = Int(math.Round(v))
	return err
}

func number(b []byte) (float64, error) {
	b = bytes.TrimSpace(b)
	if bytes.Equal(b, []byte("null")) {
		return 0, nil
	}
	s := string(b)
	if len(b) > 0 && b[0] == '"' {
		if err := json.Unmarshal(b, &s); err != nil {
			return 0, err
		}
		s = strings.TrimSpace(strings.ReplaceAll(s, ",", ""))
		if s == "" {
			return 0, nil
		}
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0, fmt.Errorf("creatorkit: not a number: %s", b)
	}
	return v, nil
}

// ID is an identifier the vendor may send as a string or a number; it is
// kept as a string.
type ID string

// UnmarshalJSON implements json.Unmarshaler.
func (id *ID) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case bytes.Equal(b, []byte("null")):
		*id = ""
	case len(b) > 0 && b[0] == '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*id = ID(s)
	default:
		var n json.Number
		if err := json.Unmarshal(b, &n); err != nil {
			return fmt.Errorf("creatorkit: id must be a string or a number, got %s", b)
		}
		*id = ID(n.String())
	}
	return nil
}

// String returns the id.
func (id ID) String() string { return string(id) }
