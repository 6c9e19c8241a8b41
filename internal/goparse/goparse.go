// Package goparse parses a package directory's Go files for the module's
// own source tools (internal/cmd/gengetters, and this package's tests,
// which keep the module's public surface readable: no exported name
// reaches into internal/ (go doc must show every field a user handles),
// and no package exports a mutable variable other than a sentinel error;
// see api_test.go).
package goparse

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
)

// ParseDir parses the .go files of dir that keep accepts, by package
// name and then file path, as parser.ParseDir did (deprecated in Go 1.25
// because it ignores build tags, which play no part here).
func ParseDir(fset *token.FileSet, dir string, keep func(name string) bool) (map[string]map[string]*ast.File, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	pkgs := map[string]map[string]*ast.File{}
	for _, e := range entries {
		n := e.Name()
		if e.IsDir() || !strings.HasSuffix(n, ".go") || !keep(n) {
			continue
		}
		path := filepath.Join(dir, n)
		f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			return nil, err
		}
		if pkgs[f.Name.Name] == nil {
			pkgs[f.Name.Name] = map[string]*ast.File{}
		}
		pkgs[f.Name.Name][path] = f
	}
	return pkgs, nil
}
