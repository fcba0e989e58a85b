#!/usr/bin/env bash
# `apptainer ARGS…` (or `singularity ARGS…`, called by that name) for a Debian 12 host: runs sid's apptainer inside the trixie root filesystem that
# scripts/apptainer-up.sh prepared. A plain chroot is refused by apptainer ("weak chrooted environment"), so
# this enters a private mount namespace, bind-mounts the root onto itself, binds /proc, /sys, /dev and the
# host folders the command needs at their own paths, and pivot_roots into it (../shared/notes/infra.md).
# Nothing stays mounted on the host. Point the executor at it with VLMHB_APPTAINER=<this file> or the
# executor option `apptainer_bin`.
#
# Host folders bound: the current directory, /tmp, $HOME, the cache, APPTAINER_CACHEDIR, every absolute
# path among the arguments (and the host side of each --bind/-B spec), and VLMHB_APPTAINER_HOST_BINDS
# (colon-separated). The container shares the host network, so a server on 127.0.0.1 inside is reachable.
set -euo pipefail
cache=${VLMHB_APPTAINER_CACHE:-/var/cache/vlmhb/apptainer}
root=$cache/rootfs
if [[ ! -f $root/.vlmhb-ready ]]; then
  echo "apptainer-wrapper: no Apptainer root at $root; run scripts/apptainer-up.sh first" >&2
  exit 127
fi

binds=("$PWD" /tmp "$cache")
[[ -n ${HOME:-} && -d $HOME ]] && binds+=("$HOME")
[[ -n ${APPTAINER_CACHEDIR:-} ]] && mkdir -p "$APPTAINER_CACHEDIR" && binds+=("$APPTAINER_CACHEDIR")
IFS=: read -r -a extra <<<"${VLMHB_APPTAINER_HOST_BINDS:-}"
binds+=("${extra[@]}")
prev=
for arg in "$@"; do
  specs=()
  if [[ $prev == --bind || $prev == -B ]]; then
    IFS=, read -r -a specs <<<"$arg"
  elif [[ $arg == --bind=* ]]; then
    IFS=, read -r -a specs <<<"${arg#--bind=}"
  elif [[ $arg == /* ]]; then
    specs=("$arg")
  fi
  for spec in "${specs[@]}"; do
    p=${spec%%:*}
    [[ $p == /* ]] || continue
    # A file's folder; for a path still to be written (an image being built), its nearest existing parent.
    while [[ ! -d $p && $p != / ]]; do p=$(dirname "$p"); done
    [[ $p != / ]] && binds+=("$p")
  done
  prev=$arg
done

# Called through a link named `singularity`, it runs the package's `singularity` command instead.
tool=apptainer
[[ $(basename "$0") == singularity ]] && tool=singularity

export APPTAINER_DROP_CAPS=${APPTAINER_DROP_CAPS:-CAP_SYS_RESOURCE}
exec unshare --mount --propagation private bash -euc '
  root=$1 cwd=$2 tool=$3 n=$4
  shift 4
  binds=("${@:1:$n}")
  shift "$n"
  mount --bind "$root" "$root"
  mount --bind /proc "$root/proc"
  mount --rbind /sys "$root/sys"
  mount --rbind /dev "$root/dev"
  # Deepest paths last, so a bound folder inside another bound folder stays visible.
  mapfile -t sorted < <(printf "%s\n" "${binds[@]}" | awk "NF" | sort -u)
  for b in "${sorted[@]}"; do
    [[ -d $b ]] || continue
    case $b in /proc* | /sys* | /dev*) continue ;; esac
    mkdir -p "$root$b"
    mount --bind "$b" "$root$b"
  done
  cd "$root"
  pivot_root . .oldroot
  umount -l /.oldroot
  cd "$cwd" 2>/dev/null || cd /
  export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
  exec "$tool" "$@"
' _ "$root" "$PWD" "$tool" "${#binds[@]}" "${binds[@]}" "$@"
