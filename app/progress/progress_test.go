package progress

import (
	"bytes"
	"encoding/json"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"clinaudit/app/audit"
)

func TestForms(t *testing.T) {
	want := []struct{ id, title string }{
		{"registration", "Verification and registration"},
		{"first_paediatric_assessment", "First paediatric assessment"},
		{"epilepsy_context", "Epilepsy context"},
		{"multiaxial_diagnosis", "Multiaxial diagnosis"},
		{"assessment", "Milestones"},
		{"investigations", "Tests"},
		{"management", "Treatment and care planning"},
	}
	forms := Forms()
	if len(forms) != NumForms || NumForms != len(want) {
		t.Fatalf("%d forms (NumForms %d), want %d", len(forms), NumForms, len(want))
	}
	for i, f := range forms {
		if f.ID() != want[i].id || f.Title() != want[i].title || f.String() != want[i].id {
			t.Errorf("form %d = %q %q, want %q %q", i, f.ID(), f.Title(), want[i].id, want[i].title)
		}
		if !audit.KnownField(f.ID()) {
			t.Errorf("%s is not a section of the audit document", f.ID())
		}
	}
	for _, bad := range []Form{-1, Form(NumForms)} {
		if bad.Valid() || bad.ID() != "" || bad.Title() != "" {
			t.Errorf("Form(%d) should be invalid", bad)
		}
		p := Options{Today: fixedToday}.ForForm(emptyForms(), bad)
		if p.Expected != 0 || p.Answered != 0 || p.Status != NotStarted || len(p.Missing) != 0 {
			t.Errorf("Form(%d): %+v", bad, p)
		}
	}
}

func TestStatusText(t *testing.T) {
	for _, tc := range []struct {
		s           Status
		label, text string
	}{
		{NotStarted, "Not started", "not_started"},
		{InProgress, "Incomplete", "in_progress"},
		{Completed, "Completed", "completed"},
	} {
		b, _ := tc.s.MarshalText()
		if tc.s.String() != tc.label || string(b) != tc.text {
			t.Errorf("%d: %q %q, want %q %q", tc.s, tc.s.String(), b, tc.label, tc.text)
		}
	}
}

// TestNothingAnsweredIsNotStarted: a record with nothing answered, whether
// the child, the forms or only the rows are missing, is Not started
// everywhere, at 0%, and never Completed: not "0% Completed".
func TestNothingAnsweredIsNotStarted(t *testing.T) {
	// Expected answers of an empty record, per form in task-list order.
	wantExpected := []int{2, 6, 8, 12, 5, 4, 5}
	const wantTotal = 42
	for name, c := range map[string]*audit.Child{
		"nil child":   nil,
		"no forms":    {},
		"empty forms": emptyForms(),
		"case only":   {Case: &audit.Case{Sex: num(audit.SexFemale), DateOfBirth: day("2010-01-01")}},
		"blank row objects": with(emptyForms(), func(c *audit.Child) {
			c.Episodes, c.Syndromes, c.Comorbidities = []audit.Episode{}, []audit.Syndrome{}, []audit.Comorbidity{}
		}),
	} {
		t.Run(name, func(t *testing.T) {
			s := Options{Today: fixedToday}.Overall(c)
			for i, p := range s.Forms {
				if p.Form != Form(i) {
					t.Errorf("form %d is %v", i, p.Form)
				}
				if p.Status != NotStarted || p.Answered != 0 || p.Percent() != 0 || p.Expected != wantExpected[i] {
					t.Errorf("%v: %d of %d, %v, %d%%; want 0 of %d, Not started, 0%%", p.Form, p.Answered, p.Expected, p.Status, p.Percent(), wantExpected[i])
				}
				checkInvariants(t, p)
			}
			if s.Expected != wantTotal || s.Answered != 0 || s.Percent != 0 || s.CompletedForms != 0 || s.TotalForms != 7 || s.Complete {
				t.Errorf("summary %+v", s)
			}
		})
	}
}

