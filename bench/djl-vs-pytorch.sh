#!/usr/bin/env bash
# cnn_simple training and forward throughput, DJL (plain and with tcmalloc) vs PyTorch eager, alternating runs on
# the same machine. Installs Debian's python3-torch and libtcmalloc-minimal4 if missing (needs apt, as root).
# Usage: bench/djl-vs-pytorch.sh [rounds=2] [seconds=8]
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
rounds=${1:-2}
seconds=${2:-8}
TCMALLOC=/usr/lib/x86_64-linux-gnu/libtcmalloc_minimal.so.4
if ! /usr/bin/python3 -c "import torch" 2>/dev/null || [ ! -f "$TCMALLOC" ]; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends python3-torch libtcmalloc-minimal4 >/dev/null
fi
djl() { "$ROOT/emotion" bench-train --seconds "$seconds" --models cnn_simple 2>/dev/null | grep '^| cnn_simple' \
  | awk -F'|' -v label="$1" '{printf "| %s | %s | %s |\n", label, $5, $6}'; }
echo "Machine: $(nproc) cores; $(date -u +%Y-%m-%d); cnn_simple, 64x64, AdamW; forward batch 32, training batch 16"
echo
echo "| run | forward img/s | train step img/s |"
echo "|---|---|---|"
for r in $(seq 1 "$rounds"); do
  djl "DJL 0.36 / PyTorch 2.7.1 (round $r)"
  LD_PRELOAD=$TCMALLOC djl "DJL + tcmalloc (round $r)"
  /usr/bin/python3 "$ROOT/bench/cnn_pytorch.py" "$(nproc)" "$seconds" 16 | sed "s/ |$/ |/; s/eager (\([0-9]*\) threads)/eager, \1 threads (round $r)/"
done
