package e2e

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"clinaudit/app/access"
	"clinaudit/app/auth"
	"clinaudit/app/auth/password"
	"clinaudit/app/cli"
	"clinaudit/app/store"

	"github.com/chromedp/chromedp"
)

// staffCells is one row of the staff table as a person reads it.
type staffCells struct{ Name, Email, Role, Organisation, Status string }

// staffTable reads the rows of the staff list in the tab.
func (b *browser) staffTable() []staffCells {
	b.t.Helper()
	return eval[[]staffCells](b, `[...document.querySelectorAll("#staff-results #staff-table tbody tr")].map(r => {
		const c = [...r.querySelectorAll("td")].map(td => td.innerText.replace(/\s+/g, " ").trim());
		return {Name: c[0], Email: c[1], Role: c[2], Organisation: c[3], Status: c[4]};
	})`)
}

// waitStaff waits until htmx has swapped in the staff list for a URL whose
// query has want (each key=value) and no request is in flight.
func (b *browser) waitStaff(step string, want map[string]string) {
	b.t.Helper()
	var conds []string
	for k, v := range want {
		conds = append(conds, fmt.Sprintf(`p.get(%q) === %q`, k, v))
	}
	b.waitFor(step, fmt.Sprintf(`(() => {
		const p = new URLSearchParams(location.search);
		return %s && !document.querySelector(".htmx-request") && !!document.querySelector("#staff-results #staff-count");
	})()`, strings.Join(conds, " && ")))
}

// addStaff adds n clinicians at org straight to the server's database, so
// the staff list has a second page.
func (s *server) addStaff(n int, org string) {
	s.t.Helper()
	ctx := context.Background()
	st := s.openDB()
	defer st.Close()
	a, err := auth.New(st, password.DefaultPolicy(), auth.DefaultConfig())
	if err != nil {
		s.t.Fatal(err)
	}
	for i := range n {
		err := st.InTx(ctx, func(tx store.Tx) error {
			_, err := a.CreateUser(ctx, tx, auth.NewUser{Email: fmt.Sprintf("zed%02d@example.org", i), FirstName: fmt.Sprintf("Zed%02d", i),
				Surname: "Tester", Role: access.Clinician, Organisation: org, TwoFactorSkip: true})
			return err
		})
		if err != nil {
			s.t.Fatal(err)
		}
	}
}

// orgName is the name of the organisation with this ODS code.
func (s *server) orgName(ods string) string {
	s.t.Helper()
	st := s.openDB()
	defer st.Close()
	o, err := st.GetOrganisationByODS(context.Background(), ods)
	if err != nil {
		s.t.Fatal(err)
	}
	return o.Name
}

// TestStaffListSearchSortPages drives the staff list as an access review
// would, through htmx in a browser: search, sort by a column header, go to
// the next page, reading the cells (name, email, role, organisation, status)
// each time. The list once broke after its first row on every page.
func TestStaffListSearchSortPages(t *testing.T) { eachEngine(t, testStaffListSearchSortPages) }

func testStaffListSearchSortPages(t *testing.T, e store.Engine) {
	findBrowser(t)
	srv := startServer(t, e)
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	t.Cleanup(cancel)
	css := func(sel string) chromedp.CSS { return chromedp.CSS(sel) }

	srv.addStaff(20, "RGT01") // with the 12 demo accounts: 32, two pages
	rgt01, w7a4h1 := srv.orgName("RGT01"), srv.orgName("7A4H1")
	b := startBrowser(t, ctx)
	b.open("open the sign-in page", srv.base+"/sign-in", 200)
	b.signInAs("sign in as the national team", "national.full@demo.clinaudit.invalid", cli.DemoPassword)
	b.open("open Staff", srv.base+"/admin/users", 200)
	b.waitFor("wait for htmx", `!!window.htmx && document.readyState === "complete"`)

	rows := b.staffTable()
	if len(rows) != 25 {
		t.Fatalf("first page: %d rows, want 25: %+v", len(rows), rows)
	}
	// Sorted by surname, then first name.
	if want := (staffCells{"Ada Adams", "admin@rgt01.demo.clinaudit.invalid", "Administrator", rgt01, "Active"}); rows[0] != want {
		t.Errorf("row 1 is %+v, want %+v", rows[0], want)
	}
	if want := (staffCells{"Nadia Fuller National", "national.full@demo.clinaudit.invalid", "National audit team (full access)", "National", "Active"}); rows[4] != want {
		t.Errorf("row 5 is %+v, want %+v", rows[4], want)
	}
	if got := b.text("#staff-count"); got != "32 people, page 1 of 2" {
		t.Errorf("count says %q", got)
	}
	b.checkConsole("the staff list")

	// Search: typing narrows the list through htmx.
	b.do("search for cerys", chromedp.SendKeys(css("main #q"), "cerys"))
	b.waitStaff("wait for the search results", map[string]string{"q": "cerys"})
	if rows := b.staffTable(); len(rows) != 1 || rows[0] != (staffCells{"Cerys Evans", "clinician@7a4h1.demo.clinaudit.invalid", "Clinician", w7a4h1, "Active"}) {
		t.Errorf("search for cerys: %+v", rows)
	}
	if got := b.text("#staff-count"); got != "1 person, page 1 of 1" {
		t.Errorf("count after search says %q", got)
	}

	// Sort: the Name header, already ascending, sorts descending.
	b.open("back to the whole list", srv.base+"/admin/users", 200)
	b.waitFor("wait for htmx", `!!window.htmx && document.readyState === "complete"`)
	b.do("sort by name", chromedp.Click(css(`#staff-table a[data-sort="name"]`)))
	b.waitStaff("wait for the sorted list", map[string]string{"sort": "name", "dir": "desc"})
	rows = b.staffTable()
	if len(rows) != 25 || rows[0] != (staffCells{"Nora Viewing National", "national.view@demo.clinaudit.invalid", "National audit team (view only)", "National", "Active"}) ||
		rows[1] != (staffCells{"Zed19 Tester", "zed19@example.org Invited", "Clinician", rgt01, "Active"}) {
		t.Errorf("sorted by name descending: %+v", rows)
	}
	// The registry's accounts belong to no organisation and say so.
	if !slices.Contains(rows, staffCells{"Vik Reader Registry", "registry.viewer@demo.clinaudit.invalid", "Registry viewer", "Registry", "Active"}) {
		t.Errorf("the registry viewer's row is missing or not marked Registry: %+v", rows)
	}
	if got := eval[string](b, `document.querySelector('th:has(a[data-sort="name"])').getAttribute("aria-sort")`); got != "descending" {
		t.Errorf("the Name header's aria-sort is %q", got)
	}

	// Paging: Next shows the last seven, still sorted descending.
	b.do("next page", chromedp.Click(css("#staff-results .nhsuk-pagination__link--next")))
	b.waitStaff("wait for page 2", map[string]string{"sort": "name", "dir": "desc", "page": "2"})
	rows = b.staffTable()
	if len(rows) != 7 || rows[6] != (staffCells{"Ada Adams", "admin@rgt01.demo.clinaudit.invalid", "Administrator", rgt01, "Active"}) ||
		rows[3] != (staffCells{"Cerys Evans", "clinician@7a4h1.demo.clinaudit.invalid", "Clinician", w7a4h1, "Active"}) {
		t.Errorf("page 2: %+v", rows)
	}
	if got := b.text("#staff-count"); got != "32 people, page 2 of 2" {
		t.Errorf("count on page 2 says %q", got)
	}
	b.checkConsole("the staff list after search, sort and paging")
}
