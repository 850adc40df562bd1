package web

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"clinaudit/app/registry"
	"clinaudit/app/store"
	"clinaudit/app/store/storetest"

	"github.com/gofiber/fiber/v2"
)

func TestFamilyConsentWithdrawalAndData(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		app, a := authApp(t, s, false)
		amy := familyFixture(t, s, "sarah@example.org", "Amy")
		b := newBrowser(t, app)
		familySignIn(t, s, a, b, "sarah@example.org")
		consentURL := fmt.Sprintf("/family/patients/%d/consent", amy)

		if r := b.get(consentURL); !strings.Contains(r.doc.Find("#consent-summary").Text(), "No consent has been recorded") {
			t.Errorf("before consent: %q", r.doc.Find("#consent-summary").Text())
		}
		r := b.post(consentURL, url.Values{"take_part": {"yes"}, "research_contact": {"yes"}, "share_deidentified": {"yes"}})
		if r.status != fiber.StatusSeeOther {
			t.Fatalf("consent = %d", r.status)
		}
		page := b.get(consentURL)
		if got := page.doc.Find("#part-research_contact").Text(); got != "Yes" || !strings.Contains(page.doc.Find("#consent-summary").Text(), "version 1") {
			t.Errorf("after consent: research %q, %q", got, page.doc.Find("#consent-summary").Text())
		}

		// Withdraw research contact: recorded at once, in the trail as the family's.
		if r := b.post(fmt.Sprintf("/family/patients/%d/withdraw", amy), url.Values{"part": {"research_contact"}}); r.status != fiber.StatusSeeOther {
			t.Fatalf("withdraw = %d %s", r.status, r.body)
		}
		con, err := registry.ConsentOf(ctx, s, amy)
		if err != nil || !con.TakePart || con.ResearchContact || con.Kind != "withdrawal" || con.MayContact(registry.PartResearchContact) {
			t.Errorf("after withdrawing research contact: %+v, %v", con, err)
		}
		h, _ := s.ListRegistryChanges(ctx, store.ListRegistryChangesParams{PatientID: amy, PageLimit: 50})
		found := false
		for _, c := range h {
			found = found || (c.Entity == "consent" && c.Field == "research_contact" && c.ChangedByName == "Sarah Hughes (family)" && c.NewValue != nil && *c.NewValue == "no")
		}
		if !found {
			t.Errorf("no family-authored withdrawal in the trail: %+v", h)
		}
		// A second click (the back button) does no harm.
		if r := b.post(fmt.Sprintf("/family/patients/%d/withdraw", amy), url.Values{"part": {"research_contact"}}); r.status >= 500 {
			t.Errorf("withdrawing research contact again = %d", r.status)
		}
		if con, _ := registry.ConsentOf(ctx, s, amy); con.ResearchContact || !con.TakePart {
			t.Errorf("after a second withdrawal: %+v", con)
		}
		if r := b.post(fmt.Sprintf("/family/patients/%d/withdraw", amy), url.Values{"part": {"everything"}}); r.status != fiber.StatusUnprocessableEntity {
			t.Errorf("withdrawing an unknown part = %d, want 422", r.status)
		}

		// A new version asks for consent again.
		if _, err := s.GetRegistryBySlug(ctx, registrySlug()); err != nil {
			t.Fatal(err)
		}
		if _, err := (&registry.Service{Store: s, Now: a.Now}).PublishConsent(ctx, matrixManager, registrySlug(), "Version two of the consent text.", ""); err != nil {
			t.Fatal(err)
		}
		if got := b.get("/family").doc.Find("#family-consents").Text(); !strings.Contains(got, "New consent text to read") {
			t.Errorf("home after a new version: %q", got)
		}
		page = b.get(consentURL)
		if !strings.Contains(page.doc.Find("#consent-text").Text(), "Version two") || page.doc.Find("#reconsent").Length() != 1 {
			t.Errorf("consent page after a new version: %q", page.doc.Find("#consent-text").Text())
		}
		b.post(consentURL, url.Values{"take_part": {"yes"}, "share_deidentified": {"yes"}})
		if con, _ := registry.ConsentOf(ctx, s, amy); con.NeedsReconsent || con.VersionNumber != 2 || con.ResearchContact {
			t.Errorf("after re-consent: %+v", con)
		}

		// Everything held about them: readable, and JSON.
		if r := b.get("/family/data"); !strings.Contains(r.doc.Find("h1").Text(), "Sarah Hughes") || !strings.Contains(r.doc.Find(".sa-patient").Text(), "Amy") {
			t.Errorf("data page: %q / %q", r.doc.Find("h1").Text(), r.doc.Find(".sa-patient").Text())
		}
		r = b.get("/family/data?format=json")
		var sa registry.SubjectAccess
		if err := json.Unmarshal([]byte(r.body), &sa); err != nil || sa.Contact.Email != "sarah@example.org" || len(sa.Patients) != 1 || len(sa.Patients[0].Consents) < 3 {
			t.Errorf("JSON download: %v, %+v", err, sa.Contact)
		}
		if !strings.Contains(r.header.Get("Content-Disposition"), "attachment") {
			t.Errorf("JSON download is not an attachment: %q", r.header.Get("Content-Disposition"))
		}
	})
}
