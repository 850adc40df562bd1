package storetest_test

import (
	"context"
	"testing"
	"time"

	"clinaudit/app/store"
	"clinaudit/app/store/storetest"
)

// newRegistry writes a registry and returns its id.
func newRegistry(t *testing.T, s store.Queries, slug string) int64 {
	t.Helper()
	id, err := s.UpsertRegistry(context.Background(), store.UpsertRegistryParams{Slug: slug, Name: "Registry " + slug,
		Definition: `{"slug":"` + slug + `"}`, UpdatedAt: at(0)})
	check(t, err)
	return id
}

func patientParams(reg int64, ref, surname string, nhs *string) store.InsertRegistryPatientParams {
	return store.InsertRegistryPatientParams{RegistryID: reg, RegistryRef: ref, FirstName: "Amy", Surname: surname,
		DateOfBirth: *day(2015, 4, 2), Sex: 2, NHSNumber: nhs, CreatedAt: at(0)}
}

func TestRegistryQueries(t *testing.T) {
	storetest.EachParallel(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		reg := newRegistry(t, s, "rett")
		if again := newRegistry(t, s, "rett"); again != reg {
			t.Errorf("UpsertRegistry again = %d, want the same id %d", again, reg)
		}
		newRegistry(t, s, "angelman")
		r := get[store.Registry](t)(s.GetRegistryBySlug(ctx, "rett"))
		if r.ID != reg || r.Name != "Registry rett" || r.Definition != `{"slug":"rett"}` {
			t.Errorf("GetRegistryBySlug = %+v", r)
		}
		_, err := s.GetRegistryBySlug(ctx, "none")
		wantNotFound(t, "GetRegistryBySlug(none)", err)
		if rs := get[[]store.Registry](t)(s.ListRegistries(ctx)); len(rs) != 2 || rs[0].Slug != "angelman" {
			t.Errorf("ListRegistries = %+v, want two by name", rs)
		}

		ann := newUser(t, s, "ann@example.org", nil)
		p := get[int64](t)(s.InsertRegistryPatient(ctx, patientParams(reg, "R0000001", "Smith", nil)))
		c := get[int64](t)(s.InsertRegistryContact(ctx, store.InsertRegistryContactParams{RegistryID: reg, FirstName: "Jo",
			Surname: "Smith", CreatedAt: at(0)}))
		for i, ch := range []store.InsertRegistryChangeParams{
			{Entity: "patient", EntityID: p, PatientID: &p, Field: "surname", OldValue: ptr("Smyth"), NewValue: ptr("Smith"), Version: 2},
			{Entity: "contact", EntityID: c, ContactID: &c, Field: "email", NewValue: ptr("jo@example.org"), Version: 2},
			{Entity: "relationship", EntityID: 9, PatientID: &p, ContactID: &c, Field: "type", NewValue: ptr("mother"), Version: 1},
			{Entity: "patient", EntityID: p, PatientID: &p, Field: "surname", OldValue: ptr("Smith"), NewValue: ptr("Smithe"), Version: 3},
		} {
			ch.RegistryID, ch.Cause, ch.ChangedAt, ch.ChangedBy = reg, "form", at(i), &ann
			check(t, s.InsertRegistryChange(ctx, ch))
		}
		ps := get[[]store.RegistryChange](t)(s.ListRegistryChanges(ctx, store.ListRegistryChangesParams{PatientID: p, PageLimit: 10}))
		if len(ps) != 3 || ps[0].Version != 3 || ps[1].Entity != "relationship" || ps[0].ChangedByName != "Ann Ann" {
			t.Errorf("ListRegistryChanges(patient) = %+v, want its three, newest first", ps)
		}
		if cs := get[[]store.RegistryChange](t)(s.ListRegistryChanges(ctx, store.ListRegistryChangesParams{ContactID: c, PageLimit: 10})); len(cs) != 2 {
			t.Errorf("ListRegistryChanges(contact) = %d rows, want 2", len(cs))
		}
		last := get[store.RegistryChange](t)(s.GetLastRegistryFieldChange(ctx, store.GetLastRegistryFieldChangeParams{Entity: "patient", EntityID: p, Field: "surname"}))
		if last.Version != 3 || *last.NewValue != "Smithe" || *last.ChangedBy != ann {
			t.Errorf("GetLastRegistryFieldChange = %+v", last)
		}
		_, err = s.GetLastRegistryFieldChange(ctx, store.GetLastRegistryFieldChangeParams{Entity: "patient", EntityID: p, Field: "notes"})
		wantNotFound(t, "GetLastRegistryFieldChange(notes)", err)
	})
}

