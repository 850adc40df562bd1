// Package backup backs up, restores and checks a clinaudit database: an
// online copy of a running SQLite file (VACUUM INTO), its atomic
// restoration, and the checks `clinaudit verify` runs on either engine
// after a restore.
package backup

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"clinaudit/app/answers"
	"clinaudit/app/audit"
	"clinaudit/app/kpi"
	"clinaudit/app/store"
)

// Report is what Verify found. The database is fit to serve when Problems
// is empty.
type Report struct {
	Migrations int // ours, applied
	Tables     []store.TableCount
	// The KPI sample: children whose stored result was re-scored from their
	// stored answers and found equal, and those skipped because their
	// result is legitimately behind (a save whose scoring job had not run
	// when the copy was taken, or a result past its valid_until): the
	// reconciliation job rescores those after start-up.
	Rescored, Behind int
	Problems         []string
}

// OK reports whether Verify found nothing wrong.
func (r Report) OK() bool { return len(r.Problems) == 0 }

// DefaultSample is how many children Verify re-scores unless told.
const DefaultSample = 500

// Verify checks the database s: every migration of this clinaudit applied
// and none unknown, the engine's integrity check, foreign keys, a row count
// of every table, and the stored KPI results of up to sample children (in
// id order; 0 means every child) equal to a fresh score of their stored
// answers, the invariant the scorer keeps. now is the clock (the UK's date
// decides which results are still valid). Problems are reported, not
// returned: an error means Verify could not run at all.
func Verify(ctx context.Context, s store.Store, sample int, now func() time.Time) (Report, error) {
	var r Report
	in, ok := s.(store.Inspector)
	if !ok {
		return r, errors.New("backup: this store cannot be inspected")
	}
	problem := func(format string, a ...any) { r.Problems = append(r.Problems, fmt.Sprintf(format, a...)) }

	applied, err := in.AppliedMigrations(ctx)
	if err != nil {
		// Nothing else is worth checking in a file that is not ours.
		problem("migrations: %v", err)
		return r, nil
	}
	r.Migrations = len(applied)
	if known, err := s.MigrationStatus(ctx); err != nil {
		problem("migrations: %v", err)
	} else {
		var versions []int64
		for _, m := range known {
			versions = append(versions, m.Version)
			if !slices.Contains(applied, m.Version) {
				problem("migration %05d (%s) is not applied: an older copy? run clinaudit migrate up", m.Version, m.Source)
			}
		}
		for _, v := range applied {
			if !slices.Contains(versions, v) {
				problem("migration %05d is applied but unknown to this clinaudit: a newer version wrote this database", v)
			}
		}
	}

	if lines, err := in.IntegrityProblems(ctx); err != nil {
		problem("integrity check: %v", err)
	} else {
		for _, l := range lines {
			problem("integrity check: %s", l)
		}
	}
	if lines, err := in.ForeignKeyProblems(ctx); err != nil {
		problem("foreign keys: %v", err)
	} else {
		for _, l := range lines {
			problem("foreign keys: %s", l)
		}
	}
	if r.Tables, err = in.TableRows(ctx); err != nil {
		problem("row counts: %v", err)
	}
	if err := r.rescore(ctx, s, sample, now); err != nil {
		problem("KPI sample: %v", err)
	}
	return r, nil
}

// rescore compares the stored KPI results of up to sample children with a
// fresh score of their stored answers.
func (r *Report) rescore(ctx context.Context, s store.Store, sample int, now func() time.Time) error {
	today := audit.DateOf(answers.New(s, now).Children.Today())
	var after int64
	seen := 0
	for sample == 0 || seen < sample {
		size := 200
		if sample > 0 {
			size = min(size, sample-seen)
		}
		batch, err := answers.ReadBatch(ctx, s, after, size)
		if err != nil {
			return err
		}
		if len(batch) == 0 {
			return nil
		}
		for _, b := range batch {
			seen++
			c := b.Child
			res, err := s.GetKPIResult(ctx, c.ID)
			switch {
			case errors.Is(err, store.ErrNotFound):
				if c.OptedOutAt == nil {
					r.Behind++ // not scored yet
				}
				continue
			case err != nil:
				return fmt.Errorf("child %d: %w", c.ID, err)
			case c.OptedOutAt != nil:
				r.Problems = append(r.Problems, fmt.Sprintf("KPI sample: child %d opted out but has a stored result", c.ID))
				continue
			}
			if res.DataVersion != c.Version || res.RulesVersion != kpi.RulesVersion ||
				res.ValidUntil != nil && !today.Before(audit.DateOf(res.ValidUntil.Time())) {
				r.Behind++
				continue
			}
			scores, complete := b.Score(today)
			if answers.StoredScores(res) != scores {
				r.Problems = append(r.Problems, fmt.Sprintf(
					"KPI sample: child %d: the stored result differs from a fresh score of its stored answers (version %d)", c.ID, c.Version))
				continue
			}
			if res.AuditComplete != nil && *res.AuditComplete != complete {
				r.Problems = append(r.Problems, fmt.Sprintf(
					"KPI sample: child %d: the stored completeness differs from its stored answers' (version %d)", c.ID, c.Version))
				continue
			}
			r.Rescored++
		}
		after = batch[len(batch)-1].Child.ID
	}
	return nil
}
