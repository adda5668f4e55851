#!/bin/bash
# Stop every process start.sh started, by recorded PID / process group only.
# Keeps $STATE (logs, DBs) unless --wipe.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
[ -d "$STATE/pids" ] || { stop_stale_listeners; log "nothing to stop"; exit 0; }
for f in "$STATE"/pids/nova-compute-*.pid; do [ -e "$f" ] && stop_one "$(basename "$f" .pid)"; done
for n in nova-api nova-scheduler nova-conductor glance-api placement neutron-stub keystone; do stop_one "$n"; done
# rabbitmq: ask it to stop cleanly, then make sure the recorded process group is gone
if alive rabbitmq; then
  ( rabbit_env; timeout 30 /usr/lib/rabbitmq/bin/rabbitmqctl -n rabbit@localhost stop >/dev/null 2>&1 ) || true
fi
stop_one rabbitmq
stop_one epmd
stop_one mariadb
stop_stale_listeners   # an earlier run whose pid files are gone (state wiped by hand, killed start.sh)
[ "${1:-}" = "--wipe" ] && rm -rf "$STATE"
log "stopped"