func TestRegistryPatientQueries(t *testing.T) {
	storetest.EachParallel(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		reg := newRegistry(t, s, "rett")
		ann := newUser(t, s, "ann@example.org", nil)
		a := get[int64](t)(s.InsertRegistryPatient(ctx, patientParams(reg, "R0000001", "Smith", ptr("9434765919"))))
		b := get[int64](t)(s.InsertRegistryPatient(ctx, patientParams(reg, "R0000002", "Jones", nil)))
		c := get[int64](t)(s.InsertRegistryPatient(ctx, patientParams(reg, "R0000003", "Adams", nil)))
		_, err := s.InsertRegistryPatient(ctx, patientParams(reg, "R0000004", "Other", ptr("9434765919")))
		wantConflict(t, "InsertRegistryPatient with a taken NHS number", err)
		_, err = s.InsertRegistryPatient(ctx, patientParams(reg, "R0000001", "Other", nil))
		wantConflict(t, "InsertRegistryPatient with a taken registry ID", err)

		p := get[store.RegistryPatient](t)(s.GetRegistryPatient(ctx, a))
		if p.RegistryRef != "R0000001" || *p.NHSNumber != "9434765919" || p.DateOfBirth != *day(2015, 4, 2) || p.Version != 1 || p.DeletedAt != nil {
			t.Errorf("GetRegistryPatient = %+v", p)
		}
		if got := get[store.RegistryPatient](t)(s.GetRegistryPatientByRef(ctx, "R0000002")); got.ID != b {
			t.Errorf("GetRegistryPatientByRef = %d, want %d", got.ID, b)
		}
		_, err = s.GetRegistryPatient(ctx, 999)
		wantNotFound(t, "GetRegistryPatient(999)", err)

		up := store.UpdateRegistryPatientParams{FirstName: "Amy", Surname: "Smith", DateOfBirth: p.DateOfBirth, Sex: 2,
			NHSNumber: p.NHSNumber, ClinicalStatus: "alive", DiagnosisDate: day(2017, 1, 1), Notes: "n",
			UpdatedAt: at(5), UpdatedBy: &ann, ID: a, Version: 1}
		n, err := s.UpdateRegistryPatient(ctx, up)
		wantRows(t, "UpdateRegistryPatient", n, err, 1)
		n, err = s.UpdateRegistryPatient(ctx, up)
		wantRows(t, "UpdateRegistryPatient at a stale version", n, err, 0)
		if p := get[store.RegistryPatient](t)(s.GetRegistryPatient(ctx, a)); p.Version != 2 || p.ClinicalStatus != "alive" || *p.DiagnosisDate != *day(2017, 1, 1) {
			t.Errorf("after UpdateRegistryPatient: %+v", p)
		}
		up.ID, up.Version, up.Surname = b, 1, "Jones"
		_, err = s.UpdateRegistryPatient(ctx, up)
		wantConflict(t, "UpdateRegistryPatient to a taken NHS number", err)

		list := func(f store.RegistryPatientListParams) []string {
			f.RegistryID, f.PageLimit = reg, 10
			var refs []string
			for _, it := range get[[]store.RegistryPatientListItem](t)(s.ListRegistryPatients(ctx, f)) {
				refs = append(refs, it.RegistryRef)
			}
			n := get[int64](t)(s.CountRegistryPatients(ctx, store.CountRegistryPatientsParams{RegistryID: reg,
				Deleted: f.Deleted, Status: f.Status, Query: f.Query}))
			if int(n) != len(refs) {
				t.Errorf("CountRegistryPatients(%+v) = %d, list has %d", f, n, len(refs))
			}
			return refs
		}
		if got := list(store.RegistryPatientListParams{Sort: "surname"}); len(got) != 3 || got[0] != "R0000003" || got[2] != "R0000001" {
			t.Errorf("by surname = %v", got)
		}
		if got := list(store.RegistryPatientListParams{Sort: "registry_ref", Descending: true}); len(got) != 3 || got[0] != "R0000003" {
			t.Errorf("by registry ID, descending = %v", got)
		}
		if got := list(store.RegistryPatientListParams{Sort: "updated_at", Descending: true}); got[0] != "R0000001" {
			t.Errorf("by last change, descending = %v", got)
		}
		for q, want := range map[string]string{"smi": "R0000001", "smith, a": "R0000001", "r0000002": "R0000002", "943476": "R0000001"} {
			if got := list(store.RegistryPatientListParams{Query: q}); len(got) != 1 || got[0] != want {
				t.Errorf("search %q = %v, want %s", q, got, want)
			}
		}
		if got := list(store.RegistryPatientListParams{Status: "alive"}); len(got) != 1 {
			t.Errorf("status alive = %v", got)
		}

		dups := get[[]store.RegistryPatient](t)(s.FindRegistryPatientDuplicates(ctx, store.FindRegistryPatientDuplicatesParams{
			RegistryID: reg, NHSNumber: "9434765919", Surname: "JONES", FirstName: "amy", DateOfBirth: *day(2015, 4, 2)}))
		if len(dups) != 2 || dups[0].ID != a || dups[1].ID != b {
			t.Errorf("FindRegistryPatientDuplicates = %d rows, want Smith by NHS number and Jones by name", len(dups))
		}
		if dups := get[[]store.RegistryPatient](t)(s.FindRegistryPatientDuplicates(ctx, store.FindRegistryPatientDuplicatesParams{
			RegistryID: reg, ExceptID: b, Surname: "Jones", FirstName: "Amy", DateOfBirth: *day(2015, 4, 2)})); len(dups) != 0 {
			t.Errorf("FindRegistryPatientDuplicates except itself = %d rows", len(dups))
		}

		// Findings.
		f := get[int64](t)(s.InsertRegistryFinding(ctx, store.InsertRegistryFindingParams{PatientID: a, Gene: "MECP2",
			Variant: "c.473C>T", Classification: "pathogenic", CreatedAt: at(1), UpdatedBy: &ann}))
		n, err = s.UpdateRegistryFinding(ctx, store.UpdateRegistryFindingParams{Gene: "MECP2", Variant: "c.473C>T",
			Classification: "likely_pathogenic", SourceReport: "lab", UpdatedAt: at(2), ID: f, Version: 1})
		wantRows(t, "UpdateRegistryFinding", n, err, 1)
		if got := get[store.RegistryFinding](t)(s.GetRegistryFinding(ctx, f)); got.Version != 2 || got.Classification != "likely_pathogenic" {
			t.Errorf("GetRegistryFinding = %+v", got)
		}
		get[int64](t)(s.InsertRegistryFinding(ctx, store.InsertRegistryFindingParams{PatientID: a, Gene: "CDKL5", Variant: "c.1A>G", CreatedAt: at(1)}))
		if fs := get[[]store.RegistryFinding](t)(s.ListRegistryFindings(ctx, a)); len(fs) != 2 || fs[0].ID != f {
			t.Errorf("ListRegistryFindings = %+v", fs)
		}
		n, err = s.DeleteRegistryFinding(ctx, f)
		wantRows(t, "DeleteRegistryFinding", n, err, 1)

		// Delete, list, restore, purge.
		n, err = s.SetRegistryPatientDeleted(ctx, store.SetRegistryPatientDeletedParams{DeletedAt: ptr(at(10)), DeletedBy: &ann, UpdatedAt: at(10), ID: c})
		wantRows(t, "SetRegistryPatientDeleted", n, err, 1)
		if got := list(store.RegistryPatientListParams{Deleted: "yes"}); len(got) != 1 || got[0] != "R0000003" {
			t.Errorf("deleted patients = %v", got)
		}
		if got := list(store.RegistryPatientListParams{}); len(got) != 2 {
			t.Errorf("patients not deleted = %v", got)
		}
		up.ID, up.Version, up.NHSNumber = c, 2, nil
		n, err = s.UpdateRegistryPatient(ctx, up)
		wantRows(t, "UpdateRegistryPatient of a deleted patient", n, err, 0)
		n, err = s.SetRegistryPatientDeleted(ctx, store.SetRegistryPatientDeletedParams{UpdatedAt: at(11), ID: b})
		wantRows(t, "SetRegistryPatientDeleted(restore)", n, err, 1)
		if ids := get[[]int64](t)(s.ListRegistryPatientsToPurge(ctx, store.ListRegistryPatientsToPurgeParams{Before: ptr(at(10)), PageLimit: 10})); len(ids) != 0 {
			t.Errorf("ListRegistryPatientsToPurge before the deletion = %v", ids)
		}
		ids := get[[]int64](t)(s.ListRegistryPatientsToPurge(ctx, store.ListRegistryPatientsToPurgeParams{Before: ptr(at(10).Add(time.Second)), PageLimit: 10}))
		if len(ids) != 1 || ids[0] != c {
			t.Fatalf("ListRegistryPatientsToPurge = %v, want [%d]", ids, c)
		}
		check(t, s.InsertRegistryChange(ctx, store.InsertRegistryChangeParams{RegistryID: reg, Entity: "patient", EntityID: c,
			PatientID: &c, Field: "deleted", Version: 2, Cause: "deletion", ChangedAt: at(10)}))
		check(t, s.DeleteRegistryPatientChanges(ctx, &c))
		if cs := get[[]store.RegistryChange](t)(s.ListRegistryChanges(ctx, store.ListRegistryChangesParams{PatientID: c, PageLimit: 10})); len(cs) != 0 {
			t.Errorf("after DeleteRegistryPatientChanges, %d changes", len(cs))
		}
		n, err = s.PurgeRegistryPatient(ctx, a)
		wantRows(t, "PurgeRegistryPatient of a patient not deleted", n, err, 0)
		n, err = s.PurgeRegistryPatient(ctx, c)
		wantRows(t, "PurgeRegistryPatient", n, err, 1)
		_, err = s.GetRegistryPatient(ctx, c)
		wantNotFound(t, "GetRegistryPatient after the purge", err)
	})
}

