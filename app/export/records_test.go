package export_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"io"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"clinaudit/app/access"
	"clinaudit/app/answers"
	"clinaudit/app/audit"
	"clinaudit/app/children"
	"clinaudit/app/export"
	"clinaudit/app/nhsnumber"
	"clinaudit/app/store"
	"clinaudit/app/store/storetest"
)

func ptr[T any](v T) *T { return &v }

var nhsRand = rand.New(rand.NewPCG(8, 8))

// recordChild imports a child at ods with a name, NHS number, date of
// birth, postcode and an episode described in free text naming them; it
// returns the child's id and the identifying values.
func recordChild(t *testing.T, s store.Store, ods, name string) (int64, []string) {
	t.Helper()
	ctx := context.Background()
	o, err := s.GetOrganisationByODS(ctx, ods)
	if err != nil {
		t.Fatal(err)
	}
	nhs := nhsnumber.Generate(nhsRand)
	dob := audit.Date{Year: 2014, Month: time.March, Day: 17}
	fpa := audit.DateOf(time.Now().AddDate(0, 0, -30))
	doc := &audit.Child{
		Case: &audit.Case{NHSNumber: &nhs, FirstName: ptr(name), Surname: ptr("Quixotic"), Sex: ptr(2), DateOfBirth: &dob,
			Postcode: ptr("CB20QQ"), Ethnicity: ptr("A")},
		Registration:        &audit.Registration{FirstPaediatricAssessmentDate: &fpa, EligibilityCriteriaMet: ptr(true)},
		MultiaxialDiagnosis: &audit.MultiaxialDiagnosis{},
		Episodes: []audit.Episode{{HasDescriptionOfTheEpisodeOrEpisodesBeenGathered: ptr(true),
			Description: ptr(name + " fell off the swing at Quixotic Farm")}},
	}
	svc := &answers.Service{Store: s, Children: &children.Service{Store: s, Now: time.Now}}
	id, err := svc.Import(ctx, answers.SystemActor(o), answers.Import{Organisation: o, Child: doc, RequestID: "export test"})
	if err != nil {
		t.Fatalf("import: %v", err)
	}
	return id, []string{nhs, name, "Quixotic", "2014-03-17", "CB20QQ", "swing"}
}

func TestDeidentifyAndPseudonym(t *testing.T) {
	doc := &audit.Child{Case: &audit.Case{NHSNumber: ptr("9434765919"), UniqueReferenceNumber: ptr("JY123"), FirstName: ptr("A"),
		Surname: ptr("B"), DateOfBirth: &audit.Date{Year: 2014, Month: 1, Day: 1}, Postcode: ptr("CB20QQ"), Sex: ptr(1), Ethnicity: ptr("A")},
		Episodes: []audit.Episode{{Description: ptr("text"), NonepilepticSeizureOther: ptr("other"), EpisodeDefinition: ptr("a")}}}
	export.Deidentify(doc)
	if c := doc.Case; c.NHSNumber != nil || c.UniqueReferenceNumber != nil || c.FirstName != nil || c.Surname != nil ||
		c.DateOfBirth != nil || c.Postcode != nil || c.Sex == nil || c.Ethnicity == nil {
		t.Errorf("case after Deidentify: %+v", c)
	}
	if e := doc.Episodes[0]; e.Description != nil || e.NonepilepticSeizureOther != nil || e.EpisodeDefinition == nil {
		t.Errorf("episode after Deidentify: %+v", e)
	}
	k1, k2 := bytes.Repeat([]byte{1}, 32), bytes.Repeat([]byte{2}, 32)
	if a, b := export.Pseudonym(k1, 42), export.Pseudonym(k1, 42); a != b || len(a) != 16 {
		t.Errorf("pseudonym not stable: %q %q", a, b)
	}
	if export.Pseudonym(k1, 42) == export.Pseudonym(k2, 42) || export.Pseudonym(k1, 42) == export.Pseudonym(k1, 43) {
		t.Error("pseudonyms collide across keys or children")
	}
	if _, err := export.NewRecordWriter(io.Discard, export.Options{Format: export.CSV, Deidentified: true}); err == nil {
		t.Error("a de-identified writer without a key")
	}
}

