package jsonx

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type inner struct {
	Mark  string  `json:"mark"`
	Value float64 `json:"value"`
}

type Base struct {
	ID   ID     `json:"id" creatorkit:"control"`
	Kind string `json:"kind"`
}

type sample struct {
	Base
	Name    string            `json:"name"`
	Count   int64             `json:"count"`
	When    Time              `json:"when"`
	Score   *Float            `json:"score"`
	Tags    []string          `json:"tags"`
	Inner   inner             `json:"inner"`
	Items   []inner           `json:"items"`
	ByDate  map[string]int    `json:"by_date"`
	Buckets map[string]inner  `json:"buckets"`
	Extra   json.RawMessage   `json:"extra"`
	Any     any               `json:"any"`
	Union   union             `json:"union"`
	Ptr     *inner            `json:"ptr"`
	Fixed   [2]int            `json:"fixed"`
	Renamed string            `json:"Renamed"`
	Nested  map[string][]bool `json:"nested"`
}

// union is a Lenient type: a string id or an object with the id inside.
type union struct {
	ID    string
	Inner inner
}

func (u *union) UnmarshalLenient(d *Decoder, data []byte) {
	if len(data) > 0 && data[0] == '"' {
		d.Decode(data, &u.ID)
		return
	}
	var w struct {
		ID    string          `json:"id"`
		Inner json.RawMessage `json:"inner"`
	}
	if !d.Decode(data, &w) {
		return
	}
	u.ID = w.ID
	if w.Inner != nil {
		d.Field("inner", w.Inner, &u.Inner)
	}
}

func (u *union) UnmarshalJSON(b []byte) error { return Strict(b, u) }

const good = `{"id":7,"kind":"k","name":"n","count":3,"when":"2026-06-25 17:00:00","score":"4.5","tags":["a","b"],
"inner":{"mark":"good","value":1.5},"items":[{"mark":"a","value":1},{"mark":"b","value":2}],
"by_date":{"2026-01-01":1,"2026-01-02":2},"buckets":{"x":{"mark":"m","value":3}},"extra":{"k":[1]},"any":{"z":1},
"union":{"id":"u1","inner":{"mark":"deep","value":9}},"ptr":{"mark":"p","value":2},"fixed":[1,2],"renamed":"r","nested":{"a":[true]}}`

func TestDecodeFastPathEqualsEncodingJSON(t *testing.T) {
	var a, b sample
	issues, err := Decode([]byte(good), &a)
	require.NoError(t, err)
	assert.Empty(t, issues)
	require.NoError(t, json.Unmarshal([]byte(good), &b))
	assert.Equal(t, b, a)
	assert.Equal(t, "deep", a.Union.Inner.Mark)
	assert.Equal(t, "r", a.Renamed, "members match field names case-insensitively, as in encoding/json")
}

// mutate replaces the value at key (a top-level member) in good.
func mutate(t *testing.T, key string, value any) []byte {
	t.Helper()
	var m map[string]any
	require.NoError(t, json.Unmarshal([]byte(good), &m))
	m[key] = value
	out, err := json.Marshal(m)
	require.NoError(t, err)
	return out
}

