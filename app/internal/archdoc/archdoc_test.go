package archdoc

import (
	"bufio"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

const module = "clinaudit/"

// row is one line of the package table: the paths its first column names
// and the whole line's text.
type row struct {
	names []string
	text  string
}

var backticked = regexp.MustCompile("`([^`]+)`")

// packageTable reads the table under "## Packages" in docs/architecture.md.
// A first-column entry without a slash is a sibling of the entry before it
// in the same cell (`app/auth/password`, `totp`, `secret`).
func packageTable(t *testing.T) []row {
	t.Helper()
	f, err := os.Open(filepath.Join(repoRoot(t), "docs", "architecture.md"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var rows []row
	in := false
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "## "):
			in = line == "## Packages"
			continue
		case !in || !strings.HasPrefix(line, "| `"):
			continue
		}
		cells := strings.Split(line, "|")
		var r row
		r.text = line
		prev := ""
		for _, m := range backticked.FindAllStringSubmatch(cells[1], -1) {
			name := m[1]
			if !strings.Contains(name, "/") && prev != "" && strings.Contains(prev, "/") {
				name = path.Join(path.Dir(prev), name)
			}
			r.names = append(r.names, name)
			prev = name
		}
		rows = append(rows, r)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if len(rows) < 20 {
		t.Fatalf("found only %d rows in the package table of docs/architecture.md", len(rows))
	}
	return rows
}

// goPackages lists the module's packages, relative to its root.
func goPackages(t *testing.T) []string {
	t.Helper()
	cmd := exec.Command("go", "list", "./...")
	cmd.Dir = repoRoot(t)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	var pkgs []string
	for _, p := range strings.Fields(string(out)) {
		pkgs = append(pkgs, strings.TrimPrefix(p, module))
	}
	return pkgs
}

func repoRoot(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs(filepath.Join("..", "..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	return root
}

// Every package has a row of its own, or is named (as its last path
// elements, e.g. `mail/smtptest`) in the row of the nearest ancestor that
// has one.
func TestEveryPackageIsDescribed(t *testing.T) {
	rows := packageTable(t)
	for _, pkg := range goPackages(t) {
		if describedIn(rows, pkg) {
			continue
		}
		t.Errorf("package %s has no row in docs/architecture.md's package table, and its parent's row does not name it", pkg)
	}
}

func describedIn(rows []row, pkg string) bool {
	for _, r := range rows {
		if slices.Contains(r.names, pkg) {
			return true
		}
	}
	for dir := path.Dir(pkg); dir != "."; dir = path.Dir(dir) {
		for _, r := range rows {
			if slices.Contains(r.names, dir) {
				rest := strings.TrimPrefix(pkg, path.Dir(dir)+"/") // e.g. mail/smtptest
				return strings.Contains(r.text, "`"+rest+"`") || strings.Contains(r.text, "`"+path.Base(pkg)+"`")
			}
		}
	}
	return false
}

// Every path the table's first column names exists.
func TestEveryDescribedPackageExists(t *testing.T) {
	root := repoRoot(t)
	for _, r := range packageTable(t) {
		for _, name := range r.names {
			if _, err := os.Stat(filepath.Join(root, filepath.FromSlash(name))); err != nil {
				t.Errorf("docs/architecture.md describes %s, which does not exist", name)
			}
		}
	}
}
