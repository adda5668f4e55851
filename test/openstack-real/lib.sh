# shellcheck shell=bash
# Common settings of the real-OpenStack test cloud. Sourced by the other scripts.
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
STATE="${IHAA_OS_STATE:-/tmp/ihaa-openstack}"   # all runtime data: DBs, logs, pids, configs, secrets
PY=/usr/bin/python3                              # Debian's python: a pyenv/venv python3 on PATH
export PATH="/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"   # would not see the libs
export PYTHONDONTWRITEBYTECODE=1

# Every listener on 127.0.0.1, every port in 35000-39696 (away from the usual service ports).
IP=127.0.0.1
KS_PORT="${KS_PORT:-35000}"
MYSQL_PORT="${MYSQL_PORT:-35306}"
EPMD_PORT="${EPMD_PORT:-35369}"
AMQP_PORT="${AMQP_PORT:-35672}"
RABBIT_DIST_PORT="${RABBIT_DIST_PORT:-35673}"
NOVA_PORT="${NOVA_PORT:-38774}"
PLACEMENT_PORT="${PLACEMENT_PORT:-38778}"
GLANCE_PORT="${GLANCE_PORT:-39292}"
NEUTRON_PORT="${NEUTRON_PORT:-39696}"            # neutron stub
ALL_PORTS="$KS_PORT $MYSQL_PORT $EPMD_PORT $AMQP_PORT $RABBIT_DIST_PORT $NOVA_PORT $PLACEMENT_PORT $GLANCE_PORT $NEUTRON_PORT"
COMPUTES="${COMPUTES:-compute1 compute2 compute3}"
export KS_PORT NOVA_PORT PLACEMENT_PORT GLANCE_PORT NEUTRON_PORT

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

# Secrets are files under $STATE (mode 600), never argv. load_secrets exports them.
load_secrets() {
  ADMIN_PASS=$(cat "$STATE/secrets/admin") SERVICE_PASS=$(cat "$STATE/secrets/service")
  export ADMIN_PASS SERVICE_PASS
}

# rabbitmq / erlang environment: run as root, private mnesia/log dirs, loopback only
rabbit_env() {
  export HOME="$STATE/rabbitmq"                      # .erlang.cookie lives here
  export RABBITMQ_NODENAME=rabbit@localhost RABBITMQ_NODE_IP_ADDRESS=$IP RABBITMQ_NODE_PORT=$AMQP_PORT
  export RABBITMQ_DIST_PORT=$RABBIT_DIST_PORT ERL_EPMD_ADDRESS=$IP ERL_EPMD_PORT=$EPMD_PORT
  export RABBITMQ_MNESIA_BASE="$STATE/rabbitmq/mnesia" RABBITMQ_LOG_BASE="$STATE/rabbitmq/log"
  export RABBITMQ_CONFIG_FILE="$STATE/rabbitmq/rabbitmq"   # rabbit appends .conf
  export RABBITMQ_ENABLED_PLUGINS_FILE="$STATE/rabbitmq/enabled_plugins"
  export RABBITMQ_PID_FILE="$STATE/rabbitmq/rabbit.pid" RABBITMQ_CONF_ENV_FILE="$STATE/rabbitmq/rabbitmq-env.conf"
  # without this the erlang distribution port listens on all interfaces
  export RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"
  export RABBITMQ_CTL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"
}

# start_bg NAME CMD... : own session/process group (setsid) so stop can kill the whole group;
# output to $STATE/log/NAME.out, pid to $STATE/pids/NAME.pid
start_bg() {
  local name=$1; shift
  mkdir -p "$STATE/log" "$STATE/pids"
  setsid "$@" >"$STATE/log/$name.out" 2>&1 < /dev/null &
  echo $! > "$STATE/pids/$name.pid"
  log "started $name pid $!"
}
pid_of() { cat "$STATE/pids/$1.pid" 2>/dev/null; }
# running = exists and is not a zombie
running() { [ -e "/proc/$1/stat" ] && ! awk '{exit ($3=="Z")?0:1}' "/proc/$1/stat" 2>/dev/null; }
alive() { local p; p=$(pid_of "$1"); [ -n "$p" ] && running "$p"; }

# stop_one NAME [SIGNAL]: kill the recorded PID's process group, escalate to KILL after 10 s
stop_one() {
  local name=$1 sig=${2:-TERM} p
  p=$(pid_of "$name") || return 0
  [ -n "$p" ] || return 0
  if running "$p"; then
    kill -"$sig" -- "-$p" 2>/dev/null || kill -"$sig" "$p" 2>/dev/null
    for _ in $(seq 1 50); do running "$p" || break; sleep 0.2; done
    running "$p" && { kill -KILL -- "-$p" 2>/dev/null || kill -KILL "$p"; }
    log "stopped $name (pid $p)"
  fi
  # leftover children in the group (glance/nova-api workers, erlang helpers)
  kill -KILL -- "-$p" 2>/dev/null || true
  rm -f "$STATE/pids/$name.pid"
}

port_open() { (exec 3<>"/dev/tcp/$IP/$1") 2>/dev/null; }
wait_port() { # wait_port PORT [TIMEOUT_S]
  local i
  for i in $(seq 1 $(( ${2:-120} * 5 ))); do port_open "$1" && return 0; sleep 0.2; done
  log "timeout waiting for port $1"; return 1
}

nova_manage() { "$PY" -c 'import sys; from nova.cmd.manage import main; sys.exit(main())' --config-file "$STATE/etc/nova.conf" "$@"; }
# SQLite in WAL mode, or a reader blocks a writer's commit ("database is locked" in keystone)
wal() { "$PY" -c 'import sqlite3,sys; sqlite3.connect(sys.argv[1]).execute("pragma journal_mode=wal")' "$1"; }
mysql_root() { mariadb --no-defaults --socket="$STATE/mysql/mysqld.sock" -uroot "$@"; }

# Processes listening on our ports that belong to this cloud (their command line or environment
# names $STATE or this folder): killed by pid. Anything else on the ports is left alone.
stop_stale_listeners() {
  local p pid
  for p in $ALL_PORTS; do
    for pid in $(ss -ltnpH "sport = :$p" 2>/dev/null | grep -o 'pid=[0-9]*' | cut -d= -f2 | sort -u); do
      if tr '\0' '\n' < "/proc/$pid/cmdline" 2>/dev/null | cat - "/proc/$pid/environ" 2>/dev/null | tr '\0' '\n' \
          | grep -qF -e "$STATE" -e "$HERE"; then
        log "port $p: stale process $pid of an earlier run, killing it"; kill -KILL "$pid" 2>/dev/null || true
      fi
    done
  done
}
