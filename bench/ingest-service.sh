#!/usr/bin/env bash
# Frames/s through ingest-service to Kafka (decode, detect, crop, JPEG, publish with acks=all), on a generated video.
# Needs the broker and services up (./emotion kafka start && ./emotion up).
# Usage: bench/ingest-service.sh [seconds=60] [size=1280x720]
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
EMOTION_HOME=${EMOTION_HOME:-$ROOT/.emotion}
PORT=${INGEST_PORT:-8081}
seconds=${1:-60}
size=${2:-1280x720}
data=$EMOTION_HOME/data/ingest
rel=bench-$(date +%s)
curl -sf -o /dev/null "http://localhost:$PORT/q/health/ready" || { echo "ingest-service is not ready on :$PORT (./emotion up)" >&2; exit 1; }
"$ROOT/emotion" synth --participants 1 --seconds "$seconds" --size "$size" --out "$data/$rel" --study bench >/dev/null
job=$(curl -sf -H 'Content-Type: application/json' \
  -d "{\"studyId\":\"bench\",\"participantId\":\"p01\",\"video\":\"$rel/p01.mp4\",\"labels\":\"$rel/p01.csv\"}" \
  "http://localhost:$PORT/api/v1/ingest/jobs" | sed -E 's/.*"jobId":"([^"]+)".*/\1/')
while true; do
  sleep 1
  body=$(curl -sf "http://localhost:$PORT/api/v1/ingest/jobs/$job")
  case $body in
    *'"state":"completed"'*) break ;;
    *'"state":"failed"'*) echo "job failed: $body" >&2; exit 1 ;;
  esac
done
message=$(echo "$body" | sed -E 's/.*"message":"([^"]+)".*/\1/')
echo "Machine: $(nproc) cores; $(date -u +%Y-%m-%d); video ${size} ${seconds} s at 30 fps (H.264)"
echo
echo "| path | result |"
echo "|---|---|"
echo "| ingest-service: video -> faces -> FaceBatch records on Kafka (acks=all) | $message |"
rm -rf "${data:?}/$rel"
