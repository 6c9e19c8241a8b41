package jsonx

import (
	"reflect"
	"strings"
	"sync"
)

// field is one JSON member of a struct: where it lives (through embedded
// structs) and whether the SDK needs it to go on.
type field struct {
	index   []int
	control bool
}

type structFields struct {
	byName map[string]field // exact JSON names
	byFold map[string]field // lower-cased, for encoding/json's case-insensitive match
}

var fieldCache sync.Map // reflect.Type -> *structFields

// fieldsOf lists a struct's JSON members the way encoding/json does: tag
// names, "-" skipped, unexported fields skipped, fields of embedded structs
// promoted unless a shallower field (or, at the same depth, a tagged one)
// has the name.
func fieldsOf(t reflect.Type) *structFields {
	if f, ok := fieldCache.Load(t); ok {
		return f.(*structFields)
	}
	type cand struct {
		field
		name   string
		depth  int
		tagged bool
	}
	var cands []cand
	type level struct {
		t     reflect.Type
		index []int
	}
	queue := []level{{t: t}}
	seen := map[reflect.Type]bool{}
	for depth := 0; len(queue) > 0; depth++ {
		var next []level
		for _, lv := range queue {
			if seen[lv.t] {
				continue
			}
			seen[lv.t] = true
			for i := 0; i < lv.t.NumField(); i++ {
				sf := lv.t.Field(i)
				tag := sf.Tag.Get("json")
				if tag == "-" {
					continue
				}
				name, _, _ := strings.Cut(tag, ",")
				index := append(append([]int(nil), lv.index...), i)
				ft := sf.Type
				if sf.Anonymous {
					if ft.Kind() == reflect.Pointer {
						ft = ft.Elem()
					}
					if name == "" && ft.Kind() == reflect.Struct {
						next = append(next, level{t: ft, index: index})
						continue
					}
					if !sf.IsExported() && ft.Kind() != reflect.Struct {
						continue
					}
				} else if !sf.IsExported() {
					continue
				}
				tagged := name != ""
				if name == "" {
					name = sf.Name
				}
				control := sf.Tag.Get("creatorkit") == ControlTag
				cands = append(cands, cand{field{index, control}, name, depth, tagged})
			}
		}
		queue = next
	}
	sf := &structFields{byName: map[string]field{}, byFold: map[string]field{}}
	best := map[string]cand{}
	ambiguous := map[string]bool{}
	for _, c := range cands {
		b, ok := best[c.name]
		switch {
		case !ok || c.depth < b.depth:
			best[c.name], ambiguous[c.name] = c, false
		case c.depth == b.depth && c.tagged && !b.tagged:
			best[c.name] = c
		case c.depth == b.depth && c.tagged == b.tagged:
			ambiguous[c.name] = true
		}
	}
	for name, c := range best {
		if ambiguous[name] {
			continue // encoding/json ignores a name two fields claim equally
		}
		sf.byName[name] = c.field
		low := strings.ToLower(name)
		if _, dup := sf.byFold[low]; !dup {
			sf.byFold[low] = c.field
		}
	}
	fieldCache.Store(t, sf)
	return sf
}
