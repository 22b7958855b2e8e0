package app_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// The layers of docs/architecture.md, checked on the source itself: who may
// import whom, where SQL may run, and which package writes each table.

const module = "vivier/internal/"

// sourcePackage is one package of internal/ as its non-test files are.
type sourcePackage struct {
	imports map[string]bool // internal packages imported, by path under internal/
	files   []*ast.File
}

// readSources parses the non-test Go files of every package under
// internal/.
func readSources(t *testing.T) map[string]*sourcePackage {
	t.Helper()
	root := filepath.Join("..")
	fset := token.NewFileSet()
	pkgs := map[string]*sourcePackage{}
	err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return err
		}
		f, err := parser.ParseFile(fset, path, nil, parser.ImportsOnly|parser.ParseComments)
		if err != nil {
			return err
		}
		full, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, filepath.Dir(path))
		rel = filepath.ToSlash(rel)
		p := pkgs[rel]
		if p == nil {
			p = &sourcePackage{imports: map[string]bool{}}
			pkgs[rel] = p
		}
		for _, imp := range f.Imports {
			path, _ := strconv.Unquote(imp.Path.Value)
			if dep, ok := strings.CutPrefix(path, module); ok {
				p.imports[dep] = true
			}
		}
		p.files = append(p.files, full)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(pkgs) < 20 {
		t.Fatalf("found only %d packages under internal/: wrong directory?", len(pkgs))
	}
	return pkgs
}

// reaches reports whether package from imports to, directly or not.
func reaches(pkgs map[string]*sourcePackage, from, to string) bool {
	seen := map[string]bool{}
	var walk func(p string) bool
	walk = func(p string) bool {
		if p == to {
			return true
		}
		if seen[p] || pkgs[p] == nil {
			return false
		}
		seen[p] = true
		for dep := range pkgs[p].imports {
			if walk(dep) {
				return true
			}
		}
		return false
	}
	return walk(from)
}

// domainPackages hold the records and their rules; they never know HTTP,
// the command line or the wiring.
var domainPackages = []string{"access", "account", "audit", "date", "expert", "fr", "geo", "mail", "match", "mission", "network",
	"need", "organisation", "progress", "search", "skill", "store", "tabular", "upload", "valid",
	"publication", "press", "representation", "audience", "report"}

func TestImportsFollowTheLayers(t *testing.T) {
	pkgs := readSources(t)
	tests := []struct {
		name     string
		from, to string
	}{
		{"pages and API are siblings", "api", "web"},
		{"pages and API are siblings, the other way", "web", "api"},
		{"configuration knows no domain", "config", "mail"},
		{"configuration knows no domain", "config", "oidc"},
	}
	for _, d := range domainPackages {
		for _, upper := range []string{"web", "api", "httpkit", "app", "cli", "demo", "config"} {
			tests = append(tests, struct{ name, from, to string }{"domain below HTTP, CLI and wiring", d, upper})
		}
	}
	for _, tt := range tests {
		if reaches(pkgs, tt.from, tt.to) {
			t.Errorf("%s: %s imports %s", tt.name, tt.from, tt.to)
		}
	}
	for dep := range pkgs["store"].imports {
		if !strings.HasPrefix(dep, "store/") {
			t.Errorf("store imports the domain package %s", dep)
		}
	}
	for dep := range pkgs["config"].imports {
		t.Errorf("config imports %s: it holds settings, not behaviour", dep)
	}
}

// sqlCalls are the database methods that run SQL.
var sqlCalls = []string{"QueryContext", "QueryRowContext", "ExecContext", "Tx", "PrepareContext"}

func TestNoSQLInTheHTTPLayers(t *testing.T) {
	pkgs := readSources(t)
	for _, name := range []string{"web", "api", "httpkit"} {
		for _, f := range pkgs[name].files {
			ast.Inspect(f, func(n ast.Node) bool {
				if sel, ok := n.(*ast.SelectorExpr); ok && slices.Contains(sqlCalls, sel.Sel.Name) {
					t.Errorf("package %s runs SQL (%s): go through a service", name, sel.Sel.Name)
				}
				return true
			})
		}
	}
}

// writeSQL finds the table each INSERT, UPDATE or DELETE writes.
var writeSQL = regexp.MustCompile(`(?i)\b(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+([a-z_]+)`)

func TestEachTableHasOneWriter(t *testing.T) {
	pkgs := readSources(t)
	writers := map[string]map[string]bool{}
	for name, p := range pkgs {
		if name == "store" || strings.HasPrefix(name, "store/") {
			continue // migrations and the settings helper
		}
		if strings.HasSuffix(name, "test") {
			continue // test harnesses (accesstest, browsertest…) build fixtures
		}
		for _, f := range p.files {
			ast.Inspect(f, func(n ast.Node) bool {
				lit, ok := n.(*ast.BasicLit)
				if !ok || lit.Kind != token.STRING {
					return true
				}
				for _, m := range writeSQL.FindAllStringSubmatch(lit.Value, -1) {
					table := strings.ToLower(m[1])
					if table == "set" { // ON CONFLICT … DO UPDATE SET
						continue
					}
					if writers[table] == nil {
						writers[table] = map[string]bool{}
					}
					writers[table][name] = true
				}
				return true
			})
		}
	}
	for table, by := range writers {
		if len(by) > 1 {
			var names []string
			for n := range by {
				names = append(names, n)
			}
			sort.Strings(names)
			t.Errorf("table %s is written by %s: one package owns each table", table, strings.Join(names, ", "))
		}
	}
	if len(writers) < 20 {
		t.Errorf("found writers for only %d tables: the scan is broken", len(writers))
	}
}
