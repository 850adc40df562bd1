#!/usr/bin/env bash
# Saves while a full KPI aggregation and a recalculation of every child run
# (issue 22): seeds a SQLite file once with the demo and CHILDREN more
# synthetic children (`clinaudit seed-demo --children`), then for each
# number of clinicians in CLINICIANS, on a fresh copy of it: starts
# `clinaudit serve --demo`, measures QUIET of saves at a clinician's pace
# (-think THINK) with nothing else running, then queues a recalculation of
# every child (`clinaudit kpi recalculate`) and an aggregation of every
# current cohort (`clinaudit kpi aggregate`) and measures DURATION of saves
# while they run (tools/loadforms, p99 by 5 s interval). Prints each run's
# saves, p50/p99/max and errors, and how long the recalculation took (from the database) and each
# aggregation run (from serve's log). docs/performance.md has figures.
#
#   make load-during-recalc
#   CHILDREN=10000 CLINICIANS=16 DURATION=20s scripts/load-during-recalc.sh
#
# Settings (environment): CHILDREN (100000), CLINICIANS ("16 64"), THINK
# (1s), QUIET (20s; 0 skips the quiet run), DURATION (40s), RECALC (1; 0
# queues only the aggregation, to see its part alone), PORT (18461),
# BIN (bin/clinaudit, built here; give another build, e.g. main's, to
# compare: it is used as is),
# OUT (bin/recalc-load-<time>: base.db, and per run serve.log, quiet.log,
# load.log; base.db is reused when OUT is given again).
set -euo pipefail
CHILDREN=${CHILDREN:-100000}
CLINICIANS=${CLINICIANS:-16 64}
THINK=${THINK:-1s}
QUIET=${QUIET:-20s}
DURATION=${DURATION:-40s}
RECALC=${RECALC:-1}
PORT=${PORT:-18461}
OUT=${OUT:-bin/recalc-load-$(date -u +%Y%m%dT%H%M%SZ)}
BIN=${BIN:-}

if [ -z "$BIN" ]; then make -s build; BIN=./bin/clinaudit; fi
go build -o bin/loadforms ./tools/loadforms
mkdir -p "$OUT"
if [ ! -f "$OUT/base.db" ]; then
  "$BIN" seed-demo --children "$CHILDREN" --database-url "sqlite:$OUT/base.db" --log-format json >"$OUT/seed.log" 2>&1 ||
    { tail -n 20 "$OUT/seed.log"; exit 1; }
  grep -E 'synthetic|filled audits' "$OUT/seed.log" || true
fi

# sql DB QUERY: one query on the run's file (read-only; serve may be writing).
sql() { sqlite3 -readonly -cmd '.timeout 5000' "$1" "$2"; }

run() { # $1 clinicians
  local n=$1 dir=$OUT/c$1 url pid status=0
  rm -rf "$dir" && mkdir -p "$dir"
  sqlite3 "$OUT/base.db" ".backup '$dir/run.db'"
  url=sqlite:$dir/run.db
  "$BIN" serve --demo --addr 127.0.0.1:"$PORT" --base-url http://127.0.0.1:"$PORT" \
    --database-url "$url" --log-format json >"$dir/serve.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 600); do curl -fsS -o /dev/null "http://127.0.0.1:$PORT/readyz" 2>/dev/null && break; sleep 0.1; done
  sleep 5 # start-up's jobs settle
  echo "== $n clinicians, -think $THINK, SQLite, $(sql "$dir/run.db" 'SELECT count(*) FROM children') children"
  if [ "$QUIET" != 0 ]; then
    ./bin/loadforms -url http://127.0.0.1:"$PORT" -clinicians "$n" -think "$THINK" -duration "$QUIET" >"$dir/quiet.log" 2>&1 || status=$?
    echo "-- quiet ($QUIET, nothing else running):"
    grep -E '^(saves|latency|errors):' "$dir/quiet.log" || tail -n 5 "$dir/quiet.log"
  fi
  local t0; t0=$(date -u '+%Y-%m-%d %H:%M:%S')
  if [ "$RECALC" != 0 ]; then "$BIN" kpi recalculate --database-url "$url" --log-format json; fi
  "$BIN" kpi aggregate --database-url "$url" --log-format json
  ./bin/loadforms -url http://127.0.0.1:"$PORT" -clinicians "$n" -think "$THINK" -duration "$DURATION" -every 5s >"$dir/load.log" 2>&1 || status=$?
  echo "-- during the recalculation and aggregation ($DURATION from queueing them):"
  grep -E '^(saves|latency|errors):|^ +[0-9]+ ' "$dir/load.log" || tail -n 5 "$dir/load.log"
  grep -E '^interval' "$dir/load.log" | sed 's/^/   /' || true
  echo "-- the jobs (UTC; queued at $t0):"
  sql "$dir/run.db" "SELECT printf('   recalculation %d: %d of %d children, started %s, %s%s', id, done, total, started_at,
      CASE WHEN finished_at IS NULL THEN 'not finished when the load stopped'
        ELSE printf('finished in %.1f s', (julianday(finished_at) - julianday(started_at)) * 86400) END,
      coalesce(', error: ' || nullif(error, ''), ''))
    FROM kpi_recalculations ORDER BY id"
  # Each aggregation run logs its cohort and milliseconds (the database
  # keeps only the latest runs): those since the queueing, the automatic
  # ones the saves cause (AggregateSoon) included.
  grep '"msg":"kpi aggregation"' "$dir/serve.log" |
    sed -nE 's/.*"time":"([^"]{19})[^"]*".*"cohort":([0-9]+).*"children":([0-9]+).*"ms":([0-9]+).*/\1 \2 \3 \4/p' |
    awk -v t0="${t0/ /T}" '$1 >= t0 { n++; ms += $4; if ($4 > max) max = $4; printf "   aggregation of cohort %d logged at %s: %d ms (%d children counted)\n", $2, $1, $4, $3 }
      END { printf "   aggregation runs: %d, %d ms in all, the longest %d ms\n", n, ms, max }'
  echo "   server ERROR lines: $(grep -c '"level":"ERROR"' "$dir/serve.log" || true)"
  kill -TERM "$pid" 2>/dev/null || true
  wait "$pid" || true
  rm -f "$dir"/run.db*
  return "$status"
}

failed=0
for n in $CLINICIANS; do run "$n" || failed=1; done
echo "files: $OUT"
exit $failed
