package kpi

import (
	"testing"

	"clinaudit/app/audit"
)

// Ages around the 5-year and 12-year thresholds (quirk 7: days ÷ 365.25).
var (
	fifthBirthdayOneLeapDay = aged("2018-01-01", "2023-01-01") // 1826 days: 4.9993, under 5
	fiveAndADay             = aged("2018-01-01", "2023-01-02") // 1827 days: 5.0021
	twelfthBirthday         = aged("2011-01-01", "2023-01-01") // 4383 days: exactly 12.0
	dayBeforeTwelfth        = aged("2011-01-01", "2022-12-31") // 4382 days: 11.997
	// A child born on 29 February.
	leapChildFiveOn28Feb  = aged("2016-02-29", "2021-02-28") // 1826 days: 4.9993, under 5
	leapChildFiveOn1March = aged("2016-02-29", "2021-03-01") // 1827 days: 5.0021
	leapChildTwelve       = aged("2016-02-29", "2028-02-29") // 4383 days: exactly 12.0
	leapChildTwelveOn28   = aged("2016-02-29", "2028-02-28") // 4382 days: 11.997
	fourAndAHalf          = aged("2018-07-01", "2023-01-01")
)

func screen(answer *bool) func(*audit.Child) {
	return func(c *audit.Child) { c.MultiaxialDiagnosis.MentalHealthScreen = answer }
}

func TestKPI6AssessmentOfMentalHealthIssues(t *testing.T) {
	runMeasure(t, AssessmentOfMentalHealthIssues, []scoreCase{
		{"screened passes", screen(yes()), Pass, "screened"},
		{"not screened fails", screen(no()), Fail, "not_screened"},
		{"screen unanswered is not scored", nil, NotScored, "screen_unanswered"},
		{"on the 5th birthday with one leap day (4.9993) is ineligible", all(fifthBirthdayOneLeapDay, screen(yes())), Ineligible, "under_5"},
		{"5th birthday + 1 day (5.0021) is eligible", all(fiveAndADay, screen(yes())), Pass, "screened"},
		{"born 29 Feb, assessed 28 Feb five years on, is under 5", all(leapChildFiveOn28Feb, screen(yes())), Ineligible, "under_5"},
		{"born 29 Feb, assessed 1 March five years on, is 5", all(leapChildFiveOn1March, screen(no())), Fail, "not_screened"},
		{"under 5 is ineligible even unanswered", fourAndAHalf, Ineligible, "under_5"},
	})
}

func mentalHealth(identified, support *bool) func(*audit.Child) {
	return func(c *audit.Child) {
		c.MultiaxialDiagnosis.MentalHealthIssueIdentified = identified
		c.Management.HasSupportForMentalHealthSupport = support
	}
}

func TestKPI7MentalHealthSupport(t *testing.T) {
	runMeasure(t, MentalHealthSupport, []scoreCase{
		{"issue unanswered is not scored", mentalHealth(nil, yes()), NotScored, "issue_unanswered"},
		{"no issue identified is ineligible", mentalHealth(no(), nil), Ineligible, "no_issue_identified"},
		{"issue identified, support unanswered, is not scored", mentalHealth(yes(), nil), NotScored, "support_unanswered"},
		{"issue identified with support passes", mentalHealth(yes(), yes()), Pass, "support_in_place"},
		{"issue identified without support fails", mentalHealth(yes(), no()), Fail, "no_support"},
		{"a referral for support is not read", all(mentalHealth(yes(), nil), func(c *audit.Child) {
			c.Management.HasBeenReferredForMentalHealthSupport = yes()
		}), NotScored, "support_unanswered"},
		{"no age criterion: a 2-year-old is scored", all(aged("2021-01-01", "2023-01-01"), mentalHealth(yes(), yes())), Pass, "support_in_place"},
	})
}

// valproate adds a sodium valproate row with the two risk answers.
func valproate(programme, riskForm *bool) func(*audit.Child) {
	return func(c *audit.Child) {
		c.Management.HasAnAEDBeenGiven = yes()
		c.AntiEpilepsyMedicines = append(c.AntiEpilepsyMedicines, audit.AntiEpilepsyMedicine{
			MedicineName:                           str(audit.MedicineSodiumValproate),
			IsRescueMedicine:                       no(),
			AntiepilepsyMedicineStartDate:          day("2023-04-01"),
			IsAPregnancyPreventionProgrammeInPlace: programme,
			HasAValproateAnnualRiskAcknowledgementFormBeenCompleted: riskForm,
		})
	}
}

