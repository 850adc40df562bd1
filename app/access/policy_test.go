package access

import (
	"flag"
	"os"
	"strings"
	"testing"
)

var (
	addenbrookes = Place{Organisation: 1, Trust: "RGT"}
	sameTrust    = Place{Organisation: 2, Trust: "RGT"}
	otherTrust   = Place{Organisation: 3, Trust: "RTD"}
	wales        = Place{Organisation: 4, HealthBoard: "7A4"}
	walesOther   = Place{Organisation: 5, HealthBoard: "7A3"}
	nowhere      = Place{}
)

func actor(r Role) Actor {
	if !r.HasOrganisation() {
		return Actor{Role: r}
	}
	return Actor{Role: r, Organisation: 1, Trust: "RGT"}
}

func TestScope(t *testing.T) {
	welsh := Actor{Role: Clinician, Organisation: 4, HealthBoard: "7A4"}
	tests := []struct {
		name string
		a    Actor
		p    Place
		want bool
	}{
		{"own organisation", actor(Clinician), addenbrookes, true},
		{"another organisation in the same trust", actor(Clinician), sameTrust, true},
		{"another trust", actor(Clinician), otherTrust, false},
		{"a Welsh health board from England", actor(Clinician), wales, false},
		{"national records from an organisation", actor(LeadClinician), nowhere, false},
		{"Welsh user, own health board", welsh, wales, true},
		{"Welsh user, other health board", welsh, walesOther, false},
		{"Welsh user, English trust", welsh, addenbrookes, false},
		{"national role anywhere", actor(NationalView), otherTrust, true},
		{"national role, national records", actor(NationalView), nowhere, true},
		{"superuser with an organisation role", Actor{Role: Administrator, Superuser: true, Trust: "RGT"}, wales, true},
		{"user with no organisation reaches nothing", Actor{Role: Clinician}, addenbrookes, false},
		{"registry role, registry records", actor(RegistryViewer), nowhere, true},
		{"registry role, an organisation", actor(RegistryManager), addenbrookes, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.a.InScope(tt.p); got != tt.want {
				t.Errorf("InScope = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestRoleActions(t *testing.T) {
	// The differences between roles that matter most, stated separately
	// from the table so a slip in the table shows.
	tests := []struct {
		role   Role
		action Action
		want   bool
	}{
		{Administrator, EditDemographics, true},
		{Administrator, EditAudit, false},
		{Administrator, DeleteChild, false},
		{Administrator, ManageUsers, false},
		{Clinician, EditAudit, true},
		{Clinician, LockChild, true},
		{Clinician, ManageUsers, false},
		{Clinician, TransferChild, false},
		{LeadClinician, ManageUsers, true},
		{LeadClinician, TransferChild, true},
		{LeadClinician, ManageNational, false},
		{LeadClinician, ViewNational, false},
		{NationalView, ViewChild, true},
		{NationalView, EditAudit, false},
		{NationalEdit, EditAudit, true},
		{NationalEdit, ManageUsers, false},
		{NationalEdit, Publish, false},
		{NationalFull, Publish, true},
		{NationalFull, ManageNational, true},
		{NationalFull, RestoreChild, true},
		{NationalFull, ExportRecords, true},
		{LeadClinician, ExportRecords, true},
		{Clinician, ExportRecords, false},
		{Administrator, ExportRecords, false},
		{NationalEdit, ExportRecords, false},
		{NationalView, ExportRecords, false},
	}
	for _, tt := range tests {
		if got := actor(tt.role).Can(tt.action); got != tt.want {
			t.Errorf("%s can %s = %v, want %v", tt.role, tt.action, got, tt.want)
		}
	}
	for _, a := range Actions {
		if !(Actor{Role: Administrator, Superuser: true}).Can(a) {
			t.Errorf("superuser cannot %s", a)
		}
	}
}

// Audit roles have no registry actions and registry roles no audit
// actions (issue 16); a superuser has both.
func TestRegistryActionsAreSeparate(t *testing.T) {
	registry := map[Action]bool{ViewRegistry: true, ViewRegistryIDs: true, EditRegistry: true, ExportRegistry: true,
		ManageRegistryUsers: true}
	for _, r := range Roles {
		for _, a := range Actions {
			if actor(r).Can(a) && registry[a] != r.Registry() {
				t.Errorf("%s can %s", r, a)
			}
		}
	}
	viewer, manager := actor(RegistryViewer), actor(RegistryManager)
	for _, tt := range []struct {
		a      Actor
		action Action
		want   bool
	}{
		{manager, EditRegistry, true},
		{manager, ViewRegistryIDs, true},
		{manager, ManageRegistryUsers, true},
		{manager, ExportRegistry, true},
		{viewer, ViewRegistry, true},
		{viewer, ViewRegistryIDs, false},
		{viewer, EditRegistry, false},
		{viewer, ExportRegistry, false},
		{Actor{Role: Clinician, Superuser: true}, EditRegistry, true},
	} {
		if got := Allowed(tt.a, tt.action, nowhere); got != tt.want {
			t.Errorf("%s allowed %s = %v, want %v", tt.a.Role, tt.action, got, tt.want)
		}
	}
}

func TestMayAssignRole(t *testing.T) {
	if !MayAssignRole(actor(RegistryManager), RegistryViewer, false) {
		t.Error("a registry manager may not create registry viewers")
	}
	if MayAssignRole(actor(RegistryManager), Clinician, false) || MayAssignRole(actor(RegistryManager), NationalView, false) {
		t.Error("a registry manager may create audit accounts")
	}
	if MayAssignRole(actor(NationalFull), RegistryManager, false) {
		t.Error("the national audit team may create registry accounts")
	}
	if !MayAssignRole(Actor{Role: NationalFull, Superuser: true}, RegistryManager, false) {
		t.Error("a superuser may not create registry accounts")
	}
	if MayAssignRole(actor(LeadClinician), NationalView, false) {
		t.Error("a lead clinician may create national accounts")
	}
	if !MayAssignRole(actor(LeadClinician), Clinician, false) {
		t.Error("a lead clinician may not create clinicians")
	}
	if MayAssignRole(actor(NationalFull), Clinician, true) {
		t.Error("a non-superuser may make superusers")
	}
	if !MayAssignRole(Actor{Role: NationalFull, Superuser: true}, NationalFull, true) {
		t.Error("a superuser may not make superusers")
	}
	if MayAssignRole(actor(Clinician), Administrator, false) {
		t.Error("a clinician may create accounts")
	}
}

var update = flag.Bool("update", false, "rewrite docs/permissions.md from the table")

// docs/permissions.md is generated from the table; this fails when stale.
func TestPermissionsDocIsCurrent(t *testing.T) {
	const path = "../../docs/permissions.md"
	want := PermissionsMarkdown()
	if *update {
		if err := os.WriteFile(path, []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != want {
		t.Errorf("docs/permissions.md is stale: run go test ./app/access -run PermissionsDoc -update")
	}
	if !strings.Contains(want, "| Lead clinician |") {
		t.Error("table lacks a role")
	}
}
