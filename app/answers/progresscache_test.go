package answers_test

import (
	"context"
	"fmt"
	"reflect"
	"testing"
	"time"

	"clinaudit/app/answers"
	"clinaudit/app/forms"
	"clinaudit/app/store"
	"clinaudit/app/store/storetest"
)

// cachedSvc is a service with a progress cache, as the web server's.
func (w *world) cachedSvc() (*answers.Service, *answers.ProgressCache) {
	svc := w.svc()
	svc.Progress = answers.NewProgressCache(0)
	return svc, svc.Progress
}

// sameAsRead fails the test unless what a save returned is what a fresh
// service, with no cache, reads and derives from the store: the version,
// every form's progress (the badges) and the overall progress.
func (w *world) sameAsRead(t *testing.T, what string, id int64, saved *answers.Saved) {
	t.Helper()
	l := w.load(t, carl, id)
	if saved.Version != 0 && saved.Version != l.Version() {
		t.Fatalf("%s: saved version %d, read %d", what, saved.Version, l.Version())
	}
	if !reflect.DeepEqual(saved.Progress, l.Progress) {
		t.Fatalf("%s: progress after the save\n%+v\nread afresh\n%+v", what, saved.Progress, l.Progress)
	}
}

// A clinician fills in every form through a service that keeps progress
// between saves, then answers "no" to every shown yes/no question that has
// follow-ups (clearing them) and "yes" again: after every save, every
// form's progress and the overall progress are what a full read derives,
// and most saves recomputed only their form's.
func TestCachedProgressMatchesAFullRead(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		w := newWorld(t, s)
		me := w.me(t, carl)
		id := w.child(t, childOpts{})
		svc, cache := w.cachedSvc()
		l, err := svc.Load(ctx, me.Actor, id)
		if err != nil {
			t.Fatal(err)
		}
		rec, version, prog := l.Record, l.Version(), l.Progress
		saves, befores := 0, 0
		save := func(f *forms.Form, k forms.Key, v forms.Literal) {
			t.Helper()
			saved, err := svc.Save(ctx, me, answers.Save{ChildID: id, Form: f, Key: k, Value: v, Seen: version})
			if err != nil {
				t.Fatalf("save %s = %s: %v", k, v, err)
			}
			saves++
			w.sameAsRead(t, fmt.Sprintf("%s = %s", k, v), id, saved)
			// Before, when given, is the progress at the version before
			// the save's (what the page showed), not the new one.
			if saved.Before != nil {
				befores++
				if saved.Version != version+1 || !reflect.DeepEqual(*saved.Before, prog) {
					t.Fatalf("%s = %s: Before at version %d is not the progress read at %d", k, v, saved.Version-1, version)
				}
			}
			rec, version, prog = saved.Record, saved.Version, saved.Progress
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
						if len(rec.RowsOf(q.RowSection)) == 0 || q.RowFilter != nil && !hasRow(rec, q) {
							add = q
						}
					case f.Answer(rec, q, r) == nil:
						todo, row = q, r
					}
				})
				switch {
				case add != nil:
					saved, _, err := svc.AddRow(ctx, me, answers.AddRow{ChildID: id, Form: f, List: add, ClientKey: fmt.Sprintf("%s-%d", f.ID, i)})
					if err != nil {
						t.Fatal(err)
					}
					w.sameAsRead(t, "add "+add.RowSection, id, saved)
					rec, version = saved.Record, saved.Version
				case todo != nil:
					save(f, keyOf(f, todo, row), valid(todo))
				}
				if add == nil && todo == nil {
					break
				}
			}
		}
		if l := w.load(t, carl, id); !l.Progress.Complete {
			t.Fatalf("the filled child is not complete: %+v", l.Progress)
		}
		for _, f := range forms.All() {
			var flip []forms.Key
			shown(f, rec, func(q *forms.Question, r *forms.Row) {
				if q.Kind == forms.YesNo && len(q.FollowUps) > 0 {
					flip = append(flip, keyOf(f, q, r))
				}
			})
			for _, k := range flip {
				if _, shown := f.Locate(rec, k); !shown {
					continue // hidden by an earlier "no"
				}
				save(f, k, forms.Literal("false"))
				save(f, k, forms.Literal("true"))
			}
		}
		if hits := cache.Hits(); hits < int64(saves)*3/4 {
			t.Fatalf("%d of %d saves found the progress before them", hits, saves)
		}
		if befores < saves*3/4 {
			t.Fatalf("%d of %d saves said the progress before them", befores, saves)
		}
	})
}

