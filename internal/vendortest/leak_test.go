package vendortest

import (
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
)

type inner struct {
	Text   string
	hidden string
}

type outer struct {
	Name  string
	Ptr   *inner
	Again *inner
	Err   error
	Raw   []byte
	Arr   [3]byte
	Map   map[string][]string
	Any   any
	List  []inner
}

func TestWalkReachesEveryExportedText(t *testing.T) {
	in := &inner{Text: "in-ptr", hidden: "never"}
	v := outer{
		Name: "name", Ptr: in, Again: in,
		Err:  fmt.Errorf("wrapped: %w", errors.New("cause")),
		Raw:  []byte(`{"a":["json-\u0073ecret"]}`),
		Arr:  [3]byte{'a', 'r', 'r'},
		Map:  map[string][]string{"map-key": {"map-value"}},
		Any:  &inner{Text: "in-any"},
		List: []inner{{Text: "in-list"}},
	}
	got := map[string]string{}
	calls := 0
	Walk(v, func(p, s string) { got[p] = s; calls++ })
	assert.Equal(t, "name", got[".Name"])
	assert.Equal(t, "in-ptr", got[".Ptr.Text"])
	assert.NotContains(t, got, ".Again.Text", "a pointer is walked once")
	assert.Equal(t, "wrapped: cause", got[".Err.Error()"])
	assert.Equal(t, "json-secret", got[".Raw(json)[a][0]"], "a JSON byte slice is decoded, escapes undone")
	assert.Equal(t, "arr", got[".Arr"])
	assert.Equal(t, "map-key", got[".Map{key}"])
	assert.Equal(t, "map-value", got[".Map[map-key][0]"])
	assert.Equal(t, "in-any", got[".Any.Text"])
	assert.Equal(t, "in-list", got[".List[0].Text"])
	for _, s := range got {
		assert.NotEqual(t, "never", s, "unexported fields are not the caller's")
	}
	assert.Len(t, Strings(v), calls)
}

func TestWalkStopsOnCycles(t *testing.T) {
	type node struct {
		Name string
		Next *node
	}
	a := &node{Name: "a"}
	a.Next = a
	assert.Equal(t, []string{"a"}, Strings(a))
}

func TestBufferTakesConcurrentWrites(t *testing.T) {
	var b Buffer
	log := slog.New(slog.NewTextHandler(&b, nil))
	var wg sync.WaitGroup
	for i := range 50 {
		wg.Add(1)
		go func() { defer wg.Done(); log.Info("line", "i", i) }()
	}
	wg.Wait()
	assert.Equal(t, 50, strings.Count(b.String(), "msg=line"))
}

func TestHoldsFindsEveryEchoForm(t *testing.T) {
	const key = "ec_live_Zk9+q/Xy=Secret42"
	forms := []string{
		key,
		url.QueryEscape(key),
		strings.NewReplacer("%2B", "%2b", "%2F", "%2f", "%3D", "%3d").Replace(url.QueryEscape(key)), // lower-case hex
		url.PathEscape(key),
		base64.StdEncoding.EncodeToString([]byte(key)),
		base64.RawURLEncoding.EncodeToString([]byte(key)),
		base64.StdEncoding.EncodeToString([]byte("user:" + key)),
		base64.StdEncoding.EncodeToString([]byte("Authorization: Bearer " + key)),
		url.QueryEscape(base64.StdEncoding.EncodeToString([]byte("X-API-Key: " + key))),
	}
	for _, f := range forms {
		assert.True(t, Holds("request id "+f+" (after 2 attempts)", key), f)
	}
	assert.False(t, Holds("request id [REDACTED]", key))
	assert.False(t, Holds("", key))
	assert.False(t, Holds("anything", ""))
}
