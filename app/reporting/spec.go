// Package reporting defines the masked reporting tables (docs/reporting.md):
// views over the audit and the registry with personal data removed or
// generalised, for BI tools. One definition (Views) serves both engines: it
// renders PostgreSQL's `reporting` schema (migration 00034, checked against
// it by a test) and the SELECTs `clinaudit reporting-copy` runs on SQLite.
// Only the few masking functions differ between dialects (expr.go).
package reporting

import (
	"clinaudit/app/kpi"
)

// Mask says how a column's source value is generalised.
type Mask int

const (
	// MaskKeep copies a value that identifies nobody (a code, a count, a flag).
	MaskKeep Mask = iota
	// MaskPseudonym replaces an internal id with a keyed HMAC (Pseudonym in
	// hmac.go): the same person has the same pseudonym in every view, and
	// nobody without the key can go back from it.
	MaskPseudonym
	// MaskAgeYears is whole years between two dates (From and Src), as the
	// audit counts age: whole days ÷ 365.25.
	MaskAgeYears
	// MaskAgeBand is AgeYears put in one of AgeBands.
	MaskAgeBand
	// MaskPostcodeDistrict keeps the outward code ("CB2" of "CB2 0QQ").
	MaskPostcodeDistrict
	// MaskMonth coarsens a date or time to "2026-05".
	MaskMonth
	// MaskYear coarsens a date or time to 2026.
	MaskYear
	// MaskIsSet says whether a value is there (a date of death) without it.
	MaskIsSet
)

// Type is a column's type in the copy.
type Type string

const (
	Text    Type = "TEXT"
	Integer Type = "INTEGER"
	Boolean Type = "BOOLEAN"
)

// Column is one column of a view: its name, what it is made from and how.
type Column struct {
	Name string
	Mask Mask
	Src  string // a column of the view's FROM, or an expression valid on both engines
	// From is AgeYears' and AgeBand's starting date (the date of birth);
	// Src is then the date the age is taken at ("" for today).
	From string
	// Kind names a pseudonym's kind of person ("child", "patient",
	// "contact"), part of what is hashed so the kinds never collide.
	Kind string
	Type Type
	Doc  string
}

// View is one table of the reporting schema.
type View struct {
	Name, Doc string
	From      string // FROM and JOINs, valid on both engines
	Where     string
	Columns   []Column
	// Count, when set, makes the view a count of rows grouped by every
	// column: the name of the count column.
	Count string
}

// AgeBand names the band of an age in whole years; bands start at Start.
type AgeBand struct {
	Start int
	Label string
}

// AgeBands are the bands the views and the reports use.
var AgeBands = []AgeBand{
	{0, "Under 1"}, {1, "1 to 4"}, {5, "5 to 9"}, {10, "10 to 15"}, {16, "16 to 24"}, {25, "25 to 39"}, {40, "40 and over"},
}

// BandOf is the label of the band of age (years); "" for a negative age.
func BandOf(age int) string {
	label := ""
	for _, b := range AgeBands {
		if age >= b.Start {
			label = b.Label
		}
	}
	return label
}

const notDeleted = "deleted_at IS NULL"

