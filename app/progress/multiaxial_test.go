package progress

import (
	"testing"

	"clinaudit/app/audit"
)

const md = "multiaxial_diagnosis."

// mdBase has the seven base questions answered and no follow-up asked for.
func mdBase() audit.MultiaxialDiagnosis {
	return audit.MultiaxialDiagnosis{
		SyndromePresent:                                no(),
		EpilepsyCauseKnown:                             no(),
		RelevantImpairmentsBehaviouralEducational:      no(),
		GlobalDevelopmentalDelayOrLearningDifficulties: no(),
		AutisticSpectrumDisorder:                       no(),
		MentalHealthScreen:                             yes(),
		MentalHealthIssueIdentified:                    no(),
	}
}

type mdRows struct {
	episodes      []audit.Episode
	syndromes     []audit.Syndrome
	comorbidities []audit.Comorbidity
}

func mdChild(m audit.MultiaxialDiagnosis, rows mdRows) *audit.Child {
	return &audit.Child{MultiaxialDiagnosis: &m, Episodes: rows.episodes, Syndromes: rows.syndromes, Comorbidities: rows.comorbidities}
}

func eps(e ...audit.Episode) mdRows { return mdRows{episodes: e} }

// ep is an episode with its five base answers given and the status set.
func ep(status string) audit.Episode {
	e := audit.Episode{
		SeizureOnsetDate:           day("2023-04-02"),
		SeizureOnsetDateConfidence: str("Exc"),
		EpisodeDefinition:          str("a"),
		HasDescriptionOfTheEpisodeOrEpisodesBeenGathered: yes(),
	}
	if status != "" {
		e.EpilepsyOrNonepilepsyStatus = str(status)
	}
	return e
}

func epileptic(onset string, edit ...func(*audit.Episode)) audit.Episode {
	e := ep(audit.StatusEpileptic)
	if onset != "" {
		e.EpilepticSeizureOnsetType = str(onset)
	}
	for _, f := range edit {
		f(&e)
	}
	return e
}

// focalLeft is a complete focal-onset epileptic episode.
func focalLeft() audit.Episode {
	return epileptic("FO", func(e *audit.Episode) { e.FocalOnsetClonic, e.FocalOnsetLeft = yes(), yes() })
}

func nonEpileptic(typ string, edit ...func(*audit.Episode)) audit.Episode {
	e := ep(audit.StatusNonEpileptic)
	e.NonepilepticSeizureUnknownOnset = str("BAr")
	if typ != "" {
		e.NonepilepticSeizureType = str(typ)
	}
	for _, f := range edit {
		f(&e)
	}
	return e
}

// newEpisodeGaps are the gaps of an episode still to be added.
var newEpisodeGaps = prefixed("episodes[].", episodeBase...)

