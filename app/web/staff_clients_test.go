package web

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"clinaudit/app/access"
	"clinaudit/app/registry"
	"clinaudit/app/store"
	"clinaudit/app/store/storetest"
)

// A registry manager registers an API client for a registry viewer's
// account on its staff page; the system exchanges the client's id and
// secret for a token (client credentials) and reads as that account;
// revoking the client ends its tokens.
func TestStaffAPIClients(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		app, a := authApp(t, s, false)
		if err := registry.Install(context.Background(), s, time.Now()); err != nil {
			t.Fatal(err)
		}
		makeStaff(t, s, a, "manager@registry.example", access.RegistryManager, "")
		makeStaff(t, s, a, "lab@registry.example", access.RegistryViewer, "")
		lab, err := s.GetUserByEmail(context.Background(), "lab@registry.example")
		if err != nil {
			t.Fatal(err)
		}
		b := signIn(t, newBrowser(t, app), "manager@registry.example")
		page := "/admin/users/" + itoa(lab.ID)
		if p := b.get(page); !strings.Contains(p.body, "No API clients act as this account.") {
			t.Fatalf("the staff page has no API client part: %d", p.status)
		}
		p := b.post(page+"/api-clients", url.Values{"name": {""}, "access": {"read"}, "domain": {"registry"}})
		if p.status != 422 || !strings.Contains(p.doc.Find("#name-error").Text(), "Enter a name") {
			t.Errorf("no name: %d %q", p.status, p.doc.Find("#name-error").Text())
		}
		p = b.post(page+"/api-clients", url.Values{"name": {"Lab system"}, "access": {"read"}, "domain": {"registry"}})
		id, secret := strings.TrimSpace(p.doc.Find("#new-client-id").Text()), strings.TrimSpace(p.doc.Find("#new-client-secret").Text())
		if p.status != 200 || id == "" || secret == "" {
			t.Fatalf("register: %d id %q", p.status, id)
		}
		if again := b.get(page); strings.Contains(again.body, secret) || !strings.Contains(again.doc.Find("#api-client-list").Text(), "Lab system") {
			t.Error("the secret is shown again, or the client is not listed")
		}

		issue := func(user, pass string) (int, map[string]any) {
			req := httptest.NewRequest(http.MethodPost, "/api/v1/oauth/token", strings.NewReader("grant_type=client_credentials"))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.SetBasicAuth(url.QueryEscape(user), url.QueryEscape(pass))
			resp, err := app.Test(req, -1)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			var out map[string]any
			raw, _ := io.ReadAll(resp.Body)
			_ = json.Unmarshal(raw, &out)
			return resp.StatusCode, out
		}
		call := func(token string) int {
			req := httptest.NewRequest(http.MethodGet, "/api/v1/registries/"+registry.Slugs()[0]+"/patients", nil)
			req.Header.Set("Authorization", "Bearer "+token)
			resp, err := app.Test(req, -1)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			return resp.StatusCode
		}
		if st, out := issue(id, "wrong"); st != 401 || out["error"] != "invalid_client" {
			t.Errorf("a wrong secret: %d %v", st, out)
		}
		st, out := issue(id, secret)
		token, _ := out["access_token"].(string)
		if st != 200 || token == "" || out["token_type"] != "Bearer" || out["expires_in"] != float64(900) || out["scope"] != "read registry" {
			t.Fatalf("token: %d %v", st, out)
		}
		if c := call(token); c != 200 {
			t.Errorf("the client's token: %d", c)
		}
		// The viewer's account cannot see the manager's page's controls.
		viewer := signIn(t, newBrowser(t, app), "lab@registry.example")
		viewer.get("/account")
		action, _ := b.get(page).doc.Find(`form[action$="/revoke"]`).Attr("action")
		if p := viewer.post(action, nil); p.status != 403 && p.status != 404 {
			t.Errorf("the account itself revokes its client: %d", p.status)
		}
		if p := b.post(action, nil); p.status != 303 {
			t.Fatalf("revoke: %d", p.status)
		}
		if c := call(token); c != 401 {
			t.Errorf("a revoked client's token: %d", c)
		}
		if st, _ := issue(id, secret); st != 401 {
			t.Errorf("a revoked client asks for a token: %d", st)
		}
	})
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