// TestStartedWithoutExpectedAnswers: an answer nobody asked for starts the
// form (the user has been there) but counts for nothing.
func TestStartedWithoutExpectedAnswers(t *testing.T) {
	c := &audit.Child{Investigations: &audit.Investigations{EEGRequestDate: day("2023-06-12")}}
	p := Options{Today: fixedToday}.ForForm(c, Investigations)
	if p.Status != InProgress || p.Answered != 0 || p.Expected != 4 || p.Percent() != 0 {
		t.Errorf("%+v", p)
	}
	checkInvariants(t, p)
}

func TestPercent(t *testing.T) {
	for _, tc := range []struct{ answered, expected, want int }{
		{0, 0, 0},
		{0, 42, 0},
		{1, 3, 33},
		{2, 3, 66},  // rounded down: 66.7
		{1, 200, 1}, // 0.5: at least 1 once anything is answered
		{1, 1000, 1},
		{199, 200, 99}, // 99.5: never 100 before complete
		{78, 79, 98},
		{3, 3, 100},
	} {
		if got := percent(tc.answered, tc.expected); got != tc.want {
			t.Errorf("percent(%d, %d) = %d, want %d", tc.answered, tc.expected, got, tc.want)
		}
	}
}

// docExample returns the JSON block after "<!-- example:<name> -->" in
// docs/data-format.md.
func docExample(t *testing.T, name string) []byte {
	t.Helper()
	md, err := os.ReadFile("../../docs/data-format.md")
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(md), "<!-- example:"+name+" -->\n```json\n")
	if !ok {
		t.Fatalf("docs/data-format.md has no example %q", name)
	}
	block, _, _ := strings.Cut(rest, "```")
	return []byte(block)
}

