#!/usr/bin/env bash
# Builds a local stand-in for the distroless Node 24 base without any image registry:
# a minimal Debian rootfs (mmdebstrap, extract-only, no shell) plus the Node 24 binary that the
# npm package `node@24` ships, loaded with `docker import`. Node sits at /nodejs/bin/node as in
# distroless, so the app Dockerfiles work unchanged on either base (pass it as BASE_IMAGE).
#
# Usage: apps/images/build-base.sh [tag]      (default meshproof/base-node24:local)
# Env:   FORCE=1 rebuilds even if the tag exists; NODE_SPEC overrides node@24;
#        EXTRA_PACKAGES="git" adds Debian packages (and their dependencies) to the rootfs;
#        MERGED_USR=1 lays it out like Debian 12's own images (/lib, /bin -> /usr/...).
set -euo pipefail

tag="${1:-${BASE_IMAGE_TAG:-meshproof/base-node24:local}}"
node_spec="${NODE_SPEC:-node@24}"
root=$(cd "$(dirname "$0")/../.." && pwd)
cache="$root/.cache/base-image"

log() { printf 'build-base: %s\n' "$*" >&2; }

if [ -z "${FORCE:-}" ] && docker image inspect "$tag" >/dev/null 2>&1; then
  exit 0 # cached: CI time matters more than a fresh rootfs
fi
command -v mmdebstrap >/dev/null || { log "mmdebstrap is missing (apt-get install mmdebstrap)"; exit 1; }
command -v npm >/dev/null || { log "npm is missing"; exit 1; }

# Same suite and mirrors as the host's apt, so no mirror address lives in this repo.
suite=$(. /etc/os-release && echo "$VERSION_CODENAME")
sources=()
for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do
  [ -s "$f" ] && sources+=("$f")
done
[ "${#sources[@]}" -gt 0 ] || { log "no apt sources found on this host"; exit 1; }

mkdir -p "$cache"
work=$(mktemp -d "$cache/build.XXXXXX")
trap 'rm -rf "$work"' EXIT

log "installing $node_spec from the npm registry"
npm install --prefix "$work/node" --no-save --no-audit --no-fund --loglevel=error "$node_spec" >/dev/null
node_bin="$work/node/node_modules/node/bin/node"
[ -x "$node_bin" ] || { log "npm package $node_spec did not ship bin/node"; exit 1; }

log "building a $suite rootfs with mmdebstrap"
# extract variant: unpack only these packages and their dependencies, run no maintainer scripts,
# so the image ends up without a shell or package manager, like distroless.
include="libc6,libgcc-s1,libstdc++6,base-files,netbase"
for pkg in ${EXTRA_PACKAGES:-}; do include="$include,$pkg"; done
mmdebstrap --quiet --variant=extract --include="$include" \
  "$suite" "$work/rootfs" "${sources[@]}"

rootfs="$work/rootfs"
if [ -n "${MERGED_USR:-}" ]; then # what Debian's usrmerge does, without running anything in the rootfs
  for d in bin sbin lib lib32 lib64 libx32; do
    [ -d "$rootfs/$d" ] && [ ! -L "$rootfs/$d" ] || continue
    mkdir -p "$rootfs/usr/$d" && cp -a "$rootfs/$d/." "$rootfs/usr/$d/" && rm -rf "${rootfs:?}/$d" && ln -s "usr/$d" "$rootfs/$d"
  done
fi
install -D -m 0755 "$(readlink -f "$node_bin")" "$rootfs/nodejs/bin/node"
# Same users as distroless: root and nonroot (65532); /tmp must exist for a read-only root FS + tmpfs.
printf 'root:x:0:0:root:/root:/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n' >"$rootfs/etc/passwd"
printf 'root:x:0:\nnobody:x:65534:\nnonroot:x:65532:\n' >"$rootfs/etc/group"
install -d -m 0700 -o 65532 -g 65532 "$rootfs/home/nonroot"
install -d -m 1777 "$rootfs/tmp"
rm -rf "$rootfs/var/cache/apt" "$rootfs/var/lib/apt/lists" "$rootfs/usr/share/doc" "$rootfs/usr/share/man"

version=$("$node_bin" --version)
log "importing $tag (node $version)"
tar -C "$rootfs" --numeric-owner -c . | docker import \
  --change 'ENTRYPOINT ["/nodejs/bin/node"]' \
  --change 'USER 65532:65532' \
  --change 'WORKDIR /home/nonroot' \
  --change 'ENV PATH=/nodejs/bin:/usr/local/bin:/usr/bin:/bin' \
  --change "LABEL org.meshproof.node-version=$version" \
  - "$tag" >/dev/null
log "built $tag"
