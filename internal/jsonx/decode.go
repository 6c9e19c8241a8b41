// Package jsonx decodes vendor payloads tolerantly: a value that does not
// fit its Go type is left at its zero value and reported, and the rest of
// the payload is decoded (see Decode). The lenient value types (Time,
// Float, Int, ID) live in the root package and are re-exported here.
package jsonx

import (
	"bytes"
	"encoding"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"sync"

	"github.com/creatorkit/creatorkit-go"
)

// Issue is one value of a payload that did not fit its Go type
// (creatorkit.DecodeIssue).
type Issue = creatorkit.DecodeIssue

// Lenient is implemented by unexported types with their own JSON shape
// (unions of the shapes a vendor sends, envelopes) so that tolerant
// decoding reaches inside them: UnmarshalLenient decodes data through d,
// reporting what did not fit instead of failing. Such types usually
// implement UnmarshalJSON with Strict, so encoding/json sees the same
// logic. Exported types use Register instead, so that no exported method
// mentions this internal package.
type Lenient interface {
	UnmarshalLenient(d *Decoder, data []byte)
}

// registry holds the tolerant decoders registered with Register, by type.
var registry sync.Map // reflect.Type -> func(*Decoder, []byte, reflect.Value)

// Register makes fn the tolerant decoding of T: the decoder calls it for
// every T it meets (at the top of a body or deep inside one), so an
// exported type can decode member by member, reporting what does not fit,
// without exporting a method that mentions this package. Call it from an
// init function; T's UnmarshalJSON is usually `return jsonx.StrictFor(b, t)`.
func Register[T any](fn func(d *Decoder, data []byte, v *T)) {
	registry.Store(reflect.TypeFor[T](), func(d *Decoder, data []byte, v reflect.Value) {
		fn(d, data, v.Addr().Interface().(*T))
	})
}

// StrictFor runs T's registered decoding and fails on the first issue: the
// body of T's UnmarshalJSON, so encoding/json applies the same logic.
func StrictFor[T any](data []byte, v *T) error {
	f, ok := registry.Load(reflect.TypeFor[T]())
	if !ok {
		return fmt.Errorf("jsonx: no decoder registered for %T", v)
	}
	d := &Decoder{}
	f.(func(*Decoder, []byte, reflect.Value))(d, data, reflect.ValueOf(v).Elem())
	if len(d.issues) > 0 {
		return &MismatchError{Issues: d.issues}
	}
	return nil
}

// ControlTag marks a struct field the SDK needs to go on (a state, an id, a
// cursor): `creatorkit:"control"`. A value there that does not fit its type
// makes the whole answer unusable (Issue.Control).
const ControlTag = "control"

// Decode decodes data into out (a non-nil pointer) tolerantly: every value
// that fits its Go type is decoded, every value that does not is left at
// its zero value and returned as an Issue, and unknown members are ignored
// (also in maps keyed by data, whose entries that do not fit are dropped).
// A JSON null leaves a value at its zero value without an issue, as
// encoding/json does. Only data that is not JSON at all is an error.
//
// Well-formed payloads take encoding/json's own path, at its speed; the
// field-by-field walk runs only when that path reports a mismatch.
func Decode(data []byte, out any) ([]Issue, error) {
	rv := reflect.ValueOf(out)
	if rv.Kind() != reflect.Pointer || rv.IsNil() {
		return nil, fmt.Errorf("jsonx: Decode needs a non-nil pointer, got %T", out)
	}
	err := json.Unmarshal(data, out)
	if err == nil {
		return nil, nil
	}
	var se *json.SyntaxError
	if errors.As(err, &se) || !json.Valid(data) {
		return nil, err
	}
	rv.Elem().SetZero()
	d := &Decoder{}
	d.value(data, rv.Elem())
	if len(d.issues) == 0 {
		// encoding/json refused something the walk accepted (a custom
		// type that fails on its own terms): say so rather than hide it.
		d.issues = append(d.issues, Issue{Path: "$", Got: Kind(data), Want: rv.Elem().Type().String(), Detail: err.Error()})
	}
	return d.issues, nil
}

// Strict runs a Lenient type's decoding and fails on the first issue: the
// body of an UnmarshalJSON method for a Lenient type.
func Strict(data []byte, l Lenient) error {
	d := &Decoder{}
	l.UnmarshalLenient(d, data)
	if len(d.issues) > 0 {
		return &MismatchError{Issues: d.issues}
	}
	return nil
}

// MismatchError lists values that did not fit their Go types.
type MismatchError struct{ Issues []Issue }

// Error describes the first mismatch and how many there were.
func (e *MismatchError) Error() string {
	if len(e.Issues) == 1 {
		return "jsonx: " + e.Issues[0].String()
	}
	return fmt.Sprintf("jsonx: %s (and %d more)", e.Issues[0], len(e.Issues)-1)
}

