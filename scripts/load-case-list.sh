#!/usr/bin/env bash
# Times the case list with 100,000 children on both engines (issue 5) and
# prints each run as the table in docs/performance.md.
#
#   scripts/load-case-list.sh [runs]          # default 3 runs
#
# Each run is `go test -bench CaseList` (app/children/list_bench_test.go):
# a fresh database per engine, seeded as `clinaudit seed-demo --children N`
# seeds it, then every case of the list BENCHTIME times (default 400x) with
# p50 and p99 per case, next to the baseline of the same run (one bare
# SELECT by id). The machine is shared: run several times and take the
# best stable run. CASE_LIST_CHILDREN changes N; TEST_DATABASE_URL points
# at PostgreSQL as for `make test` (without one, only SQLite runs).
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
benchtime=${BENCHTIME:-400x}
out=$(mktemp -d)
for run in $(seq 1 "$runs"); do
	go test -run '^$' -bench 'CaseList' -benchtime "$benchtime" -timeout 60m -v ./app/children/ >"$out/run$run.txt" 2>&1 || {
		cat "$out/run$run.txt"
		exit 1
	}
	echo "## run $run of $runs ($(date -u +%Y-%m-%dT%H:%MZ), load average $(cut -d' ' -f1-3 /proc/loadavg))"
	grep -h 'seeded in' "$out/run$run.txt" | sed 's/^ *list_bench_test.go:[0-9]*: /   /'
	echo
	echo "| engine | case | p50 ms | p99 ms | p50 / baseline p50 |"
	echo "|---|---|---|---|---|"
	awk '
		/^BenchmarkCaseList\/[a-z]+\/.*p50-ms/ {
			split($1, name, "/"); sub(/-[0-9]+$/, "", name[3])
			for (i = 2; i < NF; i++) { if ($(i+1) == "p50-ms") p50 = $i; if ($(i+1) == "p99-ms") p99 = $i }
			if (name[3] == "baseline-select-by-id") base[name[2]] = p50
			f = (name[3] == "baseline-select-by-id") ? "%.3f" : "%.1f"
			printf "| %s | %s | " f " | " f " | %s |\n", name[2], name[3], p50, p99, (name[3] == "baseline-select-by-id" ? "" : sprintf("%.0f×", p50 / base[name[2]]))
		}' "$out/run$run.txt"
	echo
done
echo "raw output: $out"
