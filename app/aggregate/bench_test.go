package aggregate_test

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"clinaudit/app/aggregate"
	"clinaudit/app/kpi"
	"clinaudit/app/store"
	"clinaudit/app/store/litestore"
	"clinaudit/app/store/pgstore"
	"clinaudit/app/store/storetest"
)

// BenchmarkAggregate times one full aggregation run of one cohort (every
// level, every measure) over N synthetic children, on both engines, next
// to two baselines measured in the same run: one hand-written GROUP BY by
// organisation for the same organisation-level figures, and one for the
// least any aggregation must count (baselineFigures, baselineCounted). N is 10,000 unless AGG_BENCH_CHILDREN lists sizes:
//
//	AGG_BENCH_CHILDREN=100000,1000000 go test -run '^$' -bench Aggregate -benchtime 3x ./app/aggregate/
//
// (make bench-aggregate). The children are generated set-based
// (generate_series on PostgreSQL, a recursive CTE on SQLite) through the
// real schema, triggers and indexes included: 7 in 8 registered, in cohorts
// 6, 7 and 8 alike, 1 in 100 opted out and 1 in 100 deleted, every
// registered child scored, 4 in 5 with a complete audit, and the run's date
// puts half of cohort 7's first years of care over.
func BenchmarkAggregate(b *testing.B) {
	sizes := []int{10000}
	if v := os.Getenv("AGG_BENCH_CHILDREN"); v != "" {
		sizes = nil
		for _, f := range strings.Split(v, ",") {
			n, err := strconv.Atoi(strings.TrimSpace(f))
			if err != nil || n <= 0 {
				b.Fatalf("AGG_BENCH_CHILDREN=%q: want sizes such as 100000,1000000", v)
			}
			sizes = append(sizes, n)
		}
	}
	for _, e := range []store.Engine{store.SQLite, store.Postgres} {
		for _, n := range sizes {
			b.Run(fmt.Sprintf("%s/%d", e, n), func(b *testing.B) {
				ctx := context.Background()
				s := storetest.Open(b, e)
				started := time.Now()
				generate(b, s, n)
				b.Logf("%s: %d children and their results generated and analysed in %s", e, n, time.Since(started).Round(time.Millisecond))
				r := &aggregate.Runner{Store: s, Now: func() time.Time { return benchNow }}

				b.Run("baseline-figures", func(b *testing.B) {
					for b.Loop() {
						baseline(b, s, baselineFigures)
					}
				})
				b.Run("baseline-counted", func(b *testing.B) {
					for b.Loop() {
						baseline(b, s, baselineCounted)
					}
				})
				b.Run("run", func(b *testing.B) {
					for b.Loop() {
						if _, err := r.Run(ctx, testCohort); err != nil {
							b.Fatal(err)
						}
					}
				})
				run, err := aggregate.Current(ctx, s, testCohort)
				if err != nil {
					b.Fatal(err)
				}
				b.Logf("%s: the run counted %d children of cohort 7", e, run.Children)
			})
		}
	}
}

// benchNow puts the first year of care of cohort 7's children first
// assessed up to 1 June 2024 over: about half of them.
var benchNow = time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)

// generate adds n synthetic children and their KPI results with set-based
// INSERT … SELECTs (children 50,000 a statement, results in one), then
// analyses the tables as the database_optimize job (SQLite) and
// autovacuum (PostgreSQL) would.
func generate(b *testing.B, s store.Store, n int) {
	b.Helper()
	// In batches: every child updates its organisation's row of
	// child_counts (a trigger), and PostgreSQL walks a row's versions
	// written by the same transaction, so one statement of a million
	// children would take quadratic time.
	const batch = 50000
	for lo := 1; lo <= n; lo += batch {
		exec(b, s, childrenSQL(s.Engine(), lo, min(lo+batch-1, n)))
	}
	var cols, vals []string
	for m, info := range kpi.Measures() {
		cols = append(cols, info.ID)
		v := fmt.Sprintf("(id * %d + %d) %% 4", 2*m+3, m)
		vals = append(vals, fmt.Sprintf("CASE WHEN %s < 3 THEN %s END", v, v))
	}
	exec(b, s, `INSERT INTO kpi_results (child_id, rules_version, data_version, computed_at, audit_complete, `+strings.Join(cols, ", ")+`)
SELECT id, 'bench', 1, `+timestamp(s.Engine())+`, id % 5 <> 0, `+strings.Join(vals, ", ")+`
FROM children WHERE cohort IS NOT NULL`)
	switch s := s.(type) {
	case *litestore.Store:
		exec(b, s, "ANALYZE")
	case *pgstore.Store:
		exec(b, s, "VACUUM ANALYZE")
	}
}

func timestamp(e store.Engine) string {
	if e == store.Postgres {
		return "TIMESTAMPTZ '2025-06-01 00:00:00+00'"
	}
	return "'2025-06-01 00:00:00'"
}

