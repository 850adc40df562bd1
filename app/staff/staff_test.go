package staff_test

import (
	"context"
	"errors"
	"sort"
	"strings"
	"testing"
	"time"

	"clinaudit/app/access"
	"clinaudit/app/apperr"
	"clinaudit/app/auth"
	"clinaudit/app/auth/password"
	"clinaudit/app/staff"
	"clinaudit/app/store"
	"clinaudit/app/store/storetest"
)

type world struct {
	svc   *staff.Service
	auth  *auth.Service
	s     store.Store
	users map[string]store.User
}

// people: a lead and clinician at RGT01 (trust RGT), a clinician at another
// organisation of... RGT has one; so RTD for another trust, a Welsh lead at
// 7A4H1, and a national view-only and full user.
var people = []auth.NewUser{
	{Email: "lead@rgt.example", FirstName: "Lena", Surname: "Lead", Role: access.LeadClinician, Organisation: "RGT01"},
	{Email: "clin@rgt.example", FirstName: "Carl", Surname: "Clin", Role: access.Clinician, Organisation: "RGT01"},
	{Email: "admin@rgt.example", FirstName: "Abe", Surname: "Admin", Role: access.Administrator, Organisation: "RGT01"},
	{Email: "other@rtd.example", FirstName: "Otto", Surname: "Other", Role: access.Clinician, Organisation: "RTD01"},
	{Email: "lead@wales.example", FirstName: "Llew", Surname: "Lead", Role: access.LeadClinician, Organisation: "7A4H1"},
	{Email: "clin@wales.example", FirstName: "Cerys", Surname: "Clin", Role: access.Clinician, Organisation: "7A4C1"},
	{Email: "view@national.example", FirstName: "Nora", Surname: "View", Role: access.NationalView},
	{Email: "full@national.example", FirstName: "Nadia", Surname: "Full", Role: access.NationalFull},
}

func newWorld(t *testing.T, s store.Store) *world {
	t.Helper()
	ctx := context.Background()
	a, err := auth.New(s, password.DefaultPolicy(), auth.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	if err := s.ConfigureJobs(store.JobsConfig{}); err != nil {
		t.Fatal(err)
	}
	w := &world{svc: &staff.Service{Store: s, Auth: a, Now: time.Now}, auth: a, s: s, users: map[string]store.User{}}
	for _, p := range people {
		err := s.InTx(ctx, func(tx store.Tx) error {
			u, err := a.CreateUser(ctx, tx, p)
			w.users[p.Email] = u
			return err
		})
		if err != nil {
			t.Fatalf("%s: %v", p.Email, err)
		}
	}
	return w
}

func (w *world) me(t *testing.T, email string) access.Me {
	t.Helper()
	u := w.users[email]
	a, err := access.ActorFor(context.Background(), w.s, u)
	if err != nil {
		t.Fatal(err)
	}
	return access.Me{ID: u.ID, Actor: a}
}

func emails(p staff.Page) []string {
	var out []string
	for _, u := range p.Users {
		out = append(out, u.Email)
	}
	return out
}

func TestListIsScoped(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		w := newWorld(t, s)
		tests := []struct {
			viewer string
			want   []string
		}{
			{"lead@rgt.example", []string{"admin@rgt.example", "clin@rgt.example", "lead@rgt.example"}},
			{"lead@wales.example", []string{"clin@wales.example", "lead@wales.example"}},
			{"view@national.example", nil}, // everyone
		}
		for _, tt := range tests {
			p, err := w.svc.List(ctx, w.me(t, tt.viewer).Actor, staff.Filter{Sort: "email"})
			if err != nil {
				t.Fatal(err)
			}
			got := emails(p)
			want := tt.want
			if want == nil {
				for _, pp := range people {
					want = append(want, pp.Email)
				}
				sort.Strings(want)
			}
			if strings.Join(got, ",") != strings.Join(want, ",") {
				t.Errorf("%s sees %v, want %v", tt.viewer, got, want)
			}
		}
		// Choosing an organisation outside scope is refused, not emptied.
		if _, err := w.svc.List(ctx, w.me(t, "lead@rgt.example").Actor, staff.Filter{Org: "7A4H1"}); !errors.Is(err, apperr.ErrForbidden) {
			t.Errorf("org switcher outside scope: %v", err)
		}
		if p, err := w.svc.List(ctx, w.me(t, "full@national.example").Actor, staff.Filter{Org: "7a4h1"}); err != nil || strings.Join(emails(p), ",") != "lead@wales.example" {
			t.Errorf("national filter by org: %v %v", emails(p), err)
		}
	})
}

