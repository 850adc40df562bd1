package web

import (
	"context"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"clinaudit/app/access"
	"clinaudit/app/auth"
	"clinaudit/app/store"
	"clinaudit/app/store/storetest"
)

// makeStaff creates an account with testPassword that skips the second factor.
func makeStaff(t *testing.T, s store.Store, a *auth.Service, email string, role access.Role, org string) {
	t.Helper()
	ctx := context.Background()
	var u store.User
	err := s.InTx(ctx, func(tx store.Tx) error {
		var err error
		u, err = a.CreateUser(ctx, tx, auth.NewUser{Email: email, FirstName: "Lena", Surname: "Lead", Role: role, Organisation: org, TwoFactorSkip: true})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := a.SetPasswordDirect(ctx, u, testPassword); err != nil {
		t.Fatal(err)
	}
}

func TestStaffPagesInviteListAndDeactivate(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		app, a := authApp(t, s, false)
		makeStaff(t, s, a, "lead@nca.example", access.LeadClinician, "RM332")
		lead := newBrowser(t, app)
		lead.get("/sign-in")
		if p := lead.post("/sign-in", url.Values{"email": {"lead@nca.example"}, "password": {testPassword}}); p.status != 303 {
			t.Fatalf("lead sign-in: %d", p.status)
		}
		// The invite form offers only organisation roles and in-scope organisations.
		p := lead.get("/admin/users/new")
		if p.doc.Find(`input[name="role"][value="national_full"]`).Length() != 0 {
			t.Error("a lead clinician is offered national roles")
		}
		if p.doc.Find(`#organisation option[value="RGT01"]`).Length() != 0 || p.doc.Find(`#organisation option[value="RM335"]`).Length() != 1 {
			t.Error("organisations offered are not those of the lead's trust")
		}
		// Errors next to their fields, input kept.
		p = lead.post("/admin/users", url.Values{"email": {"x@example.org"}, "first_name": {""}, "surname": {"Y"}, "role": {"clinician"}, "organisation": {"RM332"}})
		if p.status != 422 || p.doc.Find(`a[href="#first_name"]`).Length() != 1 || p.doc.Find("#email").AttrOr("value", "") != "x@example.org" {
			t.Errorf("missing first name: %d", p.status)
		}
		// A forged organisation outside scope is refused with a message.
		p = lead.post("/admin/users", url.Values{"email": {"x@example.org"}, "first_name": {"X"}, "surname": {"Y"}, "role": {"clinician"}, "organisation": {"RGT01"}})
		if p.status != 422 || !strings.Contains(p.doc.Find("#organisation-error").Text(), "own trust") {
			t.Errorf("out-of-scope organisation: %d %q", p.status, p.doc.Find("#organisation-error").Text())
		}
		p = lead.post("/admin/users", url.Values{"email": {"Carl@Example.org"}, "first_name": {"Carl"}, "surname": {"Clinician"}, "role": {"clinician"}, "organisation": {"RM335"}})
		if p.status != 303 || !regexp.MustCompile(`^/admin/users/\d+\?done=invited$`).MatchString(p.header.Get("Location")) {
			t.Fatalf("invite: %d %s", p.status, p.header.Get("Location"))
		}
		carlURL := strings.TrimSuffix(p.header.Get("Location"), "?done=invited")
		p = lead.get(p.header.Get("Location"))
		if !strings.Contains(p.doc.Find("#notice").Text(), "invite link") || !strings.Contains(p.doc.Find("#badges").Text(), "Invited, no password yet") {
			t.Errorf("account page after invite: %q / %q", p.doc.Find("#notice").Text(), p.doc.Find("#badges").Text())
		}
		if !strings.Contains(p.doc.Find("#emails").Text(), "set your password") || strings.Contains(p.body, "/account/set-password/") {
			t.Error("the account page does not list the invite email, or shows its link")
		}
		if !strings.Contains(p.doc.Find("#admin-history").Text(), "invited") {
			t.Error("admin history lacks the invite")
		}

		// The list: search, sort links keep filters, htmx gets the fragment.
		p = lead.get("/admin/users?q=carl&sort=email&dir=desc")
		if rows := p.doc.Find("#staff-table tbody tr"); rows.Length() != 1 {
			t.Errorf("search rows %d", rows.Length())
		}
		if href := p.doc.Find(`a[data-sort="email"]`).AttrOr("href", ""); !strings.Contains(href, "q=carl") || strings.Contains(href, "dir=desc") {
			t.Errorf("email header link %q should keep the search and flip the direction", href)
		}
		if aria := p.doc.Find(`th:has(a[data-sort="email"])`).AttrOr("aria-sort", ""); aria != "descending" {
			t.Errorf("aria-sort %q", aria)
		}
		p = lead.htmxGet("/admin/users?status=inactive")
		if strings.Contains(p.body, "<html") || !strings.Contains(p.doc.Find("#staff-count").Text(), "No staff match") {
			t.Errorf("htmx filtered list: %q", p.body)
		}
		// The organisation switcher is re-checked on the server.
		if p := lead.get("/admin/users?org=RGT01"); p.status != 403 {
			t.Errorf("switch to another trust's organisation: %d", p.status)
		}

		// Carl sets a password and signs in; the lead deactivates him; his
		// open page stops working on its next request.
		link := regexp.MustCompile(`/account/set-password/[A-Za-z0-9_-]+`).FindString(lead.get("/demo/mailbox").doc.Find(`.demo-email[data-to="carl@example.org"] pre`).Text())
		carl := newBrowser(t, app)
		carl.get(link)
		if p := carl.post(link, url.Values{"password": {testPassword}, "confirm": {testPassword}}); p.status != 303 {
			t.Fatalf("carl sets password: %d", p.status)
		}
		a.Config.TwoFactorForAll = false
		carl.get("/sign-in")
		carl.post("/sign-in", url.Values{"email": {"carl@example.org"}, "password": {testPassword}})
		if p := carl.get("/account"); p.status != 200 {
			t.Fatalf("carl's account page: %d", p.status)
		}
		lead.get(carlURL)
		if p := lead.post(carlURL+"/deactivate", nil); p.status != 303 {
			t.Fatalf("deactivate: %d", p.status)
		}
		if p := carl.htmxGet("/account"); p.status != 401 {
			t.Errorf("deactivated user's next htmx request: %d", p.status)
		}
		if p := carl.get("/account"); p.status != 303 {
			t.Errorf("deactivated user's next page: %d", p.status)
		}
		p = lead.get(carlURL)
		if !strings.Contains(p.doc.Find("#badges").Text(), "Deactivated") || p.doc.Find("#reactivate").Length() != 1 {
			t.Error("account page does not show the deactivation")
		}
		// Resending an invite to someone with a password says what to do instead.
		lead.get(carlURL)
		if p := lead.post(carlURL+"/resend-invite", nil); p.status != 409 || !strings.Contains(p.body, "Forgot your password") {
			t.Errorf("resend to activated: %d", p.status)
		}
	})
}
