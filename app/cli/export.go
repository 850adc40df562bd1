package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"clinaudit/app/answers"
	"clinaudit/app/cohort"
	"clinaudit/app/config"
	"clinaudit/app/export"
	"clinaudit/app/store"
)

type exportFlags struct {
	format string
	cohort int
}

func (e *exportFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&e.format, "format", "", "with export: the output format; jsonl (the default) is the only one")
	fs.IntVar(&e.cohort, "cohort", 0, "with export: only the children of this cohort")
}

func (e *exportFlags) given() bool { return e.format != "" || e.cohort != 0 }

const exportUsage = "usage: clinaudit export [--format jsonl] [--org ODS] [--cohort N] > children.jsonl"

// exportCommand runs `export`: every child (at an organisation, in a
// cohort), not opted out or deleted, as one JSON document a line
// (docs/data-format.md), ordered by NHS number, the format `import` reads.
// The count goes to standard error, so standard output is only the data.
func exportCommand(ctx context.Context, cfg *config.Config, ods string, ef exportFlags, env Env) error {
	if ef.format != "" && ef.format != "jsonl" {
		fmt.Fprintf(env.Stderr, "clinaudit export: --format %q: jsonl is the only format\n%s\n", ef.format, exportUsage)
		return errUsage
	}
	if ef.cohort != 0 && ef.cohort < int(cohort.First) {
		fmt.Fprintf(env.Stderr, "clinaudit export: --cohort %d: the audit's cohorts start at %d\n%s\n", ef.cohort, cohort.First, exportUsage)
		return errUsage
	}
	s, err := openStore(ctx, cfg, true)
	if err != nil {
		return err
	}
	defer s.Close()
	var orgID int64
	if ods = strings.TrimSpace(ods); ods != "" {
		o, err := s.GetOrganisationByODS(ctx, strings.ToUpper(ods))
		if errors.Is(err, store.ErrNotFound) {
			fmt.Fprintf(env.Stderr, "clinaudit export: no organisation has the ODS code %q\n", ods)
			return errUsage
		}
		if err != nil {
			return err
		}
		orgID = o.ID
	}
	n, err := exportChildren(ctx, s, orgID, ef.cohort, env.Stdout)
	fmt.Fprintf(env.Stderr, "exported %d children\n", n)
	return err
}

// exportChildren writes the children of an organisation (0: every one) and
// a cohort (0: any) to w, one compact document a line, and counts them:
// the identifiable JSON lines of package export, which the web's record
// exports share.
func exportChildren(ctx context.Context, s store.Store, orgID int64, cohortNumber int, w io.Writer) (int, error) {
	svc := answers.New(s, time.Now)
	rw, err := export.NewRecordWriter(w, export.Options{Format: export.JSONL})
	if err != nil {
		return 0, err
	}
	n, err := export.EachChild(ctx, s, svc, export.Selection{OrganisationID: orgID, Cohort: int64(cohortNumber)}, rw.Write)
	if err != nil {
		return n, err
	}
	return n, rw.Close()
}