func TestListSearchFilterAndSortEveryColumn(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		w := newWorld(t, s)
		nat := w.me(t, "full@national.example").Actor
		if p, _ := w.svc.List(ctx, nat, staff.Filter{Query: "  LEAD "}); len(p.Users) != 2 {
			t.Errorf("search 'lead' found %v", emails(p))
		}
		if p, _ := w.svc.List(ctx, nat, staff.Filter{Role: "clinician"}); p.Total != 3 {
			t.Errorf("role filter: %d", p.Total)
		}
		if err := w.svc.SetActive(ctx, w.me(t, "full@national.example"), w.users["other@rtd.example"].ID, false); err != nil {
			t.Fatal(err)
		}
		if p, _ := w.svc.List(ctx, nat, staff.Filter{Status: "inactive"}); strings.Join(emails(p), ",") != "other@rtd.example" {
			t.Errorf("inactive filter: %v", emails(p))
		}
		for _, col := range staff.SortColumns {
			up, err := w.svc.List(ctx, nat, staff.Filter{Sort: col})
			if err != nil {
				t.Fatalf("sort %s: %v", col, err)
			}
			down, _ := w.svc.List(ctx, nat, staff.Filter{Sort: col, Desc: true})
			if len(up.Users) != len(people) || len(down.Users) != len(people) {
				t.Fatalf("sort %s lost rows", col)
			}
			key := func(u store.UserListItem) string {
				switch col {
				case "email":
					return u.Email
				case "role":
					return u.Role
				case "organisation":
					return strings.ToLower(u.OrganisationName)
				case "status":
					if u.IsActive {
						return "1"
					}
					return "0"
				case "last_sign_in":
					return ""
				}
				return strings.ToLower(u.Surname + " " + u.FirstName)
			}
			for i := 1; i < len(up.Users); i++ {
				if key(up.Users[i-1]) > key(up.Users[i]) {
					t.Errorf("sort %s ascending out of order at %d", col, i)
				}
				if key(down.Users[i-1]) < key(down.Users[i]) {
					t.Errorf("sort %s descending out of order at %d", col, i)
				}
			}
		}
		// Nonsense in the URL falls back to defaults.
		if p, err := w.svc.List(ctx, nat, staff.Filter{Sort: "password_hash; DROP", Role: "king", Status: "?", Page: -3}); err != nil || p.Filter.Sort != "name" || p.Filter.Page != 1 {
			t.Errorf("normalise: %+v %v", p.Filter, err)
		}
	})
}

func TestInviteRules(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		w := newWorld(t, s)
		lead := w.me(t, "lead@rgt.example")
		var fe *staff.FieldError
		_, err := w.svc.Invite(ctx, lead, auth.NewUser{Email: "n@x.example", FirstName: "N", Surname: "X", Role: access.NationalView})
		if !errors.As(err, &fe) || fe.Field != "role" {
			t.Errorf("lead creating a national account: %v", err)
		}
		_, err = w.svc.Invite(ctx, lead, auth.NewUser{Email: "n@x.example", FirstName: "N", Surname: "X", Role: access.Clinician, Organisation: "RTD01"})
		if !errors.As(err, &fe) || fe.Field != "organisation" {
			t.Errorf("lead creating outside the trust: %v", err)
		}
		_, err = w.svc.Invite(ctx, lead, auth.NewUser{Email: "CLIN@rgt.example", FirstName: "N", Surname: "X", Role: access.Clinician, Organisation: "RGT01"})
		if !errors.As(err, &fe) || fe.Field != "email" {
			t.Errorf("duplicate email: %v", err)
		}
		if _, err := w.svc.Invite(ctx, w.me(t, "clin@rgt.example"), auth.NewUser{Email: "n@x.example", FirstName: "N", Surname: "X", Role: access.Clinician, Organisation: "RGT01"}); !errors.Is(err, apperr.ErrForbidden) {
			t.Errorf("clinician inviting: %v", err)
		}
		u, err := w.svc.Invite(ctx, lead, auth.NewUser{Email: "new@rgt.example", FirstName: "New", Surname: "Person", Role: access.Clinician, Organisation: "rgt01"})
		if err != nil {
			t.Fatal(err)
		}
		acc, err := w.svc.Get(ctx, lead.Actor, u.ID)
		if err != nil || len(acc.History) != 1 || acc.History[0].Action != "invited" || acc.History[0].ActorName != "Lena Lead" {
			t.Errorf("admin history after invite: %+v %v", acc.History, err)
		}
		emails, _ := s.ListEmails(ctx, 10)
		if len(emails) == 0 || emails[0].ToAddress != "new@rgt.example" {
			t.Error("no invite email queued")
		}
	})
}

