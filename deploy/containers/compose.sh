# shellcheck shell=bash
# ./emotion compose build|up|down|smoke|status: the stack of docker-compose.yml in containers, on this machine's
# engine: Docker where a Docker engine answers, else Debian's podman (installed here when missing) behind its Docker
# API socket, driven by Debian's docker-compose. Sourced by ./emotion (uses its say/err/die, cli, ensure_built,
# kafka_classpath, port_open, http_ready, broker_ready).

COMPOSE_FILE=$ROOT/docker-compose.yml
CONTAINERS_DIR=$EMOTION_HOME/containers
IMAGES_DIR=$EMOTION_HOME/images
EMOTION_IMAGE_TAG=${EMOTION_IMAGE_TAG:-dev}
export EMOTION_IMAGE_TAG
COMPOSE_PROJECT=${EMOTION_COMPOSE_PROJECT:-emotion}
# the base image's tag follows its recipe: a changed base.sh builds a new base, an unchanged one is reused
BASE_IMAGE=${EMOTION_BASE_IMAGE:-localhost/emotion-base:bookworm-$(sha256sum "$ROOT/deploy/containers/base.sh" | cut -c1-8)}
PODMAN_SOCK=$CONTAINERS_DIR/podman.sock
PODMAN_PID=$RUN_DIR/podman-service.pid
COMPOSE_SERVICES=(ingest-service training-service evaluation-service inference-service console-service)

