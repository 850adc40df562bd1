package answers_test

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"testing"

	"clinaudit/app/answers"
	"clinaudit/app/forms"
	"clinaudit/app/kpi"
	"clinaudit/app/store"
	"clinaudit/app/store/storetest"
)

// A clinician fills in every form of a child, answering every question
// shown and adding one row to every list, until nothing is left. What was
// sent reads back as it was sent, the audit is complete, and the trail
// holds every change and nothing else.
func TestFillWholeChild(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		w := newWorld(t, s)
		me := w.me(t, carl)
		id := w.child(t, childOpts{})
		l := w.load(t, carl, id)
		rec, version, start := l.Record, l.Version(), l.Version()
		if l.Progress.Complete || l.Progress.Percent == 100 {
			t.Fatalf("a child with no answers is complete: %+v", l.Progress)
		}

		sent := map[forms.Key]forms.Literal{} // every answer saved
		also := map[forms.Key]forms.Literal{} // answers the saves set besides
		trail := map[string]int{}             // the trail rows expected
		var sides []forms.Key                 // the laterality answers
		want := func(cause string, k forms.Key, v forms.Literal) {
			trail[fmt.Sprintf("%s %s ∅→%s", cause, k, v)]++
		}
		for _, f := range forms.All() {
			for i := 0; ; i++ {
				if i > 300 {
					t.Fatalf("%s: still unanswered questions after %d saves", f.ID, i)
				}
				var todo, row = (*forms.Question)(nil), (*forms.Row)(nil)
				var add *forms.Question
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
					var rowID int64
					saved, rowID = w.addRow(t, id, f, add, fmt.Sprintf("%s-%d", add.RowSection, i))
					want("row_added", key(add.RowSection, rowID, ""), nil)
					if flt := add.RowFilter; flt != nil {
						k := key(add.RowSection, rowID, flt.Field)
						also[k] = forms.Literal(flt.Value)
						want("answer", k, also[k])
					}
				case todo != nil:
					k, v := keyOf(f, todo, row), valid(todo)
					saved = w.save(t, carl, id, f, k, v, version)
					if todo.Kind == forms.Laterality { // "left" is stored as focal_onset_left true
						sides = append(sides, k)
						v = forms.Literal("true")
					}
					sent[k] = v
					want("answer", k, v)
					switch {
					case todo.Kind == forms.Laterality: // the other two sides are set false
						for _, side := range []string{"focal_onset_right", "focal_onset_laterality_unknown"} {
							also[key(k.Section, k.Row, side)] = forms.Literal("false")
							want("cleared", key(k.Section, k.Row, side), also[key(k.Section, k.Row, side)])
						}
					case k.Field == "medicine_name" && string(rec.Get(key(k.Section, k.Row, "is_rescue_medicine"))) == "false":
						// Derived: not valproate (and she is 10), so not needed.
						dk := key(k.Section, k.Row, "is_a_pregnancy_prevention_programme_needed")
						also[dk] = forms.Literal("false")
						want("cleared", dk, also[dk])
					}
				}
				if saved == nil {
					break
				}
				if saved.Version != version+1 {
					t.Fatalf("save at version %d made version %d", version, saved.Version)
				}
				rec, version = saved.Record, saved.Version
			}
		}
		if len(sent) < 100 {
			t.Fatalf("only %d answers saved", len(sent))
		}

		// A fresh service reads back exactly what was saved, and nothing else.
		l = w.load(t, carl, id)
		if l.Version() != version {
			t.Errorf("child at version %d, the last save made %d", l.Version(), version)
		}
		all := maps.Clone(sent)
		maps.Copy(all, also)
		for k, v := range all {
			if got := l.Record.Get(k); string(got) != string(v) {
				t.Errorf("%s reads back %s, saved %s", k, got, v)
			}
			if m := l.Meta[k]; m.By != "Carl Clin" || m.Version <= start || m.Version > version {
				t.Errorf("%s: meta %+v", k, m)
			}
		}
		for _, k := range sides {
			q, shown := forms.MultiaxialDiagnosis.Locate(l.Record, k)
			if a := forms.MultiaxialDiagnosis.Answer(l.Record, q, l.Record.Row(k.Row)); !shown || string(a) != `"left"` {
				t.Errorf("%s reads back as %s, saved \"left\"", k, a)
			}
		}
		if len(sides) == 0 {
			t.Error("no laterality question was answered")
		}
		db := w.stored(t, id)
		if len(db) != len(all) {
			t.Errorf("%d answers stored, %d saved or set", len(db), len(all))
		}
		for k, v := range db {
			if string(all[k]) != v {
				t.Errorf("stored %s = %s, saved %s", k, v, all[k])
			}
		}
		if n := len(l.Record.Rows); n != 5 {
			t.Errorf("%d rows: %+v", n, l.Record.Rows)
		}
		if !l.Progress.Complete || l.Progress.Percent != 100 {
			for _, fp := range l.Progress.Forms {
				t.Logf("%+v", fp)
			}
			t.Errorf("filled child: complete %v, %d%%", l.Progress.Complete, l.Progress.Percent)
		}

		// The trail: one row per change made, none for anything else.
		got := map[string]int{}
		versions := map[int64]bool{}
		for _, c := range w.trail(t, id) {
			var v forms.Literal
			if c.NewValue != nil {
				v = forms.Literal(*c.NewValue)
			}
			if c.OldValue != nil {
				t.Errorf("%s: old value %s on a first answer", c.Field, *c.OldValue)
			}
			got[fmt.Sprintf("%s %s ∅→%s", c.Cause, key(c.Section, c.RowID, c.Field), v)]++
			versions[c.Version] = true
			if c.ChangedBy == nil || *c.ChangedBy != me.ID || c.ChangedByName != "Carl Clin" || !c.ChangedAt.Equal(now) {
				t.Errorf("%s changed by %v %q at %v", c.Field, c.ChangedBy, c.ChangedByName, c.ChangedAt)
			}
		}
		for k, n := range trail {
			if got[k] != n {
				t.Errorf("trail: %d × %q, want %d", got[k], k, n)
			}
		}
		for k, n := range got {
			if trail[k] == 0 {
				t.Errorf("trail: unexpected %d × %q", n, k)
			}
		}
		if len(versions) != int(version-start) {
			t.Errorf("trail has %d versions, %d saves made", len(versions), version-start)
		}

		// Its KPIs, scored from the stored record.
		outcomes := w.checkKPI(t, id)
		if outcomes[kpi.NotScored] == kpi.NumMeasures || len(outcomes) < 2 {
			t.Errorf("a complete child scores %v", outcomes)
		}
		// Every other part of the care plan missing, so that neighbouring
		// measures differ and a column stored from the wrong measure shows.
		plan := forms.Management.Question(key("management", 0, "individualised_care_plan_in_place"))
		for i, q := range plan.FollowUps[1:] { // after the date
			if i%2 == 1 {
				w.answer(t, id, forms.Management, q.Field, lit(false))
			}
		}
		if outcomes := w.checkKPI(t, id); outcomes[kpi.Pass] == 0 || outcomes[kpi.Fail] == 0 {
			t.Errorf("a care plan with gaps scores %v", outcomes)
		}
	})
}

