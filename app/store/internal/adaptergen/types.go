package main

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/format"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// engine is one sqlc output package, read from its source.
type engine struct {
	name    string                     // pgdb, litedb
	structs map[string]*ast.StructType // every struct type, by name
	methods map[string]method          // every query method, by name
	files   map[string]string          // query method -> its .sql.go file name
	imports map[string]string          // package name -> import path, over all files
}

// field is one struct field as the store declares it.
type field struct{ name, typ string }

// use is one place a store type stands for a generated one.
type use struct {
	engine, genType, method string
	param                   bool // a parameter, not a row
}

// storeType is a store row or parameter type generated from sqlc's.
type storeType struct {
	name   string
	fields []field
	uses   []use  // in interface order; uses[0] defines the fields
	file   string // the query file of its first use, e.g. accounts.sql
}

// storeTypes derives, from every use of a store struct type in the Queries
// interface, its fields: the sqlc struct it is converted to or from. Every
// sqlc struct a store type stands for, in either engine and for any query,
// must have the same fields (names, types, order); otherwise it returns an
// error naming both and the first difference.
func storeTypes(iface []method, engines []*engine) ([]*storeType, error) {
	byName := map[string]*storeType{}
	var order []*storeType
	add := func(storeT, genT string, e *engine, m string, param bool) error {
		st, gt := strings.TrimPrefix(storeT, "[]"), strings.TrimPrefix(genT, "[]")
		if !strings.HasPrefix(st, "store.") {
			return nil // a scalar
		}
		st = strings.TrimPrefix(st, "store.")
		s, ok := e.structs[gt]
		if !ok {
			return fmt.Errorf("%s.%s: %s.%s is not a struct", e.name, m, e.name, gt)
		}
		fs, err := fieldsOf(s, e)
		if err != nil {
			return fmt.Errorf("%s.%s: %w", e.name, gt, err)
		}
		t := byName[st]
		if t == nil {
			t = &storeType{name: st, fields: fs, file: strings.TrimSuffix(e.files[m], ".go")}
			byName[st] = t
			order = append(order, t)
		} else if d := differ(t.fields, fs); d != "" {
			first := t.uses[0]
			return fmt.Errorf("store.%s stands for %s.%s (%s) and %s.%s (%s), which differ: %s\n"+
				"Both engines' sqlc structs for one store type must have the same fields in the same order: "+
				"align the SQL (column names, CASTs) or the overrides in sqlc.yaml, or give the queries different store types.",
				st, first.engine, first.genType, first.method, e.name, gt, m, d)
		}
		t.uses = append(t.uses, use{e.name, gt, m, param})
		return nil
	}
	for _, m := range iface {
		for _, e := range engines {
			g, ok := e.methods[m.name]
			if !ok {
				return nil, fmt.Errorf("%s: sqlc generated no query %s", e.name, m.name)
			}
			if err := add(m.param, g.param, e, m.name, true); err != nil {
				return nil, err
			}
			if err := add(m.result, g.result, e, m.name, false); err != nil {
				return nil, err
			}
		}
	}
	return order, nil
}

func fieldsOf(s *ast.StructType, e *engine) ([]field, error) {
	var out []field
	for _, f := range s.Fields.List {
		if len(f.Names) == 0 {
			return nil, fmt.Errorf("embedded field %s", expr(f.Type, ""))
		}
		typ := strings.ReplaceAll(expr(f.Type, ""), "store.", "")
		for _, n := range f.Names {
			out = append(out, field{n.Name, typ})
		}
	}
	return out, nil
}

// differ describes the first difference between two field lists, or "".
func differ(a, b []field) string {
	for i := 0; i < len(a) || i < len(b); i++ {
		switch {
		case i >= len(a):
			return fmt.Sprintf("field %d: none, then %s %s", i+1, b[i].name, b[i].typ)
		case i >= len(b):
			return fmt.Sprintf("field %d: %s %s, then none", i+1, a[i].name, a[i].typ)
		case a[i] != b[i]:
			return fmt.Sprintf("field %d: %s %s, then %s %s", i+1, a[i].name, a[i].typ, b[i].name, b[i].typ)
		}
	}
	return ""
}

// writeTypes writes one <query file>_types_gen.go per query file into dir
// and removes any such file no type needs any more.
func writeTypes(dir string, types []*storeType, docs map[string]string, imports map[string]string) error {
	byFile := map[string][]*storeType{}
	for _, t := range types {
		byFile[t.file] = append(byFile[t.file], t)
	}
	stale, _ := filepath.Glob(filepath.Join(dir, "*_types_gen.go"))
	keep := map[string]bool{}
	var files []string
	for f := range byFile {
		files = append(files, f)
	}
	sort.Strings(files)
	for _, f := range files {
		name := filepath.Join(dir, strings.TrimSuffix(f, ".sql")+"_types_gen.go")
		keep[name] = true
		src, err := renderTypes(f, byFile[f], docs, imports)
		if err != nil {
			return err
		}
		if err := os.WriteFile(name, src, 0o644); err != nil {
			return err
		}
	}
	for _, f := range stale {
		if !keep[f] {
			if err := os.Remove(f); err != nil {
				return err
			}
		}
	}
	return nil
}

