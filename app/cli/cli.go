// Package cli is clinaudit's command line: it parses settings, opens the
// store, and runs the subcommand. It is the only package that wires every
// other package together.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"slices"
	"time"

	"clinaudit/app/backup"
	"clinaudit/app/config"
	"clinaudit/app/refdata"
	"clinaudit/app/registry"
	"clinaudit/app/store"
	"clinaudit/app/store/litestore"
	"clinaudit/app/store/pgstore"

	"golang.org/x/term"
)

// Version is set at build time with -ldflags "-X clinaudit/app/cli.Version=…".
var Version = "dev"

var commands = []config.Command{
	{Name: "serve", Summary: "run the web app and work background jobs (the default command)"},
	{Name: "worker", Summary: "work background jobs only, with no web server"},
	{Name: "migrate up|down|status", Summary: "apply, roll back one, or list database migrations"},
	{Name: "seed-demo [--children N] [--demo-audits N]", Summary: "load reference data and demo data, then exit; --children adds N more synthetic children (benchmarks); --demo-audits sets how many demo children have filled audits (also for serve --demo)"},
	{Name: "user add --email E --role ROLE [--org ODS] [--superuser] --first-name F --surname S", Summary: "create an account and print its invite link (how the first superuser is made)"},
	{Name: "user unlock --email E", Summary: "clear the sign-in locks on an account"},
	{Name: "kpi score [--explain] < child.json", Summary: "score one child (the JSON document of docs/data-format.md) and print the 21 measures as JSON"},
	{Name: "kpi recalculate", Summary: "queue a recalculation of every child's KPIs (the kpi_recalculate job, as the KPI recalculation page does) for serve or worker to run"},
	{Name: "kpi aggregate [COHORT]", Summary: "queue a KPI aggregation now (the kpi_aggregate job) of one cohort, or of every current cohort, for serve or worker to run"},
	{Name: "import FILE.jsonl|- --org ODS", Summary: "add children from a file of JSON documents, one a line (docs/data-format.md; - reads standard input), at an organisation, through the forms' checks; reports each line refused"},
	{Name: "export [--format jsonl] [--org ODS] [--cohort N]", Summary: "write every child (of an organisation, of a cohort) as one JSON document a line, the format import reads"},
	{Name: "registry import FILE.jsonl|- [--registry SLUG]", Summary: "add a patient registry's contacts and patients from JSON lines (docs/registry.md; - reads standard input) through the pages' checks; reports each line refused"},
	{Name: "registry export [--out FILE] [--registry SLUG]", Summary: "write a patient registry's contacts and patients (not deleted) as JSON lines, the format registry import reads"},
	{Name: "backup OUT [--sample N]", Summary: "write a checked, consistent copy of the running SQLite database to the new file OUT while the app goes on saving (PostgreSQL: see docs/operations.md)"},
	{Name: "restore IN [--sample N]", Summary: "replace the SQLite database, with serve and workers stopped, by the checked copy IN; the old one is kept as .before-restore"},
	{Name: "verify [--sample N]", Summary: "check a (restored) database: migrations, integrity, foreign keys, rows per table, N children's KPI results re-scored (0: all); exits 1 on any problem"},
	{Name: "reporting-role --password-file FILE|-", Summary: "PostgreSQL: create the clinaudit_reporting role (or set its password), which may read the masked reporting schema and nothing else (docs/reporting.md)"},
	{Name: "reporting-copy OUT.db", Summary: "write the masked reporting tables into the new SQLite file OUT.db, for a BI tool (needs --reporting-key)"},
	{Name: "deprivation load FILE.csv", Summary: "load the postcode to index of multiple deprivation lookup (docs/reference-data.md), replacing the rows there"},
	{Name: "files new-key ID", Summary: "print a new random key for --files-keys, named ID (docs/files.md)"},
	{Name: "files rewrap", Summary: "wrap every stored file's data key under the first of --files-keys (after a key rotation); the files themselves are not rewritten"},
	{Name: "version", Summary: "print the version"},
	{Name: "help", Summary: "print this help"},
}

// Env is what a command runs with; tests supply their own.
type Env struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	Getenv         func(string) string
	// Started is when the process began, for the start-up time in the log.
	Started time.Time
	// Ready, if set, is called with the address once the server listens.
	Ready func(addr string)
	// demoAudits is --demo-audits, set by Run for the demo's seeding.
	demoAudits int
}

