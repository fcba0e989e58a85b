#!/usr/bin/env bash
# Builds the tool's own container image, localhost/vlmhb:<version>: Debian bookworm (minbase) with Tesseract
# (rus, eng), this machine's node binary and the compiled tool with its production dependencies, serving
# `vlmhb serve`. Needs no image registry: the root filesystem comes from debootstrap (Debian's mirror) and is
# imported into Podman. Safe to run again: the root filesystem tarball is cached, and an image whose inputs
# (sources, lockfile, node) are unchanged is kept, so a second run takes seconds. Prints the image name.
#
#   VLMHB_CACHE_DIR  cache folder (default /var/cache/vlmhb)
#   VLMHB_MIRROR     Debian mirror (default: the host's, else http://deb.debian.org/debian)
#   CONTAINERS_CONF  as for podman (default: the one scripts/podman-service.sh writes, when present)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

cache=${VLMHB_CACHE_DIR:-/var/cache/vlmhb}
version=$(node -p 'require("./package.json").version')
image="localhost/vlmhb:$version"
base_image="localhost/vlmhb-base:bookworm"
packages="tesseract-ocr,tesseract-ocr-rus,tesseract-ocr-eng"
if [[ -z ${CONTAINERS_CONF:-} && -f /run/vlmhb-podman/containers.conf ]]; then
  export CONTAINERS_CONF=/run/vlmhb-podman/containers.conf
fi
mirror=${VLMHB_MIRROR:-$(grep -hoE '^URIs: *http[^ ]*/debian$' /etc/apt/sources.list.d/*.sources 2>/dev/null | head -1 | sed 's/^URIs: *//')}
mirror=${mirror:-http://deb.debian.org/debian}

sudo_cmd=()
if [[ $(id -u) -ne 0 ]]; then sudo_cmd=(sudo); fi
command -v debootstrap >/dev/null 2>&1 || {
  echo "build-image: installing debootstrap" >&2
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends debootstrap >&2
}
"${sudo_cmd[@]}" mkdir -p "$cache"
# Test files run in parallel and may all ask for the image: one build at a time, the others then find it.
exec 9>"$cache/build.lock"
flock -w 1200 9 || { echo "build-image: $cache/build.lock held for 20 minutes" >&2; exit 1; }

# What the app layer is made of; the image is rebuilt only when this changes.
inputs_hash=$( {
  git ls-files -s src bin package.json package-lock.json tsconfig.json tsconfig.build.json 2>/dev/null || true
  git diff HEAD -- src bin package.json package-lock.json 2>/dev/null || true
  git ls-files -o --exclude-standard -z src bin 2>/dev/null | xargs -0r sha256sum
  node --version
  echo "$packages"
} | sha256sum | cut -c1-16)

current=$(podman image inspect --format '{{index .Labels "vlmhb.inputs"}}' "$image" 2>/dev/null || true)
if [[ $current == "$inputs_hash" ]]; then
  echo "build-image: $image is up to date" >&2
  echo "$image"
  exit 0
fi

# 1. Base: bookworm minbase + Tesseract, cached as a tarball and as an image.
base_tar="$cache/rootfs-bookworm-$(echo "$packages" | sha256sum | cut -c1-12).tar.gz"
if ! podman image exists "$base_image" ||
  [[ $(podman image inspect --format '{{index .Labels "vlmhb.rootfs"}}' "$base_image" 2>/dev/null) != "$(basename "$base_tar")" ]]; then
  if [[ ! -s $base_tar ]]; then
    rootfs=$(mktemp -d "$cache/rootfs.XXXXXX")
    trap '"${sudo_cmd[@]}" rm -rf "$rootfs"' EXIT
    echo "build-image: debootstrap bookworm (minbase + $packages) from $mirror" >&2
    "${sudo_cmd[@]}" debootstrap --variant=minbase --include="$packages" bookworm "$rootfs" "$mirror" >&2
    # Lean: no package caches, docs or man pages in the image.
    "${sudo_cmd[@]}" rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/* \
      "$rootfs"/usr/share/doc/* "$rootfs"/usr/share/man/* "$rootfs"/usr/share/info/*
    "${sudo_cmd[@]}" tar -C "$rootfs" --numeric-owner -czf "$base_tar.tmp" .
    "${sudo_cmd[@]}" mv "$base_tar.tmp" "$base_tar"
    "${sudo_cmd[@]}" rm -rf "$rootfs"
    trap - EXIT
  fi
  echo "build-image: importing $base_tar as $base_image" >&2
  podman import --change "LABEL vlmhb.rootfs=$(basename "$base_tar")" "$base_tar" "$base_image" >/dev/null
fi

# 2. App layer: node, the compiled tool and its production dependencies (no devDependencies).
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/app"
npx tsc -p tsconfig.build.json --outDir "$stage/app/dist"
cp -a package.json package-lock.json bin "$stage/app/"
cp -a node_modules "$stage/app/node_modules"
(cd "$stage/app" && npm prune --omit=dev --offline --no-audit --no-fund >/dev/null 2>&1) ||
  echo "build-image: npm prune failed; keeping all node_modules" >&2
rm -rf "$stage/app/node_modules/.cache"
cp "$(command -v node)" "$stage/node"
cat >"$stage/Containerfile" <<CONTAINERFILE
FROM $base_image
COPY node /usr/local/bin/node
COPY app /opt/vlmhb
RUN ["/usr/local/bin/node", "-e", "require('fs').symlinkSync('/opt/vlmhb/bin/vlmhb.js', '/usr/local/bin/vlmhb')"]
ENV OMP_THREAD_LIMIT=1 NODE_ENV=production
LABEL vlmhb.inputs=$inputs_hash org.opencontainers.image.title=vlmhb org.opencontainers.image.version=$version
WORKDIR /opt/vlmhb
CMD ["vlmhb", "serve", "--framework", "tesseract", "--host", "0.0.0.0", "--port", "8765"]
CONTAINERFILE
echo "build-image: building $image" >&2
podman build --runtime "$(command -v runc || echo /usr/sbin/runc)" --network none -q -t "$image" "$stage" >/dev/null
# The image this one replaced is left untagged (500 MB each rebuild): removed unless a container still uses it.
podman image prune -f --filter label=org.opencontainers.image.title=vlmhb >/dev/null 2>&1 || true
echo "$image"
