// Package report builds the registry's reports and the audit's demographic
// breakdowns (docs/reporting.md) from counts the store returns: sections
// of labelled counts, each shown as a chart and a table and downloaded as
// CSV or XLSX. Plain Go, no HTTP or SQL: handlers fetch, this counts.
package report

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"time"

	"clinaudit/app/postcode"
	"clinaudit/app/reporting"
	"clinaudit/app/store"
)

// Row is one category of a section and how many fall in it.
type Row struct {
	Label string
	Count int64
}

// Section is one breakdown: a title, the categories in the order they are
// shown, and the total the shares are of. Of is what is counted
// ("patients", "children", "findings").
type Section struct {
	ID, Title, Of string
	// Group names whose counts these are (an organisation, a trust) when
	// a report has several; "" when it has one.
	Group string
	Rows  []Row
	// Cumulative sections count a running total: their shares are of the
	// last row, not of the sum.
	Cumulative bool
}

// Total is what the shares are of: the sum of the counts, or the last
// running total.
func (s Section) Total() int64 {
	if s.Cumulative {
		if len(s.Rows) == 0 {
			return 0
		}
		return s.Rows[len(s.Rows)-1].Count
	}
	var n int64
	for _, r := range s.Rows {
		n += r.Count
	}
	return n
}

// Share is row i's count as a percentage of Total; false when the total
// is 0.
func (s Section) Share(i int) (float64, bool) {
	t := s.Total()
	if t == 0 {
		return 0, false
	}
	return 100 * float64(s.Rows[i].Count) / float64(t), true
}

// ShareText is Share to one decimal place, as pages and downloads show it
// ("" when there is none).
func (s Section) ShareText(i int) string {
	p, ok := s.Share(i)
	if !ok {
		return ""
	}
	return strconv.FormatFloat(math.Round(p*10)/10, 'f', 1, 64) + "%"
}

// counter adds up counts by label, keeping the labels' first-seen order
// unless an order is given.
type counter struct {
	order  []string
	counts map[string]int64
}

func newCounter(order ...string) *counter {
	return &counter{order: order, counts: map[string]int64{}}
}

func (c *counter) add(label string, n int64) {
	if _, ok := c.counts[label]; !ok && !slices.Contains(c.order, label) {
		c.order = append(c.order, label)
	}
	c.counts[label] += n
}

// rows are the counted labels in order; keepEmpty keeps the given order's
// labels that counted nothing (a band with nobody in it is a finding too).
func (c *counter) rows(keepEmpty bool) []Row {
	var out []Row
	for _, l := range c.order {
		n := c.counts[l]
		if n == 0 && !keepEmpty {
			continue
		}
		out = append(out, Row{Label: l, Count: n})
	}
	return out
}

// Sex labels SEX_TYPE codes as the audit's forms do.
func sexLabel(code int64) string {
	switch code {
	case 1:
		return "Male"
	case 2:
		return "Female"
	case 9:
		return "Not specified"
	}
	return "Not known"
}

var sexOrder = []string{"Female", "Male", "Not specified", "Not known"}

// bandOrder lists the age bands youngest first, then "Not known".
func bandOrder() []string {
	var out []string
	for _, b := range reporting.AgeBands {
		out = append(out, b.Label)
	}
	return append(out, "Not known")
}

func bandLabel(age int) string {
	if l := reporting.BandOf(age); l != "" {
		return l
	}
	return "Not known"
}

