package answers_test

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"testing"
	"time"

	"clinaudit/app/answers"
	"clinaudit/app/children"
	"clinaudit/app/forms"
	"clinaudit/app/kpi"
	"clinaudit/app/store"
	"clinaudit/app/store/storetest"

	"github.com/riverqueue/river"
)

// A recalculation rescores every child under the current rules, in
// batches, from the same records the forms save: each stored result then
// equals the engine's score of the child as loaded one by one. Opted-out
// children lose their result; deleted ones are left alone; progress is
// recorded, and a retried run resumes after the last batch it stored.
func TestRecalculateEveryChild(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		w := newWorld(t, s)
		svc := w.svc()
		svc.RescoreBatch = 2 // several batches from a handful of children

		// Seven children whose answers differ where the KPIs look.
		var ids []int64
		for i := range 7 {
			id := w.child(t, childOpts{unregistered: i == 6})
			ids = append(ids, id)
			if i == 6 {
				continue
			}
			a := forms.Assessment
			w.answer(t, id, a, "consultant_paediatrician_referral_made", lit(i%2 == 0))
			if i%2 == 0 {
				w.answer(t, id, a, "consultant_paediatrician_referral_date", lit(fpa.Time().AddDate(0, 0, 1).Format(time.DateOnly)))
				w.answer(t, id, a, "consultant_paediatrician_input_achieved", lit(true))
				days := 15 // after the referral: a fail, but for child 2 (14: a pass)
				if i == 2 {
					days = 14
				}
				w.answer(t, id, a, "consultant_paediatrician_input_date", lit(fpa.Time().AddDate(0, 0, 1+days).Format(time.DateOnly)))
			}
			w.answer(t, id, forms.Management, "has_been_referred_for_mental_health_support", lit(i%3 == 0))
			ma := forms.MultiaxialDiagnosis
			_, row := w.addRow(t, id, ma, list(ma, "episodes", ""), "e1")
			w.save(t, carl, id, ma, key("episodes", row, "epilepsy_or_nonepilepsy_status"), lit("E"), w.version(t, id))
		}
		fillAll(t, w, ids[5]) // one complete audit

		// Results under old rules, all wrong, for every child.
		for _, id := range ids {
			p := store.UpsertKPIResultParams{ChildID: id, RulesVersion: "old", DataVersion: w.version(t, id), ComputedAt: now.Add(-time.Hour)}
			pass := int64(1)
			p.PaediatricianWithExpertiseInEpilepsies, p.Mri, p.SodiumValproate = &pass, &pass, &pass
			if _, err := s.UpsertKPIResult(ctx, p); err != nil {
				t.Fatal(err)
			}
		}
		cs := &children.Service{Store: s, Now: func() time.Time { return now }}
		if err := cs.OptOut(ctx, w.me(t, carl), ids[4]); err != nil {
			t.Fatal(err)
		}
		if _, err := s.UpsertKPIResult(ctx, store.UpsertKPIResultParams{ChildID: ids[4], RulesVersion: "old", DataVersion: 1 << 30, ComputedAt: now}); err != nil {
			t.Fatal(err)
		}

		id, err := svc.RequestRecalculation(ctx, w.users[carl].ID)
		if err != nil {
			t.Fatal(err)
		}
		res, err := s.ListJobs(ctx, river.NewJobListParams().Kinds("kpi_recalculate"))
		if err != nil || len(res.Jobs) != 1 {
			t.Fatalf("jobs queued by the request: %v %v", res, err)
		}
		var args struct {
			ID int64 `json:"recalculation_id"`
		}
		if err := json.Unmarshal(res.Jobs[0].EncodedArgs, &args); err != nil || args.ID != id {
			t.Errorf("job args %s, want recalculation %d", res.Jobs[0].EncodedArgs, id)
		}

		// The first attempt stored two children before it stopped: the
		// retry must not redo them (their old results stay).
		if err := s.ProgressKPIRecalculation(ctx, store.ProgressKPIRecalculationParams{ID: id, Done: 2, LastChildID: ids[1]}); err != nil {
			t.Fatal(err)
		}
		if err := svc.Recalculate(ctx, id); err != nil {
			t.Fatal(err)
		}
		r, err := s.GetKPIRecalculation(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if r.Total != 7 || r.Done != 7 || r.LastChildID != ids[6] || r.FinishedAt == nil || r.StartedAt == nil || r.Error != "" || r.RulesVersion != kpi.RulesVersion {
			t.Errorf("recalculation %+v, want 7 of 7 done, finished", r)
		}
		for i, child := range ids {
			got, err := s.GetKPIResult(ctx, child)
			switch {
			case i < 2:
				if err != nil || got.RulesVersion != "old" {
					t.Errorf("child %d, done before the retry, was rescored: %+v %v", i, got, err)
				}
			case i == 4:
				if !errors.Is(err, store.ErrNotFound) {
					t.Errorf("opted-out child keeps a result: %+v %v", got, err)
				}
			default:
				l, lerr := svc.LoadForSystem(ctx, s, child)
				if err != nil || lerr != nil {
					t.Fatalf("child %d: %v %v", i, err, lerr)
				}
				want := kpi.Score(l.Audit).Scores
				if got.AuditComplete == nil || *got.AuditComplete != l.Progress.Complete || l.Progress.Complete != (i == 5) {
					t.Errorf("child %d: stored completeness %v, progress says %v", i, got.AuditComplete, l.Progress.Complete)
				}
				if answers.StoredScores(got) != want || got.RulesVersion != kpi.RulesVersion || got.DataVersion != l.Version() || !got.ComputedAt.Equal(now) {
					t.Errorf("child %d: stored %v (%s, v%d), engine %v (v%d)", i, answers.StoredScores(got), got.RulesVersion, got.DataVersion, want, l.Version())
				}
			}
		}
		// The children differ where it matters, so equal results prove something.
		a, _ := s.GetKPIResult(ctx, ids[2])
		b, _ := s.GetKPIResult(ctx, ids[6])
		if answers.StoredScores(a)[kpi.PaediatricianWithExpertiseInEpilepsies] != kpi.Pass ||
			answers.StoredScores(b)[kpi.PaediatricianWithExpertiseInEpilepsies] != kpi.NotScored {
			t.Error("KPI 1 is not a pass for child 2 and not scored for the unregistered child: the test data does not exercise the engine")
		}

		if res, err := s.ListJobs(ctx, river.NewJobListParams().Kinds("kpi_aggregate")); err != nil || len(res.Jobs) != 1 {
			t.Errorf("aggregation jobs queued by the finished recalculation: %v %v", res, err)
		}
		// Running a finished recalculation again does nothing.
		if err := svc.Recalculate(ctx, id); err != nil {
			t.Fatal(err)
		}
		list, err := s.ListKPIRecalculations(ctx, 10)
		if err != nil || len(list) != 1 || list[0].RequestedByName != "Carl Clin" || list[0].Done != 7 {
			t.Errorf("recalculations listed: %+v %v", list, err)
		}
	})
}