// A write the cache did not see (another process, a service without the
// cache) bumps the version, so the next save derives every form again and
// shows that write's progress too; the save after it recomputes only its
// form's again. So does a save on another day.
func TestCachedProgressSeesOtherWrites(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		w := newWorld(t, s)
		me := w.me(t, carl)
		id := w.child(t, childOpts{})
		svc, cache := w.cachedSvc()
		if _, err := svc.Load(ctx, me.Actor, id); err != nil {
			t.Fatal(err)
		}
		fpaKey := key(forms.FirstPaediatricAssessment.Section, 0, "general_examination_performed")
		ctxKey := key(forms.EpilepsyContext.Section, 0, "previous_febrile_seizure")
		saveWith := func(svc *answers.Service, f *forms.Form, k forms.Key, v string) *answers.Saved {
			t.Helper()
			saved, err := svc.Save(ctx, me, answers.Save{ChildID: id, Form: f, Key: k, Value: forms.Literal(v), Seen: w.version(t, id)})
			if err != nil {
				t.Fatalf("save %s: %v", k, err)
			}
			return saved
		}
		w.sameAsRead(t, "cached", id, saveWith(svc, forms.FirstPaediatricAssessment, fpaKey, "true"))
		if cache.Hits() != 1 {
			t.Fatalf("hits %d after a load and a save", cache.Hits())
		}
		// Someone else answers on the Epilepsy context form.
		w.sameAsRead(t, "uncached", id, saveWith(w.svc(), forms.EpilepsyContext, ctxKey, string(valid(forms.EpilepsyContext.Question(ctxKey)))))
		saved := saveWith(svc, forms.FirstPaediatricAssessment, fpaKey, "false")
		w.sameAsRead(t, "after another write", id, saved)
		if cache.Hits() != 1 || saved.Before != nil {
			t.Fatalf("a save after a write the cache did not see used it (hits %d, before %v)", cache.Hits(), saved.Before != nil)
		}
		if p := saved.Progress.Forms[2]; p.Form.ID() != forms.EpilepsyContext.ID || p.Answered == 0 {
			t.Fatalf("the other write's form shows %+v", p)
		}
		again := saveWith(svc, forms.FirstPaediatricAssessment, fpaKey, "true")
		w.sameAsRead(t, "cached again", id, again)
		if cache.Hits() != 2 {
			t.Fatalf("hits %d, want 2", cache.Hits())
		}
		// A cached save reads only its form's sections: the other form's
		// answer is not in its record, yet its progress is.
		if again.Record.Get(ctxKey) != nil {
			t.Errorf("a cached save to %s read the %s section too", forms.FirstPaediatricAssessment.ID, forms.EpilepsyContext.ID)
		}
		if again.Record.Get(fpaKey) == nil {
			t.Errorf("a cached save's record lacks the answer it saved")
		}
		// The next day: progress can change with the date alone.
		svc.Children.Now = func() time.Time { return now.AddDate(0, 0, 1) }
		if saved := saveWith(svc, forms.FirstPaediatricAssessment, fpaKey, "false"); cache.Hits() != 2 || saved.Before != nil {
			t.Fatalf("a save on the next day used the day before's progress (hits %d, before %v)", cache.Hits(), saved.Before != nil)
		}
	})
}

// The cache's premise: no two forms store answers in the same section, so
// a save of one form cannot change another form's progress.
func TestFormsShareNoSection(t *testing.T) {
	owner := map[string]string{}
	for _, f := range forms.All() {
		for _, s := range f.Sections() {
			if o, ok := owner[s]; ok {
				t.Errorf("section %s is stored by %s and %s", s, o, f.ID)
			}
			owner[s] = f.ID
		}
	}
	if len(owner) < len(forms.All()) {
		t.Fatalf("only %d sections", len(owner))
	}
}

// A cached save whose form does not decode (a stored answer of the wrong
// type, written past the save path) cannot derive that form alone: the
// record, read partially, is read again whole, and the progress is what a
// service without the cache derives.
func TestCachedSaveOfARecordThatDoesNotDecodeReadsItWhole(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		w := newWorld(t, s)
		me := w.me(t, carl)
		id := w.child(t, childOpts{})
		svc, cache := w.cachedSvc()
		fpaKey := key(forms.FirstPaediatricAssessment.Section, 0, "general_examination_performed")
		ctxKey := key(forms.EpilepsyContext.Section, 0, "previous_febrile_seizure")
		if _, err := svc.Save(ctx, me, answers.Save{ChildID: id, Form: forms.EpilepsyContext, Key: ctxKey,
			Value: valid(forms.EpilepsyContext.Question(ctxKey)), Seen: w.version(t, id)}); err != nil {
			t.Fatal(err)
		}
		// Not through the save path: the version does not move, so the
		// cache still holds.
		if err := s.UpsertAnswer(ctx, store.UpsertAnswerParams{ChildID: id, Section: forms.FirstPaediatricAssessment.Section,
			Field: "neurological_examination_performed", Value: `"not a yes or no"`, Version: w.version(t, id), UpdatedAt: now}); err != nil {
			t.Fatal(err)
		}
		saved, err := svc.Save(ctx, me, answers.Save{ChildID: id, Form: forms.FirstPaediatricAssessment, Key: fpaKey,
			Value: forms.Literal("true"), Seen: w.version(t, id)})
		if err != nil {
			t.Fatal(err)
		}
		if cache.Hits() == 0 {
			t.Fatal("the save did not find the progress cached, so the partial read was not tried")
		}
		if saved.Problem == nil {
			t.Fatal("the record with an answer that does not decode decoded")
		}
		if saved.Record.Get(ctxKey) == nil {
			t.Error("the save's record was not read again whole: the other form's answer is missing")
		}
		// What a service without the cache derives: the same answer again
		// changes nothing and derives everything from the whole record (a
		// plain load refuses a record that does not decode).
		uncached, err := w.svc().Save(ctx, me, answers.Save{ChildID: id, Form: forms.FirstPaediatricAssessment, Key: fpaKey,
			Value: forms.Literal("true"), Seen: w.version(t, id)})
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(saved.Progress, uncached.Progress) {
			t.Errorf("progress of the cached save\n%+v\nwithout the cache\n%+v", saved.Progress, uncached.Progress)
		}
	})
}