// Answers §4 refuses are not stored, leave no trail and do not move the
// child's version.
func TestValidation(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		w := newWorld(t, s)
		id := w.child(t, childOpts{})
		inv, ma := forms.Investigations, forms.MultiaxialDiagnosis
		w.answer(t, id, inv, "eeg_indicated", lit(true))
		w.answer(t, id, inv, "eeg_request_date", lit(fpa.Time().AddDate(0, 0, 5).Format("2006-01-02")))
		w.answer(t, id, ma, "epilepsy_cause_known", lit(true))
		w.answer(t, id, ma, "epilepsy_cause", lit(strings.Repeat("é", 250))) // 250 characters, 500 bytes

		for _, tc := range []struct {
			f     *forms.Form
			field string
			v     forms.Literal
			msg   string
		}{
			{inv, "eeg_request_date", lit(now.AddDate(0, 0, 1).Format("2006-01-02")), "today or in the past"},
			{inv, "eeg_request_date", lit("2015-05-02"), "birth"},
			{inv, "eeg_performed_date", lit(fpa.Time().AddDate(0, 0, 4).Format("2006-01-02")), "request"},
			{ma, "epilepsy_cause", lit(strings.Repeat("a", 251)), "250 characters or fewer"},
			{forms.Management, "individualised_care_plan_in_place", lit("yes"), "yes or no"},
		} {
			k := key(tc.f.Section, 0, tc.field)
			before, v0, trail0, jobs0 := w.stored(t, id), w.version(t, id), len(w.trail(t, id)), w.kpiJobs(t)
			_, err := w.svc().Save(context.Background(), w.me(t, carl), answers.Save{ChildID: id, Form: tc.f, Key: k, Value: tc.v, Seen: v0})
			var fe *forms.FieldError
			if !errors.As(err, &fe) || fe.Key != k || !strings.Contains(strings.ToLower(fe.Message), tc.msg) {
				t.Errorf("%s = %s: %v, want a field error about %q", k, tc.v, err, tc.msg)
			}
			if after := w.stored(t, id); !maps.Equal(before, after) {
				t.Errorf("%s = %s: refused, but the answers changed to %v", k, tc.v, after)
			}
			if v := w.version(t, id); v != v0 {
				t.Errorf("%s = %s: refused, but the version moved %d → %d", k, tc.v, v0, v)
			}
			if n := len(w.trail(t, id)); n != trail0 {
				t.Errorf("%s = %s: refused, but %d trail rows were added", k, tc.v, n-trail0)
			}
			if j := w.kpiJobs(t); !maps.Equal(j, jobs0) {
				t.Errorf("%s = %s: refused, but jobs changed %v → %v", k, tc.v, jobs0, j)
			}
		}
		// The same answer twice changes nothing and moves nothing.
		v0 := w.version(t, id)
		if saved := w.answer(t, id, inv, "eeg_indicated", lit(true)); saved.Version != v0 || w.version(t, id) != v0 {
			t.Errorf("the same answer again: version %d → %d", v0, saved.Version)
		}
	})
}

