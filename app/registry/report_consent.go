package registry

import (
	"context"
	"errors"
	"time"

	"clinaudit/app/report"
	"clinaudit/app/store"
)

// The reports' consent sections (issue 21, docs/reporting.md): patients
// (not deleted) by the state of their consent in force, and what those
// who take part agreed to. Counts only: the store groups, Consent.State
// says what each group means.

// consentStateLabels name the states in ConsentState's order.
var consentStateLabels = [...]string{
	ConsentCurrent:        "Consented to the current version",
	ConsentNeedsReconsent: "Needs re-consent (older version)",
	ConsentWithdrawn:      "Withdrawn",
	ConsentNone:           "No consent recorded",
}

// ConsentReport is a ReportSection: the registry's consent sections.
func ConsentReport(ctx context.Context, q store.Queries, r Registry, _ time.Time) ([]report.Section, error) {
	var current int64 // no version published: nobody has consented yet
	v, err := q.GetCurrentConsentVersion(ctx, r.ID)
	if err == nil {
		current = v.Version
	} else if !errors.Is(err, store.ErrNotFound) {
		return nil, err
	}
	counts, err := q.CountRegistryConsents(ctx, r.ID)
	if err != nil {
		return nil, err
	}
	none, err := q.CountRegistryPatientsWithoutConsent(ctx, r.ID)
	if err != nil {
		return nil, err
	}
	return ConsentSections(counts, none, current), nil
}

// ConsentSections counts patients by consent state (every state, even
// when none is in it) and, of those who take part (under the current
// version or an older one), who agreed to be contacted about research and
// to share de-identified data. none is the patients with no consent on
// record; current the registry's current consent version.
func ConsentSections(counts []store.RegistryConsentCount, none, current int64) []report.Section {
	var states [len(consentStateLabels)]int64
	states[ConsentNone] = none
	var research, share [2]int64 // yes, no
	for _, c := range counts {
		st := consentIn(store.PatientConsent{VersionNumber: c.VersionNumber, TakePart: c.TakePart,
			ResearchContact: c.ResearchContact, ShareDeidentified: c.ShareDeidentified}, true, current).State()
		states[st] += c.Patients
		if st == ConsentCurrent || st == ConsentNeedsReconsent {
			research[yesNo(c.ResearchContact)] += c.Patients
			share[yesNo(c.ShareDeidentified)] += c.Patients
		}
	}
	byState := report.Section{ID: "consent", Title: "Consent", Of: "patients"}
	for st, label := range consentStateLabels {
		byState.Rows = append(byState.Rows, report.Row{Label: label, Count: states[st]})
	}
	agreed := func(id, title string, n [2]int64) report.Section {
		return report.Section{ID: id, Title: title, Of: "patients who consented",
			Rows: []report.Row{{Label: "Yes", Count: n[0]}, {Label: "No", Count: n[1]}}}
	}
	return []report.Section{byState,
		agreed("consent-research", "Agreed to be contacted about research", research),
		agreed("consent-share", "Agreed to share de-identified data", share)}
}

// yesNo indexes a yes/no pair: 0 yes, 1 no.
func yesNo(b bool) int {
	if b {
		return 0
	}
	return 1
}
