package publish

import (
	"strconv"

	"clinaudit/app/aggregate"
)

// Small-number suppression (statistical disclosure control) for what the
// public pages publish; the signed-in dashboards show exact figures.
// docs/publishing.md gives the rule and the guidance it follows.

// DefaultSuppressBelow withholds counts from 1 to 4: "fewer than 5".
const DefaultSuppressBelow = 5

// Suppression withholds every count from 1 to Below-1, and every figure
// such a count could be worked back from, showing "fewer than Below"
// instead. Below of 1 or less withholds nothing. Zero is never withheld:
// "nobody" tells nothing about anybody.
type Suppression struct{ Below int64 }

func (s Suppression) small(n int64) bool { return n > 0 && n < s.Below }

func (s Suppression) fewer() string { return "fewer than " + strconv.FormatInt(s.Below, 10) }

// Count is a count of children as a public page shows it.
func (s Suppression) Count(n int64) string {
	if s.small(n) {
		return s.fewer()
	}
	return strconv.FormatInt(n, 10)
}

// Cell is a measure's result as a public page shows it (text) and says it
// in words (detail, for its title and screen readers). Three counts are
// behind a percentage: the eligible children, those who met the measure,
// and those who did not (eligible less met, known by subtraction once the
// other two are). When any is small the percentage is withheld; the cell
// then says what can be said without it.
func (s Suppression) Cell(c aggregate.Counts) (text, detail string) {
	e, met := c.TotalEligible, c.Passed
	eligible := strconv.FormatInt(e, 10)
	switch {
	case e == 0:
		return aggregate.NoEligible, "No eligible children to score"
	case s.small(e):
		return s.fewer(), "Fewer than " + strconv.FormatInt(s.Below, 10) + " eligible children: the result is not shown, so that no child can be recognised"
	case s.small(met):
		return s.fewer() + " of " + eligible, "Fewer than " + strconv.FormatInt(s.Below, 10) + " of the " + eligible + " eligible children met the measure"
	case s.small(e - met):
		more := strconv.FormatInt(e-s.Below, 10)
		return "more than " + more + " of " + eligible, "More than " + more + " of the " + eligible + " eligible children met the measure; fewer than " + strconv.FormatInt(s.Below, 10) + " did not"
	}
	return c.Shown(), strconv.FormatInt(met, 10) + " of " + eligible + " eligible children met the measure"
}

// Counted is a column's total of counted children as a public page shows
// it, given the column's cells. Every counted child is eligible for a
// measure, ineligible or not scored, so the total less a cell's eligible
// children is how many were not eligible (or not scored) for that measure:
// when that is small for any cell whose eligible count is shown, the
// total is withheld too (secondary suppression), and ok is false.
func (s Suppression) Counted(counted int64, cells []aggregate.Counts) (text string, ok bool) {
	if s.small(counted) {
		return s.fewer(), true
	}
	for _, c := range cells {
		if !s.small(c.TotalEligible) && s.small(counted-c.TotalEligible) {
			return "", false
		}
	}
	return strconv.FormatInt(counted, 10), true
}
