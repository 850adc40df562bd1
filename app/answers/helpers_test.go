package answers_test

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"testing"
	"time"

	"clinaudit/app/access"
	"clinaudit/app/answers"
	"clinaudit/app/auth"
	"clinaudit/app/auth/password"
	"clinaudit/app/children"
	"clinaudit/app/cohort"
	"clinaudit/app/forms"
	"clinaudit/app/jobargs"
	"clinaudit/app/kpi"
	"clinaudit/app/nhsnumber"
	"clinaudit/app/store"

	"github.com/riverqueue/river"
)

// The clock of the tests: 10 June 2025, noon in London. The children are
// born 3 May 2015 and first assessed 30 days before "now", in cohort 8,
// open until January 2027.
var (
	now = time.Date(2025, time.June, 10, 11, 0, 0, 0, time.UTC)
	dob = store.Date{Year: 2015, Month: time.May, Day: 3}
	fpa = store.NewDate(now.AddDate(0, 0, -30))
)

// Staff at RM332 (two clinicians, an administrator) and a lead clinician
// at RGT01, another trust.
var people = []auth.NewUser{
	{Email: "clin@nca.example", FirstName: "Carl", Surname: "Clin", Role: access.Clinician, Organisation: "RM332"},
	{Email: "second@nca.example", FirstName: "Cleo", Surname: "Second", Role: access.Clinician, Organisation: "RM332"},
	{Email: "admin@nca.example", FirstName: "Abe", Surname: "Admin", Role: access.Administrator, Organisation: "RM332"},
	{Email: "lead@rgt.example", FirstName: "Rita", Surname: "Lead", Role: access.LeadClinician, Organisation: "RGT01"},
}

const carl, cleo = "clin@nca.example", "second@nca.example"

type world struct {
	s     store.Store
	users map[string]store.User
	nhs   int
}

