package transport

import (
	"encoding/json"
	"net/http"
	"reflect"
	"strings"
	"sync"

	"github.com/creatorkit/creatorkit-go/internal/jsonx"
)

// ErrorDecoder fills e (already carrying status, request id, Retry-After,
// the redacted body and the status's default kind) from a vendor's error
// body. It may set Code, Message, RequestID, ResetAt, Details, and replace
// the kinds (SetKind) when the body says more than the status, e.g. a 429
// that means "quota spent" rather than "slow down".
type ErrorDecoder func(e *Error, status int, h http.Header, body []byte)

// DecodeSimpleError understands {"error":"msg"}, {"error":{"message":..,
// "code":..}}, {"message":"msg"} and plain text.
func DecodeSimpleError(e *Error, status int, _ http.Header, body []byte) {
	var v struct {
		Error   json.RawMessage `json:"error"`
		Message string          `json:"message"`
	}
	if json.Unmarshal(body, &v) != nil {
		e.Message = PlainMessage(body, status)
		return
	}
	var s string
	var obj struct {
		Code    json.RawMessage `json:"code"`
		Message string          `json:"message"`
	}
	switch {
	case json.Unmarshal(v.Error, &s) == nil && s != "":
		e.Message = s
	case json.Unmarshal(v.Error, &obj) == nil && (obj.Message != "" || len(obj.Code) > 0):
		e.Message = obj.Message
		e.Code = RawCode(obj.Code)
	case v.Message != "":
		e.Message = v.Message
	default:
		e.Message = PlainMessage(body, status)
	}
}

// RawCode renders a JSON code that may be a string or a number.
func RawCode(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var n json.Number
	if json.Unmarshal(raw, &n) == nil {
		return n.String()
	}
	return ""
}

// PlainMessage returns a short text for a body that is not the vendor's
// JSON error (an HTML page from a proxy, say).
func PlainMessage(body []byte, status int) string {
	s := strings.TrimSpace(string(body))
	if s == "" || strings.HasPrefix(s, "<") {
		return http.StatusText(status)
	}
	if len(s) > 200 {
		s = s[:200] + "…"
	}
	return s
}

// decodeInto zeroes out's target and decodes body into it tolerantly (see
// jsonx.Decode), so a retried attempt never mixes with the fields of an
// earlier one and one odd value never costs the whole answer.
func decodeInto(out any, body []byte) ([]jsonx.Issue, error) {
	rv := reflect.ValueOf(out)
	if rv.Kind() == reflect.Pointer && !rv.IsNil() {
		rv.Elem().SetZero()
	}
	return jsonx.Decode(body, out)
}

type resultFields struct {
	raw, meta []int // field index paths; nil when absent
}

var (
	rawType    = reflect.TypeOf(json.RawMessage(nil))
	metaType   = reflect.TypeOf((*ResponseMeta)(nil))
	fieldCache sync.Map // reflect.Type -> resultFields
)

func fieldsOf(t reflect.Type) resultFields {
	if v, ok := fieldCache.Load(t); ok {
		return v.(resultFields)
	}
	var f resultFields
	if sf, ok := t.FieldByName("Raw"); ok && sf.Type == rawType {
		f.raw = sf.Index
	}
	if sf, ok := t.FieldByName("Response"); ok && sf.Type == metaType {
		f.meta = sf.Index
	}
	fieldCache.Store(t, f)
	return f
}

// setResult stores the raw body and the metadata on a result struct that
// declares `Raw json.RawMessage` and/or `Response *ResponseMeta` fields.
func setResult(out any, body []byte, meta *ResponseMeta) {
	rv := reflect.ValueOf(out)
	if rv.Kind() != reflect.Pointer || rv.IsNil() || rv.Elem().Kind() != reflect.Struct {
		return
	}
	ev := rv.Elem()
	f := fieldsOf(ev.Type())
	if f.raw != nil && len(body) > 0 {
		ev.FieldByIndex(f.raw).SetBytes(body) // a json.RawMessage, set without boxing it
	}
	if f.meta != nil && meta != nil {
		ev.FieldByIndex(f.meta).Set(reflect.ValueOf(meta))
	}
}

// SetRaw stores raw JSON on any struct pointer with a Raw field; vendor
// packages use it for items decoded out of a page.
func SetRaw(out any, raw json.RawMessage) { setResult(out, raw, nil) }

// SetResult stores the raw body and the metadata on a result decoded out
// of an envelope ({"result": ...}, {"data": ...}), as Do does for a
// top-level result.
func SetResult(out any, raw json.RawMessage, meta *ResponseMeta) { setResult(out, raw, meta) }
