package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
)

// Run is one measured run of one setup.
type Run struct {
	Setup string
	Rep   int
	// SavesPerSec, P99ms and CPUms are NaN when the run did not report
	// them (a run that failed).
	SavesPerSec, P99ms, CPUms float64
}

// line is a JSON line of either file: the product's (rps, p99 as text,
// server_ms_per_req at the top) or the baselines' (numbers, the CPU under
// "cpu"). Only the 16-connection baselines are the product's peers.
type line struct {
	Bench   string          `json:"bench"`
	Setup   string          `json:"setup"`
	Clients int             `json:"clients"`
	RPS     json.RawMessage `json:"rps"`
	P99     json.RawMessage `json:"p99"`
	P99ms   json.RawMessage `json:"p99_ms"`
	CPUms   json.RawMessage `json:"server_ms_per_req"`
	CPU     struct {
		ServerMsPerReq json.RawMessage `json:"server_ms_per_req"`
	} `json:"cpu"`
}

// Parse reads JSON lines of run_product.sh's results; blank lines are
// skipped, and a line that is not JSON is an error naming its number. A
// run's Rep is its place among the lines of its setup: run_product.sh runs
// the baselines as one-repetition runs of run_http.sh, so their lines all
// say rep 1, and the Nth line of a setup is repetition N.
func Parse(r io.Reader) ([]Run, error) {
	var out []Run
	seen := map[string]int{}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	for n := 1; sc.Scan(); n++ {
		text := strings.TrimSpace(sc.Text())
		if text == "" {
			continue
		}
		var l line
		if err := json.Unmarshal([]byte(text), &l); err != nil {
			return nil, fmt.Errorf("line %d: %v", n, err)
		}
		if l.Bench == "http" && l.Clients != 16 {
			continue
		}
		seen[l.Setup]++
		run := Run{Setup: l.Setup, Rep: seen[l.Setup], SavesPerSec: number(l.RPS), P99ms: number(l.P99), CPUms: number(l.CPUms)}
		if l.Bench == "http" {
			run.P99ms, run.CPUms = number(l.P99ms), number(l.CPU.ServerMsPerReq)
		}
		out = append(out, run)
	}
	return out, sc.Err()
}

// number reads a JSON number or a number in a string ("808", "11.5");
// anything else (null, "", absent) is NaN.
func number(raw json.RawMessage) float64 {
	s := strings.Trim(strings.TrimSpace(string(raw)), `"`)
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return math.NaN()
	}
	return f
}

// rows are the table's setups in order, with their names and the bare
// stack on the same engine.
var rows = []struct{ setup, name, bare string }{
	{"product-sqlite", "clinaudit on SQLite (the default)", "gobare-sqlite"},
	{"product-pg", "clinaudit on PostgreSQL", "gobare-pg"},
	{"django-pg", "Django peer on PostgreSQL", "gobare-pg"},
	{"gobare-sqlite", "bare Fiber + SQLite", "gobare-sqlite"},
	{"gobare-pg", "bare Fiber + pgx", "gobare-pg"},
}

// Table renders the runs as the docs' markdown table: per setup its
// saves/s, p99 and server CPU per save for each repetition, and its CPU
// per save divided by the bare stack's on the same engine and by Django's,
// each of the same repetition.
func Table(runs []Run) string {
	by := map[string]map[int]Run{}
	var reps []int
	for _, r := range runs {
		if by[r.Setup] == nil {
			by[r.Setup] = map[int]Run{}
		}
		by[r.Setup][r.Rep] = r
		if !slices.Contains(reps, r.Rep) {
			reps = append(reps, r.Rep)
		}
	}
	slices.Sort(reps)
	var b strings.Builder
	b.WriteString("| setup | saves/s | p99 | server CPU per save | CPU ÷ bare, same engine | CPU ÷ Django |\n|---|---|---|---|---|---|\n")
	for _, row := range rows {
		if by[row.setup] == nil {
			continue
		}
		var rps, p99, cpu, bare, django []string
		for _, rep := range reps {
			r, ok := by[row.setup][rep]
			if !ok {
				continue
			}
			rps = append(rps, format(r.SavesPerSec, "%s", thousands))
			p99 = append(p99, format(r.P99ms, "%s", func(f float64) string { return strconv.FormatFloat(f, 'f', 0, 64) }))
			cpu = append(cpu, format(r.CPUms, "%s", sig3))
			bare = append(bare, ratio(r.CPUms, by[row.bare], rep))
			django = append(django, ratio(r.CPUms, by["django-pg"], rep))
		}
		fmt.Fprintf(&b, "| %s | %s | %s ms | %s ms | %s | %s |\n", row.name, strings.Join(rps, "; "), strings.Join(p99, "; "),
			strings.Join(cpu, "; "), strings.Join(bare, "; "), strings.Join(django, "; "))
	}
	return b.String()
}

func ratio(cpu float64, of map[int]Run, rep int) string {
	base, ok := of[rep]
	if !ok || math.IsNaN(cpu) || math.IsNaN(base.CPUms) || base.CPUms == 0 {
		return "–"
	}
	r := cpu / base.CPUms
	if r < 1 {
		return fmt.Sprintf("%.2g×", r) // 0.053×, 0.41×
	}
	return fmt.Sprintf("%.1f×", r) // 6.0×, 11.3×
}

func format(f float64, layout string, how func(float64) string) string {
	if math.IsNaN(f) {
		return "–"
	}
	return fmt.Sprintf(layout, how(f))
}

// sig3 is three significant figures, never in exponent form: 0.126, 0.85, 2.39.
func sig3(f float64) string {
	if f >= 100 {
		return strconv.FormatFloat(f, 'f', 0, 64)
	}
	return strconv.FormatFloat(f, 'g', 3, 64)
}

// thousands is a whole number with thousands separated: 4,646.
func thousands(f float64) string {
	s := strconv.FormatFloat(math.Round(f), 'f', 0, 64)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