// Run runs the command in args (without the program name) and returns the
// process exit code: 0 success, 1 failure, 2 bad usage.
func Run(ctx context.Context, args []string, env Env) int {
	if env.Getenv == nil {
		env.Getenv = os.Getenv
	}
	if env.Started.IsZero() {
		env.Started = time.Now()
	}
	var uf userFlags
	var kf kpiFlags
	var df demoFlags
	var ef exportFlags
	var vf verifyFlags
	var rf registryFlags
	var pf reportingFlags
	cfg, positional, err := config.Parse("clinaudit", args, env.Getenv, env.Stderr, uf.register, df.register, kf.register, ef.register, vf.register, rf.register, pf.register)
	cmd, rest := "serve", positional
	if len(positional) > 0 {
		cmd, rest = positional[0], positional[1:]
	}
	userOnly := uf // the flags only `user` takes: import and export take --org too
	if cmd == "import" || cmd == "export" {
		userOnly.org = ""
	}
	switch {
	case errors.Is(err, flag.ErrHelp) || cmd == "help":
		config.WriteHelp(env.Stdout, commands)
		return 0
	case cmd == "version":
		fmt.Fprintln(env.Stdout, "clinaudit", Version)
		return 0
	case !slices.Contains(commandNames, cmd):
		fmt.Fprintf(env.Stderr, "clinaudit: unknown command %q\n\n", cmd)
		config.WriteHelp(env.Stderr, commands)
		return 2
	case err != nil:
		fmt.Fprintf(env.Stderr, "clinaudit: %v\n(run clinaudit --help for the settings)\n", err)
		return 2
	case cmd != "user" && userOnly.given():
		fmt.Fprintf(env.Stderr, "clinaudit %s: --email, --role, --org, --superuser, --first-name and --surname are for `clinaudit user` (and --org for import and export)\n", cmd)
		return 2
	case cmd != "export" && ef.given():
		fmt.Fprintf(env.Stderr, "clinaudit %s: --format and --cohort are for `clinaudit export`\n", cmd)
		return 2
	case cmd != "registry" && rf.given():
		fmt.Fprintf(env.Stderr, "clinaudit %s: --out and --registry are for `clinaudit registry`\n", cmd)
		return 2
	case cmd != "reporting-role" && pf.passwordFile != "":
		fmt.Fprintf(env.Stderr, "clinaudit %s: --password-file is for `clinaudit reporting-role`\n", cmd)
		return 2
	case cmd != "seed-demo" && df.children != 0:
		fmt.Fprintf(env.Stderr, "clinaudit %s: --children is for `clinaudit seed-demo`\n", cmd)
		return 2
	case df.audits < 0 || df.audits != demoAudits && cmd != "seed-demo" && (cmd != "serve" && cmd != "worker" || !cfg.Demo):
		fmt.Fprintf(env.Stderr, "clinaudit %s: --demo-audits is a number of children for `clinaudit serve --demo` and `clinaudit seed-demo`\n", cmd)
		return 2
	case cmd == "serve" && cfg.CheckDemoAddr() != nil:
		fmt.Fprintf(env.Stderr, "clinaudit serve: %v\n", cfg.CheckDemoAddr())
		return 2
	case cmd != "kpi" && kf.explain:
		fmt.Fprintf(env.Stderr, "clinaudit %s: --explain is for `clinaudit kpi score`\n", cmd)
		return 2
	case cmd != "verify" && cmd != "backup" && cmd != "restore" && vf.sample != backup.DefaultSample:
		fmt.Fprintf(env.Stderr, "clinaudit %s: --sample is for `clinaudit verify`, `backup` and `restore`\n", cmd)
		return 2
	case vf.sample < 0:
		fmt.Fprintf(env.Stderr, "clinaudit %s: --sample is a number of children, 0 for every child\n", cmd)
		return 2
	case cmd != "migrate" && cmd != "user" && cmd != "kpi" && cmd != "import" && cmd != "registry" && cmd != "backup" && cmd != "restore" && cmd != "reporting-copy" && cmd != "deprivation" && cmd != "files" && len(rest) > 0:
		fmt.Fprintf(env.Stderr, "clinaudit %s: unexpected argument %q\n", cmd, rest[0])
		return 2
	}
	log := newLogger(cfg, env.Stderr)
	env.demoAudits = df.audits

	switch cmd {
	case "serve":
		err = serve(ctx, cfg, log, env, true)
	case "worker":
		err = serve(ctx, cfg, log, env, false)
	case "migrate":
		err = migrate(ctx, cfg, rest, env)
	case "seed-demo":
		err = seedDemo(ctx, cfg, log, env, df.children)
	case "user":
		err = userCommand(ctx, cfg, rest, uf, env)
	case "kpi":
		err = kpiCommand(ctx, cfg, rest, kf, env)
	case "import":
		err = importCommand(ctx, cfg, rest, uf.org, env)
	case "export":
		err = exportCommand(ctx, cfg, uf.org, ef, env)
	case "registry":
		err = registryCommand(ctx, cfg, rest, rf, env)
	case "backup":
		err = backupCommand(ctx, cfg, rest, vf.sample, env)
	case "restore":
		err = restoreCommand(ctx, cfg, rest, vf.sample, env)
	case "verify":
		err = verifyCommand(ctx, cfg, vf.sample, env)
	case "reporting-role":
		err = reportingRoleCommand(ctx, cfg, pf, env)
	case "reporting-copy":
		err = reportingCopyCommand(ctx, cfg, rest, env)
	case "deprivation":
		err = deprivationCommand(ctx, cfg, rest, env)
	case "files":
		err = filesCommand(ctx, cfg, rest, env)
	}
	if errors.Is(err, errUsage) {
		return 2
	}
	if errors.Is(err, errBadInput) {
		return 1
	}
	if err != nil {
		log.Error(cmd+" failed", "err", err)
		return 1
	}
	return 0
}

