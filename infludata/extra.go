package infludata

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"sync"
)

// Extra holds the members of a JSON object that the model does not name,
// as raw JSON, so a body whose shape is not documented field by field
// round-trips without loss.
type Extra map[string]json.RawMessage

var knownKeys sync.Map // reflect.Type -> map[string]bool

// jsonKeys returns the JSON member names a struct type decodes.
func jsonKeys(t reflect.Type) map[string]bool {
	if v, ok := knownKeys.Load(t); ok {
		return v.(map[string]bool)
	}
	keys := map[string]bool{}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if tag == "-" || !f.IsExported() {
			continue
		}
		name, _, _ := strings.Cut(tag, ",")
		if name == "" {
			name = f.Name
		}
		keys[name] = true
	}
	knownKeys.Store(t, keys)
	return keys
}

// extraMembers returns the members of the JSON object data that struct
// type t does not name, and the named members whose value is empty ("",
// 0, false, [], {}), which omitempty would drop on encoding.
func extraMembers(data []byte, t reflect.Type) (extra, zeros Extra) {
	var all map[string]json.RawMessage
	if json.Unmarshal(data, &all) != nil {
		return nil, nil
	}
	keys := jsonKeys(t)
	for k, v := range all {
		if !keys[k] {
			if extra == nil {
				extra = Extra{}
			}
			extra[k] = v
			continue
		}
		if emptyJSON(v) {
			if zeros == nil {
				zeros = Extra{}
			}
			zeros[k] = v
		}
	}
	return extra, zeros
}

func emptyJSON(v json.RawMessage) bool {
	switch string(bytes.TrimSpace(v)) {
	case `""`, "0", "false", "[]", "{}":
		return true
	}
	var f float64
	return json.Unmarshal(v, &f) == nil && f == 0
}

// encodeWithExtra encodes known (a struct) and adds the members of each
// extra set that the encoding does not already hold.
func encodeWithExtra(known any, extras ...Extra) ([]byte, error) {
	b, err := json.Marshal(known)
	n := 0
	for _, e := range extras {
		n += len(e)
	}
	if err != nil || n == 0 {
		return b, err
	}
	var all map[string]json.RawMessage
	if err := json.Unmarshal(b, &all); err != nil {
		return nil, err
	}
	for _, e := range extras {
		for k, v := range e {
			if _, named := all[k]; !named {
				all[k] = v
			}
		}
	}
	return json.Marshal(all)
}
