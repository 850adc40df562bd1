package web

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"clinaudit/app/access"
	"clinaudit/app/registry"
	"clinaudit/app/store"
	"clinaudit/app/store/storetest"
)

// Consent versions and settings through their page: a manager publishes
// and changes settings, with messages at the fields; a viewer reads.
func TestConsentAndSettingsPage(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		app, a := authApp(t, s, false)
		a.Config.TwoFactorForAll = false
		if err := registry.Install(ctx, s, time.Now()); err != nil {
			t.Fatal(err)
		}
		makeStaff(t, s, a, "manager@registry.example", access.RegistryManager, "")
		makeStaff(t, s, a, "viewer@registry.example", access.RegistryViewer, "")
		signIn := func(email string) *browser {
			b := newBrowser(t, app)
			b.get("/sign-in")
			b.post("/sign-in", url.Values{"email": {email}, "password": {testPassword}})
			return b
		}
		m := signIn("manager@registry.example")
		p := m.get("/registry/consent")
		current := p.doc.Find("#text").Text()
		if p.status != 200 || p.doc.Find("#versions tbody tr").Length() != 1 || current == "" {
			t.Fatalf("consent page: %d, %d versions", p.status, p.doc.Find("#versions tbody tr").Length())
		}
		if p = m.post("/registry/consent", url.Values{"text": {current}}); p.status != 422 || !strings.Contains(text(p, "#text-error"), "same as version 1") {
			t.Errorf("publishing the same text: %d %q", p.status, text(p, "#text-error"))
		}
		if p = m.post("/registry/consent", url.Values{"text": {"Version two of the words."}}); p.status != 303 {
			t.Fatalf("publish: %d", p.status)
		}
		if p = m.get("/registry/consent?done=published"); p.doc.Find("#versions tbody tr").Length() != 2 || !strings.Contains(text(p, "#notice"), "published") {
			t.Errorf("after publishing: %d versions, %q", p.doc.Find("#versions tbody tr").Length(), text(p, "#notice"))
		}
		bad := url.Values{"verification_hours": {"0"}, "withdrawal_policy": {"burn"}, "delete_after_days": {"30"}, "family_second_factor": {"required"}}
		if p = m.post("/registry/settings", bad); p.status != 422 || text(p, "#verification_hours-error") == "" || text(p, "#withdrawal_policy-error") == "" ||
			p.doc.Find("#verification_hours").AttrOr("value", "") != "0" {
			t.Errorf("bad settings: %d", p.status)
		}
		bad.Set("verification_hours", "48")
		bad.Set("withdrawal_policy", "deidentify")
		if p = m.post("/registry/settings", bad); p.status != 303 {
			t.Fatalf("settings: %d %s", p.status, text(p, ".nhsuk-error-summary"))
		}
		if p = m.get("/registry/consent"); p.doc.Find("#verification_hours").AttrOr("value", "") != "48" ||
			p.doc.Find("#withdrawal_policy-deidentify[checked]").Length() != 1 {
			t.Error("the saved settings are not shown")
		}
		v := signIn("viewer@registry.example")
		if p = v.get("/registry/consent"); p.status != 200 || p.doc.Find("#publish-form, #settings-form").Length() != 0 || p.doc.Find("#versions tbody tr").Length() != 2 {
			t.Errorf("viewer: %d, forms %d", p.status, p.doc.Find("#publish-form, #settings-form").Length())
		}
		if p = v.post("/registry/settings", bad); p.status != 403 {
			t.Errorf("a viewer saved settings: %d", p.status)
		}
	})
}
