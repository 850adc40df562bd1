// Command adaptergen writes, from sqlc's output and the store.Queries
// interface:
//
//   - the store's row and parameter types (app/store/*_types_gen.go): for
//     every struct a Queries method takes or returns, the fields of the sqlc
//     struct it stands for. It fails, naming the two structs and the first
//     difference, unless every sqlc struct a store type stands for (in
//     pgdb and litedb, for every query using it) has the same fields in the
//     same order. A type's doc is the paragraph of a query file's comments
//     that begins with its name.
//   - the query adapters of litestore and pgstore (queries_gen.go): for every
//     method of store.Queries, a method that converts the store types to the
//     generated ones by plain type conversion, calls the generated query and
//     converts back.
//
// Run by `make generate` after sqlc; never edit its output by hand.
package main

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/format"
	"go/parser"
	"go/token"
	"log"
	"os"
	"path/filepath"
	"strings"
)

func main() {
	log.SetFlags(0)
	log.SetPrefix("adaptergen: ")
	root := "app/store"
	iface := queriesInterface(root)
	adapters := []struct{ dir, pkg, gen string }{
		{"pgstore", "pgstore", "pgdb"},
		{"litestore", "litestore", "litedb"},
	}
	var engines []*engine
	imports := map[string]string{}
	for _, a := range adapters {
		e := readEngine(a.gen, filepath.Join(root, a.dir, a.gen))
		engines = append(engines, e)
		for k, v := range e.imports {
			imports[k] = v
		}
	}
	types, err := storeTypes(iface, engines)
	if err != nil {
		log.Fatal(err)
	}
	docs, err := typeDocs([]string{"queries/shared", "queries/postgres", "queries/sqlite"}, types)
	if err != nil {
		log.Fatal(err)
	}
	if err := writeTypes(root, types, docs, imports); err != nil {
		log.Fatal(err)
	}
	for i, a := range adapters {
		src := render(a.pkg, a.gen, iface, engines[i].methods)
		if err := os.WriteFile(filepath.Join(root, a.dir, "queries_gen.go"), src, 0o644); err != nil {
			log.Fatal(err)
		}
	}
}

// method is one query: its parameter type (after ctx) and result type.
type method struct {
	name   string
	param  string // "" when the query takes only ctx
	result string // "" for :exec
}

// queriesInterface lists the methods of store.Queries, following embedded
// interfaces declared anywhere in package store.
func queriesInterface(dir string) []method {
	ifaces := map[string]*ast.InterfaceType{}
	files, _ := filepath.Glob(filepath.Join(dir, "*.go"))
	for _, file := range files {
		if strings.HasSuffix(file, "_test.go") {
			continue
		}
		ast.Inspect(parse(file), func(n ast.Node) bool {
			if ts, ok := n.(*ast.TypeSpec); ok {
				if it, ok := ts.Type.(*ast.InterfaceType); ok {
					ifaces[ts.Name.Name] = it
				}
			}
			return true
		})
	}
	var out []method
	var walk func(name string)
	walk = func(name string) {
		it, ok := ifaces[name]
		if !ok {
			log.Fatalf("%s: no interface %s", dir, name)
		}
		for _, m := range it.Methods.List {
			if len(m.Names) == 0 { // embedded interface
				walk(m.Type.(*ast.Ident).Name)
				continue
			}
			out = append(out, signature(m.Names[0].Name, m.Type.(*ast.FuncType), "store."))
		}
	}
	walk("Queries")
	return out
}

// readEngine reads the structs, query methods and imports of one sqlc
// output package.
func readEngine(name, dir string) *engine {
	e := &engine{name: name, structs: map[string]*ast.StructType{}, methods: map[string]method{},
		files: map[string]string{}, imports: map[string]string{}}
	files, _ := filepath.Glob(filepath.Join(dir, "*.go"))
	if len(files) == 0 {
		log.Fatalf("%s: no Go files: run sqlc generate first", dir)
	}
	for _, file := range files {
		f := parse(file)
		for _, im := range f.Imports {
			path := strings.Trim(im.Path.Value, `"`)
			e.imports[filepath.Base(path)] = path
		}
		for _, d := range f.Decls {
			switch d := d.(type) {
			case *ast.FuncDecl:
				if d.Recv != nil && d.Name.IsExported() && strings.HasSuffix(file, ".sql.go") {
					e.methods[d.Name.Name] = signature(d.Name.Name, d.Type, "")
					e.files[d.Name.Name] = filepath.Base(file)
				}
			case *ast.GenDecl:
				for _, sp := range d.Specs {
					if ts, ok := sp.(*ast.TypeSpec); ok {
						if st, ok := ts.Type.(*ast.StructType); ok {
							e.structs[ts.Name.Name] = st
						}
					}
				}
			}
		}
	}
	return e
}

