package publish

import (
	"slices"
	"strings"

	"clinaudit/app/aggregate"
	"clinaudit/app/kpi"
	"clinaudit/app/store"
)

// Secondary suppression across levels. A trust's figure is the sum of its
// organisations'; if one organisation's figure is withheld and every other
// organisation of the trust shows an exact one (each on its own public
// page), the trust's figure less theirs gives the withheld one back. The
// same holds for every level above an organisation (health board, ICB,
// region, network, country, national). Plan withholds, in each such group
// with exactly one figure withheld, a second one: the smallest non-zero
// other organisation's (complementary suppression), or the group's own
// figure when no other organisation has one to withhold. It is a
// heuristic, not an optimal or complete solution: sums across several
// groups at once are not checked.

// EntityKey names one entity of a publication.
type EntityKey struct {
	Level aggregate.Level
	Key   string
}

// Figure kinds a Plan can withhold for an entity: a measure's cell (by
// its kpi.Measure), or a column total.
const (
	figRegistered = -1 - iota
	figCounted
)

// figKey is one figure that can be withheld: a total, or a part of a
// measure's cell (its eligible count, or its met count). Withholding
// either part shows the whole cell as "not shown".
type figKey struct {
	EntityKey
	fig  int  // a kpi.Measure, figRegistered or figCounted
	part byte // 'e' eligible, 'p' met, 't' a total
}

// Plan is how one publication's figures show on the public pages: the
// small-number rule of sup for each figure, and the figures it withholds
// besides so that no withheld figure can be worked out by subtraction
// from a level's total. A publication never changes, so its Plan can be
// kept.
type Plan struct {
	sup      Suppression
	withheld map[figKey]bool
}

// NewPlan works out the plan of a publication's figures (every entity of
// every level: ListKPIPublished grouped) given which entities each
// organisation belongs to (ListOrganisationLevels), for the measures
// the pages show.
func NewPlan(sup Suppression, figs []aggregate.Figures, levels []store.OrganisationLevel, measures []kpi.Measure) *Plan {
	p := &Plan{sup: sup, withheld: map[figKey]bool{}}
	if sup.Below <= 1 {
		return p
	}
	byKey := map[EntityKey]*aggregate.Figures{}
	for i := range figs {
		byKey[EntityKey{figs[i].Level, figs[i].Key}] = &figs[i]
	}
	// Each organisation in the publication, by id; then each group of them.
	orgOf := map[int64]string{}
	for _, l := range levels {
		if aggregate.Level(l.Level) == aggregate.Organisation && byKey[EntityKey{aggregate.Organisation, l.Entity}] != nil {
			orgOf[l.OrganisationID] = l.Entity
		}
	}
	members := map[EntityKey][]string{}
	for _, l := range levels {
		g := EntityKey{aggregate.Level(l.Level), l.Entity}
		if org, ok := orgOf[l.OrganisationID]; ok && g.Level != aggregate.Organisation && byKey[g] != nil {
			members[g] = append(members[g], org)
		}
	}
	var groups []EntityKey
	for g := range members {
		slices.Sort(members[g])
		groups = append(groups, g)
	}
	slices.SortFunc(groups, func(a, b EntityKey) int {
		if c := strings.Compare(string(a.Level), string(b.Level)); c != 0 {
			return c
		}
		return strings.Compare(a.Key, b.Key)
	})
	// Each figure of an entity that subtraction could use: a measure's
	// eligible count and met count, and the two totals.
	// A figure is protected when it is withheld for itself (small, or as
	// cover); it is unknown when it is protected or hidden with the rest of
	// its cell. Only a protected figure needs cover: one hidden only
	// because its cell was withheld to cover the other part tells nothing.
	type quantity struct {
		fig       int
		part      byte
		value     func(*aggregate.Figures) int64
		protected func(EntityKey, *aggregate.Figures) bool
		unknown   func(EntityKey, *aggregate.Figures) bool
	}
	var qs []quantity
	for _, m := range measures {
		e := func(f *aggregate.Figures) int64 { return f.Measure(m).TotalEligible }
		met := func(f *aggregate.Figures) int64 { return f.Measure(m).Passed }
		smallE := func(f *aggregate.Figures) bool { return sup.small(e(f)) }
		smallP := func(f *aggregate.Figures) bool {
			return sup.small(e(f)) || sup.small(met(f)) || sup.small(e(f)-met(f))
		}
		cellOut := func(k EntityKey) bool {
			return p.withheld[figKey{k, int(m), 'e'}] || p.withheld[figKey{k, int(m), 'p'}]
		}
		qs = append(qs,
			quantity{fig: int(m), part: 'e', value: e,
				protected: func(k EntityKey, f *aggregate.Figures) bool { return smallE(f) || p.withheld[figKey{k, int(m), 'e'}] },
				unknown:   func(k EntityKey, f *aggregate.Figures) bool { return smallE(f) || cellOut(k) }},
			quantity{fig: int(m), part: 'p', value: met,
				protected: func(k EntityKey, f *aggregate.Figures) bool { return smallP(f) || p.withheld[figKey{k, int(m), 'p'}] },
				unknown:   func(k EntityKey, f *aggregate.Figures) bool { return smallP(f) || cellOut(k) }})
	}
	registered := func(f *aggregate.Figures) bool { return sup.small(f.Registered) }
	counted := func(f *aggregate.Figures) bool { return !p.countedShownBySize(f, measures) }
	for _, t := range []struct {
		fig   int
		value func(*aggregate.Figures) int64
		small func(*aggregate.Figures) bool
	}{{figRegistered, func(f *aggregate.Figures) int64 { return f.Registered }, registered},
		{figCounted, func(f *aggregate.Figures) int64 { return f.Counted }, counted}} {
		out := func(k EntityKey, f *aggregate.Figures) bool { return t.small(f) || p.withheld[figKey{k, t.fig, 't'}] }
		qs = append(qs, quantity{fig: t.fig, part: 't', value: t.value, protected: out, unknown: out})
	}
	// Withholding only ever adds, so this ends; each pass leaves no group
	// with exactly one of its organisations' figures withheld while the
	// group's own is shown.
	for changed := true; changed; {
		changed = false
		for _, g := range groups {
			gf := byKey[g]
			for _, q := range qs {
				if q.unknown(g, gf) {
					continue
				}
				hidden, protected, best := 0, false, ""
				var bestValue int64
				for _, org := range members[g] {
					k := EntityKey{aggregate.Organisation, org}
					f := byKey[k]
					if q.unknown(k, f) {
						hidden++
						protected = q.protected(k, f)
					} else if v := q.value(f); v > 0 && (best == "" || v < bestValue) {
						// Not a zero: a withheld zero can be known for
						// one (its total is zero), and protects nothing.
						best, bestValue = org, v
					}
				}
				if hidden != 1 || !protected {
					continue
				}
				if best != "" {
					p.withheld[figKey{EntityKey{aggregate.Organisation, best}, q.fig, q.part}] = true
				} else {
					p.withheld[figKey{g, q.fig, q.part}] = true
				}
				changed = true
			}
		}
	}
	return p
}

