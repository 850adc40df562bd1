package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"maps"
	"math/rand/v2"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"clinaudit/app/access"
	"clinaudit/app/aggregate"
	"clinaudit/app/answers"
	"clinaudit/app/audit"
	"clinaudit/app/auth"
	"clinaudit/app/children"
	"clinaudit/app/cohort"
	"clinaudit/app/config"
	"clinaudit/app/store"
	"clinaudit/app/synth"
)

// DemoPassword signs in every demo account. It is printed at start-up: the
// demo holds synthetic data only, and these accounts exist only with --demo.
const DemoPassword = "Blue-kettle-orchard-42!"

// demoAccounts: one per role, nationally and at two organisations in
// different trusts, one of them Welsh (a health board, not a trust), and
// the demo registry's two roles.
var demoAccounts = []auth.NewUser{
	{Email: "superuser@demo.clinaudit.invalid", FirstName: "Sam", Surname: "Super", Role: access.NationalFull, Superuser: true},
	{Email: "national.full@demo.clinaudit.invalid", FirstName: "Nadia", Surname: "Fuller", Role: access.NationalFull},
	{Email: "national.edit@demo.clinaudit.invalid", FirstName: "Ned", Surname: "Edwards", Role: access.NationalEdit},
	{Email: "national.view@demo.clinaudit.invalid", FirstName: "Nora", Surname: "Viewing", Role: access.NationalView},
	{Email: "lead@rgt01.demo.clinaudit.invalid", FirstName: "Lena", Surname: "Leadbetter", Role: access.LeadClinician, Organisation: "RGT01"},
	{Email: "clinician@rgt01.demo.clinaudit.invalid", FirstName: "Cal", Surname: "Clinton", Role: access.Clinician, Organisation: "RGT01"},
	{Email: "admin@rgt01.demo.clinaudit.invalid", FirstName: "Ada", Surname: "Adams", Role: access.Administrator, Organisation: "RGT01"},
	{Email: "lead@7a4h1.demo.clinaudit.invalid", FirstName: "Llew", Surname: "Jones", Role: access.LeadClinician, Organisation: "7A4H1"},
	{Email: "clinician@7a4h1.demo.clinaudit.invalid", FirstName: "Cerys", Surname: "Evans", Role: access.Clinician, Organisation: "7A4H1"},
	{Email: "admin@7a4h1.demo.clinaudit.invalid", FirstName: "Aled", Surname: "Morgan", Role: access.Administrator, Organisation: "7A4H1"},
	{Email: "registry.manager@demo.clinaudit.invalid", FirstName: "Rosa", Surname: "Manning", Role: access.RegistryManager},
	{Email: "registry.viewer@demo.clinaudit.invalid", FirstName: "Vik", Surname: "Reader", Role: access.RegistryViewer},
}

// demoChildren is how many synthetic children the demo starts with, most of
// them at the organisations of the demo accounts and of the access tests.
const demoChildren = 300

var demoChildOrganisations = []string{"RM332", "RM335", "RGT01", "7A4H1"}

// demoFlags are seed-demo's own flags, and the demo's.
type demoFlags struct{ children, audits int }

func (d *demoFlags) register(fs *flag.FlagSet) {
	fs.IntVar(&d.children, "children", 0, "with seed-demo: add this many more synthetic children (for benchmarks)")
	fs.IntVar(&d.audits, "demo-audits", demoAudits, "with --demo or seed-demo: how many children with filled audits the demo imports when it first seeds children (0: none)")
}

// seedDemo runs `seed-demo`: migrate, load reference data, seed demo data,
// and with --children N add N synthetic children in large transactions.
func seedDemo(ctx context.Context, cfg *config.Config, _ *slog.Logger, env Env, extraChildren int) error {
	s, a, err := openWithAuth(ctx, cfg)
	if err != nil {
		return err
	}
	defer s.Close()
	if err := seedDemoData(ctx, s, a, env); err != nil {
		return err
	}
	if extraChildren <= 0 {
		return nil
	}
	started := time.Now()
	g, err := syntheticChildren(ctx, s, rand.New(rand.NewPCG(uint64(started.UnixNano()), 1)))
	if err != nil {
		return err
	}
	n, err := children.Seed(ctx, s, g, extraChildren, 10000, time.Now())
	fmt.Fprintf(env.Stdout, "added %d synthetic children in %s\n", n, time.Since(started).Round(time.Millisecond))
	return err
}

