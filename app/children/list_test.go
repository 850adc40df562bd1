package children_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"clinaudit/app/children"
	"clinaudit/app/nhsnumber"
	"clinaudit/app/store"
	"clinaudit/app/store/litestore"
	"clinaudit/app/store/pgstore"
	"clinaudit/app/store/storetest"
)

// The case list's derived data (docs/performance.md): children.scope_code
// and organisation_key, copied from the lead organisation by triggers, and
// child_counts, the per-organisation figures the list adds up instead of
// counting children. These tests hold them to the rows they summarise
// through every write there is.

// rawInt runs a query that returns one integer, in SQL both engines read.
func rawInt(t *testing.T, s store.Store, q string) int64 {
	t.Helper()
	var n int64
	var err error
	switch s := s.(type) {
	case *litestore.Store:
		err = s.DB().QueryRowContext(context.Background(), q).Scan(&n)
	case *pgstore.Store:
		err = s.Pool().QueryRow(context.Background(), q).Scan(&n)
	default:
		t.Fatalf("no raw SQL for %T", s)
	}
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

func rawExec(t *testing.T, s store.Store, q string) {
	t.Helper()
	var err error
	switch s := s.(type) {
	case *litestore.Store:
		_, err = s.DB().ExecContext(context.Background(), q)
	case *pgstore.Store:
		_, err = s.Pool().Exec(context.Background(), q)
	}
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

const countsFromChildren = `SELECT lead_organisation_id, coalesce(cohort, 0),
    CASE WHEN locked_at IS NOT NULL THEN 1 ELSE 0 END, CASE WHEN opted_out_at IS NOT NULL THEN 1 ELSE 0 END,
    scope_code, count(*)
FROM children WHERE deleted_at IS NULL
GROUP BY lead_organisation_id, coalesce(cohort, 0), CASE WHEN locked_at IS NOT NULL THEN 1 ELSE 0 END,
    CASE WHEN opted_out_at IS NOT NULL THEN 1 ELSE 0 END, scope_code`

const countsKept = `SELECT lead_organisation_id, cohort, CASE WHEN locked THEN 1 ELSE 0 END,
    CASE WHEN opted_out THEN 1 ELSE 0 END, scope_code, children
FROM child_counts WHERE children <> 0`

// checkDerived fails the test unless every child's copied organisation
// keys match its lead organisation and child_counts matches the children.
func checkDerived(t *testing.T, s store.Store, step string) {
	t.Helper()
	if n := rawInt(t, s, `SELECT count(*) FROM children c JOIN organisations o ON o.id = c.lead_organisation_id
		WHERE c.scope_code <> coalesce(o.trust_ods_code, o.local_health_board_ods_code) OR c.organisation_key <> lower(o.name)`); n != 0 {
		t.Errorf("%s: %d children with stale organisation keys", step, n)
	}
	if n := rawInt(t, s, "SELECT count(*) FROM ("+countsFromChildren+" EXCEPT "+countsKept+") d"); n != 0 {
		t.Errorf("%s: %d groups of children not in child_counts", step, n)
	}
	if n := rawInt(t, s, "SELECT count(*) FROM ("+countsKept+" EXCEPT "+countsFromChildren+") d"); n != 0 {
		t.Errorf("%s: %d child_counts rows not matching the children", step, n)
	}
	if n := rawInt(t, s, "SELECT count(*) FROM child_counts WHERE children < 0"); n != 0 {
		t.Errorf("%s: %d negative counts", step, n)
	}
}

func TestListFiguresFollowEveryWrite(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		w := lifecycleWorld(t, s)
		ctx := context.Background()
		lead, rgt, full := w.me(t, "lead@nca.example"), w.me(t, "lead@rgt.example"), w.me(t, "full@national.example")
		checkDerived(t, s, "empty")

		r := rand.New(rand.NewPCG(7, 7))
		var ids []int64
		for _, org := range []string{"RM332", "RM332", "RM335", "RM335", "RM332"} {
			ids = append(ids, w.create(t, "lead@nca.example", newChild(nhsnumber.Generate(r), org)))
		}
		other := w.create(t, "lead@rgt.example", newChild(nhsnumber.Generate(r), "RGT01"))
		w.create(t, "lead@wales.example", newChild(nhsnumber.Generate(r), "7A4H1"))
		w.create(t, "clin@jersey.example", jerseyChild("JY100001"))
		checkDerived(t, s, "created")

		w.register(t, "lead@nca.example", ids[0], "1", "1", "2025")
		w.register(t, "lead@nca.example", ids[1], "1", "12", "2023")
		checkDerived(t, s, "registered")
		if err := w.svc.Lock(ctx, lead, ids[1], 2); err != nil {
			t.Fatal(err)
		}
		checkDerived(t, s, "locked")
		if err := w.svc.Unlock(ctx, full, ids[1]); err != nil {
			t.Fatal(err)
		}
		checkDerived(t, s, "unlocked")
		d := children.DemographicsOf(w.get(t, "lead@nca.example", ids[2]).Child)
		d.Surname = "Renamed"
		if err := w.svc.Update(ctx, lead, ids[2], 1, d); err != nil {
			t.Fatal(err)
		}
		checkDerived(t, s, "renamed")
		if err := w.svc.OptOut(ctx, lead, ids[0]); err != nil {
			t.Fatal(err)
		}
		checkDerived(t, s, "opted out")
		if err := w.svc.Delete(ctx, lead, ids[3], 1); err != nil {
			t.Fatal(err)
		}
		checkDerived(t, s, "deleted")
		if err := w.svc.Restore(ctx, full, ids[3]); err != nil {
			t.Fatal(err)
		}
		checkDerived(t, s, "restored")

		// A transfer to another trust moves the child's scope.
		if err := w.svc.RequestTransfer(ctx, lead, ids[4], "RGT01"); err != nil {
			t.Fatal(err)
		}
		checkDerived(t, s, "transfer asked")
		if err := w.svc.AcceptTransfer(ctx, rgt, ids[4]); err != nil {
			t.Fatal(err)
		}
		checkDerived(t, s, "transfer accepted")
		if p, _ := w.svc.List(ctx, rgt.Actor, children.Filter{}); p.Total != 2 || p.Totals.Total != 2 {
			t.Errorf("RGT list after the transfer: %d (totals %+v)", p.Total, p.Totals)
		}
		if p, _ := w.svc.List(ctx, lead.Actor, children.Filter{}); p.Total != 3 || p.Totals.Total != 4 || p.Totals.Registered != 1 {
			t.Errorf("RM3 list after the transfer: %d (totals %+v), want 3 of 4 (one opted out), 1 registered", p.Total, p.Totals)
		}

		// Purged after 30 days: deleted children were never counted.
		if err := w.svc.Delete(ctx, rgt, other, 1); err != nil {
			t.Fatal(err)
		}
		if _, err := children.PurgeDeleted(ctx, s, w.now.Add(31*24*time.Hour)); err != nil {
			t.Fatal(err)
		}
		checkDerived(t, s, "purged")
		// A child removed outright (not through the app) is taken off too.
		rawExec(t, s, fmt.Sprintf("DELETE FROM child_transfers WHERE child_id = %d", ids[4]))
		rawExec(t, s, fmt.Sprintf("DELETE FROM children WHERE id = %d", ids[4]))
		checkDerived(t, s, "deleted outright")

		// Reference data moves an organisation to another trust and renames it.
		rawExec(t, s, "UPDATE organisations SET trust_ods_code = 'RGT', name = 'ZEBRA HOUSE' WHERE ods_code = 'RM335'")
		checkDerived(t, s, "organisation moved")
		p, err := w.svc.List(ctx, rgt.Actor, children.Filter{Sort: "organisation", Desc: true})
		if err != nil || p.Total != 2 || len(p.Rows) != 2 || p.Rows[0].OrganisationName != "ZEBRA HOUSE" {
			t.Errorf("RGT list with RM335 moved in: %+v %v", p, err)
		}
		if p, _ := w.svc.List(ctx, lead.Actor, children.Filter{}); p.Total != 1 {
			t.Errorf("RM3 list with RM335 moved out: %d", p.Total)
		}
	})
}

