package children

import (
	"context"
	"strings"
	"time"

	"clinaudit/app/access"
	"clinaudit/app/nhsnumber"
	"clinaudit/app/store"
)

// ChangeFilter narrows a child's trail; zero values mean everything.
type ChangeFilter struct {
	Kind  string
	By    int64
	Limit int64
}

// ChangeRow is one change to the child as the history page shows it: the
// field and values in words, identifiers masked for those who may not see
// them.
type ChangeRow struct {
	At                         time.Time
	Who, Kind, Field, Old, New string
	Cause, Note, RequestID     string
}

// Changes is the trail of changes to a child, for an actor who may view
// the child.
type Changes struct {
	Rows    []ChangeRow
	Authors []store.ChangeAuthor
}

// Changes reads the child's trail, newest first. Errors: ErrNotFound.
func (s *Service) Changes(ctx context.Context, a access.Actor, id int64, f ChangeFilter) (Changes, error) {
	c, o, _, err := s.load(ctx, s.Store, a, id)
	if err != nil {
		return Changes{}, err
	}
	if f.Limit <= 0 || f.Limit > 1000 {
		f.Limit = 500
	}
	rows, err := s.Store.ListChildChanges(ctx, store.ListChildChangesParams{ChildID: c.ID, KindFilter: f.Kind,
		ChangedByFilter: f.By, PageLimit: f.Limit})
	if err != nil {
		return Changes{}, err
	}
	authors, err := s.Store.ListChildChangeAuthors(ctx, c.ID)
	if err != nil {
		return Changes{}, err
	}
	unmask := MaySeeIdentifiers(a, access.PlaceOfOrganisation(o))
	out := Changes{Authors: authors}
	for _, r := range rows {
		who := r.ChangedByName
		if who == "" {
			who = "The system"
		}
		out.Rows = append(out.Rows, ChangeRow{At: r.ChangedAt, Who: who, Kind: KindLabel(r.Kind), Field: fieldLabels[r.Field],
			Old: ValueText(r.Field, r.OldValue, unmask), New: ValueText(r.Field, r.NewValue, unmask),
			Cause: causeLabels[r.Cause], Note: r.Note, RequestID: r.RequestID})
	}
	return out, nil
}

// MaySeeIdentifiers reports whether the actor may see the identifiers a
// child's trail holds (past NHS numbers, names, dates of birth, postcodes):
// those who may change them (edit_demographics at the child's
// organisation). Everyone else who may view the child (the national audit
// team with view-only access) sees them masked.
func MaySeeIdentifiers(a access.Actor, p access.Place) bool {
	return access.Allowed(a, access.EditDemographics, p)
}

// identifiers are the fields masked for those who may not see them.
var identifiers = map[string]bool{"nhs_number": true, "unique_reference_number": true, "first_name": true,
	"surname": true, "date_of_birth": true, "postcode": true}

var fieldLabels = map[string]string{
	"nhs_number": "NHS number", "unique_reference_number": "Unique reference number", "first_name": "First name",
	"surname": "Surname", "date_of_birth": "Date of birth", "sex": "Sex", "postcode": "Postcode", "ethnicity": "Ethnicity",
	"lead_organisation": "Lead organisation", "eligibility_confirmed": "Eligibility confirmed",
	"first_paediatric_assessment_date": "First paediatric assessment date", "cohort": "Cohort", "locked": "Record",
	"transfer": "Transfer of lead organisation", "opted_out": "Opted out of the audit", "deleted": "Record deleted",
}

var kindLabels = map[string]string{KindDemographics: "Details", KindRegistration: "Registration", KindLock: "Lock",
	KindTransfer: "Transfer", KindOptOut: "Opt-out", KindDeletion: "Deletion"}

// KindLabel names a kind of change, for the page and its filter.
func KindLabel(kind string) string { return kindLabels[kind] }

var causeLabels = map[string]string{CauseForm: "Changed on a form", CauseImport: "Imported",
	CauseTransfer: "Transfer of lead organisation", CauseNational: "National audit team", CauseJob: "Background job"}

// ValueText is a stored value of field as a person reads it; identifiers
// are masked unless unmask.
func ValueText(field string, v *string, unmask bool) string {
	if v == nil {
		return "Not set"
	}
	s := *v
	if identifiers[field] && !unmask {
		return mask(field, s)
	}
	switch field {
	case "nhs_number":
		return nhsnumber.Format(s)
	case "postcode":
		return postcodeDisplay(s)
	case "date_of_birth", "first_paediatric_assessment_date":
		if t, err := time.Parse("2006-01-02", s); err == nil {
			return t.Format("2 January 2006")
		}
	case "sex":
		return label(Sexes, s)
	case "ethnicity":
		return EthnicityLabel(s)
	case "locked":
		return map[string]string{"true": "Locked", "false": "Not locked"}[s]
	case "transfer":
		return map[string]string{store.TransferPending: "Waiting for an answer", store.TransferAccepted: "Accepted",
			store.TransferRejected: "Rejected", store.TransferCancelled: "Cancelled"}[s]
	}
	switch s {
	case "true":
		return "Yes"
	case "false":
		return "No"
	}
	return s
}

// mask hides an identifier: the last four characters of an NHS or
// reference number (enough to tell two apart), nothing of the others.
func mask(field, s string) string {
	switch field {
	case "nhs_number", "unique_reference_number":
		if len(s) > 4 {
			return strings.Repeat("*", len(s)-4) + s[len(s)-4:]
		}
		return "****"
	}
	return "Hidden"
}
