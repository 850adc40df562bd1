package web

import (
	"context"
	"strings"
	"testing"
	"time"

	"clinaudit/app/access"
	"clinaudit/app/registry"
	"clinaudit/app/store"
	"clinaudit/app/store/storetest"

	"github.com/PuerkitoBio/goquery"
)

// The contact list sorts by surname (the default) or last change, either
// way, and keeps the order in its URL.
func TestRegistryContactListSorts(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		app, a := authApp(t, s, false)
		a.Config.TwoFactorForAll = false
		if err := registry.Install(ctx, s, time.Now()); err != nil {
			t.Fatal(err)
		}
		reg, err := s.GetRegistryBySlug(ctx, registrySlug())
		if err != nil {
			t.Fatal(err)
		}
		// Added out of surname order, a day apart: Young changed last.
		day := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
		for i, name := range []string{"Mo Baker", "Al Young", "Kim Adams"} {
			first, surname, _ := strings.Cut(name, " ")
			if i == 1 {
				i = 5
			}
			if _, err := s.InsertRegistryContact(ctx, store.InsertRegistryContactParams{RegistryID: reg.ID, FirstName: first,
				Surname: surname, PreferredChannel: "email", MayContact: true, CreatedAt: day.AddDate(0, 0, i)}); err != nil {
				t.Fatal(err)
			}
		}
		makeStaff(t, s, a, "manager@registry.example", access.RegistryManager, "")
		m := signIn(t, newBrowser(t, app), "manager@registry.example")
		names := func(path string) (string, response) {
			p := m.get(path)
			var out []string
			p.doc.Find("#contact-table tbody tr td:first-child a").Each(func(_ int, a *goquery.Selection) { out = append(out, a.Text()) })
			return strings.Join(out, ", "), p
		}
		for _, c := range []struct{ path, want string }{
			{"/registry/contacts", "Kim Adams, Mo Baker, Al Young"},
			{"/registry/contacts?sort=surname&dir=desc", "Al Young, Mo Baker, Kim Adams"},
			{"/registry/contacts?sort=updated_at", "Mo Baker, Kim Adams, Al Young"},
			{"/registry/contacts?sort=updated_at&dir=desc", "Al Young, Kim Adams, Mo Baker"},
			{"/registry/contacts?sort=email", "Kim Adams, Mo Baker, Al Young"}, // not a sortable column: the default
		} {
			if got, p := names(c.path); p.status != 200 || got != c.want {
				t.Errorf("GET %s: %d %q, want %q", c.path, p.status, got, c.want)
			}
		}
		// The headers: Name sorted ascending, its link to the reverse; the filters keep the order.
		_, p := names("/registry/contacts?review=&sort=surname")
		name := p.doc.Find(`#contact-table th a[data-sort="surname"]`)
		if text(p, "#contact-table thead") == "" || name.Text() != "Name" || name.Parent().AttrOr("aria-sort", "") != "ascending" ||
			name.AttrOr("href", "") != "/registry/contacts?dir=desc&sort=surname" {
			t.Errorf("Name header %q, aria-sort %q, link %q", name.Text(), name.Parent().AttrOr("aria-sort", ""), name.AttrOr("href", ""))
		}
		_, p = names("/registry/contacts?sort=updated_at&dir=desc")
		if p.doc.Find(`#contact-filters input[name="sort"][value="updated_at"]`).Length() != 1 || p.doc.Find(`#contact-filters input[name="dir"][value="desc"]`).Length() != 1 {
			t.Errorf("the filter form forgets the order")
		}
	})
}
