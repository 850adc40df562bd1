package web

import (
	"context"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"clinaudit/app/access"
	"clinaudit/app/registry"
	"clinaudit/app/store"
	"clinaudit/app/store/storetest"
)

var patientIDRE = regexp.MustCompile(`^/registry/patients/(\d+)\?done=added$`)

func registryPatientForm(first, surname string) url.Values {
	return url.Values{"first_name": {first}, "surname": {surname}, "date_of_birth-day": {"4"}, "date_of_birth-month": {"6"},
		"date_of_birth-year": {"2016"}, "sex": {"2"}, "nhs_number": {""}}
}

func TestRegistryPagesAddSaveViewAndRefuse(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		app, a := authApp(t, s, false)
		a.Config.TwoFactorForAll = false
		if err := registry.Install(context.Background(), s, time.Now()); err != nil {
			t.Fatal(err)
		}
		makeStaff(t, s, a, "manager@registry.example", access.RegistryManager, "")
		makeStaff(t, s, a, "manager2@registry.example", access.RegistryManager, "")
		makeStaff(t, s, a, "viewer@registry.example", access.RegistryViewer, "")
		makeStaff(t, s, a, "clinician@nca.example", access.Clinician, "RM332")

		// A registry manager lands on the registry, with its link and none of the audit's.
		m := newBrowser(t, app)
		m.get("/sign-in")
		if p := m.post("/sign-in", url.Values{"email": {"manager@registry.example"}, "password": {testPassword}}); p.header.Get("Location") != "/registry/patients" {
			t.Fatalf("registry manager lands on %q (%d)", p.header.Get("Location"), p.status)
		}
		p := m.get("/registry/patients")
		if p.status != 200 || p.doc.Find("#nav-registry").Length() != 1 || p.doc.Find("#nav-children").Length() != 0 {
			t.Fatalf("patient list: %d %s, registry link %d, children link %d", p.status, p.body, p.doc.Find("#nav-registry").Length(), p.doc.Find("#nav-children").Length())
		}

		// Bad input: 422, the summary first, each message next to its field.
		m.get("/registry/patients/new")
		bad := registryPatientForm("", "Smith")
		bad.Set("date_of_birth-day", "")
		bad.Set("nhs_number", "123")
		p = m.post("/registry/patients", bad)
		if p.status != 422 {
			t.Fatalf("bad patient: %d", p.status)
		}
		for _, href := range []string{"#first_name", "#date_of_birth-day", "#nhs_number"} {
			if p.doc.Find(`.nhsuk-error-summary a[href="`+href+`"]`).Length() != 1 {
				t.Errorf("error summary lacks a link to %s: %q", href, text(p, ".nhsuk-error-summary"))
			}
		}
		if text(p, "#first_name-error") == "" || text(p, "#nhs_number-error") == "" || !strings.HasPrefix(text(p, "title"), "Error:") {
			t.Errorf("messages next to the fields: first name %q, NHS number %q, title %q", text(p, "#first_name-error"), text(p, "#nhs_number-error"), text(p, "title"))
		}

		// Added; a second with the same name and date of birth is a warning
		// with a link, added only when confirmed.
		p = m.post("/registry/patients", registryPatientForm("Ava", "Smith"))
		loc := patientIDRE.FindStringSubmatch(p.header.Get("Location"))
		if p.status != 303 || loc == nil {
			t.Fatalf("add patient: %d %q", p.status, p.header.Get("Location"))
		}
		patient := "/registry/patients/" + loc[1]
		m.get("/registry/patients/new")
		p = m.post("/registry/patients", registryPatientForm("Ava", "Smith"))
		if p.status != 409 || p.doc.Find(`#duplicates a[href="`+patient+`"]`).Length() != 1 || text(p, "#save") != "Add anyway" {
			t.Fatalf("duplicate: %d %q", p.status, text(p, "#duplicates"))
		}
		again := registryPatientForm("Ava", "Smith")
		again.Set("confirm", "yes")
		if p = m.post("/registry/patients", again); p.status != 303 {
			t.Fatalf("add anyway: %d", p.status)
		}
		// The list writes dates and NHS numbers as people read them, and
		// nothing where a patient has no NHS number.
		m.get("/registry/patients/new")
		withNumber := registryPatientForm("Ivy", "Jones")
		withNumber.Set("nhs_number", "9434765919")
		if p = m.post("/registry/patients", withNumber); p.status != 303 {
			t.Fatalf("add a patient with an NHS number: %d %q", p.status, text(p, ".nhsuk-error-summary"))
		}
		p = m.get("/registry/patients?sort=surname")
		rows := text(p, "#patient-table tbody")
		if !strings.Contains(rows, "943 476 5919") || !strings.Contains(rows, "4 June 2016") || strings.Contains(rows, "nil") {
			t.Errorf("patient list rows: %q", rows)
		}

		// Autosave: a bad value is refused next to the field, a good one saved.
		p = m.get(patient)
		if p.status != 200 || p.doc.Find(`[data-autosave][data-key="nhs_number"]`).Length() != 1 {
			t.Fatalf("patient page: %d", p.status)
		}
		p = m.htmxPost(patient+"/field", url.Values{"key": {"nhs_number"}, "nhs_number": {"123"}, "v": {"1"}})
		if p.status != 422 || !strings.Contains(p.body, "Not saved") || text(p, ".nhsuk-error-message") == "" {
			t.Errorf("bad NHS number saved: %d %q", p.status, p.body)
		}
		p = m.htmxPost(patient+"/field", url.Values{"key": {"notes"}, "notes": {"Seen in clinic"}, "v": {"1"}})
		if p.status != 200 || text(p, "#st-notes") != "Saved" {
			t.Errorf("notes: %d %q", p.status, p.body)
		}
		p = m.htmxPost(patient+"/field", url.Values{"key": {"no_such"}, "v": {"1"}})
		if p.status != 422 {
			t.Errorf("unknown field: %d", p.status)
		}
		// Someone else's later change to the same field is a conflict, per field.
		m2 := signIn(t, newBrowser(t, app), "manager2@registry.example")
		m2.get(patient)
		if p = m2.htmxPost(patient+"/field", url.Values{"key": {"notes"}, "notes": {"Moved away"}, "v": {"2"}}); p.status != 200 {
			t.Fatalf("second manager's save: %d", p.status)
		}
		p = m.htmxPost(patient+"/field", url.Values{"key": {"notes"}, "notes": {"Seen again"}, "v": {"2"}})
		if p.status != 409 || !strings.Contains(text(p, "#conflict-notes"), "Moved away") {
			t.Errorf("conflict: %d %q", p.status, p.body)
		}

		// Linking with nothing chosen: 422 with the messages, nothing added.
		m.get(patient + "/link")
		p = m.post(patient+"/link", url.Values{"type": {""}})
		if p.status != 422 || text(p, "#contact-error") == "" || text(p, "#type-error") == "" {
			t.Errorf("empty link: %d contact %q type %q", p.status, text(p, "#contact-error"), text(p, "#type-error"))
		}
		m.get(patient + "/link")
		p = m.post(patient+"/link", url.Values{"contact": {"new"}, "first_name": {"Mia"}, "surname": {"Smith"}, "email": {"mia@example.org"},
			"type": {"mother"}, "legal_authority": {"yes"}, "may_act": {"yes"}, "is_primary": {"yes"}})
		if p.status != 303 {
			t.Fatalf("link a new contact: %d %q", p.status, text(p, ".nhsuk-error-summary"))
		}
		p = m.get(patient)
		if !strings.Contains(text(p, "#relationships ~ .nhsuk-card"), "Mia Smith") {
			t.Errorf("relationship not shown: %q", p.doc.Find(".nhsuk-card").Text())
		}
		p = m.get(patient + "/history")
		if p.status != 200 || !strings.Contains(text(p, "#history-table"), "Moved away") {
			t.Errorf("history: %d %q", p.status, text(p, "#history-table"))
		}

		// A viewer sees no identifiers and no contacts.
		v := signIn(t, newBrowser(t, app), "viewer@registry.example")
		p = v.get("/registry/patients")
		if p.status != 200 || strings.Contains(p.body, "Smith") || p.doc.Find("#redacted").Length() != 1 {
			t.Errorf("viewer's list shows names: %d", p.status)
		}
		p = v.get(patient)
		if p.status != 200 || strings.Contains(p.body, "Smith") || strings.Contains(p.body, "Seen in clinic") || p.doc.Find("[data-autosave]").Length() != 0 {
			t.Errorf("viewer's patient page shows identifiers or edits: %d", p.status)
		}
		if p = v.get("/registry/contacts"); p.status != 403 {
			t.Errorf("viewer's contacts: %d", p.status)
		}
		if p = v.htmxPost(patient+"/field", url.Values{"key": {"notes"}, "notes": {"x"}}); p.status != 403 {
			t.Errorf("viewer saves: %d", p.status)
		}

		// Audit roles have no registry.
		cl := signIn(t, newBrowser(t, app), "clinician@nca.example")
		if p = cl.get("/registry/patients"); p.status != 403 {
			t.Errorf("clinician's registry: %d", p.status)
		}
		if p = cl.get("/"); p.doc.Find("#nav-registry").Length() != 0 {
			t.Error("clinician sees the Registry link")
		}
	})
}