func documentedChild(t *testing.T) *audit.Child {
	t.Helper()
	c, err := audit.Decode(bytes.NewReader(docExample(t, "child")))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestDocumentedExample: the fully answered child of docs/data-format.md
// (with its general paediatric centre in "sites") is complete, form by
// form; docs/progress.md quotes these counts.
func TestDocumentedExample(t *testing.T) {
	c := documentedChild(t)
	s := Options{Today: fixedToday}.Overall(c)
	want := []int{2, 6, 8, 27, 12, 6, 18}
	for i, p := range s.Forms {
		if p.Expected != want[i] || p.Status != Completed {
			t.Errorf("%v: %d of %d, %v; want %d, Completed; missing %v", p.Form, p.Answered, p.Expected, p.Status, want[i], paths(p.Missing))
		}
		checkInvariants(t, p)
	}
	if !s.Complete || s.CompletedForms != 7 || s.Expected != 79 || s.Answered != 79 || s.Percent != 100 {
		t.Errorf("summary: %d of %d forms, %d of %d answered, %d%%, complete %v", s.CompletedForms, s.TotalForms, s.Answered, s.Expected, s.Percent, s.Complete)
	}

	// Without the centre the paediatrician referral's centre is missing
	// and the audit is not complete; Options.Sites overrides the document.
	d := Options{Sites: &AssumedSites, Today: fixedToday}.Overall(c)
	ms := d.Forms[Assessment]
	if ms.Status != InProgress || len(ms.Missing) != 1 || ms.Missing[0] != (Gap{PathGeneralPaediatricCentre, "assessment.consultant_paediatrician_referral_made"}) {
		t.Errorf("milestones without sites: %+v", ms)
	}
	if d.Complete || d.CompletedForms != 6 || d.Answered != 78 || d.Expected != 79 || d.Percent != 98 {
		t.Errorf("summary without sites: %d of 7 forms, %d of %d, %d%%", d.CompletedForms, d.Answered, d.Expected, d.Percent)
	}
}

// TestExtraAnswersNeverMakeAFormIncomplete is the quirk-9 difference.
//
// Epilepsy12 counts every non-NULL field as "completed" and calls a form
// complete only when completed == expected, exactly. So an answer nobody
// asked for (the free text of a non-epileptic "other" type, a follow-up
// left behind when its question was changed to "no", a second laterality)
// pushes completed past expected and the form can never be complete. We
// count only the expected answers that are given (decisions.md: "extra
// answers never make it incomplete").
//
// Each row gives the numbers Epilepsy12 would compute (§5). Our expected
// count is the same; only what counts as answered differs.
func TestExtraAnswersNeverMakeAFormIncomplete(t *testing.T) {
	valproateBoy := mgBase(aed, func() audit.AntiEpilepsyMedicine {
		v := med(audit.MedicineSodiumValproate, false)
		v.IsAPregnancyPreventionProgrammeInPlace, v.HasAValproateAnnualRiskAcknowledgementFormBeenCompleted = no(), no()
		return v
	}())
	valproateBoy.Case = &audit.Case{Sex: num(audit.SexMale), DateOfBirth: day("2008-01-01")}

	for _, tc := range []struct {
		name                      string
		form                      Form
		child                     *audit.Child
		sites                     *Sites
		e12Expected, e12Completed int
	}{
		// The spec's own example, reachable in Epilepsy12's UI: type
		// "other" expects 2 answers, the free text is a third.
		{"free text of a non-epileptic 'other' type", MultiaxialDiagnosis,
			mdChild(mdBase(), eps(focalLeft(), nonEpileptic("Oth", func(e *audit.Episode) { e.NonepilepticSeizureOther = str("breath holding") }))),
			nil, 21, 22},
		{"two lateralities true", MultiaxialDiagnosis,
			mdChild(mdBase(), eps(epileptic("FO", func(e *audit.Episode) { e.FocalOnsetLeft, e.FocalOnsetRight = yes(), yes() }))),
			nil, 14, 15},
		{"severity left after delay answered no", MultiaxialDiagnosis,
			with(mdChild(mdBase(), eps(focalLeft())), func(c *audit.Child) {
				m := *c.MultiaxialDiagnosis
				m.GlobalDevelopmentalDelayOrLearningDifficultiesSeverity = str("mild")
				c.MultiaxialDiagnosis = &m
			}), nil, 14, 15},
		{"centre still recorded after the referral was answered no", Assessment,
			msBase(), &Sites{Lead: true, GeneralPaediatricCentre: true}, 5, 6},
		{"nurse input date left after input not achieved", Assessment,
			msBase(func(a *audit.Assessment) {
				a.EpilepsySpecialistNurseReferralMade, a.EpilepsySpecialistNurseReferralDate = yes(), day("2023-06-20")
				a.EpilepsySpecialistNurseInputAchieved, a.EpilepsySpecialistNurseInputDate = no(), day("2023-07-01")
			}), nil, 7, 8},
		{"EEG date left after EEG answered no", Investigations,
			&audit.Child{Investigations: &audit.Investigations{EEGIndicated: no(), EEGRequestDate: day("2023-06-12"), TwelveLeadECGStatus: yes(), CTHeadScanStatus: no(), MRIIndicated: no()}},
			nil, 4, 5},
		{"valproate questions answered for a boy", Management, valproateBoy, nil, 8, 10},
		{"care plan answers left after care plan answered no", Management, mgBase(fillCarePlan), nil, 5, 15},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := Options{Sites: tc.sites, Today: fixedToday}.ForForm(tc.child, tc.form)
			if p.Expected != tc.e12Expected {
				t.Errorf("expected %d, Epilepsy12 expects %d", p.Expected, tc.e12Expected)
			}
			e12Complete := tc.e12Completed == tc.e12Expected
			if p.Status != Completed {
				t.Errorf("%v with %d of %d; want Completed (Epilepsy12 complete: %v)", p.Status, p.Answered, p.Expected, e12Complete)
			}
			checkInvariants(t, p)
		})
	}
}

