package publish

import (
	"testing"

	"clinaudit/app/aggregate"
)

func TestSuppressionCell(t *testing.T) {
	five := Suppression{Below: DefaultSuppressBelow}
	for _, tt := range []struct {
		sup           Suppression
		met, eligible int64
		text, detail  string
	}{
		{five, 0, 0, "No eligible children to score", "No eligible children to score"},
		{five, 2, 2, "fewer than 5", "Fewer than 5 eligible children: the result is not shown, so that no child can be recognised"}, // the probe's "100% (2)"
		{five, 0, 1, "fewer than 5", "Fewer than 5 eligible children: the result is not shown, so that no child can be recognised"},
		{five, 4, 4, "fewer than 5", "Fewer than 5 eligible children: the result is not shown, so that no child can be recognised"},
		{five, 0, 5, "0% (5)", "0 of 5 eligible children met the measure"},   // none is not small
		{five, 5, 5, "100% (5)", "5 of 5 eligible children met the measure"}, // all: none did not
		{five, 1, 10, "fewer than 5 of 10", "Fewer than 5 of the 10 eligible children met the measure"},
		{five, 4, 40, "fewer than 5 of 40", "Fewer than 5 of the 40 eligible children met the measure"},
		{five, 5, 10, "50% (10)", "5 of 10 eligible children met the measure"},
		{five, 9, 10, "more than 5 of 10", "More than 5 of the 10 eligible children met the measure; fewer than 5 did not"}, // 90% (10) would say 1 did not
		{five, 36, 40, "more than 35 of 40", "More than 35 of the 40 eligible children met the measure; fewer than 5 did not"},
		{five, 35, 40, "88% (40)", "35 of 40 eligible children met the measure"},
		{five, 1, 8, "fewer than 5 of 8", "Fewer than 5 of the 8 eligible children met the measure"},                                                 // both small: the met count first
		{Suppression{Below: 8}, 7, 7, "fewer than 8", "Fewer than 8 eligible children: the result is not shown, so that no child can be recognised"}, // HES's 1 to 7
		{Suppression{Below: 8}, 3, 20, "fewer than 8 of 20", "Fewer than 8 of the 20 eligible children met the measure"},
		{Suppression{Below: 1}, 2, 2, "100% (2)", "2 of 2 eligible children met the measure"}, // off
		{Suppression{}, 1, 3, "33% (3)", "1 of 3 eligible children met the measure"},          // off
	} {
		text, detail := tt.sup.Cell(aggregate.Counts{Passed: tt.met, TotalEligible: tt.eligible})
		if text != tt.text || detail != tt.detail {
			t.Errorf("below %d, %d of %d: %q, %q; want %q, %q", tt.sup.Below, tt.met, tt.eligible, text, detail, tt.text, tt.detail)
		}
	}
}

func TestSuppressionCounts(t *testing.T) {
	five := Suppression{Below: DefaultSuppressBelow}
	for n, want := range map[int64]string{0: "0", 1: "fewer than 5", 4: "fewer than 5", 5: "5", 120: "120"} {
		if got := five.Count(n); got != want {
			t.Errorf("Count(%d) = %q, want %q", n, got, want)
		}
	}
	cells := func(eligible ...int64) []aggregate.Counts {
		var out []aggregate.Counts
		for _, e := range eligible {
			out = append(out, aggregate.Counts{TotalEligible: e})
		}
		return out
	}
	for _, tt := range []struct {
		counted  int64
		eligible []aggregate.Counts
		text     string
		ok       bool
	}{
		{10, cells(10, 10, 0), "10", true},     // all or none eligible: nothing to subtract
		{10, cells(10, 5), "10", true},         // 5 not eligible: not small
		{10, cells(10, 7), "", false},          // 10 − 7: 3 not eligible for the second measure
		{10, cells(9), "", false},              // 1 not eligible
		{10, cells(2, 10), "10", true},         // 2 eligible is withheld in its cell: 10 − "fewer than 5" tells nothing exact
		{3, cells(3, 1), "fewer than 5", true}, // the total itself is small
		{0, cells(0), "0", true},
	} {
		text, ok := five.Counted(tt.counted, tt.eligible)
		if text != tt.text || ok != tt.ok {
			t.Errorf("Counted(%d, %v) = %q, %v; want %q, %v", tt.counted, tt.eligible, text, ok, tt.text, tt.ok)
		}
	}
}
