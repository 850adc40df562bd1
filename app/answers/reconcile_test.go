package answers_test

import (
	"context"
	"testing"
	"time"

	"clinaudit/app/answers"
	"clinaudit/app/audit"
	"clinaudit/app/children"
	"clinaudit/app/cohort"
	"clinaudit/app/forms"
	"clinaudit/app/kpi"
	"clinaudit/app/store"
	"clinaudit/app/store/storetest"
	"clinaudit/app/synth"
)

// Time passing changes what a stored result should be, with no write to
// the child. The clock moves across a girl's 12th birthday (her valproate
// questions become due, so her audit is no longer complete), the end of a
// child's first year of care and her cohort's deadline; each time the
// reconciliation rescores exactly the children whose date has come, and
// their stored results equal a fresh score on the new day.
func TestReconciliationFollowsTheClock(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		w := newWorld(t, s)
		clock := now
		kids := &children.Service{Store: s, Now: func() time.Time { return clock }}
		svc := &answers.Service{Store: s, Children: kids}
		nat := nationalUser(t, w)

		// A girl with a complete audit, first assessed in cohort 7 over a
		// year ago, given sodium valproate while her date of birth said
		// she was 15 (so the programme is "needed"), whose date of birth
		// was then corrected: she turns 12 on 1 July 2025.
		girl := completeGirl(t, w, svc, nat)
		setBirth := func(d time.Time) {
			c, err := kids.Get(ctx, nat.Actor, girl)
			if err != nil {
				t.Fatal(err)
			}
			dem := children.DemographicsOf(c.Child)
			dem.DateOfBirth = dateInput(d)
			if err := kids.Update(ctx, nat, girl, c.Version, dem); err != nil {
				t.Fatal(err)
			}
		}
		setBirth(time.Date(2010, time.January, 1, 0, 0, 0, 0, time.UTC))
		m := forms.Management
		l := w.load(t, carl, girl)
		if string(l.Record.Get(key(m.Section, 0, "has_an_aed_been_given"))) != "true" {
			w.save(t, carl, girl, m, key(m.Section, 0, "has_an_aed_been_given"), lit(true), w.version(t, girl))
		}
		_, row := w.addRow(t, girl, m, list(m, "antiepilepsy_medicines", "false"), "valproate")
		fpa := l.Child.FirstPaediatricAssessmentDate.String()
		for _, a := range []struct {
			field string
			v     any
		}{{"medicine_name", audit.MedicineSodiumValproate}, {"antiepilepsy_medicine_start_date", fpa}, {"antiepilepsy_medicine_risk_discussed", true}} {
			w.save(t, carl, girl, m, key("antiepilepsy_medicines", row, a.field), lit(a.v), w.version(t, girl))
		}
		if got := w.stored(t, girl)[key("antiepilepsy_medicines", row, "is_a_pregnancy_prevention_programme_needed")]; got != "true" {
			t.Fatalf("programme needed: %s", got)
		}
		setBirth(time.Date(2013, time.July, 1, 0, 0, 0, 0, time.UTC))

		// Another child, first assessed on 1 August 2024: their first year
		// of care ends on 1 August 2025.
		other := w.child(t, childOpts{})
		if err := kids.Register(ctx, nat, other, children.Registration{EligibilityConfirmed: true,
			FirstAssessment: dateInput(time.Date(2024, time.August, 1, 0, 0, 0, 0, time.UTC))}); err != nil {
			t.Fatal(err)
		}

		day := func(y int, m time.Month, d int) *audit.Date { return &audit.Date{Year: y, Month: m, Day: d} }
		// check says the stored results are fresh scores as of the clock,
		// and valid until the given dates.
		check := func(step string, girlComplete bool, girlUntil, otherUntil *audit.Date) {
			t.Helper()
			for _, c := range []struct {
				id    int64
				until *audit.Date
			}{{girl, girlUntil}, {other, otherUntil}} {
				l, err := svc.LoadForSystem(ctx, s, c.id)
				if err != nil {
					t.Fatal(err)
				}
				r, err := s.GetKPIResult(ctx, c.id)
				if err != nil {
					t.Fatalf("%s: child %d: %v", step, c.id, err)
				}
				if r.DataVersion != l.Child.Version || answers.StoredScores(r) != kpi.Score(l.Audit).Scores ||
					r.AuditComplete == nil || *r.AuditComplete != l.Progress.Complete {
					t.Errorf("%s: child %d: stored version %d complete %v, fresh version %d complete %v", step, c.id,
						r.DataVersion, r.AuditComplete, l.Child.Version, l.Progress.Complete)
				}
				var got *audit.Date
				if r.ValidUntil != nil {
					got = &audit.Date{Year: r.ValidUntil.Year, Month: r.ValidUntil.Month, Day: r.ValidUntil.Day}
				}
				if (got == nil) != (c.until == nil) || got != nil && !got.Equal(*c.until) {
					t.Errorf("%s: child %d valid until %v, want %v", step, c.id, got, c.until)
				}
			}
			l, err := svc.Load(ctx, nat.Actor, girl)
			if err != nil {
				t.Fatal(err)
			}
			if l.Progress.Complete != girlComplete {
				t.Errorf("%s: the girl's audit complete %v, want %v", step, l.Progress.Complete, girlComplete)
			}
		}
		reconcile := func(step string, want int) {
			t.Helper()
			n, err := svc.Reconcile(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if n != want {
				t.Errorf("%s: reconciliation rescored %d children, want %d", step, n, want)
			}
		}

		// 10 June 2025: nothing scored yet; the reconciliation scores both.
		reconcile("first", 2)
		reconcile("again", 0)
		check("10 June 2025", true, day(2025, time.July, 1), day(2025, time.August, 1))

		// Her 12th birthday: the valproate questions are due, her audit is
		// incomplete, and nothing was saved.
		clock = time.Date(2025, time.July, 1, 8, 0, 0, 0, time.UTC)
		reconcile("12th birthday", 1)
		check("1 July 2025", false, day(2026, time.January, 14), day(2025, time.August, 1))

		// The other child's first year of care ends.
		clock = time.Date(2025, time.August, 1, 8, 0, 0, 0, time.UTC)
		reconcile("end of first year", 1)
		check("1 August 2025", false, day(2026, time.January, 14), day(2026, time.January, 14))

		// Cohort 7's deadline (13 January 2026) passes: from the 14th
		// nothing but the other child's 12th birthday (3 May 2027) is ahead.
		if d := cohort.Cohort(7).SubmissionDeadline(); d.Day() != 13 {
			t.Fatalf("cohort 7's deadline is %v", d)
		}
		clock = time.Date(2026, time.January, 13, 8, 0, 0, 0, time.UTC)
		reconcile("deadline day", 0)
		clock = time.Date(2026, time.January, 14, 8, 0, 0, 0, time.UTC)
		reconcile("day after the deadline", 2)
		check("14 January 2026", false, nil, day(2027, time.May, 3))

		// Results of older rules, or missing, are found too.
		if _, err := s.UpsertKPIResult(ctx, store.UpsertKPIResultParams{ChildID: girl, RulesVersion: "older rules",
			DataVersion: w.version(t, girl), ComputedAt: now}); err != nil {
			t.Fatal(err)
		}
		if err := s.DeleteKPIResult(ctx, other); err != nil {
			t.Fatal(err)
		}
		reconcile("older rules and a missing result", 2)
		check("14 January 2026, repaired", false, nil, day(2027, time.May, 3))
	})
}

// completeGirl imports a girl with a complete audit, first assessed in
// cohort 7 more than a year before now, with her centres chosen.
func completeGirl(t testing.TB, w *world, svc *answers.Service, nat children.Me) int64 {
	t.Helper()
	ctx := context.Background()
	org, err := w.s.GetOrganisationByODS(ctx, "RM332")
	if err != nil {
		t.Fatal(err)
	}
	g := synth.New(synth.Options{Seed: 3, Today: audit.DateOf(now), From: audit.DateOf(cohort.Cohort(7).Start()),
		To: audit.DateOf(now.AddDate(-1, 0, -1)), Complete: 1})
	for range 200 {
		d := g.Next()
		if !d.Complete || d.Child.Case == nil || d.Child.Case.Sex == nil || *d.Child.Case.Sex != audit.SexFemale {
			continue
		}
		id, err := svc.Import(ctx, answers.SystemActor(org), answers.Import{Organisation: org, Child: d.Child, RequestID: "seed"})
		if err != nil {
			t.Fatalf("import: %v", err)
		}
		return id
	}
	t.Fatal("no complete girl in 200 synthetic children")
	return 0
}
