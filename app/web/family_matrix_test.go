package web

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"clinaudit/app/access"
	"clinaudit/app/auth"
	"clinaudit/app/store"
	"clinaudit/app/store/storetest"

	"github.com/gofiber/fiber/v2"
)

// TestFamilyMatrix is the access matrix's family column and row: a family
// session meets every staff route exactly as someone signed out does (it
// is not a staff session of any kind), a staff session meets every family
// route exactly as someone signed out does, and a family session opens
// the family routes.
func TestFamilyMatrix(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		app, a := authApp(t, s, false)
		a.Config.TwoFactorForAll = false
		a.Config.SMS = true // the SMS second factor's form (family_sms.go)
		amy := familyFixture(t, s, "sarah@example.org", "Amy")

		// A family session, and a registry manager's (who sees every patient).
		fam := newBrowser(t, app)
		familySignIn(t, s, a, fam, "sarah@example.org")
		var u store.User
		err := s.InTx(ctx, func(tx store.Tx) error {
			var err error
			u, err = a.CreateUser(ctx, tx, auth.NewUser{Email: "manager@actor.example", FirstName: "M", Surname: "Anager",
				Role: access.RegistryManager, TwoFactorSkip: true})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if err := a.SetPasswordDirect(ctx, u, testPassword); err != nil {
			t.Fatal(err)
		}
		res, err := a.SignIn(ctx, "manager@actor.example", testPassword, auth.Client{IP: "10.9.9.9"})
		if err != nil {
			t.Fatal(err)
		}
		staffToken := res.Token

		send := func(cookies map[string]string, method, path string, form url.Values) (int, string) {
			var req *http.Request
			if method == "GET" {
				req = httptest.NewRequest(method, path, nil)
			} else {
				form.Set("csrf", "matrix")
				req = httptest.NewRequest(method, path, strings.NewReader(form.Encode()))
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			}
			req.AddCookie(&http.Cookie{Name: "csrf", Value: "matrix"})
			for k, v := range cookies {
				req.AddCookie(&http.Cookie{Name: k, Value: v})
			}
			resp, err := app.Test(req, -1)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			return resp.StatusCode, resp.Header.Get("Location")
		}
		family := map[string]string{familyCookie: fam.jar[familyCookie]}
		staff := map[string]string{"session": staffToken}
		fill := func(r route) (string, url.Values) {
			path, form := r.path, url.Values{}
			if strings.HasPrefix(path, "/registry") {
				return matrixRegistry(t, s, r.method, r.path)
			}
			path = strings.NewReplacer(":id", fmt.Sprint(amy), ":ods", "RM332", ":measure", "ecg", ":form", "management",
				":row", "1", ":action", "unlock", ":token", "x").Replace(path)
			switch path {
			case fmt.Sprintf("/family/patients/%d/field", amy):
				if r.method == "GET" {
					path += "?key=first_name"
				}
				form = url.Values{"key": {"first_name"}, "first_name": {"Amy"}}
			case "/family/patients":
				form = url.Values{"first_name": {"Cat"}, "surname": {"Hughes"}, "date_of_birth-day": {"1"}, "date_of_birth-month": {"1"},
					"date_of_birth-year": {"2019"}, "sex": {"2"}, "type": {"mother"}, "legal_authority": {"yes"}}
			case fmt.Sprintf("/family/patients/%d/invite", amy):
				form = url.Values{"email": {"gran@example.org"}, "type": {"carer"}, "legal_authority": {"no"}}
			case fmt.Sprintf("/family/patients/%d/consent", amy):
				form = url.Values{"take_part": {"yes"}, "research_contact": {"yes"}}
			case fmt.Sprintf("/family/patients/%d/withdraw", amy):
				form = url.Values{"part": {"share_deidentified"}}
			case "/family/files/download/x":
				_, link := familyFileLink(t, s, amy, "sarah@example.org", false)
				path = "/family/files/download/" + link
			case "/family/two-factor/sms":
				form = url.Values{"action": {"start"}, "sms_phone": {"07700 900123"}}
			case "/family/profile/field":
				if r.method == "GET" {
					path += "?key=phone"
				}
				form = url.Values{"key": {"phone"}, "phone": {"07700900123"}}
			}
			return path, form
		}
		deleteLast := func(r route) bool { return r.path == "/family/patients/:id/delete" && r.method == "POST" }
		for _, r := range matrix {
			if deleteLast(r) {
				continue
			}
			path, form := fill(r)
			strangerStatus, strangerLoc := send(nil, r.method, path, url.Values{})
			switch {
			case strings.HasPrefix(r.path, "/family"):
				if r.who == whoAnyone {
					continue
				}
				// A staff session is no family session.
				st, loc := send(staff, r.method, path, url.Values{})
				if st != strangerStatus || loc != strangerLoc || !strings.HasPrefix(loc, "/family/sign-in") {
					t.Errorf("%s %s as registry manager: %d %q, want %d %q as signed out", r.method, r.path, st, loc, strangerStatus, strangerLoc)
				}
				// The family opens its own pages (the second-factor step
				// answers a wrong code with 401, and a survey that is not
				// theirs is a 404, both after the guard;
				// TestFamilyOpensTheirSurveys opens one of theirs).
				st, loc = send(family, r.method, path, form)
				afterGuard := (st == fiber.StatusUnauthorized && r.path == "/family/two-factor") ||
					(st == fiber.StatusNotFound && r.path == "/family/surveys/:id")
				if (st >= 400 && !afterGuard) || strings.HasPrefix(loc, "/family/sign-in") || strings.HasPrefix(loc, "/sign-in") {
					t.Errorf("%s %s as the family: %d %q, want allowed", r.method, r.path, st, loc)
				}
			case r.who != whoAnyone:
				// Every staff route: the family is a stranger there.
				st, loc := send(family, r.method, path, form)
				if st != strangerStatus || loc != strangerLoc {
					t.Errorf("%s %s as a family: %d %q, want %d %q as signed out", r.method, r.path, st, loc, strangerStatus, strangerLoc)
				}
				if st < 300 && r.who != whoPending {
					t.Errorf("%s %s as a family: %d, a staff page opened", r.method, r.path, st)
				}
			}
		}
		// Deleting the patient ends the family's access: last.
		if st, loc := send(family, "POST", fmt.Sprintf("/family/patients/%d/delete", amy), url.Values{}); st != fiber.StatusSeeOther || loc != "/family?done=deleted" {
			t.Errorf("delete as the family: %d %q", st, loc)
		}
		if st, _ := send(family, "GET", fmt.Sprintf("/family/patients/%d", amy), nil); st != fiber.StatusNotFound {
			t.Errorf("after the deletion: %d, want 404", st)
		}
	})
}