// The page queries (one per column and direction) and the search's (one
// for every column, one by name) must order children alike, NULLs and
// opted-out children included, on both engines.
func TestListOrdersAgree(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		w := lifecycleWorld(t, s)
		ctx := context.Background()
		lead := w.me(t, "lead@nca.example")
		r := rand.New(rand.NewPCG(3, 4))
		var ids []int64
		for i := range 24 {
			n := newChild(nhsnumber.Generate(r), []string{"RM332", "RM335"}[i%2])
			n.FirstName, n.Surname = []string{"Ava", "ava", "Zoe", "Ed"}[i%4], []string{"Smith", "smith", "Ng", "O'Neil", "Smithers"}[i%5]
			n.DateOfBirth = children.DateInput{Day: fmt.Sprint(1 + i%3), Month: "5", Year: "2015"}
			ids = append(ids, w.create(t, "lead@nca.example", n))
		}
		for i, id := range ids {
			switch i % 6 {
			case 1, 2:
				w.register(t, "lead@nca.example", id, "1", "1", "2025")
			case 3:
				w.register(t, "lead@nca.example", id, "1", "12", "2023")
			case 4:
				w.register(t, "lead@nca.example", id, "1", "1", "2025")
				if err := w.svc.Lock(ctx, lead, id, 2); err != nil {
					t.Fatal(err)
				}
			case 5:
				if i < 12 {
					if err := w.svc.OptOut(ctx, lead, id); err != nil {
						t.Fatal(err)
					}
				}
			}
		}
		w.create(t, "clin@jersey.example", jerseyChild("JY100002"))
		order := func(rows []store.ChildListItem) []int64 {
			var out []int64
			for _, r := range rows {
				out = append(out, r.ID)
			}
			return out
		}
		everything := store.ListChildrenMatchingParams{NameFrom: "", NameTo: "\U0010FFFF", OptedOut: "all", PageLimit: 100}
		for _, col := range children.SortColumns {
			for _, desc := range []bool{false, true} {
				browse, err := store.ListChildrenSorted(ctx, s, col, desc, store.ChildListParams{OptedOut: "all", PageLimit: 100})
				if err != nil {
					t.Fatal(err)
				}
				m := everything
				m.SortColumn, m.Descending = col, desc
				search, err := s.ListChildrenMatching(ctx, m)
				if err != nil {
					t.Fatal(err)
				}
				if len(browse) != 25 || !slices.Equal(order(browse), order(search)) {
					t.Errorf("%s desc=%v: pages %v, search %v", col, desc, order(browse), order(search))
				}
				scoped, err := store.ListChildrenInScopeSorted(ctx, s, col, desc, store.ChildListInScopeParams{Scope: "RM3", OptedOut: "all", PageLimit: 100})
				if err != nil {
					t.Fatal(err)
				}
				want := slices.DeleteFunc(order(browse), func(id int64) bool { return !slices.Contains(ids, id) })
				if !slices.Equal(order(scoped), want) {
					t.Errorf("%s desc=%v in scope: %v, want %v", col, desc, order(scoped), want)
				}
				if col != "name" {
					continue
				}
				byName := store.ListChildrenMatchingByNameParams{NameFrom: "", NameTo: "\U0010FFFF", OptedOut: "all", PageLimit: 100}
				f := s.ListChildrenMatchingByNameAsc
				if desc {
					f = s.ListChildrenMatchingByNameDesc
				}
				if got, err := f(ctx, byName); err != nil || !slices.Equal(order(got), order(browse)) {
					t.Errorf("by name desc=%v: %v, want %v (%v)", desc, order(got), order(browse), err)
				}
			}
		}
	})
}

