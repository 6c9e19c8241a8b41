package hypeauditor

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"net/url"
	"strings"
)

// scrub removes the client's credentials from a result built from a
// response, when its body holds any form of them (a server or a proxy
// echoing the request): every exported string of the result, its Raw and
// its metadata are redacted in place by the transport's redactor, which
// knows every form (as sent, percent-encoded, JSON-escaped, base64 alone
// and as Basic auth). A body without them costs one scan for a few
// needles (echoNeedles).
func (c *Client) scrub(raw json.RawMessage, result any) {
	if c.echoed(raw) {
		c.t.RedactValue(result)
	}
}

// echoed reports whether raw may hold a credential in a form the redactor
// removes (never false when it does).
func (c *Client) echoed(raw []byte) bool {
	for _, n := range c.echoes {
		if bytes.Contains(raw, n) {
			return true
		}
	}
	return false
}

// echoNeedles returns byte strings at least one of which occurs in any
// text holding a secret in one of the forms the redactor removes: each
// secret as given, percent-encoded and JSON-escaped, and for base64 (standard
// or URL alphabet, padded or not, of the secret alone or next to other
// bytes, as in Basic auth's "id:token") the encoding of the whole 3-byte
// groups that lie inside the secret, for each of the three alignments the
// secret can have in the encoded text. Those groups encode the same
// whatever surrounds them, so fewer needles than forms are searched.
// Secrets under 4 bytes are not redacted and get none.
func echoNeedles(secrets []string) [][]byte {
	seen := map[string]bool{}
	var out [][]byte
	add := func(n string) {
		// The body holds each string JSON-escaped, and a JSON encoder may
		// also escape '/' as "\/" (PHP's does by default).
		j, _ := json.Marshal(n)
		esc := string(j[1 : len(j)-1])
		for _, v := range []string{n, esc, strings.ReplaceAll(esc, "/", `\/`)} {
			if len(v) >= 4 && !seen[v] {
				seen[v] = true
				out = append(out, []byte(v))
			}
		}
	}
	for _, s := range secrets {
		if len(s) < 4 {
			continue
		}
		add(s)
		add(url.QueryEscape(s))
		add(url.PathEscape(s))
		j, _ := json.Marshal(s)
		add(string(j[1 : len(j)-1])) // a JSON-escaped echo, escaped again in the body
		for j := 0; j < 3; j++ {
			whole := (len(s) - j) / 3 * 3
			if whole < 3 {
				continue
			}
			for _, enc := range []*base64.Encoding{base64.RawStdEncoding, base64.RawURLEncoding} {
				add(enc.EncodeToString([]byte(s[j : j+whole])))
			}
		}
	}
	return out
}
