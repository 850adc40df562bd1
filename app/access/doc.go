package access

import (
	"fmt"
	"strings"
)

// PermissionsMarkdown renders the permission table for docs/permissions.md.
func PermissionsMarkdown() string {
	var b strings.Builder
	b.WriteString("# Permissions\n\nGenerated from `app/access/policy.go` by `go test ./app/access -run PermissionsDoc -update`; a test fails when this file and the table disagree.\n\n")
	b.WriteString("Every route asks one function, `access.Allowed(actor, action, place)`: the role must allow the action (this table), and the record must be in the actor's scope. National roles and superusers reach every organisation. Everyone else reaches the organisations of their own trust (England) or local health board (Wales) and nothing national. Registry roles reach the registry's records (which belong to no organisation) and nothing of the audit. A superuser may do everything.\n\n")
	b.WriteString("| role |")
	for _, a := range Actions {
		fmt.Fprintf(&b, " %s |", a)
	}
	b.WriteString("\n|---|")
	for range Actions {
		b.WriteString("---|")
	}
	b.WriteString("\n")
	for _, r := range Roles {
		fmt.Fprintf(&b, "| %s |", r.Label())
		for _, a := range Actions {
			if (Actor{Role: r}).Can(a) {
				b.WriteString(" yes |")
			} else {
				b.WriteString(" – |")
			}
		}
		b.WriteString("\n")
	}
	b.WriteString("\nRoles: exactly one per user. National and registry roles have no organisation; the others belong to one. Audit roles have no registry actions and registry roles no audit actions; a superuser has both. `manage_users` covers accounts at organisation roles within scope; `manage_national` is needed to create or change national accounts, and `manage_registry_users` is needed to create or change registry managers and viewers; only a superuser may grant the superuser flag. A registry manager, without `view_users`, lists the registry's accounts and no others. Registry accounts are privileged like national ones: a second factor always and the 16-character password minimum, since both roles reach a whole registry's patients.\n")
	b.WriteString("\nFamilies joining a registry (issue 17) use no new action: the public join and verification pages need no account; the review queue of their requests, recording consent and withdrawals, publishing consent versions, the registry's settings and subject access need `edit_registry` (registry managers); a patient's consent page needs `view_registry_identifiers` (it names who gave consent); the consent versions and settings may be read with `view_registry` (viewers too). The access matrix (`app/web/matrix_test.go`) lists each route.\n")
	b.WriteString("\nFamily accounts are not users and have no role in this table: they sign in to `/family` only, with a session of their own that no staff route accepts (`TestFamilyMatrix`). In the registry a family acts as the `family` actor (view and edit records, nothing else), which no user can have, and only for a patient it holds an active relationship with authority for, checked by `app/family` before every call ([registry.md](registry.md#the-families-private-area-issue-17)).\n")
	return b.String()
}
