#!/usr/bin/env bash
# The benchmark suite: runs every benchmark the issues asked for and prints one table (also written to
# .emotion/bench/<date>.md). In-process first (training, ingest), then the services: a quick demo run (which also
# times the whole job) leaves them up with a recommended model, then HTTP, WebSocket and Kafka scoring load.
# Usage: bench/all.sh [--skip-services]      (./emotion bench runs it)
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
EMOTION_HOME=${EMOTION_HOME:-$ROOT/.emotion}
SKIP_SERVICES=0
[ "${1:-}" = --skip-services ] && SKIP_SERVICES=1
out_dir=$EMOTION_HOME/bench
mkdir -p "$out_dir"
stamp=$(date -u +%Y%m%d-%H%M%S)
export EMOTION_BENCH_SUMMARY=$out_dir/$stamp.tsv
: >"$EMOTION_BENCH_SUMMARY"
log=$out_dir/$stamp.log
row() { printf '%s\t%s\t%s\n' "$1" "$2" "$3" >>"$EMOTION_BENCH_SUMMARY"; }
run() { echo "== $*" | tee -a "$log"; "$@" 2>&1 | tee -a "$log"; }

testdata=${EMOTION_TESTDATA_DIR:-$HOME/.cache/emotion/testdata}
"$ROOT/deploy/testdata/fetch-testdata.sh" >/dev/null
image=$testdata/messi5.jpg

run "$ROOT/emotion" bench-train --seconds 5
run "$ROOT/emotion" bench-ingest --generate-seconds 20 --size 1280x720
run "$ROOT/emotion" bench-predict --minutes 1 --detect-every 1,8

if [ $SKIP_SERVICES = 0 ]; then
  t0=$(date +%s)
  run "$ROOT/emotion" demo --quick --keep-running
  row demo "./emotion demo --quick (all nine steps, services already built)" "$(($(date +%s) - t0)) s"
  trap '"$ROOT/emotion" down >/dev/null; "$ROOT/emotion" kafka stop >/dev/null' EXIT
  run "$ROOT/emotion" bench-inference --image "$image" --clients 1,8,32 --seconds 10
  run "$ROOT/emotion" bench-stream --image "$image" --fps 30 --seconds 15
fi

table=$out_dir/$stamp.md
{
  echo "Machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(java -version 2>&1 | head -1); $(date -u '+%Y-%m-%d %H:%M') UTC"
  echo
  echo "| area | measurement | result |"
  echo "|---|---|---|"
  awk -F '\t' '{ printf "| %s | %s | %s |\n", $1, $2, $3 }' "$EMOTION_BENCH_SUMMARY"
} >"$table"
echo
cat "$table"
echo
echo "bench: table $table, full output $log"
