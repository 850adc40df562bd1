// Command listgen writes the case list's queries. Without a search, one
// query per sort column and direction, nationally and within one scope (a
// trust or health board), each with a literal ORDER BY that an index of
// schema/*/00007_children_list_indexes.sql serves, so a page is a walk of
// that index that stops after the page. sqlc cannot take a sort order as a
// parameter (and its SQLite parser drops parameters in ORDER BY), hence one
// query per order: 40, written here from one table rather than by hand.
// With a search, the queries that find, page and count the children
// matching it, which share the same four index ranges.
//
// It writes queries/sqlite/children_list.sql, queries/postgres/children_list.sql
// (the same queries but for PostgreSQL's NULLS FIRST/LAST, which SQLite's
// order needs spelt out) and app/store/children_list_gen.go (the interface
// of the sorted queries and the switch that picks one). Run by `make
// generate` before sqlc; never edit its output by hand.
package main

import (
	"bytes"
	"fmt"
	"go/format"
	"log"
	"os"
	"strings"
)

// column is one sortable column of the case list.
type column struct {
	sort     string // children.Filter's Sort value
	method   string // in query names: ListChildrenBy<method>Asc
	key      string // what the list is ordered by, then by c.id
	nullable bool   // NULLs first ascending and last descending (SQLite's own order)
	unique   bool   // no tie-break on c.id needed
}

var columns = []column{
	{sort: "audit_id", method: "AuditID", key: "c.audit_id", unique: true},
	{sort: "name", method: "Name", key: "c.name_key"},
	{sort: "nhs_number", method: "NHSNumber", key: "c.number_key"},
	{sort: "date_of_birth", method: "DateOfBirth", key: "c.date_of_birth", nullable: true},
	{sort: "cohort", method: "Cohort", key: "c.cohort", nullable: true},
	{sort: "organisation", method: "Organisation", key: "c.organisation_key"},
	{sort: "status", method: "Status", key: "c.status_key"},
	// Spec §10.1's progress, days remaining and date submitted. Days
	// remaining count down to the cohort's deadline, so they sort as the
	// cohort does (its indexes); the date submitted is locked_at.
	{sort: "progress", method: "Progress", key: "c.audit_progress", nullable: true},
	{sort: "days_remaining", method: "DaysRemaining", key: "c.cohort", nullable: true},
	{sort: "submitted", method: "Submitted", key: "c.locked_at", nullable: true},
}

// selectList is the columns of store.ChildListItem, from c and o.
const selectList = `SELECT c.id, c.audit_id, coalesce(c.nhs_number, '') AS nhs_number,
    coalesce(c.unique_reference_number, '') AS unique_reference_number,
    coalesce(c.first_name, '') AS first_name, coalesce(c.surname, '') AS surname, c.date_of_birth, c.sex,
    c.cohort, CAST(c.registered_at IS NOT NULL AS BOOLEAN) AS registered,
    CAST(c.locked_at IS NOT NULL AS BOOLEAN) AS locked, CAST(c.opted_out_at IS NOT NULL AS BOOLEAN) AS opted_out,
    o.ods_code AS organisation_ods, o.name AS organisation_name, c.audit_progress, c.locked_at
`

const from = `FROM children c
JOIN organisations o ON o.id = c.lead_organisation_id
`

// filters are the list's filters on the children aliased a, each off when
// its parameter is empty or 0.
func filters(a, indent string) string {
	return strings.NewReplacer("c.", a+".", "\n  ", "\n"+indent).Replace(`
  AND (CAST(@organisation_id AS BIGINT) = 0 OR c.lead_organisation_id = CAST(@organisation_id AS BIGINT))
  AND (CAST(@cohort AS BIGINT) = 0 OR c.cohort = CAST(@cohort AS BIGINT))
  AND (CAST(@registered AS TEXT) = '' OR (CAST(@registered AS TEXT) = 'yes') = (c.registered_at IS NOT NULL))
  AND (CAST(@locked AS TEXT) = '' OR (CAST(@locked AS TEXT) = 'yes') = (c.locked_at IS NOT NULL))
  AND (CAST(@opted_out AS TEXT) = 'all' OR (CAST(@opted_out AS TEXT) = 'yes') = (c.opted_out_at IS NOT NULL))`)
}

