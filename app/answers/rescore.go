package answers

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"clinaudit/app/audit"
	"clinaudit/app/forms"
	"clinaudit/app/jobargs"
	"clinaudit/app/kpi"
	"clinaudit/app/progress"
	"clinaudit/app/store"
)

// DefaultRescoreBatch is how many children one step of a recalculation
// reads (three queries a batch), scores and, by default, stores in one
// transaction.
const DefaultRescoreBatch = 1000

// DefaultWriteChunk is how many children's results and progress one
// transaction of a recalculation stores (a batch is stored in parts of
// this many); on SQLite a transaction holds the database's one writer, and
// every save waits for it. On a busy 2-core machine a part of 100 held it
// 10 ms (median; 19 ms at the 90th percentile), a whole batch of 1000 100
// ms (230 ms; up to 680 ms); with the pause after each part
// (store.DefaultWriterPause) the saves queued behind one get the writer before
// the next (docs/performance.md, "Where a save's time goes during a
// recalculation").
const DefaultWriteChunk = 100

// RequestRecalculation records a recalculation of every child's KPIs and
// queues the job that runs it, in one transaction. by is the national
// administrator who asked, 0 for no one (`clinaudit kpi recalculate`).
func (s *Service) RequestRecalculation(ctx context.Context, by int64) (int64, error) {
	var id int64
	var who *int64
	if by != 0 {
		who = &by
	}
	err := s.Store.InTx(ctx, func(tx store.Tx) error {
		var err error
		id, err = tx.InsertKPIRecalculation(ctx, store.InsertKPIRecalculationParams{RulesVersion: kpi.RulesVersion,
			RequestedBy: who, RequestedAt: s.Children.Now().UTC()})
		if err != nil {
			return err
		}
		return tx.InsertJob(ctx, jobargs.RecalculateKPIsArgs{RecalculationID: id}, nil)
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
	// The next batch is read while this one is scored and stored: reading
	// is mostly the database's work, scoring the app's.
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	batches := s.readAhead(ctx, r.LastChildID)
	done := r.Done
	for next := range batches {
		if next.err != nil {
			return next.err
		}
		// Stored a part at a time (WriteChunk): the shorter each
		// transaction, the less a save queued behind SQLite's one writer
		// waits, and the more transactions the run makes.
		for part := range slices.Chunk(next.batch, s.writeChunk()) {
			last := part[len(part)-1].Child.ID
			n := len(part)
			held, err := s.storeBatch(ctx, part, func(ctx context.Context, tx store.Tx) error {
				return tx.ProgressKPIRecalculation(ctx, store.ProgressKPIRecalculationParams{ID: r.ID, Done: done + int64(n), LastChildID: last})
			})
			if err != nil {
				return err
			}
			done += int64(n)
			if err := store.PauseAfterWrite(ctx, s.Store.Engine(), s.WriterPause, held); err != nil {
				return err
			}
		}
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	// The dashboards count the new results once the next aggregation runs:
	// queue it now rather than wait for the schedule.
	return s.Store.InTx(ctx, func(tx store.Tx) error {
		if err := tx.FinishKPIRecalculation(ctx, store.FinishKPIRecalculationParams{ID: r.ID, FinishedAt: ptr(s.Children.Now().UTC())}); err != nil {
			return err
		}
		return jobargs.AggregateNow(ctx, tx, 0)
	})
}

type readBatch struct {
	batch []BatchRecord
	err   error
}

// readAhead reads the batches after afterID in order, one ahead of the
// reader, until none is left (the channel closes), an error (sent, then
// closed) or ctx ends.
func (s *Service) readAhead(ctx context.Context, afterID int64) <-chan readBatch {
	out := make(chan readBatch, 1)
	go func() {
		defer close(out)
		for {
			batch, err := ReadBatch(ctx, s.Store, afterID, s.rescoreBatch())
			if len(batch) == 0 && err == nil {
				return
			}
			select {
			case out <- readBatch{batch: batch, err: err}:
			case <-ctx.Done():
				return
			}
			if err != nil {
				return
			}
			afterID = batch[len(batch)-1].Child.ID
		}
	}()
	return out
}

// storeBatch scores a part of a batch and stores the results in one
// transaction, with the run's progress written by record. It returns how
// long the transaction held the writer (from its first statement to its
// commit; not the wait for the writer before it).
func (s *Service) storeBatch(ctx context.Context, batch []BatchRecord, record func(context.Context, store.Tx) error) (time.Duration, error) {
	last := batch[len(batch)-1].Child.ID
	today := s.today()
	results, summary := scoreAll(batch, today)
	now := s.Children.Now().UTC().Format(store.BulkTimeFormat)
	var bulk []store.BulkKPIResult
	var optedOut []int64
	percents := map[string][2]int64{} // the case list's progress: [percent, version] by child id
	for i, b := range batch {
		if b.Child.RegisteredAt != nil {
			percents[strconv.FormatInt(b.Child.ID, 10)] = [2]int64{int64(summary[i].Percent), b.Child.Version}
		}
		if b.Child.OptedOutAt != nil {
			optedOut = append(optedOut, b.Child.ID)
			continue
		}
		r := store.BulkKPIResult{ChildID: b.Child.ID, RulesVersion: kpi.RulesVersion, DataVersion: b.Child.Version, ComputedAt: now,
			Complete: summary[i].Complete}
		if d := validUntil(b.Child, today); d != nil {
			v := d.String()
			r.ValidUntil = &v
		}
		for m, o := range results[i] {
			r.S[m] = outcomeCode(o)
		}
		bulk = append(bulk, r)
	}
	payload, err := json.Marshal(bulk)
	if err != nil {
		return 0, err
	}
	progressPayload, err := json.Marshal(percents)
	if err != nil {
		return 0, err
	}
	var began time.Time
	err = s.Store.InTx(ctx, func(tx store.Tx) error {
		began = time.Now()
		for _, id := range optedOut {
			if err := tx.DeleteKPIResult(ctx, id); err != nil {
				return err
			}
		}
		if len(bulk) > 0 {
			if _, err := tx.UpsertKPIResults(ctx, string(payload)); err != nil {
				return fmt.Errorf("storing the results of children %d to %d: %w", batch[0].Child.ID, last, err)
			}
		}
		if _, err := tx.SetChildrenAuditProgress(ctx, string(progressPayload)); err != nil {
			return fmt.Errorf("storing the progress of children %d to %d: %w", batch[0].Child.ID, last, err)
		}
		return record(ctx, tx)
	})
	if err != nil {
		return 0, err
	}
	return time.Since(began), nil
}

// BatchRecord is one child's record as a recalculation reads it.
type BatchRecord struct {
	Child  store.Child
	Record *forms.Record
}

// Score is what ScoreChild would store for the record: the scores, and
// whether the audit is complete (spec §5) on today.
func (b BatchRecord) Score(today audit.Date) (kpi.Scores, bool) {
	scores, p := b.ScoreWithProgress(today)
	return scores, p.Complete
}

// ScoreWithProgress is Score with the audit's whole progress (its
// percentage is the case list's), from one decoding of the record.
func (b BatchRecord) ScoreWithProgress(today audit.Date) (kpi.Scores, progress.Summary) {
	child, err := b.Record.Child(caseOf(b.Child), registrationOf(b.Child))
	if err != nil {
		// Stored answers always decode (each was checked when saved); if
		// one ever does not, the child is scored as ScoreChild scores it.
		child = &audit.Child{}
	}
	// The centres are in the document (its "sites"), the lead site is the
	// child's lead organisation: progress.SitesOf.
	return kpi.Score(child).Scores, progress.Options{Today: today}.Overall(child)
}

// ReadBatch reads up to size children after afterID, in id order, with
// their rows and answers: three queries for the batch.
func ReadBatch(ctx context.Context, q store.Queries, afterID int64, size int) ([]BatchRecord, error) {
	kids, err := q.ListChildrenToScore(ctx, store.ListChildrenToScoreParams{AfterID: afterID, MaxRows: int64(size)})
	if err != nil || len(kids) == 0 {
		return nil, err
	}
	first, last := kids[0].ID, kids[len(kids)-1].ID
	rows, err := q.ListChildRowsOfChildren(ctx, store.ListChildRowsOfChildrenParams{FirstID: first, LastID: last})
	if err != nil {
		return nil, err
	}
	ans, err := q.ListAnswersOfChildren(ctx, store.ListAnswersOfChildrenParams{FirstID: first, LastID: last})
	if err != nil {
		return nil, err
	}
	// Rows and answers come one text per child, ordered by child as the
	// children are; a child with neither has no text.
	out := make([]BatchRecord, len(kids))
	ri, ai := 0, 0
	for i, c := range kids {
		rec := newRecord(c)
		for ; ri < len(rows) && rows[ri].ChildID <= c.ID; ri++ {
			if rows[ri].ChildID == c.ID {
				if err := addRowList(rec, rows[ri].RowList); err != nil {
					return nil, fmt.Errorf("child %d: %w", c.ID, err)
				}
			}
		}
		for ; ai < len(ans) && ans[ai].ChildID <= c.ID; ai++ {
			if ans[ai].ChildID == c.ID {
				if err := setAnswerList(rec, ans[ai].AnswerList); err != nil {
					return nil, fmt.Errorf("child %d: %w", c.ID, err)
				}
			}
		}
		out[i] = BatchRecord{Child: c, Record: rec}
	}
	return out, nil
}

// scoreAll scores the records on every core: scoring is pure, and the
// decoding it needs is most of a recalculation's CPU.
func scoreAll(batch []BatchRecord, today audit.Date) ([]kpi.Scores, []progress.Summary) {
	out, summary := make([]kpi.Scores, len(batch)), make([]progress.Summary, len(batch))
	workers := min(runtime.GOMAXPROCS(0), len(batch))
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := w; i < len(batch); i += workers {
				out[i], summary[i] = batch[i].ScoreWithProgress(today)
			}
		})
	}
	wg.Wait()
	return out, summary
}

