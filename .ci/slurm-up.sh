#!/usr/bin/env bash
# Starts a single-node Slurm cluster on this Debian machine, from Debian's own
# packages (slurm-wlm, munge), so that test/cli/slurm.test.ts can submit a real
# sharded scan through `contam slurm --submit`.
#
# Runs as root. No cgroups are needed or used (proctrack/linuxproc, task/none),
# so it works in containers and sandboxes without a cgroup hierarchy; no
# systemd is needed either (the daemons are started directly).
#
# Idempotent: a second run rewrites the same slurm.conf, finds the daemons
# alive and only waits for the node to answer. A changed configuration (other
# CPUs or memory) restarts slurmctld and slurmd by their pid files.
# Exits non-zero with one clear line when a package cannot be installed or the
# node does not come up within the wait, printing the daemons' log tails.
set -euo pipefail

WAIT_SECONDS="${SLURM_UP_WAIT:-90}"
CONF_DIR=/etc/slurm
CONF="$CONF_DIR/slurm.conf"
LOG_DIR=/var/log/slurm
CTLD_STATE=/var/spool/slurmctld
SLURMD_SPOOL=/var/spool/slurmd
CTLD_PID=/run/slurmctld.pid
SLURMD_PID=/run/slurmd.pid
MUNGE_KEY=/etc/munge/munge.key

die() {
  echo "slurm-up: error: $*" >&2
  exit 1
}

[[ "$(id -u)" == 0 ]] || die "must run as root (it installs packages and starts munged, slurmctld and slurmd)"

# --- packages ---------------------------------------------------------------
# The daemons live in /usr/sbin, which a non-login root shell may lack.
export PATH="$PATH:/usr/sbin:/sbin"
need_install=()
for cmd in sbatch sinfo squeue scontrol slurmctld slurmd; do
  command -v "$cmd" >/dev/null 2>&1 || need_install=(slurm-wlm)
