package aggregate

import (
	"math"
	"strconv"

	"clinaudit/app/kpi"
)

// Counts are the four counts of §8.3 for one measure over an entity's
// counted children.
type Counts struct {
	Passed        int64 // scored 1
	TotalEligible int64 // scored 0 or 1
	Ineligible    int64 // scored 2
	Incomplete    int64 // not scored (NULL)
}

// Add counts one child's stored score: 1 pass, 0 fail, 2 ineligible, nil
// not scored.
func (c *Counts) Add(score *int64) {
	switch {
	case score == nil:
		c.Incomplete++
	case *score == 1:
		c.Passed++
		c.TotalEligible++
	case *score == 0:
		c.TotalEligible++
	case *score == 2:
		c.Ineligible++
	}
}

// Failed is the eligible children who did not pass.
func (c Counts) Failed() int64 { return c.TotalEligible - c.Passed }

// Total is every counted child: eligible, ineligible or not scored (the
// spec's "total cases" for a level).
func (c Counts) Total() int64 { return c.TotalEligible + c.Ineligible + c.Incomplete }

// Percent is passed ÷ eligible × 100; ok is false when nobody is eligible
// ("No eligible Cases to score").
func (c Counts) Percent() (pct float64, ok bool) {
	if c.TotalEligible == 0 {
		return 0, false
	}
	return 100 * float64(c.Passed) / float64(c.TotalEligible), true
}

// NoEligible is what a measure shows when nobody is eligible (§8.3).
const NoEligible = "No eligible children to score"

// Shown is a measure's result as the KPI tables show it (§8.3): the
// percentage passed as a whole number and the number eligible, "67% (3)",
// or NoEligible. It rounds half to even, as Epilepsy12's Python round()
// does, so a figure reads the same here as in the national audit's tables
// (1 of 8 is 12%, not 13%).
func (c Counts) Shown() string {
	pct, ok := c.Percent()
	if !ok {
		return NoEligible
	}
	return strconv.FormatFloat(math.RoundToEven(pct), 'f', 0, 64) + "% (" + strconv.FormatInt(c.TotalEligible, 10) + ")"
}

// Entity is one entity of a level and its children of the cohort.
type Entity struct {
	Level Level
	Key   string // ODS code, region or network code, country code, NationalKey
	Name  string
	// Registered children of the cohort (not opted out or deleted),
	// Complete those with every form complete, Counted those §8.2 counts
	// (complete, a full year of care over).
	Registered, Complete, Counted int64
}

// Figures are an entity's counts for every measure, indexed by kpi.Measure.
type Figures struct {
	Entity
	Measures [kpi.NumMeasures]Counts
}

// Measure is one measure's counts.
func (f Figures) Measure(m kpi.Measure) Counts { return f.Measures[m] }

// EntityCounts is one entity's counts for one measure.
type EntityCounts struct {
	Entity
	Counts
}
