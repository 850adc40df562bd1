package kpi

import (
	"testing"

	"clinaudit/app/audit"
)

func ecg(convulsive, done *bool) func(*audit.Child) {
	return func(c *audit.Child) {
		c.EpilepsyContext.WereAnyOfTheEpilepticSeizuresConvulsive = convulsive
		c.Investigations.TwelveLeadECGStatus = done
	}
}

func TestKPI4ECG(t *testing.T) {
	runMeasure(t, ECG, []scoreCase{
		{"not convulsive is ineligible even with ECG unanswered", ecg(no(), nil), Ineligible, "not_convulsive"},
		{"not convulsive is ineligible with an ECG done", ecg(no(), yes()), Ineligible, "not_convulsive"},
		{"convulsive unanswered is not scored", ecg(nil, yes()), NotScored, "convulsive_unanswered"},
		{"convulsive, ECG unanswered, is not scored", ecg(yes(), nil), NotScored, "ecg_unanswered"},
		{"convulsive with an ECG passes", ecg(yes(), yes()), Pass, "ecg_done"},
		{"convulsive without an ECG fails", ecg(yes(), no()), Fail, "ecg_not_done"},
	})
}

func mri(indicated *bool, requested, reported string) func(*audit.Child) {
	return func(c *audit.Child) {
		c.Investigations.MRIIndicated = indicated
		if requested != "" {
			c.Investigations.MRIBrainRequestedDate = day(requested)
		}
		if reported != "" {
			c.Investigations.MRIBrainReportedDate = day(reported)
		}
	}
}

func syndrome(name string) func(*audit.Child) {
	return func(c *audit.Child) {
		c.MultiaxialDiagnosis.SyndromePresent = yes()
		c.Syndromes = append(c.Syndromes, audit.Syndrome{SyndromeName: str(name)})
	}
}

func TestKPI5MRI(t *testing.T) {
	cases := []scoreCase{
		{"untouched Tests form fails, never not scored", nil, Fail, "mri_unanswered"},
		{"MRI achieved but dates missing fails", mri(yes(), "", ""), Fail, "mri_dates_missing"},
		{"MRI achieved with only a request date fails", mri(yes(), "2023-04-01", ""), Fail, "mri_dates_missing"},
		{"MRI achieved with only a report date fails", mri(yes(), "", "2023-04-01"), Fail, "mri_dates_missing"},
		{"no MRI achieved fails", mri(no(), "", ""), Fail, "mri_not_achieved"},
		{"reported 42 days (6 weeks) after request passes", mri(yes(), "2023-04-01", "2023-05-13"), Pass, "mri_within_6_weeks"},
		{"reported 43 days after request fails", mri(yes(), "2023-04-01", "2023-05-14"), Fail, "mri_after_6_weeks"},
		{"42 days across 29 February passes", mri(yes(), "2024-02-01", "2024-03-14"), Pass, "mri_within_6_weeks"},
		{"43 days across 29 February fails", mri(yes(), "2024-02-01", "2024-03-15"), Fail, "mri_after_6_weeks"},
		{"reported the same day passes", mri(yes(), "2023-04-01", "2023-04-01"), Pass, "mri_within_6_weeks"},
		{"reported 42 days before request passes (absolute difference)", mri(yes(), "2023-05-13", "2023-04-01"), Pass, "mri_within_6_weeks"},
		{"reported 43 days before request fails", mri(yes(), "2023-05-14", "2023-04-01"), Fail, "mri_after_6_weeks"},
		{"MRI answer unanswered but both dates given is scored on the dates", mri(nil, "2023-04-01", "2023-04-20"), Pass, "mri_within_6_weeks"},
		{"MRI answer unanswered with one date fails", mri(nil, "2023-04-01", ""), Fail, "mri_unanswered"},
		{"declined MRI (no report date) fails", all(mri(yes(), "2023-04-01", ""), func(c *audit.Child) {
			c.Investigations.MRIBrainDeclined = yes()
		}), Fail, "mri_dates_missing"},
		{"age plays no part: under 2 is eligible", all(aged("2022-06-01", "2023-03-15"), mri(yes(), "2023-04-01", "2023-04-10")), Pass, "mri_within_6_weeks"},
		{"another syndrome does not exclude", all(syndrome("Dravet syndrome"), mri(no(), "", "")), Fail, "mri_not_achieved"},
		{"the tonic-clonic syndrome spelt with a hyphen does not exclude (exact match)",
			all(syndrome("Epilepsy with generalized tonic-clonic seizures alone"), mri(no(), "", "")), Fail, "mri_not_achieved"},
		{"an excluded syndrome among others excludes",
			all(syndrome("Dravet syndrome"), syndrome("Juvenile absence epilepsy")), Ineligible, "excluded_syndrome"},
		{"syndrome_present is not consulted: rows decide", all(syndrome("Juvenile absence epilepsy"), func(c *audit.Child) {
			c.MultiaxialDiagnosis.SyndromePresent = no()
		}), Ineligible, "excluded_syndrome"},
		{"a syndrome row with no name does not exclude", func(c *audit.Child) {
			c.Syndromes = append(c.Syndromes, audit.Syndrome{})
		}, Fail, "mri_unanswered"},
	}
	for _, name := range mriExcludedSyndromes {
		cases = append(cases, scoreCase{"excluded syndrome " + name, all(syndrome(name), mri(yes(), "2023-04-01", "2023-04-10")), Ineligible, "excluded_syndrome"})
	}
	runMeasure(t, MRI, cases)
}
