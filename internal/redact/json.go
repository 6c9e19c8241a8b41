package redact

import (
	"bytes"
	"encoding/json"
	"strconv"
)

// Holds reports whether b holds one of the secrets: a form of one appears
// in it, or a JSON string in it spells one with escapes ("\u0026", "\/").
// The common case costs a scan for the forms and one for backslashes.
func (r Redactor) Holds(b []byte) bool {
	if len(r.forms) == 0 {
		return false
	}
	for _, n := range r.needles {
		if n.in(b) {
			return true
		}
	}
	return r.escapedHolds(b)
}

// escapedHolds decodes only the JSON strings of b that hold a backslash
// and reports whether one of them, decoded, holds a secret.
func (r Redactor) escapedHolds(b []byte) bool {
	for i := bytes.IndexByte(b, '\\'); i >= 0; {
		start := bytes.LastIndexByte(b[:i], '"')
		end := i + 1
		for end < len(b) && b[end] != '"' {
			if b[end] == '\\' {
				end++
			}
			end++
		}
		if start < 0 || end >= len(b) {
			return false
		}
		var s string
		if r.mayHide(b[start:end+1]) && json.Unmarshal(b[start:end+1], &s) == nil && r.String(s) != s {
			return true
		}
		next := bytes.IndexByte(b[end+1:], '\\')
		if next < 0 {
			return false
		}
		i = end + 1 + next
	}
	return false
}

// JSON redacts raw JSON: as text, and, when it holds escapes, as decoded,
// re-encoding it with every secret its strings or member names spell
// replaced. What is not JSON is redacted as text.
func (r Redactor) JSON(raw []byte) []byte {
	raw = r.Bytes(raw)
	if len(r.forms) == 0 || bytes.IndexByte(raw, '\\') < 0 {
		return raw
	}
	d := json.NewDecoder(bytes.NewReader(raw))
	d.UseNumber()
	var v any
	if d.Decode(&v) != nil || d.More() {
		return raw
	}
	changed := false
	var walk func(x any) any
	walk = func(x any) any {
		switch t := x.(type) {
		case string:
			s := r.String(t)
			changed = changed || s != t
			return s
		case []any:
			for i := range t {
				t[i] = walk(t[i])
			}
			return t
		case map[string]any:
			out := make(map[string]any, len(t))
			for k, e := range t {
				rk := r.String(k)
				changed = changed || rk != k
				out[rk] = walk(e)
			}
			return out
		}
		return x
	}
	v = walk(v)
	if !changed {
		return raw
	}
	out, err := json.Marshal(v)
	if err != nil {
		return raw
	}
	return out
}

// mayHide reports whether decoding the JSON string lit (quotes included)
// could reveal a form its raw bytes do not show: only if one of its
// escapes stands for a byte some form holds (or for a character outside
// ASCII, or is malformed). Otherwise every form in the decoded text lies
// in a run of literal bytes, where the needles already look. Long bodies
// escape mostly newlines and quotes, so most strings are never decoded.
func (r Redactor) mayHide(lit []byte) bool {
	if r.chars == nil {
		return false
	}
	for i := 0; i < len(lit); i++ {
		if lit[i] != '\\' {
			continue
		}
		if i+1 >= len(lit) {
			return true
		}
		var d uint64
		switch c := lit[i+1]; c {
		case 'u':
			if i+6 > len(lit) {
				return true
			}
			v, err := strconv.ParseUint(string(lit[i+2:i+6]), 16, 16)
			if err != nil {
				return true
			}
			d, i = v, i+5
		case 'n':
			d = '\n'
		case 't':
			d = '\t'
		case 'r':
			d = '\r'
		case 'b':
			d = '\b'
		case 'f':
			d = '\f'
		default: // \" \\ \/
			d = uint64(c)
		}
		i++
		if d >= 0x80 || r.chars[d] {
			return true
		}
	}
	return false
}
