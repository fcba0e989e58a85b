#!/usr/bin/env bash
# Makes a real Apptainer usable on this Debian 12 machine and builds the tool's own SIF image, for the
# Apptainer executor's tests and local trials. Idempotent and cached: a second run takes seconds.
#
# Bookworm packages no Apptainer, and sid's apptainer needs glibc 2.38, so (../shared/notes/infra.md):
#   1. sid's apptainer .deb is downloaded with a private apt config (the host's sources stay untouched);
#   2. a trixie root filesystem is made with debootstrap and the .deb installed inside it;
#   3. scripts/apptainer-wrapper.sh runs `apptainer ARGS…` inside that root (unshare + pivot_root).
# The image: a bookworm minbase with Tesseract (rus, eng) — the host's Tesseract version, so answers equal
# the local executor's — plus this machine's node binary and the tool under /opt/vlmhb (`vlmhb` on PATH).
# Its name carries a hash of the tool's sources, so an edit builds a new image and nothing stale is used.
#
# Prints the SIF's path on stdout. Environment: VLMHB_APPTAINER_CACHE (default /var/cache/vlmhb/apptainer),
# VLMHB_DEBIAN_MIRROR (default: the host's first Debian mirror, else http://deb.debian.org/debian).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cache=${VLMHB_APPTAINER_CACHE:-/var/cache/vlmhb/apptainer}
log() { echo "apptainer-up: $*" >&2; }

if [[ $(id -u) -ne 0 ]]; then
  log "needs root (debootstrap, mount namespaces)"
  exit 2
fi