// TestMultiaxialEpisodes is §5.1 "Multiaxial diagnosis", the episode rules,
// including the worked values the spec quotes from Epilepsy12's tests (the
// episode's share is the expected count minus the 7 base questions).
func TestMultiaxialEpisodes(t *testing.T) {
	e0 := func(names ...string) []string { return prefixed("episodes[0].", names...) }
	runForm(t, MultiaxialDiagnosis, []row{
		{name: "no episodes: one episode owed, +5 not +10", child: mdChild(mdBase(), mdRows{}),
			expected: 12, answered: 7, status: InProgress, missing: newEpisodeGaps},
		{name: "one blank episode: its 5, and an epileptic one owed", child: mdChild(mdBase(), eps(audit.Episode{})),
			expected: 17, answered: 7, status: InProgress, missing: concat(e0(episodeBase...), newEpisodeGaps)},
		{name: "status not answered: 5 + 5 owed", child: mdChild(mdBase(), eps(ep(""))),
			expected: 17, answered: 11, status: InProgress, missing: concat(e0("epilepsy_or_nonepilepsy_status"), newEpisodeGaps)},

		// Epileptic episodes.
		{name: "epileptic, onset type missing", child: mdChild(mdBase(), eps(epileptic(""))),
			expected: 13, answered: 12, status: InProgress, missing: e0("epileptic_seizure_onset_type")},
		{name: "spec: complete focal onset episode expects 7", child: mdChild(mdBase(), eps(focalLeft())),
			expected: 14, answered: 14, status: Completed},
		{name: "focal, right", child: mdChild(mdBase(), eps(epileptic("FO", func(e *audit.Episode) { e.FocalOnsetRight = yes() }))),
			expected: 14, answered: 14, status: Completed},
		{name: "focal, laterality unknown", child: mdChild(mdBase(), eps(epileptic("FO", func(e *audit.Episode) { e.FocalOnsetLateralityUnknown = yes() }))),
			expected: 14, answered: 14, status: Completed},
		{name: "focal, no laterality", child: mdChild(mdBase(), eps(epileptic("FO"))),
			expected: 14, answered: 13, status: InProgress, missing: e0("focal_onset_left")},
		{name: "focal features do not answer laterality", child: mdChild(mdBase(), eps(epileptic("FO", func(e *audit.Episode) {
			e.FocalOnsetClonic, e.FocalOnsetTemporal, e.FocalOnsetImpairedAwareness = yes(), yes(), yes()
		}))), expected: 14, answered: 13, status: InProgress, missing: e0("focal_onset_left")},
		{name: "laterality all false is not an answer", child: mdChild(mdBase(), eps(epileptic("FO", func(e *audit.Episode) {
			e.FocalOnsetLeft, e.FocalOnsetRight, e.FocalOnsetLateralityUnknown = no(), no(), no()
		}))), expected: 14, answered: 13, status: InProgress, missing: e0("focal_onset_left")},
		{name: "spec: complete generalised onset episode expects 7", child: mdChild(mdBase(), eps(epileptic("GO", func(e *audit.Episode) { e.EpilepticGeneralisedOnset = str("TCl") }))),
			expected: 14, answered: 14, status: Completed},
		{name: "generalised, type missing", child: mdChild(mdBase(), eps(epileptic("GO"))),
			expected: 14, answered: 13, status: InProgress, missing: e0("epileptic_generalised_onset")},
		{name: "spec: unknown onset expects 6", child: mdChild(mdBase(), eps(epileptic("UO"))),
			expected: 13, answered: 13, status: Completed},
		{name: "spec: unclassified onset expects 6", child: mdChild(mdBase(), eps(epileptic("UC"))),
			expected: 13, answered: 13, status: Completed},
		{name: "onset changed from focal to unknown: laterality no longer expected", child: mdChild(mdBase(), eps(epileptic("UO", func(e *audit.Episode) { e.FocalOnsetLeft = yes() }))),
			expected: 13, answered: 13, status: Completed},

		// Non-epileptic and uncertain episodes.
		{name: "spec: lone complete non-epileptic episode expects 8 + 5", child: mdChild(mdBase(), eps(nonEpileptic("SAS", func(e *audit.Episode) { e.NonepilepticSeizureSyncope = str("a") }))),
			expected: 20, answered: 15, status: InProgress, missing: newEpisodeGaps},
		{name: "spec: lone non-epileptic episode of type other expects 7 + 5", child: mdChild(mdBase(), eps(nonEpileptic("Oth"))),
			expected: 19, answered: 14, status: InProgress, missing: newEpisodeGaps},
		{name: "non-epileptic, nothing more answered: the type, then its subtype", child: mdChild(mdBase(), eps(ep(audit.StatusNonEpileptic))),
			expected: 20, answered: 12, status: InProgress,
			missing: concat(e0("nonepileptic_seizure_unknown_onset", "nonepileptic_seizure_type", "nonepileptic_seizure_type"), newEpisodeGaps)},
		{name: "non-epileptic, subtype missing", child: mdChild(mdBase(), eps(nonEpileptic("SRC"))),
			expected: 20, answered: 14, status: InProgress, missing: concat(e0("nonepileptic_seizure_sleep"), newEpisodeGaps)},
		{name: "non-epileptic, subtype of another type does not count", child: mdChild(mdBase(), eps(nonEpileptic("SAS", func(e *audit.Episode) { e.NonepilepticSeizureMigraine = str("a") }))),
			expected: 20, answered: 14, status: InProgress, missing: concat(e0("nonepileptic_seizure_syncope"), newEpisodeGaps)},
		// Not a code Decode accepts; the type is answered but has no
		// subtype field, so the type must be answered again.
		{name: "non-epileptic, unknown type code", child: mdChild(mdBase(), eps(nonEpileptic("XYZ"))),
			expected: 20, answered: 14, status: InProgress, missing: concat(e0("nonepileptic_seizure_type"), newEpisodeGaps)},
		{name: "spec: lone uncertain episode expects 5 + 5", child: mdChild(mdBase(), eps(ep(audit.StatusUncertain))),
			expected: 17, answered: 12, status: InProgress, missing: newEpisodeGaps},
		{name: "uncertain, epileptic fields left over are extra", child: mdChild(mdBase(), eps(epileptic("FO", func(e *audit.Episode) {
			e.EpilepsyOrNonepilepsyStatus, e.FocalOnsetLeft = str(audit.StatusUncertain), yes()
		}))), expected: 17, answered: 12, status: InProgress, missing: newEpisodeGaps},
		{name: "uncertain and epileptic episodes", child: mdChild(mdBase(), eps(ep(audit.StatusUncertain), focalLeft())),
			expected: 7 + 5 + 7, answered: 19, status: Completed},

		// Rows added and removed.
		{name: "epileptic and non-epileptic: nothing owed", child: mdChild(mdBase(), eps(focalLeft(), nonEpileptic("SAS", func(e *audit.Episode) { e.NonepilepticSeizureSyncope = str("a") }))),
			expected: 7 + 7 + 8, answered: 22, status: Completed},
		{name: "second episode added, blank", child: mdChild(mdBase(), eps(focalLeft(), audit.Episode{})),
			expected: 7 + 7 + 5, answered: 14, status: InProgress, missing: prefixed("episodes[1].", episodeBase...)},
		{name: "two epileptic episodes", child: mdChild(mdBase(), eps(focalLeft(), epileptic("UO"))),
			expected: 7 + 7 + 6, answered: 20, status: Completed},
		{name: "epileptic episode changed to uncertain: one owed again", child: mdChild(mdBase(), eps(ep(audit.StatusUncertain), epileptic("UO", func(e *audit.Episode) { e.EpilepsyOrNonepilepsyStatus = str("U") }))),
			expected: 7 + 5 + 5 + 5, answered: 17, status: InProgress, missing: newEpisodeGaps},
	})
}