func TestManageActionsAndScope(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		w := newWorld(t, s)
		lead, clin := w.me(t, "lead@rgt.example"), w.users["clin@rgt.example"]

		// Out of scope accounts are not found, whatever the id.
		if _, err := w.svc.Get(ctx, lead.Actor, w.users["lead@wales.example"].ID); !errors.Is(err, staff.ErrNotFound) {
			t.Errorf("Welsh account seen from England: %v", err)
		}
		if err := w.svc.SetActive(ctx, lead, w.users["other@rtd.example"].ID, false); !errors.Is(err, staff.ErrNotFound) {
			t.Errorf("deactivate another trust's account: %v", err)
		}
		if err := w.svc.SetActive(ctx, lead, lead.ID, false); !errors.Is(err, apperr.ErrForbidden) {
			t.Errorf("deactivate yourself: %v", err)
		}
		if err := w.svc.UpdateAccess(ctx, lead, clin.ID, access.NationalFull, "", false); err == nil {
			t.Error("lead promoted someone to national")
		}
		if err := w.svc.UpdateAccess(ctx, lead, clin.ID, access.LeadClinician, "RGT01", false); err != nil {
			t.Errorf("promote within the trust: %v", err)
		}

		// Deactivation ends sessions at once.
		if err := w.auth.SetPasswordDirect(ctx, clin, "Correct-horse-battery-9"); err != nil {
			t.Fatal(err)
		}
		w.auth.Config.TwoFactorForAll = false
		res, err := w.auth.SignIn(ctx, clin.Email, "Correct-horse-battery-9", auth.Client{IP: "1.2.3.4"})
		if err != nil {
			t.Fatal(err)
		}
		if err := w.svc.SetActive(ctx, lead, clin.ID, false); err != nil {
			t.Fatal(err)
		}
		if _, err := w.auth.Authenticate(ctx, res.Token); !errors.Is(err, auth.ErrSessionEnded) {
			t.Errorf("session after deactivation: %v", err)
		}
		if err := w.svc.SetActive(ctx, lead, clin.ID, true); err != nil {
			t.Fatal(err)
		}
		if err := w.svc.ResendInvite(ctx, lead, clin.ID); !errors.Is(err, staff.ErrAlreadyActivated) {
			t.Errorf("resend invite to an activated account: %v", err)
		}
		if err := w.svc.ResendInvite(ctx, lead, w.users["admin@rgt.example"].ID); err != nil {
			t.Errorf("resend invite: %v", err)
		}
		if err := w.svc.ResetTwoFactor(ctx, lead, clin.ID); err != nil {
			t.Errorf("reset second factor: %v", err)
		}
		if err := w.svc.Unlock(ctx, lead, clin.ID, auth.Client{IP: "1.2.3.4"}); err != nil {
			t.Errorf("unlock: %v", err)
		}
		acc, _ := w.svc.Get(ctx, lead.Actor, clin.ID)
		var actions []string
		for _, e := range acc.History {
			actions = append(actions, e.Action)
		}
		want := "unlocked,second factor reset,reactivated,deactivated,access changed"
		if strings.Join(actions, ",") != want {
			t.Errorf("history = %v, want %s", actions, want)
		}
		if !strings.Contains(acc.History[4].Detail, "Clinician at RGT01 → Lead clinician at RGT01") {
			t.Errorf("access change detail %q", acc.History[4].Detail)
		}
	})
}

// A registry manager lists the registry's accounts and nobody else's; a
// registry viewer lists none; national viewers see them with everyone.
func TestRegistryManagerListsRegistryAccountsOnly(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		w := newWorld(t, s)
		for _, p := range []auth.NewUser{
			{Email: "manager@registry.example", FirstName: "Rosa", Surname: "Manning", Role: access.RegistryManager},
			{Email: "viewer@registry.example", FirstName: "Vik", Surname: "Reader", Role: access.RegistryViewer},
		} {
			if err := s.InTx(ctx, func(tx store.Tx) error {
				u, err := w.auth.CreateUser(ctx, tx, p)
				w.users[p.Email] = u
				return err
			}); err != nil {
				t.Fatal(err)
			}
		}
		manager := w.me(t, "manager@registry.example").Actor
		p, err := w.svc.List(ctx, manager, staff.Filter{Sort: "email"})
		if err != nil || strings.Join(emails(p), ",") != "manager@registry.example,viewer@registry.example" || p.Total != 2 {
			t.Errorf("the registry manager sees %v (%d), %v; want the two registry accounts", emails(p), p.Total, err)
		}
		if p, err := w.svc.List(ctx, manager, staff.Filter{Role: string(access.Clinician)}); err != nil || len(p.Users) != 0 {
			t.Errorf("the registry manager filtering clinicians sees %v, %v; want nobody", emails(p), err)
		}
		// No organisation to choose from, on both engines (PostgreSQL once
		// refused the scope that matches nothing: a 500 on every form).
		if orgs, err := w.svc.OrganisationsInScope(ctx, manager); err != nil || len(orgs) != 0 {
			t.Errorf("the registry manager's organisations: %v, %v; want none", orgs, err)
		}
		if _, err := w.svc.List(ctx, manager, staff.Filter{Org: "RGT01"}); !errors.Is(err, apperr.ErrForbidden) {
			t.Errorf("the registry manager choosing an organisation: %v, want forbidden", err)
		}
		if _, err := w.svc.List(ctx, w.me(t, "viewer@registry.example").Actor, staff.Filter{}); !errors.Is(err, apperr.ErrForbidden) {
			t.Errorf("a registry viewer listing accounts: %v, want forbidden", err)
		}
		if p, err := w.svc.List(ctx, w.me(t, "view@national.example").Actor, staff.Filter{}); err != nil || p.Total != int64(len(people)+2) {
			t.Errorf("a national viewer sees %d accounts, %v; want %d", p.Total, err, len(people)+2)
		}
	})
}