// matching is the children matching a search, as a compound SELECT of
// what (columns of s) from four index ranges, each filtered: name_key and
// first_name_key in [name_from, name_to), number_key in
// [number_from, number_to), audit_id in [audit_id_from, audit_id_to].
// Empty bounds match nothing. The name ranges' indexes carry name_key and
// the filters' columns (on SQLite, those of the filters that are on by
// default), so a search by name is counted and ordered by name without
// reading the children's rows.
func matching(what, union, indent string) string {
	var arms []string
	for _, r := range []string{
		"s.name_key >= CAST(@name_from AS TEXT) AND s.name_key < CAST(@name_to AS TEXT)",
		"s.first_name_key >= CAST(@name_from AS TEXT) AND s.first_name_key < CAST(@name_to AS TEXT)",
		"s.number_key >= CAST(@number_from AS TEXT) AND s.number_key < CAST(@number_to AS TEXT)",
		"s.audit_id BETWEEN CAST(@audit_id_from AS TEXT) AND CAST(@audit_id_to AS TEXT)",
	} {
		arms = append(arms, indent+"SELECT "+what+" FROM children s\n"+indent+"WHERE s.deleted_at IS NULL AND "+r+
			"\n"+indent+"  AND (CAST(@scope AS TEXT) = '' OR s.scope_code = CAST(@scope AS TEXT))"+filters("s", indent+"  "))
	}
	return strings.Join(arms, "\n"+indent+union+"\n")
}

// searched keeps, when the searching parameter is true, the children a
// search matches (the ranges of matching): the page queries serve a search
// that matches many children, walking the column's index until the page is
// full rather than reading every match (app/children decides which).
const searched = `  AND (NOT CAST(@searching AS BOOLEAN)
       OR (c.name_key >= CAST(@name_from AS TEXT) AND c.name_key < CAST(@name_to AS TEXT))
       OR (c.first_name_key >= CAST(@name_from AS TEXT) AND c.first_name_key < CAST(@name_to AS TEXT))
       OR (c.number_key >= CAST(@number_from AS TEXT) AND c.number_key < CAST(@number_to AS TEXT))
       OR c.audit_id BETWEEN CAST(@audit_id_from AS TEXT) AND CAST(@audit_id_to AS TEXT))`

// query is one generated sorted query.
type query struct {
	name   string
	col    column
	desc   bool
	scoped bool
}

func queries() []query {
	var out []query
	for _, scoped := range []bool{false, true} {
		for _, c := range columns {
			for _, desc := range []bool{false, true} {
				name := "ListChildren"
				if scoped {
					name += "InScope"
				}
				name += "By" + c.method + direction(desc)
				out = append(out, query{name: name, col: c, desc: desc, scoped: scoped})
			}
		}
	}
	return out
}

func direction(desc bool) string { return map[bool]string{false: "Asc", true: "Desc"}[desc] }

func orderBy(q query, postgres bool) string {
	dir := map[bool]string{false: "ASC", true: "DESC"}[q.desc]
	key := q.col.key + " " + dir
	if q.col.nullable && postgres {
		key += map[bool]string{false: " NULLS FIRST", true: " NULLS LAST"}[q.desc]
	}
	if q.col.unique {
		return key
	}
	return key + ", c.id " + dir
}