// The flat CSV: one line per answer, forms' rows numbered from 1, lists of
// choices joined by "|", text a spreadsheet would run as a formula
// escaped.
func TestFlatCSV(t *testing.T) {
	doc := &audit.Child{Case: &audit.Case{FirstName: ptr("=HYPERLINK(1)"), Sex: ptr(1)},
		Registration: &audit.Registration{EligibilityCriteriaMet: ptr(true)},
		Episodes:     []audit.Episode{{EpisodeDefinition: ptr("a")}, {DescriptionKeywords: []string{"Aura", "Jerk"}}}}
	var b bytes.Buffer
	rw, err := export.NewRecordWriter(&b, export.Options{Format: export.CSV})
	if err != nil {
		t.Fatal(err)
	}
	if err := rw.Write(store.ChildListItem{ID: 1, AuditID: "ABC123", OrganisationOds: "RGT01"}, doc); err != nil {
		t.Fatal(err)
	}
	if err := rw.Close(); err != nil {
		t.Fatal(err)
	}
	want := "child,lead_organisation,section,row,field,value\r\n" +
		"ABC123,RGT01,case,,first_name,'=HYPERLINK(1)\r\n" +
		"ABC123,RGT01,case,,sex,1\r\n" +
		"ABC123,RGT01,registration,,eligibility_criteria_met,true\r\n" +
		"ABC123,RGT01,episodes,1,episode_definition,a\r\n" +
		"ABC123,RGT01,episodes,2,description_keywords,Aura|Jerk\r\n"
	if b.String() != want {
		t.Errorf("CSV\n%s\nwant\n%s", b.String(), want)
	}
}

// exportWorld: children at RGT01 (trust RGT), RM332 (trust RM3) and a
// lead clinician at each trust, a clinician at RGT01, a national user.
type exportWorld struct {
	s        store.Store
	users    map[string]access.Me
	children map[string][]string // identifying values by ODS code
}

