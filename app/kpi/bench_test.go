package kpi

import (
	"testing"

	"clinaudit/app/audit"
)

// typicalChild is a complete record: a 13-year-old girl with focal epilepsy,
// every form answered, two episodes, three medicines including valproate.
func typicalChild() *audit.Child {
	c := registeredChild()
	aged("2010-05-04", "2023-06-12")(c)
	c.Case.NHSNumber = str("9434765919")
	c.Case.Ethnicity = str("A")
	c.FirstPaediatricAssessment = &audit.FirstPaediatricAssessment{
		FirstPaediatricAssessmentInAcuteOrNonacuteSetting: num(2),
		HasNumberOfEpisodesSinceTheFirstBeenDocumented:    yes(),
		GeneralExaminationPerformed:                       yes(),
		NeurologicalExaminationPerformed:                  yes(),
		DevelopmentalLearningOrSchoolingProblems:          no(),
		BehaviouralOrEmotionalProblems:                    no(),
	}
	c.EpilepsyContext.WereAnyOfTheEpilepticSeizuresConvulsive = yes()
	c.MultiaxialDiagnosis = &audit.MultiaxialDiagnosis{
		SyndromePresent: no(), EpilepsyCauseKnown: no(), RelevantImpairmentsBehaviouralEducational: no(),
		AutisticSpectrumDisorder: no(), GlobalDevelopmentalDelayOrLearningDifficulties: no(),
		MentalHealthScreen: yes(), MentalHealthIssueIdentified: yes(), MentalHealthIssues: []string{"AxD"},
	}
	c.Episodes = []audit.Episode{
		{SeizureOnsetDate: day("2023-05-01"), EpilepsyOrNonepilepsyStatus: str("E"), EpilepticSeizureOnsetType: str("FO"),
			FocalOnsetImpairedAwareness: yes(), FocalOnsetLeft: yes()},
		{SeizureOnsetDate: day("2023-05-20"), EpilepsyOrNonepilepsyStatus: str("E"), EpilepticSeizureOnsetType: str("FO"),
			FocalOnsetFocalToBilateralTonicClonic: yes(), FocalOnsetLeft: yes()},
	}
	c.Investigations = &audit.Investigations{
		EEGIndicated: yes(), EEGRequestDate: day("2023-06-12"), EEGPerformedDate: day("2023-07-01"),
		TwelveLeadECGStatus: yes(), CTHeadScanStatus: no(),
		MRIIndicated: yes(), MRIBrainRequestedDate: day("2023-06-12"), MRIBrainReportedDate: day("2023-07-10"),
	}
	c.Assessment = &audit.Assessment{
		ChildrensEpilepsySurgicalServiceReferralCriteriaMet: no(),
		ConsultantPaediatricianReferralMade:                 yes(), ConsultantPaediatricianReferralDate: day("2023-06-12"),
		ConsultantPaediatricianInputAchieved: yes(), ConsultantPaediatricianInputDate: day("2023-06-20"),
		PaediatricNeurologistReferralMade:            no(),
		ChildrensEpilepsySurgicalServiceReferralMade: no(),
		EpilepsySpecialistNurseReferralMade:          yes(), EpilepsySpecialistNurseReferralDate: day("2023-06-12"),
		EpilepsySpecialistNurseInputAchieved: yes(), EpilepsySpecialistNurseInputDate: day("2023-07-03"),
	}
	fullPlan(c)
	mg := c.Management
	mg.HasAnAEDBeenGiven = yes()
	mg.IndividualisedCarePlanDate = day("2023-07-03")
	mg.IndividualisedCarePlanHasParentCarerChildAgreement = yes()
	mg.HasIndividualisedCarePlanBeenUpdatedInTheLastYear = yes()
	mg.IndividualisedCarePlanIncludesEHCP = yes()
	mg.HasBeenReferredForMentalHealthSupport = yes()
	mg.HasSupportForMentalHealthSupport = yes()
	valproate(yes(), yes())(c)
	medicine("Lamotrigine", no(), "2023-09-01")(c)
	medicine("Buccal midazolam", yes(), "2023-07-03")(c)
	return c
}

func BenchmarkScore(b *testing.B) {
	c := typicalChild()
	b.ReportAllocs()
	for b.Loop() {
		Score(c)
	}
}