// Views is the reporting schema, in the order it is created.
var Views = []View{
	{Name: "organisations", Doc: "The audit's organisations with their trust or health board, ICB, region and country: public reference data.",
		From: "organisation_details",
		Columns: []Column{
			{Name: "organisation_id", Src: "id", Type: Integer, Doc: "the id other views use"},
			{Name: "ods_code", Src: "ods_code", Type: Text},
			{Name: "name", Src: "name", Type: Text},
			{Name: "trust_or_health_board", Src: "coalesce(nullif(trust_name, ''), health_board_name)", Type: Text},
			{Name: "icb", Src: "icb_name", Type: Text},
			{Name: "nhs_england_region", Src: "region_name", Type: Text},
			{Name: "openuk_network", Src: "network_name", Type: Text},
			{Name: "country", Src: "country_name", Type: Text},
		}},
	{Name: "children", Doc: "One row per child in the audit (not deleted).",
		From:  "children c LEFT JOIN postcode_deprivation d ON d.postcode = c.postcode",
		Where: "c.deleted_at IS NULL",
		Columns: []Column{
			{Name: "child", Mask: MaskPseudonym, Src: "c.id", Kind: "child", Type: Text, Doc: "pseudonym"},
			{Name: "organisation_id", Src: "c.lead_organisation_id", Type: Integer, Doc: "lead organisation (organisations view)"},
			{Name: "cohort", Src: "c.cohort", Type: Integer, Doc: "audit cohort; empty until registered"},
			{Name: "registered", Src: "c.registered_at IS NOT NULL", Type: Boolean},
			{Name: "locked", Src: "c.locked_at IS NOT NULL", Type: Boolean},
			{Name: "sex", Src: "c.sex", Type: Integer, Doc: "SEX_TYPE code: 0 not known, 1 male, 2 female, 9 not specified"},
			{Name: "ethnicity", Src: "c.ethnicity", Type: Text, Doc: "ethnicity code"},
			{Name: "age_at_first_assessment", Mask: MaskAgeYears, From: "c.date_of_birth", Src: "c.first_paediatric_assessment_date", Type: Integer, Doc: "whole years, as the audit counts them"},
			{Name: "age_band_at_first_assessment", Mask: MaskAgeBand, From: "c.date_of_birth", Src: "c.first_paediatric_assessment_date", Type: Text},
			{Name: "first_assessment_month", Mask: MaskMonth, Src: "c.first_paediatric_assessment_date", Type: Text, Doc: "date coarsened to the month"},
			{Name: "postcode_district", Mask: MaskPostcodeDistrict, Src: "c.postcode", Type: Text, Doc: "outward code only"},
			{Name: "imd_quintile", Src: "d.imd_quintile", Type: Integer, Doc: "deprivation quintile of the postcode (1 most deprived), from the loaded lookup; empty when not known"},
		}},
	{Name: "children_counts", Doc: "Children counted by organisation, cohort, sex, ethnicity, age band and deprivation quintile.",
		From:  "children c LEFT JOIN postcode_deprivation d ON d.postcode = c.postcode",
		Where: "c.deleted_at IS NULL AND c.registered_at IS NOT NULL", Count: "children",
		Columns: []Column{
			{Name: "organisation_id", Src: "c.lead_organisation_id", Type: Integer},
			{Name: "cohort", Src: "c.cohort", Type: Integer},
			{Name: "sex", Src: "c.sex", Type: Integer},
			{Name: "ethnicity", Src: "c.ethnicity", Type: Text},
			{Name: "age_band_at_first_assessment", Mask: MaskAgeBand, From: "c.date_of_birth", Src: "c.first_paediatric_assessment_date", Type: Text},
			{Name: "imd_quintile", Src: "d.imd_quintile", Type: Integer},
		}},
	{Name: "kpi_results", Doc: "Each scored child's 21 measures: 1 pass, 0 fail, 2 ineligible, empty not scored.",
		From: "kpi_results k JOIN children c ON c.id = k.child_id", Where: "c.deleted_at IS NULL",
		Columns: append([]Column{
			{Name: "child", Mask: MaskPseudonym, Src: "c.id", Kind: "child", Type: Text, Doc: "pseudonym"},
			{Name: "organisation_id", Src: "c.lead_organisation_id", Type: Integer},
			{Name: "cohort", Src: "c.cohort", Type: Integer},
			{Name: "computed_month", Mask: MaskMonth, Src: "k.computed_at", Type: Text},
		}, measureColumns()...)},
	{Name: "registry_patients", Doc: "One row per registry patient (not deleted).",
		From: "registry_patients p JOIN registries r ON r.id = p.registry_id", Where: "p." + notDeleted,
		Columns: []Column{
			{Name: "patient", Mask: MaskPseudonym, Src: "p.id", Kind: "patient", Type: Text, Doc: "pseudonym"},
			{Name: "registry", Src: "r.slug", Type: Text},
			{Name: "sex", Src: "p.sex", Type: Integer, Doc: "SEX_TYPE code"},
			{Name: "age", Mask: MaskAgeYears, From: "p.date_of_birth", Type: Integer, Doc: "whole years today"},
			{Name: "age_band", Mask: MaskAgeBand, From: "p.date_of_birth", Type: Text},
			{Name: "birth_year", Mask: MaskYear, Src: "p.date_of_birth", Type: Integer},
			{Name: "postcode_district", Mask: MaskPostcodeDistrict, Src: "p.postcode", Type: Text},
			{Name: "diagnosis_year", Mask: MaskYear, Src: "p.diagnosis_date", Type: Integer},
			{Name: "diagnosis_confirmation", Src: "p.diagnosis_confirmation", Type: Text, Doc: "code of the registry's list"},
			{Name: "clinical_status", Src: "p.clinical_status", Type: Text, Doc: "code of the registry's list"},
			{Name: "deceased", Mask: MaskIsSet, Src: "p.date_of_death", Type: Boolean},
			{Name: "registered_month", Mask: MaskMonth, Src: "p.created_at", Type: Text},
		}},
	{Name: "registry_patient_counts", Doc: "Registry patients counted by month registered, sex and age band.",
		From: "registry_patients p JOIN registries r ON r.id = p.registry_id", Where: "p." + notDeleted, Count: "patients",
		Columns: []Column{
			{Name: "registry", Src: "r.slug", Type: Text},
			{Name: "registered_month", Mask: MaskMonth, Src: "p.created_at", Type: Text},
			{Name: "sex", Src: "p.sex", Type: Integer},
			{Name: "age_band", Mask: MaskAgeBand, From: "p.date_of_birth", Type: Text},
		}},
	{Name: "registry_findings", Doc: "Genetic findings: gene and classification. The variant itself, the lab report and who confirmed it are left out: a rare variant can identify a family.",
		From: "registry_findings f JOIN registry_patients p ON p.id = f.patient_id", Where: "p." + notDeleted,
		Columns: []Column{
			{Name: "patient", Mask: MaskPseudonym, Src: "p.id", Kind: "patient", Type: Text, Doc: "pseudonym"},
			{Name: "gene", Src: "f.gene", Type: Text},
			{Name: "classification", Src: "f.classification", Type: Text, Doc: "code of the registry's list"},
			{Name: "recorded_month", Mask: MaskMonth, Src: "f.created_at", Type: Text},
		}},
	{Name: "registry_contacts", Doc: "Contacts (not deleted, not merged away): how they may be reached, never the details themselves.",
		From: "registry_contacts k JOIN registries r ON r.id = k.registry_id", Where: "k.deleted_at IS NULL AND k.merged_into_id IS NULL",
		Columns: []Column{
			{Name: "contact", Mask: MaskPseudonym, Src: "k.id", Kind: "contact", Type: Text, Doc: "pseudonym"},
			{Name: "registry", Src: "r.slug", Type: Text},
			{Name: "postcode_district", Mask: MaskPostcodeDistrict, Src: "k.postcode", Type: Text},
			{Name: "has_email", Src: "k.email <> ''", Type: Boolean},
			{Name: "has_phone", Src: "k.phone <> ''", Type: Boolean},
			{Name: "preferred_language", Src: "k.preferred_language", Type: Text},
			{Name: "preferred_channel", Src: "k.preferred_channel", Type: Text},
			{Name: "may_contact", Src: "k.may_contact", Type: Boolean},
			{Name: "needs_review", Src: "k.needs_review", Type: Boolean},
		}},
	{Name: "registry_relationships", Doc: "Links between patients and contacts (not deleted).",
		From:  "registry_relationships l JOIN registry_patients p ON p.id = l.patient_id JOIN registry_contacts k ON k.id = l.contact_id",
		Where: "l.deleted_at IS NULL AND p.deleted_at IS NULL AND k.deleted_at IS NULL",
		Columns: []Column{
			{Name: "patient", Mask: MaskPseudonym, Src: "p.id", Kind: "patient", Type: Text, Doc: "pseudonym"},
			{Name: "contact", Mask: MaskPseudonym, Src: "k.id", Kind: "contact", Type: Text, Doc: "pseudonym"},
			{Name: "type", Src: "l.type", Type: Text},
			{Name: "legal_authority", Src: "l.legal_authority", Type: Boolean},
			{Name: "may_act", Src: "l.may_act", Type: Boolean},
			{Name: "is_primary", Src: "l.is_primary", Type: Boolean},
			{Name: "start_year", Mask: MaskYear, Src: "l.start_date", Type: Integer},
			{Name: "ended", Mask: MaskIsSet, Src: "l.end_date", Type: Boolean},
		}},
}

// measureColumns are kpi_results' 21 measure columns, named as the audit
// names them.
func measureColumns() []Column {
	var cols []Column
	for _, m := range kpi.Measures() {
		cols = append(cols, Column{Name: m.ID, Src: "k." + m.ID, Type: Integer, Doc: "KPI " + m.Number})
	}
	return cols
}