mirror=${VLMHB_DEBIAN_MIRROR:-}
if [[ -z $mirror ]]; then
  mirror=$(grep -hoE '^(URIs:|deb) *(\[[^]]*\] *)?https?://[^ ]+/debian/?( |$)' \
    /etc/apt/sources.list /etc/apt/sources.list.d/*.sources /etc/apt/sources.list.d/*.list 2>/dev/null |
    grep -oE 'https?://[^ ]+' | head -1 || true)
  mirror=${mirror:-http://deb.debian.org/debian}
fi
keyring=/usr/share/keyrings/debian-archive-keyring.gpg

if ! command -v debootstrap >/dev/null 2>&1; then
  log "installing debootstrap"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    debootstrap debian-archive-keyring squashfs-tools >&2
fi
mkdir -p "$cache"
exec 9>"$cache/.lock"
# one builder at a time (parallel test files call this script)
flock -w 1200 9 || { echo "apptainer-up: $cache/.lock held for 20 minutes" >&2; exit 1; }

# 1. sid's apptainer .deb, fetched with a private apt configuration.
deb=$cache/apptainer.deb
if [[ ! -s $deb ]]; then
  log "downloading sid's apptainer .deb from $mirror"
  apt_dir=$cache/apt
  rm -rf "$apt_dir"
  mkdir -p "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial" "$apt_dir/dl"
  echo "deb [signed-by=$keyring] $mirror sid main" >"$apt_dir/sources.list"
  apt_opts=(-o "Dir::Etc::SourceList=$apt_dir/sources.list" -o Dir::Etc::SourceParts=/dev/null
    -o "Dir::State::Lists=$apt_dir/lists" -o "Dir::Cache=$apt_dir/cache" -o Debug::NoLocking=1)
  apt-get "${apt_opts[@]}" update -qq >&2
  (cd "$apt_dir/dl" && apt-get "${apt_opts[@]}" download apptainer >&2)
  mv "$apt_dir"/dl/apptainer_*.deb "$deb"
  rm -rf "$apt_dir"
fi

# 2. The trixie root filesystem apptainer runs in.
root=$cache/rootfs
if [[ ! -f $root/.vlmhb-ready ]]; then
  log "debootstrap trixie (about a minute or two)"
  rm -rf "$root.tmp"
  debootstrap --variant=minbase trixie "$root.tmp" "$mirror" >"$cache/debootstrap-trixie.log" 2>&1 ||
    { tail -20 "$cache/debootstrap-trixie.log" >&2; exit 1; }
  cp "$deb" "$root.tmp/root/apptainer.deb"
  log "installing apptainer inside the trixie root"
  unshare --mount --propagation private bash -euc '
    r=$1
    mount -t proc proc "$r/proc"
    DEBIAN_FRONTEND=noninteractive chroot "$r" apt-get install -y -qq --no-install-recommends \
      /root/apptainer.deb >&2
  ' _ "$root.tmp"
  rm -f "$root.tmp/root/apptainer.deb"
  # `apptainer build --fakeroot` (a %post section) needs subordinate ids for root.
  echo 'root:100000:65536' >"$root.tmp/etc/subuid"
  echo 'root:100000:65536' >"$root.tmp/etc/subgid"
  mkdir -p "$root.tmp/.oldroot"
  touch "$root.tmp/.vlmhb-ready"
  rm -rf "$root"
  mv "$root.tmp" "$root"
fi

# 3. The image's base: bookworm minbase + Tesseract + node.
base=$cache/base-bookworm
if [[ ! -f $base/.vlmhb-ready ]]; then
  log "debootstrap bookworm with tesseract (a few minutes)"
  rm -rf "$base.tmp"
  debootstrap --variant=minbase --include=tesseract-ocr,tesseract-ocr-rus,tesseract-ocr-eng,ca-certificates \
    bookworm "$base.tmp" "$mirror" >"$cache/debootstrap-bookworm.log" 2>&1 ||
    { tail -20 "$cache/debootstrap-bookworm.log" >&2; exit 1; }
  rm -rf "$base.tmp/var/cache/apt/archives/"*.deb "$base.tmp/var/lib/apt/lists/"*
  touch "$base.tmp/.vlmhb-ready"
  rm -rf "$base"
  mv "$base.tmp" "$base"
fi

# 4. The tool's image, named by a hash of node, this script, the sources and the installed packages.
node_bin=$(command -v node)
tool_files() {
  cd "$repo"
  printf '%s\n' bin/vlmhb.js package.json tsconfig.json
  find src schema -type f 2>/dev/null | sort
}
hash=$(
  {
    sha256sum "$node_bin"
    sha256sum <"$repo/scripts/apptainer-up.sh" # how the image is built
    (cd "$repo" && tool_files | xargs sha256sum)
    cat "$repo/node_modules/.package-lock.json" 2>/dev/null || true
  } | sha256sum | cut -c1-16
)
sif=$cache/images/vlmhb-$hash.sif
if [[ ! -s $sif ]]; then
  log "building $sif"
  mkdir -p "$cache/images"
  build=$cache/build-$hash
  rm -rf "$build"
  cp -al "$base" "$build" # hard links: fast, and the base is only read
  rm -f "$build/.vlmhb-ready"
  install -m 0755 "$node_bin" "$build/usr/local/bin/node"
  mkdir -p "$build/opt/vlmhb"
  (cd "$repo" && tool_files | tar -cf - -T -) | tar -xf - -C "$build/opt/vlmhb"
  # Runtime packages only: the linters, type checker and test runner stay outside. node_modules may be a
  # link to another checkout's (a git worktree): its contents are copied, not the link.
  modules=$(readlink -f "$repo/node_modules")
  mkdir -p "$build/opt/vlmhb/node_modules"
  tar -C "$modules" -cf - --exclude=./@biomejs --exclude=./typescript \
    --exclude=./@types --exclude=./vitest --exclude=./@vitest \
    --exclude=./vite --exclude=./rollup --exclude=./@rollup \
    --exclude=./autocannon --exclude=./.cache . |
    tar -xf - -C "$build/opt/vlmhb/node_modules"
  printf '#!/bin/sh\nexec /usr/local/bin/node /opt/vlmhb/bin/vlmhb.js "$@"\n' >"$build/usr/local/bin/vlmhb"
  chmod 0755 "$build/usr/local/bin/vlmhb"
  bash "$repo/scripts/apptainer-wrapper.sh" build --force --mksquashfs-args "-comp gzip -Xcompression-level 1" "$sif.tmp" "$build" >"$cache/build.log" 2>&1 ||
    { tail -20 "$cache/build.log" >&2; rm -f "$sif.tmp"; exit 1; }
  mv "$sif.tmp" "$sif"
  rm -rf "$build"
  # Older images of this checkout are dead weight.
  find "$cache/images" -name 'vlmhb-*.sif' ! -name "vlmhb-$hash.sif" -mmin +60 -delete 2>/dev/null || true
fi
ln -sfn "$sif" "$cache/vlmhb.sif"
echo "$sif"
