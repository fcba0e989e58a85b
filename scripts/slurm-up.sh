#!/usr/bin/env bash
# Starts a real single-node Slurm cluster on this machine (Debian packages slurmctld, slurmd, slurm-client,
# munge), for the Slurm executor's tests and for trying `vlmhb run --executor slurm` locally. Idempotent:
# installs only what is missing, rewrites slurm.conf only when it changed, restarts only daemons that are
# down or whose config changed, and returns as soon as `sinfo` shows the node idle. Needs root (the daemons
# and /etc/slurm). Prints one line on stdout: the node name.
#
# The node has no GPU, so slurm.conf declares no GRES: a job asking `--gres=gpu:1` would stay pending
# forever. The executor's GPU request is therefore a config value (`slurm: {gres: ...}` or `gpus:`), absent
# in the tests' configs.
set -euo pipefail

conf_dir=/etc/slurm
conf=$conf_dir/slurm.conf
state_dir=/var/lib/slurm/slurmctld
spool_dir=/var/spool/slurmd
log_dir=/var/log/slurm
node=$(hostname -s)

log() { echo "slurm-up: $*" >&2; }

if [[ $(id -u) -ne 0 ]]; then
  log "needs root (it starts munged, slurmctld and slurmd)"
  exit 2
fi

# Test files run in parallel and each calls this script: one at a time.
mkdir -p /run/lock
exec 9>/run/lock/vlmhb-slurm-up.lock
flock -w 600 9 || { log "another slurm-up.sh held /run/lock/vlmhb-slurm-up.lock for 10 minutes"; exit 1; }

need=()
command -v slurmctld >/dev/null 2>&1 || need+=(slurmctld)
command -v slurmd >/dev/null 2>&1 || need+=(slurmd)
command -v sbatch >/dev/null 2>&1 || need+=(slurm-client)
command -v munged >/dev/null 2>&1 || need+=(munge)
if ((${#need[@]})); then
  log "installing ${need[*]}"
  for attempt in 1 2 3 4 5 6; do
    if apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      "${need[@]}" >&2; then
      break
    fi
    ((attempt == 6)) && exit 1
    log "apt busy (attempt $attempt), retrying"
    sleep 10
  done
fi

# munge: a key readable only by munge, and munged running as munge.
if [[ ! -s /etc/munge/munge.key ]]; then
  log "creating the munge key"
  dd if=/dev/urandom of=/etc/munge/munge.key bs=1 count=128 status=none
fi
chown munge:munge /etc/munge/munge.key
chmod 0400 /etc/munge/munge.key
mkdir -p /run/munge /var/log/munge /var/lib/munge
chown munge:munge /run/munge /var/log/munge /var/lib/munge
if ! munge -n </dev/null 2>/dev/null | unmunge >/dev/null 2>&1; then
  log "starting munged"
  rm -f /run/munge/munge.socket.2.lock
  # 9>&-: a daemon that inherits the lock's descriptor holds the lock for its whole life, and the next
  # caller of this script waits forever.
  runuser -u munge -- /usr/sbin/munged --force 9>&-
  for _ in $(seq 50); do
    munge -n </dev/null 2>/dev/null | unmunge >/dev/null 2>&1 && break
    sleep 0.1
  done
fi

cpus=$(nproc)
# Leave some memory to the machine itself; Slurm refuses a node that reports less than RealMemory.
mem_mb=$(($(awk '/MemTotal/ {print int($2 / 1024)}' /proc/meminfo) * 9 / 10))

mkdir -p "$conf_dir" "$state_dir" "$spool_dir" "$log_dir"
wanted=$(
  cat <<EOF
# Written by VLMHyperBench scripts/slurm-up.sh: a single-node cluster for tests and local trials.
ClusterName=vlmhb
SlurmctldHost=$node
AuthType=auth/munge
CredType=cred/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SlurmUser=root
SlurmdUser=root
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerType=sched/backfill
StateSaveLocation=$state_dir
SlurmdSpoolDir=$spool_dir
SlurmctldPidFile=/run/slurmctld.pid
SlurmdPidFile=/run/slurmd.pid
SlurmctldLogFile=$log_dir/slurmctld.log
SlurmdLogFile=$log_dir/slurmd.log
# 1, not 2: a node set DOWN on purpose (test/slurm/disruptions.test.ts) stays down until resumed; with 2 it
# returned to service the moment slurmd next answered, tens of milliseconds later.
ReturnToService=1
# No slurmdbd here: finished jobs are read from the controller (squeue/scontrol), kept for an hour.
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/filetxt
JobCompLoc=$log_dir/jobcomp.log
MinJobAge=3600
JobRequeue=1
# Quick scheduling for short test jobs.
SchedulerParameters=sched_interval=2
MessageTimeout=20
# Preemption, for the PREEMPTED test: a job in partition urgent cancels jobs of partition preemptible that
# hold what it needs. No GraceTime: with one, Slurm ended the job as PREEMPTED or as TIMEOUT (the grace is a
# new time limit), whichever came first. Jobs in the default partition main are never
# preempted.
PreemptType=preempt/partition_prio
PreemptMode=CANCEL
NodeName=$node CPUs=$cpus RealMemory=$mem_mb State=UNKNOWN
PartitionName=main Nodes=$node Default=YES MaxTime=INFINITE State=UP OverSubscribe=NO PriorityTier=1 PreemptMode=OFF
PartitionName=preemptible Nodes=$node MaxTime=INFINITE State=UP OverSubscribe=NO PriorityTier=1 PreemptMode=CANCEL
PartitionName=urgent Nodes=$node MaxTime=INFINITE State=UP OverSubscribe=NO PriorityTier=2
EOF
)
changed=0
if [[ ! -f $conf ]] || [[ $(cat "$conf") != "$wanted" ]]; then
  log "writing $conf"
  printf '%s\n' "$wanted" >"$conf"
  changed=1
fi

running() { [[ -f $1 ]] && kill -0 "$(cat "$1")" 2>/dev/null; }

if ((changed)); then
  for pidfile in /run/slurmd.pid /run/slurmctld.pid; do
    if running "$pidfile"; then
      pid=$(cat "$pidfile")
      kill "$pid"
      for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    fi
  done
fi
if ! running /run/slurmctld.pid; then
  log "starting slurmctld"
  # -i: ignore state from an earlier config that no longer matches (a fresh machine has none).
  /usr/sbin/slurmctld -i 9>&-
fi
if ! running /run/slurmd.pid; then
  log "starting slurmd"
  /usr/sbin/slurmd 9>&-
fi

for _ in $(seq 120); do
  state=$(sinfo -h -n "$node" -o '%t' 2>/dev/null | head -1 || true)
  case $state in
  idle | mix | alloc)
    echo "$node"
    exit 0
    ;;
  down* | drain* | drng*)
    # A node a test took down on purpose (test/slurm/disruptions.test.ts) is that test's to bring back.
    if [[ $(sinfo -h -n "$node" -o '%E' 2>/dev/null | head -1) != vlmhb-test* ]]; then
      scontrol update NodeName="$node" State=RESUME >/dev/null 2>&1 || true
    fi
    ;;
  esac
  sleep 0.5
done
log "node $node did not become idle (state: ${state:-none}); see $log_dir/slurmctld.log and $log_dir/slurmd.log"
exit 1
