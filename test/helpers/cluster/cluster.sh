#!/bin/bash
# A single-node corosync 3 + Pacemaker 2.1 cluster started by hand (no systemd), for the
# tests and the demo. Idempotent: `start` first clears whatever an earlier run left behind.
#   cluster.sh install | start | stop | status
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
STATE=${IHA_CLUSTER_STATE:-/tmp/ihaa-cluster}
NODE=$(uname -n)
CONF=/etc/corosync/corosync.conf
ORIG=/etc/corosync/corosync.conf.ihaa-orig
export PCMK_logfile=$STATE/pacemaker.log PCMK_logfacility=none

log() { echo "[cluster $(date +%T)] $*" >&2; }

install_packages() {
    local pkgs=(pacemaker pacemaker-cli-utils corosync crmsh resource-agents fence-agents openipmi
                ipmitool libxml2-utils iproute2 util-linux procps man-db groff-base)
    local missing=()
    for p in "${pkgs[@]}"; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p"); done
    [ ${#missing[@]} -eq 0 ] && return 0
    log "installing ${missing[*]}"
    # No service may start during the install (there is no init system to own it).
    local rc=/usr/sbin/policy-rc.d added=0
    if [ ! -e $rc ]; then printf '#!/bin/sh\nexit 101\n' > $rc; chmod +x $rc; added=1; fi
    apt-get -o DPkg::Lock::Timeout=900 update -q >/dev/null || true
    DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=900 install -y -q --no-install-recommends "${missing[@]}" >/dev/null
    [ $added = 1 ] && rm -f $rc
    return 0
}

alive() { [ -n "${1:-}" ] && [ -r "/proc/$1/stat" ] && [ "$(awk '{print $3}' "/proc/$1/stat")" != Z ]; }

wait_for() {  # wait_for SECONDS CMD...
    local end=$((SECONDS + $1)); shift
    until "$@" >/dev/null 2>&1; do [ $SECONDS -ge $end ] && return 1; sleep 0.25; done
}

stop_cluster() {
    # pacemakerd stops its children in order; anything left (an earlier run killed -9) goes too.
    pkill -TERM -x pacemakerd 2>/dev/null || true
    wait_for 60 sh -c '! pgrep -x pacemakerd' || pkill -KILL -x pacemakerd || true
    pkill -KILL -f '^/usr/lib/pacemaker/pacemaker-' 2>/dev/null || true
    pkill -TERM -x corosync 2>/dev/null || true
    wait_for 20 sh -c '! pgrep -x corosync' || pkill -KILL -x corosync || true
    if [ -f $ORIG ]; then mv -f $ORIG $CONF; fi
    rm -f /var/lib/pacemaker/cib/cib* /var/lib/pacemaker/pengine/* 2>/dev/null || true
}

# Daemons must not inherit the caller's descriptors: a flock(1) lock held by the caller would
# otherwise live as long as the cluster. Call it as `daemon CMD … &`: it runs in the background
# job's own process and becomes CMD (a subshell in it would stay behind as CMD's parent, fds open).
daemon() {
    for fd in $(ls "/proc/$BASHPID/fd"); do [ "$fd" -gt 2 ] && eval "exec $fd>&-" 2>/dev/null; done
    exec setsid "$@"
}

online() { crm_mon -1 2>/dev/null | grep -qE "Online: \[ (.* )?$NODE( .*)? \]"; }

start_cluster() {
    stop_cluster
    mkdir -p "$STATE" /var/log/pacemaker
    chown hacluster:haclient "$STATE" /var/log/pacemaker
    # The log of many runs is moved aside rather than grown without end (the tests' readers follow
    # one such move: cluster-log.ts).
    if [ "$(stat -c %s "$PCMK_logfile" 2>/dev/null || echo 0)" -gt $((64 << 20)) ]; then mv -f "$PCMK_logfile" "$PCMK_logfile.1"; fi
    [ -f $ORIG ] || cp -p $CONF $ORIG
    sed -e "s/@CLUSTER@/ihaa/" -e "s/@NODE@/$NODE/" -e "s#@STATE@#$STATE#" "$HERE/conf/corosync.conf.in" > $CONF
    corosync -t >/dev/null
    # A seeded CIB with a short dc-deadtime: the node is DC in ~4 s instead of 20 s.
    cibadmin --empty > /var/lib/pacemaker/cib/cib.xml
    CIB_file=/var/lib/pacemaker/cib/cib.xml crm_attribute --type crm_config --name dc-deadtime --update 2s
    CIB_file=/var/lib/pacemaker/cib/cib.xml crm_attribute --type crm_config --name stonith-enabled --update false
    chown -R hacluster:haclient /var/lib/pacemaker/cib; chmod 600 /var/lib/pacemaker/cib/cib.xml
    daemon corosync -f >> "$STATE/corosync.stdout" 2>&1 < /dev/null &
    wait_for 30 corosync-quorumtool -s || { log "corosync is not quorate"; exit 1; }
    daemon pacemakerd >> "$STATE/pacemakerd.stdout" 2>&1 < /dev/null &
    wait_for 120 online || { log "node $NODE never came online"; tail -20 "$PCMK_logfile" >&2; exit 1; }
    log "cluster up: node $NODE online"
}

case "${1:-}" in
    install) install_packages ;;
    start) install_packages; start_cluster ;;
    stop) stop_cluster; log "cluster stopped" ;;
    status) online && echo "online: $NODE" ;;
    *) echo "usage: $0 install|start|stop|status" >&2; exit 2 ;;
esac
