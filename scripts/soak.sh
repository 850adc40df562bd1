#!/usr/bin/env bash
# Soak: runs `clinaudit serve --demo` with the periodic jobs on, and
# tools/loadforms with 16 clinicians saving at a clinician's pace (-think 1s)
# for DURATION, on each engine in ENGINES (at once: they are light at this
# pace). Samples the server's resident set every 10 s, prints the p99 of each
# minute, and summarises: RSS first/last/max and its slope after the warm-up,
# p99 by minute min/max, saves and errors (the client's and the server's
# ERROR log lines). Fails on any error. docs/testing.md describes it and
# docs/performance.md has figures.
#
#   scripts/soak.sh                                  # 30m, sqlite and postgres
#   DURATION=2m ENGINES=sqlite scripts/soak.sh
#
# Settings (environment): DURATION (30m), ENGINES ("sqlite postgres"),
# CLINICIANS (16), THINK (1s), AGGREGATE_EVERY (2m: the KPI aggregation
# runs 15 times in 30 minutes, not 3 as at its default 10m), WARMUP (5m: the
# samples before it are left out of the slope), SOAK_OUT (bin/soak-<time>:
# each engine's serve.log, load.log, rss.tsv and summary.txt are kept there).
# PostgreSQL: a database of its own is created on the server of
# TEST_DATABASE_URL and dropped after.
set -euo pipefail
DURATION=${DURATION:-30m}
ENGINES=${ENGINES:-sqlite postgres}
CLINICIANS=${CLINICIANS:-16}
THINK=${THINK:-1s}
AGGREGATE_EVERY=${AGGREGATE_EVERY:-2m}
WARMUP=${WARMUP:-5m}
SOAK_OUT=${SOAK_OUT:-bin/soak-$(date -u +%Y%m%dT%H%M%SZ)}
TEST_DATABASE_URL=${TEST_DATABASE_URL:-postgres://root@127.0.0.1:5432/test?sslmode=disable}

seconds() { # 30m, 90s, 1h -> seconds
  case $1 in
    *h) echo $(( ${1%h} * 3600 )) ;; *m) echo $(( ${1%m} * 60 )) ;; *s) echo "${1%s}" ;; *) echo "$1" ;;
  esac
}

make -s build
go build -o bin/loadforms ./tools/loadforms
mkdir -p "$SOAK_OUT"

# soak ENGINE PORT: one engine's run, its files in $SOAK_OUT/ENGINE.
soak() {
  local engine=$1 port=$2 dir=$SOAK_OUT/$1 url pid sampler status=0 pgname= admin=
  mkdir -p "$dir"
  date -u +%FT%TZ >"$dir/started"
  if [ "$engine" = postgres ]; then
    local base=${TEST_DATABASE_URL%%\?*} query=
    [ "$base" != "$TEST_DATABASE_URL" ] && query=?${TEST_DATABASE_URL#*\?}
    pgname=clinaudit_soak_$$_$RANDOM
    admin=${base%/*}/postgres$query
    url=${base%/*}/$pgname$query
    psql -q "$admin" -c "CREATE DATABASE $pgname" >/dev/null
  else
    url=sqlite:$dir/soak.db
  fi
  ./bin/clinaudit serve --demo --addr 127.0.0.1:"$port" --base-url http://127.0.0.1:"$port" \
    --database-url "$url" --aggregate-every "$AGGREGATE_EVERY" --log-format json >"$dir/serve.log" 2>&1 &
  pid=$!
  # Resident set every 10 s from exec (seeding included): seconds since
  # start, VmRSS and VmHWM in KiB.
  (
    t0=$(date +%s)
    printf 'seconds\tvmrss_kib\tvmhwm_kib\n'
    while [ -r "/proc/$pid/status" ]; do
      awk -v t=$(( $(date +%s) - t0 )) '$1=="VmRSS:"{r=$2} $1=="VmHWM:"{h=$2} END{if (r) printf "%d\t%d\t%d\n", t, r, h}' "/proc/$pid/status" 2>/dev/null || true
      sleep 10
    done
  ) >"$dir/rss.tsv" &
  sampler=$!
  ./bin/loadforms -url http://127.0.0.1:"$port" -duration "$DURATION" -clinicians "$CLINICIANS" \
    -think "$THINK" -every 1m >"$dir/load.log" 2>&1 || status=$?
  kill -TERM "$pid" 2>/dev/null || true
  wait "$pid" || true
  wait "$sampler" 2>/dev/null || true
  [ -n "$pgname" ] && psql -q "$admin" -c "DROP DATABASE IF EXISTS $pgname WITH (FORCE)" >/dev/null
  summarise "$engine" "$dir" "$status" | tee "$dir/summary.txt"
  [ "$status" -eq 0 ] && ! grep -q '"level":"ERROR"' "$dir/serve.log"
}

# summarise ENGINE DIR STATUS
summarise() {
  local engine=$1 dir=$2 status=$3 warm
  warm=$(seconds "$WARMUP")
  echo "== soak on $engine: $DURATION, $CLINICIANS clinicians, -think $THINK, --aggregate-every $AGGREGATE_EVERY (started $(cat "$dir/started"))"
  grep -E '^(saves|latency|errors):|^ +[0-9]+ ' "$dir/load.log" || true
  [ "$status" -eq 0 ] || { echo "loadforms failed ($status):"; tail -n 5 "$dir/load.log"; }
  awk '/^interval [0-9]+ at/ { for (i = 1; i <= NF; i++) if ($i == "p99") { v = $(i+1) + 0; if (n == 0 || v < lo) lo = v; if (v > hi) hi = v; n++ } }
       END { if (n) printf "p99 by minute (%d full minutes): min %.1f ms, max %.1f ms\n", n, lo, hi }' "$dir/load.log"
  echo "server ERROR lines: $(grep -c '"level":"ERROR"' "$dir/serve.log" || true)"
  # RSS: first sample, last, max; least-squares slope over the samples from
  # WARMUP on, in MiB per hour.
  awk -v warm="$warm" 'NR > 1 { n++; if (n == 1) first = $2; last = $2; if ($2 > max) max = $2; hwm = $3
         if ($1 >= warm) { m++; sx += $1; sy += $2; sxx += $1*$1; sxy += $1*$2; if (m == 1) wfirst = $2 } }
       END { printf "RSS (%d samples, every 10 s): first %.1f MiB, last %.1f MiB, max %.1f MiB; VmHWM %.1f MiB\n", n, first/1024, last/1024, max/1024, hwm/1024
             if (m > 2) { slope = (m*sxy - sx*sy) / (m*sxx - sx*sx); printf "RSS after the %ds warm-up (%d samples): from %.1f MiB to %.1f MiB, slope %+.2f MiB/hour\n", warm, m, wfirst/1024, last/1024, slope*3600/1024 } }' "$dir/rss.tsv"
}

port=18301
pids=()
for engine in $ENGINES; do
  soak "$engine" "$port" &
  pids+=($!)
  port=$((port + 1))
done
failed=0
for p in "${pids[@]}"; do wait "$p" || failed=1; done
echo "files: $SOAK_OUT"
exit $failed
