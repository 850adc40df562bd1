package answers_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"clinaudit/app/answers"
	"clinaudit/app/apperr"
	"clinaudit/app/children"
	"clinaudit/app/forms"
	"clinaudit/app/store"
	"clinaudit/app/store/storetest"
)

// An answer that hides others removes them, and the trail says so, with
// the value each had.
func TestClearingIsInTheTrail(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		w := newWorld(t, s)
		id := w.child(t, childOpts{})
		inv, ma := forms.Investigations, forms.MultiaxialDiagnosis
		date := lit(fpa.String())
		w.answer(t, id, inv, "eeg_indicated", lit(true))
		w.answer(t, id, inv, "eeg_request_date", date)
		no := w.answer(t, id, inv, "eeg_indicated", lit(false))
		dk := key(inv.Section, 0, "eeg_request_date")
		if _, ok := w.stored(t, id)[dk]; ok || no.Record.Get(dk) != nil || w.load(t, carl, id).Record.Get(dk) != nil {
			t.Errorf("the EEG date stays after 'no EEG'")
		}
		var cleared, answered int
		for _, c := range w.trail(t, id) {
			if c.Version != no.Version {
				continue
			}
			switch {
			case c.Cause == "cleared" && c.Field == dk.Field && str(c.OldValue) == string(date) && c.NewValue == nil:
				cleared++
			case c.Cause == "answer" && c.Field == "eeg_indicated" && str(c.OldValue) == "true" && str(c.NewValue) == "false":
				answered++
			default:
				t.Errorf("unexpected trail row %+v", c)
			}
		}
		if cleared != 1 || answered != 1 {
			t.Errorf("trail of 'no EEG': %d cleared, %d answered", cleared, answered)
		}

		// No syndrome: the syndrome rows go, with their answers.
		w.answer(t, id, ma, "syndrome_present", lit(true))
		_, rowID := w.addRow(t, id, ma, list(ma, "syndromes", ""), "syndrome-1")
		q := ma.Question(key("syndromes", rowID, "syndrome_name"))
		name := valid(q)
		w.save(t, carl, id, ma, key("syndromes", rowID, "syndrome_name"), name, w.version(t, id))
		w.save(t, carl, id, ma, key("syndromes", rowID, "syndrome_diagnosis_date"), date, w.version(t, id))
		no = w.answer(t, id, ma, "syndrome_present", lit(false))
		rows, err := s.ListChildRows(context.Background(), id)
		if err != nil || len(rows) != 0 || len(no.Record.Rows) != 0 {
			t.Errorf("syndrome rows after 'no syndrome': %+v %v", rows, err)
		}
		for k := range w.stored(t, id) {
			if k.Row == rowID {
				t.Errorf("%s stays after its row was removed", k)
			}
		}
		got := map[string]string{}
		for _, c := range w.trail(t, id) {
			if c.Version == no.Version && c.RowID == rowID {
				if c.NewValue != nil {
					t.Errorf("removing a row set %s", c.Field)
				}
				got[c.Cause+" "+c.Field] = str(c.OldValue)
			}
		}
		if len(got) != 3 || got["row_removed "] != "∅" || got["cleared syndrome_name"] != string(name) ||
			got["cleared syndrome_diagnosis_date"] != string(date) {
			t.Errorf("trail of the removed row: %v", got)
		}
	})
}

