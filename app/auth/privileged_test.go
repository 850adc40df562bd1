package auth_test

import (
	"testing"

	"clinaudit/app/access"
	"clinaudit/app/auth"
	"clinaudit/app/auth/password"
	"clinaudit/app/store"
)

// Privileged accounts (the longer password, a second factor even when it
// is not asked of everyone): national and registry staff, whose roles
// reach records across every organisation, and superusers.
func TestPrivilegedRoles(t *testing.T) {
	cfg := auth.DefaultConfig()
	cfg.TwoFactorForAll = false
	a := &auth.Service{Config: cfg, Policy: password.DefaultPolicy()}
	for _, tt := range []struct {
		role      access.Role
		superuser bool
		want      bool
	}{
		{access.NationalFull, false, true},
		{access.NationalView, false, true},
		{access.RegistryManager, false, true},
		{access.RegistryViewer, false, true},
		{access.LeadClinician, false, false},
		{access.Clinician, false, false},
		{access.Administrator, false, false},
		{access.Clinician, true, true},
	} {
		u := store.User{Role: string(tt.role), IsSuperuser: tt.superuser}
		if got := auth.Privileged(u); got != tt.want {
			t.Errorf("Privileged(%s, superuser %v) = %v, want %v", tt.role, tt.superuser, got, tt.want)
		}
		if got := a.NeedsTwoFactor(u); got != tt.want {
			t.Errorf("NeedsTwoFactor(%s, superuser %v) without two factors for all = %v, want %v", tt.role, tt.superuser, got, tt.want)
		}
		short := "Maple-river-42x" // 15 characters: enough for others, not for the privileged
		if f := a.Policy.Check(short, password.UserContext{Email: "x@example.org", Privileged: auth.Privileged(u)}); (len(f) > 0) != tt.want {
			t.Errorf("a 15-character password for %s (superuser %v): %v", tt.role, tt.superuser, f)
		}
	}
}