// TestMissingAnswerIsNotHiddenByAnExtraOne is the other half of quirk 9:
// with exact equality, one extra answer can make up for one missing
// answer, and Epilepsy12 calls the form complete while a question is
// still unanswered. Here the EEG was requested and its date is missing,
// while an MRI date is left after "MRI achieved: no". Epilepsy12: 6
// expected, 6 non-NULL, complete. Us: 5 of 6, the EEG date missing.
func TestMissingAnswerIsNotHiddenByAnExtraOne(t *testing.T) {
	c := &audit.Child{Investigations: &audit.Investigations{
		EEGIndicated: yes(), EEGRequestDate: day("2023-06-12"),
		TwelveLeadECGStatus: yes(), CTHeadScanStatus: no(),
		MRIIndicated: no(), MRIBrainRequestedDate: day("2023-06-12"),
	}}
	p := Options{Today: fixedToday}.ForForm(c, Investigations)
	if p.Status != InProgress || p.Expected != 6 || p.Answered != 5 || len(p.Missing) != 1 || p.Missing[0].Path != "investigations.eeg_performed_date" {
		t.Errorf("%+v", p)
	}
}

// TestGapReasons: Because points at the answer that asked for the gap, and
// tells the two medicine lists apart.
func TestGapReasons(t *testing.T) {
	c := mgBase(func(m *audit.Management) { aed(m); rescue(m) })
	p := Options{Today: fixedToday}.ForForm(c, Management)
	var because []string
	for _, g := range p.Missing {
		because = append(because, g.Because)
	}
	want := []string{
		"management.has_an_aed_been_given", "management.has_an_aed_been_given", "management.has_an_aed_been_given",
		"management.has_rescue_medication_been_prescribed", "management.has_rescue_medication_been_prescribed", "management.has_rescue_medication_been_prescribed",
	}
	if strings.Join(because, " ") != strings.Join(want, " ") {
		t.Errorf("because %q", because)
	}

	md := Options{Today: fixedToday}.ForForm(mdChild(mdBase(), eps(epileptic("FO"), ep(audit.StatusNonEpileptic))), MultiaxialDiagnosis)
	got := map[string]string{}
	for _, g := range md.Missing {
		got[g.Path] = g.Because
	}
	for path, because := range map[string]string{
		"episodes[0].focal_onset_left":                   "episodes[0].epileptic_seizure_onset_type",
		"episodes[1].nonepileptic_seizure_unknown_onset": "episodes[1].epilepsy_or_nonepilepsy_status",
	} {
		if got[path] != because {
			t.Errorf("%s: because %q, want %q", path, got[path], because)
		}
	}
	first := Options{Today: fixedToday}.ForForm(emptyForms(), MultiaxialDiagnosis)
	for _, g := range first.Missing {
		if g.Because != "" {
			t.Errorf("empty record: %s because %q; base questions and the first episode have no reason", g.Path, g.Because)
		}
	}
}

// TestOverallCountsForms: sections complete, sums and completion.
func TestOverallCountsForms(t *testing.T) {
	c := emptyForms()
	c.Registration = &audit.Registration{FirstPaediatricAssessmentDate: day("2023-06-12"), EligibilityCriteriaMet: yes()}
	c.Investigations = &audit.Investigations{EEGIndicated: no(), TwelveLeadECGStatus: yes(), CTHeadScanStatus: no(), MRIIndicated: no()}
	c.Management = &audit.Management{HasAnAEDBeenGiven: yes()}
	s := Options{Today: fixedToday}.Overall(c)
	statuses := []Status{Completed, NotStarted, NotStarted, NotStarted, NotStarted, Completed, InProgress}
	for i, p := range s.Forms {
		if p.Status != statuses[i] {
			t.Errorf("%v: %v, want %v", p.Form, p.Status, statuses[i])
		}
		if one := (Options{Today: fixedToday}).ForForm(c, p.Form); one.Expected != p.Expected || one.Answered != p.Answered || one.Status != p.Status {
			t.Errorf("%v: ForForm %+v differs from Overall %+v", p.Form, one, p)
		}
	}
	// 2+4+1 answered of 2+6+8+12+5+4+8 expected.
	if s.CompletedForms != 2 || s.Answered != 7 || s.Expected != 45 || s.Percent != 15 || s.Complete {
		t.Errorf("%+v", s)
	}
}

