#!/usr/bin/env bash
# The project's own Docker engine for the connector tests (and, optionally, `npm start`): Debian's
# docker.io, a dockerd with its own socket, data root, exec root and pidfile under .zt/dockerd/,
# and no host networking changes (no iptables, no masquerading, no default bridge; vfs storage
# works inside an unprivileged-overlay container). Other dockerds on the machine are never touched:
# stop kills only the PID in our pidfile, and only if that process is a dockerd on our socket.
#
#   toolchain/dockerd.sh start    install docker.io if missing (root), start, wait until it answers
#   toolchain/dockerd.sh stop     stop the dockerd started by start
#   toolchain/dockerd.sh status   exit 0 and print the host when ours is running and answering
#   toolchain/dockerd.sh host     print unix://.../docker.sock (whether or not it runs)
#   toolchain/dockerd.sh with CMD...  start if not running, run CMD with DOCKER_HOST set, and stop
#                                 again afterwards only if this call started it
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DIR="${ZT_DOCKERD_DIR:-$ROOT/.zt/dockerd}"
SOCK="$DIR/docker.sock"
PIDFILE="$DIR/dockerd.pid"
LOG="$DIR/dockerd.log"
HOST="unix://$SOCK"
DOCKER=/usr/bin/docker # Debian's client, the one that matches the engine

say() { printf 'dockerd: %s\n' "$*" >&2; }

ours_pid() {
  [ -f "$PIDFILE" ] || return 1
  local pid
  pid="$(cat "$PIDFILE")"
  [ -n "$pid" ] && [ -r "/proc/$pid/cmdline" ] || return 1
  # Only a dockerd started on our socket counts, never a PID reused by something else.
  tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q -- "dockerd .*-H $HOST" || return 1
  echo "$pid"
}

answering() { "$DOCKER" -H "$HOST" version --format '{{.Server.Version}}' >/dev/null 2>&1; }

install() {
  # docker-compose: the connector suite brings `npm run compose` output up with it.
  if command -v dockerd >/dev/null && [ -x "$DOCKER" ] && command -v docker-compose >/dev/null; then return; fi
  if [ "$(id -u)" != 0 ]; then
    say "docker.io or docker-compose is not installed, and installing needs root: sudo apt-get install -y docker.io docker-compose"
    exit 1
  fi
  say "installing Debian's docker.io and docker-compose (apt-get) ..."
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq docker.io docker-compose >/dev/null
}

start() {
  if ours_pid >/dev/null && answering; then
    echo "$HOST"
    return
  fi
  install
  if [ "$(id -u)" != 0 ]; then
    say "dockerd needs root here (it creates network namespaces and mounts); run as root"
    exit 1
  fi
  mkdir -p "$DIR/root" "$DIR/exec"
  rm -f "$SOCK" "$PIDFILE"
  local t0=$SECONDS
  setsid dockerd \
    -H "$HOST" \
    --data-root "$DIR/root" \
    --exec-root "$DIR/exec" \
    --pidfile "$PIDFILE" \
    --storage-driver=vfs \
    --iptables=false --ip-forward=false --ip-masq=false --bridge=none \
    >>"$LOG" 2>&1 </dev/null &
  local launched=$!
  for _ in $(seq 1 120); do
    if answering; then
      say "engine $("$DOCKER" -H "$HOST" version --format '{{.Server.Version}}') answering on $HOST after $((SECONDS - t0)) s (pid $(cat "$PIDFILE"), log $LOG)"
      echo "$HOST"
      return
    fi
    if ! kill -0 "$launched" 2>/dev/null; then
      say "dockerd exited before answering; last lines of $LOG:"
      tail -n 20 "$LOG" >&2
      exit 1
    fi
    sleep 0.5
  done
  say "dockerd did not answer on $HOST within 60 s; last lines of $LOG:"
  tail -n 20 "$LOG" >&2
  exit 1
}

stop() {
  local pid
  if ! pid="$(ours_pid)"; then
    say "not running (no dockerd of ours on $HOST)"
    return
  fi
  kill -TERM "$pid"
  for _ in $(seq 1 60); do
    kill -0 "$pid" 2>/dev/null || { say "stopped (pid $pid)"; return; }
    sleep 0.5
  done
  say "dockerd $pid did not stop within 30 s; killing it"
  kill -KILL "$pid" 2>/dev/null || true
}

case "${1:-}" in
start) start ;;
stop) stop ;;
status)
  if ours_pid >/dev/null && answering; then echo "$HOST"; else
    say "not running on $HOST"
    exit 1
  fi
  ;;
host) echo "$HOST" ;;
with)
  shift
  started=0
  if ! (ours_pid >/dev/null && answering); then
    start >/dev/null
    started=1
  fi
  [ "$started" = 1 ] && trap stop EXIT
  DOCKER_HOST="$HOST" ZT_DOCKER_HOST="$HOST" "$@"
  ;;
*)
  echo "usage: $0 start|stop|status|host|with CMD..." >&2
  exit 2
  ;;
esac