// childrenSQL inserts children lo to hi: 7 in 8 registered, in cohorts 6,
// 7 and 8 alike, 1 in 100 opted out, 1 in 100 deleted, spread evenly over
// every organisation.
func childrenSQL(e store.Engine, lo, hi int) string {
	series := fmt.Sprintf("WITH RECURSIVE s(i) AS (SELECT %d UNION ALL SELECT i + 1 FROM s WHERE i < %d),", lo, hi)
	fpa := "date('2022-12-01', '+' || ((s.i % 3) * 365 + (s.i * 7919) % 365) || ' days')"
	if e == store.Postgres {
		series = fmt.Sprintf("WITH s(i) AS (SELECT generate_series(CAST(%d AS BIGINT), %d)),", lo, hi)
		fpa = "DATE '2022-12-01' + CAST((s.i % 3) * 365 + (s.i * 7919) % 365 AS INTEGER)"
	}
	ts := timestamp(e)
	registered := "s.i % 8 <> 0"
	return `INSERT INTO children (audit_id, lead_organisation_id, first_paediatric_assessment_date, eligibility_confirmed,
    cohort, registered_at, created_at, updated_at, opted_out_at, deleted_at) ` + series + `
  orgs AS (SELECT id, row_number() OVER (ORDER BY id) - 1 AS rn FROM organisations),
  n AS (SELECT count(*) AS n FROM organisations)
SELECT 'B' || s.i, orgs.id,
    CASE WHEN ` + registered + ` THEN ` + fpa + ` END,
    ` + registered + `,
    CASE WHEN ` + registered + ` THEN 6 + s.i % 3 END,
    CASE WHEN ` + registered + ` THEN ` + ts + ` END, ` + ts + `, ` + ts + `,
    CASE WHEN s.i % 100 = 1 THEN ` + ts + ` END,
    CASE WHEN s.i % 100 = 2 THEN ` + ts + ` END
FROM s CROSS JOIN n JOIN orgs ON orgs.rn = (s.i / 3) % n.n`
}

func exec(b *testing.B, s store.Store, q string) {
	b.Helper()
	ctx := context.Background()
	var err error
	switch s := s.(type) {
	case *litestore.Store:
		_, err = s.DB().ExecContext(ctx, q)
	case *pgstore.Store:
		_, err = s.Pool().Exec(ctx, q)
	default:
		b.Fatalf("no raw SQL for %T", s)
	}
	if err != nil {
		b.Fatalf("%v\n%s", err, q)
	}
}

// Two baselines, each one hand-written GROUP BY lead_organisation_id read
// into Go:
//
//   - baselineFigures: the organisation level's figures as the run stores
//     them: the cohort's registered children, those with a complete audit,
//     those counted (complete, first year of care over), and for every
//     measure the four counts of spec 8.3 over the counted children;
//   - baselineCounted: the least any aggregation must do: the counted
//     children's three figures per measure (scored, passed, ineligible),
//     with nothing else.
//
// The run produces the first's figures for the organisation level, and for
// every other level and entity besides, and stores them.
var counted = "(k.audit_complete AND c.first_paediatric_assessment_date <= '2024-06-01')"

var baselineFigures = func() string {
	sel := []string{"count(*)", "count(*) FILTER (WHERE k.audit_complete)", "count(*) FILTER (WHERE " + counted + ")"}
	for _, m := range kpi.Measures() {
		for _, cond := range []string{"= 1", "IN (0, 1)", "= 2", "IS NULL"} {
			sel = append(sel, fmt.Sprintf("count(*) FILTER (WHERE %s AND k.%s %s)", counted, m.ID, cond))
		}
	}
	return `SELECT c.lead_organisation_id, ` + strings.Join(sel, ",\n    ") + `
FROM children c LEFT JOIN kpi_results k ON k.child_id = c.id
WHERE c.cohort = 7 AND c.deleted_at IS NULL AND c.opted_out_at IS NULL
GROUP BY c.lead_organisation_id`
}()

var baselineCounted = func() string {
	var sel []string
	for _, m := range kpi.Measures() {
		sel = append(sel, fmt.Sprintf("count(k.%[1]s), count(*) FILTER (WHERE k.%[1]s = 1), count(*) FILTER (WHERE k.%[1]s = 2)", m.ID))
	}
	return `SELECT c.lead_organisation_id, count(*), ` + strings.Join(sel, ",\n    ") + `
FROM children c JOIN kpi_results k ON k.child_id = c.id
WHERE c.cohort = 7 AND c.deleted_at IS NULL AND c.opted_out_at IS NULL AND ` + counted + `
GROUP BY c.lead_organisation_id`
}()

func baseline(b *testing.B, s store.Store, query string) {
	ctx := context.Background()
	rows := 0
	switch s := s.(type) {
	case *litestore.Store:
		rs, err := s.DB().QueryContext(ctx, query)
		if err != nil {
			b.Fatal(err)
		}
		for rs.Next() {
			rows++
		}
		if err := rs.Err(); err != nil {
			b.Fatal(err)
		}
		rs.Close()
	case *pgstore.Store:
		rs, err := s.Pool().Query(ctx, query)
		if err != nil {
			b.Fatal(err)
		}
		for rs.Next() {
			rows++
		}
		if err := rs.Err(); err != nil {
			b.Fatal(err)
		}
	}
	if rows == 0 {
		b.Fatal("the baseline counted nothing")
	}
}
