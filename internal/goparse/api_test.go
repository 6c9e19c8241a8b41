package goparse_test

import (
	"go/ast"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/creatorkit/creatorkit-go/internal/goparse"
)

// publicPackages are the module's importable packages (relative to the
// module root): every exported name in them must be readable with go doc
// without reaching into internal/.
var publicPackages = []string{
	".", "engagecheck", "engagecheck/engagechecktest", "creatoraudit", "creatoraudit/creatoraudittest",
	"infludata", "infludata/infludatatest", "hypeauditor", "hypeauditor/hypeauditortest",
	"firstparty", "firstparty/firstpartytest", "creatorkittest",
	"ylytic", "ylytic/ylytictest",
}

// TestNoExportedNameReachesIntoInternal fails on an exported alias of an
// internal type, and on an exported type, function, method, field,
// variable or constant whose declared type mentions an internal package:
// go doc would show a name the user cannot look up.
func TestNoExportedNameReachesIntoInternal(t *testing.T) {
	root := filepath.Join("..", "..")
	checked := 0
	for _, p := range publicPackages {
		dir := filepath.Join(root, p)
		if _, err := os.Stat(dir); err != nil {
			t.Errorf("%s: %v", p, err)
			continue
		}
		fset := token.NewFileSet()
		pkgs, err := goparse.ParseDir(fset, dir, func(name string) bool { return !strings.HasSuffix(name, "_test.go") })
		if err != nil {
			t.Fatal(err)
		}
		for _, files := range pkgs {
			for name, f := range files {
				internal := map[string]bool{}
				for _, imp := range f.Imports {
					path, _ := strconv.Unquote(imp.Path.Value)
					if strings.Contains(path, "/internal/") || strings.HasSuffix(path, "/internal") {
						n := filepath.Base(path)
						if imp.Name != nil {
							n = imp.Name.Name
						}
						internal[n] = true
					}
				}
				if len(internal) == 0 {
					continue
				}
				report := func(pos token.Pos, what string, e ast.Expr) {
					checked++
					if sel := internalRef(e, internal); sel != "" {
						t.Errorf("%s: %s mentions %s", fset.Position(pos), what, sel)
					}
				}
				for _, d := range f.Decls {
					switch d := d.(type) {
					case *ast.GenDecl:
						for _, s := range d.Specs {
							switch s := s.(type) {
							case *ast.TypeSpec:
								if !s.Name.IsExported() {
									continue
								}
								if st, ok := s.Type.(*ast.StructType); ok && s.Assign == 0 {
									for _, fl := range st.Fields.List {
										if exportedField(fl) {
											report(fl.Pos(), p+"."+s.Name.Name+" field", fl.Type)
										}
									}
									continue
								}
								report(s.Pos(), p+"."+s.Name.Name, s.Type)
							case *ast.ValueSpec:
								for i, n := range s.Names {
									if !n.IsExported() {
										continue
									}
									if d.Tok == token.VAR && !strings.HasPrefix(n.Name, "Err") {
										t.Errorf("%s: %s.%s is an exported variable: make it a function or a constant (only sentinel errors may be variables)", fset.Position(n.Pos()), p, n.Name)
									}
									if s.Type != nil {
										report(s.Pos(), p+"."+n.Name, s.Type)
									}
									if i < len(s.Values) {
										report(s.Pos(), p+"."+n.Name+" value", s.Values[i])
									}
								}
							}
						}
					case *ast.FuncDecl:
						if !d.Name.IsExported() || (d.Recv != nil && !exportedRecv(d.Recv)) {
							continue
						}
						report(d.Pos(), p+"."+d.Name.Name+" signature", d.Type)
					}
				}
				_ = name
			}
		}
	}
	t.Logf("checked %d exported declarations", checked)
}

func exportedField(f *ast.Field) bool {
	if len(f.Names) == 0 { // embedded
		return ast.IsExported(typeName(f.Type))
	}
	for _, n := range f.Names {
		if n.IsExported() {
			return true
		}
	}
	return false
}

func exportedRecv(r *ast.FieldList) bool { return ast.IsExported(typeName(r.List[0].Type)) }

func typeName(e ast.Expr) string {
	switch t := e.(type) {
	case *ast.StarExpr:
		return typeName(t.X)
	case *ast.Ident:
		return t.Name
	case *ast.SelectorExpr:
		return t.Sel.Name
	case *ast.IndexExpr:
		return typeName(t.X)
	case *ast.IndexListExpr:
		return typeName(t.X)
	}
	return ""
}

// internalRef returns the first "pkg.Name" in e whose pkg is an internal
// import, or "".
func internalRef(e ast.Expr, internal map[string]bool) string {
	var found string
	ast.Inspect(e, func(n ast.Node) bool {
		if found != "" {
			return false
		}
		if sel, ok := n.(*ast.SelectorExpr); ok {
			if id, ok := sel.X.(*ast.Ident); ok && internal[id.Name] {
				found = id.Name + "." + sel.Sel.Name
			}
		}
		return true
	})
	return found
}