func newWorld(t testing.TB, s store.Store) *world {
	t.Helper()
	ctx := context.Background()
	if err := s.ConfigureJobs(store.JobsConfig{}); err != nil {
		t.Fatal(err)
	}
	a, err := auth.New(s, password.DefaultPolicy(), auth.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	w := &world{s: s, users: map[string]store.User{}}
	for _, p := range people {
		err := s.InTx(ctx, func(tx store.Tx) error {
			u, err := a.CreateUser(ctx, tx, p)
			w.users[p.Email] = u
			return err
		})
		if err != nil {
			t.Fatalf("%s: %v", p.Email, err)
		}
	}
	return w
}

// svc is a new answers service, sharing nothing with earlier ones but the store.
func (w *world) svc() *answers.Service {
	return answers.New(w.s, func() time.Time { return now })
}

func (w *world) me(t testing.TB, email string) children.Me {
	t.Helper()
	u, ok := w.users[email]
	if !ok {
		t.Fatalf("no user %s", email)
	}
	a, err := access.ActorFor(context.Background(), w.s, u)
	if err != nil {
		t.Fatal(err)
	}
	return access.Me{ID: u.ID, Actor: a}
}

type childOpts struct {
	ods                  string // default RM332
	unregistered, locked bool
}

// child inserts a girl born 3 May 2015, registered with a first assessment
// on fpa unless told otherwise.
func (w *world) child(t testing.TB, o childOpts) int64 {
	t.Helper()
	ctx := context.Background()
	if o.ods == "" {
		o.ods = "RM332"
	}
	org, err := w.s.GetOrganisationByODS(ctx, o.ods)
	if err != nil {
		t.Fatal(err)
	}
	var nhs string
	for nhs == "" {
		w.nhs++
		first9 := fmt.Sprintf("999%06d", w.nhs)
		if d, ok := nhsnumber.CheckDigit(first9); ok {
			nhs = first9 + fmt.Sprint(d)
		}
	}
	d, created := dob, now.Add(-time.Hour)
	p := store.InsertChildParams{AuditID: children.NewAuditID(), NHSNumber: &nhs, FirstName: "Ava", Surname: "Smith",
		DateOfBirth: &d, Sex: 2, Postcode: "M68HD", Ethnicity: "A", LeadOrganisationID: org.ID, CreatedAt: created}
	if !o.unregistered {
		f := fpa
		n, ok := cohort.ForDate(f.Time())
		if !ok || !n.IsOpen(now) {
			t.Fatalf("cohort %v of %s is not open", n, f)
		}
		c := int64(n)
		p.FirstPaediatricAssessmentDate, p.EligibilityConfirmed, p.Cohort, p.RegisteredAt = &f, true, &c, &created
	}
	if o.locked {
		p.LockedAt = &created
	}
	id, err := w.s.InsertChild(ctx, p)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func (w *world) load(t testing.TB, email string, id int64) *answers.Loaded {
	t.Helper()
	l, err := w.svc().Load(context.Background(), w.me(t, email).Actor, id)
	if err != nil {
		t.Fatalf("load child %d: %v", id, err)
	}
	if l.Problem != nil {
		t.Fatalf("child %d does not decode: %v", id, l.Problem)
	}
	return l
}

// save saves one answer seen at version seen, failing the test on an error.
func (w *world) save(t testing.TB, email string, id int64, f *forms.Form, k forms.Key, v forms.Literal, seen int64) *answers.Saved {
	t.Helper()
	saved, err := w.svc().Save(context.Background(), w.me(t, email), answers.Save{ChildID: id, Form: f, Key: k, Value: v, Seen: seen})
	if err != nil {
		t.Fatalf("save %s = %s: %v", k, v, err)
	}
	return saved
}

// answer saves at the child's current version.
func (w *world) answer(t testing.TB, id int64, f *forms.Form, field string, v forms.Literal) *answers.Saved {
	t.Helper()
	return w.save(t, carl, id, f, key(f.Section, 0, field), v, w.version(t, id))
}

func (w *world) addRow(t testing.TB, id int64, f *forms.Form, list *forms.Question, clientKey string) (*answers.Saved, int64) {
	t.Helper()
	saved, rowID, err := w.svc().AddRow(context.Background(), w.me(t, carl), answers.AddRow{ChildID: id, Form: f, List: list, ClientKey: clientKey})
	if err != nil {
		t.Fatalf("add %s row: %v", list.RowSection, err)
	}
	return saved, rowID
}

func (w *world) version(t testing.TB, id int64) int64 {
	t.Helper()
	c, err := w.s.GetChild(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return c.Version
}

// trail is the child's audit trail, oldest first.
func (w *world) trail(t testing.TB, id int64) []store.ListAnswerChangesRow {
	t.Helper()
	h, err := w.svc().History(context.Background(), w.me(t, carl).Actor, id, answers.HistoryFilter{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	slices.Reverse(h.Changes)
	return h.Changes
}

// stored is every answer row of the child, by key.
func (w *world) stored(t testing.TB, id int64) map[forms.Key]string {
	t.Helper()
	rows, err := w.s.ListAnswers(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	out := map[forms.Key]string{}
	for _, a := range rows {
		out[key(a.Section, a.RowID, a.Field)] = a.Value
	}
	return out
}

// kpiJobs counts the kpi_score jobs of each child, and checks they wait.
func (w *world) kpiJobs(t testing.TB) map[int64]int {
	t.Helper()
	res, err := w.s.ListJobs(context.Background(), river.NewJobListParams().Kinds("kpi_score").First(1000))
	if err != nil {
		t.Fatal(err)
	}
	out := map[int64]int{}
	for _, j := range res.Jobs {
		var args jobargs.ScoreKPIArgs
		if err := json.Unmarshal(j.EncodedArgs, &args); err != nil {
			t.Fatal(err)
		}
		if j.State != "available" {
			t.Errorf("kpi job for child %d is %s", args.ChildID, j.State)
		}
		out[args.ChildID]++
	}
	return out
}

// checkKPI scores the child and checks the stored result is kpi.Score of
// the child as loaded, coded 1 pass, 0 fail, 2 ineligible, NULL not scored.
func (w *world) checkKPI(t testing.TB, id int64) map[kpi.Outcome]int {
	t.Helper()
	ctx := context.Background()
	if err := w.svc().ScoreChild(ctx, id); err != nil {
		t.Fatal(err)
	}
	l := w.load(t, carl, id)
	want := kpi.Score(l.Audit)
	r, err := w.s.GetKPIResult(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if r.ChildID != id || r.RulesVersion != kpi.RulesVersion || r.DataVersion != l.Version() || !r.ComputedAt.Equal(now) {
		t.Errorf("kpi result of child %d: rules %q, data version %d (child at %d), computed %v",
			r.ChildID, r.RulesVersion, r.DataVersion, l.Version(), r.ComputedAt)
	}
	cols := []*int64{r.PaediatricianWithExpertiseInEpilepsies, r.EpilepsySpecialistNurse, r.TertiaryInput, r.EpilepsySurgeryReferral,
		r.Ecg, r.Mri, r.AssessmentOfMentalHealthIssues, r.MentalHealthSupport, r.SodiumValproate, r.ComprehensiveCarePlanningAgreement,
		r.PatientHeldIndividualisedEpilepsyDocument, r.PatientCarerParentAgreementToTheCarePlanning, r.CarePlanningHasBeenUpdatedWhenNecessary,
		r.ComprehensiveCarePlanningContent, r.ParentalProlongedSeizuresCarePlan, r.WaterSafety, r.FirstAid, r.GeneralParticipationAndRisk,
		r.ServiceContactDetails, r.Sudep, r.SchoolIndividualHealthcarePlan}
	if len(cols) != kpi.NumMeasures {
		t.Fatalf("%d columns for %d measures", len(cols), kpi.NumMeasures)
	}
	codes := map[kpi.Outcome]int64{kpi.Pass: 1, kpi.Fail: 0, kpi.Ineligible: 2}
	seen := map[kpi.Outcome]int{}
	for m := range kpi.NumMeasures {
		o := want.Outcome(kpi.Measure(m))
		seen[o]++
		code, scored := codes[o]
		got := cols[m]
		if scored != (got != nil) || got != nil && *got != code {
			t.Errorf("%s: stored %s, kpi.Score says %s", kpi.Measure(m), show(got), o)
		}
	}
	return seen
}

func show(p *int64) string {
	if p == nil {
		return "NULL"
	}
	return fmt.Sprint(*p)
}

func key(section string, row int64, field string) forms.Key {
	return forms.Key{Section: section, Row: row, Field: field}
}

func lit(v any) forms.Literal {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}

func str(p *string) string {
	if p == nil {
		return "∅"
	}
	return *p
}

// list finds a form's Rows question for a row section (and rescue filter).
func list(f *forms.Form, section string, filter string) *forms.Question {
	var found *forms.Question
	var visit func([]*forms.Question)
	visit = func(qs []*forms.Question) {
		for _, q := range qs {
			if q.Kind == forms.Rows && q.RowSection == section && (q.RowFilter == nil || q.RowFilter.Value == filter) {
				found = q
			}
			visit(q.FollowUps)
		}
	}
	visit(f.Questions)
	if found == nil {
		panic("no list " + section)
	}
	return found
}

// shown visits the questions shown on rec, in order, with the row each is
// asked about; a hidden question's follow-ups are not visited.
func shown(f *forms.Form, rec *forms.Record, fn func(q *forms.Question, row *forms.Row)) {
	var visit func(qs []*forms.Question, row *forms.Row)
	visit = func(qs []*forms.Question, row *forms.Row) {
		for _, q := range qs {
			if !f.Shown(rec, q, row) {
				continue
			}
			fn(q, row)
			if q.Kind != forms.Rows {
				visit(q.FollowUps, row)
				continue
			}
			for _, r := range rec.RowsOf(q.RowSection) {
				if q.RowFilter == nil || string(r.Answers[q.RowFilter.Field]) == q.RowFilter.Value {
					visit(q.RowItems, r)
				}
			}
		}
	}
	visit(f.Questions, nil)
}

// valid is a valid answer to q for the test child: yes, the first choice,
// the first paediatric assessment date (valid for every §4.1 rule,
// including both dates of a pair).
func valid(q *forms.Question) forms.Literal {
	switch q.Kind {
	case forms.YesNo, forms.Confirm:
		return forms.Literal("true")
	case forms.Radios, forms.Select:
		if q.IntCodes {
			return forms.Literal(q.Choices[0].Code)
		}
		return lit(q.Choices[0].Code)
	case forms.Checkboxes:
		return lit([]string{q.Choices[0].Code})
	case forms.Date:
		return lit(fpa.String())
	case forms.Text, forms.TextArea:
		return lit("x")
	case forms.Laterality:
		return lit("left")
	case forms.Centre:
		return lit("RGT01")
	}
	panic(fmt.Sprintf("no answer for %s", q.Field))
}

// keyOf is where q's answer on row is stored.
func keyOf(f *forms.Form, q *forms.Question, row *forms.Row) forms.Key {
	k := key(f.Section, 0, q.Field)
	if row != nil {
		k.Section, k.Row = row.Section, row.ID
	}
	if q.Kind == forms.Centre {
		k.Section = "sites"
	}
	return k
}
