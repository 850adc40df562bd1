package web

import (
	"context"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"testing"

	"clinaudit/app/access"
	"clinaudit/app/auth"
	"clinaudit/app/forms"
	"clinaudit/app/store"

	"github.com/gofiber/fiber/v2"
)

// The security suite (security_*_test.go) runs the outside probe's
// classes of checks on both engines against routes enumerated from the
// app itself, so a route added to routes.go is probed without anyone
// listing it: CSRF on every POST, headers on every kind of answer, control
// characters in every field of every form. secWorld is its fixture.

const secSuperuser = "root@security.example"

type secWorld struct {
	t        *testing.T
	s        store.Store
	app      *fiber.App
	a        *auth.Service
	child    int64  // not registered yet, at RM332
	reg      int64  // registered, at RM332
	staff    int64  // a clinician at RM332
	token    string // an unused invite link's token
	pendings int
}

func newSecWorld(t *testing.T, s store.Store) *secWorld {
	t.Helper()
	ctx := context.Background()
	app, a := authApp(t, s, false)
	a.Config.TwoFactorForAll = false
	w := &secWorld{t: t, s: s, app: app, a: a}
	var su store.User
	err := s.InTx(ctx, func(tx store.Tx) error {
		var err error
		su, err = a.CreateUser(ctx, tx, auth.NewUser{Email: secSuperuser, FirstName: "Root", Surname: "User",
			Role: access.Clinician, Organisation: "RM332", Superuser: true, TwoFactorSkip: true})
		if err != nil {
			return err
		}
		st, err := a.CreateUser(ctx, tx, auth.NewUser{Email: "staff@security.example", FirstName: "Sam", Surname: "Staff",
			Role: access.Clinician, Organisation: "RM332"})
		if err != nil {
			return err
		}
		w.staff = st.ID
		link, err := a.Invite(ctx, tx, st)
		w.token = link[strings.LastIndex(link, "/")+1:]
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	// Outside the transaction: it writes through the store.
	if err := a.SetPasswordDirect(ctx, su, testPassword); err != nil {
		t.Fatal(err)
	}
	w.child = insertChild(t, s, "RM332", "9990000018", false, false)
	w.reg = insertChild(t, s, "RM332", "9990000026", true, false)
	return w
}

// superuser is a browser signed in as the suite's superuser.
func (w *secWorld) superuser() *browser {
	return signIn(w.t, newBrowser(w.t, w.app), secSuperuser)
}

// pending is a browser past the password of an account that still owes
// its second factor.
func (w *secWorld) pending() *browser {
	w.t.Helper()
	ctx := context.Background()
	w.pendings++
	email := "pending-" + strconv.Itoa(w.pendings) + "@security.example"
	var u store.User
	err := w.s.InTx(ctx, func(tx store.Tx) error {
		var err error
		// National staff always owe a second factor.
		u, err = w.a.CreateUser(ctx, tx, auth.NewUser{Email: email, FirstName: "Pat", Surname: "Pending", Role: access.NationalFull})
		return err
	})
	if err != nil {
		w.t.Fatal(err)
	}
	if err := w.a.SetPasswordDirect(ctx, u, testPassword); err != nil {
		w.t.Fatal(err)
	}
	b := newBrowser(w.t, w.app)
	b.get("/sign-in")
	if p := b.post("/sign-in", map[string][]string{"email": {email}, "password": {testPassword}}); p.status != http.StatusSeeOther ||
		!strings.HasPrefix(p.header.Get("Location"), "/sign-in/two-factor") {
		w.t.Fatalf("pending sign-in: %d %s", p.status, p.header.Get("Location"))
	}
	return b
}

// routes are the app's routes of one method, as registered.
func (w *secWorld) routes(method string) []string {
	seen := map[string]bool{}
	var out []string
	for _, r := range w.app.GetRoutes(true) {
		if r.Method == method && !strings.HasPrefix(r.Path, "/static") && !seen[r.Path] {
			seen[r.Path] = true
			out = append(out, r.Path)
		}
	}
	sort.Strings(out)
	return out
}

// paths fills a route's parameters with the world's records: every
// variant worth visiting (a child route with both children, a form route
// with every audit form).
func (w *secWorld) paths(route string) []string {
	out := []string{route}
	fill := func(param string, values ...string) {
		var next []string
		for _, p := range out {
			if !strings.Contains(p, param) {
				next = append(next, p)
				continue
			}
			for _, v := range values {
				next = append(next, strings.Replace(p, param, v, 1))
			}
		}
		out = next
	}
	id := func(n int64) string { return strconv.FormatInt(n, 10) }
	switch {
	case strings.HasPrefix(route, "/children/:id/forms"):
		fill(":id", id(w.reg))
	case strings.HasPrefix(route, "/children/"):
		fill(":id", id(w.child), id(w.reg))
	case strings.HasPrefix(route, "/admin/users/"):
		fill(":id", id(w.staff))
	default:
		fill(":id", "1")
	}
	var formIDs []string
	for _, f := range forms.All() {
		formIDs = append(formIDs, f.ID)
	}
	fill(":form", formIDs...)
	fill(":row", "1")
	fill(":ods", "RM332")
	fill(":measure", "ecg")
	fill(":token", w.token)
	fill(":action", "unlock")
	return out
}