// syntheticChildren spreads made-up children over every organisation,
// seven in ten of them at demoChildOrganisations.
func syntheticChildren(ctx context.Context, s store.Store, r *rand.Rand) (*children.Synthetic, error) {
	orgs, err := s.ListOrganisations(ctx, store.ListOrganisationsParams{Pattern: "%", PageLimit: 100000})
	if err != nil {
		return nil, err
	}
	return &children.Synthetic{Rand: r, Today: time.Now(), Organisations: orgs,
		Weighted: demoChildOrganisations, WeightedShare: 0.7}, nil
}

// seedDemoChildren adds the demo's children, once: never when any exist.
func seedDemoChildren(ctx context.Context, s store.Store, env Env) error {
	t, err := s.ChildTotals(ctx, store.ChildTotalsParams{})
	if err != nil || t.Total > 0 {
		return err
	}
	g, err := syntheticChildren(ctx, s, rand.New(rand.NewPCG(12, 2020))) // the same children every time
	if err != nil {
		return err
	}
	n, err := children.Seed(ctx, s, g, demoChildren, demoChildren, time.Now())
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "demo data: %d synthetic children (999 test NHS numbers)\n", n)
	if env.demoAudits <= 0 {
		return nil
	}
	return seedDemoAudits(ctx, s, env, env.demoAudits, time.Now)
}

// demoAudits is how many children with filled audits the demo imports
// (--demo-audits), demoAuditsComplete of them with every form complete,
// so that the KPI dashboards have figures to show.
const (
	demoAudits         = 150
	demoAuditsComplete = 0.7
)

// demoAuditOrganisations are where the children with audits are, and how
// many of every ten each gets: the demo lead clinician's RGT01 the most.
var demoAuditOrganisations = []struct {
	ods    string
	weight int
}{{"RGT01", 4}, {"7A4H1", 2}, {"RM332", 2}, {"RM335", 2}}

// demoCohort is one cohort of the children with audits: its first
// assessment dates and its share of the children.
type demoCohort struct {
	cohort   cohort.Cohort
	from, to audit.Date
	share    float64
}

// demoAuditCohorts are the cohorts of the children with audits on a day:
// two in three in the dashboards' default cohort (§7), assessed more than
// a year ago so that their first year of care is over and the complete
// audits count in the KPIs (§8.2); one in three in the submitting cohort
// (or, when that is the default, the recruiting one), whose first year is
// mostly not over: registered and complete, but not counted yet. Both are
// open today, as the import requires.
func demoAuditCohorts(today time.Time) []demoCohort {
	roles := cohort.RolesOn(today)
	day := audit.DateOf(today)
	home, other := roles.DashboardDefault(), roles.Submitting
	if other == home {
		other = roles.Recruiting
	}
	return []demoCohort{
		{home, audit.DateOf(home.Start()), earliest(audit.DateOf(home.End()), day.AddYears(-1)), 2.0 / 3},
		{other, audit.DateOf(other.Start()), earliest(audit.DateOf(other.End()), day), 1.0 / 3},
	}
}

func earliest(a, b audit.Date) audit.Date {
	if a.Before(b) {
		return a
	}
	return b
}