// TestNonEpilepticSubtypes checks the subtype field each type asks for
// (§2.7): the episode is complete with exactly that field.
func TestNonEpilepticSubtypes(t *testing.T) {
	set := map[string]func(*audit.Episode){
		"SAS": func(e *audit.Episode) { e.NonepilepticSeizureSyncope = str("a") },
		"BPP": func(e *audit.Episode) { e.NonepilepticSeizureBehavioural = str("a") },
		"SRC": func(e *audit.Episode) { e.NonepilepticSeizureSleep = str("a") },
		"PMD": func(e *audit.Episode) { e.NonepilepticSeizureParoxysmal = str("a") },
		"MAD": func(e *audit.Episode) { e.NonepilepticSeizureMigraine = str("a") },
		"ME":  func(e *audit.Episode) { e.NonepilepticSeizureMiscellaneous = str("a") },
	}
	var rows []row
	for _, typ := range []string{"SAS", "BPP", "SRC", "PMD", "MAD", "ME"} {
		rows = append(rows,
			row{name: typ + " answered", child: mdChild(mdBase(), eps(focalLeft(), nonEpileptic(typ, set[typ]))),
				expected: 7 + 7 + 8, answered: 22, status: Completed},
			row{name: typ + " missing", child: mdChild(mdBase(), eps(focalLeft(), nonEpileptic(typ))),
				expected: 7 + 7 + 8, answered: 21, status: InProgress, missing: []string{"episodes[1]." + nonEpilepsySubtype[typ]}},
		)
	}
	if len(nonEpilepsySubtype) != 6 {
		t.Errorf("%d subtype fields, want 6", len(nonEpilepsySubtype))
	}
	runForm(t, MultiaxialDiagnosis, rows)
}

