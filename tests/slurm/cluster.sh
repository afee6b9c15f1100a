#!/usr/bin/env bash
# A throw-away SLURM cluster on this one machine, for the tests: slurmctld, one slurmd per
# simulated node and a private munged, all from Debian's packages, run as root.
#
#   cluster.sh start BASE NODES CPUS_PER_NODE [TASK_PLUGIN]   then: export SLURM_CONF=BASE/slurm.conf
#   cluster.sh stop BASE
#
# TASK_PLUGIN is task/none (the default: no binding) or task/affinity, which binds every task to
# the CPUs SLURM gave it, as real clusters do. Binding needs the CPUs a node advertises to exist:
# with task/affinity, CPUS_PER_NODE must not exceed this machine's (simulated nodes then share
# them); without it, a node may advertise more, to run more ranks than the machine has cores.
#
# Everything lives under BASE (configuration, state, logs, sockets); nothing in /etc changes.
# stop kills only the processes whose PIDs start recorded, after checking their names.
set -euo pipefail

action=${1:?usage: cluster.sh start BASE NODES CPUS [TASK_PLUGIN] | stop BASE}
base=${2:?usage: cluster.sh start BASE NODES CPUS [TASK_PLUGIN] | stop BASE}

stop() {
  local pidfile pid name
  if [[ -f $base/slurm.conf ]]; then
    SLURM_CONF=$base/slurm.conf scancel --quiet --user=root 2>/dev/null || true
  fi
  for pidfile in "$base"/pids/*.pid; do
    [[ -f $pidfile ]] || continue
    pid=$(<"$pidfile")
    name=$(basename "$pidfile" .pid)   # slurmctld, slurmd-node1, munged
    if [[ -r /proc/$pid/comm && $(</proc/"$pid"/comm) == "${name%%-*}" ]]; then
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 50); do [[ -e /proc/$pid ]] || break; sleep 0.1; done
    fi
    rm -f "$pidfile"
  done
}

if [[ $action == stop ]]; then
  stop
  exit 0
fi

nodes=${3:?usage: cluster.sh start BASE NODES CPUS}
cpus=${4:?usage: cluster.sh start BASE NODES CPUS}
task_plugin=${5:-task/none}
if [[ $task_plugin == task/affinity && $cpus -gt $(nproc) ]]; then
  echo "cluster.sh: task/affinity binds to real CPUs: at most $(nproc) a node here, not $cpus" >&2
  exit 2
fi
stop # a cluster left over from an interrupted run
rm -rf "$base"
mkdir -p "$base"/{state,log,pids,munge,spool,tmp}
host=$(hostname -s)

# MUNGE: the real authentication daemon, with a key and socket of this cluster's own.
dd if=/dev/urandom of="$base/munge/munge.key" bs=1024 count=1 status=none
chmod 600 "$base/munge/munge.key"
munged --force --key-file="$base/munge/munge.key" --socket="$base/munge/socket" \
  --pid-file="$base/pids/munged.pid" --log-file="$base/log/munged.log" --seed-file="$base/munge/seed"

# Each simulated node gets its own temporary folder (Open MPI's session files) and its own
# shared-memory folder, as real nodes have: ranks of two "nodes" on one host, with one host name,
# would otherwise meet in the same /tmp/ompi.<host>.<uid> and /dev/shm files, and one node's
# clean-up would remove what the other is still opening.
cat >"$base/task_prolog.sh" <<PROLOG
#!/bin/sh
mkdir -p "$base/tmp/\$SLURMD_NODENAME/shm"
echo "export TMPDIR=$base/tmp/\$SLURMD_NODENAME"
echo "export OMPI_MCA_btl_vader_backing_directory=$base/tmp/\$SLURMD_NODENAME/shm"
PROLOG
chmod +x "$base/task_prolog.sh"

node_lines=""
for k in $(seq "$nodes"); do
  node_lines+="NodeName=node$k NodeHostname=$host NodeAddr=127.0.0.1 Port=$((17100 + k)) CPUs=$cpus RealMemory=2000 State=UNKNOWN"$'\n'
done
cat >"$base/slurm.conf" <<CONF
ClusterName=paracon
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=17099
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$base/munge/socket
SlurmUser=root
SlurmdUser=root
StateSaveLocation=$base/state
SlurmdSpoolDir=$base/spool/%n
SlurmctldPidFile=$base/pids/slurmctld.pid
SlurmdPidFile=$base/pids/slurmd-%n.pid
SlurmctldLogFile=$base/log/slurmctld.log
SlurmdLogFile=$base/log/slurmd-%n.log
TmpFS=$base/tmp/%n
TaskProlog=$base/task_prolog.sh
ProctrackType=proctrack/linuxproc
TaskPlugin=$task_plugin
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/filetxt
JobCompLoc=$base/log/jobcomp.log
SchedulerType=sched/backfill
SchedulerParameters=batch_sched_delay=0
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
MpiDefault=pmix
EnforcePartLimits=ALL
SlurmdParameters=config_overrides
ReturnToService=2
MinJobAge=600
KillWait=5
$node_lines
PartitionName=debug Nodes=ALL Default=YES MaxTime=30 State=UP
CONF
for k in $(seq "$nodes"); do mkdir -p "$base/tmp/node$k" "$base/spool/node$k"; done

export SLURM_CONF=$base/slurm.conf
slurmctld -f "$SLURM_CONF"
for k in $(seq "$nodes"); do slurmd -f "$SLURM_CONF" -N "node$k"; done

# Ready when every node is idle.
for _ in $(seq 150); do
  states=$(sinfo -h -N -o '%t' 2>/dev/null | sort -u | tr '\n' ' ')
  [[ $states == "idle " ]] && break
  sleep 0.2
done
if [[ $states != "idle " ]]; then
  echo "cluster.sh: nodes not idle after 30 s: $states" >&2
  tail -n 5 "$base"/log/*.log >&2
  exit 1
fi
echo "cluster.sh: $nodes node(s) x $cpus CPUs up, $task_plugin, SLURM_CONF=$SLURM_CONF"
