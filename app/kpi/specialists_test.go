package kpi

import (
	"testing"

	"clinaudit/app/audit"
)

// consultant sets the consultant paediatrician pathway: referral date and
// input date ("" leaves a date unanswered).
func consultant(referral, input string) func(*audit.Child) {
	return func(c *audit.Child) {
		if referral != "" {
			c.Assessment.ConsultantPaediatricianReferralMade = yes()
			c.Assessment.ConsultantPaediatricianReferralDate = day(referral)
		}
		if input != "" {
			c.Assessment.ConsultantPaediatricianInputAchieved = yes()
			c.Assessment.ConsultantPaediatricianInputDate = day(input)
		}
	}
}

func neurologist(referral, input string) func(*audit.Child) {
	return func(c *audit.Child) {
		if referral != "" {
			c.Assessment.PaediatricNeurologistReferralMade = yes()
			c.Assessment.PaediatricNeurologistReferralDate = day(referral)
		}
		if input != "" {
			c.Assessment.PaediatricNeurologistInputAchieved = yes()
			c.Assessment.PaediatricNeurologistInputDate = day(input)
		}
	}
}

func TestKPI1PaediatricianWithExpertise(t *testing.T) {
	runMeasure(t, PaediatricianWithExpertiseInEpilepsies, []scoreCase{
		{"nothing answered is not scored", nil, NotScored, "awaiting_dates"},
		{"consultant seen 14 days after referral passes", consultant("2023-03-20", "2023-04-03"), Pass, "consultant_within_14_days"},
		{"consultant seen 15 days after referral fails", consultant("2023-03-20", "2023-04-04"), Fail, "not_within_14_days"},
		{"consultant seen the same day passes", consultant("2023-03-20", "2023-03-20"), Pass, "consultant_within_14_days"},
		{"14 days across a month and year end passes", consultant("2023-12-25", "2024-01-08"), Pass, "consultant_within_14_days"},
		{"14 days across 29 February passes", consultant("2024-02-20", "2024-03-05"), Pass, "consultant_within_14_days"},
		{"15 days across 29 February fails", consultant("2024-02-20", "2024-03-06"), Fail, "not_within_14_days"},
		{"neurologist seen 14 days after referral passes", neurologist("2023-03-20", "2023-04-03"), Pass, "neurologist_within_14_days"},
		{"neurologist seen 15 days after referral fails", neurologist("2023-03-20", "2023-04-04"), Fail, "not_within_14_days"},
		{"consultant late but neurologist in time passes",
			all(consultant("2023-03-20", "2023-05-01"), neurologist("2023-04-01", "2023-04-15")), Pass, "neurologist_within_14_days"},
		{"both late fails",
			all(consultant("2023-03-20", "2023-05-01"), neurologist("2023-04-01", "2023-04-16")), Fail, "not_within_14_days"},
		{"consultant late, neurologist only referred, fails",
			all(consultant("2023-03-20", "2023-05-01"), neurologist("2023-04-01", "")), Fail, "not_within_14_days"},
		{"the 14 days run from the referral, not the first assessment",
			consultant("2023-06-01", "2023-06-15"), Pass, "consultant_within_14_days"},
		{"neither referred fails", func(c *audit.Child) {
			c.Assessment.ConsultantPaediatricianReferralMade = no()
			c.Assessment.PaediatricNeurologistReferralMade = no()
		}, Fail, "not_within_14_days"},
		{"consultant not referred, neurologist unanswered, fails", func(c *audit.Child) {
			c.Assessment.ConsultantPaediatricianReferralMade = no()
		}, Fail, "not_within_14_days"},
		{"neurologist input not achieved fails", func(c *audit.Child) {
			c.Assessment.PaediatricNeurologistReferralMade = yes()
			c.Assessment.PaediatricNeurologistReferralDate = day("2023-03-20")
			c.Assessment.PaediatricNeurologistInputAchieved = no()
		}, Fail, "not_within_14_days"},
		{"referred with no other data is not scored", func(c *audit.Child) {
			c.Assessment.ConsultantPaediatricianReferralMade = yes()
		}, NotScored, "awaiting_dates"},
		{"input achieved but no input date is not scored", func(c *audit.Child) {
			consultant("2023-03-20", "")(c)
			c.Assessment.ConsultantPaediatricianInputAchieved = yes()
		}, NotScored, "awaiting_dates"},
		{"NULL input_achieved with both dates is scored on the dates", func(c *audit.Child) {
			consultant("2023-03-20", "2023-03-30")(c)
			c.Assessment.ConsultantPaediatricianInputAchieved = nil
		}, Pass, "consultant_within_14_days"},
		{"referral_made false with both dates is scored on the dates", func(c *audit.Child) {
			consultant("2023-03-20", "2023-03-30")(c)
			c.Assessment.ConsultantPaediatricianReferralMade = no()
		}, Pass, "consultant_within_14_days"},
		{"input_achieved false with a late pair of dates still fails on the dates", func(c *audit.Child) {
			consultant("2023-03-20", "2023-05-30")(c)
			c.Assessment.ConsultantPaediatricianInputAchieved = no()
		}, Fail, "not_within_14_days"},
		{"input dated before referral counts as within 14 days, as in the audit",
			consultant("2023-03-20", "2023-03-01"), Pass, "consultant_within_14_days"},
		{"the first paediatric assessment date plays no part", all(aged("2013-01-10", "2021-01-01"),
			consultant("2023-03-20", "2023-04-03")), Pass, "consultant_within_14_days"},
	})
}

