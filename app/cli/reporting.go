package cli

import (
	"bufio"
	"context"
	"database/sql"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"clinaudit/app/config"
	"clinaudit/app/refdata"
	"clinaudit/app/reporting"
	"clinaudit/app/store"
	"clinaudit/app/store/litestore"
	"clinaudit/app/store/pgstore"

	"github.com/jackc/pgx/v5/stdlib"
)

// reportingFlags are reporting-role's own flags.
type reportingFlags struct{ passwordFile string }

func (r *reportingFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&r.passwordFile, "password-file", "", "with reporting-role: the file holding the role's password (- reads standard input)")
}

// sqlDB is the store's database as database/sql, for app/reporting's
// hand-written SQL (views, roles, a copy: nothing sqlc models). The caller
// closes it; closing it leaves the store open.
func sqlDB(s store.Store) (db *sql.DB, d reporting.Dialect, closeDB func()) {
	switch s := s.(type) {
	case *pgstore.Store:
		db := stdlib.OpenDBFromPool(s.Pool())
		return db, reporting.Postgres, func() { db.Close() }
	case *litestore.Store:
		return s.DB(), reporting.SQLite, func() {}
	}
	panic(fmt.Sprintf("unknown store %T", s))
}

// setReportingKey writes the pseudonym key where PostgreSQL's views read
// it; SQLite keeps none (reporting-copy hashes as it copies). Without a key
// it changes nothing: a command run from a shell without the setting must
// not wipe the key serve wrote.
func setReportingKey(ctx context.Context, s store.Store, key string) error {
	if s.Engine() != store.Postgres || key == "" {
		return nil
	}
	db, _, closeDB := sqlDB(s)
	defer closeDB()
	return reporting.SetKey(ctx, db, key)
}

// reportingRoleCommand runs `reporting-role --password-file FILE`.
func reportingRoleCommand(ctx context.Context, cfg *config.Config, pf reportingFlags, env Env) error {
	if pf.passwordFile == "" {
		fmt.Fprintln(env.Stderr, "usage: clinaudit reporting-role --password-file FILE|-")
		return errUsage
	}
	var r io.Reader = env.Stdin
	if pf.passwordFile != "-" {
		f, err := os.Open(pf.passwordFile)
		if err != nil {
			fmt.Fprintf(env.Stderr, "clinaudit reporting-role: %v\n", err)
			return errBadInput
		}
		defer f.Close()
		r = f
	}
	line, err := bufio.NewReader(r).ReadString('\n')
	if err != nil && err != io.EOF {
		return err
	}
	password := strings.TrimRight(line, "\r\n")
	if err := reporting.CheckPassword(password); err != nil {
		fmt.Fprintf(env.Stderr, "clinaudit reporting-role: %v\n", err)
		return errBadInput
	}
	s, err := openStore(ctx, cfg, true)
	if err != nil {
		return err
	}
	defer s.Close()
	if s.Engine() != store.Postgres {
		fmt.Fprintln(env.Stderr, "clinaudit reporting-role: the reporting role is PostgreSQL's; on SQLite use clinaudit reporting-copy OUT.db")
		return errBadInput
	}
	db, _, closeDB := sqlDB(s)
	defer closeDB()
	if err := reporting.GrantRole(ctx, db, password); err != nil {
		return err
	}
	if ok, err := reporting.HasKey(ctx, db); err != nil {
		return err
	} else if !ok {
		fmt.Fprintln(env.Stderr, "warning: no reporting key has been set (--reporting-key), so the views' pseudonyms are empty")
	}
	fmt.Fprintf(env.Stdout, "role %s may now read the reporting schema (%d views) and nothing else\n", reporting.Role, len(reporting.Views))
	return nil
}

// reportingCopyCommand runs `reporting-copy OUT.db`.
func reportingCopyCommand(ctx context.Context, cfg *config.Config, args []string, env Env) error {
	if len(args) != 1 {
		fmt.Fprintln(env.Stderr, "usage: clinaudit reporting-copy OUT.db")
		return errUsage
	}
	if len(cfg.ReportingKey) < reporting.MinKeyLength {
		fmt.Fprintln(env.Stderr, "clinaudit reporting-copy: set --reporting-key (CLINAUDIT_REPORTING_KEY), 32 characters or more: the pseudonyms are made with it")
		return errBadInput
	}
	s, err := openStore(ctx, cfg, true)
	if err != nil {
		return err
	}
	defer s.Close()
	db, d, closeDB := sqlDB(s)
	defer closeDB()
	counts, err := reporting.Copy(ctx, db, d, cfg.ReportingKey, args[0])
	if os.IsExist(err) {
		fmt.Fprintf(env.Stderr, "clinaudit reporting-copy: %s exists: name a new file\n", args[0])
		return errBadInput
	}
	if err != nil {
		os.Remove(args[0]) // half a copy is no copy
		return err
	}
	for _, v := range reporting.Views {
		fmt.Fprintf(env.Stdout, "%-24s %d rows\n", v.Name, counts[v.Name])
	}
	return nil
}

// deprivationCommand runs `deprivation load FILE.csv`: all or nothing, so a
// file with a bad line changes nothing.
func deprivationCommand(ctx context.Context, cfg *config.Config, args []string, env Env) error {
	if len(args) != 2 || args[0] != "load" {
		fmt.Fprintln(env.Stderr, "usage: clinaudit deprivation load FILE.csv")
		return errUsage
	}
	f, err := os.Open(args[1])
	if err != nil {
		fmt.Fprintf(env.Stderr, "clinaudit deprivation: %v\n", err)
		return errBadInput
	}
	defer f.Close()
	rows, err := refdata.ParseDeprivation(f)
	if err != nil {
		fmt.Fprintf(env.Stderr, "clinaudit deprivation: %s: nothing loaded:\n%v\n", args[1], err)
		return errBadInput
	}
	s, err := openStore(ctx, cfg, true)
	if err != nil {
		return err
	}
	defer s.Close()
	if err := refdata.LoadDeprivation(ctx, s, rows); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "loaded the deprivation of %d postcodes\n", len(rows))
	return nil
}
