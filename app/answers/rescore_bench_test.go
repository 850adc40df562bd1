package answers_test

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strconv"
	"testing"
	"time"

	"clinaudit/app/answers"
	"clinaudit/app/audit"
	"clinaudit/app/forms"
	"clinaudit/app/kpi"
	"clinaudit/app/store"
	"clinaudit/app/store/litestore"
	"clinaudit/app/store/pgstore"
	"clinaudit/app/store/storetest"
)

// BenchmarkRecalculate times a national KPI recalculation (the
// kpi_recalculate job's work) over KPI_BENCH_CHILDREN children (10,000
// unless told, so `make bench` stays short; make bench-kpi asks for the
// issue's 100,000) on both engines. Every child is a copy of one child whose whole
// audit was filled through the save path, so each has every answer and
// row a complete audit has: the heaviest child there is. In the same run it
// times the parts as baselines: reading every child's answers in batches
// (read-s) and scoring the read records in-process (score-s).
//
//	make bench-kpi
//	KPI_BENCH_CHILDREN=10000 go test -run '^$' -bench Recalculate -benchtime 1x ./app/answers/
func BenchmarkRecalculate(b *testing.B) {
	n := 10_000
	if v, err := strconv.Atoi(os.Getenv("KPI_BENCH_CHILDREN")); err == nil && v > 0 {
		n = v
	}
	for _, e := range []store.Engine{store.SQLite, store.Postgres} {
		b.Run(fmt.Sprintf("%s/children=%d", e, n), func(b *testing.B) {
			ctx := context.Background()
			s := storetest.Open(b, e)
			w := newWorld(b, s)
			template := w.child(b, childOpts{})
			answered := fillAll(b, w, template)
			start := time.Now()
			cloneChild(b, s, template, n-1)
			b.Logf("%d children of %d answers each set up in %v", n, answered, time.Since(start).Round(time.Millisecond))
			svc := w.svc()

			read, score := readAndScore(b, s, svc)
			var total time.Duration
			b.ResetTimer()
			for b.Loop() {
				id, err := svc.RequestRecalculation(ctx, w.users[carl].ID)
				if err != nil {
					b.Fatal(err)
				}
				start := time.Now()
				if err := svc.Recalculate(ctx, id); err != nil {
					b.Fatal(err)
				}
				total += time.Since(start)
				if r, err := s.GetKPIRecalculation(ctx, id); err != nil || r.Done != int64(n) || r.FinishedAt == nil {
					b.Fatalf("recalculation %+v %v, want %d done", r, err, n)
				}
			}
			per := total / time.Duration(b.N)
			b.ReportMetric(per.Seconds(), "s/recalc")
			b.ReportMetric(float64(n)/per.Seconds(), "children/s")
			b.ReportMetric(read.Seconds(), "read-s")
			b.ReportMetric(score.Seconds(), "score-s")
		})
	}
}

// readAndScore is the baseline: the batched reads alone, then the scoring
// alone of every record read, on one core as kpi's BenchmarkScore does.
func readAndScore(b *testing.B, s store.Store, svc *answers.Service) (read, score time.Duration) {
	ctx := context.Background()
	var recs []answers.BatchRecord
	start := time.Now()
	after := int64(0)
	for {
		batch, err := answers.ReadBatch(ctx, s, after, answers.DefaultRescoreBatch)
		if err != nil {
			b.Fatal(err)
		}
		if len(batch) == 0 {
			break
		}
		recs = append(recs, batch...)
		after = batch[len(batch)-1].Child.ID
	}
	read = time.Since(start)
	start = time.Now()
	passes := 0
	for _, r := range recs {
		if scores, _ := r.Score(audit.DateOf(now)); scores[kpi.PaediatricianWithExpertiseInEpilepsies] == kpi.Pass {
			passes++
		}
	}
	score = time.Since(start)
	if passes == 0 {
		b.Fatal("no child passes KPI 1: the template child is not the full audit it should be")
	}
	return read, score
}

