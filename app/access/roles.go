// Package access holds who may do what: the six roles, the one policy
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
)

// Roles lists every role, national first.
var Roles = []Role{NationalFull, NationalEdit, NationalView, LeadClinician, Clinician, Administrator}

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
	}
	return string(r)
}
