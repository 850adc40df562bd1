package data

import (
	"encoding/csv"
	"slices"
	"strconv"
	"sync"
)

// Choice is one code of a code list of choice_lists.csv.
type Choice struct {
	Code  string
	Label string
	// Group is the list's own grouping (FOCAL_ONSET_FIELDS: motor,
	// non_motor, eeg); "" for most lists.
	Group string
}

// ChoiceList returns the code list of choice_lists.csv called name (spec
// §2), in its display order. It is the one source of the audit's code
// lists: validation (app/audit), the audit forms and the demographics form
// all read them from here. It panics when there is no such list, which is
// a programming error caught by any test that builds the list.
func ChoiceList(name string) []Choice {
	l, ok := choiceLists()[name]
	if !ok {
		panic("data: no choice list " + name)
	}
	return slices.Clone(l)
}

var choiceLists = sync.OnceValue(func() map[string][]Choice {
	type entry struct {
		Choice
		order int
	}
	rows := Read("choice_lists.csv")
	lists := map[string][]entry{}
	for _, r := range rows[1:] {
		order, err := strconv.Atoi(r[4])
		if err != nil {
			panic("data: choice_lists.csv: display_order " + r[4])
		}
		lists[r[0]] = append(lists[r[0]], entry{Choice{Code: r[1], Label: r[2], Group: r[5]}, order})
	}
	out := map[string][]Choice{}
	for name, es := range lists {
		slices.SortStableFunc(es, func(a, b entry) int { return a.order - b.order })
		for _, e := range es {
			out[name] = append(out[name], e.Choice)
		}
	}
	return out
})

// Column returns one column of a CSV file, by its header, in file order.
// It panics when the file or the column is missing.
func Column(file, header string) []string {
	rows := Read(file)
	col := slices.Index(rows[0], header)
	if col < 0 {
		panic("data: no column " + header + " in " + file)
	}
	out := make([]string, 0, len(rows)-1)
	for _, r := range rows[1:] {
		out = append(out, r[col])
	}
	return out
}

// Read returns every row of a CSV file, its header first. It panics when
// the file is missing or unreadable: the files are embedded, so that is a
// broken build.
func Read(file string) [][]string {
	f, err := Files.Open(file)
	if err != nil {
		panic("data: " + err.Error())
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil || len(rows) == 0 {
		panic("data: reading " + file)
	}
	return rows
}
