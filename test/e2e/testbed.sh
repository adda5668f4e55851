#!/bin/bash
# The end-to-end Instance-HA testbed on one machine, as root:
#  - the single-node corosync + Pacemaker cluster of test/helpers/cluster/cluster.sh (node = uname -n);
#  - compute hosts compute-0..N-1: pacemaker-remoted in their own network/mount/UTS/PID
#    namespaces (node.sh), each with an ipmi_sim BMC on 127.0.0.1:6230+i that powers it;
#  - our agents installed from our .deb, wired with packaging/config/instance-ha-config.sh;
#  - the OpenStack simulator (sim-server.ts) on 127.0.0.1:35500, whose nova-compute services of
#    the cluster hosts are alive exactly while the cluster runs their "nova-compute" resource;
#    or, with IHA_E2E_OPENSTACK=real, the real Keystone + Nova of test/openstack-real with one
#    real nova-compute per host that the cluster starts (real-nova-bridge.ts) and the IPMI
#    power-off kills, plus three spare computes.
# `up` first clears whatever an earlier run left (namespaces, BMCs, the package, the CIB).
#   testbed.sh up | down | kill-remoted NODE | crash NODE
set -uo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
export IHA_E2E_STATE=${IHA_E2E_STATE:-/tmp/ihaa-e2e}
STATE=$IHA_E2E_STATE
COMPUTES=${COMPUTES:-"compute-0 compute-1 compute-2"}
SIM_PORT=${SIM_PORT:-35500}
CLOUD=${IHA_E2E_OPENSTACK:-simulator}
OS_REAL=$ROOT/test/openstack-real
IPMI_PASS=e2e-ipmi-secret
NODE=$(uname -n)
NODE_BIN=$ROOT/node_modules/node/bin/node
log() { echo "[testbed $(date +%T)] $*" >&2; }
wait_for() { local end=$((SECONDS + $1)); shift; until "$@" >/dev/null 2>&1; do [ $SECONDS -ge $end ] && return 1; sleep 0.25; done; }

install_remoted() {
    [ -x /opt/ihaa-pacemaker-remote/usr/sbin/pacemaker-remoted ] && return 0
    local tmp; tmp=$(mktemp -d)
    (cd "$tmp" && apt-get download pacemaker-remote >/dev/null 2>&1) || { apt-get update -q >/dev/null; (cd "$tmp" && apt-get download pacemaker-remote >/dev/null); }
    mkdir -p /opt/ihaa-pacemaker-remote && dpkg -x "$tmp"/pacemaker-remote_*.deb /opt/ihaa-pacemaker-remote
    rm -rf "$tmp"
}

down() {
    pkill -f "ipmi_sim -c $STATE/" 2>/dev/null
    [ -f "$STATE/pids/sim" ] && kill "$(cat "$STATE/pids/sim")" 2>/dev/null
    pkill -f "test/e2e/sim-server.ts" 2>/dev/null
    pkill -f "test/e2e/real-nova-bridge.ts" 2>/dev/null
    [ -f "$STATE/real-openstack" ] && bash "$OS_REAL/stop.sh" >/dev/null 2>&1
    for c in $COMPUTES compute-3 compute-4 compute-5; do bash "$HERE/node.sh" poweroff "$c"; bash "$HERE/node.sh" net-down "$c"; done
    pkill -KILL -f "node-init.sh compute-" 2>/dev/null
    bash "$ROOT/test/helpers/cluster/cluster.sh" stop
    dpkg -s instance-ha-agents >/dev/null 2>&1 && dpkg -r instance-ha-agents >/dev/null 2>&1
    rm -rf "$STATE"
}

up() {
    down
    mkdir -p "$STATE/pids" "$STATE/bmc"
    bash "$ROOT/test/helpers/cluster/cluster.sh" install
    install_remoted
    bash "$ROOT/test/helpers/cluster/divert-fence-compute.sh" restore
    # Always the package of this tree (build-sea ~5 s, the .deb ~15 s).
    local deb
    deb=$(cd "$ROOT" && "$NODE_BIN" scripts/build-sea.ts >/dev/null 2>&1 && PATH="$ROOT/node_modules/.bin:$PATH" bash packaging/debian/build-deb.sh) \
        || { log "building the .deb failed"; return 1; }
    dpkg -i "$ROOT/$deb" >/dev/null || { log "installing the .deb failed"; return 1; }
    bash "$ROOT/test/helpers/cluster/cluster.sh" start
    if [ "$CLOUD" = real ]; then start_real_cloud || return 1; else
    # The simulator, as its own process (it outlives nothing: `down` stops it).
    setsid "$NODE_BIN" "$HERE/sim-server.ts" --port "$SIM_PORT" --computes "$COMPUTES" --state "$STATE" \
        >> "$STATE/sim.log" 2>&1 < /dev/null &
    echo $! > "$STATE/pids/sim"
    wait_for 20 test -s "$STATE/sim.json" || { log "simulator did not start"; cat "$STATE/sim.log" >&2; return 1; }
    fi
    local i=0
    for c in $COMPUTES; do
        bash "$HERE/node.sh" start "$c"
        local b=$STATE/bmc/$c; mkdir -p "$b/state"
        sed -e "s/@NAME@/bmc-$c/" -e "s/@PORT@/$((6230 + i))/" -e "s/@USER@/admin/" -e "s/@PASS@/$IPMI_PASS/" \
            -e "s|@CHASSIS@|$HERE/chassis-control.sh $c|" -e "s/@GUID@/a123456789abcdefa123456789abc0$(printf %02x $i)/" \
            "$HERE/conf/lan.conf.in" > "$b/lan.conf"
        cp "$HERE/conf/bmc.emu" "$b/bmc.emu"
        (cd "$b" && setsid ipmi_sim -c "$b/lan.conf" -f "$b/bmc.emu" -s "$b/state" -n >> "$b/ipmi_sim.log" 2>&1 < /dev/null &)
        i=$((i + 1))
    done
    configure
}

