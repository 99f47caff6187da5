#!/usr/bin/env bash
# Lints .github/workflows (and the shell in their run: steps, through shellcheck) with actionlint,
# built from source through the Go module proxy: `go run` fetches and builds the pinned version.
set -euo pipefail
cd "$(dirname "$0")/.."

ACTIONLINT=github.com/rhysd/actionlint/cmd/actionlint@v1.7.12

# actionlint only checks run: scripts when shellcheck is on PATH, and says nothing when it is not.
# CI installs it (Debian package) so the check is real there; elsewhere we say what is skipped.
if ! command -v shellcheck >/dev/null 2>&1; then
  if [ "${CI:-}" = true ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq shellcheck >/dev/null
  else
    echo "actionlint.sh: shellcheck not found: run: scripts are not shellchecked (apt-get install shellcheck)" >&2
  fi
fi

# -mod=mod: a GOFLAGS=-mod=vendor or readonly set for the toolchain must not stop the download.
GOFLAGS=-mod=mod go run "$ACTIONLINT" "$@"
echo "actionlint: .github/workflows OK"
