package cli

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"text/tabwriter"

	"clinaudit/app/access"
	"clinaudit/app/auth"
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

// seedDemo runs `seed-demo`: migrate, load reference data, seed demo data.
func seedDemo(ctx context.Context, cfg *config.Config, _ *slog.Logger, env Env) error {
	s, err := openStore(ctx, cfg, true)
	if err != nil {
		return err
	}
	defer s.Close()
	a, err := newAuth(s, cfg)
	if err != nil {
		return err
	}
	return seedDemoData(ctx, s, a, env)
}

// seedDemoData creates what the demo shows, idempotently, and prints the
// sign-ins. Synthetic children are added here as the case features land.
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