var errUsage = errors.New("usage")

// commandNames are the commands Run knows.
var commandNames = []string{"serve", "worker", "migrate", "seed-demo", "user", "kpi", "import", "export", "registry", "backup", "restore", "verify", "reporting-role", "reporting-copy", "deprivation", "files"}

func newLogger(cfg *config.Config, w io.Writer) *slog.Logger {
	var level slog.Level
	_ = level.UnmarshalText([]byte(cfg.LogLevel))
	opts := &slog.HandlerOptions{Level: level}
	format := cfg.LogFormat
	if format == "auto" {
		format = "json"
		if f, ok := w.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
			format = "text"
		}
	}
	if format == "text" {
		return slog.New(slog.NewTextHandler(w, opts))
	}
	return slog.New(slog.NewJSONHandler(w, opts))
}

// openStore opens the database the URL names, migrates it (ours and River's)
// and loads the reference data and the registries' definitions: every
// command starts from a current schema.
func openStore(ctx context.Context, cfg *config.Config, migrateUp bool) (store.Store, error) {
	engine, target, err := config.ParseDatabaseURL(cfg.DatabaseURL)
	if err != nil {
		return nil, err
	}
	var s store.Store
	if engine == "postgres" {
		s, err = pgstore.Open(ctx, target)
	} else {
		s, err = litestore.Open(target)
	}
	if err != nil {
		return nil, err
	}
	if !migrateUp {
		return s, nil
	}
	if err := s.MigrateUp(ctx); err != nil {
		s.Close()
		return nil, err
	}
	if _, err := refdata.Load(ctx, s, time.Now()); err != nil {
		s.Close()
		return nil, err
	}
	// The hosted registries' definitions, as the reference data: written
	// from the binary at every start so a changed definition takes effect.
	if err := registry.Install(ctx, s, time.Now()); err != nil {
		s.Close()
		return nil, fmt.Errorf("registries: %w", err)
	}
	// The reporting views' pseudonym key, from the settings, at every
	// start (docs/reporting.md): a changed key takes effect.
	if err := setReportingKey(ctx, s, cfg.ReportingKey); err != nil {
		s.Close()
		return nil, fmt.Errorf("reporting key: %w", err)
	}
	// Commands insert jobs (an invite's email) even when they work none;
	// serve and worker replace this client with one that works them.
	if err := s.ConfigureJobs(store.JobsConfig{}); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}