func TestListSearch(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		w := newWorld(t, s)
		ctx := context.Background()
		r := rand.New(rand.NewPCG(5, 6))
		add := func(first, surname, nhs, org string) {
			n := newChild(nhs, org)
			n.FirstName, n.Surname = first, surname
			w.create(t, "lead@nca.example", n)
		}
		add("Zoe", "Adams", "9434765919", "RM332")
		add("Yusuf", "Baker", "4010232137", "RM335")
		for i := range 57 {
			add([]string{"Ann", "Bob", "Cy"}[i%3], fmt.Sprintf("Smith%02d", i), nhsnumber.Generate(r), "RM332")
		}
		w.create(t, "clin@jersey.example", jerseyChild("JY100003"))
		list := func(who string, f children.Filter) children.Page {
			t.Helper()
			p, err := w.svc.List(ctx, w.me(t, who).Actor, f)
			if err != nil {
				t.Fatalf("%+v: %v", f, err)
			}
			return p
		}
		surnames := func(p children.Page) []string {
			var out []string
			for _, r := range p.Rows {
				out = append(out, r.Surname)
			}
			return out
		}
		for q, want := range map[string][]string{
			"ad":           {"Adams"},   // the start of a surname
			"zoe ad":       {"Adams"},   // first name first
			"ADAMS Z":      {"Adams"},   // surname first, any case
			"dams":         nil,         // not the middle of a name
			"943 476 5919": {"Adams"},   // an NHS number, spaced
			"943-476":      {"Adams"},   // the start of one
			"4765919":      nil,         // not the middle of one
			"40":           nil,         // too short to be a number
			"yusuf":        {"Baker"},   // a first name
			"smith05":      {"Smith05"}, // one of many
			"bob smith0":   {"Smith01", "Smith04", "Smith07"},
		} {
			if got := surnames(list("lead@nca.example", children.Filter{Query: q})); !slices.Equal(got, want) {
				t.Errorf("search %q: %v, want %v", q, got, want)
			}
		}
		// A Jersey reference number, by its start, in any case.
		jp := list("clin@jersey.example", children.Filter{})
		if len(jp.Rows) != 1 {
			t.Fatalf("Jersey list: %d", len(jp.Rows))
		}
		urn := jp.Rows[0].UniqueReferenceNumber
		for _, q := range []string{urn, strings.ToLower(urn[:3])} {
			if p := list("full@national.example", children.Filter{Query: q}); len(p.Rows) != 1 || p.Rows[0].UniqueReferenceNumber != urn {
				t.Errorf("search %q for reference %s: %v", q, urn, surnames(p))
			}
		}
		// An audit ID from its third character on; "C" alone is every child.
		adams := list("lead@nca.example", children.Filter{Query: "adams"}).Rows[0]
		for _, q := range []string{adams.AuditID, strings.ToLower(adams.AuditID[:4]), adams.AuditID[:3]} {
			if got := surnames(list("lead@nca.example", children.Filter{Query: q})); !slices.Contains(got, "Adams") {
				t.Errorf("search by audit ID %q: %v", q, got)
			}
		}
		if p := list("lead@nca.example", children.Filter{Query: "c"}); p.Total != 19 {
			t.Errorf(`search "c": %d, want the 19 called Cy`, p.Total)
		}
		// More than a page: counted, paged, sorted by name or any column.
		p := list("lead@nca.example", children.Filter{Query: "smi"})
		if p.Total != 57 || p.Pages != 2 || len(p.Rows) != 50 || p.Rows[0].Surname != "Smith00" {
			t.Errorf("search smi: %d in %d pages, %d rows, first %v", p.Total, p.Pages, len(p.Rows), surnames(p)[:1])
		}
		p = list("lead@nca.example", children.Filter{Query: "smi", Page: 2, Sort: "name", Desc: true})
		if p.Total != 57 || len(p.Rows) != 7 || p.Rows[6].Surname != "Smith00" {
			t.Errorf("search smi, page 2 by name descending: %d, %v", p.Total, surnames(p))
		}
		p = list("lead@nca.example", children.Filter{Query: "smi", Page: 9, Sort: "audit_id"})
		if p.Filter.Page != 2 || len(p.Rows) != 7 || !slices.IsSortedFunc(p.Rows, func(a, b children.Row) int { return strings.Compare(a.AuditID, b.AuditID) }) {
			t.Errorf("search smi, past the end by audit ID: page %d, %d rows", p.Filter.Page, len(p.Rows))
		}
		// By any column, both ways: page 1 walks the column's index (57 of
		// the scope's 59 match), page 2 reads and sorts every match; the
		// pages join up.
		for _, col := range children.SortColumns {
			for _, desc := range []bool{false, true} {
				var got []int64
				for page := 1; page <= 2; page++ {
					for _, r := range list("lead@nca.example", children.Filter{Query: "smi", Sort: col, Desc: desc, Page: page}).Rows {
						got = append(got, r.ID)
					}
				}
				all, err := s.ListChildrenMatching(ctx, store.ListChildrenMatchingParams{SortColumn: col, Descending: desc,
					NameFrom: "smi", NameTo: "smi\U0010FFFF", Scope: "RM3", PageLimit: 100})
				if err != nil {
					t.Fatal(err)
				}
				var want []int64
				for _, r := range all {
					want = append(want, r.ID)
				}
				if len(want) != 57 || !slices.Equal(got, want) {
					t.Errorf("search smi by %s desc=%v: %v, want %v", col, desc, got, want)
				}
			}
		}
		if p := list("lead@nca.example", children.Filter{Query: "smi", Org: "RM335"}); p.Total != 0 || p.NoChildren {
			t.Errorf("search smi at RM335: %d", p.Total)
		}
		// Never beyond the scope.
		if p := list("lead@rgt.example", children.Filter{Query: "adams"}); p.Total != 0 {
			t.Errorf("another trust finds Adams: %d", p.Total)
		}
	})
}

