package kpi

import (
	"testing"

	"clinaudit/app/audit"
)

func cessCriteria(met *bool) func(*audit.Child) {
	return func(c *audit.Child) { c.Assessment.ChildrensEpilepsySurgicalServiceReferralCriteriaMet = met }
}

func cessReferral(date string) func(*audit.Child) {
	return func(c *audit.Child) {
		c.Assessment.ChildrensEpilepsySurgicalServiceReferralMade = yes()
		c.Assessment.ChildrensEpilepsySurgicalServiceReferralDate = day(date)
	}
}

func neurologistInput(date string) func(*audit.Child) {
	return func(c *audit.Child) {
		c.Assessment.PaediatricNeurologistReferralMade = yes()
		c.Assessment.PaediatricNeurologistInputAchieved = yes()
		c.Assessment.PaediatricNeurologistInputDate = day(date)
	}
}

func episode(status, generalised string, focalMyoclonic *bool) func(*audit.Child) {
	return func(c *audit.Child) {
		e := audit.Episode{FocalOnsetMyoclonic: focalMyoclonic}
		if status != "" {
			e.EpilepsyOrNonepilepsyStatus = str(status)
		}
		if generalised != "" {
			e.EpilepticGeneralisedOnset = str(generalised)
		}
		c.Episodes = append(c.Episodes, e)
	}
}

// medicine adds a medicine row; start "" leaves the start date unanswered.
func medicine(name string, rescue *bool, start string) func(*audit.Child) {
	return func(c *audit.Child) {
		m := audit.AntiEpilepsyMedicine{MedicineName: str(name), IsRescueMedicine: rescue}
		if start != "" {
			m.AntiepilepsyMedicineStartDate = day(start)
		}
		c.AntiEpilepsyMedicines = append(c.AntiEpilepsyMedicines, m)
	}
}

// Ages for KPI 3a, from DOB 2020-01-01 and 2019-01-01.
var (
	age2_998 = aged("2020-01-01", "2022-12-31") // 1095 days: 2.998, "3 or under"
	age3_001 = aged("2020-01-01", "2023-01-01") // 1096 days: 3.0007, over 3
	age3_997 = aged("2019-01-01", "2022-12-31") // 1460 days: 3.997, under 4
	age4_000 = aged("2019-01-01", "2023-01-01") // 1461 days: exactly 4.0, not under 4
)

func TestKPI3aTertiaryInputEligibility(t *testing.T) {
	threeMaintenance := all(medicine("Levetiracetam", no(), "2023-03-15"), medicine("Lamotrigine", no(), "2023-09-01"),
		medicine("Topiramate", no(), "2024-03-14"))
	runMeasure(t, TertiaryInput, []scoreCase{
		{"10-year-old with no criteria is ineligible", nil, Ineligible, "no_tertiary_criteria"},
		{"aged 2.998 (1095 days) is eligible and, with nothing filled in, fails", age2_998, Fail, "no_tertiary_input_in_first_year"},
		{"aged 3.0007 (1096 days) is not eligible by age", age3_001, Ineligible, "no_tertiary_criteria"},
		{"aged 1 with nothing filled in fails (never not scored)", aged("2022-01-01", "2023-01-01"), Fail, "no_tertiary_input_in_first_year"},
		{"under 4 with a generalised myoclonic epileptic seizure is eligible",
			all(age3_997, episode(audit.StatusEpileptic, "MyC", nil)), Fail, "no_tertiary_input_in_first_year"},
		{"under 4 with a focal myoclonic epileptic seizure is eligible",
			all(age3_997, episode(audit.StatusEpileptic, "", yes())), Fail, "no_tertiary_input_in_first_year"},
		{"exactly 4.0 with a myoclonic seizure is not eligible",
			all(age4_000, episode(audit.StatusEpileptic, "MyC", nil)), Ineligible, "no_tertiary_criteria"},
		{"myoclonic but non-epileptic episode does not count",
			all(age3_997, episode(audit.StatusNonEpileptic, "MyC", yes())), Ineligible, "no_tertiary_criteria"},
		{"myoclonic but uncertain episode does not count",
			all(age3_997, episode(audit.StatusUncertain, "MyC", nil)), Ineligible, "no_tertiary_criteria"},
		{"myoclonic episode with no status does not count",
			all(age3_997, episode("", "MyC", nil)), Ineligible, "no_tertiary_criteria"},
		{"focal myoclonic false does not count",
			all(age3_997, episode(audit.StatusEpileptic, "TCl", no())), Ineligible, "no_tertiary_criteria"},
		{"one myoclonic episode among others is enough",
			all(age3_997, episode(audit.StatusEpileptic, "TCl", nil), episode(audit.StatusEpileptic, "MyC", nil)), Fail, "no_tertiary_input_in_first_year"},
		{"three maintenance medicines started in the first year make a 10-year-old eligible", threeMaintenance, Fail, "no_tertiary_input_in_first_year"},
		{"two maintenance medicines do not", all(medicine("Levetiracetam", no(), "2023-03-15"), medicine("Lamotrigine", no(), "2023-09-01")),
			Ineligible, "no_tertiary_criteria"},
		{"a medicine started on FPA + 1 year does not count (strictly before)",
			all(medicine("Levetiracetam", no(), "2023-03-15"), medicine("Lamotrigine", no(), "2023-09-01"), medicine("Topiramate", no(), yearEnd)),
			Ineligible, "no_tertiary_criteria"},
		{"a medicine started the day before FPA + 1 year counts",
			all(medicine("Levetiracetam", no(), "2023-03-15"), medicine("Lamotrigine", no(), "2023-09-01"), medicine("Topiramate", no(), "2024-03-14")),
			Fail, "no_tertiary_input_in_first_year"},
		{"medicines started before the first assessment count",
			all(medicine("Levetiracetam", no(), "2020-01-01"), medicine("Lamotrigine", no(), "2021-01-01"), medicine("Topiramate", no(), "2022-01-01")),
			Fail, "no_tertiary_input_in_first_year"},
		{"rescue medicines do not count",
			all(medicine("Levetiracetam", no(), "2023-03-15"), medicine("Lamotrigine", no(), "2023-09-01"), medicine("Buccal midazolam", yes(), "2023-04-01")),
			Ineligible, "no_tertiary_criteria"},
		{"a medicine without a start date does not count",
			all(medicine("Levetiracetam", no(), "2023-03-15"), medicine("Lamotrigine", no(), "2023-09-01"), medicine("Topiramate", no(), "")),
			Ineligible, "no_tertiary_criteria"},
		{"a row not marked rescue or maintenance does not count",
			all(medicine("Levetiracetam", no(), "2023-03-15"), medicine("Lamotrigine", no(), "2023-09-01"), medicine("Topiramate", nil, "2023-10-01")),
			Ineligible, "no_tertiary_criteria"},
		{"stop dates are ignored", func(c *audit.Child) {
			threeMaintenance(c)
			for i := range c.AntiEpilepsyMedicines {
				c.AntiEpilepsyMedicines[i].AntiepilepsyMedicineStopDate = day("2023-03-16")
			}
		}, Fail, "no_tertiary_input_in_first_year"},
		{"epilepsy surgery criteria met make any age eligible", cessCriteria(yes()), Fail, "no_tertiary_input_in_first_year"},
		{"epilepsy surgery criteria not met", cessCriteria(no()), Ineligible, "no_tertiary_criteria"},
	})
}

