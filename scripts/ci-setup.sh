#!/usr/bin/env bash
# CI machine setup for the demo-app tests and the local benchmark: Debian's Docker engine,
# mmdebstrap, Chromium, HAProxy and wrk (the app bench's load generator) when missing, a running
# dockerd, and the local Node 24 base image. Idempotent and silent when everything is already in place, so `.ci/run` can call it
# on every run.
set -euo pipefail
cd "$(dirname "$0")/.."

logdir=.cache/ci-setup
mkdir -p "$logdir"
say() { printf 'ci-setup: %s\n' "$*" >&2; }

missing=()
command -v dockerd >/dev/null 2>&1 || missing+=(docker.io)
command -v mmdebstrap >/dev/null 2>&1 || missing+=(mmdebstrap)
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v haproxy >/dev/null 2>&1 || missing+=(haproxy)
command -v wrk >/dev/null 2>&1 || missing+=(wrk)
if [ "${#missing[@]}" -gt 0 ]; then
  say "installing ${missing[*]}"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq >"$logdir/apt.log" 2>&1
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" \
    >>"$logdir/apt.log" 2>&1 || { tail -n 20 "$logdir/apt.log" >&2; exit 1; }
fi

if ! docker info >/dev/null 2>&1; then
  say "starting dockerd (log: $logdir/dockerd.log)"
  # setsid: the daemon must outlive this script and not get the caller's signals.
  setsid nohup dockerd >"$logdir/dockerd.log" 2>&1 </dev/null &
  for _ in $(seq 1 60); do
    docker info >/dev/null 2>&1 && break
    sleep 1
  done
  docker info >/dev/null 2>&1 || { tail -n 20 "$logdir/dockerd.log" >&2; say "dockerd did not start"; exit 1; }
fi

# No-op when the image exists; a first build takes seconds (npm + Debian packages only).
bash apps/images/build-base.sh
