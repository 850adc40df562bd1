package storetest_test

import (
	"context"
	"slices"
	"testing"

	"clinaudit/app/store"
	"clinaudit/app/store/storetest"
)

func TestReportQueries(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		check(t, s.InsertPostcodeDeprivation(ctx, store.InsertPostcodeDeprivationParams{Postcode: "CB2 0QQ", LsoaCode: "E01017797", ImdDecile: ptr[int64](3), ImdQuintile: 2}))
		check(t, s.InsertPostcodeDeprivation(ctx, store.InsertPostcodeDeprivationParams{Postcode: "CB2 0QQ", ImdQuintile: 4})) // replaces
		check(t, s.InsertPostcodeDeprivation(ctx, store.InsertPostcodeDeprivationParams{Postcode: "M68HD", ImdQuintile: 1}))
		wantRows(t, "postcodes", get[int64](t)(s.CountPostcodeDeprivation(ctx)), nil, 2)

		// Two children of cohort 8 alike, one of cohort 7, one deleted.
		lead := org(t, s, "RGT01")
		newRegisteredChild(t, s, "C0000001", lead, 8)
		newRegisteredChild(t, s, "C0000002", lead, 8)
		newRegisteredChild(t, s, "C0000003", lead, 7)
		gone := newRegisteredChild(t, s, "C0000004", lead, 8)
		n, err := s.SoftDeleteChild(ctx, store.SoftDeleteChildParams{ID: gone, Version: 2, UpdatedAt: at(3)})
		if err != nil || n != 1 {
			t.Fatalf("SoftDeleteChild = %d, %v", n, err)
		}
		counts := get[[]store.ChildDemographicCount](t)(s.CountChildDemographics(ctx, ptr[int64](8)))
		want := store.ChildDemographicCount{LeadOrganisationID: lead, Sex: 1, Ethnicity: "A", Age: 9, ImdQuintile: 4, Children: 2}
		if len(counts) != 1 || counts[0] != want {
			t.Errorf("CountChildDemographics = %+v; want [%+v]", counts, want)
		}

		check(t, s.DeletePostcodeDeprivation(ctx))
		wantRows(t, "postcodes after delete", get[int64](t)(s.CountPostcodeDeprivation(ctx)), nil, 0)
		if c := get[[]store.ChildDemographicCount](t)(s.CountChildDemographics(ctx, ptr[int64](8))); len(c) != 1 || c[0].ImdQuintile != 0 {
			t.Errorf("without the lookup the quintile is not known (0): %+v", c)
		}

		reg := newRegistry(t, s, "rett")
		a := get[int64](t)(s.InsertRegistryPatient(ctx, patientParams(reg, "R0000001", "Smith", nil)))
		b := get[int64](t)(s.InsertRegistryPatient(ctx, patientParams(reg, "R0000002", "Jones", nil)))
		get[int64](t)(s.InsertRegistryPatient(ctx, patientParams(newRegistry(t, s, "other"), "R0000003", "Other", nil)))
		for _, gene := range []string{"MECP2", "MECP2", "CDKL5"} {
			get[int64](t)(s.InsertRegistryFinding(ctx, store.InsertRegistryFindingParams{PatientID: a, Gene: gene, Variant: "c.1A>G", Classification: "pathogenic", CreatedAt: at(1)}))
		}
		get[int64](t)(s.InsertRegistryFinding(ctx, store.InsertRegistryFindingParams{PatientID: b, Gene: "MECP2", Variant: "c.2A>G", Classification: "pathogenic", CreatedAt: at(1)}))
		patients := get[[]store.RegistryReportPatient](t)(s.ListRegistryReportPatients(ctx, reg))
		if len(patients) != 2 {
			t.Fatalf("ListRegistryReportPatients = %+v; want the registry's 2", patients)
		}
		findings := get[[]store.RegistryFindingCount](t)(s.CountRegistryFindings(ctx, reg))
		wantF := []store.RegistryFindingCount{{Gene: "CDKL5", Classification: "pathogenic", Findings: 1, Patients: 1}, {Gene: "MECP2", Classification: "pathogenic", Findings: 3, Patients: 2}}
		if len(findings) != 2 || findings[0] != wantF[0] || findings[1] != wantF[1] {
			t.Errorf("CountRegistryFindings = %+v; want %+v", findings, wantF)
		}
		n, err = s.SetRegistryPatientDeleted(ctx, store.SetRegistryPatientDeletedParams{ID: b, DeletedAt: ptr(at(2)), UpdatedAt: at(2)})
		if err != nil || n != 1 {
			t.Fatal(n, err)
		}
		if p := get[[]store.RegistryReportPatient](t)(s.ListRegistryReportPatients(ctx, reg)); len(p) != 1 {
			t.Errorf("a deleted patient is counted: %+v", p)
		}
		if f := get[[]store.RegistryFindingCount](t)(s.CountRegistryFindings(ctx, reg)); len(f) != 2 || f[1].Patients != 1 {
			t.Errorf("a deleted patient's findings are counted: %+v", f)
		}

		// Consent in force: each patient's latest statement, grouped.
		// a: given to v1, then to v2 (counted once, under v2); c, d: given
		// to v1, d then withdrawn; e: none; b (deleted): given, not counted.
		v1 := get[int64](t)(s.InsertConsentVersion(ctx, store.InsertConsentVersionParams{RegistryID: reg, Version: 1, Text: "First", PublishedAt: at(0)}))
		v2 := get[int64](t)(s.InsertConsentVersion(ctx, store.InsertConsentVersionParams{RegistryID: reg, Version: 2, Text: "Second", PublishedAt: at(1)}))
		c := get[int64](t)(s.InsertRegistryPatient(ctx, patientParams(reg, "R0000004", "Brown", nil)))
		d := get[int64](t)(s.InsertRegistryPatient(ctx, patientParams(reg, "R0000005", "Green", nil)))
		get[int64](t)(s.InsertRegistryPatient(ctx, patientParams(reg, "R0000006", "White", nil)))
		consent := func(patient, version int64, kind string, take, research bool) {
			p := store.InsertPatientConsentParams{PatientID: patient, VersionID: version, Kind: kind,
				TakePart: take, ResearchContact: research, ShareDeidentified: take, GivenAt: at(2)}
			if kind == "withdrawal" {
				p.WithdrawnAt, p.WithdrawnBy, p.WithdrawnHow = ptr(at(2)), "Jo Green", "post"
			}
			get[int64](t)(s.InsertPatientConsent(ctx, p))
		}
		consent(a, v1, "given", true, false)
		consent(a, v2, "given", true, true)
		consent(b, v2, "given", true, true)
		consent(c, v1, "given", true, false)
		consent(d, v1, "given", true, true)
		consent(d, v1, "withdrawal", false, false)
		wantC := []store.RegistryConsentCount{{VersionNumber: 1, Patients: 1}, {VersionNumber: 1, TakePart: true, ShareDeidentified: true, Patients: 1},
			{VersionNumber: 2, TakePart: true, ResearchContact: true, ShareDeidentified: true, Patients: 1}}
		if got := get[[]store.RegistryConsentCount](t)(s.CountRegistryConsents(ctx, reg)); !slices.Equal(got, wantC) {
			t.Errorf("CountRegistryConsents = %+v; want %+v", got, wantC)
		}
		wantRows(t, "patients without consent", get[int64](t)(s.CountRegistryPatientsWithoutConsent(ctx, reg)), nil, 1)
	})
}
