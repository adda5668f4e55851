#!/bin/bash
# ipmi_sim's chassis_control program: chassis-control.sh NODE get power | set power 0|1 | set reset 1
# ipmi_sim waits for it and reads its stdout: anything started here is detached.
# A host boots at once, or (a scenario's $STATE/boot-delay-NODE, seconds) that much later, as a
# real server does: powered on (the BMC says so) while its OS is not up yet.
NODE=$1 OP=$2; shift 2
NODESH="$(dirname "$0")/node.sh"
STATE=${IHA_E2E_STATE:-/tmp/ihaa-e2e}
echo "$(date +%T.%3N) $NODE $OP $*" >> "$STATE/chassis-control.log"
power_on() {
    local delay; delay=$(cat "$STATE/boot-delay-$NODE" 2>/dev/null)
    if [ -z "$delay" ]; then "$NODESH" start "$NODE" >/dev/null 2>&1 </dev/null; return; fi
    touch "$STATE/booting-$NODE"
    # A power-off meanwhile removes the flag: then it does not boot.
    setsid bash -c 'sleep "$1"; [ -e "$2" ] && "$3" start "$4"; rm -f "$2"' boot "$delay" "$STATE/booting-$NODE" "$NODESH" "$NODE" >/dev/null 2>&1 </dev/null &
}
case $OP in
get) for p in "$@"; do case $p in
        power) if [ -e "$STATE/booting-$NODE" ] || "$NODESH" status "$NODE" >/dev/null 2>&1; then echo power:1; else echo power:0; fi ;;
        boot) echo boot:default ;;
     esac; done ;;
set) while [ $# -gt 0 ]; do p=$1 v=${2:-}; shift 2; case $p in
        power) if [ "$v" = 1 ]; then power_on
               else rm -f "$STATE/booting-$NODE"; "$NODESH" poweroff "$NODE" >/dev/null 2>&1 </dev/null; fi ;;
        reset) "$NODESH" poweroff "$NODE" >/dev/null 2>&1 </dev/null; power_on ;;
     esac; done ;;
esac
exit 0