# Sets ENGINE (docker|podman) and COMPOSE (the compose command), installing podman when no engine runs here.
container_engine() {
  [ -n "${ENGINE:-}" ] && return 0
  if [ "${EMOTION_CONTAINER_ENGINE:-}" != podman ] && command -v docker >/dev/null 2>&1 \
    && docker info >/dev/null 2>&1; then
    ENGINE=docker
    if docker compose version >/dev/null 2>&1; then COMPOSE=(docker compose); else
      "$ROOT/deploy/testdata/install-debian.sh" docker-compose docker-compose >&2 || return 1
      COMPOSE=(docker-compose)
    fi
    return 0
  fi
  # podman from Debian: the engine, runc, networking (netavark + aardvark-dns: names between containers), the
  # image builder; docker-compose drives it through podman's Docker-compatible API.
  "$ROOT/deploy/testdata/install-debian.sh" podman podman buildah runc uidmap fuse-overlayfs slirp4netns netavark \
    aardvark-dns iptables >&2 || return 1
  "$ROOT/deploy/testdata/install-debian.sh" mmdebstrap mmdebstrap >&2 || return 1
  "$ROOT/deploy/testdata/install-debian.sh" docker-compose docker-compose >&2 || return 1
  mkdir -p "$CONTAINERS_DIR" "$RUN_DIR" "$LOG_DIR"
  # Two defaults fail on machines like ours (docs/platform-facts.md): crun cannot raise RLIMIT_NOFILE/NPROC without
  # CAP_SYS_RESOURCE and refuses cgroups in hybrid mode. This file (CONTAINERS_CONF, not /etc) sets limits within
  # the hard ones, runc and cgroupfs, for the podman commands and the API service started here.
  # podman lowers its own hard RLIMIT_NPROC to 32768 at start (seen on podman 4.3), so containers get at most that.
  local nofile nproc
  nofile=$(ulimit -Hn); nproc=$(ulimit -Hu)
  [ "$nofile" = unlimited ] || [ "$nofile" -gt 1048576 ] && nofile=1048576
  [ "$nproc" = unlimited ] || [ "$nproc" -gt 32768 ] && nproc=32768
  cat >"$CONTAINERS_DIR/containers.conf" <<CONF
# written by ./emotion compose (deploy/containers/compose.sh)
[containers]
default_ulimits = ["nofile=$nofile:$nofile", "nproc=$nproc:$nproc"]
[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
CONF
  export CONTAINERS_CONF=$CONTAINERS_DIR/containers.conf
  ENGINE=podman
  if ! curl -sf --max-time 2 --unix-socket "$PODMAN_SOCK" http://d/_ping >/dev/null 2>&1; then
    rm -f "$PODMAN_SOCK"
    setsid nohup podman system service --time=0 "unix://$PODMAN_SOCK" >>"$LOG_DIR/podman-service.log" 2>&1 </dev/null &
    echo $! >"$PODMAN_PID"
    local waited=0
    until curl -sf --max-time 2 --unix-socket "$PODMAN_SOCK" http://d/_ping >/dev/null 2>&1; do
      [ $waited -ge 60 ] && { err "podman's API service did not answer on $PODMAN_SOCK; see $LOG_DIR/podman-service.log"; return 1; }
      sleep 0.5; waited=$((waited + 1))
    done
  fi
  export DOCKER_HOST=unix://$PODMAN_SOCK
  COMPOSE=(docker-compose)
}

# (docker-compose.yml requires EMOTION_API_KEY; commands other than up do not use it)
compose() {
  EMOTION_API_KEY=${EMOTION_API_KEY:-unused} "${COMPOSE[@]}" -p "$COMPOSE_PROJECT" -f "$COMPOSE_FILE" "$@"
}

image_exists() { "$ENGINE" image inspect "$1" >/dev/null 2>&1; }
image_mb() { "$ENGINE" image inspect --format '{{.Size}}' "$1" | awk '{printf "%.0f", $1 / 1e6}'; }

# Builds the base image (once per recipe), the Kafka image and the four service images from what Maven built here.
compose_build() {
  container_engine || die "compose: no container engine (Docker, or podman from Debian's packages) could be set up"
  # ./emotion test has just packaged everything (mvn verify); otherwise package now, so the images hold this tree
  if [ "${COMPOSE_MAVEN_BUILT:-0}" = 1 ]; then ensure_built; else build; fi
  "$ROOT/deploy/models/fetch-models.sh" >/dev/null || die "compose: could not fetch the face model files"
  local t0 models=${EMOTION_MODELS_DIR:-$HOME/.cache/emotion/models}
  t0=$(date +%s)
  if ! image_exists "$BASE_IMAGE"; then
    "$ROOT/deploy/containers/base.sh" "$ENGINE" "$BASE_IMAGE" "$IMAGES_DIR" \
      || die "compose: building the base image $BASE_IMAGE failed (mmdebstrap output above)"
  fi
  # The Kafka image: the jars of ./emotion kafka start (Maven Central) and the start script.
  rm -rf "$IMAGES_DIR/kafka"
  mkdir -p "$IMAGES_DIR/kafka/libs"
  kafka_classpath | tr ':' '\n' | while read -r jar; do [ -n "$jar" ] && cp "$jar" "$IMAGES_DIR/kafka/libs/"; done
  cp "$ROOT/deploy/containers/kafka-start.sh" "$IMAGES_DIR/kafka/"
  build_image kafka "$ROOT/deploy/containers/Containerfile.kafka" "$IMAGES_DIR/kafka"
  local svc
  for svc in "${COMPOSE_SERVICES[@]}"; do
    rm -rf "${IMAGES_DIR:?}/$svc"
    mkdir -p "$IMAGES_DIR/$svc/models"
    cp -r "$ROOT/$svc/target/quarkus-app" "$IMAGES_DIR/$svc/app"
    # the face model files, without the ImageNet weights (mounted at run time: EMOTION_WEIGHTS_HOST_DIR); the
    # console needs none
    [ "$svc" = console-service ] \
      || find "$models" -mindepth 1 -maxdepth 1 ! -name imagenet -exec cp -r {} "$IMAGES_DIR/$svc/models/" \;
    build_image "$svc" "$ROOT/deploy/containers/Containerfile.service" "$IMAGES_DIR/$svc" --build-arg "SERVICE=$svc"
  done
  say ""
  say "images (built in $(( $(date +%s) - t0 )) s with $ENGINE):"
  printf '  %-48s %8s\n' IMAGE MB
  printf '  %-48s %8s\n' "$BASE_IMAGE" "$(image_mb "$BASE_IMAGE")"
  for svc in kafka "${COMPOSE_SERVICES[@]}"; do
    printf '  %-48s %8s\n' "localhost/emotion-$svc:$EMOTION_IMAGE_TAG" "$(image_mb "localhost/emotion-$svc:$EMOTION_IMAGE_TAG")"
  done
}

build_image() {
  local name=$1 file=$2 context=$3
  shift 3
  say "image: localhost/emotion-$name:$EMOTION_IMAGE_TAG"
  # podman writes OCI images by default, which have no HEALTHCHECK: ask for Docker's format, as Docker writes
  local format=()
  [ "$ENGINE" = podman ] && format=(--format docker)
  "$ENGINE" build -q "${format[@]}" -f "$file" --build-arg "BASE=$BASE_IMAGE" "$@" \
    -t "localhost/emotion-$name:$EMOTION_IMAGE_TAG" "$context" >/dev/null \
    || die "compose: building localhost/emotion-$name failed (see above)"
}

# podman runs no health checks by itself (no systemd timers): while compose waits on service_healthy, run them.
health_loop_start() {
  [ "$ENGINE" = podman ] || return 0
  (
    while sleep 2; do
      for c in $(podman ps -q --filter "label=com.docker.compose.project=$COMPOSE_PROJECT" 2>/dev/null); do
        podman healthcheck run "$c" >/dev/null 2>&1 || true
      done
    done
  ) &
  HEALTH_LOOP_PID=$!
}
health_loop_stop() { [ -n "${HEALTH_LOOP_PID:-}" ] && kill "$HEALTH_LOOP_PID" 2>/dev/null; HEALTH_LOOP_PID=""; }

# The published ports (docker-compose.yml: EMOTION_<SERVICE>_PUBLISHED_PORT, default 8081..8084).
published_port() {
  case $1 in
    ingest) echo "${EMOTION_INGEST_PUBLISHED_PORT:-8081}" ;;
    training) echo "${EMOTION_TRAINING_PUBLISHED_PORT:-8082}" ;;
    evaluation) echo "${EMOTION_EVALUATION_PUBLISHED_PORT:-8083}" ;;
    inference) echo "${EMOTION_INFERENCE_PUBLISHED_PORT:-8084}" ;;
    console) echo "${EMOTION_CONSOLE_PUBLISHED_PORT:-8080}" ;;
  esac
}

