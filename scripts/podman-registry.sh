#!/usr/bin/env bash
# A real image registry on 127.0.0.1 for the docker executor's pull test: Debian's docker-registry (the
# CNCF distribution registry) serving HTTPS with a self-signed certificate that Podman trusts through
# /etc/containers/certs.d/<host:port>/ca.crt (read at every pull, so the running `podman system service`
# needs no restart, unlike an "insecure" entry in registries.conf). Safe to run again: an answering
# registry is left alone. Prints the registry's host:port on stdout.
set -euo pipefail

state=${VLMHB_REGISTRY_STATE:-/run/vlmhb-registry}

sudo_cmd=()
if [[ $(id -u) -ne 0 ]]; then sudo_cmd=(sudo); fi

need=()
command -v docker-registry >/dev/null 2>&1 || need+=(docker-registry)
command -v openssl >/dev/null 2>&1 || need+=(openssl)
command -v curl >/dev/null 2>&1 || need+=(curl)
if ((${#need[@]})); then
  echo "podman-registry: installing ${need[*]}" >&2
  for attempt in 1 2 3 4 5 6; do
    if "${sudo_cmd[@]}" apt-get update -qq &&
      DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends \
        "${need[@]}" >&2; then
      break
    fi
    ((attempt == 6)) && { echo "podman-registry: apt-get failed" >&2; exit 1; }
    sleep 10 # dpkg may be locked by another installer
  done
fi

"${sudo_cmd[@]}" mkdir -p "$state"
exec 9>"$state/setup.lock"
flock -w 300 9 || { echo "podman-registry: $state/setup.lock held for 5 minutes" >&2; exit 1; }

answering() {
  [[ -s $state/addr ]] &&
    curl -sf --max-time 2 --cacert "$state/cert.pem" "https://$(cat "$state/addr")/v2/" >/dev/null 2>&1
}

if ! answering; then
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  addr="127.0.0.1:$port"
  "${sudo_cmd[@]}" openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj /CN=127.0.0.1 \
    -addext subjectAltName=IP:127.0.0.1 -keyout "$state/key.pem" -out "$state/cert.pem" 2>/dev/null
  "${sudo_cmd[@]}" tee "$state/config.yml" >/dev/null <<CONF
version: 0.1
log: { level: warn }
storage: { filesystem: { rootdirectory: $state/data }, delete: { enabled: true } }
http: { addr: $addr, tls: { certificate: $state/cert.pem, key: $state/key.pem } }
CONF
  "${sudo_cmd[@]}" mkdir -p "/etc/containers/certs.d/$addr"
  "${sudo_cmd[@]}" cp "$state/cert.pem" "/etc/containers/certs.d/$addr/ca.crt"
  echo "podman-registry: starting docker-registry on https://$addr" >&2
  # Like the Podman service: from /, with a clean environment, not holding the lock (9>&-).
  cd /
  "${sudo_cmd[@]}" env -i PATH="$PATH" setsid nohup docker-registry serve "$state/config.yml" \
    >"$state/registry.log" 2>&1 </dev/null 9>&- &
  echo $! | "${sudo_cmd[@]}" tee "$state/registry.pid" >/dev/null
  echo "$addr" | "${sudo_cmd[@]}" tee "$state/addr" >/dev/null
  for _ in $(seq 1 50); do
    answering && break
    sleep 0.2
  done
  if ! answering; then
    echo "podman-registry: the registry did not answer on $addr; its log:" >&2
    tail -20 "$state/registry.log" >&2 || true
    exit 1
  fi
fi
cat "$state/addr"
