#!/bin/bash
# One simulated compute host: its own network, mount, UTS and PID namespaces running
# pacemaker-remoted. Power off = SIGKILL to its init (the whole PID namespace dies).
#   node.sh start|poweroff|status|kill-remoted|freeze|net-down NODE     (NODE = compute-N)
# freeze = a silent crash: the host's link goes down and every process in it stops (SIGSTOP);
# nothing closes a connection, so only the cluster's monitor can notice.
set -uo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
STATE=${IHA_E2E_STATE:-/tmp/ihaa-e2e}
REMOTED=/opt/ihaa-pacemaker-remote/usr/sbin/pacemaker-remoted
ACTION=$1 NODE=$2
N=${NODE##*-} NS=c$N D=$STATE/nodes/$NODE
HOST_IP=169.254.$((100 + N)).1 NODE_IP=169.254.$((100 + N)).2
mkdir -p "$STATE/pids" "$D"

alive() { [ -n "${1:-}" ] && [ -r "/proc/$1/stat" ] && [ "$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)" != Z ] && [ -r "/proc/$1/stat" ]; }
init_pid() { cat "$STATE/pids/$NODE.init" 2>/dev/null; }

net_up() {
    [ -e "/run/netns/$NS" ] || ip netns add "$NS"
    if ! ip link show "veth-${NS}h" >/dev/null 2>&1; then
        ip link add "veth-${NS}h" type veth peer name "veth-${NS}n"
        ip link set "veth-${NS}n" netns "$NS"
        ip addr add "$HOST_IP/24" dev "veth-${NS}h"; ip link set "veth-${NS}h" up
        ip -n "$NS" addr add "$NODE_IP/24" dev "veth-${NS}n"; ip -n "$NS" link set lo up
    fi
    ip -n "$NS" link set "veth-${NS}n" up   # also after a freeze took it down
}

case $ACTION in
start)
    alive "$(init_pid)" && exit 0
    net_up
    mkdir -p "$D"/var-lib-pacemaker/{cib,pengine,blackbox,cores} "$D/var-log-pacemaker" "$D/etc-pacemaker"
    chown -R hacluster:haclient "$D/var-lib-pacemaker" "$D/var-log-pacemaker"
    cp -p /etc/pacemaker/authkey "$D/etc-pacemaker/authkey"
    # The host's PID 1 is the bash running node-init.sh (unshare's child): killing it kills the namespace.
    # It gets no descriptor of the caller but 0-2 (a flock(1) lock would live as long as the host).
    for fd in $(ls "/proc/$BASHPID/fd"); do [ "$fd" -gt 2 ] && eval "exec $fd>&-" 2>/dev/null; done
    setsid ip netns exec "$NS" unshare --mount --uts --pid --fork --mount-proc --propagation private --kill-child \
        "$HERE/node-init.sh" "$NODE" "$D" "$NODE_IP" "$REMOTED" >> "$D/init.log" 2>&1 < /dev/null &
    for _ in $(seq 1 100); do
        ipid=$(pgrep -f "^/bin/bash $HERE/node-init.sh $NODE " | head -1)
        [ -n "$ipid" ] && break; sleep 0.05
    done
    echo "${ipid:-}" > "$STATE/pids/$NODE.init" ;;
poweroff)
    ipid=$(init_pid); alive "$ipid" && kill -KILL "$ipid"
    # What else dies with the host (the real-cloud testbed: its nova-compute process).
    [ -x "$STATE/on-poweroff" ] && "$STATE/on-poweroff" "$NODE" >/dev/null 2>&1
    for _ in $(seq 1 50); do alive "$ipid" || break; sleep 0.05; done ;;
status) if alive "$(init_pid)"; then echo on; else echo off; exit 1; fi ;;
kill-remoted)
    ipid=$(init_pid)
    rp=$(ps -o pid=,comm= --ppid "$ipid" | awk '$2 ~ /^pacemaker-remot/ {print $1}')
    [ -n "$rp" ] && kill -KILL "$rp" ;;
freeze)
    ipid=$(init_pid); alive "$ipid" || exit 1
    ip -n "$NS" link set "veth-${NS}n" down
    # shellcheck disable=SC2046
    kill -STOP $(pgrep --ns "$ipid" --nslist pid) ;;
net-down) ip link del "veth-${NS}h" 2>/dev/null; [ -e "/run/netns/$NS" ] && ip netns del "$NS"; true ;;
*) echo "usage: $0 start|poweroff|status|kill-remoted|freeze|net-down NODE" >&2; exit 2 ;;
esac
