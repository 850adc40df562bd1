package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"text/tabwriter"
	"time"

	"clinaudit/app/backup"
	"clinaudit/app/config"
	"clinaudit/app/store/litestore"
)

type verifyFlags struct{ sample int }

func (v *verifyFlags) register(fs *flag.FlagSet) {
	fs.IntVar(&v.sample, "sample", backup.DefaultSample,
		"with verify, backup and restore: how many children's stored KPI results to re-score and compare (0: every child)")
}

// pgBackupHelp is why `backup` and `restore` stop on PostgreSQL. They do
// not run pg_dump: its version must match the server's, its credentials
// and the place its output goes are the site's, and a production database
// wants base backups with WAL archiving (point-in-time recovery), which
// pgBackRest or the managed service runs, not the app.
const pgBackupHelp = `the database is PostgreSQL: back it up with pg_dump (a small site) or base backups
with WAL archiving (production; pgBackRest or your managed service's backups), and restore
with pg_restore or your tool's, as docs/operations.md "Backups and restore" describes;
then check the restored database with clinaudit verify`

// sqlitePath is the SQLite database's file, for the command named cmd;
// errBadInput, with pgBackupHelp, when the database is PostgreSQL.
func sqlitePath(cfg *config.Config, cmd string, env Env) (string, error) {
	engine, path, err := config.ParseDatabaseURL(cfg.DatabaseURL)
	if err != nil {
		return "", err
	}
	if engine == "postgres" {
		fmt.Fprintln(env.Stderr, "clinaudit "+cmd+": "+pgBackupHelp)
		return "", errBadInput
	}
	return path, nil
}

// fileAndDatabase checks the arguments of a command between the SQLite
// database and one file (args[0]; usage says what it is) and returns the
// database's path.
func fileAndDatabase(cfg *config.Config, args []string, command, usage string, env Env) (string, error) {
	if len(args) != 1 || args[0] == "" {
		fmt.Fprintf(env.Stderr, "usage: clinaudit %s %s\n", command, usage)
		return "", errUsage
	}
	return sqlitePath(cfg, command, env)
}

// backupCommand runs `backup OUT`: an online copy of the SQLite database,
// checked before it takes its name.
func backupCommand(ctx context.Context, cfg *config.Config, args []string, sample int, env Env) error {
	path, err := fileAndDatabase(cfg, args, "backup", "OUT.db", env)
	if err != nil {
		return err
	}
	if err := mustExist(path, "backup", env); err != nil {
		return err
	}
	s, err := litestore.Open(path)
	if err != nil {
		return err
	}
	defer s.Close()
	started := time.Now()
	r, err := backup.Backup(ctx, s, args[0], sample, time.Now)
	if err != nil {
		fmt.Fprintf(env.Stderr, "clinaudit backup: %v\n", err)
		return errBadInput
	}
	fmt.Fprintf(env.Stdout, "backed up %s to %s in %s and checked it: %s\n", path, args[0],
		time.Since(started).Round(time.Millisecond), summary(r))
	return nil
}

// restoreCommand runs `restore IN`: the SQLite database replaced by a
// checked copy, the old one kept beside.
func restoreCommand(ctx context.Context, cfg *config.Config, args []string, sample int, env Env) error {
	path, err := fileAndDatabase(cfg, args, "restore", "IN.db (with serve and every worker stopped)", env)
	if err != nil {
		return err
	}
	r, err := backup.Restore(ctx, args[0], path, sample, time.Now)
	if err != nil {
		fmt.Fprintf(env.Stderr, "clinaudit restore: %v\n", err)
		if errors.Is(err, backup.ErrInUse) {
			fmt.Fprintln(env.Stderr, "nothing was changed")
		}
		return errBadInput
	}
	fmt.Fprintf(env.Stdout, "restored %s from %s (%s)\n", path, args[0], summary(r))
	if _, err := os.Stat(path + ".before-restore"); err == nil {
		fmt.Fprintf(env.Stdout, "the old database is %s.before-restore: remove it once the restored one is in use and checked\n", path)
	}
	return nil
}

// verifyCommand runs `verify`: the checks of a restored database, on
// either engine, with the row count of every table.
func verifyCommand(ctx context.Context, cfg *config.Config, sample int, env Env) error {
	if engine, path, err := config.ParseDatabaseURL(cfg.DatabaseURL); err == nil && engine == "sqlite" {
		if err := mustExist(path, "verify", env); err != nil {
			return err
		}
	}
	s, err := openStore(ctx, cfg, false)
	if err != nil {
		return err
	}
	defer s.Close()
	r, err := backup.Verify(ctx, s, sample, time.Now)
	if err != nil {
		return err
	}
	printTables(env.Stdout, r)
	if !r.OK() {
		for _, p := range r.Problems {
			fmt.Fprintln(env.Stderr, "clinaudit verify: "+p)
		}
		fmt.Fprintf(env.Stderr, "clinaudit verify: FAILED, %d problems\n", len(r.Problems))
		return errBadInput
	}
	fmt.Fprintf(env.Stdout, "verify: ok (%s)\n", summary(r))
	return nil
}

// mustExist stops a command that would otherwise create an empty SQLite
// database at a mistyped path.
func mustExist(path, cmd string, env Env) error {
	if _, err := os.Stat(path); err != nil {
		fmt.Fprintf(env.Stderr, "clinaudit %s: no database at %s (--database-url): %v\n", cmd, path, errors.Unwrap(err))
		return errBadInput
	}
	return nil
}

func summary(r backup.Report) string {
	return fmt.Sprintf("%d migrations, %d tables, %d children's KPI results re-scored equal, %d awaiting scoring",
		r.Migrations, len(r.Tables), r.Rescored, r.Behind)
}

func printTables(w io.Writer, r backup.Report) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "TABLE\tROWS\t")
	for _, t := range r.Tables {
		fmt.Fprintf(tw, "%s\t%d\t\n", t.Table, t.Rows)
	}
	tw.Flush()
}
