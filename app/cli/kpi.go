package cli

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"

	"clinaudit/app/audit"
	"clinaudit/app/kpi"
)

type kpiFlags struct{ explain bool }

func (k *kpiFlags) register(fs *flag.FlagSet) {
	fs.BoolVar(&k.explain, "explain", false, "with kpi score: also print why each measure has its outcome")
}

// kpiCommand runs `kpi score`: one child's JSON document on standard input,
// its 21 measures as JSON on standard output. Bad input is reported field by
// field on standard error. It needs no database: the same engine the jobs
// use, for checking results against other systems.
func kpiCommand(args []string, k kpiFlags, env Env) error {
	if len(args) != 1 || args[0] != "score" {
		fmt.Fprintln(env.Stderr, "usage: clinaudit kpi score [--explain] < child.json")
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