// Saves of different fields made at once, all having seen the same
// version, all survive: a save carries its field only.
func TestConcurrentSavesOfDifferentFields(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		w := newWorld(t, s)
		id := w.child(t, childOpts{})
		var fields []forms.Key
		for _, f := range []*forms.Form{forms.FirstPaediatricAssessment, forms.EpilepsyContext, forms.Investigations, forms.Management} {
			for _, q := range f.Questions {
				if q.Kind == forms.YesNo || q.Kind == forms.Radios {
					fields = append(fields, key(f.Section, 0, q.Field))
				}
			}
		}
		if len(fields) < 20 {
			t.Fatalf("%d fields", len(fields))
		}
		fields = fields[:20]
		seen := w.version(t, id)
		me := w.me(t, carl)
		var wg sync.WaitGroup
		errs := make([]error, len(fields))
		values := make([]forms.Literal, len(fields))
		for i, k := range fields {
			f := forms.ForSection(k.Section)
			q, _ := f.Locate(&forms.Record{}, k)
			values[i] = valid(q)
			wg.Go(func() {
				_, errs[i] = w.svc().Save(context.Background(), me, answers.Save{ChildID: id, Form: f, Key: k, Value: values[i], Seen: seen})
			})
		}
		wg.Wait()
		for i, err := range errs {
			if err != nil {
				t.Errorf("%s: %v", fields[i], err)
			}
		}
		db := w.stored(t, id)
		for i, k := range fields {
			if db[k] != string(values[i]) {
				t.Errorf("%s = %q after the concurrent saves, want %s", k, db[k], values[i])
			}
		}
		if len(db) != len(fields) || w.version(t, id) != seen+int64(len(fields)) || len(w.trail(t, id)) != len(fields) {
			t.Errorf("%d answers, version %d → %d, %d trail rows", len(db), seen, w.version(t, id), len(w.trail(t, id)))
		}
	})
}