func TestRegistryContactQueries(t *testing.T) {
	storetest.EachParallel(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		reg := newRegistry(t, s, "rett")
		ann := newUser(t, s, "ann@example.org", nil)
		amy := get[int64](t)(s.InsertRegistryPatient(ctx, patientParams(reg, "R0000001", "Smith", nil)))
		ben := get[int64](t)(s.InsertRegistryPatient(ctx, patientParams(reg, "R0000002", "Smith", nil)))
		contact := func(first, email, phone string) int64 {
			return get[int64](t)(s.InsertRegistryContact(ctx, store.InsertRegistryContactParams{RegistryID: reg, FirstName: first,
				Surname: "Smith", Email: email, Phone: phone, PreferredChannel: "email", MayContact: true, CreatedAt: at(0), CreatedBy: &ann}))
		}
		jo, jo2, sam := contact("Jo", "jo@example.org", ""), contact("Jo", "", "+447700900123"), contact("Sam", "sam@example.org", "+447700900123")
		c := get[store.RegistryContact](t)(s.GetRegistryContact(ctx, jo))
		if c.Email != "jo@example.org" || !c.MayContact || c.NeedsReview || c.Version != 1 || c.PreferredChannel != "email" {
			t.Errorf("GetRegistryContact = %+v", c)
		}
		_, err := s.GetRegistryContact(ctx, 999)
		wantNotFound(t, "GetRegistryContact(999)", err)
		n, err := s.UpdateRegistryContact(ctx, store.UpdateRegistryContactParams{FirstName: "Jo", Surname: "Smith", Email: "jo@example.org",
			Address: "1 High Street\nCambridge", Postcode: "CB20QQ", PreferredLanguage: "en", PreferredChannel: "letter",
			UpdatedAt: at(1), UpdatedBy: &ann, ID: jo, Version: 1})
		wantRows(t, "UpdateRegistryContact", n, err, 1)
		if c := get[store.RegistryContact](t)(s.GetRegistryContact(ctx, jo)); c.Version != 2 || c.MayContact || c.PreferredChannel != "letter" {
			t.Errorf("after UpdateRegistryContact: %+v", c)
		}

		dups := get[[]store.RegistryContact](t)(s.FindRegistryContactDuplicates(ctx, store.FindRegistryContactDuplicatesParams{
			RegistryID: reg, ExceptID: sam, Email: "sam@example.org", Phone: "+447700900123", Surname: "Smith", FirstName: "Sam"}))
		if len(dups) != 1 || dups[0].ID != jo2 {
			t.Errorf("FindRegistryContactDuplicates(phone) = %+v, want jo2", dups)
		}
		if dups := get[[]store.RegistryContact](t)(s.FindRegistryContactDuplicates(ctx, store.FindRegistryContactDuplicatesParams{
			RegistryID: reg, Surname: "SMITH", FirstName: "jo"})); len(dups) != 2 {
			t.Errorf("FindRegistryContactDuplicates(name) = %d, want both Jos", len(dups))
		}

		r1 := get[int64](t)(s.InsertRegistryRelationship(ctx, store.InsertRegistryRelationshipParams{PatientID: amy, ContactID: jo,
			Type: "mother", LegalAuthority: true, MayAct: true, IsPrimary: true, StartDate: day(2015, 4, 2), CreatedAt: at(2)}))
		r2 := get[int64](t)(s.InsertRegistryRelationship(ctx, store.InsertRegistryRelationshipParams{PatientID: ben, ContactID: jo2,
			Type: "mother", CreatedAt: at(2)}))
		get[int64](t)(s.InsertRegistryRelationship(ctx, store.InsertRegistryRelationshipParams{PatientID: amy, ContactID: sam,
			Type: "sibling", CreatedAt: at(2)}))
		if r := get[store.RegistryRelationship](t)(s.GetRegistryRelationship(ctx, r1)); !r.LegalAuthority || !r.IsPrimary || *r.StartDate != *day(2015, 4, 2) {
			t.Errorf("GetRegistryRelationship = %+v", r)
		}
		_, err = s.InsertRegistryRelationship(ctx, store.InsertRegistryRelationshipParams{PatientID: amy, ContactID: jo,
			Type: "mother", StartDate: day(2020, 1, 1), EndDate: day(2019, 1, 1), CreatedAt: at(2)})
		if err == nil {
			t.Error("a relationship ending before it starts was stored")
		}
		// The merge of jo2 into jo moves ben's link.
		n, err = s.UpdateRegistryRelationship(ctx, store.UpdateRegistryRelationshipParams{ContactID: jo, Type: "mother",
			UpdatedAt: at(3), ID: r2, Version: 1})
		wantRows(t, "UpdateRegistryRelationship", n, err, 1)
		links := get[[]store.RegistryLink](t)(s.ListRegistryLinks(ctx, store.ListRegistryLinksParams{ContactID: jo}))
		if len(links) != 2 || links[0].ID != r1 || links[1].PatientID != ben || links[0].ContactEmail != "jo@example.org" {
			t.Errorf("ListRegistryLinks(jo) = %+v, want amy (primary) then ben", links)
		}
		if links := get[[]store.RegistryLink](t)(s.ListRegistryLinks(ctx, store.ListRegistryLinksParams{PatientID: amy})); len(links) != 2 || links[1].ContactFirstName != "Sam" {
			t.Errorf("ListRegistryLinks(amy) = %+v", links)
		}
		n, err = s.SetRegistryContactDeleted(ctx, store.SetRegistryContactDeletedParams{DeletedAt: ptr(at(4)), DeletedBy: &ann,
			MergedIntoID: &jo, UpdatedAt: at(4), ID: jo2})
		wantRows(t, "SetRegistryContactDeleted", n, err, 1)
		n, err = s.SetRegistryContactReview(ctx, store.SetRegistryContactReviewParams{NeedsReview: true, UpdatedAt: at(5), ID: sam})
		wantRows(t, "SetRegistryContactReview", n, err, 1)
		n, err = s.SetRegistryContactReview(ctx, store.SetRegistryContactReviewParams{NeedsReview: true, UpdatedAt: at(5), ID: sam})
		wantRows(t, "SetRegistryContactReview again", n, err, 0)
		n, err = s.DeleteRegistryRelationship(ctx, store.DeleteRegistryRelationshipParams{DeletedAt: ptr(at(6)), ID: r1})
		wantRows(t, "DeleteRegistryRelationship", n, err, 1)
		n, err = s.UpdateRegistryRelationship(ctx, store.UpdateRegistryRelationshipParams{ContactID: jo, Type: "father", UpdatedAt: at(6), ID: r1, Version: 2})
		wantRows(t, "UpdateRegistryRelationship of a deleted link", n, err, 0)
		n, err = s.PurgeRegistryRelationships(ctx, ptr(at(6)))
		wantRows(t, "PurgeRegistryRelationships before the deletion", n, err, 0)
		n, err = s.PurgeRegistryRelationships(ctx, ptr(at(7)))
		wantRows(t, "PurgeRegistryRelationships", n, err, 1)
		_, err = s.GetRegistryRelationship(ctx, r1)
		wantNotFound(t, "GetRegistryRelationship after the purge", err)

		list := func(f store.RegistryContactListParams) []store.RegistryContactListItem {
			f.RegistryID, f.PageLimit = reg, 10
			items := get[[]store.RegistryContactListItem](t)(s.ListRegistryContacts(ctx, f))
			n := get[int64](t)(s.CountRegistryContacts(ctx, store.CountRegistryContactsParams{RegistryID: reg, Deleted: f.Deleted, Review: f.Review, Query: f.Query}))
			if int(n) != len(items) {
				t.Errorf("CountRegistryContacts(%+v) = %d, list has %d", f, n, len(items))
			}
			return items
		}
		if got := list(store.RegistryContactListParams{}); len(got) != 2 || got[0].ID != jo || got[0].CurrentLinks != 1 || got[1].ID != sam {
			t.Errorf("contacts = %+v, want jo (one current link) and sam", got)
		}
		for _, o := range []struct {
			sort string
			desc bool
			want []int64
		}{{"surname", false, []int64{jo, sam}}, {"surname", true, []int64{sam, jo}}, {"updated_at", true, []int64{sam, jo}}} {
			got := list(store.RegistryContactListParams{Sort: o.sort, Descending: o.desc})
			if len(got) != 2 || got[0].ID != o.want[0] || got[1].ID != o.want[1] {
				t.Errorf("contacts by %s (desc %v) = %+v, want %v", o.sort, o.desc, got, o.want)
			}
		}
		if got := list(store.RegistryContactListParams{Review: true}); len(got) != 1 || got[0].ID != sam || !got[0].NeedsReview {
			t.Errorf("contacts to review = %+v", got)
		}
		if got := list(store.RegistryContactListParams{Query: "+44770"}); len(got) != 1 || got[0].ID != sam {
			t.Errorf("search by phone = %+v", got)
		}
		if got := list(store.RegistryContactListParams{Deleted: "yes"}); len(got) != 1 || got[0].ID != jo2 {
			t.Errorf("deleted contacts = %+v", got)
		}

		ids := get[[]int64](t)(s.ListRegistryContactsToPurge(ctx, store.ListRegistryContactsToPurgeParams{Before: ptr(at(5)), PageLimit: 10}))
		if len(ids) != 1 || ids[0] != jo2 {
			t.Fatalf("ListRegistryContactsToPurge = %v", ids)
		}
		check(t, s.InsertRegistryChange(ctx, store.InsertRegistryChangeParams{RegistryID: reg, Entity: "contact", EntityID: jo2,
			ContactID: &jo2, Field: "deleted", Version: 2, Cause: "merge", ChangedAt: at(4)}))
		check(t, s.ClearRegistryMergedInto(ctx, &jo))
		if c := get[store.RegistryContact](t)(s.GetRegistryContact(ctx, jo2)); c.MergedIntoID != nil {
			t.Errorf("after ClearRegistryMergedInto: merged into %d", *c.MergedIntoID)
		}
		check(t, s.DeleteRegistryContactChanges(ctx, &jo2))
		if cs := get[[]store.RegistryChange](t)(s.ListRegistryChanges(ctx, store.ListRegistryChangesParams{ContactID: jo2, PageLimit: 10})); len(cs) != 0 {
			t.Errorf("after DeleteRegistryContactChanges, %d changes", len(cs))
		}
		n, err = s.PurgeRegistryContact(ctx, jo2)
		wantRows(t, "PurgeRegistryContact", n, err, 1)
		n, err = s.PurgeRegistryContact(ctx, jo)
		wantRows(t, "PurgeRegistryContact of a contact not deleted", n, err, 0)
	})
}
