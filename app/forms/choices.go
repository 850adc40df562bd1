package forms

import (
	"encoding/csv"
	"sort"
	"strconv"

	"clinaudit/app/audit"
	"clinaudit/app/refdata/data"
)

// choiceLists are the code lists of reference-data/choice_lists.csv, each
// in its display order.
var choiceLists = readChoiceLists()

func readChoiceLists() map[string][]Choice {
	type entry struct {
		Choice
		order int
	}
	rows := readCSV("choice_lists.csv")
	lists := map[string][]entry{}
	for _, r := range rows[1:] {
		order, _ := strconv.Atoi(r[4])
		lists[r[0]] = append(lists[r[0]], entry{Choice{Code: r[1], Label: r[2]}, order})
	}
	out := map[string][]Choice{}
	for name, es := range lists {
		sort.SliceStable(es, func(i, j int) bool { return es[i].order < es[j].order })
		for _, e := range es {
			out[name] = append(out[name], e.Choice)
		}
	}
	return out
}

func readCSV(name string) [][]string {
	f, err := data.Files.Open(name)
	if err != nil {
		panic("forms: " + err.Error())
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil || len(rows) == 0 {
		panic("forms: reading " + name)
	}
	return rows
}

// list returns a choice list by its choice_lists.csv name; a missing list
// is a programming error.
func list(name string) []Choice {
	l, ok := choiceLists[name]
	if !ok {
		panic("forms: no choice list " + name)
	}
	return l
}

// column returns one column of a reference CSV as choices coded by their
// own text.
func column(file, header string) []Choice {
	rows := readCSV(file)
	col := -1
	for i, h := range rows[0] {
		if h == header {
			col = i
		}
	}
	if col < 0 {
		panic("forms: no column " + header + " in " + file)
	}
	var out []Choice
	for _, r := range rows[1:] {
		out = append(out, Choice{Code: r[col], Label: r[col]})
	}
	return out
}

// Keywords of the semiology keyword list, in its order.
var SemiologyKeywords = func() []string {
	var out []string
	for _, c := range column("semiology_keywords.csv", "keyword") {
		out = append(out, c.Code)
	}
	return out
}()

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
