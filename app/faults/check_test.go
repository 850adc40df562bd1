package faults

// What the fault tests check, read straight from the database (the server
// may be down): the clinicians' ledgers against the answers and their
// trail, River's queue, and the stored KPI results against a fresh score.

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"clinaudit/app/answers"
	"clinaudit/app/config"
	"clinaudit/app/kpi"
	"clinaudit/app/store"
	"clinaudit/app/store/litestore"
	"clinaudit/app/store/pgstore"

	_ "github.com/jackc/pgx/v5/stdlib"
	_ "modernc.org/sqlite"
)

// db is a plain connection to the server's database, beside the server.
type db struct {
	*sql.DB
	engine store.Engine
	url    string
}

func openDB(t *testing.T, dbURL string) *db {
	t.Helper()
	engine, target, err := config.ParseDatabaseURL(dbURL)
	if err != nil {
		t.Fatal(err)
	}
	driver, dsn := "pgx", target
	if engine == "sqlite" {
		driver, dsn = "sqlite", "file:"+target+"?_pragma=busy_timeout(10000)"
	}
	d, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	return &db{DB: d, engine: store.Engine(engine), url: dbURL}
}

// q turns the ?s of a query into PostgreSQL's $n.
func (d *db) q(query string) string {
	if d.engine != store.Postgres {
		return query
	}
	var b strings.Builder
	n := 0
	for _, r := range query {
		if r == '?' {
			n++
			fmt.Fprintf(&b, "$%d", n)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// change is one answer_changes row.
type change struct {
	field, value string
	version      int64
}

// checkLedger checks the clinicians' saves against the database:
//   - every acknowledged save has its trail row (answer_changes: field,
//     value, the version the server answered with);
//   - every trail row written since the clinician took the child is an
//     acknowledged save or one of their failed saves (committed but
//     unacknowledged: the process died between commit and answer), and at
//     most unacked of them are failed saves (strict shutdown: 0);
//   - no half-written record: the child's version is its last trail row's,
//     and each field's stored answer is its last trail row's value and
//     version.
//
// It returns how many committed saves were not acknowledged.
func checkLedger(t *testing.T, d *db, cs []*clinician, maxUnacked int) int {
	t.Helper()
	ctx, cancel := ctxTimeout()
	defer cancel()
	unacked := 0
	for _, c := range cs {
		rows, err := d.QueryContext(ctx, d.q(`SELECT field, new_value, version FROM answer_changes
			WHERE child_id = ? AND section = ? AND row_id = 0 AND version > ? ORDER BY version, id`), c.child, form, c.baseline)
		if err != nil {
			t.Fatal(err)
		}
		var got []change
		for rows.Next() {
			var ch change
			var v sql.NullString
			if err := rows.Scan(&ch.field, &v, &ch.version); err != nil {
				t.Fatal(err)
			}
			ch.value = strings.Trim(v.String, `"`)
			got = append(got, ch)
		}
		rows.Close()
		byVersion := map[int64]change{}
		for _, ch := range got {
			if _, dup := byVersion[ch.version]; dup {
				t.Errorf("child %d: two trail rows at version %d", c.child, ch.version)
			}
			byVersion[ch.version] = ch
		}
		for _, s := range c.acked {
			if s.version <= s.seen {
				// It changed nothing (a save the clinician saw fail had not
				// been committed, so this one found its answer already
				// there): the last trail row of the field up to then must
				// hold it.
				if v := lastValue(got, s.field, s.version); v != "" && v != s.value {
					t.Errorf("LOST: child %d: %s=%s acknowledged as unchanged at version %d, but the trail has %s", c.child, s.field, s.value, s.version, v)
				}
				continue
			}
			ch, ok := byVersion[s.version]
			if !ok || ch.field != s.field || ch.value != s.value {
				t.Errorf("LOST: child %d: the save of %s=%s acknowledged at version %d has no trail row (found %+v)", c.child, s.field, s.value, s.version, ch)
			}
			delete(byVersion, s.version)
		}
		// What is left was committed without an acknowledgement: it must be
		// a save the clinician saw fail.
		for v, ch := range byVersion {
			matched := false
			for _, f := range c.failed {
				if f.field == ch.field && f.value == ch.value && f.seen < v {
					matched = true
					break
				}
			}
			if !matched {
				t.Errorf("child %d: trail row at version %d (%s=%s) is no save the clinician sent", c.child, v, ch.field, ch.value)
			}
			unacked++
		}

		var version int64
		if err := d.QueryRowContext(ctx, d.q(`SELECT version FROM children WHERE id = ?`), c.child).Scan(&version); err != nil {
			t.Fatal(err)
		}
		if len(got) > 0 && got[len(got)-1].version != version {
			t.Errorf("HALF-WRITTEN: child %d is at version %d, its last trail row at %d", c.child, version, got[len(got)-1].version)
		}
		last := map[string]change{}
		for _, ch := range got {
			last[ch.field] = ch
		}
		for field, ch := range last {
			var value string
			var v int64
			err := d.QueryRowContext(ctx, d.q(`SELECT value, version FROM answers WHERE child_id = ? AND section = ? AND row_id = 0 AND field = ?`),
				c.child, form, field).Scan(&value, &v)
			if err != nil || strings.Trim(value, `"`) != ch.value || v != ch.version {
				t.Errorf("HALF-WRITTEN: child %d %s: stored %q at version %d (%v), last trail row %q at %d", c.child, field, value, v, err, ch.value, ch.version)
			}
		}
	}
	if unacked > maxUnacked {
		t.Errorf("%d saves committed without an acknowledgement, want at most %d", unacked, maxUnacked)
	}
	return unacked
}

// lastValue is the value of field's last trail row at or before version,
// "" when none.
func lastValue(changes []change, field string, version int64) string {
	v := ""
	for _, ch := range changes {
		if ch.field == field && ch.version <= version {
			v = ch.value
		}
	}
	return v
}

// job is one river_job row.
type job struct {
	id              int64
	kind, state     string
	attempt, errors int
	finished        bool
}

func (j job) String() string {
	return fmt.Sprintf("%s #%d %s (attempt %d, %d errors)", j.kind, j.id, j.state, j.attempt, j.errors)
}

// jobs lists the queue's jobs in the given states (all when none).
func (d *db) jobs(t *testing.T, states ...string) []job {
	t.Helper()
	ctx, cancel := ctxTimeout()
	defer cancel()
	nerrors := `COALESCE(json_array_length(errors), 0)`
	if d.engine == store.Postgres {
		nerrors = `COALESCE(array_length(errors, 1), 0)`
	}
	query := `SELECT id, kind, state, attempt, ` + nerrors + `, finalized_at IS NOT NULL FROM river_job`
	if len(states) > 0 {
		query += ` WHERE state IN ('` + strings.Join(states, "','") + `')`
	}
	rows, err := d.QueryContext(ctx, query+` ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []job
	for rows.Next() {
		var j job
		if err := rows.Scan(&j.id, &j.kind, &j.state, &j.attempt, &j.errors, &j.finished); err != nil {
			t.Fatal(err)
		}
		out = append(out, j)
	}
	return out
}

// job reads one job by id.
func (d *db) job(t *testing.T, id int64) job {
	t.Helper()
	for _, j := range d.jobs(t) {
		if j.id == id {
			return j
		}
	}
	t.Fatalf("job %d is gone", id)
	return job{}
}

// pending are the jobs not yet done: waiting to run, running, or waiting
// for a retry.
func (d *db) pending(t *testing.T) []job {
	return d.jobs(t, "available", "running", "retryable", "pending")
}

// completedAfter reports whether a job of the kind newer than job id
// after has completed: the start-up reconciliation, say, which River's
// leader queues only once elected, so that an empty queue before it is
// no sign it has run.
func (d *db) completedAfter(t *testing.T, kind string, after int64) bool {
	t.Helper()
	return slices.ContainsFunc(d.jobs(t, "completed"), func(j job) bool { return j.kind == kind && j.id > after })
}

// leader is River's current leader's client id, "" when none.
func (d *db) leader(t *testing.T) string {
	t.Helper()
	ctx, cancel := ctxTimeout()
	defer cancel()
	var id string
	err := d.QueryRowContext(ctx, `SELECT leader_id FROM river_leader`).Scan(&id)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		t.Fatal(err)
	}
	return id
}

// openStore opens the app's own store on the database, for the KPI
// checks, with an insert-only River client.
func openStore(t *testing.T, d *db) store.Store {
	t.Helper()
	engine, target, _ := config.ParseDatabaseURL(d.url)
	var s store.Store
	var err error
	if engine == "postgres" {
		s, err = pgstore.Open(context.Background(), target)
	} else {
		s, err = litestore.Open(target)
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if err := s.ConfigureJobs(store.JobsConfig{}); err != nil {
		t.Fatal(err)
	}
	return s
}

// checkFresh is the invariant of issue 13 for the clinicians' children:
// each stored KPI result is a fresh score of the child's stored record
// (same version, same rules, same scores and completeness), and the
// reconciliation's own query finds no child stale anywhere.
func checkFresh(t *testing.T, s store.Store, cs []*clinician) {
	t.Helper()
	ctx, cancel := ctxTimeout()
	defer cancel()
	svc := answers.New(s, time.Now)
	for _, c := range cs {
		l, err := svc.LoadForSystem(ctx, s, c.child)
		if err != nil {
			t.Fatal(err)
		}
		r, err := s.GetKPIResult(ctx, c.child)
		if err != nil {
			t.Errorf("STALE: child %d at version %d has no stored result: %v", c.child, l.Child.Version, err)
			continue
		}
		if r.DataVersion != l.Child.Version || r.RulesVersion != kpi.RulesVersion {
			t.Errorf("STALE: child %d: stored result of version %d, child at version %d", c.child, r.DataVersion, l.Child.Version)
		}
		if !svc.Fresh(l, r) {
			t.Errorf("STALE: child %d: the stored result is not a fresh score of version %d", c.child, l.Child.Version)
		}
	}
	if n, err := svc.CountStale(ctx, 1000); err != nil || n != 0 {
		t.Errorf("STALE: the reconciliation's query finds %d stale children (%v)", n, err)
	}
}
