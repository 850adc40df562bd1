package storetest_test

import (
	"context"
	"testing"

	"clinaudit/app/store"
	"clinaudit/app/store/storetest"
)

func submissionParams(reg, version int64, email, token string) store.InsertOnboardingSubmissionParams {
	return store.InsertOnboardingSubmissionParams{RegistryID: reg, Email: email, FirstName: "Jo", Surname: "Smith",
		Relationship: "mother", LegalAuthority: true, PatientFirstName: "Amy", PatientSurname: "Smith",
		PatientDateOfBirth: *day(2015, 4, 2), PatientSex: 2, PatientNhsNumber: ptr("9434765919"), ConsentVersionID: version,
		TakePart: true, ResearchContact: true, TokenHash: token, CodeHash: "c-" + token, ExpiresAt: at(60), CreatedAt: at(0)}
}

func TestRegistryOnboardingQueries(t *testing.T) {
	storetest.EachParallel(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		reg := newRegistry(t, s, "rett")
		ann := newUser(t, s, "ann@example.org", nil)
		v1 := get[int64](t)(s.InsertConsentVersion(ctx, store.InsertConsentVersionParams{RegistryID: reg, Version: 1, Text: "First", PublishedAt: at(0)}))

		a := get[int64](t)(s.InsertOnboardingSubmission(ctx, submissionParams(reg, v1, "jo@example.org", "t1")))
		b := get[int64](t)(s.InsertOnboardingSubmission(ctx, submissionParams(reg, v1, "jo@example.org", "t2")))
		_, err := s.InsertOnboardingSubmission(ctx, submissionParams(reg, v1, "kim@example.org", "t2"))
		wantConflict(t, "InsertOnboardingSubmission(same token)", err)
		got := get[store.OnboardingSubmission](t)(s.GetOnboardingSubmission(ctx, a))
		if got.Status != "pending" || got.PatientDateOfBirth.String() != "2015-04-02" || got.PatientNhsNumber == nil ||
			!got.LegalAuthority || !got.TakePart || got.ShareDeidentified || got.VerifiedAt != nil || !got.ExpiresAt.Equal(at(60)) {
			t.Errorf("GetOnboardingSubmission = %+v", got)
		}
		_, err = s.GetOnboardingSubmission(ctx, a+100)
		wantNotFound(t, "GetOnboardingSubmission(none)", err)
		if got := get[store.OnboardingSubmission](t)(s.GetOnboardingByToken(ctx, "t2")); got.ID != b {
			t.Errorf("GetOnboardingByToken = %d, want %d", got.ID, b)
		}
		_, err = s.GetOnboardingByToken(ctx, "nope")
		wantNotFound(t, "GetOnboardingByToken(none)", err)

		pend := get[[]store.OnboardingSubmission](t)(s.ListPendingOnboardingForEmail(ctx, store.ListPendingOnboardingForEmailParams{RegistryID: reg, Email: "jo@example.org", Now: at(10)}))
		if len(pend) != 2 || pend[0].ID != b {
			t.Errorf("ListPendingOnboardingForEmail = %d rows, want both, newest first", len(pend))
		}
		if pend := get[[]store.OnboardingSubmission](t)(s.ListPendingOnboardingForEmail(ctx, store.ListPendingOnboardingForEmailParams{RegistryID: reg, Email: "jo@example.org", Now: at(61)})); len(pend) != 0 {
			t.Errorf("ListPendingOnboardingForEmail after expiry = %d rows", len(pend))
		}
		n, err := s.CountOnboardingCodeFailure(ctx, a)
		wantRows(t, "CountOnboardingCodeFailure", n, err, 1)
		n, err = s.MarkOnboardingVerified(ctx, store.MarkOnboardingVerifiedParams{ID: b, VerifiedAt: ptr(at(61))})
		wantRows(t, "MarkOnboardingVerified(expired)", n, err, 0)
		n, err = s.MarkOnboardingVerified(ctx, store.MarkOnboardingVerifiedParams{ID: a, VerifiedAt: ptr(at(5))})
		wantRows(t, "MarkOnboardingVerified", n, err, 1)
		n, err = s.MarkOnboardingVerified(ctx, store.MarkOnboardingVerifiedParams{ID: a, VerifiedAt: ptr(at(6))})
		wantRows(t, "MarkOnboardingVerified(again)", n, err, 0)
		if got := get[store.OnboardingSubmission](t)(s.GetOnboardingSubmission(ctx, a)); got.Status != "verified" || got.CodeFailures != 1 || got.VerifiedAt == nil {
			t.Errorf("after verification = %+v", got)
		}
		if q := get[[]store.OnboardingSubmission](t)(s.ListOnboardingSubmissions(ctx, store.ListOnboardingSubmissionsParams{RegistryID: reg, Status: "verified", PageLimit: 10})); len(q) != 1 || q[0].ID != a {
			t.Errorf("ListOnboardingSubmissions(verified) = %+v", q)
		}
		if c := get[int64](t)(s.CountOnboardingSubmissions(ctx, store.CountOnboardingSubmissionsParams{RegistryID: reg, Status: "pending"})); c != 1 {
			t.Errorf("CountOnboardingSubmissions(pending) = %d, want 1", c)
		}

		p := get[int64](t)(s.InsertRegistryPatient(ctx, patientParams(reg, "R0000001", "Smith", nil)))
		c := get[int64](t)(s.InsertRegistryContact(ctx, store.InsertRegistryContactParams{RegistryID: reg, FirstName: "Jo", Surname: "Smith", CreatedAt: at(0)}))
		decide := store.DecideOnboardingSubmissionParams{ID: a, Status: "approved", DecidedAt: ptr(at(7)), DecidedBy: &ann, PatientID: &p, ContactID: &c}
		n, err = s.DecideOnboardingSubmission(ctx, decide)
		wantRows(t, "DecideOnboardingSubmission", n, err, 1)
		n, err = s.DecideOnboardingSubmission(ctx, decide)
		wantRows(t, "DecideOnboardingSubmission(again)", n, err, 0)
		n, err = s.DecideOnboardingSubmission(ctx, store.DecideOnboardingSubmissionParams{ID: b, Status: "rejected", DecidedAt: ptr(at(7))})
		wantRows(t, "DecideOnboardingSubmission(unverified)", n, err, 0)
		if all := get[[]store.OnboardingSubmission](t)(s.ListOnboardingForEmail(ctx, store.ListOnboardingForEmailParams{RegistryID: reg, Email: "jo@example.org"})); len(all) != 2 || all[0].ID != a || all[0].Status != "approved" || *all[0].PatientID != p {
			t.Errorf("ListOnboardingForEmail = %+v", all)
		}
		n, err = s.PurgeUnverifiedOnboarding(ctx, at(0))
		wantRows(t, "PurgeUnverifiedOnboarding(none old enough)", n, err, 0)
		n, err = s.PurgeUnverifiedOnboarding(ctx, at(1))
		wantRows(t, "PurgeUnverifiedOnboarding", n, err, 1)
		n, err = s.PurgeDecidedOnboarding(ctx, ptr(at(7)))
		wantRows(t, "PurgeDecidedOnboarding(not yet)", n, err, 0)
		n, err = s.PurgeDecidedOnboarding(ctx, ptr(at(8)))
		wantRows(t, "PurgeDecidedOnboarding", n, err, 1)
	})
}

