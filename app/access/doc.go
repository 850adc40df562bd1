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
	return b.String()
}
