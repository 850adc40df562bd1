package children

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strconv"
	"time"

	"clinaudit/app/cohort"
	"clinaudit/app/nhsnumber"
	"clinaudit/app/postcode"
	"clinaudit/app/store"
)

// Synthetic children for the demo and for benchmarks. No real person: names
// are drawn from short lists, NHS numbers from the 999 test range that is
// never issued to patients, postcodes are the lead hospital's own or an ONS
// "unknown" code, Jersey reference numbers start "DEMO".

var (
	syntheticFirstNames = []string{"Amelia", "Olivia", "Isla", "Ava", "Mia", "Ivy", "Lily", "Freya", "Florence", "Willow",
		"Noah", "Oliver", "George", "Arthur", "Leo", "Muhammad", "Harry", "Oscar", "Archie", "Henry",
		"Seren", "Cerys", "Megan", "Dylan", "Rhys", "Aisha", "Zara", "Priya", "Kwame", "Chen", "Tomasz", "Maya"}
	syntheticSurnames = []string{"Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Patel",
		"Robinson", "Wright", "Thompson", "Evans", "Walker", "White", "Roberts", "Green", "Hall", "Thomas", "Clarke",
		"Jackson", "Wood", "Hughes", "Lewis", "Khan", "Ali", "Okafor", "Nowak", "Murphy", "Price", "Morgan", "Singh"}
	syntheticSexes = []int64{1, 1, 1, 2, 2, 2, 9, 0}
)

// Synthetic makes children that belong to no real person.
type Synthetic struct {
	Rand *rand.Rand
	// Today decides the cohorts and registration states children get.
	Today time.Time
	// Organisations to spread children over; Weighted ones (ODS codes)
	// get WeightedShare of all children between them.
	Organisations []store.Organisation
	Weighted      []string
	WeightedShare float64
	// LockSome locks about half of the registered children whose first
	// year of care is over, for the case list's benchmarks. The demo leaves
	// it off: these children have no audit answers, and a locked record
	// must have a complete audit (docs/forms.md).
	LockSome bool
	seq      int
}

func (g *Synthetic) pick(list []string) string { return list[g.Rand.IntN(len(list))] }

func (g *Synthetic) organisation() store.Organisation {
	if len(g.Weighted) > 0 && g.Rand.Float64() < g.WeightedShare {
		want := g.Weighted[g.Rand.IntN(len(g.Weighted))]
		for _, o := range g.Organisations {
			if o.ODSCode == want {
				return o
			}
		}
	}
	return g.Organisations[g.Rand.IntN(len(g.Organisations))]
}

func (g *Synthetic) auditID() string {
	b := []byte(AuditIDPrefix)
	for len(b) < AuditIDLength {
		b = append(b, auditIDAlphabet[g.Rand.IntN(len(auditIDAlphabet))])
	}
	return string(b)
}

func day(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// Next returns one made-up child: about a quarter not yet registered, the
// rest registered in a recent cohort (some of them closed, so read-only),
// none locked unless LockSome.
func (g *Synthetic) Next(now time.Time) store.InsertChildParams {
	g.seq++
	today := day(g.Today)
	o := g.organisation()
	p := store.InsertChildParams{AuditID: g.auditID(), FirstName: g.pick(syntheticFirstNames),
		Surname: g.pick(syntheticSurnames), Sex: syntheticSexes[g.Rand.IntN(len(syntheticSexes))],
		Ethnicity: Ethnicities[g.Rand.IntN(len(Ethnicities))].Code, LeadOrganisationID: o.ID, CreatedAt: now}
	check, unknown := postcode.Validate, "ZZ99 3WZ"
	if IsJersey(o) {
		urn := "DEMO" + strconv.Itoa(g.Rand.IntN(1e9))
		p.UniqueReferenceNumber = &urn
		check, unknown = postcode.ValidateJersey, "ZZ99 3CZ"
	} else {
		n := nhsnumber.Generate(g.Rand)
		p.NHSNumber = &n
	}
	// The hospital's postcode, never a home; one child in five has none.
	pc, err := check(o.Postcode)
	if err != nil || g.Rand.IntN(5) == 0 {
		pc = unknown
	}
	p.Postcode = postcode.Compact(pc)
	roles := cohort.RolesOn(today)
	if g.Rand.IntN(4) == 0 {
		// Not registered: born 1 to 16 years ago.
		dob := store.NewDate(today.AddDate(-1-g.Rand.IntN(16), 0, -g.Rand.IntN(365)))
		p.DateOfBirth = &dob
		return p
	}
	// Registered: a cohort from two closed ones to the recruiting one,
	// mostly the open ones.
	c := roles.Recruiting - cohort.Cohort(g.Rand.IntN(3))
	if g.Rand.IntN(6) == 0 {
		c = max(cohort.First, roles.Grace-1-cohort.Cohort(g.Rand.IntN(2)))
	}
	span := int(c.End().Sub(c.Start()).Hours()/24) + 1
	if c == roles.Recruiting {
		span = int(today.Sub(c.Start()).Hours()/24) + 1
	}
	fpa := c.Start().AddDate(0, 0, g.Rand.IntN(max(1, span)))
	dob := store.NewDate(fpa.AddDate(-g.Rand.IntN(16), -g.Rand.IntN(12), -1-g.Rand.IntN(28)))
	fpaDate := store.NewDate(fpa)
	cohortNumber := int64(c)
	registered := fpa.Add(24 * time.Hour)
	if registered.After(now) {
		registered = now
	}
	p.DateOfBirth, p.FirstPaediatricAssessmentDate, p.EligibilityConfirmed = &dob, &fpaDate, true
	p.Cohort, p.RegisteredAt = &cohortNumber, &registered
	// Locked (LockSome only): about half of those whose first year of care
	// is over. The draws are made either way, so a seed makes the same
	// children with it or without.
	if yearDone := fpa.AddDate(1, 0, 0); yearDone.Before(today) && g.Rand.IntN(2) == 0 {
		locked := yearDone.AddDate(0, 0, g.Rand.IntN(30))
		if locked.After(now) {
			locked = now
		}
		if g.LockSome {
			p.LockedAt = &locked
		}
	}
	return p
}

// Seed inserts n synthetic children in transactions of batch children,
// skipping any whose NHS number or audit ID is already taken, and returns
// how many it inserted. It gives up, with an error, when the 999 test range
// runs short (about 900,000 numbers).
func Seed(ctx context.Context, s store.Store, g *Synthetic, n, batch int, now time.Time) (int, error) {
	if len(g.Organisations) == 0 {
		return 0, fmt.Errorf("children: no organisations to seed children at")
	}
	inserted, tries := 0, 0
	for inserted < n {
		added := 0
		err := s.InTx(ctx, func(tx store.Tx) error {
			added = 0
			for i := 0; i < batch && inserted+added < n; i++ {
				tries++
				if tries > 3*n+1000 {
					return fmt.Errorf("children: gave up after %d tries, %d children inserted: the test NHS number range is nearly used up", tries, inserted)
				}
				rows, err := tx.InsertChildIfNew(ctx, store.InsertChildIfNewParams(g.Next(now)))
				if err != nil {
					return err
				}
				added += int(rows)
			}
			return nil
		})
		if err != nil {
			return inserted, err
		}
		inserted += added
	}
	return inserted, nil
}
