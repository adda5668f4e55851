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
# `up` first clears whatever an earlier run left (namespaces, BMCs, the package, the CIB, the
# controller's time zone). `add-node`/`remove-node` bring one more compute (compute-N) into the
# running cluster, wired like the others, and take it out again.
#   testbed.sh up | down | kill-remoted NODE | add-node NODE | remove-node NODE | restart-pacemaker
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
# Daemons get no descriptor of the caller but 0-2: a flock(1) lock held by whoever started the
# testbed would otherwise be held by the simulator and the BMCs until `down`.
# Call it as `daemon CMD … &`: it runs in the background job's own process and becomes CMD.
daemon() { for fd in $(ls "/proc/$BASHPID/fd"); do [ "$fd" -gt 2 ] && eval "exec $fd>&-" 2>/dev/null; done; exec setsid "$@"; }
# A scenario that moves the controller to another time zone keeps the original here (timezone.ts).
LOCALTIME_BACKUP=/var/tmp/ihaa-e2e-localtime
restore_localtime() {
    if [ -e $LOCALTIME_BACKUP ] || [ -L $LOCALTIME_BACKUP ]; then
        cp -P --remove-destination $LOCALTIME_BACKUP /etc/localtime && rm -f $LOCALTIME_BACKUP && log "restored /etc/localtime"
    fi
}

install_remoted() {
    [ -x /opt/ihaa-pacemaker-remote/usr/sbin/pacemaker-remoted ] && return 0
    local tmp; tmp=$(mktemp -d)
    (cd "$tmp" && apt-get download pacemaker-remote >/dev/null 2>&1) || { apt-get update -q >/dev/null; (cd "$tmp" && apt-get download pacemaker-remote >/dev/null); }
    mkdir -p /opt/ihaa-pacemaker-remote && dpkg -x "$tmp"/pacemaker-remote_*.deb /opt/ihaa-pacemaker-remote
    rm -rf "$tmp"
}

# Every compute host a run may have left, whatever its size: this run's, the e2e suite's added
# one, any with a PID file, any namespace c<N> (node.sh's naming).
known_nodes() {
    { echo $COMPUTES compute-3 compute-4 compute-5
      ls "$STATE/pids" 2>/dev/null | sed -n 's/^\(compute-[0-9]*\)\.init$/\1/p'
      ip netns list 2>/dev/null | awk '$1 ~ /^c[0-9]+$/ {print "compute-" substr($1, 2)}'
    } | tr ' ' '\n' | grep . | sort -u
}

down() {
    restore_localtime
    pkill -f "ipmi_sim -c $STATE/" 2>/dev/null
    [ -f "$STATE/pids/sim" ] && kill "$(cat "$STATE/pids/sim")" 2>/dev/null
    pkill -f "test/e2e/sim-server.ts" 2>/dev/null
    pkill -f "test/e2e/real-nova-bridge.ts" 2>/dev/null
    [ -f "$STATE/real-openstack" ] && bash "$OS_REAL/stop.sh" >/dev/null 2>&1
    for c in $(known_nodes); do bash "$HERE/node.sh" poweroff "$c"; bash "$HERE/node.sh" net-down "$c"; done
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
    daemon "$NODE_BIN" "$HERE/sim-server.ts" --port "$SIM_PORT" --computes "$COMPUTES" --state "$STATE" --per-host "${PER_HOST:-1}" \
        >> "$STATE/sim.log" 2>&1 < /dev/null &
    echo $! > "$STATE/pids/sim"
    wait_for 20 test -s "$STATE/sim.json" || { log "simulator did not start"; cat "$STATE/sim.log" >&2; return 1; }
    fi
    local i=0
    for c in $COMPUTES; do
        bash "$HERE/node.sh" start "$c"
        start_bmc "$c" $i
        i=$((i + 1))
    done
    configure
}

# The host's BMC: an ipmi_sim on 127.0.0.1:6230+i whose chassis control powers the host.
start_bmc() {
    local c=$1 i=$2 b=$STATE/bmc/$1; mkdir -p "$b/state"
    sed -e "s/@NAME@/bmc-$c/" -e "s/@PORT@/$((6230 + i))/" -e "s/@USER@/admin/" -e "s/@PASS@/$IPMI_PASS/" \
        -e "s|@CHASSIS@|$HERE/chassis-control.sh $c|" -e "s/@GUID@/a123456789abcdefa123456789abc0$(printf %02x "$i")/" \
        "$HERE/conf/lan.conf.in" > "$b/lan.conf"
    cp "$HERE/conf/bmc.emu" "$b/bmc.emu"
    (cd "$b" && daemon ipmi_sim -c "$b/lan.conf" -f "$b/bmc.emu" -s "$b/state" -n >> "$b/ipmi_sim.log" 2>&1 < /dev/null &)
}

