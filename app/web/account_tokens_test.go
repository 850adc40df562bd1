package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"clinaudit/app/access"
	"clinaudit/app/registry"
	"clinaudit/app/store"
	"clinaudit/app/store/storetest"
)

// A person makes a personal API token on their account page, sees it once,
// uses it, and revokes it there.
func TestAccountAPITokens(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		app, a := authApp(t, s, false)
		if err := registry.Install(context.Background(), s, time.Now()); err != nil {
			t.Fatal(err)
		}
		makeStaff(t, s, a, "manager@registry.example", access.RegistryManager, "")
		b := signIn(t, newBrowser(t, app), "manager@registry.example")
		if p := b.get("/account"); !strings.Contains(p.doc.Find("#api-tokens").Next().Text()+p.body, "You have no API tokens.") {
			t.Error("the account page does not say there are no tokens")
		}

		// A mistake is named next to its field.
		p := b.post("/account/api-tokens", url.Values{"name": {""}, "access": {"read"}, "domain": {"registry"}, "days": {"30"}})
		if p.status != 422 || !strings.Contains(p.doc.Find(".nhsuk-error-summary").Text(), "Enter a name, such as the system") ||
			!strings.Contains(p.doc.Find("#name-error").Text(), "Enter a name, such as the system") {
			t.Errorf("no name: %d, summary %q", p.status, p.doc.Find(".nhsuk-error-summary").Text())
		}

		p = b.post("/account/api-tokens", url.Values{"name": {"Lab feed"}, "access": {"write"}, "domain": {"registry"}, "days": {"30"}})
		token := strings.TrimSpace(p.doc.Find("#new-api-token").Text())
		if p.status != 200 || !strings.HasPrefix(token, "clinaudit_pat_") || !strings.Contains(p.body, "shown only this once") {
			t.Fatalf("create: %d, token %q", p.status, token)
		}
		row := p.doc.Find("#api-token-list tbody tr").First().Text()
		if !strings.Contains(row, "Lab feed") || !strings.Contains(row, "write, registry") || !strings.Contains(row, "Active") {
			t.Errorf("the list shows %q", row)
		}
		// Shown once: the next visit lists it without the token.
		if again := b.get("/account"); strings.Contains(again.body, token) || again.doc.Find("#new-api-token").Length() != 0 {
			t.Error("the token is shown again")
		}

		call := func() int {
			req := httptest.NewRequest(http.MethodGet, "/api/v1/registries/"+registry.Slugs()[0]+"/patients", nil)
			req.Header.Set("Authorization", "Bearer "+token)
			resp, err := app.Test(req, -1)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			return resp.StatusCode
		}
		if st := call(); st != 200 {
			t.Errorf("the new token's call: %d", st)
		}
		action, _ := b.get("/account").doc.Find(`form[action^="/account/api-tokens/"]`).Attr("action")
		if p = b.post(action, nil); p.status != 303 {
			t.Fatalf("revoke: %d", p.status)
		}
		if row := b.get("/account").doc.Find("#api-token-list tbody tr").First().Text(); !strings.Contains(row, "Revoked") {
			t.Errorf("after revoking, the list shows %q", row)
		}
		if st := call(); st != 401 {
			t.Errorf("the revoked token's call: %d", st)
		}
		// Another's token cannot be revoked by id.
		makeStaff(t, s, a, "other@registry.example", access.RegistryViewer, "")
		other := signIn(t, newBrowser(t, app), "other@registry.example")
		other.get("/account")
		if p = other.post(action, nil); p.status != 404 {
			t.Errorf("revoking another's token: %d", p.status)
		}
	})
}