// Decoder carries the path and the issues of one tolerant decode. Lenient
// types receive it.
type Decoder struct {
	path    []string
	control int
	issues  []Issue
}

// Issues returns the issues recorded so far.
func (d *Decoder) Issues() []Issue { return d.issues }

// Decode decodes data into out (a non-nil pointer) at the current path,
// reporting what does not fit. It reports whether the value's own shape
// fitted (false: out was left at its zero value).
func (d *Decoder) Decode(data []byte, out any) bool {
	rv := reflect.ValueOf(out)
	if rv.Kind() != reflect.Pointer || rv.IsNil() {
		d.Report(data, fmt.Sprintf("%T", out), "not a pointer")
		return false
	}
	return d.value(data, rv.Elem())
}

// Field decodes data into out under the member name.
func (d *Decoder) Field(name string, data []byte, out any) bool {
	d.path = append(d.path, pathKey(name))
	defer d.pop()
	return d.Decode(data, out)
}

// Report records that data did not fit want at the current path.
func (d *Decoder) Report(data []byte, want, detail string) {
	d.issues = append(d.issues, Issue{Path: d.pathString(), Got: Kind(data), Want: want, Detail: detail, Control: d.control > 0})
}

func (d *Decoder) pop() { d.path = d.path[:len(d.path)-1] }

// pathKey writes one member of a path: ".name", or `["name"]` for a name
// that is empty or holds '.', '[', ']' or '"' (the form fixture paths use).
func pathKey(k string) string {
	if k == "" || strings.ContainsAny(k, `.[]"`) {
		return "[" + strconv.Quote(k) + "]"
	}
	return "." + k
}

func (d *Decoder) pathString() string {
	s := strings.TrimPrefix(strings.Join(d.path, ""), ".")
	if s == "" {
		return "$"
	}
	return s
}

var (
	lenientType     = reflect.TypeFor[Lenient]()
	unmarshalerType = reflect.TypeFor[json.Unmarshaler]()
	textType        = reflect.TypeFor[encoding.TextUnmarshaler]()
	nullJSON        = []byte("null")
)

func (d *Decoder) value(data []byte, v reflect.Value) bool {
	data = bytes.TrimSpace(data)
	if bytes.Equal(data, nullJSON) {
		switch v.Kind() {
		case reflect.Pointer, reflect.Map, reflect.Slice, reflect.Interface:
			v.SetZero()
		}
		return true
	}
	if v.CanAddr() {
		if f, ok := registry.Load(v.Type()); ok {
			v.SetZero()
			f.(func(*Decoder, []byte, reflect.Value))(d, data, v)
			return true
		}
		pt := v.Addr().Type()
		switch {
		case pt.Implements(lenientType):
			v.SetZero()
			v.Addr().Interface().(Lenient).UnmarshalLenient(d, data)
			return true
		case pt.Implements(unmarshalerType) || (pt.Implements(textType) && data[0] == '"'):
			if err := json.Unmarshal(data, v.Addr().Interface()); err != nil {
				v.SetZero()
				d.Report(data, v.Type().String(), detail(err))
				return false
			}
			return true
		}
	}
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			v.Set(reflect.New(v.Type().Elem()))
		}
		if !d.value(data, v.Elem()) {
			v.SetZero()
			return false
		}
		return true
	case reflect.Struct:
		return d.object(data, v)
	case reflect.Map:
		return d.mapValue(data, v)
	case reflect.Slice:
		if v.Type().Elem().Kind() == reflect.Uint8 && data[0] == '"' {
			return d.plain(data, v) // []byte is base64 in a string
		}
		return d.array(data, v)
	case reflect.Array:
		return d.array(data, v)
	}
	return d.plain(data, v)
}

// plain decodes a value encoding/json handles alone (numbers, strings,
// bools, interfaces).
func (d *Decoder) plain(data []byte, v reflect.Value) bool {
	if err := json.Unmarshal(data, v.Addr().Interface()); err != nil {
		v.SetZero()
		d.Report(data, v.Type().String(), "")
		return false
	}
	return true
}

// Member is one name and value of a JSON object.
type Member struct {
	Name string
	Raw  json.RawMessage
}

// Members returns an object's members in the order the document gives
// them, so a decoder walking them reports issues in that order (a map
// would give a different order each run), and a repeated name ends with
// its last value, as in encoding/json; false if data is not an object.
func Members(data []byte) ([]Member, bool) {
	data = bytes.TrimSpace(data)
	if len(data) == 0 || data[0] != '{' {
		return nil, false
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return nil, false
	}
	var out []Member
	for dec.More() {
		tok, err := dec.Token()
		name, ok := tok.(string)
		if err != nil || !ok {
			return nil, false
		}
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return nil, false
		}
		out = append(out, Member{name, raw})
	}
	if tok, err := dec.Token(); err != nil || tok != json.Delim('}') {
		return nil, false
	}
	if len(bytes.TrimSpace(data[dec.InputOffset():])) != 0 {
		return nil, false // something after the object
	}
	return out, true
}

