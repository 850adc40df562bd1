package publish

import (
	"context"
	"strings"

	"clinaudit/app/aggregate"
	"clinaudit/app/store"
)

// Report is an organisation's figures in one publication, at every level
// that applies to it, in aggregate.Levels order. Levels is empty when the
// organisation was not in the publication (added to the reference data
// since).
type Report struct {
	Publication store.KPIPublication
	Levels      []aggregate.Figures
}

// Published reports whether the publication had figures for the
// organisation.
func (r Report) Published() bool { return len(r.Levels) > 0 }

// ForOrganisation is organisation organisationID's report in publication
// pub: only the published copy is read, never an aggregation run.
func ForOrganisation(ctx context.Context, q store.Queries, pub store.KPIPublication, organisationID int64) (Report, error) {
	rows, err := q.ListKPIPublishedForOrganisation(ctx, store.ListKPIPublishedForOrganisationParams{PublicationID: pub.ID, OrganisationID: organisationID})
	if err != nil {
		return Report{}, err
	}
	figs, err := aggregate.GroupFigures(rows)
	if err != nil {
		return Report{}, err
	}
	out := Report{Publication: pub}
	for _, l := range aggregate.Levels() {
		for _, f := range figs {
			if f.Level == l {
				out.Levels = append(out.Levels, f)
			}
		}
	}
	return out, nil
}

// Choose picks the publication a public page shows: cohort want's when it
// has one, otherwise (want 0) the latest cohort's. pubs is Cohorts'
// answer, latest cohort first.
func Choose(pubs []store.KPIPublication, want int64) (store.KPIPublication, bool) {
	for _, p := range pubs {
		if want == 0 || p.Cohort == want {
			return p, true
		}
	}
	return store.KPIPublication{}, false
}

// Search keeps the organisations whose name or ODS code contains q,
// ignoring case and surrounding spaces; every one for an empty q.
func Search(orgs []store.PublishedOrganisation, q string) []store.PublishedOrganisation {
	q = strings.ToLower(strings.TrimSpace(q))
	if q == "" {
		return orgs
	}
	var out []store.PublishedOrganisation
	for _, o := range orgs {
		if strings.Contains(strings.ToLower(o.Name), q) || strings.Contains(strings.ToLower(o.ODSCode), q) {
			out = append(out, o)
		}
	}
	return out
}

// NoEligible is what a measure shows when nobody is eligible (§8.3).
const NoEligible = aggregate.NoEligible
