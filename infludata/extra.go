package infludata

import (
	"encoding/json"
	"reflect"
	"strings"
	"sync"
)

// Extra holds the members of a JSON object that the model does not name,
// as raw JSON, so a body whose shape is not documented field by field
// round-trips without loss. (A candidate for internal/jsonx.)
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

// decodeWithExtra decodes data into known (a pointer to a struct) and
// returns the members it does not name.
func decodeWithExtra(data []byte, known any) (Extra, error) {
	if err := json.Unmarshal(data, known); err != nil {
		return nil, err
	}
	var all map[string]json.RawMessage
	if err := json.Unmarshal(data, &all); err != nil {
		return nil, err
	}
	keys := jsonKeys(reflect.TypeOf(known).Elem())
	var extra Extra
	for k, v := range all {
		if keys[k] {
			continue
		}
		if extra == nil {
			extra = Extra{}
		}
		extra[k] = v
	}
	return extra, nil
}

// encodeWithExtra encodes known (a struct) and adds the extra members.
func encodeWithExtra(known any, extra Extra) ([]byte, error) {
	b, err := json.Marshal(known)
	if err != nil || len(extra) == 0 {
		return b, err
	}
	var all map[string]json.RawMessage
	if err := json.Unmarshal(b, &all); err != nil {
		return nil, err
	}
	for k, v := range extra {
		if _, named := all[k]; !named {
			all[k] = v
		}
	}
	return json.Marshal(all)
}
