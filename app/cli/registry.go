package cli

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"clinaudit/app/access"
	"clinaudit/app/config"
	"clinaudit/app/registry"
	"clinaudit/app/store"
)

// registryFlags are `registry`'s own flags.
type registryFlags struct{ out, slug string }

func (r *registryFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&r.out, "out", "", "with registry export: write to this new file instead of standard output")
	fs.StringVar(&r.slug, "registry", "", "with registry import|export: the registry's slug (default "+registry.DemoSlug+")")
}

func (r *registryFlags) given() bool { return r.out != "" || r.slug != "" }

const registryUsage = "usage: clinaudit registry import FILE.jsonl|- [--registry SLUG]\n       clinaudit registry export [--out FILE] [--registry SLUG]"

// registryActor is who the command line imports and exports as: a
// registry manager with no account (ID 0: the trail says "command line").
var registryActor = access.Me{Actor: access.Actor{Role: access.RegistryManager}}

// registryCommand runs `registry import|export` (docs/registry.md).
func registryCommand(ctx context.Context, cfg *config.Config, args []string, rf registryFlags, env Env) error {
	slug := rf.slug
	if slug == "" {
		slug = registry.DemoSlug
	}
	switch {
	case len(args) == 2 && args[0] == "import" && rf.out == "":
	case len(args) == 1 && args[0] == "export":
	default:
		fmt.Fprintln(env.Stderr, registryUsage)
		return errUsage
	}
	var in io.Reader
	var out io.Writer = env.Stdout
	name := "stdout"
	if args[0] == "import" {
		var closeIn func()
		var err error
		if name, in, closeIn, err = openInput(args[1], "registry import", env); err != nil {
			return err
		}
		defer closeIn()
	} else if rf.out != "" {
		name = rf.out
		f, err := os.OpenFile(rf.out, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600) // identifiable data: the owner's only
		if err != nil {
			fmt.Fprintf(env.Stderr, "clinaudit registry export: %v\n", err)
			return errBadInput
		}
		defer f.Close()
		out = f
	}
	s, err := openStore(ctx, cfg, true)
	if err != nil {
		return err
	}
	defer s.Close()
	svc := &registry.Service{Store: s, Now: time.Now}
	if args[0] == "export" {
		w := bufio.NewWriter(out)
		p, c, err := svc.Export(ctx, registryActor.Actor, slug, w)
		if err == nil {
			err = w.Flush()
		}
		if err != nil {
			return fmt.Errorf("registry export to %s: %w", name, err)
		}
		fmt.Fprintf(env.Stderr, "exported %d contacts and %d patients of %s\n", c, p, slug)
		return nil
	}
	res, err := importRegistry(ctx, s, slug, name, in, env.Stderr)
	return summarise(env, res, err)
}

// importRegistry imports every line of r (named name in reports) into the
// registry slug, reporting each line refused, with its number and fields,
// to report. It stops, with an error, only when the database fails.
func importRegistry(ctx context.Context, s store.Store, slug, name string, r io.Reader, report io.Writer) (importResult, error) {
	im := &registry.Importer{Service: &registry.Service{Store: s, Now: time.Now}, Me: registryActor, Slug: slug}
	var res importResult
	err := eachLine(r, name, &res, report, func(_ int, text []byte) error {
		err := im.Line(ctx, text)
		var r *registry.Refused
		if errors.As(err, &r) {
			return refused(r.Problems)
		}
		return err
	})
	return res, err
}