func (d *Decoder) object(data []byte, v reflect.Value) bool {
	ms, ok := Members(data)
	if !ok {
		d.Report(data, v.Type().String(), "")
		return false
	}
	fields := fieldsOf(v.Type())
	for _, m := range ms {
		name, raw := m.Name, m.Raw
		f, ok := fields.byName[name]
		if !ok {
			f, ok = fields.byFold[strings.ToLower(name)]
		}
		if !ok {
			continue // unknown members are fine
		}
		fv, ok := fieldByIndexAlloc(v, f.index)
		if !ok {
			continue
		}
		d.path = append(d.path, pathKey(name))
		if f.control {
			d.control++
		}
		d.value(raw, fv)
		if f.control {
			d.control--
		}
		d.pop()
	}
	return true
}

func (d *Decoder) mapValue(data []byte, v reflect.Value) bool {
	ms, ok := Members(data)
	if !ok {
		d.Report(data, v.Type().String(), "")
		return false
	}
	t := v.Type()
	if v.IsNil() {
		v.Set(reflect.MakeMapWithSize(t, len(ms)))
	}
	for _, m := range ms {
		name, raw := m.Name, m.Raw
		d.path = append(d.path, pathKey(name))
		key, ok := mapKey(t.Key(), name)
		if !ok {
			d.Report([]byte(strconv.Quote(name)), t.Key().String(), "map key")
			d.pop()
			continue
		}
		elem := reflect.New(t.Elem()).Elem()
		if d.value(raw, elem) {
			v.SetMapIndex(key, elem)
		}
		d.pop()
	}
	return true
}

func mapKey(t reflect.Type, name string) (reflect.Value, bool) {
	if reflect.PointerTo(t).Implements(textType) {
		k := reflect.New(t)
		if k.Interface().(encoding.TextUnmarshaler).UnmarshalText([]byte(name)) != nil {
			return reflect.Value{}, false
		}
		return k.Elem(), true
	}
	k := reflect.New(t).Elem()
	switch t.Kind() {
	case reflect.String:
		k.SetString(name)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		n, err := strconv.ParseInt(name, 10, t.Bits())
		if err != nil {
			return reflect.Value{}, false
		}
		k.SetInt(n)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		n, err := strconv.ParseUint(name, 10, t.Bits())
		if err != nil {
			return reflect.Value{}, false
		}
		k.SetUint(n)
	default:
		return reflect.Value{}, false
	}
	return k, true
}

func (d *Decoder) array(data []byte, v reflect.Value) bool {
	var elems []json.RawMessage
	if data[0] != '[' || json.Unmarshal(data, &elems) != nil {
		d.Report(data, v.Type().String(), "")
		return false
	}
	if v.Kind() == reflect.Slice {
		v.Set(reflect.MakeSlice(v.Type(), len(elems), len(elems)))
	}
	for i, raw := range elems {
		if i >= v.Len() {
			break // a fixed-size array keeps what fits, as encoding/json does
		}
		d.path = append(d.path, "["+strconv.Itoa(i)+"]")
		d.value(raw, v.Index(i))
		d.pop()
	}
	return true
}

// fieldByIndexAlloc is FieldByIndex that allocates nil embedded pointers
// on the way; ok is false for an unexported embedded pointer it cannot set.
func fieldByIndexAlloc(v reflect.Value, index []int) (reflect.Value, bool) {
	for i, x := range index {
		if i > 0 && v.Kind() == reflect.Pointer {
			if v.IsNil() {
				if !v.CanSet() {
					return reflect.Value{}, false
				}
				v.Set(reflect.New(v.Type().Elem()))
			}
			v = v.Elem()
		}
		v = v.Field(x)
	}
	return v, v.CanSet()
}

// Kind names the JSON kind of a value as an Issue's Got does: "object",
// "array", "string", "bool", "null", "number", or "nothing" when data is
// empty.
func Kind(data []byte) string {
	data = bytes.TrimSpace(data)
	if len(data) == 0 {
		return "nothing"
	}
	switch data[0] {
	case '{':
		return "object"
	case '[':
		return "array"
	case '"':
		return "string"
	case 't', 'f':
		return "bool"
	case 'n':
		return "null"
	}
	return "number"
}

// detail shortens a custom decoder's error to its message.
func detail(err error) string {
	var me *MismatchError
	if errors.As(err, &me) {
		return me.Error()
	}
	s := err.Error()
	s = strings.TrimPrefix(s, "json: ")
	if len(s) > 160 {
		s = s[:160] + "…"
	}
	return s
}
