package web

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"clinaudit/app/access"
	"clinaudit/app/registry"
	"clinaudit/app/store"
)

var matrixSeq atomic.Int64

// matrixManager acts for the matrix's set-up of registry records.
var matrixManager = access.Me{Actor: access.Actor{Role: access.RegistryManager}}

// matrixRegistry fills a registry route for the access matrix: fresh
// records in the state the route needs (a deleted one to restore, a
// finding to remove, two contacts to merge), and a valid form.
func matrixRegistry(t *testing.T, s store.Store, method, path string) (string, url.Values) {
	t.Helper()
	ctx := context.Background()
	svc := &registry.Service{Store: s, Now: time.Now}
	if err := registry.Install(ctx, s, time.Now()); err != nil {
		t.Fatal(err)
	}
	n := matrixSeq.Add(1)
	patient := func() int64 {
		p, err := svc.AddPatient(ctx, matrixManager, registrySlug(), registry.PatientInput{FirstName: "Mat", Surname: fmt.Sprintf("Rix%d", n),
			DateOfBirth: registry.DateInput{Day: "3", Month: "5", Year: "2015"}, Sex: "2"}, true, "")
		if err != nil {
			t.Fatal(err)
		}
		return p.ID
	}
	contact := func(name string) int64 {
		c, err := svc.AddContact(ctx, matrixManager, registrySlug(), registry.ContactInput{FirstName: name, Surname: fmt.Sprintf("Rix%d", n),
			Email: fmt.Sprintf("m%d@example.org", n), MayContact: true}, true, "")
		if err != nil {
			t.Fatal(err)
		}
		return c.ID
	}
	def := registry.Definitions[registrySlug()]
	form := url.Values{}
	id := func(n int64) string { return fmt.Sprint(n) }
	switch {
	case strings.HasPrefix(path, "/registry/patients/:id"):
		p := patient()
		path = strings.Replace(path, ":id", id(p), 1)
		switch {
		case strings.HasSuffix(path, "/field"):
			if method == "GET" {
				path += "?key=notes"
			}
			form = url.Values{"key": {"notes"}, "notes": {"Seen in clinic"}}
		case strings.HasSuffix(path, "/findings"):
			form = url.Values{"gene": {def.Genes[0]}, "variant": {"c.473C>T"}, "classification": {def.VariantClassifications[0].Code}}
		case strings.Contains(path, ":finding"):
			f, err := svc.SaveFinding(ctx, matrixManager, p, 0, 0, registry.FindingInput{Gene: def.Genes[0], Variant: "c.473C>T",
				Classification: def.VariantClassifications[0].Code}, "")
			if err != nil {
				t.Fatal(err)
			}
			path = strings.Replace(path, ":finding", id(f), 1)
		case strings.HasSuffix(path, "/link"):
			form = url.Values{"contact": {id(contact("Ann"))}, "type": {"mother"}, "legal_authority": {"yes"}, "may_act": {"yes"}, "is_primary": {"yes"}}
		case strings.Contains(path, ":rel"):
			rel, err := svc.Link(ctx, matrixManager, p, contact("Ann"), registry.RelationshipInput{Type: "mother"}, "")
			if err != nil {
				t.Fatal(err)
			}
			path = strings.Replace(path, ":rel", id(rel), 1)
		case strings.HasSuffix(path, "/restore"):
			if err := svc.DeletePatient(ctx, matrixManager, p, ""); err != nil {
				t.Fatal(err)
			}
		case strings.HasSuffix(path, "/withdraw"):
			today := time.Now().In(londonTime)
			form = url.Values{"part": {"research_contact"}, "received_on-day": {fmt.Sprint(today.Day())},
				"received_on-month": {fmt.Sprint(int(today.Month()))}, "received_on-year": {fmt.Sprint(today.Year())},
				"withdrawn_by": {"Ann Rix"}, "how": {"post"}}
		case strings.HasSuffix(path, "/consent"):
			form = url.Values{"take_part": {"yes"}}
		}
	case strings.HasPrefix(path, "/registry/contacts/:id"):
		c := contact("Ann")
		path = strings.Replace(path, ":id", id(c), 1)
		switch {
		case strings.HasSuffix(path, "/field"):
			if method == "GET" {
				path += "?key=notes"
			}
			form = url.Values{"key": {"notes"}, "notes": {"Prefers mornings"}}
		case strings.HasSuffix(path, "/merge"):
			away := contact("Anne")
			path += "?with=" + id(away)
			form = url.Values{"away": {id(away)}, "seen_keep": {"1"}, "seen_away": {"1"}}
		case strings.HasSuffix(path, "/restore"):
			if err := svc.DeleteContact(ctx, matrixManager, c, ""); err != nil {
				t.Fatal(err)
			}
		}
	case strings.HasPrefix(path, "/registry/onboarding/:id"):
		path = strings.Replace(path, ":id", id(matrixSubmission(t, s, n)), 1)
		form = url.Values{"action": {"reject"}, "reason": {"Not this registry"}}
	case path == "/registry/consent" && method == "POST":
		form = url.Values{"text": {fmt.Sprintf("Consent text, edition %d", n)}}
	case path == "/registry/settings":
		form = url.Values{"verification_hours": {"24"}, "withdrawal_policy": {"keep"}, "delete_after_days": {"30"}, "family_second_factor": {"optional"}}
	case path == "/registry/patients" && method == "POST":
		form = url.Values{"first_name": {"New"}, "surname": {fmt.Sprintf("Patient%d", n)}, "date_of_birth-day": {"1"},
			"date_of_birth-month": {"2"}, "date_of_birth-year": {"2016"}, "sex": {"1"}}
	case path == "/registry/contacts" && method == "POST":
		form = url.Values{"first_name": {"New"}, "surname": {fmt.Sprintf("Contact%d", n)}}
	}
	return path, form
}

// matrixSubmission stores a verified onboarding submission, as a family's
// form and email verification leave it, and returns its id.
func matrixSubmission(t *testing.T, s store.Store, n int64) int64 {
	t.Helper()
	ctx := context.Background()
	reg, err := s.GetRegistryBySlug(ctx, registrySlug())
	if err != nil {
		t.Fatal(err)
	}
	v, err := registry.CurrentConsentVersion(ctx, s, reg.ID, registry.Definitions[registrySlug()], time.Now())
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC()
	id, err := s.InsertOnboardingSubmission(ctx, store.InsertOnboardingSubmissionParams{RegistryID: reg.ID, Email: fmt.Sprintf("join%d@example.org", n),
		FirstName: "Jo", Surname: "Rix", Relationship: "mother", PatientFirstName: "Mat", PatientSurname: fmt.Sprintf("Rix%d", n),
		PatientDateOfBirth: store.Date{Year: 2015, Month: 5, Day: 3}, PatientSex: 2, ConsentVersionID: v.ID, TakePart: true,
		TokenHash: fmt.Sprintf("matrix-%d-%d", n, now.UnixNano()), CodeHash: "x", ExpiresAt: now.Add(time.Hour), CreatedAt: now})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.MarkOnboardingVerified(ctx, store.MarkOnboardingVerifiedParams{ID: id, VerifiedAt: &now}); err != nil {
		t.Fatal(err)
	}
	return id
}
