package registry

import (
	"context"
	"time"

	"clinaudit/app/access"
	"clinaudit/app/report"
	"clinaudit/app/store"
)

// ReportSection adds sections to the registry's reports for a feature
// (consent: ConsentReport; surveys: survey.ReportSections): it gets the
// registry and today, and returns counts only. They are listed in one
// place, registryReportSections in app/web, which fills
// Service.ReportSections (docs/reporting.md "Adding a section").
type ReportSection func(ctx context.Context, q store.Queries, r Registry, now time.Time) ([]report.Section, error)

// Report is the registry's reports (docs/reporting.md): growth,
// demographics and genetic findings of the patients not deleted, then
// the service's ReportSections. Counts only, so a registry viewer may see it.
func (s *Service) Report(ctx context.Context, a access.Actor, slug string) (Registry, []report.Section, error) {
	r, err := s.loadFor(ctx, a, access.ViewRegistry, slug)
	if err != nil {
		return r, nil, err
	}
	patients, err := s.Store.ListRegistryReportPatients(ctx, r.ID)
	if err != nil {
		return r, nil, err
	}
	findings, err := s.Store.CountRegistryFindings(ctx, r.ID)
	if err != nil {
		return r, nil, err
	}
	labels := map[string]string{}
	for _, c := range r.VariantClassifications {
		labels[c.Code] = c.Label
	}
	now := s.Now()
	sections := report.Registry(patients, findings, labels, now)
	for _, more := range s.ReportSections {
		extra, err := more(ctx, s.Store, r, now)
		if err != nil {
			return r, nil, err
		}
		sections = append(sections, extra...)
	}
	return r, sections, nil
}