start_real_cloud() {
    touch "$STATE/real-openstack"
    bash "$OS_REAL/install.sh" >> "$STATE/openstack.log" 2>&1 || { log "installing OpenStack failed"; return 1; }
    COMPUTES="$COMPUTES compute-3 compute-4 compute-5" bash "$OS_REAL/start.sh" >> "$STATE/openstack.log" 2>&1 \
        || { log "the real OpenStack did not start"; tail -20 "$STATE/openstack.log" >&2; return 1; }
    # The IPMI power-off (node.sh poweroff) kills the host's nova-compute, as a power cut would.
    printf '#!/bin/sh\nexec bash %s kill "$1"\n' "$OS_REAL/compute.sh" > "$STATE/on-poweroff"; chmod +x "$STATE/on-poweroff"
    setsid "$NODE_BIN" "$HERE/real-nova-bridge.ts" --computes "$COMPUTES" --state "$STATE" \
        >> "$STATE/sim.log" 2>&1 < /dev/null &
    echo $! > "$STATE/pids/sim"
    wait_for 60 test -s "$STATE/sim.json" || { log "the bridge to the real cloud did not start"; cat "$STATE/sim.log" >&2; return 1; }
}

configure() {
    local auth_url password=admin-pw; auth_url=$("$NODE_BIN" -p "require('$STATE/sim.json').authUrl")
    [ "$CLOUD" = real ] && password=$(cat "${IHAA_OS_STATE:-/tmp/ihaa-openstack}/secrets/admin")
    local crm=$STATE/cluster.crm i=0 bmcs=()
    for c in $COMPUTES; do bmcs+=("BMC_${c//-/_}=127.0.0.1:$((6230 + i))"); i=$((i + 1)); done
    {
        echo "property no-quorum-policy=ignore cluster-recheck-interval=30s stonith-timeout=120s"
        # The controller's own fence device (a real cluster has IPMI here): with a device that
        # provides unfencing, Pacemaker unfences every node before probing fence devices on it.
        echo "primitive fence-ctl stonith:fence_dummy params pcmk_host_list=$NODE pcmk_host_argument=none status_file=$STATE/fence_dummy.ctl op monitor interval=60s"
        for c in $COMPUTES; do
            echo "primitive $c ocf:pacemaker:remote params server=169.254.$((100 + ${c##*-})).2 reconnect_interval=10s op monitor interval=5s timeout=15s"
        done
        # The password through the environment, not an argv (env NAME=value would show it in ps).
        PASSWORD=$password IPMI_PASSWORD=$IPMI_PASS env "${bmcs[@]}" COMPUTES="$COMPUTES" AUTH_URL="$auth_url" USERNAME=admin \
            ENDPOINT_TYPE=publicURL EXTRA_NOVA_PARAMS="request_timeout=5" bash "$ROOT/packaging/config/instance-ha-config.sh" crm \
            | sed -e "s|^primitive nova-evacuate \(.*\) op start|primitive nova-evacuate \1 poll_interval=0.5 event_log=$STATE/events.jsonl op start|"
        echo "primitive nova-compute ocf:pacemaker:Dummy op monitor interval=5s timeout=20s"
        echo "clone nova-compute-clone nova-compute meta interleave=true"
        echo "location nova-compute-on-computes nova-compute-clone rule -inf: #kind ne remote"
        echo "commit"
    } > "$crm"
    crm configure < "$crm" || { log "crm configure failed"; return 1; }
    everything_up() {
        local out; out=$(crm_mon -1 2>/dev/null)
        echo "$out" | grep -q "RemoteOnline: \[ $COMPUTES \]" && echo "$out" | grep -Eq "nova-evacuate.*Started" \
            && [ "$(echo "$out" | grep -A3 'Clone Set: nova-compute-clone' | grep -c "Started: \[ $COMPUTES \]")" = 1 ]
    }
    wait_for 120 everything_up || { log "the cluster did not start everything"; crm_mon -1 >&2; return 1; }
    if [ "$CLOUD" = real ]; then
        wait_for 240 grep -q '"booted": true' "$STATE/sim-state.json" || { log "the real cloud did not boot the instances"; tail -20 "$STATE/sim.log" >&2; return 1; }
    fi
    log "testbed up: $COMPUTES online, agents started"
}

case "${1:-}" in
    up) up ;;
    down) down ;;
    kill-remoted) bash "$HERE/node.sh" kill-remoted "$2" ;;
    *) echo "usage: $0 up|down|kill-remoted NODE" >&2; exit 2 ;;
esac