compose_up() {
  local build=1
  [ "${1:-}" = --no-build ] && build=0
  container_engine || die "compose: no container engine (Docker, or podman from Debian's packages) could be set up"
  [ $build = 1 ] && compose_build
  local svc
  for svc in "${SERVICES[@]}"; do
    port_open 127.0.0.1 "$(published_port "$svc")" \
      && die "compose: port $(published_port "$svc") is taken; stop what uses it or set EMOTION_${svc^^}_PUBLISHED_PORT"
  done
  # bind-mounted host folders must exist (Docker creates them, podman refuses)
  export EMOTION_WEIGHTS_HOST_DIR=${EMOTION_WEIGHTS_HOST_DIR:-${EMOTION_WEIGHTS_DIR:-${EMOTION_MODELS_DIR:-$HOME/.cache/emotion/models}/imagenet}}
  export EMOTION_STUDIES_HOST_DIR=${EMOTION_STUDIES_HOST_DIR:-$EMOTION_HOME/studies}
  mkdir -p "$EMOTION_WEIGHTS_HOST_DIR" "$EMOTION_STUDIES_HOST_DIR"
  # the stack's API key: EMOTION_API_KEY, else one generated once for this machine (mode 600, never committed)
  if [ -z "${EMOTION_API_KEY:-}" ]; then
    mkdir -p "$CONTAINERS_DIR"
    if [ ! -s "$CONTAINERS_DIR/api-key" ]; then
      (umask 077 && head -c 24 /dev/urandom | base64 | tr -d '/+=\n' >"$CONTAINERS_DIR/api-key")
    fi
    EMOTION_API_KEY=$(cat "$CONTAINERS_DIR/api-key")
    say "compose: the services' API key (X-API-Key) is in $CONTAINERS_DIR/api-key (or set EMOTION_API_KEY)"
  fi
  export EMOTION_API_KEY
  local t0 rc=0
  t0=$(date +%s.%N)
  say "compose: starting the stack (project $COMPOSE_PROJECT, $ENGINE, ${COMPOSE[*]})"
  health_loop_start
  compose up -d --no-build || rc=$?
  health_loop_stop
  [ $rc = 0 ] || die "compose: '${COMPOSE[*]} up' failed (exit $rc); ./emotion compose logs shows the containers' output"
  local waited=0 check port
  for svc in "${SERVICES[@]}"; do
    port=$(published_port "$svc")
    check=http_ready
    [ "$svc" = inference ] && check=broker_ready
    until $check "$port"; do
      [ $waited -ge 360 ] && die "compose: $svc-service not ready on http://localhost:$port after 180 s (./emotion compose logs $svc-service)"
      sleep 0.5; waited=$((waited + 1))
    done
  done
  STACK_START_S=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
  say "compose: stack up in $STACK_START_S s: console http://localhost:$(published_port console)/, ingest" \
    ":$(published_port ingest), training :$(published_port training), evaluation :$(published_port evaluation)," \
    "inference :$(published_port inference)"
}

