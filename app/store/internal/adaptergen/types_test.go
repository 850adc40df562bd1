package main

import (
	"go/ast"
	"go/parser"
	"go/token"
	"strings"
	"testing"
)

// engineOf reads one engine's source, as readEngine does from a directory.
func engineOf(t *testing.T, name, src string) *engine {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), name+".go", "package "+name+"\n"+src, 0)
	if err != nil {
		t.Fatal(err)
	}
	e := &engine{name: name, structs: map[string]*ast.StructType{}, methods: map[string]method{}, files: map[string]string{}}
	for _, d := range f.Decls {
		switch d := d.(type) {
		case *ast.FuncDecl:
			e.methods[d.Name.Name] = signature(d.Name.Name, d.Type, "")
			e.files[d.Name.Name] = "things.sql.go"
		case *ast.GenDecl:
			ts := d.Specs[0].(*ast.TypeSpec)
			e.structs[ts.Name.Name] = ts.Type.(*ast.StructType)
		}
	}
	return e
}

func TestStoreTypesFailWhenEnginesDiffer(t *testing.T) {
	iface := []method{{name: "GetThing", param: "int64", result: "store.Thing"}}
	pg := `type GetThingRow struct { ID int64; Name string }
func (q *Queries) GetThing(ctx context.Context, id int64) (GetThingRow, error)`
	tests := []struct {
		lite string
		want string // "" when the engines agree
	}{
		{`type GetThingRow struct { ID int64; Name string }`, ""},
		{`type GetThingRow struct { ID int64; Name *string }`, "field 2: Name string, then Name *string"},
		{`type GetThingRow struct { Name string; ID int64 }`, "field 1: ID int64, then Name string"},
		{`type GetThingRow struct { ID int64 }`, "field 2: Name string, then none"},
	}
	for _, tt := range tests {
		lite := tt.lite + "\nfunc (q *Queries) GetThing(ctx context.Context, id int64) (GetThingRow, error)"
		types, err := storeTypes(iface, []*engine{engineOf(t, "pgdb", pg), engineOf(t, "litedb", lite)})
		if tt.want == "" {
			if err != nil || len(types) != 1 || len(types[0].fields) != 2 || types[0].file != "things.sql" {
				t.Errorf("%s: types %+v, err %v; want Thing with 2 fields", tt.lite, types, err)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), "store.Thing stands for pgdb.GetThingRow (GetThing) and litedb.GetThingRow (GetThing), which differ: "+tt.want) {
			t.Errorf("%s: err = %v, want the difference %q", tt.lite, err, tt.want)
		}
	}
}

func TestTypeDocsTakeTheParagraphNamedForTheType(t *testing.T) {
	src := "-- Things: every query here.\n\n-- Thing is one thing,\n-- with a name.\n--\n-- GetThing returns one.\n-- name: GetThing :one\nSELECT 1;\n"
	got := paragraphs(src)
	want := []string{"Things: every query here.", "Thing is one thing,\nwith a name.", "GetThing returns one."}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("paragraphs = %q, want %q", got, want)
	}
}