func (s *Service) writeChunk() int {
	if s.WriteChunk > 0 {
		return s.WriteChunk
	}
	return DefaultWriteChunk
}

func (s *Service) rescoreBatch() int {
	if s.RescoreBatch > 0 {
		return s.RescoreBatch
	}
	return DefaultRescoreBatch
}

func ptr[T any](v T) *T { return &v }

// The separators of ListAnswersOfChildren and ListChildRowsOfChildren.
const (
	unitSep   = "\x1f"
	recordSep = "\x1e"
)

// addRowList adds a child's rows, in id order (the order they were added).
func addRowList(rec *forms.Record, list string) error {
	var rows []forms.Row
	for item := range strings.SplitSeq(list, recordSep) {
		id, section, ok := strings.Cut(item, unitSep)
		n, err := strconv.ParseInt(id, 10, 64)
		if !ok || err != nil {
			return fmt.Errorf("bad row %q", item)
		}
		rows = append(rows, forms.Row{ID: n, Section: section, Answers: map[string]forms.Literal{}})
	}
	slices.SortFunc(rows, func(a, b forms.Row) int { return cmp.Compare(a.ID, b.ID) })
	for _, r := range rows {
		rec.AddRow(r)
	}
	return nil
}

func setAnswerList(rec *forms.Record, list string) error {
	for item := range strings.SplitSeq(list, recordSep) {
		parts := strings.SplitN(item, unitSep, 4)
		if len(parts) != 4 {
			return fmt.Errorf("bad answer %q", item)
		}
		row, err := strconv.ParseInt(parts[1], 10, 64)
		if err != nil {
			return fmt.Errorf("bad answer %q", item)
		}
		setAnswer(rec, parts[0], row, parts[2], parts[3])
	}
	return nil
}
