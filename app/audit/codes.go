package audit

import (
	"strconv"

	"clinaudit/app/refdata/data"
)

// Choice codes (spec §2; reference-data/choice_lists.csv). Only the codes
// that scoring reads get a name; the full lists are below, for validation.
const (
	SexNotKnown     = 0
	SexMale         = 1
	SexFemale       = 2
	SexNotSpecified = 9

	// EPILEPSY_DIAGNOSIS_STATUS
	StatusEpileptic    = "E"
	StatusNonEpileptic = "NE"
	StatusUncertain    = "U"

	// GENERALISED_SEIZURE_TYPE: the one KPI 3a looks for.
	GeneralisedOnsetMyoclonic = "MyC"

	// MedicineSodiumValproate is the medicine KPI 8 is about.
	MedicineSodiumValproate = "Sodium valproate"
)

// The code lists, by their choice_lists.csv name. The reference data that
// app/refdata embeds is their one source: the forms and the demographics
// form read the same lists, labels included.
var (
	sexCodes        = intCodes("SEX_TYPE")
	chronicityCodes = intCodes("CHRONICITY")

	ethnicityCodes         = codes("ETHNICITIES")
	optOutUncertainCodes   = codes("OPT_OUT_UNCERTAIN")
	dateAccuracyCodes      = codes("DATE_ACCURACY")
	episodeDefinitionCodes = codes("EPISODE_DEFINITION")
	diagnosisStatusCodes   = codes("EPILEPSY_DIAGNOSIS_STATUS")
	seizureOnsetTypeCodes  = codes("EPILEPSY_SEIZURE_TYPE")
	generalisedOnsetCodes  = codes("GENERALISED_SEIZURE_TYPE")
	nonEpilepsyOnsetCodes  = codes("NON_EPILEPSY_SEIZURE_ONSET")
	nonEpilepsyTypeCodes   = codes("NON_EPILEPSY_SEIZURE_TYPE")
	syncopeCodes           = codes("NON_EPILEPTIC_SYNCOPES")
	behaviouralCodes       = codes("NON_EPILEPSY_BEHAVIOURAL_ARREST_SYMPTOMS")
	sleepCodes             = codes("NON_EPILEPSY_SLEEP_RELATED_SYMPTOMS")
	paroxysmalCodes        = codes("NON_EPILEPSY_PAROXYSMS")
	migraineCodes          = codes("MIGRAINES")
	miscellaneousCodes     = codes("EPIS_MISC")
	severityCodes          = codes("SEVERITY")
	causeCategoryCodes     = codes("EPILEPSY_CAUSES")
	neuropsychiatricCodes  = codes("NEUROPSYCHIATRIC")
)

// codes is the codes of a code list, in display order.
func codes(list string) []string {
	var out []string
	for _, c := range data.ChoiceList(list) {
		out = append(out, c.Code)
	}
	return out
}

// intCodes is codes for the lists stored as integers (SEX_TYPE, CHRONICITY).
func intCodes(list string) []int {
	var out []int
	for _, c := range codes(list) {
		n, err := strconv.Atoi(c)
		if err != nil {
			panic("audit: " + list + " code " + c + " is not an integer")
		}
		out = append(out, n)
	}
	return out
}

// syndromeNames are the 40 ILAE 2022 syndromes of the syndrome list
// (reference-data/syndromes.csv), spelt exactly, EN DASHes included.
var syndromeNames = data.Column("syndromes.csv", "syndrome_name")

// Medicine is one entry of the medicine list (reference-data/medicines.csv).
type Medicine struct {
	Name     string
	IsRescue bool
}

// medicines is the medicine list: 4 rescue medicines and 32 maintenance
// ones. "Other" appears in both.
var medicines = func() []Medicine {
	names, rescue := data.Column("medicines.csv", "medicine_name"), data.Column("medicines.csv", "is_rescue")
	out := make([]Medicine, len(names))
	for i, n := range names {
		out[i] = Medicine{Name: n, IsRescue: rescue[i] == "true"}
	}
	return out
}()

// SyndromeNames returns the syndrome list, in reference-data order.
func SyndromeNames() []string { return append([]string(nil), syndromeNames...) }

// Medicines returns the medicine list, in reference-data order.
func Medicines() []Medicine { return append([]Medicine(nil), medicines...) }