// sortKey is the text a search's results sort by for each column: as the
// indexes order them (NULLs first, cohorts as numbers).
const sortKey = `CASE CAST(@sort_column AS TEXT)
            WHEN 'audit_id' THEN c.audit_id
            WHEN 'nhs_number' THEN c.number_key
            WHEN 'date_of_birth' THEN coalesce(CAST(c.date_of_birth AS TEXT), '')
            WHEN 'cohort' THEN coalesce(CASE WHEN c.cohort < 10 THEN '00' WHEN c.cohort < 100 THEN '0' ELSE '' END || CAST(c.cohort AS TEXT), '')
            WHEN 'days_remaining' THEN coalesce(CASE WHEN c.cohort < 10 THEN '00' WHEN c.cohort < 100 THEN '0' ELSE '' END || CAST(c.cohort AS TEXT), '')
            WHEN 'progress' THEN coalesce(CASE WHEN c.audit_progress < 10 THEN '00' WHEN c.audit_progress < 100 THEN '0' ELSE '' END || CAST(c.audit_progress AS TEXT), '')
            WHEN 'submitted' THEN coalesce(CAST(c.locked_at AS TEXT), '')
            WHEN 'organisation' THEN c.organisation_key
            WHEN 'status' THEN CAST(c.status_key AS TEXT)
            ELSE c.name_key END`

func sqlFile(postgres bool) []byte {
	var b bytes.Buffer
	b.WriteString(`-- Code generated by app/store/internal/listgen. DO NOT EDIT.
--
-- The case list without a search: one query per sort column and direction,
-- nationally (ListChildrenBy...) and within one scope, a trust or health
-- board (ListChildrenInScopeBy..., the scope parameter being the
-- children.scope_code wanted). Each ORDER BY is the order of one index of
-- 00007_children_list_indexes.sql, so the page is a walk of that index.
-- Opted-out children are left out unless the opted_out parameter is 'yes'
-- (only them) or 'all'; the other filters are off when empty or 0. With
-- searching true they keep only the children a search matches (below):
-- the walk for a search that matches many.
`)
	for _, q := range queries() {
		fmt.Fprintf(&b, "\n-- name: %s :many\n%s%sWHERE c.deleted_at IS NULL\n", q.name, selectList, from)
		if q.scoped {
			b.WriteString("  AND c.scope_code = CAST(@scope AS TEXT)\n")
		}
		fmt.Fprintf(&b, "%s%s\nORDER BY %s\nLIMIT @page_limit OFFSET @page_offset;\n", searched, filters("c", "  "), orderBy(q, postgres))
	}
	b.WriteString(`
-- The case list with a search: the children whose name (either way round),
-- NHS or reference number or audit ID starts with what was typed, found as
-- four ranges of four indexes (the bounds worked out in app/children),
-- within the scope parameter ('' for every organisation) and the filters.
-- CountChildrenMatching counts them; ListChildrenMatchingByName pages them
-- by name (the list's default order) from the indexes alone and reads only
-- the page's rows; ListChildrenMatching pages them by any column, reading
-- every match, sorted by text keys computed in the select list (sqlc's
-- SQLite parser drops parameters in ORDER BY): one ascending, one
-- descending, the other ''.

-- name: CountChildrenMatching :one
SELECT count(*) FROM (
`)
	b.WriteString(matching("s.id", "UNION", "    "))
	b.WriteString("\n) m;\n")
	for _, desc := range []bool{false, true} {
		dir := map[bool]string{false: "", true: " DESC"}[desc]
		fmt.Fprintf(&b, "\n-- name: ListChildrenMatchingByName%s :many\n%sFROM (\n%s\n    ORDER BY 2%s, 1%s\n    LIMIT @page_limit OFFSET @page_offset\n) m\nJOIN children c ON c.id = m.id\nJOIN organisations o ON o.id = c.lead_organisation_id\nORDER BY m.name_key%s, m.id%s;\n",
			direction(desc), selectList, matching("s.id, s.name_key", "UNION", "    "), dir, dir, dir, dir)
	}
	fmt.Fprintf(&b, `
-- name: ListChildrenMatching :many
SELECT p.id, p.audit_id, p.nhs_number, p.unique_reference_number, p.first_name, p.surname, p.date_of_birth, p.sex,
    p.cohort, p.registered, p.locked, p.opted_out, p.organisation_ods, p.organisation_name, p.audit_progress, p.locked_at
FROM (
    %s        CAST(CASE WHEN CAST(@descending AS BOOLEAN) THEN '' ELSE %s END AS TEXT) AS sort_up,
        CAST(CASE WHEN CAST(@descending AS BOOLEAN) THEN %s ELSE '' END AS TEXT) AS sort_down,
        CASE WHEN CAST(@descending AS BOOLEAN) THEN -c.id ELSE c.id END AS sort_id
    %s    WHERE c.id IN (
%s)
) p
ORDER BY p.sort_up ASC, p.sort_down DESC, p.sort_id ASC
LIMIT @page_limit OFFSET @page_offset;
`, strings.ReplaceAll(strings.TrimSuffix(selectList, "\n"), "\n", "\n    ")+",\n", sortKey, sortKey,
		strings.ReplaceAll(from, "\n", "\n    "), matching("s.id", "UNION ALL", "        "))
	return b.Bytes()
}

