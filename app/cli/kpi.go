package cli

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"
	"time"

	"clinaudit/app/answers"
	"clinaudit/app/audit"
	"clinaudit/app/cohort"
	"clinaudit/app/config"
	"clinaudit/app/jobargs"
	"clinaudit/app/kpi"
)

const kpiUsage = "usage: clinaudit kpi score [--explain] < child.json\n       clinaudit kpi recalculate\n       clinaudit kpi aggregate [COHORT]"

// kpiRecalculate runs `kpi recalculate`: it records and queues a
// recalculation of every child's KPIs, the kpi_recalculate job the
// national administrators' page queues (with no one named as asking), for
// serve or worker to run. It prints the recalculation's id; the page shows
// its progress.
func kpiRecalculate(ctx context.Context, cfg *config.Config, env Env) error {
	s, err := openStore(ctx, cfg, true)
	if err != nil {
		return err
	}
	defer s.Close()
	id, err := answers.New(s, time.Now).RequestRecalculation(ctx, 0)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "queued recalculation %d of every child's KPIs (kpi_recalculate; serve or worker runs it)\n", id)
	return nil
}

// kpiAggregate runs `kpi aggregate [COHORT]`: it queues an aggregation now
// (the kpi_aggregate job of the dashboards' "recompute now") of one cohort,
// or of every current cohort when none is named.
func kpiAggregate(ctx context.Context, cfg *config.Config, args []string, env Env) error {
	var c int64
	if len(args) == 1 {
		n, err := strconv.ParseInt(args[0], 10, 64)
		if err != nil || n < int64(cohort.First) {
			fmt.Fprintf(env.Stderr, "clinaudit kpi aggregate: cohort %q: a cohort number, from %d\n%s\n", args[0], cohort.First, kpiUsage)
			return errUsage
		}
		c = n
	}
	s, err := openStore(ctx, cfg, true)
	if err != nil {
		return err
	}
	defer s.Close()
	if err := jobargs.AggregateNow(ctx, s, c); err != nil {
		return err
	}
	what := "every current cohort"
	if c != 0 {
		what = fmt.Sprintf("cohort %d", c)
	}
	fmt.Fprintf(env.Stdout, "queued an aggregation of %s (kpi_aggregate; serve or worker runs it)\n", what)
	return nil
}

type kpiFlags struct{ explain bool }

func (k *kpiFlags) register(fs *flag.FlagSet) {
	fs.BoolVar(&k.explain, "explain", false, "with kpi score: also print why each measure has its outcome")
}

// kpiCommand runs `kpi score`: one child's JSON document on standard input,
// its 21 measures as JSON on standard output. Bad input is reported field by
// field on standard error. It needs no database: the same engine the jobs
// use, for checking results against other systems.
func kpiCommand(ctx context.Context, cfg *config.Config, args []string, k kpiFlags, env Env) error {
	if len(args) > 0 && args[0] != "score" && k.explain {
		fmt.Fprintf(env.Stderr, "clinaudit kpi %s: --explain is for `clinaudit kpi score`\n%s\n", args[0], kpiUsage)
		return errUsage
	}
	switch {
	case len(args) == 1 && args[0] == "recalculate":
		return kpiRecalculate(ctx, cfg, env)
	case len(args) >= 1 && len(args) <= 2 && args[0] == "aggregate":
		return kpiAggregate(ctx, cfg, args[1:], env)
	case len(args) != 1 || args[0] != "score":
		fmt.Fprintln(env.Stderr, kpiUsage)
		return errUsage
	}
	if env.Stdin == nil {
		env.Stdin = eofReader{}
	}
	child, err := audit.Decode(env.Stdin)
	if err != nil {
		var fe audit.Errors
		if errors.As(err, &fe) {
			for _, e := range fe {
				fmt.Fprintln(env.Stderr, e)
			}
		} else {
			fmt.Fprintln(env.Stderr, err)
		}
		return errBadInput
	}
	res := kpi.Score(child)
	enc := json.NewEncoder(env.Stdout)
	enc.SetIndent("", "  ")
	if k.explain {
		return enc.Encode(res)
	}
	return enc.Encode(res.Scores)
}

// errBadInput: the input was reported already; exit 1 without a log line.
var errBadInput = errors.New("bad input")

type eofReader struct{}

func (eofReader) Read([]byte) (int, error) { return 0, io.EOF }
