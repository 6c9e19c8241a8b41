package transport

import (
	"bytes"
	"encoding/json"
)

// holds reports whether b holds one of the secrets: a form of one appears
// in it, or a JSON string in it spells one with escapes ("\u0026", "\/").
// The common case costs a scan for the forms and one for backslashes.
func (r Redactor) holds(b []byte) bool {
	if len(r.forms) == 0 {
		return false
	}
	for _, n := range r.needles {
		if bytes.Contains(b, []byte(n)) {
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
		if json.Unmarshal(b[start:end+1], &s) == nil && r.String(s) != s {
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