// Two clinicians change the same answer: the second is told whose answer
// it now is, unless they gave the same one, and may overwrite it.
func TestSameFieldConflict(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		w := newWorld(t, s)
		ctx := context.Background()
		id := w.child(t, childOpts{})
		f := forms.FirstPaediatricAssessment
		k := key(f.Section, 0, "general_examination_performed")
		other := key(f.Section, 0, "neurological_examination_performed")
		seenByCarl := w.load(t, carl, id).Version()
		theirs := w.save(t, cleo, id, f, k, lit(true), w.load(t, cleo, id).Version())

		_, err := w.svc().Save(ctx, w.me(t, carl), answers.Save{ChildID: id, Form: f, Key: k, Value: lit(false), Seen: seenByCarl})
		var ce *answers.ConflictError
		if !errors.As(err, &ce) || !answers.IsConflict(err) {
			t.Fatalf("conflicting save: %v", err)
		}
		if ce.Key != k || string(ce.Theirs) != "true" || ce.Version != theirs.Version || ce.By != "Cleo Second" ||
			!ce.At.Equal(now) || !strings.Contains(ce.Error(), "Cleo Second changed this answer") {
			t.Errorf("conflict %+v", ce)
		}
		if db := w.stored(t, id); db[k] != "true" || w.version(t, id) != theirs.Version || len(w.trail(t, id)) != 1 {
			t.Errorf("the refused save changed something: %v, version %d", db, w.version(t, id))
		}
		// Another field, seen at the same version, is no conflict.
		w.save(t, carl, id, f, other, lit(true), seenByCarl)

		// The same answer as theirs: nothing to choose between, nothing changes.
		v := w.version(t, id)
		same, err := w.svc().Save(ctx, w.me(t, carl), answers.Save{ChildID: id, Form: f, Key: k, Value: lit(true), Seen: seenByCarl})
		if err != nil || same.Version != v || w.version(t, id) != v {
			t.Errorf("the same answer as theirs: %v, version %d → %d", err, v, w.version(t, id))
		}
		// Overwriting, having seen theirs.
		mine := w.save(t, carl, id, f, k, lit(false), ce.Version)
		if mine.Version != v+1 || w.stored(t, id)[k] != "false" {
			t.Errorf("overwrite: version %d, stored %s", mine.Version, w.stored(t, id)[k])
		}
		tr := w.trail(t, id)
		last := tr[len(tr)-1]
		if len(tr) != 3 || last.Field != k.Field || str(last.OldValue) != "true" || str(last.NewValue) != "false" ||
			last.ChangedByName != "Carl Clin" || last.Cause != "answer" || last.Version != mine.Version {
			t.Errorf("trail after the overwrite: %d rows, last %+v", len(tr), last)
		}
		l := w.load(t, cleo, id)
		if m := l.Meta[k]; m.By != "Carl Clin" || m.Version != mine.Version {
			t.Errorf("meta after the overwrite: %+v", m)
		}
	})
}

// An answer someone else cleared after you opened the form is a conflict
// too, though nothing is stored to compare with: the trail remembers. An
// answer your own answers cleared is not.
func TestClearedAnswerConflict(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		w := newWorld(t, s)
		ctx := context.Background()
		id := w.child(t, childOpts{})
		f := forms.FirstPaediatricAssessment
		k := key(f.Section, 0, "general_examination_performed")
		w.save(t, cleo, id, f, k, lit(true), w.version(t, id))
		seenByCarl := w.load(t, carl, id).Version()
		cleared := w.save(t, cleo, id, f, k, nil, w.version(t, id))

		_, err := w.svc().Save(ctx, w.me(t, carl), answers.Save{ChildID: id, Form: f, Key: k, Value: lit(false), Seen: seenByCarl})
		var ce *answers.ConflictError
		if !errors.As(err, &ce) {
			t.Fatalf("a save over a cleared answer: %v, want a conflict", err)
		}
		if ce.Theirs != nil || ce.By != "Cleo Second" || ce.Version != cleared.Version {
			t.Errorf("conflict %+v", ce)
		}
		if _, ok := w.stored(t, id)[k]; ok {
			t.Error("the refused save stored the answer")
		}
		// Having seen the clearing, the save goes through.
		w.save(t, carl, id, f, k, lit(false), ce.Version)

		// Carl clears his own answer; a stale form of his is no conflict.
		stale := w.version(t, id)
		w.save(t, carl, id, f, k, nil, stale)
		w.save(t, carl, id, f, k, lit(true), stale)
		if w.stored(t, id)[k] != "true" {
			t.Errorf("stored %q after Carl answered again", w.stored(t, id)[k])
		}
	})
}