// countedShownBySize reports whether the small-number rule alone shows
// entity f's counted total (Suppression.Counted).
func (p *Plan) countedShownBySize(f *aggregate.Figures, measures []kpi.Measure) bool {
	cells := make([]aggregate.Counts, 0, len(measures))
	for _, m := range measures {
		cells = append(cells, f.Measure(m))
	}
	_, ok := p.sup.Counted(f.Counted, cells)
	return ok && !p.sup.small(f.Counted)
}

// msgWithheld says why a figure that is not small is not shown.
const msgWithheld = "Not shown, so that a small number elsewhere cannot be worked out by subtraction"

// Cell is measure m's cell of entity f: Suppression.Cell, or "not shown"
// when the plan withholds it.
func (p *Plan) Cell(f aggregate.Figures, m kpi.Measure) (text, detail string) {
	k := EntityKey{f.Level, f.Key}
	if p.withheld[figKey{k, int(m), 'e'}] || p.withheld[figKey{k, int(m), 'p'}] {
		return "not shown", msgWithheld
	}
	return p.sup.Cell(f.Measure(m))
}

// Registered is entity f's registered children as a page shows them; ""
// when withheld.
func (p *Plan) Registered(f aggregate.Figures) string {
	if p.withheld[figKey{EntityKey{f.Level, f.Key}, figRegistered, 't'}] {
		return ""
	}
	return p.sup.Count(f.Registered)
}

// Counted is entity f's counted children as a page shows them, given the
// measures shown; "" when withheld (Suppression.Counted, or the plan).
func (p *Plan) Counted(f aggregate.Figures, measures []kpi.Measure) string {
	if p.withheld[figKey{EntityKey{f.Level, f.Key}, figCounted, 't'}] {
		return ""
	}
	cells := make([]aggregate.Counts, 0, len(measures))
	for _, m := range measures {
		cells = append(cells, f.Measure(m))
	}
	text, _ := p.sup.Counted(f.Counted, cells)
	return text
}

// Below is the plan's small-number threshold.
func (p *Plan) Below() int64 { return p.sup.Below }