start_real_cloud() {
    touch "$STATE/real-openstack"
    bash "$OS_REAL/install.sh" >> "$STATE/openstack.log" 2>&1 || { log "installing OpenStack failed"; return 1; }
    COMPUTES="$COMPUTES compute-3 compute-4 compute-5" bash "$OS_REAL/start.sh" >> "$STATE/openstack.log" 2>&1 \
        || { log "the real OpenStack did not start"; tail -20 "$STATE/openstack.log" >&2; return 1; }
    # The IPMI power-off (node.sh poweroff) kills the host's nova-compute, as a power cut would.
    printf '#!/bin/sh\nexec bash %s kill "$1"\n' "$OS_REAL/compute.sh" > "$STATE/on-poweroff"; chmod +x "$STATE/on-poweroff"
    daemon "$NODE_BIN" "$HERE/real-nova-bridge.ts" --computes "$COMPUTES" --state "$STATE" \
        >> "$STATE/sim.log" 2>&1 < /dev/null &
    echo $! > "$STATE/pids/sim"
    wait_for 60 test -s "$STATE/sim.json" || { log "the bridge to the real cloud did not start"; cat "$STATE/sim.log" >&2; return 1; }
}

remote_primitive() { echo "primitive $1 ocf:pacemaker:remote params server=169.254.$((100 + ${1##*-})).2 reconnect_interval=10s op monitor interval=5s timeout=15s"; }

# The product's own configuration (instance-ha-config.sh crm) for the computes in $1: the i-th
# one's BMC on 127.0.0.1:6230+i, or a single added host's on 6230+$2.
product_config() {
    local auth_url password=admin-pw bmcs=() i=0; auth_url=$("$NODE_BIN" -p "require('$STATE/sim.json').authUrl")
    [ "$CLOUD" = real ] && password=$(cat "${IHAA_OS_STATE:-/tmp/ihaa-openstack}/secrets/admin")
    for c in $1; do bmcs+=("BMC_${c//-/_}=127.0.0.1:$((6230 + ${2:-$i}))"); i=$((i + 1)); done
    # The password through the environment, not an argv (env NAME=value would show it in ps).
    PASSWORD=$password IPMI_PASSWORD=$IPMI_PASS env "${bmcs[@]}" COMPUTES="$1" AUTH_URL="$auth_url" USERNAME=admin \
        ENDPOINT_TYPE=publicURL EXTRA_NOVA_PARAMS="request_timeout=5" bash "$ROOT/packaging/config/instance-ha-config.sh" crm
}