func TestKPI3aTertiaryInputScoring(t *testing.T) {
	eligible := cessCriteria(yes())
	runMeasure(t, TertiaryInput, []scoreCase{
		{"surgery referral within the first year passes", all(eligible, cessReferral("2023-10-01")), Pass, "cess_referral_within_first_year"},
		{"surgery referral on FPA + 1 year passes", all(eligible, cessReferral(yearEnd)), Pass, "cess_referral_within_first_year"},
		{"surgery referral the day after fails", all(eligible, cessReferral(dayAfter)), Fail, "no_tertiary_input_in_first_year"},
		{"neurologist input on FPA + 1 year passes", all(eligible, neurologistInput(yearEnd)), Pass, "neurologist_input_within_first_year"},
		{"neurologist input the day after fails", all(eligible, neurologistInput(dayAfter)), Fail, "no_tertiary_input_in_first_year"},
		{"late surgery referral but timely neurologist passes",
			all(eligible, cessReferral(dayAfter), neurologistInput("2023-05-01")), Pass, "neurologist_input_within_first_year"},
		{"the referral_made answer is ignored: a date alone passes", all(eligible, cessReferral("2023-10-01"), func(c *audit.Child) {
			c.Assessment.ChildrensEpilepsySurgicalServiceReferralMade = no()
		}), Pass, "cess_referral_within_first_year"},
		{"a neurologist referral without input does not pass", all(eligible, neurologist("2023-04-01", "")), Fail, "no_tertiary_input_in_first_year"},
		{"first assessment on 29 Feb: input on 28 Feb next year passes",
			all(eligible, aged("2013-01-10", "2024-02-29"), neurologistInput("2025-02-28")), Pass, "neurologist_input_within_first_year"},
		{"first assessment on 29 Feb: input on 1 March next year fails",
			all(eligible, aged("2013-01-10", "2024-02-29"), neurologistInput("2025-03-01")), Fail, "no_tertiary_input_in_first_year"},
	})
}

func TestKPI3bEpilepsySurgeryReferral(t *testing.T) {
	met := cessCriteria(yes())
	runMeasure(t, EpilepsySurgeryReferral, []scoreCase{
		{"criteria unanswered is not scored", cessReferral("2023-10-01"), NotScored, "cess_criteria_unanswered"},
		{"criteria not met is ineligible", all(cessCriteria(no()), cessReferral("2023-10-01")), Ineligible, "cess_criteria_not_met"},
		{"criteria met with no dates is not scored", met, NotScored, "awaiting_referral_or_input"},
		{"criteria met with only booleans answered is not scored", all(met, func(c *audit.Child) {
			c.Assessment.ChildrensEpilepsySurgicalServiceReferralMade = no()
			c.Assessment.PaediatricNeurologistReferralMade = no()
		}), NotScored, "awaiting_referral_or_input"},
		{"surgery referral within the first year passes", all(met, cessReferral("2023-10-01")), Pass, "cess_referral_within_first_year"},
		{"surgery referral on FPA + 1 year passes", all(met, cessReferral(yearEnd)), Pass, "cess_referral_within_first_year"},
		{"surgery referral the day after fails", all(met, cessReferral(dayAfter)), Fail, "after_first_year"},
		{"neurologist input alone passes", all(met, neurologistInput("2023-05-01")), Pass, "neurologist_input_within_first_year"},
		{"neurologist input on FPA + 1 year passes", all(met, neurologistInput(yearEnd)), Pass, "neurologist_input_within_first_year"},
		{"neurologist input the day after fails", all(met, neurologistInput(dayAfter)), Fail, "after_first_year"},
		{"late neurologist but timely surgery referral passes",
			all(met, neurologistInput(dayAfter), cessReferral("2023-10-01")), Pass, "cess_referral_within_first_year"},
		{"age plays no part: a 17-year-old is scored", all(met, aged("2006-01-01", "2023-03-15"), cessReferral("2023-10-01")), Pass, "cess_referral_within_first_year"},
	})
}
