package forms

import (
	"clinaudit/app/audit"
	"clinaudit/app/refdata/data"
)

// list returns a choice list by its choice_lists.csv name, in display
// order (data.ChoiceList, the lists' one source); a missing list is a
// programming error.
func list(name string) []Choice {
	var out []Choice
	for _, c := range data.ChoiceList(name) {
		out = append(out, Choice{Code: c.Code, Label: c.Label})
	}
	return out
}

// SemiologyKeywords are the keywords of the semiology keyword list, in its
// order.
var SemiologyKeywords = data.Column("semiology_keywords.csv", "keyword")

func syndromeChoices() []Choice {
	var out []Choice
	for _, n := range audit.SyndromeNames() {
		out = append(out, Choice{n, n})
	}
	return out
}

// medicineChoices lists the rescue or the maintenance medicines.
func medicineChoices(rescue bool) []Choice {
	var out []Choice
	for _, m := range audit.Medicines() {
		if m.IsRescue == rescue {
			out = append(out, Choice{m.Name, m.Name})
		}
	}
	return out
}
