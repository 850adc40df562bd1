package answers_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"clinaudit/app/access"
	"clinaudit/app/aggregate"
	"clinaudit/app/answers"
	"clinaudit/app/audit"
	"clinaudit/app/auth"
	"clinaudit/app/auth/password"
	"clinaudit/app/children"
	"clinaudit/app/cohort"
	"clinaudit/app/forms"
	"clinaudit/app/internal/testwait"
	"clinaudit/app/kpi"
	"clinaudit/app/store"
	"clinaudit/app/store/storetest"
	"clinaudit/app/synth"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
)

// The invariant of docs/kpi.md, checked the hard way: many people change a
// few dozen children at once, in every way that can change a score
// (answers, rows, demographics, registration, transfers, locks, deletion
// and restore, opt-outs), while River works the kpi_score jobs for real.
// Once the queue is idle, every child's stored result must be a fresh
// score of its stored record, and the dashboards' figures must equal a
// recount from the answers.
func TestStoredResultsMatchAFreshScore(t *testing.T) {
	if testing.Short() {
		t.Skip("a few seconds of random changes per engine")
	}
	storetest.Each(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		w := newWorld(t, s)
		svc := w.svc()
		nat := nationalUser(t, w)
		count, churnFor := 30, 4*time.Second
		if raceDetector {
			count, churnFor = 16, 3*time.Second
		}
		ids := seedAudits(t, w, svc, nat, count)

		workers := river.NewWorkers()
		registerKPIWorkers(workers, svc)
		if err := s.ConfigureJobs(store.JobsConfig{Workers: workers, MaxWorkers: 4, PollInterval: 100 * time.Millisecond}); err != nil {
			t.Fatal(err)
		}
		if err := s.StartJobs(ctx); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = s.StopJobs(context.Background()) })

		ops := churn(t, w, svc, nat, ids, 8, churnFor)
		t.Logf("%d changes made", ops)
		drain(t, s)

		for _, id := range ids {
			checkFresh(t, svc, id)
		}
		// The reconciliation's query agrees: nothing is stale.
		if n, err := svc.CountStale(ctx, 100); err != nil || n != 0 {
			t.Errorf("the reconciliation finds %d stale children (%v)", n, err)
		}
		checkDashboards(t, s, svc, ids)
	})
}