func sex(code *int) func(*audit.Child) { return func(c *audit.Child) { c.Case.Sex = code } }

func TestKPI8SodiumValproate(t *testing.T) {
	teen := aged("2008-06-01", "2023-03-15")
	runMeasure(t, SodiumValproate, []scoreCase{
		{"under 12 is ineligible", valproate(yes(), yes()), Ineligible, "under_12"},
		{"exactly 12.0 on the 12th birthday is eligible", all(twelfthBirthday, valproate(no(), no())), Fail, "valproate_risk_not_addressed"},
		{"the day before the 12th birthday is ineligible", all(dayBeforeTwelfth, valproate(no(), no())), Ineligible, "under_12"},
		{"born 29 Feb: 12.0 on 29 Feb twelve years on", all(leapChildTwelve, valproate(yes(), no())), Pass, "valproate_risk_addressed"},
		{"born 29 Feb: 28 Feb twelve years on is under 12", all(leapChildTwelveOn28, valproate(yes(), no())), Ineligible, "under_12"},
		{"male is ineligible", all(teen, sex(num(audit.SexMale)), valproate(no(), no())), Ineligible, "not_female"},
		{"sex not known is ineligible", all(teen, sex(num(audit.SexNotKnown)), valproate(no(), no())), Ineligible, "not_female"},
		{"sex not specified is ineligible", all(teen, sex(num(audit.SexNotSpecified)), valproate(no(), no())), Ineligible, "not_female"},
		{"sex unanswered is ineligible", all(teen, sex(nil), valproate(no(), no())), Ineligible, "not_female"},
		{"medicine given unanswered is not scored", all(teen, valproate(yes(), yes()), func(c *audit.Child) {
			c.Management.HasAnAEDBeenGiven = nil
		}), NotScored, "aed_unanswered"},
		{"no valproate is ineligible", all(teen, medicine("Levetiracetam", no(), "2023-04-01"), func(c *audit.Child) {
			c.Management.HasAnAEDBeenGiven = yes()
		}), Ineligible, "no_valproate"},
		{"no medicine given is ineligible", all(teen, func(c *audit.Child) { c.Management.HasAnAEDBeenGiven = no() }), Ineligible, "no_valproate"},
		{"programme unanswered is not scored", all(teen, valproate(nil, yes())), NotScored, "valproate_risk_unanswered"},
		{"risk form unanswered is not scored", all(teen, valproate(yes(), nil)), NotScored, "valproate_risk_unanswered"},
		{"programme in place passes", all(teen, valproate(yes(), no())), Pass, "valproate_risk_addressed"},
		{"risk form completed passes", all(teen, valproate(no(), yes())), Pass, "valproate_risk_addressed"},
		{"both passes", all(teen, valproate(yes(), yes())), Pass, "valproate_risk_addressed"},
		{"neither fails", all(teen, valproate(no(), no())), Fail, "valproate_risk_not_addressed"},
		{"only the first valproate row counts", all(teen, valproate(no(), no()), valproate(yes(), yes())), Fail, "valproate_risk_not_addressed"},
		{"a valproate row after another medicine is found", all(teen, medicine("Levetiracetam", no(), "2023-04-01"), valproate(yes(), yes())), Pass, "valproate_risk_addressed"},
		{"a valproate row in the rescue list counts too", all(teen, valproate(yes(), yes()), func(c *audit.Child) {
			c.AntiEpilepsyMedicines[0].IsRescueMedicine = yes()
		}), Pass, "valproate_risk_addressed"},
		{"stop dates are ignored: a stopped valproate still counts", all(teen, valproate(no(), no()), func(c *audit.Child) {
			c.AntiEpilepsyMedicines[0].AntiepilepsyMedicineStopDate = day("2023-04-02")
		}), Fail, "valproate_risk_not_addressed"},
		{"programme needed = false is ignored", all(teen, valproate(no(), no()), func(c *audit.Child) {
			c.AntiEpilepsyMedicines[0].IsAPregnancyPreventionProgrammeNeeded = no()
		}), Fail, "valproate_risk_not_addressed"},
	})
}
