package answers

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sync"

	"clinaudit/app/audit"
	"clinaudit/app/forms"
	"clinaudit/app/kpi"
	"clinaudit/app/store"
	"clinaudit/jobs"
)

// DefaultRescoreBatch is how many children one step of a recalculation
// reads, scores and writes: three reads and one transaction per batch.
const DefaultRescoreBatch = 1000

// RequestRecalculation records a recalculation of every child's KPIs and
// queues the job that runs it, in one transaction. by is the national
// administrator who asked.
func (s *Service) RequestRecalculation(ctx context.Context, by int64) (int64, error) {
	var id int64
	err := s.Store.InTx(ctx, func(tx store.Tx) error {
		var err error
		id, err = tx.InsertKPIRecalculation(ctx, store.InsertKPIRecalculationParams{RulesVersion: kpi.RulesVersion,
			RequestedBy: &by, RequestedAt: s.Children.Now().UTC()})
		if err != nil {
			return err
		}
		return tx.InsertJob(ctx, jobs.RecalculateKPIsArgs{RecalculationID: id}, nil)
	})
	return id, err
}

// Recalculate rescores every child (after a rule change) under the current
// rules, a batch at a time, and records its progress in recalculation id.
// A retried run resumes after the last batch it stored. Results newer than
// what a batch read (a save scored meanwhile) are kept: UpsertKPIResult
// never replaces a result of a later version of the child.
func (s *Service) Recalculate(ctx context.Context, id int64) error {
	r, err := s.Store.GetKPIRecalculation(ctx, id)
	if err != nil {
		return err
	}
	if r.FinishedAt != nil {
		return nil
	}
	err = s.recalculate(ctx, r)
	if err != nil && !errors.Is(err, context.Canceled) {
		// Shown on the page; the job is retried and resumes.
		_ = s.Store.FailKPIRecalculation(ctx, store.FailKPIRecalculationParams{ID: id, Error: err.Error()})
	}
	return err
}

func (s *Service) recalculate(ctx context.Context, r store.KpiRecalculation) error {
	total, err := s.Store.CountChildrenToScore(ctx)
	if err != nil {
		return err
	}
	if err := s.Store.StartKPIRecalculation(ctx, store.StartKPIRecalculationParams{ID: r.ID, Total: total,
		StartedAt: ptr(s.Children.Now().UTC())}); err != nil {
		return err
	}
	done, after := r.Done, r.LastChildID
	for {
		n, last, err := s.rescoreNext(ctx, after, func(ctx context.Context, tx store.Tx, n int, last int64) error {
			return tx.ProgressKPIRecalculation(ctx, store.ProgressKPIRecalculationParams{ID: r.ID, Done: done + int64(n), LastChildID: last})
		})
		if err != nil {
			return err
		}
		if n == 0 {
			break
		}
		done, after = done+int64(n), last
	}
	return s.Store.FinishKPIRecalculation(ctx, store.FinishKPIRecalculationParams{ID: r.ID, FinishedAt: ptr(s.Children.Now().UTC())})
}

// rescoreNext scores the next batch of children after afterID and stores
// their results in one transaction, with progress written by record. It
// returns how many children it scored and the last one's id.
func (s *Service) rescoreNext(ctx context.Context, afterID int64, record func(context.Context, store.Tx, int, int64) error) (int, int64, error) {
	batch, err := s.Store.ListChildrenToScore(ctx, store.ListChildrenToScoreParams{AfterID: afterID, MaxRows: int64(s.rescoreBatch())})
	if err != nil || len(batch) == 0 {
		return 0, afterID, err
	}
	first, last := batch[0].ID, batch[len(batch)-1].ID
	rows, err := s.Store.ListChildRowsOfChildren(ctx, store.ListChildRowsOfChildrenParams{FirstID: first, LastID: last})
	if err != nil {
		return 0, afterID, err
	}
	ans, err := s.Store.ListAnswersOfChildren(ctx, store.ListAnswersOfChildrenParams{FirstID: first, LastID: last})
	if err != nil {
		return 0, afterID, err
	}
	results := scoreAll(batch, recordsOf(batch, rows, ans))
	now := s.Children.Now().UTC()
	err = s.Store.InTx(ctx, func(tx store.Tx) error {
		for i, c := range batch {
			if c.OptedOutAt != nil {
				if err := tx.DeleteKPIResult(ctx, c.ID); err != nil {
					return err
				}
				continue
			}
			p := store.UpsertKPIResultParams{ChildID: c.ID, RulesVersion: kpi.RulesVersion, DataVersion: c.Version, ComputedAt: now}
			setOutcomes(&p, results[i])
			if _, err := tx.UpsertKPIResult(ctx, p); err != nil {
				return fmt.Errorf("storing child %d's result: %w", c.ID, err)
			}
		}
		return record(ctx, tx, len(batch), last)
	})
	if err != nil {
		return 0, afterID, err
	}
	return len(batch), last, nil
}

// recordsOf builds each child's record from the batch's rows and answers,
// which come ordered by child.
func recordsOf(batch []store.Child, rows []store.ListChildRowsOfChildrenRow, ans []store.ListAnswersOfChildrenRow) []*forms.Record {
	recs := make([]*forms.Record, len(batch))
	ri, ai := 0, 0
	for i, c := range batch {
		rec := newRecord(c)
		for ; ri < len(rows) && rows[ri].ChildID <= c.ID; ri++ {
			if rows[ri].ChildID == c.ID {
				rec.AddRow(forms.Row{ID: rows[ri].ID, Section: rows[ri].Section, Answers: map[string]forms.Literal{}})
			}
		}
		for ; ai < len(ans) && ans[ai].ChildID <= c.ID; ai++ {
			if a := ans[ai]; a.ChildID == c.ID {
				setAnswer(rec, a.Section, a.RowID, a.Field, a.Value)
			}
		}
		recs[i] = rec
	}
	return recs
}

// scoreAll scores the records on every core: scoring is pure, and the
// decoding it needs is most of a recalculation's CPU.
func scoreAll(batch []store.Child, recs []*forms.Record) []kpi.Scores {
	out := make([]kpi.Scores, len(batch))
	workers := min(runtime.GOMAXPROCS(0), len(batch))
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := w; i < len(batch); i += workers {
				out[i] = scoreRecord(batch[i], recs[i])
			}
		})
	}
	wg.Wait()
	return out
}

// scoreRecord is what ScoreChild stores, for one record already read.
func scoreRecord(c store.Child, rec *forms.Record) kpi.Scores {
	child, err := rec.Child(caseOf(c), registrationOf(c))
	if err != nil {
		// Stored answers always decode (each was checked when saved); if one
		// ever does not, the child is scored as ScoreChild would score it.
		return kpi.Score(&audit.Child{}).Scores
	}
	return kpi.Score(child).Scores
}

func (s *Service) rescoreBatch() int {
	if s.RescoreBatch > 0 {
		return s.RescoreBatch
	}
	return DefaultRescoreBatch
}

func ptr[T any](v T) *T { return &v }