// Every page query walks its index in order: no sort of the children,
// whatever the planner knows (PostgreSQL is told sorting is as dear as it
// can be, so it sorts only where no index gives the order, and is checked
// with a plan for the values given and with a generic plan, which it may
// cache after five runs).
func TestListPlansUseTheirIndex(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		file := "sqlite"
		if s.Engine() == store.Postgres {
			file = "postgres"
		}
		src, err := os.ReadFile("../../queries/" + file + "/children_list.sql")
		if err != nil {
			t.Fatal(err)
		}
		values := map[string]any{"scope": "RM3", "organisation_id": 0, "cohort": 0, "page_offset": 0, "page_limit": 50, "searching": false}
		param := regexp.MustCompile(`@(\w+)`)
		checked := 0
		for _, part := range strings.Split(string(src), "-- name: ")[1:] {
			name, body, _ := strings.Cut(part, "\n")
			name = strings.Fields(name)[0]
			if !strings.HasPrefix(name, "ListChildrenBy") && !strings.HasPrefix(name, "ListChildrenInScopeBy") {
				continue
			}
			var args []any
			index := map[string]int{}
			q := param.ReplaceAllStringFunc(strings.TrimSuffix(strings.TrimSpace(body), ";"), func(p string) string {
				p = p[1:]
				if _, ok := index[p]; !ok {
					v, ok := values[p]
					if !ok {
						v = ""
					}
					args = append(args, v)
					index[p] = len(args)
				}
				if file == "sqlite" {
					return fmt.Sprintf("?%d", index[p])
				}
				return fmt.Sprintf("$%d", index[p])
			})
			for _, plan := range explain(t, s, q, args) {
				if strings.Contains(plan, "TEMP B-TREE") || strings.Contains(plan, "Sort") || !strings.Contains(plan, "children_") {
					t.Errorf("%s does not walk an index in order:\n%s", name, plan)
				}
			}
			checked++
		}
		if want := 4 * len(children.SortColumns); checked != want {
			t.Errorf("checked the plans of %d queries, want %d", checked, want)
		}
	})
}