// The same Add button twice adds one row; removing a row twice removes it
// once.
func TestRowsAreIdempotent(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		w := newWorld(t, s)
		ctx := context.Background()
		id := w.child(t, childOpts{})
		ma := forms.MultiaxialDiagnosis
		episodes := list(ma, "episodes", "")
		// A list the form does not show now cannot have rows.
		if _, _, err := w.svc().AddRow(ctx, w.me(t, carl), answers.AddRow{ChildID: id, Form: ma, List: list(ma, "syndromes", ""),
			ClientKey: "s"}); !errors.Is(err, answers.ErrNoSuchList) {
			t.Errorf("a row of a hidden list: %v", err)
		}
		v0 := w.version(t, id)
		first, id1 := w.addRow(t, id, ma, episodes, "add-1")
		again, id2 := w.addRow(t, id, ma, episodes, "add-1")
		if id1 == 0 || id2 != id1 || first.Version != v0+1 || again.Version != v0+1 || w.version(t, id) != v0+1 {
			t.Errorf("add twice: rows %d, %d; versions %d, %d from %d", id1, id2, first.Version, again.Version, v0)
		}
		rows, _ := s.ListChildRows(ctx, id)
		if len(rows) != 1 || len(again.Record.Rows) != 1 || len(w.trail(t, id)) != 1 {
			t.Errorf("add twice: %d rows stored, %d trail rows", len(rows), len(w.trail(t, id)))
		}
		_, id3 := w.addRow(t, id, ma, episodes, "add-2")
		if id3 == id1 {
			t.Error("another key found the first row")
		}

		w.save(t, carl, id, ma, key("episodes", id1, "seizure_onset_date"), lit(fpa.String()), w.version(t, id))
		v1 := w.version(t, id)
		removed, err := w.svc().RemoveRow(ctx, w.me(t, carl), id, ma, id1, "r1")
		if err != nil || removed.Version != v1+1 || removed.Record.Row(id1) != nil {
			t.Fatalf("remove: %v", err)
		}
		removedAgain, err := w.svc().RemoveRow(ctx, w.me(t, carl), id, ma, id1, "r2")
		if err != nil || removedAgain.Version != v1+1 || w.version(t, id) != v1+1 {
			t.Errorf("remove again: %v, version %d", err, w.version(t, id))
		}
		rows, _ = s.ListChildRows(ctx, id)
		if len(rows) != 1 || rows[0].ID != id3 {
			t.Errorf("rows after removing: %+v", rows)
		}
		var n int
		for _, c := range w.trail(t, id) {
			if c.Cause == "row_removed" {
				n++
				if c.RowID != id1 || c.RequestID != "r1" {
					t.Errorf("row_removed %+v", c)
				}
			}
		}
		if n != 1 {
			t.Errorf("%d row_removed rows", n)
		}
	})
}

// Saves are refused for a locked child, a role that may not answer, a
// child out of sight and a child not registered; nothing is written.
func TestRefusals(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		w := newWorld(t, s)
		ctx := context.Background()
		f := forms.FirstPaediatricAssessment
		k := key(f.Section, 0, "general_examination_performed")
		ok := w.child(t, childOpts{})
		for _, tc := range []struct {
			name string
			who  string
			id   int64
			want error
		}{
			{"locked", carl, w.child(t, childOpts{locked: true}), children.ErrLocked},
			{"administrator", "admin@nca.example", ok, apperr.ErrForbidden},
			{"another trust", carl, w.child(t, childOpts{ods: "RGT01"}), children.ErrNotFound},
			{"not registered", carl, w.child(t, childOpts{unregistered: true}), children.ErrNotRegisteredForms},
			{"no such child", carl, ok + 1000, children.ErrNotFound},
		} {
			var v0 int64
			if tc.id != ok+1000 {
				v0 = w.version(t, tc.id)
			}
			me := w.me(t, tc.who)
			_, err := w.svc().Save(ctx, me, answers.Save{ChildID: tc.id, Form: f, Key: k, Value: lit(true), Seen: v0})
			if !errors.Is(err, tc.want) {
				t.Errorf("%s: save: %v, want %v", tc.name, err, tc.want)
			}
			_, _, err = w.svc().AddRow(ctx, me, answers.AddRow{ChildID: tc.id, Form: forms.MultiaxialDiagnosis,
				List: list(forms.MultiaxialDiagnosis, "episodes", ""), ClientKey: "k"})
			if !errors.Is(err, tc.want) {
				t.Errorf("%s: add row: %v, want %v", tc.name, err, tc.want)
			}
			if _, err := w.svc().RemoveRow(ctx, me, tc.id, forms.MultiaxialDiagnosis, 1, ""); !errors.Is(err, tc.want) {
				t.Errorf("%s: remove row: %v, want %v", tc.name, err, tc.want)
			}
			if tc.id == ok+1000 {
				continue
			}
			if v := w.version(t, tc.id); v != v0 || len(w.stored(t, tc.id)) != 0 {
				t.Errorf("%s: refused, but version %d → %d, answers %v", tc.name, v0, v, w.stored(t, tc.id))
			}
			rows, _ := s.ListChildRows(ctx, tc.id)
			if len(rows) != 0 {
				t.Errorf("%s: refused, but rows %v", tc.name, rows)
			}
		}
		// The administrator may look; someone in another trust may not.
		if _, err := w.svc().Load(ctx, w.me(t, "admin@nca.example").Actor, ok); err != nil {
			t.Errorf("administrator loads: %v", err)
		}
		if _, err := w.svc().Load(ctx, w.me(t, "lead@rgt.example").Actor, ok); !errors.Is(err, children.ErrNotFound) {
			t.Errorf("another trust loads: %v", err)
		}
		if _, err := w.svc().History(ctx, w.me(t, "lead@rgt.example").Actor, ok, answers.HistoryFilter{}); !errors.Is(err, children.ErrNotFound) {
			t.Errorf("another trust reads the history: %v", err)
		}
		if j := w.kpiJobs(t); len(j) != 0 {
			t.Errorf("refused saves queued KPI jobs: %v", j)
		}
	})
}