done
command -v munged >/dev/null 2>&1 || need_install+=(munge)
if ((${#need_install[@]})); then
  echo "slurm-up: installing ${need_install[*]} from Debian's packages" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null 2>&1 || die "apt-get update failed; cannot install ${need_install[*]} (is Debian's package mirror reachable?)"
  if ! apt-get install -y -qq slurm-wlm munge >/tmp/slurm-up-apt.log 2>&1; then
    tail -n 20 /tmp/slurm-up-apt.log >&2
    die "apt-get install slurm-wlm munge failed (log above, full log in /tmp/slurm-up-apt.log); the Slurm test cannot run without them"
  fi
fi
for cmd in sbatch sinfo squeue scontrol slurmctld slurmd munged; do
  command -v "$cmd" >/dev/null 2>&1 || die "'$cmd' is still missing after installing slurm-wlm and munge"
done

# --- munge ------------------------------------------------------------------
install -d -o munge -g munge -m 0700 /etc/munge /var/lib/munge /var/log/munge
install -d -o munge -g munge -m 0755 /run/munge
if [[ ! -s "$MUNGE_KEY" ]]; then
  # The key only has to be shared by the daemons of this one node.
  mungekey --create --keyfile="$MUNGE_KEY" 2>/dev/null || dd if=/dev/urandom of="$MUNGE_KEY" bs=1024 count=1 status=none
fi
chown munge:munge "$MUNGE_KEY"
chmod 0400 "$MUNGE_KEY"
if ! munge -n 2>/dev/null | unmunge >/dev/null 2>&1; then
  # A stale socket or pid file from a killed munged makes a new one refuse to start.
  rm -f /run/munge/munge.socket.2 /run/munge/munge.socket.2.lock /run/munge/munged.pid
  runuser -u munge -- munged || die "munged did not start (see /var/log/munge/munged.log)"
  for _ in $(seq 1 50); do
    munge -n 2>/dev/null | unmunge >/dev/null 2>&1 && break
    sleep 0.2
  done
  munge -n 2>/dev/null | unmunge >/dev/null 2>&1 || die "munged started but credentials do not round-trip (see /var/log/munge/munged.log)"
fi

# --- slurm.conf -------------------------------------------------------------
NODE="$(hostname -s)"
# `slurmd -C` reports the hardware exactly as slurmd will detect it at
# registration; a node configured with more CPUs or memory than that would be
# drained as "Low RealMemory" / "Low CPUs".
HW="$(slurmd -C | head -n 1)"
CPUS="$(sed -n 's/.* CPUs=\([0-9]*\).*/\1/p' <<<"$HW")"
MEM="$(sed -n 's/.* RealMemory=\([0-9]*\).*/\1/p' <<<"$HW")"
[[ -n "$CPUS" ]] || CPUS="$(nproc)"
[[ -n "$MEM" ]] || MEM="$(($(awk '/^MemTotal:/ {print $2}' /proc/meminfo) / 1024))"

install -d -m 0755 "$CONF_DIR"
install -d -o slurm -g slurm -m 0755 "$LOG_DIR" "$CTLD_STATE"
install -d -m 0755 "$SLURMD_SPOOL"

new_conf="$(
  cat <<EOF
# Written by contam's .ci/slurm-up.sh: a single-node cluster for CI, no cgroups.
ClusterName=contam-ci
SlurmctldHost=${NODE}(127.0.0.1)
SlurmUser=slurm
AuthType=auth/munge
CredType=cred/munge
MpiDefault=none
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
MinJobAge=600
SlurmctldPidFile=${CTLD_PID}
SlurmdPidFile=${SLURMD_PID}
StateSaveLocation=${CTLD_STATE}
SlurmdSpoolDir=${SLURMD_SPOOL}
SlurmctldLogFile=${LOG_DIR}/slurmctld.log
SlurmdLogFile=${LOG_DIR}/slurmd.log
NodeName=${NODE} NodeAddr=127.0.0.1 CPUs=${CPUS} RealMemory=${MEM} State=UNKNOWN
PartitionName=debug Nodes=${NODE} Default=YES MaxTime=INFINITE State=UP
EOF
)"

# A pid file survives its daemon (and a machine restart), and its pid may since
# belong to another process: alive only when that pid still runs the daemon named.
alive() {
  local pidfile="$1" name="$2" pid
  [[ -s "$pidfile" ]] || return 1
  pid="$(cat "$pidfile")"
  [[ "$(cat "/proc/$pid/comm" 2>/dev/null)" == "$name" ]]
}

stop_daemon() {
  local pidfile="$1" name="$2" pid
  alive "$pidfile" "$name" || return 0
  pid="$(cat "$pidfile")"
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 50); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.2
  done
  kill -9 "$pid" 2>/dev/null || true
}

if [[ ! -f "$CONF" ]] || [[ "$(cat "$CONF")" != "$new_conf" ]]; then
  printf '%s\n' "$new_conf" >"$CONF.tmp.$$"
  mv -f "$CONF.tmp.$$" "$CONF"
  # Daemons running on an older configuration must pick the new one up.
  stop_daemon "$SLURMD_PID" slurmd
  stop_daemon "$CTLD_PID" slurmctld
fi

# --- daemons ----------------------------------------------------------------
if ! alive "$CTLD_PID" slurmctld; then
  rm -f "$CTLD_PID"
  slurmctld || die "slurmctld did not start (see $LOG_DIR/slurmctld.log)"
fi
if ! alive "$SLURMD_PID" slurmd; then
  rm -f "$SLURMD_PID"
  slurmd || die "slurmd did not start (see $LOG_DIR/slurmd.log)"
fi

# --- wait for the node ------------------------------------------------------
state=""
resumed=0
deadline=$((SECONDS + WAIT_SECONDS))
while ((SECONDS < deadline)); do
  state="$(sinfo -h -N -n "$NODE" -o '%T' 2>/dev/null | head -n 1 || true)"
  case "$state" in
    idle | mixed | allocated | completing) break ;;
    down* | drain* | drained*)
      # A node left down by an earlier run (e.g. the machine was restarted) comes back by hand.
      if ((!resumed)); then
        scontrol update NodeName="$NODE" State=RESUME >/dev/null 2>&1 || true
        resumed=1
      fi
      ;;
  esac
  sleep 1
done

case "$state" in
  idle | mixed | allocated | completing)
    echo "slurm-up: node $NODE is $state (partition debug, $CPUS CPUs, $MEM MB)" >&2
    ;;
  *)
    echo "--- sinfo" >&2
    sinfo -N -l 2>&1 | tail -n 5 >&2 || true
    echo "--- $LOG_DIR/slurmctld.log" >&2
    tail -n 20 "$LOG_DIR/slurmctld.log" >&2 2>/dev/null || true
    echo "--- $LOG_DIR/slurmd.log" >&2
    tail -n 20 "$LOG_DIR/slurmd.log" >&2 2>/dev/null || true
    die "node $NODE is not idle after ${WAIT_SECONDS}s (state: '${state:-no answer from slurmctld}'); logs above"
    ;;
esac
