package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"text/tabwriter"
	"time"

	"clinaudit/app/access"
	"clinaudit/app/auth"
	"clinaudit/app/children"
	"clinaudit/app/config"
	"clinaudit/app/store"
)

// DemoPassword signs in every demo account. It is printed at start-up: the
// demo holds synthetic data only, and these accounts exist only with --demo.
const DemoPassword = "Blue-kettle-orchard-42!"

// demoAccounts: one per role, nationally and at two organisations in
// different trusts, one of them Welsh (a health board, not a trust).
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
}

// demoChildren is how many synthetic children the demo starts with, most of
// them at the organisations of the demo accounts and of the access tests.
const demoChildren = 300

var demoChildOrganisations = []string{"RM332", "RM335", "RGT01", "7A4H1"}

// demoFlags are seed-demo's own flags.
type demoFlags struct{ children int }

func (d *demoFlags) register(fs *flag.FlagSet) {
	fs.IntVar(&d.children, "children", 0, "with seed-demo: add this many more synthetic children (for benchmarks)")
}

// seedDemo runs `seed-demo`: migrate, load reference data, seed demo data,
// and with --children N add N synthetic children in large transactions.
func seedDemo(ctx context.Context, cfg *config.Config, _ *slog.Logger, env Env, extraChildren int) error {
	s, err := openStore(ctx, cfg, true)
	if err != nil {
		return err
	}
	defer s.Close()
	a, err := newAuth(s, cfg)
	if err != nil {
		return err
	}
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
	return nil
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
	fmt.Fprintf(env.Stdout, "demo sign-ins (password %s, no second factor for demo accounts):\n", DemoPassword)
	tw := tabwriter.NewWriter(env.Stdout, 0, 0, 2, ' ', 0)
	for _, d := range demoAccounts {
		role := d.Role.Label()
		if d.Superuser {
			role += ", superuser"
		}
		org := d.Organisation
		if org == "" {
			org = "national"
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\n", d.Email, role, org)
	}
	return tw.Flush()
}