// explain returns the plans of q with args: SQLite's, or PostgreSQL's
// custom and generic plans.
func explain(t *testing.T, s store.Store, q string, args []any) []string {
	t.Helper()
	ctx := context.Background()
	switch s := s.(type) {
	case *litestore.Store:
		rows, err := s.DB().QueryContext(ctx, "EXPLAIN QUERY PLAN "+q, args...)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var lines []string
		for rows.Next() {
			var id, parent, unused int
			var detail string
			if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
				t.Fatal(err)
			}
			lines = append(lines, detail)
		}
		return []string{strings.Join(lines, "\n")}
	case *pgstore.Store:
		conn, err := s.Pool().Acquire(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Release()
		var values []string
		for _, a := range args {
			switch v := a.(type) {
			case string:
				values = append(values, "'"+v+"'")
			default:
				values = append(values, fmt.Sprint(v))
			}
		}
		// The simple protocol, so as not to disturb pgx's own prepared
		// statements.
		pg := conn.Conn().PgConn()
		run := func(sql string) [][][]byte {
			res, err := pg.Exec(ctx, sql).ReadAll()
			if err != nil {
				t.Fatalf("%s: %v", sql, err)
			}
			return res[len(res)-1].Rows
		}
		run("SET enable_sort = off; PREPARE list_plan AS " + q)
		defer run("DEALLOCATE list_plan; RESET enable_sort; RESET plan_cache_mode")
		var plans []string
		for _, mode := range []string{"force_custom_plan", "force_generic_plan"} {
			var lines []string
			for _, row := range run("SET plan_cache_mode = " + mode + "; EXPLAIN EXECUTE list_plan(" + strings.Join(values, ", ") + ")") {
				lines = append(lines, string(row[0]))
			}
			plans = append(plans, mode+":\n"+strings.Join(lines, "\n"))
		}
		return plans
	}
	t.Fatalf("no plans for %T", s)
	return nil
}

// jerseyChild is a child in Jersey, known by a reference number.
func jerseyChild(urn string) children.NewChild {
	n := jersey(newChild("", "RGT1W"))
	n.UniqueReferenceNumber = urn
	return n
}
