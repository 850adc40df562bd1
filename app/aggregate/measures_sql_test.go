package aggregate_test

import (
	"fmt"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"clinaudit/app/kpi"
)

// TestMeasureQueriesFollowTheMeasureList: every list of measures in the
// generated aggregation queries is app/kpi's, in its order, with the
// positions of kpi_measures (TestMeasureCodesMatchKPI holds the table to
// the same list). It fails when the list changes and make generate was not
// run, or when the generated file was edited by hand.
func TestMeasureQueriesFollowTheMeasureList(t *testing.T) {
	b, err := os.ReadFile("../../queries/shared/kpi_aggregate_measures.sql")
	if err != nil {
		t.Fatal(err)
	}
	sql := string(b)
	var want []string
	for _, m := range kpi.Measures() {
		want = append(want, m.ID)
	}
	all := func(re string, s string) []string {
		var out []string
		for _, m := range regexp.MustCompile(re).FindAllStringSubmatch(s, -1) {
			out = append(out, m[1])
		}
		return out
	}
	lists := map[string][]string{
		"staging columns": all(`(?m)^    (\w+)_scored, \w+_passed, \w+_ineligible`, sql),
		"counts":          all(`count\(k\.(\w+)\)`, sql),
		"sums":            all(`CAST\(sum\(s\.(\w+)_scored\)`, sql),
		"staging values":  all(`(?m)^    @(\w+)_scored, @\w+_passed, @\w+_ineligible`, sql),
	}
	// The per-measure picks of RollUpKPIAggregates, one CASE each: the
	// WHEN's position must be the measure's.
	cases := regexp.MustCompile(`(?s)CASE m\.position(.*?)END`).FindAllStringSubmatch(sql, -1)
	for i, c := range cases {
		var got []string
		for _, w := range regexp.MustCompile(`WHEN (\d+) THEN a\.(\w+)_(?:passed|scored|ineligible)`).FindAllStringSubmatch(c[1], -1) {
			got = append(got, w[1]+" "+w[2])
		}
		lists[fmt.Sprintf("CASE %d", i+1)] = got
	}
	if len(lists) != 9 {
		t.Errorf("%d lists of measures, want 9 (4 + 5 CASEs)", len(lists))
	}
	for name, got := range lists {
		w := want
		if strings.HasPrefix(name, "CASE") {
			w = nil
			for i, id := range want {
				w = append(w, fmt.Sprint(i+1, " ", id))
			}
		}
		if !slices.Equal(got, w) {
			t.Errorf("%s: %q\nwant %q", name, got, w)
		}
	}
}