// writeCounter is a store whose transactions report what a recalculation
// stores in each: how many children's results, and the progress recorded.
type writeCounter struct {
	store.Store
	results []int   // children upserted, one entry per transaction that upserted
	done    []int64 // the progress recorded, in order
}

func (c *writeCounter) InTx(ctx context.Context, fn func(store.Tx) error) error {
	return c.Store.InTx(ctx, func(tx store.Tx) error { return fn(&countingTx{Tx: tx, c: c}) })
}

type countingTx struct {
	store.Tx
	c *writeCounter
}

func (t *countingTx) UpsertKPIResults(ctx context.Context, results string) (int64, error) {
	var rows []json.RawMessage
	if err := json.Unmarshal([]byte(results), &rows); err != nil {
		return 0, err
	}
	t.c.results = append(t.c.results, len(rows))
	return t.Tx.UpsertKPIResults(ctx, results)
}

func (t *countingTx) ProgressKPIRecalculation(ctx context.Context, p store.ProgressKPIRecalculationParams) error {
	t.c.done = append(t.c.done, p.Done)
	return t.Tx.ProgressKPIRecalculation(ctx, p)
}

// With WriteChunk smaller than a batch, a recalculation holds the writer
// (SQLite's only one) for a part of a batch at a time: each transaction
// stores at most WriteChunk children with the progress up to its last, so
// a save waits for one part at most, and a retry resumes after the last
// part stored.
func TestRecalculateStoresInShortTransactions(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		w := newWorld(t, s)
		for range 7 {
			w.child(t, childOpts{})
		}
		counter := &writeCounter{Store: s}
		svc := answers.New(counter, func() time.Time { return now })
		svc.RescoreBatch, svc.WriteChunk = 5, 2
		id, err := svc.RequestRecalculation(ctx, 0)
		if err != nil {
			t.Fatal(err)
		}
		if err := svc.Recalculate(ctx, id); err != nil {
			t.Fatal(err)
		}
		r, err := s.GetKPIRecalculation(ctx, id)
		if err != nil || r.FinishedAt == nil || r.Total < 7 || r.Done != r.Total {
			t.Fatalf("recalculation %+v %v: want every child done", r, err)
		}
		// Batches of 5 read, stored 2, 2, 1; the last batch likewise.
		var want []int64
		for start := int64(0); start < r.Total; start += 5 {
			for d := start + 2; ; d += 2 {
				want = append(want, min(d, start+5, r.Total))
				if d >= start+5 || d >= r.Total {
					break
				}
			}
		}
		if !slices.Equal(counter.done, want) {
			t.Errorf("progress recorded %v, want %v (one transaction a part of 2)", counter.done, want)
		}
		total := 0
		for _, n := range counter.results {
			if n > 2 {
				t.Errorf("a transaction stored %d children's results, more than WriteChunk 2: %v", n, counter.results)
			}
			total += n
		}
		if len(counter.results) != len(want) || int64(total) != r.Total {
			t.Errorf("%d transactions stored %d results %v; want %d storing %d", len(counter.results), total, counter.results, len(want), r.Total)
		}
		if list, err := s.ListKPIRecalculations(ctx, 1); err != nil || len(list) != 1 || list[0].RequestedBy != nil || list[0].RequestedByName != "" {
			t.Errorf("a recalculation asked by no one (the command line): %+v %v", list, err)
		}
	})
}

