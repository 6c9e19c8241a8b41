// The leak checks find text in anything the SDK hands a caller. The
// vendor packages' echo tests use them to prove that a credential a server
// echoed back reaches no error, result or log: one walker for all five,
// so none of them looks at less than the others. EchoServer, Checker and
// Sweep are the echoing server and the checks of an error, a result and a
// text that firstparty's and ylytic's echo tests share.
package vendortest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"sync"
)

// maxDepth bounds the walk (the SDK's values are far shallower).
const maxDepth = 48

// Walk calls fn with the path and text of every string reachable from v
// through exported struct fields, map keys and values, slices, arrays,
// pointers and interfaces. A byte slice is walked as text and, when it
// holds JSON, every string inside it too (so an escape cannot hide a
// value); every error met on the way adds its Error(). Pointers already
// seen are not walked twice.
func Walk(v any, fn func(path, text string)) {
	w := walker{fn: fn, seen: map[uintptr]bool{}}
	w.walk("", reflect.ValueOf(v), 0)
}

// Strings returns every text Walk finds in v.
func Strings(v any) []string {
	var out []string
	Walk(v, func(_, s string) { out = append(out, s) })
	return out
}

type walker struct {
	fn   func(path, text string)
	seen map[uintptr]bool
}

func (w *walker) walk(path string, v reflect.Value, depth int) {
	if !v.IsValid() || depth > maxDepth {
		return
	}
	if (v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface) && !v.IsNil() && v.CanInterface() {
		if err, ok := v.Interface().(error); ok {
			w.fn(path+".Error()", err.Error())
		}
	}
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() || w.seen[v.Pointer()] {
			return
		}
		w.seen[v.Pointer()] = true
		w.walk(path, v.Elem(), depth+1)
	case reflect.Interface:
		if !v.IsNil() {
			w.walk(path, v.Elem(), depth+1)
		}
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			if f := v.Type().Field(i); f.IsExported() {
				w.walk(path+"."+f.Name, v.Field(i), depth+1)
			}
		}
	case reflect.String:
		w.fn(path, v.String())
	case reflect.Slice, reflect.Array:
		if v.Type().Elem().Kind() == reflect.Uint8 {
			b := make([]byte, v.Len())
			reflect.Copy(reflect.ValueOf(b), v)
			w.fn(path, string(b))
			var doc any
			if json.Valid(b) && json.Unmarshal(b, &doc) == nil {
				w.walk(path+"(json)", reflect.ValueOf(doc), depth+1)
			}
			return
		}
		for i := 0; i < v.Len(); i++ {
			w.walk(fmt.Sprintf("%s[%d]", path, i), v.Index(i), depth+1)
		}
	case reflect.Map:
		iter := v.MapRange()
		for iter.Next() {
			k := iter.Key()
			w.walk(path+"{key}", k, depth+1)
			w.walk(fmt.Sprintf("%s[%v]", path, k), iter.Value(), depth+1)
		}
	}
}

// Buffer is a log sink several goroutines may write, for a slog handler
// whose output a test searches afterwards.
type Buffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

// Write appends p.
func (b *Buffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// String returns everything written so far.
func (b *Buffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
