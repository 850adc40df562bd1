// Package access holds who may do what: the roles (six for the audit, two
// for the registry), the one policy
// function every handler asks (policy.go), and who is asking: the signed-in
// user, their actor and its scope (identity.go).
package access

// Role is a user's one role. National roles see every organisation; the
// others see their own trust (England) or health board (Wales).
type Role string

const (
	NationalFull  Role = "national_full"
	NationalEdit  Role = "national_edit"
	NationalView  Role = "national_view"
	LeadClinician Role = "lead_clinician"
	Clinician     Role = "clinician"
	Administrator Role = "administrator"
	// The registry's roles (docs/registry.md): registry-wide, with no
	// organisation, and no audit actions (as audit roles have no registry
	// actions).
	RegistryManager Role = "registry_manager"
	RegistryViewer  Role = "registry_viewer"

	// Family is no staff role and is in no list of them: no user has it
	// (the users table refuses it). It is the actor of a family account
	// (FamilyActor), whose reach is a patient at a time, decided by
	// app/family from the family's relationships, before the registry's
	// functions are called.
	Family Role = "family"
)

// Roles lists every role, national first, the registry's last.
var Roles = []Role{NationalFull, NationalEdit, NationalView, LeadClinician, Clinician, Administrator,
	RegistryManager, RegistryViewer}

// ParseRole accepts a role's code; ok is false for anything else.
func ParseRole(s string) (Role, bool) {
	for _, r := range Roles {
		if string(r) == s {
			return r, true
		}
	}
	return "", false
}

// National reports whether the role has national scope.
func (r Role) National() bool {
	return r == NationalFull || r == NationalEdit || r == NationalView
}

// Registry reports whether the role is one of the registry's.
func (r Role) Registry() bool { return r == RegistryManager || r == RegistryViewer }

// HasOrganisation reports whether an account with the role belongs to an
// organisation: every role but the national and the registry ones.
func (r Role) HasOrganisation() bool { return !r.National() && !r.Registry() }

// Label is the role's name as users see it.
func (r Role) Label() string {
	switch r {
	case NationalFull:
		return "National audit team (full access)"
	case NationalEdit:
		return "National audit team (edit access)"
	case NationalView:
		return "National audit team (view only)"
	case LeadClinician:
		return "Lead clinician"
	case Clinician:
		return "Clinician"
	case Administrator:
		return "Administrator"
	case RegistryManager:
		return "Registry manager"
	case RegistryViewer:
		return "Registry viewer"
	}
	return string(r)
}
