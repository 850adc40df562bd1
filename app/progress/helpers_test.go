package progress

import (
	"slices"
	"testing"

	"clinaudit/app/audit"
)

// Fixture helpers: short names, because the tables read better with them.

func yes() *bool           { v := true; return &v }
func no() *bool            { v := false; return &v }
func str(s string) *string { return &s }
func num(n int) *int       { return &n }
func day(s string) *audit.Date {
	d := audit.MustParseDate(s)
	return &d
}

// fixedToday is the "today" of every test that does not say otherwise, so
// that no test depends on the clock.
var fixedToday = audit.MustParseDate("2025-06-01")

// row is one case of a per-form table.
type row struct {
	name     string
	child    *audit.Child
	sites    *Sites     // nil: AssumedSites
	today    audit.Date // zero: fixedToday
	expected int
	answered int
	status   Status
	// missing, when not nil, is the exact list of Gap paths, in order.
	missing []string
}

// runForm checks each row against form f, and the invariants every result
// must keep.
func runForm(t *testing.T, f Form, rows []row) {
	t.Helper()
	for _, r := range rows {
		t.Run(r.name, func(t *testing.T) {
			o := Options{Sites: r.sites, Today: r.today}
			if o.Today.IsZero() {
				o.Today = fixedToday
			}
			got := o.ForForm(r.child, f)
			if got.Form != f {
				t.Errorf("Form = %v, want %v", got.Form, f)
			}
			if got.Expected != r.expected || got.Answered != r.answered || got.Status != r.status {
				t.Errorf("got %d of %d answered, %v; want %d of %d, %v\nmissing: %v",
					got.Answered, got.Expected, got.Status, r.answered, r.expected, r.status, paths(got.Missing))
			}
			if r.missing != nil && !slices.Equal(paths(got.Missing), r.missing) {
				t.Errorf("missing\n got %q\nwant %q", paths(got.Missing), r.missing)
			}
			checkInvariants(t, got)
		})
	}
}

// checkInvariants holds for every FormProgress: the missing list accounts
// for exactly the unanswered expected answers, every path names a real
// field, and the status agrees with the counts.
func checkInvariants(t *testing.T, p FormProgress) {
	t.Helper()
	if p.Answered < 0 || p.Answered > p.Expected {
		t.Errorf("answered %d out of range 0..%d", p.Answered, p.Expected)
	}
	if len(p.Missing) != p.Expected-p.Answered {
		t.Errorf("%d gaps for %d unanswered expected answers", len(p.Missing), p.Expected-p.Answered)
	}
	if p.Missing == nil {
		t.Errorf("Missing is nil; want an empty list")
	}
	for _, g := range p.Missing {
		if !knownPath(g.Path) {
			t.Errorf("gap path %q is not a known field", g.Path)
		}
		if g.Because != "" && !knownPath(g.Because) {
			t.Errorf("gap %q: because %q is not a known field", g.Path, g.Because)
		}
	}
	switch p.Status {
	case Completed:
		if p.Answered != p.Expected || p.Expected == 0 {
			t.Errorf("Completed with %d of %d", p.Answered, p.Expected)
		}
		if p.Percent() != 100 {
			t.Errorf("Completed at %d%%", p.Percent())
		}
	case NotStarted:
		if p.Answered != 0 {
			t.Errorf("NotStarted with %d answered", p.Answered)
		}
		if p.Percent() != 0 {
			t.Errorf("NotStarted at %d%%", p.Percent())
		}
	case InProgress:
		if p.Answered == p.Expected {
			t.Errorf("InProgress with every expected answer given")
		}
		if p.Percent() == 100 {
			t.Errorf("InProgress at 100%%")
		}
	default:
		t.Errorf("unknown status %d", p.Status)
	}
}

func knownPath(p string) bool {
	switch p {
	case PathLeadSite, PathGeneralPaediatricCentre, PathPaediatricNeurologyCentre, PathEpilepsySurgeryCentre:
		return true
	}
	return audit.KnownField(p)
}

func paths(gaps []Gap) []string {
	out := make([]string, len(gaps))
	for i, g := range gaps {
		out[i] = g.Path
	}
	return out
}

// prefixed returns each name with prefix p.
func prefixed(p string, names ...string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = p + n
	}
	return out
}

// concat joins path lists.
func concat(lists ...[]string) []string {
	var out []string
	for _, l := range lists {
		out = append(out, l...)
	}
	if out == nil {
		out = []string{}
	}
	return out
}

// without returns names minus the one at index i.
func without(names []string, i int) []string {
	out := slices.Clone(names[:i])
	return append(out, names[i+1:]...)
}

// with returns a shallow copy of c changed by each edit.
func with(c *audit.Child, edits ...func(*audit.Child)) *audit.Child {
	cp := *c
	for _, e := range edits {
		e(&cp)
	}
	return &cp
}

// emptyForms is a registered-looking child with every form record created
// and nothing answered: the state clinaudit creates at registration, minus
// the registration answers.
func emptyForms() *audit.Child {
	return &audit.Child{
		Registration:              &audit.Registration{},
		FirstPaediatricAssessment: &audit.FirstPaediatricAssessment{},
		EpilepsyContext:           &audit.EpilepsyContext{},
		MultiaxialDiagnosis:       &audit.MultiaxialDiagnosis{},
		Investigations:            &audit.Investigations{},
		Assessment:                &audit.Assessment{},
		Management:                &audit.Management{},
	}
}
