#!/usr/bin/env bash
# Starts Podman's Docker-compatible API on a unix socket for the docker executor's tests (and for users
# without Docker). Safe to run again: installs podman + runc only when missing, rewrites its own
# containers.conf, and leaves an already-answering service alone. Prints the socket's DOCKER_HOST on stdout.
#
# This machine's kernel needs runc (crun: "cgroups in hybrid mode not supported"), the cgroupfs manager
# (no systemd) and no default ulimits (setrlimit is not permitted): see ../shared/notes/infra.md.
set -euo pipefail

sock=${VLMHB_PODMAN_SOCKET:-/run/vlmhb-podman.sock}
state=${VLMHB_PODMAN_STATE:-/run/vlmhb-podman}
conf="$state/containers.conf"

sudo_cmd=()
if [[ $(id -u) -ne 0 ]]; then sudo_cmd=(sudo); fi

need=()
command -v podman >/dev/null 2>&1 || need+=(podman)
command -v curl >/dev/null 2>&1 || need+=(curl)
command -v runc >/dev/null 2>&1 || [[ -x /usr/sbin/runc ]] || need+=(runc)
if ((${#need[@]})); then
  echo "podman-service: installing ${need[*]}" >&2
  for attempt in 1 2 3 4 5 6; do
    if "${sudo_cmd[@]}" apt-get update -qq &&
      DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends \
        "${need[@]}" >&2; then
      break
    fi
    ((attempt == 6)) && { echo "podman-service: apt-get failed" >&2; exit 1; }
    sleep 10 # dpkg may be locked by another installer
  done
fi

"${sudo_cmd[@]}" mkdir -p "$state"
exec 9>"$state/setup.lock"
# parallel test files: one starts the service, the others find it answering
flock -w 600 9 || { echo "podman-service: $state/setup.lock held for 10 minutes" >&2; exit 1; }
runc_path=$(command -v runc || echo /usr/sbin/runc)
"${sudo_cmd[@]}" tee "$conf" >/dev/null <<CONF
[containers]
default_ulimits = []

[engine]
cgroup_manager = "cgroupfs"
events_logger = "file"
runtime = "runc"

[engine.runtimes]
runc = ["$runc_path"]
CONF

ping() { curl -sf --max-time 2 --unix-socket "$sock" http://d/_ping >/dev/null 2>&1; }

# How the service is started; a service answering on the socket but started differently (by an older
# version of this script, whose service inherited a caller's TMPDIR) is stopped and started again.
# Containers outlive the service (conmon holds them), so a restart stops no server.
# The service carries it in its own environment, so what is checked is the running process, not a file.
signature="2:$runc_path:$conf"
started_with() { "${sudo_cmd[@]}" cat "/proc/$1/environ" 2>/dev/null | tr '\0' '\n' | grep -qxF "VLMHB_PODMAN_SERVICE=$signature"; }
old_pid=$(cat "$state/service.pid" 2>/dev/null || true)
if ping && ! { [[ -n $old_pid ]] && started_with "$old_pid"; }; then
  if [[ -n $old_pid ]] && kill -0 "$old_pid" 2>/dev/null &&
    tr '\0' ' ' <"/proc/$old_pid/cmdline" | grep -q "system service"; then
    echo "podman-service: restarting the service (started by an older set-up, pid $old_pid)" >&2
    "${sudo_cmd[@]}" kill "$old_pid"
    for _ in $(seq 1 50); do
      kill -0 "$old_pid" 2>/dev/null || break
      sleep 0.2
    done
  fi
fi

if ! ping; then
  "${sudo_cmd[@]}" rm -f "$sock"
  echo "podman-service: starting podman system service on unix://$sock" >&2
  # setsid + nohup: the service must outlive this script (and the test process that ran it). 9>&-: it must
  # not inherit the lock's descriptor, or it holds the lock for its whole life and the next caller hangs.
  # From /: conmon inherits the service's working folder and fails every container start ("Failed to get
  # working directory") once a caller's folder (a test's scratch folder, a CI checkout) is removed.
  # A clean environment: the service lives on after its caller, so nothing of the caller's may leak into
  # it — a test run's TMPDIR (a scratch folder removed when the run ends) failed every later image pull
  # with "creating a temporary directory: stat /tmp/vlmhb-tests-…: no such file or directory".
  cd /
  "${sudo_cmd[@]}" env -i PATH="$PATH" HOME="${HOME:-/root}" TMPDIR=/var/tmp CONTAINERS_CONF="$conf" \
    VLMHB_PODMAN_SERVICE="$signature" setsid nohup podman --runtime "$runc_path" \
    system service --time=0 "unix://$sock" >"$state/service.log" 2>&1 </dev/null 9>&- &
  echo $! >"$state/service.pid"
  for _ in $(seq 1 100); do
    ping && break
    sleep 0.2
  done
  if ! ping; then
    echo "podman-service: the service did not answer /_ping on $sock; its log:" >&2
    tail -20 "$state/service.log" >&2 || true
    exit 1
  fi
fi
echo "unix://$sock"
