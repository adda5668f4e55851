#!/bin/bash
# compute.sh start|stop|kill HOST    (HOST = compute1 ...)
#   start: run one nova-compute (fake driver) whose [DEFAULT]host is HOST
#   stop : SIGTERM (graceful)
#   kill : SIGKILL of the recorded PID (a simulated host crash; the service stays "up"
#          in Nova until service_down_time passes or it is forced down)
set -euo pipefail
. "$(dirname "$0")/lib.sh"
action=${1:-} h=${2:-}
case $action in
  start)
    [ -f "$STATE/etc/nova-$h.conf" ] || printf '[DEFAULT]\nhost = %s\n' "$h" > "$STATE/etc/nova-$h.conf"
    alive "nova-compute-$h" && { log "$h already running"; exit 0; }
    start_bg "nova-compute-$h" "$STATE/bin/nova-compute" --config-file "$STATE/etc/nova-compute.conf" \
      --config-file "$STATE/etc/nova-$h.conf" --log-file "$STATE/log/nova-compute-$h.log" ;;
  stop) stop_one "nova-compute-$h" TERM ;;
  kill)
    p=$(pid_of "nova-compute-$h"); kill -9 "$p"; rm -f "$STATE/pids/nova-compute-$h.pid"
    log "kill -9 $p ($h)" ;;
  *) echo "usage: $0 start|stop|kill HOST" >&2; exit 2 ;;
esac
