#!/usr/bin/env bash
# Measures the memory of `clinaudit serve --demo` from exec, through seeding
# the demo data and start-up, to idle: it reads VmHWM (the peak resident set)
# and VmRSS from /proc/PID/status while the process runs on a throwaway
# SQLite file (or the database URL given: give it a scratch database).
# Usage: scripts/measure-memory.sh [idle-seconds] [database-url] [runs]
# BIN=path measures another build (say, an older commit's) instead of
# building this one.
set -euo pipefail
idle=${1:-20}
dir=$(mktemp -d)
db=${2:-}
runs=${3:-1}
port=${MEASURE_PORT:-18090}
pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$dir"' EXIT
bin=${BIN:-}
[ -n "$bin" ] || { make -s build; bin=./bin/clinaudit; }
kb() { awk -v k="$1:" '$1 == k {print $2}' "/proc/$pid/status"; }
for run in $(seq "$runs"); do
  url=${db:-sqlite:$dir/mem$run.db}
  if [ "$runs" -gt 1 ] && [ -n "$db" ]; then echo "give one run for a database URL (the demo seeds once)"; exit 2; fi
  start=$(date +%s%N)
  "$bin" serve --demo --addr 127.0.0.1:$port --base-url http://127.0.0.1:$port \
    --database-url "$url" --log-level error >"$dir/serve.log" 2>&1 &
  pid=$!
  until curl -fs -o /dev/null "http://127.0.0.1:$port/readyz"; do
    kill -0 "$pid" 2>/dev/null || { echo "serve exited:"; tail -n 20 "$dir/serve.log"; exit 1; }
    sleep 0.05
  done
  ready=$(( ($(date +%s%N) - start) / 1000000 ))
  hwm_ready=$(kb VmHWM)
  # A first page and a static asset, as a browser's first visit asks for.
  curl -fs -o /dev/null -H 'Accept-Encoding: br, gzip' "http://127.0.0.1:$port/sign-in"
  sleep "$idle"
  echo "run $run (${url%%:*}): ready in $ready ms; VmHWM at ready $(( hwm_ready / 1024 )) MiB, after ${idle}s idle $(( $(kb VmHWM) / 1024 )) MiB; VmRSS idle $(( $(kb VmRSS) / 1024 )) MiB"
  kill -TERM "$pid"; wait "$pid" || true
  pid=
done