func nurse(made *bool, referral string, achieved *bool, input string) func(*audit.Child) {
	return func(c *audit.Child) {
		a := c.Assessment
		a.EpilepsySpecialistNurseReferralMade = made
		a.EpilepsySpecialistNurseInputAchieved = achieved
		if referral != "" {
			a.EpilepsySpecialistNurseReferralDate = day(referral)
		}
		if input != "" {
			a.EpilepsySpecialistNurseInputDate = day(input)
		}
	}
}

func TestKPI2EpilepsySpecialistNurse(t *testing.T) {
	runMeasure(t, EpilepsySpecialistNurse, []scoreCase{
		{"referral not made fails", nurse(no(), "", nil, ""), Fail, "nurse_not_referred"},
		{"referral not made fails even with an input date", nurse(no(), "", nil, "2023-04-01"), Fail, "nurse_not_referred"},
		{"referral unanswered is not scored", nurse(nil, "", nil, ""), NotScored, "referral_unanswered"},
		{"referral unanswered is not scored even with an input date", nurse(nil, "2023-03-20", yes(), "2023-04-01"), NotScored, "referral_unanswered"},
		{"referred without a referral date is not scored", nurse(yes(), "", yes(), "2023-04-01"), NotScored, "referral_date_missing"},
		{"input achieved without an input date is not scored", nurse(yes(), "2023-03-20", yes(), ""), NotScored, "input_date_missing"},
		{"referred, input unanswered, is not scored", nurse(yes(), "2023-03-20", nil, ""), NotScored, "input_unanswered"},
		{"input within the first year passes", nurse(yes(), "2023-03-20", yes(), "2023-06-01"), Pass, "nurse_within_first_year"},
		{"input on exactly FPA + 1 year passes", nurse(yes(), "2023-03-20", yes(), yearEnd), Pass, "nurse_within_first_year"},
		{"input the day after FPA + 1 year fails", nurse(yes(), "2023-03-20", yes(), dayAfter), Fail, "nurse_after_first_year"},
		{"NULL input_achieved with an input date is scored on the date", nurse(yes(), "2023-03-20", nil, "2023-06-01"), Pass, "nurse_within_first_year"},
		{"input_achieved false with an input date is scored on the date", nurse(yes(), "2023-03-20", no(), "2023-06-01"), Pass, "nurse_within_first_year"},
		{"input not achieved fails", nurse(yes(), "2023-03-20", no(), ""), Fail, "nurse_input_not_achieved"},
		{"input before the first assessment passes (no lower bound)", nurse(yes(), "2023-01-01", yes(), "2023-02-01"), Pass, "nurse_within_first_year"},
		{"first assessment on 29 Feb: the year ends on 28 Feb", all(aged("2013-01-10", "2024-02-29"),
			nurse(yes(), "2024-03-01", yes(), "2025-02-28")), Pass, "nurse_within_first_year"},
		{"first assessment on 29 Feb: 1 March of the next year is too late", all(aged("2013-01-10", "2024-02-29"),
			nurse(yes(), "2024-03-01", yes(), "2025-03-01")), Fail, "nurse_after_first_year"},
		{"first assessment on 28 Feb of a leap year: 28 Feb next year passes", all(aged("2013-01-10", "2024-02-28"),
			nurse(yes(), "2024-03-01", yes(), "2025-02-28")), Pass, "nurse_within_first_year"},
		{"first assessment on 1 March before a leap day: 1 March next year passes", all(aged("2013-01-10", "2023-03-01"),
			nurse(yes(), "2023-03-01", yes(), "2024-03-01")), Pass, "nurse_within_first_year"},
		{"first assessment on 1 March before a leap day: 2 March next year fails", all(aged("2013-01-10", "2023-03-01"),
			nurse(yes(), "2023-03-01", yes(), "2024-03-02")), Fail, "nurse_after_first_year"},
	})
}