func goFile() []byte {
	var b bytes.Buffer
	b.WriteString(`// Code generated by app/store/internal/listgen. DO NOT EDIT.

package store

import (
	"context"
	"fmt"
)

// ChildListQueries are the case list's pages without a search, one query
// per sort column and direction, nationally and within one scope
// (queries/*/children_list.sql). ListChildrenSorted and
// ListChildrenInScopeSorted pick one.
type ChildListQueries interface {
`)
	for _, q := range queries() {
		param := "ChildListParams"
		if q.scoped {
			param = "ChildListInScopeParams"
		}
		where, order := "in every organisation", "ascending"
		if q.scoped {
			where = "within arg.Scope"
		}
		if q.desc {
			order = "descending"
		}
		fmt.Fprintf(&b, "\t// %s is a page of the case list %s by %s, %s.\n", q.name, where, q.col.sort, order)
		fmt.Fprintf(&b, "\t%s(ctx context.Context, arg %s) ([]ChildListItem, error)\n", q.name, param)
	}
	b.WriteString("}\n\n// ChildSortColumns are the columns the case list sorts by.\nvar ChildSortColumns = []string{")
	for i, c := range columns {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%q", c.sort)
	}
	b.WriteString("}\n")
	for _, scoped := range []bool{false, true} {
		name, param, what := "ListChildrenSorted", "ChildListParams", "in every organisation"
		if scoped {
			name, param, what = "ListChildrenInScopeSorted", "ChildListInScopeParams", "within arg.Scope"
		}
		fmt.Fprintf(&b, "\n// %s returns a page of the case list %s, sorted by column\n// (one of ChildSortColumns) ascending or descending.\n", name, what)
		fmt.Fprintf(&b, "func %s(ctx context.Context, q ChildListQueries, column string, desc bool, arg %s) ([]ChildListItem, error) {\n\tswitch {\n", name, param)
		for _, q := range queries() {
			if q.scoped == scoped {
				fmt.Fprintf(&b, "\tcase column == %q && %sdesc:\n\t\treturn q.%s(ctx, arg)\n", q.col.sort, map[bool]string{false: "!", true: ""}[q.desc], q.name)
			}
		}
		b.WriteString("\t}\n\treturn nil, fmt.Errorf(\"store: the case list has no column %q\", column)\n}\n")
	}
	src, err := format.Source(b.Bytes())
	if err != nil {
		log.Fatalf("format: %v\n%s", err, b.String())
	}
	return src
}

func main() {
	for path, src := range map[string][]byte{
		"queries/sqlite/children_list.sql":   sqlFile(false),
		"queries/postgres/children_list.sql": sqlFile(true),
		"app/store/children_list_gen.go":     goFile(),
	} {
		if err := os.WriteFile(path, src, 0o644); err != nil {
			log.Fatal(err)
		}
	}
}
