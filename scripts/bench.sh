#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs every benchmark at full size and keeps the JSON under
# build/bench-results/. Takes several minutes; figures go to
# docs/PERFORMANCE.md together with the machine they ran on.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${TENCHAT_BUILD_DIR:-$root/build}
out=$build/bench-results
mkdir -p "$out"
[ -x "$build/app/tenchat-relay" ] || "$root/scripts/build.sh"

{
  echo "{\"cpu\": \"$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)\","
  echo " \"cores\": $(nproc), \"memory_gb\": $(free -g | awk '/Mem:/{print $2}'),"
  echo " \"date\": \"$(date -u +%FT%TZ)\", \"commit\": \"$(git -C "$root" rev-parse --short HEAD)\"}"
} > "$out/machine.json"
cat "$out/machine.json"

run() { # name, command...
  local name=$1; shift
  echo "==== $name"
  "$@" | tee "$out/$name.json"
}

run crypto "$build/bench/crypto/bench_crypto" --benchmark_format=json --benchmark_repetitions=3 \
  --benchmark_report_aggregates_only=true
run store "$build/bench/store/tenchat-bench-store"
run relay-20k "$build/bench/relay/tenchat-loadgen" --spawn-relay "$build/app/tenchat-relay" \
  --devices 200 --rate 20000 --seconds 10 --size 1024 --mosquitto auto
run relay-p99 "$build/bench/relay/tenchat-loadgen" --spawn-relay "$build/app/tenchat-relay" \
  --devices 200 --rate 5000 --seconds 10 --size 1024
run relay-1000 "$build/bench/relay/tenchat-loadgen" --spawn-relay "$build/app/tenchat-relay" \
  --devices 1000 --rate 1000 --seconds 10 --size 1024
for extra in "$build"/bench/*/bench_messaging "$build"/bench/*/tenchat-bench-messaging; do
  [ -x "$extra" ] && run messaging "$extra"
done
echo "results in $out"