// fillAll answers every question of every form of child id through the
// save path, adding a row to each list, and returns how many answers the
// child then has.
func fillAll(t testing.TB, w *world, id int64) int {
	t.Helper()
	rec, version := w.load(t, carl, id).Record, w.version(t, id)
	for _, f := range forms.All() {
		for i := 0; ; i++ {
			if i > 300 {
				t.Fatalf("%s: still unanswered questions after %d saves", f.ID, i)
			}
			var todo, add *forms.Question
			var row *forms.Row
			shown(f, rec, func(q *forms.Question, r *forms.Row) {
				switch {
				case todo != nil || add != nil || q.Kind == forms.Derived:
				case q.Kind == forms.Rows:
					if !slices.ContainsFunc(rec.RowsOf(q.RowSection), func(r *forms.Row) bool {
						return q.RowFilter == nil || string(r.Answers[q.RowFilter.Field]) == q.RowFilter.Value
					}) {
						add = q
					}
				case f.Answer(rec, q, r) == nil:
					todo, row = q, r
				}
			})
			var saved *answers.Saved
			switch {
			case add != nil:
				saved, _ = w.addRow(t, id, f, add, fmt.Sprintf("%s-%d", add.RowSection, i))
			case todo != nil:
				saved = w.save(t, carl, id, f, keyOf(f, todo, row), valid(todo), version)
			}
			if saved == nil {
				break
			}
			rec, version = saved.Record, saved.Version
		}
	}
	return len(w.stored(t, id))
}

// cloneChild copies child id, its rows and its answers n times, set-based.
// Copy g (from 1) gets the child id childBase+g and, for the template's
// k-th row, the row id rowBase+(g-1)*rowsPer+k: ids after every existing
// child and row.
func cloneChild(t testing.TB, s store.Store, id int64, n int) {
	t.Helper()
	ctx := context.Background()
	childBase := queryInt(t, s, ctx, `SELECT max(id) FROM children`)
	rowBase := queryInt(t, s, ctx, `SELECT coalesce(max(id), 0) FROM child_rows`)
	rowsPer := queryInt(t, s, ctx, fmt.Sprintf(`SELECT count(*) FROM child_rows WHERE child_id = %d`, id))
	series := fmt.Sprintf("WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < %d)", n)
	ordered := fmt.Sprintf(`(SELECT id, section, client_key, created_at, row_number() OVER (ORDER BY id) AS k
		FROM child_rows WHERE child_id = %d)`, id)
	rowID := fmt.Sprintf("%d + (g.n - 1) * %d + r.k", rowBase, rowsPer)
	exec(t, s, ctx,
		fmt.Sprintf(`%s INSERT INTO children (id, audit_id, date_of_birth, sex, postcode, ethnicity, lead_organisation_id,
			first_paediatric_assessment_date, eligibility_confirmed, cohort, registered_at, created_at, updated_at, version)
		SELECT %d + g.n, 'B' || g.n, c.date_of_birth, c.sex, c.postcode, c.ethnicity, c.lead_organisation_id,
			c.first_paediatric_assessment_date, c.eligibility_confirmed, c.cohort, c.registered_at, c.created_at, c.updated_at, c.version
		FROM children c, g WHERE c.id = %d`, series, childBase, id),
		fmt.Sprintf(`%s INSERT INTO child_rows (id, child_id, section, client_key, created_at)
		SELECT %s, %d + g.n, r.section, r.client_key, r.created_at FROM %s r, g`, series, rowID, childBase, ordered),
		fmt.Sprintf(`%s INSERT INTO answers (child_id, section, row_id, field, value, version, updated_at)
		SELECT %d + g.n, a.section, CASE WHEN a.row_id = 0 THEN 0 ELSE %s END, a.field, a.value, a.version, a.updated_at
		FROM answers a LEFT JOIN %s r ON r.id = a.row_id, g WHERE a.child_id = %d`, series, childBase, rowID, ordered, id),
		`ANALYZE`)
}

func queryInt(t testing.TB, s store.Store, ctx context.Context, q string) int64 {
	t.Helper()
	var v int64
	var err error
	switch db := s.(type) {
	case *litestore.Store:
		err = db.DB().QueryRowContext(ctx, q).Scan(&v)
	case *pgstore.Store:
		err = db.Pool().QueryRow(ctx, q).Scan(&v)
	default:
		t.Fatalf("no raw SQL for %T", s)
	}
	if err != nil {
		t.Fatalf("%v\n%s", err, q)
	}
	return v
}

func exec(t testing.TB, s store.Store, ctx context.Context, stmts ...string) {
	t.Helper()
	for _, q := range stmts {
		var err error
		switch db := s.(type) {
		case *litestore.Store:
			_, err = db.DB().ExecContext(ctx, q)
		case *pgstore.Store:
			_, err = db.Pool().Exec(ctx, q)
		default:
			t.Fatalf("no raw SQL for %T", s)
		}
		if err != nil {
			t.Fatalf("%v\n%s", err, q)
		}
	}
}
