package registry_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"clinaudit/app/access"
	"clinaudit/app/apperr"
	"clinaudit/app/registry"
	"clinaudit/app/report"
	"clinaudit/app/store"
	"clinaudit/app/store/storetest"
)

// The report counts the registry's patients and findings for managers and
// viewers, nobody else, and shows what a feature plugs in
// (ReportSections: consent, surveys) after its own sections.
func TestReport(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		now := time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)
		svc := &registry.Service{Store: s, Now: func() time.Time { return now }}
		if err := registry.Install(ctx, s, now); err != nil {
			t.Fatal(err)
		}
		me := access.Me{Actor: access.Actor{Role: access.RegistryManager}}
		p, err := svc.AddPatient(ctx, me, "rett", registry.PatientInput{FirstName: "Amy", Surname: "Smith", Sex: "2", Postcode: "CB2 0QQ",
			DateOfBirth: registry.DateInput{Day: "2", Month: "4", Year: "2015"}}, false, "")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.SaveFinding(ctx, me, p.ID, 0, 0, registry.FindingInput{Gene: "MECP2", Variant: "c.473C>T", Classification: "pathogenic"}, ""); err != nil {
			t.Fatal(err)
		}

		svc.ReportSections = []registry.ReportSection{func(_ context.Context, _ store.Queries, r registry.Registry, at time.Time) ([]report.Section, error) {
			return []report.Section{{ID: "consent", Title: "Consent (" + r.Slug + ", " + at.Format("2006") + ")", Of: "patients", Rows: []report.Row{{Label: "Given", Count: 1}}}}, nil
		}}
		for _, a := range []access.Actor{me.Actor, {Role: access.RegistryViewer}} {
			_, sections, err := svc.Report(ctx, a, "rett")
			if err != nil {
				t.Fatal(err)
			}
			byID := map[string]report.Section{}
			for _, sec := range sections {
				byID[sec.ID] = sec
			}
			if byID["sex"].Total() != 1 || byID["area"].Rows[0].Label != "CB" || byID["classifications"].Rows[0].Label == "pathogenic" {
				t.Errorf("%s: sex %+v, area %+v, classification %+v (labelled, not the code)", a.Role, byID["sex"], byID["area"], byID["classifications"])
			}
			if last := sections[len(sections)-1]; last.ID != "consent" || last.Title != "Consent (rett, 2026)" {
				t.Errorf("the plugged-in section is not last: %+v", last)
			}
		}
		if _, _, err := svc.Report(ctx, access.Actor{Role: access.Clinician}, "rett"); !errors.Is(err, apperr.ErrForbidden) {
			t.Errorf("a clinician's report: %v", err)
		}
	})
}