// signature reads a query's types, qualifying the package's own exported
// types with qual ("store." for the interface, "" for generated code).
func signature(name string, ft *ast.FuncType, qual string) method {
	m := method{name: name}
	if ps := ft.Params.List; len(ps) > 1 {
		m.param = expr(ps[len(ps)-1].Type, qual)
	}
	if rs := ft.Results.List; len(rs) == 2 {
		m.result = expr(rs[0].Type, qual)
	}
	return m
}

func render(pkg, gen string, iface []method, genMethods map[string]method) []byte {
	var b bytes.Buffer
	for _, m := range iface {
		g, ok := genMethods[m.name]
		if !ok {
			log.Fatalf("%s: sqlc generated no query %s", gen, m.name)
		}
		params, args := "ctx context.Context", "ctx"
		if m.param != "" {
			params += ", arg " + m.param
			args += ", " + convertParam(m.param, g.param, gen)
		}
		switch {
		case m.result == "":
			fmt.Fprintf(&b, "func (q queries) %s(%s) error {\n\treturn mapErr(q.q.%s(%s))\n}\n\n", m.name, params, m.name, args)
		case strings.HasPrefix(m.result, "[]store."):
			elem := strings.TrimPrefix(m.result, "[]")
			fmt.Fprintf(&b, "func (q queries) %s(%s) (%s, error) {\n\trows, err := q.q.%s(%s)\n\tout := make(%s, len(rows))\n\tfor i, r := range rows {\n\t\tout[i] = %s(r)\n\t}\n\treturn out, mapErr(err)\n}\n\n",
				m.name, params, m.result, m.name, args, m.result, elem)
		case strings.HasPrefix(m.result, "store."):
			fmt.Fprintf(&b, "func (q queries) %s(%s) (%s, error) {\n\trow, err := q.q.%s(%s)\n\treturn %s(row), mapErr(err)\n}\n\n", m.name, params, m.result, m.name, args, m.result)
		default: // a scalar such as int64 or string
			fmt.Fprintf(&b, "func (q queries) %s(%s) (%s, error) {\n\tv, err := q.q.%s(%s)\n\treturn v, mapErr(err)\n}\n\n", m.name, params, m.result, m.name, args)
		}
	}
	var head bytes.Buffer
	fmt.Fprintf(&head, "// Code generated by app/store/internal/adaptergen. DO NOT EDIT.\n\npackage %s\n\n", pkg)
	fmt.Fprintf(&head, "import (\n\t\"context\"\n")
	if bytes.Contains(b.Bytes(), []byte("time.")) {
		fmt.Fprintf(&head, "\t\"time\"\n")
	}
	fmt.Fprintf(&head, "\n\t\"clinaudit/app/store\"\n\t\"clinaudit/app/store/%s/%s\"\n)\n\n", pkg, gen)
	fmt.Fprintf(&head, "var _ store.Queries = queries{}\n\n")
	src, err := format.Source(append(head.Bytes(), b.Bytes()...))
	if err != nil {
		log.Fatalf("format %s: %v\n%s", pkg, err, b.String())
	}
	return src
}

// convertParam converts a store parameter to the generated one: a struct by
// type conversion, a scalar as it is.
func convertParam(storeType, genType, gen string) string {
	if strings.HasPrefix(storeType, "store.") {
		return gen + "." + genType + "(arg)"
	}
	return "arg"
}

func parse(file string) *ast.File {
	f, err := parser.ParseFile(token.NewFileSet(), file, nil, 0)
	if err != nil {
		log.Fatal(err)
	}
	return f
}

func expr(e ast.Expr, qual string) string {
	switch t := e.(type) {
	case *ast.Ident:
		if t.IsExported() {
			return qual + t.Name
		}
		return t.Name
	case *ast.SelectorExpr:
		return expr(t.X, "") + "." + t.Sel.Name
	case *ast.ArrayType:
		return "[]" + expr(t.Elt, qual)
	case *ast.StarExpr:
		return "*" + expr(t.X, qual)
	case *ast.InterfaceType:
		if len(t.Methods.List) == 0 {
			return "interface{}"
		}
	}
	log.Fatalf("unsupported type %T", e)
	return ""
}
