package survey

import (
	"context"
	"strconv"

	"clinaudit/app/report"
	"clinaudit/app/store"
)

// The registry's reports' survey sections (issue 21, docs/reporting.md):
// per survey sent, how many were invited and how many answered. Counts
// only, from CountSurveyResponses: no answers, no names.

// ReportSections are a section per survey of the registry that was sent
// to anyone, newest first.
func ReportSections(ctx context.Context, q store.Queries, registryID int64) ([]report.Section, error) {
	surveys, err := q.ListSurveys(ctx, registryID)
	if err != nil {
		return nil, err
	}
	var out []report.Section
	for _, sv := range surveys {
		c, err := q.CountSurveyResponses(ctx, sv.ID)
		if err != nil {
			return nil, err
		}
		if c.Invited > 0 { // a draft, or never sent: nothing to count
			out = append(out, ResponseSection(Results{Survey: sv, Counts: c}))
		}
	}
	return out, nil
}

// ResponseSection is a survey's responses: answered (finished) and not,
// of those invited. Answered's share of the section's total (the
// invited) is the survey's response rate, Results.Rate, as its results
// page shows it.
func ResponseSection(r Results) report.Section {
	return report.Section{ID: "survey-" + strconv.FormatInt(r.Survey.ID, 10), Title: "Survey responses", Group: r.Survey.Title, Of: "invited",
		Rows: []report.Row{{Label: "Answered", Count: r.Counts.Completed}, {Label: "Not answered", Count: r.Counts.Invited - r.Counts.Completed}}}
}