// TestMultiaxialFollowUps is §5.1's conditional questions of the
// multiaxial form, each turned on, answered, and turned off again.
func TestMultiaxialFollowUps(t *testing.T) {
	complete := eps(focalLeft()) // 7 expected, all answered
	m := func(edit func(*audit.MultiaxialDiagnosis)) audit.MultiaxialDiagnosis {
		b := mdBase()
		edit(&b)
		return b
	}
	withRows := func(r mdRows) mdRows { r.episodes = complete.episodes; return r }
	syndrome := audit.Syndrome{SyndromeName: str("Dravet syndrome"), SyndromeDiagnosisDate: day("2023-07-20")}
	comorbidity := audit.Comorbidity{Comorbidityentity: str("Dyslexia"), ComorbidityDiagnosisDate: day("2022-09-01")}

	runForm(t, MultiaxialDiagnosis, []row{
		{name: "base and one epileptic episode", child: mdChild(mdBase(), complete), expected: 14, answered: 14, status: Completed},

		// Syndromes: +2 per row, or +2 for the first row still to add.
		{name: "syndrome present, none added", child: mdChild(m(func(x *audit.MultiaxialDiagnosis) { x.SyndromePresent = yes() }), complete),
			expected: 16, answered: 14, status: InProgress, missing: []string{"syndromes[].syndrome_name", "syndromes[].syndrome_diagnosis_date"}},
		{name: "syndrome present, one complete", child: mdChild(m(func(x *audit.MultiaxialDiagnosis) { x.SyndromePresent = yes() }), withRows(mdRows{syndromes: []audit.Syndrome{syndrome}})),
			expected: 16, answered: 16, status: Completed},
		{name: "syndrome present, three rows, one without a date", child: mdChild(m(func(x *audit.MultiaxialDiagnosis) { x.SyndromePresent = yes() }),
			withRows(mdRows{syndromes: []audit.Syndrome{syndrome, {SyndromeName: str("Rasmussen syndrome")}, syndrome}})),
			expected: 20, answered: 19, status: InProgress, missing: []string{"syndromes[1].syndrome_diagnosis_date"}},
		{name: "syndrome row without a name", child: mdChild(m(func(x *audit.MultiaxialDiagnosis) { x.SyndromePresent = yes() }),
			withRows(mdRows{syndromes: []audit.Syndrome{{SyndromeDiagnosisDate: day("2023-07-20")}}})),
			expected: 16, answered: 15, status: InProgress, missing: []string{"syndromes[0].syndrome_name"}},
		{name: "syndrome not present: rows left over are extra", child: mdChild(mdBase(), withRows(mdRows{syndromes: []audit.Syndrome{{SyndromeName: str("Dravet syndrome")}}})),
			expected: 14, answered: 14, status: Completed},
		{name: "syndrome unanswered: rows are not expected", child: mdChild(m(func(x *audit.MultiaxialDiagnosis) { x.SyndromePresent = nil }), withRows(mdRows{syndromes: []audit.Syndrome{syndrome}})),
			expected: 14, answered: 13, status: InProgress, missing: []string{md + "syndrome_present"}},

		// Cause: +1 for the categories; the cause itself is not scored.
		{name: "cause known, no category", child: mdChild(m(func(x *audit.MultiaxialDiagnosis) { x.EpilepsyCauseKnown = yes() }), complete),
			expected: 15, answered: 14, status: InProgress, missing: []string{md + "epilepsy_cause_categories"}},
		{name: "cause known, cause chosen but no category", child: mdChild(m(func(x *audit.MultiaxialDiagnosis) {
			x.EpilepsyCauseKnown, x.EpilepsyCause = yes(), str("Some cause")
		}), complete), expected: 15, answered: 14, status: InProgress, missing: []string{md + "epilepsy_cause_categories"}},
		{name: "cause known, empty category list", child: mdChild(m(func(x *audit.MultiaxialDiagnosis) {
			x.EpilepsyCauseKnown, x.EpilepsyCauseCategories = yes(), []string{}
		}), complete), expected: 15, answered: 14, status: InProgress},
		{name: "cause known, a category", child: mdChild(m(func(x *audit.MultiaxialDiagnosis) {
			x.EpilepsyCauseKnown, x.EpilepsyCauseCategories = yes(), []string{"Gen"}
		}), complete), expected: 15, answered: 15, status: Completed},
		{name: "cause not known: categories are extra", child: mdChild(m(func(x *audit.MultiaxialDiagnosis) { x.EpilepsyCauseCategories = []string{"Gen"} }), complete),
			expected: 14, answered: 14, status: Completed},

		// Comorbidities: +2 per row, or +2 for the first row still to add.
		{name: "impairments, none added", child: mdChild(m(func(x *audit.MultiaxialDiagnosis) { x.RelevantImpairmentsBehaviouralEducational = yes() }), complete),
			expected: 16, answered: 14, status: InProgress, missing: []string{"comorbidities[].comorbidityentity", "comorbidities[].comorbidity_diagnosis_date"}},
		{name: "impairments, two rows, one blank", child: mdChild(m(func(x *audit.MultiaxialDiagnosis) { x.RelevantImpairmentsBehaviouralEducational = yes() }),
			withRows(mdRows{comorbidities: []audit.Comorbidity{comorbidity, {}}})),
			expected: 18, answered: 16, status: InProgress, missing: []string{"comorbidities[1].comorbidityentity", "comorbidities[1].comorbidity_diagnosis_date"}},
		{name: "impairments, one complete", child: mdChild(m(func(x *audit.MultiaxialDiagnosis) { x.RelevantImpairmentsBehaviouralEducational = yes() }),
			withRows(mdRows{comorbidities: []audit.Comorbidity{comorbidity}})), expected: 16, answered: 16, status: Completed},
		{name: "no impairments: rows left over are extra", child: mdChild(mdBase(), withRows(mdRows{comorbidities: []audit.Comorbidity{{}}})),
			expected: 14, answered: 14, status: Completed},

		// Developmental delay: +1 for the severity.
		{name: "delay, no severity", child: mdChild(m(func(x *audit.MultiaxialDiagnosis) { x.GlobalDevelopmentalDelayOrLearningDifficulties = yes() }), complete),
			expected: 15, answered: 14, status: InProgress, missing: []string{md + "global_developmental_delay_or_learning_difficulties_severity"}},
		{name: "delay with severity", child: mdChild(m(func(x *audit.MultiaxialDiagnosis) {
			x.GlobalDevelopmentalDelayOrLearningDifficulties, x.GlobalDevelopmentalDelayOrLearningDifficultiesSeverity = yes(), str("mild")
		}), complete), expected: 15, answered: 15, status: Completed},
		{name: "no delay: severity is extra", child: mdChild(m(func(x *audit.MultiaxialDiagnosis) {
			x.GlobalDevelopmentalDelayOrLearningDifficultiesSeverity = str("mild")
		}), complete),
			expected: 14, answered: 14, status: Completed},

		// Mental health: +1 for the issues.
		{name: "issue identified, none chosen", child: mdChild(m(func(x *audit.MultiaxialDiagnosis) { x.MentalHealthIssueIdentified = yes() }), complete),
			expected: 15, answered: 14, status: InProgress, missing: []string{md + "mental_health_issues"}},
		{name: "issue identified and chosen", child: mdChild(m(func(x *audit.MultiaxialDiagnosis) {
			x.MentalHealthIssueIdentified, x.MentalHealthIssues = yes(), []string{"AxD"}
		}), complete), expected: 15, answered: 15, status: Completed},
		{name: "no issue: issues are extra", child: mdChild(m(func(x *audit.MultiaxialDiagnosis) { x.MentalHealthIssues = []string{"AxD"} }), complete),
			expected: 14, answered: 14, status: Completed},

		// The spec's example: base 7, a blank episode +10, cause +1,
		// impairments +2, mental health +1, delay +1 = 22.
		{name: "spec: 22 expected", child: mdChild(audit.MultiaxialDiagnosis{
			EpilepsyCauseKnown: yes(), RelevantImpairmentsBehaviouralEducational: yes(),
			MentalHealthIssueIdentified: yes(), GlobalDevelopmentalDelayOrLearningDifficulties: yes(),
		}, eps(audit.Episode{})), expected: 22, answered: 4, status: InProgress},
		// Epilepsy12's test: 7 + no episodes 5 + three syndromes 6 = 18.
		{name: "spec: three syndromes, no episodes", child: mdChild(m(func(x *audit.MultiaxialDiagnosis) { x.SyndromePresent = yes() }),
			mdRows{syndromes: []audit.Syndrome{syndrome, syndrome, syndrome}}), expected: 18, answered: 13, status: InProgress, missing: newEpisodeGaps},
	})
}

