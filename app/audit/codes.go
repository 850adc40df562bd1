package audit

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

// The code lists, by their choice_lists.csv name.
var (
	sexCodes        = []int{0, 1, 2, 9}
	chronicityCodes = []int{1, 2, 3}

	ethnicityCodes         = []string{"A", "B", "C", "D", "E", "F", "G", "H", "J", "K", "L", "M", "N", "P", "S", "R", "Z"}
	optOutUncertainCodes   = []string{"Y", "N", "U"}
	dateAccuracyCodes      = []string{"Apx", "Exc", "NK"}
	episodeDefinitionCodes = []string{"a", "b", "c"}
	diagnosisStatusCodes   = []string{StatusEpileptic, StatusNonEpileptic, StatusUncertain}
	seizureOnsetTypeCodes  = []string{"FO", "GO", "UO", "UC"}
	generalisedOnsetCodes  = []string{"AEM", "Ato", "Aab", "Clo", "EpS", "MyC", "MAb", "MTC", "MAt", "Ton", "TCl", "TAb", "Oth"}
	nonEpilepsyOnsetCodes  = []string{"BAr", "EpS", "TCl", "Oth"}
	nonEpilepsyTypeCodes   = []string{"BPP", "MAD", "ME", "SRC", "SAS", "PMD", "Oth"}
	syncopeCodes           = letters('a', 'j') // NON_EPILEPTIC_SYNCOPES
	behaviouralCodes       = letters('a', 'j') // NON_EPILEPSY_BEHAVIOURAL_ARREST_SYMPTOMS
	sleepCodes             = letters('a', 'g') // NON_EPILEPSY_SLEEP_RELATED_SYMPTOMS
	paroxysmalCodes        = letters('a', 'j') // NON_EPILEPSY_PAROXYSMS
	migraineCodes          = letters('a', 'e') // MIGRAINES
	miscellaneousCodes     = letters('a', 'h') // EPIS_MISC
	severityCodes          = []string{"mild", "moderate", "severe", "profound", "uncertain"}
	causeCategoryCodes     = []string{"Gen", "Imm", "Inf", "Met", "Str"}
	neuropsychiatricCodes  = []string{"AxD", "EmB", "MoD", "SHm", "Oth"}
)

func letters(first, last byte) []string {
	var out []string
	for c := first; c <= last; c++ {
		out = append(out, string(c))
	}
	return out
}

// syndromeNames are the 40 ILAE 2022 syndromes of the syndrome list
// (reference-data/syndromes.csv), spelt exactly, EN DASHes included.
var syndromeNames = []string{
	"CDKL5-DEE",
	"Childhood absence epilepsy",
	"Childhood occipital visual epilepsy",
	"DEE or EE with spike-and-wave activation in sleep",
	"Dravet syndrome",
	"Early infantile DEE",
	"Epilepsy of infancy with migrating focal seizures",
	"Epilepsy with auditory features",
	"Epilepsy with eyelid myoclonia",
	"Epilepsy with generalized tonic–clonic seizures alone",
	"Epilepsy with myoclonic absences",
	"Epilepsy with myoclonic–atonic seizures (Doose syndrome)",
	"Epilepsy with reading-induced seizures",
	"Etiology-specific DEEs",
	"Familial focal epilepsy with variable foci",
	"Familial mesial temporal lobe epilepsy",
	"Febrile infection-related epilepsy syndrome",
	"GLUT1DS-DEE",
	"Gelastic seizures with HH",
	"Genetic epilepsy with febrile seizures plus",
	"Hemiconvulsion–hemiplegia–epilepsy",
	"Infantile epileptic spasms syndrome",
	"Juvenile absence epilepsy",
	"Juvenile myoclonic epilepsy",
	"KCNQ2-DEE",
	"Lennox–Gastaut syndrome",
	"Mesial temporal lobe epilepsy with hippocampal sclerosis",
	"Myoclonic epilepsy in infancy",
	"PCDH19 clustering epilepsy",
	"Photosensitive occipital lobe epilepsy",
	"Progressive myoclonus epilepsies",
	"Pyridoxine-dependent and pyridox(am)ine 5′ phosphate deficiency DEE",
	"Rasmussen syndrome",
	"Self-limited (familial) infantile epilepsy",
	"Self-limited (familial) neonatal epilepsy",
	"Self-limited epilepsy with autonomic seizures",
	"Self-limited epilepsy with centrotemporal spikes",
	"Self-limited familial neonatal-infantile epilepsy",
	"Sleep-related hypermotor (hyperkinetic) epilepsy",
	"Sturge–Weber syndrome",
}

// Medicine is one entry of the medicine list (reference-data/medicines.csv).
type Medicine struct {
	Name     string
	IsRescue bool
}

// medicines is the medicine list: 4 rescue medicines and 32 maintenance
// ones. "Other" appears in both.
var medicines = []Medicine{
	{"Buccal midazolam", true},
	{"Rectal diazepam", true},
	{"Other", true},
	{"Lorazepam", true},
	{"Acetazolamide", false},
	{"ACTH", false},
	{"Brivaracetam", false},
	{"Carbamazepine", false},
	{"Cenobamate", false},
	{"Clobazam", false},
	{"Clonazepam", false},
	{"Eslicarbazepine acetate", false},
	{"Ethosuximide", false},
	{"Gabapentin", false},
	{"Lacosamide", false},
	{"Lamotrigine", false},
	{"Levetiracetam", false},
	{"Methylprednisolone", false},
	{"Nitrazepam", false},
	{"Oxcarbazepine", false},
	{"Perampanel", false},
	{"Piracetam", false},
	{"Phenobarbital", false},
	{"Phenytoin", false},
	{"Pregabalin", false},
	{"Prednisolone", false},
	{"Primidone", false},
	{"Rufinamide", false},
	{MedicineSodiumValproate, false},
	{"Stiripentol", false},
	{"Sulthiame", false},
	{"Tiagabine", false},
	{"Topiramate", false},
	{"Vigabatrin", false},
	{"Zonisamide", false},
	{"Other", false},
}

// SyndromeNames returns the syndrome list, in reference-data order.
func SyndromeNames() []string { return append([]string(nil), syndromeNames...) }

// Medicines returns the medicine list, in reference-data order.
func Medicines() []Medicine { return append([]Medicine(nil), medicines...) }
