// Package redact finds and removes credentials in everything the SDK
// builds from an answer: the forms a server or a proxy may echo them in
// (as given, percent-encoded, JSON-escaped, base64 alone or inside a
// longer encoded value, as a Basic pair), in text, bytes, headers, URLs,
// JSON bodies and any Go value. The transport redacts every result,
// error and log with it; webhook parsers use it too.
package redact

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"reflect"
	"sort"
	"strings"
)

// Redactor removes secrets from text, in every form a server or a proxy
// may echo them: as given, percent-encoded, JSON-escaped, base64-encoded
// (alone, as the user:password of Basic auth, including every pair of a
// multi-part credential such as HypeAuditor's id and token, and inside any
// longer encoded value such as "Bearer <token>").
type Redactor struct {
	forms []string
	// needles are fewer strings, at least one of which appears in any
	// text holding a form: the cheap test of whether a body needs
	// redacting at all (see Holds).
	needles []needle
	// chars holds every byte of every form: a JSON escape that decodes to
	// none of them cannot complete a form (see mayHide).
	chars *[256]bool
}

// New returns a Redactor for the given secrets; empty and very short
// values are ignored (redacting "a" would mangle every message).
func New(secrets ...string) Redactor {
	var kept []string
	for _, s := range secrets {
		if len(s) >= 4 {
			kept = append(kept, s)
		}
	}
	seen := map[string]bool{}
	var r Redactor
	add := func(f string) {
		if len(f) >= 4 && !seen[f] {
			seen[f] = true
			r.forms = append(r.forms, f)
		}
	}
	b64 := func(v string) {
		for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.URLEncoding, base64.RawStdEncoding, base64.RawURLEncoding} {
			add(enc.EncodeToString([]byte(v)))
		}
	}
	// cores adds, for each of the three byte offsets a secret can sit at
	// inside a longer base64-encoded value ("Bearer <token>", a dump of the
	// request's headers), the part of its encoding that does not depend on
	// the bytes around it. Only cores of 8 characters or more, so that a
	// short secret cannot match ordinary text.
	cores := func(v string) {
		for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.URLEncoding} {
			for k := range 3 {
				n := k + len(v)
				e := enc.EncodeToString([]byte(strings.Repeat("\x00", k) + v))
				start := []int{0, 2, 3}[k] // characters that hold bits of the bytes before
				if end := n / 3 * 4; end-start >= 8 {
					add(e[start:end]) // full groups only: a partial one holds bits of the bytes after
				}
			}
		}
	}
	for _, s := range kept {
		add(s)
		add(url.QueryEscape(s))
		add(url.PathEscape(s))
		if j, err := json.Marshal(s); err == nil {
			add(string(j[1 : len(j)-1]))
		}
		b64(s)
		cores(s)
		b64(s + ":")
		b64(":" + s)
		// The base64 of any text that holds s (a whole echoed header
		// line such as "X-API-Key: <key>" or "Authorization: Bearer
		// <key>", a Basic pair with any user name) holds, for one of the
		// three offsets of s against base64's 3-byte groups, the encoding
		// of s from that offset on, cut to whole groups.
		for off := 0; off < 3 && off < len(s); off++ {
			part := s[off:]
			if part = part[:len(part)/3*3]; len(part) >= 9 {
				add(base64.RawStdEncoding.EncodeToString([]byte(part)))
				add(base64.RawURLEncoding.EncodeToString([]byte(part)))
			}
		}
		for _, o := range kept {
			if o != s {
				b64(s + ":" + o)
			}
		}
	}
	// Longest first, so a form that contains another is replaced whole.
	sort.Slice(r.forms, func(i, j int) bool { return len(r.forms[i]) > len(r.forms[j]) })
	for _, n := range needlesFor(kept, r.forms) {
		r.needles = append(r.needles, newNeedle(n))
	}
	if len(r.forms) > 0 {
		r.chars = new([256]bool)
		for _, f := range r.forms {
			for i := 0; i < len(f); i++ {
				r.chars[f[i]] = true
			}
		}
	}
	return r
}

// needlesFor returns strings at least one of which appears in any text
// holding one of forms: each secret as given, percent-encoded and
// JSON-escaped, and for base64 (both alphabets) the encoding of the whole
// 3-byte groups inside the secret at each of the three offsets it can sit
// at, which every base64 text holding the secret contains, whatever
// surrounds it. A secret too short to fill a whole group at some offset
// keeps its full base64 forms.
func needlesFor(secrets, forms []string) []string {
	seen := map[string]bool{}
	var out []string
	add := func(n string) {
		if len(n) >= 4 && !seen[n] {
			seen[n] = true
			out = append(out, n)
		}
	}
	short := false
	for _, s := range secrets {
		add(s)
		add(url.QueryEscape(s))
		add(url.PathEscape(s))
		if j, err := json.Marshal(s); err == nil {
			add(string(j[1 : len(j)-1]))
		}
		for off := 0; off < 3; off++ {
			// s sits off bytes into a 3-byte group: its whole groups
			// start at (3-off)%3.
			first := (3 - off) % 3
			if len(s)-first < 3 {
				short = true
				continue
			}
			part := s[first:]
			part = part[:len(part)/3*3]
			add(base64.RawStdEncoding.EncodeToString([]byte(part)))
			add(base64.RawURLEncoding.EncodeToString([]byte(part)))
		}
	}
	if short {
		for _, f := range forms {
			add(f)
		}
	}
	return out
}

