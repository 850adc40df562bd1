// Command benchtable prints the save path's side-by-side table (the
// product against the bare stack and Django, docs/performance.md, issue 22)
// from the results directory of one run of ../shared/bench's
// scripts/run_product.sh: product.jsonl (clinaudit under tools/loadforms)
// and http.jsonl (the baselines under wrk; the 16-connection rows).
// Each cell lists the repetitions in order, "a; b"; the ratios pair the
// runs of the same repetition, which ran seconds apart.
//
//	make bench-save-sidebyside
//	go run ./tools/benchtable /tmp/bench/results
package main

import (
	"fmt"
	"os"
	"path/filepath"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: benchtable RESULTS_DIR (holding product.jsonl and http.jsonl)")
		os.Exit(2)
	}
	var runs []Run
	for _, name := range []string{"product.jsonl", "http.jsonl"} {
		f, err := os.Open(filepath.Join(os.Args[1], name))
		if err != nil {
			fmt.Fprintln(os.Stderr, "benchtable:", err)
			os.Exit(1)
		}
		rs, err := Parse(f)
		f.Close()
		if err != nil {
			fmt.Fprintf(os.Stderr, "benchtable: %s: %v\n", name, err)
			os.Exit(1)
		}
		runs = append(runs, rs...)
	}
	fmt.Print(Table(runs))
}
