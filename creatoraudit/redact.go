package creatoraudit

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
)

// The transport's redactor replaces every form of the key in every field
// of an error and of a result, as text. JSON can hide a key from a textual
// search: an escape inside a string ("\u0026" for "&", "\/" for "/", or
// every character as "\u00xx") spells the same string with other bytes.
// So the JSON a caller can read (Raw, Error.Body, Error.Details and every
// other raw JSON field) is also checked as decoded: when one of its
// strings holds a credential after decoding, the value is re-encoded with
// the credential redacted. JSON without a backslash is left alone (its
// text is what it decodes to), so the common case costs a byte scan.

// redactResult runs the client's redactor over a result in place: first
// as text (every string and byte slice), then every raw JSON field as
// decoded.
func (c *Client) redactResult(out any) {
	c.t.RedactValue(out)
	c.walkJSON(reflect.ValueOf(out), 0)
}

// redactError does the same for an *Error in err's chain.
func (c *Client) redactError(err error) {
	var e *Error
	if errors.As(err, &e) {
		e.Body = c.redactJSON(e.Body)
		e.Details = c.redactJSON(e.Details)
	}
}

// walkJSON replaces every byte slice reachable from v through exported
// fields, slices, maps and pointers with its redactJSON form.
func (c *Client) walkJSON(v reflect.Value, depth int) {
	if depth > 32 || !v.IsValid() {
		return
	}
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			c.walkJSON(v.Elem(), depth+1)
		}
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() {
				c.walkJSON(v.Field(i), depth+1)
			}
		}
	case reflect.Slice:
		if v.Type().Elem().Kind() == reflect.Uint8 {
			if v.CanSet() && v.Len() > 0 {
				v.SetBytes(c.redactJSON(v.Bytes()))
			}
			return
		}
		for i := 0; i < v.Len(); i++ {
			c.walkJSON(v.Index(i), depth+1)
		}
	case reflect.Map:
		if v.IsNil() || !mayHoldBytes(v.Type().Elem(), 0) {
			return
		}
		for _, k := range v.MapKeys() {
			e := reflect.New(v.Type().Elem()).Elem()
			e.Set(v.MapIndex(k))
			c.walkJSON(e, depth+1)
			v.SetMapIndex(k, e)
		}
	}
}

// mayHoldBytes reports whether a value of type t can reach a byte slice,
// so maps of numbers (batch metrics by id) are not copied for nothing.
func mayHoldBytes(t reflect.Type, depth int) bool {
	if depth > 8 {
		return true
	}
	switch t.Kind() {
	case reflect.Slice:
		return t.Elem().Kind() == reflect.Uint8 || mayHoldBytes(t.Elem(), depth+1)
	case reflect.Pointer, reflect.Array:
		return mayHoldBytes(t.Elem(), depth+1)
	case reflect.Map:
		return mayHoldBytes(t.Elem(), depth+1)
	case reflect.Interface:
		return true
	case reflect.Struct:
		for i := 0; i < t.NumField(); i++ {
			if f := t.Field(i); f.IsExported() && mayHoldBytes(f.Type, depth+1) {
				return true
			}
		}
	}
	return false
}

// redactJSON returns raw, or, when raw is JSON with escapes whose decoded
// strings (or member names) hold a credential, raw re-encoded with every
// credential redacted.
func (c *Client) redactJSON(raw []byte) []byte {
	if !bytes.Contains(raw, []byte{'\\'}) {
		return raw
	}
	d := json.NewDecoder(bytes.NewReader(raw))
	d.UseNumber()
	var v any
	if d.Decode(&v) != nil {
		return raw
	}
	changed := false
	var walk func(x any) any
	walk = func(x any) any {
		switch t := x.(type) {
		case string:
			r := c.t.Redact(t)
			changed = changed || r != t
			return r
		case []any:
			for i := range t {
				t[i] = walk(t[i])
			}
			return t
		case map[string]any:
			out := make(map[string]any, len(t))
			for k, e := range t {
				rk := c.t.Redact(k)
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
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if enc.Encode(v) != nil {
		return raw
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n"))
}