func TestDecodeKeepsEverythingElseAndReportsTheMismatch(t *testing.T) {
	var want sample
	require.NoError(t, json.Unmarshal([]byte(good), &want))
	cases := []struct {
		key   string
		value any
		path  string
		got   string
		check func(s *sample)
	}{
		{"count", "three", "count", "string", func(s *sample) { s.Count = 0 }},
		{"name", 12, "name", "number", func(s *sample) { s.Name = "" }},
		{"when", "yesterday", "when", "string", func(s *sample) { s.When = Time{} }},
		{"when", map[string]any{"v": 1}, "when", "object", func(s *sample) { s.When = Time{} }},
		{"score", true, "score", "bool", func(s *sample) { s.Score = nil }},
		{"tags", "a", "tags", "string", func(s *sample) { s.Tags = nil }},
		{"inner", "good", "inner", "string", func(s *sample) { s.Inner = inner{} }},
		{"ptr", 5, "ptr", "number", func(s *sample) { s.Ptr = nil }},
		{"kind", []any{1}, "kind", "array", func(s *sample) { s.Kind = "" }},
		{"fixed", "x", "fixed", "string", func(s *sample) { s.Fixed = [2]int{} }},
	}
	for _, c := range cases {
		var got sample
		issues, err := Decode(mutate(t, c.key, c.value), &got)
		require.NoError(t, err, c.key)
		require.Len(t, issues, 1, c.key)
		assert.Equal(t, c.path, issues[0].Path)
		assert.Equal(t, c.got, issues[0].Got)
		assert.False(t, issues[0].Control)
		exp := want
		c.check(&exp)
		assert.Equal(t, exp, got, "%s: every other field keeps its value", c.key)
	}
}

func TestDecodeDeepIssuesHavePaths(t *testing.T) {
	var m map[string]any
	require.NoError(t, json.Unmarshal([]byte(good), &m))
	m["items"].([]any)[1].(map[string]any)["value"] = "lots"
	m["by_date"].(map[string]any)["meta"] = map[string]any{"source": "x"} // an unknown member in a map keyed by data
	m["buckets"].(map[string]any)["x"].(map[string]any)["mark"] = 3
	m["union"].(map[string]any)["inner"].(map[string]any)["value"] = "nine"
	m["nested"].(map[string]any)["a"] = []any{true, "no"}
	m["id"] = []any{}
	m["brand_new"] = map[string]any{"a": 1}
	body, _ := json.Marshal(m)
	var s sample
	issues, err := Decode(body, &s)
	require.NoError(t, err)
	paths := map[string]Issue{}
	for _, i := range issues {
		paths[i.Path] = i
	}
	assert.Len(t, issues, 6)
	assert.Contains(t, paths, "items[1].value")
	assert.Contains(t, paths, "by_date.meta")
	assert.Contains(t, paths, "buckets.x.mark")
	assert.Contains(t, paths, "union.inner.value", "issues inside a Lenient type keep their path")
	assert.Contains(t, paths, "nested.a[1]")
	assert.True(t, paths["id"].Control, "a control field is flagged")
	assert.Equal(t, "creatorkit.ID", paths["id"].Want)
	assert.Equal(t, map[string]int{"2026-01-01": 1, "2026-01-02": 2}, s.ByDate, "the unknown member is dropped, the data kept")
	assert.Equal(t, "b", s.Items[1].Mark)
	assert.Equal(t, 1.0, s.Items[0].Value)
	assert.Equal(t, "deep", s.Union.Inner.Mark)
	assert.Equal(t, "u1", s.Union.ID)
	assert.Equal(t, []bool{true, false}, s.Nested["a"])
	assert.Equal(t, "k", s.Kind)
}

func TestDecodeUnionShapes(t *testing.T) {
	var s struct {
		U union `json:"u"`
	}
	issues, err := Decode([]byte(`{"u":"plain"}`), &s)
	require.NoError(t, err)
	assert.Empty(t, issues)
	assert.Equal(t, "plain", s.U.ID)
	issues, err = Decode([]byte(`{"u":12}`), &s)
	require.NoError(t, err)
	require.Len(t, issues, 1)
	assert.Equal(t, "u", issues[0].Path)
	assert.Error(t, json.Unmarshal([]byte(`{"u":12}`), &s), "Strict makes the type's UnmarshalJSON strict")
}

func TestDecodeNotJSONIsAnError(t *testing.T) {
	var s sample
	for _, body := range []string{`{"id":1`, `<html>`, ``, `{"id":1}<p>`} {
		_, err := Decode([]byte(body), &s)
		assert.Error(t, err, body)
	}
	_, err := Decode([]byte(`{}`), s)
	assert.Error(t, err, "not a pointer")
}