func renderTypes(file string, types []*storeType, docs map[string]string, imports map[string]string) ([]byte, error) {
	var b bytes.Buffer
	used := map[string]bool{}
	for _, t := range types {
		if d := docs[t.name]; d != "" {
			b.WriteString(comment(d))
			b.WriteString("//\n")
		}
		b.WriteString(comment(provenance(t)))
		fmt.Fprintf(&b, "type %s struct {\n", t.name)
		for _, f := range t.fields {
			fmt.Fprintf(&b, "\t%s %s\n", f.name, f.typ)
			if i := strings.Index(f.typ, "."); i >= 0 {
				used[strings.TrimLeft(f.typ[:i], "*[]")] = true
			}
		}
		b.WriteString("}\n\n")
	}
	var head bytes.Buffer
	fmt.Fprintf(&head, "// Code generated by app/store/internal/adaptergen from sqlc's output for %s. DO NOT EDIT.\n\npackage store\n\n", file)
	var pkgs []string
	for p := range used {
		path, ok := imports[p]
		if !ok {
			return nil, fmt.Errorf("%s: no import for package %s", file, p)
		}
		pkgs = append(pkgs, fmt.Sprintf("%q", path))
	}
	sort.Strings(pkgs)
	if len(pkgs) > 0 {
		fmt.Fprintf(&head, "import (\n\t%s\n)\n\n", strings.Join(pkgs, "\n\t"))
	}
	src, err := format.Source(append(head.Bytes(), b.Bytes()...))
	if err != nil {
		return nil, fmt.Errorf("format %s: %v", file, err)
	}
	return src, nil
}

// provenance says which queries a type belongs to and that it was checked.
func provenance(t *storeType) string {
	var params, rows []string
	seen := map[string]bool{}
	for _, u := range t.uses {
		if seen[u.method] {
			continue
		}
		seen[u.method] = true
		if u.param {
			params = append(params, u.method)
		} else {
			rows = append(rows, u.method)
		}
	}
	var parts []string
	if len(params) > 0 {
		parts = append(parts, "the parameters of "+list(params))
	}
	if len(rows) > 0 {
		parts = append(parts, "a row of "+list(rows))
	}
	return wrap(fmt.Sprintf("%s: %s (%s), as sqlc generates it for both engines.", t.name, strings.Join(parts, ", and "), t.file))
}

func list(ms []string) string {
	if len(ms) > 4 {
		return strings.Join(ms[:3], ", ") + fmt.Sprintf(" and %d more", len(ms)-3)
	}
	return strings.Join(ms, ", ")
}

// wrap breaks text into lines of at most 76 characters.
func wrap(text string) string {
	var b strings.Builder
	n := 0
	for _, w := range strings.Fields(text) {
		if n > 0 && n+1+len(w) > 76 {
			b.WriteString("\n")
			n = 0
		} else if n > 0 {
			b.WriteString(" ")
			n++
		}
		b.WriteString(w)
		n += len(w)
	}
	return b.String()
}

func comment(text string) string {
	var b strings.Builder
	for _, line := range strings.Split(strings.TrimSpace(text), "\n") {
		if line == "" {
			b.WriteString("//\n")
		} else {
			b.WriteString("// " + line + "\n")
		}
	}
	return b.String()
}

// typeDocs finds, in the comments of the query files under dirs, the
// paragraphs that document a store type: a paragraph whose first word is a
// generated type's name ("Child is one child as its page shows it…"). Each
// type may be documented once.
func typeDocs(dirs []string, types []*storeType) (map[string]string, error) {
	names := map[string]bool{}
	for _, t := range types {
		names[t.name] = true
	}
	docs := map[string]string{}
	where := map[string]string{}
	for _, dir := range dirs {
		files, _ := filepath.Glob(filepath.Join(dir, "*.sql"))
		for _, file := range files {
			src, err := os.ReadFile(file)
			if err != nil {
				return nil, err
			}
			for _, p := range paragraphs(string(src)) {
				first, _, _ := strings.Cut(p, " ")
				if !names[first] {
					continue
				}
				if w, dup := where[first]; dup {
					return nil, fmt.Errorf("store.%s is documented twice: in %s and %s", first, w, file)
				}
				docs[first], where[first] = p, file
			}
		}
	}
	return docs, nil
}

// paragraphs returns the comment paragraphs of a SQL file: runs of "--"
// lines, split at blank comment lines, not counting sqlc's "-- name:" lines.
func paragraphs(src string) []string {
	var out []string
	var cur []string
	flush := func() {
		if len(cur) > 0 {
			out = append(out, strings.Join(cur, "\n"))
			cur = nil
		}
	}
	for _, line := range strings.Split(src, "\n") {
		line = strings.TrimSpace(line)
		if !strings.HasPrefix(line, "--") || strings.HasPrefix(line, "-- name:") {
			flush()
			continue
		}
		text := strings.TrimSpace(strings.TrimPrefix(line, "--"))
		if text == "" {
			flush()
			continue
		}
		cur = append(cur, text)
	}
	flush()
	return out
}
