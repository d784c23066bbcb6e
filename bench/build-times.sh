#!/usr/bin/env bash
# Measures what docs/benchmarks.md records for the backbone: cold and warm build, the test suite, broker start and
# the four services' start until ready. Prints a markdown table. Usage: bench/build-times.sh [--skip-cold]
# The cold build uses a fresh clone and an empty Maven repository under a temporary directory (downloads ~230 MB).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
skip_cold=0
[ "${1:-}" = "--skip-cold" ] && skip_cold=1

now() { date +%s.%N; }
rows=()
measure() { # label command...
  local label=$1 t0 t1
  shift
  t0=$(now)
  "$@" >/tmp/bench-step.log 2>&1 || { echo "bench: '$label' failed; see /tmp/bench-step.log" >&2; exit 1; }
  t1=$(now)
  rows+=("| $label | $(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.1f", b-a}') s |")
}

./emotion down >/dev/null 2>&1 || true
./emotion kafka stop >/dev/null 2>&1 || true

if [ $skip_cold = 0 ]; then
  tmp=$(mktemp -d)
  git clone -q "$ROOT" "$tmp/src"
  measure "cold build: fresh clone, empty ~/.m2, mvn package -DskipTests" \
    bash -c "cd '$tmp/src' && mvn -B -q -Dmaven.repo.local='$tmp/m2' package -DskipTests"
  rm -rf "$tmp"
fi
measure "warm build: mvn clean package -DskipTests" mvn -B -q clean package -DskipTests
measure "warm incremental build: mvn package -DskipTests (no change)" mvn -B -q package -DskipTests
measure "kafka start (until it accepts connections)" ./emotion kafka start
measure "four services start (until every /q/health/ready is UP)" ./emotion up
measure "four services stop" ./emotion down
measure "test suite: mvn verify (broker already running)" mvn -B -q verify
./emotion kafka stop >/dev/null
measure "./emotion test (starts and stops the broker itself)" ./emotion test -q

echo "Machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(java -version 2>&1 | head -1); $(date -u +%Y-%m-%d)"
echo
echo "| step | wall time |"
echo "|---|---|"
printf '%s\n' "${rows[@]}"
