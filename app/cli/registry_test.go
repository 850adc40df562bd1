package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"clinaudit/app/registry"
	"clinaudit/app/store"
	"clinaudit/app/store/storetest"
)

// The demo registry exported, imported into a fresh database and exported
// again gives the same lines, and again from there.
func TestRegistryImportExportRoundTrip(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		if err := registry.Install(ctx, s, time.Now()); err != nil {
			t.Fatal(err)
		}
		if err := seedDemoRegistry(ctx, s, Env{Stdout: &bytes.Buffer{}}, time.Now()); err != nil {
			t.Fatal(err)
		}
		first := exportRegistry(t, s)
		lines := strings.Split(strings.TrimSpace(first), "\n")
		if len(lines) != 53+39 || !strings.Contains(first, `"relationships":[{"contact":"c`) || !strings.Contains(first, `"findings":[{"gene":"MECP2"`) {
			t.Fatalf("the demo's export has %d lines, want 53 contacts and 39 patients:\n%s", len(lines), first[:min(len(first), 2000)])
		}
		previous := first
		for round := 1; round <= 2; round++ {
			fresh := storetest.Open(t, s.Engine())
			if err := registry.Install(ctx, fresh, time.Now()); err != nil {
				t.Fatal(err)
			}
			var report bytes.Buffer
			res, err := importRegistry(ctx, fresh, registry.DemoSlug, "demo.jsonl", strings.NewReader(previous), &report)
			if err != nil || res.Rejected != 0 || res.Imported != len(lines) {
				t.Fatalf("round %d: imported %d, rejected %d, %v:\n%s", round, res.Imported, res.Rejected, err, report.String())
			}
			again := exportRegistry(t, fresh)
			if again != previous {
				t.Fatalf("round %d: the export of the import differs:\n%s\nwant\n%s", round, again, previous)
			}
			previous = again
		}
	})
}

func exportRegistry(t *testing.T, s store.Store) string {
	t.Helper()
	var b bytes.Buffer
	if _, _, err := (&registry.Service{Store: s, Now: time.Now}).Export(context.Background(), registryActor.Actor, registry.DemoSlug, &b); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// Each refused line is reported with its number and field; the good lines
// of the same file are imported, and a refused patient leaves nothing.
func TestRegistryImportRefusesBadLines(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		if err := registry.Install(ctx, s, time.Now()); err != nil {
			t.Fatal(err)
		}
		file := strings.Join([]string{
			`{"kind":"contact","key":"mum","first_name":"Jo","surname":"Hart","email":"jo@example.org","preferred_channel":"email","may_contact":true}`,
			`{"kind":"patient","first_name":"Amy","surname":"Hart","date_of_birth":"2015-04-02","sex":"2","nhs_number":"9434765919","relationships":[{"contact":"mum","type":"mother","is_primary":true}]}`,
			`{"kind":"patient","first_name":"Bea","surname":"Hart","date_of_birth":"2015-13-02","sex":"2"}`,
			`{"kind":"patient","first_name":"Cat","surname":"Hart","date_of_birth":"2016-01-02","sex":"2","relationships":[{"contact":"dad","type":"father"}]}`,
			`{"kind":"patient","first_name":"Dot","surname":"Hart","date_of_birth":"2016-01-02","sex":"2","findings":[{"gene":"MECP2","variant":"not hgvs"}],"relationships":[{"contact":"mum","type":"aunt"}]}`,
			`{"kind":"patient","first_name":"Eve","surname":"Hart","date_of_birth":"2017-01-02","sex":"2","nhs_number":"943 476 5919"}`,
			`{"kind":"contact","key":"mum","first_name":"Jo","surname":"Hart"}`,
			`{"kind":"contact","key":"gran","first_name":"","surname":"Hart","colour":"blue"}`,
			`{"kind":"sibling"}`,
			`not json`,
			``,
		}, "\n")
		var report bytes.Buffer
		res, err := importRegistry(ctx, s, registry.DemoSlug, "bad.jsonl", strings.NewReader(file), &report)
		if err != nil || res.Imported != 2 || res.Rejected != 8 {
			t.Errorf("imported %d, rejected %d, %v; want 2 and 8", res.Imported, res.Rejected, err)
		}
		got := report.String()
		if n := strings.Count(got, "bad.jsonl:3:"); n != 1 {
			t.Errorf("line 3 has %d problems reported, want the date's one:\n%s", n, got)
		}
		for _, want := range []string{
			"bad.jsonl:3: date_of_birth: ",
			"bad.jsonl:4: relationships[0].contact: \"dad\" is no contact line before this one",
			"bad.jsonl:5: findings[0].variant: ",
			"bad.jsonl:5: relationships[0].type: ",
			"bad.jsonl:6: nhs_number: ",
			"bad.jsonl:7: key: \"mum\" names an earlier contact of the file",
			"bad.jsonl:8: unknown field \"colour\"",
			"bad.jsonl:9: kind: \"sibling\" is neither",
			"bad.jsonl:10: not a JSON object",
		} {
			if !strings.Contains(got, want) {
				t.Errorf("the report lacks %q:\n%s", want, got)
			}
		}
		// Dot's finding was checked after she was added: the line's one
		// transaction took her back.
		out := exportRegistry(t, s)
		if strings.Count(out, `"kind":"patient"`) != 1 || strings.Contains(out, "Dot") || !strings.Contains(out, `"contact":"c1","type":"mother"`) {
			t.Errorf("after the import, the export is:\n%s", out)
		}
	})
}

// The command line: export to a new file, import it into another database.
func TestRegistryCommands(t *testing.T) {
	src, dst := storetest.EmptyDatabaseURL(t, store.SQLite), storetest.EmptyDatabaseURL(t, store.SQLite)
	if code, _, errOut := run(t, "seed-demo", "--demo-audits", "0", "--database-url", src); code != 0 {
		t.Fatalf("seed-demo: %d %s", code, errOut)
	}
	file := filepath.Join(t.TempDir(), "rett.jsonl")
	if code, _, errOut := run(t, "registry", "export", "--out", file, "--database-url", src); code != 0 || !strings.Contains(errOut, "exported 53 contacts and 39 patients of rett") {
		t.Fatalf("registry export: %d %q", code, errOut)
	}
	if code, _, errOut := run(t, "registry", "export", "--out", file, "--database-url", src); code != 1 || !strings.Contains(errOut, "exists") {
		t.Errorf("registry export over a file: %d %q", code, errOut)
	}
	if code, out, errOut := run(t, "registry", "import", file, "--database-url", dst); code != 0 || !strings.Contains(out, "imported 92, rejected 0") {
		t.Fatalf("registry import: %d %q %q", code, out, errOut)
	}
	if code, out, errOut := run(t, "registry", "import", file, "--database-url", dst); code != 1 || !strings.Contains(errOut, "rett.jsonl:54: nhs_number: A patient with this NHS number is already in the registry") || !strings.Contains(out, "rejected 39") {
		t.Errorf("importing again: %d %q %q", code, out, errOut[:min(len(errOut), 500)])
	}
	if code, _, errOut := run(t, "export", "--out", file, "--database-url", dst); code != 2 || !strings.Contains(errOut, "--out and --registry are for `clinaudit registry`") {
		t.Errorf("export --out: %d %q", code, errOut)
	}
	if b, err := os.Stat(file); err != nil || b.Mode().Perm() != 0o600 {
		t.Errorf("the export file: %v %v", b, err)
	}
}