// slowWriter is a store whose transactions hold the writer at least hold
// each, and which notes, after each transaction that recorded a
// recalculation's progress (one part), how long until the next
// transaction began.
type slowWriter struct {
	store.Store
	hold     time.Duration
	partEnd  time.Time       // when the last part's transaction returned; zero if the last was no part
	gaps     []time.Duration // from each part's transaction to the next transaction
	progress bool
}

func (w *slowWriter) InTx(ctx context.Context, fn func(store.Tx) error) error {
	if !w.partEnd.IsZero() {
		w.gaps = append(w.gaps, time.Since(w.partEnd))
		w.partEnd = time.Time{}
	}
	w.progress = false
	err := w.Store.InTx(ctx, func(tx store.Tx) error {
		err := fn(&progressTx{Tx: tx, w: w})
		time.Sleep(w.hold)
		return err
	})
	if w.progress {
		w.partEnd = time.Now()
	}
	return err
}

type progressTx struct {
	store.Tx
	w *slowWriter
}

func (t *progressTx) ProgressKPIRecalculation(ctx context.Context, p store.ProgressKPIRecalculationParams) error {
	t.w.progress = true
	return t.Tx.ProgressKPIRecalculation(ctx, p)
}

// After each part it stores, a recalculation leaves the writer alone for
// WriterPause times as long as the part held it: the saves queued behind
// SQLite's one writer get it before the next part does. Parts holding the
// writer 30 ms with WriterPause 2 are each followed by at least 60 ms
// without a transaction of the run; with a negative WriterPause, by none;
// with none set, by 30 ms on SQLite (store.DefaultWriterPause 1), where saves
// queue for one writer, and by none on PostgreSQL.
func TestRecalculatePausesAfterEachPart(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		w := newWorld(t, s)
		for range 5 {
			w.child(t, childOpts{})
		}
		for _, pause := range []float64{2, -1, 0} {
			slow := &slowWriter{Store: s, hold: 30 * time.Millisecond}
			svc := answers.New(slow, func() time.Time { return now })
			svc.RescoreBatch, svc.WriteChunk, svc.WriterPause = 4, 2, pause
			id, err := svc.RequestRecalculation(ctx, 0)
			if err != nil {
				t.Fatal(err)
			}
			if err := svc.Recalculate(ctx, id); err != nil {
				t.Fatal(err)
			}
			if len(slow.gaps) < 3 {
				t.Fatalf("WriterPause %v: %d parts followed by a transaction, want several", pause, len(slow.gaps))
			}
			if pause == 0 && s.Engine() == store.SQLite {
				pause = store.DefaultWriterPause // the default, on SQLite only
			}
			for _, g := range slow.gaps {
				if pause > 0 && g < time.Duration(pause*30)*time.Millisecond {
					t.Errorf("WriterPause %v: a part holding the writer 30 ms was followed by the run's next transaction after %v, want at least %v ms (gaps %v)", pause, g, pause*30, slow.gaps)
				}
			}
			// Without a pause the next part follows at once: the median
			// gap, not every one, so that a busy machine's hiccup passes.
			if gaps := slices.Sorted(slices.Values(slow.gaps)); pause <= 0 && gaps[len(gaps)/2] >= 30*time.Millisecond {
				t.Errorf("%s, WriterPause %v: the parts were followed by the run's next transaction after %v, want no pause", s.Engine(), svc.WriterPause, slow.gaps)
			}
		}
	})
}
