package web

import (
	"context"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"clinaudit/app/access"
	"clinaudit/app/store"
	"clinaudit/app/store/storetest"

	"github.com/PuerkitoBio/goquery"
)

// A registry manager manages the registry's accounts and no others; an
// organisation's lead clinician sees none of them.
func TestStaffPagesRegistryManagerManagesRegistryAccountsOnly(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		app, a := authApp(t, s, false)
		a.Config.TwoFactorForAll = false
		makeStaff(t, s, a, "manager@registry.example", access.RegistryManager, "")
		makeStaff(t, s, a, "lead@nca.example", access.LeadClinician, "RM332")
		makeStaff(t, s, a, "clin@nca.example", access.Clinician, "RM332")
		clin, err := s.GetUserByEmail(ctx, "clin@nca.example")
		if err != nil {
			t.Fatal(err)
		}
		clinURL := fmt.Sprintf("/admin/users/%d", clin.ID)
		m := signIn(t, newBrowser(t, app), "manager@registry.example")

		// The invite form: the registry's two roles, no organisation.
		p := m.get("/admin/users/new")
		var roles []string
		p.doc.Find(`input[name="role"]`).Each(func(_ int, r *goquery.Selection) { roles = append(roles, r.AttrOr("value", "")) })
		if p.status != 200 || strings.Join(roles, ",") != "registry_manager,registry_viewer" || p.doc.Find("#organisation").Length() != 0 {
			t.Fatalf("invite form: %d, roles %v, organisation field %d", p.status, roles, p.doc.Find("#organisation").Length())
		}
		// An audit role, however it was sent, is refused next to the field.
		p = m.post("/admin/users", url.Values{"email": {"carl@example.org"}, "first_name": {"Carl"}, "surname": {"Clin"},
			"role": {"clinician"}, "organisation": {"RM332"}})
		if p.status != 422 || !strings.Contains(text(p, "#role-error"), "cannot give an account this role") {
			t.Errorf("a registry manager inviting a clinician: %d %q", p.status, text(p, "#role-error"))
		}
		p = m.post("/admin/users", url.Values{"email": {"vik@registry.example"}, "first_name": {"Vik"}, "surname": {"Reader"},
			"role": {"registry_viewer"}})
		loc := regexp.MustCompile(`^(/admin/users/\d+)\?done=invited$`).FindStringSubmatch(p.header.Get("Location"))
		if p.status != 303 || loc == nil {
			t.Fatalf("invite a registry viewer: %d %q %s", p.status, p.header.Get("Location"), text(p, ".nhsuk-error-summary"))
		}
		vikURL := loc[1]
		p = m.get(vikURL)
		if text(p, "#role") != "Registry viewer" || !strings.Contains(text(p, "#organisation"), "registry") || !strings.Contains(text(p, "#badges"), "Registry") {
			t.Errorf("the viewer's page: role %q, organisation %q, badges %q", text(p, "#role"), text(p, "#organisation"), text(p, "#badges"))
		}

		// The list: registry accounts alone, without an organisation filter.
		p = m.get("/admin/users?sort=email")
		var listed []string
		p.doc.Find("#staff-table tbody tr td:nth-child(2)").Each(func(_ int, c *goquery.Selection) {
			listed = append(listed, strings.Fields(c.Text())[0])
		})
		if p.status != 200 || strings.Join(listed, ",") != "manager@registry.example,vik@registry.example" || p.doc.Find("#org").Length() != 0 {
			t.Errorf("the registry manager's list: %d %v, organisation filter %d", p.status, listed, p.doc.Find("#org").Length())
		}
		if h := text(p, "#staff-table thead"); strings.Contains(h, "Organisation") || !strings.Contains(h, "Status") {
			t.Errorf("the registry manager's list headers: %q, want no Organisation", h)
		}
		if cells := p.doc.Find("#staff-table tbody tr").First().Find("td").Length(); cells != 5 {
			t.Errorf("the registry manager's list has %d cells a row, want 5 (no organisation)", cells)
		}
		if strings.Contains(strings.ToLower(text(p, "main")), "organisation") {
			t.Errorf("the registry manager's list talks of organisations: %q", text(p, "main"))
		}

		// An audit account: not found, whatever is tried.
		for _, try := range []struct{ method, path string }{{"GET", clinURL}, {"GET", clinURL + "/edit"}, {"POST", clinURL + "/edit"}, {"POST", clinURL + "/deactivate"}} {
			var p response
			if try.method == "GET" {
				p = m.get(try.path)
			} else {
				p = m.post(try.path, url.Values{"role": {"registry_viewer"}})
			}
			if p.status != 404 {
				t.Errorf("%s %s as a registry manager: %d, want 404", try.method, try.path, p.status)
			}
		}

		// The viewer's access: the registry's roles again, no organisation.
		p = m.get(vikURL + "/edit")
		if p.status != 200 || p.doc.Find(`input[name="role"][value="clinician"]`).Length() != 0 || p.doc.Find("#organisation").Length() != 0 {
			t.Errorf("edit form: %d", p.status)
		}
		if p = m.post(vikURL+"/edit", url.Values{"role": {"registry_manager"}}); p.status != 303 {
			t.Fatalf("make the viewer a manager: %d %s", p.status, text(p, ".nhsuk-error-summary"))
		}
		if p = m.get(vikURL); text(p, "#role") != "Registry manager" {
			t.Errorf("after the change the role is %q", text(p, "#role"))
		}
		if p = m.post(vikURL+"/deactivate", nil); p.status != 303 {
			t.Errorf("deactivate: %d", p.status)
		}
		if p = m.get(vikURL); !strings.Contains(text(p, "#badges"), "Deactivated") {
			t.Errorf("after deactivating: %q", text(p, "#badges"))
		}

		// An organisation's lead clinician: no registry account, listed or by address.
		lead := signIn(t, newBrowser(t, app), "lead@nca.example")
		if p = lead.get("/admin/users"); p.status != 200 || strings.Contains(p.body, "@registry.example") || !strings.Contains(p.body, "clin@nca.example") {
			t.Errorf("the lead's list: %d, registry accounts shown %v", p.status, strings.Contains(p.body, "@registry.example"))
		}
		if h := text(p, "#staff-table thead"); !strings.Contains(h, "Organisation") {
			t.Errorf("the lead's list headers: %q, want Organisation", h)
		}
		for _, try := range []struct{ method, path string }{{"GET", vikURL}, {"GET", vikURL + "/edit"}, {"POST", vikURL + "/edit"}, {"POST", vikURL + "/reactivate"}} {
			var p response
			if try.method == "GET" {
				p = lead.get(try.path)
			} else {
				p = lead.post(try.path, url.Values{"role": {"clinician"}, "organisation": {"RM332"}})
			}
			if p.status != 404 {
				t.Errorf("%s %s as a lead clinician: %d, want 404", try.method, try.path, p.status)
			}
		}
	})
}
