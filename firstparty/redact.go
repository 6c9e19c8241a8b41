package firstparty

import (
	"bytes"
	"encoding/json"
	"reflect"

	"github.com/creatorkit/creatorkit-go/internal/jsonx"
	"github.com/creatorkit/creatorkit-go/internal/transport"
)

// redactResult removes the client's token from a result decoded from a
// response (out, a pointer to a struct with Raw and Response fields),
// whatever echoed it (a misbehaving server or proxy). When the body
// carries the token in any form (as is, percent-encoded, JSON-escaped,
// base64), the result is decoded again from the redacted body, so that
// nothing kept from it (Raw, the bytes a Trend or a timestamp re-encodes)
// holds the token. When the body holds JSON escapes that could spell the
// token in a decoded string, every exported string is redacted as well.
// Bodies without either, the normal case, cost one scan.
func redactResult(t *transport.Client, out any, raw json.RawMessage, meta *ResponseMeta) {
	if red := t.Redact(string(raw)); red != string(raw) {
		v := reflect.ValueOf(out).Elem()
		kept := reflect.New(v.Type()).Elem()
		kept.Set(v)
		v.SetZero()
		if issues, err := jsonx.Decode([]byte(red), out); err == nil {
			if meta != nil {
				meta.DecodeIssues = issues
			}
		} else {
			v.Set(kept) // the redaction broke the JSON (a token inside a number): keep the decode, walk it below
		}
		raw = json.RawMessage(red)
		transport.SetResult(out, raw, meta)
		t.RedactValue(out)
		return
	}
	if escapes(raw) {
		t.RedactValue(out)
	}
}

// escapes reports a JSON escape other than \n, \t, \r, \b, \f: one that
// may stand for a character of a token.
func escapes(raw []byte) bool {
	for i := bytes.IndexByte(raw, '\\'); i >= 0 && i+1 < len(raw); {
		switch raw[i+1] {
		case 'n', 't', 'r', 'b', 'f':
		default:
			return true
		}
		j := bytes.IndexByte(raw[i+2:], '\\')
		if j < 0 {
			return false
		}
		i += 2 + j
	}
	return false
}
