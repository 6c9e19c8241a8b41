package transport

import (
	"bytes"
	"encoding/json"
)

// mayHold reports whether b may hold one of the secrets: a form of one
// appears in it, or it holds a backslash, with which a JSON escape
// ("\u0026", "\/") can spell a secret in other bytes. Bodies that cannot
// hold one are left alone, so the common case costs a byte scan.
func (r Redactor) mayHold(b []byte) bool {
	if len(r.forms) == 0 {
		return false
	}
	if bytes.IndexByte(b, '\\') >= 0 {
		return true
	}
	for _, f := range r.forms {
		if bytes.Contains(b, []byte(f)) {
			return true
		}
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
