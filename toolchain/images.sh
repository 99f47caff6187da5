#!/usr/bin/env bash
# Builds the connector's local images (no registry is reachable here), honestly named:
#   zt-gitops/dnsmasq:local              Debian's dnsmasq (package dnsmasq-base: the same binary the
#                                        `dnsmasq` package runs, without its system service) with
#                                        the shared libraries ldd lists, plus busybox's nslookup so
#                                        `docker exec dnsmasq nslookup ...` and doctor can ask it.
#   zt-gitops/cloudflared-standin:test   NOT cloudflared (which cannot be had here): a busybox shell
#                                        script for tests that records its arguments and the NAMES of
#                                        its environment variables (never their values) and stays up.
# Production configs keep cloudflare/cloudflared. Idempotent: an image whose inputs (files and this
# script) are unchanged is kept; run it against DOCKER_HOST (default: toolchain/dockerd.sh host).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
export DOCKER_HOST="${DOCKER_HOST:-$(bash "$ROOT/toolchain/dockerd.sh" host)}"
DOCKER=/usr/bin/docker
DNSMASQ_TAG=zt-gitops/dnsmasq:local
STANDIN_TAG=zt-gitops/cloudflared-standin:test

need() { # command package
  command -v "$1" >/dev/null && return
  [ "$(id -u)" = 0 ] || { echo "images: $1 missing: apt-get install -y $2 (as root)" >&2; exit 1; }
  echo "images: installing Debian's $2 ..." >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$2" >/dev/null ||
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$2" >/dev/null; }
}
need /usr/sbin/dnsmasq dnsmasq-base
need /bin/busybox busybox-static

# Copies a dynamically linked binary and every library ldd names, at the same paths.
with_libs() { # binary rootfs
  mkdir -p "$2$(dirname "$1")"
  cp -L "$1" "$2$1"
  ldd "$1" | grep -oE '/[^ ]+' | while read -r lib; do
    mkdir -p "$2$(dirname "$lib")"
    cp -L "$lib" "$2$lib"
  done
}

busybox_into() { # rootfs applet...
  local rootfs=$1
  shift
  mkdir -p "$rootfs/bin"
  cp /bin/busybox "$rootfs/bin/busybox"
  for a in "$@"; do ln -sf busybox "$rootfs/bin/$a"; done
}

base_files() { # rootfs
  mkdir -p "$1/etc" "$1/run" "$1/var/run" "$1/tmp"
  chmod 1777 "$1/tmp"
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' >"$1/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' >"$1/etc/group"
  printf 'passwd: files\ngroup: files\nhosts: files dns\n' >"$1/etc/nsswitch.conf"
}

# Imports rootfs as tag unless an image with the same inputs hash is there already.
import_image() { # rootfs tag hash change...
  local rootfs=$1 tag=$2 hash=$3
  shift 3
  local have
  have="$("$DOCKER" image inspect --format '{{index .Config.Labels "zt-gitops.inputs"}}' "$tag" 2>/dev/null || true)"
  if [ "$have" = "$hash" ]; then
    echo "images: $tag up to date"
    return
  fi
  local args=(--change "LABEL zt-gitops.inputs=$hash")
  for c in "$@"; do args+=(--change "$c"); done
  tar -C "$rootfs" --numeric-owner -c . | "$DOCKER" import "${args[@]}" - "$tag" >/dev/null
  echo "images: built $tag"
}

inputs_hash() { # files...
  { sha256sum "$0" "$@" | cut -d' ' -f1; } | sha256sum | cut -c1-16
}

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

# dnsmasq
R="$WORK/dnsmasq"
with_libs /usr/sbin/dnsmasq "$R"
busybox_into "$R" nslookup sh
base_files "$R"
mkdir -p "$R/var/lib/misc"
version="$(/usr/sbin/dnsmasq --version | head -n1 | awk '{print $3}')"
import_image "$R" "$DNSMASQ_TAG" "$(inputs_hash /usr/sbin/dnsmasq /bin/busybox)" \
  'ENTRYPOINT ["/usr/sbin/dnsmasq"]' \
  "LABEL org.opencontainers.image.description=\"dnsmasq $version from Debian (dnsmasq-base), built locally by zt-gitops toolchain/images.sh\""

# cloudflared stand-in
R="$WORK/standin"
busybox_into "$R" sh env cut sort tr sleep mkdir cat nslookup
base_files "$R"
mkdir -p "$R/usr/local/bin"
cat >"$R/usr/local/bin/cloudflared-standin" <<'SCRIPT'
#!/bin/sh
# zt-gitops TEST STAND-IN, not cloudflared. Records argv and the names (never the values) of the
# environment variables, then stays up like a connected cloudflared until it is stopped.
mkdir -p /var/log/standin
{
  echo "argv: $*"
  echo "env-names: $(env | cut -d= -f1 | sort | tr '\n' ' ')"
} >/var/log/standin/record.txt
cat /var/log/standin/record.txt
trap 'echo "stand-in: stopping"; exit 0' TERM INT
while :; do sleep 3600 & wait $!; done
SCRIPT
chmod 755 "$R/usr/local/bin/cloudflared-standin"
import_image "$R" "$STANDIN_TAG" "$(inputs_hash /bin/busybox)" \
  'ENTRYPOINT ["/usr/local/bin/cloudflared-standin"]' \
  'LABEL org.opencontainers.image.description="TEST STAND-IN for cloudflared (records argv and env variable names), not cloudflared"'