func TestDecodeNullIsNoValue(t *testing.T) {
	var s sample
	issues, err := Decode(mutate(t, "count", nil), &s)
	require.NoError(t, err)
	assert.Empty(t, issues)
	assert.Zero(t, s.Count)
	assert.Equal(t, "n", s.Name)
}

func TestStrictReportsEveryIssue(t *testing.T) {
	var u union
	err := Strict([]byte(`{"id":1,"inner":{"value":"x"}}`), &u)
	var me *MismatchError
	require.ErrorAs(t, err, &me)
	assert.Len(t, me.Issues, 2)
	assert.Contains(t, err.Error(), "and 1 more")
}

// Registered is an exported-style type whose tolerant decoding is
// registered rather than a method.
type Registered struct {
	Name string
	N    int
}

func init() {
	Register(func(d *Decoder, data []byte, r *Registered) {
		var w struct {
			Name string          `json:"name"`
			N    json.RawMessage `json:"n"`
		}
		if !d.Decode(data, &w) {
			return
		}
		r.Name = w.Name
		if w.N != nil {
			d.Field("n", w.N, &r.N)
		}
	})
}

func (r *Registered) UnmarshalJSON(b []byte) error { return StrictFor(b, r) }

func TestRegisteredDecoders(t *testing.T) {
	var s struct {
		R    Registered   `json:"r"`
		List []Registered `json:"list"`
	}
	issues, err := Decode([]byte(`{"r":{"name":"a","n":"x"},"list":[{"name":"b","n":2},{"name":"c","n":[]}]}`), &s)
	require.NoError(t, err)
	require.Len(t, issues, 2)
	assert.Equal(t, "r.n", issues[0].Path)
	assert.Equal(t, "list[1].n", issues[1].Path)
	assert.Equal(t, "a", s.R.Name)
	assert.Equal(t, 2, s.List[0].N)
	assert.Equal(t, "c", s.List[1].Name)
	assert.Error(t, json.Unmarshal([]byte(`{"name":"a","n":"x"}`), &s.R), "StrictFor makes UnmarshalJSON strict")
	var u struct{ X int }
	assert.Error(t, StrictFor([]byte(`{}`), &u), "nothing registered")
}

// Issues come out in the document's order, every run (members were once
// walked through a map, whose order changes from run to run).
func TestIssuesInDocumentOrder(t *testing.T) {
	var s struct {
		A, B, C, D, E, F, G, H int
		M                      map[string]int
	}
	body := []byte(`{"h":"x","c":"x","a":"x","m":{"z":"x","b":"x","y":"x"},"g":"x","e":"x","b":"x","f":"x","d":"x"}`)
	want := []string{"h", "c", "a", "m.z", "m.b", "m.y", "g", "e", "b", "f", "d"}
	for range 20 {
		issues, err := Decode(body, &s)
		require.NoError(t, err)
		var got []string
		for _, is := range issues {
			got = append(got, is.Path)
		}
		require.Equal(t, want, got)
	}
}

func TestMembersKeepOrderAndRefuseNonObjects(t *testing.T) {
	ms, ok := Members([]byte(` {"b":1,"a":[2],"b":{"c":3}} `))
	require.True(t, ok)
	require.Len(t, ms, 3)
	assert.Equal(t, "b", ms[0].Name)
	assert.Equal(t, "a", ms[1].Name)
	assert.JSONEq(t, `{"c":3}`, string(ms[2].Raw))
	for _, bad := range []string{``, `[]`, `{"a":1`, `{"a" 1}`, `{"a":1}x`, `null`} {
		_, ok := Members([]byte(bad))
		assert.False(t, ok, bad)
	}
}

func TestKindNamesEveryJSONKind(t *testing.T) {
	for data, want := range map[string]string{"": "nothing", " {}": "object", "[1]": "array", `"s"`: "string",
		"true": "bool", "false": "bool", "null": "null", "-1.5": "number"} {
		assert.Equal(t, want, Kind([]byte(data)), data)
	}
}
