#!/bin/bash
# ipmi_sim's chassis_control program: chassis-control.sh NODE get power | set power 0|1 | set reset 1
# ipmi_sim waits for it and reads its stdout: anything started here is detached.
NODE=$1 OP=$2; shift 2
NODESH="$(dirname "$0")/node.sh"
echo "$(date +%T.%3N) $NODE $OP $*" >> "${IHA_E2E_STATE:-/tmp/ihaa-e2e}/chassis-control.log"
case $OP in
get) for p in "$@"; do case $p in
        power) if "$NODESH" status "$NODE" >/dev/null 2>&1; then echo power:1; else echo power:0; fi ;;
        boot) echo boot:default ;;
     esac; done ;;
set) while [ $# -gt 0 ]; do p=$1 v=${2:-}; shift 2; case $p in
        power) if [ "$v" = 1 ]; then "$NODESH" start "$NODE" >/dev/null 2>&1 </dev/null
               else "$NODESH" poweroff "$NODE" >/dev/null 2>&1 </dev/null; fi ;;
        reset) "$NODESH" poweroff "$NODE" >/dev/null 2>&1 </dev/null; "$NODESH" start "$NODE" >/dev/null 2>&1 </dev/null ;;
     esac; done ;;
esac
exit 0