// Every save queues the child's KPI job in its transaction, one waiting
// job per child however many saves; the job stores kpi.Score of the
// child at the version it read.
func TestKPIJobAndScore(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		w := newWorld(t, s)
		a, b := w.child(t, childOpts{}), w.child(t, childOpts{})
		f := forms.FirstPaediatricAssessment
		w.answer(t, a, f, "general_examination_performed", lit(true))
		if j := w.kpiJobs(t); len(j) != 1 || j[a] != 1 {
			t.Fatalf("jobs after one save: %v", j)
		}
		for _, q := range f.Questions {
			w.answer(t, a, f, q.Field, valid(q))
		}
		_, rowID := w.addRow(t, a, forms.MultiaxialDiagnosis, list(forms.MultiaxialDiagnosis, "episodes", ""), "e1")
		w.save(t, carl, a, forms.MultiaxialDiagnosis, key("episodes", rowID, "epilepsy_or_nonepilepsy_status"), lit("E"), w.version(t, a))
		if j := w.kpiJobs(t); len(j) != 1 || j[a] != 1 {
			t.Errorf("jobs after a burst of saves: %v", j)
		}
		w.answer(t, b, forms.Management, "has_been_referred_for_mental_health_support", lit(false))
		if j := w.kpiJobs(t); len(j) != 2 || j[a] != 1 || j[b] != 1 {
			t.Errorf("jobs after saving another child: %v", j)
		}

		w.checkKPI(t, a)
		w.checkKPI(t, b)
		// A later save, scored again, replaces the result.
		w.answer(t, b, forms.Management, "has_been_referred_for_mental_health_support", lit(true))
		w.checkKPI(t, b)
		// Scoring a child that is gone is nothing to do.
		if err := w.svc().ScoreChild(context.Background(), b+1000); err != nil {
			t.Errorf("score a missing child: %v", err)
		}
	})
}

// Opting a child out removes their answers, rows, trail and KPI result,
// and nobody else's.
func TestOptOutRemovesAnswers(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		w := newWorld(t, s)
		ctx := context.Background()
		ma := forms.MultiaxialDiagnosis
		ids := []int64{w.child(t, childOpts{}), w.child(t, childOpts{})}
		for _, id := range ids {
			w.answer(t, id, forms.FirstPaediatricAssessment, "general_examination_performed", lit(true))
			_, rowID := w.addRow(t, id, ma, list(ma, "episodes", ""), "e1")
			w.save(t, carl, id, ma, key("episodes", rowID, "seizure_onset_date"), lit(fpa.String()), w.version(t, id))
			if err := w.svc().ScoreChild(ctx, id); err != nil {
				t.Fatal(err)
			}
		}
		cs := &children.Service{Store: s, Now: func() time.Time { return now }}
		if err := cs.OptOut(ctx, w.me(t, carl), ids[0]); err != nil {
			t.Fatal(err)
		}
		for i, id := range ids {
			ans, _ := s.ListAnswers(ctx, id)
			rows, _ := s.ListChildRows(ctx, id)
			trail, _ := s.ListAnswerChanges(ctx, store.ListAnswerChangesParams{ChildID: id, PageLimit: 100})
			_, err := s.GetKPIResult(ctx, id)
			gone := i == 0
			if gone != (len(ans) == 0) || gone != (len(rows) == 0) || gone != (len(trail) == 0) || gone != errors.Is(err, store.ErrNotFound) {
				t.Errorf("child %d (opted out %v): %d answers, %d rows, %d trail rows, KPI result %v",
					i, gone, len(ans), len(rows), len(trail), err)
			}
		}
		// The KPI job the saves queued is still waiting; when it runs, it
		// must not bring the result back.
		if j := w.kpiJobs(t); j[ids[0]] != 1 {
			t.Errorf("jobs %v", j)
		}
		if err := w.svc().ScoreChild(ctx, ids[0]); err != nil {
			t.Fatal(err)
		}
		if r, err := s.GetKPIResult(ctx, ids[0]); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("the KPI job scored an opted-out child: %+v %v", r, err)
		}
		k := key(forms.FirstPaediatricAssessment.Section, 0, "general_examination_performed")
		if _, err := w.svc().Save(ctx, w.me(t, carl), answers.Save{ChildID: ids[0], Form: forms.FirstPaediatricAssessment, Key: k,
			Value: lit(true)}); !errors.Is(err, children.ErrOptedOut) {
			t.Errorf("save after the opt-out: %v", err)
		}
	})
}
