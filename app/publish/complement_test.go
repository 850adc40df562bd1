package publish

import (
	"testing"

	"clinaudit/app/aggregate"
	"clinaudit/app/kpi"
	"clinaudit/app/store"
)

// figure is an entity whose ECG has eligible children, met of them.
func figure(level aggregate.Level, key string, registered, eligible, met int64) aggregate.Figures {
	f := aggregate.Figures{Entity: aggregate.Entity{Level: level, Key: key, Registered: registered, Counted: registered}}
	f.Measures[kpi.ECG] = aggregate.Counts{TotalEligible: eligible, Passed: met, Ineligible: registered - eligible}
	return f
}

// belongs lists organisation id's entities: itself, then its groups.
func belongs(id int64, org string, groups ...string) []store.OrganisationLevel {
	out := []store.OrganisationLevel{{OrganisationID: id, Level: string(aggregate.Organisation), Entity: org}}
	for _, g := range groups {
		out = append(out, store.OrganisationLevel{OrganisationID: id, Level: string(aggregate.Trust), Entity: g})
	}
	return out
}

func TestPlanWithholdsASecondFigureInAGroup(t *testing.T) {
	five := Suppression{Below: DefaultSuppressBelow}
	ecg := []kpi.Measure{kpi.ECG}
	cell := func(p *Plan, figs []aggregate.Figures, key string) string {
		for _, f := range figs {
			if f.Key == key {
				text, _ := p.Cell(f, kpi.ECG)
				return text
			}
		}
		return "(none)"
	}
	for _, tt := range []struct {
		name   string
		sup    Suppression
		figs   []aggregate.Figures
		levels [][]store.OrganisationLevel
		want   map[string]string // entity key → ECG cell
	}{
		{"one small of two: the other is withheld too", five,
			[]aggregate.Figures{figure("organisation", "A", 3, 3, 3), figure("organisation", "B", 40, 40, 30), figure("trust", "T", 43, 43, 33)},
			[][]store.OrganisationLevel{belongs(1, "A", "T"), belongs(2, "B", "T")},
			map[string]string{"A": "fewer than 5", "B": "not shown", "T": "77% (43)"}},
		{"the smallest other one is chosen", five,
			[]aggregate.Figures{figure("organisation", "A", 3, 3, 3), figure("organisation", "B", 40, 40, 30), figure("organisation", "C", 10, 10, 5), figure("trust", "T", 53, 53, 38)},
			[][]store.OrganisationLevel{belongs(1, "A", "T"), belongs(2, "B", "T"), belongs(3, "C", "T")},
			map[string]string{"A": "fewer than 5", "B": "75% (40)", "C": "not shown", "T": "72% (53)"}},
		{"a zero is no cover: the non-zero one is withheld", five,
			[]aggregate.Figures{figure("organisation", "A", 3, 3, 3), figure("organisation", "Z", 0, 0, 0), figure("organisation", "B", 20, 20, 10), figure("trust", "T", 23, 23, 13)},
			[][]store.OrganisationLevel{belongs(1, "A", "T"), belongs(2, "Z", "T"), belongs(3, "B", "T")},
			map[string]string{"A": "fewer than 5", "Z": aggregate.NoEligible, "B": "not shown", "T": "57% (23)"}},
		{"two small already cover each other", five,
			[]aggregate.Figures{figure("organisation", "A", 3, 3, 3), figure("organisation", "B", 2, 2, 1), figure("organisation", "C", 40, 40, 20), figure("trust", "T", 45, 45, 24)},
			[][]store.OrganisationLevel{belongs(1, "A", "T"), belongs(2, "B", "T"), belongs(3, "C", "T")},
			map[string]string{"A": "fewer than 5", "B": "fewer than 5", "C": "50% (40)", "T": "53% (45)"}},
		{"a met count withheld (fewer than 5 of 20) needs cover too", five,
			[]aggregate.Figures{figure("organisation", "A", 20, 20, 2), figure("organisation", "B", 30, 30, 15), figure("trust", "T", 50, 50, 17)},
			[][]store.OrganisationLevel{belongs(1, "A", "T"), belongs(2, "B", "T")},
			map[string]string{"A": "fewer than 5 of 20", "B": "not shown", "T": "34% (50)"}},
		{"one organisation in two groups: covered in each", five,
			[]aggregate.Figures{figure("organisation", "A", 3, 3, 3), figure("organisation", "B", 40, 40, 30), figure("organisation", "D", 12, 12, 6),
				figure("trust", "T", 43, 43, 33), figure("trust", "N", 15, 15, 9)},
			[][]store.OrganisationLevel{belongs(1, "A", "T", "N"), belongs(2, "B", "T"), belongs(3, "D", "N")},
			map[string]string{"A": "fewer than 5", "B": "not shown", "D": "not shown", "T": "77% (43)", "N": "60% (15)"}},
		{"nothing small, nothing withheld", five,
			[]aggregate.Figures{figure("organisation", "A", 10, 10, 5), figure("organisation", "B", 40, 40, 30), figure("trust", "T", 50, 50, 35)},
			[][]store.OrganisationLevel{belongs(1, "A", "T"), belongs(2, "B", "T")},
			map[string]string{"A": "50% (10)", "B": "75% (40)", "T": "70% (50)"}},
		{"suppression off", Suppression{Below: 1},
			[]aggregate.Figures{figure("organisation", "A", 3, 3, 3), figure("organisation", "B", 40, 40, 30), figure("trust", "T", 43, 43, 33)},
			[][]store.OrganisationLevel{belongs(1, "A", "T"), belongs(2, "B", "T")},
			map[string]string{"A": "100% (3)", "B": "75% (40)", "T": "77% (43)"}},
	} {
		var levels []store.OrganisationLevel
		for _, l := range tt.levels {
			levels = append(levels, l...)
		}
		p := NewPlan(tt.sup, tt.figs, levels, ecg)
		for key, want := range tt.want {
			if got := cell(p, tt.figs, key); got != want {
				t.Errorf("%s: %s's ECG = %q, want %q", tt.name, key, got, want)
			}
		}
	}
}

func TestPlanWithholdsTotals(t *testing.T) {
	figs := []aggregate.Figures{figure("organisation", "A", 2, 0, 0), figure("organisation", "B", 30, 0, 0), figure("trust", "T", 32, 0, 0)}
	p := NewPlan(Suppression{Below: 5}, figs, append(belongs(1, "A", "T"), belongs(2, "B", "T")...), []kpi.Measure{kpi.ECG})
	for i, want := range []string{"fewer than 5", "", "32"} {
		if got := p.Registered(figs[i]); got != want {
			t.Errorf("%s registered: %q, want %q", figs[i].Key, got, want)
		}
		if got := p.Counted(figs[i], []kpi.Measure{kpi.ECG}); got != want {
			t.Errorf("%s counted: %q, want %q", figs[i].Key, got, want)
		}
	}
}
