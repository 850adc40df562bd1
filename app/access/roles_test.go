package access

import "testing"

func TestRoles(t *testing.T) {
	national := map[Role]bool{NationalFull: true, NationalEdit: true, NationalView: true}
	for _, r := range Roles {
		if r.National() != national[r] {
			t.Errorf("%s.National() = %v", r, r.National())
		}
		if got, ok := ParseRole(string(r)); !ok || got != r {
			t.Errorf("ParseRole(%q) = %q, %v", r, got, ok)
		}
		if r.Label() == string(r) {
			t.Errorf("%s has no label", r)
		}
	}
	if _, ok := ParseRole("superuser"); ok {
		t.Error("superuser is a flag, not a role")
	}
	if len(Roles) != 8 {
		t.Errorf("%d roles, want 8", len(Roles))
	}
	for _, r := range Roles {
		want := r != NationalFull && r != NationalEdit && r != NationalView && r != RegistryManager && r != RegistryViewer
		if r.HasOrganisation() != want {
			t.Errorf("%s.HasOrganisation() = %v", r, r.HasOrganisation())
		}
	}
}