// seedDemoAudits imports n made-up children with filled audits (app/synth)
// at the demo organisations as `clinaudit import` does
// (answers.Service.Import: every answer through the forms' checks, the
// Milestones centres included, with the audit trail and a kpi_score job),
// scores them as the kpi_score job does, and aggregates their
// cohorts: the dashboards show figures from the first page. The same
// children every time (fixed seeds), their dates relative to today.
func seedDemoAudits(ctx context.Context, s store.Store, env Env, n int, now func() time.Time) error {
	started := now()
	svc := answers.New(s, now)
	today := svc.Children.Today() // the UK's date decides cohorts
	orgs := map[string]store.Organisation{}
	var weighted []string
	for _, w := range demoAuditOrganisations {
		o, err := s.GetOrganisationByODS(ctx, w.ods)
		if err != nil {
			return fmt.Errorf("demo organisation %s: %w", w.ods, err)
		}
		orgs[w.ods] = o
		for range w.weight {
			weighted = append(weighted, w.ods)
		}
	}
	cohorts := demoAuditCohorts(today)
	pick := rand.New(rand.NewPCG(2016, 12))
	imported, complete, left := 0, 0, n
	for i, c := range cohorts {
		want := int(float64(n)*c.share + 0.5)
		if i == len(cohorts)-1 {
			want = left
		}
		left -= want
		g := synth.New(synth.Options{Seed: uint64(2020 + i), Today: audit.DateOf(today), From: c.from, To: c.to, Complete: demoAuditsComplete})
		docs, stop := docStream(g)
		for made, taken := 0, 0; made < want; {
			d := <-docs
			ods := weighted[pick.IntN(len(weighted))]
			o := orgs[ods]
			id, err := svc.Import(ctx, answers.SystemActor(o), answers.Import{Organisation: o, Child: d.Child, RequestID: "demo"})
			if nhsTaken(err) && taken < want {
				taken++ // another demo child has the NHS number: the next document takes its place
				continue
			}
			if err == nil {
				err = svc.ScoreChild(ctx, id)
			}
			if err != nil {
				stop()
				return fmt.Errorf("a demo child with an audit at %s: %w", ods, err)
			}
			made++
			imported++
			if d.Complete {
				complete++
			}
		}
		stop()
	}
	for _, c := range cohorts {
		if _, err := aggregate.Run(ctx, s, c.cohort); err != nil {
			return fmt.Errorf("aggregating cohort %d: %w", c.cohort, err)
		}
	}
	fmt.Fprintf(env.Stdout, "demo data: %d children with filled audits (%d complete) at %s, cohorts %d and %d, scored and aggregated in %s\n",
		imported, complete, strings.Join(slices.Sorted(maps.Keys(orgs)), ", "), cohorts[0].cohort, cohorts[1].cohort,
		now().Sub(started).Round(10*time.Millisecond))
	return nil
}

// docStream makes g's documents in a goroutine of its own, a few ahead of
// the reader, so that the forms' engine works on one core while the
// database works on another. stop ends it.
func docStream(g *synth.Generator) (docs <-chan synth.Doc, stop func()) {
	out, done := make(chan synth.Doc, 8), make(chan struct{})
	go func() {
		defer close(out)
		for {
			select {
			case out <- g.Next():
			case <-done:
				return
			}
		}
	}()
	return out, func() { close(done) }
}

// nhsTaken reports whether an import was refused because the NHS number is
// already in the audit.
func nhsTaken(err error) bool {
	var fe audit.Errors
	return errors.As(err, &fe) && slices.ContainsFunc(fe, func(e *audit.FieldError) bool { return e.Path == "case.nhs_number" })
}

// seedDemoData creates what the demo shows, idempotently, and prints the
// sign-ins.
func seedDemoData(ctx context.Context, s store.Store, a *auth.Service, env Env) error {
	c, err := s.CountReferenceData(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "demo data: %d organisations, %d trusts, %d health boards, %d ICBs, %d regions, %d OPEN UK networks\n",
		c.Organisations, c.Trusts, c.HealthBoards, c.ICBs, c.Regions, c.Networks)
	for _, d := range demoAccounts {
		if _, err := s.GetUserByEmail(ctx, d.Email); err == nil {
			continue
		} else if !errors.Is(err, store.ErrNotFound) {
			return err
		}
		d.TwoFactorSkip = true
		var u store.User
		if err := s.InTx(ctx, func(tx store.Tx) error {
			u, err = a.CreateUser(ctx, tx, d)
			return err
		}); err != nil {
			return fmt.Errorf("demo account %s: %w", d.Email, err)
		}
		if err := a.SetPasswordDirect(ctx, u, DemoPassword); err != nil {
			return fmt.Errorf("demo account %s: %w", d.Email, err)
		}
	}
	if err := seedDemoChildren(ctx, s, env); err != nil {
		return fmt.Errorf("demo children: %w", err)
	}
	if err := seedDemoRegistry(ctx, s, env, time.Now()); err != nil {
		return fmt.Errorf("demo registry: %w", err)
	}
	fmt.Fprintf(env.Stdout, "demo sign-ins (password %s, no second factor for demo accounts):\n", DemoPassword)
	tw := tabwriter.NewWriter(env.Stdout, 0, 0, 2, ' ', 0)
	for _, d := range demoAccounts {
		role := d.Role.Label()
		if d.Superuser {
			role += ", superuser"
		}
		org := d.Organisation
		switch {
		case d.Role.Registry():
			org = "registry"
		case org == "":
			org = "national"
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\n", d.Email, role, org)
	}
	fmt.Fprintf(tw, "  %s\tFamily (no password: ask at /family/sign-in, the link is in the Demo mailbox)\tregistry\n", DemoFamilyEmail)
	return tw.Flush()
}