# Every compute online as a remote node, NovaEvacuate started, nova-compute started on every
# compute (counted from crm_mon's XML: its text lists nodes in its own order and wraps).
everything_up() {
    local xml n; xml=$(crm_mon -1 --output-as=xml 2>/dev/null) || return 1
    n=$(echo $COMPUTES | wc -w)
    [ "$(grep -c '<node name="[^"]*"[^>]* online="true"[^>]* type="remote"' <<< "$xml")" -ge "$n" ] \
        && grep -Eq '<resource id="nova-evacuate"[^>]* role="Started"' <<< "$xml" \
        && [ "$(grep -c '<resource id="nova-compute"[^>]* role="Started"' <<< "$xml")" -ge "$n" ]
}

# Pacemaker's daemons again (corosync and the CIB stay), e.g. to read a new time zone: a daemon
# reads it when it starts (later changes reach only some of its log lines). A clean stop: the
# computes keep running, their resources stop and start again (unfencing included).
restart_pacemaker() {
    local pstate=${IHA_CLUSTER_STATE:-/tmp/ihaa-cluster}   # as test/helpers/cluster/cluster.sh runs it
    pkill -TERM -x pacemakerd
    wait_for 180 sh -c '! pgrep -x pacemakerd' || { log "pacemakerd did not stop"; return 1; }
    PCMK_logfile=$pstate/pacemaker.log PCMK_logfacility=none daemon pacemakerd >> "$pstate/pacemakerd.stdout" 2>&1 < /dev/null &
    wait_for 180 everything_up || { log "the cluster did not start everything again"; crm_mon -1 >&2; return 1; }
    log "Pacemaker restarted: $COMPUTES online, agents started"
}

configure() {
    local crm=$STATE/cluster.crm
    {
        echo "property no-quorum-policy=ignore cluster-recheck-interval=30s stonith-timeout=120s"
        # The controller's own fence device (a real cluster has IPMI here): with a device that
        # provides unfencing, Pacemaker unfences every node before probing fence devices on it.
        echo "primitive fence-ctl stonith:fence_dummy params pcmk_host_list=$NODE pcmk_host_argument=none status_file=$STATE/fence_dummy.ctl op monitor interval=60s"
        for c in $COMPUTES; do remote_primitive "$c"; done
        product_config "$COMPUTES" \
            | sed -e "s|^primitive nova-evacuate \(.*\) op start|primitive nova-evacuate \1 poll_interval=0.5 event_log=$STATE/events.jsonl op start|"
        echo "primitive nova-compute ocf:pacemaker:Dummy op monitor interval=5s timeout=20s"
        echo "clone nova-compute-clone nova-compute meta interleave=true"
        echo "location nova-compute-on-computes nova-compute-clone rule -inf: #kind ne remote"
        echo "commit"
    } > "$crm"
    crm configure < "$crm" || { log "crm configure failed"; return 1; }
    # Every host is unfenced and its trigger started when first seen; on 2 cores Pacemaker then
    # throttles its jobs to the load: 50 hosts take ~8 min here.
    wait_for $((120 + 12 * $(echo $COMPUTES | wc -w))) everything_up || { log "the cluster did not start everything"; crm_mon -1 >&2; return 1; }
    if [ "$CLOUD" = real ]; then
        wait_for 240 grep -q '"booted": true' "$STATE/sim-state.json" || { log "the real cloud did not boot the instances"; tail -20 "$STATE/sim.log" >&2; return 1; }
    fi
    log "testbed up: $COMPUTES online, agents started"
}

fence_nova_hosts() { crm_resource --resource fence-nova --get-parameter pcmk_host_list 2>/dev/null; }
set_fence_nova_hosts() { crm_resource --resource fence-nova --set-parameter pcmk_host_list --parameter-value "$1" >/dev/null; }

# One more compute in the running cluster: host and BMC, then its fencing (IPMI device, level,
# fence-nova's host list) before the node itself, so that it is unfenced the moment it joins.
add_node() {
    local c=$1 n=${1##*-}
    bash "$HERE/node.sh" start "$c" && start_bmc "$c" "$n" || return 1
    product_config "$c" "$n" | grep -E "^(primitive ipmi-$c |location ipmi-$c-)" > "$STATE/$c.crm"
    crm configure load update "$STATE/$c.crm" || { log "adding the IPMI device of $c failed"; return 1; }
    cibadmin --create --scope fencing-topology --xml-text "<fencing-level id=\"fl-$c-1\" target=\"$c\" index=\"1\" devices=\"ipmi-$c,fence-nova\"/>" || return 1
    set_fence_nova_hosts "$(fence_nova_hosts) $c"
    remote_primitive "$c" > "$STATE/$c-node.crm"
    crm configure load update "$STATE/$c-node.crm" || { log "adding node $c failed"; return 1; }
    log "$c added"
}

# The node leaves cleanly (its resources stop, no fencing), then everything added for it goes.
remove_node() {
    local c=$1
    crm_resource --resource "$c" --meta --set-parameter target-role --parameter-value Stopped >/dev/null 2>&1
    stopped() { ! crm_mon -1 --output-as=xml | grep -q "<resource id=\"$c\"[^>]*role=\"Started\""; }
    wait_for 60 stopped || log "$c did not stop within 60 s"
    crm configure delete --force "$c" >/dev/null 2>&1
    cibadmin --delete --xml-text "<fencing-level id=\"fl-$c-1\"/>" >/dev/null 2>&1
    crm configure delete --force "ipmi-$c-off-computes" "ipmi-$c" >/dev/null 2>&1
    set_fence_nova_hosts "$(fence_nova_hosts | tr ' ' '\n' | grep -vx "$c" | xargs)"
    crm_attribute --type crm_config --set-name instance-ha-evacuations --name "evacuation-$c" --delete >/dev/null 2>&1
    crm_node --force --remove "$c" >/dev/null 2>&1
    pkill -f "ipmi_sim -c $STATE/bmc/$c/" 2>/dev/null
    bash "$HERE/node.sh" poweroff "$c"; bash "$HERE/node.sh" net-down "$c"
    log "$c removed"
}

case "${1:-}" in
    up) up ;;
    down) down ;;
    kill-remoted) bash "$HERE/node.sh" kill-remoted "$2" ;;
    add-node) add_node "$2" ;;
    remove-node) remove_node "$2" ;;
    restart-pacemaker) restart_pacemaker ;;
    *) echo "usage: $0 up|down|kill-remoted NODE|add-node NODE|remove-node NODE|restart-pacemaker" >&2; exit 2 ;;
esac
