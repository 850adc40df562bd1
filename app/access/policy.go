package access

// Action is something a user may be allowed to do.
type Action string

const (
	ViewChild        Action = "view_child"        // see a child and their audit forms
	EditDemographics Action = "edit_demographics" // create a child, edit name, date of birth, NHS number...
	EditAudit        Action = "edit_audit"        // answer the audit forms
	RegisterChild    Action = "register_child"    // confirm eligibility and register
	DeleteChild      Action = "delete_child"
	LockChild        Action = "lock_child"
	UnlockChild      Action = "unlock_child"
	OptOutChild      Action = "opt_out_child"
	TransferChild    Action = "transfer_child" // request, accept or reject a transfer of lead site
	RestoreChild     Action = "restore_child"  // undo a deletion within 30 days
	ViewUsers        Action = "view_users"
	ManageUsers      Action = "manage_users"    // invite, edit, deactivate, unlock, reset second factor
	ManageNational   Action = "manage_national" // create and edit national accounts
	ViewDashboards   Action = "view_dashboards"
	ViewNational     Action = "view_national"     // national and cross-organisation views
	Publish          Action = "publish"           // publish a cohort's results for the public pages
	ViewJobs         Action = "view_jobs"         // background job monitor
	RecalculateKPIs  Action = "recalculate_kpis"  // rescore every child after a rule change
	ExportRecords    Action = "export_records"    // download children's audit records (identifiable or de-identified) in scope
	ViewRecordViews  Action = "view_record_views" // read the log of who opened which child's record (access audits)

	// The registry's actions (docs/registry.md). Registry records have no
	// organisation: they are asked about with the zero Place.
	ViewRegistry        Action = "view_registry"             // see the registry's patients and contacts, and its reports
	ViewRegistryIDs     Action = "view_registry_identifiers" // names, NHS numbers, dates of birth, contact details in lists and pages
	EditRegistry        Action = "edit_registry"             // add, edit, link, merge, delete and restore patients and contacts; review queues
	ExportRegistry      Action = "export_registry"           // export the registry's records
	ManageRegistryUsers Action = "manage_registry_users"     // invite and manage registry managers and viewers
)

// Actions lists every action in the order the permission table shows them.
var Actions = []Action{ViewChild, EditDemographics, EditAudit, RegisterChild, DeleteChild, LockChild,
	UnlockChild, OptOutChild, TransferChild, RestoreChild, ViewUsers, ManageUsers, ManageNational,
	ViewDashboards, ViewNational, Publish, ViewJobs, RecalculateKPIs, ExportRecords, ViewRecordViews,
	ViewRegistry, ViewRegistryIDs, EditRegistry, ExportRegistry, ManageRegistryUsers}

// permissions is THE table: which role may do which action (within its
// scope). Read across a row; docs/permissions.md is generated from it.
var permissions = map[Role][]Action{
	NationalFull: {ViewChild, EditDemographics, EditAudit, RegisterChild, DeleteChild, LockChild, UnlockChild,
		OptOutChild, TransferChild, RestoreChild, ViewUsers, ManageUsers, ManageNational, ViewDashboards, ViewNational, Publish, ViewJobs,
		RecalculateKPIs, ExportRecords, ViewRecordViews},
	NationalEdit: {ViewChild, EditDemographics, EditAudit, RegisterChild, LockChild, UnlockChild,
		ViewUsers, ViewDashboards, ViewNational},
	NationalView: {ViewChild, ViewUsers, ViewDashboards, ViewNational},
	LeadClinician: {ViewChild, EditDemographics, EditAudit, RegisterChild, DeleteChild, LockChild, UnlockChild,
		OptOutChild, TransferChild, ViewUsers, ManageUsers, ViewDashboards, ExportRecords},
	Clinician: {ViewChild, EditDemographics, EditAudit, RegisterChild, DeleteChild, LockChild, UnlockChild,
		OptOutChild, ViewUsers, ViewDashboards},
	Administrator:   {ViewChild, EditDemographics, ViewUsers, ViewDashboards},
	RegistryManager: {ViewRegistry, ViewRegistryIDs, EditRegistry, ExportRegistry, ManageRegistryUsers},
	RegistryViewer:  {ViewRegistry},
	// A family edits the records of the patients it has authority for
	// (app/family decides which): no lists, exports or accounts.
	Family: {ViewRegistry, ViewRegistryIDs, EditRegistry},
}

// FamilyActor is the actor a family account acts as in the registry.
func FamilyActor() Actor { return Actor{Role: Family} }

// Actor is who is asking: their role, superuser flag, and where their
// organisation sits (trust in England, health board in Wales).
type Actor struct {
	Role         Role
	Superuser    bool
	Organisation int64
	Trust        string // ODS code of the organisation's trust; empty in Wales
	HealthBoard  string // ODS code of its local health board; empty in England
}

// Place is where a record belongs: the organisation (a child's lead site, a
// user's employer) and its parent. The zero Place means "no organisation":
// national accounts, national views.
type Place struct {
	Organisation int64
	Trust        string
	HealthBoard  string
}

// National reports whether the actor sees every organisation.
func (a Actor) National() bool { return a.Superuser || a.Role.National() }

// Can reports whether the role allows the action anywhere.
func (a Actor) Can(action Action) bool {
	if a.Superuser {
		return true
	}
	for _, x := range permissions[a.Role] {
		if x == action {
			return true
		}
	}
	return false
}

// InScope reports whether p is within the actor's reach: anywhere for
// national roles and superusers; otherwise the same trust (England) or the
// same local health board (Wales). A Place with no organisation is national
// and only national actors reach it.
func (a Actor) InScope(p Place) bool {
	if a.National() {
		return true
	}
	switch {
	case a.Role.Registry() || a.Role == Family:
		return p.Organisation == 0 // the registry's records, and registry accounts
	case p.Organisation == 0:
		return false
	case a.Trust != "":
		return p.Trust == a.Trust
	case a.HealthBoard != "":
		return p.HealthBoard == a.HealthBoard
	}
	return false
}

// Allowed is the one policy decision every handler asks: may actor do
// action to something at p?
func Allowed(a Actor, action Action, p Place) bool {
	return a.Can(action) && a.InScope(p)
}

// MayAssignRole reports whether actor may give role to an account (when
// inviting or editing): national roles and the superuser flag need
// ManageNational; registry roles ManageRegistryUsers; organisation roles
// need ManageUsers.
func MayAssignRole(a Actor, role Role, superuser bool) bool {
	if superuser && !a.Superuser {
		return false
	}
	switch {
	case role.National():
		return a.Can(ManageNational)
	case role.Registry():
		return a.Can(ManageRegistryUsers)
	}
	return a.Can(ManageUsers)
}

// MayManageAccounts reports whether the actor may manage any accounts at
// all: organisation and national ones, or the registry's.
func MayManageAccounts(a Actor) bool { return a.Can(ManageUsers) || a.Can(ManageRegistryUsers) }