func TestDefaultOptions(t *testing.T) {
	before := audit.DateOf(time.Now())
	o := Options{}.resolve(nil)
	after := audit.DateOf(time.Now())
	if o.Today.Before(before) || o.Today.After(after) {
		t.Errorf("default today %v, want the current date", o.Today)
	}
	if o.Sites == nil || *o.Sites != AssumedSites || !AssumedSites.Lead {
		t.Errorf("default sites %+v", o.Sites)
	}
	if p := ForForm(nil, Registration); p.Expected != 2 || p.Status != NotStarted {
		t.Errorf("ForForm(nil): %+v", p)
	}
	if s := Overall(nil); s.Expected != 42 || s.TotalForms != 7 {
		t.Errorf("Overall(nil): %+v", s)
	}
}

// TestJSON: a summary encodes with form IDs and status codes, and an empty
// Missing list as [] (not null).
func TestJSON(t *testing.T) {
	b, err := json.Marshal(Options{Today: fixedToday}.ForForm(documentedChild(t), Registration))
	if err != nil {
		t.Fatal(err)
	}
	const want = `{"form":"registration","expected":2,"answered":2,"status":"completed","missing":[]}`
	if string(b) != want {
		t.Errorf("got  %s\nwant %s", b, want)
	}
	b, _ = json.Marshal(Options{Today: fixedToday}.ForForm(&audit.Child{}, Registration))
	if !strings.Contains(string(b), `"missing":[{"path":"registration.first_paediatric_assessment_date"}`) {
		t.Errorf("got %s", b)
	}
}

// TestConcurrentAndPure: many goroutines over one record agree, and the
// record is left as it was.
func TestConcurrentAndPure(t *testing.T) {
	c := documentedChild(t)
	var before bytes.Buffer
	if err := audit.Encode(&before, c); err != nil {
		t.Fatal(err)
	}
	want := Options{Today: fixedToday}.Overall(c)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			got := Options{Today: fixedToday}.Overall(c)
			if got.Answered != want.Answered || got.Expected != want.Expected {
				t.Errorf("concurrent result differs")
			}
		})
	}
	wg.Wait()
	var after bytes.Buffer
	if err := audit.Encode(&after, c); err != nil {
		t.Fatal(err)
	}
	if before.String() != after.String() {
		t.Errorf("the record changed")
	}
	if AssumedSites != (Sites{Lead: true}) {
		t.Errorf("AssumedSites changed: %+v", AssumedSites)
	}
}

// The document's "sites" object is what progress counts for the centres
// when the caller passes none: a referral with its centre chosen is
// complete from the document alone (an imported child, `kpi score`).
func TestSitesFromTheDocument(t *testing.T) {
	yes, ods := true, "RGT01"
	d := audit.Date{Year: 2024, Month: 1, Day: 10}
	c := &audit.Child{Assessment: &audit.Assessment{}}
	a := c.Assessment
	no := false
	a.ChildrensEpilepsySurgicalServiceReferralCriteriaMet, a.ChildrensEpilepsySurgicalServiceReferralMade = &no, &no
	a.PaediatricNeurologistReferralMade, a.EpilepsySpecialistNurseReferralMade = &no, &no
	a.ConsultantPaediatricianReferralMade, a.ConsultantPaediatricianReferralDate = &yes, &d
	a.ConsultantPaediatricianInputAchieved, a.ConsultantPaediatricianInputDate = &yes, &d
	if p := ForForm(c, Assessment); p.Status == Completed {
		t.Errorf("without the centre: %+v", p)
	}
	c.Sites = &audit.Sites{GeneralPaediatricCentre: &ods}
	if p := ForForm(c, Assessment); p.Status != Completed || p.Answered != p.Expected {
		t.Errorf("with the centre in the document: %+v", p)
	}
	if got := SitesOf(c); !got.Lead || !got.GeneralPaediatricCentre || got.PaediatricNeurologyCentre {
		t.Errorf("SitesOf: %+v", got)
	}
}