// nationalUser is a national full-access account: it may make every change
// to every child, so that few of the random changes are refused for scope.
func nationalUser(t testing.TB, w *world) children.Me {
	t.Helper()
	ctx := context.Background()
	a, err := auth.New(w.s, password.DefaultPolicy(), auth.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	var u store.User
	err = w.s.InTx(ctx, func(tx store.Tx) error {
		u, err = a.CreateUser(ctx, tx, auth.NewUser{Email: "nat@nca.example", FirstName: "Nia", Surname: "National", Role: access.NationalFull})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	actor, err := access.ActorFor(ctx, w.s, u)
	if err != nil {
		t.Fatal(err)
	}
	return access.Me{ID: u.ID, Actor: actor}
}

// seedAudits imports n synthetic children at RM332, first assessed in
// cohort 7 more than a year ago (so counted once complete), seven in ten
// with complete audits.
func seedAudits(t testing.TB, w *world, svc *answers.Service, nat children.Me, n int) []int64 {
	t.Helper()
	ctx := context.Background()
	org, err := w.s.GetOrganisationByODS(ctx, "RM332")
	if err != nil {
		t.Fatal(err)
	}
	g := synth.New(synth.Options{Seed: 12, Today: audit.DateOf(now), From: audit.DateOf(cohort.Cohort(7).Start()),
		To: audit.DateOf(now.AddDate(-1, 0, -1)), Complete: 0.7})
	var ids []int64
	for len(ids) < n {
		d := g.Next()
		id, err := svc.Import(ctx, answers.SystemActor(org), answers.Import{Organisation: org, Child: d.Child, RequestID: "seed"})
		if err != nil {
			t.Fatalf("import: %v", err)
		}
		ids = append(ids, id)
	}
	return ids
}

// churn runs workers goroutines making random changes to the children for
// d, and returns how many changes were made. A change the rules refuse
// (a conflict, a locked record, a bad date) is part of the game; any other
// error fails the test.
func churn(t *testing.T, w *world, svc *answers.Service, nat children.Me, ids []int64, workers int, d time.Duration) int {
	t.Helper()
	ctx := context.Background()
	kids := svc.Children
	deadline := time.Now().Add(d)
	var mu sync.Mutex
	total := 0
	var wg sync.WaitGroup
	for g := range workers {
		wg.Go(func() {
			r := rand.New(rand.NewPCG(uint64(g), 99))
			n := 0
			for time.Now().Before(deadline) {
				// The first half of the children get every kind of change;
				// the others only those that leave their answers alone
				// (so some audits stay complete for the dashboards).
				i := r.IntN(len(ids))
				id := ids[i]
				p := r.IntN(100)
				if i >= len(ids)/2 {
					p = 73 + r.IntN(24)
				}
				var err error
				switch {
				case p < 55:
					err = randomAnswer(ctx, svc, nat, id, r)
				case p < 65:
					err = randomDemographics(ctx, kids, nat, id, r)
				case p < 73:
					err = randomRegistration(ctx, kids, nat, id, r)
				case p < 80:
					err = randomTransfer(ctx, kids, nat, id)
				case p < 92:
					err = lockOrUnlock(ctx, kids, nat, id)
				case p < 97:
					err = deleteAndRestore(ctx, kids, nat, id)
				case p < 98:
					if i < 3 { // a few opt-outs, not a third of the children
						err = kids.OptOut(ctx, nat, id)
					}
				default:
					// A burst of saves to one child, as a clinician clicking
					// through a form does.
					for range 10 {
						if err = randomAnswer(ctx, svc, nat, id, r); err != nil && !refused(err) {
							break
						}
					}
				}
				if err != nil && !refused(err) {
					t.Errorf("child %d: %v", id, err)
					return
				}
				n++
			}
			mu.Lock()
			total += n
			mu.Unlock()
		})
	}
	wg.Wait()
	return total
}

// refused reports whether err is the rules saying no, which the random
// changes often provoke.
func refused(err error) bool {
	var fe *forms.FieldError
	var ce *answers.ConflictError
	var cfe children.FieldErrors
	return children.IsConflict(err) || errors.As(err, &fe) || errors.As(err, &ce) || errors.As(err, &cfe) ||
		errors.Is(err, answers.ErrNoSuchList) || errors.Is(err, children.ErrNotFound)
}

// randomAnswer gives, changes or clears one random answer the child's form
// shows now, or adds or removes a row.
func randomAnswer(ctx context.Context, svc *answers.Service, me children.Me, id int64, r *rand.Rand) error {
	l, err := svc.Load(ctx, me.Actor, id)
	if err != nil {
		return err
	}
	f := forms.All()[r.IntN(len(forms.All()))]
	type action func() error
	var acts []action
	save := func(k forms.Key, v forms.Literal) action {
		return func() error {
			_, err := svc.Save(ctx, me, answers.Save{ChildID: id, Form: f, Key: k, Value: v, Seen: l.Version()})
			return err
		}
	}
	var visit func(qs []*forms.Question, row *forms.Row)
	visit = func(qs []*forms.Question, row *forms.Row) {
		for _, q := range qs {
			if !f.Shown(l.Record, q, row) {
				continue
			}
			k := keyOf(f, q, row)
			switch q.Kind {
			case forms.YesNo, forms.Confirm:
				acts = append(acts, save(k, lit(r.IntN(2) == 0)), save(k, nil))
			case forms.Radios, forms.Select, forms.Checkboxes:
				if len(q.Choices) == 0 {
					break
				}
				c := q.Choices[r.IntN(len(q.Choices))].Code
				var v forms.Literal
				switch {
				case q.Kind == forms.Checkboxes:
					v = lit([]string{c})
				case q.IntCodes:
					v = forms.Literal(c)
				default:
					v = lit(c)
				}
				acts = append(acts, save(k, v))
			case forms.Date:
				acts = append(acts, save(k, lit(audit.DateOf(now.AddDate(0, 0, -r.IntN(700))).String())))
			case forms.Text, forms.TextArea:
				acts = append(acts, save(k, lit("noted")))
			case forms.Rows:
				list := q
				acts = append(acts, func() error {
					_, _, err := svc.AddRow(ctx, me, answers.AddRow{ChildID: id, Form: f, List: list, ClientKey: fmt.Sprint(r.Int64())})
					return err
				})
				for _, row := range l.Record.RowsOf(q.RowSection) {
					rowID := row.ID
					acts = append(acts, func() error {
						_, err := svc.RemoveRow(ctx, me, id, f, rowID, "")
						return err
					})
					visit(q.RowItems, row)
				}
			}
			visit(q.FollowUps, row)
		}
	}
	visit(f.Questions, nil)
	if len(acts) == 0 {
		return nil
	}
	return acts[r.IntN(len(acts))]()
}

func randomDemographics(ctx context.Context, kids *children.Service, me children.Me, id int64, r *rand.Rand) error {
	c, err := kids.Get(ctx, me.Actor, id)
	if err != nil {
		return err
	}
	d := children.DemographicsOf(c.Child)
	born := time.Date(2010+r.IntN(10), time.Month(1+r.IntN(12)), 1+r.IntN(28), 0, 0, 0, 0, time.UTC)
	d.DateOfBirth = children.DateInput{Day: fmt.Sprint(born.Day()), Month: fmt.Sprint(int(born.Month())), Year: fmt.Sprint(born.Year())}
	d.Sex = fmt.Sprint(1 + r.IntN(2))
	return kids.Update(ctx, me, id, c.Version, d)
}

// randomRegistration is the national team moving the first assessment
// (and so, perhaps, the cohort).
func randomRegistration(ctx context.Context, kids *children.Service, me children.Me, id int64, r *rand.Rand) error {
	fpa := now.AddDate(0, 0, -r.IntN(550))
	return kids.Register(ctx, me, id, children.Registration{EligibilityConfirmed: true,
		FirstAssessment: children.DateInput{Day: fmt.Sprint(fpa.Day()), Month: fmt.Sprint(int(fpa.Month())), Year: fmt.Sprint(fpa.Year())}})
}

func randomTransfer(ctx context.Context, kids *children.Service, me children.Me, id int64) error {
	c, err := kids.Get(ctx, me.Actor, id)
	if err != nil {
		return err
	}
	to := "RGT01"
	if c.Organisation.ODSCode == to {
		to = "RM332"
	}
	if err := kids.RequestTransfer(ctx, me, id, to); err != nil {
		return err
	}
	return kids.AcceptTransfer(ctx, me, id)
}

func lockOrUnlock(ctx context.Context, kids *children.Service, me children.Me, id int64) error {
	c, err := kids.Get(ctx, me.Actor, id)
	if err != nil {
		return err
	}
	if c.Locked() {
		return kids.Unlock(ctx, me, id)
	}
	return kids.Lock(ctx, me, id, c.Version)
}

func deleteAndRestore(ctx context.Context, kids *children.Service, me children.Me, id int64) error {
	c, err := kids.Get(ctx, me.Actor, id)
	if err != nil {
		return err
	}
	if err := kids.Delete(ctx, me, id, c.Version); err != nil {
		return err
	}
	return kids.Restore(ctx, me, id)
}

// drain waits until no kpi_score job is left to run.
func drain(t testing.TB, s store.Store) {
	t.Helper()
	ctx := context.Background()
	testwait.Eventually(t, 90*time.Second, "every kpi_score job to run", func() (string, bool) {
		res, err := s.ListJobs(ctx, river.NewJobListParams().Kinds("kpi_score").States(rivertype.JobStateAvailable,
			rivertype.JobStatePending, rivertype.JobStateRunning, rivertype.JobStateRetryable, rivertype.JobStateScheduled).First(10))
		if err != nil {
			t.Fatal(err)
		}
		return fmt.Sprintf("%d still waiting (10 at most counted)", len(res.Jobs)), len(res.Jobs) == 0
	})
}

// checkFresh checks the invariant for one child: a registered child's
// stored result is what scoring its stored record today gives, at its
// current version; a child opted out or never registered has none.
func checkFresh(t testing.TB, svc *answers.Service, id int64) {
	t.Helper()
	ctx := context.Background()
	l, err := svc.LoadForSystem(ctx, svc.Store, id)
	if err != nil {
		t.Fatal(err)
	}
	r, err := svc.Store.GetKPIResult(ctx, id)
	if l.Child.OptedOutAt != nil || l.Child.RegisteredAt == nil {
		if !errors.Is(err, store.ErrNotFound) {
			t.Errorf("child %d (opted out or not registered) has a stored result: %v", id, err)
		}
		return
	}
	if err != nil {
		t.Errorf("child %d at version %d has no stored result: %v", id, l.Child.Version, err)
		return
	}
	fresh := kpi.Score(l.Audit).Scores
	if r.DataVersion != l.Child.Version || r.RulesVersion != kpi.RulesVersion {
		t.Errorf("child %d: stored result of version %d (rules %s), child at version %d", id, r.DataVersion, r.RulesVersion, l.Child.Version)
	}
	if got := answers.StoredScores(r); got != fresh {
		t.Errorf("child %d: stored scores %v, fresh %v", id, got, fresh)
	}
	if r.AuditComplete == nil || *r.AuditComplete != l.Progress.Complete {
		t.Errorf("child %d: stored completeness %v, fresh %v", id, r.AuditComplete, l.Progress.Complete)
	}
	checkValidUntil(t, l, r)
}

// checkDashboards aggregates every cohort a child is registered in and
// compares the national figures with a recount made here, from each
// child's record through kpi.Score and progress (not from the stored
// results, and not through the aggregation's code).
func checkDashboards(t testing.TB, s store.Store, svc *answers.Service, ids []int64) {
	t.Helper()
	ctx := context.Background()
	asOf := audit.DateOf(svc.Children.Today())
	type tally struct {
		registered, complete, counted          int64
		passed, eligible, ineligible, unscored [kpi.NumMeasures]int64
	}
	want := map[cohort.Cohort]*tally{}
	for _, id := range ids {
		l, err := svc.LoadForSystem(ctx, s, id)
		if err != nil {
			t.Fatal(err)
		}
		c := l.Child
		if c.Cohort == nil || c.RegisteredAt == nil || c.OptedOutAt != nil {
			continue
		}
		n := cohort.Cohort(*c.Cohort)
		if want[n] == nil {
			want[n] = &tally{}
		}
		tl := want[n]
		tl.registered++
		if !l.Progress.Complete {
			continue
		}
		tl.complete++
		fpa := audit.Date{Year: c.FirstPaediatricAssessmentDate.Year, Month: c.FirstPaediatricAssessmentDate.Month,
			Day: c.FirstPaediatricAssessmentDate.Day}
		// A year of care is over on the first anniversary; 29 February's
		// is 28 February in a year without one.
		if fpa.AddYears(1).After(asOf) {
			continue
		}
		tl.counted++
		for m, o := range kpi.Score(l.Audit).Scores {
			switch o {
			case kpi.Pass:
				tl.passed[m]++
				tl.eligible[m]++
			case kpi.Fail:
				tl.eligible[m]++
			case kpi.Ineligible:
				tl.ineligible[m]++
			default:
				tl.unscored[m]++
			}
		}
	}
	runner := &aggregate.Runner{Store: s, Now: func() time.Time { return now }}
	for n, tl := range want {
		if _, err := runner.Run(ctx, n); err != nil {
			t.Fatal(err)
		}
		f, _, ok, err := aggregate.ForEntity(ctx, s, n, aggregate.National, "national")
		if err != nil || !ok {
			t.Fatalf("cohort %d national figures: %v %v", n, ok, err)
		}
		if f.Registered != tl.registered || f.Complete != tl.complete || f.Counted != tl.counted {
			t.Errorf("cohort %d: dashboards say %d registered, %d complete, %d counted; the answers say %d, %d, %d",
				n, f.Registered, f.Complete, f.Counted, tl.registered, tl.complete, tl.counted)
		}
		for m := range kpi.Measure(kpi.NumMeasures) {
			got := f.Measure(m)
			if got.Passed != tl.passed[m] || got.TotalEligible != tl.eligible[m] || got.Ineligible != tl.ineligible[m] ||
				got.Incomplete != tl.unscored[m] {
				t.Errorf("cohort %d measure %d: dashboards %+v; the answers say passed %d, eligible %d, ineligible %d, not scored %d",
					n, m, got, tl.passed[m], tl.eligible[m], tl.ineligible[m], tl.unscored[m])
			}
		}
		t.Logf("cohort %d: %d registered, %d complete, %d counted", n, tl.registered, tl.complete, tl.counted)
	}
}