// String replaces every form of every secret in s with [REDACTED].
func (r Redactor) String(s string) string {
	for _, f := range r.forms {
		if strings.Contains(s, f) {
			s = strings.ReplaceAll(s, f, "[REDACTED]")
		}
	}
	return s
}

// Bytes is String for byte slices; it returns b itself when nothing changes.
func (r Redactor) Bytes(b []byte) []byte {
	for _, f := range r.forms {
		if bytes.Contains(b, []byte(f)) {
			return []byte(r.String(string(b)))
		}
	}
	return b
}

// Header returns h with secrets removed from names and values: h itself
// when none holds one, else a copy.
func (r Redactor) Header(h http.Header) http.Header {
	if h == nil || !r.HeaderHolds(h) {
		return h
	}
	out := make(http.Header, len(h))
	for k, vs := range h {
		rk := r.String(k)
		for _, v := range vs {
			out[rk] = append(out[rk], r.String(v))
		}
	}
	return out
}

// HeaderHolds reports whether a header name or value holds a secret: the
// check that lets an answer's headers be kept as they are in the common
// case (Header copies them only when one does).
func (r Redactor) HeaderHolds(h http.Header) bool {
	for k, vs := range h {
		if r.String(k) != k {
			return true
		}
		for _, v := range vs {
			if r.String(v) != v {
				return true
			}
		}
	}
	return false
}

// Value removes secrets from every string, byte slice, map and slice
// reachable from v (a pointer to a struct, such as a vendor's own error
// type built from a response), in place.
func (r Redactor) Value(v any) {
	if len(r.forms) == 0 {
		return
	}
	r.walk(reflect.ValueOf(v), 0)
}

func (r Redactor) walk(v reflect.Value, depth int) {
	if depth > 32 || !v.IsValid() {
		return
	}
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			if v.Kind() == reflect.Interface && v.Elem().Kind() == reflect.String && v.CanSet() {
				v.Set(reflect.ValueOf(r.String(v.Elem().String())).Convert(v.Elem().Type()))
				return
			}
			r.walk(v.Elem(), depth+1)
		}
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() {
				r.walk(v.Field(i), depth+1)
			}
		}
	case reflect.String:
		if v.CanSet() {
			v.SetString(r.String(v.String()))
		}
	case reflect.Slice:
		if v.Type().Elem().Kind() == reflect.Uint8 {
			if v.CanSet() && !v.IsNil() {
				v.SetBytes(r.JSON(v.Bytes()))
			}
			return
		}
		for i := 0; i < v.Len(); i++ {
			r.walk(v.Index(i), depth+1)
		}
	case reflect.Array:
		for i := 0; i < v.Len(); i++ {
			r.walk(v.Index(i), depth+1)
		}
	case reflect.Map:
		if v.IsNil() || v.Type().Key().Kind() != reflect.String {
			return
		}
		for _, k := range v.MapKeys() {
			e := reflect.New(v.Type().Elem()).Elem()
			e.Set(v.MapIndex(k))
			r.walk(e, depth+1)
			v.SetMapIndex(k, reflect.Value{})
			v.SetMapIndex(reflect.ValueOf(r.String(k.String())).Convert(k.Type()), e)
		}
	}
}

// sensitiveQuery reports whether a query parameter's value is always
// redacted: exact names, or names ending in a secret-bearing word.
func sensitiveQuery(name string) bool {
	n := strings.ToLower(name)
	switch n {
	case "key", "sig", "signature", "auth":
		return true
	}
	for _, suffix := range []string{"token", "secret", "password", "apikey", "api_key"} {
		if strings.HasSuffix(n, suffix) {
			return true
		}
	}
	return false
}

// URL returns u as a string with secrets and sensitive query values
// redacted.
func (r Redactor) URL(u *url.URL) string {
	if u == nil {
		return ""
	}
	cp := *u
	cp.User = nil
	if cp.RawQuery != "" {
		q := cp.Query()
		changed := false
		for name := range q {
			if sensitiveQuery(name) {
				q.Set(name, "REDACTED")
				changed = true
			}
		}
		if changed {
			cp.RawQuery = q.Encode()
		}
	}
	return r.String(cp.String())
}

// Empty reports whether r knows no secret: it then changes nothing.
func (r Redactor) Empty() bool { return len(r.forms) == 0 }
