package cli

import (
	"context"
	"fmt"
	"text/tabwriter"

	"clinaudit/app/config"
)

// migrate runs `migrate up|down|status`.
func migrate(ctx context.Context, cfg *config.Config, args []string, env Env) error {
	if len(args) != 1 {
		fmt.Fprintln(env.Stderr, "usage: clinaudit migrate up|down|status")
		return errUsage
	}
	s, err := openStore(ctx, cfg, false)
	if err != nil {
		return err
	}
	defer s.Close()
	switch args[0] {
	case "up":
		if err := s.MigrateUp(ctx); err != nil {
			return err
		}
		fmt.Fprintln(env.Stdout, "migrations applied")
	case "down":
		if err := s.MigrateDown(ctx); err != nil {
			return err
		}
		fmt.Fprintln(env.Stdout, "rolled back one migration")
	case "status":
		st, err := s.MigrationStatus(ctx)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(env.Stdout, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "VERSION\tSTATE\tFILE")
		for _, m := range st {
			state := "pending"
			if m.Applied {
				state = "applied"
			}
			fmt.Fprintf(tw, "%05d\t%s\t%s\n", m.Version, state, m.Source)
		}
		tw.Flush()
	default:
		fmt.Fprintf(env.Stderr, "clinaudit migrate: unknown action %q (want up, down or status)\n", args[0])
		return errUsage
	}
	return nil
}