// TestMultiaxialNotStarted: rows alone start the form, even with only
// unscored answers in them; a blank row does not.
func TestMultiaxialNotStarted(t *testing.T) {
	empty := &audit.MultiaxialDiagnosis{}
	runForm(t, MultiaxialDiagnosis, []row{
		{name: "empty record", child: &audit.Child{MultiaxialDiagnosis: empty}, expected: 12, status: NotStarted},
		{name: "blank episode row", child: &audit.Child{MultiaxialDiagnosis: empty, Episodes: []audit.Episode{{}}}, expected: 17, status: NotStarted},
		{name: "description only (not scored)", child: &audit.Child{MultiaxialDiagnosis: empty, Episodes: []audit.Episode{{Description: str("stared")}}},
			expected: 17, status: InProgress},
		{name: "cause only (not scored)", child: &audit.Child{MultiaxialDiagnosis: &audit.MultiaxialDiagnosis{EpilepsyCause: str("x")}},
			expected: 12, status: InProgress},
		{name: "cause categories only (a list)", child: &audit.Child{MultiaxialDiagnosis: &audit.MultiaxialDiagnosis{EpilepsyCauseCategories: []string{"Gen"}}},
			expected: 12, status: InProgress},
		{name: "syndrome row only", child: &audit.Child{MultiaxialDiagnosis: empty, Syndromes: []audit.Syndrome{{SyndromeName: str("Dravet syndrome")}}},
			expected: 12, status: InProgress},
		{name: "comorbidity row only", child: &audit.Child{MultiaxialDiagnosis: empty, Comorbidities: []audit.Comorbidity{{Comorbidityentity: str("x")}}},
			expected: 12, status: InProgress},
	})
}
