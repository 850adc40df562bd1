package cli

import (
	"context"
	"fmt"
	"log/slog"

	"clinaudit/app/config"
	"clinaudit/app/store"
)

// seedDemo runs `seed-demo`: migrate, load reference data, seed demo data.
func seedDemo(ctx context.Context, cfg *config.Config, _ *slog.Logger, env Env) error {
	s, err := openStore(ctx, cfg, true)
	if err != nil {
		return err
	}
	defer s.Close()
	return seedDemoData(ctx, s, env)
}

// seedDemoData seeds what the demo shows and prints a summary. Reference
// data is already loaded by openStore; demo accounts and synthetic children
// are added here as the features that use them land.
func seedDemoData(ctx context.Context, s store.Store, env Env) error {
	c, err := s.CountReferenceData(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "demo data: %d organisations, %d trusts, %d health boards, %d ICBs, %d regions, %d OPEN UK networks\n",
		c.Organisations, c.Trusts, c.HealthBoards, c.ICBs, c.Regions, c.Networks)
	fmt.Fprintln(env.Stdout, "demo sign-ins: none yet (accounts arrive with sign-in and account administration)")
	return nil
}
