#!/usr/bin/env bash
# Measures start-up of the real binary on an existing database: from exec to
# the first 200 from /readyz (migrations checked, reference data current).
# The baseline, measured in the same run, is exec of `clinaudit version`:
# what any start-up costs before it touches the database.
# Usage: scripts/measure-startup.sh [runs] [database-url]
# (a postgres:// URL gets our tables: give it a scratch database)
set -euo pipefail
runs=${1:-20}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
db=${2:-sqlite:$dir/startup.db}
make -s build
./bin/clinaudit seed-demo --database-url "$db" --log-level error >/dev/null
port=18080
times=()
for _ in $(seq "$runs"); do
  start=$(date +%s%N)
  ./bin/clinaudit serve --addr 127.0.0.1:$port --database-url "$db" --log-level error >/dev/null 2>&1 &
  pid=$!
  until curl -fs -o /dev/null "http://127.0.0.1:$port/readyz"; do sleep 0.005; done
  end=$(date +%s%N)
  kill -TERM "$pid"; wait "$pid" || true
  times+=($(( (end - start) / 1000000 )))
done
base=()
for _ in $(seq "$runs"); do
  start=$(date +%s%N)
  ./bin/clinaudit version >/dev/null
  end=$(date +%s%N)
  base+=($(( (end - start) / 100000 )))
done
sorted=($(printf '%s\n' "${times[@]}" | sort -n))
based=($(printf '%s\n' "${base[@]}" | sort -n))
n=${#sorted[@]}
echo "start-up to ready, $n runs on ${db%%:*}: min ${sorted[0]} ms, median ${sorted[$((n/2))]} ms, max ${sorted[$((n-1))]} ms"
echo "baseline (exec of clinaudit version): median $(( based[n/2] / 10 )).$(( based[n/2] % 10 )) ms"