// Registry is a registry's report: growth (registered per month and the
// running total), sex, age band today, postcode area, and its genetic
// findings by gene (patients) and by classification (findings). labels
// names classification codes; now is today, for ages and the months up
// to it.
func Registry(patients []store.RegistryReportPatient, findings []store.RegistryFindingCount, labels map[string]string, now time.Time) []Section {
	months := newCounter()
	sex, bands, areas := newCounter(sexOrder...), newCounter(bandOrder()...), newCounter()
	var first time.Time
	for _, p := range patients {
		if first.IsZero() || p.CreatedAt.Before(first) {
			first = p.CreatedAt
		}
	}
	// Every month from the first registration to now, empty ones too: a
	// month with none is part of the growth curve.
	if !first.IsZero() {
		for m := monthOf(first); !m.After(monthOf(now)); m = m.AddDate(0, 1, 0) {
			months.order = append(months.order, m.Format("January 2006"))
		}
	}
	for _, p := range patients {
		months.add(monthOf(p.CreatedAt).Format("January 2006"), 1)
		sex.add(sexLabel(p.Sex), 1)
		bands.add(bandLabel(ageYears(p.DateOfBirth.Time(), now)), 1)
		area := postcode.Area(p.Postcode)
		if area == "" {
			area = "Not known"
		}
		areas.add(area, 1)
	}
	perMonth := months.rows(true)
	var running int64
	cumulative := make([]Row, len(perMonth))
	for i, r := range perMonth {
		running += r.Count
		cumulative[i] = Row{Label: r.Label, Count: running}
	}
	areaRows := areas.rows(false)
	slices.SortStableFunc(areaRows, func(a, b Row) int { return int(b.Count - a.Count) })

	genes, classes := newCounter(), newCounter()
	geneRows := map[string]int64{}
	for _, f := range findings {
		geneRows[f.Gene] += f.Patients // a patient with two findings of one gene and class counts once per class
		label := labels[f.Classification]
		if label == "" {
			label = "Not classified"
		}
		classes.add(label, f.Findings)
	}
	names := make([]string, 0, len(geneRows))
	for g := range geneRows {
		names = append(names, g)
	}
	slices.Sort(names)
	for _, g := range names {
		genes.add(g, geneRows[g])
	}
	return []Section{
		{ID: "registered", Title: "Patients registered per month", Of: "patients", Rows: perMonth},
		{ID: "cumulative", Title: "Patients registered, running total", Of: "patients", Rows: cumulative, Cumulative: true},
		{ID: "sex", Title: "Sex", Of: "patients", Rows: sex.rows(false)},
		{ID: "age", Title: "Age band today", Of: "patients", Rows: bands.rows(true)},
		{ID: "area", Title: "Postcode area", Of: "patients", Rows: areaRows},
		{ID: "genes", Title: "Genetic findings by gene (patients with one)", Of: "patients", Rows: genes.rows(false)},
		{ID: "classifications", Title: "Genetic findings by variant classification", Of: "findings", Rows: classes.rows(false)},
	}
}

func monthOf(t time.Time) time.Time { return time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC) }

// ageYears is the audit's whole years: whole days ÷ 365.25, rounded down
// (as reporting's views count).
func ageYears(born, at time.Time) int {
	days := math.Floor(at.Sub(born).Hours() / 24)
	return int(math.Floor(days / 365.25))
}

// Demographics are the audit's breakdowns of a set of counted children:
// sex, ethnicity (labels names the codes), age band at the first
// paediatric assessment and deprivation quintile. in says which lead
// organisations' children count; group names them.
func Demographics(counts []store.ChildDemographicCount, in func(organisationID int64) bool, ethnicity map[string]string, group string) []Section {
	sex, eth, bands := newCounter(sexOrder...), newCounter(), newCounter(bandOrder()...)
	imd := newCounter("1 (most deprived)", "2", "3", "4", "5 (least deprived)", "Not known")
	for _, c := range counts {
		if !in(c.LeadOrganisationID) {
			continue
		}
		sex.add(sexLabel(c.Sex), c.Children)
		label := ethnicity[c.Ethnicity]
		if label == "" {
			label = "Not known"
		}
		eth.add(label, c.Children)
		band := "Not known"
		if c.Age >= 0 {
			band = bandLabel(int(c.Age))
		}
		bands.add(band, c.Children)
		imd.add(quintileLabel(c.ImdQuintile), c.Children)
	}
	ethRows := eth.rows(false)
	slices.SortStableFunc(ethRows, func(a, b Row) int { return int(b.Count - a.Count) })
	return []Section{
		{ID: "sex", Title: "Sex", Of: "children", Group: group, Rows: sex.rows(false)},
		{ID: "ethnicity", Title: "Ethnicity", Of: "children", Group: group, Rows: ethRows},
		{ID: "age", Title: "Age at first paediatric assessment", Of: "children", Group: group, Rows: bands.rows(true)},
		{ID: "imd", Title: "Index of multiple deprivation quintile of the postcode", Of: "children", Group: group, Rows: imd.rows(true)},
	}
}

func quintileLabel(q int64) string {
	switch q {
	case 1:
		return "1 (most deprived)"
	case 5:
		return "5 (least deprived)"
	case 2, 3, 4:
		return fmt.Sprint(q)
	}
	return "Not known"
}