func newExportWorld(t *testing.T, s store.Store) *exportWorld {
	t.Helper()
	ctx := context.Background()
	if err := s.ConfigureJobs(store.JobsConfig{}); err != nil {
		t.Fatal(err)
	}
	w := &exportWorld{s: s, users: map[string]access.Me{}, children: map[string][]string{}}
	for _, c := range []struct{ ods, name string }{{"RGT01", "Zebedee"}, {"RGT01", "Ermintrude"}, {"RM332", "Dougal"}} {
		_, ids := recordChild(t, s, c.ods, c.name)
		w.children[c.ods] = append(w.children[c.ods], ids...)
	}
	for _, u := range []struct {
		key  string
		role access.Role
		ods  string
	}{{"lead-rgt", access.LeadClinician, "RGT01"}, {"lead-rm3", access.LeadClinician, "RM332"}, {"clin-rgt", access.Clinician, "RGT01"},
		{"national", access.NationalFull, ""}} {
		p := store.CreateUserParams{Email: u.key + "@example.org", FirstName: "Ex", Surname: "Porter", Role: string(u.role), CreatedAt: time.Now()}
		if u.ods != "" {
			o, err := s.GetOrganisationByODS(ctx, u.ods)
			if err != nil {
				t.Fatal(err)
			}
			p.OrganisationID = &o.ID
		}
		id, err := s.CreateUser(ctx, p)
		if err != nil {
			t.Fatal(err)
		}
		user, err := s.GetUser(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		a, err := access.ActorFor(ctx, s, user)
		if err != nil {
			t.Fatal(err)
		}
		w.users[u.key] = access.Me{ID: id, Actor: a}
	}
	return w
}

// run asks for an export as who and runs its job in place; it returns the
// export and its file, plain.
func (w *exportWorld) run(t *testing.T, who string, req export.Request) (store.RecordExport, string) {
	t.Helper()
	ctx := context.Background()
	id, err := export.Ask(ctx, w.s, w.users[who], req, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	r := &export.Runner{Store: w.s, Answers: &answers.Service{Store: w.s, Children: &children.Service{Store: w.s, Now: time.Now}}}
	if err := r.RunExport(ctx, id, true); err != nil {
		t.Fatal(err)
	}
	return w.download(t, who, id)
}

func (w *exportWorld) download(t *testing.T, who string, id int64) (store.RecordExport, string) {
	t.Helper()
	x, r, err := export.Open(context.Background(), w.s, w.users[who], id, time.Now())
	if err != nil {
		t.Fatalf("open export %d as %s: %v (%+v)", id, who, err, x)
	}
	plain, err := export.Gunzip(r)
	if err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(plain)
	if err != nil {
		t.Fatal(err)
	}
	if int64(len(b)) != x.Size {
		t.Errorf("export %d: %d bytes, size says %d", id, len(b), x.Size)
	}
	return x, string(b)
}

// A de-identified export, in either format, holds none of the identifying
// values; each child has one pseudonym throughout, a different one from
// the others'. An identifiable one holds them, and its JSON lines are the
// documents clinaudit export writes.
func TestRecordExportsDeidentifyAndScope(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		w := newExportWorld(t, s)
		svc := &answers.Service{Store: s, Children: &children.Service{Store: s, Now: time.Now}}
		identifying := append(append([]string(nil), w.children["RGT01"]...), w.children["RM332"]...)

		for _, format := range []string{export.JSONL, export.CSV} {
			x, file := w.run(t, "national", export.Request{Format: format, Deidentified: true})
			if x.Status != "ready" || x.Children != 3 || x.Chunks < 1 {
				t.Fatalf("%s: export %+v", format, x)
			}
			for _, v := range identifying {
				if strings.Contains(file, v) {
					t.Errorf("de-identified %s export contains %q:\n%s", format, v, file)
				}
			}
			pseudonyms := map[string]bool{}
			if format == export.JSONL {
				for _, line := range strings.Split(strings.TrimSpace(file), "\n") {
					var rec struct {
						Pseudonym        string          `json:"pseudonym"`
						LeadOrganisation string          `json:"lead_organisation"`
						Case             map[string]any  `json:"case"`
						Registration     json.RawMessage `json:"registration"`
					}
					if err := json.Unmarshal([]byte(line), &rec); err != nil {
						t.Fatal(err)
					}
					pseudonyms[rec.Pseudonym] = true
					if len(rec.Pseudonym) != 16 || rec.LeadOrganisation == "" || rec.Case["sex"] == nil || rec.Registration == nil {
						t.Errorf("de-identified line %s", line)
					}
				}
			} else {
				rows, err := csv.NewReader(strings.NewReader(file)).ReadAll()
				if err != nil {
					t.Fatal(err)
				}
				perChild := map[string]map[string]bool{} // pseudonym → sections
				for _, r := range rows[1:] {
					if perChild[r[0]] == nil {
						perChild[r[0]] = map[string]bool{}
					}
					perChild[r[0]][r[2]] = true
					pseudonyms[r[0]] = true
				}
				for p, sections := range perChild {
					if !sections["case"] || !sections["registration"] || !sections["episodes"] {
						t.Errorf("child %s has sections %v", p, sections)
					}
				}
			}
			if len(pseudonyms) != 3 {
				t.Errorf("%s: pseudonyms %v, want 3", format, pseudonyms)
			}
		}

		// Identifiable JSON lines: the documents themselves.
		_, file := w.run(t, "lead-rgt", export.Request{Format: export.JSONL})
		var want strings.Builder
		enc := json.NewEncoder(&want)
		enc.SetEscapeHTML(false)
		if _, err := export.EachChild(context.Background(), s, svc, export.Selection{Scope: "RGT"}, func(_ store.ChildListItem, doc *audit.Child) error {
			return enc.Encode(doc)
		}); err != nil {
			t.Fatal(err)
		}
		if file != want.String() || strings.Count(file, "\n") != 2 {
			t.Errorf("lead clinician's export:\n%s\nwant\n%s", file, want.String())
		}
		for _, v := range w.children["RGT01"] {
			if !strings.Contains(file, v) {
				t.Errorf("identifiable export lacks %q", v)
			}
		}
		for _, v := range w.children["RM332"][:1] { // another trust's child: not there
			if strings.Contains(file, v) {
				t.Errorf("RGT's lead clinician exported RM332's child (%s)", v)
			}
		}
		// National: everyone; one organisation: only its children.
		if x, _ := w.run(t, "national", export.Request{Format: export.CSV}); x.Children != 3 {
			t.Errorf("national export of %d children", x.Children)
		}
		rm332, _ := s.GetOrganisationByODS(context.Background(), "RM332")
		if x, f := w.run(t, "national", export.Request{Format: export.CSV, Organisation: &rm332}); x.Children != 1 || !strings.Contains(f, "Dougal") {
			t.Errorf("RM332's export: %+v", x)
		}
		if x, _ := w.run(t, "lead-rgt", export.Request{Format: export.CSV, Cohort: 5}); x.Children != 0 {
			t.Errorf("cohort 5 export of %d children", x.Children)
		}
	})
}