func TestRegistryConsentQueries(t *testing.T) {
	storetest.EachParallel(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		reg := newRegistry(t, s, "rett")
		ann := newUser(t, s, "ann@example.org", nil)
		_, err := s.GetCurrentConsentVersion(ctx, reg)
		wantNotFound(t, "GetCurrentConsentVersion(none)", err)
		v1 := get[int64](t)(s.InsertConsentVersion(ctx, store.InsertConsentVersionParams{RegistryID: reg, Version: 1, Text: "First", PublishedAt: at(0)}))
		v2 := get[int64](t)(s.InsertConsentVersion(ctx, store.InsertConsentVersionParams{RegistryID: reg, Version: 2, Text: "Second", PublishedAt: at(5), PublishedBy: &ann}))
		_, err = s.InsertConsentVersion(ctx, store.InsertConsentVersionParams{RegistryID: reg, Version: 2, Text: "Again", PublishedAt: at(6)})
		wantConflict(t, "InsertConsentVersion(same version)", err)
		if cur := get[store.ConsentVersion](t)(s.GetCurrentConsentVersion(ctx, reg)); cur.ID != v2 || cur.Text != "Second" {
			t.Errorf("GetCurrentConsentVersion = %+v", cur)
		}
		if v := get[store.ConsentVersion](t)(s.GetConsentVersion(ctx, v1)); v.Version != 1 || v.PublishedBy != nil {
			t.Errorf("GetConsentVersion = %+v", v)
		}
		if vs := get[[]store.ConsentVersion](t)(s.ListConsentVersions(ctx, reg)); len(vs) != 2 || vs[0].ID != v2 {
			t.Errorf("ListConsentVersions = %+v", vs)
		}

		p := get[int64](t)(s.InsertRegistryPatient(ctx, patientParams(reg, "R0000001", "Smith", nil)))
		q := get[int64](t)(s.InsertRegistryPatient(ctx, patientParams(reg, "R0000002", "Jones", nil)))
		c := get[int64](t)(s.InsertRegistryContact(ctx, store.InsertRegistryContactParams{RegistryID: reg, FirstName: "Jo", Surname: "Smith",
			Email: "jo@example.org", MayContact: true, CreatedAt: at(0)}))
		for _, pid := range []int64{p, q} {
			get[int64](t)(s.InsertRegistryRelationship(ctx, store.InsertRegistryRelationshipParams{PatientID: pid, ContactID: c, Type: "mother",
				LegalAuthority: true, MayAct: true, CreatedAt: at(0)}))
		}
		_, err = s.GetCurrentPatientConsent(ctx, p)
		wantNotFound(t, "GetCurrentPatientConsent(none)", err)
		get[int64](t)(s.InsertPatientConsent(ctx, store.InsertPatientConsentParams{PatientID: p, ContactID: &c, VersionID: v1, Kind: "given",
			TakePart: true, ResearchContact: true, ShareDeidentified: true, GivenAt: at(1)}))
		get[int64](t)(s.InsertPatientConsent(ctx, store.InsertPatientConsentParams{PatientID: q, ContactID: &c, VersionID: v2, Kind: "given",
			TakePart: true, GivenAt: at(6)}))
		if rs := get[[]store.ReconsentRecipient](t)(s.ListReconsentRecipients(ctx, store.ListReconsentRecipientsParams{RegistryID: reg, Version: 2})); len(rs) != 1 || rs[0].PatientID != p || rs[0].Email != "jo@example.org" {
			t.Errorf("ListReconsentRecipients = %+v, want Smith's mother only (Jones is on version 2)", rs)
		}
		w := get[int64](t)(s.InsertPatientConsent(ctx, store.InsertPatientConsentParams{PatientID: p, VersionID: v1, Kind: "withdrawal",
			GivenAt: at(8), RecordedBy: &ann, WithdrawnAt: ptr(at(7)), WithdrawnBy: "Jo Smith", WithdrawnHow: "post", DeleteDueAt: ptr(at(20))}))
		cur := get[store.PatientConsent](t)(s.GetCurrentPatientConsent(ctx, p))
		if cur.ID != w || cur.TakePart || cur.VersionNumber != 1 || cur.RecordedByName != "Ann Ann" || cur.ContactName != "" || cur.WithdrawnHow != "post" {
			t.Errorf("GetCurrentPatientConsent = %+v", cur)
		}
		if all := get[[]store.PatientConsent](t)(s.ListPatientConsents(ctx, p)); len(all) != 2 || all[1].ContactName != "Jo Smith" || all[0].ID != w {
			t.Errorf("ListPatientConsents = %+v", all)
		}
		if rs := get[[]store.ReconsentRecipient](t)(s.ListReconsentRecipients(ctx, store.ListReconsentRecipientsParams{RegistryID: reg, Version: 2})); len(rs) != 0 {
			t.Errorf("ListReconsentRecipients after withdrawal = %+v, want none", rs)
		}
		if due := get[[]int64](t)(s.ListConsentDeletionsDue(ctx, store.ListConsentDeletionsDueParams{Now: ptr(at(19)), PageLimit: 10})); len(due) != 0 {
			t.Errorf("ListConsentDeletionsDue early = %v", due)
		}
		if due := get[[]int64](t)(s.ListConsentDeletionsDue(ctx, store.ListConsentDeletionsDueParams{Now: ptr(at(20)), PageLimit: 10})); len(due) != 1 || due[0] != p {
			t.Errorf("ListConsentDeletionsDue = %v, want [%d]", due, p)
		}

		_, err = s.GetRegistrySettings(ctx, reg)
		wantNotFound(t, "GetRegistrySettings(never saved)", err)
		set := store.UpsertRegistrySettingsParams{RegistryID: reg, VerificationHours: 24, WithdrawalPolicy: "delete",
			WithdrawalDeleteAfterDays: 30, FamilySecondFactor: "optional", UpdatedAt: at(1), UpdatedBy: &ann}
		check(t, s.UpsertRegistrySettings(ctx, set))
		set.VerificationHours, set.WithdrawalPolicy = 48, "deidentify"
		check(t, s.UpsertRegistrySettings(ctx, set))
		if got := get[store.RegistrySettings](t)(s.GetRegistrySettings(ctx, reg)); got.VerificationHours != 48 || got.WithdrawalPolicy != "deidentify" {
			t.Errorf("GetRegistrySettings = %+v", got)
		}
		set.VerificationHours = 0
		if err := s.UpsertRegistrySettings(ctx, set); err == nil {
			t.Error("UpsertRegistrySettings(0 hours) was accepted")
		}

		check(t, s.InsertRegistryChange(ctx, store.InsertRegistryChangeParams{RegistryID: reg, Entity: "submission", EntityID: 7, Field: "status",
			OldValue: ptr("verified"), NewValue: ptr("rejected"), Version: 1, Cause: "onboarding", Note: "Not a patient", ChangedAt: at(2), ChangedBy: &ann}))
		check(t, s.InsertRegistryChange(ctx, store.InsertRegistryChangeParams{RegistryID: reg, Entity: "consent", EntityID: w, PatientID: &p, Field: "take_part",
			OldValue: ptr("yes"), NewValue: ptr("no"), Version: 1, Cause: "withdrawal", ChangedAt: at(3)}))
		if cs := get[[]store.RegistryChange](t)(s.ListRegistryEntityChanges(ctx, store.ListRegistryEntityChangesParams{RegistryID: reg, Entity: "submission", EntityID: 7, PageLimit: 10})); len(cs) != 1 || cs[0].Note != "Not a patient" || cs[0].ChangedByName != "Ann Ann" {
			t.Errorf("ListRegistryEntityChanges = %+v", cs)
		}
	})
}
