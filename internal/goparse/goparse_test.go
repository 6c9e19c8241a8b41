package goparse

import (
	"go/token"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseDirKeepsTheFilesAsked(t *testing.T) {
	dir := t.TempDir()
	for name, src := range map[string]string{"a.go": "package p\n", "a_test.go": "package p_test\n", "b.txt": "x", "c.go": "package p\nfunc F() {}\n"} {
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte(src), 0o600))
	}
	require.NoError(t, os.Mkdir(filepath.Join(dir, "sub.go"), 0o700))
	pkgs, err := ParseDir(token.NewFileSet(), dir, func(n string) bool { return n != "a_test.go" })
	require.NoError(t, err)
	require.Len(t, pkgs, 1)
	assert.Len(t, pkgs["p"], 2)
	assert.Contains(t, pkgs["p"], filepath.Join(dir, "c.go"))

	require.NoError(t, os.WriteFile(filepath.Join(dir, "bad.go"), []byte("package"), 0o600))
	_, err = ParseDir(token.NewFileSet(), dir, func(string) bool { return true })
	assert.Error(t, err)
}
