package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// packagesWithGetters are the public packages whose pointer fields get
// generated getters.
var packagesWithGetters = []string{".", "engagecheck", "creatoraudit", "infludata", "hypeauditor", "firstparty", "ylytic"}

// TestGettersAreCurrent fails when a package's getters.go is not what the
// generator writes now: run `go generate ./...` and commit the result.
func TestGettersAreCurrent(t *testing.T) {
	for _, p := range packagesWithGetters {
		dir := filepath.Join("..", "..", "..", p)
		want, err := Generate(dir)
		require.NoError(t, err, p)
		got, err := os.ReadFile(filepath.Join(dir, "getters.go"))
		if want == nil {
			assert.True(t, os.IsNotExist(err), "%s/getters.go should not exist", p)
			continue
		}
		require.NoError(t, err, "%s/getters.go is missing: run go generate ./...", p)
		assert.True(t, bytes.Equal(want, got), "%s/getters.go is stale: run go generate ./...", p)
	}
}

func TestGenerate(t *testing.T) {
	dir := t.TempDir()
	src := `package demo

import "time"

// S is a demo.
type S struct {
	N    *int
	T    *time.Time
	Sub  *S
	Kind *Kind
	Response *S
	x    *int
	List []*int
}

// Kind is a demo.
type Kind string

// GetN exists already.
func (s *S) GetN() int { return 0 }
`
	require.NoError(t, os.WriteFile(filepath.Join(dir, "demo.go"), []byte(src), 0o644))
	out, err := Generate(dir)
	require.NoError(t, err)
	code := string(out)
	assert.Contains(t, code, "func (x *S) GetT() time.Time {")
	assert.Contains(t, code, "func (x *S) GetSub() *S {")
	assert.Contains(t, code, "func (x *S) GetKind() Kind {")
	assert.NotContains(t, code, "GetN()", "an existing method is kept")
	assert.NotContains(t, code, "GetResponse")
	assert.NotContains(t, code, "Getx")
	assert.Contains(t, code, `import (
	"time"
)`)
}