# Stops and removes the project's containers, network and volumes; stops the podman API service started here.
compose_down() {
  container_engine || die "compose: no container engine"
  compose down -v --remove-orphans --timeout 20 || err "compose: down reported an error (above)"
  if [ "$ENGINE" = podman ] && pid_alive "$(read_pid "$PODMAN_PID")"; then
    kill "$(read_pid "$PODMAN_PID")" 2>/dev/null || true
    rm -f "$PODMAN_PID" "$PODMAN_SOCK"
  fi
}

# What the project left behind: containers, volumes, networks labelled with its name (none after down).
compose_leftovers() {
  local label="label=com.docker.compose.project=$COMPOSE_PROJECT"
  { "$ENGINE" ps -aq --filter "$label"; "$ENGINE" volume ls -q --filter "$label"
    "$ENGINE" network ls -q --filter "$label"; } 2>/dev/null | sed '/^$/d'
}

compose_smoke() {
  COMPOSE_PROJECT=${EMOTION_COMPOSE_PROJECT:-emotion-smoke}
  export EMOTION_INGEST_PUBLISHED_PORT=${EMOTION_INGEST_PUBLISHED_PORT:-18081}
  export EMOTION_TRAINING_PUBLISHED_PORT=${EMOTION_TRAINING_PUBLISHED_PORT:-18082}
  export EMOTION_EVALUATION_PUBLISHED_PORT=${EMOTION_EVALUATION_PUBLISHED_PORT:-18083}
  export EMOTION_INFERENCE_PUBLISHED_PORT=${EMOTION_INFERENCE_PUBLISHED_PORT:-18084}
  export EMOTION_CONSOLE_PUBLISHED_PORT=${EMOTION_CONSOLE_PUBLISHED_PORT:-18080}
  container_engine || die "compose smoke: no container engine (Docker, or podman from Debian's packages) could be set up"
  local out rc=0 t0
  t0=$(date +%s)
  out=$EMOTION_HOME/studies/smoke-$(date +%Y%m%d-%H%M%S)
  # shellcheck disable=SC2064
  trap "health_loop_stop; compose_smoke_logs; compose_down" EXIT
  compose_up
  INGEST_URL=http://localhost:$(published_port ingest) TRAINING_URL=http://localhost:$(published_port training) \
    EVALUATION_URL=http://localhost:$(published_port evaluation) INFERENCE_URL=http://localhost:$(published_port inference) \
    CONSOLE_URL=http://localhost:$(published_port console) cli compose-smoke --out "$out" || rc=$?
  SMOKE_RC=$rc
  trap - EXIT
  compose_smoke_logs
  compose_down
  local left
  left=$(compose_leftovers)
  if [ -n "$left" ]; then
    err "compose smoke: left behind after down: $left"
    rc=1
  fi
  rm -rf "$out"
  [ $rc = 0 ] || die "compose smoke: FAILED (exit $rc); the containers' logs: $LOG_DIR/compose-smoke.log"
  say "compose smoke: passed in $(( $(date +%s) - t0 )) s (stack start ${STACK_START_S:-?} s), nothing left behind"
}

# keeps the containers' output of a smoke run (they are removed by down)
compose_smoke_logs() { compose logs --no-color >"$LOG_DIR/compose-smoke.log" 2>&1 || true; }

compose_status() {
  container_engine || die "compose: no container engine"
  compose ps
}

compose_main() {
  local sub=${1:-status}
  shift || true
  case $sub in
    build) compose_build ;;
    up) compose_up "$@" ;;
    down) compose_down ;;
    smoke) compose_smoke ;;
    status | ps) compose_status ;;
    logs) container_engine && compose logs --no-color "$@" ;;
    *) die "compose: unknown subcommand '$sub' (build, up [--no-build], down, smoke, status, logs [SERVICE])" ;;
  esac
}
